package network

import (
	"context"
	"maps"
	"reflect"
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/rpc"
)

// portWiring are the port attributes an L2 agent wires: a change of one
// sends port_update (ML2's need_port_update_notify).
var portWiring = []string{bindHost, "mac_address", "fixed_ips", "admin_state_up", "security_groups",
	"allowed_address_pairs", "port_security_enabled", bindVIFType}

// notifyAgents tells the agents of committed changes; it runs from
// postcommit and only with a bus.
func (s *Service) notifyAgents(ctx context.Context, changes []*ml2.Change) {
	if s.opts.Bus == nil {
		return
	}
	dhcp := map[string]bool{} // network id → has DHCP-enabled subnets, read once
	for _, c := range changes {
		switch c.Kind {
		case ml2.KindNetwork:
			s.notifyNetwork(ctx, c, s.hasDHCP(ctx, dhcp, str(c.Current, "id")))
		case ml2.KindSubnet:
			s.notifySubnet(ctx, c)
		case ml2.KindPort:
			s.notifyPort(ctx, c, s.hasDHCP(ctx, dhcp, str(c.Current, "network_id")))
			s.notifyRoutersUpdated(ctx, c.Routers...)
		}
	}
}

// notifyNetwork sends network_update (admin state or MTU changed) or
// network_delete, and the DHCP network events.
func (s *Service) notifyNetwork(ctx context.Context, c *ml2.Change, dhcp bool) {
	id := str(c.Current, "id")
	switch c.Op {
	case ml2.OpUpdate:
		if changed(c, "admin_state_up", "mtu") {
			rev, _ := c.Current["revision_number"].(int64)
			s.cast(ctx, rpc.SubjectNetworkUpdate, rpc.NetworkUpdate{NetworkID: id, RevisionNumber: rev})
		}
		if dhcp {
			s.cast(ctx, rpc.SubjectDHCP, rpc.DHCPNotify{Event: rpc.DHCPNetworkUpdate, NetworkID: id})
		}
	case ml2.OpDelete:
		s.cast(ctx, rpc.SubjectNetworkDelete, rpc.NetworkDelete{NetworkID: id})
		s.cast(ctx, rpc.SubjectDHCP, rpc.DHCPNotify{Event: rpc.DHCPNetworkDelete, NetworkID: id})
	}
}

// notifySubnet sends the DHCP subnet events of DHCP-enabled subnets.
func (s *Service) notifySubnet(ctx context.Context, c *ml2.Change) {
	on, _ := c.Current["enable_dhcp"].(bool)
	was, _ := c.Original["enable_dhcp"].(bool)
	if !on && !was {
		return
	}
	event := map[ml2.Op]string{ml2.OpCreate: rpc.DHCPSubnetCreate, ml2.OpUpdate: rpc.DHCPSubnetUpdate,
		ml2.OpDelete: rpc.DHCPSubnetDelete}[c.Op]
	s.cast(ctx, rpc.SubjectDHCP, rpc.DHCPNotify{Event: event, NetworkID: str(c.Current, "network_id"),
		SubnetID: str(c.Current, "id")})
}

// notifyPort sends port_update/port_delete to the L2 agents,
// security_groups_member_updated for the groups whose members changed,
// l2population_update when an ACTIVE port on a tunnel goes away, and the
// DHCP port events.
func (s *Service) notifyPort(ctx context.Context, c *ml2.Change, dhcp bool) {
	id, netID := str(c.Current, "id"), str(c.Current, "network_id")
	switch {
	case c.Op == ml2.OpDelete:
		s.cast(ctx, rpc.SubjectPortDelete, rpc.PortDelete{PortID: id, NetworkID: netID})
		if str(c.Current, "status") == rpc.PortStatusActive && str(c.Current, bindHost) != "" && tunnelled(c.Segments) {
			s.cast(ctx, rpc.SubjectL2PopUpdate, rpc.L2PopUpdate{NetworkIDs: []string{netID}})
		}
	case str(c.Current, bindHost) != "" || str(c.Original, bindHost) != "":
		if c.Op == ml2.OpCreate || changed(c, portWiring...) {
			rev, _ := c.Current["revision_number"].(int64)
			s.cast(ctx, rpc.SubjectPortUpdate, rpc.PortUpdate{PortID: id, NetworkID: netID,
				Host: str(c.Current, bindHost), RevisionNumber: rev})
		}
	}
	if groups := memberGroups(c); len(groups) > 0 {
		s.cast(ctx, rpc.SubjectSecurityGroupUpdate, rpc.SecurityGroupsMemberUpdated{SecurityGroups: groups})
	}
	s.notifyDHCPPort(ctx, c, dhcp)
}

// notifyDHCPPort sends the DHCP port event of a port on a network with
// DHCP, and network_create_end (no host: any DHCP agent) when a network
// gets a DHCP port no agent holds yet.
func (s *Service) notifyDHCPPort(ctx context.Context, c *ml2.Change, dhcp bool) {
	id, netID := str(c.Current, "id"), str(c.Current, "network_id")
	if c.Op == ml2.OpCreate && str(c.Current, "device_owner") == ipam.OwnerDHCP &&
		str(c.Current, "device_id") == reservedDHCPDevice {
		s.cast(ctx, rpc.SubjectDHCP, rpc.DHCPNotify{Event: rpc.DHCPNetworkCreate, NetworkID: netID})
	}
	if !dhcp && c.Op != ml2.OpDelete {
		return
	}
	n := rpc.DHCPNotify{NetworkID: netID, PortID: id}
	switch c.Op {
	case ml2.OpCreate, ml2.OpUpdate:
		p := dhcpPortOf(c.Current)
		n.Event, n.Port = rpc.DHCPPortCreate, &p
		if c.Op == ml2.OpUpdate {
			n.Event = rpc.DHCPPortUpdate
		}
	case ml2.OpDelete:
		n.Event = rpc.DHCPPortDelete
	}
	s.cast(ctx, rpc.SubjectDHCP, n)
}

// memberGroups are the security groups whose members a port change
// touched: all of the port's groups on create and delete; on update the
// groups it joined or left, or all of them if its addresses changed.
func memberGroups(c *ml2.Change) []string {
	cur, _ := c.Current["security_groups"].([]string)
	if c.Op != ml2.OpUpdate {
		return slices.Clone(cur)
	}
	old, _ := c.Original["security_groups"].([]string)
	if changed(c, "fixed_ips", "allowed_address_pairs") {
		return union(cur, old)
	}
	var out []string
	for _, g := range union(cur, old) {
		if !slices.Contains(cur, g) || !slices.Contains(old, g) {
			out = append(out, g)
		}
	}
	return out
}

// union is the sorted set of both lists.
func union(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

// changed says whether an update changed any of keys.
func changed(c *ml2.Change, keys ...string) bool {
	for _, k := range keys {
		if !reflect.DeepEqual(c.Current[k], c.Original[k]) {
			return true
		}
	}
	return false
}

// tunnelled says whether a network's first segment is an overlay.
func tunnelled(segs []ml2.Segment) bool { return len(segs) > 0 && isTunnel(segs[0].Type) }

// str is a string dict value, "" when absent.
func str(m map[string]any, k string) string {
	v, _ := m[k].(string)
	return v
}

// hasDHCP says whether a network has a DHCP-enabled subnet, reading each
// network once per batch; an error reads as true (a spare event is harmless).
func (s *Service) hasDHCP(ctx context.Context, seen map[string]bool, networkID string) bool {
	if v, ok := seen[networkID]; ok {
		return v
	}
	var n int
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		return tx.QueryRow(`SELECT COUNT(*) FROM network_subnets WHERE network_id = ? AND enable_dhcp = ?`,
			networkID, true).Scan(&n)
	})
	seen[networkID] = err != nil || n > 0
	return seen[networkID]
}

// notifyRulesUpdated sends security_groups_rule_updated for groups whose
// rules changed.
func (s *Service) notifyRulesUpdated(ctx context.Context, groups ...string) {
	s.cast(ctx, rpc.SubjectSecurityGroupUpdate, rpc.SecurityGroupsRuleUpdated{SecurityGroups: union(groups, nil)})
}

// notifyMembersUpdated sends security_groups_member_updated for groups
// (or address groups) whose addresses changed.
func (s *Service) notifyMembersUpdated(ctx context.Context, groups ...string) {
	s.cast(ctx, rpc.SubjectSecurityGroupUpdate, rpc.SecurityGroupsMemberUpdated{SecurityGroups: union(groups, nil)})
}

// notifyRoutersUpdated sends routers_updated after a committed change of
// routers: one per host holding some of them, and one without host for
// those no L3 agent holds yet (the first agent to ask claims them).
func (s *Service) notifyRoutersUpdated(ctx context.Context, ids ...string) {
	ids = slices.DeleteFunc(union(ids, nil), func(id string) bool { return id == "" })
	if s.opts.Bus == nil || len(ids) == 0 {
		return
	}
	byHost, err := s.routerHosts(ctx, ids)
	if err != nil {
		s.log.Warn("router hosts not read", "routers", ids, "err", err)
		byHost = map[string][]string{"": ids}
	}
	for _, host := range slices.Sorted(maps.Keys(byHost)) {
		s.cast(ctx, rpc.SubjectL3, rpc.RoutersUpdated{RouterIDs: byHost[host], Host: host})
	}
}

// routerHosts groups routers by the host holding them; gone ones are left out.
func (s *Service) routerHosts(ctx context.Context, ids []string) (map[string][]string, error) {
	byHost := map[string][]string{}
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		clear(byHost)
		for _, chunk := range chunks(ids, 500) {
			in, args := inClause(chunk)
			err := eachRow(tx, `SELECT id, l3_host FROM network_routers WHERE id`+in+` ORDER BY id`, args, func(sc func(...any) error) error {
				var id, host string
				err := sc(&id, &host)
				byHost[host] = append(byHost[host], id)
				return err
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return byHost, err
}

// notifyRouterDeleted sends router_deleted for a deleted router, addressed
// to the host that held it ("" when none did).
func (s *Service) notifyRouterDeleted(ctx context.Context, id, host string) {
	s.cast(ctx, rpc.SubjectL3, rpc.RouterDeleted{RouterID: id, Host: host})
}
