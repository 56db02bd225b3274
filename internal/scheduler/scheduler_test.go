package scheduler

import (
	"fmt"
	"slices"
	"testing"
)

func hosts(n int) []HostState {
	out := make([]HostState, n)
	for i := range out {
		out[i] = HostState{Host: fmt.Sprintf("host%d", i+1), HypervisorType: "fake", AvailabilityZone: "nova",
			Enabled: true, Up: true, FreeVCPUs: 16, FreeRAMMB: 8192, FreeDiskGB: 100}
	}
	return out
}

func names(hs []HostState) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Host)
	}
	return out
}

func TestFilters(t *testing.T) {
	cases := []struct {
		name   string
		spec   RequestSpec
		change func(hs []HostState)
		want   []string
		filter string
	}{
		{"zone", RequestSpec{AvailabilityZone: "az2"}, func(hs []HostState) { hs[1].AvailabilityZone = "az2" },
			[]string{"host2"}, "AvailabilityZoneFilter"},
		{"down and disabled", RequestSpec{}, func(hs []HostState) { hs[0].Up = false; hs[2].Enabled = false },
			[]string{"host2"}, "ComputeFilter"},
		{"image hypervisor type", RequestSpec{ImageProperties: map[string]string{"img_hv_type": "qemu"}},
			func(hs []HostState) { hs[2].HypervisorType = "QEMU" }, []string{"host3"}, "ImagePropertiesFilter"},
		{"image architecture", RequestSpec{ImageProperties: map[string]string{"hw_architecture": "aarch64"}},
			func(hs []HostState) { hs[0].Architecture = "aarch64" }, []string{"host1"}, "ImagePropertiesFilter"},
		{"aggregate extra specs", RequestSpec{Flavor: Flavor{ExtraSpecs: map[string]string{
			"aggregate_instance_extra_specs:ssd": "true", "hw:cpu_policy": "dedicated"}}},
			func(hs []HostState) {
				hs[1].Aggregates = []Aggregate{{Name: "fast", Metadata: map[string]string{"ssd": "true"}}}
			},
			[]string{"host2"}, "AggregateInstanceExtraSpecsFilter"},
		{"anti-affinity", RequestSpec{Group: &Group{Policy: "anti-affinity", Hosts: map[string]int{"host1": 1, "host3": 1}}},
			nil, []string{"host2"}, "ServerGroupAntiAffinityFilter"},
		{"anti-affinity max per host", RequestSpec{Group: &Group{Policy: "anti-affinity", MaxServerPerHost: 2,
			Hosts: map[string]int{"host1": 2, "host3": 1}}}, nil, []string{"host2", "host3"}, "ServerGroupAntiAffinityFilter"},
		{"affinity", RequestSpec{Group: &Group{Policy: "affinity", Hosts: map[string]int{"host3": 1}}},
			nil, []string{"host3"}, "ServerGroupAffinityFilter"},
		{"same host", RequestSpec{SameHost: []string{"host2"}}, nil, []string{"host2"}, "SameHostFilter"},
		{"different host", RequestSpec{DifferentHost: []string{"host2"}}, nil, []string{"host1", "host3"}, "DifferentHostFilter"},
		{"retry", RequestSpec{IgnoreHosts: []string{"host1", "host2"}}, nil, []string{"host3"}, "RetryFilter"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hs := hosts(3)
			if tc.change != nil {
				tc.change(hs)
			}
			res := Select(tc.spec, hs, DefaultConfig())
			got := names(res.Hosts)
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("hosts %v, want %v (rejections %+v)", got, tc.want, res.Rejections)
			}
			if !slices.ContainsFunc(res.Rejections, func(r Rejection) bool { return r.Filter == tc.filter }) {
				t.Fatalf("no rejection by %s: %+v", tc.filter, res.Rejections)
			}
		})
	}
}

func TestForcedHostBypassesFilters(t *testing.T) {
	hs := hosts(3)
	hs[1].Enabled = false
	res := Select(RequestSpec{ForceHost: "host2", AvailabilityZone: "elsewhere"}, hs, DefaultConfig())
	if !slices.Equal(names(res.Hosts), []string{"host2"}) {
		t.Fatalf("forced: %v", names(res.Hosts))
	}
}

func TestSpreadAndStack(t *testing.T) {
	hs := hosts(3)
	hs[0].FreeRAMMB, hs[1].FreeRAMMB, hs[2].FreeRAMMB = 1024, 8192, 4096
	if got := names(Select(RequestSpec{}, hs, DefaultConfig()).Hosts); !slices.Equal(got, []string{"host2", "host3", "host1"}) {
		t.Fatalf("spread: %v", got)
	}
	cfg := DefaultConfig()
	cfg.RAMWeightMultiplier = -1
	if got := names(Select(RequestSpec{}, hs, cfg).Hosts); !slices.Equal(got, []string{"host1", "host3", "host2"}) {
		t.Fatalf("stack: %v", got)
	}
}

func TestSoftPolicies(t *testing.T) {
	hs := hosts(3)
	g := &Group{Policy: "soft-anti-affinity", Hosts: map[string]int{"host1": 2, "host2": 1}}
	cfg := DefaultConfig()
	cfg.SoftAntiAffinityWeightMultiplier = 10
	if got := names(Select(RequestSpec{Group: g}, hs, cfg).Hosts); got[0] != "host3" || got[2] != "host1" {
		t.Fatalf("soft anti-affinity: %v", got)
	}
	g.Policy = "soft-affinity"
	cfg.SoftAffinityWeightMultiplier = 10
	if got := names(Select(RequestSpec{Group: g}, hs, cfg).Hosts); got[0] != "host1" {
		t.Fatalf("soft affinity: %v", got)
	}
}

func TestConsumeAccountsForEarlierChoices(t *testing.T) {
	hs := hosts(2)
	spec := RequestSpec{Flavor: Flavor{VCPUs: 2, MemoryMB: 512, RootGB: 1}, Group: &Group{Policy: "anti-affinity"}}
	first := Select(spec, hs, DefaultConfig()).Hosts[0].Host
	for i := range hs {
		if hs[i].Host == first {
			Consume(&hs[i], &spec)
		}
	}
	res := Select(spec, hs, DefaultConfig())
	if len(res.Hosts) != 1 || res.Hosts[0].Host == first {
		t.Fatalf("second member: %v", names(res.Hosts))
	}
	Consume(&res.Hosts[0], &spec)
	res = Select(spec, hs, DefaultConfig())
	if len(res.Hosts) != 0 || res.Reason() != "ServerGroupAntiAffinityFilter removed host1, host2" {
		t.Fatalf("third member: %v, reason %q", names(res.Hosts), res.Reason())
	}
}

func TestMatchExtraSpec(t *testing.T) {
	cases := []struct {
		value, req string
		want       bool
	}{
		{"true", "true", true}, {"false", "true", false},
		{"4096", "= 2048", true}, {"1024", "= 2048", false},
		{"2", "== 2", true}, {"3", "!= 2", true}, {"3", ">= 4", false}, {"3", "<= 4", true},
		{"abc", "s== abc", true}, {"abd", "s> abc", true}, {"abb", "s< abc", true}, {"abc", "s!= abc", false},
		{"avx avx2 sse", "<in> avx2", true}, {"avx sse", "<all-in> avx sse", true}, {"avx", "<all-in> avx sse", false},
		{"b", "<or> a <or> b", true}, {"c", "<or> a <or> b", false},
	}
	for _, tc := range cases {
		if got := MatchExtraSpec(tc.value, tc.req); got != tc.want {
			t.Errorf("MatchExtraSpec(%q, %q) = %v", tc.value, tc.req, got)
		}
	}
}

func TestPlacementQuery(t *testing.T) {
	spec := RequestSpec{Flavor: Flavor{VCPUs: 2, MemoryMB: 2048, RootGB: 20, EphemeralGB: 5, SwapMB: 1500,
		ExtraSpecs: map[string]string{"resources:VCPU": "0", "resources:CUSTOM_GPU": "1",
			"trait:HW_CPU_X86_AVX2": "required", "trait:CUSTOM_SLOW": "forbidden"}},
		ImageProperties: map[string]string{"trait:COMPUTE_STATUS_DISABLED": "forbidden"}}
	q := PlacementQuery(spec, 10)
	if q.Resources["MEMORY_MB"] != 2048 || q.Resources["DISK_GB"] != 27 || q.Resources["CUSTOM_GPU"] != 1 {
		t.Fatalf("resources %v", q.Resources)
	}
	if _, ok := q.Resources["VCPU"]; ok {
		t.Fatalf("resources:VCPU=0 kept VCPU: %v", q.Resources)
	}
	slices.Sort(q.Required)
	if !slices.Equal(q.Required, []string{"!COMPUTE_STATUS_DISABLED", "!CUSTOM_SLOW", "HW_CPU_X86_AVX2"}) || q.Limit != 10 {
		t.Fatalf("required %v limit %d", q.Required, q.Limit)
	}
}

func BenchmarkSelect(b *testing.B) {
	hs := hosts(1000)
	for i := range hs {
		hs[i].FreeRAMMB = 1000 + i*7%5000
	}
	spec := RequestSpec{AvailabilityZone: "nova", Group: &Group{Policy: "anti-affinity", Hosts: map[string]int{"host5": 1}}}
	for b.Loop() {
		Select(spec, hs, DefaultConfig())
	}
}
