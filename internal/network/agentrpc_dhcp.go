package network

import (
	"context"
	"crypto/sha1"
	"fmt"
	"slices"
	"strings"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/ml2"
	"github.com/monostack/monostack/internal/network/rpc"
)

// activeNetworks answers a DHCP agent's dhcp_active_networks: it first
// claims every DHCP port no agent holds yet for the host, then answers the
// admin-up networks whose DHCP port is the host's (get_active_networks_info;
// the claim stands in for the DHCP agent scheduler).
func (s *Service) activeNetworks(ctx context.Context, req *rpc.GetActiveNetworks) (any, error) {
	if err := s.claimDHCPPorts(ctx, req.Host, ""); err != nil {
		return nil, err
	}
	var reply rpc.ActiveNetworks
	err := s.db.Read(ctx, func(tx *db.Tx) error {
		reply = rpc.ActiveNetworks{Networks: []rpc.NetworkInfo{}}
		var ids []string
		err := eachRow(tx, `SELECT p.network_id FROM network_ports p JOIN network_networks n ON n.id = p.network_id
			WHERE p.device_owner = ? AND p.binding_host_id = ? AND n.admin_state_up = ? ORDER BY p.network_id`,
			[]any{ipam.OwnerDHCP, req.Host, true}, func(sc func(...any) error) error {
				var id string
				err := sc(&id)
				ids = append(ids, id)
				return err
			})
		if err != nil {
			return err
		}
		for _, id := range slices.Compact(ids) {
			info, err := dhcpNetworkInfo(tx, id)
			if err != nil {
				return err
			}
			reply.Networks = append(reply.Networks, info)
		}
		return nil
	})
	return reply, err
}

// networkInfo answers a DHCP agent's dhcp_network_info, claiming the
// network's DHCP port for the host if no agent holds it (get_network_info).
func (s *Service) networkInfo(ctx context.Context, req *rpc.GetNetworkInfo) (any, error) {
	if err := s.claimDHCPPorts(ctx, req.Host, req.NetworkID); err != nil {
		return nil, err
	}
	var reply rpc.NetworkInfo
	err := s.db.Read(ctx, func(tx *db.Tx) (err error) {
		reply, err = dhcpNetworkInfo(tx, req.NetworkID)
		return err
	})
	return reply, err
}

// dhcpReady accepts a DHCP agent's dhcp_ready_on_ports. No DHCP
// provisioning block is kept (ports go ACTIVE on the L2 report alone), so
// it changes nothing.
func (s *Service) dhcpReady(_ context.Context, req *rpc.DHCPReady) (any, error) {
	s.log.Debug("dhcp ready on ports", "host", req.Host, "ports", len(req.PortIDs))
	return nil, nil
}

// dhcpNetworkInfo is a network as a DHCP agent serves it.
func dhcpNetworkInfo(tx *db.Tx, id string) (rpc.NetworkInfo, error) {
	n, err := getNetwork(tx, id, "")
	if err != nil {
		return rpc.NetworkInfo{}, err
	}
	info := rpc.NetworkInfo{ID: n.ID, ProjectID: n.ProjectID, AdminStateUp: n.AdminStateUp, MTU: n.MTU,
		RevisionNumber: n.Std.Revision, Subnets: []rpc.Subnet{}, Ports: []rpc.DHCPPort{}}
	subs, err := networkSubnetRows(tx, id)
	if err != nil {
		return info, err
	}
	for _, sub := range subs {
		if sub.EnableDHCP {
			info.Subnets = append(info.Subnets, rpcSubnet(sub))
		}
	}
	slices.SortFunc(info.Subnets, func(a, b rpc.Subnet) int { return strings.Compare(a.ID, b.ID) })
	ports, err := queryPorts(tx, "", `p.network_id = ?`, id)
	for _, p := range ports {
		info.Ports = append(info.Ports, dhcpPortOf(portDict(p)))
	}
	return info, err
}

// rpcSubnet is a subnet as DHCP serves it.
func rpcSubnet(s *subnet) rpc.Subnet {
	out := rpc.Subnet{ID: s.ID, Name: s.Name, NetworkID: s.NetworkID, IPVersion: s.IPVersion, CIDR: s.CIDR,
		GatewayIP: deref(s.Gateway), EnableDHCP: s.EnableDHCP, AllocationPools: []rpc.Pool{},
		DNSNameservers: nonNil(s.DNS), HostRoutes: []rpc.HostRoute{}, IPv6RAMode: deref(s.RAMode),
		IPv6AddrMode: deref(s.AddressMode), SegmentID: deref(s.SegmentID)}
	for _, p := range s.Pools {
		out.AllocationPools = append(out.AllocationPools, rpc.Pool{Start: p.Start.String(), End: p.End.String()})
	}
	for _, r := range s.Routes {
		out.HostRoutes = append(out.HostRoutes, rpc.HostRoute{Destination: r.Destination, NextHop: r.Nexthop})
	}
	return out
}

// dhcpPortOf is a port, given as its API dict, as DHCP serves it.
func dhcpPortOf(m map[string]any) rpc.DHCPPort {
	str := func(k string) string { v, _ := m[k].(string); return v }
	p := rpc.DHCPPort{ID: str("id"), NetworkID: str("network_id"), MACAddress: str("mac_address"),
		DeviceOwner: str("device_owner"), DeviceID: str("device_id"), DNSName: str("dns_name"),
		FixedIPs: []rpc.FixedIP{}}
	p.AdminStateUp, _ = m["admin_state_up"].(bool)
	p.RevisionNumber, _ = m["revision_number"].(int64)
	for _, f := range dictList(m["fixed_ips"]) {
		p.FixedIPs = append(p.FixedIPs, rpc.FixedIP{SubnetID: f["subnet_id"].(string), IPAddress: f["ip_address"].(string)})
	}
	for _, d := range dictList(m["dns_assignment"]) {
		p.DNSAssignment = append(p.DNSAssignment, rpc.DNSAssignment{Hostname: d["hostname"].(string),
			IPAddress: d["ip_address"].(string), FQDN: d["fqdn"].(string)})
	}
	for _, o := range dictList(m["extra_dhcp_opts"]) {
		v, _ := o["ip_version"].(int)
		p.ExtraDHCPOpts = append(p.ExtraDHCPOpts, rpc.ExtraDHCPOpt{OptName: o["opt_name"].(string),
			OptValue: o["opt_value"].(string), IPVersion: v})
	}
	return p
}

// dictList is a []map[string]any dict value, nil for anything else.
func dictList(v any) []map[string]any {
	l, _ := v.([]map[string]any)
	return l
}

// claimDHCPPorts gives the DHCP ports no agent holds yet (device_id
// reserved_dhcp_port), of one network or all, to host's DHCP agent: its
// device id, bound to host.
func (s *Service) claimDHCPPorts(ctx context.Context, host, networkID string) error {
	var claimed rebound
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		claimed = rebound{}
		cond, args := `p.device_owner = ? AND p.device_id = ?`, []any{ipam.OwnerDHCP, reservedDHCPDevice}
		if networkID != "" {
			cond, args = cond+` AND p.network_id = ?`, append(args, networkID)
		}
		ports, err := queryPorts(tx, "", cond, args...)
		if err != nil {
			return err
		}
		for _, p := range ports {
			c, err := s.claimDHCPPort(tx, p, host)
			if err != nil {
				return err
			}
			claimed.add(p, c)
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.announce(ctx, claimed)
	return nil
}

// claimDHCPPort gives one reserved DHCP port to host's agent; nil when
// another controller claimed it first.
func (s *Service) claimDHCPPort(tx *db.Tx, p *port, host string) (*ml2.Change, error) {
	device := dhcpDeviceID(host, p.NetworkID)
	n, err := tx.ExecAffected(`UPDATE network_ports SET device_id = ? WHERE id = ? AND device_id = ?`,
		device, p.ID, reservedDHCPDevice)
	if err != nil || n == 0 {
		return nil, err
	}
	return s.rebindPort(tx, p, device, host)
}

// dhcpDeviceID is the device_id of host's DHCP agent's port on a network
// (neutron.common.utils.get_dhcp_agent_device_id): dhcp, the uuid5 of the
// short host name in the DNS namespace, -, the network id.
func dhcpDeviceID(host, networkID string) string {
	short, _, _ := strings.Cut(host, ".")
	return "dhcp" + uuid5(namespaceDNS, short) + "-" + networkID
}

// namespaceDNS is RFC 4122's DNS name space (uuid.NAMESPACE_DNS).
var namespaceDNS = [16]byte{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// uuid5 is the name-based (SHA-1) UUID of name in namespace ns.
func uuid5(ns [16]byte, name string) string {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
}
