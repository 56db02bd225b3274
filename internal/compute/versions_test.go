package compute_test

import (
	"strings"
	"testing"

	"github.com/monostack/monostack/internal/compute"
)

func TestVersionDocuments(t *testing.T) {
	e := start(t)
	r := e.do(t, "GET", "/", "", nil)
	if r.Status != 200 || len(r.Body["versions"].([]any)) != 2 {
		t.Fatalf("root: %d %s", r.Status, r.Raw)
	}
	for _, v := range r.Body["versions"].([]any) {
		for _, l := range v.(map[string]any)["links"].([]any) {
			href := l.(map[string]any)["href"].(string)
			if got := e.do(t, "GET", strings.TrimPrefix(href, e.root), e.admin, nil); got.Status != 200 || got.Body["version"] == nil {
				t.Fatalf("self link %s: %d %s", href, got.Status, got.Raw)
			}
		}
	}
	r = e.do(t, "GET", "/v2.1", "", nil)
	v := r.Body["version"].(map[string]any)
	if r.Status != 200 || v["id"] != "v2.1" || v["min_version"] != "2.1" || v["version"] == "" {
		t.Fatalf("v2.1: %d %s", r.Status, r.Raw)
	}
}

func TestMicroversionRefusals(t *testing.T) {
	e := start(t)
	msg := e.refused(t, "GET", "/v2.1", "", nil, 406, "OpenStack-API-Version", "compute 2.999")
	if msg != "Version 2.999 is not supported by the API. Minimum is 2.1 and maximum is "+
		compute.MaxMicroversion.String()+"." {
		t.Fatalf("message %q", msg)
	}
	e.refused(t, "GET", "/v2.1", "", nil, 400, "X-OpenStack-Nova-API-Version", "2.x")
	r := e.do(t, "GET", "/v2.1", "", nil, "OpenStack-API-Version", "compute latest")
	if r.Header.Get("OpenStack-API-Version") != "compute "+compute.MaxMicroversion.String() {
		t.Fatalf("headers %v", r.Header)
	}
}

func TestComputeRequestIDHeader(t *testing.T) {
	e := start(t)
	r := e.do(t, "GET", "/v2.1/flavors", e.admin, nil)
	if id := r.Header.Get("X-Compute-Request-Id"); id == "" || id != r.Header.Get("X-Openstack-Request-Id") {
		t.Fatalf("headers %v", r.Header)
	}
}

// TestBlankIDIsNotTheList checks that a trailing slash names a resource
// with a blank id, which does not exist (Tempest's blank-id negatives),
// while the version documents still answer with one.
func TestBlankIDIsNotTheList(t *testing.T) {
	e := start(t)
	for _, c := range []struct{ method, path string }{
		{"GET", "/v2.1/os-simple-tenant-usage/"}, {"DELETE", "/v2.1/images/"}, {"GET", "/v2.1/servers/"},
	} {
		r := e.do(t, c.method, c.path, e.admin, nil)
		if r.Status != 404 || r.Body["itemNotFound"] == nil {
			t.Errorf("%s %s: %d %s, want Nova's 404", c.method, c.path, r.Status, r.Raw)
		}
	}
	for _, p := range []string{"/v2.1/", "/v2/"} {
		if r := e.do(t, "GET", p, e.admin, nil); r.Status != 200 {
			t.Errorf("GET %s: %d", p, r.Status)
		}
	}
}
