package scheduler

import (
	"maps"
	"slices"
	"testing"
)

func TestPlacementQuery(t *testing.T) {
	flavor := Flavor{VCPUs: 2, MemoryMB: 2048, RootGB: 20, EphemeralGB: 5, SwapMB: 1500}
	with := func(f Flavor, kv ...string) Flavor { f.ExtraSpecs = agg(kv...).Metadata; return f }
	cases := []struct {
		name      string
		spec      RequestSpec
		resources map[string]int
		required  []string
	}{
		{"flavor", RequestSpec{Flavor: flavor}, map[string]int{"VCPU": 2, "MEMORY_MB": 2048, "DISK_GB": 27}, nil},
		{"swap rounds up", RequestSpec{Flavor: Flavor{VCPUs: 1, MemoryMB: 64, SwapMB: 1}},
			map[string]int{"VCPU": 1, "MEMORY_MB": 64, "DISK_GB": 1}, nil},
		{"zero disk omitted", RequestSpec{Flavor: Flavor{VCPUs: 1, MemoryMB: 64}}, map[string]int{"VCPU": 1, "MEMORY_MB": 64}, nil},
		{"boot from volume", RequestSpec{Flavor: flavor, BootFromVolume: true},
			map[string]int{"VCPU": 2, "MEMORY_MB": 2048, "DISK_GB": 7}, nil},
		{"overrides", RequestSpec{Flavor: with(flavor, "resources:VCPU", "0", "resources:DISK_GB", "50",
			"resources:CUSTOM_GPU", "1", "resources:BOGUS", "1", "resources:CUSTOM_NEG", "-1", "resources:CUSTOM_X", "x",
			"resources1:CUSTOM_GROUPED", "1")},
			map[string]int{"MEMORY_MB": 2048, "DISK_GB": 50, "CUSTOM_GPU": 1}, nil},
		{"traits", RequestSpec{Flavor: with(flavor, "trait:HW_CPU_X86_AVX2", "required", "trait:CUSTOM_SLOW", "forbidden",
			"trait:CUSTOM_ODD", "preferred", "trait1:CUSTOM_GROUPED", "required")},
			map[string]int{"VCPU": 2, "MEMORY_MB": 2048, "DISK_GB": 27},
			[]string{"HW_CPU_X86_AVX2", "!COMPUTE_STATUS_DISABLED", "!CUSTOM_SLOW"}},
		{"dedicated cpus", RequestSpec{Flavor: with(flavor, "hw:cpu_policy", "dedicated")},
			map[string]int{"PCPU": 2, "MEMORY_MB": 2048, "DISK_GB": 27}, nil},
		{"dedicated from image", RequestSpec{Flavor: flavor, ImageProperties: map[string]string{"hw_cpu_policy": "dedicated"}},
			map[string]int{"PCPU": 2, "MEMORY_MB": 2048, "DISK_GB": 27}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := PlacementQuery(tc.spec, 7)
			if !maps.Equal(q.Resources, tc.resources) {
				t.Fatalf("resources %v, want %v", q.Resources, tc.resources)
			}
			want := tc.required
			if want == nil {
				want = []string{"!COMPUTE_STATUS_DISABLED"}
			}
			if !slices.Equal(q.Required, want) || q.Limit != 7 {
				t.Fatalf("required %v limit %d, want %v", q.Required, q.Limit, want)
			}
		})
	}
}

func TestPlacementQueryImageTraits(t *testing.T) {
	spec := RequestSpec{Flavor: Flavor{VCPUs: 1, MemoryMB: 64}, InTree: "node-uuid",
		ImageProperties: map[string]string{"trait:CUSTOM_IMG": "required", "trait:CUSTOM_NOT": "forbidden"}}
	q := PlacementQuery(spec, 0)
	if !slices.Equal(q.Required, []string{"CUSTOM_IMG", "!COMPUTE_STATUS_DISABLED"}) || q.InTree != "node-uuid" {
		t.Fatalf("required %v in_tree %q: image traits are required-only", q.Required, q.InTree)
	}
}
