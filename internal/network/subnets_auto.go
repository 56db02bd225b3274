package network

import (
	"slices"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/ml2"
)

// routerInterfaceOwners are the router ports that never take automatic
// addresses and keep a subnet from being deleted (ROUTER_INTERFACE_OWNERS_SNAT).
var routerInterfaceOwners = []string{ownerRouterInterface, "network:router_interface_distributed",
	"network:ha_router_replicated_interface", "network:router_centralized_snat"}

// isAutoAddressSubnet is is_auto_address_subnet: IPv6 SLAAC or DHCPv6-stateless.
func (sub *subnet) isAutoAddress() bool {
	return sub.IPVersion == 6 && ipam.IsAutoAddress(deref(sub.RAMode), deref(sub.AddressMode))
}

// addAutoAddresses is add_auto_addrs_on_network_ports: a new automatic
// subnet on an internal network gives each port already there (router
// interfaces aside) its EUI-64 address. The DHCP port of a DHCP-enabled
// subnet gets its address from syncDHCPPort instead.
func (s *Service) addAutoAddresses(tx *db.Tx, n *network, sub *subnet) ([]*ml2.Change, error) {
	if !sub.isAutoAddress() || n.External {
		return nil, nil
	}
	owners, args := inClause(routerInterfaceOwners)
	ports, err := queryPorts(tx, "", `p.network_id = ? AND p.device_owner NOT`+owners, append([]any{n.ID}, args...)...)
	if err != nil {
		return nil, err
	}
	prefix := sub.ipamSubnet().CIDR
	var changes []*ml2.Change
	for _, p := range ports {
		if sub.EnableDHCP && p.Owner == ipam.OwnerDHCP {
			continue
		}
		ip, err := ipam.EUI64(prefix, p.MAC)
		if err != nil {
			return nil, err
		}
		c, err := s.setFixedIPs(tx, n, p, append(slices.Clone(p.FixedIPs), fixedIP{SubnetID: sub.ID, IP: ip}))
		if err != nil {
			return nil, err
		}
		changes = append(changes, c)
	}
	return changes, nil
}

// dropAutoAddresses takes a deleted automatic subnet's addresses off the
// ports holding them (_remove_subnet_ip_allocations_from_ports).
func (s *Service) dropAutoAddresses(tx *db.Tx, n *network, sub *subnet) ([]*ml2.Change, error) {
	ports, err := queryPorts(tx, "", `p.id IN (SELECT port_id FROM network_ip_allocations WHERE subnet_id = ?)
		AND p.device_owner <> ?`, sub.ID, ipam.OwnerDHCP)
	if err != nil {
		return nil, err
	}
	var changes []*ml2.Change
	for _, p := range ports {
		kept := slices.DeleteFunc(slices.Clone(p.FixedIPs), func(f fixedIP) bool { return f.SubnetID == sub.ID })
		c, err := s.setFixedIPs(tx, n, p, kept)
		if err != nil {
			return nil, err
		}
		changes = append(changes, c)
	}
	return changes, nil
}

// setFixedIPs gives a port new addresses as an update that changes only
// them: a new revision, and the drivers hear of it.
func (s *Service) setFixedIPs(tx *db.Tx, n *network, p *port, fixed []fixedIP) (*ml2.Change, error) {
	original := portDict(p)
	p.FixedIPs = fixed
	return s.saveFixedIPsChange(tx, n, p, original)
}

// saveFixedIPsChange stores a port whose addresses changed from original
// under a new revision, and tells the drivers.
func (s *Service) saveFixedIPsChange(tx *db.Tx, n *network, p *port, original map[string]any) (*ml2.Change, error) {
	p.Std.Revision++
	p.Std.UpdatedAt = micros(s.now())
	if err := savePort(tx, p); err != nil {
		return nil, err
	}
	if err := writeFixedIPs(tx, p); err != nil {
		return nil, err
	}
	c := &ml2.Change{Op: ml2.OpUpdate, Kind: ml2.KindPort, Current: portDict(p), Original: original, Segments: n.Segments}
	return c, s.mechs.Precommit(tx, c)
}
