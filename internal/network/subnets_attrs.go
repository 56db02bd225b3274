package network

import (
	"fmt"
	"regexp"

	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// subnetResource is the subnet attribute map with the segment,
// subnet-service-types and standard-attribute extensions.
var subnetResource = NewResource("subnet", "subnets", concat(ownedAttrs(), []Attr{
	{Name: "name", Post: true, Put: true, Default: "", Filter: true, Sort: true, Validate: maxString(255)},
	{Name: "ip_version", Post: true, Required: true, Convert: toInt, Validate: intIn(4, 6), Filter: true, Sort: true},
	{Name: "network_id", Post: true, Required: true, Validate: validUUID, Filter: true, Sort: true},
	{Name: "subnetpool_id", Post: true, Validate: uuidOrNone, Filter: true, Sort: true},
	{Name: "use_default_subnetpool", Post: true, Default: false, Convert: toBool},
	{Name: "prefixlen", Post: true, Convert: toInt, Validate: nonNegative},
	{Name: "cidr", Post: true, Convert: cidrOrNone, Validate: ipam.ValidateSubnetOrNoneAttr, Filter: true, Sort: true},
	{Name: "gateway_ip", Post: true, Put: true, Convert: ipam.ConvertIPAttr, Validate: ipam.ValidateIPAddressOrNoneAttr, Filter: true, Sort: true},
	{Name: "allocation_pools", Post: true, Put: true, Validate: ipam.ValidateIPPoolsAttr},
	{Name: "dns_nameservers", Post: true, Put: true, Convert: ipam.ConvertNoneToEmptyListAttr, Validate: ipam.ValidateNameserversAttr},
	{Name: "host_routes", Post: true, Put: true, Convert: ipam.ConvertNoneToEmptyListAttr, Validate: ipam.ValidateHostRoutesAttr},
	{Name: "enable_dhcp", Post: true, Put: true, Default: true, Convert: toBool, Filter: true, Sort: true},
	{Name: "ipv6_ra_mode", Post: true, Validate: modeOrNone, Filter: true, Sort: true},
	{Name: "ipv6_address_mode", Post: true, Validate: modeOrNone, Filter: true, Sort: true},
	{Name: "shared", Filter: true},
	{Name: "segment_id", Post: true, Put: true, Validate: uuidOrNone, Filter: true, Policy: true},
	{Name: "service_types", Post: true, Put: true, Convert: serviceTypes, Filter: true, Policy: true},
}, stdAttrDefs()))

// subnetPolicyAttrs are the subnet attributes with get/update rules.
var subnetPolicyAttrs = []string{"segment_id", "service_types"}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$`)

// validUUID is type:uuid.
func validUUID(v any) string {
	s, ok := v.(string)
	if !ok || !uuidPattern.MatchString(s) {
		return fmt.Sprintf("'%s' is not a valid UUID", pyStr(v))
	}
	return ""
}

// uuidOrNone is type:uuid_or_none.
func uuidOrNone(v any) string {
	if v == nil {
		return ""
	}
	return validUUID(v)
}

// intIn is type:values over integers.
func intIn(values ...int64) func(any) string {
	return func(v any) string {
		i, ok := v.(int64)
		for _, x := range values {
			if ok && i == x {
				return ""
			}
		}
		list := ""
		for n, x := range values {
			if n > 0 {
				list += ", "
			}
			list += fmt.Sprint(x)
		}
		return fmt.Sprintf("%s is not in [%s]", pyReprValue(v), list)
	}
}

// cidrOrNone converts a cidr to canonical form, leaving null alone.
func cidrOrNone(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	return ipam.ConvertCIDRAttr(v)
}

// modeOrNone is type:values of the IPv6 modes, null allowed.
func modeOrNone(v any) string {
	if v == nil {
		return ""
	}
	return oneOf(ipam.ModeDHCPv6Stateful, ipam.ModeDHCPv6Stateless, ipam.ModeSLAAC)(v)
}

var serviceTypePattern = regexp.MustCompile(`^(network:|neutron:|compute:)`)

// serviceTypes is validate_subnet_service_types, which raises its own
// errors.
func serviceTypes(v any) (any, error) {
	if v == nil {
		return v, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, neutronerr.HTTPBadRequest("Subnet service types must be a list.")
	}
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			return nil, neutronerr.New("InvalidInputSubnetServiceType", "Subnet service type %s is not a string.", pyStr(e))
		}
		if !serviceTypePattern.MatchString(s) {
			return nil, neutronerr.InvalidSubnetServiceType(s)
		}
	}
	return list, nil
}
