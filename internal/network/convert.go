package network

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/network/neutronerr"
	"github.com/monostack/monostack/internal/pyrepr"
)

// Converters and validators of neutron_lib (api/converters.py,
// api/validators), with their message texts.

// toBool is convert_to_boolean.
func toBool(v any) (any, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case int64:
		if x == 0 || x == 1 {
			return x == 1, nil
		}
	case string:
		switch strings.ToLower(x) {
		case "true", "1":
			return true, nil
		case "false", "0":
			return false, nil
		}
	}
	return nil, neutronerr.InvalidInput(fmt.Sprintf("'%s' cannot be converted to boolean", pyStr(v)))
}

// toInt is convert_to_int.
func toInt(v any) (any, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case float64:
		if x == math.Trunc(x) {
			return int64(x), nil
		}
	case bool:
		if x {
			return int64(1), nil
		}
		return int64(0), nil
	case string:
		if i, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64); err == nil {
			return i, nil
		}
	}
	return nil, neutronerr.InvalidInput(fmt.Sprintf("'%s' is not an integer", pyStr(v)))
}

// toIntOrNone is convert_to_int_if_not_none.
func toIntOrNone(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	return toInt(v)
}

// maxString is validate_string with a length cap.
func maxString(n int) func(any) string {
	return func(v any) string {
		s, ok := v.(string)
		if !ok {
			return fmt.Sprintf("'%s' is not a valid string", pyStr(v))
		}
		if n > 0 && len([]rune(s)) > n {
			return fmt.Sprintf("'%s' exceeds maximum length of %d", s, n)
		}
		return ""
	}
}

// maxStringOrNone is validate_string_or_none.
func maxStringOrNone(n int) func(any) string {
	return func(v any) string {
		if v == nil {
			return ""
		}
		return maxString(n)(v)
	}
}

// stringList is validate_list_of_unique_strings with a cap on each.
func stringList(n int) func(any) string {
	return func(v any) string {
		list, ok := v.([]any)
		if !ok {
			return fmt.Sprintf("'%s' is not a list", pyStr(v))
		}
		seen := map[string]bool{}
		var dups []string
		for _, e := range list {
			if reason := maxString(n)(e); reason != "" {
				return reason
			}
			s := e.(string)
			if seen[s] {
				dups = append(dups, s)
			}
			seen[s] = true
		}
		if len(dups) > 0 {
			return "Duplicate items in the list: '" + strings.Join(dups, ", ") + "'"
		}
		return ""
	}
}

// nonNegative is validate_non_negative.
func nonNegative(v any) string {
	i, ok := v.(int64)
	if !ok {
		return fmt.Sprintf("'%s' is not an integer", pyStr(v))
	}
	if i < 0 {
		return fmt.Sprintf("'%d' should be non-negative", i)
	}
	return ""
}

// pyStr is Python's str() of a decoded JSON value.
func pyStr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case string:
		return x
	case bool:
		return pyrepr.Bool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return pyrepr.Float(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = pyReprValue(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := sortedKeys(x)
		for i, k := range keys {
			keys[i] = pyrepr.String(k) + ": " + pyReprValue(x[k])
		}
		return "{" + strings.Join(keys, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// pyReprValue is Python's repr() of a decoded JSON value.
func pyReprValue(v any) string {
	if s, ok := v.(string); ok {
		return pyrepr.String(s)
	}
	return pyStr(v)
}
