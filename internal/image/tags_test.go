package image_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/monostack/monostack/internal/image"
)

func TestImageTags(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	id := e.newImage(t, alice, map[string]any{"tags": []string{"old"}})
	base := "/v2/images/" + id + "/tags/"
	for _, tag := range []string{"new", "new", "with%20space"} {
		if r := e.do(t, "PUT", base+tag, alice, nil); r.Status != 204 || len(r.Raw) != 0 {
			t.Fatalf("PUT %s: %d %s", tag, r.Status, r.Raw)
		}
	}
	shown := e.do(t, "GET", "/v2/images/"+id, alice, nil)
	if fmt.Sprint(shown.Body["tags"]) != "[new old with space]" || shown.Body["updated_at"] == nil {
		t.Fatalf("tags: %s", shown.Raw)
	}
	if r := e.do(t, "DELETE", base+"old", alice, nil); r.Status != 204 {
		t.Fatalf("DELETE: %d %s", r.Status, r.Raw)
	}
	e.expectRefusal(t, 404, plainMsg("The resource could not be found."), func() *response {
		return e.do(t, "DELETE", base+"old", alice, nil)
	})
	long := strings.Repeat("x", 256)
	e.expectRefusal(t, 400, plainMsg("Provided object does not match schema 'image': '"+long+"' is too long"), func() *response {
		return e.do(t, "PUT", base+long, alice, nil)
	})
	if r := e.do(t, "PUT", base+strings.Repeat("x", 255), alice, nil); r.Status != 204 {
		t.Fatalf("255 characters: %d %s", r.Status, r.Raw)
	}
	// Glance routes the decoded path: an escaped "/" matches no route.
	for _, method := range []string{"PUT", "DELETE"} {
		e.expectRefusal(t, 404, plainMsg("The resource could not be found."), func() *response {
			return e.do(t, method, base+"a%2Fb", alice, nil)
		})
	}
	e.expectRefusal(t, 405, "The method GET is not allowed for this resource. <br /><br />\n", func() *response {
		return e.do(t, "GET", base+"new", alice, nil)
	})
	if r := e.do(t, "GET", "/v2/images/"+id, alice, nil); fmt.Sprint(r.Body["tags"]) != "[new with space "+strings.Repeat("x", 255)+"]" {
		t.Fatalf("tags at the end: %s", r.Raw)
	}
}

func TestImageTagsRefused(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	bob, _ := e.project(t, "bob")
	community := e.newImage(t, alice, map[string]any{"visibility": "community", "tags": []string{"t"}})
	private := e.newImage(t, alice, map[string]any{"visibility": "private", "tags": []string{"t"}})
	unknown := "7a4fb7a6-5e0f-4b1e-9d3c-2f7c3c9f1f00"
	cases := []struct {
		method, image, tag string
		status             int
		message            string
	}{
		{"PUT", community, "x", 403, "Not allowed to update tags for image " + community + "."},
		{"DELETE", community, "t", 403, "Not allowed to delete tags for image " + community + "."},
		{"PUT", private, "x", 404, "Image " + private + " not found."},
		{"DELETE", private, "t", 404, "Image " + private + " not found."},
		{"PUT", unknown, "x", 404, "Image " + unknown + " not found."},
		{"DELETE", unknown, "x", 404, "Image " + unknown + " not found."},
	}
	for _, c := range cases {
		e.expectRefusal(t, c.status, plainMsg(c.message), func() *response {
			return e.do(t, c.method, "/v2/images/"+c.image+"/tags/"+c.tag, bob, nil)
		})
	}
	if r := e.do(t, "PUT", "/v2/images/"+community+"/tags/x", e.admin, nil); r.Status != 204 {
		t.Fatalf("admin: %d %s", r.Status, r.Raw)
	}
}

func TestImageTagQuota(t *testing.T) {
	e := start(t)
	withImageOptions(t, e, func(o *image.Options) { o.ImageTagQuota = 2 })
	alice, _ := e.project(t, "alice")
	id := e.newImage(t, alice, map[string]any{"tags": []string{"a", "b"}})
	e.expectRefusal(t, 413, plainMsg("Image tag limit exceeded for image "+id+": The limit has been exceeded on the number of allowed image tags. Attempted: 3, Maximum: 2:"), func() *response {
		return e.do(t, "PUT", "/v2/images/"+id+"/tags/c", alice, nil)
	})
	if r := e.do(t, "PUT", "/v2/images/"+id+"/tags/a", alice, nil); r.Status != 204 {
		t.Fatalf("a tag already there, at the limit: %d %s", r.Status, r.Raw)
	}
	withImageOptions(t, e, func(o *image.Options) { o.ImageTagQuota = -1 })
	if r := e.do(t, "PUT", "/v2/images/"+id+"/tags/c", alice, nil); r.Status != 204 {
		t.Fatalf("unlimited: %d %s", r.Status, r.Raw)
	}
}
