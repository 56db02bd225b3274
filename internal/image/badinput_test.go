package image_test

import (
	"fmt"
	"maps"
	"strings"
	"testing"
)

// TestCreateAndUploadRefusals: bad creates and a second upload are refused
// with Glance's status and message, and change nothing.
func TestCreateAndUploadRefusals(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	id := e.do(t, "POST", "/v2/images", alice, map[string]any{"name": "x", "disk_format": "raw", "container_format": "bare"}).Body["id"].(string)
	if r := e.do(t, "PUT", "/v2/images/"+id+"/file", alice, randomBytes(1024)); r.Status != 204 {
		t.Fatalf("first upload: %d %s", r.Status, r.Raw)
	}
	cases := []struct {
		name, method, path string
		body               any
		status             int
		message            string
	}{
		{"unknown disk_format", "POST", "/v2/images", map[string]any{"disk_format": "qcow3"}, 400,
			"Provided object does not match schema 'image': 'qcow3' is not one of [None, 'ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop']"},
		{"read-only status", "POST", "/v2/images", map[string]any{"status": "active"}, 403, "Attribute 'status' is read-only."},
		{"read-only self", "POST", "/v2/images", map[string]any{"self": "x"}, 403, "Attribute 'self' is read-only."},
		{"negative min_ram", "POST", "/v2/images", map[string]any{"min_ram": -1}, 400, "Invalid value '-1' for parameter 'min_ram': Cannot be a negative value"},
		{"reserved attribute", "POST", "/v2/images", map[string]any{"location": "x"}, 403, "Attribute 'location' is reserved."},
		{"glance namespace", "POST", "/v2/images", map[string]any{"os_glance_x": "y"}, 403, "Attribute 'os_glance_x' is reserved."},
		{"non-string property", "POST", "/v2/images", map[string]any{"colour": 3}, 400, "3 is not of type 'string'"},
		{"duplicate id", "POST", "/v2/images", map[string]any{"id": id}, 409, "Image ID " + id + " already exists!"},
		{"malformed JSON", "POST", "/v2/images", []byte("{"), 400, ""},
		{"second upload", "PUT", "/v2/images/" + id + "/file", randomBytes(10), 409, "Image status transition from active to saving is not allowed"},
		{"unknown image", "GET", "/v2/images/" + strings.Repeat("0", 8) + "-0000-0000-0000-000000000000", nil, 404, "No image found with ID"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			headers := []string{}
			if _, ok := c.body.([]byte); ok && c.method == "POST" {
				headers = []string{"Content-Type", "application/json"}
			}
			r := e.refusal(t, c.status, func() *response { return e.do(t, c.method, c.path, alice, c.body, headers...) })
			if !strings.Contains(string(r.Raw), c.message) {
				t.Fatalf("%d %s", r.Status, r.Raw)
			}
		})
	}
}

// TestCreateChecksAsPatch: a create passes the checks a PATCH does, with
// the real Glance's statuses and messages, in its order (schema, tags,
// properties, then the database's integer range), and stores nothing when
// refused.
func TestCreateChecksAsPatch(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	props := func(n int, more map[string]any) map[string]any {
		body := map[string]any{"name": "many"}
		for i := range n {
			body[fmt.Sprintf("p%03d", i)] = "v"
		}
		maps.Copy(body, more)
		return body
	}
	tags129 := []any{"t0"} // 128 different tags and a duplicate: upstream counts 129
	for i := range 128 {
		tags129 = append(tags129, fmt.Sprintf("t%d", i))
	}
	kernelPattern := "'^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$'"
	long := "it's" + strings.Repeat("x", 255)
	cases := []struct {
		name    string
		body    map[string]any
		status  int
		message string
	}{
		{"129 properties", props(129, nil), 413, "The limit has been exceeded on the number of allowed image properties. Attempted: 129, Maximum: 128"},
		{"min_ram over int32", map[string]any{"min_ram": 2147483648}, 400, "'min_ram' value out of range, must not exceed 2147483647."},
		{"min_disk before min_ram", map[string]any{"min_ram": 2147483648, "min_disk": 2147483648}, 400,
			"'min_disk' value out of range, must not exceed 2147483647."},
		{"129 tags", map[string]any{"tags": tags129}, 413, "The limit has been exceeded on the number of allowed image tags. Attempted: 129, Maximum: 128"},
		{"tags before properties", props(129, map[string]any{"tags": tags129}), 413,
			"The limit has been exceeded on the number of allowed image tags. Attempted: 129, Maximum: 128"},
		{"properties before the range", props(129, map[string]any{"min_ram": 2147483648}), 413,
			"The limit has been exceeded on the number of allowed image properties. Attempted: 129, Maximum: 128"},
		{"schema before quotas", props(129, map[string]any{"kernel_id": "nope"}), 400,
			"Provided object does not match schema 'image': 'nope' does not match " + kernelPattern},
		{"typed property", map[string]any{"kernel_id": "nope"}, 400,
			"Provided object does not match schema 'image': 'nope' does not match " + kernelPattern},
		{"value as Python prints it", map[string]any{"name": 1.5}, 400, "Provided object does not match schema 'image': 1.5 is not of type 'null', 'string'"},
		{"tag as Python prints it", map[string]any{"tags": []string{long}}, 400, `Provided object does not match schema 'image': "` + long + `" is too long`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if msg := e.refused(t, "POST", "/v2/images", alice, c.body, c.status); msg != c.message {
				t.Fatalf("%q\nwant %q", msg, c.message)
			}
		})
	}
	r := e.do(t, "POST", "/v2/images", alice, props(128, map[string]any{"min_ram": 2147483647, "min_disk": 2147483647, "tags": tags129[1:]}))
	if r.Status != 201 || r.Body["min_ram"] != float64(2147483647) || len(r.Body["tags"].([]any)) != 128 {
		t.Fatalf("at the limits: %d %s", r.Status, r.Raw)
	}
	// Glance's database layer stores an empty owner as none, as on PATCH.
	id := e.newImage(t, e.admin, map[string]any{"owner": ""})
	if r := e.do(t, "GET", "/v2/images/"+id, e.admin, nil); r.Status != 200 || r.Body["owner"] != nil {
		t.Fatalf("empty owner: %d %s", r.Status, r.Raw)
	}
}
