package network

import (
	"fmt"
	"net/http"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

func (s *Service) addFloatingIPRoutes(rt *httpx.Router) {
	rt.Handle("GET", "/v2.0/floatingips", s.listFloatingIPs)
	rt.Handle("POST", "/v2.0/floatingips", s.createFloatingIP)
	rt.Handle("GET", "/v2.0/floatingips/{fip_id}", s.showFloatingIP)
	rt.Handle("PUT", "/v2.0/floatingips/{fip_id}", s.updateFloatingIP)
	rt.Handle("DELETE", "/v2.0/floatingips/{fip_id}", s.deleteFloatingIP)
	rt.Handle("GET", "/v2.0/floatingip_pools", s.listFloatingIPPools)
	rt.Handle("GET", "/v2.0/floatingips/{fip_id}/port_forwardings", s.listPortForwardings)
	rt.Handle("POST", "/v2.0/floatingips/{fip_id}/port_forwardings", s.createPortForwardings)
	rt.Handle("GET", "/v2.0/floatingips/{fip_id}/port_forwardings/{pf_id}", s.showPortForwarding)
	rt.Handle("PUT", "/v2.0/floatingips/{fip_id}/port_forwardings/{pf_id}", s.updatePortForwarding)
	rt.Handle("DELETE", "/v2.0/floatingips/{fip_id}/port_forwardings/{pf_id}", s.deletePortForwarding)
}

// floatingIPDict is a floating IP as the API shows it; port_details is
// filled by the caller that has the port.
func floatingIPDict(f *floatingIP) map[string]any {
	m := map[string]any{
		"id": f.ID, "tenant_id": f.ProjectID, "project_id": f.ProjectID, "floating_ip_address": f.Address,
		"floating_network_id": f.NetworkID, "router_id": nilIfEmpty(f.RouterID), "port_id": nilIfEmpty(f.FixedPortID),
		"fixed_ip_address": nilIfEmpty(f.FixedIP), "status": f.Status, "port_details": nil,
		"port_forwardings": fipForwardingDicts(f.Forwardings),
	}
	f.Std.put(m)
	return m
}

// floatingIPView adds port_details (fip-port-details) from the fixed port.
func floatingIPView(tx *db.Tx, f *floatingIP) (map[string]any, error) {
	m := floatingIPDict(f)
	if f.FixedPortID == "" {
		return m, nil
	}
	p, err := getPort(tx, f.FixedPortID, "")
	if err != nil {
		return nil, err
	}
	m["port_details"] = map[string]any{"name": p.Name, "network_id": p.NetworkID, "mac_address": p.MAC,
		"admin_state_up": p.AdminStateUp, "status": p.Status, "device_id": p.DeviceID, "device_owner": p.Owner}
	return m, nil
}

func (s *Service) listFloatingIPs(w http.ResponseWriter, r *http.Request) error {
	return listVisible(s, w, r, floatingIPResource, "get_floatingip", func(tx *db.Tx, scope string) ([]map[string]any, error) {
		fips, err := queryFloatingIPs(tx, scope, "1 = 1")
		if err != nil {
			return nil, err
		}
		out := make([]map[string]any, len(fips))
		for i, f := range fips {
			if out[i], err = floatingIPView(tx, f); err != nil {
				return nil, err
			}
		}
		return out, nil
	}, func(m map[string]any) map[string]any { return m }, nil)
}

func (s *Service) showFloatingIP(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("fip_id")
	return showOne(s, w, r, floatingIPResource, func(tx *db.Tx) (map[string]any, error) { return s.readFloatingIP(r, tx, id) },
		func(m map[string]any) (map[string]any, bool) { return m, true }, neutronerr.FloatingIPNotFound(id))
}

// readFloatingIP reads a floating IP the caller may see.
func (s *Service) readFloatingIP(r *http.Request, tx *db.Tx, id string) (map[string]any, error) {
	f, err := getFloatingIP(tx, id, s.scope(r))
	if err != nil {
		return nil, err
	}
	m, err := floatingIPView(tx, f)
	if err != nil {
		return nil, err
	}
	if ok, _ := s.allowed(r, "get_floatingip", m, nil); !ok {
		return nil, neutronerr.FloatingIPNotFound(id)
	}
	return m, nil
}

func (s *Service) createFloatingIP(w http.ResponseWriter, r *http.Request) error {
	return createMany(s, w, r, floatingIPResource, func(tx *db.Tx, item map[string]any) (map[string]any, []*ml2.Change, error) {
		f, c, err := s.insertFloatingIPItem(r, tx, item)
		if err != nil {
			return nil, nil, err
		}
		m, err := floatingIPView(tx, f)
		return m, c, err
	}, func(created []map[string]any) {
		var routers []string
		for _, m := range created {
			id, _ := m["router_id"].(string)
			port, _ := m["port_id"].(string)
			routers = append(routers, id)
			s.notifyNetworkChanged(r.Context(), port)
		}
		s.notifyRoutersUpdated(r.Context(), routers...)
	}, func(m map[string]any) map[string]any { return m })
}

// insertFloatingIPItem is _create_floatingip: an address from the
// external network (or the subnet or address asked for) held by a
// network:floatingip port, then the association the body asks for.
func (s *Service) insertFloatingIPItem(r *http.Request, tx *db.Tx, item map[string]any) (*floatingIP, []*ml2.Change, error) {
	if err := s.enforce(r, "create_floatingip", item, floatingIPResource.PolicyAttrs(item, true)); err != nil {
		return nil, nil, err
	}
	if err := checkPortForwardedByDVR(tx, item); err != nil {
		return nil, nil, err
	}
	netID, _ := item["floating_network_id"].(string)
	n, err := getNetwork(tx, netID, s.scope(r))
	if err != nil {
		return nil, nil, err
	}
	if err := checkFloatingNetwork(tx, n); err != nil {
		return nil, nil, err
	}
	now := micros(s.now())
	f := &floatingIP{ID: s.newID(), NetworkID: n.ID, Status: "DOWN", Std: StdAttrs{CreatedAt: now, UpdatedAt: now}}
	f.ProjectID, _ = item["project_id"].(string)
	f.Std.Description, _ = item["description"].(string)
	fixed := floatingAddressRequest(item)
	p, c, err := s.newServicePort(tx, n, "", ownerFloatingIP, f.ID, fixed)
	if err != nil {
		return nil, nil, err
	}
	for _, ip := range p.FixedIPs {
		if ip.IP.Is4() && f.Address == "" {
			f.Address = ip.IP.String()
		}
	}
	if f.Address == "" {
		return nil, nil, neutronerr.ExternalIpAddressExhausted(n.ID)
	}
	f.FloatingPortID = p.ID
	if err := s.associate(r, tx, f, item); err != nil {
		return nil, nil, err
	}
	return f, []*ml2.Change{c}, insertFloatingIP(tx, f)
}

// checkFloatingNetwork refuses a network that is not external or has no
// IPv4 subnet.
func checkFloatingNetwork(tx *db.Tx, n *network) error {
	if !n.External {
		return neutronerr.BadRequest("floatingip", fmt.Sprintf("Network %s is not a valid external network", n.ID))
	}
	subs, err := networkSubnetRows(tx, n.ID)
	if err != nil {
		return err
	}
	for _, sub := range subs {
		if sub.IPVersion == 4 {
			return nil
		}
	}
	return neutronerr.BadRequest("floatingip", fmt.Sprintf("Network %s does not contain any IPv4 subnet", n.ID))
}

// floatingAddressRequest is the fixed IP request of the floating port:
// the subnet and/or address the body names, nil for any.
func floatingAddressRequest(item map[string]any) []ipam.FixedIPRequest {
	sub, _ := item["subnet_id"].(string)
	ip, _ := item["floating_ip_address"].(string)
	if sub == "" && ip == "" {
		return nil
	}
	return []ipam.FixedIPRequest{{SubnetID: sub, IPAddress: ip}}
}

func (s *Service) updateFloatingIP(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("fip_id")
	items, _, err := s.decodeBody(r, floatingIPResource, false)
	if err != nil {
		return err
	}
	item := items[0]
	var view map[string]any
	var ports [2]string  // the fixed port before and after
	var routers []string // before and after
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if err := lockFloatingIP(tx, id); err != nil {
			return err
		}
		f, err := s.authorizedFloatingIP(r, tx, id, "update_floatingip", item)
		if err != nil {
			return err
		}
		if err := checkRevision(r, f.Std.Revision); err != nil {
			return err
		}
		if err := checkPortForwardedByDVR(tx, item); err != nil {
			return err
		}
		last := f.RouterID
		ports[0] = f.FixedPortID
		if v, ok := item["description"].(string); ok {
			f.Std.Description = v
		}
		if err := s.associate(r, tx, f, item); err != nil {
			return err
		}
		if port, _ := item["port_id"].(string); port != "" && len(f.Forwardings) > 0 {
			return neutronerr.FipInUseByPortForwarding(f.ID)
		}
		f.Std.UpdatedAt, f.Std.Revision = micros(s.now()), f.Std.Revision+1
		if err := saveFloatingIP(tx, f, last); err != nil {
			return err
		}
		ports[1] = f.FixedPortID
		routers = []string{last, f.RouterID}
		view, err = floatingIPView(tx, f)
		return err
	})
	if err != nil {
		return err
	}
	if ports[0] != ports[1] {
		s.notifyNetworkChanged(r.Context(), ports[:]...)
	}
	s.notifyRoutersUpdated(r.Context(), routers...)
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"floatingip": view})
}

// authorizedFloatingIP reads a floating IP and checks action on it.
func (s *Service) authorizedFloatingIP(r *http.Request, tx *db.Tx, id, action string, item map[string]any) (*floatingIP, error) {
	f, err := getFloatingIP(tx, id, s.scope(r))
	if err != nil {
		return nil, err
	}
	target := floatingIPDict(f)
	for k, v := range item {
		target[k] = v
	}
	if err := s.enforceVisible(r, action, target, nil, "get_floatingip", floatingIPDict(f), neutronerr.FloatingIPNotFound(id)); err != nil {
		return nil, err
	}
	return f, nil
}

func (s *Service) deleteFloatingIP(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("fip_id")
	var change *ml2.Change
	var fixedPort, routerID string
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		if err := lockFloatingIP(tx, id); err != nil {
			return err
		}
		f, err := s.authorizedFloatingIP(r, tx, id, "delete_floatingip", nil)
		if err != nil {
			return err
		}
		fixedPort, routerID = f.FixedPortID, f.RouterID
		if err := checkRevision(r, f.Std.Revision); err != nil {
			return err
		}
		if len(f.Forwardings) > 0 {
			return neutronerr.FipInUseByPortForwarding(f.ID)
		}
		if err := deleteTags(tx, "floatingips", f.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM network_floatingips WHERE id = ?`, f.ID); err != nil {
			return err
		}
		change, err = s.deleteServicePort(tx, f.FloatingPortID)
		return err
	})
	if err != nil {
		return err
	}
	s.afterRouterChange(r.Context(), []*ml2.Change{change}, routerID)
	s.notifyNetworkChanged(r.Context(), fixedPort)
	w.WriteHeader(http.StatusNoContent)
	return nil
}
