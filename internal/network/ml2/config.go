package ml2

import (
	"fmt"
	"strconv"
	"strings"
)

// Range is an inclusive range of segmentation ids.
type Range struct{ Min, Max int64 }

// Config is ML2's configuration (Neutron's [ml2] and [ml2_type_*]).
type Config struct {
	TenantNetworkTypes []string           // tried in order for project networks
	VLANRanges         map[string][]Range // physical network -> ranges (a physnet with no range is provider-only)
	VXLANRanges        []Range            // VNIs
	GRERanges          []Range            // tunnel ids
	FlatNetworks       []string           // physical networks for flat networks; "*" allows any
	GlobalPhysnetMTU   int                // MTU of the underlying physical network
}

// Upstream limits of segmentation ids.
const (
	MinVLAN = 1
	MaxVLAN = 4094
	MinVNI  = 1
	MaxVNI  = 1<<24 - 1
	MinGRE  = 1
	MaxGRE  = 1<<32 - 1
)

// ParseVLANRanges reads Neutron's network_vlan_ranges entries:
// "physnet" or "physnet:min:max".
func ParseVLANRanges(entries []string) (map[string][]Range, error) {
	out := map[string][]Range{}
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		physnet, rest, hasRange := strings.Cut(e, ":")
		if physnet == "" {
			return nil, fmt.Errorf("network VLAN range %q: missing physical network", e)
		}
		if _, ok := out[physnet]; !ok {
			out[physnet] = nil
		}
		if !hasRange {
			continue
		}
		r, err := ParseRange(rest, MinVLAN, MaxVLAN)
		if err != nil {
			return nil, fmt.Errorf("network VLAN range %q: %w", e, err)
		}
		out[physnet] = append(out[physnet], r)
	}
	return out, nil
}

// ParseRanges reads tunnel ranges "min:max" within [lo, hi].
func ParseRanges(entries []string, lo, hi int64) ([]Range, error) {
	var out []Range
	for _, e := range entries {
		if strings.TrimSpace(e) == "" {
			continue
		}
		r, err := ParseRange(e, lo, hi)
		if err != nil {
			return nil, fmt.Errorf("range %q: %w", e, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// ParseRange reads "min:max" within [lo, hi].
func ParseRange(s string, lo, hi int64) (Range, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return Range{}, fmt.Errorf("want min:max")
	}
	min, err1 := strconv.ParseInt(strings.TrimSpace(a), 10, 64)
	max, err2 := strconv.ParseInt(strings.TrimSpace(b), 10, 64)
	if err1 != nil || err2 != nil {
		return Range{}, fmt.Errorf("want integers min:max")
	}
	if min > max {
		return Range{}, fmt.Errorf("minimum %d is above maximum %d", min, max)
	}
	if min < lo || max > hi {
		return Range{}, fmt.Errorf("out of %d through %d", lo, hi)
	}
	return Range{min, max}, nil
}
