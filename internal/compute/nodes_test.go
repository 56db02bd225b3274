package compute_test

import (
	"context"
	"slices"
	"testing"

	placementapi "github.com/monostack/monostack/api/placement"
	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/computerpc"
)

func TestRegisterNodeRecordsNodeAndProvider(t *testing.T) {
	e := startInfra(t, func(o *compute.Options) { o.ReservedHostMemoryMB = 512 })
	ctx := context.Background()
	reply, err := e.svc.RegisterNode(ctx, computerpc.RegisterNode{Node: nodeInfo("c1")})
	if err != nil {
		t.Fatal(err)
	}
	rp := reply.NodeUUID
	inv, err := e.placement.ProviderInventories(ctx, rp)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]placementapi.Inventory{
		"VCPU":      {Total: 8, Reserved: 0, MinUnit: 1, MaxUnit: 8, StepSize: 1, AllocationRatio: 4.0},
		"MEMORY_MB": {Total: 16384, Reserved: 512, MinUnit: 1, MaxUnit: 16384, StepSize: 1, AllocationRatio: 1.0},
		"DISK_GB":   {Total: 100, Reserved: 0, MinUnit: 1, MaxUnit: 100, StepSize: 1, AllocationRatio: 1.0},
	}
	if len(inv) != 3 || inv["VCPU"] != want["VCPU"] || inv["MEMORY_MB"] != want["MEMORY_MB"] || inv["DISK_GB"] != want["DISK_GB"] {
		t.Fatalf("inventory: %+v", inv)
	}
	rpBody := e.placementDo(t, "GET", "/resource_providers/"+rp)
	if rpBody["name"] != "c1.example.org" {
		t.Fatalf("provider: %v", rpBody)
	}
	if traits := providerTraits(t, e, rp); !slices.Equal(traits, []string{"COMPUTE_NET_ATTACH_INTERFACE"}) {
		t.Fatalf("traits: %v", traits)
	}
	if got := listed(t, e, "", "2.1"); got["c1/nova-compute"] == nil {
		t.Fatalf("service not recorded: %v", got)
	}

	// A later registration keeps the node uuid and refreshes the inventory
	// and the provider's aggregates.
	agg := e.do(t, "POST", "/v2.1/os-aggregates", e.admin, map[string]any{"aggregate": map[string]any{"name": "a"}}, "OpenStack-API-Version", "compute 2.41")
	aggUUID := agg.Body["aggregate"].(map[string]any)["uuid"].(string)
	aggID := itoa(int(agg.Body["aggregate"].(map[string]any)["id"].(float64)))
	e.do(t, "POST", "/v2.1/os-aggregates/"+aggID+"/action", e.admin, map[string]any{"add_host": map[string]any{"host": "c1"}})
	if err := e.placement.SetProviderAggregates(ctx, rp, []string{}); err != nil {
		t.Fatal(err)
	}
	info := nodeInfo("c1")
	info.MemoryMB = 32768
	reply, err = e.svc.RegisterNode(ctx, computerpc.RegisterNode{Node: info})
	if err != nil || reply.NodeUUID != rp {
		t.Fatalf("re-register: %v %v", reply, err)
	}
	inv, _ = e.placement.ProviderInventories(ctx, rp)
	if inv["MEMORY_MB"].Total != 32768 || inv["MEMORY_MB"].MaxUnit != 32768 {
		t.Fatalf("inventory after re-register: %+v", inv)
	}
	if aggs, _ := e.placement.ProviderAggregates(ctx, rp); !slices.Equal(aggs, []string{aggUUID}) {
		t.Fatalf("aggregates after re-register: %v", aggs)
	}
}

func TestRegisterNodeDesiredIsTheHostsInstances(t *testing.T) {
	e := startInfra(t)
	err := compute.InsertTestInstances(e.id.DB, []compute.TestInstance{
		{UUID: "5b1d3a2e-0000-4000-8000-000000000001", ProjectID: "p", UserID: "u", Name: "a", VMState: "active", Host: "c1"},
		{UUID: "5b1d3a2e-0000-4000-8000-000000000002", ProjectID: "p", UserID: "u", Name: "b", VMState: "active", Host: "c2"},
		{UUID: "5b1d3a2e-0000-4000-8000-000000000003", ProjectID: "p", UserID: "u", Name: "c", VMState: "stopped", Host: "c1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	reply, err := e.svc.RegisterNode(context.Background(), computerpc.RegisterNode{Node: nodeInfo("c1")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, i := range reply.Desired {
		got = append(got, i.UUID)
	}
	if !slices.Equal(got, []string{"5b1d3a2e-0000-4000-8000-000000000001", "5b1d3a2e-0000-4000-8000-000000000003"}) {
		t.Fatalf("desired: %v", got)
	}
	if _, err := e.svc.RegisterNode(context.Background(), computerpc.RegisterNode{}); err == nil {
		t.Fatal("a node without a host was accepted")
	}
}
