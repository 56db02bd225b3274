package image_test

import (
	"reflect"
	"strings"
	"testing"
)

func TestMetadefObjects(t *testing.T) {
	e := start(t)
	mdOK(t, e.do(t, "POST", nsBase, e.admin, map[string]any{"namespace": "ns"}), 201)
	const base = nsBase + "/ns/objects"
	r := e.do(t, "POST", base, e.admin, map[string]any{"name": "db", "required": []any{"port"},
		"properties": map[string]any{"port": map[string]any{"title": "Port", "type": "integer", "minimum": 1, "default": 5432}}})
	mdOK(t, r, 201)
	want := []string{"name", "required", "properties", "created_at", "updated_at", "self", "schema"}
	if got := orderedKeys(t, r.Raw); !reflect.DeepEqual(got, want) || r.Body["self"] != base+"/db" {
		t.Fatalf("created %s", r.Raw)
	}
	mdOK(t, e.do(t, "POST", base, e.admin, map[string]any{"name": "bare"}), 201)
	r = e.do(t, "GET", base+"/bare", e.admin, nil)
	// A stored object always shows its required list and properties.
	if mdJSON(t, &response{Raw: mustMarshal(map[string]any{"required": r.Body["required"], "properties": r.Body["properties"]})}) !=
		`{"properties":{},"required":[]}` {
		t.Fatalf("bare object %s", r.Raw)
	}
	r = e.do(t, "GET", base, e.admin, nil)
	if r.Body["schema"] != "v2/schemas/metadefs/objects" || len(r.Body["objects"].([]any)) != 2 ||
		r.Body["objects"].([]any)[0].(map[string]any)["name"] != "bare" {
		t.Fatalf("list (by name) %s", r.Raw)
	}
	r = e.do(t, "PUT", base+"/db", e.admin, map[string]any{"name": "database", "description": "d"})
	mdOK(t, r, 200)
	if r.Body["name"] != "database" || r.Body["required"] != nil || r.Body["self"] != base+"/database" {
		t.Fatalf("updated %s", r.Raw)
	}
	r = e.do(t, "GET", base+"/database", e.admin, nil)
	if len(r.Body["properties"].(map[string]any)) != 0 || r.Body["description"] != "d" {
		t.Fatalf("replaced object %s", r.Raw)
	}
	mdOK(t, e.do(t, "DELETE", base+"/database", e.admin, nil), 204)
	mdOK(t, e.do(t, "DELETE", base, e.admin, nil), 204)
	if r := e.do(t, "GET", base, e.admin, nil); len(r.Body["objects"].([]any)) != 0 {
		t.Fatalf("objects left: %s", r.Raw)
	}
}

func TestMetadefProperties(t *testing.T) {
	e := start(t)
	mdOK(t, e.do(t, "POST", nsBase, e.admin, map[string]any{"namespace": "ns",
		"resource_type_associations": []any{map[string]any{"name": "OS::Glance::Image", "prefix": "hw_"}}}), 201)
	const base = nsBase + "/ns/properties"
	r := e.do(t, "POST", base, e.admin, map[string]any{"name": "video", "title": "Video", "type": "string",
		"enum": []any{"vga", "qxl"}, "default": "vga"})
	mdOK(t, r, 201)
	if got := orderedKeys(t, r.Raw); !reflect.DeepEqual(got, []string{"name", "type", "title", "default", "enum"}) {
		t.Fatalf("created %s", r.Raw)
	}
	// As upstream, a property created on its own keeps its name in the map.
	r = e.do(t, "GET", base, e.admin, nil)
	if mdJSON(t, r) != `{"properties":{"video":{"default":"vga","enum":["vga","qxl"],"name":"video","title":"Video","type":"string"}}}` {
		t.Fatalf("list %s", r.Raw)
	}
	r = e.do(t, "GET", base+"/hw_video?resource_type=OS::Glance::Image", e.admin, nil)
	mdOK(t, r, 200)
	if r.Body["name"] != "video" {
		t.Fatalf("prefixed show %s", r.Raw)
	}
	r = e.do(t, "PUT", base+"/video", e.admin, map[string]any{"name": "model", "title": "Model", "type": "string"})
	mdOK(t, r, 200)
	mdOK(t, e.do(t, "GET", base+"/video", e.admin, nil), 404)
	if r := e.do(t, "GET", base+"/model", e.admin, nil); r.Body["enum"] != nil || r.Body["title"] != "Model" {
		t.Fatalf("replaced %s", r.Raw)
	}
	mdOK(t, e.do(t, "DELETE", base+"/model", e.admin, nil), 204)
	mdOK(t, e.do(t, "POST", base, e.admin, map[string]any{"name": "a", "title": "A", "type": "string"}), 201)
	mdOK(t, e.do(t, "DELETE", base, e.admin, nil), 204)
	if r := e.do(t, "GET", base, e.admin, nil); mdJSON(t, r) != `{"properties":{}}` {
		t.Fatalf("left %s", r.Raw)
	}
}

func TestMetadefTags(t *testing.T) {
	e := start(t)
	mdOK(t, e.do(t, "POST", nsBase, e.admin, map[string]any{"namespace": "ns"}), 201)
	const base = nsBase + "/ns/tags"
	r := e.do(t, "POST", base, e.admin, map[string]any{"tags": []any{map[string]any{"name": "b"}, map[string]any{"name": "a"}}})
	mdOK(t, r, 201)
	if mdJSON(t, r) != `{"tags":[{"name":"b"},{"name":"a"}]}` {
		t.Fatalf("batch %s", r.Raw)
	}
	// Without X-Openstack-Append a batch replaces the tags; with it, adds.
	mdOK(t, e.do(t, "POST", base, e.admin, map[string]any{"tags": []any{map[string]any{"name": "c"}}}, "X-Openstack-Append", "True"), 201)
	if got := tagList(t, e, base+"?sort_key=name&sort_dir=asc"); got != "a,b,c" {
		t.Fatalf("appended %s", got)
	}
	mdOK(t, e.do(t, "POST", base, e.admin, map[string]any{"tags": []any{map[string]any{"name": "z"}}}), 201)
	if got := tagList(t, e, base); got != "z" {
		t.Fatalf("replaced %s", got)
	}
	r = e.do(t, "POST", base+"/y", e.admin, nil)
	mdOK(t, r, 201)
	if got := orderedKeys(t, r.Raw); !reflect.DeepEqual(got, []string{"name", "created_at", "updated_at"}) {
		t.Fatalf("single %s", r.Raw)
	}
	if got := tagList(t, e, base+"?sort_key=name&sort_dir=asc&marker=y"); got != "z" {
		t.Fatalf("after marker %s", got)
	}
	if got := tagList(t, e, base+"?sort_key=name&limit=1"); got != "z" {
		t.Fatalf("limit %s", got)
	}
	r = e.do(t, "PUT", base+"/y", e.admin, map[string]any{"name": "x"})
	if r.Status != 200 || r.Body["name"] != "x" {
		t.Fatalf("renamed %s", r.Raw)
	}
	mdOK(t, e.do(t, "DELETE", base+"/x", e.admin, nil), 204)
	mdOK(t, e.do(t, "DELETE", base, e.admin, nil), 204)
	if got := tagList(t, e, base); got != "" {
		t.Fatalf("left %s", got)
	}
}

func tagList(t *testing.T, e *env, path string) string {
	t.Helper()
	r := e.do(t, "GET", path, e.admin, nil)
	mdOK(t, r, 200)
	var out []string
	for _, tag := range r.Body["tags"].([]any) {
		out = append(out, tag.(map[string]any)["name"].(string))
	}
	return strings.Join(out, ",")
}

func TestMetadefResourceTypeAssociations(t *testing.T) {
	e := start(t)
	mdOK(t, e.do(t, "POST", nsBase, e.admin, map[string]any{"namespace": "ns"}), 201)
	const base = nsBase + "/ns/resource_types"
	r := e.do(t, "POST", base, e.admin, map[string]any{"name": "My::Type", "prefix": "my_", "properties_target": "image"})
	mdOK(t, r, 201)
	if got := orderedKeys(t, r.Raw); !reflect.DeepEqual(got, []string{"name", "prefix", "properties_target", "created_at", "updated_at"}) {
		t.Fatalf("created %s", r.Raw)
	}
	// The unknown resource type was created, unprotected and updated.
	r = e.do(t, "GET", "/v2/metadefs/resource_types", e.admin, nil)
	types := r.Body["resource_types"].([]any)
	last := types[len(types)-1].(map[string]any)
	if last["name"] != "My::Type" || last["updated_at"] == nil {
		t.Fatalf("resource types %s", r.Raw)
	}
	r = e.do(t, "GET", base, e.admin, nil)
	if len(r.Body["resource_type_associations"].([]any)) != 1 {
		t.Fatalf("associations %s", r.Raw)
	}
	r = e.do(t, "GET", nsBase+"?resource_types=My::Type", e.admin, nil)
	if names(r) != "ns" {
		t.Fatalf("namespaces of My::Type: %s", r.Raw)
	}
	mdOK(t, e.do(t, "DELETE", base+"/My::Type", e.admin, nil), 204)
	if r := e.do(t, "GET", base, e.admin, nil); mdJSON(t, r) != `{"resource_type_associations":[]}` {
		t.Fatalf("left %s", r.Raw)
	}
}

// The metadefs schemas Tempest reads name themselves as upstream's do.
func TestMetadefSchemas(t *testing.T) {
	e := start(t)
	want := map[string]string{"namespace": "namespace", "namespaces": "namespaces", "object": "object", "objects": "objects",
		"property": "property", "properties": "properties", "tag": "tag", "tags": "tags",
		"resource_type": "resource_type_association", "resource_types": "resource_type_associations"}
	for path, name := range want {
		r := e.do(t, "GET", "/v2/schemas/metadefs/"+path, e.admin, nil)
		mdOK(t, r, 200)
		if r.Body["name"] != name {
			t.Fatalf("%s: name %v", path, r.Body["name"])
		}
	}
	r := e.do(t, "GET", "/v2/schemas/metadefs/property", e.admin, nil)
	if got := orderedKeys(t, r.Raw); !reflect.DeepEqual(got, []string{"name", "properties", "additionalProperties", "definitions", "required"}) {
		t.Fatalf("property schema keys %v", got)
	}
	if req := string(mustMarshal(r.Body["required"])); req != `["type","title","name"]` {
		t.Fatalf("required %s", req)
	}
	r = e.do(t, "GET", "/v2/schemas/metadefs/properties", e.admin, nil)
	props := r.Body["properties"].(map[string]any)["properties"].(map[string]any)["additionalProperties"].(map[string]any)
	if req := string(mustMarshal(props["required"])); req != `["type","title"]` || r.Body["definitions"] == nil {
		t.Fatalf("properties schema %s", r.Raw)
	}
}
