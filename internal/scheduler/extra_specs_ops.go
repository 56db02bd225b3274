package scheduler

import (
	"slices"
	"strconv"
	"strings"
)

// MatchExtraSpec matches a host value against a flavor's extra spec
// requirement with Nova's extra_specs_ops: "= N" (at least N), "== N",
// "!= N", ">= N", "<= N" (numbers), "s== x", "s!= x", "s>= x", "s<= x",
// "s< x", "s> x" (strings), "<in> x" (substring), "<all-in> a b" (every
// word in the value's words), "<or> a <or> b" (one of), else equality.
func MatchExtraSpec(value, req string) bool {
	words := strings.Fields(req)
	if len(words) == 0 {
		return value == req
	}
	op, args := words[0], words[1:]
	switch op {
	case "<in>":
		return len(args) > 0 && strings.Contains(value, args[0])
	case "<all-in>":
		have := strings.Fields(value)
		for _, w := range args {
			if !slices.Contains(have, w) {
				return false
			}
		}
		return len(args) > 0
	case "<or>":
		for i := 0; i < len(args); i += 2 {
			if args[i] == value {
				return true
			}
		}
		return false
	}
	if len(args) != 1 {
		return value == req
	}
	if cmp, ok := stringOps[op]; ok {
		return cmp(strings.Compare(value, args[0]))
	}
	if cmp, ok := numberOps[op]; ok {
		v, err1 := strconv.ParseFloat(value, 64)
		r, err2 := strconv.ParseFloat(args[0], 64)
		return err1 == nil && err2 == nil && cmp(v, r)
	}
	return value == req
}

var stringOps = map[string]func(int) bool{
	"s==": func(c int) bool { return c == 0 }, "s!=": func(c int) bool { return c != 0 },
	"s>=": func(c int) bool { return c >= 0 }, "s<=": func(c int) bool { return c <= 0 },
	"s<": func(c int) bool { return c < 0 }, "s>": func(c int) bool { return c > 0 },
}

var numberOps = map[string]func(v, r float64) bool{
	"=":  func(v, r float64) bool { return v >= r },
	"==": func(v, r float64) bool { return v == r },
	"!=": func(v, r float64) bool { return v != r },
	">=": func(v, r float64) bool { return v >= r },
	"<=": func(v, r float64) bool { return v <= r },
}
