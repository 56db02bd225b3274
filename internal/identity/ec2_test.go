package identity_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/ec2credentials"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

func ec2Path(userID string) string { return "/v3/users/" + userID + "/credentials/OS-EC2" }

// ec2Create makes an EC2 credential for the user on project.
func ec2Create(t *testing.T, e *identitytest.Env, token, userID, projectID string) map[string]any {
	t.Helper()
	r := e.Do(t, "POST", ec2Path(userID), token, map[string]any{"tenant_id": projectID})
	if r.Status != http.StatusCreated {
		t.Fatalf("create EC2 credential: %d %s", r.Status, r.Raw)
	}
	return r.Body["credential"].(map[string]any)
}

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

// TestEC2CredentialsGophercloud follows Tempest's test_ec2_credentials: a
// non-admin user manages their own EC2 credentials.
func TestEC2CredentialsGophercloud(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	f := newFixture(t, e, "ec2-user")
	ctx := context.Background()
	client := e.Client(t, "ec2-user", "pw-ec2-user", "ec2-user-project")
	cred, err := ec2credentials.Create(ctx, client, f.userID, ec2credentials.CreateOpts{TenantID: f.projectID}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if !hex32.MatchString(cred.Access) || !hex32.MatchString(cred.Secret) || cred.UserID != f.userID || cred.TenantID != f.projectID || cred.TrustID != "" {
		t.Fatalf("created %+v", cred)
	}
	got, err := ec2credentials.Get(ctx, client, f.userID, cred.Access).Extract()
	if err != nil || got.Secret != cred.Secret || got.TenantID != f.projectID {
		t.Fatalf("get: %+v %v", got, err)
	}
	second, err := ec2credentials.Create(ctx, client, f.userID, ec2credentials.CreateOpts{TenantID: f.projectID}).Extract()
	if err != nil || second.Access == cred.Access || second.Secret == cred.Secret {
		t.Fatalf("second: %+v %v", second, err)
	}
	pages, err := ec2credentials.List(client, f.userID).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	list, _ := ec2credentials.ExtractCredentials(pages)
	if len(list) != 2 {
		t.Fatalf("list: %+v", list)
	}
	if err := ec2credentials.Delete(ctx, client, f.userID, cred.Access).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if _, err := ec2credentials.Get(ctx, client, f.userID, cred.Access).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		t.Fatalf("get deleted: %v", err)
	}
}

func TestEC2CredentialsShapes(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	c := ec2Create(t, e, admin, e.AdminUserID, e.AdminProjectID)
	access := c["access"].(string)
	self := e.URL + ec2Path(e.AdminUserID) + "/" + access
	if credKeys(c) != "access,links,secret,tenant_id,trust_id,user_id" || c["trust_id"] != nil ||
		c["links"].(map[string]any)["self"] != self || c["tenant_id"] != e.AdminProjectID {
		t.Fatalf("create shape: %v", c)
	}
	r := e.Do(t, "GET", ec2Path(e.AdminUserID), admin, nil)
	list := r.Body["credentials"].([]any)
	if r.Status != 200 || len(list) != 1 || credKeys(list[0].(map[string]any)) != credKeys(c) ||
		r.Body["links"].(map[string]any)["self"] != e.URL+ec2Path(e.AdminUserID) {
		t.Fatalf("list: %d %s", r.Status, r.Raw)
	}
	r = e.Do(t, "GET", ec2Path(e.AdminUserID)+"/"+access, admin, nil)
	if r.Status != 200 || r.Body["credential"].(map[string]any)["secret"] != c["secret"] {
		t.Fatalf("show: %d %s", r.Status, r.Raw)
	}
	// the same credential through /v3/credentials, stored as upstream stores it
	r = e.Do(t, "GET", "/v3/credentials/"+sha256Hex(access), admin, nil)
	v3 := r.Body["credential"].(map[string]any)
	blob := `{"access": "` + access + `", "secret": "` + c["secret"].(string) + `", "trust_id": null}`
	if r.Status != 200 || v3["type"] != "ec2" || v3["blob"] != blob || v3["project_id"] != e.AdminProjectID {
		t.Fatalf("as a v3 credential: %d %s", r.Status, r.Raw)
	}
	if r = e.Do(t, "DELETE", ec2Path(e.AdminUserID)+"/"+access, admin, nil); r.Status != 204 {
		t.Fatalf("delete: %d %s", r.Status, r.Raw)
	}
	r = e.Do(t, "GET", ec2Path(e.AdminUserID)+"/"+access, admin, nil)
	if _, msg, _ := identitytest.ErrorOf(t, r); r.Status != 404 || msg != "Could not find credential: "+sha256Hex(access)+"." {
		t.Fatalf("show deleted: %d %s", r.Status, r.Raw)
	}
}

func TestEC2CredentialsBadInput(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	mine := ec2Path(e.AdminUserID)
	// type "EC2" is hashed by its access key as upstream does, yet is no ec2 credential
	credCreate(t, e, admin, map[string]any{"type": "EC2", "user_id": e.AdminUserID, "blob": `{"access": "cert-access"}`})
	cases := []struct {
		name, method, path string
		body               any
		status             int
		msg                string
	}{
		{"no tenant", "POST", mine, map[string]any{}, 404, "Could not find project: None."},
		{"empty body", "POST", mine, ``, 404, "Could not find project: None."},
		{"null tenant", "POST", mine, map[string]any{"tenant_id": nil}, 404, "Could not find project: None."},
		{"unknown tenant", "POST", mine, map[string]any{"tenant_id": "nope"}, 404, "Could not find project: nope."},
		{"domain as tenant", "POST", mine, map[string]any{"tenant_id": "default"}, 404, "Could not find project: default."},
		{"tenant of wrong type", "POST", mine, map[string]any{"tenant_id": 5}, 400, "Invalid input for field 'tenant_id'"},
		{"malformed JSON", "POST", mine, `{"tenant_id": `, 400, ""},
		{"unknown user", "POST", ec2Path("nobody"), map[string]any{"tenant_id": e.AdminProjectID}, 404, "Could not find user: nobody."},
		{"list unknown user", "GET", ec2Path("nobody"), nil, 404, "Could not find user: nobody."},
		{"unknown access", "GET", mine + "/nope", nil, 404, "Could not find credential: " + sha256Hex("nope") + "."},
		{"delete unknown access", "DELETE", mine + "/nope", nil, 404, "Could not find credential: " + sha256Hex("nope") + "."},
		{"not an ec2 credential", "GET", mine + "/cert-access", nil, 401, ""},
		{"delete not an ec2 credential", "DELETE", mine + "/cert-access", nil, 401, ""},
	}
	for _, c := range cases {
		t.Run(sanitize(c.name), func(t *testing.T) {
			if msg, _ := e.Refused(t, c.method, c.path, admin, c.body, c.status); !strings.Contains(msg, c.msg) {
				t.Fatalf("message %q lacks %q", msg, c.msg)
			}
		})
	}
}

// TestEC2CredentialsIsolation: user A can neither list, create, show nor
// delete user B's EC2 credentials, nor reach their own through B's path.
func TestEC2CredentialsIsolation(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	a, b := newFixture(t, e, "ec2-a"), newFixture(t, e, "ec2-b")
	mine := ec2Create(t, e, a.token, a.userID, a.projectID)
	theirs := ec2Create(t, e, b.token, b.userID, b.projectID)
	before := e.Snapshot(t)
	for _, c := range []struct {
		method, path string
		body         any
		status       int
	}{
		{"GET", ec2Path(b.userID), nil, 403},
		{"POST", ec2Path(b.userID), map[string]any{"tenant_id": b.projectID}, 403},
		{"GET", ec2Path(b.userID) + "/" + theirs["access"].(string), nil, 403},
		{"DELETE", ec2Path(b.userID) + "/" + theirs["access"].(string), nil, 403},
		{"GET", ec2Path(a.userID) + "/" + theirs["access"].(string), nil, 403},
		{"DELETE", ec2Path(a.userID) + "/" + theirs["access"].(string), nil, 403},
		{"GET", ec2Path(b.userID) + "/" + mine["access"].(string), nil, 404},
	} {
		r := e.Do(t, c.method, c.path, a.token, c.body)
		if r.Status != c.status || strings.Contains(string(r.Raw), theirs["secret"].(string)) {
			t.Fatalf("A %s %s: %d %s", c.method, c.path, r.Status, r.Raw)
		}
		identitytest.ErrorOf(t, r)
	}
	if after := e.Snapshot(t); after != before {
		t.Fatal("a refused request changed the database")
	}
	r := e.Do(t, "GET", ec2Path(a.userID), a.token, nil)
	if list := r.Body["credentials"].([]any); r.Status != 200 || len(list) != 1 || list[0].(map[string]any)["access"] != mine["access"] {
		t.Fatalf("A lists own: %d %s", r.Status, r.Raw)
	}
}
