package rpc

// Agent types, as Neutron's agents API shows them (neutron_lib.constants).
const (
	AgentTypeLinuxBridge = "Linux bridge agent"
	AgentTypeOVS         = "Open vSwitch agent"
	AgentTypeDHCP        = "DHCP agent"
	AgentTypeL3          = "L3 agent"
	AgentTypeMetadata    = "Metadata agent"
)

// Agent binaries, the `binary` column of the agents API.
const (
	BinaryLinuxBridge = "neutron-linuxbridge-agent"
	BinaryOVS         = "neutron-openvswitch-agent"
	BinaryDHCP        = "neutron-dhcp-agent"
	BinaryL3          = "neutron-l3-agent"
	BinaryMetadata    = "neutron-metadata-agent"
)

// Agent topics, the `topic` column of the agents API.
const (
	TopicL2       = "N/A" // L2 and metadata agents report no topic
	TopicDHCP     = "dhcp_agent"
	TopicL3       = "l3_agent"
	TopicMetadata = "N/A"
)

// AgentBinaries maps each known agent type to its binary.
var AgentBinaries = map[string]string{
	AgentTypeLinuxBridge: BinaryLinuxBridge,
	AgentTypeOVS:         BinaryOVS,
	AgentTypeDHCP:        BinaryDHCP,
	AgentTypeL3:          BinaryL3,
	AgentTypeMetadata:    BinaryMetadata,
}

// AgentTopics maps each known agent type to its topic.
var AgentTopics = map[string]string{
	AgentTypeLinuxBridge: TopicL2,
	AgentTypeOVS:         TopicL2,
	AgentTypeDHCP:        TopicDHCP,
	AgentTypeL3:          TopicL3,
	AgentTypeMetadata:    TopicMetadata,
}

// Keys of ReportState.Configurations the agents send (Neutron's names).
const (
	ConfBridgeMappings    = "bridge_mappings"    // map physnet → bridge
	ConfInterfaceMappings = "interface_mappings" // map physnet → host interface
	ConfTunnelTypes       = "tunnel_types"       // list: "vxlan", "gre"
	ConfTunnelingIP       = "tunneling_ip"       // the agent's VTEP address
	ConfL2Population      = "l2_population"      // bool
	ConfDevices           = "devices"            // number of ports wired
	ConfExtensions        = "extensions"         // list of agent extensions
	ConfDHCPDriver        = "dhcp_driver"
	ConfDHCPLeaseDuration = "dhcp_lease_duration"
	ConfNetworks          = "networks" // DHCP: networks served
	ConfSubnets           = "subnets"  // DHCP: subnets served
	ConfPorts             = "ports"    // DHCP: ports served
	ConfAgentMode         = "agent_mode"
	ConfRouters           = "routers" // L3: routers hosted
	ConfExGWPorts         = "ex_gw_ports"
	ConfInterfaces        = "interfaces"
	ConfFloatingIPs       = "floating_ips"
	ConfMetadataProxySock = "metadata_proxy_socket"
	ConfLogHeartbeats     = "log_agent_heartbeats"
)

// Agent status a ReportStateReply carries (neutron_lib.agent.constants).
const (
	AgentNew     = "new"     // first report: the controller created the agent
	AgentAlive   = "alive"   // known and up
	AgentRevived = "revived" // known but considered down until this report
)

// Port statuses (neutron_lib.constants).
const (
	PortStatusActive = "ACTIVE"
	PortStatusBuild  = "BUILD"
	PortStatusDown   = "DOWN"
	PortStatusError  = "ERROR"
)

// Floating IP statuses (neutron_lib.constants).
const (
	FloatingIPActive = "ACTIVE"
	FloatingIPDown   = "DOWN"
	FloatingIPError  = "ERROR"
)

// Device owners the agents act on (neutron_lib.constants).
const (
	DeviceOwnerComputePrefix = "compute:"
	DeviceOwnerDHCP          = "network:dhcp"
	DeviceOwnerRouterIntf    = "network:router_interface"
	DeviceOwnerRouterGW      = "network:router_gateway"
	DeviceOwnerFloatingIP    = "network:floatingip"
)

// Security group rule values (neutron_lib.constants).
const (
	IPv4    = "IPv4"
	IPv6    = "IPv6"
	Ingress = "ingress"
	Egress  = "egress"
)

// IPv6 address and RA modes of a subnet (neutron_lib.constants).
const (
	IPv6SLAAC           = "slaac"
	IPv6DHCPv6Stateful  = "dhcpv6-stateful"
	IPv6DHCPv6Stateless = "dhcpv6-stateless"
)

// Network types (ML2 type drivers).
const (
	NetworkTypeLocal = "local"
	NetworkTypeFlat  = "flat"
	NetworkTypeVLAN  = "vlan"
	NetworkTypeVXLAN = "vxlan"
	NetworkTypeGRE   = "gre"
)
