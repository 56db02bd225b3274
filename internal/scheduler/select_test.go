package scheduler

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestSelectSteps(t *testing.T) {
	cases := []struct {
		name   string
		spec   RequestSpec
		change func(hs []HostState)
		want   []string
		record []Rejection
	}{
		{"ignore hosts any case", RequestSpec{IgnoreHosts: []string{"HOST1", "host3"}}, nil,
			[]string{"host2"}, []Rejection{{"IgnoreHosts", []string{"host1", "host3"}}}},
		{"forced host skips filters", RequestSpec{ForceHost: "Host2", AvailabilityZone: "elsewhere"},
			func(hs []HostState) { hs[1].Enabled = false }, []string{"host2"},
			[]Rejection{{"ForcedHost", []string{"host1", "host3"}}}},
		{"forced node", RequestSpec{ForceNode: "node3"}, func(hs []HostState) { hs[2].HypervisorHostname = "node3" },
			[]string{"host3"}, []Rejection{{"ForcedHost", []string{"host1", "host2"}}}},
		{"forced host ignored", RequestSpec{ForceHost: "host1", IgnoreHosts: []string{"host1"}}, nil,
			[]string{}, []Rejection{{"IgnoreHosts", []string{"host1"}}, {"ForcedHost", []string{"host2", "host3"}}}},
		{"requested host still filtered", RequestSpec{RequestedHost: "host2"}, func(hs []HostState) { hs[1].Up = false },
			[]string{}, []Rejection{{"RequestedDestination", []string{"host1", "host3"}}, {"ComputeFilter", []string{"host2"}}}},
		{"requested node, then ignore hosts", RequestSpec{RequestedNode: "host2", IgnoreHosts: []string{"host2"}}, nil,
			[]string{}, []Rejection{{"RequestedDestination", []string{"host1", "host3"}}, {"IgnoreHosts", []string{"host2"}}}},
		{"filters in order, stop when empty", RequestSpec{AvailabilityZone: "az2", DifferentHost: []string{"host2"}},
			func(hs []HostState) { hs[1].AvailabilityZone = "az2"; hs[2].Enabled = false },
			[]string{}, []Rejection{{"AvailabilityZoneFilter", []string{"host1", "host3"}}, {"DifferentHostFilter", []string{"host2"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hs := fleet(3)
			if tc.change != nil {
				tc.change(hs)
			}
			res := Select(tc.spec, hs, unweighed(DefaultConfig()))
			if got := names(res.Hosts); !slices.Equal(got, tc.want) {
				t.Fatalf("hosts %v, want %v", got, tc.want)
			}
			if !reflect.DeepEqual(res.Rejections, tc.record) {
				t.Fatalf("rejections %+v, want %+v", res.Rejections, tc.record)
			}
		})
	}
}

func TestSelectLeavesInputAlone(t *testing.T) {
	hs := fleet(3)
	before := names(hs)
	Select(RequestSpec{IgnoreHosts: []string{"host1"}}, hs, DefaultConfig())
	if !slices.Equal(names(hs), before) {
		t.Fatalf("input changed to %v", names(hs))
	}
}

// placeAll places n instances one by one as the conductor does.
func placeAll(t *testing.T, spec RequestSpec, hs []HostState, n int) ([]string, Result) {
	t.Helper()
	var placed []string
	for range n {
		res := Select(spec, hs, DefaultConfig())
		if len(res.Hosts) == 0 {
			return placed, res
		}
		placed = append(placed, res.Hosts[0].Host)
		if !ConsumeNode(hs, res.Hosts[0].NodeUUID, &spec) {
			t.Fatalf("no node %s", res.Hosts[0].NodeUUID)
		}
	}
	return placed, Result{}
}

func TestMultiCreateAntiAffinity(t *testing.T) {
	spec := RequestSpec{Flavor: Flavor{VCPUs: 1, MemoryMB: 512, RootGB: 1}, Group: &Group{Policy: "anti-affinity"}}
	placed, res := placeAll(t, spec, fleet(2), 3)
	slices.Sort(placed)
	if !slices.Equal(placed, []string{"host1", "host2"}) {
		t.Fatalf("placed %v, want one per host", placed)
	}
	if res.Reason() != "No valid host was found. ServerGroupAntiAffinityFilter removed host1, host2." ||
		res.UserMessage() != MsgNotEnoughHosts {
		t.Fatalf("third member: %q / %q", res.Reason(), res.UserMessage())
	}
}

func TestMultiCreateMaxServerPerHost(t *testing.T) {
	spec := RequestSpec{Flavor: Flavor{VCPUs: 1, MemoryMB: 512}, Group: &Group{Policy: "anti-affinity", MaxServerPerHost: 2}}
	placed, _ := placeAll(t, spec, fleet(2), 5)
	if len(placed) != 4 || strings.Count(strings.Join(placed, " "), "host1") != 2 {
		t.Fatalf("placed %v, want two on each host", placed)
	}
}

func TestMultiCreateAffinity(t *testing.T) {
	spec := RequestSpec{Flavor: Flavor{VCPUs: 4, MemoryMB: 2048}, Group: &Group{Policy: "affinity"}}
	placed, _ := placeAll(t, spec, fleet(3), 3)
	if len(placed) != 3 || placed[1] != placed[0] || placed[2] != placed[0] {
		t.Fatalf("placed %v, want one host", placed)
	}
}

func TestMultiCreateSpreadsByConsumedRAM(t *testing.T) {
	spec := RequestSpec{Flavor: Flavor{VCPUs: 1, MemoryMB: 4096, RootGB: 10}}
	placed, _ := placeAll(t, spec, fleet(2), 2)
	if len(placed) != 2 || placed[0] == placed[1] {
		t.Fatalf("placed %v, want the second on the emptier host", placed)
	}
}

func TestConsume(t *testing.T) {
	h := fleet(1)[0]
	spec := RequestSpec{Flavor: Flavor{VCPUs: 2, MemoryMB: 1024, RootGB: 10, EphemeralGB: 1, SwapMB: 100},
		Group: &Group{Policy: "soft-affinity"}}
	Consume(&h, &spec)
	if h.FreeVCPUs != 14 || h.FreeRAMMB != 7168 || h.FreeDiskGB != 88 || h.NumInstances != 1 || spec.Group.Hosts["host1"] != 1 {
		t.Fatalf("after consume: %+v, group %v", h, spec.Group.Hosts)
	}
	if ConsumeNode(fleet(1), "nope", &spec) {
		t.Fatal("consumed an unknown node")
	}
}

func TestValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, name := range DefaultFilters {
		if !Known(name) {
			t.Fatalf("default filter %s unknown", name)
		}
	}
	cases := map[string]func(c *Config){
		"scheduler host filter RamFilter could not be found (Nova's SchedulerHostFilterNotFound)": func(c *Config) { c.EnabledFilters = append(c.EnabledFilters, "RamFilter") },
		"host subset size must be at least 1, not 0":                                              func(c *Config) { c.HostSubsetSize = 0 },
		"soft affinity weight multipliers must not be negative":                                   func(c *Config) { c.SoftAntiAffinityWeightMultiplier = -1 },
		"max attempts must be at least 1, not 0":                                                  func(c *Config) { c.MaxAttempts = 0 },
		"max placement results must be at least 1, not 0":                                         func(c *Config) { c.MaxPlacementResults = 0 },
	}
	for want, change := range cases {
		cfg := DefaultConfig()
		change(&cfg)
		if err := cfg.Validate(); err == nil || err.Error() != want {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}

func TestSelectSkipsUnknownFilters(t *testing.T) {
	cfg := DefaultConfig()
	cfg.EnabledFilters = []string{"RamFilter", "ComputeFilter"}
	hs := fleet(2)
	hs[0].Up = false
	res := Select(RequestSpec{}, hs, cfg)
	if got := names(res.Hosts); !slices.Equal(got, []string{"host2"}) || len(res.Rejections) != 1 {
		t.Fatalf("hosts %v rejections %+v", got, res.Rejections)
	}
}
