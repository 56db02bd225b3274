package scheduler

import (
	"slices"
	"testing"
)

// filterCase runs one filter over three fresh hosts after change.
type filterCase struct {
	name   string
	spec   RequestSpec
	change func(hs []HostState)
	want   []string
}

func runFilterCases(t *testing.T, filter string, cases []filterCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hs := fleet(3)
			if tc.change != nil {
				tc.change(hs)
			}
			if got := passing(filter, tc.spec, hs); !slices.Equal(got, tc.want) {
				t.Fatalf("%s passed %v, want %v", filter, got, tc.want)
			}
		})
	}
}

var all3 = []string{"host1", "host2", "host3"}

func TestAvailabilityZoneFilter(t *testing.T) {
	runFilterCases(t, "AvailabilityZoneFilter", []filterCase{
		{"no zone asked", RequestSpec{}, func(hs []HostState) { hs[0].AvailabilityZone = "az2" }, all3},
		{"host zone", RequestSpec{AvailabilityZone: "az2"}, func(hs []HostState) { hs[1].AvailabilityZone = "az2" },
			[]string{"host2"}},
		{"default zone", RequestSpec{AvailabilityZone: "nova"}, func(hs []HostState) {
			hs[0].AvailabilityZone = ""
			hs[2].Aggregates = []Aggregate{agg("availability_zone", "az2")}
		}, []string{"host1", "host2"}},
		{"aggregate zone", RequestSpec{AvailabilityZone: "az3"}, func(hs []HostState) {
			hs[2].Aggregates = []Aggregate{agg("ssd", "true"), agg("availability_zone", "az3")}
		}, []string{"host3"}},
		{"unknown zone", RequestSpec{AvailabilityZone: "nowhere"}, nil, []string{}},
	})
}

func TestComputeFilter(t *testing.T) {
	runFilterCases(t, "ComputeFilter", []filterCase{
		{"all up", RequestSpec{}, nil, all3},
		{"disabled", RequestSpec{}, func(hs []HostState) { hs[0].Enabled = false }, []string{"host2", "host3"}},
		{"down", RequestSpec{}, func(hs []HostState) { hs[1].Up = false }, []string{"host1", "host3"}},
		{"forced down", RequestSpec{}, func(hs []HostState) { hs[2].ForcedDown = true }, []string{"host1", "host2"}},
	})
}

func TestServerGroupAntiAffinityFilter(t *testing.T) {
	group := func(policy string, max int, hosts map[string]int) RequestSpec {
		return RequestSpec{Group: &Group{Policy: policy, MaxServerPerHost: max, Hosts: hosts}}
	}
	runFilterCases(t, "ServerGroupAntiAffinityFilter", []filterCase{
		{"no group", RequestSpec{}, nil, all3},
		{"empty group", group("anti-affinity", 0, nil), nil, all3},
		{"one per host", group("anti-affinity", 0, map[string]int{"host1": 1, "host3": 1}), nil, []string{"host2"}},
		{"max 2 per host", group("anti-affinity", 2, map[string]int{"host1": 2, "host3": 1}), nil,
			[]string{"host2", "host3"}},
		{"other policy", group("affinity", 0, map[string]int{"host1": 1}), nil, all3},
		{"soft is not hard", group("soft-anti-affinity", 0, map[string]int{"host1": 1}), nil, all3},
	})
}

func TestServerGroupAffinityFilter(t *testing.T) {
	group := func(policy string, hosts map[string]int) RequestSpec {
		return RequestSpec{Group: &Group{Policy: policy, Hosts: hosts}}
	}
	runFilterCases(t, "ServerGroupAffinityFilter", []filterCase{
		{"first member anywhere", group("affinity", nil), nil, all3},
		{"with the others", group("affinity", map[string]int{"host3": 2}), nil, []string{"host3"}},
		{"other policy", group("anti-affinity", map[string]int{"host3": 1}), nil, all3},
		{"soft is not hard", group("soft-affinity", map[string]int{"host3": 1}), nil, all3},
	})
}

func TestSameAndDifferentHostFilters(t *testing.T) {
	runFilterCases(t, "SameHostFilter", []filterCase{
		{"no hint", RequestSpec{}, nil, all3},
		{"hinted host", RequestSpec{SameHost: []string{"host2"}}, nil, []string{"host2"}},
		{"hinted instances on no host", RequestSpec{SameHost: []string{}}, nil, []string{}},
	})
	runFilterCases(t, "DifferentHostFilter", []filterCase{
		{"no hint", RequestSpec{}, nil, all3},
		{"hinted hosts", RequestSpec{DifferentHost: []string{"host2", "host3"}}, nil, []string{"host1"}},
	})
}

func TestImagePropertiesFilter(t *testing.T) {
	props := func(kv ...string) RequestSpec {
		return RequestSpec{ImageProperties: agg(kv...).Metadata}
	}
	runFilterCases(t, "ImagePropertiesFilter", []filterCase{
		{"no properties", props(), nil, all3},
		{"fake hypervisor", props("img_hv_type", "fake"), func(hs []HostState) { hs[0].HypervisorType = "QEMU" },
			[]string{"host2", "host3"}},
		{"qemu any case", props("img_hv_type", "qemu"), func(hs []HostState) { hs[2].HypervisorType = "QEMU" },
			[]string{"host3"}},
		{"legacy hypervisor_type", props("hypervisor_type", "qemu"), func(hs []HostState) { hs[1].HypervisorType = "qemu" },
			[]string{"host2"}},
		{"new name wins", props("hypervisor_type", "qemu", "img_hv_type", "fake"), nil, all3},
		{"architecture alias", props("hw_architecture", "amd64"), func(hs []HostState) { hs[0].Architecture = "aarch64" },
			[]string{"host2", "host3"}},
		{"legacy architecture", props("architecture", "aarch64"), func(hs []HostState) { hs[0].Architecture = "aarch64" },
			[]string{"host1"}},
		{"vm mode hv is hvm", props("hw_vm_mode", "HV"), nil, all3},
		{"vm mode xen", props("vm_mode", "pv"), func(hs []HostState) {
			hs[1].SupportedInstances = []SupportedInstance{{"x86_64", "xen", "xen"}, {"x86_64", "xen", "hvm"}}
		}, []string{"host2"}},
		{"all three", props("hw_architecture", "x86_64", "img_hv_type", "xen", "hw_vm_mode", "hvm"), func(hs []HostState) {
			hs[1].SupportedInstances = []SupportedInstance{{"X86_64", "Xen", "HVM"}}
		}, []string{"host2"}},
	})
}

func TestImagePropertiesDefaultArchitecture(t *testing.T) {
	hs := fleet(2)
	hs[1].Architecture = "aarch64"
	cfg := unweighed(only("ImagePropertiesFilter"))
	cfg.ImagePropertiesDefaultArchitecture = "aarch64"
	if got := names(Select(RequestSpec{}, hs, cfg).Hosts); !slices.Equal(got, []string{"host2"}) {
		t.Fatalf("default architecture: %v", got)
	}
}
