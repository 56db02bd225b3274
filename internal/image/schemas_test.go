package image_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func jsonMember(t *testing.T, raw []byte, key string) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m[key]
}

// The image schema has Glance Zed's members in its order: the base
// attributes, then schema-image.json's typed properties.
func TestImageSchema(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	r := e.do(t, "GET", "/v2/schemas/image", alice, nil)
	if r.Status != 200 || strings.Join(orderedKeys(t, r.Raw), " ") != "name properties additionalProperties links" || r.Body["name"] != "image" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	props := jsonMember(t, r.Raw, "properties")
	want := "id name status visibility protected os_hidden checksum os_hash_algo os_hash_value owner size virtual_size " +
		"container_format disk_format created_at updated_at tags direct_url min_ram min_disk self file stores schema locations " +
		"kernel_id ramdisk_id instance_uuid architecture os_distro os_version description cinder_encryption_key_id cinder_encryption_key_deletion_policy"
	if got := strings.Join(orderedKeys(t, props), " "); got != want {
		t.Fatalf("properties:\n%s\nwant\n%s", got, want)
	}
	var defs map[string]map[string]any
	_ = json.Unmarshal(props, &defs)
	var readOnly, custom []string
	for name, d := range defs {
		if d["readOnly"] == true {
			readOnly = append(readOnly, name)
		}
		if d["is_base"] == false {
			custom = append(custom, name)
		}
	}
	slices.Sort(readOnly)
	if strings.Join(readOnly, " ") != "checksum created_at direct_url file os_hash_algo os_hash_value schema self size status stores updated_at virtual_size" {
		t.Fatalf("read-only: %v", readOnly)
	}
	if len(custom) != 9 || defs["kernel_id"]["pattern"] == nil || defs["owner"]["maxLength"] != 255.0 {
		t.Fatalf("custom properties %v, kernel_id %v", custom, defs["kernel_id"])
	}
	enum, _ := json.Marshal(defs["disk_format"]["enum"])
	if string(enum) != `[null,"ami","ari","aki","vhd","vhdx","vmdk","raw","qcow2","vdi","iso","ploop"]` {
		t.Fatalf("disk formats %s", enum)
	}
	if string(jsonMember(t, r.Raw, "additionalProperties")) != `{"type":"string"}` ||
		string(jsonMember(t, r.Raw, "links")) != `[{"rel":"self","href":"{self}"},{"rel":"enclosure","href":"{file}"},{"rel":"describedby","href":"{schema}"}]` {
		t.Fatalf("%s", r.Raw)
	}
	// Clients take what the schema lists as base attributes: every
	// attribute of an image view is one.
	id := e.newImage(t, alice, map[string]any{"foo": "bar"})
	for k := range e.do(t, "GET", "/v2/images/"+id, alice, nil).Body {
		if _, ok := defs[k]; !ok && k != "foo" {
			t.Errorf("the image view's %q is not in the schema", k)
		}
	}
}

func TestCollectionAndMemberSchemas(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	image := e.do(t, "GET", "/v2/schemas/image", alice, nil)
	images := e.do(t, "GET", "/v2/schemas/images", alice, nil)
	if images.Status != 200 || strings.Join(orderedKeys(t, images.Raw), " ") != "name properties links" || images.Body["name"] != "images" {
		t.Fatalf("%d %s", images.Status, images.Raw)
	}
	props := jsonMember(t, images.Raw, "properties")
	if strings.Join(orderedKeys(t, props), " ") != "images first next schema" ||
		!bytes.Equal(jsonMember(t, jsonMember(t, props, "images"), "items"), image.Raw) ||
		string(jsonMember(t, images.Raw, "links")) != `[{"rel":"first","href":"{first}"},{"rel":"next","href":"{next}"},{"rel":"describedby","href":"{schema}"}]` {
		t.Fatalf("images schema: %s", images.Raw)
	}
	m := e.do(t, "GET", "/v2/schemas/member", alice, nil)
	if m.Status != 200 || strings.Join(orderedKeys(t, m.Raw), " ") != "name properties" ||
		strings.Join(orderedKeys(t, jsonMember(t, m.Raw, "properties")), " ") != "member_id image_id created_at updated_at status schema" {
		t.Fatalf("member schema: %s", m.Raw)
	}
	status := string(jsonMember(t, jsonMember(t, jsonMember(t, m.Raw, "properties"), "status"), "enum"))
	if status != `["pending","accepted","rejected"]` {
		t.Fatalf("member statuses %s", status)
	}
	ms := e.do(t, "GET", "/v2/schemas/members", alice, nil)
	props = jsonMember(t, ms.Raw, "properties")
	if ms.Status != 200 || strings.Join(orderedKeys(t, props), " ") != "members schema" ||
		!bytes.Equal(jsonMember(t, jsonMember(t, props, "members"), "items"), m.Raw) ||
		string(jsonMember(t, ms.Raw, "links")) != `[{"rel":"describedby","href":"{schema}"}]` {
		t.Fatalf("members schema: %s", ms.Raw)
	}
	if r := e.do(t, "GET", "/v2/schemas/image", "", nil); r.Status != 401 {
		t.Fatalf("without a token: %d", r.Status)
	}
	if r := e.do(t, "GET", "/v2/schemas/bogus", alice, nil); r.Status != 404 || r.Body["message"] != plainMsg("The resource could not be found.") {
		t.Fatalf("unknown schema: %d %s", r.Status, r.Raw)
	}
}
