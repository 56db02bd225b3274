package policy

import "strings"

// maxDepth bounds rule: indirection so that a cycle denies instead of
// recursing forever (oslo raises RecursionError).
const maxDepth = 64

// node is one parsed check; eval reports whether it allows.
type node interface {
	eval(rs *ruleSet, c Creds, target map[string]any, depth int) bool
	String() string
}

// constCheck is "@" (true) or "!" (false).
type constCheck bool

func (k constCheck) eval(*ruleSet, Creds, map[string]any, int) bool { return bool(k) }

func (k constCheck) String() string {
	if k {
		return "@"
	}
	return "!"
}

type notCheck struct{ n node }

func (k notCheck) eval(rs *ruleSet, c Creds, t map[string]any, d int) bool {
	return !k.n.eval(rs, c, t, d)
}

func (k notCheck) String() string { return "not " + k.n.String() }

type andCheck []node

func (k andCheck) eval(rs *ruleSet, c Creds, t map[string]any, d int) bool {
	for _, n := range k {
		if !n.eval(rs, c, t, d) {
			return false
		}
	}
	return true
}

func (k andCheck) String() string { return joinNodes(k, " and ") }

type orCheck []node

func (k orCheck) eval(rs *ruleSet, c Creds, t map[string]any, d int) bool {
	for _, n := range k {
		if n.eval(rs, c, t, d) {
			return true
		}
	}
	return false
}

func (k orCheck) String() string { return joinNodes(k, " or ") }

func joinNodes(ns []node, sep string) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = n.String()
	}
	return "(" + strings.Join(parts, sep) + ")"
}

// ruleCheck is "rule:name": the effective rule of that name.
type ruleCheck struct{ name string }

func (k ruleCheck) eval(rs *ruleSet, c Creds, t map[string]any, d int) bool {
	n, ok := rs.lookup(k.name)
	if !ok || d >= maxDepth {
		return false
	}
	return n.eval(rs, c, t, d+1)
}

func (k ruleCheck) String() string { return "rule:" + k.name }

// roleCheck is "role:name": any of creds["roles"] equals name, ignoring case.
type roleCheck struct{ match template }

func (k roleCheck) eval(_ *ruleSet, c Creds, t map[string]any, _ int) bool {
	want, ok := k.match.expand(t)
	if !ok {
		return false
	}
	switch roles := c["roles"].(type) {
	case []string:
		for _, r := range roles {
			if strings.EqualFold(r, want) {
				return true
			}
		}
	case []any:
		for _, r := range roles {
			if s, ok := r.(string); ok && strings.EqualFold(s, want) {
				return true
			}
		}
	}
	return false
}

func (k roleCheck) String() string { return "role:" + k.match.src }

// genericCheck is "kind:match": kind is either a Python literal, compared
// with the expanded match, or a dotted path into the credentials.
type genericCheck struct {
	kind    string
	literal string // str() of the literal when isLit
	isLit   bool
	path    []string
	match   template
}

func (k genericCheck) eval(_ *ruleSet, c Creds, t map[string]any, _ int) bool {
	want, ok := k.match.expand(t)
	if !ok {
		return false
	}
	if k.isLit {
		return want == k.literal
	}
	v, ok := c[k.path[0]]
	if !ok && k.path[0] == "system" {
		// oslo's enforce copies a truthy creds["system_scope"] to "system".
		v, ok = c["system_scope"]
		ok = ok && truthy(v)
	}
	return ok && findIn(v, k.path[1:], want)
}

func (k genericCheck) String() string { return k.kind + ":" + k.match.src }

// findIn reports whether v, followed down path, stringifies to want; a list
// on the way matches if any element does (oslo's _find_in_dict).
func findIn(v any, path []string, want string) bool {
	if list, ok := v.([]string); ok {
		if len(path) > 0 {
			return false
		}
		for _, s := range list {
			if s == want {
				return true
			}
		}
		return false
	}
	if list, ok := v.([]any); ok {
		for _, e := range list {
			if findIn(e, path, want) {
				return true
			}
		}
		return false
	}
	if list, ok := v.([]map[string]any); ok {
		for _, e := range list {
			if findIn(e, path, want) {
				return true
			}
		}
		return false
	}
	if len(path) == 0 {
		return pyStrEqual(v, want)
	}
	next, ok := index(v, path[0])
	return ok && findIn(next, path[1:], want)
}

// index looks key up in a map-shaped value.
func index(v any, key string) (any, bool) {
	switch m := v.(type) {
	case map[string]any:
		x, ok := m[key]
		return x, ok
	case Creds:
		x, ok := m[key]
		return x, ok
	case map[string]string:
		x, ok := m[key]
		return x, ok
	}
	return nil, false
}

// truthy is Python's bool() for the value kinds creds hold.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case string:
		return x != ""
	case bool:
		return x
	case []string:
		return len(x) > 0
	case []any:
		return len(x) > 0
	}
	return true
}
