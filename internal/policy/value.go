package policy

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/pyrepr"
)

// template is the match half of a check with Python %-style
// interpolation: "%(project_id)s" or "%(target.project.domain_id)s".
type template struct {
	src   string
	parts []part // nil when src holds no '%'
	bad   bool   // malformed format: Python raises, the check is false
}

// part is a literal run or, when key is set, an interpolated target value.
type part struct {
	lit, key string
	isKey    bool
}

func parseTemplate(src string) template {
	t := template{src: src}
	if !strings.Contains(src, "%") {
		return t
	}
	var lit strings.Builder
	for i := 0; i < len(src); i++ {
		if src[i] != '%' {
			lit.WriteByte(src[i])
			continue
		}
		if i+1 < len(src) && src[i+1] == '%' {
			lit.WriteByte('%')
			i++
			continue
		}
		key, end, ok := formatKey(src, i+1)
		if !ok {
			t.bad = true
			return t
		}
		if lit.Len() > 0 {
			t.parts = append(t.parts, part{lit: lit.String()})
			lit.Reset()
		}
		t.parts = append(t.parts, part{key: key, isKey: true})
		i = end
	}
	if lit.Len() > 0 {
		t.parts = append(t.parts, part{lit: lit.String()})
	}
	return t
}

// formatKey reads "(key)s" at src[i:]; end is the index of the 's'.
func formatKey(src string, i int) (key string, end int, ok bool) {
	if i >= len(src) || src[i] != '(' {
		return "", 0, false
	}
	depth := 0
	for j := i; j < len(src); j++ {
		switch src[j] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				if j+1 < len(src) && src[j+1] == 's' {
					return src[i+1 : j], j + 1, true
				}
				return "", 0, false
			}
		}
	}
	return "", 0, false
}

// expand interpolates target; ok is false when a key is missing.
func (t *template) expand(target map[string]any) (string, bool) {
	if t.bad {
		return "", false
	}
	if t.parts == nil {
		return t.src, true
	}
	if len(t.parts) == 1 && t.parts[0].isKey {
		v, ok := lookupTarget(target, t.parts[0].key)
		if !ok {
			return "", false
		}
		return pyStr(v), true
	}
	var b strings.Builder
	for _, p := range t.parts {
		if !p.isKey {
			b.WriteString(p.lit)
			continue
		}
		v, ok := lookupTarget(target, p.key)
		if !ok {
			return "", false
		}
		b.WriteString(pyStr(v))
	}
	return b.String(), true
}

// lookupTarget finds key in target as if target were flattened the way
// Keystone flattens it ({"target": {"project": {"id": x}}} has
// "target.project.id"): a literal dotted key wins, else the key is walked
// through nested maps. Map values are not leaves, as in a flattened dict.
func lookupTarget(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		if _, isMap := v.(map[string]any); !isMap {
			return v, true
		}
	}
	for i := 0; i < len(key); i++ {
		if key[i] != '.' {
			continue
		}
		if sub, ok := m[key[:i]].(map[string]any); ok {
			if v, ok := lookupTarget(sub, key[i+1:]); ok {
				return v, true
			}
		}
	}
	return nil, false
}

// pyStrEqual is pyStr(v) == s without allocating for common kinds.
func pyStrEqual(v any, s string) bool {
	switch x := v.(type) {
	case string:
		return x == s
	case bool:
		return s == pyrepr.Bool(x)
	case nil:
		return s == "None"
	}
	return pyStr(v) == s
}

// pyStr is Python's str() of a JSON-like value.
func pyStr(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return pyrepr.Bool(x)
	case nil:
		return "None"
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case uint:
		return strconv.FormatUint(uint64(x), 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case uint32:
		return strconv.FormatUint(uint64(x), 10)
	case float64:
		return pyrepr.Float(x)
	case float32:
		return pyrepr.Float(float64(x))
	case []string:
		items := make([]string, len(x))
		for i, s := range x {
			items[i] = pyRepr(s)
		}
		return "[" + strings.Join(items, ", ") + "]"
	case []any:
		items := make([]string, len(x))
		for i, e := range x {
			items[i] = pyRepr(e)
		}
		return "[" + strings.Join(items, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			keys[i] = pyRepr(k) + ": " + pyRepr(x[k])
		}
		return "{" + strings.Join(keys, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// pyRepr is Python's repr(): strings are quoted, the rest as str().
func pyRepr(v any) string {
	if s, ok := v.(string); ok {
		return pyrepr.String(s)
	}
	return pyStr(v)
}
