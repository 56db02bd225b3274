package network

import (
	"fmt"
	"net/http"
	"net/netip"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
	"github.com/monostack/monostack/internal/pyrepr"
)

// badForwarding is BadRequest for the port_forwarding resource.
func badForwarding(msg string) error { return neutronerr.BadRequest("port_forwarding", msg) }

// applyPortSpans sets pf's external and internal spans from the body, each
// through its one-port or its range attribute; a create sets both, and the
// internal span is one port or as wide as the external one.
func applyPortSpans(pf *portForwarding, item map[string]any, create bool) error {
	for _, side := range []struct {
		one, span string
		dst       *portSpan
	}{{"external_port", "external_port_range", &pf.External}, {"internal_port", "internal_port_range", &pf.Internal}} {
		got, ok, err := spanFromBody(item, side.one, side.span)
		switch {
		case err != nil:
			return err
		case ok:
			*side.dst = got
		case create:
			return badForwarding(side.one + " or " + side.span + " must be specified")
		}
	}
	if w := pf.Internal.width(); w > 0 && w != pf.External.width() {
		return badForwarding("Invalid ranges of internal and/or external ports. The relation between internal and external ports must be N-N or 1-N")
	}
	return nil
}

// spanFromBody is the span the body sets through one (a port) or span (a
// range); ok is false when it sets neither, and both must agree.
func spanFromBody(item map[string]any, one, span string) (portSpan, bool, error) {
	port, hasPort := item[one].(int64)
	if item[span] == nil {
		return portSpan{port, port}, hasPort, nil
	}
	got := parseSpan(item[span])
	if hasPort && got != (portSpan{port, port}) {
		return got, false, badForwarding(fmt.Sprintf("%s %d does not match %s %s", one, port, span, pyStr(item[span])))
	}
	return got, true, nil
}

// checkCollisions is _check_port_collisions: no other forwarding of pf's
// internal address and protocol may share an internal port, nor one of its
// floating IP and protocol an external port.
func checkCollisions(tx *db.Tx, pf *portForwarding) error {
	same, err := queryPortForwardings(tx, `internal_port_id = ? AND protocol = ? AND internal_ip_address = ? AND id <> ?`,
		pf.InternalPortID, pf.Protocol, pf.InternalIP, pf.ID)
	if err != nil {
		return err
	}
	for _, o := range same {
		if o.Internal.overlaps(pf.Internal) {
			return portCollision("internal_port_range", o.Internal, pf.Internal)
		}
	}
	same, err = queryPortForwardings(tx, `floatingip_id = ? AND protocol = ? AND id <> ?`, pf.FloatingIPID, pf.Protocol, pf.ID)
	if err != nil {
		return err
	}
	for _, o := range same {
		if o.External.overlaps(pf.External) {
			return portCollision("external_port_range", o.External, pf.External)
		}
	}
	return nil
}

func portCollision(key string, have, want portSpan) error {
	return badForwarding(fmt.Sprintf("There is a port collision with the %s. The following ranges collides: %s and %s", key, have, want))
}

// checkPortHasNoFloatingIP is _check_port_has_binding_floating_ip: a port
// with a floating IP associated takes no port forwarding.
func checkPortHasNoFloatingIP(tx *db.Tx, pf *portForwarding) error {
	fips, err := queryFloatingIPs(tx, "", "fixed_port_id = ?", pf.InternalPortID)
	if err != nil || len(fips) == 0 {
		return err
	}
	return neutronerr.PortHasBindingFloatingIP(fips[0].Address, fips[0].ID, pf.InternalPortID, pf.InternalIP)
}

// routeForwarding is _find_a_router_for_fip_port_forwarding with
// _check_router_match: pf's address (the port's first IPv4 one when unset)
// must reach f's network through f's router, which f takes if it has none.
func (s *Service) routeForwarding(r *http.Request, tx *db.Tx, f *floatingIP, pf *portForwarding) error {
	p, err := getPort(tx, pf.InternalPortID, s.scope(r))
	if err != nil {
		return err
	}
	ip, err := forwardedAddress(p, pf.InternalIP)
	if err != nil {
		return err
	}
	pf.InternalIP = ip.IP.String()
	routerID, err := routerForFloatingIP(tx, p, ip.SubnetID, f.NetworkID)
	if e, ok := neutronerr.As(err); ok && e.Type == "ExternalGatewayForFloatingIPNotFound" {
		return badForwarding(fmt.Sprintf("External network %s is not reachable from subnet %s. Cannot set Port forwarding for port %s with Floating IP %s",
			f.NetworkID, ip.SubnetID, p.ID, f.ID))
	}
	switch {
	case err != nil:
		return err
	case f.RouterID == "":
		f.RouterID = routerID
		return setFloatingIPRouter(tx, f.ID, routerID)
	case f.RouterID != routerID:
		return routerMismatch(tx, f, pf)
	}
	return nil
}

// forwardedAddress is the IPv4 fixed IP of p at want, or its first one
// when want is "".
func forwardedAddress(p *port, want string) (fixedIP, error) {
	var v4 []fixedIP
	for _, ip := range p.FixedIPs {
		if ip.IP.Is4() {
			v4 = append(v4, ip)
		}
	}
	if len(v4) == 0 {
		return fixedIP{}, badForwarding(fmt.Sprintf("Requested internal port %s must allocate an IPv4 address at least.", p.ID))
	}
	if want == "" {
		return v4[0], nil
	}
	if ip, ok := addressOn(v4, want); ok {
		return ip, nil
	}
	return fixedIP{}, badForwarding(fmt.Sprintf("Requested internal IP address %s is not suitable for internal neutron port %s, as its fixed_ips are %s",
		want, p.ID, pyFixedIPs(v4)))
}

// addressOn finds the fixed IP at address want.
func addressOn(ips []fixedIP, want string) (fixedIP, bool) {
	a, err := netip.ParseAddr(want)
	for _, ip := range ips {
		if err == nil && ip.IP == a {
			return ip, true
		}
	}
	return fixedIP{}, false
}

// pyFixedIPs renders fixed IPs as a port dict's fixed_ips in Python.
func pyFixedIPs(ips []fixedIP) string {
	parts := make([]string, len(ips))
	for i, ip := range ips {
		parts[i] = "{'subnet_id': " + pyrepr.String(ip.SubnetID) + ", 'ip_address': " + pyrepr.String(ip.IP.String()) + "}"
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// routerMismatch is the refusal of a forwarding that f's router cannot
// carry: a duplicate of one f has, or an address f's router cannot reach.
func routerMismatch(tx *db.Tx, f *floatingIP, pf *portForwarding) error {
	where, args := "floatingip_id = ? AND internal_ip_address = ?", []any{f.ID, pf.InternalIP}
	port := pf.Internal.single()
	if port != nil {
		where, args = where+" AND internal_port_start = ? AND internal_port_end = ?", append(args, port, port)
	}
	dup, err := tx.Exists(`SELECT 1 FROM network_port_forwardings WHERE `+where, args...)
	if err != nil {
		return err
	}
	if dup {
		return badForwarding(fmt.Sprintf("Floating IP %s with params: internal_ip_address: %s, internal_port: %s already exists",
			f.ID, pf.InternalIP, pyStr(port)))
	}
	return badForwarding(fmt.Sprintf("The Floating IP %s had been set on router %s, the internal Neutron port %s can not reach it",
		f.ID, f.RouterID, pf.InternalPortID))
}

// checkUpdatedForwarding is _check_port_forwarding_update with the
// collision checks: pf's address is one of its port's, and no other
// forwarding of f takes its socket or ports.
func (s *Service) checkUpdatedForwarding(r *http.Request, tx *db.Tx, f *floatingIP, pf *portForwarding, item map[string]any) error {
	if _, ok := item["internal_port_id"]; ok {
		if err := checkPortHasNoFloatingIP(tx, pf); err != nil {
			return err
		}
	}
	p, err := getPort(tx, pf.InternalPortID, s.scope(r))
	if err != nil {
		return err
	}
	ip, ok := addressOn(p.FixedIPs, pf.InternalIP)
	if !ok {
		return badForwarding("The internal IP does not correspond to an address on the internal port, which has fixed_ips " + pyFixedIPs(p.FixedIPs))
	}
	pf.InternalIP = ip.IP.String()
	if err := checkSameSocket(tx, f, pf); err != nil {
		return err
	}
	return checkCollisions(tx, pf)
}

// checkSameSocket refuses a one-port forwarding equal to another of f on
// the outside (address and port) or the inside (port, address and port).
func checkSameSocket(tx *db.Tx, f *floatingIP, pf *portForwarding) error {
	others, err := queryPortForwardings(tx, `floatingip_id = ? AND protocol = ? AND id <> ?`, f.ID, pf.Protocol, pf.ID)
	if err != nil {
		return err
	}
	for _, o := range others {
		if pf.External.single() != nil && o.External == pf.External {
			return anotherEntry(fmt.Sprintf("{'floating_ip_address': %s, 'external_port': %d}", pyrepr.String(f.Address), o.External.start))
		}
		if pf.Internal.single() != nil && o.Internal == pf.Internal && o.InternalPortID == pf.InternalPortID && o.InternalIP == pf.InternalIP {
			return anotherEntry(fmt.Sprintf("{'internal_port_id': %s, 'internal_ip_address': %s, 'internal_port': %d}",
				pyrepr.String(o.InternalPortID), pyrepr.String(o.InternalIP), o.Internal.start))
		}
	}
	return nil
}

func anotherEntry(conflict string) error {
	return badForwarding("Another port forwarding entry with the same attributes already exists, conflicting values are " + conflict)
}
