package network

import "github.com/monostack/monostack/internal/policy"

// rbacPolicyDefaults are Neutron 2023.2's RBAC policy and quota rules
// (neutron/conf/policies/rbac.py, quotas.py) with their deprecated forms.
// "field:rbac_policy:target_tenant=*" is the literal check on target_tenant
// (target_project likewise, absent from API targets).
func rbacPolicyDefaults() []policy.Default {
	const (
		admin        = "rule:admin_only"
		member       = "role:member and project_id:%(project_id)s"
		reader       = "role:reader and project_id:%(project_id)s"
		adminOrOwner = "rule:admin_or_owner"
		noWildcard   = "(not '*':%(target_tenant)s and not '*':%(target_project)s)"
	)
	d := func(name, check, deprecated string) policy.Default {
		return policy.Default{Name: name, Check: check, Deprecated: deprecated}
	}
	return []policy.Default{
		{Name: "restrict_wildcard", Check: noWildcard + " or " + admin},
		d("create_rbac_policy", admin+" or "+member, "rule:regular_user"),
		d("create_rbac_policy:target_tenant", admin+" or "+noWildcard, "rule:restrict_wildcard"),
		d("update_rbac_policy", admin+" or "+member, adminOrOwner),
		d("update_rbac_policy:target_tenant", admin+" or "+noWildcard, "rule:restrict_wildcard and "+adminOrOwner),
		d("get_rbac_policy", admin+" or "+reader, adminOrOwner),
		d("delete_rbac_policy", admin+" or "+member, adminOrOwner),

		d("get_quota", admin, admin),
		d("update_quota", admin, admin),
		d("delete_quota", admin, admin),
	}
}
