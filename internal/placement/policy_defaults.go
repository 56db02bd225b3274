package placement

import "github.com/monostack/monostack/internal/policy"

// Placement Zed's policy defaults (placement/policies). The base rules'
// deprecated form is role:admin, so without enforce-new-defaults an admin
// of any scope passes, as upstream.
func policyDefaults() []policy.Default {
	const (
		sysAdmin  = "rule:system_admin_api"
		sysReader = "rule:system_reader_api"
	)
	out := []policy.Default{
		{Name: "admin_api", Check: "role:admin"},
		{Name: "system_admin_api", Check: "role:admin and system_scope:all", Deprecated: "role:admin"},
		{Name: "system_reader_api", Check: "role:reader and system_scope:all", Deprecated: "role:admin"},
		{Name: "project_reader_api", Check: "role:reader and project_id:%(project_id)s", Deprecated: "role:admin"},
		{Name: "system_or_project_reader", Check: "rule:system_reader_api or rule:project_reader_api", Deprecated: "role:admin"},
		{Name: "placement:usages", Check: "rule:system_or_project_reader"},
		{Name: "placement:resource_providers:usages", Check: sysReader},
		{Name: "placement:allocations:manage", Check: sysAdmin},
		{Name: "placement:allocations:list", Check: sysReader},
		{Name: "placement:allocations:update", Check: sysAdmin},
		{Name: "placement:allocations:delete", Check: sysAdmin},
		{Name: "placement:resource_providers:allocations:list", Check: sysReader},
		{Name: "placement:allocation_candidates:list", Check: sysReader},
		{Name: "placement:reshaper:reshape", Check: sysAdmin},
		{Name: "placement:resource_providers:aggregates:list", Check: sysReader},
		{Name: "placement:resource_providers:aggregates:update", Check: sysAdmin},
	}
	crud := func(prefix string, verbs ...string) {
		for _, v := range verbs {
			check := sysAdmin
			if v == "list" || v == "show" {
				check = sysReader
			}
			out = append(out, policy.Default{Name: prefix + v, Check: check})
		}
	}
	crud("placement:resource_providers:", "list", "create", "show", "update", "delete")
	crud("placement:resource_classes:", "list", "create", "show", "update", "delete")
	crud("placement:resource_providers:inventories:", "list", "create", "show", "update", "delete")
	crud("placement:traits:", "list", "show", "update", "delete")
	crud("placement:resource_providers:traits:", "list", "update", "delete")
	return out
}
