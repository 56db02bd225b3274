package ipam

import (
	"fmt"
	"testing"

	"github.com/monostack/monostack/internal/network/neutronerr"
)

// Results are neutron.ipam.utils.check_subnet_ip's.
func TestCheckSubnetIP(t *testing.T) {
	cases := []struct {
		cidr, ip, owner string
		want            bool
	}{
		{"10.0.0.0/24", "10.0.0.0", "", false},
		{"10.0.0.0/24", "10.0.0.255", "", false},
		{"10.0.0.0/24", "10.0.0.5", "", true},
		{"10.0.0.0/24", "10.0.1.5", "", false},
		{"2001:db8::/64", "2001:db8::", "compute:nova", false},
		{"2001:db8::/64", "2001:db8::", "", true},
		{"2001:db8::/64", "2001:db8::", OwnerRouterGateway, true},
		{"2001:db8::/64", "2001:db8::ffff:ffff:ffff:ffff", "compute:nova", true},
		{"10.0.0.0/32", "10.0.0.0", "", false},
		{"10.0.0.0/31", "10.0.0.1", "", true},
	}
	for _, c := range cases {
		if got := CheckSubnetIP(pfx(c.cidr), ip(c.ip), c.owner); got != c.want {
			t.Errorf("%s %s %q: got %v", c.cidr, c.ip, c.owner, got)
		}
	}
}

func testSubnets() []Subnet {
	return []Subnet{
		{ID: "v4", IPVersion: 4, CIDR: pfx("10.0.0.0/24")},
		{ID: "v4b", IPVersion: 4, CIDR: pfx("10.0.1.0/24")},
		{ID: "v6stateful", IPVersion: 6, CIDR: pfx("2001:db8:1::/64"), RAMode: ModeDHCPv6Stateful, AddressMode: ModeDHCPv6Stateful},
		{ID: "v6slaac", IPVersion: 6, CIDR: pfx("2001:db8:2::/64"), RAMode: ModeSLAAC, AddressMode: ModeSLAAC},
	}
}

func describe(reqs []AddressRequest) string {
	s := ""
	for _, r := range reqs {
		s += fmt.Sprintf("%v", r.SubnetIDs)
		if r.IP.IsValid() {
			s += "=" + r.IP.String()
		}
		if r.EUI64 {
			s += "(eui64)"
		}
		s += " "
	}
	return s
}

func TestPlanPortIPs(t *testing.T) {
	notFound := func(id string) error {
		if id == "gone" {
			return neutronerr.New("SubnetNotFound", "Subnet %s could not be found.", id)
		}
		return nil
	}
	const mac = "fa:16:3e:4f:00:01"
	cases := []struct {
		name    string
		subnets []Subnet
		fixed   []FixedIPRequest
		owner   string
		want    string
	}{
		{"no fixed_ips", testSubnets(), nil, "compute:nova", "[v4 v4b] [v6stateful] [v6slaac]=2001:db8:2:0:f816:3eff:fe4f:1(eui64) "},
		{"router port gets no eui64", testSubnets(), nil, OwnerRouterInterface, "[v4 v4b] [v6stateful] "},
		{"specific first", testSubnets(), []FixedIPRequest{{SubnetID: "v4"}, {IPAddress: "10.0.1.7"}}, "compute:nova", "[v4b]=10.0.1.7 [v4] [v6slaac]=2001:db8:2:0:f816:3eff:fe4f:1(eui64) "},
		{"subnet and address", testSubnets(), []FixedIPRequest{{SubnetID: "v4", IPAddress: "10.0.0.9"}}, "", "[v4]=10.0.0.9 [v6slaac]=2001:db8:2:0:f816:3eff:fe4f:1(eui64) "},
		{"slaac subnet id only", testSubnets(), []FixedIPRequest{{SubnetID: "v6slaac"}}, "", "[v6slaac]=2001:db8:2:0:f816:3eff:fe4f:1(eui64) "},
		{"address outside subnet", testSubnets(), []FixedIPRequest{{SubnetID: "v4", IPAddress: "10.0.1.9"}}, "",
			"InvalidIpForSubnet: IP address 10.0.1.9 is not a valid IP for the specified subnet."},
		{"broadcast address", testSubnets(), []FixedIPRequest{{SubnetID: "v4", IPAddress: "10.0.0.255"}}, "",
			"InvalidIpForSubnet: IP address 10.0.0.255 is not a valid IP for the specified subnet."},
		{"address on no subnet", testSubnets(), []FixedIPRequest{{IPAddress: "192.168.0.9"}}, "",
			"InvalidIpForNetwork: IP address 192.168.0.9 is not a valid IP for any of the subnets on the specified network."},
		{"address on slaac subnet", testSubnets(), []FixedIPRequest{{IPAddress: "2001:db8:2::9"}}, "compute:nova",
			"AllocationOnAutoAddressSubnet: IPv6 address 2001:db8:2::9 cannot be directly assigned to a port on subnet v6slaac as the subnet is configured for automatic addresses"},
		{"router interface on slaac subnet", testSubnets(), []FixedIPRequest{{IPAddress: "2001:db8:2::1"}}, OwnerRouterInterface, "[v6slaac]=2001:db8:2::1 "},
		{"subnet of another network", testSubnets(), []FixedIPRequest{{SubnetID: "other"}}, "",
			"InvalidInput: Invalid input for operation: Failed to create port on network net-1, because fixed_ips included invalid subnet other."},
		{"subnet that does not exist", testSubnets(), []FixedIPRequest{{SubnetID: "gone"}}, "", "SubnetNotFound: Subnet gone could not be found."},
		{"empty fixed ip", testSubnets(), []FixedIPRequest{{}}, "", "InvalidInput: Invalid input for operation: IP allocation requires subnet_id or ip_address."},
		{"network without subnets", nil, []FixedIPRequest{{SubnetID: "v4"}}, "", "InvalidInput: Invalid input for operation: IP allocation requires subnets for network."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			reqs, err := PlanPortIPs("net-1", c.subnets, c.fixed, c.owner, mac, notFound)
			if err != nil {
				wantErr(t, err, c.want)
				return
			}
			if got := describe(reqs); got != c.want {
				t.Fatalf("got %q want %q", got, c.want)
			}
		})
	}
}
