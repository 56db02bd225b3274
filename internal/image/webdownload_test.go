package image_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/imageimport"

	"github.com/monostack/monostack/internal/image"
)

// source is an HTTP server web-download may be pointed at; it counts the
// requests it gets.
type source struct {
	*httptest.Server
	hits atomic.Int64
}

func newSource(t *testing.T, handler http.HandlerFunc) *source {
	t.Helper()
	s := &source{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		handler(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// serving answers every request with data.
func serving(data []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(data) }
}

func hostPort(t *testing.T, s *source) string {
	t.Helper()
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

func webDownload(uri any) map[string]any {
	m := map[string]any{"name": "web-download"}
	if uri != nil {
		m["uri"] = uri
	}
	return map[string]any{"method": m}
}

func TestWebDownloadIsOffByDefault(t *testing.T) {
	e := start(t)
	src := newSource(t, serving([]byte("data")))
	alice, _ := e.project(t, "alice")
	r := e.do(t, "POST", "/v2/images", alice, map[string]any{"disk_format": "raw", "container_format": "bare"})
	if got := r.Header.Get("OpenStack-image-import-methods"); got != "glance-direct" {
		t.Fatalf("create announces %q", got)
	}
	id := r.Body["id"].(string)
	if msg := e.refused(t, "POST", "/v2/images/"+id+"/import", alice, webDownload(src.URL), 400); msg != "Unknown import method name 'web-download'." {
		t.Fatalf("%q", msg)
	}
	if n := src.hits.Load(); n != 0 {
		t.Fatalf("a refused web-download made %d requests", n)
	}
}

func TestGophercloudWebDownloadFromAllowedHost(t *testing.T) {
	e := start(t)
	data := randomBytes(300 << 10)
	src := newSource(t, serving(data))
	withImageOptions(t, e, func(o *image.Options) { o.WebDownload, o.WebDownloadAllow = true, []string{hostPort(t, src)} })
	t.Cleanup(e.svc.Wait)
	alice, _ := e.project(t, "alice")
	r := e.do(t, "POST", "/v2/images", alice, map[string]any{"disk_format": "raw", "container_format": "bare"})
	if got := r.Header.Get("OpenStack-image-import-methods"); got != "glance-direct,web-download" {
		t.Fatalf("create announces %q", got)
	}
	id := r.Body["id"].(string)
	err := imageimport.Create(context.Background(), e.client(alice), id,
		imageimport.CreateOpts{Name: imageimport.WebDownloadMethod, URI: src.URL + "/cirros.img"}).ExtractErr()
	if err != nil {
		t.Fatal(err)
	}
	got := e.afterImports(t, alice, id)
	md, sh := hashes(data)
	if got["status"] != "active" || got["checksum"] != md || got["os_hash_value"] != sh || got["size"] != float64(len(data)) ||
		got["os_glance_importing_to_stores"] != "" || got["os_glance_failed_import"] != "" {
		t.Fatalf("after web-download: %v", got)
	}
	if _, held := got["os_glance_import_task"]; held {
		t.Fatal("the import lock outlived the import")
	}
	if n := src.hits.Load(); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
	wantFiles(t, e, id)
}

// URLs the allow-list does not name, or names by a prefix but at a
// loopback address, are refused with upstream's 400 before any request.
func TestWebDownloadRefusesWithoutFetching(t *testing.T) {
	e := start(t)
	listed := newSource(t, serving([]byte("data")))
	prefixed := newSource(t, serving([]byte("data")))
	withImageOptions(t, e, func(o *image.Options) {
		o.WebDownload = true
		o.WebDownloadAllow = []string{hostPort(t, listed), prefixed.URL + "/images/"}
	})
	alice, _ := e.project(t, "alice")
	id := e.newImage(t, alice, map[string]any{"disk_format": "raw", "container_format": "bare"})
	_, port, _ := strings.Cut(hostPort(t, listed), ":")
	for _, uri := range []any{
		prefixed.URL + "/images/cirros.img", // named by a prefix, but loopback
		prefixed.URL + "/other.img",
		"http://localhost:" + port + "/cirros.img",
		"ftp://" + hostPort(t, listed) + "/cirros.img",
		"file:///etc/passwd",
		"",
		nil,
	} {
		want := "URI for web-download does not pass filtering: None"
		if uri != nil {
			want = "URI for web-download does not pass filtering: " + uri.(string)
		}
		if msg := e.refused(t, "POST", "/v2/images/"+id+"/import", alice, webDownload(uri), 400); msg != want {
			t.Errorf("%v: %q, want %q", uri, msg, want)
		}
	}
	if n := listed.hits.Load() + prefixed.hits.Load(); n != 0 {
		t.Fatalf("refused URLs made %d requests", n)
	}
}

// A redirect is followed only to what the filter allows; a failed
// web-download queues the image again (upstream's revert) and leaves no
// data.
func TestWebDownloadRedirectToLoopbackFails(t *testing.T) {
	e := start(t)
	target := newSource(t, serving([]byte("data")))
	redirector := newSource(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/images/x.img", http.StatusFound)
	})
	withImageOptions(t, e, func(o *image.Options) {
		o.WebDownload = true
		o.WebDownloadAllow = []string{hostPort(t, redirector), target.URL + "/images/"}
	})
	t.Cleanup(e.svc.Wait)
	alice, _ := e.project(t, "alice")
	id := e.newImage(t, alice, map[string]any{"disk_format": "raw", "container_format": "bare"})
	if r := e.do(t, "POST", "/v2/images/"+id+"/import", alice, webDownload(redirector.URL+"/x.img")); r.Status != 202 {
		t.Fatalf("import: %d %s", r.Status, r.Raw)
	}
	got := e.afterImports(t, alice, id)
	if got["status"] != "queued" || got["size"] != nil || got["os_glance_failed_import"] != "" || got["os_glance_importing_to_stores"] != "" {
		t.Fatalf("after a failed web-download: %v", got)
	}
	if _, held := got["os_glance_import_task"]; held {
		t.Fatal("a failed import kept its lock")
	}
	if redirector.hits.Load() != 1 || target.hits.Load() != 0 {
		t.Fatalf("requests: redirector %d, target %d", redirector.hits.Load(), target.hits.Load())
	}
	wantFiles(t, e)
}

// While the data arrives the image is importing and holds the import lock.
func TestWebDownloadInProgress(t *testing.T) {
	e := start(t)
	reached, release := make(chan struct{}), make(chan struct{})
	src := newSource(t, func(w http.ResponseWriter, r *http.Request) {
		close(reached)
		<-release
		_, _ = w.Write([]byte("data"))
	})
	withImageOptions(t, e, func(o *image.Options) { o.WebDownload, o.WebDownloadAllow = true, []string{"127.0.0.1"} })
	t.Cleanup(e.svc.Wait)
	alice, _ := e.project(t, "alice")
	id := e.newImage(t, alice, map[string]any{"disk_format": "raw", "container_format": "bare"})
	if r := e.do(t, "POST", "/v2/images/"+id+"/import", alice, webDownload(src.URL)); r.Status != 202 {
		t.Fatalf("import: %d %s", r.Status, r.Raw)
	}
	select {
	case <-reached:
	case <-time.After(10 * time.Second):
		t.Fatal("the download never started")
	}
	r := e.do(t, "GET", "/v2/images/"+id, alice, nil)
	if task, _ := r.Body["os_glance_import_task"].(string); r.Body["status"] != "importing" || task == "" {
		t.Fatalf("during the download: %s", r.Raw)
	}
	if msg := e.refused(t, "POST", "/v2/images/"+id+"/import", alice, webDownload(src.URL), 409); msg != "Image needs to be in 'queued' state to use 'web-download' method" {
		t.Fatalf("second import: %q", msg)
	}
	close(release)
	if got := e.afterImports(t, alice, id); got["status"] != "active" {
		t.Fatalf("after the download: %v", got)
	}
}

func TestWebDownloadHonoursSizeCap(t *testing.T) {
	e := start(t)
	src := newSource(t, serving(randomBytes(5000)))
	withImageOptions(t, e, func(o *image.Options) {
		o.WebDownload, o.WebDownloadAllow, o.ImageSizeCap = true, []string{"127.0.0.1"}, 1000
	})
	t.Cleanup(e.svc.Wait)
	alice, _ := e.project(t, "alice")
	id := e.newImage(t, alice, map[string]any{"disk_format": "raw", "container_format": "bare"})
	if r := e.do(t, "POST", "/v2/images/"+id+"/import", alice, webDownload(src.URL)); r.Status != 202 {
		t.Fatalf("import: %d %s", r.Status, r.Raw)
	}
	if got := e.afterImports(t, alice, id); got["status"] != "queued" || got["size"] != nil {
		t.Fatalf("after an oversized web-download: %v", got)
	}
	wantFiles(t, e)
}
