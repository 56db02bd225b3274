package network

import (
	"math"
	"net/netip"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/network/neutronerr"
)

// securityGroupResource is the security group attribute map: the
// security-group extension's with stateful-security-group, the shared
// flag and the standard attributes.
var securityGroupResource = NewResource("security_group", "security_groups", concat(ownedAttrs(), []Attr{
	{Name: "name", Post: true, Put: true, Default: "", Filter: true, Sort: true, Validate: maxString(255)},
	{Name: "stateful", Post: true, Put: true, Default: true, Convert: toBool},
	{Name: "shared", Filter: true, Convert: toBool, Policy: true},
	{Name: "security_group_rules"},
}, stdAttrDefs()))

// sgRuleResource is the security group rule attribute map with
// security-groups-remote-address-group, security-groups-normalized-cidr
// and the standard attributes (rules carry no tags).
var sgRuleResource = NewResource("security_group_rule", "security_group_rules", concat(ownedAttrs(), []Attr{
	{Name: "security_group_id", Post: true, Required: true, Filter: true, Sort: true, Validate: maxString(36)},
	{Name: "remote_group_id", Post: true, Filter: true, Sort: true},
	{Name: "direction", Post: true, Required: true, Filter: true, Sort: true, Validate: validValues("ingress", "egress")},
	{Name: "protocol", Post: true, Filter: true, Sort: true, Convert: convertProtocol},
	{Name: "port_range_min", Post: true, Filter: true, Sort: true, Convert: convertPort},
	{Name: "port_range_max", Post: true, Filter: true, Sort: true, Convert: convertPort},
	{Name: "ethertype", Post: true, Default: "IPv4", Filter: true, Sort: true, Convert: convertEthertype},
	{Name: "remote_ip_prefix", Post: true, Filter: true, Sort: true, Convert: convertIPPrefix},
	{Name: "remote_address_group_id", Post: true, Filter: true, Sort: true},
	{Name: "normalized_cidr", Filter: true, Sort: true},
}, stdAttrDefs()[:4]))

// checkNameNotDefault is the rest of type:name_not_default: no group may
// be named "default" in any case (filters are not checked).
func checkNameNotDefault(items []map[string]any) error {
	for _, item := range items {
		if name, ok := item["name"].(string); ok && strings.EqualFold(name, "default") {
			return neutronerr.SecurityGroupDefaultAlreadyExists()
		}
	}
	return nil
}

// validValues is type:values as the API layer calls it (no display text).
func validValues(allowed ...string) func(any) string {
	return func(v any) string {
		if s, ok := v.(string); ok {
			for _, a := range allowed {
				if s == a {
					return ""
				}
			}
		}
		return pyStr(v) + " is not in valid_values"
	}
}

// ipProtocols is neutron_lib's IP_PROTOCOL_MAP.
var ipProtocols = map[string]int{
	"ah": 51, "dccp": 33, "egp": 8, "esp": 50, "gre": 47, "hopopt": 0, "icmp": 1, "igmp": 2, "ip": 0,
	"ipip": 4, "ipv6-encap": 41, "ipv6-frag": 44, "ipv6-icmp": 58, "icmpv6": 58, "ipv6-nonxt": 59,
	"ipv6-opts": 60, "ipv6-route": 43, "ospf": 89, "pgm": 113, "rsvp": 46, "sctp": 132, "tcp": 6,
	"udp": 17, "udplite": 136, "vrrp": 112,
}

// protocolNames are the supported names in upstream's order (for messages).
var protocolNames = []string{"ah", "dccp", "egp", "esp", "gre", "hopopt", "icmp", "igmp", "ip", "ipip",
	"ipv6-encap", "ipv6-frag", "ipv6-icmp", "icmpv6", "ipv6-nonxt", "ipv6-opts", "ipv6-route", "ospf",
	"pgm", "rsvp", "sctp", "tcp", "udp", "udplite", "vrrp"}

// supportedProtocols is Python's repr of sg_supported_protocols.
func supportedProtocols() string {
	parts := []string{"None"}
	for _, n := range protocolNames {
		parts = append(parts, "'"+n+"'")
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// pyInt is Python's int() of a decoded JSON value.
func pyInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return 0, false
		}
		return int64(x), true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case string:
		i, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		return i, err == nil
	}
	return 0, false
}

// convertProtocol is convert_protocol: a number 0-255 kept as given (as a
// string), or a supported name in lower case.
func convertProtocol(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if i, ok := pyInt(v); ok {
		if i >= 0 && i <= 255 {
			return pyStr(v), nil
		}
		return nil, neutronerr.SecurityGroupRuleInvalidProtocol(pyStr(v), supportedProtocols())
	}
	if s, ok := v.(string); ok {
		if _, known := ipProtocols[strings.ToLower(s)]; known {
			return strings.ToLower(s), nil
		}
	}
	return nil, neutronerr.SecurityGroupRuleInvalidProtocol(pyStr(v), supportedProtocols())
}

// convertEthertype is convert_ethertype_to_case_insensitive.
func convertEthertype(v any) (any, error) {
	if s, ok := v.(string); ok {
		for _, e := range []string{"IPv4", "IPv6"} {
			if strings.EqualFold(s, e) {
				return e, nil
			}
		}
	}
	return nil, neutronerr.SecurityGroupRuleInvalidEtherType(pyStr(v), "['IPv4', 'IPv6']")
}

// convertPort is convert_validate_port_value: 0-65535 or None.
func convertPort(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if i, ok := pyInt(v); ok && i >= 0 && i <= 65535 {
		return i, nil
	}
	return nil, neutronerr.SecurityGroupInvalidPortValue(pyStr(v))
}

// convertIPPrefix is convert_ip_prefix_to_cidr: an address gets its full
// mask; host bits are kept.
func convertIPPrefix(v any) (any, error) {
	if v == nil || v == "" || v == false {
		return nil, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, neutronerr.InvalidCIDR(pyStr(v))
	}
	p, err := parsePrefixOrAddr(s)
	if err != nil {
		return nil, neutronerr.InvalidCIDR(s)
	}
	return p.String(), nil
}

// parsePrefixOrAddr reads a CIDR or a bare address (full mask).
func parsePrefixOrAddr(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		return netip.ParsePrefix(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}
