package scheduler

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// weigher is one of Nova's host weighers.
type weigher struct {
	// key is the config option and aggregate metadata key of its multiplier.
	key        string
	multiplier float64
	// minZero clamps weights at 0 and normalises from 0 (Nova's minval = 0).
	minZero bool
	weight  func(h *HostState) float64
}

// weighers are RAMWeigher, CPUWeigher, DiskWeigher,
// ServerGroupSoftAffinityWeigher and ServerGroupSoftAntiAffinityWeigher.
func weighers(spec *RequestSpec, cfg *Config) []weigher {
	members := func(policy string) func(h *HostState) float64 {
		return func(h *HostState) float64 {
			if spec.Group == nil || spec.Group.Policy != policy {
				return 0
			}
			return float64(spec.Group.Hosts[h.Host])
		}
	}
	soft, softAnti := members("soft-affinity"), members("soft-anti-affinity")
	return []weigher{
		{"ram_weight_multiplier", cfg.RAMWeightMultiplier, true, func(h *HostState) float64 { return float64(h.FreeRAMMB) }},
		{"cpu_weight_multiplier", cfg.CPUWeightMultiplier, true, func(h *HostState) float64 { return float64(h.FreeVCPUs) }},
		{"disk_weight_multiplier", cfg.DiskWeightMultiplier, true, func(h *HostState) float64 { return float64(h.FreeDiskGB) }},
		{"soft_affinity_weight_multiplier", cfg.SoftAffinityWeightMultiplier, false, soft},
		{"soft_anti_affinity_weight_multiplier", cfg.SoftAntiAffinityWeightMultiplier, false,
			func(h *HostState) float64 { return -softAnti(h) }},
	}
}

// Weights are each host's total weight, in the order given: every
// weigher's normalised weight times its multiplier, summed.
func Weights(spec RequestSpec, hosts []HostState, cfg Config) []float64 {
	ptrs := make([]*HostState, len(hosts))
	for i := range hosts {
		ptrs[i] = &hosts[i]
	}
	return weights(&spec, ptrs, &cfg)
}

func weights(spec *RequestSpec, hosts []*HostState, cfg *Config) []float64 {
	total := make([]float64, len(hosts))
	if len(hosts) <= 1 {
		return total
	}
	raw := make([]float64, len(hosts))
	for _, w := range weighers(spec, cfg) {
		for i, h := range hosts {
			raw[i] = w.weight(h)
			if w.minZero {
				raw[i] = max(raw[i], 0)
			}
		}
		for i, n := range normalize(raw, w.minZero) {
			if n != 0 {
				total[i] += multiplierOf(hosts[i], w.key, w.multiplier) * n
			}
		}
	}
	return total
}

// normalize maps weights onto 0..1 between the minimum (or 0) and the
// maximum, as Nova's weights.normalize; when those two are equal, all 0.
func normalize(v []float64, fromZero bool) []float64 {
	lo, hi := slices.Min(v), slices.Max(v)
	if fromZero {
		lo = 0
	}
	out := make([]float64, len(v))
	if hi == lo {
		return out
	}
	for i, x := range v {
		out[i] = (x - lo) / (hi - lo)
	}
	return out
}

// multiplierOf is the smallest number the host's aggregates set for key,
// else def; a value that is not a number means def, as Nova's
// get_weight_multiplier.
func multiplierOf(h *HostState, key string, def float64) float64 {
	least, found := 0.0, false
	for _, a := range h.Aggregates {
		v, ok := a.Metadata[key]
		if !ok {
			continue
		}
		for part := range strings.SplitSeq(v, ",") {
			f, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
			if err != nil {
				return def
			}
			if !found || f < least {
				least, found = f, true
			}
		}
	}
	if !found {
		return def
	}
	return least
}

// orderHosts sorts hosts by weight, best first (ties keep their order),
// shuffles the best ties if configured, then moves a random one of the
// best HostSubsetSize to the front, as Nova's _get_sorted_hosts.
func orderHosts(spec *RequestSpec, hosts []*HostState, cfg *Config) []HostState {
	if len(hosts) == 0 {
		return []HostState{}
	}
	w := weights(spec, hosts, cfg)
	idx := make([]int, len(hosts))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return w[idx[a]] > w[idx[b]] })
	if cfg.ShuffleBestSameWeighedHosts {
		best := 1
		for best < len(idx) && w[idx[best]] == w[idx[0]] {
			best++
		}
		shuffle(idx[:best], cfg)
	}
	if n := min(max(cfg.HostSubsetSize, 1), len(idx)); n > 1 {
		k := cfg.intN(n)
		chosen := idx[k]
		copy(idx[1:k+1], idx[:k])
		idx[0] = chosen
	}
	out := make([]HostState, len(hosts))
	for i, j := range idx {
		out[i] = *hosts[j]
	}
	return out
}

// shuffle is Fisher–Yates with cfg's random numbers.
func shuffle(idx []int, cfg *Config) {
	for i := len(idx) - 1; i > 0; i-- {
		j := cfg.intN(i + 1)
		idx[i], idx[j] = idx[j], idx[i]
	}
}
