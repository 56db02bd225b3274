package image_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha512"
	"encoding/binary"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/imagedata"
	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/imageimport"
	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/images"

	"github.com/monostack/monostack/internal/image"
)

// storeFiles lists what the store directory holds, staged blobs as
// "staging/<name>".
func storeFiles(t *testing.T, dir string) []string {
	t.Helper()
	out := []string{}
	for _, sub := range []string{"", "staging"} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			t.Fatal(err)
		}
		for _, en := range entries {
			if !en.IsDir() {
				out = append(out, filepath.Join(sub, en.Name()))
			}
		}
	}
	slices.Sort(out)
	return out
}

func wantFiles(t *testing.T, e *env, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	slices.Sort(want)
	if got := storeFiles(t, e.dir); !slices.Equal(got, want) {
		t.Fatalf("store holds %v, want %v", got, want)
	}
}

// afterImports waits for the service's background imports, then shows the image.
func (e *env) afterImports(t *testing.T, token, id string) map[string]any {
	t.Helper()
	e.svc.Wait()
	r := e.do(t, "GET", "/v2/images/"+id, token, nil)
	if r.Status != 200 {
		t.Fatalf("show: %d %s", r.Status, r.Raw)
	}
	return r.Body
}

// chunked is a body sent with no Content-Length, as Tempest's
// stage_image_file sends it.
func chunked(b []byte) io.Reader { return io.MultiReader(bytes.NewReader(b)) }

func hashes(data []byte) (md5Hex, sha512Hex string) {
	m, s := md5.Sum(data), sha512.Sum512(data)
	return hex.EncodeToString(m[:]), hex.EncodeToString(s[:])
}

func TestGophercloudGlanceDirectImport(t *testing.T) {
	e := start(t)
	t.Cleanup(e.svc.Wait)
	ctx := context.Background()
	alice, _ := e.project(t, "alice")
	ac := e.client(alice)

	created := images.Create(ctx, ac, images.CreateOpts{Name: "imported", DiskFormat: "raw", ContainerFormat: "bare"})
	im, err := created.Extract()
	if err != nil {
		t.Fatal(err)
	}
	if got := created.Header.Get("OpenStack-image-import-methods"); got != "glance-direct" {
		t.Fatalf("create announces import methods %q", got)
	}
	if r := e.do(t, "GET", "/v2/images/"+im.ID, alice, nil); r.Header.Get("OpenStack-image-import-methods") != "" {
		t.Fatal("show announces import methods; upstream does so on create only")
	}

	data := randomBytes(1<<20 + 5)
	if err := imagedata.Stage(ctx, ac, im.ID, bytes.NewReader(data)).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	staged, err := images.Get(ctx, ac, im.ID).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if staged.Status != images.ImageStatusUploading || staged.SizeBytes != int64(len(data)) || staged.Checksum != "" {
		t.Fatalf("after stage: status %s size %d checksum %q", staged.Status, staged.SizeBytes, staged.Checksum)
	}
	wantFiles(t, e, im.ID+".staged")
	if r := e.do(t, "GET", "/v2/images/"+im.ID+"/file", alice, nil); r.Status != 204 {
		t.Fatalf("download of a staged image: %d, want 204 as upstream", r.Status)
	}

	if err := imageimport.Create(ctx, ac, im.ID, imageimport.CreateOpts{Name: imageimport.GlanceDirectMethod}).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	got := e.afterImports(t, alice, im.ID)
	md, sh := hashes(data)
	if got["status"] != "active" || got["checksum"] != md || got["os_hash_algo"] != "sha512" || got["os_hash_value"] != sh ||
		got["size"] != float64(len(data)) || got["virtual_size"] != float64(len(data)) {
		t.Fatalf("after import: %v", got)
	}
	if v, ok := got["os_glance_importing_to_stores"]; !ok || v != "" {
		t.Fatalf("os_glance_importing_to_stores %v (present %v), want \"\" as upstream with one store", v, ok)
	}
	if v, ok := got["os_glance_failed_import"]; !ok || v != "" {
		t.Fatalf("os_glance_failed_import %v (present %v), want \"\"", v, ok)
	}
	if _, held := got["os_glance_import_task"]; held {
		t.Fatal("the import lock outlived the import")
	}
	wantFiles(t, e, im.ID)
	rc, err := imagedata.Download(ctx, ac, im.ID).Extract()
	if err != nil {
		t.Fatal(err)
	}
	back, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(back, data) {
		t.Fatal("downloaded data is not what was staged")
	}
}

// backedQCOW2 is a qcow2 image naming a backing file, which the format
// inspector refuses whatever the disk_format.
func backedQCOW2() []byte {
	b := make([]byte, 64<<10)
	copy(b, "QFI\xfb")
	binary.BigEndian.PutUint32(b[4:], 2)      // version
	binary.BigEndian.PutUint64(b[8:], 72)     // backing_file_offset
	binary.BigEndian.PutUint32(b[16:], 8)     // backing_file_size
	binary.BigEndian.PutUint32(b[20:], 16)    // cluster_bits
	binary.BigEndian.PutUint64(b[24:], 1<<20) // size
	copy(b[72:], "base.img")
	return b
}

// A glance-direct import whose data fails inspection ends as a failed
// import does on Glance Zed with one store (observed on the reference
// instance by making its import fail): the image stays importing with its
// staged data and empty store lists, the lock dropped; it can be neither
// staged nor imported again, only deleted.
func TestGlanceDirectImportOfBadDataEndsAsUpstream(t *testing.T) {
	e := start(t)
	t.Cleanup(e.svc.Wait)
	alice, _ := e.project(t, "alice")
	id := e.newImage(t, alice, map[string]any{"name": "bad", "disk_format": "qcow2", "container_format": "bare"})
	data := backedQCOW2()
	if r := e.do(t, "PUT", "/v2/images/"+id+"/stage", alice, data); r.Status != 204 {
		t.Fatalf("stage: %d %s", r.Status, r.Raw)
	}
	if r := e.do(t, "POST", "/v2/images/"+id+"/import", alice, map[string]any{"method": map[string]any{"name": "glance-direct"}}); r.Status != 202 || len(r.Raw) != 0 {
		t.Fatalf("import: %d %q", r.Status, r.Raw)
	}
	got := e.afterImports(t, alice, id)
	if got["status"] != "importing" || got["checksum"] != nil || got["size"] != float64(len(data)) ||
		got["os_glance_importing_to_stores"] != "" || got["os_glance_failed_import"] != "" {
		t.Fatalf("after a failed import: %v", got)
	}
	if _, held := got["os_glance_import_task"]; held {
		t.Fatal("a failed import kept its lock")
	}
	wantFiles(t, e, id+".staged")

	if msg := e.refused(t, "PUT", "/v2/images/"+id+"/stage", alice, []byte("again"), 409); msg != "Image status transition from importing to uploading is not allowed" {
		t.Fatalf("stage again: %q", msg)
	}
	body := map[string]any{"method": map[string]any{"name": "glance-direct"}}
	if msg := e.refused(t, "POST", "/v2/images/"+id+"/import", alice, body, 409); msg != "Image needs to be staged before 'glance-direct' method can be used" {
		t.Fatalf("import again: %q", msg)
	}
	if r := e.do(t, "DELETE", "/v2/images/"+id, alice, nil); r.Status != 204 {
		t.Fatalf("delete: %d", r.Status)
	}
	wantFiles(t, e)
}

func TestStageAndImportRefusals(t *testing.T) {
	e := start(t)
	t.Cleanup(e.svc.Wait)
	alice, _ := e.project(t, "alice")
	bob, _ := e.project(t, "bob")
	gd := map[string]any{"method": map[string]any{"name": "glance-direct"}}
	queued := e.newImage(t, alice, map[string]any{"disk_format": "raw", "container_format": "bare"})
	noContainer := e.newImage(t, alice, map[string]any{"disk_format": "raw", "visibility": "community"})
	if r := e.do(t, "PUT", "/v2/images/"+noContainer+"/stage", alice, []byte("staged")); r.Status != 204 {
		t.Fatalf("stage: %d %s", r.Status, r.Raw)
	}
	active := e.newImage(t, alice, map[string]any{"disk_format": "raw", "container_format": "bare"})
	if r := e.do(t, "PUT", "/v2/images/"+active+"/file", alice, []byte("data")); r.Status != 204 {
		t.Fatalf("upload: %d %s", r.Status, r.Raw)
	}
	unknown := image.NewUUID()

	for _, c := range []struct {
		method, path, token string
		body                any
		status              int
		message             string
	}{
		{"POST", "/v2/images/" + queued + "/import", alice, map[string]any{}, 400, "Import request requires a 'method' field."},
		{"POST", "/v2/images/" + queued + "/import", alice, map[string]any{"method": map[string]any{}}, 400, "Import request requires a 'name' field."},
		{"POST", "/v2/images/" + queued + "/import", alice, map[string]any{"method": map[string]any{"name": "bogus"}}, 400, "Unknown import method name 'bogus'."},
		{"POST", "/v2/images/" + queued + "/import", alice, map[string]any{"method": map[string]any{"name": "copy-image"}}, 400, "Unknown import method name 'copy-image'."},
		{"POST", "/v2/images/" + queued + "/import", alice, map[string]any{"method": map[string]any{"name": nil}}, 400, "Unknown import method name 'None'."},
		{"POST", "/v2/images/" + queued + "/import", alice, map[string]any{"method": map[string]any{"name": []any{"a", 1.5, "it's", nil, map[string]any{"k": true}}}}, 400,
			`Unknown import method name '['a', 1.5, "it's", None, {'k': True}]'.`},
		{"POST", "/v2/images/" + queued + "/import", alice, map[string]any{"method": map[string]any{"name": "glance-direct"}, "all_stores_must_succeed": "yes"}, 400, "'all_stores_must_succeed' must be boolean value only"},
		{"POST", "/v2/images/" + queued + "/import", alice, map[string]any{"method": map[string]any{"name": "glance-direct"}, "all_stores": 1}, 400, "'all_stores' must be boolean value only"},
		{"POST", "/v2/images/" + unknown + "/import", alice, gd, 404, "No image found with ID " + unknown},
		{"POST", "/v2/images/" + queued + "/import", alice, gd, 409, "Image needs to be staged before 'glance-direct' method can be used"},
		{"POST", "/v2/images/" + active + "/import", alice, gd, 409, "Image with status active cannot be target for import"},
		{"POST", "/v2/images/" + noContainer + "/import", alice, gd, 409, "'container_format' needs to be set before import"},
		{"POST", "/v2/images/" + noContainer + "/import", bob, gd, 409, "'container_format' needs to be set before import"},
		{"PUT", "/v2/images/" + noContainer + "/stage", alice, []byte("again"), 409, "Image status transition from uploading to uploading is not allowed"},
		{"PUT", "/v2/images/" + noContainer + "/file", alice, []byte("data"), 409, "Image status transition from uploading to saving is not allowed"},
		{"PUT", "/v2/images/" + active + "/stage", alice, []byte("data"), 409, "Image status transition from active to uploading is not allowed"},
		{"PUT", "/v2/images/" + queued + "/stage", bob, []byte("data"), 404, "No image found with ID " + queued},
		{"PUT", "/v2/images/" + unknown + "/stage", alice, []byte("data"), 404, "No image found with ID " + unknown},
	} {
		if msg := e.refused(t, c.method, c.path, c.token, c.body, c.status); msg != c.message {
			t.Errorf("%s %s: %q, want %q", c.method, c.path, msg, c.message)
		}
	}

	r := e.do(t, "PUT", "/v2/images/"+queued+"/stage", alice, map[string]any{"not": "data"})
	if r.Status != 415 || r.Body["message"] != "The request media type application/json is not supported by this server.\n<br /><br />\n" {
		t.Fatalf("stage as JSON: %d %s", r.Status, r.Raw)
	}

	// A staged community image: others see it but may not import it.
	community := e.newImage(t, alice, map[string]any{"disk_format": "raw", "container_format": "bare", "visibility": "community"})
	if r := e.do(t, "PUT", "/v2/images/"+community+"/stage", alice, []byte("staged")); r.Status != 204 {
		t.Fatalf("stage: %d", r.Status)
	}
	if msg := e.refused(t, "POST", "/v2/images/"+community+"/import", bob, gd, 403); msg != "You do not own this image" {
		t.Fatalf("import by another project: %q", msg)
	}
}

func TestAllStoresMustSucceedNeedsStores(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	id := e.newImage(t, alice, map[string]any{"disk_format": "raw", "container_format": "bare"})
	if r := e.do(t, "PUT", "/v2/images/"+id+"/stage", alice, []byte("staged")); r.Status != 204 {
		t.Fatalf("stage: %d", r.Status)
	}
	body := map[string]any{"method": map[string]any{"name": "glance-direct"}, "all_stores_must_succeed": false}
	if msg := e.refused(t, "POST", "/v2/images/"+id+"/import", alice, body, 400); msg != "All_stores_must_succeed can only be set with enabled_backends None" {
		t.Fatalf("%q", msg)
	}
}

func TestStageNeedsGlanceDirect(t *testing.T) {
	e := start(t)
	withImageOptions(t, e, func(o *image.Options) { o.ImportMethods = []string{} })
	alice, _ := e.project(t, "alice")
	r := e.do(t, "POST", "/v2/images", alice, map[string]any{"disk_format": "raw", "container_format": "bare"})
	if r.Header.Get("OpenStack-image-import-methods") != "" {
		t.Fatal("import methods announced with none enabled")
	}
	id := r.Body["id"].(string)
	if msg := e.refused(t, "PUT", "/v2/images/"+id+"/stage", alice, []byte("data"), 404); msg != "'glance-direct' method is not available at this site." {
		t.Fatalf("%q", msg)
	}
	if msg := e.refused(t, "POST", "/v2/images/"+id+"/import", alice, map[string]any{"method": map[string]any{"name": "glance-direct"}}, 400); msg != "Unknown import method name 'glance-direct'." {
		t.Fatalf("%q", msg)
	}
}

// web-download is enabled by WebDownload alone, whatever ImportMethods
// lists.
func TestImportMethodsOption(t *testing.T) {
	e := start(t)
	for _, c := range []struct {
		methods []string
		web     bool
		want    string
	}{
		{nil, false, "glance-direct"},
		{nil, true, "glance-direct,web-download"},
		{[]string{"web-download", "glance-direct"}, false, "glance-direct"},
		{[]string{"web-download", "glance-direct"}, true, "web-download,glance-direct"},
	} {
		withImageOptions(t, e, func(o *image.Options) { o.ImportMethods, o.WebDownload = c.methods, c.web })
		r := e.do(t, "POST", "/v2/images", e.admin, map[string]any{})
		if got := r.Header.Get("OpenStack-image-import-methods"); r.Status != 201 || got != c.want {
			t.Errorf("%v web-download %v: %d %q, want %q", c.methods, c.web, r.Status, got, c.want)
		}
	}
	if _, err := image.New(image.Options{DB: e.id.DB, ImportMethods: []string{"copy-image"}}); err == nil {
		t.Fatal("an import method monostack lacks was accepted")
	}
}
