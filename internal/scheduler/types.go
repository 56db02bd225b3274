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

// Group is the server group a request belongs to.
type Group struct {
	UUID   string
	Policy string // affinity, anti-affinity, soft-affinity, soft-anti-affinity
	// MaxServerPerHost is the anti-affinity rule (0 means 1).
	MaxServerPerHost int
	// Hosts counts the group's members on each host.
	Hosts map[string]int
}

// RequestSpec is what one instance asks of the scheduler.
type RequestSpec struct {
	InstanceUUID     string
	ProjectID        string
	Flavor           Flavor
	ImageProperties  map[string]string
	AvailabilityZone string // "" means any
	ForceHost        string // admin "az:host"; bypasses the filters as upstream
	ForceNode        string
	Group            *Group
	SameHost         []string // hosts of the instances named in the same_host hint
	DifferentHost    []string // hosts of the instances named in different_host
	IgnoreHosts      []string // hosts tried already
}

// Aggregate is a host aggregate a host belongs to.
type Aggregate struct {
	ID       int
	Name     string
	Metadata map[string]string
}

// HostState is a snapshot of one compute node.
type HostState struct {
	Host               string
	NodeUUID           string
	HypervisorHostname string
	HypervisorType     string
	Architecture       string // "" means x86_64
	AvailabilityZone   string
	Aggregates         []Aggregate
	Enabled            bool // service not disabled
	Up                 bool // heartbeating and not forced down
	FreeVCPUs          int  // placement capacity minus usage
	FreeRAMMB          int
	FreeDiskGB         int
	NumInstances       int
	Traits             []string
}

// Rejection says which hosts one filter removed.
type Rejection struct {
	Filter string
	Hosts  []string
}

// Result is the outcome of Select: the hosts that passed, best first, and
// what each filter removed.
type Result struct {
	Hosts      []HostState
	Rejections []Rejection
}
