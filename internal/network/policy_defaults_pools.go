package network

import "github.com/monostack/monostack/internal/policy"

// poolPolicyDefaults are Neutron 2023.2's subnet pool and address scope
// rules (neutron/conf/policies/subnetpool.py, address_scope.py) with their
// deprecated forms. "field:subnetpools:shared=True" and
// "field:address_scopes:shared=True" are the literal check on shared.
func poolPolicyDefaults() []policy.Default {
	const (
		admin         = "rule:admin_only"
		member        = "role:member and project_id:%(project_id)s"
		reader        = "role:reader and project_id:%(project_id)s"
		adminOrMember = admin + " or " + member
		adminOrOwner  = "rule:admin_or_owner"
	)
	d := func(name, check, deprecated string) policy.Default {
		return policy.Default{Name: name, Check: check, Deprecated: deprecated}
	}
	adminOnly := func(name string) policy.Default { return d(name, admin, admin) }
	return []policy.Default{
		{Name: "shared_subnetpools", Check: "'True':%(shared)s"},
		d("create_subnetpool", adminOrMember, "rule:regular_user"),
		adminOnly("create_subnetpool:shared"),
		adminOnly("create_subnetpool:is_default"),
		d("get_subnetpool", admin+" or "+reader+" or rule:shared_subnetpools", adminOrOwner+" or rule:shared_subnetpools"),
		d("update_subnetpool", adminOrMember, adminOrOwner),
		adminOnly("update_subnetpool:is_default"),
		d("delete_subnetpool", adminOrMember, adminOrOwner),
		d("add_prefixes", adminOrMember, adminOrOwner),
		d("remove_prefixes", adminOrMember, adminOrOwner),

		{Name: "shared_address_scopes", Check: "'True':%(shared)s"},
		d("create_address_scope", adminOrMember, "rule:regular_user"),
		adminOnly("create_address_scope:shared"),
		d("get_address_scope", admin+" or "+reader+" or rule:shared_address_scopes", adminOrOwner+" or rule:shared_address_scopes"),
		d("update_address_scope", adminOrMember, adminOrOwner),
		adminOnly("update_address_scope:shared"),
		d("delete_address_scope", adminOrMember, adminOrOwner),
	}
}
