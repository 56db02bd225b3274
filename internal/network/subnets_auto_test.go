package network_test

import (
	"testing"
)

// addressesOn are a port's fixed IPs on subnet.
func addressesOn(p map[string]any, subnet string) []string {
	var out []string
	for _, f := range p["fixed_ips"].([]any) {
		if m := f.(map[string]any); m["subnet_id"] == subnet {
			out = append(out, m["ip_address"].(string))
		}
	}
	return out
}

// A SLAAC subnet added to a network gives the ports already there their
// EUI-64 address (router interfaces aside); deleting it takes the
// addresses back, unless a router interface is on it.
func TestAutoAddressSubnetLifecycle(t *testing.T) {
	e := start(t)
	net := e.createNet(t, e.member, map[string]any{"name": "n"})["id"].(string)
	v4 := e.createSubnet(t, e.member, map[string]any{"network_id": net, "ip_version": 4, "cidr": "10.9.0.0/24"})["id"].(string)
	vm := e.createPort(t, e.member, map[string]any{"network_id": net, "mac_address": "fa:16:3e:11:22:33"})
	router := e.ok(t, 201, "POST", "/v2.0/routers", e.member, map[string]any{"router": map[string]any{"name": "r"}})["router"].(map[string]any)["id"].(string)
	e.ok(t, 200, "PUT", "/v2.0/routers/"+router+"/add_router_interface", e.member, map[string]any{"subnet_id": v4})

	v6 := e.createSubnet(t, e.member, map[string]any{"network_id": net, "ip_version": 6, "cidr": "2001:db8:1::/64",
		"ipv6_ra_mode": "slaac", "ipv6_address_mode": "slaac"})["id"].(string)
	got := e.ok(t, 200, "GET", "/v2.0/ports/"+vm["id"].(string), e.member, nil)["port"].(map[string]any)
	if a := addressesOn(got, v6); len(a) != 1 || a[0] != "2001:db8:1:0:f816:3eff:fe11:2233" {
		t.Fatalf("port's SLAAC addresses %v: %v", a, got["fixed_ips"])
	}
	if got["revision_number"].(float64) <= vm["revision_number"].(float64) {
		t.Fatalf("revision did not move: %v", got["revision_number"])
	}
	ifaces := e.ok(t, 200, "GET", "/v2.0/ports?device_owner=network:router_interface", e.member, nil)["ports"].([]any)
	if len(ifaces) != 1 || len(addressesOn(ifaces[0].(map[string]any), v6)) != 0 {
		t.Fatalf("router interface took a SLAAC address: %v", ifaces)
	}

	e.ok(t, 204, "DELETE", "/v2.0/subnets/"+v6, e.member, nil)
	got = e.ok(t, 200, "GET", "/v2.0/ports/"+vm["id"].(string), e.member, nil)["port"].(map[string]any)
	if len(got["fixed_ips"].([]any)) != 1 || len(addressesOn(got, v4)) != 1 {
		t.Fatalf("port after the SLAAC subnet went: %v", got["fixed_ips"])
	}

	// A router interface on an automatic subnet keeps it.
	v6b := e.createSubnet(t, e.member, map[string]any{"network_id": net, "ip_version": 6, "cidr": "2001:db8:2::/64",
		"ipv6_ra_mode": "slaac", "ipv6_address_mode": "slaac"})["id"].(string)
	e.ok(t, 200, "PUT", "/v2.0/routers/"+router+"/add_router_interface", e.member, map[string]any{"subnet_id": v6b})
	e.refused(t, 409, "SubnetInUse", "Unable to complete operation on subnet "+v6b+": One or more ports have an IP allocation from this subnet.",
		"DELETE", "/v2.0/subnets/"+v6b, e.member, nil)
	got = e.ok(t, 200, "GET", "/v2.0/ports/"+vm["id"].(string), e.member, nil)["port"].(map[string]any)
	if len(addressesOn(got, v6b)) != 1 {
		t.Fatalf("refused delete changed the port: %v", got["fixed_ips"])
	}
}

// A DHCP-enabled IPv4 subnet added after a DHCP-enabled SLAAC one: the
// DHCP port keeps its automatic address and takes one on the new subnet
// (the sync used to ask for the automatic address directly, refused).
func TestSubnetAfterAutoAddressSubnet(t *testing.T) {
	e := start(t)
	net := e.createNet(t, e.member, map[string]any{"name": "n"})["id"].(string)
	v6 := e.createSubnet(t, e.member, map[string]any{"network_id": net, "ip_version": 6, "cidr": "2001:db8::/64",
		"ipv6_ra_mode": "slaac", "ipv6_address_mode": "slaac"})["id"].(string)
	v4 := e.createSubnet(t, e.member, map[string]any{"network_id": net, "ip_version": 4, "cidr": "10.8.0.0/24"})["id"].(string)
	dhcp := e.ok(t, 200, "GET", "/v2.0/ports?device_owner=network:dhcp&network_id="+net, e.admin, nil)["ports"].([]any)
	if len(dhcp) != 1 || len(addressesOn(dhcp[0].(map[string]any), v6)) != 1 || len(addressesOn(dhcp[0].(map[string]any), v4)) != 1 {
		t.Fatalf("DHCP port: %v", dhcp)
	}
}
