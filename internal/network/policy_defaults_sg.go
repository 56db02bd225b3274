package network

import "github.com/monostack/monostack/internal/policy"

// securityPolicyDefaults are Neutron's security group, rule and address
// group rules (neutron/conf/policies/security_group.py, address_group.py)
// with their deprecated forms. Address group writes have no rules of their
// own upstream and fall back to "default". "field:address_groups:shared=True"
// is the literal check on the group's shared flag.
func securityPolicyDefaults() []policy.Default {
	const (
		member = "role:member and project_id:%(project_id)s"
		reader = "role:reader and project_id:%(project_id)s"
	)
	d := func(name, check, deprecated string) policy.Default {
		return policy.Default{Name: name, Check: check, Deprecated: deprecated}
	}
	return []policy.Default{
		{Name: "admin_or_sg_owner", Check: "rule:context_is_admin or tenant_id:%(security_group:tenant_id)s"},
		{Name: "admin_owner_or_sg_owner", Check: "rule:owner or rule:admin_or_sg_owner"},
		d("create_security_group", member, "rule:admin_or_owner"),
		d("get_security_group", reader, "rule:regular_user"),
		d("update_security_group", member, "rule:admin_or_owner"),
		d("delete_security_group", member, "rule:admin_or_owner"),
		d("create_security_group_rule", member, "rule:admin_or_owner"),
		d("get_security_group_rule", reader+" or rule:sg_owner", "rule:admin_owner_or_sg_owner"),
		d("delete_security_group_rule", member, "rule:admin_or_owner"),
		{Name: "shared_address_groups", Check: "'True':%(shared)s"},
		d("get_address_group", reader+" or rule:shared_address_groups", "rule:admin_or_owner or rule:shared_address_groups"),
	}
}
