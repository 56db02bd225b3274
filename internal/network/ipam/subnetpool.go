package ipam

import (
	"fmt"
	"math"
	"net/netip"
	"slices"
)

// SubnetPoolSpec is a subnet pool body (or the stored pool merged with an
// update body); nil is "not given".
type SubnetPoolSpec struct {
	Prefixes         []string
	MinPrefixlen     *int
	MaxPrefixlen     *int
	DefaultPrefixlen *int
	DefaultQuota     *int
}

// SubnetPool is a pool's prefix data after SubnetPoolReader.
type SubnetPool struct {
	IPVersion        int
	Prefixes         []netip.Prefix // compacted, in address order
	MinPrefixlen     int
	MaxPrefixlen     int
	DefaultPrefixlen int
	DefaultQuota     int // 0: no quota
}

// familyBits, default minimum and quota unit per IP version.
func familyInfo(version int) (maxLen, defaultMin, quotaUnit int) {
	if version == 4 {
		return 32, 8, 32
	}
	return 128, 64, 64
}

// ReadSubnetPool is SubnetPoolReader: version from the prefixes, prefixes
// compacted, bounds defaulted (min 8 or 64, max 32 or 128, default = min)
// and checked in upstream's order.
func ReadSubnetPool(spec SubnetPoolSpec) (SubnetPool, error) {
	if len(spec.Prefixes) == 0 {
		return SubnetPool{}, EmptySubnetPoolPrefixList()
	}
	var ps []netip.Prefix
	for _, s := range spec.Prefixes {
		p, ok := parseNetaddrCIDR(s)
		if !ok {
			return SubnetPool{}, InvalidInput(s + " is not in a CIDR format")
		}
		if len(ps) > 0 && widthOf(p.Addr()) != widthOf(ps[0].Addr()) {
			return SubnetPool{}, PrefixVersionMismatch()
		}
		ps = append(ps, p)
	}
	sp := SubnetPool{IPVersion: 6, Prefixes: CompactPrefixes(ps)}
	if ps[0].Addr().Is4() {
		sp.IPVersion = 4
	}
	maxLen, defMin, _ := familyInfo(sp.IPVersion)
	sp.MinPrefixlen = valueOr(spec.MinPrefixlen, defMin)
	sp.MaxPrefixlen = valueOr(spec.MaxPrefixlen, maxLen)
	sp.DefaultPrefixlen = valueOr(spec.DefaultPrefixlen, sp.MinPrefixlen)
	sp.DefaultQuota = valueOr(spec.DefaultQuota, 0)
	return sp, sp.checkBounds(maxLen)
}

func valueOr(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

// checkBounds is validate_min/max/default_prefixlen.
func (sp SubnetPool) checkBounds(maxLen int) error {
	switch {
	case sp.MinPrefixlen < 0:
		return UnsupportedMinSubnetPoolPrefix(sp.MinPrefixlen, 4)
	case sp.MinPrefixlen > sp.MaxPrefixlen:
		return IllegalSubnetPoolPrefixBounds("min_prefixlen", sp.MinPrefixlen, "max_prefixlen", sp.MaxPrefixlen)
	case sp.MaxPrefixlen > maxLen:
		return IllegalSubnetPoolPrefixBounds("max_prefixlen", sp.MaxPrefixlen, "ip_version_max", maxLen)
	case sp.DefaultPrefixlen < sp.MinPrefixlen:
		return IllegalSubnetPoolPrefixBounds("default_prefixlen", sp.DefaultPrefixlen, "min_prefixlen", sp.MinPrefixlen)
	case sp.DefaultPrefixlen > sp.MaxPrefixlen:
		return IllegalSubnetPoolPrefixBounds("default_prefixlen", sp.DefaultPrefixlen, "max_prefixlen", sp.MaxPrefixlen)
	}
	return nil
}

// CompactPrefixes is IPSet(prefixes).compact().iter_cidrs(): host bits
// cleared, overlaps and neighbours merged, IPv4 before IPv6.
func CompactPrefixes(ps []netip.Prefix) []netip.Prefix {
	return append(setOfPrefixes(32, ps).cidrs(), setOfPrefixes(128, ps).cidrs()...)
}

// UpdatePrefixes is the prefixes part of a pool update: the stored
// prefixes must stay covered; the result is compacted.
func UpdatePrefixes(orig []netip.Prefix, next []string) ([]netip.Prefix, error) {
	var ps []netip.Prefix
	for _, s := range next {
		p, ok := parseNetaddrCIDR(s)
		if !ok {
			return nil, InvalidInput(s + " is not in a CIDR format")
		}
		ps = append(ps, p)
	}
	for _, w := range []int{32, 128} {
		if !setOfPrefixes(w, ps).covers(setOfPrefixes(w, orig)) {
			return nil, IllegalSubnetPoolPrefixUpdate("Existing prefixes must be a subset of the new prefixes")
		}
	}
	return CompactPrefixes(ps), nil
}

// RemovePrefixes is remove_prefixes: unchanged (false) when nothing to
// remove is in the pool, refused when an allocated subnet is hit.
func RemovePrefixes(all, remove, allocated []netip.Prefix) ([]netip.Prefix, bool, error) {
	if len(all) == 0 || len(remove) == 0 {
		return all, false, nil
	}
	w := widthOf(all[0].Addr())
	cur, rm := setOfPrefixes(w, all), setOfPrefixes(w, remove)
	if !cur.intersects(rm) {
		return all, false, nil
	}
	if setOfPrefixes(w, allocated).intersects(rm) {
		return nil, false, IllegalSubnetPoolPrefixUpdate("One or more the prefixes to be removed is in use by a subnet.")
	}
	return cur.minus(rm).cidrs(), true, nil
}

// AvailablePrefixes is _get_available_prefix_list: the pool's free space
// as prefixes, smallest blocks (longest prefix) first, then by address.
func AvailablePrefixes(pool SubnetPool, allocated []netip.Prefix) []netip.Prefix {
	w, _, _ := familyInfo(pool.IPVersion)
	free := setOfPrefixes(w, pool.Prefixes).minus(setOfPrefixes(w, allocated)).cidrs()
	slices.SortStableFunc(free, func(a, b netip.Prefix) int { return b.Bits() - a.Bits() })
	return free
}

// PoolRequest asks a pool for a subnet: any prefix of Prefixlen when CIDR
// is zero, else CIDR itself. ProjectAllocations are the requesting
// project's subnets from this pool, for default_quota.
type PoolRequest struct {
	Prefixlen          int
	CIDR               netip.Prefix
	ProjectAllocations []netip.Prefix
}

// AllocateFromPool is SubnetAllocator.allocate_subnet: prefix length
// bounds, the project quota, then the first free block that fits (any)
// or the block that holds CIDR (specific). allocated are all the pool's
// subnets; the caller serialises allocations per pool.
func AllocateFromPool(pool SubnetPool, allocated []netip.Prefix, req PoolRequest) (netip.Prefix, error) {
	plen := req.Prefixlen
	if req.CIDR.IsValid() {
		plen = req.CIDR.Bits()
	}
	if plen > pool.MaxPrefixlen {
		return netip.Prefix{}, MaxPrefixSubnetAllocationError(plen, pool.MaxPrefixlen)
	}
	if plen < pool.MinPrefixlen {
		return netip.Prefix{}, MinPrefixSubnetAllocationError(plen, pool.MinPrefixlen)
	}
	if err := checkPoolQuota(pool, req.ProjectAllocations, plen); err != nil {
		return netip.Prefix{}, err
	}
	free := AvailablePrefixes(pool, allocated)
	if req.CIDR.IsValid() {
		return allocateSpecific(free, req.CIDR)
	}
	for _, f := range free {
		if plen >= f.Bits() {
			return netip.PrefixFrom(f.Addr(), plen), nil
		}
	}
	return netip.Prefix{}, SubnetAllocationError(fmt.Sprintf("Insufficient prefix space to allocate subnet size /%d", plen))
}

func allocateSpecific(free []netip.Prefix, cidr netip.Prefix) (netip.Prefix, error) {
	for _, f := range free {
		if f.Contains(cidr.Addr()) && f.Bits() <= cidr.Bits() {
			return cidr, nil
		}
	}
	return netip.Prefix{}, SubnetAllocationError("Cannot allocate requested subnet from the available set of prefixes")
}

// checkPoolQuota is _check_subnetpool_tenant_quota: usage counted in /32
// (IPv4) or /64 (IPv6) units.
func checkPoolQuota(pool SubnetPool, mine []netip.Prefix, plen int) error {
	if pool.DefaultQuota == 0 {
		return nil
	}
	_, _, unit := familyInfo(pool.IPVersion)
	used := 0.0
	for _, p := range mine {
		used += math.Pow(2, float64(unit-p.Bits()))
	}
	if used+math.Pow(2, float64(unit-plen)) > float64(pool.DefaultQuota) {
		return SubnetPoolQuotaExceeded()
	}
	return nil
}

// AnySubnetDefaults are the gateway (network + 1, in both families) and
// pools of a subnet allocated by prefix length from a pool.
func AnySubnetDefaults(cidr netip.Prefix) (netip.Addr, []Pool) {
	gw := cidr.Masked().Addr().Next()
	return gw, GeneratePools(cidr, gw)
}

// CheckPoolVersion is _validate_ip_version_with_subnetpool (reqVersion 0:
// not given).
func CheckPoolVersion(reqVersion, poolVersion int) error {
	if reqVersion != 0 && reqVersion != poolVersion {
		return BadRequest("subnets", fmt.Sprintf("Cannot allocate IPv%d subnet from IPv%d subnet pool", reqVersion, poolVersion))
	}
	return nil
}

// CheckPoolsWithSubnetPool is validate_pools_with_subnetpool.
func CheckPoolsWithSubnetPool(hasPools, hasCIDR bool) error {
	if hasPools && !hasCIDR {
		return BadRequest("subnets", "allocation_pools allowed only for specific subnet requests.")
	}
	return nil
}

// CheckScopePrefixes is the overlap rule of _validate_address_scope_id:
// a pool's prefixes may not meet another pool's in the same scope.
func CheckScopePrefixes(prefixes []netip.Prefix, others [][]netip.Prefix) error {
	for _, o := range others {
		for _, w := range []int{32, 128} {
			if setOfPrefixes(w, prefixes).intersects(setOfPrefixes(w, o)) {
				return AddressScopePrefixConflict()
			}
		}
	}
	return nil
}

// PoolRef is what network affinity checks need of a subnet pool.
type PoolRef struct {
	ID             string
	IPVersion      int
	AddressScopeID string
}

// CheckNetworkSubnetPools is _validate_network_subnetpools (without prefix
// delegation): subnets of one network and family share one pool, or one
// address scope when the network has one. newPool nil: no pool.
func CheckNetworkSubnetPools(existing []Subnet, newPool *PoolRef, version int, networkScope string) error {
	if networkScope != "" && newPool != nil && newPool.AddressScopeID != networkScope {
		return NetworkAddressScopeAffinityError()
	}
	for _, s := range existing {
		if newPool != nil {
			if s.SubnetPoolID != newPool.ID && s.IPVersion == newPool.IPVersion && networkScope == "" {
				return NetworkSubnetPoolAffinityError()
			}
		} else if s.SubnetPoolID != "" && s.IPVersion == version {
			return NetworkSubnetPoolAffinityError()
		}
	}
	return nil
}
