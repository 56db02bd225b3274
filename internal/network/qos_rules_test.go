package network_test

import (
	"testing"
)

// qosRule creates a rule of kind ("bandwidth_limit", ...) in policy as admin.
func (e *env) qosRule(t testing.TB, policy, kind string, attrs map[string]any) map[string]any {
	t.Helper()
	body := map[string]any{kind + "_rule": attrs}
	return e.ok(t, 201, "POST", "/v2.0/qos/policies/"+policy+"/"+kind+"_rules", e.admin, body)[kind+"_rule"].(map[string]any)
}

func TestQoSRulesCRUD(t *testing.T) {
	e := start(t)
	pid := e.qosPolicy(t, e.admin, map[string]any{"name": "p", "project_id": e.alpha})["id"].(string)
	bw := e.qosRule(t, pid, "bandwidth_limit", map[string]any{"max_kbps": 1000})
	if len(bw) != 4 || bw["max_kbps"] != float64(1000) || bw["max_burst_kbps"] != float64(0) || bw["direction"] != "egress" {
		t.Fatalf("bandwidth limit rule: %v", bw)
	}
	in := e.qosRule(t, pid, "bandwidth_limit", map[string]any{"max_kbps": 500, "max_burst_kbps": 100, "direction": "ingress"})
	dscp := e.qosRule(t, pid, "dscp_marking", map[string]any{"dscp_mark": 26})
	minbw := e.qosRule(t, pid, "minimum_bandwidth", map[string]any{"min_kbps": 100})
	if len(dscp) != 2 || dscp["dscp_mark"] != float64(26) || minbw["min_kbps"] != float64(100) || minbw["direction"] != "egress" {
		t.Fatalf("dscp %v, minimum bandwidth %v", dscp, minbw)
	}
	p := e.ok(t, 200, "GET", "/v2.0/qos/policies/"+pid, e.member, nil)["policy"].(map[string]any)
	rules := p["rules"].([]any)
	types := []string{}
	for _, r := range rules {
		m := r.(map[string]any)
		types = append(types, m["type"].(string))
		if m["qos_policy_id"] != pid {
			t.Fatalf("embedded rule: %v", m)
		}
	}
	if len(types) != 4 || types[0] != "bandwidth_limit" || types[2] != "dscp_marking" || types[3] != "minimum_bandwidth" ||
		p["revision_number"] != float64(4) {
		t.Fatalf("policy after four rules: %v", p)
	}
	base := "/v2.0/qos/policies/" + pid + "/bandwidth_limit_rules"
	list := e.ok(t, 200, "GET", base+"?direction=ingress", e.member, nil)["bandwidth_limit_rules"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["id"] != in["id"] {
		t.Fatalf("list: %v", list)
	}
	up := e.ok(t, 200, "PUT", base+"/"+bw["id"].(string), e.admin, map[string]any{"bandwidth_limit_rule": map[string]any{"max_kbps": 2000}})
	if up["bandwidth_limit_rule"].(map[string]any)["max_kbps"] != float64(2000) {
		t.Fatalf("update: %v", up)
	}
	got := e.ok(t, 200, "GET", base+"/"+bw["id"].(string), e.member, nil)["bandwidth_limit_rule"].(map[string]any)
	if got["max_kbps"] != float64(2000) {
		t.Fatalf("show: %v", got)
	}
	e.ok(t, 204, "DELETE", base+"/"+bw["id"].(string), e.admin, nil)
	e.refused(t, 404, "QosRuleNotFound", "QoS rule "+bw["id"].(string)+" for policy "+pid+" could not be found.", "GET", base+"/"+bw["id"].(string), e.member, nil)
}

func TestQoSRuleAlias(t *testing.T) {
	e := start(t)
	pid := e.qosPolicy(t, e.admin, map[string]any{"name": "p", "project_id": e.alpha})["id"].(string)
	rid := e.qosRule(t, pid, "dscp_marking", map[string]any{"dscp_mark": 10})["id"].(string)
	path := "/v2.0/qos/alias_dscp_marking_rules/" + rid
	if got := e.ok(t, 200, "GET", path, e.member, nil)["alias_dscp_marking_rule"].(map[string]any); got["dscp_mark"] != float64(10) {
		t.Fatalf("alias show: %v", got)
	}
	up := e.ok(t, 200, "PUT", path, e.admin, map[string]any{"alias_dscp_marking_rule": map[string]any{"dscp_mark": 12}})
	if up["alias_dscp_marking_rule"].(map[string]any)["dscp_mark"] != float64(12) {
		t.Fatalf("alias update: %v", up)
	}
	e.refused(t, 404, "QosRuleNotFound", "QoS rule "+rid+" for policy  could not be found.", "GET", "/v2.0/qos/alias_bandwidth_limit_rules/"+rid, e.admin, nil)
	e.ok(t, 204, "DELETE", path, e.admin, nil)
	e.refused(t, 404, "QosRuleNotFound", "", "GET", path, e.admin, nil)
}

func TestQoSRuleRefusals(t *testing.T) {
	e := start(t)
	pid := e.qosPolicy(t, e.admin, map[string]any{"name": "p", "project_id": e.alpha})["id"].(string)
	bw := e.qosRule(t, pid, "bandwidth_limit", map[string]any{"max_kbps": 1000})["id"].(string)
	dscp := e.qosRule(t, pid, "dscp_marking", map[string]any{"dscp_mark": 0})["id"].(string)
	other := e.qosPolicy(t, e.admin, map[string]any{"name": "o", "project_id": e.alpha})["id"].(string)
	minbw := e.qosRule(t, other, "minimum_bandwidth", map[string]any{"min_kbps": 3000})["id"].(string)
	rules := func(policy, kind string) string { return "/v2.0/qos/policies/" + policy + "/" + kind + "_rules" }
	bwBody := func(attrs map[string]any) any { return map[string]any{"bandwidth_limit_rule": attrs} }
	cases := []struct {
		name, method, path, token string
		body                      any
		status                    int
		typ, msg                  string
	}{
		{"max_kbps missing", "POST", rules(pid, "bandwidth_limit"), e.admin, bwBody(map[string]any{"direction": "ingress"}),
			400, "HTTPBadRequest", "Failed to parse request. Required attribute 'max_kbps' not specified"},
		{"max_kbps negative", "POST", rules(pid, "bandwidth_limit"), e.admin, bwBody(map[string]any{"max_kbps": -1, "direction": "ingress"}),
			400, "HTTPBadRequest", "Invalid input for max_kbps. Reason: '-1' is too small - must be at least '0'."},
		{"max_burst_kbps too large", "POST", rules(pid, "bandwidth_limit"), e.admin, bwBody(map[string]any{"max_kbps": 1, "max_burst_kbps": 2147483648, "direction": "ingress"}),
			400, "HTTPBadRequest", "Invalid input for max_burst_kbps. Reason: '2147483648' is too large - must be no larger than '2147483647'."},
		{"max_kbps not a number", "POST", rules(pid, "bandwidth_limit"), e.admin, bwBody(map[string]any{"max_kbps": "fast"}),
			400, "InvalidInput", "Invalid input for operation: 'fast' is not an integer."},
		{"direction", "POST", rules(pid, "bandwidth_limit"), e.admin, bwBody(map[string]any{"max_kbps": 1, "direction": "up"}),
			400, "HTTPBadRequest", "Invalid input for direction. Reason: up is not in valid_values."},
		{"dscp_mark", "POST", rules(pid, "dscp_marking"), e.admin, map[string]any{"dscp_marking_rule": map[string]any{"dscp_mark": 3}},
			400, "HTTPBadRequest", "Invalid input for dscp_mark. Reason: 3 is not in valid_values."},
		{"min_kbps missing", "POST", rules(pid, "minimum_bandwidth"), e.admin, map[string]any{"minimum_bandwidth_rule": map[string]any{}},
			400, "HTTPBadRequest", "Failed to parse request. Required attribute 'min_kbps' not specified"},
		{"unknown attribute", "POST", rules(pid, "dscp_marking"), e.admin, map[string]any{"dscp_marking_rule": map[string]any{"dscp_mark": 8, "max_kbps": 1}},
			400, "HTTPBadRequest", "Unrecognized attribute(s) 'max_kbps'"},
		{"second egress limit", "POST", rules(pid, "bandwidth_limit"), e.admin, bwBody(map[string]any{"max_kbps": 5}),
			409, "QoSRulesConflict", "Rule bandwidth_limit conflicts with rule " + bw + " which already exists in QoS Policy " + pid + "."},
		{"second dscp", "POST", rules(pid, "dscp_marking"), e.admin, map[string]any{"dscp_marking_rule": map[string]any{"dscp_mark": 8}},
			409, "QoSRulesConflict", "Rule dscp_marking conflicts with rule " + dscp + " which already exists in QoS Policy " + pid + "."},
		{"minimum over maximum", "POST", rules(pid, "minimum_bandwidth"), e.admin, map[string]any{"minimum_bandwidth_rule": map[string]any{"min_kbps": 2000}},
			409, "QoSRuleParameterConflict", "Unable to add the rule with value 2000 to the policy " + pid + " as the existing rule of type bandwidth_limit has value 1000."},
		{"maximum under minimum", "POST", rules(other, "bandwidth_limit"), e.admin, bwBody(map[string]any{"max_kbps": 100}),
			409, "QoSRuleParameterConflict", "Unable to add the rule with value 100 to the policy " + other + " as the existing rule of type minimum_bandwidth has value 3000."},
		{"rule of another policy", "GET", rules(pid, "minimum_bandwidth") + "/" + minbw, e.admin, nil,
			404, "QosRuleNotFound", "QoS rule " + minbw + " for policy " + pid + " could not be found."},
		{"unknown policy", "POST", rules("00000000-0000-4000-8000-999999999999", "dscp_marking"), e.admin, map[string]any{"dscp_marking_rule": map[string]any{"dscp_mark": 8}},
			404, "QosPolicyNotFound", "QoS policy 00000000-0000-4000-8000-999999999999 could not be found."},
		{"member creates", "POST", rules(pid, "minimum_bandwidth"), e.member, map[string]any{"minimum_bandwidth_rule": map[string]any{"min_kbps": 1}},
			403, "PolicyNotAuthorized", "rule:create_policy_minimum_bandwidth_rule is disallowed by policy"},
		{"member deletes", "DELETE", rules(pid, "bandwidth_limit") + "/" + bw, e.member, nil,
			403, "PolicyNotAuthorized", "rule:delete_policy_bandwidth_limit_rule is disallowed by policy"},
		{"member updates alias", "PUT", "/v2.0/qos/alias_bandwidth_limit_rules/" + bw, e.member, map[string]any{"alias_bandwidth_limit_rule": map[string]any{"max_kbps": 1}},
			403, "PolicyNotAuthorized", "rule:update_alias_bandwidth_limit_rule is disallowed by policy"},
		{"bulk", "POST", rules(pid, "dscp_marking"), e.admin, map[string]any{"dscp_marking_rules": []any{map[string]any{"dscp_mark": 8}}},
			400, "HTTPBadRequest", "Bulk operation not supported"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.refused(t, c.status, c.typ, c.msg, c.method, c.path, c.token, c.body)
		})
	}
	// An update keeping its own type and direction is no conflict.
	e.ok(t, 200, "PUT", rules(pid, "bandwidth_limit")+"/"+bw, e.admin, bwBody(map[string]any{"max_kbps": 10, "direction": "egress"}))
}

func TestQoSRuleTypes(t *testing.T) {
	e := start(t)
	list := e.ok(t, 200, "GET", "/v2.0/qos/rule-types", e.member, nil)["rule_types"].([]any)
	if len(list) != 3 || list[0].(map[string]any)["type"] != "bandwidth_limit" {
		t.Fatalf("rule types: %v", list)
	}
	rt := e.ok(t, 200, "GET", "/v2.0/qos/rule-types/dscp_marking", e.admin, nil)["rule_type"].(map[string]any)
	drivers := rt["drivers"].([]any)
	params := drivers[0].(map[string]any)["supported_parameters"].([]any)
	p := params[0].(map[string]any)
	if rt["type"] != "dscp_marking" || drivers[0].(map[string]any)["name"] != "fake" || p["parameter_name"] != "dscp_mark" ||
		p["parameter_type"] != "choices" || len(p["parameter_values"].([]any)) != 21 {
		t.Fatalf("rule type details: %v", rt)
	}
	bw := e.ok(t, 200, "GET", "/v2.0/qos/rule-types/bandwidth_limit", e.admin, nil)["rule_type"].(map[string]any)
	first := bw["drivers"].([]any)[0].(map[string]any)["supported_parameters"].([]any)[0].(map[string]any)
	if v := first["parameter_values"].(map[string]any); first["parameter_type"] != "range" || v["start"] != float64(0) || v["end"] != float64(2147483647) {
		t.Fatalf("range parameter: %v", first)
	}
	e.refused(t, 403, "NotAuthorized", "Not authorized.", "GET", "/v2.0/qos/rule-types/dscp_marking", e.member, nil)
	e.refused(t, 400, "HTTPBadRequest", "Field value shaping is invalid", "GET", "/v2.0/qos/rule-types/shaping", e.admin, nil)
}
