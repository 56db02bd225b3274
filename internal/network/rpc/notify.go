package rpc

import (
	"github.com/monostack/monostack/internal/bus"
	"github.com/monostack/monostack/internal/errs"
)

// Notifications are fanout casts from the controller, sent after the
// database commit. They name what changed; agents fetch the current state
// through the calls (GetDevices, SecurityGroupInfo, GetNetworkInfo,
// SyncRouters), so a lost or reordered notification costs only latency.

// PortUpdate says a port changed (Neutron's port_update) on
// SubjectPortUpdate: the L2 agent wiring it asks GetDevices for it.
type PortUpdate struct {
	PortID    string `json:"port_id"`
	NetworkID string `json:"network_id"`
	// Host is the port's binding host now; an agent that wires the port
	// but is not Host unwires it (the port moved).
	Host           string `json:"host,omitempty"`
	RevisionNumber int64  `json:"revision_number"`
}

// MessageType implements bus.Versioned.
func (PortUpdate) MessageType() string { return "network.port_update" }

// MessageVersion implements bus.Versioned.
func (PortUpdate) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the notification.
func (n PortUpdate) Validate() error {
	return required("port_id", n.PortID, "network_id", n.NetworkID)
}

// PortDelete says a port is gone (Neutron's port_delete) on SubjectPortDelete.
type PortDelete struct {
	PortID    string `json:"port_id"`
	NetworkID string `json:"network_id,omitempty"`
}

// MessageType implements bus.Versioned.
func (PortDelete) MessageType() string { return "network.port_delete" }

// MessageVersion implements bus.Versioned.
func (PortDelete) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the notification.
func (n PortDelete) Validate() error { return required("port_id", n.PortID) }

// NetworkUpdate says a network changed (admin state, MTU; Neutron's
// network_update) on SubjectNetworkUpdate: agents with its ports re-read them.
type NetworkUpdate struct {
	NetworkID      string `json:"network_id"`
	RevisionNumber int64  `json:"revision_number"`
}

// MessageType implements bus.Versioned.
func (NetworkUpdate) MessageType() string { return "network.network_update" }

// MessageVersion implements bus.Versioned.
func (NetworkUpdate) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the notification.
func (n NetworkUpdate) Validate() error { return required("network_id", n.NetworkID) }

// NetworkDelete says a network is gone (Neutron's network_delete) on
// SubjectNetworkDelete: L2 agents remove its bridge once no port uses it.
type NetworkDelete struct {
	NetworkID string `json:"network_id"`
}

// MessageType implements bus.Versioned.
func (NetworkDelete) MessageType() string { return "network.network_delete" }

// MessageVersion implements bus.Versioned.
func (NetworkDelete) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the notification.
func (n NetworkDelete) Validate() error { return required("network_id", n.NetworkID) }

// SecurityGroupsRuleUpdated says rules of these groups changed (Neutron's
// security_groups_rule_updated) on SubjectSecurityGroupUpdate.
type SecurityGroupsRuleUpdated struct {
	SecurityGroups []string `json:"security_groups"`
}

// MessageType implements bus.Versioned.
func (SecurityGroupsRuleUpdated) MessageType() string {
	return "network.security_groups_rule_updated"
}

// MessageVersion implements bus.Versioned.
func (SecurityGroupsRuleUpdated) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the notification.
func (n SecurityGroupsRuleUpdated) Validate() error {
	return nonEmptyIDs("security_groups", n.SecurityGroups)
}

// SecurityGroupsMemberUpdated says the members (their addresses) of these
// groups changed (Neutron's security_groups_member_updated) on
// SubjectSecurityGroupUpdate: rules naming them as remote group change.
type SecurityGroupsMemberUpdated struct {
	SecurityGroups []string `json:"security_groups"`
}

// MessageType implements bus.Versioned.
func (SecurityGroupsMemberUpdated) MessageType() string {
	return "network.security_groups_member_updated"
}

// MessageVersion implements bus.Versioned.
func (SecurityGroupsMemberUpdated) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the notification.
func (n SecurityGroupsMemberUpdated) Validate() error {
	return nonEmptyIDs("security_groups", n.SecurityGroups)
}

// L2PopUpdate says the tunnel endpoints of these networks changed (a port
// went ACTIVE or away on some host; Neutron's add/remove_fdb_entries) on
// SubjectL2PopUpdate: agents wiring them ask GetFDB.
type L2PopUpdate struct {
	NetworkIDs []string `json:"network_ids"`
}

// MessageType implements bus.Versioned.
func (L2PopUpdate) MessageType() string { return "network.l2population_update" }

// MessageVersion implements bus.Versioned.
func (L2PopUpdate) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the notification.
func (n L2PopUpdate) Validate() error { return nonEmptyIDs("network_ids", n.NetworkIDs) }

// RoutersUpdated says routers changed (Neutron's routers_updated,
// router_added_to_agent) on SubjectL3: L3 agents ask SyncRouters for them.
type RoutersUpdated struct {
	RouterIDs []string `json:"router_ids"`
	// Host, when set, addresses only that host's L3 agent (the one holding
	// the routers); empty means routers no agent holds yet, which every L3
	// agent asks for and the first suited one claims.
	Host string `json:"host,omitempty"`
}

// MessageType implements bus.Versioned.
func (RoutersUpdated) MessageType() string { return "network.routers_updated" }

// MessageVersion implements bus.Versioned.
func (RoutersUpdated) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the notification.
func (n RoutersUpdated) Validate() error { return nonEmptyIDs("router_ids", n.RouterIDs) }

// RouterDeleted says a router is gone (Neutron's router_deleted), with
// Host the host that held it, on SubjectL3: the agent removes its
// namespace.
type RouterDeleted struct {
	RouterID string `json:"router_id"`
	Host     string `json:"host,omitempty"`
}

// MessageType implements bus.Versioned.
func (RouterDeleted) MessageType() string { return "network.router_deleted" }

// MessageVersion implements bus.Versioned.
func (RouterDeleted) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the notification.
func (n RouterDeleted) Validate() error { return required("router_id", n.RouterID) }

// DHCP events, Neutron's DHCP agent notifier methods.
const (
	DHCPNetworkCreate = "network_create_end"
	DHCPNetworkUpdate = "network_update_end"
	DHCPNetworkDelete = "network_delete_end"
	DHCPSubnetCreate  = "subnet_create_end"
	DHCPSubnetUpdate  = "subnet_update_end"
	DHCPSubnetDelete  = "subnet_delete_end"
	DHCPPortCreate    = "port_create_end"
	DHCPPortUpdate    = "port_update_end"
	DHCPPortDelete    = "port_delete_end"
)

// DHCPEvents lists every DHCP event.
var DHCPEvents = []string{
	DHCPNetworkCreate, DHCPNetworkUpdate, DHCPNetworkDelete,
	DHCPSubnetCreate, DHCPSubnetUpdate, DHCPSubnetDelete,
	DHCPPortCreate, DHCPPortUpdate, DHCPPortDelete,
}

// DHCPNotify is a DHCP event on SubjectDHCP. Network and subnet events make
// the agent re-read the network (GetNetworkInfo); port create/update carry
// the port, which the agent applies when its revision is newer than what
// it holds; port delete removes the port.
type DHCPNotify struct {
	Event     string `json:"event"` // DHCP* constant
	NetworkID string `json:"network_id"`
	// Host, when set, addresses only that host's DHCP agent: with
	// network_create_end the network was scheduled there, with
	// network_delete_end it was taken away. Empty means every DHCP agent
	// serving the network.
	Host     string    `json:"host,omitempty"`
	SubnetID string    `json:"subnet_id,omitempty"` // subnet events
	PortID   string    `json:"port_id,omitempty"`   // port events
	Port     *DHCPPort `json:"port,omitempty"`      // port create and update
}

// MessageType implements bus.Versioned.
func (DHCPNotify) MessageType() string { return "network.dhcp_notify" }

// MessageVersion implements bus.Versioned.
func (DHCPNotify) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the event names what it is about.
func (n DHCPNotify) Validate() error {
	if err := oneOf("event", n.Event, DHCPEvents...); err != nil {
		return err
	}
	if err := required("network_id", n.NetworkID); err != nil {
		return err
	}
	switch n.Event {
	case DHCPSubnetCreate, DHCPSubnetUpdate, DHCPSubnetDelete:
		return required("subnet_id", n.SubnetID)
	case DHCPPortDelete:
		return required("port_id", n.PortID)
	case DHCPPortCreate, DHCPPortUpdate:
		if n.Port == nil || n.Port.ID != n.PortID || n.PortID == "" {
			return errs.BadRequestf("%s needs port_id and the port", n.Event)
		}
	}
	return nil
}

// nonEmptyIDs checks a list has at least one id and no empty one.
func nonEmptyIDs(name string, list []string) error {
	if len(list) == 0 {
		return errs.BadRequestf("%s is required", name)
	}
	return ids(name, list)
}
