package rpc

import (
	"testing"

	"github.com/monostack/monostack/internal/errs"
)

// TestSamplesAreValid: every sample that validates itself passes.
func TestSamplesAreValid(t *testing.T) {
	for name, msg := range samples {
		if v, ok := msg.(Validator); ok {
			if err := v.Validate(); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
	for id, rules := range samples["security_group_info_reply"].(SecurityGroupInfoReply).SecurityGroups {
		for _, r := range rules {
			if err := r.Validate(); err != nil {
				t.Errorf("group %s: %v", id, err)
			}
		}
	}
}

func TestValidateRefuses(t *testing.T) {
	good := samplePort
	tests := []struct {
		name string
		v    Validator
	}{
		{"report_state without host", ReportState{AgentType: AgentTypeDHCP, Binary: BinaryDHCP, Topic: TopicDHCP}},
		{"report_state unknown type", ReportState{AgentType: "Foo agent", Binary: "foo", Host: hostA, Topic: "N/A"}},
		{"report_state without topic", ReportState{AgentType: AgentTypeL3, Binary: BinaryL3, Host: hostA}},
		{"get_devices without host", GetDevices{Devices: []string{portID}}},
		{"get_devices empty id", GetDevices{Host: hostA, Devices: []string{""}}},
		{"update_devices up and down", UpdateDevices{Host: hostA, DevicesUp: []string{"p"}, DevicesDown: []string{"p"}}},
		{"update_devices empty id", UpdateDevices{Host: hostA, DevicesDown: []string{" "}}},
		{"get_fdb without host", GetFDB{}},
		{"sg info without host", SecurityGroupInfo{Devices: []string{portID}}},
		{"network info without network", GetNetworkInfo{Host: hostA}},
		{"active networks without host", GetActiveNetworks{}},
		{"dhcp ready empty id", DHCPReady{Host: hostA, PortIDs: []string{""}}},
		{"sync routers without host", SyncRouters{RouterIDs: []string{rtrID}}},
		{"fip statuses bad status", UpdateFloatingIPStatuses{Host: hostA, RouterID: rtrID, Statuses: map[string]string{fipID: "UP"}}},
		{"fip statuses without router", UpdateFloatingIPStatuses{Host: hostA}},
		{"port_update without network", PortUpdate{PortID: portID}},
		{"port_delete without port", PortDelete{}},
		{"network_update without id", NetworkUpdate{}},
		{"network_delete without id", NetworkDelete{}},
		{"rule_updated without groups", SecurityGroupsRuleUpdated{}},
		{"member_updated empty group", SecurityGroupsMemberUpdated{SecurityGroups: []string{""}}},
		{"l2pop without networks", L2PopUpdate{}},
		{"routers_updated without ids", RoutersUpdated{Host: hostA}},
		{"router_deleted without id", RouterDeleted{}},
		{"dhcp unknown event", DHCPNotify{Event: "port.create.end", NetworkID: netID}},
		{"dhcp without network", DHCPNotify{Event: DHCPNetworkUpdate}},
		{"dhcp subnet without id", DHCPNotify{Event: DHCPSubnetDelete, NetworkID: netID}},
		{"dhcp port delete without id", DHCPNotify{Event: DHCPPortDelete, NetworkID: netID}},
		{"dhcp port update without port", DHCPNotify{Event: DHCPPortUpdate, NetworkID: netID, PortID: portID}},
		{"dhcp port update other port", DHCPNotify{Event: DHCPPortCreate, NetworkID: netID, PortID: "x", Port: &good}},
		{"rule bad direction", SGRule{Direction: "in", Ethertype: IPv4}},
		{"rule bad ethertype", SGRule{Direction: Ingress, Ethertype: "ipv4"}},
		{"rule bad prefix", SGRule{Direction: Ingress, Ethertype: IPv4, RemoteIPPrefix: "10.0.0.0/33"}},
		{"rule two remotes", SGRule{Direction: Ingress, Ethertype: IPv4, RemoteIPPrefix: "10.0.0.0/8", RemoteGroupID: sgID}},
		{"rule ports reversed", SGRule{Direction: Ingress, Ethertype: IPv4, Protocol: "tcp", PortRangeMin: intp(90), PortRangeMax: intp(80)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.v.Validate()
			if !errs.Is(err, errs.BadRequest) {
				t.Fatalf("got %v, want a BadRequest", err)
			}
		})
	}
}

// TestICMPTypeAboveCode: icmp "ports" are type and code, not a range.
func TestICMPTypeAboveCode(t *testing.T) {
	r := SGRule{Direction: Ingress, Ethertype: IPv4, Protocol: "icmp", PortRangeMin: intp(8), PortRangeMax: intp(0)}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
}

// TestAgentTables: every agent type has a binary and a topic.
func TestAgentTables(t *testing.T) {
	for _, typ := range AgentTypes() {
		if AgentBinaries[typ] == "" || AgentTopics[typ] == "" {
			t.Errorf("%s lacks a binary or topic", typ)
		}
	}
	if len(AgentBinaries) != len(AgentTypes()) || len(AgentTopics) != len(AgentTypes()) {
		t.Error("agent tables and AgentTypes disagree")
	}
}
