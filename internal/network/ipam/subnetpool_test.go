package ipam

import (
	"fmt"
	"net/netip"
	"testing"
)

func prefixes(ss ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range ss {
		out = append(out, pfx(s))
	}
	return out
}

// Expectations are SubnetPoolReader's and SubnetAllocator's (Neutron 2023.2).
func TestReadSubnetPool(t *testing.T) {
	cases := []struct {
		spec SubnetPoolSpec
		want string
	}{
		{SubnetPoolSpec{}, "EmptySubnetPoolPrefixList: Empty subnet pool prefix list."},
		{SubnetPoolSpec{Prefixes: []string{"10.0.0.0/8", "2001:db8::/32"}}, "PrefixVersionMismatch: Cannot mix IPv4 and IPv6 prefixes in a subnet pool."},
		{SubnetPoolSpec{Prefixes: []string{"10.0.0.0/24", "10.0.1.0/24", "10.0.1.5/24", "192.168.0.0/16"}}, "v4 [10.0.0.0/23 192.168.0.0/16] min=8 max=32 def=8"},
		{SubnetPoolSpec{Prefixes: []string{"2001:db8::/48"}}, "v6 [2001:db8::/48] min=64 max=128 def=64"},
		{SubnetPoolSpec{Prefixes: []string{"10.0.0.0/8"}, MinPrefixlen: intp(24), MaxPrefixlen: intp(16)}, "IllegalSubnetPoolPrefixBounds: Illegal prefix bounds: min_prefixlen=24, max_prefixlen=16."},
		{SubnetPoolSpec{Prefixes: []string{"10.0.0.0/8"}, MaxPrefixlen: intp(33)}, "IllegalSubnetPoolPrefixBounds: Illegal prefix bounds: max_prefixlen=33, ip_version_max=32."},
		{SubnetPoolSpec{Prefixes: []string{"10.0.0.0/8"}, DefaultPrefixlen: intp(4)}, "IllegalSubnetPoolPrefixBounds: Illegal prefix bounds: default_prefixlen=4, min_prefixlen=8."},
		{SubnetPoolSpec{Prefixes: []string{"10.0.0.0/8"}, DefaultPrefixlen: intp(30), MaxPrefixlen: intp(28)}, "IllegalSubnetPoolPrefixBounds: Illegal prefix bounds: default_prefixlen=30, max_prefixlen=28."},
		{SubnetPoolSpec{Prefixes: []string{"10.0.0.0/8"}, MinPrefixlen: intp(-1)}, "UnsupportedMinSubnetPoolPrefix: Prefix '-1' not supported in IPv4 pool."},
		{SubnetPoolSpec{Prefixes: []string{"10.0.0.0/8"}, MinPrefixlen: intp(16), DefaultPrefixlen: intp(26)}, "v4 [10.0.0.0/8] min=16 max=32 def=26"},
	}
	for _, c := range cases {
		sp, err := ReadSubnetPool(c.spec)
		if err != nil {
			wantErr(t, err, c.want)
			continue
		}
		got := fmt.Sprintf("v%d %v min=%d max=%d def=%d", sp.IPVersion, sp.Prefixes, sp.MinPrefixlen, sp.MaxPrefixlen, sp.DefaultPrefixlen)
		if got != c.want {
			t.Errorf("got %q want %q", got, c.want)
		}
	}
}

func TestAvailablePrefixes(t *testing.T) {
	pool := SubnetPool{IPVersion: 4, Prefixes: prefixes("10.0.0.0/16")}
	got := fmt.Sprint(AvailablePrefixes(pool, prefixes("10.0.0.0/24", "10.0.2.0/23")))
	want := "[10.0.1.0/24 10.0.4.0/22 10.0.8.0/21 10.0.16.0/20 10.0.32.0/19 10.0.64.0/18 10.0.128.0/17]"
	if got != want {
		t.Fatalf("got %s want %s", got, want)
	}
}

func TestAllocateFromPool(t *testing.T) {
	p16 := SubnetPool{IPVersion: 4, Prefixes: prefixes("10.0.0.0/16"), MinPrefixlen: 8, MaxPrefixlen: 32}
	two := SubnetPool{IPVersion: 4, Prefixes: prefixes("10.0.0.0/24", "192.168.0.0/16"), MinPrefixlen: 8, MaxPrefixlen: 32}
	v6 := SubnetPool{IPVersion: 6, Prefixes: prefixes("2001:db8::/48"), MinPrefixlen: 64, MaxPrefixlen: 128}
	bounded := SubnetPool{IPVersion: 4, Prefixes: prefixes("10.0.0.0/8"), MinPrefixlen: 16, MaxPrefixlen: 28}
	quota := SubnetPool{IPVersion: 4, Prefixes: prefixes("10.0.0.0/16"), MinPrefixlen: 8, MaxPrefixlen: 32, DefaultQuota: 512}
	used := prefixes("10.0.0.0/24", "10.0.2.0/23")
	cases := []struct {
		name  string
		pool  SubnetPool
		alloc []netip.Prefix
		req   PoolRequest
		want  string
	}{
		{"best fit /24", p16, used, PoolRequest{Prefixlen: 24}, "10.0.1.0/24"},
		{"best fit /25", p16, used, PoolRequest{Prefixlen: 25}, "10.0.1.0/25"},
		{"best fit /23", p16, used, PoolRequest{Prefixlen: 23}, "10.0.4.0/23"},
		{"no room", p16, used, PoolRequest{Prefixlen: 16}, "SubnetAllocationError: Failed to allocate subnet: Insufficient prefix space to allocate subnet size /16."},
		{"smaller prefix first", two, nil, PoolRequest{Prefixlen: 24}, "10.0.0.0/24"},
		{"larger prefix when needed", two, nil, PoolRequest{Prefixlen: 20}, "192.168.0.0/20"},
		{"ipv6", v6, prefixes("2001:db8::/64"), PoolRequest{Prefixlen: 64}, "2001:db8:0:1::/64"},
		{"specific free", p16, prefixes("10.0.0.0/24"), PoolRequest{CIDR: pfx("10.0.1.0/24")}, "10.0.1.0/24"},
		{"specific taken", p16, prefixes("10.0.0.0/24"), PoolRequest{CIDR: pfx("10.0.0.128/25")}, "SubnetAllocationError: Failed to allocate subnet: Cannot allocate requested subnet from the available set of prefixes."},
		{"specific outside", p16, prefixes("10.0.0.0/24"), PoolRequest{CIDR: pfx("10.1.0.0/24")}, "SubnetAllocationError: Failed to allocate subnet: Cannot allocate requested subnet from the available set of prefixes."},
		{"too long", bounded, nil, PoolRequest{Prefixlen: 29}, "MaxPrefixSubnetAllocationError: Unable to allocate subnet with prefix length 29, maximum allowed prefix is 28."},
		{"too short", bounded, nil, PoolRequest{Prefixlen: 12}, "MinPrefixSubnetAllocationError: Unable to allocate subnet with prefix length 12, minimum allowed prefix is 16."},
		{"specific too short", bounded, nil, PoolRequest{CIDR: pfx("10.0.0.0/15")}, "MinPrefixSubnetAllocationError: Unable to allocate subnet with prefix length 15, minimum allowed prefix is 16."},
		{"quota fits", quota, prefixes("10.0.0.0/24"), PoolRequest{Prefixlen: 24, ProjectAllocations: prefixes("10.0.0.0/24")}, "10.0.1.0/24"},
		{"quota exceeded", quota, prefixes("10.0.0.0/24"), PoolRequest{Prefixlen: 23, ProjectAllocations: prefixes("10.0.0.0/24")}, "SubnetPoolQuotaExceeded: Per-tenant subnet pool prefix quota exceeded."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := AllocateFromPool(c.pool, c.alloc, c.req)
			if err != nil {
				wantErr(t, err, c.want)
				return
			}
			if got.String() != c.want {
				t.Fatalf("got %s want %s", got, c.want)
			}
		})
	}
}

func TestAnySubnetDefaults(t *testing.T) {
	gw, ps := AnySubnetDefaults(pfx("2001:db8:0:1::/64"))
	if gw.String() != "2001:db8:0:1::1" || fmt.Sprint(poolStrings(ps)) != "[2001:db8:0:1::2-2001:db8:0:1:ffff:ffff:ffff:ffff]" {
		t.Fatalf("got %s %v", gw, poolStrings(ps))
	}
}

func TestUpdateAndRemovePrefixes(t *testing.T) {
	got, err := UpdatePrefixes(prefixes("10.0.0.0/24"), []string{"10.0.0.0/24", "10.0.1.0/24", "10.1.0.0/16"})
	if err != nil || fmt.Sprint(got) != "[10.0.0.0/23 10.1.0.0/16]" {
		t.Fatalf("got %v %v", got, err)
	}
	_, err = UpdatePrefixes(prefixes("10.0.0.0/23"), []string{"10.0.0.0/24"})
	wantErr(t, err, "IllegalSubnetPoolPrefixUpdate: Illegal update to prefixes: Existing prefixes must be a subset of the new prefixes.")

	all := prefixes("10.0.0.0/16")
	left, changed, err := RemovePrefixes(all, prefixes("10.0.128.0/17"), prefixes("10.0.0.0/24"))
	if err != nil || !changed || fmt.Sprint(left) != "[10.0.0.0/17]" {
		t.Fatalf("got %v %v %v", left, changed, err)
	}
	left, changed, _ = RemovePrefixes(all, prefixes("10.1.0.0/16"), nil)
	if changed || fmt.Sprint(left) != "[10.0.0.0/16]" {
		t.Fatalf("disjoint removal changed the pool: %v", left)
	}
	_, _, err = RemovePrefixes(all, prefixes("10.0.0.0/23"), prefixes("10.0.0.0/24"))
	wantErr(t, err, "IllegalSubnetPoolPrefixUpdate: Illegal update to prefixes: One or more the prefixes to be removed is in use by a subnet..")
}

func TestCheckScopePrefixes(t *testing.T) {
	others := [][]netip.Prefix{prefixes("10.0.0.0/16"), prefixes("2001:db8::/32")}
	wantErr(t, CheckScopePrefixes(prefixes("10.1.0.0/16"), others), "")
	wantErr(t, CheckScopePrefixes(prefixes("10.0.5.0/24"), others), "AddressScopePrefixConflict: Failed to associate address scope: subnetpools within an address scope must have unique prefixes.")
	wantErr(t, CheckScopePrefixes(prefixes("2001:db8:1::/48"), others), "AddressScopePrefixConflict: Failed to associate address scope: subnetpools within an address scope must have unique prefixes.")
}

func TestCheckNetworkSubnetPools(t *testing.T) {
	fromPool := []Subnet{{IPVersion: 4, SubnetPoolID: "pool-a"}}
	plain := []Subnet{{IPVersion: 4}}
	a := &PoolRef{ID: "pool-a", IPVersion: 4, AddressScopeID: "scope-1"}
	b := &PoolRef{ID: "pool-b", IPVersion: 4, AddressScopeID: "scope-1"}
	affinity := "NetworkSubnetPoolAffinityError: Subnets hosted on the same network must be allocated from the same subnet pool."
	cases := []struct {
		name     string
		existing []Subnet
		pool     *PoolRef
		scope    string
		want     string
	}{
		{"same pool", fromPool, a, "", ""},
		{"other pool", fromPool, b, "", affinity},
		{"other pool same scope", fromPool, b, "scope-1", ""},
		{"other scope", fromPool, b, "scope-2", "NetworkAddressScopeAffinityError: Subnets of the same address family hosted on the same network must all participate in the same address scope."},
		{"no pool after pool", fromPool, nil, "", affinity},
		{"pool after plain", plain, a, "", affinity},
		{"plain after plain", plain, nil, "", ""},
		{"other family", fromPool, &PoolRef{ID: "pool-6", IPVersion: 6}, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantErr(t, CheckNetworkSubnetPools(c.existing, c.pool, 4, c.scope), c.want)
		})
	}
}

func TestPoolRequestChecks(t *testing.T) {
	wantErr(t, CheckPoolVersion(6, 4), "BadRequest: Bad subnets request: Cannot allocate IPv6 subnet from IPv4 subnet pool.")
	wantErr(t, CheckPoolVersion(0, 4), "")
	wantErr(t, CheckPoolsWithSubnetPool(true, false), "BadRequest: Bad subnets request: allocation_pools allowed only for specific subnet requests..")
}
