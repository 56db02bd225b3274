package network_test

import (
	"fmt"
	"testing"

	"github.com/monostack/monostack/internal/network"
)

// trunkNet is a network with a subnet and n ports of token's, by id.
func (e *env) trunkNet(t *testing.T, token string, attrs map[string]any, cidr string, n int) (string, []string) {
	t.Helper()
	net := e.createNet(t, token, attrs)
	e.createSubnet(t, token, map[string]any{"network_id": net["id"], "ip_version": 4, "cidr": cidr})
	ids := make([]string, n)
	for i := range ids {
		ids[i] = e.createPort(t, token, map[string]any{"network_id": net["id"]})["id"].(string)
	}
	return net["id"].(string), ids
}

func sub(id string, segID any) map[string]any {
	return map[string]any{"port_id": id, "segmentation_type": "vlan", "segmentation_id": segID}
}

func (e *env) createTrunk(t *testing.T, token string, attrs map[string]any) map[string]any {
	t.Helper()
	return e.ok(t, 201, "POST", "/v2.0/trunks", token, map[string]any{"trunk": attrs})["trunk"].(map[string]any)
}

func (e *env) portOwner(t *testing.T, id string) string {
	t.Helper()
	p := e.ok(t, 200, "GET", "/v2.0/ports/"+id, e.admin, nil)["port"].(map[string]any)
	return p["device_owner"].(string) + "|" + p["device_id"].(string)
}

func TestTrunkLifecycle(t *testing.T) {
	e := start(t)
	_, p := e.trunkNet(t, e.member, map[string]any{"name": "n"}, "10.9.0.0/24", 3)
	tr := e.createTrunk(t, e.member, map[string]any{"name": "t", "port_id": p[0], "sub_ports": []any{sub(p[1], 100)}})
	id := tr["id"].(string)
	if tr["status"] != "DOWN" || tr["admin_state_up"] != true || tr["project_id"] != e.alpha || tr["revision_number"] != float64(0) ||
		fmt.Sprint(tr["sub_ports"]) != fmt.Sprintf("[map[port_id:%s segmentation_id:100 segmentation_type:vlan]]", p[1]) {
		t.Fatalf("created: %v", tr)
	}
	if got := e.portOwner(t, p[1]); got != "trunk:subport|" {
		t.Fatalf("subport owner %q", got)
	}
	path := "/v2.0/trunks/" + id
	added := e.ok(t, 200, "PUT", path+"/add_subports", e.member, map[string]any{"sub_ports": []any{sub(p[2], "200")}})
	if added["id"] != id || len(added["sub_ports"].([]any)) != 2 || added["revision_number"] != float64(1) {
		t.Fatalf("add_subports answers the trunk itself: %v", added)
	}
	parent := e.ok(t, 200, "GET", "/v2.0/ports/"+p[0], e.member, nil)["port"].(map[string]any)
	details := parent["trunk_details"].(map[string]any)
	mac := e.ok(t, 200, "GET", "/v2.0/ports/"+p[2], e.member, nil)["port"].(map[string]any)["mac_address"]
	if details["trunk_id"] != id || fmt.Sprint(details["sub_ports"].([]any)[1]) !=
		fmt.Sprintf("map[mac_address:%s port_id:%s segmentation_id:200 segmentation_type:vlan]", mac, p[2]) {
		t.Fatalf("trunk_details: %v", details)
	}
	if _, ok := e.ok(t, 200, "GET", "/v2.0/ports/"+p[1], e.member, nil)["port"].(map[string]any)["trunk_details"]; ok {
		t.Fatal("a subport shows trunk_details")
	}
	if subs := e.ok(t, 200, "GET", path+"/get_subports", e.member, nil)["sub_ports"].([]any); len(subs) != 2 {
		t.Fatalf("get_subports: %v", subs)
	}
	e.refused(t, 409, "PortInUseAsTrunkParent", "Port "+p[0]+" is currently a parent port for trunk "+id+".", "DELETE", "/v2.0/ports/"+p[0], e.member, nil)
	e.refused(t, 409, "PortInUseAsSubPort", "Port "+p[1]+" is currently a subport for trunk "+id+".", "DELETE", "/v2.0/ports/"+p[1], e.member, nil)
	removed := e.ok(t, 200, "PUT", path+"/remove_subports", e.member, map[string]any{"sub_ports": []any{map[string]any{"port_id": p[1]}}})
	if len(removed["sub_ports"].([]any)) != 1 || e.portOwner(t, p[1]) != "|" {
		t.Fatalf("removed: %v", removed)
	}
	upd := e.ok(t, 200, "PUT", path, e.member, map[string]any{"trunk": map[string]any{"name": "t2", "description": "d"}}, "If-Match", "revision_number=2")["trunk"].(map[string]any)
	if upd["name"] != "t2" || upd["revision_number"] != float64(3) {
		t.Fatalf("updated: %v", upd)
	}
	e.ok(t, 201, "PUT", path+"/tags/blue", e.member, nil)
	if l := e.ok(t, 200, "GET", "/v2.0/trunks?tags=blue&port_id="+p[0], e.member, nil)["trunks"].([]any); len(l) != 1 {
		t.Fatalf("list: %v", l)
	}
	beta, _ := e.project(t, "beta", "member")
	e.refused(t, 404, "TrunkNotFound", "Trunk "+id+" could not be found.", "GET", path, beta, nil)
	e.refused(t, 404, "TrunkNotFound", "Trunk "+id+" could not be found.", "PUT", path+"/add_subports", beta, map[string]any{"sub_ports": []any{}})
	if l := e.ok(t, 200, "GET", "/v2.0/trunks", beta, nil)["trunks"].([]any); len(l) != 0 {
		t.Fatalf("beta lists %v", l)
	}
	e.ok(t, 204, "DELETE", path, e.member, nil)
	if e.portOwner(t, p[2]) != "|" {
		t.Fatal("a deleted trunk's subport keeps its owner")
	}
	if _, ok := e.ok(t, 200, "GET", "/v2.0/ports/"+p[0], e.member, nil)["port"].(map[string]any)["trunk_details"]; ok {
		t.Fatal("trunk_details outlive the trunk")
	}
	e.ok(t, 204, "DELETE", "/v2.0/ports/"+p[0], e.member, nil)
}

func TestTrunkStatusFollowsParent(t *testing.T) {
	e := start(t)
	_, p := e.trunkNet(t, e.member, map[string]any{"name": "n"}, "10.9.0.0/24", 2)
	id := e.createTrunk(t, e.member, map[string]any{"port_id": p[0], "sub_ports": []any{sub(p[1], 7)}})["id"].(string)
	status := func() string {
		return e.ok(t, 200, "GET", "/v2.0/trunks/"+id, e.member, nil)["trunk"].(map[string]any)["status"].(string)
	}
	bind := func(host, device string) {
		e.ok(t, 200, "PUT", "/v2.0/ports/"+p[0], e.admin, map[string]any{"port": map[string]any{
			"binding:host_id": host, "device_id": device, "device_owner": "compute:nova"}})
	}
	bind("host1", "vm-1")
	if s := status(); s != "ACTIVE" {
		t.Fatalf("bound parent: trunk %s", s)
	}
	e.refused(t, 409, "TrunkInUse", "Trunk "+id+" is currently in use.", "DELETE", "/v2.0/trunks/"+id, e.member, nil)
	bind("", "")
	if s := status(); s != "DOWN" {
		t.Fatalf("unbound parent: trunk %s", s)
	}
	e.ok(t, 200, "PUT", "/v2.0/trunks/"+id, e.member, map[string]any{"trunk": map[string]any{"admin_state_up": false}})
	e.refused(t, 409, "TrunkDisabled", "Trunk "+id+" is currently disabled.", "DELETE", "/v2.0/trunks/"+id, e.member, nil)
	e.refused(t, 409, "TrunkDisabled", "Trunk "+id+" is currently disabled.", "PUT", "/v2.0/trunks/"+id+"/remove_subports", e.member,
		map[string]any{"sub_ports": []any{map[string]any{"port_id": p[1]}}})
}

func TestTrunkValidation(t *testing.T) {
	e := start(t, func(o *network.Options) { o.VLANRanges = []string{"physnet1:1:100"} })
	_, p := e.trunkNet(t, e.member, map[string]any{"name": "n"}, "10.9.0.0/24", 8)
	_, small := e.trunkNet(t, e.member, map[string]any{"name": "small", "mtu": 1400}, "10.8.0.0/24", 1)
	_, vp := e.trunkNet(t, e.admin, map[string]any{"name": "v", "provider:network_type": "vlan",
		"provider:physical_network": "physnet1", "provider:segmentation_id": 42, "project_id": e.alpha}, "10.7.0.0/24", 2)
	tr := e.createTrunk(t, e.member, map[string]any{"port_id": p[0], "sub_ports": []any{sub(p[1], 100)}})
	tid := tr["id"].(string)
	e.ok(t, 200, "PUT", "/v2.0/ports/"+p[2], e.admin, map[string]any{"port": map[string]any{"device_id": "vm-9"}})
	e.ok(t, 200, "PUT", "/v2.0/ports/"+p[3], e.admin, map[string]any{"port": map[string]any{"binding:host_id": "host1"}})
	beta, _ := e.project(t, "beta", "member")
	_, bp := e.trunkNet(t, beta, map[string]any{"name": "b"}, "10.6.0.0/24", 1)
	missing := "00000000-0000-4000-8000-999999999999"
	create := func(parent string, subs ...any) map[string]any {
		if subs == nil {
			subs = []any{}
		}
		return map[string]any{"trunk": map[string]any{"port_id": parent, "sub_ports": subs}}
	}
	add := func(subs ...any) map[string]any { return map[string]any{"sub_ports": subs} }
	addPath := "/v2.0/trunks/" + tid + "/add_subports"
	for _, c := range []struct {
		name, method, path string
		body               any
		status             int
		typ, msg           string
	}{
		{"parent already a parent", "POST", "/v2.0/trunks", create(p[0]), 409, "ParentPortInUse",
			"Port " + p[0] + " is currently in use and is not eligible for use as a parent port."},
		{"parent is a subport", "POST", "/v2.0/trunks", create(p[1]), 409, "TrunkPortInUse", "Port " + p[1] + " is in use by another trunk."},
		{"parent bound", "POST", "/v2.0/trunks", create(p[3]), 409, "ParentPortInUse",
			"Port " + p[3] + " is currently in use and is not eligible for use as a parent port."},
		{"parent missing", "POST", "/v2.0/trunks", create(missing), 404, "PortNotFound", "Port " + missing + " could not be found."},
		{"parent of another project", "POST", "/v2.0/trunks", create(bp[0]), 404, "PortNotFound", "Port " + bp[0] + " could not be found."},
		{"subport already a subport", "POST", "/v2.0/trunks", create(p[4], sub(p[1], 5)), 409, "TrunkPortInUse", "Port " + p[1] + " is in use by another trunk."},
		{"subport is a parent", "PUT", addPath, add(sub(p[0], 5)), 409, "ParentPortInUse",
			"Port " + p[0] + " is currently in use and is not eligible for use as a parent port."},
		{"subport is another trunk's parent", "POST", "/v2.0/trunks", create(p[4], sub(p[0], 5)), 409, "ParentPortInUse",
			"Port " + p[0] + " is currently in use and is not eligible for use as a parent port."},
		{"subport has a device", "PUT", addPath, add(sub(p[2], 5)), 409, "PortInUse",
			"Unable to complete operation on port " + p[2] + " for network " + e.portNet(t, p[2]) + ". Port already has an attached device vm-9."},
		{"subport missing", "PUT", addPath, add(sub(missing, 5)), 404, "PortNotFound", "Port " + missing + " could not be found."},
		{"segmentation in use", "PUT", addPath, add(sub(p[4], 100)), 409, "DuplicateSubPort",
			"segmentation_type vlan and segmentation_id 100 already in use on trunk " + tid + "."},
		{"duplicate segmentation in request", "POST", "/v2.0/trunks", create(p[4], sub(p[5], 7), sub(p[6], 7)), 400, "HTTPBadRequest",
			"Invalid input for sub_ports. Reason: Segmentation ID '7' for '" + p[6] + "' is not unique."},
		{"duplicate subport", "PUT", addPath, add(sub(p[5], 7), sub(p[5], 8)), 400, "InvalidInput",
			"Invalid input for operation: Non unique UUID for subport: '" + p[5] + "'."},
		{"out of range", "PUT", addPath, add(sub(p[5], 4095)), 400, "InvalidInput", "Invalid input for operation: Segmentation ID '4095' is not in range."},
		{"not an integer", "PUT", addPath, add(sub(p[5], "x")), 400, "InvalidInput",
			"Invalid input for operation: Invalid subport details: segmentation_id 'x' is not an integer."},
		{"unknown type", "PUT", addPath, add(map[string]any{"port_id": p[5], "segmentation_type": "vxlan", "segmentation_id": 5}), 400, "InvalidInput",
			"Invalid input for operation: Unknown segmentation_type 'vxlan'."},
		{"inherit from vxlan", "PUT", addPath, add(map[string]any{"port_id": p[5], "segmentation_type": "inherit"}), 400, "InvalidInput",
			"Invalid input for operation: Unknown segmentation_type 'vxlan'."},
		{"no segmentation", "PUT", addPath, add(map[string]any{"port_id": p[5]}), 400, "InvalidInput",
			"Invalid input for operation: Invalid subport details '{'port_id': '" + p[5] + "'}': missing segmentation information. Must specify both segmentation_id and segmentation_type."},
		{"bad uuid", "POST", "/v2.0/trunks", create(p[4], sub("nope", 5)), 400, "HTTPBadRequest", "Invalid input for sub_ports. Reason: Invalid UUID for subport: 'nope'."},
		{"mtu above parent's", "POST", "/v2.0/trunks", create(small[0], sub(p[5], 5)), 409, "SubPortMtuGreaterThanTrunkPortMtu",
			"MTU 1450 of subport " + p[5] + " cannot be greater than MTU 1400 of trunk " + small[0] + "."},
		{"remove a port not on the trunk", "PUT", "/v2.0/trunks/" + tid + "/remove_subports", add(map[string]any{"port_id": p[5]}), 404, "SubPortNotFound",
			"SubPort " + p[5] + " on trunk " + tid + " could not be found."},
		{"no parent", "POST", "/v2.0/trunks", map[string]any{"trunk": map[string]any{}}, 400, "HTTPBadRequest",
			"Failed to parse request. Required attribute 'port_id' not specified"},
	} {
		t.Run(c.name, func(t *testing.T) { e.refused(t, c.status, c.typ, c.msg, c.method, c.path, e.member, c.body) })
	}
	got := e.createTrunk(t, e.member, map[string]any{"port_id": vp[0], "sub_ports": []any{map[string]any{"port_id": vp[1], "segmentation_type": "inherit"}}})
	if s := got["sub_ports"].([]any)[0].(map[string]any); s["segmentation_id"] != float64(42) || s["segmentation_type"] != "vlan" {
		t.Fatalf("inherit: %v", got)
	}
}

func (e *env) portNet(t *testing.T, id string) string {
	return e.ok(t, 200, "GET", "/v2.0/ports/"+id, e.admin, nil)["port"].(map[string]any)["network_id"].(string)
}
