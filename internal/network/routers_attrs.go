package network

import (
	"fmt"
	"sort"
	"strings"

	"github.com/monostack/monostack/internal/network/ipam"
)

// routerResource is the router attribute map: the core l3 attributes and
// those of ext-gw-mode, extraroute, dvr, l3-ha, router_availability_zone
// and the standard attributes.
var routerResource = NewResource("router", "routers", concat(ownedAttrs(), []Attr{
	{Name: "name", Post: true, Put: true, Default: "", Filter: true, Sort: true, Validate: maxString(255)},
	{Name: "admin_state_up", Post: true, Put: true, Default: true, Convert: toBool, Filter: true, Sort: true},
	{Name: "status", Filter: true, Sort: true},
	{Name: "external_gateway_info", Post: true, Put: true, Validate: validGatewayInfo, Policy: true},
	{Name: "routes", Put: true, Convert: ipam.ConvertNoneToEmptyListAttr, Validate: ipam.ValidateHostRoutesAttr},
	{Name: "distributed", Post: true, Put: true, Convert: toBool, Filter: true, Policy: true},
	{Name: "ha", Post: true, Put: true, Convert: toBool, Filter: true, Policy: true},
	{Name: "availability_zone_hints", Post: true, Default: []any{}, Validate: stringList(255)},
	{Name: "availability_zones"},
	{Name: "flavor_id", Post: true, Validate: uuidOrNone, Filter: true},
}, stdAttrDefs()))

// routerPolicyAttrs are the router attributes with their own rules.
var routerPolicyAttrs = []string{"distributed", "ha"}

// validGatewayInfo is type:dict_or_nodata over network_id (required),
// enable_snat and external_fixed_ips.
func validGatewayInfo(v any) string {
	if v == nil {
		return ""
	}
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Sprintf("'%s' is not a dictionary", pyStr(v))
	}
	if len(m) == 0 {
		return ""
	}
	var extra []string
	for k := range m {
		if k != "network_id" && k != "enable_snat" && k != "external_fixed_ips" {
			extra = append(extra, "'"+k+"'")
		}
	}
	if _, ok := m["network_id"]; !ok || len(extra) > 0 {
		sort.Strings(extra)
		return "Validation of dictionary's keys failed. Expected keys: {'network_id'} Provided keys: {" + strings.Join(extra, ", ") + "}"
	}
	if msg := validUUID(m["network_id"]); msg != "" {
		return msg
	}
	if snat, ok := m["enable_snat"]; ok {
		if _, err := toBool(snat); err != nil {
			return fmt.Sprintf("'%s' is not a valid boolean value", pyStr(snat))
		}
	}
	if ips, ok := m["external_fixed_ips"]; ok && ips != nil {
		return validFixedIPs(ips)
	}
	return ""
}

// gatewayRequest is an external_gateway_info body.
type gatewayRequest struct {
	NetworkID  string
	EnableSNAT *bool
	Fixed      []ipam.FixedIPRequest // nil: not given
}

// parseGateway reads a validated external_gateway_info; nil clears it.
func parseGateway(v any) *gatewayRequest {
	m, _ := v.(map[string]any)
	if len(m) == 0 {
		return nil
	}
	g := &gatewayRequest{}
	g.NetworkID, _ = m["network_id"].(string)
	if snat, ok := m["enable_snat"]; ok {
		b, _ := toBool(snat)
		v, _ := b.(bool)
		g.EnableSNAT = &v
	}
	if _, ok := m["external_fixed_ips"].([]any); ok {
		g.Fixed = fixedRequests(map[string]any{"fixed_ips": m["external_fixed_ips"]})
	}
	return g
}

// gatewayPolicyAttrs are the external_gateway_info sub-attributes a body
// sets, for their own policy rules.
func gatewayPolicyAttrs(item map[string]any) []string {
	m, _ := item["external_gateway_info"].(map[string]any)
	var out []string
	for _, k := range []string{"network_id", "enable_snat", "external_fixed_ips"} {
		if _, ok := m[k]; ok {
			out = append(out, "external_gateway_info:"+k)
		}
	}
	return out
}
