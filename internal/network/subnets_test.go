package network_test

import (
	"strings"
	"testing"
)

// createSubnet creates a subnet as token and returns it.
func (e *env) createSubnet(t testing.TB, token string, attrs map[string]any) map[string]any {
	t.Helper()
	return e.ok(t, 201, "POST", "/v2.0/subnets", token, map[string]any{"subnet": attrs})["subnet"].(map[string]any)
}

func TestSubnetDefaultsAndDHCPPort(t *testing.T) {
	e := start(t)
	n := e.createNet(t, e.member, map[string]any{"name": "intnet"})
	sub := e.createSubnet(t, e.member, map[string]any{"name": "subnet1", "network_id": n["id"], "ip_version": 4,
		"cidr": "10.5.5.0/24", "dns_nameservers": []any{"8.8.8.8"}})
	pools := sub["allocation_pools"].([]any)
	if len(pools) != 1 || pools[0].(map[string]any)["start"] != "10.5.5.2" || pools[0].(map[string]any)["end"] != "10.5.5.254" {
		t.Fatalf("pools %v", pools)
	}
	if sub["gateway_ip"] != "10.5.5.1" || sub["enable_dhcp"] != true || sub["dns_nameservers"].([]any)[0] != "8.8.8.8" {
		t.Fatalf("subnet %v", sub)
	}
	got := e.ok(t, 200, "GET", "/v2.0/networks/"+n["id"].(string), e.member, nil)["network"].(map[string]any)
	if s := got["subnets"].([]any); len(s) != 1 || s[0] != sub["id"] {
		t.Fatalf("network subnets %v", s)
	}
	ports := e.ok(t, 200, "GET", "/v2.0/ports?device_owner=network:dhcp&network_id="+n["id"].(string), e.admin, nil)["ports"].([]any)
	if len(ports) != 1 {
		t.Fatalf("dhcp ports %v", ports)
	}
	ip := ports[0].(map[string]any)["fixed_ips"].([]any)[0].(map[string]any)["ip_address"]
	if ip != "10.5.5.2" {
		t.Fatalf("dhcp port address %v", ip)
	}
	// Turning DHCP off gives the address back; the port goes with it.
	e.ok(t, 200, "PUT", "/v2.0/subnets/"+sub["id"].(string), e.member, map[string]any{"subnet": map[string]any{"enable_dhcp": false}})
	ports = e.ok(t, 200, "GET", "/v2.0/ports?device_owner=network:dhcp", e.admin, nil)["ports"].([]any)
	if len(ports) != 0 {
		t.Fatalf("dhcp port kept: %v", ports)
	}
	e.ok(t, 204, "DELETE", "/v2.0/subnets/"+sub["id"].(string), e.member, nil)
	e.refused(t, 404, "SubnetNotFound", "Subnet "+sub["id"].(string)+" could not be found.", "GET", "/v2.0/subnets/"+sub["id"].(string), e.member, nil)
}

func TestSubnetBadInput(t *testing.T) {
	e := start(t)
	n := e.createNet(t, e.member, map[string]any{"name": "net"})
	base := func(extra map[string]any) map[string]any {
		m := map[string]any{"network_id": n["id"], "ip_version": 4, "cidr": "10.0.0.0/24"}
		for k, v := range extra {
			m[k] = v
		}
		return map[string]any{"subnet": m}
	}
	cases := []struct {
		name, typ, msg string
		body           map[string]any
	}{
		{"pool out of bounds", "OutOfBoundsAllocationPool", "The allocation pool 10.0.1.10-10.0.1.20 spans beyond the subnet cidr 10.0.0.0/24.",
			base(map[string]any{"allocation_pools": []any{map[string]any{"start": "10.0.1.10", "end": "10.0.1.20"}}})},
		{"gateway is the broadcast address", "InvalidInput", "Invalid input for operation: Gateway is not valid on subnet.",
			base(map[string]any{"gateway_ip": "10.0.0.255"})},
		{"gateway of the other version", "InvalidInput", "Invalid input for operation: gateway_ip 'fe80::1' does not match the ip_version '4'.",
			base(map[string]any{"gateway_ip": "fe80::1"})},
		{"bad cidr", "InvalidInput", "Invalid input for operation: 10.0.0.0/33 is not in a CIDR format.",
			base(map[string]any{"cidr": "10.0.0.0/33"})},
		{"no network", "HTTPBadRequest", "Failed to parse request. Required attribute 'network_id' not specified",
			map[string]any{"subnet": map[string]any{"ip_version": 4, "cidr": "10.0.0.0/24"}}},
		{"ip version", "HTTPBadRequest", "Invalid input for ip_version. Reason: 5 is not in [4, 6].",
			base(map[string]any{"ip_version": 5})},
		{"service type", "InvalidSubnetServiceType", "Subnet service type foo:bar does not correspond to a valid device owner.",
			base(map[string]any{"service_types": []any{"foo:bar"}})},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.refused(t, 400, c.typ, c.msg, "POST", "/v2.0/subnets", e.admin, c.body)
		})
	}
	e.refused(t, 409, "OverlappingAllocationPools", "Found overlapping allocation pools: 10.0.0.10-10.0.0.20 10.0.0.15-10.0.0.30 for subnet 10.0.0.0/24.",
		"POST", "/v2.0/subnets", e.member, base(map[string]any{"allocation_pools": []any{map[string]any{"start": "10.0.0.10", "end": "10.0.0.20"},
			map[string]any{"start": "10.0.0.15", "end": "10.0.0.30"}}}))
	e.createSubnet(t, e.member, map[string]any{"network_id": n["id"], "ip_version": 4, "cidr": "10.0.0.0/24"})
	e.refused(t, 400, "InvalidInput", "Invalid input for operation: Requested subnet with cidr: 10.0.0.128/25 for network: "+n["id"].(string)+" overlaps with another subnet.",
		"POST", "/v2.0/subnets", e.member, base(map[string]any{"cidr": "10.0.0.128/25"}))
	other, _ := e.project(t, "beta", "member")
	e.refused(t, 404, "NetworkNotFound", "Network "+n["id"].(string)+" could not be found.", "POST", "/v2.0/subnets", other, base(map[string]any{"cidr": "10.9.0.0/24"}))
}

func TestSubnetInUseAndNetworkInUse(t *testing.T) {
	e := start(t)
	n := e.createNet(t, e.member, map[string]any{"name": "net"})
	sub := e.createSubnet(t, e.member, map[string]any{"network_id": n["id"], "ip_version": 4, "cidr": "10.1.0.0/24"})
	p := e.ok(t, 201, "POST", "/v2.0/ports", e.member, map[string]any{"port": map[string]any{"network_id": n["id"]}})["port"].(map[string]any)
	e.refused(t, 409, "SubnetInUse", "Unable to complete operation on subnet "+sub["id"].(string)+": One or more ports have an IP allocation from this subnet.",
		"DELETE", "/v2.0/subnets/"+sub["id"].(string), e.member, nil)
	e.refused(t, 409, "NetworkInUse", "Unable to complete operation on network "+n["id"].(string)+". There are one or more ports still in use on the network, id for these ports is: "+p["id"].(string)+".",
		"DELETE", "/v2.0/networks/"+n["id"].(string), e.member, nil)
	e.ok(t, 204, "DELETE", "/v2.0/ports/"+p["id"].(string), e.member, nil)
	// The DHCP port and the subnet go with the network.
	e.ok(t, 204, "DELETE", "/v2.0/networks/"+n["id"].(string), e.member, nil)
	if left := e.ok(t, 200, "GET", "/v2.0/ports", e.admin, nil)["ports"].([]any); len(left) != 0 {
		t.Fatalf("ports left: %v", left)
	}
	if left := e.ok(t, 200, "GET", "/v2.0/subnets", e.admin, nil)["subnets"].([]any); len(left) != 0 {
		t.Fatalf("subnets left: %v", left)
	}
	_ = strings.ToLower
}
