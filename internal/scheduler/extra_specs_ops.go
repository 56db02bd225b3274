package scheduler

import (
	"strconv"
	"strings"
)

// MatchExtraSpec reports whether a host's value meets an extra spec
// requirement, with the operators of Nova's extra_specs_ops:
//
//	"= N" at least N; "== N", "!= N", ">= N", "<= N" numbers;
//	"s== x", "s!= x", "s< x", "s<= x", "s> x", "s>= x" strings;
//	"<in> x" value contains x; "<all-in> x y" value contains each;
//	"<or> a <or> b" value is one of them; anything else: equal strings.
//
// An operator without an operand never matches, and neither does a number
// comparison with a value that is not a number (upstream raises there).
func MatchExtraSpec(value, req string) bool {
	words := strings.Fields(req)
	if len(words) == 0 {
		return value == req
	}
	op, args := words[0], words[1:]
	if op == "<or>" {
		return matchOr(value, args)
	}
	if _, known := numberOps[op]; !known && stringOps[op] == nil && op != "<in>" && op != "<all-in>" {
		return value == req
	}
	if len(args) == 0 {
		return false
	}
	switch op {
	case "<in>":
		return strings.Contains(value, args[0])
	case "<all-in>":
		for _, w := range args {
			if !strings.Contains(value, w) {
				return false
			}
		}
		return true
	}
	if cmp := stringOps[op]; cmp != nil {
		return cmp(strings.Compare(value, args[0]))
	}
	return compareNumbers(value, args[0], numberOps[op])
}

// matchOr checks "<or> a <or> b": the operands at even positions.
func matchOr(value string, args []string) bool {
	for i := 0; i < len(args); i += 2 {
		if args[i] == value {
			return true
		}
	}
	return false
}

// compareNumbers parses both sides as Python's float() would.
func compareNumbers(value, operand string, cmp func(v, r float64) bool) bool {
	v, err1 := strconv.ParseFloat(strings.TrimSpace(value), 64)
	r, err2 := strconv.ParseFloat(operand, 64)
	return err1 == nil && err2 == nil && cmp(v, r)
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
