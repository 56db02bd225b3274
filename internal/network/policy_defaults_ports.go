package network

import "github.com/monostack/monostack/internal/policy"

// portPolicyDefaults are Neutron 2023.2's subnet and port rules
// (neutron/conf/policies/subnet.py, port.py) with their deprecated forms.
// "field:port:device_owner=~^network:" is the literal check on
// device_owner_network, which the port target carries.
func portPolicyDefaults() []policy.Default {
	const (
		admin    = "rule:admin_only"
		member   = "role:member and project_id:%(project_id)s"
		reader   = "role:reader and project_id:%(project_id)s"
		advsvc   = "rule:context_is_advsvc"
		netOwner = "rule:network_owner"
		adminNet = "rule:admin_or_network_owner"
	)
	d := func(name, check, deprecated string) policy.Default {
		return policy.Default{Name: name, Check: check, Deprecated: deprecated}
	}
	adminOnly := func(name string) policy.Default { return d(name, admin, admin) }
	out := []policy.Default{
		{Name: "network_device", Check: "'True':%(device_owner_network)s"},
		{Name: "admin_or_data_plane_int", Check: "rule:context_is_admin or role:data_plane_integrator"},
		d("create_subnet", admin+" or "+member+" or "+netOwner, adminNet),
		adminOnly("create_subnet:segment_id"),
		adminOnly("create_subnet:service_types"),
		d("get_subnet", admin+" or "+reader+" or rule:shared", "rule:admin_or_owner or rule:shared"),
		adminOnly("get_subnet:segment_id"),
		d("update_subnet", admin+" or "+member+" or "+netOwner, adminNet),
		adminOnly("update_subnet:segment_id"),
		adminOnly("update_subnet:service_types"),
		d("delete_subnet", admin+" or "+member+" or "+netOwner, adminNet),

		d("create_port", admin+" or "+member, "rule:regular_user"),
		d("create_port:device_owner", "not rule:network_device or "+admin+" or "+advsvc+" or "+netOwner,
			"not rule:network_device or "+advsvc+" or "+adminNet),
		d("create_port:mac_address", advsvc+" or "+netOwner+" or "+admin, advsvc+" or "+adminNet),
		d("create_port:fixed_ips", advsvc+" or "+netOwner+" or "+admin+" or rule:shared", advsvc+" or "+adminNet+" or rule:shared"),
		d("create_port:fixed_ips:ip_address", advsvc+" or "+netOwner+" or "+admin, advsvc+" or "+adminNet),
		d("create_port:fixed_ips:subnet_id", advsvc+" or "+netOwner+" or "+admin+" or rule:shared", advsvc+" or "+adminNet+" or rule:shared"),
		d("create_port:port_security_enabled", advsvc+" or "+netOwner+" or "+admin, advsvc+" or "+adminNet),
		adminOnly("create_port:binding:host_id"),
		adminOnly("create_port:binding:profile"),
		d("create_port:binding:vnic_type", admin+" or "+member, "rule:regular_user"),
		d("create_port:allowed_address_pairs", admin+" or "+netOwner, adminNet),
		d("create_port:allowed_address_pairs:mac_address", admin+" or "+netOwner, adminNet),
		d("create_port:allowed_address_pairs:ip_address", admin+" or "+netOwner, adminNet),
		d("get_port", admin+" or "+advsvc+" or "+reader, advsvc+" or rule:admin_owner_or_network_owner"),
		adminOnly("get_port:binding:vif_type"),
		adminOnly("get_port:binding:vif_details"),
		adminOnly("get_port:binding:host_id"),
		adminOnly("get_port:binding:profile"),
		adminOnly("get_port:resource_request"),
		d("update_port", admin+" or "+member+" or "+advsvc, "rule:admin_or_owner or "+advsvc),
		d("update_port:device_owner", "not rule:network_device or "+advsvc+" or "+netOwner+" or "+admin,
			"not rule:network_device or "+advsvc+" or "+adminNet),
		d("update_port:mac_address", admin+" or "+advsvc, admin+" or "+advsvc),
		d("update_port:fixed_ips", advsvc+" or "+netOwner+" or "+admin, advsvc+" or "+adminNet),
		d("update_port:fixed_ips:ip_address", advsvc+" or "+netOwner+" or "+admin, advsvc+" or "+adminNet),
		d("update_port:fixed_ips:subnet_id", advsvc+" or "+netOwner+" or "+admin+" or rule:shared", advsvc+" or "+adminNet+" or rule:shared"),
		d("update_port:port_security_enabled", advsvc+" or "+netOwner+" or "+admin, advsvc+" or "+adminNet),
		adminOnly("update_port:binding:host_id"),
		adminOnly("update_port:binding:profile"),
		d("update_port:binding:vnic_type", admin+" or "+member+" or "+advsvc, "rule:admin_or_owner or "+advsvc),
		d("update_port:allowed_address_pairs", admin+" or "+netOwner, adminNet),
		d("update_port:allowed_address_pairs:mac_address", admin+" or "+netOwner, adminNet),
		d("update_port:allowed_address_pairs:ip_address", admin+" or "+netOwner, adminNet),
		d("update_port:data_plane_status", admin+" or role:data_plane_integrator", "rule:admin_or_data_plane_int"),
		d("delete_port", admin+" or "+advsvc+" or "+member, advsvc+" or rule:admin_owner_or_network_owner"),
	}
	return out
}
