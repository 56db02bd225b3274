package ipam

import (
	"fmt"
	"net/netip"
	"testing"
)

func TestPick(t *testing.T) {
	two := []Pool{{ip("10.0.0.2"), ip("10.0.0.4")}, {ip("10.0.0.10"), ip("10.0.0.20")}}
	last := func(n int) int { return n - 1 }
	cases := []struct {
		name  string
		pools []Pool
		used  []string
		rnd   Rand
		want  string
	}{
		{"first free", two, nil, nil, "10.0.0.2"},
		{"skips used", two, []string{"10.0.0.2", "10.0.0.3"}, nil, "10.0.0.4"},
		{"unsorted used", two, []string{"10.0.0.3", "10.0.0.2"}, nil, "10.0.0.4"},
		{"next pool", two, []string{"10.0.0.2", "10.0.0.3", "10.0.0.4"}, nil, "10.0.0.10"},
		{"used outside pools ignored", two, []string{"10.0.0.1", "10.0.0.99"}, nil, "10.0.0.2"},
		{"random stays in first pool with room", two, []string{"10.0.0.3"}, last, "10.0.0.4"},
		{"exhausted", []Pool{{ip("10.0.0.2"), ip("10.0.0.3")}}, []string{"10.0.0.2", "10.0.0.3"}, nil, "invalid IP"},
		{"ipv6 /64", []Pool{{ip("2001:db8::1"), ip("2001:db8::ffff:ffff:ffff:ffff")}}, []string{"2001:db8::1"}, nil, "2001:db8::2"},
		{"top of the address space", []Pool{{ip("255.255.255.254"), ip("255.255.255.255")}}, []string{"255.255.255.254"}, nil, "255.255.255.255"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var used []netip.Addr
			for _, u := range c.used {
				used = append(used, ip(u))
			}
			got, _ := Pick(c.pools, used, c.rnd)
			if got.String() != c.want {
				t.Fatalf("got %s want %s", got, c.want)
			}
		})
	}
}

func TestPickWindow(t *testing.T) {
	pool := []Pool{{ip("10.0.0.1"), ip("10.0.255.254")}}
	var seen int
	got, _ := Pick(pool, nil, func(n int) int { seen = n; return n - 1 })
	if seen != Window || got.String() != "10.0.3.232" {
		t.Fatalf("window %d, got %s", seen, got)
	}
}

func TestCheckSpecificIP(t *testing.T) {
	sub := Subnet{ID: "sub-1", CIDR: pfx("10.0.0.0/24")}
	used := []netip.Addr{ip("10.0.0.5")}
	wantErr(t, CheckSpecificIP(sub, ip("10.0.0.200"), used), "")
	wantErr(t, CheckSpecificIP(sub, ip("10.0.0.5"), used), "IpAddressAlreadyAllocated: IP address 10.0.0.5 already allocated in subnet sub-1")
	wantErr(t, CheckSpecificIP(sub, ip("10.0.0.255"), used), "InvalidIpForSubnet: IP address 10.0.0.255 does not belong to subnet sub-1")
}

func states(t *testing.T) map[string]*SubnetState {
	return map[string]*SubnetState{
		"a": {Subnet: Subnet{ID: "a", IPVersion: 4, CIDR: pfx("10.0.0.0/29"), Pools: pools(t, "10.0.0.2", "10.0.0.3")}},
		"b": {Subnet: Subnet{ID: "b", IPVersion: 4, CIDR: pfx("10.0.1.0/29"), Pools: pools(t, "10.0.1.2", "10.0.1.6")}},
	}
}

func TestAllocatePort(t *testing.T) {
	st := states(t)
	reqs := []AddressRequest{{SubnetIDs: []string{"a"}, IP: ip("10.0.0.2")}, {SubnetIDs: []string{"a", "b"}}, {SubnetIDs: []string{"a", "b"}}}
	got, err := AllocatePort("net-1", reqs, st, "compute:nova", nil)
	if err != nil || fmt.Sprint(got) != "[{a 10.0.0.2} {a 10.0.0.3} {b 10.0.1.2}]" {
		t.Fatalf("got %v %v", got, err)
	}
	_, err = AllocatePort("net-1", reqs[:1], st, "compute:nova", nil)
	wantErr(t, err, "IpAddressAlreadyAllocated: IP address 10.0.0.2 already allocated in subnet a")
	dhcp, _ := AllocatePort("net-1", reqs[1:2], st, OwnerDHCP, func(n int) int { return n - 1 })
	if fmt.Sprint(dhcp) != "[{b 10.0.1.3}]" {
		t.Fatalf("dhcp port did not take the next address: %v", dhcp)
	}
}

// A /24 gives exactly its 253 pool addresses, each once, then the
// upstream exhaustion error.
func TestAllocateUntilExhausted(t *testing.T) {
	sub, err := PrepareSubnet(SubnetSpec{IPVersion: 4, CIDR: "10.5.5.0/24", EnableDHCP: boolp(true)}, "net-1", nil, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	st := map[string]*SubnetState{sub.ID: {Subnet: sub}}
	seen := map[netip.Addr]bool{}
	n := 0
	for range 300 {
		got, err := AllocatePort("net-1", []AddressRequest{{SubnetIDs: []string{sub.ID}}}, st, "", func(n int) int { return n / 2 })
		if err != nil {
			wantErr(t, err, "IpAddressGenerationFailure: No more IP addresses available on network net-1.")
			break
		}
		if seen[got[0].IP] || got[0].IP == sub.Gateway {
			t.Fatalf("address %s given twice or is the gateway", got[0].IP)
		}
		seen[got[0].IP] = true
		n++
	}
	if n != 253 {
		t.Fatalf("allocated %d addresses, want 253", n)
	}
}
