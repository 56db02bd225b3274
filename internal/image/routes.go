package image

import "github.com/monostack/monostack/internal/httpx"

// addRoutes is the image route table.
func (s *Service) addRoutes(rt *httpx.Router) {
	pub := httpx.Public
	rt.Handle("GET", "/{$}", s.versions, pub)
	rt.Handle("GET", "/versions", s.versions, pub)

	rt.Handle("GET", "/v2/images", s.listImages)
	rt.Handle("POST", "/v2/images", s.createImage)
	rt.Handle("GET", "/v2/images/{image_id}", s.showImage)
	rt.Handle("DELETE", "/v2/images/{image_id}", s.deleteImage)
	rt.Handle("PATCH", "/v2/images/{image_id}", s.patchImage)
	rt.Handle("PUT", "/v2/images/{image_id}/tags/{tag_value}", s.addTag)
	rt.Handle("DELETE", "/v2/images/{image_id}/tags/{tag_value}", s.deleteTag)
	rt.Handle("POST", "/v2/images/{image_id}/actions/deactivate", s.deactivateImage)
	rt.Handle("POST", "/v2/images/{image_id}/actions/reactivate", s.reactivateImage)
	rt.Handle("PUT", "/v2/images/{image_id}/file", s.uploadImage, httpx.Stream)
	rt.Handle("GET", "/v2/images/{image_id}/file", s.downloadImage)
	rt.Handle("PUT", "/v2/images/{image_id}/stage", s.stageImage, httpx.Stream)
	rt.Handle("POST", "/v2/images/{image_id}/import", s.importImage)
	rt.Handle("GET", "/v2/images/{image_id}/tasks", s.listImageTasks)
	rt.Handle("GET", "/v2/images/{image_id}/members", s.listMembers)
	rt.Handle("POST", "/v2/images/{image_id}/members", s.createMember)
	rt.Handle("GET", "/v2/images/{image_id}/members/{member_id}", s.showMember)
	rt.Handle("PUT", "/v2/images/{image_id}/members/{member_id}", s.updateMember)
	rt.Handle("DELETE", "/v2/images/{image_id}/members/{member_id}", s.deleteMember)

	rt.Handle("GET", "/v2/schemas/image", s.showSchema(imageSchemaDoc))
	rt.Handle("GET", "/v2/schemas/images", s.showSchema(collectionSchema("images", imageSchemaDoc, false)))
	rt.Handle("GET", "/v2/schemas/member", s.showSchema(memberSchema()))
	rt.Handle("GET", "/v2/schemas/members", s.showSchema(membersSchema()))
	rt.Handle("GET", "/v2/info/import", s.importInfo)
	rt.Handle("GET", "/v2/info/stores", s.storesInfo)

	const ns = "/v2/metadefs/namespaces/{namespace}"
	for _, name := range []string{"namespace", "namespaces", "object", "objects", "property", "properties",
		"tag", "tags", "resource_type", "resource_types"} {
		rt.Handle("GET", "/v2/schemas/metadefs/"+name, s.showSchema(metadefSchemaDocs()[name]))
	}
	rt.Handle("GET", "/v2/metadefs/resource_types", s.listResourceTypesHandler)
	rt.Handle("GET", "/v2/metadefs/namespaces", s.listNamespaces)
	rt.Handle("POST", "/v2/metadefs/namespaces", s.createNamespace)
	rt.Handle("GET", ns, s.showNamespace)
	rt.Handle("PUT", ns, s.updateNamespace)
	rt.Handle("DELETE", ns, s.deleteNamespace)
	rt.Handle("GET", ns+"/resource_types", s.listAssociationsHandler)
	rt.Handle("POST", ns+"/resource_types", s.createAssociation)
	rt.Handle("DELETE", ns+"/resource_types/{resource_type}", s.deleteAssociation)
	rt.Handle("GET", ns+"/objects", s.listNamespaceObjects)
	rt.Handle("POST", ns+"/objects", s.createObject)
	rt.Handle("DELETE", ns+"/objects", s.deleteNamespaceContent("image_metadef_objects", "delete_metadef_namespace"))
	rt.Handle("GET", ns+"/objects/{object_name}", s.showObject)
	rt.Handle("PUT", ns+"/objects/{object_name}", s.updateObject)
	rt.Handle("DELETE", ns+"/objects/{object_name}", s.deleteObject)
	rt.Handle("GET", ns+"/properties", s.listNamespaceProperties)
	rt.Handle("POST", ns+"/properties", s.createProperty)
	rt.Handle("DELETE", ns+"/properties", s.deleteNamespaceContent("image_metadef_properties", "delete_metadef_namespace"))
	rt.Handle("GET", ns+"/properties/{property_name}", s.showProperty)
	rt.Handle("PUT", ns+"/properties/{property_name}", s.replaceProperty)
	rt.Handle("DELETE", ns+"/properties/{property_name}", s.deleteProperty)
	rt.Handle("GET", ns+"/tags", s.listNamespaceTags)
	rt.Handle("POST", ns+"/tags", s.createMetadefTags)
	rt.Handle("DELETE", ns+"/tags", s.deleteNamespaceContent("image_metadef_tags", "delete_metadef_namespace", "delete_metadef_tags"))
	rt.Handle("GET", ns+"/tags/{tag_name}", s.showMetadefTag)
	rt.Handle("POST", ns+"/tags/{tag_name}", s.createMetadefTag)
	rt.Handle("PUT", ns+"/tags/{tag_name}", s.replaceMetadefTag)
	rt.Handle("DELETE", ns+"/tags/{tag_name}", s.deleteMetadefTag)
}
