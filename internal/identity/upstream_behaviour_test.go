package identity_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

// TestContentTypeMustBeJSON: like upstream, a body not declared JSON is
// refused with 400 and changes nothing.
func TestContentTypeMustBeJSON(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	before := e.Snapshot(t)
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded"} {
		req, _ := http.NewRequest("POST", e.URL+"/v3/projects", strings.NewReader(`{"project": {"name": "p"}}`))
		req.Header.Set("X-Auth-Token", admin)
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 {
			t.Fatalf("Content-Type %q: %d", ct, resp.StatusCode)
		}
	}
	if e.Snapshot(t) != before {
		t.Fatal("a refused request changed the database")
	}
	req, _ := http.NewRequest("POST", e.URL+"/v3/projects", strings.NewReader(`{"project": {"name": "p"}}`))
	req.Header.Set("X-Auth-Token", admin)
	req.Header.Set("Content-Type", "application/json; charset=UTF-8")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("JSON with a charset: %v %v", err, resp.StatusCode)
	}
	resp.Body.Close()
}

// TestSubjectTokenMessages: validation failures are 404s with upstream's
// messages; 401s never say why.
func TestSubjectTokenMessages(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	req, _ := http.NewRequest("GET", e.URL+"/v3/auth/tokens", nil)
	req.Header.Set("X-Auth-Token", admin)
	resp, _ := http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Fatalf("no subject token: %d", resp.StatusCode)
	}
	if _, msg, _ := identitytest.ErrorOf(t, e.DoSubject(t, "GET", "/v3/auth/tokens", admin, "garbage")); msg != "Could not recognize Fernet token" {
		t.Fatalf("garbage: %q", msg)
	}
	other := e.AdminToken(t)
	e.DoSubject(t, "DELETE", "/v3/auth/tokens", admin, other)
	if _, msg, _ := identitytest.ErrorOf(t, e.DoSubject(t, "GET", "/v3/auth/tokens", admin, other)); msg != "Failed to validate token" {
		t.Fatalf("revoked: %q", msg)
	}
	for _, body := range []any{
		identitytest.PasswordAuth("admin", "wrong", "admin"),
		identitytest.PasswordAuth("nobody", "x", "admin"),
		identitytest.PasswordAuth("admin", identitytest.AdminPassword, "no-such-project"),
	} {
		r := e.Do(t, "POST", "/v3/auth/tokens", "", body)
		if _, msg, _ := identitytest.ErrorOf(t, r); r.Status != 401 || msg != "The request you have made requires authentication." {
			t.Fatalf("401 says %d %q", r.Status, msg)
		}
	}
}

// TestLeavingAGroupRevokesTokens: as upstream, removing a user from a
// group revokes the user's tokens even when other roles remain.
func TestLeavingAGroupRevokesTokens(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	f := newFixture(t, e, "gina")
	r := e.Do(t, "POST", "/v3/groups", f.admin, map[string]any{"group": map[string]any{"name": "g"}})
	g := r.Body["group"].(map[string]any)["id"].(string)
	e.Do(t, "PUT", "/v3/groups/"+g+"/users/"+f.userID, f.admin, nil)
	f.token = e.Token(t, "gina", "pw-gina", "gina-project")
	if !f.valid(t) {
		t.Fatal("token invalid before")
	}
	if r := e.Do(t, "DELETE", "/v3/groups/"+g+"/users/"+f.userID, f.admin, nil); r.Status != 204 {
		t.Fatalf("remove: %d", r.Status)
	}
	if f.valid(t) {
		t.Fatal("token still valid after leaving the group")
	}
}

// TestBootstrapRolesAreImmutable: like keystone-manage bootstrap, the
// default roles carry the immutable option and refuse deletion.
func TestBootstrapRolesAreImmutable(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	id := roleID(t, e, admin, "member")
	r := e.Do(t, "GET", "/v3/roles/"+id, admin, nil)
	if r.Body["role"].(map[string]any)["options"].(map[string]any)["immutable"] != true {
		t.Fatalf("member role: %s", r.Raw)
	}
	if r := e.Do(t, "DELETE", "/v3/roles/"+id, admin, nil); r.Status != 403 {
		t.Fatalf("deleting an immutable role: %d", r.Status)
	}
}

// TestAccessRuleTokensNeedTheHeader: a token limited by access rules only
// validates for a caller that says it enforces them.
func TestAccessRuleTokensNeedTheHeader(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	f := newFixture(t, e, "hank")
	ac := createAppCred(t, e, f.token, f.userID, map[string]any{"name": "limited",
		"access_rules": []any{map[string]any{"service": "compute", "method": "GET", "path": "/v2.1/servers"}}})
	r := e.Do(t, "POST", "/v3/auth/tokens", "", appCredAuthBody(ac["id"].(string), ac["secret"].(string)))
	if r.Status != 201 {
		t.Fatalf("app cred token: %d %s", r.Status, r.Raw)
	}
	tok := r.Header.Get("X-Subject-Token")
	if s := e.DoSubject(t, "GET", "/v3/auth/tokens", f.admin, tok).Status; s != 404 {
		t.Fatalf("validation without the access-rules header: %d", s)
	}
	req, _ := http.NewRequest("GET", e.URL+"/v3/auth/tokens", nil)
	req.Header.Set("X-Auth-Token", f.admin)
	req.Header.Set("X-Subject-Token", tok)
	req.Header.Set("OpenStack-Identity-Access-Rules", "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("validation with the header: %v %v", err, resp.StatusCode)
	}
	resp.Body.Close()
}

// TestTokenMethodWithInvalidTokens: as upstream (and as Tempest's
// test_user_update_own_password expects), authenticating with a token that
// does not validate is a 404, not a 401, and issues nothing.
func TestTokenMethodWithInvalidTokens(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{Expiration: time.Hour})
	admin := e.AdminToken(t)
	tokenAuth := func(tok string) map[string]any {
		return map[string]any{"auth": map[string]any{"identity": map[string]any{
			"methods": []any{"token"}, "token": map[string]any{"id": tok}}}}
	}
	revoked := e.AdminToken(t)
	if r := e.DoSubject(t, "DELETE", "/v3/auth/tokens", admin, revoked); r.Status != 204 {
		t.Fatalf("revoke: %d", r.Status)
	}
	expiring := e.AdminToken(t)
	cases := []struct{ name, token, message string }{
		{"garbage", strings.Repeat("x", 100), "Could not recognize Fernet token"},
		{"revoked", revoked, "Failed to validate token"},
	}
	for _, c := range cases {
		if msg, _ := e.Refused(t, "POST", "/v3/auth/tokens", "", tokenAuth(c.token), 404); msg != c.message {
			t.Fatalf("%s: %q, want %q", c.name, msg, c.message)
		}
	}
	e.Clock.Advance(2 * time.Hour)
	if msg, _ := e.Refused(t, "POST", "/v3/auth/tokens", "", tokenAuth(expiring), 404); msg != "Failed to validate token" {
		t.Fatalf("expired: %q", msg)
	}
}
