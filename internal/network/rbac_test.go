package network_test

import (
	"reflect"
	"testing"
)

// rbac creates an RBAC policy as token and returns it.
func (e *env) rbac(t testing.TB, token, objectType, objectID, action, target string) map[string]any {
	t.Helper()
	return e.ok(t, 201, "POST", "/v2.0/rbac-policies", token, map[string]any{"rbac_policy": map[string]any{
		"object_type": objectType, "object_id": objectID, "action": action, "target_tenant": target}})["rbac_policy"].(map[string]any)
}

// netIDs are the ids of the networks token lists.
func (e *env) netIDs(t testing.TB, token string) []string {
	t.Helper()
	var out []string
	for _, n := range e.ok(t, 200, "GET", "/v2.0/networks", token, nil)["networks"].([]any) {
		out = append(out, n.(map[string]any)["id"].(string))
	}
	return out
}

func TestRBACNetworkSharedWithProject(t *testing.T) {
	e := start(t)
	beta, betaID := e.project(t, "beta", "member")
	net := e.createNet(t, e.member, map[string]any{"name": "a"})
	id := net["id"].(string)
	e.createSubnet(t, e.member, map[string]any{"network_id": id, "ip_version": 4, "cidr": "10.9.0.0/24"})
	e.refused(t, 404, "NetworkNotFound", "Network "+id+" could not be found.", "GET", "/v2.0/networks/"+id, beta, nil)

	p := e.rbac(t, e.member, "network", id, "access_as_shared", betaID)
	want := map[string]any{"id": p["id"], "project_id": e.alpha, "tenant_id": e.alpha, "object_type": "network",
		"object_id": id, "action": "access_as_shared", "target_tenant": betaID}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("policy %v, want %v", p, want)
	}
	if ids := e.netIDs(t, beta); len(ids) != 1 || ids[0] != id {
		t.Fatalf("beta lists %v", ids)
	}
	if n := e.ok(t, 200, "GET", "/v2.0/networks/"+id, beta, nil)["network"].(map[string]any); n["shared"] != true {
		t.Fatalf("beta sees shared %v", n["shared"])
	}
	if n := e.ok(t, 200, "GET", "/v2.0/networks/"+id, e.member, nil)["network"].(map[string]any); n["shared"] != false {
		t.Fatalf("owner sees shared %v", n["shared"])
	}
	if subs := e.ok(t, 200, "GET", "/v2.0/subnets", beta, nil)["subnets"].([]any); len(subs) != 1 {
		t.Fatalf("beta sees %d subnets", len(subs))
	}
	port := e.createPort(t, beta, map[string]any{"network_id": id})
	pid := p["id"].(string)
	e.refused(t, 409, "RbacPolicyInUse", "RBAC policy on object "+id+" cannot be removed because other objects depend on it.\n"+
		"Details: Callback neutron.plugins.ml2.plugin.Ml2Plugin.validate_network_rbac_policy_change failed with "+
		"\"Unable to reconfigure sharing settings for network "+id+". Multiple tenants are using it.\"",
		"DELETE", "/v2.0/rbac-policies/"+pid, e.member, nil)
	_, gammaID := e.project(t, "gamma", "member")
	e.refused(t, 409, "RbacPolicyInUse", "", "PUT", "/v2.0/rbac-policies/"+pid, e.member,
		map[string]any{"rbac_policy": map[string]any{"target_tenant": gammaID}})
	e.ok(t, 204, "DELETE", "/v2.0/ports/"+port["id"].(string), beta, nil)
	e.ok(t, 204, "DELETE", "/v2.0/rbac-policies/"+pid, e.member, nil)
	if ids := e.netIDs(t, beta); len(ids) != 0 {
		t.Fatalf("beta still lists %v", ids)
	}
	e.refused(t, 404, "NetworkNotFound", "", "GET", "/v2.0/networks/"+id, beta, nil)
}

func TestRBACWildcard(t *testing.T) {
	e := start(t)
	beta, _ := e.project(t, "beta", "member")
	id := e.createNet(t, e.member, map[string]any{"name": "a"})["id"].(string)
	body := map[string]any{"rbac_policy": map[string]any{"object_type": "network", "object_id": id,
		"action": "access_as_shared", "target_tenant": "*"}}
	e.refused(t, 403, "PolicyNotAuthorized", "((((rule:create_rbac_policy and rule:create_rbac_policy:object_type) and "+
		"rule:create_rbac_policy:object_id) and rule:create_rbac_policy:target_tenant) and rule:create_rbac_policy:action) is disallowed by policy",
		"POST", "/v2.0/rbac-policies", e.member, body)
	p := e.rbac(t, e.admin, "network", id, "access_as_shared", "*")
	n := e.ok(t, 200, "GET", "/v2.0/networks/"+id, beta, nil)["network"].(map[string]any)
	if n["shared"] != true || n["revision_number"] != float64(1) {
		t.Fatalf("after wildcard: %v", n)
	}
	e.ok(t, 204, "DELETE", "/v2.0/rbac-policies/"+p["id"].(string), e.admin, nil)
	if n := e.ok(t, 200, "GET", "/v2.0/networks/"+id, e.member, nil)["network"].(map[string]any); n["shared"] != false {
		t.Fatalf("after delete: shared %v", n["shared"])
	}
	// shared=True on a network is its wildcard policy, both ways
	e.ok(t, 200, "PUT", "/v2.0/networks/"+id, e.admin, map[string]any{"network": map[string]any{"shared": true}})
	list := e.ok(t, 200, "GET", "/v2.0/rbac-policies?object_id="+id, e.admin, nil)["rbac_policies"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["target_tenant"] != "*" || list[0].(map[string]any)["project_id"] != e.alpha {
		t.Fatalf("policies after shared=true: %v", list)
	}
	e.ok(t, 200, "PUT", "/v2.0/networks/"+id, e.admin, map[string]any{"network": map[string]any{"shared": false}})
	if list := e.ok(t, 200, "GET", "/v2.0/rbac-policies?object_id="+id, e.admin, nil)["rbac_policies"].([]any); len(list) != 0 {
		t.Fatalf("policies after shared=false: %v", list)
	}
	shared := e.createNet(t, e.admin, map[string]any{"name": "s", "shared": true})["id"].(string)
	if ids := e.netIDs(t, beta); len(ids) != 1 || ids[0] != shared {
		t.Fatalf("beta lists %v", ids)
	}
	port := e.createPort(t, beta, map[string]any{"network_id": shared})
	e.refused(t, 409, "InvalidSharedSetting", "Unable to reconfigure sharing settings for network s. Multiple tenants are using it.",
		"PUT", "/v2.0/networks/"+shared, e.admin, map[string]any{"network": map[string]any{"shared": false}})
	e.ok(t, 204, "DELETE", "/v2.0/ports/"+port["id"].(string), beta, nil)
}

func TestRBACExternal(t *testing.T) {
	e := start(t)
	beta, betaID := e.project(t, "beta", "member")
	id := e.createNet(t, e.member, map[string]any{"name": "a"})["id"].(string)
	p := e.rbac(t, e.admin, "network", id, "access_as_external", betaID)
	n := e.ok(t, 200, "GET", "/v2.0/networks/"+id, beta, nil)["network"].(map[string]any)
	if n["router:external"] != true || n["shared"] != false {
		t.Fatalf("beta sees %v", n)
	}
	e.ok(t, 204, "DELETE", "/v2.0/rbac-policies/"+p["id"].(string), e.admin, nil)
	if n := e.ok(t, 200, "GET", "/v2.0/networks/"+id, e.admin, nil)["network"].(map[string]any); n["router:external"] != false {
		t.Fatalf("still external: %v", n)
	}
	e.refused(t, 404, "NetworkNotFound", "", "GET", "/v2.0/networks/"+id, beta, nil)
	ext := e.createNet(t, e.admin, map[string]any{"name": "public", "router:external": true})["id"].(string)
	if ids := e.netIDs(t, beta); len(ids) != 1 || ids[0] != ext {
		t.Fatalf("beta lists %v", ids)
	}
}

func TestRBACRefusals(t *testing.T) {
	e := start(t)
	beta, betaID := e.project(t, "beta", "member")
	id := e.createNet(t, e.member, map[string]any{"name": "a"})["id"].(string)
	pol := func(typ, obj, action, target string) map[string]any {
		return map[string]any{"rbac_policy": map[string]any{"object_type": typ, "object_id": obj, "action": action, "target_tenant": target}}
	}
	e.rbac(t, e.member, "network", id, "access_as_shared", betaID)
	for _, c := range []struct {
		name, token  string
		body         map[string]any
		status       int
		typ, message string
	}{
		{"duplicate", e.member, pol("network", id, "access_as_shared", betaID), 409, "DuplicateRbacPolicy",
			"An RBAC policy already exists with those values."},
		{"bad action", e.member, pol("network", id, "access_as_bogus", betaID), 400, "InvalidActionForType",
			"Invalid action 'access_as_bogus' for object type 'network'. Valid actions: ('access_as_shared', 'access_as_external')"},
		{"bad type", e.member, pol("router", id, "access_as_shared", betaID), 400, "InvalidInput",
			"Invalid input for operation: 'router' is not a valid RBAC object type."},
		{"not a uuid", e.member, pol("network", "x", "access_as_shared", betaID), 400, "HTTPBadRequest",
			"Invalid input for object_id. Reason: 'x' is not a valid UUID."},
		{"unseen network", beta, pol("network", id, "access_as_shared", "*"), 403, "PolicyNotAuthorized", ""},
		{"not the owner", beta, pol("network", id, "access_as_shared", betaID), 400, "InvalidInput",
			"Invalid input for operation: Callback neutron.plugins.ml2.plugin.Ml2Plugin.validate_network_rbac_policy_change failed with " +
				"\"Invalid input for operation: Only admins can manipulate policies on networks they do not own.\"."},
		{"no network", e.member, pol("network", "00000000-0000-4000-8000-999999999999", "access_as_shared", betaID), 400, "InvalidInput",
			"Invalid input for operation: Callback neutron.plugins.ml2.plugin.Ml2Plugin.validate_network_rbac_policy_change failed with " +
				"\"Network 00000000-0000-4000-8000-999999999999 could not be found.\"."},
		{"pool action", e.admin, pol("subnetpool", "00000000-0000-4000-8000-999999999999", "access_as_shared", betaID), 400, "InvalidInput",
			"Invalid input for operation: Callback neutron.objects.subnetpool.SubnetPool.validate_rbac_policy_change failed with " +
				"\"Subnet pool 00000000-0000-4000-8000-999999999999 could not be found.\"."},
	} {
		t.Run(c.name, func(t *testing.T) {
			e.refused(t, c.status, c.typ, c.message, "POST", "/v2.0/rbac-policies", c.token, c.body)
		})
	}
	e.refused(t, 404, "RbacPolicyNotFound", "RBAC policy of type unknown with ID nope not found", "GET", "/v2.0/rbac-policies/nope", beta, nil)
	if list := e.ok(t, 200, "GET", "/v2.0/rbac-policies", beta, nil)["rbac_policies"].([]any); len(list) != 0 {
		t.Fatalf("beta sees others' policies: %v", list)
	}
}

func TestRBACSubnetPool(t *testing.T) {
	e := start(t)
	pool := e.pool(t, e.admin, map[string]any{"name": "p", "prefixes": []any{"10.80.0.0/16"}, "default_prefixlen": 24})["id"].(string)
	e.refused(t, 404, "SubnetPoolNotFound", "", "GET", "/v2.0/subnetpools/"+pool, e.member, nil)
	p := e.rbac(t, e.admin, "subnetpool", pool, "access_as_shared", e.alpha)
	e.ok(t, 200, "GET", "/v2.0/subnetpools/"+pool, e.member, nil)
	net := e.createNet(t, e.member, map[string]any{"name": "n"})["id"].(string)
	e.ok(t, 201, "POST", "/v2.0/subnets", e.member, map[string]any{"subnet": map[string]any{
		"network_id": net, "ip_version": 4, "subnetpool_id": pool}})
	e.refused(t, 409, "RbacPolicyInUse", "RBAC policy on object "+pool+" cannot be removed because other objects depend on it.\n"+
		"Details: Callback neutron.objects.subnetpool.SubnetPool.validate_rbac_policy_change failed with \"RBAC policy on object "+pool+
		" cannot be removed because other objects depend on it.\nDetails: project_id="+e.alpha+"\"",
		"DELETE", "/v2.0/rbac-policies/"+p["id"].(string), e.admin, nil)
	e.refused(t, 400, "InvalidActionForType",
		"Invalid action 'access_as_external' for object type 'subnetpool'. Valid actions: ('access_as_shared',)",
		"POST", "/v2.0/rbac-policies", e.admin, map[string]any{"rbac_policy": map[string]any{"object_type": "subnetpool",
			"object_id": pool, "action": "access_as_external", "target_tenant": "*"}})
}
