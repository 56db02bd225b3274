package network

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// pfProtocols are the protocols a port forwarding takes (the keys of
// neutron_lib's IPTABLES_PROTOCOL_MAP).
var pfProtocols = []any{"dccp", "icmp", "ipv6-icmp", "sctp", "tcp", "udp"}

// portForwardingResource is the floating-ip-port-forwarding sub-resource
// with its -description and -port-ranges attributes; project_id is taken
// for the policy check but never shown.
var portForwardingResource = NewResource("port_forwarding", "port_forwardings", []Attr{
	{Name: "id", Filter: true, Sort: true},
	{Name: "project_id", Post: true, Validate: maxString(255)},
	{Name: "tenant_id", Post: true, Validate: maxString(255)},
	{Name: "external_port", Post: true, Put: true, Convert: intIfNumeric, Validate: rangeOrNone(1, 65535), Filter: true, Sort: true},
	{Name: "internal_port", Post: true, Put: true, Convert: intIfNumeric, Validate: rangeOrNone(1, 65535)},
	{Name: "internal_ip_address", Post: true, Put: true, Required: true, Validate: ipam.ValidateIPAddressAttr},
	{Name: "protocol", Post: true, Put: true, Required: true, Convert: toProtocol, Validate: valuesOf(pfProtocols), Filter: true, Sort: true},
	{Name: "internal_port_id", Post: true, Put: true, Required: true, Validate: validUUID, Filter: true, Sort: true},
	{Name: "description", Post: true, Put: true, Validate: maxString(255), Filter: true},
	{Name: "external_port_range", Post: true, Put: true, Validate: portRangeOrNone(1, 65535), Filter: true, Sort: true},
	{Name: "internal_port_range", Post: true, Put: true, Validate: portRangeOrNone(1, 65535)},
})

// intIfNumeric turns a numeric string into its integer and leaves anything
// else for the validator, as validate_range's int() does.
func intIfNumeric(v any) (any, error) {
	if s, ok := v.(string); ok {
		if i, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			return i, nil
		}
	}
	return v, nil
}

// rangeOrNone is type:range_or_none.
func rangeOrNone(lo, hi int64) func(any) string {
	return func(v any) string {
		if v == nil {
			return ""
		}
		return rangeOf(lo, hi)(v)
	}
}

// toProtocol is convert_to_protocol: a known name in any case or a number
// from 0 to 255 passes unchanged, for the validator to judge.
func toProtocol(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	s, ok := v.(string)
	if !ok {
		return nil, neutronerr.InvalidInput(fmt.Sprintf("Input value %s must be string type", pyStr(v)))
	}
	if slices.Contains(pfProtocols, any(strings.ToLower(s))) {
		return s, nil
	}
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil && n >= 0 && n <= 255 {
		return s, nil
	}
	return nil, neutronerr.InvalidInput(fmt.Sprintf("IP protocol '%s' is not supported. Only protocol names and their integer representation (0 to 255) are supported", s))
}

// portRangeOrNone is type:port_range: "port" or "first:last".
func portRangeOrNone(lo, hi int64) func(any) string {
	return func(v any) string {
		if v == nil {
			return ""
		}
		parts := strings.Split(pyStr(v), ":")
		if len(parts) > 2 {
			return "Port range must be two integers separated by a colon"
		}
		var ports []int64
		for _, p := range parts {
			n, err := strconv.ParseInt(p, 10, 64)
			switch {
			case p == "":
				return "Port range must be two integers separated by a colon"
			case err != nil || n < 0 || n > 65535:
				return "Invalid port: " + p
			case n < lo || n > hi:
				return fmt.Sprintf("Invalid port: %s, the port must be in the range [%d, %d]", p, lo, hi)
			}
			ports = append(ports, n)
		}
		if len(ports) == 2 && ports[0] > ports[1] {
			return "First port in a port range must be lower than the second port"
		}
		return ""
	}
}

// portSpan is an inclusive range of ports; one port has start == end.
type portSpan struct{ start, end int64 }

// String is the span as the *_port_range attributes show it.
func (p portSpan) String() string { return fmt.Sprintf("%d:%d", p.start, p.end) }

// single is the port of a one-port span, nil for a wider one.
func (p portSpan) single() any {
	if p.start != p.end {
		return nil
	}
	return p.start
}

func (p portSpan) width() int64 { return p.end - p.start }

func (p portSpan) overlaps(q portSpan) bool { return max(p.start, q.start) <= min(p.end, q.end) }

// parseSpan reads a validated port range value.
func parseSpan(v any) portSpan {
	first, last, _ := strings.Cut(pyStr(v), ":")
	var p portSpan
	p.start, _ = strconv.ParseInt(first, 10, 64)
	p.end = p.start
	if last != "" {
		p.end, _ = strconv.ParseInt(last, 10, 64)
	}
	return p
}
