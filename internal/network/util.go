package network

import (
	"fmt"
	"sort"
)

// sortedKeys are a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// concat joins attribute lists.
func concat(lists ...[]Attr) []Attr {
	var out []Attr
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// fmtSscan parses a decimal id.
func fmtSscan(s string, dst *int64) (int, error) { return fmt.Sscan(s, dst) }
