package network_test

import (
	"net/netip"
	"reflect"
	"testing"

	"github.com/monostack/monostack/internal/network/rpc"
)

// reportL3 makes host's L3 agent known, in zone az, and returns its id.
func (e *agentEnv) reportL3(t *testing.T, host, az string) string {
	t.Helper()
	var reply rpc.ReportStateReply
	e.call(t, rpc.SubjectReportState, rpc.ReportState{AgentType: rpc.AgentTypeL3, Binary: rpc.BinaryL3, Host: host,
		Topic: rpc.TopicL3, AvailabilityZone: az, StartFlag: true}, &reply)
	return reply.AgentID
}

// syncRouters asks sync_routers for host and returns the routers by id.
func (e *agentEnv) syncRouters(t *testing.T, host string, ids ...string) map[string]rpc.Router {
	t.Helper()
	var reply rpc.SyncRoutersReply
	e.call(t, rpc.SubjectSyncRouters, rpc.SyncRouters{Host: host, RouterIDs: ids}, &reply)
	out := map[string]rpc.Router{}
	for _, r := range reply.Routers {
		out[r.ID] = r
	}
	return out
}

// routerPath is a router's API path.
func routerPath(id string) string { return "/v2.0/routers/" + id }

// addInterface adds a router interface on a subnet and returns its port id.
func (e *agentEnv) addInterface(t *testing.T, router, subnet string) string {
	t.Helper()
	return e.ok(t, 200, "PUT", routerPath(router)+"/add_router_interface", e.member,
		map[string]any{"subnet_id": subnet})["port_id"].(string)
}

// setGateway gives a router its gateway on ext and returns the gateway port id.
func (e *agentEnv) setGateway(t *testing.T, router, ext string) string {
	t.Helper()
	e.ok(t, 200, "PUT", routerPath(router), e.member, map[string]any{"router": map[string]any{
		"external_gateway_info": map[string]any{"network_id": ext}}})
	ports := e.ok(t, 200, "GET", "/v2.0/ports?device_owner=network:router_gateway&device_id="+router, e.admin, nil)["ports"].([]any)
	return ports[0].(map[string]any)["id"].(string)
}

// newRouter creates a router of alpha with the attributes given.
func (e *agentEnv) newRouter(t *testing.T, attrs map[string]any) string {
	t.Helper()
	return e.ok(t, 201, "POST", "/v2.0/routers", e.member, map[string]any{"router": attrs})["router"].(map[string]any)["id"].(string)
}

// hostOf is the binding host of a port.
func (e *agentEnv) hostOf(t *testing.T, portID string) any {
	t.Helper()
	return e.adminGet(t, "port", portID)["binding:host_id"]
}

func TestAgentL3Claim(t *testing.T) {
	e := startAgentBus(t)
	top := e.l3(t)
	iface := e.addInterface(t, top.router, top.sub)
	if got := e.syncRouters(t, "l3a"); len(got) != 0 {
		t.Fatalf("an agent that never reported got %v", got)
	}
	down := e.reportL3(t, "l3down", "nova")
	e.ok(t, 200, "PUT", "/v2.0/agents/"+down, e.admin, map[string]any{"agent": map[string]any{"admin_state_up": false}})
	if got := e.syncRouters(t, "l3down"); len(got) != 0 || e.hostOf(t, iface) != "" {
		t.Fatalf("an admin-down agent got %v, interface bound to %v", got, e.hostOf(t, iface))
	}
	zones := func() any { return e.adminGet(t, "router", top.router)["availability_zones"] }
	if z := zones(); len(z.([]any)) != 0 {
		t.Fatalf("unheld router's zones %v", z)
	}
	e.reportL3(t, "l3a", "nova")
	if got := e.syncRouters(t, "l3a"); len(got) != 1 || got[top.router].ID != top.router {
		t.Fatalf("l3a got %v", got)
	}
	// The router is in its agent's zone.
	if z := zones().([]any); len(z) != 1 || z[0] != "nova" {
		t.Fatalf("held router's zones %v", z)
	}
	if p := e.adminGet(t, "port", iface); p["binding:host_id"] != "l3a" || p["binding:vif_type"] == "unbound" {
		t.Fatalf("interface of the claimed router: %v", p)
	}
	// Ports the router gets from now on are bound to its host at once.
	if gw := e.setGateway(t, top.router, top.ext); e.hostOf(t, gw) != "l3a" {
		t.Fatalf("gateway port bound to %v", e.hostOf(t, gw))
	}
	net2 := e.createNet(t, e.member, map[string]any{"name": "net2"})["id"].(string)
	e.subnetFrom(t, e.member, map[string]any{"network_id": net2, "ip_version": 4, "cidr": "10.7.0.0/24"})
	byPort := e.createPort(t, e.member, map[string]any{"network_id": net2})
	e.ok(t, 200, "PUT", routerPath(top.router)+"/add_router_interface", e.member, map[string]any{"port_id": byPort["id"]})
	if e.hostOf(t, byPort["id"].(string)) != "l3a" {
		t.Fatalf("interface by port bound to %v", e.hostOf(t, byPort["id"].(string)))
	}
	e.reportL3(t, "l3b", "nova")
	if got := e.syncRouters(t, "l3b"); len(got) != 0 {
		t.Fatalf("a second agent took %v", got)
	}
	// A router hinted to zone az2 (a zone must have an agent to be hinted)
	// goes only to an agent there.
	e.reportL3(t, "l3c", "az2")
	zoned := e.newRouter(t, map[string]any{"name": "zoned", "availability_zone_hints": []any{"az2"}})
	if got := e.syncRouters(t, "l3b"); len(got) != 0 {
		t.Fatalf("an agent of zone nova took %v", got)
	}
	if got := e.syncRouters(t, "l3c"); len(got) != 1 || got[zoned].Name != "zoned" {
		t.Fatalf("the az2 agent got %v", got)
	}
	// Narrowed to router_ids, an agent claims only those.
	r1, r2 := e.newRouter(t, map[string]any{"name": "r1"}), e.newRouter(t, map[string]any{"name": "r2"})
	if got := e.syncRouters(t, "l3b", r2); len(got) != 1 || got[r2].ID != r2 {
		t.Fatalf("l3b asking for r2 got %v", got)
	}
	if got := e.syncRouters(t, "l3a"); len(got) != 2 || got[r1].ID != r1 {
		t.Fatalf("l3a got %v", got)
	}
	if got := e.syncRouters(t, "l3b"); len(got) != 1 {
		t.Fatalf("l3b holds %v besides r2", got)
	}
}

// wantPortSubnet is a subnet from the API as a router port lists it.
func wantPortSubnet(sub map[string]any) rpc.PortSubnet {
	out := rpc.PortSubnet{ID: sub["id"].(string), CIDR: sub["cidr"].(string)}
	out.GatewayIP, _ = sub["gateway_ip"].(string)
	out.IPv6RAMode, _ = sub["ipv6_ra_mode"].(string)
	for _, d := range sub["dns_nameservers"].([]any) {
		out.DNSNameservers = append(out.DNSNameservers, d.(string))
	}
	return out
}

// wantRouterPort is a port from the API as sync_routers gives it, with
// the network's other subnets extra.
func (e *agentEnv) wantRouterPort(t *testing.T, id string, extra ...string) rpc.RouterPort {
	t.Helper()
	p := e.adminGet(t, "port", id)
	net := e.adminGet(t, "network", p["network_id"].(string))
	out := rpc.RouterPort{ID: id, NetworkID: net["id"].(string), MACAddress: p["mac_address"].(string),
		MTU: int(net["mtu"].(float64)), AdminStateUp: p["admin_state_up"].(bool)}
	for _, f := range fixedIPs(p) {
		sub := e.adminGet(t, "subnet", f.SubnetID)
		f.PrefixLen = netip.MustParsePrefix(sub["cidr"].(string)).Bits()
		out.FixedIPs, out.Subnets = append(out.FixedIPs, f), append(out.Subnets, wantPortSubnet(sub))
	}
	for _, s := range extra {
		out.ExtraSubnets = append(out.ExtraSubnets, wantPortSubnet(e.adminGet(t, "subnet", s)))
	}
	return out
}

// wantFloatingIP is a floating IP from the API as sync_routers gives it.
func (e *agentEnv) wantFloatingIP(t *testing.T, id string) rpc.FloatingIP {
	t.Helper()
	f := e.adminGet(t, "floatingip", id)
	return rpc.FloatingIP{ID: id, FloatingIPAddress: f["floating_ip_address"].(string),
		FloatingNetworkID: f["floating_network_id"].(string), FixedIPAddress: f["fixed_ip_address"].(string),
		PortID: f["port_id"].(string), RouterID: f["router_id"].(string), Status: f["status"].(string),
		ProjectID: f["project_id"].(string)}
}

// associatedFIP creates a VM port on subnet and a floating IP on ext for it.
func (e *agentEnv) associatedFIP(t *testing.T, net, subnet, ext string) (portID, fipID string) {
	t.Helper()
	vm := e.createPort(t, e.member, map[string]any{"network_id": net, "device_owner": "compute:nova",
		"fixed_ips": []any{map[string]any{"subnet_id": subnet}}})
	fip := e.ok(t, 201, "POST", "/v2.0/floatingips", e.member, map[string]any{"floatingip": map[string]any{
		"floating_network_id": ext, "port_id": vm["id"]}})["floatingip"].(map[string]any)
	return vm["id"].(string), fip["id"].(string)
}

func TestAgentL3SyncRouters(t *testing.T) {
	e := startAgentBus(t)
	top := e.l3(t)
	other := e.subnetFrom(t, e.member, map[string]any{"network_id": top.net, "ip_version": 4, "cidr": "10.5.6.0/24"})["id"].(string)
	e.reportL3(t, "l3a", "nova")
	iface := e.addInterface(t, top.router, top.sub)
	gw := e.setGateway(t, top.router, top.ext)
	e.ok(t, 200, "PUT", routerPath(top.router)+"/add_extraroutes", e.member, map[string]any{"router": map[string]any{
		"routes": []any{map[string]any{"destination": "192.168.7.0/24", "nexthop": "10.5.5.9"}}}})
	_, fip := e.associatedFIP(t, top.net, top.sub, top.ext)
	empty := e.newRouter(t, map[string]any{"name": "empty"})
	got := e.syncRouters(t, "l3a")
	rt := e.adminGet(t, "router", top.router)
	want := rpc.Router{ID: top.router, Name: "R2", ProjectID: e.alpha, AdminStateUp: true,
		Gateway:     &rpc.Gateway{NetworkID: top.ext, EnableSNAT: true, Port: e.wantRouterPort(t, gw)},
		Interfaces:  []rpc.RouterPort{e.wantRouterPort(t, iface, other)},
		Routes:      []rpc.HostRoute{{Destination: "192.168.7.0/24", NextHop: "10.5.5.9"}},
		FloatingIPs: []rpc.FloatingIP{e.wantFloatingIP(t, fip)}, RevisionNumber: int64(rt["revision_number"].(float64))}
	if len(got) != 2 || !reflect.DeepEqual(got[top.router], want) {
		t.Fatalf("router:\n got %+v\nwant %+v", got[top.router], want)
	}
	if want.Interfaces[0].FixedIPs[0].PrefixLen != 24 || want.Gateway.Port.Subnets[0].ID != top.extSub {
		t.Fatalf("expected values not what the test means: %+v", want)
	}
	bare := rpc.Router{ID: empty, Name: "empty", ProjectID: e.alpha, AdminStateUp: true, Interfaces: []rpc.RouterPort{},
		Routes: []rpc.HostRoute{}, FloatingIPs: []rpc.FloatingIP{}}
	if !reflect.DeepEqual(got[empty], bare) {
		t.Fatalf("empty router:\n got %+v\nwant %+v", got[empty], bare)
	}
	// router_ids narrows the answer; ids not on the host are absent.
	if narrowed := e.syncRouters(t, "l3a", empty, "00000000-0000-4000-8000-999999999999"); len(narrowed) != 1 ||
		!reflect.DeepEqual(narrowed[empty], bare) {
		t.Fatalf("narrowed to the empty router: %+v", narrowed)
	}
	if none := e.syncRouters(t, "l3a", "00000000-0000-4000-8000-999999999999"); len(none) != 0 {
		t.Fatalf("an unknown id answered %+v", none)
	}
}

// A floating IP's port forwardings come with it in sync_routers.
func TestAgentL3SyncPortForwardings(t *testing.T) {
	e := startAgentBus(t)
	top := e.l3(t)
	e.reportL3(t, "l3a", "nova")
	e.addInterface(t, top.router, top.sub)
	e.setGateway(t, top.router, top.ext)
	vm := e.createPort(t, e.member, map[string]any{"network_id": top.net, "fixed_ips": []any{map[string]any{"subnet_id": top.sub}}})
	ip := vm["fixed_ips"].([]any)[0].(map[string]any)["ip_address"].(string)
	fip := e.ok(t, 201, "POST", "/v2.0/floatingips", e.member, map[string]any{"floatingip": map[string]any{
		"floating_network_id": top.ext}})["floatingip"].(map[string]any)["id"].(string)
	pf := e.ok(t, 201, "POST", "/v2.0/floatingips/"+fip+"/port_forwardings", e.member, map[string]any{"port_forwarding": map[string]any{
		"protocol": "udp", "external_port_range": "5000:5009", "internal_port_range": "6000:6009",
		"internal_port_id": vm["id"], "internal_ip_address": ip}})["port_forwarding"].(map[string]any)
	got := e.syncRouters(t, "l3a")[top.router].FloatingIPs
	f := e.adminGet(t, "floatingip", fip)
	want := []rpc.FloatingIP{{ID: fip, FloatingIPAddress: f["floating_ip_address"].(string), FloatingNetworkID: top.ext,
		RouterID: top.router, Status: f["status"].(string), ProjectID: e.alpha, PortForwardings: []rpc.PortForwarding{{
			ID: pf["id"].(string), Protocol: "udp", ExternalPortStart: 5000, ExternalPortEnd: 5009,
			InternalIPAddress: ip, InternalPortStart: 6000, InternalPortEnd: 6009}}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("floating IPs:\n got %+v\nwant %+v", got, want)
	}
}

func TestAgentL3FloatingIPStatuses(t *testing.T) {
	e := startAgentBus(t)
	top := e.l3(t)
	e.addInterface(t, top.router, top.sub)
	e.setGateway(t, top.router, top.ext)
	_, fip := e.associatedFIP(t, top.net, top.sub, top.ext)
	e.reportL3(t, "l3a", "nova")
	e.syncRouters(t, "l3a")
	read := func() (string, float64) {
		f := e.adminGet(t, "floatingip", fip)
		return f["status"].(string), f["revision_number"].(float64)
	}
	status, rev := read()
	if status != "DOWN" {
		t.Fatalf("floating IP before any report: %s", status)
	}
	report := func(host, st string) {
		req := rpc.UpdateFloatingIPStatuses{Host: host, RouterID: top.router, Statuses: map[string]string{}}
		if st != "" {
			req.Statuses[fip] = st
		}
		e.call(t, rpc.SubjectFIPStatuses, req, nil)
	}
	report("l3a", "ACTIVE")
	if st, r := read(); st != "ACTIVE" || r != rev+1 {
		t.Fatalf("after the ACTIVE report: %s, revision %v (was %v)", st, r, rev)
	}
	report("l3a", "ACTIVE")
	report("l3b", "ERROR") // not the router's host
	if st, r := read(); st != "ACTIVE" || r != rev+1 {
		t.Fatalf("after repeated and foreign reports: %s, revision %v", st, r)
	}
	// Disassociated, it keeps its status until the router's agent reports without it.
	e.ok(t, 200, "PUT", "/v2.0/floatingips/"+fip, e.member, map[string]any{"floatingip": map[string]any{"port_id": nil}})
	if st, _ := read(); st != "ACTIVE" {
		t.Fatalf("just disassociated: %s", st)
	}
	report("l3a", "")
	if st, _ := read(); st != "DOWN" {
		t.Fatalf("disassociated and reported without: %s", st)
	}
}

// routersUpdated waits for routers_updated naming exactly ids for host.
func routersUpdated(t *testing.T, e *agentEnv, host string, ids ...string) {
	t.Helper()
	expect(t, e, func(m rpc.RoutersUpdated) bool { return m.Host == host && reflect.DeepEqual(m.RouterIDs, ids) })
}

func TestAgentL3Notifications(t *testing.T) {
	e := startAgentBus(t)
	top := e.l3(t)
	routersUpdated(t, e, "", top.router) // created, not held by an agent yet
	e.reportL3(t, "l3a", "nova")
	e.syncRouters(t, "l3a")
	e.drain()
	iface := e.addInterface(t, top.router, top.sub)
	routersUpdated(t, e, "l3a", top.router)
	expect(t, e, func(m rpc.PortUpdate) bool { return m.PortID == iface && m.Host == "l3a" })
	e.setGateway(t, top.router, top.ext)
	routersUpdated(t, e, "l3a", top.router)
	e.ok(t, 200, "PUT", routerPath(top.router)+"/add_extraroutes", e.member, map[string]any{"router": map[string]any{
		"routes": []any{map[string]any{"destination": "192.168.7.0/24", "nexthop": "10.5.5.9"}}}})
	routersUpdated(t, e, "l3a", top.router)
	_, fip := e.associatedFIP(t, top.net, top.sub, top.ext)
	routersUpdated(t, e, "l3a", top.router)
	// Moving the floating IP to a port behind another router names both.
	other := e.newRouter(t, map[string]any{"name": "other"})
	e.syncRouters(t, "l3a")
	sub2 := e.subnetFrom(t, e.member, map[string]any{"network_id": top.net, "ip_version": 4, "cidr": "10.5.6.0/24"})["id"].(string)
	e.addInterface(t, other, sub2)
	e.setGateway(t, other, top.ext)
	vm2 := e.createPort(t, e.member, map[string]any{"network_id": top.net, "fixed_ips": []any{map[string]any{"subnet_id": sub2}}})
	e.drain()
	e.ok(t, 200, "PUT", "/v2.0/floatingips/"+fip, e.member, map[string]any{"floatingip": map[string]any{"port_id": vm2["id"]}})
	routersUpdated(t, e, "l3a", union(top.router, other)...)
	e.ok(t, 200, "PUT", "/v2.0/floatingips/"+fip, e.member, map[string]any{"floatingip": map[string]any{"port_id": nil}})
	routersUpdated(t, e, "l3a", other)
	e.ok(t, 200, "PUT", "/v2.0/floatingips/"+fip, e.member, map[string]any{"floatingip": map[string]any{"port_id": vm2["id"]}})
	e.drain()
	e.ok(t, 204, "DELETE", "/v2.0/floatingips/"+fip, e.member, nil)
	routersUpdated(t, e, "l3a", other)
	// Port forwardings reach the router's agent as router news too.
	free := e.ok(t, 201, "POST", "/v2.0/floatingips", e.member, map[string]any{"floatingip": map[string]any{
		"floating_network_id": top.ext}})["floatingip"].(map[string]any)["id"].(string)
	pfs := "/v2.0/floatingips/" + free + "/port_forwardings"
	pf := e.ok(t, 201, "POST", pfs, e.member, map[string]any{"port_forwarding": map[string]any{"protocol": "tcp",
		"external_port": 2222, "internal_port": 22, "internal_port_id": vm2["id"],
		"internal_ip_address": vm2["fixed_ips"].([]any)[0].(map[string]any)["ip_address"]}})["port_forwarding"].(map[string]any)
	routersUpdated(t, e, "l3a", other)
	e.ok(t, 200, "PUT", pfs+"/"+pf["id"].(string), e.member, map[string]any{"port_forwarding": map[string]any{"external_port": 2223}})
	routersUpdated(t, e, "l3a", other)
	e.ok(t, 204, "DELETE", pfs+"/"+pf["id"].(string), e.member, nil)
	routersUpdated(t, e, "l3a", other)
	e.ok(t, 200, "PUT", routerPath(top.router), e.member, map[string]any{"router": map[string]any{"name": "renamed"}})
	routersUpdated(t, e, "l3a", top.router)
	e.ok(t, 200, "PUT", routerPath(top.router)+"/remove_extraroutes", e.member, map[string]any{"router": map[string]any{
		"routes": []any{map[string]any{"destination": "192.168.7.0/24", "nexthop": "10.5.5.9"}}}})
	routersUpdated(t, e, "l3a", top.router)
	e.ok(t, 200, "PUT", routerPath(top.router)+"/remove_router_interface", e.member, map[string]any{"subnet_id": top.sub})
	routersUpdated(t, e, "l3a", top.router)
	e.ok(t, 200, "PUT", routerPath(top.router), e.member, map[string]any{"router": map[string]any{"external_gateway_info": nil}})
	routersUpdated(t, e, "l3a", top.router)
	e.ok(t, 204, "DELETE", routerPath(top.router), e.member, nil)
	expect(t, e, func(m rpc.RouterDeleted) bool { return m.RouterID == top.router && m.Host == "l3a" })
}

// union is the sorted list of two ids.
func union(a, b string) []string {
	if b < a {
		return []string{b, a}
	}
	return []string{a, b}
}

// Deleting a port takes its floating IPs and port forwardings away from
// their routers: the routers' agent hears of it.
func TestAgentL3PortDeleteUpdatesRouters(t *testing.T) {
	e := startAgentBus(t)
	top := e.l3(t)
	e.reportL3(t, "l3a", "nova")
	e.addInterface(t, top.router, top.sub)
	e.setGateway(t, top.router, top.ext)
	e.syncRouters(t, "l3a")
	vm, _ := e.associatedFIP(t, top.net, top.sub, top.ext)
	e.drain()
	e.ok(t, 204, "DELETE", "/v2.0/ports/"+vm, e.member, nil)
	routersUpdated(t, e, "l3a", top.router)

	target := e.createPort(t, e.member, map[string]any{"network_id": top.net, "fixed_ips": []any{map[string]any{"subnet_id": top.sub}}})
	fip := e.ok(t, 201, "POST", "/v2.0/floatingips", e.member, map[string]any{"floatingip": map[string]any{
		"floating_network_id": top.ext}})["floatingip"].(map[string]any)["id"].(string)
	e.ok(t, 201, "POST", "/v2.0/floatingips/"+fip+"/port_forwardings", e.member, map[string]any{"port_forwarding": map[string]any{
		"protocol": "tcp", "external_port": 2222, "internal_port": 22, "internal_port_id": target["id"],
		"internal_ip_address": target["fixed_ips"].([]any)[0].(map[string]any)["ip_address"]}})
	e.drain()
	e.ok(t, 204, "DELETE", "/v2.0/ports/"+target["id"].(string), e.member, nil)
	routersUpdated(t, e, "l3a", top.router)
}
