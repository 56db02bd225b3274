package image

import "github.com/monostack/monostack/internal/policy"

// Glance Zed's image policy defaults. Most rules' deprecated form is
// rule:default (""), so by default the effective rule is permissive and
// Glance's legacy checks in code decide (owner or admin may change an image;
// visibility decides who sees it), as upstream without enforce_secure_rbac.
func policyDefaults() []policy.Default {
	const (
		member       = "role:member and project_id:%(project_id)s"
		reader       = "role:reader and project_id:%(project_id)s"
		visible      = "project_id:%(project_id)s or project_id:%(member_id)s or 'community':%(visibility)s or 'public':%(visibility)s or 'shared':%(visibility)s"
		adminMember  = "role:admin or (" + member + ")"
		memberOrMine = "role:admin or role:reader and (project_id:%(project_id)s or project_id:%(member_id)s)"
	)
	d := func(name, check string) policy.Default {
		return policy.Default{Name: name, Check: check, Deprecated: "rule:default"}
	}
	const readerOrPublic = "role:admin or (role:reader and (project_id:%(project_id)s or 'public':%(visibility)s))"
	md := func(name, check string) policy.Default {
		return policy.Default{Name: name, Check: check, Deprecated: "rule:metadef_default"}
	}
	return []policy.Default{
		{Name: "default", Check: "", Deprecated: "role:admin"},
		{Name: "context_is_admin", Check: "role:admin"},
		d("add_image", "role:admin or ("+member+" and project_id:%(owner)s)"),
		d("delete_image", adminMember),
		d("get_image", "role:admin or (role:reader and ("+visible+"))"),
		d("get_images", "role:admin or ("+reader+")"),
		d("modify_image", adminMember),
		{Name: "publicize_image", Check: "role:admin"},
		d("communitize_image", adminMember),
		d("download_image", "role:admin or (role:member and ("+visible+"))"),
		d("upload_image", adminMember),
		d("delete_image_location", "role:admin"),
		d("get_image_location", "role:admin or ("+reader+")"),
		d("set_image_location", adminMember),
		d("add_member", adminMember),
		d("delete_member", adminMember),
		d("get_member", memberOrMine),
		d("get_members", memberOrMine),
		d("modify_member", "role:admin or (role:member and project_id:%(member_id)s)"),
		{Name: "manage_image_cache", Check: "role:admin"},
		d("deactivate", adminMember),
		d("reactivate", adminMember),
		{Name: "copy_image", Check: "role:admin"},
		{Name: "stores_info_detail", Check: "role:admin"},
		// Metadata definitions: reads are open by default (their deprecated
		// form is rule:metadef_default, ""), changes are admin-only.
		{Name: "metadef_default", Check: ""},
		{Name: "metadef_admin", Check: "role:admin"},
		md("get_metadef_namespace", readerOrPublic),
		md("get_metadef_namespaces", "role:admin or ("+reader+")"),
		md("get_metadef_object", readerOrPublic),
		md("get_metadef_objects", readerOrPublic),
		md("list_metadef_resource_types", readerOrPublic),
		md("get_metadef_resource_type", readerOrPublic),
		md("get_metadef_property", readerOrPublic),
		md("get_metadef_properties", readerOrPublic),
		md("get_metadef_tag", readerOrPublic),
		md("get_metadef_tags", readerOrPublic),
		{Name: "add_metadef_namespace", Check: "rule:metadef_admin"},
		{Name: "modify_metadef_namespace", Check: "rule:metadef_admin"},
		{Name: "delete_metadef_namespace", Check: "rule:metadef_admin"},
		{Name: "add_metadef_object", Check: "rule:metadef_admin"},
		{Name: "modify_metadef_object", Check: "rule:metadef_admin"},
		{Name: "delete_metadef_object", Check: "rule:metadef_admin"},
		{Name: "add_metadef_resource_type_association", Check: "rule:metadef_admin"},
		{Name: "remove_metadef_resource_type_association", Check: "rule:metadef_admin"},
		{Name: "add_metadef_property", Check: "rule:metadef_admin"},
		{Name: "modify_metadef_property", Check: "rule:metadef_admin"},
		{Name: "remove_metadef_property", Check: "rule:metadef_admin"},
		{Name: "add_metadef_tag", Check: "rule:metadef_admin"},
		{Name: "add_metadef_tags", Check: "rule:metadef_admin"},
		{Name: "modify_metadef_tag", Check: "rule:metadef_admin"},
		{Name: "delete_metadef_tag", Check: "rule:metadef_admin"},
		{Name: "delete_metadef_tags", Check: "rule:metadef_admin"},
	}
}
