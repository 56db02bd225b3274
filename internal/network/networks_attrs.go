package network

import (
	"fmt"

	"github.com/monostack/monostack/internal/network/neutronerr"
)

// Provider attribute names (provider extension).
const (
	provType    = "provider:network_type"
	provPhysnet = "provider:physical_network"
	provSegID   = "provider:segmentation_id"
)

// networkResource is the network attribute map: the core attributes and
// those of external-net, provider, multi-provider, port-security,
// net-mtu-writable, network_availability_zone, l2_adjacency,
// address-scope and the standard attributes.
var networkResource = NewResource("network", "networks", concat(ownedAttrs(), []Attr{
	{Name: "name", Post: true, Put: true, Default: "", Filter: true, Sort: true, Validate: maxString(255)},
	{Name: "admin_state_up", Post: true, Put: true, Default: true, Convert: toBool, Filter: true, Sort: true},
	{Name: "status", Filter: true, Sort: true},
	{Name: "subnets", Filter: true},
	{Name: "shared", Post: true, Put: true, Default: false, Convert: toBool, Filter: true, Sort: true, Policy: true},
	{Name: "router:external", Post: true, Put: true, Default: false, Convert: toBool, Filter: true, Sort: true, Policy: true},
	{Name: provType, Post: true, Put: true, Filter: true, Sort: true, Policy: true, Validate: maxString(255)},
	{Name: provPhysnet, Post: true, Put: true, Filter: true, Sort: true, Policy: true, Validate: maxStringOrNone(64)},
	{Name: provSegID, Post: true, Put: true, Filter: true, Sort: true, Policy: true, Convert: toIntOrNone},
	{Name: "segments", Post: true, Put: true, Policy: true, Validate: validSegments},
	{Name: "port_security_enabled", Post: true, Put: true, Default: true, Convert: toBool, Filter: true, Policy: true},
	{Name: "mtu", Post: true, Put: true, Default: int64(0), Convert: toInt, Validate: nonNegative, Filter: true, Sort: true, Policy: true},
	{Name: "availability_zone_hints", Post: true, Default: []any{}, Validate: stringList(255)},
	{Name: "availability_zones"},
	{Name: "is_default", Post: true, Put: true, Default: false, Convert: toBool, Filter: true, Policy: true},
	{Name: "ipv4_address_scope", Filter: true},
	{Name: "ipv6_address_scope", Filter: true},
	{Name: "l2_adjacency"},
	qosPolicyIDAttr,
}, stdAttrDefs()))

// validSegments is the multi-provider segments validator.
func validSegments(v any) string {
	if v == nil {
		return ""
	}
	list, ok := v.([]any)
	if !ok {
		return fmt.Sprintf("'%s' is not a list", pyStr(v))
	}
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return fmt.Sprintf("'%s' is not a dictionary", pyStr(e))
		}
		for k := range m {
			if k != provType && k != provPhysnet && k != provSegID {
				return fmt.Sprintf("Unrecognized attribute(s) '%s'", k)
			}
		}
		if id, ok := m[provSegID]; ok && id != nil {
			c, err := toInt(id)
			if err != nil {
				if ne, ok := neutronerr.As(err); ok {
					return ne.Message
				}
			}
			m[provSegID] = c
		}
	}
	return ""
}
