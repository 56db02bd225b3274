package network

import (
	"context"
	"net/netip"
	"slices"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/rpc"
)

// securityGroupInfo answers an L2 agent's security_group_info: the ports'
// firewall inputs, their groups' rules and the addresses of the remote
// groups and address groups those rules name
// (security_group_info_for_devices). Unknown ports are left out.
func (s *Service) securityGroupInfo(ctx context.Context, req *rpc.SecurityGroupInfo) (any, error) {
	var reply rpc.SecurityGroupInfoReply
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		reply = rpc.SecurityGroupInfoReply{Devices: map[string]rpc.SGDevice{},
			SecurityGroups: map[string][]rpc.SGRule{}, MemberIPs: map[string]map[string][]rpc.MemberIP{}}
		ports, err := hostPorts(tx, req.Host, req.Devices)
		if err != nil || len(req.Devices) == 0 {
			return err
		}
		groups := map[string]bool{}
		for _, p := range ports {
			for _, g := range p.SecurityGroups {
				groups[g] = true
			}
		}
		rules, err := securityGroupRulesFor(tx, sortedKeys(groups))
		if err != nil {
			return err
		}
		remotes, agRemotes := map[string]map[string]bool{}, map[string]map[string]bool{}
		for g := range groups {
			reply.SecurityGroups[g] = []rpc.SGRule{}
			for _, r := range rules[g] {
				reply.SecurityGroups[g] = append(reply.SecurityGroups[g], rpcRule(r))
				noteRemote(remotes, r.RemoteGroupID, r.Ethertype)
				noteRemote(agRemotes, r.RemoteAddressGroupID, r.Ethertype)
			}
		}
		for _, p := range ports {
			reply.Devices[p.ID] = sgDevice(p, rules)
		}
		if err := groupMemberIPs(tx, remotes, reply.MemberIPs); err != nil {
			return err
		}
		return addressGroupIPs(tx, agRemotes, reply.MemberIPs)
	})
	return reply, err
}

// noteRemote records that a rule of ethertype names remote group id.
func noteRemote(remotes map[string]map[string]bool, id *string, ethertype string) {
	if id == nil {
		return
	}
	if remotes[*id] == nil {
		remotes[*id] = map[string]bool{}
	}
	remotes[*id][ethertype] = true
}

// rpcRule is a stored rule as agents see it.
func rpcRule(r sgRule) rpc.SGRule {
	out := rpc.SGRule{ID: r.ID, Direction: r.Direction, Ethertype: r.Ethertype, Stateful: r.GroupStateful,
		RemoteIPPrefix: deref(r.RemoteIPPrefix), RemoteGroupID: deref(r.RemoteGroupID),
		RemoteAddressGroupID: deref(r.RemoteAddressGroupID), Protocol: deref(r.Protocol)}
	if r.PortMin != nil {
		v := int(*r.PortMin)
		out.PortRangeMin = &v
	}
	if r.PortMax != nil {
		v := int(*r.PortMax)
		out.PortRangeMax = &v
	}
	if out.RemoteIPPrefix != "" {
		if pfx, err := netip.ParsePrefix(out.RemoteIPPrefix); err == nil {
			out.RemoteIPPrefix = pfx.Masked().String()
		}
	}
	return out
}

// sgDevice is a port as its firewall sees it, with the remote groups and
// address groups its groups' rules name.
func sgDevice(p *port, rules map[string][]sgRule) rpc.SGDevice {
	d := rpc.SGDevice{PortID: p.ID, NetworkID: p.NetworkID, MACAddress: p.MAC, FixedIPs: []string{},
		AllowedAddressPairs: rpcPairs(p.Pairs), DeviceOwner: p.Owner, PortSecurityEnabled: p.PortSecurity,
		SecurityGroups: nonNil(p.SecurityGroups), SourceGroups: []string{}, RemoteAddressGroups: []string{}}
	for _, f := range p.FixedIPs {
		d.FixedIPs = append(d.FixedIPs, f.IP.String())
	}
	for _, g := range p.SecurityGroups {
		for _, r := range rules[g] {
			if r.RemoteGroupID != nil && !slices.Contains(d.SourceGroups, *r.RemoteGroupID) {
				d.SourceGroups = append(d.SourceGroups, *r.RemoteGroupID)
			}
			if r.RemoteAddressGroupID != nil && !slices.Contains(d.RemoteAddressGroups, *r.RemoteAddressGroupID) {
				d.RemoteAddressGroups = append(d.RemoteAddressGroups, *r.RemoteAddressGroupID)
			}
		}
	}
	return d
}

// groupMemberIPs adds, per remote group and ethertype named by rules, the
// fixed IPs (no MAC) and allowed address pairs of the group's ports.
func groupMemberIPs(tx *db.Tx, remotes map[string]map[string]bool, out map[string]map[string][]rpc.MemberIP) error {
	return collectMembers(tx, remotes, out, func(in string, args []any) (string, []any) {
		return `SELECT b.security_group_id, a.ip_address, '' FROM network_port_security_groups b
			JOIN network_ip_allocations a ON a.port_id = b.port_id WHERE b.security_group_id` + in + `
			UNION SELECT b.security_group_id, ap.ip_address, ap.mac_address FROM network_port_security_groups b
			JOIN network_allowed_address_pairs ap ON ap.port_id = b.port_id WHERE b.security_group_id` + in,
			append(args, args...)
	})
}

// addressGroupIPs adds, per remote address group and ethertype named by
// rules, the group's CIDRs.
func addressGroupIPs(tx *db.Tx, remotes map[string]map[string]bool, out map[string]map[string][]rpc.MemberIP) error {
	return collectMembers(tx, remotes, out, func(in string, args []any) (string, []any) {
		return `SELECT address_group_id, address, '' FROM network_address_group_addresses WHERE address_group_id` + in, args
	})
}

// collectMembers reads the (group, address, MAC) rows query gives for the
// remote groups into out, keeping the ethertypes remotes asks for, each
// list sorted.
func collectMembers(tx *db.Tx, remotes map[string]map[string]bool, out map[string]map[string][]rpc.MemberIP,
	query func(in string, args []any) (string, []any)) error {
	for id, types := range remotes {
		out[id] = map[string][]rpc.MemberIP{}
		for t := range types {
			out[id][t] = []rpc.MemberIP{}
		}
	}
	for _, chunk := range chunks(sortedKeys(remotes), 400) {
		q, args := query(inClause(chunk))
		err := eachRow(tx, q, args, func(sc func(...any) error) error {
			var id string
			var m rpc.MemberIP
			if err := sc(&id, &m.IPAddress, &m.MACAddress); err != nil {
				return err
			}
			t := ethertypeOf(m.IPAddress)
			if list, ok := out[id][t]; ok && !slices.Contains(list, m) {
				out[id][t] = append(list, m)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for id := range remotes {
		for _, list := range out[id] {
			slices.SortFunc(list, func(a, b rpc.MemberIP) int {
				return strings.Compare(a.IPAddress+" "+a.MACAddress, b.IPAddress+" "+b.MACAddress)
			})
		}
	}
	return nil
}

// ethertypeOf is IPv4 or IPv6 for an address or CIDR.
func ethertypeOf(s string) string {
	if strings.Contains(s, ":") {
		return rpc.IPv6
	}
	return rpc.IPv4
}
