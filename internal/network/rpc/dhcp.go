package rpc

import "github.com/monostack/monostack/internal/bus"

// GetActiveNetworks is a DHCP agent's call on SubjectDHCPNetworks: every
// network scheduled to its host, in full (Neutron's
// get_active_networks_info). An agent administratively down gets none.
type GetActiveNetworks struct {
	Host string `json:"host"`
}

// MessageType implements bus.Versioned.
func (GetActiveNetworks) MessageType() string { return "network.dhcp_active_networks" }

// MessageVersion implements bus.Versioned.
func (GetActiveNetworks) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the request.
func (r GetActiveNetworks) Validate() error { return required("host", r.Host) }

// ActiveNetworks answers GetActiveNetworks.
type ActiveNetworks struct {
	Networks []NetworkInfo `json:"networks"`
}

// MessageType implements bus.Versioned.
func (ActiveNetworks) MessageType() string { return "network.dhcp_active_networks_reply" }

// MessageVersion implements bus.Versioned.
func (ActiveNetworks) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// GetNetworkInfo is a DHCP agent's call on SubjectDHCPNetwork for one
// network (Neutron's get_network_info). A network that no longer exists is
// a not_found error.
type GetNetworkInfo struct {
	Host      string `json:"host"`
	NetworkID string `json:"network_id"`
}

// MessageType implements bus.Versioned.
func (GetNetworkInfo) MessageType() string { return "network.dhcp_network_info" }

// MessageVersion implements bus.Versioned.
func (GetNetworkInfo) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the request.
func (r GetNetworkInfo) Validate() error {
	return required("host", r.Host, "network_id", r.NetworkID)
}

// NetworkInfo is what a DHCP agent serves for one network; it answers
// GetNetworkInfo.
type NetworkInfo struct {
	ID           string `json:"id"`
	ProjectID    string `json:"project_id"`
	AdminStateUp bool   `json:"admin_state_up"`
	MTU          int    `json:"mtu"`
	// Subnets are those with enable_dhcp, sorted by id (dnsmasq tags follow
	// the order).
	Subnets []Subnet `json:"subnets"`
	// Ports are every port of the network, the DHCP port included.
	Ports          []DHCPPort `json:"ports"`
	RevisionNumber int64      `json:"revision_number"`
}

// MessageType implements bus.Versioned.
func (NetworkInfo) MessageType() string { return "network.dhcp_network_info_reply" }

// MessageVersion implements bus.Versioned.
func (NetworkInfo) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Subnet is a subnet as DHCP serves it.
type Subnet struct {
	ID              string      `json:"id"`
	Name            string      `json:"name"`
	NetworkID       string      `json:"network_id"`
	IPVersion       int         `json:"ip_version"` // 4 or 6
	CIDR            string      `json:"cidr"`
	GatewayIP       string      `json:"gateway_ip,omitempty"` // empty: no gateway
	EnableDHCP      bool        `json:"enable_dhcp"`
	AllocationPools []Pool      `json:"allocation_pools"`
	DNSNameservers  []string    `json:"dns_nameservers"`
	HostRoutes      []HostRoute `json:"host_routes"`
	IPv6RAMode      string      `json:"ipv6_ra_mode,omitempty"`      // IPv6* constant
	IPv6AddrMode    string      `json:"ipv6_address_mode,omitempty"` // IPv6* constant
	SegmentID       string      `json:"segment_id,omitempty"`
}

// Pool is an allocation pool.
type Pool struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// HostRoute is a route DHCP hands to instances.
type HostRoute struct {
	Destination string `json:"destination"` // CIDR
	NextHop     string `json:"nexthop"`
}

// DHCPPort is a port as DHCP serves it.
type DHCPPort struct {
	ID             string          `json:"id"`
	NetworkID      string          `json:"network_id"`
	MACAddress     string          `json:"mac_address"`
	FixedIPs       []FixedIP       `json:"fixed_ips"`
	DeviceOwner    string          `json:"device_owner"`
	DeviceID       string          `json:"device_id"`
	AdminStateUp   bool            `json:"admin_state_up"`
	DNSName        string          `json:"dns_name,omitempty"`
	DNSAssignment  []DNSAssignment `json:"dns_assignment,omitempty"`
	ExtraDHCPOpts  []ExtraDHCPOpt  `json:"extra_dhcp_opts,omitempty"`
	RevisionNumber int64           `json:"revision_number"`
}

// DNSAssignment is a host name a port's address answers to.
type DNSAssignment struct {
	Hostname  string `json:"hostname"`
	IPAddress string `json:"ip_address"`
	FQDN      string `json:"fqdn"`
}

// ExtraDHCPOpt is a DHCP option set on a port (extra_dhcp_opt extension).
type ExtraDHCPOpt struct {
	OptName   string `json:"opt_name"`
	OptValue  string `json:"opt_value"`
	IPVersion int    `json:"ip_version"` // 4 or 6
}

// DHCPReady is a DHCP agent's call on SubjectDHCPReady once dnsmasq serves
// these ports (Neutron's dhcp_ready_on_ports): it clears the DHCP
// provisioning block, so the ports can go ACTIVE.
type DHCPReady struct {
	Host    string   `json:"host"`
	PortIDs []string `json:"port_ids"`
}

// MessageType implements bus.Versioned.
func (DHCPReady) MessageType() string { return "network.dhcp_ready_on_ports" }

// MessageVersion implements bus.Versioned.
func (DHCPReady) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the request.
func (r DHCPReady) Validate() error {
	if err := required("host", r.Host); err != nil {
		return err
	}
	return ids("port_ids", r.PortIDs)
}
