package scheduler

import (
	"fmt"
	"testing"
)

// BenchmarkSelect schedules one anti-affinity member in a zone over 1,000
// hosts with aggregates, every default filter and weigher on.
func BenchmarkSelect(b *testing.B) {
	hs := fleet(1000)
	for i := range hs {
		hs[i].FreeRAMMB = 1000 + i*7%5000
		hs[i].FreeVCPUs = i % 32
		hs[i].Aggregates = []Aggregate{agg("availability_zone", fmt.Sprintf("az%d", i%2), "ssd", "true")}
	}
	spec := RequestSpec{AvailabilityZone: "az1", Group: &Group{Policy: "anti-affinity", Hosts: map[string]int{"host6": 1}},
		Flavor:          Flavor{VCPUs: 1, MemoryMB: 512, ExtraSpecs: map[string]string{"capabilities:hypervisor_type": "fake"}},
		ImageProperties: map[string]string{"hw_architecture": "x86_64"}}
	cfg := DefaultConfig()
	cfg.EnabledFilters = append(cfg.EnabledFilters, "AggregateInstanceExtraSpecsFilter")
	spec.Flavor.ExtraSpecs["aggregate_instance_extra_specs:ssd"] = "true"
	for b.Loop() {
		if res := Select(spec, hs, cfg); len(res.Hosts) != 499 {
			b.Fatalf("%d hosts", len(res.Hosts))
		}
	}
}
