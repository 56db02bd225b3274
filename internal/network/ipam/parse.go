package ipam

import (
	"math/bits"
	"net/netip"
	"strconv"
	"strings"
)

// parseDecimalV4 reads 1 to maxParts dot-separated decimal octets, leading
// zeros allowed (netaddr's ZEROFILL), padding missing octets with zero.
func parseDecimalV4(s string, minParts int) (netip.Addr, bool) {
	parts := strings.Split(s, ".")
	if len(parts) < minParts || len(parts) > 4 {
		return netip.Addr{}, false
	}
	var b [4]byte
	for i, p := range parts {
		if p == "" || len(p) > 8 || strings.Trim(p, "0123456789") != "" {
			return netip.Addr{}, false
		}
		n, err := strconv.Atoi(p)
		if err != nil || n > 255 {
			return netip.Addr{}, false
		}
		b[i] = byte(n)
	}
	return netip.AddrFrom4(b), true
}

// parseLooseAddr is netaddr.IPAddress with ZEROFILL for the address part of
// a cidr; abbreviated IPv4 ("10.1") is allowed when minParts < 4.
func parseLooseAddr(s string, minParts int) (netip.Addr, bool) {
	if strings.Contains(s, ":") {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" || !a.Is6() {
			return netip.Addr{}, false
		}
		return a, true
	}
	return parseDecimalV4(s, minParts)
}

// parsePrefixLen reads a prefix length as Python's int() does, or an IPv4
// netmask or hostmask as netaddr does.
func parsePrefixLen(s string, width int) (int, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(strings.TrimPrefix(s, "+")); err == nil && !strings.HasPrefix(s, "+-") {
		return n, n >= 0 && n <= width
	}
	if width != 32 {
		return 0, false
	}
	m, ok := parseDecimalV4(s, 4)
	if !ok {
		return 0, false
	}
	v := uint32(toU128(m).lo)
	if ones := bits.LeadingZeros32(^v); v<<ones == 0 {
		return ones, true // netmask
	}
	if zeros := bits.LeadingZeros32(v); v == (1<<(32-zeros))-1 || v == 0 {
		return zeros, true // hostmask
	}
	return 0, false
}

// parseNetaddrCIDR is netaddr.IPNetwork: an address, optionally
// abbreviated in IPv4, and an optional /len (default full length); the
// host bits are kept.
func parseNetaddrCIDR(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	addrPart, lenPart, hasLen := strings.Cut(s, "/")
	if strings.Contains(lenPart, "/") {
		return netip.Prefix{}, false
	}
	a, ok := parseLooseAddr(addrPart, 1)
	if !ok {
		return netip.Prefix{}, false
	}
	n := widthOf(a)
	if hasLen {
		if n, ok = parsePrefixLen(lenPart, widthOf(a)); !ok {
			return netip.Prefix{}, false
		}
	}
	return netip.PrefixFrom(a, n), true
}

// hasSpace says whether s has whitespace (validate_no_whitespace).
func hasSpace(s string) bool {
	return strings.ContainsAny(s, " \t\n\r\v\f")
}

// IPAddressReason is validate_ip_address: "" when s is an IP address in
// canonical IPv4 form or any IPv6 form, else upstream's reason.
func IPAddressReason(s string) string {
	if hasSpace(s) {
		return "'" + s + "' is not a valid IP address"
	}
	var a netip.Addr
	var ok bool
	if strings.Contains(s, ":") {
		a, ok = parseLooseAddr(s, 4)
	} else if strings.Count(s, ".") == 3 {
		a, ok = parseDecimalV4(s, 4)
	}
	if !ok {
		return "'" + s + "' is not a valid IP address"
	}
	if a.Is4() && a.String() != s {
		return "'" + s + "' is not an accepted IP address, '" + a.String() + "' is recommended"
	}
	return ""
}

// SubnetReason is validate_subnet: "" for a cidr with a '/' (IPv4 also in
// netaddr's own spelling), else upstream's reason.
func SubnetReason(s string) string {
	p, ok := parseNetaddrCIDR(s)
	if hasSpace(s) || !ok {
		return "'" + s + "' is not a valid IP subnet"
	}
	if !strings.Contains(s, "/") || (p.Addr().Is4() && p.String() != s) {
		return "'" + s + "' isn't a recognized IP subnet cidr, '" + p.Masked().String() + "' is recommended"
	}
	return ""
}

// RouteCIDRReason is validate_route_cidr: a host route destination must be
// a network address with a '/' and not loopback.
func RouteCIDRReason(s string) string {
	p, ok := parseNetaddrCIDR(s)
	if hasSpace(s) || !ok {
		return "'" + s + "' is not a valid CIDR"
	}
	if !strings.Contains(s, "/") || p.Masked().Addr() != p.Addr() {
		return "'" + s + "' is not a recognized CIDR, '" + p.Masked().String() + "' is recommended"
	}
	if isLoopbackNet(p) {
		return "'" + s + "' is not a routable CIDR"
	}
	return ""
}

// isLoopbackNet is netaddr's IPNetwork.is_loopback: inside 127/8. For an
// IPv6 network netaddr compares it with an address, so never.
func isLoopbackNet(p netip.Prefix) bool {
	return p.Addr().Is4() && p.Bits() >= 8 && netip.MustParsePrefix("127.0.0.0/8").Contains(p.Addr())
}

// CanonicalCIDR is convert_cidr_to_canonical_format: netaddr's parse of s
// written back as "<address>/<len>" with host bits kept and IPv6 compact;
// unparsable input is InvalidInput "<s> is not in a CIDR format".
func CanonicalCIDR(s string) (string, error) {
	p, ok := parseNetaddrCIDR(s)
	if !ok {
		return "", InvalidInput(s + " is not in a CIDR format")
	}
	return p.String(), nil
}

// CanonicalIP is convert_ip_to_canonical_format: IPv6 in compact form,
// anything else unchanged.
func CanonicalIP(s string) string {
	if !strings.Contains(s, ":") {
		return s
	}
	if a, ok := parseLooseAddr(strings.TrimSpace(s), 4); ok {
		return a.String()
	}
	return s
}

// ParseCIDR reads a cidr that passed the attribute layer and gives it with
// host bits cleared, as create_subnet stores it ("10.0.0.1/24" becomes
// 10.0.0.0/24).
func ParseCIDR(s string) (netip.Prefix, error) {
	p, ok := parseNetaddrCIDR(s)
	if !ok {
		return netip.Prefix{}, InvalidInput(s + " is not in a CIDR format")
	}
	return p.Masked(), nil
}

// ParseAddr reads an address that passed the attribute layer.
func ParseAddr(s string) (netip.Addr, bool) { return parseLooseAddr(strings.TrimSpace(s), 4) }
