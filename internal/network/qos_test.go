package network_test

import (
	"testing"
)

// qosPolicy creates a QoS policy as token and returns it.
func (e *env) qosPolicy(t testing.TB, token string, attrs map[string]any) map[string]any {
	t.Helper()
	return e.ok(t, 201, "POST", "/v2.0/qos/policies", token, map[string]any{"policy": attrs})["policy"].(map[string]any)
}

func TestQoSPolicyCRUD(t *testing.T) {
	e := start(t)
	p := e.qosPolicy(t, e.admin, map[string]any{"name": "10Mbit", "description": "limit", "project_id": e.alpha})
	want := map[string]any{"name": "10Mbit", "description": "limit", "shared": false, "is_default": false,
		"project_id": e.alpha, "tenant_id": e.alpha, "revision_number": float64(0)}
	for k, v := range want {
		if p[k] != v {
			t.Fatalf("created %s = %v, want %v: %v", k, p[k], v, p)
		}
	}
	if rules, _ := p["rules"].([]any); rules == nil || len(rules) != 0 {
		t.Fatalf("rules: %v", p["rules"])
	}
	id := p["id"].(string)
	got := e.ok(t, 200, "GET", "/v2.0/qos/policies/"+id, e.member, nil)["policy"].(map[string]any)
	if got["name"] != "10Mbit" || got["created_at"] == nil {
		t.Fatalf("member show: %v", got)
	}
	up := e.ok(t, 200, "PUT", "/v2.0/qos/policies/"+id, e.admin, map[string]any{"policy": map[string]any{"name": "20Mbit", "shared": true}})["policy"].(map[string]any)
	if up["name"] != "20Mbit" || up["shared"] != true || up["revision_number"] != float64(1) {
		t.Fatalf("update: %v", up)
	}
	e.ok(t, 201, "PUT", "/v2.0/policies/"+id+"/tags/gold", e.admin, nil)
	list := e.ok(t, 200, "GET", "/v2.0/qos/policies?tags=gold&shared=true", e.member, nil)["policies"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["id"] != id {
		t.Fatalf("list: %v", list)
	}
	e.ok(t, 204, "DELETE", "/v2.0/qos/policies/"+id, e.admin, nil)
	e.refused(t, 404, "QosPolicyNotFound", "QoS policy "+id+" could not be found.", "GET", "/v2.0/qos/policies/"+id, e.admin, nil)
}

func TestQoSPolicyVisibility(t *testing.T) {
	e := start(t)
	beta, betaID := e.project(t, "beta", "member")
	private := e.qosPolicy(t, e.admin, map[string]any{"name": "b", "project_id": betaID})["id"].(string)
	shared := e.qosPolicy(t, e.admin, map[string]any{"name": "s", "project_id": betaID, "shared": true})["id"].(string)
	e.refused(t, 404, "QosPolicyNotFound", "", "GET", "/v2.0/qos/policies/"+private, e.member, nil)
	e.ok(t, 200, "GET", "/v2.0/qos/policies/"+private, beta, nil)
	list := e.ok(t, 200, "GET", "/v2.0/qos/policies", e.member, nil)["policies"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["id"] != shared {
		t.Fatalf("member sees %v", list)
	}
}

// QoS policies are RBAC objects: shared is the wildcard policy, and a
// policy may be shared with one project; unsharing is refused while a
// project that would lose it has a network bound to it.
func TestQoSPolicyRBAC(t *testing.T) {
	e := start(t)
	_, betaID := e.project(t, "beta", "member")
	p := e.qosPolicy(t, e.admin, map[string]any{"name": "b", "project_id": betaID, "shared": true})
	id := p["id"].(string)
	wild := e.ok(t, 200, "GET", "/v2.0/rbac-policies?object_type=qos_policy&object_id="+id, e.admin, nil)["rbac_policies"].([]any)
	if len(wild) != 1 || wild[0].(map[string]any)["target_tenant"] != "*" {
		t.Fatalf("shared policy's RBAC policies: %v", wild)
	}
	net := e.createNet(t, e.member, map[string]any{"name": "n", "qos_policy_id": id})["id"].(string)
	e.refused(t, 409, "RbacPolicyInUse", "RBAC policy on object "+id+" cannot be removed because other objects depend on it.\nDetails: Callback neutron.objects.qos.policy.QosPolicy.validate_rbac_policy_change failed with \"RBAC policy on object "+id+" cannot be removed because other objects depend on it.\nDetails: project_id=*\"",
		"PUT", "/v2.0/qos/policies/"+id, e.admin,
		map[string]any{"policy": map[string]any{"shared": false}})
	if got := e.ok(t, 200, "GET", "/v2.0/qos/policies/"+id, e.member, nil)["policy"].(map[string]any); got["shared"] != true {
		t.Fatalf("after the refusal: %v", got)
	}
	// a policy of alpha's own keeps alpha's access: now unsharing is allowed
	e.ok(t, 201, "POST", "/v2.0/rbac-policies", e.admin, map[string]any{"rbac_policy": map[string]any{
		"object_type": "qos_policy", "object_id": id, "action": "access_as_shared", "target_tenant": e.alpha}})
	e.ok(t, 200, "PUT", "/v2.0/qos/policies/"+id, e.admin, map[string]any{"policy": map[string]any{"shared": false}})
	got := e.ok(t, 200, "GET", "/v2.0/qos/policies/"+id, e.member, nil)["policy"].(map[string]any)
	if got["shared"] != true { // shared with the reader
		t.Fatalf("alpha's view: %v", got)
	}
	gamma, _ := e.project(t, "gamma", "member")
	e.refused(t, 404, "QosPolicyNotFound", "", "GET", "/v2.0/qos/policies/"+id, gamma, nil)
	e.ok(t, 200, "PUT", "/v2.0/networks/"+net, e.member, map[string]any{"network": map[string]any{"qos_policy_id": nil}})
	e.ok(t, 204, "DELETE", "/v2.0/qos/policies/"+id, e.admin, nil)
	if left := e.ok(t, 200, "GET", "/v2.0/rbac-policies?object_id="+id, e.admin, nil)["rbac_policies"].([]any); len(left) != 0 {
		t.Fatalf("policies left: %v", left)
	}
}

func TestQoSPolicyRefusals(t *testing.T) {
	e := start(t)
	def := e.qosPolicy(t, e.admin, map[string]any{"name": "d", "project_id": e.alpha, "is_default": true})
	if def["is_default"] != true {
		t.Fatalf("default: %v", def)
	}
	other := e.qosPolicy(t, e.admin, map[string]any{"name": "o", "project_id": e.alpha})["id"].(string)
	conflict := "A default QoS policy exists for project " + e.alpha + "."
	cases := []struct {
		name, method, path, token string
		body                      any
		status                    int
		typ, msg                  string
	}{
		{"second default", "POST", "/v2.0/qos/policies", e.admin, map[string]any{"policy": map[string]any{"project_id": e.alpha, "is_default": true}},
			409, "QoSPolicyDefaultAlreadyExists", conflict},
		{"default by update", "PUT", "/v2.0/qos/policies/" + other, e.admin, map[string]any{"policy": map[string]any{"is_default": true}},
			409, "QoSPolicyDefaultAlreadyExists", conflict},
		{"member creates", "POST", "/v2.0/qos/policies", e.member, map[string]any{"policy": map[string]any{"name": "x"}},
			403, "PolicyNotAuthorized", "rule:create_policy is disallowed by policy"},
		{"member updates", "PUT", "/v2.0/qos/policies/" + other, e.member, map[string]any{"policy": map[string]any{"name": "x"}},
			403, "PolicyNotAuthorized", "rule:update_policy is disallowed by policy"},
		{"bad shared", "POST", "/v2.0/qos/policies", e.admin, map[string]any{"policy": map[string]any{"shared": "maybe"}},
			400, "InvalidInput", "Invalid input for operation: 'maybe' cannot be converted to boolean."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.refused(t, c.status, c.typ, c.msg, c.method, c.path, c.token, c.body)
		})
	}
	// Unsetting the default frees the project for another one.
	e.ok(t, 200, "PUT", "/v2.0/qos/policies/"+def["id"].(string), e.admin, map[string]any{"policy": map[string]any{"is_default": false}})
	up := e.ok(t, 200, "PUT", "/v2.0/qos/policies/"+other, e.admin, map[string]any{"policy": map[string]any{"is_default": true}})
	if up["policy"].(map[string]any)["is_default"] != true {
		t.Fatalf("new default: %v", up)
	}
	list := e.ok(t, 200, "GET", "/v2.0/qos/policies?is_default=true", e.admin, nil)["policies"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["id"] != other {
		t.Fatalf("is_default filter: %v", list)
	}
}

func TestQoSPolicyOfNetworksAndPorts(t *testing.T) {
	e := start(t)
	pid := e.qosPolicy(t, e.admin, map[string]any{"name": "p", "project_id": e.alpha})["id"].(string)
	net := e.createNet(t, e.member, map[string]any{"name": "n", "qos_policy_id": pid})
	netID := net["id"].(string)
	if net["qos_policy_id"] != pid {
		t.Fatalf("network: %v", net)
	}
	plain := e.createNet(t, e.member, map[string]any{"name": "plain"})
	if v, ok := plain["qos_policy_id"]; !ok || v != nil {
		t.Fatalf("plain network qos_policy_id: %v", plain)
	}
	port := e.ok(t, 201, "POST", "/v2.0/ports", e.member, map[string]any{"port": map[string]any{"network_id": netID, "qos_policy_id": pid}})["port"].(map[string]any)
	portID := port["id"].(string)
	if port["qos_policy_id"] != pid || port["qos_network_policy_id"] != pid {
		t.Fatalf("port: %v", port)
	}
	missing := "00000000-0000-4000-8000-999999999999"
	e.refused(t, 404, "QosPolicyNotFound", "QoS policy "+missing+" could not be found.", "PUT", "/v2.0/networks/"+netID, e.member,
		map[string]any{"network": map[string]any{"qos_policy_id": missing}})
	e.refused(t, 400, "HTTPBadRequest", "Invalid input for qos_policy_id. Reason: 'abc' is not a valid UUID.", "POST", "/v2.0/ports", e.member,
		map[string]any{"port": map[string]any{"network_id": netID, "qos_policy_id": "abc"}})
	e.refused(t, 409, "QosPolicyInUse", "QoS Policy "+pid+" is used by port "+portID+".", "DELETE", "/v2.0/qos/policies/"+pid, e.admin, nil)
	p := e.ok(t, 200, "PUT", "/v2.0/ports/"+portID, e.member, map[string]any{"port": map[string]any{"qos_policy_id": nil}})["port"].(map[string]any)
	if p["qos_policy_id"] != nil || p["qos_network_policy_id"] != pid {
		t.Fatalf("port cleared: %v", p)
	}
	e.refused(t, 409, "QosPolicyInUse", "QoS Policy "+pid+" is used by network "+netID+".", "DELETE", "/v2.0/qos/policies/"+pid, e.admin, nil)
	n := e.ok(t, 200, "PUT", "/v2.0/networks/"+netID, e.member, map[string]any{"network": map[string]any{"qos_policy_id": nil}})["network"].(map[string]any)
	if n["qos_policy_id"] != nil {
		t.Fatalf("network cleared: %v", n)
	}
	e.ok(t, 204, "DELETE", "/v2.0/qos/policies/"+pid, e.admin, nil)
}

func TestQoSDefaultPolicyAppliesToNewNetworks(t *testing.T) {
	e := start(t)
	def := e.qosPolicy(t, e.admin, map[string]any{"name": "d", "project_id": e.alpha, "is_default": true})["id"].(string)
	if n := e.createNet(t, e.member, map[string]any{"name": "n"}); n["qos_policy_id"] != def {
		t.Fatalf("network without a policy got %v, want the default %s", n["qos_policy_id"], def)
	}
	if n := e.createNet(t, e.admin, map[string]any{"name": "admin's"}); n["qos_policy_id"] != nil {
		t.Fatalf("another project's network got %v", n["qos_policy_id"])
	}
}

func TestQoSPolicyRemoveAuthorization(t *testing.T) {
	e := start(t)
	_, betaID := e.project(t, "beta", "member")
	foreign := e.qosPolicy(t, e.admin, map[string]any{"name": "f", "project_id": betaID})["id"].(string)
	net := e.createNet(t, e.member, map[string]any{"name": "n"})["id"].(string)
	e.ok(t, 200, "PUT", "/v2.0/networks/"+net, e.admin, map[string]any{"network": map[string]any{"qos_policy_id": foreign}})
	e.refused(t, 403, "PolicyRemoveAuthorizationError", "Failed to remove provided policy "+foreign+" because you are not authorized.",
		"PUT", "/v2.0/networks/"+net, e.member, map[string]any{"network": map[string]any{"qos_policy_id": nil}})
}
