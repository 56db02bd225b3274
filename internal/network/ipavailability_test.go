package network_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/monostack/monostack/internal/db"
)

// availability is one network's figures as "total/used [subnet total/used ...]".
func availability(m map[string]any) string {
	out := fmt.Sprintf("%v/%v", m["total_ips"], m["used_ips"])
	for _, s := range m["subnet_ip_availability"].([]any) {
		sm := s.(map[string]any)
		out += fmt.Sprintf(" %v:%v/%v", sm["cidr"], sm["total_ips"], sm["used_ips"])
	}
	return out
}

func TestIPAvailability(t *testing.T) {
	e := start(t)
	n := e.createNet(t, e.member, map[string]any{"name": "n1"})
	id := n["id"].(string)
	v4 := e.createSubnet(t, e.member, map[string]any{"network_id": id, "ip_version": 4, "cidr": "10.1.0.0/24", "name": "s4"})
	e.createSubnet(t, e.member, map[string]any{"network_id": id, "ip_version": 6, "cidr": "2001:db8::/64",
		"allocation_pools": []any{map[string]any{"start": "2001:db8::10", "end": "2001:db8::1f"}}})
	e.createSubnet(t, e.member, map[string]any{"network_id": id, "ip_version": 4, "cidr": "10.2.0.0/28",
		"enable_dhcp": false, "allocation_pools": []any{map[string]any{"start": "10.2.0.2", "end": "10.2.0.5"},
			map[string]any{"start": "10.2.0.8", "end": "10.2.0.9"}}})
	for range 3 {
		e.createPort(t, e.member, map[string]any{"network_id": id, "fixed_ips": []any{map[string]any{"subnet_id": v4["id"]}}})
	}
	empty := e.createNet(t, e.admin, map[string]any{"name": "empty"})["id"].(string)
	big := e.createNet(t, e.admin, map[string]any{"name": "big"})["id"].(string)
	e.createSubnet(t, e.admin, map[string]any{"network_id": big, "ip_version": 6, "cidr": "2001:db8:1::/64", "enable_dhcp": false})

	got := e.ok(t, 200, "GET", "/v2.0/network-ip-availabilities/"+id, e.admin, nil)["network_ip_availability"].(map[string]any)
	// the DHCP port holds one address on each DHCP subnet
	if a := availability(got); a != "275/5 10.1.0.0/24:253/4 2001:db8::/64:16/1 10.2.0.0/28:6/0" {
		t.Fatalf("availability %s", a)
	}
	sub := got["subnet_ip_availability"].([]any)[0].(map[string]any)
	if got["network_name"] != "n1" || got["project_id"] != e.alpha || got["tenant_id"] != e.alpha ||
		sub["subnet_id"] != v4["id"] || sub["subnet_name"] != "s4" || sub["ip_version"] != float64(4) {
		t.Fatalf("show: %v", got)
	}
	list := func(query string) string {
		var out string
		for _, it := range e.ok(t, 200, "GET", "/v2.0/network-ip-availabilities"+query, e.admin, nil)["network_ip_availabilities"].([]any) {
			m := it.(map[string]any)
			out += fmt.Sprintf("[%v %s]", m["network_name"], availability(m))
		}
		return out
	}
	for _, c := range []struct{ query, want string }{
		{"?network_id=" + id, "[n1 275/5 10.1.0.0/24:253/4 2001:db8::/64:16/1 10.2.0.0/28:6/0]"},
		{"?ip_version=4&network_name=n1", "[n1 259/4 10.1.0.0/24:253/4 10.2.0.0/28:6/0]"},
		{"?ip_version=6&network_name=n1&network_name=empty", "[n1 16/1 2001:db8::/64:16/1]"},
		{"?network_id=" + empty, "[empty 0/0]"},
		{"?project_id=" + e.alpha + "&fields=network_name&fields=total_ips&fields=used_ips&fields=subnet_ip_availability", "[n1 275/5 10.1.0.0/24:253/4 2001:db8::/64:16/1 10.2.0.0/28:6/0]"},
		{"?sort_key=network_id&sort_dir=asc&limit=1", "[n1 275/5 10.1.0.0/24:253/4 2001:db8::/64:16/1 10.2.0.0/28:6/0]"},
	} {
		if got := list(c.query); got != c.want {
			t.Errorf("%s: %s, want %s", c.query, got, c.want)
		}
	}
	r := e.do(t, "GET", "/v2.0/network-ip-availabilities/"+big, e.admin, nil)
	// the pool of a /64 is ::1 to the last address (the gateway is ::)
	if want := `"total_ips":18446744073709551615`; !strings.Contains(string(r.Raw), want) {
		t.Fatalf("IPv6 totals past int64 are exact numbers: %s", r.Raw)
	}
	if l := e.ok(t, 200, "GET", "/v2.0/network-ip-availabilities", e.member, nil)["network_ip_availabilities"].([]any); len(l) != 0 {
		t.Fatalf("a member lists %v", l)
	}
	e.refused(t, 404, "HTTPNotFound", "The resource could not be found.", "GET", "/v2.0/network-ip-availabilities/"+id, e.member, nil)
	e.refused(t, 404, "NetworkNotFound", "Network nope could not be found.", "GET", "/v2.0/network-ip-availabilities/nope", e.admin, nil)
	e.refused(t, 400, "HTTPBadRequest", "['subnet_id'] is invalid attribute for filtering", "GET", "/v2.0/network-ip-availabilities?subnet_id=x", e.admin, nil)
}

// TestIPAvailabilityManyPorts counts 10,000 ports' addresses (rows written
// directly, as the API would take minutes to make them) in one request.
func TestIPAvailabilityManyPorts(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 ports")
	}
	e := start(t)
	id := e.createNet(t, e.admin, map[string]any{"name": "many"})["id"].(string)
	sub := e.createSubnet(t, e.admin, map[string]any{"network_id": id, "ip_version": 4, "cidr": "10.0.0.0/16"})["id"].(string)
	err := e.id.DB.Write(context.Background(), func(tx *db.Tx) error {
		for i := range 10000 {
			pid := fmt.Sprintf("p-%05d", i)
			if _, err := tx.Exec(`INSERT INTO network_ports (id, project_id, network_id, mac_address, status, created_at, updated_at)
				VALUES (?, 'x', ?, ?, 'DOWN', 0, 0)`, pid, id, fmt.Sprintf("fa:16:3e:00:%02x:%02x", i/256, i%256)); err != nil {
				return err
			}
			if _, err := tx.Exec(`INSERT INTO network_ip_allocations (subnet_id, ip_address, port_id, network_id) VALUES (?, ?, ?, ?)`,
				sub, fmt.Sprintf("10.0.%d.%d", 100+i/250, 2+i%250), pid, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	got := e.ok(t, 200, "GET", "/v2.0/network-ip-availabilities?network_id="+id, e.admin, nil)["network_ip_availabilities"].([]any)
	t.Logf("10,000 ports counted in %v", time.Since(began))
	if a := availability(got[0].(map[string]any)); a != "65533/10001 10.0.0.0/16:65533/10001" {
		t.Fatalf("availability %s", a)
	}
}
