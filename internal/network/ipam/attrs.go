package ipam

import (
	"slices"
	"strings"
)

// The Validate*Attr functions are neutron_lib's attribute validators for
// JSON-decoded values: "" when valid, else the reason the service puts in
// "Invalid input for <attr>. Reason: <reason>." (an HTTPBadRequest).

// ValidateSubnetOrNoneAttr is type:subnet_or_none (subnet cidr).
func ValidateSubnetOrNoneAttr(v any) string {
	if v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		return "'" + pyStr(v) + "' is not a valid IP subnet"
	}
	return SubnetReason(s)
}

// ValidateIPAddressAttr is type:ip_address.
func ValidateIPAddressAttr(v any) string {
	s, ok := v.(string)
	if !ok {
		return "'" + pyStr(v) + "' is not a valid IP address"
	}
	return IPAddressReason(s)
}

// ValidateIPAddressOrNoneAttr is type:ip_address_or_none (gateway_ip).
func ValidateIPAddressOrNoneAttr(v any) string {
	if v == nil {
		return ""
	}
	return ValidateIPAddressAttr(v)
}

// ConvertCIDRAttr is convert_cidr_to_canonical_format for the subnet cidr.
// Upstream fails with a 500 on a non-string; this says InvalidInput.
func ConvertCIDRAttr(v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return nil, InvalidInput(pyStr(v) + " is not in a CIDR format")
	}
	return CanonicalCIDR(s)
}

// ConvertIPAttr is convert_ip_to_canonical_format (gateway_ip).
func ConvertIPAttr(v any) (any, error) {
	if s, ok := v.(string); ok {
		return CanonicalIP(s), nil
	}
	return v, nil
}

// ConvertNoneToEmptyListAttr is convert_none_to_empty_list
// (dns_nameservers, host_routes).
func ConvertNoneToEmptyListAttr(v any) (any, error) {
	if v == nil {
		return []any{}, nil
	}
	return v, nil
}

// verifyDictKeys is _verify_dict_keys in strict mode. Upstream prints
// Python sets, whose order varies by process; here expected keys keep
// their order and provided keys are sorted.
func verifyDictKeys(expected []string, v any) (map[string]any, string) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, "Invalid input. '" + pyStr(v) + "' must be a dictionary with keys: " + pyList(expected)
	}
	provided := make([]string, 0, len(m))
	for k := range m {
		provided = append(provided, k)
	}
	slices.Sort(provided)
	sorted := slices.Sorted(slices.Values(expected))
	if !slices.Equal(sorted, provided) {
		return nil, "Validation of dictionary's keys failed. Expected keys: " + pySet(expected) + " Provided keys: " + pySet(provided)
	}
	return m, ""
}

// ValidateIPPoolsAttr is type:ip_pools (allocation_pools).
func ValidateIPPoolsAttr(v any) string {
	list, ok := v.([]any)
	if !ok {
		return "Invalid data format for IP pool: '" + pyStr(v) + "'"
	}
	for _, item := range list {
		m, msg := verifyDictKeys([]string{"start", "end"}, item)
		if msg != "" {
			return msg
		}
		for _, k := range []string{"start", "end"} {
			if msg := ValidateIPAddressAttr(m[k]); msg != "" {
				return msg
			}
		}
	}
	return ""
}

// pyIter is what a Python for loop over v yields, nil when v is not
// iterable (strings give their characters, dicts their keys).
func pyIter(v any) ([]any, bool) {
	switch x := v.(type) {
	case []any:
		return x, true
	case string:
		out := make([]any, 0, len(x))
		for _, r := range x {
			out = append(out, string(r))
		}
		return out, true
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		out := make([]any, len(keys))
		for i, k := range keys {
			out[i] = k
		}
		return out, true
	}
	return nil, false
}

// ValidateNameserversAttr is type:nameservers (dns_nameservers).
func ValidateNameserversAttr(v any) string {
	items, ok := pyIter(v)
	if !ok {
		return "Invalid data format for nameserver: '" + pyStr(v) + "'"
	}
	var seen []any
	for _, host := range items {
		if msg := ValidateIPAddressAttr(host); msg != "" {
			return "'" + pyStr(host) + "' is not a valid nameserver. " + msg
		}
		if slices.Contains(seen, host) {
			return "Duplicate nameserver '" + pyStr(host) + "'"
		}
		seen = append(seen, host)
	}
	return ""
}

// ValidateRouteCIDRAttr is type:route_cidr.
func ValidateRouteCIDRAttr(v any) string {
	s, ok := v.(string)
	if !ok {
		return "'" + pyStr(v) + "' is not a valid CIDR"
	}
	return RouteCIDRReason(s)
}

// ValidateHostRoutesAttr is type:hostroutes (host_routes).
func ValidateHostRoutesAttr(v any) string {
	list, ok := v.([]any)
	if !ok {
		return "Invalid data format for hostroute: '" + pyStr(v) + "'"
	}
	var seen []string
	for _, item := range list {
		m, msg := verifyDictKeys([]string{"destination", "nexthop"}, item)
		if msg != "" {
			return msg
		}
		if msg := ValidateRouteCIDRAttr(m["destination"]); msg != "" {
			return msg
		}
		if msg := ValidateIPAddressAttr(m["nexthop"]); msg != "" {
			return msg
		}
		key := pyDict(m)
		if slices.Contains(seen, key) {
			return "Duplicate hostroute '" + key + "'"
		}
		seen = append(seen, key)
	}
	return ""
}

// ValidateSubnetListAttr is type:subnet_list (a subnet pool's prefixes).
func ValidateSubnetListAttr(v any) string {
	list, ok := v.([]any)
	if !ok {
		return "'" + pyStr(v) + "' is not a list"
	}
	var seen, dups []string
	for _, item := range list {
		k := pyStr(item)
		if slices.Contains(seen, k) && !slices.Contains(dups, k) {
			dups = append(dups, k)
			continue
		}
		seen = append(seen, k)
	}
	if len(dups) > 0 {
		return "Duplicate items in the list: '" + strings.Join(dups, ", ") + "'"
	}
	for _, item := range list {
		s, ok := item.(string)
		if !ok {
			return "'" + pyStr(item) + "' is not a valid IP subnet"
		}
		if msg := SubnetReason(s); msg != "" {
			return msg
		}
	}
	return ""
}
