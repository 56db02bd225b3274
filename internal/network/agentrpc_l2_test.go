package network_test

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/monostack/monostack/internal/network/rpc"
)

// fixedIPs are a port's fixed IPs as the API shows them, in rpc form.
func fixedIPs(p map[string]any) []rpc.FixedIP {
	var out []rpc.FixedIP
	for _, f := range p["fixed_ips"].([]any) {
		m := f.(map[string]any)
		out = append(out, rpc.FixedIP{SubnetID: m["subnet_id"].(string), IPAddress: m["ip_address"].(string)})
	}
	return out
}

func TestAgentGetDevices(t *testing.T) {
	e := startAgentBus(t)
	s := e.scene(t)
	net := e.adminGet(t, "network", s.net["id"].(string))
	p1 := e.adminGet(t, "port", s.p1["id"].(string))
	var all rpc.DevicesReply
	e.call(t, rpc.SubjectDevices, rpc.GetDevices{Host: "host1"}, &all)
	want := rpc.DeviceDetails{Device: p1["id"].(string), PortID: p1["id"].(string), NetworkID: net["id"].(string),
		Segment: rpc.Segment{NetworkType: "vxlan", SegmentationID: int(net["provider:segmentation_id"].(float64))},
		MTU:     1450, MACAddress: p1["mac_address"].(string), FixedIPs: fixedIPs(p1), AdminStateUp: true,
		DeviceOwner: "compute:nova", DeviceID: "vm-host1", PortSecurityEnabled: true,
		SecurityGroups:      []string{s.sg["id"].(string)},
		AllowedAddressPairs: []rpc.AddressPair{{IPAddress: "10.5.0.200", MACAddress: p1["mac_address"].(string)}},
		RevisionNumber:      int64(p1["revision_number"].(float64))}
	if len(all.Devices) != 1 || !reflect.DeepEqual(all.Devices[0], want) || len(all.Unknown) != 0 {
		t.Fatalf("host1 devices:\n got %+v\nwant %+v", all, want)
	}
	var some rpc.DevicesReply
	e.call(t, rpc.SubjectDevices, rpc.GetDevices{Host: "host1", Devices: []string{p1["id"].(string), s.p2["id"].(string), "gone"}}, &some)
	if len(some.Devices) != 1 || some.Devices[0].PortID != p1["id"] ||
		fmt.Sprint(some.Unknown) != fmt.Sprint([]string{s.p2["id"].(string), "gone"}) {
		t.Fatalf("asked devices: %+v", some)
	}
}

func TestAgentUpdateDevices(t *testing.T) {
	e := startAgentBus(t)
	s := e.scene(t)
	id := s.p1["id"].(string)
	status := func() any { return e.adminGet(t, "port", id)["status"] }
	if status() != "ACTIVE" { // the fake driver's doing, with no agent
		t.Fatalf("bound port %v", status())
	}
	for _, step := range []struct {
		name       string
		req        rpc.UpdateDevices
		wantStatus string
		wantReply  rpc.UpdateDevicesReply
	}{
		{"down from its host", rpc.UpdateDevices{Host: "host1", DevicesDown: []string{id}}, "DOWN",
			rpc.UpdateDevicesReply{DevicesUp: []string{}, FailedDevicesUp: []string{}, DevicesDown: []string{id}, FailedDevicesDown: []string{}}},
		{"up from another host is ignored", rpc.UpdateDevices{Host: "host2", DevicesUp: []string{id}}, "DOWN",
			rpc.UpdateDevicesReply{DevicesUp: []string{id}, FailedDevicesUp: []string{}, DevicesDown: []string{}, FailedDevicesDown: []string{}}},
		{"up from its host", rpc.UpdateDevices{Host: "host1", DevicesUp: []string{id, "gone"}}, "ACTIVE",
			rpc.UpdateDevicesReply{DevicesUp: []string{id, "gone"}, FailedDevicesUp: []string{}, DevicesDown: []string{}, FailedDevicesDown: []string{}}},
	} {
		var reply rpc.UpdateDevicesReply
		e.call(t, rpc.SubjectUpdateDevices, step.req, &reply)
		if !reflect.DeepEqual(reply, step.wantReply) || status() != step.wantStatus {
			t.Fatalf("%s: reply %+v, status %v", step.name, reply, status())
		}
	}
}

func TestAgentSecurityGroupInfo(t *testing.T) {
	e := startAgentBus(t)
	s := e.scene(t)
	p1, p2 := e.adminGet(t, "port", s.p1["id"].(string)), e.adminGet(t, "port", s.p2["id"].(string))
	sg, ag := s.sg["id"].(string), s.ag["id"].(string)
	var info rpc.SecurityGroupInfoReply
	e.call(t, rpc.SubjectSecurityInfo, rpc.SecurityGroupInfo{Host: "host1", Devices: []string{p1["id"].(string), "gone"}}, &info)
	dev, ok := info.Devices[p1["id"].(string)]
	if len(info.Devices) != 1 || !ok {
		t.Fatalf("devices %+v", info.Devices)
	}
	wantDev := rpc.SGDevice{PortID: p1["id"].(string), NetworkID: s.net["id"].(string), MACAddress: p1["mac_address"].(string),
		FixedIPs: []string{fixedIPs(p1)[0].IPAddress}, DeviceOwner: "compute:nova", PortSecurityEnabled: true,
		AllowedAddressPairs: []rpc.AddressPair{{IPAddress: "10.5.0.200", MACAddress: p1["mac_address"].(string)}},
		SecurityGroups:      []string{sg}, SourceGroups: []string{sg}, RemoteAddressGroups: []string{ag}}
	if !reflect.DeepEqual(dev, wantDev) {
		t.Fatalf("device:\n got %+v\nwant %+v", dev, wantDev)
	}
	// Two default egress rules, then the three ingress rules made.
	rules := info.SecurityGroups[sg]
	if len(info.SecurityGroups) != 1 || len(rules) != 5 {
		t.Fatalf("groups %+v", info.SecurityGroups)
	}
	for _, r := range rules {
		if err := r.Validate(); err != nil || !r.Stateful {
			t.Fatalf("rule %+v: %v", r, err)
		}
	}
	if r := rules[2]; r.Protocol != "tcp" || *r.PortRangeMin != 80 || r.RemoteGroupID != sg || r.Direction != "ingress" {
		t.Fatalf("remote group rule %+v", r)
	}
	if r := rules[3]; r.Protocol != "icmp" || r.RemoteIPPrefix != "198.51.100.0/24" || r.PortRangeMin != nil {
		t.Fatalf("prefix rule %+v", r)
	}
	if r := rules[4]; r.RemoteAddressGroupID != ag || *r.PortRangeMax != 53 {
		t.Fatalf("address group rule %+v", r)
	}
	members := []rpc.MemberIP{{IPAddress: fixedIPs(p1)[0].IPAddress}, {IPAddress: fixedIPs(p2)[0].IPAddress},
		{IPAddress: "10.5.0.200", MACAddress: p1["mac_address"].(string)}}
	want := map[string]map[string][]rpc.MemberIP{
		sg: {"IPv4": sortMembers(members)},
		ag: {"IPv4": {{IPAddress: "192.0.2.0/24"}}}, // only the ethertype its rules name
	}
	if !reflect.DeepEqual(info.MemberIPs, want) {
		t.Fatalf("member ips:\n got %+v\nwant %+v", info.MemberIPs, want)
	}
}

// sortMembers orders member addresses as the controller does.
func sortMembers(m []rpc.MemberIP) []rpc.MemberIP {
	for i := range m {
		for j := i + 1; j < len(m); j++ {
			if m[j].IPAddress+" "+m[j].MACAddress < m[i].IPAddress+" "+m[i].MACAddress {
				m[i], m[j] = m[j], m[i]
			}
		}
	}
	return m
}

func TestAgentFDB(t *testing.T) {
	e := startAgentBus(t)
	s := e.scene(t)
	net := e.adminGet(t, "network", s.net["id"].(string))
	p2 := e.adminGet(t, "port", s.p2["id"].(string))
	var fdb rpc.FDBReply
	e.call(t, rpc.SubjectFDB, rpc.GetFDB{Host: "host1"}, &fdb)
	want := []rpc.FDBNetwork{{NetworkID: net["id"].(string),
		Segment: rpc.Segment{NetworkType: "vxlan", SegmentationID: int(net["provider:segmentation_id"].(float64))},
		Peers: []rpc.FDBPeer{{Host: "host2", Ports: []rpc.MACAdd{{MACAddress: p2["mac_address"].(string),
			IPAddress: fixedIPs(p2)[0].IPAddress}}}}}}
	if !reflect.DeepEqual(fdb.Networks, want) {
		t.Fatalf("fdb:\n got %+v\nwant %+v", fdb.Networks, want)
	}
	// A flat network is no tunnel: nothing to flood.
	// host2's L2 agent reports over the bus: its peers then carry its VTEP.
	var rep rpc.ReportStateReply
	e.call(t, rpc.SubjectReportState, rpc.ReportState{AgentType: rpc.AgentTypeLinuxBridge, Binary: rpc.BinaryLinuxBridge,
		Host: "host2", Topic: rpc.TopicL2, StartFlag: true,
		Configurations: map[string]any{rpc.ConfTunnelingIP: "192.0.2.2", rpc.ConfTunnelTypes: []string{"vxlan"}}}, &rep)
	if rep.AgentID == "" || rep.Status != rpc.AgentNew || !rep.AdminStateUp {
		t.Fatalf("report_state reply %+v", rep)
	}
	e.call(t, rpc.SubjectFDB, rpc.GetFDB{Host: "host1"}, &fdb)
	want[0].Peers[0].AgentIP = "192.0.2.2"
	if !reflect.DeepEqual(fdb.Networks, want) {
		t.Fatalf("fdb after host2 reported:\n got %+v\nwant %+v", fdb.Networks, want)
	}
	if a := e.ok(t, 200, "GET", "/v2.0/agents/"+rep.AgentID, e.admin, nil)["agent"].(map[string]any); a["host"] != "host2" ||
		a["agent_type"] != rpc.AgentTypeLinuxBridge {
		t.Fatalf("agents API after report_state: %v", a)
	}
	flat := e.createNet(t, e.admin, map[string]any{"name": "flat", "provider:network_type": "flat", "provider:physical_network": "physnet1"})
	e.call(t, rpc.SubjectFDB, rpc.GetFDB{Host: "host1", NetworkIDs: []string{flat["id"].(string)}}, &fdb)
	if len(fdb.Networks) != 0 {
		t.Fatalf("flat: %+v", fdb.Networks)
	}
}
