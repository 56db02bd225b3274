package network

import (
	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/ipam"
	"github.com/monostack/monostack/internal/network/ml2"
)

// reservedDHCPDevice is the device_id of a DHCP port no agent has taken
// yet (constants.DEVICE_ID_RESERVED_DHCP_PORT); the DHCP agent claims it.
const reservedDHCPDevice = "reserved_dhcp_port"

// syncDHCPPort keeps the network's DHCP port holding one address on each
// DHCP-enabled subnet: created with the first such subnet, deleted with
// the last.
func (s *Service) syncDHCPPort(tx *db.Tx, n *network) ([]*ml2.Change, error) {
	subs, err := networkSubnetRows(tx, n.ID)
	if err != nil {
		return nil, err
	}
	var fixed []ipam.FixedIPRequest
	for _, sub := range subs {
		if sub.EnableDHCP {
			fixed = append(fixed, ipam.FixedIPRequest{SubnetID: sub.ID})
		}
	}
	existing, err := queryPorts(tx, "", `p.network_id = ? AND p.device_owner = ?`, n.ID, ipam.OwnerDHCP)
	if err != nil {
		return nil, err
	}
	switch {
	case len(existing) == 0 && len(fixed) == 0:
		return nil, nil
	case len(existing) == 0:
		c, err := s.newPort(tx, n, s.dhcpPort(n), fixed)
		return []*ml2.Change{c}, err
	case len(fixed) == 0:
		c, err := s.removePort(tx, existing[0], n.Segments)
		return []*ml2.Change{c}, err
	}
	p := existing[0]
	original := portDict(p)
	if err := lockNetwork(tx, n.ID); err != nil {
		return nil, err
	}
	if err := s.allocateIPs(tx, n, p, fixed, p.FixedIPs); err != nil {
		return nil, err
	}
	c, err := s.saveFixedIPsChange(tx, n, p, original)
	return []*ml2.Change{c}, err
}

// dhcpPort is a new network:dhcp port of the network's project.
func (s *Service) dhcpPort(n *network) *port {
	p := s.blankPort(n, n.ProjectID)
	p.DeviceID, p.Owner = reservedDHCPDevice, ipam.OwnerDHCP
	return p
}
