package image_test

import (
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
			before := e.id.Snapshot(t)
			body := c.body
			headers := []string{}
			if b, ok := body.([]byte); ok && c.method == "POST" {
				body, headers = b, []string{"Content-Type", "application/json"}
			}
			r := e.do(t, c.method, c.path, alice, body, headers...)
			if r.Status != c.status || !strings.Contains(string(r.Raw), c.message) {
				t.Fatalf("%d %s", r.Status, r.Raw)
			}
			if after := e.id.Snapshot(t); after != before {
				t.Fatal("the refused request changed the database")
			}
		})
	}
}
