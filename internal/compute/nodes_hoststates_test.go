package compute_test

import (
	"context"
	"testing"

	placementapi "github.com/monostack/monostack/api/placement"
	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/computerpc"
)

func TestHostStatesForTheScheduler(t *testing.T) {
	e := startInfra(t, func(o *compute.Options) { o.ReservedHostMemoryMB = 512; o.CPUAllocationRatio = 2 })
	n1 := e.node(t, "c1")
	e.node(t, "c2")
	e.node(t, "c3")
	e.beat(computerpc.ServiceName, "c1")
	e.beat(computerpc.ServiceName, "c3")
	e.do(t, "PUT", "/v2.1/os-services/force-down", e.admin, map[string]any{"host": "c3", "binary": "nova-compute",
		"forced_down": true}, "OpenStack-API-Version", "compute 2.11")
	e.do(t, "PUT", "/v2.1/os-services/disable", e.admin, map[string]any{"host": "c2", "binary": "nova-compute"})
	agg := e.do(t, "POST", "/v2.1/os-aggregates", e.admin, map[string]any{"aggregate": map[string]any{"name": "fast", "availability_zone": "az2"}})
	id := itoa(int(agg.Body["aggregate"].(map[string]any)["id"].(float64)))
	e.do(t, "POST", "/v2.1/os-aggregates/"+id+"/action", e.admin, map[string]any{"add_host": map[string]any{"host": "c1"}})
	e.do(t, "POST", "/v2.1/os-aggregates/"+id+"/action", e.admin, map[string]any{"set_metadata": map[string]any{"metadata": map[string]any{"ssd": "true"}}})
	vm := "5b1d3a2e-0000-4000-8000-000000000001"
	if err := compute.InsertTestInstances(e.id.DB, []compute.TestInstance{{UUID: vm, ProjectID: "p", UserID: "u", Name: "vm",
		VMState: "active", Host: "c1"}}); err != nil {
		t.Fatal(err)
	}
	if err := e.placement.PutAllocations(context.Background(), vm, placementapi.AllocationsPut{ProjectID: "p", UserID: "u",
		Allocations: map[string]placementapi.Resources{n1: {Resources: map[string]int{"VCPU": 3, "MEMORY_MB": 1024, "DISK_GB": 10}}}}); err != nil {
		t.Fatal(err)
	}

	states, err := e.svc.HostStates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 3 {
		t.Fatalf("%d states", len(states))
	}
	h1, h2, h3 := states[0], states[1], states[2]
	if h1.Host != "c1" || h1.NodeUUID != n1 || !h1.Enabled || !h1.Up || h1.AvailabilityZone != "az2" ||
		h1.Architecture != "x86_64" || h1.HypervisorType != "fake" || h1.NumInstances != 1 {
		t.Fatalf("c1: %+v", h1)
	}
	// (8 − 0) × 2 − 3 VCPU; (16384 − 512) × 1 − 1024 MB; 100 − 10 GB.
	if h1.FreeVCPUs != 13 || h1.FreeRAMMB != 14848 || h1.FreeDiskGB != 90 {
		t.Fatalf("c1 free: %+v", h1)
	}
	if len(h1.Aggregates) != 1 || h1.Aggregates[0].Name != "fast" || h1.Aggregates[0].Metadata["ssd"] != "true" {
		t.Fatalf("c1 aggregates: %+v", h1.Aggregates)
	}
	if h2.Enabled || h2.Up || h2.AvailabilityZone != "nova" {
		t.Fatalf("c2 (disabled, silent): %+v", h2)
	}
	if !h3.Enabled || !h3.Up || !h3.ForcedDown {
		t.Fatalf("c3 (forced down while beating): %+v", h3)
	}
	if h1.Stats["num_instances"] != "1" || h1.Stats["num_vm_active"] != "1" || h1.Stats["num_proj_p"] != "1" ||
		h1.Stats["num_task_None"] != "1" || h1.Stats["io_workload"] != "0" || h1.HypervisorVersion != 1000 || h1.CPUInfo == "" {
		t.Fatalf("c1 stats: %+v", h1)
	}
	if !e.svc.ServiceUp("c1") || e.svc.ServiceUp("c2") || e.svc.ServiceUp("c3") {
		t.Fatal("serviceUp")
	}
}
