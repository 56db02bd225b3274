package image_test

import (
	"testing"
)

// Refused metadef requests: Glance's status and message, and nothing
// changed. Messages were recorded from Glance Zed (their first line: the
// jsonschema detail Glance appends is left out, as for images).
func TestMetadefRefusals(t *testing.T) {
	e := start(t)
	alice, aliceProject := e.project(t, "alice")
	mdOK(t, e.do(t, "POST", nsBase, e.admin, fullNamespace("guarded")), 201)
	mdOK(t, e.do(t, "POST", nsBase, e.admin, map[string]any{"namespace": "mine", "owner": aliceProject}), 201)
	mdOK(t, e.do(t, "POST", nsBase, e.admin, map[string]any{"namespace": "secret"}), 201)
	const g = nsBase + "/guarded"
	cases := []struct {
		name, method, path, token string
		body                      any
		status                    int
		message                   string
	}{
		{"duplicate namespace", "POST", nsBase, e.admin, map[string]any{"namespace": "guarded"}, 409,
			"The metadata definition namespace=guarded already exists."},
		{"unknown namespace", "GET", nsBase + "/nope", e.admin, nil, 404, "Metadata definition namespace=nope was not found."},
		{"unknown namespace update", "PUT", nsBase + "/nope", e.admin, map[string]any{"namespace": "nope"}, 404, "Namespace nope not found"},
		{"non-admin creates a public namespace", "POST", nsBase, alice, map[string]any{"namespace": "x", "visibility": "public"}, 403,
			"You are not authorized to complete add_metadef_namespace action."},
		{"non-admin deletes a public namespace", "DELETE", g, alice, nil, 403,
			"You are not authorized to complete delete_metadef_namespace action."},
		{"non-admin sees no other project's namespace", "GET", nsBase + "/secret", alice, nil, 404, "The resource could not be found."},
		{"non-admin cannot change its own namespace", "PUT", nsBase + "/mine", alice, map[string]any{"namespace": "mine"}, 403,
			"You are not authorized to complete modify_metadef_namespace action."},
		{"hidden namespace's objects", "GET", nsBase + "/secret/objects", alice, nil, 404, "Namespace secret not found"},
		{"protected delete", "DELETE", g, e.admin, nil, 403, "Metadata definition namespace guarded is protected and cannot be deleted."},
		{"protected delete of all objects", "DELETE", g + "/objects", e.admin, nil, 403,
			"Metadata definition namespace guarded is protected and cannot be deleted."},
		{"protected delete of all tags", "DELETE", g + "/tags", e.admin, nil, 403,
			"Metadata definition namespace guarded is protected and cannot be deleted."},
		{"protected object delete", "DELETE", g + "/objects/o1", e.admin, nil, 403, "Metadata definition object o1 is protected and cannot be deleted."},
		{"protected property delete", "DELETE", g + "/properties/p", e.admin, nil, 403,
			"Metadata definition property p is protected and cannot be deleted."},
		{"protected tag delete", "DELETE", g + "/tags/t1", e.admin, nil, 403, "Metadata definition tag t1 is protected and cannot be deleted."},
		{"protected association delete", "DELETE", g + "/resource_types/OS::Nova::Flavor", e.admin, nil, 403,
			"Metadata definition resource-type-association OS::Nova::Flavor is protected and cannot be deleted."},
		{"invalid property type", "POST", nsBase, e.admin, map[string]any{"namespace": "x",
			"properties": map[string]any{"p": map[string]any{"title": "t", "type": "str"}}}, 400,
			"Provided object does not match schema 'namespace': 'str' is not one of ['array', 'boolean', 'integer', 'number', 'object', 'string', None]"},
		{"property without title", "POST", g + "/properties", e.admin, map[string]any{"name": "x", "type": "string"}, 400,
			"Provided object does not match schema 'property': 'title' is a required property"},
		{"property attribute Glance does not know", "POST", g + "/properties", e.admin,
			map[string]any{"name": "x", "title": "t", "type": "string", "required": []any{"a"}}, 400,
			"Provided object does not match schema 'property': Additional properties are not allowed ('required' was unexpected)"},
		{"enum of numbers", "POST", nsBase, e.admin, map[string]any{"namespace": "x",
			"properties": map[string]any{"p": map[string]any{"title": "t", "type": "integer", "enum": []any{1, 2}}}}, 400,
			"Provided object does not match schema 'namespace': 1 is not of type 'string'"},
		{"negative minLength", "POST", nsBase, e.admin, map[string]any{"namespace": "x",
			"properties": map[string]any{"p": map[string]any{"title": "t", "type": "string", "minLength": -1}}}, 400,
			"Provided object does not match schema 'namespace': -1 is less than the minimum of 0"},
		{"object property checked against the property schema", "POST", g + "/objects", e.admin,
			map[string]any{"name": "x", "properties": map[string]any{"a": map[string]any{"title": "t", "type": "string", "confidential": true}}}, 400,
			"Provided object does not match schema 'property': Additional properties are not allowed ('confidential' was unexpected)"},
		{"duplicate required names", "POST", g + "/objects", e.admin, map[string]any{"name": "x", "required": []any{"a", "a"}}, 400,
			"Provided object does not match schema 'object': ['a', 'a'] has non-unique elements"},
		{"unknown attributes", "POST", nsBase, e.admin, map[string]any{"namespace": "x", "zzz": 1, "aaa": 2}, 400,
			"Provided object does not match schema 'namespace': Additional properties are not allowed ('aaa', 'zzz' were unexpected)"},
		{"the worse of two errors", "POST", nsBase, e.admin, map[string]any{"namespace": 5, "visibility": "x"}, 400,
			"Provided object does not match schema 'namespace': 5 is not of type 'string'"},
		{"read-only attribute", "POST", nsBase, e.admin, map[string]any{"namespace": "x", "self": "y"}, 403, "Attribute 'self' is read-only."},
		{"nested object without name", "POST", nsBase, e.admin, map[string]any{"namespace": "x", "objects": []any{map[string]any{}}}, 400,
			"Provided object does not match schema 'namespace': 'name' is a required property"},
		{"duplicate tags in a batch", "POST", g + "/tags", e.admin, map[string]any{"tags": []any{map[string]any{"name": "n"}, map[string]any{"name": "n"}}}, 409,
			"A metadata tag with name=n already exists in namespace=guarded. (Please note that metadata tag names are case insensitive)."},
		{"duplicate tag", "POST", g + "/tags/t1", e.admin, nil, 409,
			"A metadata tag with name=t1 already exists in namespace=guarded. (Please note that metadata tag names are case insensitive)."},
		{"duplicate object", "POST", g + "/objects", e.admin, map[string]any{"name": "o1"}, 409,
			"A metadata definition object with name=o1 already exists in namespace=guarded."},
		{"duplicate association", "POST", g + "/resource_types", e.admin, map[string]any{"name": "OS::Nova::Flavor"}, 409,
			"The metadata definition resource-type association of resource-type=OS::Nova::Flavor to namespace=guarded already exists."},
		{"rename onto another namespace", "PUT", g, e.admin, map[string]any{"namespace": "secret"}, 409,
			"Invalid update. It would result in a duplicate metadata definition namespace with the same name of secret"},
		{"unknown object", "GET", g + "/objects/nope", e.admin, nil, 404, "Could not find metadata object nope"},
		{"unknown property", "GET", g + "/properties/nope", e.admin, nil, 404, "Could not find property nope"},
		{"unknown tag", "GET", g + "/tags/nope", e.admin, nil, 404, "Could not find metadata tag nope"},
		{"unknown association", "DELETE", g + "/resource_types/Nope", e.admin, nil, 404, "Failed to find resource type Nope to delete"},
		{"unprefixed property", "GET", g + "/properties/p?resource_type=OS::Nova::Flavor", e.admin, nil, 404,
			"Property p does not start with the expected resource type association prefix of 'hw:'."},
		{"body on a show", "GET", g, e.admin, []byte(`{"a":1}`), 400, "A body is not expected with this request."},
		{"no body", "POST", nsBase, e.admin, []byte{}, 400, "Body expected in request."},
		{"bad sort direction", "GET", nsBase + "?sort_dir=up", e.admin, nil, 400, "Invalid sort direction: up"},
		{"bad visibility filter", "GET", nsBase + "?visibility=shared", e.admin, nil, 400, "Invalid visibility value: shared"},
		{"negative limit", "GET", nsBase + "?limit=-1", e.admin, nil, 400, "limit param must be positive"},
		{"unknown marker", "GET", nsBase + "?marker=nope", e.admin, nil, 404, "Metadata definition namespace=nope was not found."},
		{"hidden marker", "GET", nsBase + "?marker=secret", alice, nil, 403,
			"Forbidding request, metadata definition namespace=secret is not visible."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if msg := e.refused(t, c.method, c.path, c.token, c.body, c.status); msg != c.message {
				t.Fatalf("message %q\nwant    %q", msg, c.message)
			}
		})
	}
}
