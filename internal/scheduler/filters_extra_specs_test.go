package scheduler

import "testing"

func TestAggregateInstanceExtraSpecsFilter(t *testing.T) {
	specs := func(kv ...string) RequestSpec {
		return RequestSpec{Flavor: Flavor{ExtraSpecs: agg(kv...).Metadata}}
	}
	ssdOn2 := func(hs []HostState) { hs[1].Aggregates = []Aggregate{agg("ssd", "true", "gen", "5")} }
	runFilterCases(t, "AggregateInstanceExtraSpecsFilter", []filterCase{
		{"no extra specs", specs(), ssdOn2, all3},
		{"scoped", specs("aggregate_instance_extra_specs:ssd", "true"), ssdOn2, []string{"host2"}},
		{"unscoped", specs("ssd", "true"), ssdOn2, []string{"host2"}},
		{"other scopes ignored", specs("hw:cpu_policy", "shared", "capabilities:x", "y"), nil, all3},
		{"value differs", specs("ssd", "false"), ssdOn2, []string{}},
		{"operator", specs("aggregate_instance_extra_specs:gen", ">= 4"), ssdOn2, []string{"host2"}},
		{"operator fails", specs("aggregate_instance_extra_specs:gen", ">= 6"), ssdOn2, []string{}},
		{"comma list in metadata", specs("tier", "<or> gold <or> silver"), func(hs []HostState) {
			hs[0].Aggregates = []Aggregate{agg("tier", "bronze, silver")}
			hs[2].Aggregates = []Aggregate{agg("tier", "bronze")}
		}, []string{"host1"}},
		{"any aggregate may match", specs("ssd", "true"), func(hs []HostState) {
			hs[2].Aggregates = []Aggregate{agg("ssd", "false"), agg("ssd", "true")}
		}, []string{"host3"}},
		{"every spec must match", specs("ssd", "true", "gen", "s== 4"), ssdOn2, []string{}},
	})
}

func TestComputeCapabilitiesFilter(t *testing.T) {
	specs := func(kv ...string) RequestSpec {
		return RequestSpec{Flavor: Flavor{ExtraSpecs: agg(kv...).Metadata}}
	}
	cpu := func(hs []HostState) {
		hs[0].CPUInfo = `{"arch": "x86_64", "features": ["avx", "avx2"], "topology": {"cores": 4}}`
		hs[1].CPUInfo = `{"arch": "aarch64", "features": ["neon"], "topology": {"cores": 2}}`
		hs[2].CPUInfo = "not json"
	}
	runFilterCases(t, "ComputeCapabilitiesFilter", []filterCase{
		{"no extra specs", specs(), cpu, all3},
		{"hypervisor type", specs("capabilities:hypervisor_type", "s== fake"), func(hs []HostState) { hs[0].HypervisorType = "QEMU" },
			[]string{"host2", "host3"}},
		{"cpu_info arch", specs("capabilities:cpu_info:arch", "x86_64"), cpu, []string{"host1"}},
		{"cpu_info features", specs("capabilities:cpu_info:features", "<in> avx2"), cpu, []string{"host1"}},
		{"nested number", specs("capabilities:cpu_info:topology:cores", ">= 2"), cpu, []string{"host1", "host2"}},
		{"missing capability fails", specs("capabilities:nothing", "x"), nil, []string{}},
		{"unscoped attribute", specs("free_ram_mb", ">= 4096"), func(hs []HostState) { hs[1].FreeRAMMB = 1024 },
			[]string{"host1", "host3"}},
		{"unscoped unknown key ignored", specs("whatever", "x", "hw:cpu_policy", "dedicated"), nil, all3},
		{"stats", specs("capabilities:rack", "r1"), func(hs []HostState) { hs[2].Stats = map[string]string{"rack": "r1"} },
			[]string{"host3"}},
	})
}

func TestPyStr(t *testing.T) {
	cases := map[string]string{
		`"x"`: "x", `1`: "1", `1.5`: "1.5", `1e3`: "1000.0", `true`: "True",
		`["a", 1, false]`: "['a', 1, False]", `{"b": "x", "a": [1]}`: "{'a': [1], 'b': 'x'}",
	}
	for in, want := range cases {
		got, ok := capability(&HostState{CPUInfo: `{"v": ` + in + `}`}, []string{"cpu_info", "v"})
		if s := pyStr(got, false); !ok || s != want {
			t.Errorf("pyStr(%s) = %q, want %q", in, s, want)
		}
	}
}

func TestCapabilityNullFails(t *testing.T) {
	if _, ok := capability(&HostState{CPUInfo: `{"v": null}`}, []string{"cpu_info", "v"}); ok {
		t.Fatal("a null capability was found")
	}
}
