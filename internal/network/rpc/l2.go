package rpc

import (
	"slices"

	"github.com/monostack/monostack/internal/bus"
	"github.com/monostack/monostack/internal/errs"
)

// FixedIP is one address of a port.
type FixedIP struct {
	SubnetID  string `json:"subnet_id"`
	IPAddress string `json:"ip_address"`
	// PrefixLen is the subnet's prefix length; filled for router ports
	// (SyncRouters), where the agent configures the address on a device.
	PrefixLen int `json:"prefixlen,omitempty"`
}

// AddressPair is an allowed address pair: extra traffic a port may send.
type AddressPair struct {
	IPAddress  string `json:"ip_address"` // an address or a CIDR
	MACAddress string `json:"mac_address"`
}

// Segment is the bound segment of a network on the agent's host.
type Segment struct {
	NetworkType     string `json:"network_type"`               // NetworkType* constant
	PhysicalNetwork string `json:"physical_network,omitempty"` // flat and vlan
	SegmentationID  int    `json:"segmentation_id,omitempty"`  // vlan id, VNI or GRE key; 0 for flat and local
}

// GetDevices is an L2 agent's call on SubjectDevices: "the ports bound to my
// host" (Neutron's get_devices_details_list_and_failed_devices, asked by
// host instead of by device list).
type GetDevices struct {
	Host    string `json:"host"`
	AgentID string `json:"agent_id,omitempty"` // for the controller's logs
	// Devices narrows the answer to these port ids (after a port_update);
	// empty means every port bound to Host.
	Devices []string `json:"devices,omitempty"`
}

// MessageType implements bus.Versioned.
func (GetDevices) MessageType() string { return "network.get_devices" }

// MessageVersion implements bus.Versioned.
func (GetDevices) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the request.
func (r GetDevices) Validate() error {
	if err := required("host", r.Host); err != nil {
		return err
	}
	return ids("devices", r.Devices)
}

// DeviceDetails is what an L2 agent needs to wire one port.
type DeviceDetails struct {
	Device    string `json:"device"` // the port id, as asked
	PortID    string `json:"port_id"`
	NetworkID string `json:"network_id"`
	// Segment is the segment the port is bound to on this host.
	Segment
	MTU                 int           `json:"mtu"`
	MACAddress          string        `json:"mac_address"`
	FixedIPs            []FixedIP     `json:"fixed_ips"`
	AdminStateUp        bool          `json:"admin_state_up"`
	DeviceOwner         string        `json:"device_owner"`
	DeviceID            string        `json:"device_id"`
	PortSecurityEnabled bool          `json:"port_security_enabled"`
	SecurityGroups      []string      `json:"security_groups"`
	AllowedAddressPairs []AddressPair `json:"allowed_address_pairs"`
	RevisionNumber      int64         `json:"revision_number"`
}

// DevicesReply answers GetDevices.
type DevicesReply struct {
	// Devices are the ports bound to the host, each with its bound segment.
	Devices []DeviceDetails `json:"devices"`
	// Unknown are requested ids the controller does not know or that are
	// not bound to the host: the agent unwires them.
	Unknown []string `json:"unknown,omitempty"`
	// Failed are requested ids the controller could not look up now: the
	// agent asks again later and changes nothing meanwhile.
	Failed []string `json:"failed_devices,omitempty"`
}

// MessageType implements bus.Versioned.
func (DevicesReply) MessageType() string { return "network.get_devices_reply" }

// MessageVersion implements bus.Versioned.
func (DevicesReply) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// UpdateDevices is an L2 agent's call on SubjectUpdateDevices after it wired
// or unwired ports (Neutron's update_device_list, covering update_device_up
// and update_device_down): up ports go ACTIVE, down ports DOWN.
type UpdateDevices struct {
	Host        string   `json:"host"`
	AgentID     string   `json:"agent_id,omitempty"`
	DevicesUp   []string `json:"devices_up,omitempty"`
	DevicesDown []string `json:"devices_down,omitempty"`
}

// MessageType implements bus.Versioned.
func (UpdateDevices) MessageType() string { return "network.update_device_list" }

// MessageVersion implements bus.Versioned.
func (UpdateDevices) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the request; a port cannot be both up and down.
func (r UpdateDevices) Validate() error {
	if err := required("host", r.Host); err != nil {
		return err
	}
	if err := ids("devices_up", r.DevicesUp); err != nil {
		return err
	}
	if err := ids("devices_down", r.DevicesDown); err != nil {
		return err
	}
	for _, id := range r.DevicesUp {
		if slices.Contains(r.DevicesDown, id) {
			return errs.BadRequestf("device %s is both up and down", id)
		}
	}
	return nil
}

// UpdateDevicesReply answers UpdateDevices: which status changes were
// recorded and which failed (the agent reports the failed ones again).
type UpdateDevicesReply struct {
	DevicesUp         []string `json:"devices_up"`
	FailedDevicesUp   []string `json:"failed_devices_up"`
	DevicesDown       []string `json:"devices_down"`
	FailedDevicesDown []string `json:"failed_devices_down"`
}

// MessageType implements bus.Versioned.
func (UpdateDevicesReply) MessageType() string { return "network.update_device_list_reply" }

// MessageVersion implements bus.Versioned.
func (UpdateDevicesReply) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// GetFDB is an L2 agent's call on SubjectFDB for the tunnel forwarding
// entries of networks it wires (Neutron's l2population fdb_entries, pulled
// instead of pushed).
type GetFDB struct {
	Host string `json:"host"`
	// NetworkIDs narrows the answer; empty means every tunnelled network
	// with a port bound to Host.
	NetworkIDs []string `json:"network_ids,omitempty"`
}

// MessageType implements bus.Versioned.
func (GetFDB) MessageType() string { return "network.get_fdb" }

// MessageVersion implements bus.Versioned.
func (GetFDB) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Validate checks the request.
func (r GetFDB) Validate() error {
	if err := required("host", r.Host); err != nil {
		return err
	}
	return ids("network_ids", r.NetworkIDs)
}

// FDBReply answers GetFDB.
type FDBReply struct {
	Networks []FDBNetwork `json:"networks"`
}

// MessageType implements bus.Versioned.
func (FDBReply) MessageType() string { return "network.get_fdb_reply" }

// MessageVersion implements bus.Versioned.
func (FDBReply) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// FDBNetwork is one tunnelled network and its remote endpoints.
type FDBNetwork struct {
	NetworkID string `json:"network_id"`
	Segment
	// Peers are the other hosts with ACTIVE ports on the network; the agent
	// adds a flooding entry (00:00:00:00:00:00) towards each.
	Peers []FDBPeer `json:"peers"`
}

// FDBPeer is one remote tunnel endpoint and the ports behind it.
type FDBPeer struct {
	Host    string   `json:"host"`
	AgentIP string   `json:"agent_ip"` // its tunneling_ip
	Ports   []MACAdd `json:"ports"`
}

// MACAdd is one port address behind a tunnel endpoint, for the FDB and the
// ARP/ND proxy table.
type MACAdd struct {
	MACAddress string `json:"mac_address"`
	IPAddress  string `json:"ip_address"`
}
