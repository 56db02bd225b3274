package rpc

import "github.com/monostack/monostack/internal/bus"

// Ids used by the samples.
const (
	hostA  = "compute-1"
	netID  = "6f4c0d1e-8a8b-4c2e-9b1f-2a0e8c7d5a10"
	subID  = "0b9d7c3e-1f2a-4e5b-8c6d-7e8f9a0b1c2d"
	portID = "3c2b1a09-8f7e-4d6c-5b4a-392817161514"
	sgID   = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
	rtrID  = "9e8d7c6b-5a49-4382-a716-f5e4d3c2b1a0"
	fipID  = "1a2b3c4d-5e6f-4a7b-8c9d-e0f1a2b3c4d5"
	extNet = "7d6c5b4a-3928-4716-a5f4-e3d2c1b0a998"
)

func intp(i int) *int { return &i }

var samplePort = DHCPPort{
	ID: portID, NetworkID: netID, MACAddress: "fa:16:3e:12:34:56",
	FixedIPs:    []FixedIP{{SubnetID: subID, IPAddress: "10.5.5.10"}},
	DeviceOwner: "compute:nova", DeviceID: "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d", AdminStateUp: true,
	DNSName:        "vm1",
	DNSAssignment:  []DNSAssignment{{Hostname: "vm1", IPAddress: "10.5.5.10", FQDN: "vm1.openstacklocal."}},
	ExtraDHCPOpts:  []ExtraDHCPOpt{{OptName: "mtu", OptValue: "1400", IPVersion: 4}},
	RevisionNumber: 3,
}

var sampleNetworkInfo = NetworkInfo{
	ID: netID, ProjectID: "p1", AdminStateUp: true, MTU: 1450, RevisionNumber: 2,
	Subnets: []Subnet{{
		ID: subID, Name: "subnet1", NetworkID: netID, IPVersion: 4, CIDR: "10.5.5.0/24",
		GatewayIP: "10.5.5.1", EnableDHCP: true,
		AllocationPools: []Pool{{Start: "10.5.5.2", End: "10.5.5.254"}},
		DNSNameservers:  []string{"8.8.8.8"},
		HostRoutes:      []HostRoute{{Destination: "192.168.0.0/16", NextHop: "10.5.5.254"}},
	}, {
		ID: "v6-subnet", Name: "subnet6", NetworkID: netID, IPVersion: 6, CIDR: "fd00:5::/64",
		GatewayIP: "fd00:5::1", EnableDHCP: true,
		AllocationPools: []Pool{{Start: "fd00:5::2", End: "fd00:5::ffff:ffff:ffff:ffff"}},
		DNSNameservers:  []string{}, HostRoutes: []HostRoute{},
		IPv6RAMode: IPv6DHCPv6Stateful, IPv6AddrMode: IPv6DHCPv6Stateful,
	}},
	Ports: []DHCPPort{samplePort, {
		ID: "dhcp-port", NetworkID: netID, MACAddress: "fa:16:3e:00:00:02",
		FixedIPs:    []FixedIP{{SubnetID: subID, IPAddress: "10.5.5.2"}},
		DeviceOwner: DeviceOwnerDHCP, DeviceID: "dhcp-" + hostA, AdminStateUp: true, RevisionNumber: 1,
	}},
}

var sampleRouterPort = RouterPort{
	ID: "qr-port", NetworkID: netID, MACAddress: "fa:16:3e:aa:bb:cc", MTU: 1450, AdminStateUp: true,
	FixedIPs: []FixedIP{{SubnetID: subID, IPAddress: "10.5.5.1", PrefixLen: 24}},
	Subnets:  []PortSubnet{{ID: subID, CIDR: "10.5.5.0/24", GatewayIP: "10.5.5.1", DNSNameservers: []string{"8.8.8.8"}}},
}

// samples holds one filled-in value of every message type, by golden file name.
var samples = map[string]bus.Versioned{
	"report_state": ReportState{
		AgentType: AgentTypeLinuxBridge, Binary: BinaryLinuxBridge, Host: hostA, Topic: TopicL2,
		Configurations: map[string]any{
			ConfBridgeMappings:    map[string]any{},
			ConfInterfaceMappings: map[string]any{"provider": "eth1"},
			ConfTunnelTypes:       []any{NetworkTypeVXLAN},
			ConfTunnelingIP:       "192.0.2.11",
			ConfL2Population:      true,
			ConfDevices:           float64(4),
		},
		StartFlag:        true,
		ResourceVersions: map[string]string{"Port": "1.8", "SecurityGroup": "1.6"},
	},
	"report_state_dhcp": ReportState{
		AgentType: AgentTypeDHCP, Binary: BinaryDHCP, Host: hostA, AvailabilityZone: "nova",
		Topic: TopicDHCP, Configurations: map[string]any{ConfDHCPDriver: "dnsmasq",
			ConfNetworks: float64(1), ConfSubnets: float64(2), ConfPorts: float64(3)},
	},
	"report_state_reply": ReportStateReply{AgentID: "agent-1", Status: AgentNew, AdminStateUp: true},
	"get_devices":        GetDevices{Host: hostA, AgentID: "lb-0a0b0c", Devices: []string{portID}},
	"get_devices_reply": DevicesReply{
		Devices: []DeviceDetails{{
			Device: portID, PortID: portID, NetworkID: netID,
			Segment: Segment{NetworkType: NetworkTypeVXLAN, SegmentationID: 1001},
			MTU:     1450, MACAddress: "fa:16:3e:12:34:56",
			FixedIPs:     []FixedIP{{SubnetID: subID, IPAddress: "10.5.5.10"}},
			AdminStateUp: true, DeviceOwner: "compute:nova", DeviceID: "vm-1",
			PortSecurityEnabled: true, SecurityGroups: []string{sgID},
			AllowedAddressPairs: []AddressPair{{IPAddress: "10.5.5.100/32", MACAddress: "fa:16:3e:12:34:56"}},
			RevisionNumber:      5,
		}, {
			Device: "flat-port", PortID: "flat-port", NetworkID: extNet,
			Segment: Segment{NetworkType: NetworkTypeFlat, PhysicalNetwork: "provider"},
			MTU:     1500, MACAddress: "fa:16:3e:00:00:09",
			FixedIPs:     []FixedIP{{SubnetID: "ext-subnet", IPAddress: "203.0.113.9"}},
			AdminStateUp: true, DeviceOwner: DeviceOwnerRouterGW, DeviceID: rtrID,
			SecurityGroups: []string{}, AllowedAddressPairs: []AddressPair{},
		}},
		Unknown: []string{"gone-port"},
		Failed:  []string{"busy-port"},
	},
	"update_device_list": UpdateDevices{Host: hostA, AgentID: "lb-0a0b0c",
		DevicesUp: []string{portID}, DevicesDown: []string{"old-port"}},
	"update_device_list_reply": UpdateDevicesReply{DevicesUp: []string{portID},
		FailedDevicesUp: []string{}, DevicesDown: []string{}, FailedDevicesDown: []string{"old-port"}},
	"get_fdb": GetFDB{Host: hostA, NetworkIDs: []string{netID}},
	"get_fdb_reply": FDBReply{Networks: []FDBNetwork{{
		NetworkID: netID, Segment: Segment{NetworkType: NetworkTypeVXLAN, SegmentationID: 1001},
		Peers: []FDBPeer{{Host: "compute-2", AgentIP: "192.0.2.12",
			Ports: []MACAdd{{MACAddress: "fa:16:3e:65:43:21", IPAddress: "10.5.5.11"}}}},
	}}},
	"security_group_info": SecurityGroupInfo{Host: hostA, Devices: []string{portID}},
	"security_group_info_reply": SecurityGroupInfoReply{
		Devices: map[string]SGDevice{portID: {
			PortID: portID, NetworkID: netID, MACAddress: "fa:16:3e:12:34:56",
			FixedIPs: []string{"10.5.5.10"}, AllowedAddressPairs: []AddressPair{},
			DeviceOwner: "compute:nova", PortSecurityEnabled: true,
			SecurityGroups: []string{sgID}, SourceGroups: []string{sgID},
			RemoteAddressGroups: []string{},
		}},
		SecurityGroups: map[string][]SGRule{sgID: {
			{ID: "r1", Direction: Ingress, Ethertype: IPv4, RemoteGroupID: sgID, Stateful: true},
			{ID: "r2", Direction: Egress, Ethertype: IPv4, Stateful: true},
			{ID: "r3", Direction: Ingress, Ethertype: IPv4, Protocol: "tcp",
				PortRangeMin: intp(22), PortRangeMax: intp(22), RemoteIPPrefix: "0.0.0.0/0", Stateful: true},
			{ID: "r4", Direction: Ingress, Ethertype: IPv4, Protocol: "icmp",
				PortRangeMin: intp(8), PortRangeMax: intp(0), RemoteIPPrefix: "0.0.0.0/0", Stateful: true},
		}},
		MemberIPs: map[string]map[string][]MemberIP{sgID: {
			IPv4: {{IPAddress: "10.5.5.10", MACAddress: "fa:16:3e:12:34:56"}},
			IPv6: {},
		}},
	},
	"dhcp_active_networks":       GetActiveNetworks{Host: hostA},
	"dhcp_active_networks_reply": ActiveNetworks{Networks: []NetworkInfo{sampleNetworkInfo}},
	"dhcp_network_info":          GetNetworkInfo{Host: hostA, NetworkID: netID},
	"dhcp_network_info_reply":    sampleNetworkInfo,
	"dhcp_ready_on_ports":        DHCPReady{Host: hostA, PortIDs: []string{portID}},
	"sync_routers":               SyncRouters{Host: hostA, RouterIDs: []string{rtrID}},
	"sync_routers_reply": SyncRoutersReply{Routers: []Router{{
		ID: rtrID, Name: "R2", ProjectID: "p1", AdminStateUp: true, RevisionNumber: 7,
		Gateway: &Gateway{NetworkID: extNet, EnableSNAT: true, Port: RouterPort{
			ID: "qg-port", NetworkID: extNet, MACAddress: "fa:16:3e:00:00:09", MTU: 1500, AdminStateUp: true,
			FixedIPs:     []FixedIP{{SubnetID: "ext-subnet", IPAddress: "203.0.113.9", PrefixLen: 24}},
			Subnets:      []PortSubnet{{ID: "ext-subnet", CIDR: "203.0.113.0/24", GatewayIP: "203.0.113.1"}},
			ExtraSubnets: []PortSubnet{{ID: "ext-v6", CIDR: "2001:db8::/64", IPv6RAMode: IPv6SLAAC}},
		}},
		Interfaces: []RouterPort{sampleRouterPort},
		Routes:     []HostRoute{{Destination: "172.16.0.0/12", NextHop: "10.5.5.254"}},
		FloatingIPs: []FloatingIP{{ID: fipID, FloatingIPAddress: "203.0.113.20", FloatingNetworkID: extNet,
			FixedIPAddress: "10.5.5.10", PortID: portID, RouterID: rtrID, Status: FloatingIPDown, ProjectID: "p1"},
			{ID: "fip-pf", FloatingIPAddress: "203.0.113.21", FloatingNetworkID: extNet, RouterID: rtrID,
				Status: FloatingIPActive, ProjectID: "p1", PortForwardings: []PortForwarding{{ID: "pf-1", Protocol: "tcp",
					ExternalPortStart: 2222, ExternalPortEnd: 2222, InternalIPAddress: "10.5.5.11",
					InternalPortStart: 22, InternalPortEnd: 22}}}},
	}}},
	"update_floatingip_statuses": UpdateFloatingIPStatuses{Host: hostA, RouterID: rtrID,
		Statuses: map[string]string{fipID: FloatingIPActive}},
	"port_update":                   PortUpdate{PortID: portID, NetworkID: netID, Host: hostA, RevisionNumber: 6},
	"port_delete":                   PortDelete{PortID: portID, NetworkID: netID},
	"network_update":                NetworkUpdate{NetworkID: netID, RevisionNumber: 3},
	"network_delete":                NetworkDelete{NetworkID: netID},
	"security_groups_rule_updated":  SecurityGroupsRuleUpdated{SecurityGroups: []string{sgID}},
	"security_groups_member_update": SecurityGroupsMemberUpdated{SecurityGroups: []string{sgID}},
	"l2population_update":           L2PopUpdate{NetworkIDs: []string{netID}},
	"routers_updated":               RoutersUpdated{RouterIDs: []string{rtrID}, Host: hostA},
	"router_deleted":                RouterDeleted{RouterID: rtrID},
	"dhcp_notify_port":              DHCPNotify{Event: DHCPPortUpdate, NetworkID: netID, PortID: portID, Port: &samplePort},
	"dhcp_notify_network":           DHCPNotify{Event: DHCPNetworkCreate, NetworkID: netID, Host: hostA},
}
