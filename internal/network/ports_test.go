package network_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/monostack/monostack/internal/network"
)

func (e *env) createPort(t testing.TB, token string, attrs map[string]any) map[string]any {
	t.Helper()
	return e.ok(t, 201, "POST", "/v2.0/ports", token, map[string]any{"port": attrs})["port"].(map[string]any)
}

func firstIP(p map[string]any) string {
	return p["fixed_ips"].([]any)[0].(map[string]any)["ip_address"].(string)
}

func TestPortAddressesMACAndBinding(t *testing.T) {
	e := start(t)
	n := e.createNet(t, e.member, map[string]any{"name": "net"})
	sub := e.createSubnet(t, e.member, map[string]any{"network_id": n["id"], "ip_version": 4, "cidr": "10.2.0.0/24"})
	p := e.createPort(t, e.member, map[string]any{"network_id": n["id"], "name": "p1"})
	if !strings.HasPrefix(p["mac_address"].(string), "fa:16:3e:") || p["status"] != "DOWN" {
		t.Fatalf("port %v", p)
	}
	if ip := firstIP(p); !strings.HasPrefix(ip, "10.2.0.") || ip == "10.2.0.1" {
		t.Fatalf("address %s", ip)
	}
	if _, shown := p["binding:host_id"]; shown {
		t.Fatalf("a member sees the binding: %v", p)
	}
	fixed := e.createPort(t, e.member, map[string]any{"network_id": n["id"],
		"fixed_ips": []any{map[string]any{"subnet_id": sub["id"], "ip_address": "10.2.0.50"}}})
	if firstIP(fixed) != "10.2.0.50" {
		t.Fatalf("fixed %v", fixed)
	}
	e.refused(t, 409, "IpAddressAlreadyAllocated", "IP address 10.2.0.50 already allocated in subnet "+sub["id"].(string),
		"POST", "/v2.0/ports", e.member, map[string]any{"port": map[string]any{"network_id": n["id"],
			"fixed_ips": []any{map[string]any{"ip_address": "10.2.0.50"}}}})
	e.refused(t, 400, "InvalidIpForNetwork", "IP address 10.9.0.5 is not a valid IP for any of the subnets on the specified network.",
		"POST", "/v2.0/ports", e.member, map[string]any{"port": map[string]any{"network_id": n["id"],
			"fixed_ips": []any{map[string]any{"ip_address": "10.9.0.5"}}}})
	e.refused(t, 400, "InvalidIpForSubnet", "IP address 10.9.0.5 is not a valid IP for the specified subnet.",
		"POST", "/v2.0/ports", e.member, map[string]any{"port": map[string]any{"network_id": n["id"],
			"fixed_ips": []any{map[string]any{"subnet_id": sub["id"], "ip_address": "10.9.0.5"}}}})
	e.refused(t, 409, "MacAddressInUse", "Unable to complete operation for network "+n["id"].(string)+". The mac address "+p["mac_address"].(string)+" is in use.",
		"POST", "/v2.0/ports", e.admin, map[string]any{"port": map[string]any{"network_id": n["id"], "mac_address": p["mac_address"]}})
	// Binding to a host: the fake driver binds it and, with no agent, it is up.
	bound := e.ok(t, 200, "PUT", "/v2.0/ports/"+p["id"].(string), e.admin, map[string]any{"port": map[string]any{
		"binding:host_id": "host1", "device_id": "vm-1", "device_owner": "compute:nova"}})["port"].(map[string]any)
	if bound["binding:vif_type"] != "ovs" || bound["status"] != "ACTIVE" || bound["binding:host_id"] != "host1" {
		t.Fatalf("bound %v", bound)
	}
	if got := e.ok(t, 200, "GET", "/v2.0/ports?device_id=vm-1", e.member, nil)["ports"].([]any); len(got) != 1 {
		t.Fatalf("by device: %v", got)
	}
	if got := e.ok(t, 200, "GET", "/v2.0/ports?fixed_ips=ip_address%3D10.2.0.50", e.member, nil)["ports"].([]any); len(got) != 1 || got[0].(map[string]any)["id"] != fixed["id"] {
		t.Fatalf("by address: %v", got)
	}
	// Moving the address: the old one is free again.
	moved := e.ok(t, 200, "PUT", "/v2.0/ports/"+fixed["id"].(string), e.member, map[string]any{"port": map[string]any{
		"fixed_ips": []any{map[string]any{"subnet_id": sub["id"], "ip_address": "10.2.0.60"}}}})["port"].(map[string]any)
	if firstIP(moved) != "10.2.0.60" {
		t.Fatalf("moved %v", moved)
	}
	e.createPort(t, e.member, map[string]any{"network_id": n["id"], "fixed_ips": []any{map[string]any{"ip_address": "10.2.0.50"}}})
}

func TestPortTenantIsolation(t *testing.T) {
	e := start(t)
	n := e.createNet(t, e.member, map[string]any{"name": "private"})
	e.createSubnet(t, e.member, map[string]any{"network_id": n["id"], "ip_version": 4, "cidr": "10.3.0.0/24"})
	beta, _ := e.project(t, "beta", "member")
	e.refused(t, 404, "NetworkNotFound", "Network "+n["id"].(string)+" could not be found.",
		"POST", "/v2.0/ports", beta, map[string]any{"port": map[string]any{"network_id": n["id"]}})
	if got := e.ok(t, 200, "GET", "/v2.0/subnets", beta, nil)["subnets"].([]any); len(got) != 0 {
		t.Fatalf("beta sees %v", got)
	}
	shared := e.createNet(t, e.admin, map[string]any{"name": "shared", "shared": true})
	e.createSubnet(t, e.admin, map[string]any{"network_id": shared["id"], "ip_version": 4, "cidr": "10.4.0.0/24"})
	p := e.createPort(t, beta, map[string]any{"network_id": shared["id"]})
	e.refused(t, 404, "PortNotFound", "Port "+p["id"].(string)+" could not be found.", "GET", "/v2.0/ports/"+p["id"].(string), e.member, nil)
	e.refused(t, 403, "PolicyNotAuthorized", "", "POST", "/v2.0/ports", beta, map[string]any{"port": map[string]any{
		"network_id": shared["id"], "fixed_ips": []any{map[string]any{"ip_address": "10.4.0.9"}}}})
}

func TestPortExhaustion(t *testing.T) {
	e := start(t)
	n := e.createNet(t, e.member, map[string]any{"name": "small"})
	e.createSubnet(t, e.member, map[string]any{"network_id": n["id"], "ip_version": 4, "cidr": "10.6.0.0/29", "enable_dhcp": false})
	var wg sync.WaitGroup
	results := make([]*response, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = e.do(t, "POST", "/v2.0/ports", e.member, map[string]any{"port": map[string]any{"network_id": n["id"], "name": fmt.Sprint(i)}})
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	failed := 0
	for _, r := range results {
		switch r.Status {
		case 201:
			ip := firstIP(r.Body["port"].(map[string]any))
			if seen[ip] {
				t.Fatalf("address %s twice", ip)
			}
			seen[ip] = true
		case 409:
			failed++
			if !strings.Contains(string(r.Raw), `"type":"IpAddressGenerationFailure"`) ||
				!strings.Contains(string(r.Raw), "No more IP addresses available on network "+n["id"].(string)+".") {
				t.Fatalf("exhaustion body %s", r.Raw)
			}
		default:
			t.Fatalf("status %d: %s", r.Status, r.Raw)
		}
	}
	if len(seen) != 5 || failed != 3 {
		t.Fatalf("%d created, %d refused; want 5 and 3", len(seen), failed)
	}
}

// A list of more ports than one IN list holds reads every port's lists
// (addresses, groups, tags) through the query that found them; the per-port
// work, shared over the CPUs, keeps the order.
func TestListManyPortsKeepsTheirLists(t *testing.T) {
	t.Cleanup(network.SetParallelListItemsForTest(100))
	e := start(t)
	e.setQuota(t, e.alpha, map[string]any{"port": -1})
	n := e.createNet(t, e.member, map[string]any{"name": "many"})["id"].(string)
	e.createSubnet(t, e.member, map[string]any{"network_id": n, "ip_version": 4, "cidr": "10.0.0.0/22", "enable_dhcp": false})
	batch := make([]any, 610)
	for i := range batch {
		batch[i] = map[string]any{"network_id": n, "name": fmt.Sprintf("p%03d", i)}
	}
	e.ok(t, 201, "POST", "/v2.0/ports", e.member, map[string]any{"ports": batch})
	ports := e.ok(t, 200, "GET", "/v2.0/ports?network_id="+n+"&sort_key=name&sort_dir=asc", e.member, nil)["ports"].([]any)
	if len(ports) != 610 {
		t.Fatalf("%d ports", len(ports))
	}
	for i, p := range ports {
		if name := p.(map[string]any)["name"]; name != fmt.Sprintf("p%03d", i) {
			t.Fatalf("port %d is %v", i, name)
		}
	}
	last := ports[len(ports)-1].(map[string]any)
	e.ok(t, 201, "PUT", "/v2.0/ports/"+last["id"].(string)+"/tags/last", e.member, nil)
	checkManyPortLists(t, e, last["id"].(string), 610)
	// Another project's ports, tagged: while alpha's are most of the ports
	// the lists come from whole tables, then (once they are not) by id.
	e.setQuota(t, e.id.AdminProjectID, map[string]any{"port": -1})
	other := e.createNet(t, e.admin, map[string]any{"name": "other"})["id"].(string)
	e.createSubnet(t, e.admin, map[string]any{"network_id": other, "ip_version": 4, "cidr": "10.1.0.0/21", "enable_dhcp": false})
	p := e.createPort(t, e.admin, map[string]any{"network_id": other})
	e.ok(t, 201, "PUT", "/v2.0/ports/"+p["id"].(string)+"/tags/theirs", e.admin, nil)
	checkManyPortLists(t, e, last["id"].(string), 610)
	batch = make([]any, 700)
	for i := range batch {
		batch[i] = map[string]any{"network_id": other}
	}
	e.ok(t, 201, "POST", "/v2.0/ports", e.admin, map[string]any{"ports": batch})
	checkManyPortLists(t, e, last["id"].(string), 610)
}

// checkManyPortLists lists the member's ports: want of them, each with
// its one address and group, a distinct address, and a tag on tagged only.
func checkManyPortLists(t *testing.T, e *env, tagged string, want int) {
	t.Helper()
	seen := map[string]bool{}
	list := e.ok(t, 200, "GET", "/v2.0/ports", e.member, nil)["ports"].([]any)
	if len(list) != want {
		t.Fatalf("%d ports, want %d", len(list), want)
	}
	for _, p := range list {
		m := p.(map[string]any)
		ips := m["fixed_ips"].([]any)
		if len(ips) != 1 || len(m["security_groups"].([]any)) != 1 {
			t.Fatalf("port %v lost its lists: %v", m["name"], m)
		}
		ip := ips[0].(map[string]any)["ip_address"].(string)
		if seen[ip] {
			t.Fatalf("address %s twice", ip)
		}
		seen[ip] = true
		if tags := m["tags"].([]any); (m["id"] == tagged) != (len(tags) == 1) {
			t.Fatalf("port %v tags %v", m["name"], tags)
		}
	}
}
