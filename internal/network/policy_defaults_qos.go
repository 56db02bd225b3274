package network

import "github.com/monostack/monostack/internal/policy"

// qosPolicyDefaults are Neutron's QoS, agent and availability zone rules
// (neutron/conf/policies/qos.py, agent.py, availability_zone.py) with
// their deprecated forms.
func qosPolicyDefaults() []policy.Default {
	const admin = "rule:admin_only"
	reader := func(name string) policy.Default {
		return policy.Default{Name: name, Check: admin + " or role:reader and project_id:%(project_id)s", Deprecated: "rule:regular_user"}
	}
	adminOnly := func(name string) policy.Default { return policy.Default{Name: name, Check: admin, Deprecated: admin} }
	out := []policy.Default{
		reader("get_policy"),
		adminOnly("create_policy"),
		adminOnly("update_policy"),
		adminOnly("delete_policy"),
		{Name: "get_rule_type", Check: admin, Deprecated: "rule:regular_user"},
		adminOnly("get_agent"),
		adminOnly("update_agent"),
		adminOnly("delete_agent"),
		{Name: "get_availability_zone", Check: admin, Deprecated: "rule:regular_user"},
	}
	for _, t := range qosRuleTypes {
		out = append(out, reader("get_policy_"+t.Name+"_rule"), reader("get_alias_"+t.Name+"_rule"))
		for _, verb := range []string{"create_policy_", "update_policy_", "delete_policy_", "update_alias_", "delete_alias_"} {
			out = append(out, adminOnly(verb+t.Name+"_rule"))
		}
	}
	return out
}
