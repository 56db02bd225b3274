package image_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/images"

	"github.com/monostack/monostack/internal/image"
)

func TestImageCountQuota(t *testing.T) {
	e := start(t)
	withImageOptions(t, e, func(o *image.Options) { o.QuotaImages = 2 })
	alice, aliceProject := e.project(t, "alice")
	bob, _ := e.project(t, "bob")
	ac := e.client(alice)
	for i := 0; i < 2; i++ {
		if _, err := images.Create(context.Background(), ac, images.CreateOpts{Name: fmt.Sprint("im", i)}).Extract(); err != nil {
			t.Fatal(err)
		}
	}
	err := images.Create(context.Background(), ac, images.CreateOpts{Name: "one too many"}).Err
	if !gophercloud.ResponseCodeIs(err, 413) {
		t.Fatalf("third image: %v", err)
	}
	want := "The request returned a 413 Request Entity Too Large. This generally means that rate limiting or a quota " +
		"threshold was breached.\n\nThe response body:\nProject " + aliceProject + " is over a limit for [Resource " +
		"image_count_total is over limit of 2 due to current usage 2 and delta 1]"
	if msg := e.refused(t, "POST", "/v2/images", alice, map[string]any{"name": "x"}, 413); msg != want {
		t.Fatalf("%q\nwant %q", msg, want)
	}
	if r := e.do(t, "POST", "/v2/images", bob, map[string]any{}); r.Status != 201 {
		t.Fatalf("another project is held by alice's quota: %d", r.Status)
	}
}

// The count and the insert share one transaction: parallel creates never
// pass the quota.
func TestImageCountQuotaUnderParallelCreates(t *testing.T) {
	e := start(t)
	withImageOptions(t, e, func(o *image.Options) { o.QuotaImages = 3 })
	alice, _ := e.project(t, "alice")
	statuses := make(chan int, 12)
	var wg sync.WaitGroup
	for i := 0; i < cap(statuses); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses <- e.do(t, "POST", "/v2/images", alice, map[string]any{}).Status
		}()
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if count[201] != 3 || count[413] != 9 {
		t.Fatalf("statuses %v, want 3 created and 9 refused", count)
	}
	if n := len(listedIDs(t, e, alice, images.ListOpts{})); n != 3 {
		t.Fatalf("alice has %d images", n)
	}
}

// imageState is what a refused data request must leave as upstream leaves
// it: status and size.
func imageState(t *testing.T, e *env, token, id string) string {
	t.Helper()
	r := e.do(t, "GET", "/v2/images/"+id, token, nil)
	return fmt.Sprint(r.Body["status"], " ", r.Body["size"], " ", r.Body["checksum"])
}

// Over the storage quota an upload is refused with 413 (before reading when
// the size is announced, mid-stream otherwise, with upstream's
// LimitingReader message) and the image is queued again, as upstream's
// _restore; nothing is left in the store.
func TestStorageQuotaOnUpload(t *testing.T) {
	e := start(t)
	withImageOptions(t, e, func(o *image.Options) { o.QuotaBytes = 1000 })
	alice, _ := e.project(t, "alice")
	first := e.newImage(t, alice, map[string]any{"disk_format": "raw", "container_format": "bare"})
	if r := e.do(t, "PUT", "/v2/images/"+first+"/file", alice, randomBytes(600)); r.Status != 204 {
		t.Fatalf("upload within quota: %d %s", r.Status, r.Raw)
	}
	second := e.newImage(t, alice, map[string]any{"disk_format": "raw", "container_format": "bare"})

	r := e.do(t, "PUT", "/v2/images/"+second+"/file", alice, randomBytes(600))
	if r.Status != 413 || r.Body["message"] != "Image exceeds the storage quota: The size of the data 600 will exceed the limit. 400 bytes remaining.<br /><br />\n\n\n" ||
		r.Body["title"] != "Request Entity Too Large" {
		t.Fatalf("announced upload over quota: %d %s", r.Status, r.Raw)
	}
	if got := imageState(t, e, alice, second); got != "queued <nil> <nil>" {
		t.Fatalf("after the refusal: %s", got)
	}
	r = e.do(t, "PUT", "/v2/images/"+second+"/file", alice, chunked(randomBytes(600)))
	if r.Status != 413 || r.Body["message"] != "Image exceeds the storage quota: The size of the data %(image_size)s will exceed the limit. %(remaining)s bytes remaining.<br /><br />\n\n\n" {
		t.Fatalf("chunked upload over quota: %d %s", r.Status, r.Raw)
	}
	if got := imageState(t, e, alice, second); got != "queued <nil> <nil>" {
		t.Fatalf("after the refusal: %s", got)
	}
	wantFiles(t, e, first)

	if r := e.do(t, "PUT", "/v2/images/"+second+"/file", alice, chunked(randomBytes(400))); r.Status != 204 {
		t.Fatalf("an upload filling the quota exactly: %d %s", r.Status, r.Raw)
	}
	third := e.newImage(t, alice, map[string]any{"disk_format": "raw", "container_format": "bare"})
	r = e.do(t, "PUT", "/v2/images/"+third+"/file", alice, chunked([]byte("x")))
	if r.Status != 413 || r.Body["message"] != "Image exceeds the storage quota: The size of the data None will exceed the limit. 0 bytes remaining.<br /><br />\n\n\n" {
		t.Fatalf("upload with no room left: %d %s", r.Status, r.Raw)
	}
	wantFiles(t, e, first, second)
}

// Staged data counts against the storage quota; a refused stage queues the
// image again and leaves nothing staged.
func TestStorageQuotaOnStage(t *testing.T) {
	e := start(t)
	withImageOptions(t, e, func(o *image.Options) { o.QuotaBytes = 1000 })
	t.Cleanup(e.svc.Wait)
	alice, _ := e.project(t, "alice")
	id := e.newImage(t, alice, map[string]any{"disk_format": "raw", "container_format": "bare"})
	r := e.do(t, "PUT", "/v2/images/"+id+"/stage", alice, randomBytes(1500))
	if r.Status != 413 || r.Body["message"] != "Image exceeds the storage quota: The size of the data 1500 will exceed the limit. 1000 bytes remaining.<br /><br />\n\n\n" {
		t.Fatalf("announced stage over quota: %d %s", r.Status, r.Raw)
	}
	r = e.do(t, "PUT", "/v2/images/"+id+"/stage", alice, chunked(randomBytes(1500)))
	if r.Status != 413 || r.Body["message"] != "Image exceeds the storage quota: The size of the data %(image_size)s will exceed the limit. %(remaining)s bytes remaining.<br /><br />\n\n\n" {
		t.Fatalf("chunked stage over quota: %d %s", r.Status, r.Raw)
	}
	if got := imageState(t, e, alice, id); got != "queued <nil> <nil>" {
		t.Fatalf("after the refusals: %s", got)
	}
	wantFiles(t, e)

	if r := e.do(t, "PUT", "/v2/images/"+id+"/stage", alice, chunked(randomBytes(800))); r.Status != 204 {
		t.Fatalf("stage within quota: %d %s", r.Status, r.Raw)
	}
	other := e.newImage(t, alice, map[string]any{"disk_format": "raw", "container_format": "bare"})
	r = e.do(t, "PUT", "/v2/images/"+other+"/file", alice, randomBytes(300))
	if r.Status != 413 || r.Body["message"] != "Image exceeds the storage quota: The size of the data 300 will exceed the limit. 200 bytes remaining.<br /><br />\n\n\n" {
		t.Fatalf("upload beside staged data: %d %s", r.Status, r.Raw)
	}
	if r := e.do(t, "POST", "/v2/images/"+id+"/import", alice, map[string]any{"method": map[string]any{"name": "glance-direct"}}); r.Status != 202 {
		t.Fatalf("import of data staged within quota: %d %s", r.Status, r.Raw)
	}
	if got := e.afterImports(t, alice, id); got["status"] != "active" {
		t.Fatalf("after import: %v", got)
	}
	wantFiles(t, e, id)
}
