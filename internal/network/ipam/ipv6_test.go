package ipam

import (
	"testing"
)

// Addresses are oslo.utils get_ipv6_addr_by_EUI64 outputs.
func TestEUI64(t *testing.T) {
	cases := []struct{ prefix, mac, want string }{
		{"2001:db8::/64", "fa:16:3e:4f:00:01", "2001:db8::f816:3eff:fe4f:1"},
		{"2001:db8:1:2::/64", "00:16:3e:33:44:55", "2001:db8:1:2:216:3eff:fe33:4455"},
		{"2001:db8::5/64", "fa:16:3e:4f:00:01", "2001:db8::f816:3eff:fe4f:1"},
		{"2001:db8::/64", "fa-16-3e-4f-00-01", "2001:db8::f816:3eff:fe4f:1"},
		{"2001:db8::/64", "fa16.3e4f.0001", "2001:db8::f816:3eff:fe4f:1"},
		{"2001:db8::/64", "fa163e4f0001", "2001:db8::f816:3eff:fe4f:1"},
		{"fe80::/64", "02:00:00:00:00:01", "fe80::ff:fe00:1"},
		{"2001:db8::/64", "zz", "AddressCalculationFailure: Unable to calculate eui-64 address because of:Bad prefix or mac format for generating IPv6 address by EUI-64: 2001:db8::/64, zz:"},
	}
	for _, c := range cases {
		got, err := EUI64(pfx(c.prefix), c.mac)
		if err != nil {
			wantErr(t, err, c.want)
			continue
		}
		if got.String() != c.want {
			t.Errorf("%s %s: got %s want %s", c.prefix, c.mac, got, c.want)
		}
		if !IsEUI64Address(got) {
			t.Errorf("%s not seen as EUI-64", got)
		}
	}
}

func TestIsEUI64Address(t *testing.T) {
	for a, want := range map[string]bool{"2001:db8::f816:3eff:fe4f:1": true, "2001:db8::1": false, "10.0.0.1": false, "::ffff:fe00:1": true} {
		if got := IsEUI64Address(ip(a)); got != want {
			t.Errorf("%s: got %v", a, got)
		}
	}
}

func TestIsAutoAddress(t *testing.T) {
	cases := []struct {
		ra, addr string
		want     bool
	}{
		{"", "", false}, {ModeSLAAC, "", true}, {"", ModeDHCPv6Stateless, true},
		{ModeDHCPv6Stateful, ModeDHCPv6Stateful, false}, {"", ModeSLAAC, true},
	}
	for _, c := range cases {
		if got := IsAutoAddress(c.ra, c.addr); got != c.want {
			t.Errorf("%q/%q: got %v", c.ra, c.addr, got)
		}
	}
}
