package compute_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/services"

	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/computerpc"
)

// listed returns GET /os-services's entries by host+binary.
func listed(t *testing.T, e *infraEnv, query, mv string) map[string]map[string]any {
	t.Helper()
	r := e.do(t, "GET", "/v2.1/os-services"+query, e.admin, nil, "OpenStack-API-Version", "compute "+mv)
	if r.Status != 200 {
		t.Fatalf("list: %d %s", r.Status, r.Raw)
	}
	out := map[string]map[string]any{}
	for _, s := range r.Body["services"].([]any) {
		m := s.(map[string]any)
		out[m["host"].(string)+"/"+m["binary"].(string)] = m
	}
	return out
}

func TestServicesListShowsHeartbeatState(t *testing.T) {
	e := startInfra(t)
	e.node(t, "c1")
	e.node(t, "c2")
	e.controller(t, computerpc.ConductorService, "ctl")
	e.beat(computerpc.ServiceName, "c1")
	e.beat(computerpc.ConductorService, "ctl")

	got := listed(t, e, "", "2.1")
	c1, c2, ctl := got["c1/nova-compute"], got["c2/nova-compute"], got["ctl/nova-conductor"]
	if c1["state"] != "up" || c2["state"] != "down" || ctl["state"] != "up" {
		t.Fatalf("states: %v %v %v", c1["state"], c2["state"], ctl["state"])
	}
	if c1["zone"] != "nova" || ctl["zone"] != "internal" || c1["status"] != "enabled" {
		t.Fatalf("zones/status: %v", got)
	}
	if _, isNum := c1["id"].(float64); !isNum {
		t.Fatalf("id before 2.53 must be an integer: %v", c1["id"])
	}
	if _, ok := c1["forced_down"]; ok {
		t.Fatalf("forced_down before 2.11: %v", c1)
	}
	if c1["updated_at"] != "2024-05-01T12:00:00.000000" || c1["disabled_reason"] != nil {
		t.Fatalf("updated_at/disabled_reason: %v", c1)
	}
	wantKeys := []string{"binary", "host", "id", "zone", "status", "state", "updated_at", "disabled_reason"}
	if len(c1) != len(wantKeys) {
		t.Fatalf("keys %v, want %v", c1, wantKeys)
	}

	// An agent that stops beating turns down within the window (60 s).
	e.clock.Advance(59 * time.Second)
	if listed(t, e, "", "2.1")["c1/nova-compute"]["state"] != "up" {
		t.Fatal("down too early")
	}
	e.clock.Advance(2 * time.Second)
	if listed(t, e, "", "2.1")["c1/nova-compute"]["state"] != "down" {
		t.Fatal("still up after the window")
	}

	// gophercloud at 2.53: uuid ids and forced_down.
	pages, err := services.List(e.gc(e.admin, "2.53"), services.ListOpts{Binary: "nova-compute"}).AllPages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	list, _ := services.ExtractServices(pages)
	if len(list) != 2 || len(list[0].ID) != 36 || list[0].Zone != "nova" {
		t.Fatalf("gophercloud list: %+v", list)
	}
}

func TestServicesFilters(t *testing.T) {
	e := startInfra(t)
	e.node(t, "c1")
	e.node(t, "c2")
	e.controller(t, computerpc.SchedulerService, "c1")
	if got := listed(t, e, "?host=c1", "2.1"); len(got) != 2 {
		t.Fatalf("host filter: %v", got)
	}
	if got := listed(t, e, "?host=c1&binary=nova-scheduler", "2.1"); len(got) != 1 || got["c1/nova-scheduler"]["zone"] != "internal" {
		t.Fatalf("host+binary filter: %v", got)
	}
	if got := listed(t, e, "?foo=bar", "2.74"); len(got) != 3 {
		t.Fatalf("unknown filters are ignored before 2.75: %v", got)
	}
	msg := e.refused(t, "GET", "/v2.1/os-services?foo=bar", e.admin, nil, 400, "OpenStack-API-Version", "compute 2.75")
	if msg != "Additional properties are not allowed ('foo' was unexpected)" {
		t.Fatal(msg)
	}
	tok, _ := e.project(t, "p1", "member")
	if msg := e.refused(t, "GET", "/v2.1/os-services", tok, nil, 403); msg != "Policy doesn't allow os_compute_api:os-services:list to be performed." {
		t.Fatal(msg)
	}
}

func TestServicesLegacyActions(t *testing.T) {
	e := startInfra(t)
	e.node(t, "c1")
	e.controller(t, computerpc.ConductorService, "ctl")
	hdr := []string{"OpenStack-API-Version", "compute 2.11"}
	put := func(action string, body map[string]any) *response {
		return e.do(t, "PUT", "/v2.1/os-services/"+action, e.admin, body, hdr...)
	}
	r := put("disable-log-reason", map[string]any{"host": "c1", "binary": "nova-compute", "disabled_reason": "maint"})
	if r.Status != 200 || string(mustJSON(r.Body)) != `{"service":{"binary":"nova-compute","disabled_reason":"maint","host":"c1","status":"disabled"}}` {
		t.Fatalf("disable-log-reason: %d %s", r.Status, r.Raw)
	}
	if got := listed(t, e, "", "2.11")["c1/nova-compute"]; got["status"] != "disabled" || got["disabled_reason"] != "maint" {
		t.Fatalf("after disable: %v", got)
	}
	r = put("enable", map[string]any{"host": "c1", "binary": "nova-compute"})
	if r.Status != 200 || string(mustJSON(r.Body)) != `{"service":{"binary":"nova-compute","host":"c1","status":"enabled"}}` {
		t.Fatalf("enable: %d %s", r.Status, r.Raw)
	}
	r = put("force-down", map[string]any{"host": "c1", "binary": "nova-compute", "forced_down": true})
	if r.Status != 200 || string(mustJSON(r.Body)) != `{"service":{"binary":"nova-compute","forced_down":true,"host":"c1"}}` {
		t.Fatalf("force-down: %d %s", r.Status, r.Raw)
	}
	e.beat(computerpc.ServiceName, "c1")
	if got := listed(t, e, "", "2.11")["c1/nova-compute"]; got["state"] != "down" || got["forced_down"] != true {
		t.Fatalf("forced down must show down: %v", got)
	}
	if e.svc.ServiceUp("c1") {
		t.Fatal("serviceUp of a forced-down host")
	}

	refusals := []struct {
		action string
		body   map[string]any
		mv     string
		status int
		msg    string
	}{
		{"disable-log-reason", map[string]any{"host": "c1", "binary": "nova-compute"}, "2.11", 400, "Missing disabled reason field"},
		{"force-down", map[string]any{"host": "c1", "binary": "nova-compute"}, "2.11", 400, "Missing forced_down field"},
		{"force-down", map[string]any{"host": "c1", "binary": "nova-compute"}, "2.10", 400, "Additional properties are not allowed ('forced_down' was unexpected)"},
		{"frobnicate", map[string]any{"host": "c1", "binary": "nova-compute"}, "2.11", 404, "Unknown action"},
		{"disable", map[string]any{"host": "ctl", "binary": "nova-conductor"}, "2.11", 400, "Updating a nova-conductor service is not supported. Only nova-compute services can be updated."},
		{"disable", map[string]any{"host": "nohost", "binary": "nova-compute"}, "2.11", 404, "Host 'nohost' is not mapped to any cell"},
		{"disable", map[string]any{"binary": "nova-compute"}, "2.11", 400, "'host' is a required property"},
		{"disable", map[string]any{"host": "a b", "binary": "nova-compute"}, "2.11", 400, "Invalid input for field/attribute host. Value: a b. 'a b' does not match '^[a-zA-Z0-9-._]*$'"},
		{"enable", map[string]any{"status": "enabled"}, "2.53", 400, "Invalid uuid enable"},
		{"enable", map[string]any{"host": "c1", "binary": "nova-compute"}, "2.53", 400, "Additional properties are not allowed ('binary', 'host' were unexpected)"},
	}
	for _, c := range refusals {
		if c.action == "force-down" && c.mv == "2.10" {
			c.body["forced_down"] = true
		}
		msg := e.refused(t, "PUT", "/v2.1/os-services/"+c.action, e.admin, c.body, c.status, "OpenStack-API-Version", "compute "+c.mv)
		if msg != c.msg {
			t.Errorf("%s %v: %q, want %q", c.action, c.body, msg, c.msg)
		}
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func TestServicesUpdateByUUID(t *testing.T) {
	e := startInfra(t)
	nodeUUID := e.node(t, "c1")
	e.controller(t, computerpc.ConductorService, "ctl")
	got := listed(t, e, "", "2.53")
	id, ctlID := got["c1/nova-compute"]["id"].(string), got["ctl/nova-conductor"]["id"].(string)

	client := e.gc(e.admin, "2.53")
	svc, err := services.Update(context.Background(), client, id, services.UpdateOpts{Status: services.ServiceDisabled,
		DisabledReason: "maintenance"}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if svc.Status != "disabled" || svc.DisabledReason != "maintenance" || svc.ID != id || svc.State != "down" {
		t.Fatalf("updated: %+v", svc)
	}
	// The node's provider carries COMPUTE_STATUS_DISABLED while disabled.
	if traits := providerTraits(t, e, nodeUUID); !contains(traits, "COMPUTE_STATUS_DISABLED") || !contains(traits, "COMPUTE_NET_ATTACH_INTERFACE") {
		t.Fatalf("traits when disabled: %v", traits)
	}
	r := e.do(t, "PUT", "/v2.1/os-services/"+id, e.admin, map[string]any{"status": "enabled", "forced_down": "yes"},
		"OpenStack-API-Version", "compute 2.53")
	s := r.Body["service"].(map[string]any)
	if r.Status != 200 || s["status"] != "enabled" || s["disabled_reason"] != nil || s["forced_down"] != true || s["zone"] != "nova" {
		t.Fatalf("enable+force: %d %s", r.Status, r.Raw)
	}
	if traits := providerTraits(t, e, nodeUUID); contains(traits, "COMPUTE_STATUS_DISABLED") {
		t.Fatalf("traits when enabled: %v", traits)
	}

	hdr := []string{"OpenStack-API-Version", "compute 2.53"}
	refusals := []struct {
		id     string
		body   map[string]any
		status int
		msg    string
	}{
		{"12", map[string]any{"status": "disabled"}, 400, "Invalid uuid 12"},
		{"3f0c1a42-7c61-4d53-9d59-2e1f6c1a0000", map[string]any{"status": "disabled"}, 404, "Service 3f0c1a42-7c61-4d53-9d59-2e1f6c1a0000 could not be found."},
		{ctlID, map[string]any{"status": "disabled"}, 400, "Updating a nova-conductor service is not supported. Only nova-compute services can be updated."},
		{id, map[string]any{"status": "enabled", "disabled_reason": "x"}, 400, "Specifying 'disabled_reason' with status 'enabled' is invalid."},
		{id, map[string]any{"disabled_reason": "x"}, 400, "No updates were requested. Fields 'status' or 'forced_down' should be specified."},
		{id, map[string]any{"status": "off"}, 400, "Invalid input for field/attribute status. Value: off. 'off' is not one of ['enabled', 'disabled']"},
		{id, map[string]any{"host": "c1"}, 400, "Additional properties are not allowed ('host' was unexpected)"},
	}
	for _, c := range refusals {
		if msg := e.refused(t, "PUT", "/v2.1/os-services/"+c.id, e.admin, c.body, c.status, hdr...); msg != c.msg {
			t.Errorf("%v: %q, want %q", c.body, msg, c.msg)
		}
	}
	tok, _ := e.project(t, "p1", "member")
	if msg := e.refused(t, "PUT", "/v2.1/os-services/"+id, tok, map[string]any{"status": "disabled"}, 403, hdr...); msg != "Policy doesn't allow os_compute_api:os-services:update to be performed." {
		t.Fatal(msg)
	}
}

func TestServicesForceUpRefusedWithDoneEvacuations(t *testing.T) {
	e := startInfra(t)
	e.node(t, "c1")
	if err := compute.InsertTestMigrations(e.id.DB, []compute.TestMigration{{ID: 1, UUID: "7a3c5d1e-0000-4000-8000-000000000001",
		InstanceUUID: "i-1", Type: "evacuation", Status: "done", SourceCompute: "c1", CreatedAt: 1, UpdatedAt: 1}}); err != nil {
		t.Fatal(err)
	}
	msg := e.refused(t, "PUT", "/v2.1/os-services/force-down", e.admin, map[string]any{"host": "c1",
		"binary": "nova-compute", "forced_down": false}, 400, "OpenStack-API-Version", "compute 2.11")
	if msg != "Unable to force up host c1 as `done` evacuation migration records remain associated with the host. Ensure the compute service has been restarted, allowing these records to move to `completed` before retrying this request." {
		t.Fatal(msg)
	}
}

func TestServicesDelete(t *testing.T) {
	e := startInfra(t)
	nodeUUID := e.node(t, "c1")
	e.node(t, "c2")
	e.controller(t, computerpc.ConductorService, "ctl")
	got := listed(t, e, "", "2.1")
	c1 := int(got["c1/nova-compute"]["id"].(float64))
	c2 := got["c2/nova-compute"]
	ctl := int(got["ctl/nova-conductor"]["id"].(float64))
	if err := compute.InsertTestInstances(e.id.DB, []compute.TestInstance{{UUID: "5b1d3a2e-0000-4000-8000-000000000001",
		ProjectID: "p", UserID: "u", Name: "vm", VMState: "active", Host: "c2"}}); err != nil {
		t.Fatal(err)
	}
	c2ID := itoa(int(c2["id"].(float64)))
	if msg := e.refused(t, "DELETE", "/v2.1/os-services/"+c2ID, e.admin, nil, 409); msg != "Unable to delete compute service that is hosting instances. Migrate or delete the instances first." {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "DELETE", "/v2.1/os-services/abc", e.admin, nil, 400); msg != "Invalid input received: id must be an integer" {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "DELETE", "/v2.1/os-services/999", e.admin, nil, 404); msg != "Service 999 not found." {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "DELETE", "/v2.1/os-services/999", e.admin, nil, 400, "OpenStack-API-Version", "compute 2.53"); msg != "Invalid uuid 999" {
		t.Fatal(msg)
	}
	agg := e.do(t, "POST", "/v2.1/os-aggregates", e.admin, map[string]any{"aggregate": map[string]any{"name": "a1"}})
	aggID := itoa(int(agg.Body["aggregate"].(map[string]any)["id"].(float64)))
	e.do(t, "POST", "/v2.1/os-aggregates/"+aggID+"/action", e.admin, map[string]any{"add_host": map[string]any{"host": "c1"}})

	if err := services.Delete(context.Background(), e.gc(e.admin, "2.1"), itoa(c1)).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if err := services.Delete(context.Background(), e.gc(e.admin, "2.1"), itoa(ctl)).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	after := listed(t, e, "", "2.1")
	if len(after) != 1 || after["c2/nova-compute"] == nil {
		t.Fatalf("after delete: %v", after)
	}
	show := e.do(t, "GET", "/v2.1/os-aggregates/"+aggID, e.admin, nil)
	if hosts := show.Body["aggregate"].(map[string]any)["hosts"].([]any); len(hosts) != 0 {
		t.Fatalf("deleted host stays in its aggregate: %v", hosts)
	}
	if _, err := e.placement.ProviderInventories(context.Background(), nodeUUID); err == nil {
		t.Fatal("the deleted node's resource provider remains")
	}
	if r := e.do(t, "GET", "/v2.1/os-hypervisors", e.admin, nil); len(r.Body["hypervisors"].([]any)) != 1 {
		t.Fatalf("the deleted node is still listed: %s", r.Raw)
	}
}

func providerTraits(t *testing.T, e *infraEnv, rp string) []string {
	t.Helper()
	r := e.placementDo(t, "GET", "/resource_providers/"+rp+"/traits")
	var out []string
	for _, v := range r["traits"].([]any) {
		out = append(out, v.(string))
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
