package compute_test

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"

	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/errs"
	"github.com/monostack/monostack/internal/httpx"
)

// fakeImages is an in-test image service: compute.Images over a map.
type fakeImages struct {
	mu      sync.Mutex
	images  map[string]*compute.ImageMeta
	created int
}

func newFakeImages() *fakeImages { return &fakeImages{images: map[string]*compute.ImageMeta{}} }

func (f *fakeImages) add(img compute.ImageMeta) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if img.ID == "" {
		img.ID = httpx.NewUUID()
	}
	if img.Status == "" {
		img.Status = "active"
	}
	f.images[img.ID] = &img
	return img.ID
}

func (f *fakeImages) Image(_ context.Context, _ string, _ bool, id string) (*compute.ImageMeta, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	img, ok := f.images[id]
	if !ok {
		return nil, errs.NotFoundf("No image found with ID %s", id)
	}
	c := *img
	return &c, nil
}

func (f *fakeImages) CreateImage(_ context.Context, meta compute.ImageMeta) (*compute.ImageMeta, error) {
	f.mu.Lock()
	f.created++ // distinct, increasing creation times, as the image service keeps
	meta.CreatedAt = time.Unix(1_700_000_000+int64(f.created), 0).UTC().Format(time.RFC3339)
	f.mu.Unlock()
	meta.Status = "queued"
	meta.ID = f.add(meta)
	meta.Status = "queued"
	f.mu.Lock()
	f.images[meta.ID].Status = "queued"
	f.mu.Unlock()
	return &meta, nil
}

func (f *fakeImages) DeleteImage(_ context.Context, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.images, id)
	return nil
}

func (f *fakeImages) DataURL(id string) string { return "http://image.test/v2/images/" + id + "/file" }

// List returns every image (the fake has no visibility), newest first:
// the last added first.
func (f *fakeImages) List(_ context.Context, _ string, _ bool) ([]compute.ImageMeta, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]compute.ImageMeta, 0, len(f.images))
	for _, img := range f.images {
		c := *img
		c.Properties = maps.Clone(img.Properties)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b compute.ImageMeta) int {
		return cmp.Or(cmp.Compare(b.CreatedAt, a.CreatedAt), cmp.Compare(b.ID, a.ID))
	})
	return out, nil
}

func (f *fakeImages) UpdateProperties(_ context.Context, id string, set map[string]string, remove []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	img, ok := f.images[id]
	if !ok {
		return errs.NotFoundf("No image found with ID %s", id)
	}
	props := maps.Clone(img.Properties)
	if props == nil {
		props = map[string]string{}
	}
	for _, k := range remove {
		delete(props, k)
	}
	maps.Copy(props, set)
	img.Properties = props
	return nil
}

func (f *fakeImages) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.images)
}

// serversEnv is a compute API with a fake image service and one image.
type serversEnv struct {
	*env
	images *fakeImages
	image  string // an active 1 GiB cirros-like image
}

func startServers(t *testing.T, change ...func(*compute.Options)) *serversEnv {
	t.Helper()
	imgs := newFakeImages()
	e := start(t, append([]func(*compute.Options){func(o *compute.Options) { o.Images = imgs }}, change...)...)
	img := imgs.add(compute.ImageMeta{Name: "cirros", DiskFormat: "qcow2", ContainerFormat: "bare", Size: 20 << 20, Visibility: "public"})
	return &serversEnv{env: e, images: imgs, image: img}
}

// fallbackFlavor makes a flavor when the flavors API is not there.
var fallbackFlavor func(name string, vcpus, ram, disk int) string

// flavor makes a flavor through the flavors API and returns its id.
func (e *serversEnv) flavor(t *testing.T, name string, vcpus, ram, disk int) string {
	t.Helper()
	r := e.do(t, "POST", "/v2.1/flavors", e.admin, map[string]any{"flavor": map[string]any{
		"name": name, "vcpus": vcpus, "ram": ram, "disk": disk}})
	if r.Status == 200 {
		return r.Body["flavor"].(map[string]any)["id"].(string)
	}
	if fallbackFlavor != nil {
		return fallbackFlavor(name, vcpus, ram, disk)
	}
	t.Skipf("flavors API not available: %d %s", r.Status, r.Raw)
	return ""
}

// boot posts a create body for token at microversion mv and wants 202.
func (e *serversEnv) boot(t *testing.T, token, mv string, server map[string]any) map[string]any {
	t.Helper()
	r := e.do(t, "POST", "/v2.1/servers", token, map[string]any{"server": server}, "OpenStack-API-Version", "compute "+mv)
	if r.Status != 202 {
		t.Fatalf("create: %d %s", r.Status, r.Raw)
	}
	return r.Body
}

// show gets a server at mv.
func (e *serversEnv) show(t *testing.T, token, mv, id string) map[string]any {
	t.Helper()
	r := e.do(t, "GET", "/v2.1/servers/"+id, token, nil, "OpenStack-API-Version", "compute "+mv)
	if r.Status != 200 {
		t.Fatalf("show: %d %s", r.Status, r.Raw)
	}
	return r.Body["server"].(map[string]any)
}

// computeClient is e.client with the service type set, so gophercloud
// sends the microversion header.
func (e *serversEnv) computeClient(token, mv string) *gophercloud.ServiceClient {
	c := e.client(token, mv)
	c.Type = "compute"
	return c
}
