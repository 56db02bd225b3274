package compute_test

import (
	"context"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/availabilityzones"

	"github.com/monostack/monostack/internal/computerpc"
)

func TestAvailabilityZones(t *testing.T) {
	e := startInfra(t)
	e.node(t, "c1")
	e.node(t, "c2")
	e.node(t, "c3")
	e.controller(t, computerpc.ConductorService, "ctl")
	e.beat(computerpc.ServiceName, "c1")
	e.beat(computerpc.ConductorService, "ctl")
	agg := e.do(t, "POST", "/v2.1/os-aggregates", e.admin, map[string]any{"aggregate": map[string]any{"name": "a", "availability_zone": "az2"}})
	id := itoa(int(agg.Body["aggregate"].(map[string]any)["id"].(float64)))
	e.do(t, "POST", "/v2.1/os-aggregates/"+id+"/action", e.admin, map[string]any{"add_host": map[string]any{"host": "c2"}})
	agg = e.do(t, "POST", "/v2.1/os-aggregates", e.admin, map[string]any{"aggregate": map[string]any{"name": "b", "availability_zone": "az3"}})
	id = itoa(int(agg.Body["aggregate"].(map[string]any)["id"].(float64)))
	e.do(t, "POST", "/v2.1/os-aggregates/"+id+"/action", e.admin, map[string]any{"add_host": map[string]any{"host": "c3"}})
	e.do(t, "PUT", "/v2.1/os-services/disable", e.admin, map[string]any{"host": "c3", "binary": "nova-compute"})

	// Any project may list the zones: available ones (an enabled service,
	// up or down), then those with only disabled services; no internal zone.
	tok, _ := e.project(t, "p1", "member")
	r := e.do(t, "GET", "/v2.1/os-availability-zone", tok, nil)
	want := `{"availabilityZoneInfo":[{"hosts":null,"zoneName":"az2","zoneState":{"available":true}},{"hosts":null,"zoneName":"nova","zoneState":{"available":true}},{"hosts":null,"zoneName":"az3","zoneState":{"available":false}}]}`
	if r.Status != 200 || string(mustJSON(r.Body)) != want {
		t.Fatalf("list: %d %s", r.Status, r.Raw)
	}

	pages, err := availabilityzones.ListDetail(e.gc(e.admin, "2.1")).AllPages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	zones, err := availabilityzones.ExtractAvailabilityZones(pages)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]availabilityzones.AvailabilityZone{}
	for _, z := range zones {
		byName[z.ZoneName] = z
	}
	if len(zones) != 4 || byName["az3"].Hosts != nil || !byName["internal"].ZoneState.Available {
		t.Fatalf("detail zones: %+v", zones)
	}
	c1 := byName["nova"].Hosts["c1"]["nova-compute"]
	c2 := byName["az2"].Hosts["c2"]["nova-compute"]
	ctl := byName["internal"].Hosts["ctl"]["nova-conductor"]
	if !c1.Available || !c1.Active || c2.Available || !c2.Active || !ctl.Available || c1.UpdatedAt.IsZero() {
		t.Fatalf("detail hosts: %+v %+v %+v", c1, c2, ctl)
	}
	if msg := e.refused(t, "GET", "/v2.1/os-availability-zone/detail", tok, nil, 403); msg != "Policy doesn't allow os_compute_api:os-availability-zone:detail to be performed." {
		t.Fatal(msg)
	}
}
