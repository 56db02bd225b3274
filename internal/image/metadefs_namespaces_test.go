package image_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

const nsBase = "/v2/metadefs/namespaces"

// mdJSON is a response body re-encoded with sorted keys, for comparing
// whole bodies.
func mdJSON(t *testing.T, r *response) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.Raw, &v); err != nil {
		t.Fatalf("not JSON: %s", r.Raw)
	}
	return string(mustMarshal(v))
}

func mdOK(t *testing.T, r *response, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Raw)
	}
}

// fullNamespace is a create body with every kind of content.
func fullNamespace(name string) map[string]any {
	return map[string]any{
		"namespace": name, "display_name": "Full", "description": "all of it", "visibility": "public", "protected": true,
		"resource_type_associations": []any{map[string]any{"name": "OS::Nova::Flavor", "prefix": "hw:"},
			map[string]any{"name": "Brand::New", "properties_target": "image"}},
		"properties": map[string]any{
			"p": map[string]any{"title": "P", "type": "integer", "minimum": 1.5, "maximum": 10, "default": 3, "readonly": true},
			"q": map[string]any{"title": "Q", "type": "boolean", "default": true},
			"r": map[string]any{"title": "R", "type": "array", "items": map[string]any{"type": "string", "enum": []any{"a", "b"}},
				"default": []any{1}, "uniqueItems": true, "operators": []any{"<or>"}},
		},
		"objects": []any{map[string]any{"name": "o1", "description": "od", "required": []any{"a"},
			"properties": map[string]any{"a": map[string]any{"title": "A", "type": "string"}}}},
		"tags": []any{map[string]any{"name": "t1"}, map[string]any{"name": "t2"}},
	}
}

func TestMetadefNamespaceCreateShowsWhatWasGiven(t *testing.T) {
	e := start(t)
	r := e.do(t, "POST", nsBase, e.admin, fullNamespace("full"))
	mdOK(t, r, 201)
	if loc := r.Header.Get("Location"); loc != e.url+nsBase+"/full" {
		t.Fatalf("Location %q", loc)
	}
	wantKeys := []string{"namespace", "display_name", "description", "visibility", "protected", "owner", "created_at",
		"updated_at", "resource_type_associations", "properties", "objects", "tags", "self", "schema"}
	if got := orderedKeys(t, r.Raw); !reflect.DeepEqual(got, wantKeys) {
		t.Fatalf("keys %v", got)
	}
	// Glance's wsme model: limits become integers, defaults the text of a
	// scalar (null otherwise); the request's contents are echoed as given.
	props := mdJSON(t, &response{Raw: mustMarshal(r.Body["properties"])})
	wantProps := `{"p":{"default":"3","maximum":10,"minimum":1,"readonly":true,"title":"P","type":"integer"},` +
		`"q":{"default":"True","title":"Q","type":"boolean"},` +
		`"r":{"default":null,"items":{"enum":["a","b"],"type":"string"},"operators":["<or>"],"title":"R","type":"array","uniqueItems":true}}`
	if props != wantProps {
		t.Fatalf("properties %s", props)
	}
	objects := string(mustMarshal(r.Body["objects"]))
	if objects != `[{"description":"od","name":"o1","properties":{"a":{"title":"A","type":"string"}},"required":["a"]}]` {
		t.Fatalf("objects %s", objects)
	}
	assocs := string(mustMarshal(r.Body["resource_type_associations"]))
	if assocs != `[{"name":"OS::Nova::Flavor","prefix":"hw:"},{"name":"Brand::New","properties_target":"image"}]` {
		t.Fatalf("associations %s", assocs)
	}
	if r.Body["owner"] == "" || r.Body["created_at"] != r.Body["updated_at"] || r.Body["self"] != nsBase+"/full" ||
		r.Body["schema"] != "/v2/schemas/metadefs/namespace" {
		t.Fatalf("namespace %s", r.Raw)
	}
}

// mustMarshal encodes v with sorted keys, "<" and ">" as they are.
func mustMarshal(v any) []byte {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return []byte(strings.TrimSuffix(b.String(), "\n"))
}

func TestMetadefNamespaceShowHasItsContents(t *testing.T) {
	e := start(t)
	mdOK(t, e.do(t, "POST", nsBase, e.admin, fullNamespace("full")), 201)
	r := e.do(t, "GET", nsBase+"/full", e.admin, nil)
	mdOK(t, r, 200)
	objects := r.Body["objects"].([]any)
	o := objects[0].(map[string]any)
	if len(objects) != 1 || o["self"] != nsBase+"/full/objects/o1" || o["schema"] != "/v2/schemas/metadefs/object" || o["created_at"] == nil {
		t.Fatalf("objects %s", mustMarshal(objects))
	}
	// Tags newest first; associations with their times.
	if tags := string(mustMarshal(r.Body["tags"])); tags != `[{"name":"t2"},{"name":"t1"}]` {
		t.Fatalf("tags %s", tags)
	}
	assoc := r.Body["resource_type_associations"].([]any)[0].(map[string]any)
	if assoc["name"] != "OS::Nova::Flavor" || assoc["created_at"] == nil || assoc["updated_at"] == nil {
		t.Fatalf("associations %s", mustMarshal(r.Body["resource_type_associations"]))
	}
	// ?resource_type= puts that association's prefix on property names.
	r = e.do(t, "GET", nsBase+"/full?resource_type=OS::Nova::Flavor", e.admin, nil)
	mdOK(t, r, 200)
	o = r.Body["objects"].([]any)[0].(map[string]any)
	if _, ok := r.Body["properties"].(map[string]any)["hw:p"]; !ok || o["required"].([]any)[0] != "hw:a" {
		t.Fatalf("prefixed %s", r.Raw)
	}
	if _, ok := o["properties"].(map[string]any)["hw:a"]; !ok {
		t.Fatalf("prefixed object %s", r.Raw)
	}
	// An empty namespace shows no content keys at all.
	mdOK(t, e.do(t, "POST", nsBase, e.admin, map[string]any{"namespace": "bare"}), 201)
	r = e.do(t, "GET", nsBase+"/bare", e.admin, nil)
	want := []string{"namespace", "visibility", "protected", "owner", "created_at", "updated_at", "self", "schema"}
	if got := orderedKeys(t, r.Raw); !reflect.DeepEqual(got, want) {
		t.Fatalf("bare namespace keys %v", got)
	}
}

func TestMetadefNamespaceUpdateReplacesAttributes(t *testing.T) {
	e := start(t)
	mdOK(t, e.do(t, "POST", nsBase, e.admin, fullNamespace("full")), 201)
	r := e.do(t, "PUT", nsBase+"/full", e.admin, map[string]any{"namespace": "renamed", "description": "new"})
	mdOK(t, r, 200)
	// Absent attributes take the create defaults: private, unprotected,
	// the caller's project; display_name goes.
	if r.Body["visibility"] != "private" || r.Body["protected"] != false || r.Body["description"] != "new" ||
		r.Body["display_name"] != nil || r.Body["self"] != nsBase+"/renamed" || r.Body["objects"] != nil {
		t.Fatalf("updated %s", r.Raw)
	}
	if r.Body["updated_at"] == nil {
		t.Fatalf("no updated_at: %s", r.Raw)
	}
	mdOK(t, e.do(t, "GET", nsBase+"/full", e.admin, nil), 404)
	r = e.do(t, "GET", nsBase+"/renamed", e.admin, nil)
	if len(r.Body["objects"].([]any)) != 1 || len(r.Body["tags"].([]any)) != 2 {
		t.Fatalf("contents lost in the rename: %s", r.Raw)
	}
	mdOK(t, e.do(t, "DELETE", nsBase+"/renamed", e.admin, nil), 204)
	mdOK(t, e.do(t, "GET", nsBase+"/renamed", e.admin, nil), 404)
}

func TestMetadefNamespaceList(t *testing.T) {
	e := start(t)
	for _, n := range []string{"a", "b", "c"} {
		mdOK(t, e.do(t, "POST", nsBase, e.admin, map[string]any{"namespace": n, "visibility": "public",
			"resource_type_associations": []any{map[string]any{"name": "T::" + n}}}), 201)
	}
	mdOK(t, e.do(t, "POST", nsBase, e.admin, map[string]any{"namespace": "hidden"}), 201)
	r := e.do(t, "GET", nsBase+"?limit=2&sort_key=namespace&sort_dir=asc", e.admin, nil)
	mdOK(t, r, 200)
	if got := orderedKeys(t, r.Raw); !reflect.DeepEqual(got, []string{"namespaces", "next", "schema", "first"}) {
		t.Fatalf("keys %v", got)
	}
	if names(r) != "a,b" || r.Body["next"] != nsBase+"?limit=2&sort_key=namespace&sort_dir=asc&marker=b" ||
		r.Body["first"] != nsBase+"?limit=2&sort_key=namespace&sort_dir=asc" || r.Body["schema"] != "/v2/schemas/metadefs/namespaces" {
		t.Fatalf("page 1: %s", r.Raw)
	}
	// Listed namespaces carry their associations, not their contents.
	first := r.Body["namespaces"].([]any)[0].(map[string]any)
	if first["resource_type_associations"].([]any)[0].(map[string]any)["name"] != "T::a" {
		t.Fatalf("associations: %s", r.Raw)
	}
	r = e.do(t, "GET", strings.TrimPrefix(r.Body["next"].(string), ""), e.admin, nil)
	if names(r) != "c,hidden" {
		t.Fatalf("page 2: %s", r.Raw)
	}
	r = e.do(t, "GET", nsBase+"?visibility=private", e.admin, nil)
	if names(r) != "hidden" || r.Body["next"] != nil || r.Body["first"] != nsBase+"?visibility=private" {
		t.Fatalf("private: %s", r.Raw)
	}
	r = e.do(t, "GET", nsBase+"?resource_types=T::b,T::c", e.admin, nil)
	if names(r) != "c,b" {
		t.Fatalf("by resource types (newest first): %s", r.Raw)
	}
	// A project member sees public namespaces only.
	alice, _ := e.project(t, "alice")
	r = e.do(t, "GET", nsBase+"?sort_key=namespace&sort_dir=asc", alice, nil)
	if names(r) != "a,b,c" {
		t.Fatalf("member list: %s", r.Raw)
	}
}

func names(r *response) string {
	var out []string
	list, _ := r.Body["namespaces"].([]any)
	for _, n := range list {
		out = append(out, n.(map[string]any)["namespace"].(string))
	}
	return strings.Join(out, ",")
}
