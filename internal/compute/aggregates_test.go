package compute_test

import (
	"context"
	"slices"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/aggregates"

	"github.com/monostack/monostack/internal/compute"
)

func TestAggregatesLifecycle(t *testing.T) {
	e := startInfra(t)
	n1 := e.node(t, "c1")
	ctx := context.Background()
	client := e.gc(e.admin, "2.41")

	agg, err := aggregates.Create(ctx, client, aggregates.CreateOpts{Name: "agg1", AvailabilityZone: "az2"}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if agg.Name != "agg1" || agg.AvailabilityZone != "az2" || len(agg.UUID) != 36 || agg.CreatedAt.IsZero() {
		t.Fatalf("created: %+v", agg)
	}
	agg, err = aggregates.AddHost(ctx, client, agg.ID, aggregates.AddHostOpts{Host: "c1"}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(agg.Hosts, []string{"c1"}) || agg.Metadata["availability_zone"] != "az2" {
		t.Fatalf("after add_host: %+v", agg)
	}
	// Membership is mirrored to the node's provider, for member_of.
	if aggs, _ := e.placement.ProviderAggregates(ctx, n1); !slices.Equal(aggs, []string{agg.UUID}) {
		t.Fatalf("placement aggregates: %v", aggs)
	}
	agg, err = aggregates.SetMetadata(ctx, client, agg.ID, aggregates.SetMetadataOpts{Metadata: map[string]any{"ssd": "true"}}).Extract()
	if err != nil || agg.Metadata["ssd"] != "true" || agg.UpdatedAt.IsZero() {
		t.Fatalf("set_metadata: %+v %v", agg, err)
	}
	agg, err = aggregates.SetMetadata(ctx, client, agg.ID, aggregates.SetMetadataOpts{Metadata: map[string]any{"ssd": nil, "gone": nil}}).Extract()
	if err != nil || len(agg.Metadata) != 1 {
		t.Fatalf("set_metadata null: %+v %v", agg, err)
	}
	agg, err = aggregates.Update(ctx, client, agg.ID, aggregates.UpdateOpts{Name: "agg-one", AvailabilityZone: "az3"}).Extract()
	if err != nil || agg.Name != "agg-one" || agg.AvailabilityZone != "az3" {
		t.Fatalf("update: %+v %v", agg, err)
	}
	pages, err := aggregates.List(client).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if list, _ := aggregates.ExtractAggregates(pages); len(list) != 1 || list[0].Name != "agg-one" {
		t.Fatalf("list: %+v", list)
	}
	if got := listed(t, e, "", "2.1")["c1/nova-compute"]["zone"]; got != "az3" {
		t.Fatalf("service zone: %v", got)
	}
	if _, err := aggregates.RemoveHost(ctx, client, agg.ID, aggregates.RemoveHostOpts{Host: "c1"}).Extract(); err != nil {
		t.Fatal(err)
	}
	if aggs, _ := e.placement.ProviderAggregates(ctx, n1); len(aggs) != 0 {
		t.Fatalf("placement aggregates after remove: %v", aggs)
	}
	if err := aggregates.Delete(ctx, client, agg.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if _, err := aggregates.Get(ctx, client, agg.ID).Extract(); err == nil {
		t.Fatal("deleted aggregate still shown")
	}
}

func TestAggregateShapes(t *testing.T) {
	e := startInfra(t)
	r := e.do(t, "POST", "/v2.1/os-aggregates", e.admin, map[string]any{"aggregate": map[string]any{"name": "a"}})
	a := r.Body["aggregate"].(map[string]any)
	want := []string{"availability_zone", "created_at", "deleted", "deleted_at", "id", "name", "updated_at"}
	if r.Status != 200 || len(a) != len(want) || a["availability_zone"] != nil || a["deleted"] != false || a["updated_at"] != nil {
		t.Fatalf("create at 2.1: %d %s", r.Status, r.Raw)
	}
	r = e.do(t, "GET", "/v2.1/os-aggregates/1", e.admin, nil, "OpenStack-API-Version", "compute 2.41")
	a = r.Body["aggregate"].(map[string]any)
	if len(a) != len(want)+3 || a["uuid"] == nil || len(a["hosts"].([]any)) != 0 {
		t.Fatalf("show at 2.41: %s", r.Raw)
	}
	r = e.do(t, "DELETE", "/v2.1/os-aggregates/1", e.admin, nil)
	if r.Status != 200 || len(r.Raw) != 0 {
		t.Fatalf("delete: %d %q", r.Status, r.Raw)
	}
}

func TestAggregateRefusals(t *testing.T) {
	e := startInfra(t)
	e.node(t, "c1")
	e.node(t, "c2")
	mk := func(name, zone string) string {
		body := map[string]any{"name": name}
		if zone != "" {
			body["availability_zone"] = zone
		}
		r := e.do(t, "POST", "/v2.1/os-aggregates", e.admin, map[string]any{"aggregate": body})
		if r.Status != 200 {
			t.Fatalf("create %s: %s", name, r.Raw)
		}
		return itoa(int(r.Body["aggregate"].(map[string]any)["id"].(float64)))
	}
	act := func(id string, body map[string]any) {
		if r := e.do(t, "POST", "/v2.1/os-aggregates/"+id+"/action", e.admin, body); r.Status != 200 {
			t.Fatalf("action %v: %s", body, r.Raw)
		}
	}
	a1, a2, a3 := mk("a1", "az1"), mk("a2", "az2"), mk("plain", "")
	act(a1, map[string]any{"add_host": map[string]any{"host": "c1"}})
	act(a3, map[string]any{"add_host": map[string]any{"host": "c2"}})
	if err := compute.InsertTestInstances(e.id.DB, []compute.TestInstance{{UUID: "5b1d3a2e-0000-4000-8000-000000000001",
		ProjectID: "p", UserID: "u", Name: "vm", VMState: "active", Host: "c2"}}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		method, path string
		body         map[string]any
		status       int
		msg          string
	}{
		{"POST", "/v2.1/os-aggregates", map[string]any{"aggregate": map[string]any{"name": "a1"}}, 409, "Aggregate a1 already exists."},
		{"POST", "/v2.1/os-aggregates", map[string]any{"aggregate": map[string]any{"name": " x"}}, 400, "An invalid 'name' value was provided. The name must be: printable characters. Can not start or end with whitespace."},
		{"POST", "/v2.1/os-aggregates", map[string]any{"aggregate": map[string]any{"name": "x", "availability_zone": "a:b"}}, 400, "Invalid input for field/attribute availability_zone. Value: a:b. 'a:b' is not valid under any of the given schemas"},
		{"POST", "/v2.1/os-aggregates", map[string]any{"aggregate": map[string]any{}}, 400, "Invalid input for field/attribute aggregate. Value: {}. 'name' is a required property"},
		{"PUT", "/v2.1/os-aggregates/" + a2, map[string]any{"aggregate": map[string]any{"name": "a1"}}, 409, "Aggregate a1 already exists."},
		{"PUT", "/v2.1/os-aggregates/" + a2, map[string]any{"aggregate": map[string]any{}}, 400, "Invalid input for field/attribute aggregate. Value: {}. {} is not valid under any of the given schemas"},
		{"PUT", "/v2.1/os-aggregates/" + a1, map[string]any{"aggregate": map[string]any{"availability_zone": nil}}, 400, "Cannot update aggregate " + a1 + ". Reason: Aggregate a1 does not support empty named availability zone."},
		{"PUT", "/v2.1/os-aggregates/" + a3, map[string]any{"aggregate": map[string]any{"availability_zone": "az9"}}, 400, "Cannot update aggregate " + a3 + ". Reason: One or more hosts contain instances in this zone."},
		{"GET", "/v2.1/os-aggregates/x", nil, 400, "Invalid input received: id must be an integer"},
		{"GET", "/v2.1/os-aggregates/99", nil, 404, "Aggregate 99 could not be found."},
		{"DELETE", "/v2.1/os-aggregates/" + a1, nil, 400, "Cannot remove host from aggregate " + a1 + ". Reason: Host aggregate is not empty."},
		{"POST", "/v2.1/os-aggregates/" + a2 + "/action", map[string]any{"add_host": map[string]any{"host": "c1"}}, 409, "Cannot add host to aggregate " + a2 + ". Reason: One or more hosts already in availability zone(s) ['az1']."},
		{"POST", "/v2.1/os-aggregates/" + a1 + "/action", map[string]any{"add_host": map[string]any{"host": "c1"}}, 409, "Aggregate " + a1 + " already has host c1."},
		{"POST", "/v2.1/os-aggregates/" + a2 + "/action", map[string]any{"add_host": map[string]any{"host": "nohost"}}, 404, "Compute host nohost could not be found."},
		{"POST", "/v2.1/os-aggregates/99/action", map[string]any{"add_host": map[string]any{"host": "c1"}}, 404, "Aggregate 99 could not be found."},
		{"POST", "/v2.1/os-aggregates/" + a2 + "/action", map[string]any{"remove_host": map[string]any{"host": "c1"}}, 404, "Cannot remove host c1 in aggregate " + a2},
		{"POST", "/v2.1/os-aggregates/" + a2 + "/action", map[string]any{"set_metadata": map[string]any{"metadata": map[string]any{"availability_zone": nil}}}, 400, "Cannot update metadata of aggregate " + a2 + ". Reason: Aggregate a2 does not support empty named availability zone."},
		{"POST", "/v2.1/os-aggregates/" + a3 + "/action", map[string]any{"set_metadata": map[string]any{"metadata": map[string]any{"availability_zone": "az1"}}}, 400, "Cannot update metadata of aggregate " + a3 + ". Reason: One or more hosts contain instances in this zone."},
		{"POST", "/v2.1/os-aggregates/" + a2 + "/action", map[string]any{"frob": map[string]any{}}, 400, "There is no such action: frob"},
		{"POST", "/v2.1/os-aggregates/" + a2 + "/action", map[string]any{"add_host": map[string]any{"host": "c1", "x": 1}}, 400, "Invalid input for field/attribute add_host. Value: {'host': 'c1', 'x': 1}. Additional properties are not allowed ('x' was unexpected)"},
	}
	for _, c := range cases {
		if msg := e.refused(t, c.method, c.path, e.admin, c.body, c.status); msg != c.msg {
			t.Errorf("%s %s %v: %q, want %q", c.method, c.path, c.body, msg, c.msg)
		}
	}
	tok, _ := e.project(t, "p1", "member")
	if msg := e.refused(t, "GET", "/v2.1/os-aggregates", tok, nil, 403); msg != "Policy doesn't allow os_compute_api:os-aggregates:index to be performed." {
		t.Fatal(msg)
	}
}
