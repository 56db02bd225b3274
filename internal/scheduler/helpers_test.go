package scheduler

import "fmt"

// fleet is n identical, healthy fake hosts host1..hostN.
func fleet(n int) []HostState {
	out := make([]HostState, n)
	for i := range out {
		name := fmt.Sprintf("host%d", i+1)
		out[i] = HostState{Host: name, NodeUUID: "uuid-" + name, HypervisorHostname: name, HypervisorType: "fake",
			AvailabilityZone: "nova", Enabled: true, Up: true, FreeVCPUs: 16, FreeRAMMB: 8192, FreeDiskGB: 100}
	}
	return out
}

func names(hs []HostState) []string {
	out := []string{}
	for _, h := range hs {
		out = append(out, h.Host)
	}
	return out
}

// only is DefaultConfig running just the named filter.
func only(filter string) Config {
	cfg := DefaultConfig()
	cfg.EnabledFilters = []string{filter}
	return cfg
}

// passing runs one filter over hosts in order and names the survivors.
func passing(filter string, spec RequestSpec, hosts []HostState) []string {
	return names(Select(spec, hosts, unweighed(only(filter))).Hosts)
}

// unweighed turns every weigher off so Select keeps the input order.
func unweighed(cfg Config) Config {
	cfg.RAMWeightMultiplier, cfg.CPUWeightMultiplier, cfg.DiskWeightMultiplier = 0, 0, 0
	cfg.SoftAffinityWeightMultiplier, cfg.SoftAntiAffinityWeightMultiplier = 0, 0
	return cfg
}

func agg(meta ...string) Aggregate {
	m := map[string]string{}
	for i := 0; i+1 < len(meta); i += 2 {
		m[meta[i]] = meta[i+1]
	}
	return Aggregate{ID: len(meta), Name: "agg", Metadata: m}
}
