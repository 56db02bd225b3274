package network_test

import (
	"fmt"
	"testing"
)

func TestAddressGroups(t *testing.T) {
	e := start(t)
	ag := e.ok(t, 201, "POST", "/v2.0/address-groups", e.member, map[string]any{"address_group": map[string]any{
		"name": "ag", "addresses": []any{"10.0.0.5/24", "2001:db8::/64"}}})["address_group"].(map[string]any)
	id := ag["id"].(string)
	if fmt.Sprint(ag["addresses"]) != "[10.0.0.0/24 2001:db8::/64]" || ag["project_id"] != e.alpha || ag["revision_number"] != float64(2) {
		t.Fatalf("created: %v", ag)
	}
	path := "/v2.0/address-groups/" + id
	got := e.ok(t, 200, "PUT", path+"/add_addresses", e.member, map[string]any{"addresses": []any{"192.168.1.0/24"}})["address_group"].(map[string]any)
	if fmt.Sprint(got["addresses"]) != "[10.0.0.0/24 192.168.1.0/24 2001:db8::/64]" {
		t.Fatalf("added: %v", got)
	}
	e.refused(t, 400, "AddressesAlreadyExist", "Addresses ['10.0.0.0/24'] already exist in the address group "+id+".",
		"PUT", path+"/add_addresses", e.member, map[string]any{"addresses": []any{"10.0.0.0/24"}})
	e.refused(t, 404, "AddressesNotFound", "Addresses ['172.16.0.0/16'] not found in the address group "+id+".",
		"PUT", path+"/remove_addresses", e.member, map[string]any{"addresses": []any{"172.16.0.0/16"}})
	e.refused(t, 400, "HTTPBadRequest", "Invalid input for addresses. Reason: '10.0.0.1' isn't a recognized IP subnet cidr, '10.0.0.1/32' is recommended.",
		"POST", "/v2.0/address-groups", e.member, map[string]any{"address_group": map[string]any{"addresses": []any{"10.0.0.1"}}})
	got = e.ok(t, 200, "PUT", path+"/remove_addresses", e.member, map[string]any{"addresses": []any{"2001:db8::/64"}})["address_group"].(map[string]any)
	if fmt.Sprint(got["addresses"]) != "[10.0.0.0/24 192.168.1.0/24]" {
		t.Fatalf("removed: %v", got)
	}
	e.ok(t, 200, "PUT", path, e.member, map[string]any{"address_group": map[string]any{"description": "d"}})
	sg := e.createGroup(t, e.member, map[string]any{"name": "uses-ag"})["id"].(string)
	r := e.createRule(t, e.member, map[string]any{"security_group_id": sg, "direction": "ingress", "remote_address_group_id": id})
	beta, _ := e.project(t, "beta", "member")
	e.refused(t, 404, "AddressGroupNotFound", "Address group "+id+" could not be found.", "GET", path, beta, nil)
	if list := e.ok(t, 200, "GET", "/v2.0/address-groups", beta, nil)["address_groups"].([]any); len(list) != 0 {
		t.Fatalf("beta lists: %v", list)
	}
	e.refused(t, 409, "AddressGroupInUse", "Address group "+id+" is in use on one or more security group rules.", "DELETE", path, e.member, nil)
	e.ok(t, 204, "DELETE", "/v2.0/security-group-rules/"+r["id"].(string), e.member, nil)
	e.ok(t, 204, "DELETE", path, e.member, nil)
}
