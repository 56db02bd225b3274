package computerpc

import (
	"time"

	"github.com/monostack/monostack/internal/bus"
)

// Power states, Nova's numbering (nova.compute.power_state).
const (
	PowerNoState   = 0
	PowerRunning   = 1
	PowerPaused    = 3
	PowerShutdown  = 4
	PowerCrashed   = 6
	PowerSuspended = 7
)

// Operation names the conductor sends to agents.
const (
	OpBuild              = "build"
	OpDelete             = "delete"
	OpRebootSoft         = "reboot_soft"
	OpRebootHard         = "reboot_hard"
	OpStop               = "stop"
	OpStart              = "start"
	OpPause              = "pause"
	OpUnpause            = "unpause"
	OpSuspend            = "suspend"
	OpResume             = "resume"
	OpRebuild            = "rebuild"
	OpResizeSource       = "resize_source"        // power off and hand the disk over (Nova's resize_instance)
	OpResizeFinish       = "resize_finish"        // on the destination (Nova's finish_resize)
	OpResizeConfirm      = "resize_confirm"       // on the source: drop the old copy
	OpResizeRevertDest   = "resize_revert_dest"   // on the destination: drop the new copy
	OpResizeRevertSource = "resize_revert_source" // on the source: bring the old copy back
	OpSnapshot           = "snapshot"
	OpShelveOffload      = "shelve_offload" // destroy the guest, keep nothing on the host
	OpRescue             = "rescue"
	OpUnrescue           = "unrescue"
)

// Flavor is what a guest is sized by.
type Flavor struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	VCPUs       int               `json:"vcpus"`
	MemoryMB    int               `json:"memory_mb"`
	RootGB      int               `json:"root_gb"`
	EphemeralGB int               `json:"ephemeral_gb"`
	SwapMB      int               `json:"swap_mb"`
	ExtraSpecs  map[string]string `json:"extra_specs,omitempty"`
}

// Image is the image a guest boots from.
type Image struct {
	ID         string            `json:"id"`
	Name       string            `json:"name,omitempty"`
	DiskFormat string            `json:"disk_format,omitempty"`
	MinDiskGB  int               `json:"min_disk,omitempty"`
	Size       int64             `json:"size,omitempty"`
	Properties map[string]string `json:"properties,omitempty"`
}

// NIC is one virtual interface of a guest.
type NIC struct {
	PortID    string   `json:"port_id"`
	NetworkID string   `json:"network_id"`
	MAC       string   `json:"mac"`
	IPs       []string `json:"ips,omitempty"`
	MTU       int      `json:"mtu,omitempty"`
	// FloatingIPs are the floating addresses NATed to the NIC's fixed IPs
	// (kept in the instance's network info; no agent acts on them).
	FloatingIPs []FloatingIP `json:"floating_ips,omitempty"`
	// Preserve marks a port the user gave: released, not deleted, when
	// the instance goes (Nova's preserve_on_delete).
	Preserve bool `json:"preserve_on_delete,omitempty"`
	// Bridge and Tap name the dataplane objects when a network service
	// wires them (later issues); empty with the stub network.
	Bridge string `json:"bridge,omitempty"`
	Tap    string `json:"tap,omitempty"`
}

// FloatingIP is a floating address and the fixed IP it reaches.
type FloatingIP struct {
	FixedIP string `json:"fixed_ip"`
	Address string `json:"address"`
}

// Instance is the desired state of one guest on a host.
type Instance struct {
	UUID        string            `json:"uuid"`
	Name        string            `json:"name"`     // instance-0000000a, the hypervisor's name
	Hostname    string            `json:"hostname"` // the guest's host name
	DisplayName string            `json:"display_name"`
	ProjectID   string            `json:"project_id"`
	UserID      string            `json:"user_id"`
	Flavor      Flavor            `json:"flavor"`
	Image       Image             `json:"image"`
	NICs        []NIC             `json:"nics,omitempty"`
	UserData    string            `json:"user_data,omitempty"` // base64, as the API took it
	KeyName     string            `json:"key_name,omitempty"`
	KeyData     string            `json:"key_data,omitempty"`
	Metadata    map[string]string `json:"metadata,omitempty"`
	ConfigDrive bool              `json:"config_drive,omitempty"`
	// PowerState is what the guest should be in once the operation is done.
	PowerState int `json:"power_state"`
}

// Operation is a cast from the conductor to HostSubject(host): do Op to the
// instance, then report an OpResult.
type Operation struct {
	Op       string   `json:"op"`
	Host     string   `json:"host"`
	Instance Instance `json:"instance"`
	// ActionRequestID is the request id of the instance action the
	// operation belongs to; the OpResult carries it back.
	ActionRequestID string `json:"action_request_id,omitempty"`
	// MigrationID names the resize a resize_* operation belongs to.
	MigrationID string `json:"migration_id,omitempty"`
	// NewFlavor is the target of a resize.
	NewFlavor *Flavor `json:"new_flavor,omitempty"`
	// Image is the new image of a rebuild, or the rescue image.
	Image *Image `json:"image,omitempty"`
	// Snapshot says where a snapshot's data goes: the image's data URL in
	// the image service and a token allowed to upload it.
	Snapshot *SnapshotTarget `json:"snapshot,omitempty"`
	// AdminPassword is the rescue or rebuild password, if any.
	AdminPassword string `json:"admin_password,omitempty"`
}

// SnapshotTarget is where an agent uploads a snapshot.
type SnapshotTarget struct {
	ImageID string `json:"image_id"`
	DataURL string `json:"data_url"` // PUT …/v2/images/{id}/file
	Token   string `json:"token"`
}

// MessageType implements bus.Versioned.
func (Operation) MessageType() string { return "compute.operation" }

// MessageVersion implements bus.Versioned.
func (Operation) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// Fault is why an operation failed, as Nova records it in instance_faults.
type Fault struct {
	Code    int    `json:"code"` // 500 for a failure, 400s for refusals
	Message string `json:"message"`
	Details string `json:"details,omitempty"`
}

// OpResult is the call an agent makes to the conductor when an operation
// ends, successfully or not.
type OpResult struct {
	Op              string `json:"op"`
	Host            string `json:"host"`
	InstanceUUID    string `json:"instance_uuid"`
	ActionRequestID string `json:"action_request_id,omitempty"`
	MigrationID     string `json:"migration_id,omitempty"`
	OK              bool   `json:"ok"`
	PowerState      int    `json:"power_state"`
	Fault           *Fault `json:"fault,omitempty"`
	// Reschedulable marks a build failure another host might not have.
	Reschedulable bool      `json:"reschedulable,omitempty"`
	Started       time.Time `json:"started"`
	Finished      time.Time `json:"finished"`
}

// MessageType implements bus.Versioned.
func (OpResult) MessageType() string { return "compute.op_result" }

// MessageVersion implements bus.Versioned.
func (OpResult) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// NodeInfo is what an agent fingerprints of its host.
type NodeInfo struct {
	Host               string `json:"host"`
	HypervisorHostname string `json:"hypervisor_hostname"`
	HypervisorType     string `json:"hypervisor_type"`
	HypervisorVersion  int    `json:"hypervisor_version"`
	HostIP             string `json:"host_ip"`
	VCPUs              int    `json:"vcpus"`
	MemoryMB           int    `json:"memory_mb"`
	LocalGB            int    `json:"local_gb"`
	CPUInfo            string `json:"cpu_info"` // JSON text, as Nova shows it
	// Traits are the host's capability traits (COMPUTE_*, HW_CPU_*).
	Traits []string `json:"traits,omitempty"`
}

// InstancePower is one guest's actual power state on a host.
type InstancePower struct {
	UUID       string `json:"uuid"`
	PowerState int    `json:"power_state"`
}

// RegisterNode is the call an agent makes when it starts serving a host
// (and again after the conductor forgot it): the conductor records the
// service and compute node, keeps the host's resource provider and
// inventory in placement, and answers with what should run there.
type RegisterNode struct {
	Node NodeInfo `json:"node"`
	// Running is what the hypervisor runs now, so the conductor can tell
	// the agent which guests no longer belong.
	Running []InstancePower `json:"running,omitempty"`
}

// MessageType implements bus.Versioned.
func (RegisterNode) MessageType() string { return "compute.register_node" }

// MessageVersion implements bus.Versioned.
func (RegisterNode) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// RegisterNodeReply is the conductor's answer to RegisterNode.
type RegisterNodeReply struct {
	NodeUUID string `json:"node_uuid"` // also the resource provider's uuid
	// Desired are the guests that belong on the host; the agent adopts
	// those running, and destroys running guests not listed.
	Desired []Instance `json:"desired"`
}

// MessageType implements bus.Versioned.
func (RegisterNodeReply) MessageType() string { return "compute.register_node_reply" }

// MessageVersion implements bus.Versioned.
func (RegisterNodeReply) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// PowerSync is an agent's periodic report of its guests' power states
// (Nova's _sync_power_states); the conductor records changes it did not
// order, such as a guest that shut itself down.
type PowerSync struct {
	Host      string          `json:"host"`
	Instances []InstancePower `json:"instances"`
	// Taken is when the agent listed the guests; the conductor ignores
	// instances that changed after it (their state is newer news).
	Taken time.Time `json:"taken"`
}

// MessageType implements bus.Versioned.
func (PowerSync) MessageType() string { return "compute.power_sync" }

// MessageVersion implements bus.Versioned.
func (PowerSync) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// ConsoleOutput is the call the API makes to a host's agent for a guest's
// console log; the reply is ConsoleOutputReply.
type ConsoleOutput struct {
	InstanceUUID string `json:"instance_uuid"`
	Length       int    `json:"length,omitempty"` // last N lines; 0 means all
}

// MessageType implements bus.Versioned.
func (ConsoleOutput) MessageType() string { return "compute.console_output" }

// MessageVersion implements bus.Versioned.
func (ConsoleOutput) MessageVersion() bus.Version { return bus.Version{Major: 1} }

// ConsoleOutputReply carries the console log text.
type ConsoleOutputReply struct {
	Output string `json:"output"`
}

// MessageType implements bus.Versioned.
func (ConsoleOutputReply) MessageType() string { return "compute.console_output_reply" }

// MessageVersion implements bus.Versioned.
func (ConsoleOutputReply) MessageVersion() bus.Version { return bus.Version{Major: 1} }
