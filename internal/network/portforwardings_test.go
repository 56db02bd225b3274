package network_test

import (
	"reflect"
	"testing"
)

// pfTopology is l3 with the router's interface and gateway set, a compute
// port on the internal network and a free floating IP, all alpha's.
type pfTopology struct {
	l3Topology
	port, ip, sub, fip, fipPath string
}

func (e *env) pfTop(t *testing.T) pfTopology {
	t.Helper()
	top := pfTopology{l3Topology: e.l3(t)}
	base := "/v2.0/routers/" + top.router
	e.ok(t, 200, "PUT", base+"/add_router_interface", e.member, map[string]any{"subnet_id": top.l3Topology.sub})
	e.ok(t, 200, "PUT", base, e.member, map[string]any{"router": map[string]any{"external_gateway_info": map[string]any{"network_id": top.ext}}})
	top.port, top.ip = e.computePort(t, top.net)
	top.sub = top.l3Topology.sub
	top.fip = e.ok(t, 201, "POST", "/v2.0/floatingips", e.member, map[string]any{"floatingip": map[string]any{
		"floating_network_id": top.ext}})["floatingip"].(map[string]any)["id"].(string)
	top.fipPath = "/v2.0/floatingips/" + top.fip
	return top
}

// computePort makes an alpha port on net and returns it with its address.
func (e *env) computePort(t *testing.T, net string) (id, ip string) {
	t.Helper()
	p := e.ok(t, 201, "POST", "/v2.0/ports", e.member, map[string]any{"port": map[string]any{"network_id": net, "device_owner": "compute:nova"}})["port"].(map[string]any)
	return p["id"].(string), p["fixed_ips"].([]any)[0].(map[string]any)["ip_address"].(string)
}

// pf is a port forwarding body.
func pf(attrs map[string]any) map[string]any { return map[string]any{"port_forwarding": attrs} }

// tcp forwards external to internal of port at ip over TCP.
func tcp(port, ip string, external, internal int) map[string]any {
	return pf(map[string]any{"internal_port_id": port, "internal_ip_address": ip, "external_port": external,
		"internal_port": internal, "protocol": "tcp"})
}

func (e *env) fip(t *testing.T, path string) map[string]any {
	t.Helper()
	return e.ok(t, 200, "GET", path, e.member, nil)["floatingip"].(map[string]any)
}

func (e *env) revision(t *testing.T, path, key string) float64 {
	t.Helper()
	return e.ok(t, 200, "GET", path, e.member, nil)[key].(map[string]any)["revision_number"].(float64)
}

func TestPortForwardingCreateShowList(t *testing.T) {
	e := start(t)
	top := e.pfTop(t)
	pfs := top.fipPath + "/port_forwardings"
	fipRev, portRev := e.revision(t, top.fipPath, "floatingip"), e.revision(t, "/v2.0/ports/"+top.port, "port")
	body := tcp(top.port, top.ip, 2222, 22)
	body["port_forwarding"].(map[string]any)["description"] = "ssh"
	got := e.ok(t, 201, "POST", pfs, e.member, body)["port_forwarding"].(map[string]any)
	id := got["id"].(string)
	want := map[string]any{"id": id, "protocol": "tcp", "internal_port_id": top.port, "internal_ip_address": top.ip,
		"description": "ssh", "external_port": 2222.0, "internal_port": 22.0, "external_port_range": "2222:2222",
		"internal_port_range": "22:22"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("created %v, want %v", got, want)
	}
	f := e.fip(t, top.fipPath)
	embedded := []any{map[string]any{"id": id, "protocol": "tcp", "internal_ip_address": top.ip, "internal_port_id": top.port,
		"external_port": 2222.0, "internal_port": 22.0}}
	if f["router_id"] != top.router || f["port_id"] != nil || !reflect.DeepEqual(f["port_forwardings"], embedded) ||
		f["revision_number"] != fipRev+1 {
		t.Fatalf("floating IP with a port forwarding: %v", f)
	}
	if r := e.revision(t, "/v2.0/ports/"+top.port, "port"); r != portRev+1 {
		t.Fatalf("internal port revision %v, want %v", r, portRev+1)
	}
	if shown := e.ok(t, 200, "GET", pfs+"/"+id, e.member, nil)["port_forwarding"]; !reflect.DeepEqual(shown, want) {
		t.Fatalf("shown %v", shown)
	}
	cut := e.ok(t, 200, "GET", pfs+"/"+id+"?fields=protocol&fields=external_port", e.member, nil)["port_forwarding"]
	if !reflect.DeepEqual(cut, map[string]any{"protocol": "tcp", "external_port": 2222.0}) {
		t.Fatalf("fields: %v", cut)
	}
	rng := e.ok(t, 201, "POST", pfs, e.member, pf(map[string]any{"internal_port_id": top.port, "internal_ip_address": top.ip,
		"external_port_range": "3000:3009", "internal_port": 3000, "protocol": "udp"}))["port_forwarding"].(map[string]any)
	if rng["external_port"] != nil || rng["internal_port"] != 3000.0 || rng["internal_port_range"] != "3000:3000" || rng["description"] != "" {
		t.Fatalf("1-N range: %v", rng)
	}
	e.checkForwardingList(t, pfs, id, rng["id"].(string))
}

// checkForwardingList lists a floating IP's two forwardings, one TCP (id)
// and one UDP range (rangeID), with filters and sorting.
func (e *env) checkForwardingList(t *testing.T, path, id, rangeID string) {
	t.Helper()
	ids := func(query string) []any {
		var out []any
		for _, it := range e.ok(t, 200, "GET", path+query, e.member, nil)["port_forwardings"].([]any) {
			out = append(out, it.(map[string]any)["id"])
		}
		return out
	}
	for query, want := range map[string][]any{
		"?sort_key=protocol&sort_dir=desc":            {rangeID, id},
		"?sort_key=external_port&sort_dir=asc":        {rangeID, id},
		"?protocol=tcp":                               {id},
		"?external_port=2222":                         {id},
		"?external_port_range=3000:3009":              {rangeID},
		"?description=ssh":                            {id},
		"?external_port=22":                           nil,
		"?fields=id&sort_key=id&sort_dir=asc&limit=1": {id},
	} {
		if got := ids(query); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, want %v", query, got, want)
		}
	}
	e.refused(t, 400, "HTTPBadRequest", "['internal_ip_address'] is invalid attribute for filtering",
		"GET", path+"?internal_ip_address=10.5.5.5", e.member, nil)
}

func TestPortForwardingRefusedCreates(t *testing.T) {
	e := start(t)
	top := e.pfTop(t)
	pfs := top.fipPath + "/port_forwardings"
	e.ok(t, 201, "POST", pfs, e.member, tcp(top.port, top.ip, 2222, 22))
	bad := "Bad port_forwarding request: "
	for _, c := range []struct {
		typ, msg string
		body     map[string]any
	}{
		{"BadRequest", bad + "There is a port collision with the internal_port_range. The following ranges collides: 22:22 and 22:22.", tcp(top.port, top.ip, 2223, 22)},
		{"BadRequest", bad + "There is a port collision with the external_port_range. The following ranges collides: 2222:2222 and 2220:2229.",
			pf(map[string]any{"internal_port_id": top.port, "internal_ip_address": top.ip, "external_port_range": "2220:2229", "internal_port_range": "30:39", "protocol": "tcp"})},
		{"BadRequest", bad + "Invalid ranges of internal and/or external ports. The relation between internal and external ports must be N-N or 1-N.",
			pf(map[string]any{"internal_port_id": top.port, "internal_ip_address": top.ip, "external_port_range": "4000:4001", "internal_port_range": "50:52", "protocol": "tcp"})},
		{"BadRequest", bad + "external_port or external_port_range must be specified.",
			pf(map[string]any{"internal_port_id": top.port, "internal_ip_address": top.ip, "internal_port": 80, "protocol": "tcp"})},
		{"BadRequest", bad + "external_port 80 does not match external_port_range 81:81.",
			pf(map[string]any{"internal_port_id": top.port, "internal_ip_address": top.ip, "internal_port": 80, "external_port": 80, "external_port_range": "81:81", "protocol": "tcp"})},
		{"BadRequest", bad + "Requested internal IP address 10.5.5.99 is not suitable for internal neutron port " + top.port +
			", as its fixed_ips are [{'subnet_id': '" + top.sub + "', 'ip_address': '" + top.ip + "'}].", tcp(top.port, "10.5.5.99", 80, 80)},
		{"HTTPBadRequest", "Invalid input for protocol. Reason: TCP is not in valid_values.",
			pf(map[string]any{"internal_port_id": top.port, "internal_ip_address": top.ip, "internal_port": 80, "external_port": 80, "protocol": "TCP"})},
		{"InvalidInput", "Invalid input for operation: IP protocol 'foo' is not supported. Only protocol names and their integer representation (0 to 255) are supported.",
			pf(map[string]any{"internal_port_id": top.port, "internal_ip_address": top.ip, "internal_port": 80, "external_port": 80, "protocol": "foo"})},
		{"HTTPBadRequest", "Invalid input for external_port. Reason: '0' is too small - must be at least '1'.", tcp(top.port, top.ip, 0, 80)},
		{"HTTPBadRequest", "Invalid input for internal_port_range. Reason: First port in a port range must be lower than the second port.",
			pf(map[string]any{"internal_port_id": top.port, "internal_ip_address": top.ip, "internal_port_range": "90:80", "external_port": 80, "protocol": "tcp"})},
		{"HTTPBadRequest", "Failed to parse request. Required attribute 'internal_ip_address' not specified",
			pf(map[string]any{"internal_port_id": top.port, "internal_port": 80, "external_port": 80, "protocol": "tcp"})},
	} {
		e.refused(t, 400, c.typ, c.msg, "POST", pfs, e.member, c.body)
	}
	e.refused(t, 404, "FloatingIPNotFound", "Floating IP 00000000-0000-4000-8000-000000009999 could not be found",
		"POST", "/v2.0/floatingips/00000000-0000-4000-8000-000000009999/port_forwardings", e.member, tcp(top.port, top.ip, 80, 80))
	beta, _ := e.project(t, "beta", "member")
	e.refused(t, 404, "FloatingIPNotFound", "", "GET", pfs, beta, nil)
	e.refused(t, 404, "FloatingIPNotFound", "", "POST", pfs, beta, tcp(top.port, top.ip, 80, 80))
	e.refused(t, 404, "PortForwardingNotFound", "Port Forwarding 00000000-0000-4000-8000-000000009999 could not be found.",
		"GET", pfs+"/00000000-0000-4000-8000-000000009999", e.member, nil)
}

func TestPortForwardingAndAssociationExclude(t *testing.T) {
	e := start(t)
	top := e.pfTop(t)
	pfs := top.fipPath + "/port_forwardings"
	fixed, fixedIP := e.computePort(t, top.net)
	other := e.ok(t, 201, "POST", "/v2.0/floatingips", e.member, map[string]any{"floatingip": map[string]any{
		"floating_network_id": top.ext, "port_id": fixed}})["floatingip"].(map[string]any)
	otherPath := "/v2.0/floatingips/" + other["id"].(string)
	e.refused(t, 409, "FloatingIPPortAlreadyAssociated", "Cannot associate floating IP "+other["floating_ip_address"].(string)+" ("+
		other["id"].(string)+") with port "+top.port+" using fixed IP "+top.ip+", as that fixed IP already has a floating IP on external network "+top.ext+".",
		"POST", otherPath+"/port_forwardings", e.member, tcp(top.port, top.ip, 80, 80))
	e.refused(t, 409, "PortHasBindingFloatingIP", "Cannot create port forwarding to floating IP "+other["floating_ip_address"].(string)+" ("+
		other["id"].(string)+") with port "+fixed+" using fixed IP "+fixedIP+", as that port already has a binding floating IP.",
		"POST", pfs, e.member, tcp(fixed, fixedIP, 80, 80))
	e.ok(t, 201, "POST", pfs, e.member, tcp(top.port, top.ip, 80, 80))
	inUse := "Floating IP " + top.fip + " in use by Port Forwarding resources."
	free, _ := e.computePort(t, top.net)
	e.refused(t, 409, "FipInUseByPortForwarding", inUse, "PUT", top.fipPath, e.member, map[string]any{"floatingip": map[string]any{"port_id": free}})
	e.refused(t, 409, "FipInUseByPortForwarding", inUse, "DELETE", top.fipPath, e.member, nil)
	e.refused(t, 409, "RouterInterfaceInUseByFloatingIP", "", "PUT", "/v2.0/routers/"+top.router+"/remove_router_interface", e.member,
		map[string]any{"subnet_id": top.sub})
	e.refused(t, 409, "RouterExternalGatewayInUseByFloatingIp", "", "PUT", "/v2.0/routers/"+top.router, e.member,
		map[string]any{"router": map[string]any{"external_gateway_info": nil}})
	kept := e.ok(t, 200, "PUT", top.fipPath, e.member, map[string]any{"floatingip": map[string]any{"port_id": nil, "description": "pf"}})["floatingip"].(map[string]any)
	if kept["router_id"] != top.router || kept["description"] != "pf" {
		t.Fatalf("a disassociate keeps the forwardings' router: %v", kept)
	}
	e.ok(t, 200, "PUT", otherPath, e.member, map[string]any{"floatingip": map[string]any{"port_id": top.port}})
}

func TestPortForwardingUpdate(t *testing.T) {
	e := start(t)
	top := e.pfTop(t)
	pfs := top.fipPath + "/port_forwardings"
	first := e.ok(t, 201, "POST", pfs, e.member, tcp(top.port, top.ip, 2222, 22))["port_forwarding"].(map[string]any)
	second := e.ok(t, 201, "POST", pfs, e.member, tcp(top.port, top.ip, 8080, 80))["port_forwarding"].(map[string]any)
	path := pfs + "/" + second["id"].(string)
	fipAddr := e.fip(t, top.fipPath)["floating_ip_address"].(string)
	bad := "Bad port_forwarding request: "
	e.refused(t, 400, "BadRequest", bad+"Another port forwarding entry with the same attributes already exists, conflicting values are {'floating_ip_address': '"+
		fipAddr+"', 'external_port': 2222}.", "PUT", path, e.member, pf(map[string]any{"external_port": 2222}))
	e.refused(t, 400, "BadRequest", bad+"Another port forwarding entry with the same attributes already exists, conflicting values are {'internal_port_id': '"+
		top.port+"', 'internal_ip_address': '"+top.ip+"', 'internal_port': 22}.", "PUT", path, e.member, pf(map[string]any{"internal_port": 22}))
	e.refused(t, 400, "BadRequest", bad+"The internal IP does not correspond to an address on the internal port, which has fixed_ips [{'subnet_id': '"+
		top.sub+"', 'ip_address': '"+top.ip+"'}].", "PUT", path, e.member, pf(map[string]any{"internal_ip_address": "10.5.5.200"}))
	e.refused(t, 400, "HTTPBadRequest", "Cannot update read-only attribute project_id", "PUT", path, e.member, pf(map[string]any{"project_id": e.alpha}))
	got := e.ok(t, 200, "PUT", path, e.member, pf(map[string]any{"external_port_range": "9000:9009", "internal_port_range": "9000:9009",
		"protocol": "udp", "description": "web"}))["port_forwarding"].(map[string]any)
	if got["external_port"] != nil || got["external_port_range"] != "9000:9009" || got["protocol"] != "udp" || got["description"] != "web" {
		t.Fatalf("updated to a range: %v", got)
	}
	moved, movedIP := e.computePort(t, top.net)
	got = e.ok(t, 200, "PUT", pfs+"/"+first["id"].(string), e.member, pf(map[string]any{"internal_port_id": moved}))["port_forwarding"].(map[string]any)
	if got["internal_port_id"] != moved || got["internal_ip_address"] != movedIP || got["external_port"] != 2222.0 {
		t.Fatalf("moved to another port: %v", got)
	}
}

func TestPortForwardingRouterFollowsForwardings(t *testing.T) {
	e := start(t)
	top := e.l3(t)
	port, ip := e.computePort(t, top.net)
	fip := e.ok(t, 201, "POST", "/v2.0/floatingips", e.member, map[string]any{"floatingip": map[string]any{"floating_network_id": top.ext}})["floatingip"].(map[string]any)
	fipPath := "/v2.0/floatingips/" + fip["id"].(string)
	e.refused(t, 400, "BadRequest", "Bad port_forwarding request: External network "+top.ext+" is not reachable from subnet "+top.sub+
		". Cannot set Port forwarding for port "+port+" with Floating IP "+fip["id"].(string)+".", "POST", fipPath+"/port_forwardings", e.member, tcp(port, ip, 22, 22))
	base := "/v2.0/routers/" + top.router
	e.ok(t, 200, "PUT", base+"/add_router_interface", e.member, map[string]any{"subnet_id": top.sub})
	e.ok(t, 200, "PUT", base, e.member, map[string]any{"router": map[string]any{"external_gateway_info": map[string]any{"network_id": top.ext}}})
	a := e.ok(t, 201, "POST", fipPath+"/port_forwardings", e.member, tcp(port, ip, 22, 22))["port_forwarding"].(map[string]any)
	b := e.ok(t, 201, "POST", fipPath+"/port_forwardings", e.member, tcp(port, ip, 80, 80))["port_forwarding"].(map[string]any)
	e.ok(t, 204, "DELETE", fipPath+"/port_forwardings/"+a["id"].(string), e.member, nil)
	if f := e.fip(t, fipPath); f["router_id"] != top.router || len(f["port_forwardings"].([]any)) != 1 {
		t.Fatalf("one forwarding left: %v", f)
	}
	e.ok(t, 204, "DELETE", fipPath+"/port_forwardings/"+b["id"].(string), e.member, nil)
	if f := e.fip(t, fipPath); f["router_id"] != nil || len(f["port_forwardings"].([]any)) != 0 {
		t.Fatalf("no forwarding left: %v", f)
	}
	e.refused(t, 404, "PortForwardingNotFound", "", "DELETE", fipPath+"/port_forwardings/"+b["id"].(string), e.member, nil)
	e.ok(t, 204, "DELETE", fipPath, e.member, nil)
	e.ok(t, 200, "PUT", base, e.member, map[string]any{"router": map[string]any{"external_gateway_info": nil}})
}

func TestPortForwardingFollowsItsPort(t *testing.T) {
	e := start(t)
	top := e.pfTop(t)
	pfs := top.fipPath + "/port_forwardings"
	e.ok(t, 201, "POST", pfs, e.member, tcp(top.port, top.ip, 22, 22))
	rev := e.revision(t, top.fipPath, "floatingip")
	e.ok(t, 200, "PUT", "/v2.0/ports/"+top.port, e.member, map[string]any{"port": map[string]any{
		"fixed_ips": []any{map[string]any{"subnet_id": top.sub, "ip_address": "10.5.5.77"}}}})
	f := e.fip(t, top.fipPath)
	if f["router_id"] != nil || len(f["port_forwardings"].([]any)) != 0 || f["revision_number"] != rev+1 {
		t.Fatalf("forwarding to an address the port lost: %v", f)
	}
	e.ok(t, 201, "POST", pfs, e.member, tcp(top.port, "10.5.5.77", 22, 22))
	e.ok(t, 204, "DELETE", "/v2.0/ports/"+top.port, e.member, nil)
	f = e.fip(t, top.fipPath)
	if f["router_id"] != nil || len(f["port_forwardings"].([]any)) != 0 {
		t.Fatalf("forwarding to a deleted port: %v", f)
	}
	if list := e.ok(t, 200, "GET", pfs, e.member, nil)["port_forwardings"].([]any); len(list) != 0 {
		t.Fatalf("forwardings left: %v", list)
	}
	e.ok(t, 204, "DELETE", top.fipPath, e.member, nil)
}

func TestPortForwardedThroughDVRTakesNoFloatingIP(t *testing.T) {
	e := start(t)
	top := e.l3(t)
	rt := e.ok(t, 201, "POST", "/v2.0/routers", e.admin, map[string]any{"router": map[string]any{"distributed": true, "project_id": e.alpha,
		"external_gateway_info": map[string]any{"network_id": top.ext}}})["router"].(map[string]any)
	e.ok(t, 200, "PUT", "/v2.0/routers/"+rt["id"].(string)+"/add_router_interface", e.admin, map[string]any{"subnet_id": top.sub})
	port, ip := e.computePort(t, top.net)
	var fips []string
	for range 2 {
		f := e.ok(t, 201, "POST", "/v2.0/floatingips", e.member, map[string]any{"floatingip": map[string]any{"floating_network_id": top.ext}})
		fips = append(fips, "/v2.0/floatingips/"+f["floatingip"].(map[string]any)["id"].(string))
	}
	e.ok(t, 201, "POST", fips[0]+"/port_forwardings", e.member, tcp(port, ip, 22, 22))
	e.refused(t, 400, "PortHasPortForwarding", "Cannot associate floating IP to port "+port+" because it already has a Port Forwarding binding.",
		"PUT", fips[1], e.member, map[string]any{"floatingip": map[string]any{"port_id": port}})
}
