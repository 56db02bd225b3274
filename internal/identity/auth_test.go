package identity_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

func TestPasswordTokenProjectScoped(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	r := e.Do(t, "POST", "/v3/auth/tokens", "", identitytest.PasswordAuth("admin", identitytest.AdminPassword, "admin"))
	if r.Status != http.StatusCreated || r.Header.Get("X-Subject-Token") == "" {
		t.Fatalf("issue: %d %s", r.Status, r.Raw)
	}
	tok := r.Body["token"].(map[string]any)
	if tok["project"].(map[string]any)["id"] != e.AdminProjectID {
		t.Fatalf("project scope: %v", tok["project"])
	}
	if tok["is_domain"] != false || tok["user"].(map[string]any)["domain"].(map[string]any)["name"] != "Default" {
		t.Fatalf("token body: %s", r.Raw)
	}
	names := roleNames(tok)
	for _, want := range []string{"admin", "member", "reader"} {
		if !strings.Contains(names, want) {
			t.Fatalf("roles %s lack %s (implied roles)", names, want)
		}
	}
	cat := tok["catalog"].([]any)
	if len(cat) != 1 || cat[0].(map[string]any)["type"] != "identity" || len(cat[0].(map[string]any)["endpoints"].([]any)) != 3 {
		t.Fatalf("catalog: %v", cat)
	}
	for _, k := range []string{"expires_at", "issued_at"} {
		if _, err := time.Parse("2006-01-02T15:04:05.000000Z", tok[k].(string)); err != nil {
			t.Fatalf("%s %q: %v", k, tok[k], err)
		}
	}
	if ids := tok["audit_ids"].([]any); len(ids) != 1 || len(ids[0].(string)) != 22 {
		t.Fatalf("audit ids %v", ids)
	}
}

func roleNames(tok map[string]any) string {
	var names []string
	for _, r := range tok["roles"].([]any) {
		names = append(names, r.(map[string]any)["name"].(string))
	}
	return strings.Join(names, ",")
}

func TestNocatalogAndScopes(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	r := e.Do(t, "POST", "/v3/auth/tokens?nocatalog", "", identitytest.PasswordAuth("admin", identitytest.AdminPassword, "admin"))
	if _, has := r.Body["token"].(map[string]any)["catalog"]; has || r.Status != 201 {
		t.Fatalf("nocatalog: %d %s", r.Status, r.Raw)
	}
	// unscoped: no roles, no catalog
	r = e.Do(t, "POST", "/v3/auth/tokens", "", identitytest.PasswordAuth("admin", identitytest.AdminPassword, ""))
	tok := r.Body["token"].(map[string]any)
	if r.Status != 201 || tok["roles"] != nil || tok["catalog"] != nil || tok["project"] != nil {
		t.Fatalf("unscoped: %d %s", r.Status, r.Raw)
	}
	// system scope (bootstrap grants admin on the system)
	body := identitytest.PasswordAuth("admin", identitytest.AdminPassword, "")
	body["auth"].(map[string]any)["scope"] = map[string]any{"system": map[string]any{"all": true}}
	r = e.Do(t, "POST", "/v3/auth/tokens", "", body)
	if r.Status != 201 || r.Body["token"].(map[string]any)["system"].(map[string]any)["all"] != true {
		t.Fatalf("system scope: %d %s", r.Status, r.Raw)
	}
	// domain scope needs a role on the domain
	body["auth"].(map[string]any)["scope"] = map[string]any{"domain": map[string]any{"id": "default"}}
	r = e.Do(t, "POST", "/v3/auth/tokens", "", body)
	if r.Status != http.StatusUnauthorized {
		t.Fatalf("domain scope without a role: %d %s", r.Status, r.Raw)
	}
	admin := e.AdminToken(t)
	roleID := roleID(t, e, admin, "admin")
	if r := e.Do(t, "PUT", "/v3/domains/default/users/"+e.AdminUserID+"/roles/"+roleID, admin, nil); r.Status != 204 {
		t.Fatalf("grant: %d %s", r.Status, r.Raw)
	}
	r = e.Do(t, "POST", "/v3/auth/tokens", "", body)
	if r.Status != 201 || r.Body["token"].(map[string]any)["domain"].(map[string]any)["name"] != "Default" {
		t.Fatalf("domain scope: %d %s", r.Status, r.Raw)
	}
}

func roleID(t *testing.T, e *identitytest.Env, token, name string) string {
	t.Helper()
	r := e.Do(t, "GET", "/v3/roles?name="+name, token, nil)
	roles := r.Body["roles"].([]any)
	if len(roles) != 1 {
		t.Fatalf("role %s: %s", name, r.Raw)
	}
	return roles[0].(map[string]any)["id"].(string)
}

func TestValidateCheckRevoke(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	subject := e.AdminToken(t)
	if r := e.DoSubject(t, "GET", "/v3/auth/tokens", admin, subject); r.Status != 200 || r.Header.Get("X-Subject-Token") != subject {
		t.Fatalf("validate: %d %s", r.Status, r.Raw)
	}
	if r := e.DoSubject(t, "HEAD", "/v3/auth/tokens", admin, subject); r.Status != 200 {
		t.Fatalf("check: %d", r.Status)
	}
	if r := e.DoSubject(t, "DELETE", "/v3/auth/tokens", admin, subject); r.Status != 204 {
		t.Fatalf("revoke: %d %s", r.Status, r.Raw)
	}
	if r := e.DoSubject(t, "GET", "/v3/auth/tokens", admin, subject); r.Status != 404 {
		t.Fatalf("revoked token validates: %d", r.Status)
	}
	if r := e.Do(t, "GET", "/v3/projects", subject, nil); r.Status != 401 {
		t.Fatalf("revoked token used: %d", r.Status)
	}
	if r := e.DoSubject(t, "GET", "/v3/auth/tokens", admin, "garbage"); r.Status != 404 {
		t.Fatalf("garbage subject: %d", r.Status)
	}
}

func TestGarbageAndMissingTokens(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	for _, tok := range []string{"", "garbage", strings.Repeat("A", 200)} {
		r := e.Do(t, "GET", "/v3/projects", tok, nil)
		if r.Status != http.StatusUnauthorized {
			t.Fatalf("token %q: %d", tok, r.Status)
		}
		identitytest.ErrorOf(t, r)
		if got := r.Header.Get("WWW-Authenticate"); got != `Keystone uri="`+e.URL+`"` {
			t.Fatalf("WWW-Authenticate = %q", got)
		}
	}
}

func TestExpiredToken(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{Expiration: time.Minute})
	tok := e.AdminToken(t)
	if r := e.Do(t, "GET", "/v3/projects", tok, nil); r.Status != 200 {
		t.Fatalf("fresh token: %d", r.Status)
	}
	e.Clock.Advance(2 * time.Minute)
	if r := e.Do(t, "GET", "/v3/projects", tok, nil); r.Status != 401 {
		t.Fatalf("expired token: %d", r.Status)
	}
}

func TestRescopeKeepsExpiryAndAuditChain(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	r := e.Do(t, "POST", "/v3/auth/tokens", "", identitytest.PasswordAuth("admin", identitytest.AdminPassword, ""))
	unscoped := r.Header.Get("X-Subject-Token")
	first := r.Body["token"].(map[string]any)
	e.Clock.Advance(10 * time.Minute)
	r = e.Do(t, "POST", "/v3/auth/tokens", "", map[string]any{"auth": map[string]any{
		"identity": map[string]any{"methods": []string{"token"}, "token": map[string]any{"id": unscoped}},
		"scope":    map[string]any{"project": map[string]any{"id": e.AdminProjectID}}}})
	if r.Status != 201 {
		t.Fatalf("rescope: %d %s", r.Status, r.Raw)
	}
	second := r.Body["token"].(map[string]any)
	if second["expires_at"] != first["expires_at"] {
		t.Fatalf("rescoped expiry %v, original %v", second["expires_at"], first["expires_at"])
	}
	audit := second["audit_ids"].([]any)
	if len(audit) != 2 || audit[1] != first["audit_ids"].([]any)[0] {
		t.Fatalf("audit chain %v", audit)
	}
	if m := second["methods"].([]any); len(m) != 2 || m[0] != "token" || m[1] != "password" {
		t.Fatalf("methods %v", m)
	}
}
