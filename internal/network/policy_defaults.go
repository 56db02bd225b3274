package network

import "github.com/monostack/monostack/internal/policy"

// Neutron 2023.2's default rules (neutron/conf/policies/base.py,
// network.py, segment.py, network_segment_range.py) with their deprecated
// forms. oslo's "field:networks:shared=True" check is written as the
// literal check "'True':%(shared)s" (and likewise router:external), which
// the policy engine evaluates the same way on a network target.
func policyDefaults() []policy.Default {
	const (
		admin         = "rule:admin_only"
		projectMember = "role:member and project_id:%(project_id)s"
		projectReader = "role:reader and project_id:%(project_id)s"
		adminOrMember = admin + " or " + projectMember
		adminOrOwner  = "rule:admin_or_owner"
		regularUser   = "rule:regular_user"
	)
	base := []policy.Default{
		{Name: "context_is_admin", Check: "role:admin"},
		{Name: "owner", Check: "tenant_id:%(tenant_id)s"},
		{Name: "admin_or_owner", Check: "rule:context_is_admin or rule:owner"},
		{Name: "context_is_advsvc", Check: "role:advsvc"},
		{Name: "admin_or_network_owner", Check: "rule:context_is_admin or tenant_id:%(network:tenant_id)s"},
		{Name: "admin_owner_or_network_owner", Check: "rule:owner or rule:admin_or_network_owner"},
		{Name: "network_owner", Check: "tenant_id:%(network:tenant_id)s"},
		{Name: "admin_only", Check: "rule:context_is_admin"},
		{Name: "regular_user", Check: ""},
		{Name: "shared", Check: "'True':%(shared)s"},
		{Name: "default", Check: adminOrOwner},
		{Name: "admin_or_ext_parent_owner", Check: "rule:context_is_admin or tenant_id:%(ext_parent:tenant_id)s"},
		{Name: "ext_parent_owner", Check: "tenant_id:%(ext_parent:tenant_id)s"},
		{Name: "sg_owner", Check: "tenant_id:%(security_group:tenant_id)s"},
		{Name: "external", Check: "'True':%(router:external)s"},
	}
	d := func(name, check, deprecated string) policy.Default {
		return policy.Default{Name: name, Check: check, Deprecated: deprecated}
	}
	adminOnly := func(name string) policy.Default { return d(name, admin, admin) }
	net := []policy.Default{
		d("create_network", adminOrMember, regularUser),
		adminOnly("create_network:shared"),
		adminOnly("create_network:router:external"),
		adminOnly("create_network:is_default"),
		d("create_network:port_security_enabled", adminOrMember, regularUser),
		adminOnly("create_network:segments"),
		adminOnly("create_network:provider:network_type"),
		adminOnly("create_network:provider:physical_network"),
		adminOnly("create_network:provider:segmentation_id"),
		d("get_network", admin+" or "+projectReader+" or rule:shared or rule:external or rule:context_is_advsvc",
			adminOrOwner+" or rule:shared or rule:external or rule:context_is_advsvc"),
		d("get_network:router:external", admin+" or "+projectReader, regularUser),
		adminOnly("get_network:segments"),
		adminOnly("get_network:provider:network_type"),
		adminOnly("get_network:provider:physical_network"),
		adminOnly("get_network:provider:segmentation_id"),
		d("update_network", adminOrMember, adminOrOwner),
		adminOnly("update_network:segments"),
		adminOnly("update_network:shared"),
		adminOnly("update_network:provider:network_type"),
		adminOnly("update_network:provider:physical_network"),
		adminOnly("update_network:provider:segmentation_id"),
		adminOnly("update_network:router:external"),
		adminOnly("update_network:is_default"),
		d("update_network:port_security_enabled", adminOrMember, adminOrOwner),
		d("delete_network", adminOrMember, adminOrOwner),
	}
	for _, verb := range []string{"create", "get", "update", "delete"} {
		net = append(net, adminOnly(verb+"_segment"), adminOnly(verb+"_network_segment_range"))
	}
	all := append(base, net...)
	all = append(all, portPolicyDefaults()...)
	all = append(all, securityPolicyDefaults()...)
	all = append(all, poolPolicyDefaults()...)
	all = append(all, l3PolicyDefaults()...)
	all = append(all, trunkPolicyDefaults()...)
	all = append(all, rbacPolicyDefaults()...)
	all = append(all, qosPolicyDefaults()...)
	return all
}
