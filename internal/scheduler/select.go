package scheduler

import (
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
)

// Select filters hosts for spec and orders the survivors best first. A
// forced host (admin "az:host[:node]") bypasses the filters, as upstream.
func Select(spec RequestSpec, hosts []HostState, cfg Config) Result {
	var res Result
	left := make([]HostState, 0, len(hosts))
	var retried []string
	for _, h := range hosts {
		if slices.Contains(spec.IgnoreHosts, h.Host) {
			retried = append(retried, h.Host)
		} else {
			left = append(left, h)
		}
	}
	if len(retried) > 0 {
		res.Rejections = append(res.Rejections, Rejection{Filter: "RetryFilter", Hosts: retried})
	}
	if spec.ForceHost != "" || spec.ForceNode != "" {
		left = slices.DeleteFunc(left, func(h HostState) bool {
			return spec.ForceHost != "" && h.Host != spec.ForceHost ||
				spec.ForceNode != "" && h.HypervisorHostname != spec.ForceNode
		})
		res.Hosts = left
		return res
	}
	for _, name := range cfg.EnabledFilters {
		f, ok := filters[name]
		if !ok {
			continue
		}
		var kept []HostState
		var removed []string
		for i := range left {
			if f(&spec, &left[i]) {
				kept = append(kept, left[i])
			} else {
				removed = append(removed, left[i].Host)
			}
		}
		if len(removed) > 0 {
			res.Rejections = append(res.Rejections, Rejection{Filter: name, Hosts: removed})
		}
		left = kept
	}
	res.Hosts = weigh(spec, left, cfg)
	return res
}

// weigh orders hosts by their weighted, normalised scores, best first;
// with HostSubsetSize > 1 a random one of the top N goes first.
func weigh(spec RequestSpec, hosts []HostState, cfg Config) []HostState {
	if len(hosts) < 2 {
		return hosts
	}
	scores := make([]float64, len(hosts))
	for _, w := range weighers(spec, cfg) {
		if w.multiplier == 0 {
			continue
		}
		raw := make([]float64, len(hosts))
		for i := range hosts {
			raw[i] = w.weight(&hosts[i])
		}
		for i, n := range normalize(raw) {
			scores[i] += w.multiplier * n
		}
	}
	idx := make([]int, len(hosts))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		if scores[idx[a]] != scores[idx[b]] {
			return scores[idx[a]] > scores[idx[b]]
		}
		return hosts[idx[a]].Host < hosts[idx[b]].Host
	})
	out := make([]HostState, len(hosts))
	for i, j := range idx {
		out[i] = hosts[j]
	}
	if n := min(cfg.HostSubsetSize, len(out)); n > 1 {
		k := rand.IntN(n)
		out[0], out[k] = out[k], out[0]
	}
	return out
}

type weigher struct {
	multiplier float64
	weight     func(h *HostState) float64
}

func weighers(spec RequestSpec, cfg Config) []weigher {
	members := func(h *HostState) float64 {
		if spec.Group == nil {
			return 0
		}
		return float64(spec.Group.Hosts[h.Host])
	}
	ws := []weigher{
		{cfg.RAMWeightMultiplier, func(h *HostState) float64 { return float64(h.FreeRAMMB) }},
		{cfg.CPUWeightMultiplier, func(h *HostState) float64 { return float64(h.FreeVCPUs) }},
		{cfg.DiskWeightMultiplier, func(h *HostState) float64 { return float64(h.FreeDiskGB) }},
	}
	if spec.Group != nil && spec.Group.Policy == "soft-affinity" {
		ws = append(ws, weigher{cfg.SoftAffinityWeightMultiplier, members})
	}
	if spec.Group != nil && spec.Group.Policy == "soft-anti-affinity" {
		ws = append(ws, weigher{cfg.SoftAntiAffinityWeightMultiplier,
			func(h *HostState) float64 { return -members(h) }})
	}
	return ws
}

// normalize maps values onto 0..1 between their minimum and maximum, as
// Nova's weights.normalize; equal values all become 0.
func normalize(v []float64) []float64 {
	lo, hi := slices.Min(v), slices.Max(v)
	out := make([]float64, len(v))
	if hi == lo {
		return out
	}
	for i, x := range v {
		out[i] = (x - lo) / (hi - lo)
	}
	return out
}

// Consume records that a host took a request, so the next instance of the
// same request sees it: fewer free resources and one more group member.
func Consume(h *HostState, spec *RequestSpec) {
	h.FreeVCPUs -= spec.Flavor.VCPUs
	h.FreeRAMMB -= spec.Flavor.MemoryMB
	h.FreeDiskGB -= diskGB(spec.Flavor)
	h.NumInstances++
	if spec.Group != nil {
		if spec.Group.Hosts == nil {
			spec.Group.Hosts = map[string]int{}
		}
		spec.Group.Hosts[h.Host]++
	}
}

// Reason says, for an admin, which filter removed which hosts, e.g.
// "AvailabilityZoneFilter removed host1, host2; ComputeFilter removed host3".
func (r Result) Reason() string {
	if len(r.Rejections) == 0 {
		return "no compute host offers the requested resources"
	}
	parts := make([]string, 0, len(r.Rejections))
	for _, rj := range r.Rejections {
		parts = append(parts, rj.Filter+" removed "+strings.Join(rj.Hosts, ", "))
	}
	return strings.Join(parts, "; ")
}
