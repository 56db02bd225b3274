package identity_test

import (
	"strings"
	"testing"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

// TestBadInputChangesNothing sends malformed, incomplete, mistyped,
// unknown, duplicate and forbidden requests: each is answered with the
// upstream status and a Keystone error body, and the database is exactly
// as it was.
func TestBadInputChangesNothing(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	r := e.Do(t, "POST", "/v3/projects", admin, map[string]any{"project": map[string]any{"name": "taken", "domain_id": "default"}})
	if r.Status != 201 {
		t.Fatalf("setup: %d %s", r.Status, r.Raw)
	}
	r = e.Do(t, "POST", "/v3/domains", admin, map[string]any{"domain": map[string]any{"name": "enabled-domain"}})
	enabledDomain := r.Body["domain"].(map[string]any)["id"].(string)
	memberRole := roleID(t, e, admin, "member")

	cases := []struct {
		name         string
		method, path string
		token        string
		body         any
		status       int
	}{
		{"malformed JSON", "POST", "/v3/projects", admin, `{"project": {"name": "x"`, 400},
		{"body not an object", "POST", "/v3/projects", admin, `["project"]`, 400},
		{"empty body", "POST", "/v3/users", admin, ``, 400},
		{"missing wrapper", "POST", "/v3/projects", admin, map[string]any{"projekt": map[string]any{"name": "x"}}, 400},
		{"missing project name", "POST", "/v3/projects", admin, map[string]any{"project": map[string]any{"description": "x"}}, 400},
		{"missing user name", "POST", "/v3/users", admin, map[string]any{"user": map[string]any{"password": "x"}}, 400},
		{"missing domain name", "POST", "/v3/domains", admin, map[string]any{"domain": map[string]any{"enabled": true}}, 400},
		{"missing role name", "POST", "/v3/roles", admin, map[string]any{"role": map[string]any{}}, 400},
		{"name of wrong type", "POST", "/v3/projects", admin, map[string]any{"project": map[string]any{"name": 123}}, 400},
		{"enabled of wrong type", "POST", "/v3/users", admin, map[string]any{"user": map[string]any{"name": "u", "enabled": "yes"}}, 400},
		{"tags of wrong type", "POST", "/v3/projects", admin, map[string]any{"project": map[string]any{"name": "p", "tags": "a,b"}}, 400},
		{"name too long", "POST", "/v3/projects", admin, map[string]any{"project": map[string]any{"name": strings.Repeat("n", 65)}}, 400},
		{"empty name", "POST", "/v3/domains", admin, map[string]any{"domain": map[string]any{"name": ""}}, 400},
		{"unknown option", "POST", "/v3/users", admin, map[string]any{"user": map[string]any{"name": "u", "options": map[string]any{"bogus": true}}}, 400},
		{"unknown project domain", "POST", "/v3/projects", admin, map[string]any{"project": map[string]any{"name": "p", "domain_id": "nope"}}, 400},
		{"user in unknown domain", "POST", "/v3/users", admin, map[string]any{"user": map[string]any{"name": "u", "domain_id": "nope"}}, 404},
		{"group in unknown domain", "POST", "/v3/groups", admin, map[string]any{"group": map[string]any{"name": "g", "domain_id": "nope"}}, 404},
		{"unknown parent", "POST", "/v3/projects", admin, map[string]any{"project": map[string]any{"name": "p", "parent_id": "nope"}}, 400},
		{"duplicate project name", "POST", "/v3/projects", admin, map[string]any{"project": map[string]any{"name": "taken", "domain_id": "default"}}, 409},
		{"duplicate domain name", "POST", "/v3/domains", admin, map[string]any{"domain": map[string]any{"name": "Default"}}, 409},
		{"duplicate user name", "POST", "/v3/users", admin, map[string]any{"user": map[string]any{"name": "admin", "domain_id": "default"}}, 409},
		{"duplicate role name", "POST", "/v3/roles", admin, map[string]any{"role": map[string]any{"name": "member"}}, 409},
		{"unknown project", "GET", "/v3/projects/nope", admin, nil, 404},
		{"update unknown user", "PATCH", "/v3/users/nope", admin, map[string]any{"user": map[string]any{"name": "x"}}, 404},
		{"delete unknown role", "DELETE", "/v3/roles/nope", admin, nil, 404},
		{"grant unknown role", "PUT", "/v3/projects/" + e.AdminProjectID + "/users/" + e.AdminUserID + "/roles/nope", admin, nil, 404},
		{"grant to unknown user", "PUT", "/v3/projects/" + e.AdminProjectID + "/users/nope/roles/" + memberRole, admin, nil, 404},
		{"revoke absent grant", "DELETE", "/v3/domains/default/users/" + e.AdminUserID + "/roles/" + memberRole, admin, nil, 404},
		{"delete enabled domain", "DELETE", "/v3/domains/" + enabledDomain, admin, nil, 403},
		{"change project domain", "PATCH", "/v3/projects/" + e.AdminProjectID, admin, map[string]any{"project": map[string]any{"domain_id": enabledDomain}}, 400},
		{"rename to taken name", "PATCH", "/v3/domains/" + enabledDomain, admin, map[string]any{"domain": map[string]any{"name": "Default"}}, 409},
		{"garbage token", "GET", "/v3/users", "not-a-token", nil, 401},
		{"no token", "POST", "/v3/projects", "", map[string]any{"project": map[string]any{"name": "x"}}, 401},
		{"wrong password", "POST", "/v3/auth/tokens", "", identitytest.PasswordAuth("admin", "wrong", "admin"), 401},
		{"unknown user", "POST", "/v3/auth/tokens", "", identitytest.PasswordAuth("nobody", "x", "admin"), 401},
		{"auth without identity", "POST", "/v3/auth/tokens", "", map[string]any{"auth": map[string]any{}}, 400},
		{"auth with no methods", "POST", "/v3/auth/tokens", "", map[string]any{"auth": map[string]any{"identity": map[string]any{"methods": []string{}}}}, 400},
		{"scope to unknown project", "POST", "/v3/auth/tokens", "", identitytest.PasswordAuth("admin", identitytest.AdminPassword, "nope"), 401},
		{"body too large", "POST", "/v3/projects", admin, `{"project": {"name": "x", "description": "` + strings.Repeat("x", 200000) + `"}}`, 413},
		{"wrong method", "PUT", "/v3/projects", admin, nil, 405},
		{"unknown path", "GET", "/v3/nothing-here", admin, nil, 404},
	}
	for _, c := range cases {
		t.Run(sanitize(c.name), func(t *testing.T) {
			msg, r := e.Refused(t, c.method, c.path, c.token, c.body, c.status)
			if c.status == 401 && !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), `Keystone uri="`) {
				t.Fatalf("401 without WWW-Authenticate: %v", r.Header)
			}
			if strings.Contains(msg, "sql") || strings.Contains(msg, "SQL") {
				t.Fatalf("internals leak into the message: %q", msg)
			}
		})
	}
}
