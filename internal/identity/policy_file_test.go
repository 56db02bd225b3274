package identity_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/monostack/monostack/internal/identity"
	"github.com/monostack/monostack/internal/identity/identitytest"
)

// TestPolicyFileOverridesAndReloads: an operator's policy.yaml changes who
// may do what, and an edit takes effect without a restart.
func TestPolicyFileOverridesAndReloads(t *testing.T) {
	file := filepath.Join(t.TempDir(), "policy.yaml")
	e := identitytest.Start(t, identitytest.Options{PolicyFile: file})
	admin := e.AdminToken(t)
	mkUser(t, e, admin, "mallory", "pw", nil)
	member := e.Token(t, "mallory", "pw", "admin")
	create := func() int {
		return e.Do(t, "POST", "/v3/projects", member, map[string]any{"project": map[string]any{"name": "p" + time.Now().Format("150405.000000")}}).Status
	}
	if s := create(); s != 403 {
		t.Fatalf("member creating a project by default: %d", s)
	}
	write := func(content string, mtime time.Time) {
		if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(file, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	write(`"identity:create_project": "role:member"`+"\n", time.Now().Add(-time.Hour))
	time.Sleep(1100 * time.Millisecond) // the file is re-read at most once a second
	if s := create(); s != 201 {
		t.Fatalf("member creating a project once policy.yaml allows it: %d", s)
	}
	write(`"identity:create_project": "!"`+"\n", time.Now())
	time.Sleep(1100 * time.Millisecond)
	if s := e.Do(t, "POST", "/v3/projects", admin, map[string]any{"project": map[string]any{"name": "never"}}).Status; s != 403 {
		t.Fatalf("admin creating a project once policy.yaml forbids it: %d", s)
	}
}

// TestBootstrapIsIdempotent runs bootstrap again: nothing is duplicated,
// the admin password follows the configuration, endpoints follow URLs.
func TestBootstrapIsIdempotent(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	before := e.Snapshot(t)
	opts := identity.BootstrapOptions{AdminUser: "admin", AdminPassword: identitytest.AdminPassword, AdminProject: "admin",
		Region: "RegionOne", Catalog: []identity.CatalogEntry{{Type: "identity", Name: "keystone", URL: e.URL + "/v3"}}}
	res, err := e.Service.Bootstrap(context.Background(), opts)
	if err != nil || len(res.Created) != 0 || res.AdminUserID != e.AdminUserID {
		t.Fatalf("second bootstrap: %+v %v", res, err)
	}
	if e.Snapshot(t) != before {
		t.Fatal("a second bootstrap changed the database")
	}
	opts.AdminPassword = "rotated"
	opts.Catalog[0].URL = "http://elsewhere:5000/v3"
	if _, err := e.Service.Bootstrap(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	r := e.Do(t, "POST", "/v3/auth/tokens", "", identitytest.PasswordAuth("admin", "rotated", "admin"))
	if r.Status != 201 {
		t.Fatalf("rotated admin password: %d", r.Status)
	}
	for _, ep := range r.Body["token"].(map[string]any)["catalog"].([]any)[0].(map[string]any)["endpoints"].([]any) {
		if ep.(map[string]any)["url"] != "http://elsewhere:5000/v3" {
			t.Fatalf("endpoint not moved: %v", ep)
		}
	}
}

// TestVersionDiscoveryAndJSONHome checks GET /, GET /v3 and the JSON-home
// document, which needs no token.
func TestVersionDiscoveryAndJSONHome(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	r := e.Do(t, "GET", "/", "", nil)
	values := r.Body["versions"].(map[string]any)["values"].([]any)
	if r.Status != 300 || len(values) != 1 || values[0].(map[string]any)["id"] != "v3.14" {
		t.Fatalf("GET /: %d %s", r.Status, r.Raw)
	}
	r = e.Do(t, "GET", "/v3", "", nil)
	v := r.Body["version"].(map[string]any)
	mt := v["media-types"].([]any)[0].(map[string]any)
	if r.Status != 200 || v["status"] != "stable" || mt["type"] != "application/vnd.openstack.identity-v3+json" ||
		v["links"].([]any)[0].(map[string]any)["href"] != e.URL+"/v3/" {
		t.Fatalf("GET /v3: %d %s", r.Status, r.Raw)
	}
	home := jsonHome(t, e)
	res := home["resources"].(map[string]any)
	p := res["https://docs.openstack.org/api/openstack-identity/3/rel/project"].(map[string]any)
	if p["href-template"] != "/v3/projects/{project_id}" {
		t.Fatalf("project resource: %v", p)
	}
	if _, ok := res["https://docs.openstack.org/api/openstack-identity/3/rel/auth_tokens"]; !ok {
		t.Fatal("no auth_tokens resource")
	}
	if _, ok := res["https://docs.openstack.org/api/openstack-identity/3/ext/OS-TRUST/1.0/rel/trusts"]; !ok {
		t.Fatal("no OS-TRUST trusts resource")
	}
}
