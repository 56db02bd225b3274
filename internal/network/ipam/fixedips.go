package ipam

import (
	"net/netip"
	"slices"
)

// Device owners whose rules differ (neutron_lib constants).
const (
	OwnerRouterInterface      = "network:router_interface"
	OwnerRouterGateway        = "network:router_gateway"
	OwnerRouterSNAT           = "network:router_centralized_snat"
	OwnerDVRInterface         = "network:router_interface_distributed"
	OwnerHAReplicatedInt      = "network:ha_router_replicated_interface"
	OwnerDHCP                 = "network:dhcp"
	OwnerDistributed          = "network:distributed"
	routerInterfaceOwnerCount = 3
)

// routerOwners is ROUTER_INTERFACE_OWNERS_SNAT then the gateway owner;
// prefixes of it are the other upstream tuples.
var routerOwners = []string{OwnerRouterInterface, OwnerHAReplicatedInt, OwnerDVRInterface, OwnerRouterSNAT, OwnerRouterGateway}

// isRouterInterface is membership of ROUTER_INTERFACE_OWNERS.
func isRouterInterface(owner string) bool {
	return slices.Contains(routerOwners[:routerInterfaceOwnerCount], owner)
}

// isRouterInterfaceSNAT is membership of ROUTER_INTERFACE_OWNERS_SNAT.
func isRouterInterfaceSNAT(owner string) bool {
	return slices.Contains(routerOwners[:routerInterfaceOwnerCount+1], owner)
}

// CheckSubnetIP is check_subnet_ip: ip inside cidr and, in IPv4, neither
// the network address nor the broadcast one (none past /30); in IPv6 the network address only for router
// ports or an unknown owner ("").
func CheckSubnetIP(cidr netip.Prefix, ip netip.Addr, owner string) bool {
	cidr = cidr.Masked()
	if !cidr.Contains(ip) {
		return false
	}
	if ip.Is4() {
		return ip != cidr.Addr() && (cidr.Bits() > 30 || ip != lastOf(cidr))
	}
	return owner == "" || slices.Contains(routerOwners, owner) || ip != cidr.Addr()
}

// FixedIPRequest is one fixed_ips item of a port body; "" is absent.
type FixedIPRequest struct{ SubnetID, IPAddress string }

// AddressRequest is one address a port needs.
type AddressRequest struct {
	SubnetIDs []string   // candidates, tried in order
	IP        netip.Addr // a requested or EUI-64 address; zero for any free one
	EUI64     bool       // IP is an automatic (SLAAC/stateless) address
}

// SubnetLookup tells why a subnet id not on the network fails: upstream
// first raises SubnetNotFound (404) when it does not exist at all.
type SubnetLookup func(subnetID string) error

// subnetForFixedIP is _get_subnet_for_fixed_ip.
func subnetForFixedIP(networkID string, subnets []Subnet, f FixedIPRequest, owner string, lookup SubnetLookup) (*Subnet, netip.Addr, error) {
	if len(subnets) == 0 {
		return nil, netip.Addr{}, InvalidInput("IP allocation requires subnets for network")
	}
	ip, _ := ParseAddr(f.IPAddress)
	if f.SubnetID != "" {
		i := slices.IndexFunc(subnets, func(s Subnet) bool { return s.ID == f.SubnetID })
		if i < 0 {
			if lookup != nil {
				if err := lookup(f.SubnetID); err != nil {
					return nil, ip, err
				}
			}
			return nil, ip, InvalidInput("Failed to create port on network " + networkID + ", because fixed_ips included invalid subnet " + f.SubnetID)
		}
		if f.IPAddress != "" && !CheckSubnetIP(subnets[i].CIDR, ip, owner) {
			return nil, ip, InvalidIpForSubnet(f.IPAddress)
		}
		return &subnets[i], ip, nil
	}
	if f.IPAddress == "" {
		return nil, ip, InvalidInput("IP allocation requires subnet_id or ip_address")
	}
	for i := range subnets {
		if CheckSubnetIP(subnets[i].CIDR, ip, owner) {
			return &subnets[i], ip, nil
		}
	}
	return nil, ip, InvalidIpForNetwork(f.IPAddress)
}

// ResolveFixedIPs is _test_fixed_ips_for_port: each requested fixed IP
// matched to a subnet of the network, an ip_address refused on SLAAC and
// DHCPv6-stateless subnets (but for router interfaces), and subnet-only
// requests for those subnets left to the automatic EUI-64 pass.
func ResolveFixedIPs(networkID string, subnets []Subnet, fixed []FixedIPRequest, owner string, lookup SubnetLookup) ([]AddressRequest, error) {
	var out []AddressRequest
	for _, f := range fixed {
		sub, ip, err := subnetForFixedIP(networkID, subnets, f, owner, lookup)
		if err != nil {
			return nil, err
		}
		auto := IsAutoAddress(sub.RAMode, sub.AddressMode)
		if f.IPAddress != "" && sub.CIDR != ProvisionalPDPrefix {
			if auto && !isRouterInterface(owner) {
				return nil, AllocationOnAutoAddressSubnet(f.IPAddress, sub.ID)
			}
			out = append(out, AddressRequest{SubnetIDs: []string{sub.ID}, IP: ip})
			continue
		}
		if isRouterInterfaceSNAT(owner) || !auto {
			out = append(out, AddressRequest{SubnetIDs: []string{sub.ID}})
		}
	}
	return out, nil
}

// PlanPortIPs is _allocate_ips_for_port before the IPAM driver: fixed nil
// means fixed_ips was not given (one address from the IPv4 subnets, one
// from the stateful IPv6 ones); automatic subnets add their EUI-64 address
// for mac unless the port is a router interface. Requests for a specific
// address come first. subnets are the candidates in preference order.
func PlanPortIPs(networkID string, subnets []Subnet, fixed []FixedIPRequest, owner, mac string, lookup SubnetLookup) ([]AddressRequest, error) {
	var reqs []AddressRequest
	if fixed != nil {
		var err error
		if reqs, err = ResolveFixedIPs(networkID, subnets, fixed, owner, lookup); err != nil {
			return nil, err
		}
	} else {
		reqs = defaultRequests(subnets)
	}
	if !isRouterInterfaceSNAT(owner) {
		for _, s := range subnets {
			if s.IPVersion == 6 && IsAutoAddress(s.RAMode, s.AddressMode) {
				ip, err := EUI64(s.CIDR, mac)
				if err != nil {
					return nil, err
				}
				reqs = append(reqs, AddressRequest{SubnetIDs: []string{s.ID}, IP: ip, EUI64: true})
			}
		}
	}
	slices.SortStableFunc(reqs, func(a, b AddressRequest) int { return specificRank(a) - specificRank(b) })
	return reqs, nil
}

// specificRank orders requests with an ip_address before the rest.
func specificRank(r AddressRequest) int {
	if r.IP.IsValid() && !r.EUI64 {
		return 0
	}
	return 1
}

// defaultRequests are the any-address groups of a port without fixed_ips.
func defaultRequests(subnets []Subnet) []AddressRequest {
	var v4, v6 []string
	for _, s := range subnets {
		switch {
		case s.IPVersion == 4:
			v4 = append(v4, s.ID)
		case !IsAutoAddress(s.RAMode, s.AddressMode):
			v6 = append(v6, s.ID)
		}
	}
	var out []AddressRequest
	for _, ids := range [][]string{v4, v6} {
		if len(ids) > 0 {
			out = append(out, AddressRequest{SubnetIDs: ids})
		}
	}
	return out
}
