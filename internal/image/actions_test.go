package image_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/monostack/monostack/internal/image"
)

func TestDeactivateAndReactivate(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	id := e.activeImage(t, alice, map[string]any{"disk_format": "raw", "container_format": "bare"})
	path := "/v2/images/" + id
	status := func() any { return e.do(t, "GET", path, alice, nil).Body["status"] }
	for range 2 {
		if r := e.do(t, "POST", path+"/actions/deactivate", alice, nil); r.Status != 204 || len(r.Raw) != 0 || status() != "deactivated" {
			t.Fatalf("deactivate: %d %s", r.Status, r.Raw)
		}
	}
	e.expectRefusal(t, 403, plainMsg("The requested image has been deactivated. Image data download is forbidden."), func() *response {
		return e.do(t, "GET", path+"/file", alice, nil)
	})
	if r := e.do(t, "GET", path+"/file", e.admin, nil); r.Status != 200 || len(r.Raw) != 4096 {
		t.Fatalf("admin download: %d", r.Status)
	}
	if r := e.patchRaw(t, id, alice, `[{"op": "replace", "path": "/name", "value": "renamed"}]`); r.Status != 200 || r.Body["status"] != "deactivated" {
		t.Fatalf("patch a deactivated image: %d %s", r.Status, r.Raw)
	}
	for range 2 {
		if r := e.do(t, "POST", path+"/actions/reactivate", alice, nil); r.Status != 204 || status() != "active" {
			t.Fatalf("reactivate: %d %s", r.Status, r.Raw)
		}
	}
	if r := e.do(t, "GET", path+"/file", alice, nil); r.Status != 200 || len(r.Raw) != 4096 {
		t.Fatalf("download after reactivation: %d", r.Status)
	}
}

func TestActivationRefused(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	bob, _ := e.project(t, "bob")
	queued := e.newImage(t, alice, map[string]any{})
	community := e.activeImage(t, alice, map[string]any{"visibility": "community", "disk_format": "raw", "container_format": "bare"})
	unknown := "7a4fb7a6-5e0f-4b1e-9d3c-2f7c3c9f1f00"
	cases := []struct {
		token, path string
		status      int
		message     string
	}{
		{alice, queued + "/actions/deactivate", 403, plainMsg("Not allowed to deactivate image in status 'queued'")},
		{alice, queued + "/actions/reactivate", 403, plainMsg("Not allowed to reactivate image in status 'queued'")},
		{alice, community + "/actions/reactivate", 204, ""},
		{bob, community + "/actions/deactivate", 403, plainMsg("You do not own this image")},
		{bob, queued + "/actions/deactivate", 404, plainMsg("No image found with ID " + queued)},
		{alice, unknown + "/actions/deactivate", 404, plainMsg("No image found with ID " + unknown)},
		{alice, community + "/actions/bogus", 404, plainMsg("The resource could not be found.")},
	}
	for _, c := range cases {
		if c.status == 204 {
			if r := e.do(t, "POST", "/v2/images/"+c.path, c.token, nil); r.Status != 204 {
				t.Fatalf("%s: %d %s", c.path, r.Status, r.Raw)
			}
			continue
		}
		e.expectRefusal(t, c.status, c.message, func() *response { return e.do(t, "POST", "/v2/images/"+c.path, c.token, nil) })
	}
	r := e.expectRefusal(t, 405, "The method GET is not allowed for this resource. <br /><br />\n", func() *response {
		return e.do(t, "GET", "/v2/images/"+community+"/actions/deactivate", alice, nil)
	})
	if r.Header.Get("Allow") != "POST" {
		t.Fatalf("Allow %q", r.Header.Get("Allow"))
	}
}

func TestActivationPolicy(t *testing.T) {
	e := start(t)
	policy := filepath.Join(t.TempDir(), "policy.yaml")
	if err := os.WriteFile(policy, []byte(`"deactivate": "role:admin"`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	withImageOptions(t, e, func(o *image.Options) { o.PolicyFile = policy })
	alice, _ := e.project(t, "alice")
	id := e.activeImage(t, alice, map[string]any{"disk_format": "raw", "container_format": "bare"})
	e.expectRefusal(t, 403, plainMsg("You are not authorized to complete deactivate action."), func() *response {
		return e.do(t, "POST", "/v2/images/"+id+"/actions/deactivate", alice, nil)
	})
	if r := e.do(t, "POST", "/v2/images/"+id+"/actions/deactivate", e.admin, nil); r.Status != 204 {
		t.Fatalf("admin: %d %s", r.Status, r.Raw)
	}
	if r := e.do(t, "POST", "/v2/images/"+id+"/actions/reactivate", alice, nil); r.Status != 204 {
		t.Fatalf("reactivate keeps its default: %d %s", r.Status, r.Raw)
	}
}
