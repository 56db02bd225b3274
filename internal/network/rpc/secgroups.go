package rpc

import (
	"github.com/monostack/monostack/internal/bus"
	"github.com/monostack/monostack/internal/errs"
)

// SecurityGroupInfo is an L2 agent's call on SubjectSecurityInfo for the
// firewall of some of its ports (Neutron's security_group_info_for_devices).
type SecurityGroupInfo struct {
	Host    string   `json:"host"`
	Devices []string `json:"devices"` // port ids
}

// MessageType implements bus.Versioned.
func (SecurityGroupInfo) MessageType() string { return "network.security_group_info" }

// MessageVersion implements bus.Versioned.
func (SecurityGroupInfo) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the request.
func (r SecurityGroupInfo) Validate() error {
	if err := required("host", r.Host); err != nil {
		return err
	}
	return ids("devices", r.Devices)
}

// SecurityGroupInfoReply answers SecurityGroupInfo. Ports unknown to the
// controller are absent from Devices.
type SecurityGroupInfoReply struct {
	Devices map[string]SGDevice `json:"devices"` // by port id
	// SecurityGroups holds the rules of every group of the devices; a group
	// without rules has an empty list (it drops everything).
	SecurityGroups map[string][]SGRule `json:"security_groups"`
	// MemberIPs are the addresses of the remote groups and remote address
	// groups the rules name, by group id then ethertype (IPv4, IPv6).
	MemberIPs map[string]map[string][]MemberIP `json:"sg_member_ips"`
}

// MessageType implements bus.Versioned.
func (SecurityGroupInfoReply) MessageType() string { return "network.security_group_info_reply" }

// MessageVersion implements bus.Versioned.
func (SecurityGroupInfoReply) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// SGDevice is a port as its firewall sees it.
type SGDevice struct {
	PortID              string        `json:"port_id"`
	NetworkID           string        `json:"network_id"`
	MACAddress          string        `json:"mac_address"`
	FixedIPs            []string      `json:"fixed_ips"` // addresses only
	AllowedAddressPairs []AddressPair `json:"allowed_address_pairs"`
	DeviceOwner         string        `json:"device_owner"`
	// PortSecurityEnabled false means no filtering and no anti-spoofing.
	PortSecurityEnabled bool     `json:"port_security_enabled"`
	SecurityGroups      []string `json:"security_groups"`
	// SourceGroups are the remote groups its rules name.
	SourceGroups []string `json:"security_group_source_groups"`
	// RemoteAddressGroups are the remote address groups its rules name.
	RemoteAddressGroups []string `json:"security_group_remote_address_groups"`
}

// SGRule is one rule of a security group. Optional fields are omitted when
// the rule leaves them open (any protocol, any port, any peer).
type SGRule struct {
	ID           string `json:"id"`
	Direction    string `json:"direction"` // Ingress or Egress
	Ethertype    string `json:"ethertype"` // IPv4 or IPv6
	Protocol     string `json:"protocol,omitempty"`
	PortRangeMin *int   `json:"port_range_min,omitempty"` // ICMP type for icmp
	PortRangeMax *int   `json:"port_range_max,omitempty"` // ICMP code for icmp
	// RemoteIPPrefix is the normalized CIDR of the peer (source for ingress,
	// destination for egress).
	RemoteIPPrefix       string `json:"remote_ip_prefix,omitempty"`
	RemoteGroupID        string `json:"remote_group_id,omitempty"`
	RemoteAddressGroupID string `json:"remote_address_group_id,omitempty"`
	// Stateful is the group's stateful flag: false means no conntrack.
	Stateful bool `json:"stateful"`
}

// Validate checks a rule before an agent turns it into firewall rules.
func (r SGRule) Validate() error {
	if err := oneOf("direction", r.Direction, Ingress, Egress); err != nil {
		return err
	}
	if err := oneOf("ethertype", r.Ethertype, IPv4, IPv6); err != nil {
		return err
	}
	if err := prefix("remote_ip_prefix", r.RemoteIPPrefix); err != nil {
		return err
	}
	remotes := 0
	for _, s := range []string{r.RemoteIPPrefix, r.RemoteGroupID, r.RemoteAddressGroupID} {
		if s != "" {
			remotes++
		}
	}
	if remotes > 1 {
		return errs.BadRequestf("rule %s names more than one remote", r.ID)
	}
	if r.PortRangeMin != nil && r.PortRangeMax != nil && *r.PortRangeMin > *r.PortRangeMax &&
		!isICMP(r.Protocol) {
		return errs.BadRequestf("rule %s: port_range_min above port_range_max", r.ID)
	}
	return nil
}

// isICMP says whether a protocol name or number is ICMP or ICMPv6, whose
// "ports" are a type and a code.
func isICMP(p string) bool {
	switch p {
	case "icmp", "1", "ipv6-icmp", "icmpv6", "58":
		return true
	}
	return false
}

// MemberIP is one address of a remote group member: a port's fixed IP or
// allowed address pair, or an address group's CIDR (MAC empty).
type MemberIP struct {
	IPAddress  string `json:"ip_address"`
	MACAddress string `json:"mac_address,omitempty"`
}
