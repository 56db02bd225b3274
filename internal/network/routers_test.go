package network_test

import (
	"testing"
)

// l3Topology is an internal network and subnet of alpha, an external
// flat network with a subnet, and a router of alpha between them.
type l3Topology struct {
	net, sub, ext, extSub, router string
}

func (e *env) l3(t *testing.T) l3Topology {
	t.Helper()
	var top l3Topology
	top.net = e.createNet(t, e.member, map[string]any{"name": "intnet"})["id"].(string)
	top.sub = e.subnetFrom(t, e.member, map[string]any{"network_id": top.net, "ip_version": 4, "cidr": "10.5.5.0/24",
		"dns_nameservers": []any{"8.8.8.8"}})["id"].(string)
	top.ext = e.createNet(t, e.admin, map[string]any{"name": "external_network", "router:external": true,
		"provider:network_type": "flat", "provider:physical_network": "provider"})["id"].(string)
	top.extSub = e.subnetFrom(t, e.admin, map[string]any{"network_id": top.ext, "ip_version": 4, "cidr": "203.0.113.0/24",
		"enable_dhcp": false, "allocation_pools": []any{map[string]any{"start": "203.0.113.10", "end": "203.0.113.20"}}})["id"].(string)
	top.router = e.ok(t, 201, "POST", "/v2.0/routers", e.member, map[string]any{"router": map[string]any{"name": "R2"}})["router"].(map[string]any)["id"].(string)
	return top
}

func TestRouterInterfacesAndGateway(t *testing.T) {
	e := start(t)
	top := e.l3(t)
	base := "/v2.0/routers/" + top.router
	got := e.ok(t, 200, "GET", base, e.member, nil)["router"].(map[string]any)
	if got["status"] != "ACTIVE" || got["external_gateway_info"] != nil || got["admin_state_up"] != true {
		t.Fatalf("new router: %v", got)
	}
	if _, seen := got["distributed"]; seen {
		t.Fatalf("a member sees the admin-only distributed attribute: %v", got)
	}
	info := e.ok(t, 200, "PUT", base+"/add_router_interface", e.member, map[string]any{"subnet_id": top.sub})
	if info["subnet_id"] != top.sub || info["network_id"] != top.net || info["id"] != top.router {
		t.Fatalf("interface: %v", info)
	}
	ifPort := e.ok(t, 200, "GET", "/v2.0/ports/"+info["port_id"].(string), e.member, nil)["port"].(map[string]any)
	if ifPort["device_owner"] != "network:router_interface" || ifPort["device_id"] != top.router ||
		ifPort["fixed_ips"].([]any)[0].(map[string]any)["ip_address"] != "10.5.5.1" {
		t.Fatalf("interface port: %v", ifPort)
	}
	e.refused(t, 400, "BadRequest", "Bad router request: Router already has a port on subnet "+top.sub+".",
		"PUT", base+"/add_router_interface", e.member, map[string]any{"subnet_id": top.sub})
	e.refused(t, 400, "BadRequest", "Bad router request: Either subnet_id or port_id must be specified.",
		"PUT", base+"/add_router_interface", e.member, map[string]any{})
	e.refused(t, 409, "ServicePortInUse", "Port "+info["port_id"].(string)+" cannot be deleted directly via the port API: has device owner network:router_interface.",
		"DELETE", "/v2.0/ports/"+info["port_id"].(string), e.member, nil)
	e.refused(t, 403, "PolicyNotAuthorized", "", "PUT", base, e.member, map[string]any{"router": map[string]any{
		"external_gateway_info": map[string]any{"network_id": top.ext, "enable_snat": false}}})
	e.refused(t, 400, "BadRequest", "Bad router request: Network "+top.net+" is not an external network.",
		"PUT", base, e.member, map[string]any{"router": map[string]any{"external_gateway_info": map[string]any{"network_id": top.net}}})
	set := e.ok(t, 200, "PUT", base, e.member, map[string]any{"router": map[string]any{
		"external_gateway_info": map[string]any{"network_id": top.ext}}})["router"].(map[string]any)
	gw := set["external_gateway_info"].(map[string]any)
	ips := gw["external_fixed_ips"].([]any)
	if gw["network_id"] != top.ext || gw["enable_snat"] != true || len(ips) != 1 ||
		ips[0].(map[string]any)["subnet_id"] != top.extSub {
		t.Fatalf("gateway: %v", gw)
	}
	e.refused(t, 409, "RouterInUse", "", "DELETE", base, e.member, nil)
	e.ok(t, 200, "PUT", base, e.member, map[string]any{"router": map[string]any{"external_gateway_info": map[string]any{}}})
	if n := len(e.ok(t, 200, "GET", "/v2.0/ports?device_owner=network:router_gateway", e.admin, nil)["ports"].([]any)); n != 0 {
		t.Fatalf("%d gateway ports left after clearing the gateway", n)
	}
	out := e.ok(t, 200, "PUT", base+"/remove_router_interface", e.member, map[string]any{"subnet_id": top.sub})
	if out["port_id"] != info["port_id"] {
		t.Fatalf("removed interface: %v", out)
	}
	e.refused(t, 404, "RouterInterfaceNotFoundForSubnet", "Router "+top.router+" has no interface on subnet "+top.sub,
		"PUT", base+"/remove_router_interface", e.member, map[string]any{"subnet_id": top.sub})
	e.ok(t, 204, "DELETE", base, e.member, nil)
	e.refused(t, 404, "RouterNotFound", "Router "+top.router+" could not be found", "GET", base, e.member, nil)
}

func TestRouterExtraRoutes(t *testing.T) {
	e := start(t)
	top := e.l3(t)
	base := "/v2.0/routers/" + top.router
	e.ok(t, 200, "PUT", base+"/add_router_interface", e.member, map[string]any{"subnet_id": top.sub})
	route := map[string]any{"destination": "192.168.7.0/24", "nexthop": "10.5.5.9"}
	got := e.ok(t, 200, "PUT", base+"/add_extraroutes", e.member, map[string]any{"router": map[string]any{"routes": []any{route}}})
	if routes := got["router"].(map[string]any)["routes"].([]any); len(routes) != 1 || routes[0].(map[string]any)["nexthop"] != "10.5.5.9" {
		t.Fatalf("routes: %v", got)
	}
	e.refused(t, 400, "InvalidRoutes", "Invalid format for routes: [{'destination': '192.168.8.0/24', 'nexthop': '172.16.0.1'}], the nexthop is not connected with router",
		"PUT", base, e.member, map[string]any{"router": map[string]any{"routes": []any{map[string]any{"destination": "192.168.8.0/24", "nexthop": "172.16.0.1"}}}})
	e.refused(t, 409, "RouterInterfaceInUseByRoute", "", "PUT", base+"/remove_router_interface", e.member, map[string]any{"subnet_id": top.sub})
	e.ok(t, 200, "PUT", base+"/remove_extraroutes", e.member, map[string]any{"router": map[string]any{"routes": []any{route}}})
	e.ok(t, 200, "PUT", base+"/remove_router_interface", e.member, map[string]any{"subnet_id": top.sub})
}

func TestFloatingIPAssociation(t *testing.T) {
	e := start(t)
	top := e.l3(t)
	base := "/v2.0/routers/" + top.router
	vm := e.ok(t, 201, "POST", "/v2.0/ports", e.member, map[string]any{"port": map[string]any{"network_id": top.net, "device_owner": "compute:nova"}})["port"].(map[string]any)
	vmID := vm["id"].(string)
	fip := e.ok(t, 201, "POST", "/v2.0/floatingips", e.member, map[string]any{"floatingip": map[string]any{
		"floating_network_id": top.ext, "subnet_id": top.extSub}})["floatingip"].(map[string]any)
	fipPath := "/v2.0/floatingips/" + fip["id"].(string)
	if fip["status"] != "DOWN" || fip["port_id"] != nil || fip["router_id"] != nil || fip["floating_ip_address"] == nil {
		t.Fatalf("new floating IP: %v", fip)
	}
	assoc := map[string]any{"floatingip": map[string]any{"port_id": vmID}}
	e.refused(t, 404, "ExternalGatewayForFloatingIPNotFound", "External network "+top.ext+" is not reachable from subnet "+top.sub+
		".  Therefore, cannot associate Port "+vmID+" with a Floating IP.", "PUT", fipPath, e.member, assoc)
	e.ok(t, 200, "PUT", base+"/add_router_interface", e.member, map[string]any{"subnet_id": top.sub})
	e.refused(t, 404, "ExternalGatewayForFloatingIPNotFound", "", "PUT", fipPath, e.member, assoc)
	e.ok(t, 200, "PUT", base, e.member, map[string]any{"router": map[string]any{"external_gateway_info": map[string]any{"network_id": top.ext}}})
	got := e.ok(t, 200, "PUT", fipPath, e.member, assoc)["floatingip"].(map[string]any)
	fixed := vm["fixed_ips"].([]any)[0].(map[string]any)["ip_address"]
	details, _ := got["port_details"].(map[string]any)
	if got["router_id"] != top.router || got["port_id"] != vmID || got["fixed_ip_address"] != fixed || details["device_owner"] != "compute:nova" {
		t.Fatalf("associated: %v", got)
	}
	second := e.ok(t, 201, "POST", "/v2.0/floatingips", e.member, map[string]any{"floatingip": map[string]any{"floating_network_id": top.ext}})["floatingip"].(map[string]any)
	e.refused(t, 409, "FloatingIPPortAlreadyAssociated", "", "PUT", "/v2.0/floatingips/"+second["id"].(string), e.member, assoc)
	e.refused(t, 409, "RouterInterfaceInUseByFloatingIP", "", "PUT", base+"/remove_router_interface", e.member, map[string]any{"subnet_id": top.sub})
	e.refused(t, 409, "RouterExternalGatewayInUseByFloatingIp", "", "PUT", base, e.member, map[string]any{"router": map[string]any{"external_gateway_info": nil}})
	e.refused(t, 400, "BadRequest", "Bad floatingip request: Network "+top.net+" is not a valid external network.",
		"POST", "/v2.0/floatingips", e.member, map[string]any{"floatingip": map[string]any{"floating_network_id": top.net}})
	e.ok(t, 204, "DELETE", "/v2.0/ports/"+vmID, e.member, nil)
	freed := e.ok(t, 200, "GET", fipPath, e.member, nil)["floatingip"].(map[string]any)
	if freed["port_id"] != nil || freed["router_id"] != nil || freed["fixed_ip_address"] != nil {
		t.Fatalf("floating IP of a deleted port: %v", freed)
	}
	for _, id := range []any{fip["id"], second["id"]} {
		e.ok(t, 204, "DELETE", "/v2.0/floatingips/"+id.(string), e.member, nil)
	}
	e.ok(t, 200, "PUT", base, e.member, map[string]any{"router": map[string]any{"external_gateway_info": nil}})
	e.ok(t, 200, "PUT", base+"/remove_router_interface", e.member, map[string]any{"subnet_id": top.sub})
	e.ok(t, 204, "DELETE", base, e.member, nil)
	e.ok(t, 204, "DELETE", "/v2.0/networks/"+top.ext, e.admin, nil)
}

func TestExternalNetworkDeleteTakesFreeFloatingIPs(t *testing.T) {
	e := start(t)
	top := e.l3(t)
	fip := e.ok(t, 201, "POST", "/v2.0/floatingips", e.member, map[string]any{"floatingip": map[string]any{"floating_network_id": top.ext}})["floatingip"].(map[string]any)
	e.ok(t, 204, "DELETE", "/v2.0/networks/"+top.ext, e.admin, nil)
	e.refused(t, 404, "FloatingIPNotFound", "", "GET", "/v2.0/floatingips/"+fip["id"].(string), e.member, nil)
}
