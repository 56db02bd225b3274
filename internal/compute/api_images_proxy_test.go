package compute_test

import (
	"context"
	"slices"
	"testing"

	"github.com/monostack/monostack/internal/compute"
)

// imagesEnv has three images besides startServers' cirros: a snapshot of
// a server owned by a project, a queued one and an admin one.
type imagesEnv struct {
	*serversEnv
	user, proj        string
	snap, queued, own string
}

func startImages(t *testing.T, change ...func(*compute.Options)) *imagesEnv {
	t.Helper()
	e := &imagesEnv{serversEnv: startServers(t, change...)}
	e.user, e.proj = e.project(t, "imgs", "member")
	e.images.mu.Lock()
	e.images.images[e.image].CreatedAt = "2020-01-01T00:00:00Z"
	e.images.images[e.image].UpdatedAt = "2020-01-01T00:00:00Z"
	e.images.mu.Unlock()
	e.snap = e.images.add(compute.ImageMeta{Name: "snap", Owner: e.proj, Size: 5, MinRAMMB: 512, MinDiskGB: 1,
		CreatedAt: "2021-01-01T00:00:00Z", UpdatedAt: "2022-06-01T00:00:00Z",
		Properties: map[string]string{"instance_uuid": "1c0ad0ea-0000-4000-8000-000000000001", "image_type": "snapshot",
			"auto_disk_config": "True"}})
	e.queued = e.images.add(compute.ImageMeta{Name: "queued", Status: "queued", Owner: e.proj,
		CreatedAt: "2022-01-01T00:00:00Z", UpdatedAt: "2022-01-01T00:00:00Z"})
	e.own = e.images.add(compute.ImageMeta{Name: "admins", Status: "killed", Owner: "someone-else",
		CreatedAt: "2023-01-01T00:00:00Z", UpdatedAt: "2023-01-01T00:00:00Z", Properties: map[string]string{"k": "v"}})
	return e
}

func (e *imagesEnv) get(t *testing.T, path, mv string) *response {
	t.Helper()
	return e.do(t, "GET", path, e.user, nil, "OpenStack-API-Version", "compute "+mv)
}

func imageIDs(t *testing.T, r *response) []string {
	t.Helper()
	if r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	var out []string
	for _, i := range r.Body["images"].([]any) {
		out = append(out, i.(map[string]any)["id"].(string))
	}
	return out
}

func TestImagesProxyListsWithNovasFilters(t *testing.T) {
	e := startImages(t)
	all := []string{e.own, e.queued, e.snap, e.image}
	if got := imageIDs(t, e.get(t, "/v2.1/images", "2.1")); !slices.Equal(got, all) {
		t.Fatalf("list %v, want %v", got, all)
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"?name=snap", []string{e.snap}},
		{"?status=SAVING", nil},
		{"?status=QUEUED", []string{e.queued}},
		{"?status=active", []string{e.snap, e.image}},
		{"?changes-since=2022-01-01T00:00:00Z", []string{e.own, e.queued, e.snap}},
		{"?server=http://compute/v2.1/servers/1c0ad0ea-0000-4000-8000-000000000001", []string{e.snap}},
		{"?type=snapshot", []string{e.snap}},
		{"?minRam=256", []string{e.snap}},
		{"?minDisk=1&property-auto_disk_config=True", []string{e.snap}},
		{"?property-k=v", []string{e.own}},
		{"?limit=2", []string{e.own, e.queued}},
		{"?limit=2&marker=" + e.queued, []string{e.snap, e.image}},
		{"?bogus=1", all},
	} {
		if got := imageIDs(t, e.get(t, "/v2.1/images/detail"+tc.query, "2.35")); !slices.Equal(got, tc.want) {
			t.Fatalf("%s: %v, want %v", tc.query, got, tc.want)
		}
	}
	r := e.get(t, "/v2.1/images?limit=2", "2.1")
	links := r.Body["images_links"].([]any)
	if href := links[0].(map[string]any)["href"].(string); href != e.root+"/v2.1/images?limit=2&marker="+e.queued {
		t.Fatalf("next %s", href)
	}
	brief := r.Body["images"].([]any)[0].(map[string]any)
	if len(brief) != 3 || brief["name"] != "admins" || len(brief["links"].([]any)) != 3 {
		t.Fatalf("brief %v", brief)
	}
	for _, tc := range []struct{ query, msg string }{
		{"?limit=x", "limit param must be an integer"}, {"?limit=-1", "limit param must be positive"},
		{"?marker=nope", "marker not found"},
	} {
		if msg := e.refused(t, "GET", "/v2.1/images"+tc.query, e.user, nil, 400); msg != tc.msg {
			t.Fatalf("%s: %q", tc.query, msg)
		}
	}
	for _, p := range []string{"/v2.1/images", "/v2.1/images/detail", "/v2.1/images/" + e.snap} {
		e.refused(t, "GET", p, e.user, nil, 404, "OpenStack-API-Version", "compute 2.36")
	}
}

func TestImagesProxyShowsNovasShape(t *testing.T) {
	e := startImages(t)
	r := e.get(t, "/v2.1/images/"+e.snap, "2.1")
	img := r.Body["image"].(map[string]any)
	want := map[string]any{"id": e.snap, "name": "snap", "status": "ACTIVE", "progress": 100.0, "minRam": 512.0,
		"minDisk": 1.0, "created": "2021-01-01T00:00:00Z", "updated": "2022-06-01T00:00:00Z",
		"OS-EXT-IMG-SIZE:size": 5.0, "OS-DCF:diskConfig": "AUTO"}
	for k, v := range want {
		if img[k] != v {
			t.Fatalf("%s = %v, want %v (%v)", k, img[k], v, img)
		}
	}
	srv := img["server"].(map[string]any)
	if srv["id"] != "1c0ad0ea-0000-4000-8000-000000000001" || len(srv["links"].([]any)) != 2 {
		t.Fatalf("server %v", srv)
	}
	links := img["links"].([]any)
	alt := links[2].(map[string]any)
	if links[0].(map[string]any)["href"] != e.root+"/v2.1/images/"+e.snap ||
		alt["href"] != "http://image.test/images/"+e.snap || alt["type"] != "application/vnd.openstack.image" {
		t.Fatalf("links %v", links)
	}
	q := e.get(t, "/v2.1/images/"+e.queued, "2.1").Body["image"].(map[string]any)
	if q["status"] != "SAVING" || q["progress"] != 25.0 || q["OS-EXT-IMG-SIZE:size"] != nil || q["server"] != nil {
		t.Fatalf("queued %v", q)
	}
	k := e.get(t, "/v2.1/images/"+e.own, "2.1").Body["image"].(map[string]any)
	if k["status"] != "ERROR" || k["progress"] != 0.0 {
		t.Fatalf("killed %v", k)
	}
	if msg := e.refused(t, "GET", "/v2.1/images/nope", e.user, nil, 404); msg != "Image not found." {
		t.Fatalf("404 %q", msg)
	}
}

func TestImagesProxyDeletesOwnImagesOnly(t *testing.T) {
	e := startImages(t)
	if msg := e.refused(t, "DELETE", "/v2.1/images/"+e.own, e.user, nil, 403); msg != "You are not allowed to delete the image." {
		t.Fatalf("403 %q", msg)
	}
	e.refused(t, "DELETE", "/v2.1/images/"+e.snap, e.user, nil, 404, "OpenStack-API-Version", "compute 2.36")
	if e.images.count() != 4 {
		t.Fatal("a refused delete removed an image")
	}
	if r := e.do(t, "DELETE", "/v2.1/images/"+e.snap, e.user, nil); r.Status != 204 {
		t.Fatalf("delete: %d %s", r.Status, r.Raw)
	}
	if msg := e.refused(t, "DELETE", "/v2.1/images/"+e.snap, e.user, nil, 404); msg != "Image not found." {
		t.Fatalf("again %q", msg)
	}
	if r := e.do(t, "DELETE", "/v2.1/images/"+e.own, e.admin, nil); r.Status != 204 || e.images.count() != 2 {
		t.Fatalf("admin delete: %d %s", r.Status, r.Raw)
	}
}

func TestImageMetadataProxy(t *testing.T) {
	e := startImages(t)
	if r := e.do(t, "PUT", "/v2.1/os-quota-sets/"+e.proj, e.admin,
		map[string]any{"quota_set": map[string]any{"metadata_items": 4}}); r.Status != 200 {
		t.Fatalf("quota: %d %s", r.Status, r.Raw)
	}
	base := "/v2.1/images/" + e.snap + "/metadata"
	props := func() map[string]string { return imageProps(t, e, e.snap) }
	if r := e.get(t, base, "2.38"); r.Status != 200 || r.Body["metadata"].(map[string]any)["image_type"] != "snapshot" {
		t.Fatalf("list: %d %s", r.Status, r.Raw)
	}
	if r := e.get(t, base+"/image_type", "2.38"); r.Status != 200 || r.Body["meta"].(map[string]any)["image_type"] != "snapshot" {
		t.Fatalf("show: %d %s", r.Status, r.Raw)
	}
	r := e.do(t, "POST", base, e.user, map[string]any{"metadata": map[string]any{"a": "1"}})
	if r.Status != 200 || len(r.Body["metadata"].(map[string]any)) != 4 || props()["a"] != "1" {
		t.Fatalf("create: %d %s", r.Status, r.Raw)
	}
	r = e.do(t, "PUT", base+"/a", e.user, map[string]any{"meta": map[string]any{"a": "2"}})
	if r.Status != 200 || r.Body["meta"].(map[string]any)["a"] != "2" || props()["a"] != "2" {
		t.Fatalf("update item: %d %s", r.Status, r.Raw)
	}
	for _, tc := range []struct {
		method, path string
		body         any
		status       int
		msg          string
		mv           string
	}{
		{"POST", base, map[string]any{"metadata": map[string]any{"b": "1"}}, 403, "Image metadata limit exceeded", "2.1"},
		{"PUT", base + "/a", map[string]any{"meta": map[string]any{"b": "1"}}, 400, "Request body and URI mismatch", "2.1"},
		{"GET", base + "/nope", nil, 404, "The resource could not be found.", "2.1"},
		{"DELETE", base + "/nope", nil, 404, "Invalid metadata key", "2.1"},
		{"GET", base, nil, 404, "The resource could not be found.", "2.39"},
		{"GET", "/v2.1/images/nope/metadata", nil, 404, "Image not found.", "2.1"},
		{"POST", "/v2.1/images/" + e.own + "/metadata", map[string]any{"metadata": map[string]any{"x": "1"}}, 403,
			"Not authorized for image " + e.own + ".", "2.1"},
	} {
		msg := e.refused(t, tc.method, tc.path, e.user, tc.body, tc.status, "OpenStack-API-Version", "compute "+tc.mv)
		if msg != tc.msg {
			t.Fatalf("%s %s: %q, want %q", tc.method, tc.path, msg, tc.msg)
		}
	}
	if len(props()) != 4 || imageProps(t, e, e.own)["x"] != "" {
		t.Fatalf("a refused change stuck: %v", props())
	}
	if r := e.do(t, "DELETE", base+"/a", e.user, nil); r.Status != 204 || props()["a"] != "" {
		t.Fatalf("delete: %d %s", r.Status, r.Raw)
	}
	r = e.do(t, "PUT", base, e.user, map[string]any{"metadata": map[string]any{"only": "one"}},
		"OpenStack-API-Version", "compute 2.38")
	if r.Status != 200 || len(props()) != 1 || props()["only"] != "one" {
		t.Fatalf("replace: %d %s %v", r.Status, r.Raw, props())
	}
}

// imageProps reads an image's properties from the fake image service.
func imageProps(t *testing.T, e *imagesEnv, id string) map[string]string {
	t.Helper()
	img, err := e.images.Image(context.Background(), "", true, id)
	if err != nil {
		t.Fatal(err)
	}
	return img.Properties
}
