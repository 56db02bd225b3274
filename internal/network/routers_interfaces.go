package network

import (
	"net/http"
	"net/netip"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// interfaceInfo is an add/remove_router_interface body.
type interfaceInfo struct{ PortID, SubnetID string }

// decodeInterfaceInfo is _validate_interface_info.
func decodeInterfaceInfo(r *http.Request, removal bool) (interfaceInfo, error) {
	var body map[string]any
	if err := httpx.DecodeJSON(r, &body); err != nil {
		return interfaceInfo{}, neutronerr.New("MalformedRequestBody", "Malformed request body: Cannot understand JSON")
	}
	portV, byPort := body["port_id"]
	subV, bySubnet := body["subnet_id"]
	if !byPort && !bySubnet {
		return interfaceInfo{}, neutronerr.BadRequest("router", "Either subnet_id or port_id must be specified")
	}
	for _, v := range []struct {
		given bool
		value any
	}{{byPort, portV}, {bySubnet, subV}} {
		if msg := validUUID(v.value); v.given && msg != "" {
			return interfaceInfo{}, neutronerr.BadRequest("router", msg)
		}
	}
	if !removal && byPort && bySubnet {
		return interfaceInfo{}, neutronerr.BadRequest("router", "Cannot specify both subnet-id and port-id")
	}
	info := interfaceInfo{}
	info.PortID, _ = portV.(string)
	info.SubnetID, _ = subV.(string)
	return info, nil
}

// interfaceResult is _make_router_interface_info.
func interfaceResult(routerID string, p *port, subnetIDs []string, last bool) map[string]any {
	sub := subnetIDs[0]
	if last {
		sub = subnetIDs[len(subnetIDs)-1]
	}
	return map[string]any{"id": routerID, "tenant_id": p.ProjectID, "project_id": p.ProjectID, "port_id": p.ID,
		"network_id": p.NetworkID, "subnet_id": sub, "subnet_ids": subnetIDs}
}

func (s *Service) addRouterInterface(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("router_id")
	info, err := decodeInterfaceInfo(r, false)
	if err != nil {
		return err
	}
	var out map[string]any
	var changes []*ml2.Change
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		rt, err := s.authorizedRouter(r, tx, id, "add_router_interface", nil)
		if err != nil {
			return err
		}
		var p *port
		if info.PortID != "" {
			p, changes, err = s.attachPort(r, tx, rt, info.PortID)
		} else {
			p, changes, err = s.attachSubnet(r, tx, rt, info.SubnetID)
		}
		if err != nil {
			return err
		}
		out = interfaceResult(rt.ID, p, subnetIDsOf(p), true)
		return bumpRouter(tx, rt.ID, micros(s.now()))
	})
	if err != nil {
		return err
	}
	s.afterRouterChange(r.Context(), changes, id)
	return httpx.WriteJSON(w, http.StatusOK, out)
}

// attachSubnet is _add_interface_by_subnet: a new port at the subnet's
// gateway address.
func (s *Service) attachSubnet(r *http.Request, tx *db.Tx, rt *router, subnetID string) (*port, []*ml2.Change, error) {
	sub, err := getSubnet(tx, subnetID, s.scope(r))
	if err != nil {
		return nil, nil, err
	}
	if sub.Gateway == nil {
		return nil, nil, neutronerr.BadRequest("router", "Subnet for router interface must have a gateway IP")
	}
	if sub.ProjectID != projectOf(r) && !s.isAdmin(r) {
		return nil, nil, neutronerr.BadRequest("router", "Cannot add interface to router because subnet "+sub.ID+
			" is not owned by project making the request")
	}
	if err := checkRouterSubnets(tx, rt, []*subnet{sub}); err != nil {
		return nil, nil, err
	}
	n, err := getNetwork(tx, sub.NetworkID, "")
	if err != nil {
		return nil, nil, err
	}
	p, c, err := s.newRouterPort(tx, n, rt, rt.ProjectID, ownerRouterInterface,
		[]ipam.FixedIPRequest{{SubnetID: sub.ID, IPAddress: *sub.Gateway}})
	return p, []*ml2.Change{c}, err
}

// attachPort is _add_interface_by_port: an unused port with addresses
// becomes the router's.
func (s *Service) attachPort(r *http.Request, tx *db.Tx, rt *router, portID string) (*port, []*ml2.Change, error) {
	p, err := getPort(tx, portID, s.scope(r))
	if err != nil {
		return nil, nil, err
	}
	if p.DeviceID != "" {
		return nil, nil, neutronerr.PortInUse(p.ID, p.NetworkID, p.DeviceID)
	}
	if len(p.FixedIPs) == 0 {
		return nil, nil, neutronerr.BadRequest("router", "Router port must have at least one fixed IP")
	}
	subs, err := portSubnets(tx, p)
	if err != nil {
		return nil, nil, err
	}
	if err := checkRouterSubnets(tx, rt, subs); err != nil {
		return nil, nil, err
	}
	v4 := 0
	for _, sub := range subs {
		if sub.IPVersion == 4 {
			v4++
		}
	}
	if v4 > 1 {
		return nil, nil, neutronerr.BadRequest("router", "Cannot have multiple IPv4 subnets on router port")
	}
	if err := s.checkPortInPools(r, p, subs); err != nil {
		return nil, nil, err
	}
	item := map[string]any{"device_id": rt.ID, "device_owner": ownerRouterInterface}
	if rt.Host != "" {
		item[bindHost] = rt.Host
	}
	c, err := s.changePort(tx, p, item)
	if err != nil {
		return nil, nil, err
	}
	return p, []*ml2.Change{c}, addRouterPort(tx, rt.ID, p.ID, ownerRouterInterface)
}

// checkPortInPools is _validate_port_in_range_or_admin.
func (s *Service) checkPortInPools(r *http.Request, p *port, subs []*subnet) error {
	if s.isAdmin(r) {
		return nil
	}
	for _, f := range p.FixedIPs {
		for _, sub := range subs {
			if sub.ID != f.SubnetID || sub.ProjectID == projectOf(r) || inPools(sub.Pools, f.IP) {
				continue
			}
			return neutronerr.BadRequest("router", "Cannot add interface to router because specified port "+p.ID+
				" has an IP address out of the allocation pool of subnet "+sub.ID+", which is not owned by the project making the request")
		}
	}
	return nil
}

// inPools says whether a is in one of the pools.
func inPools(pools []ipam.Pool, a netip.Addr) bool {
	for _, p := range pools {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// checkRouterSubnets is _check_for_dup_router_subnets: no second port on
// a subnet, and no overlap with the subnets the router reaches.
func checkRouterSubnets(tx *db.Tx, rt *router, added []*subnet) error {
	ports, err := queryPorts(tx, "", `p.id IN (SELECT port_id FROM network_router_ports WHERE router_id = ?)`, rt.ID)
	if err != nil {
		return err
	}
	var reached []string
	for _, p := range ports {
		for _, f := range p.FixedIPs {
			for _, a := range added {
				if f.SubnetID == a.ID {
					return neutronerr.BadRequest("router", "Router already has a port on subnet "+a.ID)
				}
			}
			reached = append(reached, f.SubnetID)
		}
		if p.Owner == ownerRouterGateway {
			subs, err := networkSubnetRows(tx, p.NetworkID)
			if err != nil {
				return err
			}
			for _, sub := range subs {
				reached = append(reached, sub.ID)
			}
		}
	}
	for _, id := range reached {
		have, err := getSubnet(tx, id, "")
		if err != nil {
			return err
		}
		for _, a := range added {
			if netip.MustParsePrefix(have.CIDR).Overlaps(netip.MustParsePrefix(a.CIDR)) {
				return neutronerr.BadRequest("router", "Cidr "+a.CIDR+" of subnet "+a.ID+" overlaps with cidr "+have.CIDR+" of subnet "+have.ID)
			}
		}
	}
	return nil
}

// portSubnets are the subnets of a port's fixed IPs.
func portSubnets(tx *db.Tx, p *port) ([]*subnet, error) {
	var out []*subnet
	seen := map[string]bool{}
	for _, f := range p.FixedIPs {
		if seen[f.SubnetID] {
			continue
		}
		seen[f.SubnetID] = true
		sub, err := getSubnet(tx, f.SubnetID, "")
		if err != nil {
			return nil, err
		}
		out = append(out, sub)
	}
	return out, nil
}

// subnetIDsOf are the subnets of a port's fixed IPs, in order.
func subnetIDsOf(p *port) []string {
	var out []string
	for _, f := range p.FixedIPs {
		if !containsStr(out, f.SubnetID) {
			out = append(out, f.SubnetID)
		}
	}
	return out
}

// bumpRouter records a change to the router's interfaces.
func bumpRouter(tx *db.Tx, id string, now int64) error {
	_, err := tx.Exec(`UPDATE network_routers SET revision_number = revision_number + 1, updated_at = ? WHERE id = ?`, now, id)
	return err
}
