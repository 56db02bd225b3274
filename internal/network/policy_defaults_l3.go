package network

import "github.com/monostack/monostack/internal/policy"

// l3PolicyDefaults are Neutron's router, floating IP, floating IP pool and
// port forwarding rules (neutron/conf/policies/router.py, floatingip.py,
// floatingip_pools.py, floatingip_port_forwarding.py) with their
// deprecated forms.
func l3PolicyDefaults() []policy.Default {
	const (
		admin         = "rule:admin_only"
		adminOrMember = admin + " or role:member and project_id:%(project_id)s"
		adminOrReader = admin + " or role:reader and project_id:%(project_id)s"
		adminOrOwner  = "rule:admin_or_owner"
		parentMember  = "role:member and project_id:%(project_id)s or rule:ext_parent_owner"
		parentReader  = "role:reader and project_id:%(project_id)s or rule:ext_parent_owner"
		parentDep     = "rule:admin_or_ext_parent_owner"
	)
	d := func(name, check, deprecated string) policy.Default {
		return policy.Default{Name: name, Check: check, Deprecated: deprecated}
	}
	adminOnly := func(name string) policy.Default { return d(name, admin, admin) }
	out := []policy.Default{
		d("create_router", adminOrMember, "rule:regular_user"),
		d("get_router", adminOrReader, adminOrOwner),
		d("update_router", adminOrMember, adminOrOwner),
		d("delete_router", adminOrMember, adminOrOwner),
		adminOnly("get_router:distributed"),
		adminOnly("get_router:ha"),
		d("create_floatingip", adminOrMember, "rule:regular_user"),
		adminOnly("create_floatingip:floating_ip_address"),
		d("get_floatingip", adminOrReader, adminOrOwner),
		d("update_floatingip", adminOrMember, adminOrOwner),
		d("delete_floatingip", adminOrMember, adminOrOwner),
		d("get_floatingip_pool", "role:reader and project_id:%(project_id)s", "rule:regular_user"),
		d("create_floatingip_port_forwarding", parentMember, parentDep),
		d("get_floatingip_port_forwarding", parentReader, parentDep),
		d("update_floatingip_port_forwarding", parentMember, parentDep),
		d("delete_floatingip_port_forwarding", parentMember, parentDep),
	}
	for _, verb := range []string{"add_router_interface", "remove_router_interface", "add_extraroutes", "remove_extraroutes"} {
		out = append(out, d(verb, adminOrMember, adminOrOwner))
	}
	for _, verb := range []string{"create", "update"} {
		out = append(out, adminOnly(verb+"_router:distributed"), adminOnly(verb+"_router:ha"),
			d(verb+"_router:external_gateway_info", adminOrMember, adminOrOwner),
			d(verb+"_router:external_gateway_info:network_id", adminOrMember, adminOrOwner),
			adminOnly(verb+"_router:external_gateway_info:enable_snat"),
			adminOnly(verb+"_router:external_gateway_info:external_fixed_ips"))
	}
	return out
}
