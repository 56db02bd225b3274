package network

import (
	"net/http"
	"net/netip"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

func (s *Service) removeRouterInterface(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("router_id")
	info, err := decodeInterfaceInfo(r, true)
	if err != nil {
		return err
	}
	var out map[string]any
	var changes []*ml2.Change
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		rt, err := s.authorizedRouter(r, tx, id, "remove_router_interface", nil)
		if err != nil {
			return err
		}
		var p *port
		var subs []string
		if info.PortID != "" {
			p, subs, changes, err = s.detachPort(tx, rt, info.PortID, info.SubnetID)
		} else {
			p, subs, changes, err = s.detachSubnet(r, tx, rt, info.SubnetID)
		}
		if err != nil {
			return err
		}
		out = interfaceResult(rt.ID, p, subs, false)
		return bumpRouter(tx, rt.ID, micros(s.now()))
	})
	if err != nil {
		return err
	}
	s.afterRouterChange(r.Context(), changes, id)
	return httpx.WriteJSON(w, http.StatusOK, out)
}

// detachPort is _remove_interface_by_port.
func (s *Service) detachPort(tx *db.Tx, rt *router, portID, subnetID string) (*port, []string, []*ml2.Change, error) {
	ports, err := routerPorts(tx, rt.ID, ownerRouterInterface)
	if err != nil {
		return nil, nil, nil, err
	}
	var p *port
	for _, candidate := range ports {
		if candidate.ID == portID {
			p = candidate
		}
	}
	if p == nil {
		return nil, nil, nil, neutronerr.RouterInterfaceNotFound(rt.ID, portID)
	}
	ids := subnetIDsOf(p)
	if subnetID != "" && !containsStr(ids, subnetID) {
		return nil, nil, nil, neutronerr.SubnetMismatchForPort(portID, subnetID)
	}
	subs, err := portSubnets(tx, p)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, sub := range subs {
		if err := confirmInterfaceUnused(tx, rt, sub); err != nil {
			return nil, nil, nil, err
		}
	}
	c, err := s.deleteServicePort(tx, p.ID)
	return p, ids, []*ml2.Change{c}, err
}

// detachSubnet is _remove_interface_by_subnet: the subnet's address
// leaves the router port holding it, and the port goes with its last one.
func (s *Service) detachSubnet(r *http.Request, tx *db.Tx, rt *router, subnetID string) (*port, []string, []*ml2.Change, error) {
	sub, err := getSubnet(tx, subnetID, s.scope(r))
	if err != nil {
		return nil, nil, nil, err
	}
	ports, err := routerPorts(tx, rt.ID, ownerRouterInterface)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, p := range ports {
		ids := subnetIDsOf(p)
		if p.NetworkID != sub.NetworkID || !containsStr(ids, sub.ID) {
			continue
		}
		if err := confirmInterfaceUnused(tx, rt, sub); err != nil {
			return nil, nil, nil, err
		}
		if len(ids) == 1 {
			c, err := s.deleteServicePort(tx, p.ID)
			return p, []string{sub.ID}, []*ml2.Change{c}, err
		}
		var keep []any
		for _, f := range p.FixedIPs {
			if f.SubnetID != sub.ID {
				keep = append(keep, map[string]any{"subnet_id": f.SubnetID, "ip_address": f.IP.String()})
			}
		}
		c, err := s.changePort(tx, p, map[string]any{"fixed_ips": keep})
		return p, []string{sub.ID}, []*ml2.Change{c}, err
	}
	return nil, nil, nil, neutronerr.RouterInterfaceNotFoundForSubnet(rt.ID, sub.ID)
}

// confirmInterfaceUnused refuses to take sub off rt while a floating IP,
// a port forwarding or an extra route needs it.
func confirmInterfaceUnused(tx *db.Tx, rt *router, sub *subnet) error {
	cidr := netip.MustParsePrefix(sub.CIDR)
	inSubnet := func(q string) (bool, error) {
		ips, err := scanRows(tx, q, []any{rt.ID, sub.ID}, func(sc interface{ Scan(...any) error }) (string, error) {
			var ip string
			return ip, sc.Scan(&ip)
		})
		for _, ip := range ips {
			if a, perr := netip.ParseAddr(ip); perr == nil && cidr.Contains(a) {
				return true, err
			}
		}
		return false, err
	}
	for _, q := range []string{
		`SELECT f.fixed_ip_address FROM network_floatingips f JOIN network_ip_allocations a ON a.port_id = f.fixed_port_id
			WHERE f.router_id = ? AND a.subnet_id = ?`,
		`SELECT pf.internal_ip_address FROM network_port_forwardings pf JOIN network_floatingips f ON f.id = pf.floatingip_id
			JOIN network_ip_allocations a ON a.port_id = pf.internal_port_id WHERE f.router_id = ? AND a.subnet_id = ?`,
	} {
		used, err := inSubnet(q)
		if err != nil {
			return err
		}
		if used {
			return neutronerr.RouterInterfaceInUseByFloatingIP(rt.ID, sub.ID)
		}
	}
	for _, route := range rt.Routes {
		if a, err := netip.ParseAddr(route.Nexthop); err == nil && cidr.Contains(a) {
			return neutronerr.RouterInterfaceInUseByRoute(rt.ID, sub.ID)
		}
	}
	return nil
}
