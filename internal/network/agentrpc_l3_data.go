package network

import (
	"net/netip"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/rpc"
)

// routerSet is SQL selecting router ids, with its arguments.
type routerSet struct {
	sql  string
	args []any
}

// hostRouterSets select host's routers: all of them, or those of ids in
// sets small enough for one IN list each.
func hostRouterSets(host string, ids []string) []routerSet {
	const all = `SELECT id FROM network_routers WHERE l3_host = ?`
	if len(ids) == 0 {
		return []routerSet{{all, []any{host}}}
	}
	var sets []routerSet
	for _, chunk := range chunks(ids, 500) {
		in, args := inClause(chunk)
		sets = append(sets, routerSet{all + ` AND id` + in, append([]any{host}, args...)})
	}
	return sets
}

// routerNetworks are what sync data needs of the networks of routers'
// ports: MTU and subnets.
type routerNetworks struct {
	mtu     map[string]int
	subnets map[string][]*subnet
}

// syncData is get_sync_data: the routers set selects with their gateway,
// interfaces and floating IPs, each kind read in one query.
func syncData(tx *db.Tx, set routerSet) ([]rpc.Router, error) {
	routers, err := queryRouters(tx, "", `id IN (`+set.sql+`)`, set.args...)
	if err != nil || len(routers) == 0 {
		return nil, err
	}
	portsOf := `SELECT port_id FROM network_router_ports WHERE router_id IN (` + set.sql + `)`
	ports, err := queryPorts(tx, "", `p.id IN (`+portsOf+`)`, set.args...)
	if err != nil {
		return nil, err
	}
	nets, err := loadRouterNetworks(tx, `SELECT network_id FROM network_ports WHERE id IN (`+portsOf+`)`, set.args)
	if err != nil {
		return nil, err
	}
	fips, err := queryFloatingIPs(tx, "", `router_id IN (`+set.sql+`)`, set.args...)
	if err != nil {
		return nil, err
	}
	forwards, err := routerForwardings(tx, set)
	if err != nil {
		return nil, err
	}
	out := make([]rpc.Router, len(routers))
	for i, rt := range routers {
		out[i] = syncRouter(rt, ports, nets, fips, forwards)
	}
	return out, nil
}

// routerForwardings are the port forwardings of the set's routers'
// floating IPs, by floating IP.
func routerForwardings(tx *db.Tx, set routerSet) (map[string][]rpc.PortForwarding, error) {
	pfs, err := queryPortForwardings(tx, `floatingip_id IN (SELECT id FROM network_floatingips WHERE router_id IN (`+
		set.sql+`))`, set.args...)
	out := map[string][]rpc.PortForwarding{}
	for _, pf := range pfs {
		out[pf.FloatingIPID] = append(out[pf.FloatingIPID], rpc.PortForwarding{ID: pf.ID, Protocol: pf.Protocol,
			ExternalPortStart: int(pf.External.start), ExternalPortEnd: int(pf.External.end), InternalIPAddress: pf.InternalIP,
			InternalPortStart: int(pf.Internal.start), InternalPortEnd: int(pf.Internal.end)})
	}
	return out, err
}

// loadRouterNetworks reads the MTU and subnets of the networks netIDs selects.
func loadRouterNetworks(tx *db.Tx, netIDs string, args []any) (routerNetworks, error) {
	nets := routerNetworks{mtu: map[string]int{}, subnets: map[string][]*subnet{}}
	err := eachRow(tx, `SELECT id, mtu FROM network_networks WHERE id IN (`+netIDs+`)`, args, func(sc func(...any) error) error {
		var id string
		var mtu int
		err := sc(&id, &mtu)
		nets.mtu[id] = mtu
		return err
	})
	if err != nil {
		return nets, err
	}
	subs, err := querySubnets(tx, "", `s.network_id IN (`+netIDs+`)`, args...)
	for _, sub := range subs {
		nets.subnets[sub.NetworkID] = append(nets.subnets[sub.NetworkID], sub)
	}
	return nets, err
}

// syncRouter is one router as the L3 agent builds it.
func syncRouter(rt *router, ports []*port, nets routerNetworks, fips []*floatingIP, forwards map[string][]rpc.PortForwarding) rpc.Router {
	out := rpc.Router{ID: rt.ID, Name: rt.Name, ProjectID: rt.ProjectID, AdminStateUp: rt.AdminStateUp,
		Interfaces: []rpc.RouterPort{}, Routes: []rpc.HostRoute{}, FloatingIPs: []rpc.FloatingIP{},
		RevisionNumber: rt.Std.Revision}
	for _, p := range ports {
		switch {
		case p.ID == rt.GWPortID:
			out.Gateway = &rpc.Gateway{NetworkID: rt.GWNetworkID, EnableSNAT: rt.EnableSNAT, Port: routerPort(p, nets)}
		case p.DeviceID == rt.ID && p.Owner == ownerRouterInterface:
			out.Interfaces = append(out.Interfaces, routerPort(p, nets))
		}
	}
	for _, r := range rt.Routes {
		out.Routes = append(out.Routes, rpc.HostRoute{Destination: r.Destination, NextHop: r.Nexthop})
	}
	for _, f := range fips {
		if f.RouterID == rt.ID {
			out.FloatingIPs = append(out.FloatingIPs, rpc.FloatingIP{ID: f.ID, FloatingIPAddress: f.Address,
				FloatingNetworkID: f.NetworkID, FixedIPAddress: f.FixedIP, PortID: f.FixedPortID, RouterID: f.RouterID,
				Status: f.Status, ProjectID: f.ProjectID, PortForwardings: forwards[f.ID]})
		}
	}
	return out
}

// routerPort is a router's port with its fixed IPs' subnets (and their
// prefix lengths) and the network's other subnets
// (_populate_mtu_and_subnets_for_ports).
func routerPort(p *port, nets routerNetworks) rpc.RouterPort {
	out := rpc.RouterPort{ID: p.ID, NetworkID: p.NetworkID, MACAddress: p.MAC, MTU: nets.mtu[p.NetworkID],
		AdminStateUp: p.AdminStateUp, FixedIPs: []rpc.FixedIP{}, Subnets: []rpc.PortSubnet{}}
	used := map[string]bool{}
	for _, f := range p.FixedIPs {
		sub := portSubnet(subnetByID(nets.subnets[p.NetworkID], f.SubnetID))
		sub.ID = f.SubnetID
		prefix, _ := netip.ParsePrefix(sub.CIDR)
		out.FixedIPs = append(out.FixedIPs, rpc.FixedIP{SubnetID: f.SubnetID, IPAddress: f.IP.String(), PrefixLen: max(prefix.Bits(), 0)})
		out.Subnets, used[f.SubnetID] = append(out.Subnets, sub), true
	}
	for _, sub := range nets.subnets[p.NetworkID] {
		if !used[sub.ID] {
			out.ExtraSubnets = append(out.ExtraSubnets, portSubnet(sub))
		}
	}
	return out
}

// subnetByID finds a subnet in a list, nil when absent.
func subnetByID(subs []*subnet, id string) *subnet {
	for _, sub := range subs {
		if sub.ID == id {
			return sub
		}
	}
	return nil
}

// portSubnet is a subnet as a router port uses it; empty for nil.
func portSubnet(sub *subnet) rpc.PortSubnet {
	if sub == nil {
		return rpc.PortSubnet{}
	}
	return rpc.PortSubnet{ID: sub.ID, CIDR: sub.CIDR, GatewayIP: deref(sub.Gateway), IPv6RAMode: deref(sub.RAMode),
		DNSNameservers: sub.DNS}
}
