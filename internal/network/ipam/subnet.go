package ipam

import (
	"fmt"
	"net/netip"
)

// IPv6 address modes (ipv6_ra_mode and ipv6_address_mode values).
const (
	ModeSLAAC           = "slaac"
	ModeDHCPv6Stateful  = "dhcpv6-stateful"
	ModeDHCPv6Stateless = "dhcpv6-stateless"
)

// IPv6Modes are the valid values of both mode attributes.
var IPv6Modes = []any{ModeDHCPv6Stateful, ModeDHCPv6Stateless, ModeSLAAC}

// Limits are the list limits of a subnet (config max_dns_nameservers and
// max_subnet_host_routes).
type Limits struct{ DNSNameservers, HostRoutes int }

// DefaultLimits are upstream's defaults.
var DefaultLimits = Limits{DNSNameservers: 5, HostRoutes: 20}

// Route is a host route as the API gave it.
type Route struct{ Destination, Nexthop string }

// Subnet is the stored state IPAM rules need.
type Subnet struct {
	ID           string
	IPVersion    int
	CIDR         netip.Prefix
	Gateway      netip.Addr // zero: no gateway
	Pools        []Pool
	EnableDHCP   bool
	RAMode       string // "" unset
	AddressMode  string // "" unset
	SubnetPoolID string // subnetpool_id, "" none
}

// SubnetSpec is a subnet create or update body after the attribute layer
// (converted and validated), with "not given" kept apart from null.
type SubnetSpec struct {
	ID          string // "" on create: messages then say "new subnet"
	IPVersion   int
	CIDR        string // as converted, e.g. "10.0.0.1/24"
	GatewaySet  bool   // gateway_ip in the body
	Gateway     string // "" with GatewaySet: null, no gateway
	PoolsSet    bool   // allocation_pools in the body
	Pools       []Pool // parsed with ParsePools
	EnableDHCP  *bool  // nil: not in an update body
	DNSSet      bool
	DNS         []string
	RoutesSet   bool
	Routes      []Route
	RAMode      string // "" unset
	AddressMode string // "" unset
}

func (s SubnetSpec) idOrNew() string {
	if s.ID == "" {
		return "new subnet"
	}
	return s.ID
}

// versionOf is netaddr.IPNetwork(addr).version, 0 when unparsable.
func versionOf(addr string) int {
	p, ok := parseNetaddrCIDR(addr)
	switch {
	case !ok:
		return 0
	case p.Addr().Is4():
		return 4
	}
	return 6
}

// checkVersion is _validate_ip_version.
func checkVersion(ipVersion int, addr, name string) error {
	if versionOf(addr) != ipVersion {
		return InvalidInput(fmt.Sprintf("%s '%s' does not match the ip_version '%d'", name, addr, ipVersion))
	}
	return nil
}

// ValidateSubnet is _validate_subnet: spec against its own cidr, or on an
// update (cur not nil) against the stored subnet, whose cidr and version
// spec must carry. The caller still checks GatewayIpInUse on an update.
func ValidateSubnet(spec SubnetSpec, cur *Subnet, lim Limits) error {
	checks := []func(SubnetSpec, *Subnet, Limits) error{
		checkCIDRVersion, checkDHCPCIDR, checkGateway, checkDNS, checkRoutes, checkModes,
	}
	for _, c := range checks {
		if err := c(spec, cur, lim); err != nil {
			return err
		}
	}
	return nil
}

func checkCIDRVersion(s SubnetSpec, _ *Subnet, _ Limits) error {
	if s.CIDR == "" {
		return nil
	}
	return checkVersion(s.IPVersion, s.CIDR, "cidr")
}

// checkDHCPCIDR applies the cidr rules of a subnet turning DHCP on.
func checkDHCPCIDR(s SubnetSpec, cur *Subnet, _ Limits) error {
	if s.EnableDHCP == nil || !*s.EnableDHCP || (cur != nil && cur.EnableDHCP) {
		return nil
	}
	p, ok := parseNetaddrCIDR(s.CIDR)
	if !ok {
		return nil
	}
	switch {
	case (s.IPVersion == 4 && p.Bits() > 30) || (s.IPVersion == 6 && p.Bits() > 126):
		return InvalidInput("Subnet has a prefix length that is incompatible with DHCP service enabled")
	case isMulticastNet(p):
		return InvalidInput("Multicast IP subnet is not supported if enable_dhcp is True")
	case isLoopbackNet(p):
		return InvalidInput("Loopback IP subnet is not supported if enable_dhcp is True")
	case s.IPVersion == 4 && p.Masked().Addr() == netip.IPv4Unspecified():
		return InvalidInput("First IP '0.0.0.0' of network is not supported if enable_dhcp is True.")
	}
	return nil
}

// isMulticastNet is netaddr's IPNetwork.is_multicast: inside 224/4 or ff00::/8.
func isMulticastNet(p netip.Prefix) bool {
	if p.Addr().Is4() {
		return p.Bits() >= 4 && netip.MustParsePrefix("224.0.0.0/4").Contains(p.Addr())
	}
	return p.Bits() >= 8 && netip.MustParsePrefix("ff00::/8").Contains(p.Addr())
}

func checkGateway(s SubnetSpec, _ *Subnet, _ Limits) error {
	if !s.GatewaySet || s.Gateway == "" {
		return nil
	}
	if err := checkVersion(s.IPVersion, s.Gateway, "gateway_ip"); err != nil {
		return err
	}
	p, _ := parseNetaddrCIDR(s.CIDR)
	gw, _ := ParseAddr(s.Gateway)
	if GatewayInvalidInSubnet(p, gw) {
		return InvalidInput("Gateway is not valid on subnet")
	}
	return nil
}

// GatewayInvalidInSubnet is check_gateway_invalid_in_subnet: an IPv4
// gateway may not be the network or broadcast address; one outside the
// cidr is allowed.
func GatewayInvalidInSubnet(cidr netip.Prefix, gw netip.Addr) bool {
	cidr = cidr.Masked()
	return gw.Is4() && cidr.Contains(gw) && (gw == cidr.Addr() || gw == lastOf(cidr))
}

func checkDNS(s SubnetSpec, _ *Subnet, lim Limits) error {
	if !s.DNSSet {
		return nil
	}
	if len(s.DNS) > lim.DNSNameservers {
		return DNSNameServersExhausted(s.idOrNew(), lim.DNSNameservers)
	}
	for _, d := range s.DNS {
		if _, ok := ParseAddr(d); !ok {
			return InvalidInput("Error parsing dns address " + d)
		}
		if err := checkVersion(s.IPVersion, d, "dns_nameserver"); err != nil {
			return err
		}
	}
	return nil
}

func checkRoutes(s SubnetSpec, _ *Subnet, lim Limits) error {
	if !s.RoutesSet {
		return nil
	}
	if len(s.Routes) > lim.HostRoutes {
		return HostRoutesExhausted(s.idOrNew(), lim.HostRoutes)
	}
	for _, r := range s.Routes {
		_, ok1 := parseNetaddrCIDR(r.Destination)
		_, ok2 := ParseAddr(r.Nexthop)
		if !ok1 || !ok2 {
			return InvalidInput(fmt.Sprintf("Invalid route: {'destination': '%s', 'nexthop': '%s'}", r.Destination, r.Nexthop))
		}
		if err := checkVersion(s.IPVersion, r.Nexthop, "nexthop"); err != nil {
			return err
		}
		if err := checkVersion(s.IPVersion, r.Destination, "destination"); err != nil {
			return err
		}
	}
	return nil
}

func checkModes(s SubnetSpec, cur *Subnet, _ Limits) error {
	if s.IPVersion == 4 {
		if s.RAMode != "" {
			return InvalidInput("ipv6_ra_mode is not valid when ip_version is 4")
		}
		if s.AddressMode != "" {
			return InvalidInput("ipv6_address_mode is not valid when ip_version is 4")
		}
		return nil
	}
	if s.IPVersion != 6 {
		return nil
	}
	if cur != nil {
		return checkIPv6UpdateDHCP(s, cur)
	}
	return checkIPv6Create(s)
}
