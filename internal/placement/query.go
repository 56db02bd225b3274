package placement

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/httpx"
)

// parseResources reads "VCPU:2,MEMORY_MB:1024" (normalize_resources_qs_param).
func parseResources(qs string) (map[string]int, error) {
	const form = "Badly formed resources parameter. Expected resources query string parameter in form: ?resources=VCPU:2,MEMORY_MB:1024. Got: "
	if strings.TrimSpace(qs) == "" {
		return nil, badRequest(form + "empty string.")
	}
	out := map[string]int{}
	for _, part := range strings.Split(qs, ",") {
		fields := strings.Split(part, ":")
		if len(fields) != 2 {
			return nil, badRequest(form + part + ".")
		}
		rc := fields[0]
		n, err := strconv.Atoi(strings.TrimSpace(fields[1]))
		if err != nil {
			return nil, badRequest(fmt.Sprintf("Requested resource %s expected positive integer amount. Got: %s.", rc, fields[1]))
		}
		if n < 1 {
			return nil, badRequest(fmt.Sprintf("Requested resource %s requires amount >= 1. Got: %d.", rc, n))
		}
		out[rc] = n
	}
	return out, nil
}

// parseRequired reads the values of one required parameter
// (normalize_traits_qs_params): forbidden "!T" from 1.22, "in:" and
// repetition from 1.39.
func parseRequired(values []string, v httpx.Microversion) ([][]string, []string, error) {
	allowForbidden, allowAny := v.AtLeast(22), v.AtLeast(39)
	if !allowAny {
		values = values[len(values)-1:]
	}
	var required [][]string
	var forbidden []string
	for _, val := range values {
		req, forb, err := parseRequiredValue(val, allowForbidden, allowAny)
		if err != nil {
			return nil, nil, err
		}
		required = append(required, req...)
		forbidden = append(forbidden, forb...)
	}
	slices.Sort(forbidden)
	return required, slices.Compact(forbidden), nil
}

func parseRequiredValue(val string, allowForbidden, allowAny bool) ([][]string, []string, error) {
	const prefix = "Invalid query string parameters: "
	if rest, ok := strings.CutPrefix(val, "in:"); ok {
		if !allowAny {
			return nil, nil, badRequest(prefix + "The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only supported since microversion 1.39. Got: " + val)
		}
		var anyOf []string
		for _, t := range strings.Split(rest, ",") {
			t = strings.TrimSpace(t)
			if t == "" {
				return nil, nil, badRequest(prefix + "Expected 'required' parameter value of the form: in:HW_CPU_X86_VMX,CUSTOM_MAGIC. Got an empty trait in: " + val)
			}
			if strings.HasPrefix(t, "!") {
				return nil, nil, badRequest(prefix + "The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' does not support forbidden traits. Got: " + val)
			}
			anyOf = append(anyOf, t)
		}
		return [][]string{anyOf}, nil, nil
	}
	var required [][]string
	var forbidden []string
	expected := "HW_CPU_X86_VMX,CUSTOM_MAGIC"
	if allowForbidden {
		expected = "HW_CPU_X86_VMX,!CUSTOM_MAGIC"
	}
	for _, t := range strings.Split(val, ",") {
		t = strings.TrimSpace(t)
		name := strings.TrimLeft(t, "!")
		if t == "" || name == "" {
			return nil, nil, badRequest(prefix + "Expected 'required' parameter value of the form: " + expected + ". Got an empty trait in: " + val)
		}
		if strings.HasPrefix(t, "!") {
			forbidden = append(forbidden, name)
			continue
		}
		required = append(required, []string{t})
	}
	if len(forbidden) > 0 && !allowForbidden {
		return nil, nil, badRequest(prefix + "Expected 'required' parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: " + val)
	}
	return required, forbidden, nil
}

// parseMemberOf reads member_of values (normalize_member_of_qs_params):
// several from 1.24, forbidden "!" forms from 1.32.
func parseMemberOf(values []string, suffix string, v httpx.Microversion) ([][]string, []string, error) {
	if !v.AtLeast(24) && len(values) > 1 {
		return nil, nil, badRequest("Multiple member_of" + suffix + " parameters are not supported")
	}
	var required [][]string
	var forbidden []string
	for _, val := range values {
		if strings.Contains(val, ",") && !strings.HasPrefix(val, "in:") && !strings.HasPrefix(val, "!in:") {
			return nil, nil, badRequest("Multiple values for 'member_of' must be prefixed with the 'in:' or '!in:' keyword using the valid microversion. Got: " + val)
		}
		var list []string
		neg := false
		switch {
		case strings.HasPrefix(val, "!in:"):
			list, neg = strings.Split(val[4:], ","), true
		case strings.HasPrefix(val, "!"):
			list, neg = []string{val[1:]}, true
		case strings.HasPrefix(val, "in:"):
			list = strings.Split(val[3:], ",")
		default:
			list = []string{val}
		}
		for i, a := range list {
			norm, ok := normUUID(a)
			if !ok {
				return nil, nil, badRequest("Invalid query string parameters: Expected 'member_of' parameter to contain valid UUID(s). Got: " + a)
			}
			list[i] = norm
		}
		if neg && !v.AtLeast(32) {
			return nil, nil, badRequest("Forbidden member_of" + suffix + " parameters are not supported in the specified microversion")
		}
		if neg {
			forbidden = append(forbidden, list...)
		} else {
			required = append(required, list)
		}
	}
	return required, forbidden, nil
}
