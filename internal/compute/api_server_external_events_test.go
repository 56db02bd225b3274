package compute_test

import (
	"testing"

	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/httpx"
)

func TestExternalEventsCodes(t *testing.T) {
	e := startServers(t)
	active := e.activeServer(t, "p1")
	noHost := e.activeServer(t, "p1", func(ti *compute.TestInstance) { ti.Host = "" })
	missing := httpx.NewUUID()
	body := map[string]any{"events": []any{
		map[string]any{"name": "network-changed", "server_uuid": active, "status": "failed"},
		map[string]any{"name": "network-vif-plugged", "server_uuid": active, "tag": "port-1"},
	}}
	r := e.do(t, "POST", "/v2.1/os-server-external-events", e.admin, body)
	if r.Status != 200 {
		t.Fatalf("accepted: %d %s", r.Status, r.Raw)
	}
	for _, ev := range r.Body["events"].([]any) {
		m := ev.(map[string]any)
		if m["code"] != 200.0 || m["status"] != "completed" || m["server_uuid"] != active {
			t.Fatalf("event %v", m)
		}
	}
	if tag := r.Body["events"].([]any)[1].(map[string]any)["tag"]; tag != "port-1" {
		t.Fatalf("tag %v", tag)
	}
	body = map[string]any{"events": []any{
		map[string]any{"name": "network-changed", "server_uuid": active},
		map[string]any{"name": "network-changed", "server_uuid": missing},
		map[string]any{"name": "network-changed", "server_uuid": noHost},
		map[string]any{"name": "power-update", "server_uuid": active},
		map[string]any{"name": "power-update", "server_uuid": active, "tag": "POWER_OFF"},
	}}
	r = e.do(t, "POST", "/v2.1/os-server-external-events", e.admin, body, "OpenStack-API-Version", "compute 2.76")
	if r.Status != 207 {
		t.Fatalf("mixed: %d %s", r.Status, r.Raw)
	}
	want := []float64{200, 404, 422, 400, 200}
	for n, ev := range r.Body["events"].([]any) {
		m := ev.(map[string]any)
		status := "failed"
		if want[n] == 200 {
			status = "completed"
		}
		if m["code"] != want[n] || m["status"] != status {
			t.Fatalf("event %d: %v", n, m)
		}
	}
	acts := e.do(t, "GET", "/v2.1/servers/"+active+"/os-instance-actions", e.admin, nil)
	if list := acts.Body["instanceActions"].([]any); len(list) != 1 || list[0].(map[string]any)["action"] != "stop" {
		t.Fatalf("actions: %s", acts.Raw)
	}
}

func TestExternalEventsValidationAndPolicy(t *testing.T) {
	e := startServers(t)
	id := e.activeServer(t, "p1")
	cases := []struct {
		mv   string
		body any
		msg  string
	}{
		{"2.1", map[string]any{}, "'events' is a required property"},
		{"2.1", map[string]any{"events": []any{}}, "Invalid input for field/attribute events. Value: []. [] should be non-empty"},
		{"2.1", map[string]any{"events": []any{map[string]any{"name": "network-changed"}}}, "Invalid input for field/attribute 0. Value: {'name': 'network-changed'}. 'server_uuid' is a required property"},
		{"2.1", map[string]any{"events": []any{map[string]any{"name": "volume-extended", "server_uuid": id}}},
			"Invalid input for field/attribute name. Value: volume-extended. 'volume-extended' is not one of ['network-changed', 'network-vif-plugged', 'network-vif-unplugged', 'network-vif-deleted']"},
		{"2.51", map[string]any{"events": []any{map[string]any{"name": "network-changed", "server_uuid": "nope"}}}, "Invalid input for field/attribute server_uuid. Value: nope. 'nope' is not a 'uuid'"},
		{"2.51", map[string]any{"events": []any{map[string]any{"name": "network-changed", "server_uuid": id, "status": "done"}}},
			"Invalid input for field/attribute status. Value: done. 'done' is not one of ['failed', 'completed', 'in-progress']"},
		{"2.51", map[string]any{"events": []any{map[string]any{"name": "network-changed", "server_uuid": id, "x": 1}}},
			"Invalid input for field/attribute 0. Value: {'name': 'network-changed', 'server_uuid': '" + id + "', 'x': 1}. Additional properties are not allowed ('x' was unexpected)"},
	}
	for _, c := range cases {
		if msg := e.refused(t, "POST", "/v2.1/os-server-external-events", e.admin, c.body, 400, "OpenStack-API-Version", "compute "+c.mv); msg != c.msg {
			t.Fatalf("%v: %s", c.body, msg)
		}
	}
	tok, _ := e.project(t, "alpha", "member")
	body := map[string]any{"events": []any{map[string]any{"name": "network-changed", "server_uuid": id}}}
	if msg := e.refused(t, "POST", "/v2.1/os-server-external-events", tok, body, 403); msg != "Policy doesn't allow os_compute_api:os-server-external-events:create to be performed." {
		t.Fatal(msg)
	}
}
