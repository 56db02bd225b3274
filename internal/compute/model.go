package compute

import (
	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/db"
)

// instance is a compute_instances row. JSON columns are decoded.
type instance struct {
	UUID             string
	Seq              int64 // names the guest: instance-%08x
	ProjectID        string
	UserID           string
	DisplayName      string
	Description      *string
	Hostname         string
	ImageRef         string // "" when booted from a volume
	FlavorID         string
	Flavor           computerpc.Flavor // as it was at boot (or after a confirmed resize)
	OldFlavor        *computerpc.Flavor
	NewFlavor        *computerpc.Flavor
	Host             *string
	Node             *string
	LaunchedOn       *string
	AvailabilityZone *string
	VMState          string
	TaskState        *string
	PowerState       int
	KeyName          *string
	KeyData          *string
	UserData         *string
	ConfigDrive      string
	AccessIPv4       *string
	AccessIPv6       *string
	Locked           bool
	LockedBy         *string // "owner" or "admin"
	LockedReason     *string
	Progress         int
	LaunchIndex      int
	ReservationID    string
	RootDeviceName   *string
	NetworkInfo      []computerpc.NIC
	SecurityGroups   []string
	Requested        requestSpec
	SystemMetadata   map[string]string
	CreatedAt        int64 // Unix microseconds, as every compute time
	UpdatedAt        int64
	LaunchedAt       *int64
	TerminatedAt     *int64
	DeletedAt        *int64
	Deleted          bool

	// Loaded with the row by loadInstanceFull.
	Metadata map[string]string
	Tags     []string

	// loaded is the row's column values as read or written in the write
	// transaction loadedIn (columnSnapshot); saveInstance in that same
	// transaction writes only what differs from it.
	loaded   []any
	loadedIn *db.Tx
}

// guestName is the hypervisor's name of the instance (Nova's
// instance_name_template "instance-%08x").
func (i *instance) guestName() string { return guestNameOf(i.Seq) }

// status is the API status.
func (i *instance) status() string { return statusOf(i.VMState, deref(i.TaskState)) }

// requestSpec is what the create request asked for, kept with the
// instance so the conductor can schedule (and reschedule, rebuild or
// unshelve) it: Nova's RequestSpec.
type requestSpec struct {
	NumInstances     int               `json:"num_instances"`
	ImageID          string            `json:"image_id,omitempty"`
	ImageProperties  map[string]string `json:"image_properties,omitempty"`
	AvailabilityZone string            `json:"availability_zone,omitempty"` // as asked, before defaulting
	ForceHost        string            `json:"force_host,omitempty"`
	ForceNode        string            `json:"force_node,omitempty"`
	Networks         []NetworkRequest  `json:"networks,omitempty"`
	NetworksMode     string            `json:"networks_mode,omitempty"` // "auto", "none" or "" (explicit list)
	GroupUUID        string            `json:"group_uuid,omitempty"`
	SameHost         []string          `json:"same_host,omitempty"` // instance uuids (hints)
	DifferentHost    []string          `json:"different_host,omitempty"`
	Hints            map[string]any    `json:"hints,omitempty"` // every scheduler hint as given
	BlockDevices     []blockDevice     `json:"block_devices,omitempty"`
	IgnoreHosts      []string          `json:"ignore_hosts,omitempty"` // hosts tried already (reschedules)
	Attempts         int               `json:"attempts,omitempty"`
	AdminPassword    string            `json:"-"`
}

// blockDevice is one block_device_mapping_v2 entry.
type blockDevice struct {
	BootIndex           *int   `json:"boot_index,omitempty"`
	SourceType          string `json:"source_type"`
	DestinationType     string `json:"destination_type"`
	UUID                string `json:"uuid,omitempty"`
	VolumeSize          int    `json:"volume_size,omitempty"`
	DeviceName          string `json:"device_name,omitempty"`
	DeviceType          string `json:"device_type,omitempty"`
	DiskBus             string `json:"disk_bus,omitempty"`
	GuestFormat         string `json:"guest_format,omitempty"`
	DeleteOnTermination bool   `json:"delete_on_termination,omitempty"`
	Tag                 string `json:"tag,omitempty"`
	VolumeType          string `json:"volume_type,omitempty"`
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func ptr[T any](v T) *T { return &v }
