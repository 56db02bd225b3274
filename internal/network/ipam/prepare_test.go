package ipam

import (
	"fmt"
	"net/netip"
	"slices"
	"testing"
)

// Expectations below come from running Neutron 2023.2's own code
// (_validate_subnet, _prepare_allocation_pools, _validate_subnet_cidr).
func TestPrepareSubnet(t *testing.T) {
	v6 := func(s *SubnetSpec) { s.IPVersion = 6 }
	gw := func(g string) func(*SubnetSpec) {
		return func(s *SubnetSpec) { s.GatewaySet, s.Gateway = true, g }
	}
	dhcp := func(b bool) func(*SubnetSpec) { return func(s *SubnetSpec) { s.EnableDHCP = boolp(b) } }
	modes := func(ra, addr string) func(*SubnetSpec) {
		return func(s *SubnetSpec) { s.RAMode, s.AddressMode = ra, addr }
	}
	dns := func(d ...string) func(*SubnetSpec) { return func(s *SubnetSpec) { s.DNSSet, s.DNS = true, d } }
	routes := func(r ...Route) func(*SubnetSpec) { return func(s *SubnetSpec) { s.RoutesSet, s.Routes = true, r } }
	withPools := func(p ...string) func(*SubnetSpec) {
		return func(s *SubnetSpec) { s.PoolsSet, s.Pools = true, pools(t, p...) }
	}
	var manyRoutes []Route
	for i := range 21 {
		manyRoutes = append(manyRoutes, Route{fmt.Sprintf("10.%d.0.0/16", i), "10.0.0.1"})
	}
	cases := []struct {
		name     string
		cidr     string
		opts     []func(*SubnetSpec)
		existing []string
		want     string // "cidr gw pools" or the error
	}{
		{"issue example", "10.5.5.0/24", []func(*SubnetSpec){dns("8.8.8.8")}, nil, "10.5.5.0/24 10.5.5.1 [10.5.5.2-10.5.5.254]"},
		{"host bits cleared", "10.0.0.1/24", nil, nil, "10.0.0.0/24 10.0.0.1 [10.0.0.2-10.0.0.254]"},
		{"ipv6 default gateway is the network address", "2001:db8::/64", []func(*SubnetSpec){v6}, nil, "2001:db8::/64 2001:db8:: [2001:db8::1-2001:db8::ffff:ffff:ffff:ffff]"},
		{"null gateway", "10.0.0.0/24", []func(*SubnetSpec){gw("")}, nil, "10.0.0.0/24 invalid IP [10.0.0.1-10.0.0.254]"},
		{"pools split around gateway", "10.0.0.0/24", []func(*SubnetSpec){gw("10.0.0.100")}, nil, "10.0.0.0/24 10.0.0.100 [10.0.0.1-10.0.0.99 10.0.0.101-10.0.0.254]"},
		{"gateway outside cidr allowed", "10.0.0.0/24", []func(*SubnetSpec){gw("10.0.1.1")}, nil, "10.0.0.0/24 10.0.1.1 [10.0.0.1-10.0.0.254]"},
		{"gateway is network address", "10.0.0.0/24", []func(*SubnetSpec){gw("10.0.0.0")}, nil, "InvalidInput: Invalid input for operation: Gateway is not valid on subnet."},
		{"gateway is broadcast", "10.0.0.0/24", []func(*SubnetSpec){gw("10.0.0.255")}, nil, "InvalidInput: Invalid input for operation: Gateway is not valid on subnet."},
		{"gateway wrong version", "10.0.0.0/24", []func(*SubnetSpec){gw("2001:db8::1")}, nil, "InvalidInput: Invalid input for operation: gateway_ip '2001:db8::1' does not match the ip_version '4'."},
		{"ipv6 gateway network address ok", "2001:db8::/64", []func(*SubnetSpec){v6, gw("2001:db8::")}, nil, "2001:db8::/64 2001:db8:: [2001:db8::1-2001:db8::ffff:ffff:ffff:ffff]"},
		{"cidr wrong version", "10.0.0.0/24", []func(*SubnetSpec){v6}, nil, "InvalidInput: Invalid input for operation: cidr '10.0.0.0/24' does not match the ip_version '6'."},
		{"version message shows normalised cidr", "10.0.0.1/24", []func(*SubnetSpec){v6}, nil, "InvalidInput: Invalid input for operation: cidr '10.0.0.0/24' does not match the ip_version '6'."},
		{"dhcp defaults to on", "10.0.0.0/31", []func(*SubnetSpec){func(s *SubnetSpec) { s.EnableDHCP = nil }}, nil, "InvalidInput: Invalid input for operation: Subnet has a prefix length that is incompatible with DHCP service enabled."},
		{"/31 with dhcp", "10.0.0.0/31", nil, nil, "InvalidInput: Invalid input for operation: Subnet has a prefix length that is incompatible with DHCP service enabled."},
		{"/31 without dhcp", "10.0.0.0/31", []func(*SubnetSpec){dhcp(false)}, nil, "10.0.0.0/31 10.0.0.1 [10.0.0.0-10.0.0.0]"},
		{"/32 without dhcp", "10.0.0.0/32", []func(*SubnetSpec){dhcp(false)}, nil, "10.0.0.0/32 10.0.0.1 [10.0.0.0-10.0.0.0]"},
		{"/127 with dhcp", "2001:db8::/127", []func(*SubnetSpec){v6}, nil, "InvalidInput: Invalid input for operation: Subnet has a prefix length that is incompatible with DHCP service enabled."},
		{"multicast with dhcp", "224.0.0.0/24", nil, nil, "InvalidInput: Invalid input for operation: Multicast IP subnet is not supported if enable_dhcp is True."},
		{"multicast without dhcp", "224.0.0.0/24", []func(*SubnetSpec){dhcp(false)}, nil, "224.0.0.0/24 224.0.0.1 [224.0.0.2-224.0.0.254]"},
		{"ipv6 multicast", "ff00::/64", []func(*SubnetSpec){v6}, nil, "InvalidInput: Invalid input for operation: Multicast IP subnet is not supported if enable_dhcp is True."},
		{"loopback", "127.0.0.0/8", nil, nil, "InvalidInput: Invalid input for operation: Loopback IP subnet is not supported if enable_dhcp is True."},
		{"zero network with dhcp", "0.0.0.0/8", nil, nil, "InvalidInput: Invalid input for operation: First IP '0.0.0.0' of network is not supported if enable_dhcp is True.."},
		{"prefix length 0", "0.0.0.0/0", []func(*SubnetSpec){dhcp(false)}, nil, "InvalidInput: Invalid input for operation: 0 is not allowed as CIDR prefix length."},
		{"too many nameservers", "10.0.0.0/24", []func(*SubnetSpec){dns("1.1.1.1", "1.1.1.2", "1.1.1.3", "1.1.1.4", "1.1.1.5", "1.1.1.6")}, nil, "DNSNameServersExhausted: Unable to complete operation for new subnet. The number of DNS nameservers exceeds the limit 5."},
		{"nameserver wrong version", "10.0.0.0/24", []func(*SubnetSpec){dns("2001:db8::1")}, nil, "InvalidInput: Invalid input for operation: dns_nameserver '2001:db8::1' does not match the ip_version '4'."},
		{"nexthop wrong version", "10.0.0.0/24", []func(*SubnetSpec){routes(Route{"1.0.0.0/8", "2001:db8::1"})}, nil, "InvalidInput: Invalid input for operation: nexthop '2001:db8::1' does not match the ip_version '4'."},
		{"destination wrong version", "10.0.0.0/24", []func(*SubnetSpec){routes(Route{"2001:db8::/64", "10.0.0.1"})}, nil, "InvalidInput: Invalid input for operation: destination '2001:db8::/64' does not match the ip_version '4'."},
		{"too many routes", "10.0.0.0/24", []func(*SubnetSpec){routes(manyRoutes...)}, nil, "HostRoutesExhausted: Unable to complete operation for new subnet. The number of host routes exceeds the limit 20."},
		{"ra mode on ipv4", "10.0.0.0/24", []func(*SubnetSpec){modes("slaac", "")}, nil, "InvalidInput: Invalid input for operation: ipv6_ra_mode is not valid when ip_version is 4."},
		{"address mode on ipv4", "10.0.0.0/24", []func(*SubnetSpec){modes("", "slaac")}, nil, "InvalidInput: Invalid input for operation: ipv6_address_mode is not valid when ip_version is 4."},
		{"modes without dhcp", "2001:db8::/64", []func(*SubnetSpec){v6, modes("slaac", ""), dhcp(false)}, nil, "InvalidInput: Invalid input for operation: ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is set to False."},
		{"modes differ", "2001:db8::/64", []func(*SubnetSpec){v6, modes("slaac", "dhcpv6-stateful")}, nil, "InvalidInput: Invalid input for operation: ipv6_ra_mode set to 'slaac' with ipv6_address_mode set to 'dhcpv6-stateful' is not valid. If both attributes are set, they must be the same value."},
		{"slaac /64", "2001:db8::/64", []func(*SubnetSpec){v6, modes("slaac", "slaac")}, nil, "2001:db8::/64 2001:db8:: [2001:db8::1-2001:db8::ffff:ffff:ffff:ffff]"},
		{"stateless needs /64", "2001:db8::/80", []func(*SubnetSpec){v6, modes("", "dhcpv6-stateless")}, nil, "InvalidInput: Invalid input for operation: Invalid CIDR 2001:db8::/80 for IPv6 address mode. OpenStack uses the EUI-64 address format, which requires the prefix to be /64."},
		{"stateful any length", "2001:db8::/80", []func(*SubnetSpec){v6, modes("", "dhcpv6-stateful")}, nil, "2001:db8::/80 2001:db8:: [2001:db8::1-2001:db8::ffff:ffff:ffff]"},
		{"overlapping pools", "10.0.0.0/24", []func(*SubnetSpec){withPools("10.0.0.2", "10.0.0.20", "10.0.0.10", "10.0.0.30")}, nil, "OverlappingAllocationPools: Found overlapping allocation pools: 10.0.0.2-10.0.0.20 10.0.0.10-10.0.0.30 for subnet 10.0.0.0/24."},
		{"pool on network address", "10.0.0.0/24", []func(*SubnetSpec){withPools("10.0.0.0", "10.0.0.20")}, nil, "OutOfBoundsAllocationPool: The allocation pool 10.0.0.0-10.0.0.20 spans beyond the subnet cidr 10.0.0.0/24."},
		{"pool holds gateway", "10.0.0.0/24", []func(*SubnetSpec){withPools("10.0.0.1", "10.0.0.20")}, nil, "GatewayConflictWithAllocationPools: Gateway ip 10.0.0.1 conflicts with allocation pool 10.0.0.1-10.0.0.20."},
		{"pool holds null gateway", "10.0.0.0/24", []func(*SubnetSpec){gw(""), withPools("10.0.0.1", "10.0.0.20")}, nil, "10.0.0.0/24 invalid IP [10.0.0.1-10.0.0.20]"},
		{"pools sorted", "10.0.0.0/24", []func(*SubnetSpec){withPools("10.0.0.50", "10.0.0.60", "10.0.0.2", "10.0.0.20")}, nil, "10.0.0.0/24 10.0.0.1 [10.0.0.2-10.0.0.20 10.0.0.50-10.0.0.60]"},
		{"empty pools", "10.0.0.0/24", []func(*SubnetSpec){withPools()}, nil, "10.0.0.0/24 10.0.0.1 []"},
		{"ipv6 pool on ipv4", "10.0.0.0/24", []func(*SubnetSpec){withPools("2001:db8::2", "2001:db8::9")}, nil, "InvalidAllocationPool: The allocation pool 2001:db8::2-2001:db8::9 is not valid."},
		{"overlaps a subnet", "10.0.1.0/24", nil, []string{"10.0.0.0/16"}, "InvalidInput: Invalid input for operation: Requested subnet with cidr: 10.0.1.0/24 for network: net-1 overlaps with another subnet."},
		{"no overlap", "10.0.1.0/24", nil, []string{"10.0.0.0/24", "2001:db8::/64"}, "10.0.1.0/24 10.0.1.1 [10.0.1.2-10.0.1.254]"},
		{"pd prefix ignored", "2001:db8::/64", []func(*SubnetSpec){v6}, []string{"::/64"}, "2001:db8::/64 2001:db8:: [2001:db8::1-2001:db8::ffff:ffff:ffff:ffff]"},
		{"overlap checked after pools", "10.0.0.0/24", []func(*SubnetSpec){withPools("10.0.0.2", "10.0.0.20")}, []string{"10.0.0.128/25"}, "InvalidInput: Invalid input for operation: Requested subnet with cidr: 10.0.0.0/24 for network: net-1 overlaps with another subnet."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spec := SubnetSpec{IPVersion: 4, CIDR: c.cidr, EnableDHCP: boolp(true)}
			for _, o := range c.opts {
				o(&spec)
			}
			var existing []netip.Prefix
			for _, e := range c.existing {
				existing = append(existing, pfx(e))
			}
			sub, err := PrepareSubnet(spec, "net-1", existing, DefaultLimits)
			if err != nil {
				wantErr(t, err, c.want)
				return
			}
			got := fmt.Sprintf("%s %s %v", sub.CIDR, sub.Gateway, poolStrings(sub.Pools))
			if got != c.want {
				t.Fatalf("got %q want %q", got, c.want)
			}
		})
	}
}

func TestParsePools(t *testing.T) {
	cases := []struct {
		in   []PoolInput
		want string
	}{
		{[]PoolInput{{"10.0.0.9", "10.0.0.2"}}, "InvalidAllocationPool: The allocation pool {'start': '10.0.0.9', 'end': '10.0.0.2'} is not valid."},
		{[]PoolInput{{"10.0.0.5", "2001:db8::2"}}, "InvalidAllocationPool: The allocation pool {'start': '10.0.0.5', 'end': '2001:db8::2'} is not valid."},
		{[]PoolInput{{"10.0.0.5", "10.0.0.5"}}, ""},
	}
	for _, c := range cases {
		_, err := ParsePools(c.in)
		wantErr(t, err, c.want)
	}
}

func TestGeneratePools(t *testing.T) {
	cases := []struct{ cidr, gw, want string }{
		{"10.5.5.0/24", "10.5.5.1", "[10.5.5.2-10.5.5.254]"},
		{"10.5.5.0/24", "10.5.5.100", "[10.5.5.1-10.5.5.99 10.5.5.101-10.5.5.254]"},
		{"10.5.5.0/24", "", "[10.5.5.1-10.5.5.254]"},
		{"10.5.5.0/24", "10.5.5.254", "[10.5.5.1-10.5.5.253]"},
		{"10.5.5.0/24", "10.5.6.1", "[10.5.5.1-10.5.5.254]"},
		{"10.0.0.0/31", "10.0.0.1", "[10.0.0.0-10.0.0.0]"},
		{"10.0.0.0/32", "10.0.0.1", "[10.0.0.0-10.0.0.0]"},
		{"10.0.0.0/30", "10.0.0.1", "[10.0.0.2-10.0.0.2]"},
		{"10.0.0.0/24", "10.0.0.2", "[10.0.0.1-10.0.0.1 10.0.0.3-10.0.0.254]"},
		{"2001:db8::/64", "2001:db8::", "[2001:db8::1-2001:db8::ffff:ffff:ffff:ffff]"},
		{"2001:db8::/64", "2001:db8::1", "[2001:db8::2-2001:db8::ffff:ffff:ffff:ffff]"},
		{"2001:db8::/127", "2001:db8::", "[2001:db8::1-2001:db8::1]"},
		{"2001:db8::/128", "2001:db8::", "[2001:db8::-2001:db8::]"},
	}
	for _, c := range cases {
		var g netip.Addr
		if c.gw != "" {
			g = ip(c.gw)
		}
		if got := fmt.Sprint(poolStrings(GeneratePools(pfx(c.cidr), g))); got != c.want {
			t.Errorf("%s gw %s: got %s want %s", c.cidr, c.gw, got, c.want)
		}
	}
}

func TestValidatePools(t *testing.T) {
	cases := []struct {
		cidr  string
		pools []string
		want  string
	}{
		{"10.0.0.0/24", []string{"10.0.0.2", "10.0.0.255"}, "OutOfBoundsAllocationPool: The allocation pool 10.0.0.2-10.0.0.255 spans beyond the subnet cidr 10.0.0.0/24."},
		{"10.0.0.0/31", []string{"10.0.0.0", "10.0.0.1"}, ""},
		{"10.0.0.0/24", []string{"10.0.0.2", "10.0.0.20", "10.0.0.30", "10.0.0.40", "10.0.0.10", "10.0.0.35"}, "OverlappingAllocationPools: Found overlapping allocation pools: 10.0.0.2-10.0.0.20 10.0.0.10-10.0.0.35 for subnet 10.0.0.0/24."},
		{"2001:db8::/64", []string{"2001:db8::", "2001:db8::5"}, "OutOfBoundsAllocationPool: The allocation pool 2001:db8::-2001:db8::5 spans beyond the subnet cidr 2001:db8::/64."},
		{"2001:db8::/64", []string{"2001:db8::1", "2001:db8::ffff:ffff:ffff:ffff"}, ""},
	}
	for _, c := range cases {
		wantErr(t, ValidatePools(pools(t, c.pools...), pfx(c.cidr)), c.want)
	}
}

func TestCheckCreateShape(t *testing.T) {
	wantErr(t, CheckCreateShape(true, true, false), "BadRequest: Bad subnets request: cidr and prefixlen must not be supplied together.")
	wantErr(t, CheckCreateShape(false, false, false), "BadRequest: Bad subnets request: a subnetpool must be specified in the absence of a cidr.")
	wantErr(t, CheckCreateShape(false, true, true), "")
}

func TestPrepareUpdate(t *testing.T) {
	cur := Subnet{ID: "sub-1", IPVersion: 4, CIDR: pfx("10.0.0.0/24"), Gateway: ip("10.0.0.1"),
		Pools: pools(t, "10.0.0.2", "10.0.0.254"), EnableDHCP: true}
	v6cur := Subnet{ID: "sub-6", IPVersion: 6, CIDR: pfx("2001:db8::/64"), Gateway: ip("2001:db8::"),
		EnableDHCP: true, RAMode: ModeSLAAC, AddressMode: ModeSLAAC}
	cases := []struct {
		name string
		cur  Subnet
		spec SubnetSpec
		want string // "gw pools" or error
	}{
		{"gateway into pool", cur, SubnetSpec{GatewaySet: true, Gateway: "10.0.0.5"}, "GatewayConflictWithAllocationPools: Gateway ip 10.0.0.5 conflicts with allocation pool 10.0.0.2-10.0.0.254."},
		{"gateway and pools", cur, SubnetSpec{GatewaySet: true, Gateway: "10.0.0.5", PoolsSet: true, Pools: pools(t, "10.0.0.10", "10.0.0.20")}, "10.0.0.5 [10.0.0.10-10.0.0.20]"},
		{"null gateway", cur, SubnetSpec{GatewaySet: true}, "invalid IP [10.0.0.2-10.0.0.254]"},
		{"pools over gateway", cur, SubnetSpec{PoolsSet: true, Pools: pools(t, "10.0.0.1", "10.0.0.20")}, "GatewayConflictWithAllocationPools: Gateway ip 10.0.0.1 conflicts with allocation pool 10.0.0.1-10.0.0.20."},
		{"pools out of bounds", cur, SubnetSpec{PoolsSet: true, Pools: pools(t, "10.0.1.1", "10.0.1.20")}, "OutOfBoundsAllocationPool: The allocation pool 10.0.1.1-10.0.1.20 spans beyond the subnet cidr 10.0.0.0/24."},
		{"dns limit names the subnet", cur, SubnetSpec{DNSSet: true, DNS: []string{"1.1.1.1", "1.1.1.2"}}, "DNSNameServersExhausted: Unable to complete operation for sub-1. The number of DNS nameservers exceeds the limit 1."},
		{"disable dhcp with modes", v6cur, SubnetSpec{EnableDHCP: boolp(false)}, "InvalidInput: Invalid input for operation: Cannot disable enable_dhcp with ipv6 attributes set."},
		{"gateway is broadcast", cur, SubnetSpec{GatewaySet: true, Gateway: "10.0.0.255"}, "InvalidInput: Invalid input for operation: Gateway is not valid on subnet."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lim := DefaultLimits
			if c.spec.DNSSet {
				lim.DNSNameservers = 1
			}
			got, err := PrepareUpdate(c.cur, c.spec, lim)
			if err != nil {
				wantErr(t, err, c.want)
				return
			}
			if s := fmt.Sprintf("%s %v", got.Gateway, poolStrings(got.Pools)); s != c.want {
				t.Fatalf("got %q want %q", s, c.want)
			}
			if !slices.Equal(c.cur.Pools, cur.Pools) && c.cur.ID == cur.ID {
				t.Fatal("PrepareUpdate changed its input")
			}
		})
	}
}
