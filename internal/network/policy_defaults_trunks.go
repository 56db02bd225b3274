package network

import "github.com/monostack/monostack/internal/policy"

// trunkPolicyDefaults are Neutron 2023.2's trunk and IP availability rules
// (neutron/conf/policies/trunk.py, network_ip_availability.py) with their
// deprecated forms.
func trunkPolicyDefaults() []policy.Default {
	const (
		admin  = "rule:admin_only"
		member = "role:member and project_id:%(project_id)s"
		reader = "role:reader and project_id:%(project_id)s"
		owner  = "rule:admin_or_owner"
	)
	d := func(name, check, deprecated string) policy.Default {
		return policy.Default{Name: name, Check: check, Deprecated: deprecated}
	}
	return []policy.Default{
		d("create_trunk", member, "rule:regular_user"),
		d("get_trunk", reader, owner),
		d("update_trunk", member, owner),
		d("delete_trunk", member, owner),
		d("get_subports", reader, "rule:regular_user"),
		d("add_subports", member, owner),
		d("remove_subports", member, owner),
		d("get_network_ip_availability", admin, admin),
	}
}
