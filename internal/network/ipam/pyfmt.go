package ipam

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
)

// pyStr renders a JSON-decoded value as Python's str() shows it in
// upstream messages ("None", "True", "['a']", "{'k': 1}"). Dict keys come
// out sorted: Go maps keep no order.
func pyStr(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return pyRepr(v)
}

// pyRepr is Python's repr() of a JSON-decoded value.
func pyRepr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case string:
		return "'" + strings.ReplaceAll(strings.ReplaceAll(x, `\`, `\\`), "'", `\'`) + "'"
	case json.Number:
		return x.String()
	case float64:
		return pyFloat(x)
	case int:
		return strconv.Itoa(x)
	case []any:
		items := make([]string, len(x))
		for i, it := range x {
			items[i] = pyRepr(it)
		}
		return "[" + strings.Join(items, ", ") + "]"
	case map[string]any:
		return pyDict(x)
	}
	return "<object>"
}

func pyFloat(f float64) string {
	if f == float64(int64(f)) {
		return strconv.FormatInt(int64(f), 10) + ".0"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func pyDict(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	items := make([]string, len(keys))
	for i, k := range keys {
		items[i] = pyRepr(k) + ": " + pyRepr(m[k])
	}
	return "{" + strings.Join(items, ", ") + "}"
}

// pySet is Python's repr of a set of strings, in the order given.
func pySet(keys []string) string {
	items := make([]string, len(keys))
	for i, k := range keys {
		items[i] = pyRepr(k)
	}
	return "{" + strings.Join(items, ", ") + "}"
}

// pyList is Python's repr of a list of strings.
func pyList(keys []string) string {
	items := make([]string, len(keys))
	for i, k := range keys {
		items[i] = pyRepr(k)
	}
	return "[" + strings.Join(items, ", ") + "]"
}
