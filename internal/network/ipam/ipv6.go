package ipam

import (
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// IsAutoAddress is is_auto_address_subnet: SLAAC or DHCPv6-stateless in
// either mode attribute; such subnets address ports by EUI-64.
func IsAutoAddress(raMode, addressMode string) bool {
	auto := func(m string) bool { return m == ModeSLAAC || m == ModeDHCPv6Stateless }
	return auto(raMode) || auto(addressMode)
}

// checkIPv6Create is _validate_ipv6_attributes for a new subnet.
func checkIPv6Create(s SubnetSpec) error {
	raSet, addrSet := s.RAMode != "", s.AddressMode != ""
	if (raSet || addrSet) && s.EnableDHCP != nil && !*s.EnableDHCP {
		return InvalidInput("ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is set to False")
	}
	if raSet && addrSet && s.RAMode != s.AddressMode {
		return InvalidInput(fmt.Sprintf("ipv6_ra_mode set to '%s' with ipv6_address_mode set to '%s' is not valid. If both attributes are set, they must be the same value", s.RAMode, s.AddressMode))
	}
	if (raSet || addrSet) && IsAutoAddress(s.RAMode, s.AddressMode) {
		if p, ok := parseNetaddrCIDR(s.CIDR); ok && p.Bits() != 64 {
			return InvalidInput(fmt.Sprintf("Invalid CIDR %s for IPv6 address mode. OpenStack uses the EUI-64 address format, which requires the prefix to be /64", s.CIDR))
		}
	}
	return nil
}

// checkIPv6UpdateDHCP is _validate_ipv6_update_dhcp: DHCP stays on while
// a mode is set.
func checkIPv6UpdateDHCP(s SubnetSpec, cur *Subnet) error {
	if s.EnableDHCP == nil || *s.EnableDHCP {
		return nil
	}
	if s.RAMode != "" || s.AddressMode != "" || cur.RAMode != "" || cur.AddressMode != "" {
		return InvalidInput("Cannot disable enable_dhcp with ipv6 attributes set")
	}
	return nil
}

// parseMAC reads a MAC as netaddr.EUI does for the common forms
// (colon, hyphen, dotted and bare hex), 48 or 64 bits.
func parseMAC(s string) ([]byte, bool) {
	if len(s) == 12 || len(s) == 16 {
		if b, err := hex.DecodeString(s); err == nil {
			return b, true
		}
	}
	hw, err := net.ParseMAC(strings.TrimSpace(s))
	if err != nil || (len(hw) != 6 && len(hw) != 8) {
		return nil, false
	}
	return hw, true
}

// EUI64 is get_ipv6_addr_by_EUI64: the prefix's network address plus the
// modified EUI-64 interface id of mac (ff:fe inserted, U/L bit flipped).
func EUI64(prefix netip.Prefix, mac string) (netip.Addr, error) {
	hw, ok := parseMAC(mac)
	if !prefix.IsValid() || !prefix.Addr().Is6() || !ok {
		return netip.Addr{}, AddressCalculationFailure("eui-64",
			fmt.Sprintf("Bad prefix or mac format for generating IPv6 address by EUI-64: %s, %s:", prefix, mac))
	}
	if len(hw) == 6 {
		hw = []byte{hw[0], hw[1], hw[2], 0xff, 0xfe, hw[3], hw[4], hw[5]}
	}
	var id uint64
	for _, b := range hw {
		id = id<<8 | uint64(b)
	}
	v := toU128(prefix.Masked().Addr()).add(u128{0, id}).xor(u128{0, 1 << 57})
	return v.addr(128), nil
}

// IsEUI64Address is is_eui64_address: an IPv6 address with ff:fe in the
// middle of its interface id.
func IsEUI64Address(a netip.Addr) bool {
	return a.Is6() && toU128(a).lo&0xffff000000 == 0xfffe000000
}
