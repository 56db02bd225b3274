package scheduler

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/pyrepr"
)

// aggregateInstanceExtraSpecs requires each unscoped or
// "aggregate_instance_extra_specs:" extra spec to match a value of that key
// in the host's aggregates' metadata; a key no aggregate has fails.
func aggregateInstanceExtraSpecs(c *filterCall, h *HostState) bool {
	for key, req := range c.spec.Flavor.ExtraSpecs {
		scope, name, scoped := strings.Cut(key, ":")
		if !scoped {
			name = scope
		} else if scope != "aggregate_instance_extra_specs" {
			continue
		}
		values := aggregateValues(h, name)
		if !slices.ContainsFunc(values, func(v string) bool { return MatchExtraSpec(v, req) }) {
			return false
		}
	}
	return true
}

// computeCapabilities matches "capabilities:a:b" extra specs (and unscoped
// keys naming a host attribute or stat) against the host's attributes,
// walking into JSON ones such as cpu_info; the value compared is Python's
// str() of what is found.
func computeCapabilities(c *filterCall, h *HostState) bool {
	for key, req := range c.spec.Flavor.ExtraSpecs {
		path := strings.Split(key, ":")
		if len(path) == 1 {
			if _, ok := hostAttribute(h, key); !ok {
				continue
			}
		} else if path[0] != "capabilities" {
			continue
		} else {
			path = path[1:]
		}
		found, ok := capability(h, path)
		if !ok || !MatchExtraSpec(pyStr(found, false), req) {
			return false
		}
	}
	return true
}

// hostAttribute is a HostState attribute by Nova's name, else a stat.
func hostAttribute(h *HostState, name string) (any, bool) {
	number := func(n int) (any, bool) { return json.Number(strconv.Itoa(n)), true }
	switch name {
	case "host":
		return h.Host, true
	case "nodename", "hypervisor_hostname":
		return h.HypervisorHostname, true
	case "uuid":
		return h.NodeUUID, true
	case "hypervisor_type":
		return h.HypervisorType, true
	case "hypervisor_version":
		return number(h.HypervisorVersion)
	case "cpu_info":
		return h.CPUInfo, true
	case "free_ram_mb":
		return number(h.FreeRAMMB)
	case "free_disk_mb":
		return number(h.FreeDiskGB * 1024)
	case "num_instances":
		return number(h.NumInstances)
	}
	v, ok := h.Stats[name]
	return v, ok
}

// capability walks path from the host's attributes; a string met on the
// way is parsed as JSON. Missing or null fails.
func capability(h *HostState, path []string) (any, bool) {
	if len(path) == 0 {
		return nil, false
	}
	cur, ok := hostAttribute(h, path[0])
	if !ok {
		return nil, false
	}
	for _, name := range path[1:] {
		if s, ok := cur.(string); ok {
			dec := json.NewDecoder(strings.NewReader(s))
			dec.UseNumber()
			if dec.Decode(&cur) != nil {
				return nil, false
			}
		}
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur = m[name]; cur == nil {
			return nil, false
		}
	}
	return cur, true
}

// pyStr is Python's str() of a JSON value (repr() inside containers).
func pyStr(v any, nested bool) string {
	switch v := v.(type) {
	case string:
		if nested {
			return pyrepr.String(v)
		}
		return v
	case json.Number:
		if !strings.ContainsAny(string(v), ".eE") {
			return string(v)
		}
		f, _ := v.Float64()
		return pyrepr.Float(f)
	case bool:
		return pyrepr.Bool(v)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = pyStr(e, true)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		return pyDict(v)
	}
	return "None"
}

// pyDict is a dict's repr with keys sorted (JSON order is not kept).
func pyDict(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(pyrepr.String(k) + ": " + pyStr(m[k], true))
	}
	b.WriteByte('}')
	return b.String()
}
