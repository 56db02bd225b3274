package image_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/imagedata"
	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/images"

	"github.com/monostack/monostack/internal/image"
)

const (
	patchV21 = "application/openstack-images-v2.1-json-patch"
	patchV20 = "application/openstack-images-v2.0-json-patch"
)

const (
	forbiddenStock = "Access was denied to this resource."
	conflictStock  = "There was a conflict when trying to complete your request."
)

// patchRaw sends a JSON-patch body with the v2.1 media type unless headers
// say otherwise.
func (e *env) patchRaw(t *testing.T, id, token, body string, headers ...string) *response {
	t.Helper()
	return e.do(t, "PATCH", "/v2/images/"+id, token, []byte(body), append([]string{"Content-Type", patchV21}, headers...)...)
}

// activeImage creates an image for token and uploads data to it.
func (e *env) activeImage(t *testing.T, token string, body map[string]any) string {
	t.Helper()
	id := e.newImage(t, token, body)
	if err := imagedata.Upload(context.Background(), e.client(token), id, bytes.NewReader(randomBytes(4096))).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestGophercloudImageUpdate(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	alice, _ := e.project(t, "alice")
	ac := e.client(alice)
	im, err := images.Create(ctx, ac, images.CreateOpts{Name: "before", DiskFormat: "raw", ContainerFormat: "bare"}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	got, err := images.Update(ctx, ac, im.ID, images.UpdateOpts{
		images.ReplaceImageName{NewName: "after"},
		images.UpdateImageProperty{Op: images.AddOp, Name: "os_distro", Value: "debian"},
		images.UpdateImageProperty{Op: images.AddOp, Name: "k", Value: "v"},
		images.ReplaceImageTags{NewTags: []string{"b", "a", "b"}},
		images.ReplaceImageMinDisk{NewMinDisk: 2},
		images.ReplaceImageMinRam{NewMinRam: 512},
		images.ReplaceImageProtected{NewProtected: true},
		images.ReplaceImageHidden{NewHidden: true},
		images.UpdateVisibility{Visibility: images.ImageVisibilityCommunity},
	}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "after" || got.Properties["os_distro"] != "debian" || got.Properties["k"] != "v" || strings.Join(got.Tags, ",") != "a,b" ||
		got.MinDiskGigabytes != 2 || got.MinRAMMegabytes != 512 || !got.Protected || !got.Hidden || got.Visibility != images.ImageVisibilityCommunity {
		t.Fatalf("updated: %+v", got)
	}
	if !got.UpdatedAt.After(got.CreatedAt) && !got.UpdatedAt.Equal(got.CreatedAt) {
		t.Fatalf("updated_at %v before created_at %v", got.UpdatedAt, got.CreatedAt)
	}
	got, err = images.Update(ctx, ac, im.ID, images.UpdateOpts{
		images.UpdateImageProperty{Op: images.ReplaceOp, Name: "k", Value: "w"},
		images.UpdateImageProperty{Op: images.RemoveOp, Name: "os_distro"},
	}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if got.Properties["k"] != "w" || got.Properties["os_distro"] != nil {
		t.Fatalf("properties after replace and remove: %v", got.Properties)
	}
	shown, err := images.Get(ctx, ac, im.ID).Extract()
	if err != nil || shown.Name != "after" || shown.Properties["k"] != "w" || !shown.Protected {
		t.Fatalf("stored: %+v %v", shown, err)
	}
	// Protected only refuses deletion: the image stays patchable.
	if _, err := images.Update(ctx, ac, im.ID, images.UpdateOpts{images.ReplaceImageProtected{NewProtected: false}}).Extract(); err != nil {
		t.Fatal(err)
	}
}

// TestPatchAsOpenstackClientSends: `openstack image set --property k=v
// --tag t --name n --min-disk 1 --community IMG` PATCHes through
// openstacksdk with "add" for every attribute, sorted by path, and an
// empty Accept; `openstack image unset --property k IMG` sends a remove.
func TestPatchAsOpenstackClientSends(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	id := e.newImage(t, alice, map[string]any{"name": "cli", "tags": []string{"old"}})
	set := `[{"op": "add", "path": "/k", "value": "v"}, {"op": "add", "path": "/min_disk", "value": 1}, ` +
		`{"op": "add", "path": "/name", "value": "n"}, {"op": "add", "path": "/tags", "value": ["t", "old"]}, ` +
		`{"op": "add", "path": "/visibility", "value": "community"}]`
	r := e.patchRaw(t, id, alice, set, "Accept", "")
	if r.Status != 200 || r.Header.Get("Content-Type") != "application/json" || r.Body["k"] != "v" || r.Body["name"] != "n" ||
		r.Body["min_disk"] != 1.0 || r.Body["visibility"] != "community" || fmt.Sprint(r.Body["tags"]) != "[old t]" {
		t.Fatalf("set: %d %s", r.Status, r.Raw)
	}
	r = e.patchRaw(t, id, alice, `[{"op": "remove", "path": "/k"}]`, "Accept", "")
	if _, still := r.Body["k"]; r.Status != 200 || still {
		t.Fatalf("unset: %d %s", r.Status, r.Raw)
	}
}

// TestPatchResponseShape pins the 200 body: the image view, properties
// included, with base attributes null when unset.
func TestPatchResponseShape(t *testing.T) {
	e := start(t)
	alice, aliceProject := e.project(t, "alice")
	id := e.newImage(t, alice, map[string]any{})
	r := e.patchRaw(t, id, alice, `[{"op": "add", "path": "/foo", "value": "bar"}]`)
	var keys []string
	for k := range r.Body {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := "checksum container_format created_at disk_format file foo id min_disk min_ram name os_hash_algo os_hash_value " +
		"os_hidden owner protected schema self size status tags updated_at virtual_size visibility"
	if r.Status != 200 || strings.Join(keys, " ") != want || r.Body["owner"] != aliceProject || r.Body["name"] != nil ||
		r.Body["self"] != "/v2/images/"+id || r.Body["schema"] != "/v2/schemas/image" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
}

func TestPatchPointersAndOperations(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	id := e.newImage(t, alice, map[string]any{"name": "p"})
	steps := []struct {
		contentType, body string
		check             func(map[string]any) bool
	}{
		// ~1 and ~0 escape "/" and "~"; tokens are trimmed.
		{patchV21, `[{"op": "add", "path": "/a~1b~0c", "value": "x"}, {"op": "add", "path": "/ spaced ", "value": "y"}]`,
			func(b map[string]any) bool { return b["a/b~c"] == "x" && b["spaced"] == "y" }},
		// Operations apply in order.
		{patchV21, `[{"op": "replace", "path": "/name", "value": "multi"}, {"op": "add", "path": "/p1", "value": "a"}, ` +
			`{"op": "add", "path": "/p2", "value": "b"}, {"op": "remove", "path": "/p1"}]`,
			func(b map[string]any) bool { _, p1 := b["p1"]; return b["name"] == "multi" && !p1 && b["p2"] == "b" }},
		// v2.1 add on an existing property replaces it; null clears a name.
		{patchV21, `[{"op": "add", "path": "/p2", "value": "c"}, {"op": "replace", "path": "/name", "value": null}]`,
			func(b map[string]any) bool { return b["p2"] == "c" && b["name"] == nil }},
		// The v2.0 media type's draft-4 form.
		{patchV20, `[{"replace": "/name", "value": "v20"}, {"add": "/p3", "value": "d"}, {"remove": "/p2"}]`,
			func(b map[string]any) bool { _, p2 := b["p2"]; return b["name"] == "v20" && b["p3"] == "d" && !p2 }},
		// Parameters after the media type are ignored.
		{patchV21 + "; charset=UTF-8", `[{"op": "replace", "path": "/os_hidden", "value": true}]`,
			func(b map[string]any) bool { return b["os_hidden"] == true }},
		// An empty list changes nothing.
		{patchV21, `[]`, func(b map[string]any) bool { return b["name"] == "v20" }},
	}
	for i, s := range steps {
		r := e.patchRaw(t, id, alice, s.body, "Content-Type", s.contentType)
		if r.Status != 200 || !s.check(r.Body) {
			t.Fatalf("step %d: %d %s", i, r.Status, r.Raw)
		}
	}
	shown := e.do(t, "GET", "/v2/images/"+id, alice, nil)
	if shown.Body["name"] != "v20" || shown.Body["a/b~c"] != "x" || shown.Body["p3"] != "d" {
		t.Fatalf("stored: %s", shown.Raw)
	}
}

// An empty patch is not a change: even a project that may not change the
// image gets it back, and updated_at stays.
func TestEmptyPatchNeedsNoOwnership(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	bob, _ := e.project(t, "bob")
	id := e.newImage(t, alice, map[string]any{"visibility": "community"})
	before := e.do(t, "GET", "/v2/images/"+id, alice, nil)
	r := e.patchRaw(t, id, bob, `[]`)
	if r.Status != 200 || r.Body["updated_at"] != before.Body["updated_at"] || r.Body["id"] != id {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
}

func TestPatchRefusedBeforeReadingTheImage(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	id := e.newImage(t, alice, map[string]any{"name": "keep", "foo": "bar"})
	mediaType := func(ct string) string {
		return "The request media type " + ct + " is not supported by this server.\n<br /><br />\n"
	}
	cases := []struct {
		contentType, body string
		status            int
		message           string
	}{
		{"application/json", `[]`, 415, mediaType("application/json")},
		{"application/json-patch+json", `[]`, 415, mediaType("application/json-patch+json")},
		{"", `[]`, 415, mediaType("text/plain")},
		{patchV21, `[{"op": `, 400, plainMsg("Malformed JSON in request body.")},
		{patchV21, `{"op": "replace", "path": "/name", "value": "x"}`, 400, plainMsg("Request body must be a JSON array of operation objects.")},
		{patchV21, `5`, 400, plainMsg("Unexpected body type. Expected list/dict.")},
		{patchV21, `[5]`, 400, plainMsg("Operations must be JSON objects.")},
		{patchV21, `[{"path": "/name", "value": "x"}]`, 400,
			plainMsg("Unable to find `op` in JSON Schema change. It must be one of the following: add, remove, replace.")},
		{patchV21, `[{"op": "move", "from": "/foo", "path": "/bar"}]`, 400,
			plainMsg("Invalid operation: `move`. It must be one of the following: add, remove, replace.")},
		{patchV21, `[{"op": ["add"], "path": "/a", "value": "x"}]`, 400,
			plainMsg("Invalid operation: `['add']`. It must be one of the following: add, remove, replace.")},
		{patchV21, `[{"op": "add", "value": "x"}]`, 400, plainMsg("Unable to find 'path' in JSON Schema change")},
		{patchV21, `[{"op": "replace", "path": "name", "value": "x"}]`, 400, plainMsg("Pointer `name` does not start with \"/\".")},
		{patchV21, `[{"op": "replace", "path": "/a//b", "value": "x"}]`, 400, plainMsg("Pointer `/a//b` contains adjacent \"/\".")},
		{patchV21, `[{"op": "replace", "path": "/a/", "value": "x"}]`, 400, plainMsg("Pointer `/a/` end with \"/\".")},
		{patchV21, `[{"op": "replace", "path": "/a~2", "value": "x"}]`, 400,
			plainMsg("Pointer `/a~2` contains \"~\" not part of a recognized escape sequence.")},
		{patchV21, `[{"op": "replace", "path": "/foo/bar", "value": "x"}]`, 400, plainMsg("Invalid JSON pointer for this resource: '/foo/bar'")},
		{patchV21, `[{"op": "add", "path": "/locations", "value": []}]`, 400, plainMsg("Invalid JSON pointer for this resource: '/locations'")},
		{patchV21, `[{"op": "replace", "path": "/name"}]`, 400, plainMsg(`Operation "replace" requires a member named "value".`)},
		{patchV21, `[{"op": "replace", "path": "/status", "value": "active"}]`, 403, plainMsg("Attribute 'status' is read-only.")},
		{patchV21, `[{"op": "remove", "path": "/checksum"}]`, 403, plainMsg("Attribute 'checksum' is read-only.")},
		{patchV21, `[{"op": "replace", "path": "/id", "value": "x"}]`, 403, plainMsg("Attribute 'id' is read-only.")},
		{patchV21, `[{"op": "add", "path": "/os_glance_x", "value": "y"}]`, 403, plainMsg("Attribute 'os_glance_x' is reserved.")},
		{patchV21, `[{"op": "add", "path": "/deleted", "value": "y"}]`, 403, plainMsg("Attribute 'deleted' is reserved.")},
		{patchV21, `[{"op": "replace", "path": "/min_ram", "value": "abc"}]`, 400,
			plainMsg("Provided object does not match schema 'image': 'abc' is not of type 'integer'")},
		{patchV21, `[{"op": "replace", "path": "/disk_format", "value": "foo"}]`, 400,
			plainMsg("Provided object does not match schema 'image': 'foo' is not one of [None, 'ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop']")},
		{patchV21, `[{"op": "add", "path": "/intprop", "value": 5}]`, 400,
			plainMsg("Provided object does not match schema 'image': 5 is not of type 'string'")},
		{patchV21, `[{"op": "add", "path": "/kernel_id", "value": "abc"}]`, 400,
			plainMsg("Provided object does not match schema 'image': 'abc' does not match '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$'")},
		{patchV21, `[{"op": "add", "path": "/cinder_encryption_key_deletion_policy", "value": "never"}]`, 400,
			plainMsg("Provided object does not match schema 'image': 'never' is not one of ['on_image_deletion', 'do_not_delete']")},
		{patchV21, `[{"op": "add", "path": "/locations/-", "value": {"url": "http://x"}}]`, 400,
			plainMsg("Provided object does not match schema 'image': 'metadata' is a required property")},
		// Every operation is decoded before any applies: a bad second one refuses the first.
		{patchV21, `[{"op": "replace", "path": "/name", "value": "changed"}, {"op": "replace", "path": "/size", "value": 1}]`, 403,
			plainMsg("Attribute 'size' is read-only.")},
		{patchV20, `[{"replace": "/name", "value": "y", "remove": "/x"}]`, 400,
			plainMsg(`Operation objects must contain only one member named "add", "remove", or "replace".`)},
		{patchV20, `[{"op": "replace", "path": "/name", "value": "y"}]`, 400,
			plainMsg(`Operation objects must contain exactly one member named "add", "remove", or "replace".`)},
	}
	for _, c := range cases {
		t.Run(c.body, func(t *testing.T) {
			r := e.expectRefusal(t, c.status, c.message, func() *response {
				return e.patchRaw(t, id, alice, c.body, "Content-Type", c.contentType)
			})
			if accept := r.Header.Get("Accept-Patch"); (c.status == 415) != (accept == patchV20+", "+patchV21) {
				t.Fatalf("Accept-Patch %q", accept)
			}
		})
	}
	// Decoding comes first: an unknown image with a bad operation is a 400.
	e.expectRefusal(t, 400, plainMsg("Operations must be JSON objects."), func() *response {
		return e.patchRaw(t, "7a4fb7a6-5e0f-4b1e-9d3c-2f7c3c9f1f00", alice, `[5]`)
	})
}

func TestPatchRefusedWhenApplied(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	bob, bobProject := e.project(t, "bob")
	id := e.newImage(t, alice, map[string]any{"name": "keep", "foo": "bar", "disk_format": "raw", "container_format": "bare"})
	shared := e.newImage(t, alice, map[string]any{"visibility": "community"})
	private := e.newImage(t, alice, map[string]any{"visibility": "private"})
	active := e.activeImage(t, alice, map[string]any{"disk_format": "raw", "container_format": "bare"})
	cases := []struct {
		token, image, contentType, body string
		status                          int
		message                         string
	}{
		{alice, id, patchV21, `[{"op": "remove", "path": "/name"}]`, 403, detailMsg(forbiddenStock, "Property name may not be removed.")},
		{alice, id, patchV21, `[{"op": "remove", "path": "/nosuch"}]`, 409, detailMsg(conflictStock, "Property nosuch does not exist.")},
		{alice, id, patchV21, `[{"op": "replace", "path": "/nosuch", "value": "x"}]`, 409, detailMsg(conflictStock, "Property nosuch does not exist.")},
		{alice, id, patchV21, `[{"op": "replace", "path": "/", "value": "x"}]`, 409, detailMsg(conflictStock, "Property  does not exist.")},
		{alice, id, patchV20, `[{"add": "/foo", "value": "x"}]`, 409, detailMsg(conflictStock, "Property foo already present.")},
		{alice, id, patchV20, `[{"add": "/name", "value": "x"}]`, 409, detailMsg(conflictStock, "Property name already present.")},
		{alice, id, patchV21, `[{"op": "replace", "path": "/min_ram", "value": -1}]`, 400,
			plainMsg("Invalid value '-1' for parameter 'min_ram': Cannot be a negative value")},
		{alice, id, patchV21, `[{"op": "replace", "path": "/visibility", "value": "public"}]`, 403,
			plainMsg("You are not authorized to complete publicize_image action.")},
		{alice, id, patchV21, `[{"op": "replace", "path": "/owner", "value": "someone"}]`, 403,
			detailMsg(forbiddenStock, "Owner can't be updated by non admin.")},
		{alice, id, patchV21, `[{"op": "replace", "path": "/min_ram", "value": 2147483648}]`, 400,
			plainMsg("'min_ram' value out of range, must not exceed 2147483647.")},
		// Checked when saving: the project would lose sight of its image.
		{alice, id, patchV21, `[{"op": "add", "path": "/owner", "value": "` + bobProject + `"}]`, 403,
			plainMsg("Forbidding request, image " + id + " not visible")},
		{alice, active, patchV21, `[{"op": "replace", "path": "/disk_format", "value": "qcow2"}]`, 403,
			plainMsg("Attribute disk_format can be only replaced for a queued image.")},
		{alice, active, patchV21, `[{"op": "replace", "path": "/container_format", "value": "ovf"}]`, 403,
			plainMsg("Attribute container_format can be only replaced for a queued image.")},
		// A later change refused saves none of the earlier ones.
		{alice, id, patchV21, `[{"op": "replace", "path": "/name", "value": "changed"}, {"op": "remove", "path": "/nosuch"}]`, 409,
			detailMsg(conflictStock, "Property nosuch does not exist.")},
		// Locations are invisible (show_multiple_locations off).
		{alice, id, patchV21, `[{"op": "add", "path": "/locations/-", "value": {"url": "http://example.com/x", "metadata": {}}}]`, 403,
			plainMsg("It's not allowed to add locations if locations are invisible.")},
		{alice, id, patchV21, `[{"op": "replace", "path": "/locations", "value": [{"url": "http://example.com/x", "metadata": {}}]}]`, 403,
			plainMsg("It's not allowed to update locations if locations are invisible.")},
		{alice, id, patchV21, `[{"op": "replace", "path": "/locations", "value": []}]`, 403,
			detailMsg(forbiddenStock, "Cannot set locations to empty list.")},
		{alice, id, patchV21, `[{"op": "remove", "path": "/locations/0"}]`, 403,
			plainMsg("It's not allowed to remove locations if locations are invisible.")},
		// Others' images: invisible ones are not found; visible ones are not theirs.
		{bob, private, patchV21, `[{"op": "replace", "path": "/name", "value": "x"}]`, 404, plainMsg("No image found with ID " + private)},
		{bob, shared, patchV21, `[{"op": "replace", "path": "/name", "value": "x"}]`, 403, plainMsg("You do not own this image")},
		{bob, shared, patchV21, `[{"op": "replace", "path": "/nosuch", "value": "x"}]`, 403, plainMsg("You do not own this image")},
		{bob, shared, patchV21, `[{"op": "remove", "path": "/locations/0"}]`, 403, plainMsg("You do not own this image")},
		{bob, shared, patchV21, `[{"op": "replace", "path": "/owner", "value": "x"}]`, 403, detailMsg(forbiddenStock, "Owner can't be updated by non admin.")},
		{bob, shared, patchV21, `[{"op": "replace", "path": "/visibility", "value": "public"}]`, 403,
			plainMsg("You are not authorized to complete publicize_image action.")},
	}
	for _, c := range cases {
		t.Run(c.body, func(t *testing.T) {
			e.expectRefusal(t, c.status, c.message, func() *response {
				return e.patchRaw(t, c.image, c.token, c.body, "Content-Type", c.contentType)
			})
		})
	}
}

func TestPatchOwner(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	bob, bobProject := e.project(t, "bob")
	// As upstream, only "replace" checks for an admin: an owner may "add"
	// another owner to an image it can still see afterwards.
	community := e.newImage(t, alice, map[string]any{"visibility": "community"})
	r := e.patchRaw(t, community, alice, `[{"op": "add", "path": "/owner", "value": "`+bobProject+`"}]`)
	if r.Status != 200 || r.Body["owner"] != bobProject {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if r := e.patchRaw(t, community, bob, `[{"op": "replace", "path": "/name", "value": "bob's"}]`); r.Status != 200 {
		t.Fatalf("the new owner: %d %s", r.Status, r.Raw)
	}
	id := e.newImage(t, alice, map[string]any{})
	r = e.patchRaw(t, id, e.admin, `[{"op": "replace", "path": "/visibility", "value": "public"}, {"op": "replace", "path": "/owner", "value": "`+bobProject+`"}]`)
	if r.Status != 200 || r.Body["visibility"] != "public" || r.Body["owner"] != bobProject {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	// The image is bob's now: alice may no longer change it.
	e.expectRefusal(t, 403, plainMsg("You do not own this image"), func() *response {
		return e.patchRaw(t, id, alice, `[{"op": "replace", "path": "/name", "value": "x"}]`)
	})
	// An empty owner is no owner.
	if r := e.patchRaw(t, id, e.admin, `[{"op": "replace", "path": "/owner", "value": ""}]`); r.Status != 200 || r.Body["owner"] != nil {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
}

func TestPatchQuotas(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	over := e.newImage(t, alice, map[string]any{"p1": "a", "p2": "b", "p3": "c"})
	id := e.newImage(t, alice, map[string]any{"p1": "a", "p2": "b"})
	withImageOptions(t, e, func(o *image.Options) { o.ImagePropertyQuota, o.ImageTagQuota = 2, 2 })
	e.expectRefusal(t, 413, plainMsg("The limit has been exceeded on the number of allowed image properties. Attempted: 3, Maximum: 2"), func() *response {
		return e.patchRaw(t, id, alice, `[{"op": "add", "path": "/p3", "value": "c"}]`)
	})
	// The quota counts on save, and only when a property was added.
	if r := e.patchRaw(t, id, alice, `[{"op": "replace", "path": "/p1", "value": "z"}, {"op": "remove", "path": "/p2"}, {"op": "add", "path": "/p3", "value": "c"}]`); r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if r := e.patchRaw(t, over, alice, `[{"op": "replace", "path": "/p1", "value": "z"}, {"op": "add", "path": "/p2", "value": "y"}]`); r.Status != 200 {
		t.Fatalf("over the quota, nothing added: %d %s", r.Status, r.Raw)
	}
	// Duplicates count as sent, as upstream.
	e.expectRefusal(t, 413, plainMsg("The limit has been exceeded on the number of allowed image tags. Attempted: 3, Maximum: 2"), func() *response {
		return e.patchRaw(t, id, alice, `[{"op": "replace", "path": "/tags", "value": ["a", "b", "a"]}]`)
	})
	if r := e.patchRaw(t, id, alice, `[{"op": "replace", "path": "/tags", "value": ["a", "b"]}]`); r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
}

func TestDefaultPropertyQuotaIs128(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	id := e.newImage(t, alice, map[string]any{})
	var ops []map[string]any
	for i := range 128 {
		ops = append(ops, map[string]any{"op": "add", "path": fmt.Sprintf("/p%03d", i), "value": "v"})
	}
	body, _ := json.Marshal(ops)
	if r := e.patchRaw(t, id, alice, string(body)); r.Status != 200 {
		t.Fatalf("128 properties: %d %s", r.Status, r.Raw)
	}
	e.expectRefusal(t, 413, plainMsg("The limit has been exceeded on the number of allowed image properties. Attempted: 129, Maximum: 128"), func() *response {
		return e.patchRaw(t, id, alice, `[{"op": "add", "path": "/one-more", "value": "v"}]`)
	})
}

// TestDetailErrorForms pins webob's three renderings of an error raised
// with a detail, and of the 415 template, as the real Glance sends them.
func TestDetailErrorForms(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	id := e.newImage(t, alice, map[string]any{})
	remove := `[{"op": "remove", "path": "/nosuchprop"}]`
	cases := []struct{ accept, contentType, body string }{
		{"*/*", "text/html; charset=UTF-8", "<html>\n <head>\n  <title>409 Conflict</title>\n </head>\n <body>\n  <h1>409 Conflict</h1>\n" +
			"  There was a conflict when trying to complete your request.<br /><br />\nProperty nosuchprop does not exist.\n\n\n </body>\n</html>"},
		{"application/json", "application/json", `{"message": "There was a conflict when trying to complete your request.<br /><br />\n` +
			`Property nosuchprop does not exist.\n\n", "code": "409 Conflict", "title": "Conflict"}`},
		{"", "text/plain; charset=UTF-8", "409 Conflict\n\nThere was a conflict when trying to complete your request.\n\n Property nosuchprop does not exist.  "},
	}
	for _, c := range cases {
		r := e.patchRaw(t, id, alice, remove, "Accept", c.accept)
		if r.Status != 409 || r.Header.Get("Content-Type") != c.contentType || string(r.Raw) != c.body {
			t.Errorf("Accept %q: %d %q %q", c.accept, r.Status, r.Header.Get("Content-Type"), r.Raw)
		}
	}
	r := e.patchRaw(t, id, alice, `[]`, "Accept", "", "Content-Type", "foo/bar; charset=utf-8")
	if r.Status != 415 || string(r.Raw) != "415 Unsupported Media Type\n\nThe request media type foo/bar; charset=utf-8 is not supported by this server. \n\n " {
		t.Errorf("415: %d %q", r.Status, r.Raw)
	}
	r = e.patchRaw(t, id, alice, `[{"op": "replace", "path": "/status", "value": "x"}]`, "Accept", "text/html")
	if !strings.Contains(string(r.Raw), "  Attribute &#x27;status&#x27; is read-only.<br /><br />\n\n\n\n </body>") {
		t.Errorf("HTML escaping: %q", r.Raw)
	}
}

// A policy file decides modify_image and the visibility rules; their
// refusals name the rule, for tags too.
func TestPatchAndTagsPolicy(t *testing.T) {
	e := start(t)
	policy := filepath.Join(t.TempDir(), "policy.yaml")
	rules := `"communitize_image": "role:admin"` + "\n" + `"modify_image": "role:admin"` + "\n"
	if err := os.WriteFile(policy, []byte(rules), 0o600); err != nil {
		t.Fatal(err)
	}
	withImageOptions(t, e, func(o *image.Options) { o.PolicyFile = policy })
	alice, _ := e.project(t, "alice")
	id := e.newImage(t, alice, map[string]any{})
	e.expectRefusal(t, 403, plainMsg("You are not authorized to complete communitize_image action."), func() *response {
		return e.patchRaw(t, id, alice, `[{"op": "replace", "path": "/visibility", "value": "community"}]`)
	})
	e.expectRefusal(t, 403, plainMsg("You are not authorized to complete modify_image action."), func() *response {
		return e.patchRaw(t, id, alice, `[{"op": "replace", "path": "/name", "value": "x"}]`)
	})
	e.expectRefusal(t, 403, plainMsg("You are not authorized to complete modify_image action."), func() *response {
		return e.do(t, "PUT", "/v2/images/"+id+"/tags/x", alice, nil)
	})
	if r := e.patchRaw(t, id, e.admin, `[{"op": "replace", "path": "/visibility", "value": "community"}]`); r.Status != 200 {
		t.Fatalf("admin: %d %s", r.Status, r.Raw)
	}
}
