package ipam

import "net/netip"

// ProvisionalPDPrefix is the temporary cidr of an IPv6 prefix-delegation
// subnet; it overlaps nothing.
var ProvisionalPDPrefix = netip.MustParsePrefix("::/64")

// DefaultGateway is _gateway_ip_str for an unspecified gateway_ip: the
// network address for IPv6 (subnet-router anycast), the next one for IPv4
// (even when that is outside a /32). Zero when there is none.
func DefaultGateway(cidr netip.Prefix) netip.Addr {
	if cidr.Addr().Is6() {
		return cidr.Masked().Addr()
	}
	return cidr.Masked().Addr().Next()
}

// CheckSubnetCIDR is _validate_subnet_cidr: no /0, and no overlap with
// another subnet of the network (the provisional PD prefix excepted).
func CheckSubnetCIDR(networkID string, cidr netip.Prefix, existing []netip.Prefix) error {
	if cidr.Bits() == 0 {
		return InvalidInput("0 is not allowed as CIDR prefix length")
	}
	for _, e := range existing {
		if e == ProvisionalPDPrefix {
			continue
		}
		if e.Addr().BitLen() == cidr.Addr().BitLen() && e.Overlaps(cidr) {
			return InvalidInput("Requested subnet with cidr: " + cidr.String() + " for network: " + networkID + " overlaps with another subnet")
		}
	}
	return nil
}

// CheckCreateShape is the first checks of a subnet create: cidr and
// prefixlen exclusive, and a cidr needed without a subnet pool.
func CheckCreateShape(hasCIDR, hasPrefixlen, hasSubnetPool bool) error {
	if hasCIDR && hasPrefixlen {
		return BadRequest("subnets", "cidr and prefixlen must not be supplied together")
	}
	if !hasSubnetPool && !hasCIDR {
		return BadRequest("subnets", "a subnetpool must be specified in the absence of a cidr")
	}
	return nil
}

// PrepareSubnet runs a create with a specific cidr and no subnet pool the
// way upstream does, minus the database: cidr normalised, validation
// (enable_dhcp defaults to true), gateway defaulted, pools generated or checked, then the overlap check
// against the network's other subnets. The result's ID is spec's.
func PrepareSubnet(spec SubnetSpec, networkID string, existing []netip.Prefix, lim Limits) (Subnet, error) {
	cidr, err := ParseCIDR(spec.CIDR)
	if err != nil {
		return Subnet{}, err
	}
	spec.CIDR = cidr.String()
	if spec.EnableDHCP == nil {
		spec.EnableDHCP = new(true)
	}
	if err := ValidateSubnet(spec, nil, lim); err != nil {
		return Subnet{}, err
	}
	sub := Subnet{ID: spec.ID, IPVersion: spec.IPVersion, CIDR: cidr, EnableDHCP: *spec.EnableDHCP,
		RAMode: spec.RAMode, AddressMode: spec.AddressMode}
	sub.Gateway = gatewayOf(spec, cidr)
	var given []Pool
	if spec.PoolsSet {
		given = append([]Pool{}, spec.Pools...)
	}
	if sub.Pools, err = PreparePools(given, cidr, sub.Gateway); err != nil {
		return Subnet{}, err
	}
	sub.Pools = SortPools(sub.Pools)
	return sub, CheckSubnetCIDR(networkID, cidr, existing)
}

// gatewayOf is the gateway a create stores: given, null or the default.
func gatewayOf(spec SubnetSpec, cidr netip.Prefix) netip.Addr {
	if !spec.GatewaySet {
		return DefaultGateway(cidr)
	}
	gw, _ := ParseAddr(spec.Gateway)
	return gw
}

// PrepareUpdate is _update_subnet_precommit without the database: spec is
// the update body (its version and cidr are taken from cur). It gives the
// subnet with the new gateway and pools. Callers check GatewayIpInUse when
// the gateway moves.
func PrepareUpdate(cur Subnet, spec SubnetSpec, lim Limits) (Subnet, error) {
	spec.ID, spec.IPVersion, spec.CIDR = cur.ID, cur.IPVersion, cur.CIDR.String()
	if err := ValidateSubnet(spec, &cur, lim); err != nil {
		return Subnet{}, err
	}
	out := cur
	if spec.PoolsSet {
		if err := ValidatePools(spec.Pools, cur.CIDR); err != nil {
			return Subnet{}, err
		}
		out.Pools = SortPools(spec.Pools)
	}
	if spec.GatewaySet {
		out.Gateway, _ = ParseAddr(spec.Gateway)
	}
	if spec.EnableDHCP != nil {
		out.EnableDHCP = *spec.EnableDHCP
	}
	if out.Gateway != cur.Gateway || spec.PoolsSet {
		pools := cur.Pools
		if spec.PoolsSet {
			pools = spec.Pools
		}
		if err := CheckGatewayOutOfPools(out.Gateway, pools); err != nil {
			return Subnet{}, err
		}
	}
	return out, nil
}
