package network

import (
	"fmt"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// setGateway gives rt a gateway on the external network req names (made,
// moved or re-addressed), or clears it when req is nil; the caller saves rt.
func (s *Service) setGateway(tx *db.Tx, scope string, rt *router, req *gatewayRequest) ([]*ml2.Change, error) {
	if req == nil {
		return s.clearGateway(tx, rt)
	}
	n, err := getNetwork(tx, req.NetworkID, scope)
	if err != nil {
		return nil, err
	}
	if err := checkGatewayNetwork(tx, n, req.Fixed); err != nil {
		return nil, err
	}
	if req.EnableSNAT != nil {
		rt.EnableSNAT = *req.EnableSNAT
	} else if rt.GWNetworkID != n.ID {
		rt.EnableSNAT = true
	}
	if rt.GWPortID != "" && rt.GWNetworkID == n.ID {
		return s.readdressGateway(tx, rt, req.Fixed)
	}
	changes, err := s.clearGateway(tx, rt)
	if err != nil {
		return nil, err
	}
	p, c, err := s.newRouterPort(tx, n, rt, "", ownerRouterGateway, req.Fixed)
	if err != nil {
		return nil, err
	}
	if len(p.FixedIPs) == 0 {
		return nil, neutronerr.BadRequest("router", "No IPs available for external network "+n.ID)
	}
	rt.GWPortID, rt.GWNetworkID, rt.GWFixedIPs = p.ID, n.ID, p.FixedIPs
	return append(changes, c), nil
}

// checkGatewayNetwork is _validate_gw_info: an external network, and no
// requested address equal to a subnet's gateway.
func checkGatewayNetwork(tx *db.Tx, n *network, fixed []ipam.FixedIPRequest) error {
	if !n.External {
		return neutronerr.BadRequest("router", fmt.Sprintf("Network %s is not an external network", n.ID))
	}
	subs, err := networkSubnetRows(tx, n.ID)
	if err != nil {
		return err
	}
	for _, f := range fixed {
		for _, sub := range subs {
			if sub.Gateway != nil && f.IPAddress == *sub.Gateway {
				return neutronerr.BadRequest("router", fmt.Sprintf("External IP %s is the same as the gateway IP", f.IPAddress))
			}
		}
	}
	return nil
}

// readdressGateway moves the gateway port to the requested addresses.
func (s *Service) readdressGateway(tx *db.Tx, rt *router, fixed []ipam.FixedIPRequest) ([]*ml2.Change, error) {
	if fixed == nil {
		return nil, nil
	}
	p, err := getPort(tx, rt.GWPortID, "")
	if err != nil {
		return nil, err
	}
	list := make([]any, len(fixed))
	for i, f := range fixed {
		m := map[string]any{}
		if f.SubnetID != "" {
			m["subnet_id"] = f.SubnetID
		}
		if f.IPAddress != "" {
			m["ip_address"] = f.IPAddress
		}
		list[i] = m
	}
	c, err := s.changePort(tx, p, map[string]any{"fixed_ips": list})
	if err != nil {
		return nil, err
	}
	rt.GWFixedIPs = p.FixedIPs
	return []*ml2.Change{c}, nil
}

// clearGateway removes rt's gateway port unless floating IPs need it.
func (s *Service) clearGateway(tx *db.Tx, rt *router) ([]*ml2.Change, error) {
	if rt.GWPortID == "" {
		return nil, nil
	}
	used, err := tx.Exists(`SELECT 1 FROM network_floatingips WHERE router_id = ?`, rt.ID)
	if err != nil {
		return nil, err
	}
	if used {
		return nil, neutronerr.RouterExternalGatewayInUseByFloatingIp(rt.ID, rt.GWNetworkID)
	}
	c, err := s.deleteServicePort(tx, rt.GWPortID)
	if err != nil {
		return nil, err
	}
	rt.GWPortID, rt.GWNetworkID, rt.GWFixedIPs = "", "", nil
	return []*ml2.Change{c}, nil
}

// newServicePort makes a port the L3 service owns on network n.
func (s *Service) newServicePort(tx *db.Tx, n *network, project, owner, deviceID string, fixed []ipam.FixedIPRequest) (*port, *ml2.Change, error) {
	p := s.blankPort(n, project)
	p.Owner, p.DeviceID = owner, deviceID
	c, err := s.newPort(tx, n, p, fixed)
	return p, c, err
}

// newRouterPort makes an interface or gateway port of rt, bound to the
// host of rt's L3 agent when one holds it.
func (s *Service) newRouterPort(tx *db.Tx, n *network, rt *router, project, owner string, fixed []ipam.FixedIPRequest) (*port, *ml2.Change, error) {
	p := s.blankPort(n, project)
	p.Owner, p.DeviceID, p.Host = owner, rt.ID, rt.Host
	c, err := s.newPort(tx, n, p, fixed)
	if err != nil {
		return nil, nil, err
	}
	return p, c, addRouterPort(tx, rt.ID, p.ID, owner)
}

// blankPort is a new port of project on n with the defaults every port starts with.
func (s *Service) blankPort(n *network, project string) *port {
	now := micros(s.now())
	return &port{ID: s.newID(), ProjectID: project, NetworkID: n.ID, NetworkProject: n.ProjectID, Status: "DOWN",
		AdminStateUp: true, PortSecurity: n.PortSecurity, VNICType: "normal", Std: StdAttrs{CreatedAt: now, UpdatedAt: now}}
}

// deleteServicePort deletes a port the L3 service owns.
func (s *Service) deleteServicePort(tx *db.Tx, id string) (*ml2.Change, error) {
	p, err := getPort(tx, id, "")
	if err != nil {
		return nil, err
	}
	n, err := portNetwork(tx, p.NetworkID, "")
	if err != nil {
		return nil, err
	}
	return s.removePort(tx, p, n.Segments)
}
