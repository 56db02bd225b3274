package ipam

import (
	"net/netip"
	"slices"
)

// Window is MAX_WIN: a random pick chooses among the first Window free
// addresses of the first pool that has any.
const Window = 1000

// Rand returns a number in [0, n); callers pass math/rand/v2's IntN or a
// fixed function in tests.
type Rand func(n int) int

// sortedAddrs returns used sorted, copying only when it is not.
func sortedAddrs(used []netip.Addr) []netip.Addr {
	if slices.IsSortedFunc(used, netip.Addr.Compare) {
		return used
	}
	s := slices.Clone(used)
	slices.SortFunc(s, netip.Addr.Compare)
	return s
}

// freeInPool walks p's free addresses in order, at most limit of them,
// calling visit with each and its rank; visit returns false to stop. It
// returns how many it visited.
func freeInPool(p Pool, used []netip.Addr, limit int, visit func(a netip.Addr, rank int) bool) int {
	n := 0
	i, _ := slices.BinarySearchFunc(used, p.Start, netip.Addr.Compare)
	for a := p.Start; a.IsValid() && a.Compare(p.End) <= 0 && n < limit; a = a.Next() {
		for i < len(used) && used[i].Compare(a) < 0 {
			i++
		}
		if i < len(used) && used[i] == a {
			continue
		}
		n++
		if !visit(a, n-1) {
			break
		}
	}
	return n
}

// Pick is the Neutron DB IPAM driver's _generate_ip: over pools in order,
// the first pool with a free address gives either its first free one (rnd
// nil: PreferNext, used for DHCP ports, and the deterministic choice) or a
// random one of its first Window free ones. used need not be sorted.
func Pick(pools []Pool, used []netip.Addr, rnd Rand) (netip.Addr, bool) {
	used = sortedAddrs(used)
	limit := Window
	if rnd == nil {
		limit = 1
	}
	all := func(netip.Addr, int) bool { return true }
	for _, p := range pools {
		// Count the window, draw a rank in it, then walk to that address:
		// no list of up to Window addresses per allocation.
		n := freeInPool(p, used, limit, all)
		if n == 0 {
			continue
		}
		want := 0
		if rnd != nil {
			want = rnd(n)
		}
		var got netip.Addr
		freeInPool(p, used, want+1, func(a netip.Addr, rank int) bool {
			got = a
			return rank < want
		})
		return got, true
	}
	return netip.Addr{}, false
}

// CheckSpecificIP is the driver's _verify_ip: the address unused, then
// valid on the subnet (pools do not matter).
func CheckSpecificIP(sub Subnet, ip netip.Addr, used []netip.Addr) error {
	if _, found := slices.BinarySearchFunc(sortedAddrs(used), ip, netip.Addr.Compare); found {
		return IpAddressAlreadyAllocated(ip.String(), sub.ID)
	}
	if !CheckSubnetIP(sub.CIDR, ip, "") {
		return InvalidIpForSubnetIPAM(ip.String(), sub.ID)
	}
	return nil
}

// SubnetState is a subnet with its allocated addresses, as the caller
// reads them in its transaction.
type SubnetState struct {
	Subnet Subnet
	Used   []netip.Addr
}

// use records a in s, keeping Used sorted.
func (s *SubnetState) use(a netip.Addr) {
	s.Used = sortedAddrs(s.Used)
	i, _ := slices.BinarySearchFunc(s.Used, a, netip.Addr.Compare)
	s.Used = slices.Insert(s.Used, i, a)
}

// Allocation is one address given to a port.
type Allocation struct {
	SubnetID string
	IP       netip.Addr
}

// AllocatePort serves a port's requests (from PlanPortIPs) against states,
// which it updates so later requests see earlier ones. DHCP and
// distributed ports take the next free address; others use rnd (nil for
// first free). Exhaustion of every candidate is IpAddressGenerationFailure
// for the network, as upstream reports it.
func AllocatePort(networkID string, reqs []AddressRequest, states map[string]*SubnetState, owner string, rnd Rand) ([]Allocation, error) {
	if owner == OwnerDHCP || owner == OwnerDistributed {
		rnd = nil
	}
	out := make([]Allocation, 0, len(reqs))
	for _, r := range reqs {
		a, err := allocateOne(networkID, r, states, rnd)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// allocateOne is IpamSubnetGroup.allocate over the request's candidates.
func allocateOne(networkID string, r AddressRequest, states map[string]*SubnetState, rnd Rand) (Allocation, error) {
	for _, id := range r.SubnetIDs {
		st, ok := states[id]
		if !ok {
			continue
		}
		if r.IP.IsValid() {
			if err := CheckSpecificIP(st.Subnet, r.IP, st.Used); err != nil {
				return Allocation{}, err
			}
			st.use(r.IP)
			return Allocation{id, r.IP}, nil
		}
		if a, ok := Pick(st.Subnet.Pools, st.Used, rnd); ok {
			st.use(a)
			return Allocation{id, a}, nil
		}
	}
	return Allocation{}, IpAddressGenerationFailure(networkID)
}
