package scheduler

import (
	"math"
	"slices"
	"testing"
)

func TestResourceWeighers(t *testing.T) {
	cases := []struct {
		name           string
		ram, cpu, disk float64
		want           []string
	}{
		{"spread by ram", 1, 0, 0, []string{"host2", "host3", "host1"}},
		{"stack by ram", -1, 0, 0, []string{"host1", "host3", "host2"}},
		{"spread by cpu", 0, 1, 0, []string{"host3", "host1", "host2"}},
		{"stack by cpu", 0, -1, 0, []string{"host2", "host1", "host3"}},
		{"spread by disk", 0, 0, 1, []string{"host1", "host2", "host3"}},
		{"stack by disk", 0, 0, -1, []string{"host3", "host2", "host1"}},
		{"ram outweighs cpu", 10, 1, 0, []string{"host2", "host3", "host1"}},
		{"all off keeps order", 0, 0, 0, []string{"host1", "host2", "host3"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hs := fleet(3)
			hs[0].FreeRAMMB, hs[1].FreeRAMMB, hs[2].FreeRAMMB = 1024, 8192, 4096
			hs[0].FreeVCPUs, hs[1].FreeVCPUs, hs[2].FreeVCPUs = 8, 2, 12
			hs[0].FreeDiskGB, hs[1].FreeDiskGB, hs[2].FreeDiskGB = 300, 200, 100
			cfg := unweighed(DefaultConfig())
			cfg.RAMWeightMultiplier, cfg.CPUWeightMultiplier, cfg.DiskWeightMultiplier = tc.ram, tc.cpu, tc.disk
			if got := names(Select(RequestSpec{}, hs, cfg).Hosts); !slices.Equal(got, tc.want) {
				t.Fatalf("order %v, want %v", got, tc.want)
			}
		})
	}
}

func TestWeightsNormaliseFromZero(t *testing.T) {
	hs := fleet(3)
	hs[0].FreeRAMMB, hs[1].FreeRAMMB, hs[2].FreeRAMMB = 2048, 4096, -512
	cfg := unweighed(DefaultConfig())
	cfg.RAMWeightMultiplier = 2
	got := Weights(RequestSpec{}, hs, cfg)
	want := []float64{1, 2, 0} // free/max, negative clamped to 0, times 2
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-9 {
			t.Fatalf("weights %v, want %v", got, want)
		}
	}
	// From zero, equal free amounts are all at the maximum: 1 per weigher.
	if w := Weights(RequestSpec{}, fleet(3), DefaultConfig()); !slices.Equal(w, []float64{3, 3, 3}) {
		t.Fatalf("equal hosts weigh %v, want 3 each", w)
	}
}

func TestAggregateOverridesMultiplier(t *testing.T) {
	hs := fleet(2)
	hs[0].FreeRAMMB, hs[1].FreeRAMMB = 1024, 8192
	hs[1].Aggregates = []Aggregate{agg("ram_weight_multiplier", "-3"), agg("ram_weight_multiplier", "-1")}
	got := Weights(RequestSpec{}, hs, unweighed(DefaultConfig()))
	if got[0] != 0 || got[1] != -3 {
		t.Fatalf("weights %v, want [0 -3] (smallest aggregate value)", got)
	}
	hs[1].Aggregates = []Aggregate{agg("ram_weight_multiplier", "lots")}
	cfg := unweighed(DefaultConfig())
	cfg.RAMWeightMultiplier = 1
	if got := Weights(RequestSpec{}, hs, cfg); got[1] != 1 {
		t.Fatalf("bad aggregate value: weights %v, want the configured multiplier", got)
	}
}

func TestSoftGroupWeighers(t *testing.T) {
	cases := []struct {
		policy string
		want   []string
	}{
		{"soft-anti-affinity", []string{"host3", "host2", "host1"}},
		{"soft-affinity", []string{"host1", "host2", "host3"}},
		{"anti-affinity", []string{"host1", "host2", "host3"}},
	}
	for _, tc := range cases {
		t.Run(tc.policy, func(t *testing.T) {
			cfg := unweighed(DefaultConfig())
			cfg.EnabledFilters = nil
			cfg.SoftAffinityWeightMultiplier, cfg.SoftAntiAffinityWeightMultiplier = 1, 1
			spec := RequestSpec{Group: &Group{Policy: tc.policy, Hosts: map[string]int{"host1": 2, "host2": 1}}}
			if got := names(Select(spec, fleet(3), cfg).Hosts); !slices.Equal(got, tc.want) {
				t.Fatalf("order %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSoftAffinityAgainstSpread(t *testing.T) {
	hs := fleet(2)
	hs[0].FreeRAMMB, hs[1].FreeRAMMB = 4096, 8192
	spec := RequestSpec{Group: &Group{Policy: "soft-affinity", Hosts: map[string]int{"host1": 1}}}
	cfg := unweighed(DefaultConfig())
	cfg.RAMWeightMultiplier, cfg.SoftAffinityWeightMultiplier = 1, 1
	// host1: ram 0.5 + group 1; host2: ram 1 + group 0.
	if got := names(Select(spec, hs, cfg).Hosts); got[0] != "host1" {
		t.Fatalf("order %v, want host1 first", got)
	}
	cfg.SoftAffinityWeightMultiplier = 0.4
	if got := names(Select(spec, hs, cfg).Hosts); got[0] != "host2" {
		t.Fatalf("order %v, want host2 first with a weak multiplier", got)
	}
}

func TestHostSubsetSize(t *testing.T) {
	hs := fleet(4)
	for i := range hs {
		hs[i].FreeRAMMB = 8000 - 1000*i // host1 best … host4 worst
	}
	cfg := DefaultConfig()
	cfg.HostSubsetSize = 3
	cfg.RandIntN = func(n int) int {
		if n != 3 {
			t.Fatalf("picked among %d, want 3", n)
		}
		return 2
	}
	if got := names(Select(RequestSpec{}, hs, cfg).Hosts); !slices.Equal(got, []string{"host3", "host1", "host2", "host4"}) {
		t.Fatalf("order %v: chosen first, the rest best first", got)
	}
	cfg.HostSubsetSize = 10
	cfg.RandIntN = func(n int) int { return n - 1 }
	if got := names(Select(RequestSpec{}, hs, cfg).Hosts); got[0] != "host4" {
		t.Fatalf("subset larger than the hosts: %v", got)
	}
}

func TestShuffleBestSameWeighedHosts(t *testing.T) {
	hs := fleet(4)
	hs[3].FreeRAMMB = 1024
	cfg := DefaultConfig()
	cfg.ShuffleBestSameWeighedHosts = true
	var sizes []int
	cfg.RandIntN = func(n int) int { sizes = append(sizes, n); return 0 }
	got := names(Select(RequestSpec{}, hs, cfg).Hosts)
	if got[3] != "host4" || !slices.Equal(sizes, []int{3, 2}) {
		t.Fatalf("order %v, shuffle draws %v: only the three best tie", got, sizes)
	}
	if slices.Equal(got, []string{"host1", "host2", "host3", "host4"}) {
		t.Fatalf("ties were not shuffled: %v", got)
	}
}
