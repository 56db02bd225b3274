package scheduler

import (
	"slices"
	"strings"
)

// Select picks hosts for one instance of spec, as Nova's
// get_filtered_hosts and get_weighed_hosts: narrow to a requested host or
// node, drop IgnoreHosts, keep only forced hosts or nodes (which skips the
// filters), run cfg.EnabledFilters in order until none is left, then
// weigh. hosts is only read; unknown filter names are skipped (Validate
// reports them).
func Select(spec RequestSpec, hosts []HostState, cfg Config) Result {
	res := Result{Candidates: len(hosts)}
	left := make([]*HostState, len(hosts))
	for i := range hosts {
		left[i] = &hosts[i]
	}
	step := func(name string, keep func(h *HostState) bool) {
		left = res.apply(name, left, keep)
	}
	if spec.RequestedHost != "" || spec.RequestedNode != "" {
		step("RequestedDestination", func(h *HostState) bool { return matchesNode(h, spec.RequestedHost, spec.RequestedNode) })
	}
	step("IgnoreHosts", func(h *HostState) bool { return !containsFold(spec.IgnoreHosts, h.Host) })
	if spec.ForceHost != "" || spec.ForceNode != "" {
		step("ForcedHost", func(h *HostState) bool { return matchesForced(h, spec.ForceHost, spec.ForceNode) })
		res.Hosts = orderHosts(&spec, left, &cfg)
		return res
	}
	call := &filterCall{spec: &spec, cfg: &cfg}
	for _, name := range cfg.EnabledFilters {
		f, ok := filters[name]
		if !ok || len(left) == 0 {
			continue
		}
		step(name, func(h *HostState) bool { return f(call, h) })
	}
	res.Hosts = orderHosts(&spec, left, &cfg)
	return res
}

// apply keeps the hosts keep accepts and records the others under name.
func (r *Result) apply(name string, hosts []*HostState, keep func(h *HostState) bool) []*HostState {
	kept := hosts[:0]
	var removed []string
	for _, h := range hosts {
		if keep(h) {
			kept = append(kept, h)
		} else {
			removed = append(removed, h.Host)
		}
	}
	if len(removed) > 0 {
		r.Rejections = append(r.Rejections, Rejection{Filter: name, Hosts: removed})
	}
	return kept
}

// matchesNode is 2.74's destination match: the host, and the node if given.
func matchesNode(h *HostState, host, node string) bool {
	return (host == "" || h.Host == host) && (node == "" || h.HypervisorHostname == node)
}

// matchesForced matches host names case-insensitively and nodes exactly,
// as Nova's _match_forced_hosts and _match_forced_nodes.
func matchesForced(h *HostState, host, node string) bool {
	return (host == "" || strings.EqualFold(h.Host, host)) && (node == "" || h.HypervisorHostname == node)
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}
