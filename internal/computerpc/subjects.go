package computerpc

// ServiceName is the binary name compute agents heartbeat as, as Nova's
// os-services shows it.
const ServiceName = "nova-compute"

// ConductorService is the binary name controllers running the conductor
// heartbeat as.
const ConductorService = "nova-conductor"

// SchedulerService is the binary name controllers running the scheduler
// heartbeat as.
const SchedulerService = "nova-scheduler"

// ConductorSubject is where agents call the conductor; every conductor
// joins ConductorQueue, so each call is served once.
const (
	ConductorSubject = "monostack.conductor"
	ConductorQueue   = "conductor"
)

// HostSubject is where the conductor sends operations for one compute host.
// An agent serving the host joins HostQueue(host), so a restarted or
// duplicated agent never runs an operation twice.
func HostSubject(host string) string { return "monostack.compute." + host }

// HostQueue is the queue group of a host's subject.
func HostQueue(host string) string { return "compute." + host }
