package compute_test

import (
	"testing"

	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/httpx"
)

const v242 = "compute 2.42"

// hostsCloud has compute hosts host1 and host2 and a conductor on ctl.
func hostsCloud(t *testing.T) *infraEnv {
	t.Helper()
	e := startInfra(t)
	e.node(t, "host1")
	e.node(t, "host2")
	e.controller(t, computerpc.ConductorService, "ctl")
	return e
}

func TestHostsList(t *testing.T) {
	e := hostsCloud(t)
	r := e.do(t, "GET", "/v2.1/os-hosts", e.admin, nil, "OpenStack-API-Version", v242)
	hosts, _ := r.Body["hosts"].([]any)
	if r.Status != 200 || len(hosts) != 3 {
		t.Fatalf("list: %d %s", r.Status, r.Raw)
	}
	want := map[string]string{"host1": "compute/nova", "host2": "compute/nova", "ctl": "conductor/internal"}
	for _, h := range hosts {
		m := h.(map[string]any)
		if want[m["host_name"].(string)] != m["service"].(string)+"/"+m["zone"].(string) {
			t.Fatalf("host %v", m)
		}
	}
	for zone, n := range map[string]int{"nova": 2, "internal": 1, "xxx": 0, "": 3} {
		r = e.do(t, "GET", "/v2.1/os-hosts?zone="+zone, e.admin, nil, "OpenStack-API-Version", v242)
		if got := len(r.Body["hosts"].([]any)); got != n {
			t.Fatalf("zone %q: %d hosts, want %d", zone, got, n)
		}
	}
	// A disabled service's host is not listed.
	svcs := e.do(t, "GET", "/v2.1/os-services?host=host2", e.admin, nil, "OpenStack-API-Version", "compute 2.79")
	sid := svcs.Body["services"].([]any)[0].(map[string]any)["id"].(string)
	if r := e.do(t, "PUT", "/v2.1/os-services/"+sid, e.admin, map[string]any{"status": "disabled"}, "OpenStack-API-Version", "compute 2.79"); r.Status != 200 {
		t.Fatalf("disable: %d %s", r.Status, r.Raw)
	}
	r = e.do(t, "GET", "/v2.1/os-hosts?zone=nova", e.admin, nil, "OpenStack-API-Version", v242)
	if hosts := r.Body["hosts"].([]any); len(hosts) != 1 || hosts[0].(map[string]any)["host_name"] != "host1" {
		t.Fatalf("with host2 disabled: %s", r.Raw)
	}
}

func TestHostsShowUsage(t *testing.T) {
	e := hostsCloud(t)
	small := computerpc.Flavor{ID: "s", VCPUs: 1, MemoryMB: 512, RootGB: 1, EphemeralGB: 1}
	big := computerpc.Flavor{ID: "b", VCPUs: 2, MemoryMB: 2048, RootGB: 20}
	err := compute.InsertTestInstances(e.id.DB, []compute.TestInstance{
		{UUID: httpx.NewUUID(), ProjectID: "p1", UserID: "u", Name: "a", VMState: "active", Host: "host1", Flavor: small, CreatedAt: 1},
		{UUID: httpx.NewUUID(), ProjectID: "p2", UserID: "u", Name: "b", VMState: "active", Host: "host1", Flavor: big, CreatedAt: 2},
		{UUID: httpx.NewUUID(), ProjectID: "p1", UserID: "u", Name: "c", VMState: "active", Host: "host1", Flavor: big, CreatedAt: 3},
		{UUID: httpx.NewUUID(), ProjectID: "p3", UserID: "u", Name: "d", VMState: "active", Host: "host2", Flavor: big, CreatedAt: 4},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := e.do(t, "GET", "/v2.1/os-hosts/host1", e.admin, nil, "OpenStack-API-Version", v242)
	if r.Status != 200 {
		t.Fatalf("show: %d %s", r.Status, r.Raw)
	}
	want := [][5]any{{"(total)", 8, 16384, 100}, {"(used_now)", 0, 0, 0}, {"(used_max)", 5, 4608, 42},
		{"p1", 3, 2560, 22}, {"p2", 2, 2048, 20}}
	rows := r.Body["host"].([]any)
	if len(rows) != len(want) {
		t.Fatalf("rows: %s", r.Raw)
	}
	for n, row := range rows {
		res := row.(map[string]any)["resource"].(map[string]any)
		w := want[n]
		if res["host"] != "host1" || res["project"] != w[0] || res["cpu"] != float64(w[1].(int)) ||
			res["memory_mb"] != float64(w[2].(int)) || res["disk_gb"] != float64(w[3].(int)) {
			t.Fatalf("row %d: %v, want %v", n, res, w)
		}
	}
	if msg := e.refused(t, "GET", "/v2.1/os-hosts/nonexistent", e.admin, nil, 404, "OpenStack-API-Version", v242); msg != "Host 'nonexistent' is not mapped to any cell" {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "GET", "/v2.1/os-hosts/ctl", e.admin, nil, 404, "OpenStack-API-Version", v242); msg != "Host 'ctl' is not mapped to any cell" {
		t.Fatal(msg)
	}
}

func TestHostsUpdateAndPowerActionsAreUnsupported(t *testing.T) {
	e := hostsCloud(t)
	cases := []struct {
		body   map[string]any
		status int
		msg    string
	}{
		{map[string]any{"status": nil, "maintenance_mode": nil}, 400, "Invalid input for field/attribute status. Value: None. None is not of type 'string'"},
		{map[string]any{"status": "invalid"}, 400, "Invalid input for field/attribute status. Value: invalid. 'invalid' is not one of ['enable', 'disable', 'Enable', 'Disable', 'ENABLE', 'DISABLE']"},
		{map[string]any{"maintenance_mode": "on"}, 400, "Invalid input for field/attribute maintenance_mode. Value: on. 'on' is not one of ['enable', 'disable', 'Enable', 'Disable', 'ENABLE', 'DISABLE']"},
		{map[string]any{"status": "enable", "x": 1}, 400, "Additional properties are not allowed ('x' was unexpected)"},
		{map[string]any{"status": "disable"}, 501, "The requested functionality is not supported."},
		{map[string]any{"maintenance_mode": "ENABLE"}, 501, "The requested functionality is not supported."},
	}
	for _, c := range cases {
		if msg := e.refused(t, "PUT", "/v2.1/os-hosts/host1", e.admin, c.body, c.status, "OpenStack-API-Version", v242); msg != c.msg {
			t.Fatalf("%v: %s", c.body, msg)
		}
	}
	if msg := e.refused(t, "PUT", "/v2.1/os-hosts/nonexistent", e.admin, map[string]any{"status": "enable"}, 404, "OpenStack-API-Version", v242); msg != "Host 'nonexistent' is not mapped to any cell" {
		t.Fatal(msg)
	}
	r := e.do(t, "PUT", "/v2.1/os-hosts/host1", e.admin, map[string]any{}, "OpenStack-API-Version", v242)
	if r.Status != 200 || len(r.Body) != 1 || r.Body["host"] != "host1" {
		t.Fatalf("empty update: %d %s", r.Status, r.Raw)
	}
	for _, action := range []string{"reboot", "shutdown", "startup"} {
		if msg := e.refused(t, "GET", "/v2.1/os-hosts/host1/"+action, e.admin, nil, 501, "OpenStack-API-Version", v242); msg != "The requested functionality is not supported." {
			t.Fatalf("%s: %s", action, msg)
		}
		if msg := e.refused(t, "GET", "/v2.1/os-hosts/nonexistent/"+action, e.admin, nil, 404, "OpenStack-API-Version", v242); msg != "Host 'nonexistent' is not mapped to any cell" {
			t.Fatalf("%s: %s", action, msg)
		}
	}
}

func TestHostsPolicyAndRemoval(t *testing.T) {
	e := hostsCloud(t)
	tok, _ := e.project(t, "alpha", "member")
	for _, c := range []struct{ method, path, rule string }{
		{"GET", "/v2.1/os-hosts", "list"}, {"GET", "/v2.1/os-hosts/host1", "show"},
		{"PUT", "/v2.1/os-hosts/host1", "update"}, {"GET", "/v2.1/os-hosts/host1/reboot", "reboot"},
		{"GET", "/v2.1/os-hosts/host1/shutdown", "shutdown"}, {"GET", "/v2.1/os-hosts/host1/startup", "start"},
	} {
		var body any
		if c.method == "PUT" {
			body = map[string]any{"status": "enable"}
		}
		if msg := e.refused(t, c.method, c.path, tok, body, 403, "OpenStack-API-Version", v242); msg != "Policy doesn't allow os_compute_api:os-hosts:"+c.rule+" to be performed." {
			t.Fatalf("%s %s: %s", c.method, c.path, msg)
		}
		if msg := e.refused(t, c.method, c.path, e.admin, body, 404, "OpenStack-API-Version", "compute 2.43"); msg != "The resource could not be found." {
			t.Fatalf("%s %s at 2.43: %s", c.method, c.path, msg)
		}
	}
}
