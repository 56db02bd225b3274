package ipam

import (
	"fmt"
	"net/netip"
	"slices"
)

// Pool is an allocation pool: an inclusive range of addresses.
type Pool struct{ Start, End netip.Addr }

// String is netaddr's IPRange form, "start-end".
func (p Pool) String() string { return p.Start.String() + "-" + p.End.String() }

// Contains says whether a is in the pool.
func (p Pool) Contains(a netip.Addr) bool {
	return a.BitLen() == p.Start.BitLen() && p.Start.Compare(a) <= 0 && a.Compare(p.End) <= 0
}

// PoolInput is one allocation_pools item as the API gave it (both
// addresses already passed ValidateIPPoolsAttr).
type PoolInput struct{ Start, End string }

// ParsePools is pools_to_ip_range: a pool whose start is above its end or
// whose ends differ in family is an InvalidAllocationPool.
func ParsePools(in []PoolInput) ([]Pool, error) {
	out := make([]Pool, 0, len(in))
	for _, p := range in {
		s, err1 := netip.ParseAddr(p.Start)
		e, err2 := netip.ParseAddr(p.End)
		if err1 != nil || err2 != nil || s.BitLen() != e.BitLen() || s.Compare(e) > 0 {
			return nil, InvalidAllocationPool(fmt.Sprintf("{'start': '%s', 'end': '%s'}", p.Start, p.End))
		}
		out = append(out, Pool{s, e})
	}
	return out, nil
}

// usableBounds are the first and last addresses a pool may use: IPv4 loses
// network and broadcast up to /30, IPv6 loses the subnet-router anycast.
func usableBounds(cidr netip.Prefix) (netip.Addr, netip.Addr) {
	first, last := cidr.Masked().Addr(), lastOf(cidr)
	if first.Is4() && cidr.Bits() > 30 {
		return first, last
	}
	if first.Is4() {
		return first.Next(), last.Prev()
	}
	return first.Next(), last
}

// GeneratePools is generate_pools: the usable range of cidr without the
// gateway (zero Addr for none), split around it.
func GeneratePools(cidr netip.Prefix, gateway netip.Addr) []Pool {
	first, last := cidr.Masked().Addr(), lastOf(cidr)
	if first == last {
		return []Pool{{first, last}}
	}
	lo, hi := usableBounds(cidr)
	set := newRangeSet(widthOf(first), []span{{toU128(lo), toU128(hi)}})
	if gateway.IsValid() && gateway.BitLen() == first.BitLen() {
		g := toU128(gateway)
		set = set.minus(newRangeSet(set.width, []span{{g, g}}))
	}
	out := make([]Pool, 0, len(set.spans))
	for _, s := range set.spans {
		out = append(out, Pool{s.lo.addr(set.width), s.hi.addr(set.width)})
	}
	return out
}

// ValidatePools is validate_allocation_pools: each pool of cidr's family
// and inside its usable range, no two pools overlapping (checked pairwise
// in the given order).
func ValidatePools(pools []Pool, cidr netip.Prefix) error {
	lo, hi := usableBounds(cidr)
	for _, p := range pools {
		if p.Start.BitLen() != lo.BitLen() || p.End.BitLen() != lo.BitLen() {
			return InvalidAllocationPool(p.String())
		}
		if p.Start.Compare(lo) < 0 || p.End.Compare(hi) > 0 {
			return OutOfBoundsAllocationPool(p, cidr.String())
		}
	}
	for i := range pools {
		for j := i + 1; j < len(pools); j++ {
			if pools[i].Start.Compare(pools[j].End) <= 0 && pools[j].Start.Compare(pools[i].End) <= 0 {
				return OverlappingAllocationPools(pools[i], pools[j], cidr.String())
			}
		}
	}
	return nil
}

// CheckGatewayOutOfPools is validate_gw_out_of_pools.
func CheckGatewayOutOfPools(gateway netip.Addr, pools []Pool) error {
	if !gateway.IsValid() {
		return nil
	}
	for _, p := range pools {
		if p.Contains(gateway) {
			return GatewayConflictWithAllocationPools(p, gateway.String())
		}
	}
	return nil
}

// PreparePools is _prepare_allocation_pools: generated pools when none
// were given (pools nil), else the given ones validated against the cidr
// and the gateway.
func PreparePools(pools []Pool, cidr netip.Prefix, gateway netip.Addr) ([]Pool, error) {
	if pools == nil {
		return GeneratePools(cidr, gateway), nil
	}
	if err := ValidatePools(pools, cidr); err != nil {
		return nil, err
	}
	if err := CheckGatewayOutOfPools(gateway, pools); err != nil {
		return nil, err
	}
	return pools, nil
}

// SortPools orders pools by start address, as the IPAM subnet request
// stores them.
func SortPools(pools []Pool) []Pool {
	out := slices.Clone(pools)
	slices.SortFunc(out, func(a, b Pool) int { return a.Start.Compare(b.Start) })
	return out
}
