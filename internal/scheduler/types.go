package scheduler

// Flavor is the size a request asks for.
type Flavor struct {
	VCPUs       int
	MemoryMB    int
	RootGB      int
	EphemeralGB int
	SwapMB      int
	ExtraSpecs  map[string]string
}

// Group is the server group a request's instance joins.
type Group struct {
	UUID   string
	Policy string // affinity, anti-affinity, soft-affinity, soft-anti-affinity
	// MaxServerPerHost is the anti-affinity rule max_server_per_host (0 means 1).
	MaxServerPerHost int
	// Hosts counts the group's members on each host, earlier instances of
	// the same request included (see Consume).
	Hosts map[string]int
}

// RequestSpec is what one instance asks of the scheduler.
type RequestSpec struct {
	InstanceUUID    string
	ProjectID       string
	Flavor          Flavor
	ImageID         string
	ImageProperties map[string]string // Glance properties, legacy names too
	// BootFromVolume leaves the root disk out of DISK_GB.
	BootFromVolume bool
	// AvailabilityZone is the zone part of the requested zone; "" means any.
	AvailabilityZone string
	// ForceHost and ForceNode are the admin "az:host:node" form; they bypass
	// the filters, as upstream.
	ForceHost string
	ForceNode string
	// RequestedHost and RequestedNode are 2.74's host and
	// hypervisor_hostname: they narrow the hosts, then the filters run.
	RequestedHost string
	RequestedNode string
	// InTree is the compute node uuid the conductor resolved for a forced or
	// requested host with exactly one node; PlacementQuery sends it.
	InTree string
	Group  *Group
	// SameHost and DifferentHost are the hosts of the instances named in the
	// same_host and different_host hints. nil means no hint; an empty
	// non-nil SameHost (hinted instances on no host) lets no host pass.
	SameHost      []string
	DifferentHost []string
	// IgnoreHosts are hosts not to use: earlier attempts of a reschedule,
	// the source of a migration.
	IgnoreHosts []string
}

// Aggregate is a host aggregate a host belongs to.
type Aggregate struct {
	ID       int
	Name     string
	Metadata map[string]string
}

// SupportedInstance is one (architecture, hypervisor type, vm mode) a node
// can run, lower case as Nova canonicalises them.
type SupportedInstance struct {
	Arch   string
	HVType string
	VMMode string
}

// HostState is a snapshot of one compute node.
type HostState struct {
	Host               string
	NodeUUID           string
	HypervisorHostname string
	HypervisorType     string
	HypervisorVersion  int
	Architecture       string // "" means x86_64
	// SupportedInstances; empty means one: Architecture, the lower-cased
	// HypervisorType and "hvm".
	SupportedInstances []SupportedInstance
	CPUInfo            string // the node's cpu_info JSON
	Stats              map[string]string
	// AvailabilityZone is the zone from the host's aggregates, else the
	// default zone.
	AvailabilityZone string
	Aggregates       []Aggregate
	Enabled          bool // compute service not disabled
	Up               bool // heartbeat recent
	ForcedDown       bool
	FreeVCPUs        int // placement capacity minus usage
	FreeRAMMB        int
	FreeDiskGB       int
	NumInstances     int
	Traits           []string
}

// Rejection says which hosts one filter (or step) removed, in input order.
type Rejection struct {
	Filter string
	Hosts  []string
}

// Result is the outcome of Select.
type Result struct {
	// Hosts passed every filter, the chosen one first, then the others
	// best first (the reschedule alternates).
	Hosts []HostState
	// Rejections in the order the filters ran; filters that removed
	// nothing are left out.
	Rejections []Rejection
	// Candidates is how many hosts Select was given.
	Candidates int
}
