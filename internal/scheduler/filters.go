package scheduler

import (
	"slices"
	"strings"
)

// filterCall is one request's view for the filters.
type filterCall struct {
	spec *RequestSpec
	cfg  *Config
}

// filter says whether a host may take the request.
type filter func(c *filterCall, h *HostState) bool

// filters are the filters this package has, by Nova's class names.
var filters = map[string]filter{
	"AvailabilityZoneFilter":            availabilityZone,
	"ComputeFilter":                     computeActive,
	"ComputeCapabilitiesFilter":         computeCapabilities,
	"ImagePropertiesFilter":             imageProperties,
	"AggregateInstanceExtraSpecsFilter": aggregateInstanceExtraSpecs,
	"ServerGroupAntiAffinityFilter":     groupAntiAffinity,
	"ServerGroupAffinityFilter":         groupAffinity,
	"SameHostFilter":                    sameHost,
	"DifferentHostFilter":               differentHost,
}

// Known says whether name is a filter this package has.
func Known(name string) bool { _, ok := filters[name]; return ok }

// availabilityZone passes hosts in the requested zone: a zone of one of
// the host's aggregates, else the host's (default) zone.
func availabilityZone(c *filterCall, h *HostState) bool {
	want := c.spec.AvailabilityZone
	if want == "" {
		return true
	}
	zones := aggregateValues(h, "availability_zone")
	if len(zones) > 0 {
		return slices.Contains(zones, want)
	}
	return want == orDefault(h.AvailabilityZone, c.cfg.DefaultAvailabilityZone)
}

// computeActive passes hosts whose compute service is enabled and up.
func computeActive(_ *filterCall, h *HostState) bool {
	return h.Enabled && h.Up && !h.ForcedDown
}

// groupAntiAffinity keeps fewer than max_server_per_host members per host.
func groupAntiAffinity(c *filterCall, h *HostState) bool {
	g := c.spec.Group
	if g == nil || g.Policy != "anti-affinity" {
		return true
	}
	limit := g.MaxServerPerHost
	if limit <= 0 {
		limit = 1
	}
	return g.Hosts[h.Host] < limit
}

// groupAffinity keeps members on the hosts the group already uses.
func groupAffinity(c *filterCall, h *HostState) bool {
	g := c.spec.Group
	if g == nil || g.Policy != "affinity" || !anyMember(g) {
		return true
	}
	return g.Hosts[h.Host] > 0
}

func anyMember(g *Group) bool {
	for _, n := range g.Hosts {
		if n > 0 {
			return true
		}
	}
	return false
}

func sameHost(c *filterCall, h *HostState) bool {
	return c.spec.SameHost == nil || slices.Contains(c.spec.SameHost, h.Host)
}

func differentHost(c *filterCall, h *HostState) bool {
	return !slices.Contains(c.spec.DifferentHost, h.Host)
}

// aggregateValues are the values of key in the host's aggregates' metadata,
// each split on commas, as Nova's aggregate_metadata_get_by_host.
func aggregateValues(h *HostState, key string) []string {
	var out []string
	for _, a := range h.Aggregates {
		v, ok := a.Metadata[key]
		if !ok {
			continue
		}
		for part := range strings.SplitSeq(v, ",") {
			if p := strings.TrimSpace(part); !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
