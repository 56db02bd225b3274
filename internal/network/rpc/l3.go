package rpc

import "github.com/monostack/monostack/internal/bus"

// SyncRouters is an L3 agent's call on SubjectSyncRouters: the routers
// scheduled to its host with everything needed to build them (Neutron's
// sync_routers). HA and distributed routers are not part of version 1.
type SyncRouters struct {
	Host string `json:"host"`
	// RouterIDs narrows the answer (after routers_updated); empty means
	// every router on Host. Asked routers no longer on Host are absent
	// from the reply: the agent removes them.
	RouterIDs []string `json:"router_ids,omitempty"`
}

// MessageType implements bus.Versioned.
func (SyncRouters) MessageType() string { return "network.sync_routers" }

// MessageVersion implements bus.Versioned.
func (SyncRouters) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the request.
func (r SyncRouters) Validate() error {
	if err := required("host", r.Host); err != nil {
		return err
	}
	return ids("router_ids", r.RouterIDs)
}

// SyncRoutersReply answers SyncRouters.
type SyncRoutersReply struct {
	Routers []Router `json:"routers"`
}

// MessageType implements bus.Versioned.
func (SyncRoutersReply) MessageType() string { return "network.sync_routers_reply" }

// MessageVersion implements bus.Versioned.
func (SyncRoutersReply) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Router is one router as the L3 agent builds it (a qrouter-<id> namespace).
type Router struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	ProjectID    string `json:"project_id"`
	AdminStateUp bool   `json:"admin_state_up"`
	// Gateway is the external gateway; nil when the router has none.
	Gateway *Gateway `json:"gateway,omitempty"`
	// Interfaces are its network:router_interface ports (qr- devices).
	Interfaces []RouterPort `json:"interfaces"`
	// Routes are its extra routes.
	Routes []HostRoute `json:"routes"`
	// FloatingIPs are the floating IPs associated through this router.
	FloatingIPs    []FloatingIP `json:"floating_ips"`
	RevisionNumber int64        `json:"revision_number"`
}

// Gateway is a router's external gateway (external_gateway_info and the
// network:router_gateway port, the qg- device).
type Gateway struct {
	NetworkID  string     `json:"network_id"` // the external network
	EnableSNAT bool       `json:"enable_snat"`
	Port       RouterPort `json:"port"`
}

// RouterPort is a router's port with its subnets.
type RouterPort struct {
	ID           string    `json:"id"`
	NetworkID    string    `json:"network_id"`
	MACAddress   string    `json:"mac_address"`
	MTU          int       `json:"mtu"`
	AdminStateUp bool      `json:"admin_state_up"`
	FixedIPs     []FixedIP `json:"fixed_ips"` // with prefixlen
	// Subnets are the subnets of FixedIPs, in the same order.
	Subnets []PortSubnet `json:"subnets"`
	// ExtraSubnets are the network's other subnets (on-link routes only).
	ExtraSubnets []PortSubnet `json:"extra_subnets,omitempty"`
}

// PortSubnet is a subnet as a router port uses it.
type PortSubnet struct {
	ID             string   `json:"id"`
	CIDR           string   `json:"cidr"`
	GatewayIP      string   `json:"gateway_ip,omitempty"`
	IPv6RAMode     string   `json:"ipv6_ra_mode,omitempty"`
	DNSNameservers []string `json:"dns_nameservers,omitempty"`
}

// FloatingIP is a floating IP the router NATs (DNAT in, SNAT out).
type FloatingIP struct {
	ID                string `json:"id"`
	FloatingIPAddress string `json:"floating_ip_address"`
	FloatingNetworkID string `json:"floating_network_id"`
	FixedIPAddress    string `json:"fixed_ip_address"`
	PortID            string `json:"port_id"`
	RouterID          string `json:"router_id"`
	Status            string `json:"status"` // as last recorded
	ProjectID         string `json:"project_id"`
	// PortForwardings are the floating IP's DNATs to internal addresses;
	// a floating IP with some has no fixed port.
	PortForwardings []PortForwarding `json:"port_forwardings,omitempty"`
}

// PortForwarding forwards a floating IP's external ports (a range, or one
// port when start = end) to the same number of ports, or to one, of an
// internal address.
type PortForwarding struct {
	ID                string `json:"id"`
	Protocol          string `json:"protocol"` // tcp, udp, …
	ExternalPortStart int    `json:"external_port_start"`
	ExternalPortEnd   int    `json:"external_port_end"`
	InternalIPAddress string `json:"internal_ip_address"`
	InternalPortStart int    `json:"internal_port_start"`
	InternalPortEnd   int    `json:"internal_port_end"`
}

// UpdateFloatingIPStatuses is an L3 agent's call on SubjectFIPStatuses after
// it configured a router's floating IPs (Neutron's
// update_floatingip_statuses). Only the agent of the router's host is
// heard; floating IPs last known on the router and disassociated since are
// set DOWN.
type UpdateFloatingIPStatuses struct {
	Host     string            `json:"host"`
	RouterID string            `json:"router_id"`
	Statuses map[string]string `json:"fip_statuses"` // floating IP id → FloatingIP* status
}

// MessageType implements bus.Versioned.
func (UpdateFloatingIPStatuses) MessageType() string { return "network.update_floatingip_statuses" }

// MessageVersion implements bus.Versioned.
func (UpdateFloatingIPStatuses) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the request.
func (r UpdateFloatingIPStatuses) Validate() error {
	if err := required("host", r.Host, "router_id", r.RouterID); err != nil {
		return err
	}
	for id, st := range r.Statuses {
		if err := required("floating IP id", id); err != nil {
			return err
		}
		if err := oneOf("status of "+id, st, FloatingIPActive, FloatingIPDown, FloatingIPError); err != nil {
			return err
		}
	}
	return nil
}
