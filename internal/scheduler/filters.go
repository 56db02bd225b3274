package scheduler

import (
	"slices"
	"strings"
)

// filter says whether a host may take the request.
type filter func(spec *RequestSpec, h *HostState) bool

// filters are the known filters by Nova's names.
var filters = map[string]filter{
	"AvailabilityZoneFilter":            availabilityZone,
	"ComputeFilter":                     computeUp,
	"ImagePropertiesFilter":             imageProperties,
	"AggregateInstanceExtraSpecsFilter": aggregateExtraSpecs,
	"ServerGroupAntiAffinityFilter":     groupAntiAffinity,
	"ServerGroupAffinityFilter":         groupAffinity,
	"SameHostFilter":                    sameHost,
	"DifferentHostFilter":               differentHost,
}

// Known says whether name is a filter this package has.
func Known(name string) bool { _, ok := filters[name]; return ok }

func availabilityZone(spec *RequestSpec, h *HostState) bool {
	return spec.AvailabilityZone == "" || h.AvailabilityZone == spec.AvailabilityZone
}

func computeUp(_ *RequestSpec, h *HostState) bool { return h.Enabled && h.Up }

// imageProperties matches the image's architecture, hypervisor type and
// VM mode against the host, as Nova's ImagePropertiesFilter.
func imageProperties(spec *RequestSpec, h *HostState) bool {
	p := spec.ImageProperties
	if arch := p["hw_architecture"]; arch != "" && !strings.EqualFold(arch, orDefault(h.Architecture, "x86_64")) {
		return false
	}
	if hv := p["img_hv_type"]; hv != "" && !strings.EqualFold(hv, h.HypervisorType) {
		return false
	}
	if mode := p["hw_vm_mode"]; mode != "" && !strings.EqualFold(mode, "hvm") {
		return false
	}
	return true
}

// aggregateExtraSpecs requires every unscoped or
// aggregate_instance_extra_specs: extra spec to match the metadata of one
// of the host's aggregates.
func aggregateExtraSpecs(spec *RequestSpec, h *HostState) bool {
	for key, req := range spec.Flavor.ExtraSpecs {
		scope, name, scoped := strings.Cut(key, ":")
		switch {
		case !scoped:
			name = key
		case scope != "aggregate_instance_extra_specs":
			continue
		}
		var values []string
		for _, a := range h.Aggregates {
			if v, ok := a.Metadata[name]; ok {
				values = append(values, v)
			}
		}
		if len(values) == 0 || !slices.ContainsFunc(values, func(v string) bool { return MatchExtraSpec(v, req) }) {
			return false
		}
	}
	return true
}

func groupAntiAffinity(spec *RequestSpec, h *HostState) bool {
	g := spec.Group
	if g == nil || g.Policy != "anti-affinity" {
		return true
	}
	limit := g.MaxServerPerHost
	if limit <= 0 {
		limit = 1
	}
	return g.Hosts[h.Host] < limit
}

func groupAffinity(spec *RequestSpec, h *HostState) bool {
	g := spec.Group
	if g == nil || g.Policy != "affinity" || len(g.Hosts) == 0 {
		return true
	}
	return g.Hosts[h.Host] > 0
}

func sameHost(spec *RequestSpec, h *HostState) bool {
	return len(spec.SameHost) == 0 || slices.Contains(spec.SameHost, h.Host)
}

func differentHost(spec *RequestSpec, h *HostState) bool {
	return !slices.Contains(spec.DifferentHost, h.Host)
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
