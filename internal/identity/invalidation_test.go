package identity_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

// fixture is a user with the member role on its own project.
type fixture struct {
	e                        *identitytest.Env
	admin                    string
	userID, projectID, token string
	memberRole               string
}

func newFixture(t *testing.T, e *identitytest.Env, name string) *fixture {
	t.Helper()
	f := &fixture{e: e, admin: e.AdminToken(t)}
	r := e.Do(t, "POST", "/v3/projects", f.admin, map[string]any{"project": map[string]any{"name": name + "-project", "domain_id": "default"}})
	if r.Status != 201 {
		t.Fatalf("create project: %d %s", r.Status, r.Raw)
	}
	f.projectID = r.Body["project"].(map[string]any)["id"].(string)
	r = e.Do(t, "POST", "/v3/users", f.admin, map[string]any{"user": map[string]any{"name": name, "password": "pw-" + name, "domain_id": "default"}})
	if r.Status != 201 {
		t.Fatalf("create user: %d %s", r.Status, r.Raw)
	}
	f.userID = r.Body["user"].(map[string]any)["id"].(string)
	f.memberRole = roleID(t, e, f.admin, "member")
	f.grant(t)
	f.token = e.Token(t, name, "pw-"+name, name+"-project")
	return f
}

func (f *fixture) grant(t *testing.T) {
	t.Helper()
	if r := f.e.Do(t, "PUT", fmt.Sprintf("/v3/projects/%s/users/%s/roles/%s", f.projectID, f.userID, f.memberRole), f.admin, nil); r.Status != 204 {
		t.Fatalf("grant: %d %s", r.Status, r.Raw)
	}
}

// valid reports whether the fixture's token still validates, both as a
// subject token and as a caller's token.
func (f *fixture) valid(t *testing.T) bool {
	t.Helper()
	subject := f.e.DoSubject(t, "GET", "/v3/auth/tokens", f.admin, f.token).Status
	caller := f.e.Do(t, "GET", "/v3/auth/projects", f.token, nil).Status
	if (subject == 200) != (caller == 200) {
		t.Fatalf("validation disagrees: subject %d, caller %d", subject, caller)
	}
	return subject == 200
}

func TestTokenInvalidation(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	cases := []struct {
		name   string
		change func(t *testing.T, f *fixture) *identitytest.Response
	}{
		{"user disabled", func(t *testing.T, f *fixture) *identitytest.Response {
			return e.Do(t, "PATCH", "/v3/users/"+f.userID, f.admin, map[string]any{"user": map[string]any{"enabled": false}})
		}},
		{"user deleted", func(t *testing.T, f *fixture) *identitytest.Response {
			return e.Do(t, "DELETE", "/v3/users/"+f.userID, f.admin, nil)
		}},
		{"password changed by admin", func(t *testing.T, f *fixture) *identitytest.Response {
			return e.Do(t, "PATCH", "/v3/users/"+f.userID, f.admin, map[string]any{"user": map[string]any{"password": "another"}})
		}},
		{"password changed by user", func(t *testing.T, f *fixture) *identitytest.Response {
			return e.Do(t, "POST", "/v3/users/"+f.userID+"/password", f.token, map[string]any{"user": map[string]any{
				"password": "another", "original_password": "pw-" + t.Name()[len("TestTokenInvalidation/"):]}})
		}},
		{"project disabled", func(t *testing.T, f *fixture) *identitytest.Response {
			return e.Do(t, "PATCH", "/v3/projects/"+f.projectID, f.admin, map[string]any{"project": map[string]any{"enabled": false}})
		}},
		{"role assignment removed", func(t *testing.T, f *fixture) *identitytest.Response {
			return e.Do(t, "DELETE", fmt.Sprintf("/v3/projects/%s/users/%s/roles/%s", f.projectID, f.userID, f.memberRole), f.admin, nil)
		}},
	}
	for _, c := range cases {
		t.Run(sanitize(c.name), func(t *testing.T) {
			f := newFixture(t, e, sanitize(c.name))
			if !f.valid(t) {
				t.Fatal("token invalid before the change")
			}
			if r := c.change(t, f); r.Status >= 300 {
				t.Fatalf("change: %d %s", r.Status, r.Raw)
			}
			if f.valid(t) {
				t.Fatal("token still valid after the change")
			}
		})
	}
}

func sanitize(s string) string {
	out := []byte(s)
	for i, c := range out {
		if c == ' ' {
			out[i] = '_'
		}
	}
	return string(out)
}

func TestDomainDisabledInvalidatesTokens(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	r := e.Do(t, "POST", "/v3/domains", admin, map[string]any{"domain": map[string]any{"name": "d1"}})
	domainID := r.Body["domain"].(map[string]any)["id"].(string)
	r = e.Do(t, "POST", "/v3/projects", admin, map[string]any{"project": map[string]any{"name": "p1", "domain_id": domainID}})
	projectID := r.Body["project"].(map[string]any)["id"].(string)
	r = e.Do(t, "POST", "/v3/users", admin, map[string]any{"user": map[string]any{"name": "u1", "password": "pw", "domain_id": domainID}})
	userID := r.Body["user"].(map[string]any)["id"].(string)
	e.Do(t, "PUT", fmt.Sprintf("/v3/projects/%s/users/%s/roles/%s", projectID, userID, roleID(t, e, admin, "member")), admin, nil)
	r = e.Do(t, "POST", "/v3/auth/tokens", "", map[string]any{"auth": map[string]any{
		"identity": map[string]any{"methods": []string{"password"}, "password": map[string]any{"user": map[string]any{"id": userID, "password": "pw"}}},
		"scope":    map[string]any{"project": map[string]any{"id": projectID}}}})
	if r.Status != 201 {
		t.Fatalf("token: %d %s", r.Status, r.Raw)
	}
	tok := r.Header.Get("X-Subject-Token")
	if s := e.DoSubject(t, "GET", "/v3/auth/tokens", admin, tok).Status; s != 200 {
		t.Fatalf("before: %d", s)
	}
	if r := e.Do(t, "PATCH", "/v3/domains/"+domainID, admin, map[string]any{"domain": map[string]any{"enabled": false}}); r.Status != 200 {
		t.Fatalf("disable domain: %d %s", r.Status, r.Raw)
	}
	if s := e.DoSubject(t, "GET", "/v3/auth/tokens", admin, tok).Status; s != http.StatusNotFound {
		t.Fatalf("after domain disable: %d", s)
	}
}

// TestPeerControllerSeesInvalidation checks that a controller which has
// validated (and cached) a token notices a change made through another
// controller sharing the database once it reads the generation again,
// at most generationTTL later.
func TestPeerControllerSeesInvalidation(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	f := newFixture(t, e, "alice")
	peer := e.StartPeer(t, identitytest.Options{})
	onPeer := func() int { return peer.Do(t, "GET", "/v3/auth/projects", f.token, nil).Status }
	for range 2 {
		if s := onPeer(); s != 200 {
			t.Fatalf("peer refuses a valid token: %d", s)
		}
	}
	path := fmt.Sprintf("/v3/projects/%s/users/%s/roles/%s", f.projectID, f.userID, f.memberRole)
	if r := e.Do(t, "DELETE", path, f.admin, nil); r.Status != 204 {
		t.Fatalf("revoke grant: %d %s", r.Status, r.Raw)
	}
	e.Clock.Advance(time.Second)
	if s := onPeer(); s != 401 {
		t.Fatalf("peer still accepts the token a second after its role was removed elsewhere: %d", s)
	}
}

// TestLocalChangeSeenAtOnce checks that a change made through the
// controller that cached a token takes effect there with no delay.
func TestLocalChangeSeenAtOnce(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	f := newFixture(t, e, "alice")
	for range 2 {
		if r := e.Do(t, "GET", "/v3/auth/projects", f.token, nil); r.Status != 200 {
			t.Fatalf("valid token refused: %d", r.Status)
		}
	}
	path := fmt.Sprintf("/v3/projects/%s/users/%s/roles/%s", f.projectID, f.userID, f.memberRole)
	if r := e.Do(t, "DELETE", path, f.admin, nil); r.Status != 204 {
		t.Fatalf("revoke grant: %d %s", r.Status, r.Raw)
	}
	if r := e.Do(t, "GET", "/v3/auth/projects", f.token, nil); r.Status != 401 {
		t.Fatalf("token still accepted right after its role was removed: %d", r.Status)
	}
}
