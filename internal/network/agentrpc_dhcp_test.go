package network_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/monostack/monostack/internal/bus"
	"github.com/monostack/monostack/internal/network/rpc"
)

// dhcpHostUUID is uuid.uuid5(uuid.NAMESPACE_DNS, "dhcp1"), as Python computes it.
const dhcpHostUUID = "2c606400-e325-5547-a053-0c4fae6a0460"

func TestAgentDHCPNetworks(t *testing.T) {
	e := startAgentBus(t)
	s := e.scene(t)
	netID := s.net["id"].(string)
	var active rpc.ActiveNetworks
	e.call(t, rpc.SubjectDHCPNetworks, rpc.GetActiveNetworks{Host: "dhcp1.example.org"}, &active)
	if len(active.Networks) != 1 {
		t.Fatalf("active networks %+v", active)
	}
	info := active.Networks[0]
	net := e.adminGet(t, "network", netID)
	if info.ID != netID || info.ProjectID != e.alpha || !info.AdminStateUp || info.MTU != 1450 ||
		info.RevisionNumber != int64(net["revision_number"].(float64)) {
		t.Fatalf("network %+v", info)
	}
	wantSub := []rpc.Subnet{{ID: s.sub["id"].(string), Name: "", NetworkID: netID, IPVersion: 4, CIDR: "10.5.0.0/24",
		GatewayIP: "10.5.0.1", EnableDHCP: true, AllocationPools: []rpc.Pool{{Start: "10.5.0.10", End: "10.5.0.99"}},
		DNSNameservers: []string{"10.5.0.2"}, HostRoutes: []rpc.HostRoute{{Destination: "172.16.0.0/16", NextHop: "10.5.0.254"}}}}
	if !reflect.DeepEqual(info.Subnets, wantSub) {
		t.Fatalf("subnets:\n got %+v\nwant %+v", info.Subnets, wantSub)
	}
	ports := map[string]rpc.DHCPPort{}
	for _, p := range info.Ports {
		ports[p.DeviceOwner] = p
	}
	// The reserved DHCP port is now the agent's: its device id, bound to its host.
	dhcp := ports["network:dhcp"]
	if len(info.Ports) != 3 || dhcp.DeviceID != "dhcp"+dhcpHostUUID+"-"+netID {
		t.Fatalf("ports %+v", info.Ports)
	}
	api := e.adminGet(t, "port", dhcp.ID)
	if api["device_id"] != dhcp.DeviceID || api["binding:host_id"] != "dhcp1.example.org" || api["binding:vif_type"] != "ovs" ||
		dhcp.RevisionNumber != int64(api["revision_number"].(float64)) {
		t.Fatalf("claimed dhcp port %v", api)
	}
	p1 := e.adminGet(t, "port", s.p1["id"].(string))
	ip := fixedIPs(p1)[0].IPAddress
	host := "host-" + replaceDots(ip)
	want := rpc.DHCPPort{ID: p1["id"].(string), NetworkID: netID, MACAddress: p1["mac_address"].(string),
		FixedIPs: fixedIPs(p1), DeviceOwner: "compute:nova", DeviceID: "vm-host1", AdminStateUp: true,
		DNSAssignment:  []rpc.DNSAssignment{{Hostname: host, IPAddress: ip, FQDN: host + ".openstacklocal."}},
		ExtraDHCPOpts:  []rpc.ExtraDHCPOpt{{OptName: "mtu", OptValue: "1400", IPVersion: 4}},
		RevisionNumber: int64(p1["revision_number"].(float64))}
	for _, p := range info.Ports {
		if p.ID == want.ID && !reflect.DeepEqual(p, want) {
			t.Fatalf("port:\n got %+v\nwant %+v", p, want)
		}
	}
	// Another DHCP agent gets nothing: the network is dhcp1's.
	e.call(t, rpc.SubjectDHCPNetworks, rpc.GetActiveNetworks{Host: "dhcp2"}, &active)
	if len(active.Networks) != 0 {
		t.Fatalf("dhcp2 got %+v", active)
	}
	var one rpc.NetworkInfo
	e.call(t, rpc.SubjectDHCPNetwork, rpc.GetNetworkInfo{Host: "dhcp1", NetworkID: netID}, &one)
	if !reflect.DeepEqual(one, info) {
		t.Fatalf("network info:\n got %+v\nwant %+v", one, info)
	}
	err := e.agent.Call(context.Background(), rpc.SubjectDHCPNetwork, rpc.GetNetworkInfo{Host: "dhcp1", NetworkID: "gone"}, &one)
	if bus.CodeOf(err) != bus.NotFound {
		t.Fatalf("gone network: %v", err)
	}
	e.call(t, rpc.SubjectDHCPReady, rpc.DHCPReady{Host: "dhcp1", PortIDs: []string{dhcp.ID}}, nil)
	// An administratively down network is not served.
	e.ok(t, 200, "PUT", "/v2.0/networks/"+netID, e.member, map[string]any{"network": map[string]any{"admin_state_up": false}})
	e.call(t, rpc.SubjectDHCPNetworks, rpc.GetActiveNetworks{Host: "dhcp1.example.org"}, &active)
	if len(active.Networks) != 0 {
		t.Fatalf("admin down network served: %+v", active)
	}
}

func replaceDots(ip string) string {
	out := []byte(ip)
	for i, c := range out {
		if c == '.' {
			out[i] = '-'
		}
	}
	return string(out)
}

func TestAgentDHCPClaimOnNetworkInfo(t *testing.T) {
	e := startAgentBus(t)
	n := e.createNet(t, e.member, map[string]any{"name": "n"})
	e.drain()
	e.createSubnet(t, e.member, map[string]any{"network_id": n["id"], "ip_version": 4, "cidr": "10.6.0.0/24"})
	// The new network needs a DHCP agent: network_create_end to any of them.
	expect(t, e, func(m rpc.DHCPNotify) bool {
		return m.Event == rpc.DHCPNetworkCreate && m.NetworkID == n["id"] && m.Host == ""
	})
	var info rpc.NetworkInfo
	e.call(t, rpc.SubjectDHCPNetwork, rpc.GetNetworkInfo{Host: "dhcp1", NetworkID: n["id"].(string)}, &info)
	if len(info.Ports) != 1 || info.Ports[0].DeviceID != "dhcp"+dhcpHostUUID+"-"+n["id"].(string) {
		t.Fatalf("ports %+v", info.Ports)
	}
	// The L2 agent of the DHCP host hears of the port bound there.
	expect(t, e, func(m rpc.PortUpdate) bool { return m.PortID == info.Ports[0].ID && m.Host == "dhcp1" })
	// A second agent asking does not take it over.
	e.call(t, rpc.SubjectDHCPNetwork, rpc.GetNetworkInfo{Host: "dhcp2", NetworkID: n["id"].(string)}, &info)
	if info.Ports[0].DeviceID != "dhcp"+dhcpHostUUID+"-"+n["id"].(string) {
		t.Fatalf("taken over: %+v", info.Ports)
	}
}

// A network is in the zones of the DHCP agents serving it.
func TestNetworkZonesFromDHCPAgents(t *testing.T) {
	e := startAgentBus(t)
	net := e.createNet(t, e.member, map[string]any{"name": "n"})["id"].(string)
	e.createSubnet(t, e.member, map[string]any{"network_id": net, "ip_version": 4, "cidr": "10.6.0.0/24"})
	zones := func() []any { return e.adminGet(t, "network", net)["availability_zones"].([]any) }
	if z := zones(); len(z) != 0 {
		t.Fatalf("unserved network's zones %v", z)
	}
	var rep rpc.ReportStateReply
	e.call(t, rpc.SubjectReportState, rpc.ReportState{AgentType: rpc.AgentTypeDHCP, Binary: rpc.BinaryDHCP,
		Host: "dhcp1", Topic: rpc.TopicDHCP, AvailabilityZone: "az1", StartFlag: true}, &rep)
	var active rpc.ActiveNetworks
	e.call(t, rpc.SubjectDHCPNetworks, rpc.GetActiveNetworks{Host: "dhcp1"}, &active)
	if z := zones(); len(z) != 1 || z[0] != "az1" {
		t.Fatalf("served network's zones %v", z)
	}
}
