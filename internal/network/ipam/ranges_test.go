package ipam

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/monostack/monostack/internal/network/neutronerr"
)

func TestCompactPrefixes(t *testing.T) {
	cases := []struct {
		in   []string
		want string
	}{
		{[]string{"10.0.0.0/24", "10.0.1.0/24"}, "[10.0.0.0/23]"},
		{[]string{"10.0.1.5/24", "10.0.0.0/24", "10.0.0.0/25"}, "[10.0.0.0/23]"},
		{[]string{"0.0.0.0/1", "128.0.0.0/1"}, "[0.0.0.0/0]"},
		{[]string{"::/1", "8000::/1"}, "[::/0]"},
		{[]string{"2001:db8::/64", "10.0.0.0/8"}, "[10.0.0.0/8 2001:db8::/64]"},
		{[]string{"255.255.255.255/32", "255.255.255.254/32"}, "[255.255.255.254/31]"},
	}
	for _, c := range cases {
		if got := fmt.Sprint(CompactPrefixes(prefixes(c.in...))); got != c.want {
			t.Errorf("%v: got %s want %s", c.in, got, c.want)
		}
	}
}

func TestSpanCIDRs(t *testing.T) {
	s := newRangeSet(32, []span{{toU128(ip("10.0.0.1")), toU128(ip("10.0.0.6"))}})
	if got := fmt.Sprint(s.cidrs()); got != "[10.0.0.1/32 10.0.0.2/31 10.0.0.4/31 10.0.0.6/32]" {
		t.Fatalf("got %s", got)
	}
}

func TestStatuses(t *testing.T) {
	cases := []struct {
		err    *Error
		status int
	}{
		{OverlappingAllocationPools(Pool{}, Pool{}, ""), http.StatusConflict},
		{OutOfBoundsAllocationPool(Pool{}, ""), http.StatusBadRequest},
		{GatewayConflictWithAllocationPools(Pool{}, ""), http.StatusConflict},
		{IpAddressGenerationFailure("n"), http.StatusConflict},
		{InvalidIpForSubnet("x"), http.StatusBadRequest},
		{SubnetAllocationError("x"), http.StatusInternalServerError},
		{SubnetPoolQuotaExceeded(), http.StatusConflict},
		{InvalidInput("x"), http.StatusBadRequest},
	}
	for _, c := range cases {
		if c.err.Status != c.status || neutronerr.StatusOf(c.err.Type) != c.status {
			t.Errorf("%s: status %d, table %d, want %d", c.err.Type, c.err.Status, neutronerr.StatusOf(c.err.Type), c.status)
		}
	}
}

func TestCheckSubnetCIDR(t *testing.T) {
	wantErr(t, CheckSubnetCIDR("n", pfx("2001:db8::/64"), prefixes("10.0.0.0/8")), "")
	wantErr(t, CheckSubnetCIDR("n", pfx("10.0.0.0/8"), prefixes("10.200.0.0/16")), "InvalidInput: Invalid input for operation: Requested subnet with cidr: 10.0.0.0/8 for network: n overlaps with another subnet.")
	wantErr(t, CheckSubnetCIDR("n", pfx("::/0"), nil), "InvalidInput: Invalid input for operation: 0 is not allowed as CIDR prefix length.")
}
