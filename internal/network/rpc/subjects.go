package rpc

// ControllerQueue is the queue group every network controller joins on the
// call subjects, so each call is served by exactly one controller.
const ControllerQueue = "network-controller"

// Call subjects: agents call, one controller answers.
const (
	SubjectReportState   = "monostack.network.report_state"
	SubjectDevices       = "monostack.network.devices"
	SubjectUpdateDevices = "monostack.network.update_devices"
	SubjectSecurityInfo  = "monostack.network.security_groups"
	SubjectFDB           = "monostack.network.fdb"
	SubjectDHCPNetworks  = "monostack.network.dhcp.networks"
	SubjectDHCPNetwork   = "monostack.network.dhcp.network"
	SubjectDHCPReady     = "monostack.network.dhcp.ready"
	SubjectSyncRouters   = "monostack.network.l3.sync_routers"
	SubjectFIPStatuses   = "monostack.network.l3.floatingip_statuses"
)

// Fanout subjects: the controller casts, every agent subscribed receives
// (subscribe with an empty queue group). Named after Neutron's
// q-agent-notifier-<resource>-<operation> topics.
const (
	SubjectNotifyPrefix        = "monostack.network.agent."
	SubjectNotifyAll           = SubjectNotifyPrefix + ">" // NATS wildcard for every notification
	SubjectPortUpdate          = SubjectNotifyPrefix + "port.update"
	SubjectPortDelete          = SubjectNotifyPrefix + "port.delete"
	SubjectNetworkUpdate       = SubjectNotifyPrefix + "network.update"
	SubjectNetworkDelete       = SubjectNotifyPrefix + "network.delete"
	SubjectSecurityGroupUpdate = SubjectNotifyPrefix + "security_group.update"
	SubjectL2PopUpdate         = SubjectNotifyPrefix + "l2population.update"
	SubjectL3                  = SubjectNotifyPrefix + "l3"
	SubjectDHCP                = SubjectNotifyPrefix + "dhcp"
)

// CallSubjects lists every call subject, for a controller that serves them all.
var CallSubjects = []string{
	SubjectReportState, SubjectDevices, SubjectUpdateDevices, SubjectSecurityInfo,
	SubjectFDB, SubjectDHCPNetworks, SubjectDHCPNetwork, SubjectDHCPReady,
	SubjectSyncRouters, SubjectFIPStatuses,
}

// NotifySubjects lists every fanout subject.
var NotifySubjects = []string{
	SubjectPortUpdate, SubjectPortDelete, SubjectNetworkUpdate, SubjectNetworkDelete,
	SubjectSecurityGroupUpdate, SubjectL2PopUpdate, SubjectL3, SubjectDHCP,
}
