package network

import (
	"net/http"
	"net/netip"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// associate is _update_fip_assoc: f follows the body's port_id (null
// disassociates) and fixed_ip_address, through a router that joins the
// port's subnet to f's external network.
func (s *Service) associate(r *http.Request, tx *db.Tx, f *floatingIP, item map[string]any) error {
	portV, hasPort := item["port_id"]
	fixedV, hasFixed := item["fixed_ip_address"]
	portID, _ := portV.(string)
	fixed, _ := fixedV.(string)
	if fixed != "" && portID == "" && (hasPort || f.FixedPortID == "") {
		return neutronerr.BadRequest("floatingip", "fixed_ip_address cannot be specified without a port_id")
	}
	if !hasPort {
		if f.FixedPortID == "" || !hasFixed {
			return nil
		}
		portID = f.FixedPortID
	}
	if portID == "" {
		if f.FixedPortID != "" {
			f.RouterID = "" // one without a fixed port keeps its port forwardings' router
		}
		f.FixedPortID, f.FixedIP = "", ""
		return nil
	}
	p, subnetID, ip, err := s.fixedForFloatingIP(r, tx, f, portID, fixed)
	if err != nil {
		return err
	}
	routerID, err := routerForFloatingIP(tx, p, subnetID, f.NetworkID)
	if err != nil {
		return err
	}
	if portID != f.FixedPortID {
		taken, err := tx.Exists(`SELECT 1 FROM network_floatingips WHERE fixed_port_id = ? AND floating_network_id = ?
			AND fixed_ip_address = ? AND id <> ?`, portID, f.NetworkID, ip, f.ID)
		if err != nil {
			return err
		}
		if taken {
			return neutronerr.FloatingIPPortAlreadyAssociated(f.Address, f.ID, portID, ip, f.NetworkID)
		}
	}
	f.FixedPortID, f.FixedIP, f.RouterID = portID, ip, routerID
	return nil
}

// fixedForFloatingIP is _internal_fip_assoc_data: the port, and the
// subnet and IPv4 address on it the floating IP is to reach.
func (s *Service) fixedForFloatingIP(r *http.Request, tx *db.Tx, f *floatingIP, portID, want string) (*port, string, string, error) {
	p, err := getPort(tx, portID, s.scope(r))
	if err != nil {
		return nil, "", "", err
	}
	bad := func(msg string) (*port, string, string, error) {
		return nil, "", "", neutronerr.BadRequest("floatingip", msg)
	}
	if p.ProjectID != f.ProjectID && !s.isAdmin(r) {
		return bad("Cannot process floating IP association with Port " + portID + ", since that port is owned by a different tenant")
	}
	if p.Owner == ipam.OwnerDHCP {
		return bad("Port %(id)s is unable to be assigned a floating IP")
	}
	if want != "" {
		if a, err := netip.ParseAddr(want); err != nil || !a.Is4() {
			return bad("Cannot process floating IP association with " + want + ", since that is not an IPv4 address")
		}
		for _, ip := range p.FixedIPs {
			if ip.IP.String() == want {
				return p, ip.SubnetID, want, nil
			}
		}
		return bad("Port " + portID + " does not have fixed ip " + want)
	}
	var v4 []fixedIP
	for _, ip := range p.FixedIPs {
		if ip.IP.Is4() {
			v4 = append(v4, ip)
		}
	}
	switch {
	case len(v4) == 0:
		return bad("Cannot add floating IP to port " + portID + " that has no fixed IPv4 addresses")
	case len(v4) > 1:
		return bad("Port " + portID + " has multiple fixed IPv4 addresses.  Must provide a specific IPv4 address when assigning a floating IP")
	}
	return p, v4[0].SubnetID, v4[0].IP.String(), nil
}

// routerForFloatingIP is get_router_for_floatingip: a router with an
// interface on the subnet and its gateway on the external network,
// preferring the one at the subnet's gateway address.
func routerForFloatingIP(tx *db.Tx, p *port, subnetID, externalNet string) (string, error) {
	type candidate struct{ router, ip string }
	found, err := scanRows(tx, `SELECT DISTINCT rp.router_id, a.ip_address FROM network_router_ports rp
		JOIN network_ports ip ON ip.id = rp.port_id
		JOIN network_ip_allocations a ON a.port_id = ip.id
		JOIN network_ports gw ON gw.device_id = rp.router_id AND gw.device_owner = ?
		WHERE ip.network_id = ? AND rp.port_type = ? AND a.subnet_id = ? AND gw.network_id = ?
		ORDER BY rp.router_id`, []any{ownerRouterGateway, p.NetworkID, ownerRouterInterface, subnetID, externalNet},
		func(sc interface{ Scan(...any) error }) (candidate, error) {
			var c candidate
			return c, sc.Scan(&c.router, &c.ip)
		})
	if err != nil {
		return "", err
	}
	if len(found) == 0 {
		return "", neutronerr.ExternalGatewayForFloatingIPNotFound(externalNet, subnetID, p.ID)
	}
	sub, err := getSubnet(tx, subnetID, "")
	if err != nil {
		return "", err
	}
	for _, c := range found {
		if sub.Gateway != nil && c.ip == *sub.Gateway {
			return c.router, nil
		}
	}
	return found[0].router, nil
}

// listFloatingIPPools is GET /v2.0/floatingip_pools: the IPv4 subnets of
// external networks.
func (s *Service) listFloatingIPPools(w http.ResponseWriter, r *http.Request) error {
	var pools []map[string]any
	err := s.db.Read(r.Context(), func(tx *db.Tx) error {
		subs, err := querySubnets(tx, "", `s.ip_version = 4 AND s.network_id IN (SELECT id FROM network_networks WHERE router_external = TRUE)`)
		for _, sub := range subs {
			pools = append(pools, map[string]any{"subnet_id": sub.ID, "subnet_name": sub.Name, "network_id": sub.NetworkID,
				"project_id": sub.ProjectID, "tenant_id": sub.ProjectID})
		}
		return err
	})
	if err != nil {
		return err
	}
	if err := s.enforce(r, "get_floatingip_pool", map[string]any{"project_id": projectOf(r)}, nil); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"floatingip_pools": nonNilMaps(pools)})
}

func nonNilMaps(m []map[string]any) []map[string]any {
	if m == nil {
		return []map[string]any{}
	}
	return m
}
