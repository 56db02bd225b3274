package network

import "github.com/monostack/monostack/internal/network/ipam"

// floatingIPResource is the floating IP attribute map: the core l3
// attributes, those of fip-port-details and expose-port-forwarding-in-fip,
// and the standard attributes.
var floatingIPResource = NewResource("floatingip", "floatingips", concat(ownedAttrs(), []Attr{
	{Name: "floating_ip_address", Post: true, Convert: ipam.ConvertIPAttr, Validate: ipam.ValidateIPAddressOrNoneAttr, Filter: true, Sort: true, Policy: true},
	{Name: "subnet_id", Post: true, Validate: uuidOrNone},
	{Name: "floating_network_id", Post: true, Required: true, Validate: validUUID, Filter: true, Sort: true},
	{Name: "router_id", Filter: true, Sort: true},
	{Name: "port_id", Post: true, Put: true, Validate: uuidOrNone, Filter: true, Sort: true},
	{Name: "fixed_ip_address", Post: true, Put: true, Convert: ipam.ConvertIPAttr, Validate: ipam.ValidateIPAddressOrNoneAttr, Filter: true, Sort: true},
	{Name: "status", Filter: true, Sort: true},
	{Name: "port_details"},
	{Name: "port_forwardings"},
}, stdAttrDefs()))
