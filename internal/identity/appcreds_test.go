package identity_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/applicationcredentials"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/identity/identitytest"
)

func appCredsPath(userID string) string { return "/v3/users/" + userID + "/application_credentials" }

// createAppCred creates an application credential with the token and
// returns its create response body.
func createAppCred(t *testing.T, e *identitytest.Env, token, userID string, body map[string]any) map[string]any {
	t.Helper()
	r := dlgDo(t, e, "POST", appCredsPath(userID), token, map[string]any{"application_credential": body}, http.StatusCreated)
	return dlgObj(t, r.Body, "application_credential")
}

func TestGophercloudApplicationCredentials(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	f := newFixture(t, e, "alice")
	c := e.Client(t, "alice", "pw-alice", "alice-project")

	expires := time.Now().UTC().Add(24 * time.Hour).Truncate(time.Millisecond)
	ac := must(applicationcredentials.Create(ctx, c, f.userID, applicationcredentials.CreateOpts{
		Name: "ci", Description: "for CI", Roles: []applicationcredentials.Role{{Name: "reader"}}, ExpiresAt: &expires,
		AccessRules: []applicationcredentials.AccessRule{{Service: "compute", Path: "/v2.1/servers/*/ips", Method: "GET"}},
	}).Extract())
	if len(ac.Secret) != 86 || ac.ProjectID != f.projectID || ac.Unrestricted || !ac.ExpiresAt.Equal(expires) {
		t.Fatalf("created: %+v", ac)
	}
	if len(ac.Roles) != 1 || ac.Roles[0].Name != "reader" || len(ac.AccessRules) != 1 || ac.AccessRules[0].ID == "" {
		t.Fatalf("roles/rules: %+v", ac)
	}
	got := must(applicationcredentials.Get(ctx, c, f.userID, ac.ID).Extract())
	if got.Secret != "" || got.Name != "ci" || got.Description != "for CI" {
		t.Fatalf("get: %+v", got)
	}
	must(applicationcredentials.Create(ctx, c, f.userID, applicationcredentials.CreateOpts{Name: "other"}).Extract())
	all := must(applicationcredentials.ExtractApplicationCredentials(must(applicationcredentials.List(c, f.userID, nil).AllPages(ctx))))
	named := must(applicationcredentials.ExtractApplicationCredentials(must(applicationcredentials.List(c, f.userID,
		applicationcredentials.ListOpts{Name: "other"}).AllPages(ctx))))
	if len(all) != 2 || len(named) != 1 || named[0].Name != "other" || len(named[0].Roles) != 2 {
		t.Fatalf("list %d, named %+v", len(all), named)
	}

	// The credential authenticates, scoped to its project with its roles.
	pc := must(openstack.AuthenticatedClient(ctx, gophercloud.AuthOptions{IdentityEndpoint: e.URL + "/v3",
		ApplicationCredentialID: ac.ID, ApplicationCredentialSecret: ac.Secret}))
	if pc.TokenID == "" {
		t.Fatal("no token from the application credential")
	}
	r := dlgDo(t, e, "POST", "/v3/auth/tokens", "", appCredAuthBody(ac.ID, ac.Secret), http.StatusCreated)
	if dlgRoleNames(t, r) != "reader" || dlgObj(t, dlgObj(t, r.Body, "token"), "project")["id"] != f.projectID {
		t.Fatalf("app cred token: %s", r.Raw)
	}

	rules := must(applicationcredentials.ExtractAccessRules(must(applicationcredentials.ListAccessRules(c, f.userID).AllPages(ctx))))
	rule := must(applicationcredentials.GetAccessRule(ctx, c, f.userID, ac.AccessRules[0].ID).Extract())
	if len(rules) != 1 || rule.Service != "compute" || rule.Path != "/v2.1/servers/*/ips" || rule.Method != "GET" {
		t.Fatalf("access rules %+v %+v", rules, rule)
	}
	if err := applicationcredentials.DeleteAccessRule(ctx, c, f.userID, rule.ID).ExtractErr(); status(err) != http.StatusForbidden {
		t.Fatalf("delete rule in use: %v", err)
	}
	must(0, applicationcredentials.Delete(ctx, c, f.userID, ac.ID).ExtractErr())
	if _, err := applicationcredentials.Get(ctx, c, f.userID, ac.ID).Extract(); status(err) != http.StatusNotFound {
		t.Fatalf("get deleted: %v", err)
	}
	dlgDo(t, e, "POST", "/v3/auth/tokens", "", appCredAuthBody(ac.ID, ac.Secret), http.StatusUnauthorized)
	// The rule outlives the credential until deleted itself.
	if rules := must(applicationcredentials.ExtractAccessRules(must(applicationcredentials.ListAccessRules(c, f.userID).AllPages(ctx)))); len(rules) != 1 {
		t.Fatalf("rules after credential delete: %+v", rules)
	}
	must(0, applicationcredentials.DeleteAccessRule(ctx, c, f.userID, rule.ID).ExtractErr())
	if rules := must(applicationcredentials.ExtractAccessRules(must(applicationcredentials.ListAccessRules(c, f.userID).AllPages(ctx)))); len(rules) != 0 {
		t.Fatalf("rules after delete: %+v", rules)
	}
}

func TestAppCredShapes(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	f := newFixture(t, e, "alice")
	ac := createAppCred(t, e, f.token, f.userID, map[string]any{"name": "demo", "description": "Demo", "expires_at": "2099-12-31T23:59:59.000000",
		"roles":        []any{map[string]any{"name": "reader"}},
		"access_rules": []any{map[string]any{"path": "/v3/projects", "method": "GET", "service": "identity"}}})
	dlgKeys(t, "create", ac, "id", "name", "description", "user_id", "project_id", "system", "expires_at", "unrestricted",
		"roles", "access_rules", "secret", "links")
	if ac["expires_at"] != "2099-12-31T23:59:59.000000" || ac["system"] != nil || ac["unrestricted"] != false ||
		ac["user_id"] != f.userID || ac["project_id"] != f.projectID {
		t.Fatalf("create body: %v", ac)
	}
	id := ac["id"].(string)
	if dlgObj(t, ac, "links")["self"] != e.URL+"/v3/application_credentials/"+id {
		t.Fatalf("links %v", ac["links"])
	}
	role := ac["roles"].([]any)[0].(map[string]any)
	dlgKeys(t, "role", role, "id", "name", "domain_id", "description", "options")
	rule := ac["access_rules"].([]any)[0].(map[string]any)
	dlgKeys(t, "access rule", rule, "id", "service", "path", "method")

	shown := dlgObj(t, dlgDo(t, e, "GET", appCredsPath(f.userID)+"/"+id, f.token, nil, 200).Body, "application_credential")
	dlgKeys(t, "show", shown, "id", "name", "description", "user_id", "project_id", "system", "expires_at", "unrestricted",
		"roles", "access_rules", "links")
	plain := createAppCred(t, e, f.token, f.userID, map[string]any{"name": "plain"})
	if plain["description"] != nil || plain["expires_at"] != nil || len(plain["roles"].([]any)) != 2 {
		t.Fatalf("minimal create: %v", plain)
	}
	if _, has := plain["access_rules"]; has {
		t.Fatalf("access_rules shown without rules: %v", plain)
	}
	list := dlgDo(t, e, "GET", appCredsPath(f.userID)+"?name=demo", f.token, nil, 200).Body
	if items := list["application_credentials"].([]any); len(items) != 1 || dlgObj(t, list, "links")["self"] == nil {
		t.Fatalf("list: %v", list)
	}

	rules := dlgDo(t, e, "GET", "/v3/users/"+f.userID+"/access_rules", f.token, nil, 200).Body
	item := rules["access_rules"].([]any)[0].(map[string]any)
	dlgKeys(t, "access rule item", item, "id", "service", "path", "method", "links")
	if dlgObj(t, item, "links")["self"] != e.URL+"/v3/access_rules/"+rule["id"].(string) {
		t.Fatalf("rule link %v", item)
	}
	one := dlgObj(t, dlgDo(t, e, "GET", "/v3/users/"+f.userID+"/access_rules/"+rule["id"].(string), f.token, nil, 200).Body, "access_rule")
	dlgKeys(t, "access rule show", one, "id", "service", "path", "method", "links")

	// The secret is stored as a bcrypt hash only.
	var hash string
	if err := e.DB.Read(ctx, func(tx *db.Tx) error {
		return tx.QueryRow("SELECT secret_hash FROM identity_app_creds WHERE id = ?", id).Scan(&hash)
	}); err != nil || !strings.HasPrefix(hash, "$2") || strings.Contains(hash, ac["secret"].(string)) {
		t.Fatalf("secret hash %q: %v", hash, err)
	}
}

func TestAppCredGivenSecretAndAccessRuleReuse(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	f := newFixture(t, e, "alice")
	rule := map[string]any{"service": "compute", "path": "/v2.1/servers", "method": "GET"}
	a := createAppCred(t, e, f.token, f.userID, map[string]any{"name": "a", "secret": "my-own-secret", "access_rules": []any{rule}})
	if a["secret"] != "my-own-secret" {
		t.Fatalf("given secret: %v", a["secret"])
	}
	ruleID := a["access_rules"].([]any)[0].(map[string]any)["id"].(string)
	b := createAppCred(t, e, f.token, f.userID, map[string]any{"name": "b", "access_rules": []any{rule}})
	c := createAppCred(t, e, f.token, f.userID, map[string]any{"name": "c", "access_rules": []any{map[string]any{"id": ruleID}}})
	for _, x := range []map[string]any{b, c} {
		if got := x["access_rules"].([]any)[0].(map[string]any)["id"]; got != ruleID {
			t.Fatalf("rule not reused: %v vs %s", got, ruleID)
		}
	}
	if n := len(dlgDo(t, e, "GET", "/v3/users/"+f.userID+"/access_rules", f.token, nil, 200).Body["access_rules"].([]any)); n != 1 {
		t.Fatalf("%d rules, want 1", n)
	}
	dlgDo(t, e, "POST", "/v3/auth/tokens", "", appCredAuthBody(a["id"].(string), "my-own-secret"), http.StatusCreated)
	// Another user cannot borrow the rule by id.
	g := newFixture(t, e, "gina")
	dlgRefused(t, e, "POST", appCredsPath(g.userID), g.token, map[string]any{"application_credential": map[string]any{
		"name": "x", "access_rules": []any{map[string]any{"id": ruleID}}}}, 404, "Could not find Access Rule")
}

// TestAppCredSecurity checks who may create, see and delete application
// credentials, and that they never widen their owner's roles.
func TestAppCredSecurity(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	f := newFixture(t, e, "alice")
	g := newFixture(t, e, "gina")
	adminRole := roleID(t, e, f.admin, "admin")
	body := func(name string, extra map[string]any) map[string]any {
		b := map[string]any{"name": name}
		for k, v := range extra {
			b[k] = v
		}
		return map[string]any{"application_credential": b}
	}

	dlgRefused(t, e, "POST", appCredsPath(g.userID), f.token, body("x", nil), 403, "identity:create_application_credential")
	dlgRefused(t, e, "POST", appCredsPath(f.userID), f.token, body("x", map[string]any{"roles": []any{map[string]any{"id": adminRole}}}),
		400, "Invalid application credential: Cannot create an application credential with unassigned role")
	dlgRefused(t, e, "POST", appCredsPath(f.userID), f.token, body("x", map[string]any{"roles": []any{map[string]any{"name": "admin"}}}),
		400, "unassigned role")
	unscoped := e.Token(t, "alice", "pw-alice", "")
	dlgRefused(t, e, "POST", appCredsPath(f.userID), unscoped, body("x", nil), 403, "project-scoped token")

	// A restricted credential's token may not manage credentials or trusts.
	restricted := createAppCred(t, e, f.token, f.userID, map[string]any{"name": "restricted", "roles": []any{map[string]any{"name": "reader"}}})
	rTok := dlgDo(t, e, "POST", "/v3/auth/tokens", "", appCredAuthBody(restricted["id"].(string), restricted["secret"].(string)), 201).Header.Get("X-Subject-Token")
	dlgRefused(t, e, "POST", appCredsPath(f.userID), rTok, body("nested", nil), 403,
		"Using method 'application_credential' is not allowed for managing additional application credentials..")
	dlgRefused(t, e, "DELETE", appCredsPath(f.userID)+"/"+restricted["id"].(string), rTok, nil, 403, "not allowed for managing")
	dlgRefused(t, e, "POST", "/v3/OS-TRUST/trusts", rTok, map[string]any{"trust": map[string]any{"trustor_user_id": f.userID,
		"trustee_user_id": g.userID, "impersonation": false}}, 403, "Using method 'application_credential' is not allowed for managing trusts..")
	dlgRefused(t, e, "POST", "/v3/auth/tokens", "", tokenAuthBody(rTok, f.projectID), 403, "application credential")

	// An unrestricted one may, within its own roles only.
	free := createAppCred(t, e, f.token, f.userID, map[string]any{"name": "free", "unrestricted": true, "roles": []any{map[string]any{"name": "reader"}}})
	fTok := dlgDo(t, e, "POST", "/v3/auth/tokens", "", appCredAuthBody(free["id"].(string), free["secret"].(string)), 201).Header.Get("X-Subject-Token")
	dlgRefused(t, e, "POST", appCredsPath(f.userID), fTok, body("wider", map[string]any{"roles": []any{map[string]any{"name": "member"}}}), 400, "unassigned role")
	child := createAppCred(t, e, fTok, f.userID, map[string]any{"name": "child", "expires_at": ""})
	if roles := child["roles"].([]any); len(roles) != 1 || roles[0].(map[string]any)["name"] != "reader" || child["expires_at"] != nil {
		t.Fatalf("child widened its roles: %v", child)
	}
	trust := func(role string) map[string]any {
		return map[string]any{"trust": map[string]any{"trustor_user_id": f.userID, "trustee_user_id": g.userID,
			"project_id": f.projectID, "impersonation": false, "roles": []any{map[string]any{"name": role}}}}
	}
	dlgRefused(t, e, "POST", "/v3/OS-TRUST/trusts", fTok, trust("member"), 403, "only delegate the credential's roles")
	dlgDo(t, e, "POST", "/v3/OS-TRUST/trusts", fTok, trust("reader"), 201)

	// Others see nothing of alice's credentials; the admin sees them.
	path := appCredsPath(f.userID) + "/" + free["id"].(string)
	dlgRefused(t, e, "GET", path, g.token, nil, 403, "identity:get_application_credential")
	dlgRefused(t, e, "GET", appCredsPath(g.userID)+"/"+free["id"].(string), g.token, nil, 403, "identity:get_application_credential")
	dlgRefused(t, e, "DELETE", path, g.token, nil, 403, "identity:delete_application_credential")
	dlgRefused(t, e, "GET", appCredsPath(f.userID), g.token, nil, 403, "identity:list_application_credentials")
	dlgRefused(t, e, "GET", appCredsPath(g.userID)+"/"+free["id"].(string), f.admin, nil, 404, "Could not find Application Credential")
	dlgDo(t, e, "GET", path, f.admin, nil, 200)
	if n := len(dlgDo(t, e, "GET", appCredsPath(f.userID), f.admin, nil, 200).Body["application_credentials"].([]any)); n != 3 {
		t.Fatalf("admin lists %d credentials, want 3", n)
	}
	dlgRefused(t, e, "GET", "/v3/users/"+f.userID+"/access_rules", g.token, nil, 403, "identity:list_access_rules")
}

// TestAppCredTokenLimits checks that a credential's tokens follow it:
// expiry, deletion of its role, and its owner's roles.
func TestAppCredTokenLimits(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	f := newFixture(t, e, "alice")
	custom := dlgObj(t, dlgDo(t, e, "POST", "/v3/roles", f.admin, map[string]any{"role": map[string]any{"name": "custom"}}, 201).Body, "role")["id"].(string)
	dlgDo(t, e, "PUT", "/v3/projects/"+f.projectID+"/users/"+f.userID+"/roles/"+custom, f.admin, nil, 204)
	expires := time.Now().UTC().Add(time.Hour).Format("2006-01-02T15:04:05.000000")
	ac := createAppCred(t, e, f.token, f.userID, map[string]any{"name": "c", "expires_at": expires, "roles": []any{map[string]any{"id": custom}}})
	auth := appCredAuthBody(ac["id"].(string), ac["secret"].(string))
	r := dlgDo(t, e, "POST", "/v3/auth/tokens", "", auth, 201)
	if dlgRoleNames(t, r) != "custom" {
		t.Fatalf("roles %s", r.Raw)
	}
	tok := r.Header.Get("X-Subject-Token")
	// Deleting the credential's only role leaves its tokens no role at all,
	// never the owner's other roles.
	dlgDo(t, e, "DELETE", "/v3/roles/"+custom, f.admin, nil, 204)
	dlgDo(t, e, "GET", "/v3/auth/projects", tok, nil, 401)
	dlgDo(t, e, "POST", "/v3/auth/tokens", "", auth, 401)

	other := createAppCred(t, e, f.token, f.userID, map[string]any{"name": "d", "expires_at": expires})
	auth = appCredAuthBody(other["id"].(string), other["secret"].(string))
	dlgDo(t, e, "POST", "/v3/auth/tokens", "", auth, 201)
	dlgRefused(t, e, "POST", "/v3/auth/tokens", "", appCredAuthBody(other["id"].(string), "wrong"), 401, "requires authentication")
	e.Clock.Advance(2 * time.Hour)
	dlgRefused(t, e, "POST", "/v3/auth/tokens", "", auth, 401, "requires authentication") // upstream hides why
}

func TestAppCredBadInput(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	f := newFixture(t, e, "alice")
	used := createAppCred(t, e, f.token, f.userID, map[string]any{"name": "taken",
		"access_rules": []any{map[string]any{"service": "compute", "path": "/v2.1/servers", "method": "GET"}}})
	ruleID := used["access_rules"].([]any)[0].(map[string]any)["id"].(string)
	p := appCredsPath(f.userID)
	ac := func(v map[string]any) map[string]any { return map[string]any{"application_credential": v} }
	rule := func(v map[string]any) map[string]any {
		return ac(map[string]any{"name": "r", "access_rules": []any{v}})
	}
	cases := []struct {
		name, method, path string
		body               any
		status             int
		msg                string
	}{
		{"missing wrapper", "POST", p, map[string]any{"app": map[string]any{"name": "x"}}, 400, "Expecting to find application_credential"},
		{"malformed JSON", "POST", p, `{"application_credential": {"name": `, 400, "Malformed"},
		{"missing name", "POST", p, ac(map[string]any{"description": "x"}), 400, "'name'"},
		{"name not a string", "POST", p, ac(map[string]any{"name": 12}), 400, "'name'"},
		{"empty name", "POST", p, ac(map[string]any{"name": ""}), 400, "too short"},
		{"blank name", "POST", p, ac(map[string]any{"name": "   "}), 400, "'name'"},
		{"name too long", "POST", p, ac(map[string]any{"name": strings.Repeat("n", 256)}), 400, "too long"},
		{"duplicate name", "POST", p, ac(map[string]any{"name": "taken"}), 409, "Duplicate entry found with name taken"},
		{"unrestricted not boolean", "POST", p, ac(map[string]any{"name": "x", "unrestricted": "yes"}), 400, "'unrestricted'"},
		{"roles not a list", "POST", p, ac(map[string]any{"name": "x", "roles": "member"}), 400, "'roles'"},
		{"role with id and name", "POST", p, ac(map[string]any{"name": "x", "roles": []any{map[string]any{"id": "a", "name": "b"}}}), 400, "'roles'"},
		{"role with other key", "POST", p, ac(map[string]any{"name": "x", "roles": []any{map[string]any{"nom": "b"}}}), 400, "'roles'"},
		{"unknown role name", "POST", p, ac(map[string]any{"name": "x", "roles": []any{map[string]any{"name": "nope"}}}), 404, "Could not find role: nope."},
		{"unknown role id", "POST", p, ac(map[string]any{"name": "x", "roles": []any{map[string]any{"id": "nope"}}}), 400, "unassigned role"},
		{"bad expires_at", "POST", p, ac(map[string]any{"name": "x", "expires_at": "bad.123Z"}), 400, "Timestamp not in expected format"},
		{"expires_at not a string", "POST", p, ac(map[string]any{"name": "x", "expires_at": 12}), 400, "'expires_at'"},
		{"expires_at in the past", "POST", p, ac(map[string]any{"name": "x", "expires_at": "2001-01-01T00:00:00"}), 400, "must not be before now"},
		{"access rules not a list", "POST", p, ac(map[string]any{"name": "x", "access_rules": "x"}), 400, "'access_rules'"},
		{"access rule bad method", "POST", p, rule(map[string]any{"service": "compute", "path": "/x", "method": "FETCH"}), 400, "access_rules/method"},
		{"access rule bad path", "POST", p, rule(map[string]any{"service": "compute", "path": "x", "method": "GET"}), 400, "access_rules/path"},
		{"access rule bad service", "POST", p, rule(map[string]any{"service": "com pute", "path": "/x", "method": "GET"}), 400, "access_rules/service"},
		{"access rule unknown key", "POST", p, rule(map[string]any{"service": "compute", "path": "/x", "method": "GET", "x": "y"}), 400, "Additional properties"},
		{"access rule incomplete", "POST", p, rule(map[string]any{"service": "compute"}), 400, "service, path and method"},
		{"access rule value not a string", "POST", p, rule(map[string]any{"service": "compute", "path": "/x", "method": 1}), 400, "access_rules/method"},
		{"unknown access rule id", "POST", p, rule(map[string]any{"id": "nope"}), 404, "Could not find Access Rule: nope."},
		{"show unknown", "GET", p + "/nope", nil, 404, "Could not find Application Credential: nope."},
		{"delete unknown", "DELETE", p + "/nope", nil, 404, "Could not find Application Credential: nope."},
		{"show unknown rule", "GET", "/v3/users/" + f.userID + "/access_rules/nope", nil, 404, "Could not find Access Rule: nope."},
		{"delete unknown rule", "DELETE", "/v3/users/" + f.userID + "/access_rules/nope", nil, 404, "Could not find Access Rule: nope."},
		{"delete rule in use", "DELETE", "/v3/users/" + f.userID + "/access_rules/" + ruleID, nil, 403, "May not delete access rule in use"},
	}
	for _, c := range cases {
		t.Run(sanitize(c.name), func(t *testing.T) {
			dlgRefused(t, e, c.method, c.path, f.token, c.body, c.status, c.msg)
		})
	}
}

// TestAppCredsFollowWhatTheyStandOn checks upstream's cleanups: revoking
// the user's grant on the project, deleting a role the user holds there,
// or disabling the user deletes the user's application credentials (and,
// on disable, access rules); deleting a project deletes its credentials.
func TestAppCredsFollowWhatTheyStandOn(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	f := newFixture(t, e, "alice")
	fresh := func() string { return e.Token(t, "alice", "pw-alice", "alice-project") }
	count := func(what string) int {
		path, token := appCredsPath(f.userID), f.admin
		if what == "access_rules" { // listed by the owner or a system reader
			path, token = "/v3/users/"+f.userID+"/access_rules", fresh()
		}
		return len(dlgDo(t, e, "GET", path, token, nil, 200).Body[what].([]any))
	}
	grant := "/v3/projects/" + f.projectID + "/users/" + f.userID + "/roles/" + f.memberRole

	createAppCred(t, e, f.token, f.userID, map[string]any{"name": "a1"})
	dlgDo(t, e, "DELETE", grant, f.admin, nil, 204)
	if n := count("application_credentials"); n != 0 {
		t.Fatalf("%d application credentials survive the revoked grant", n)
	}

	dlgDo(t, e, "PUT", grant, f.admin, nil, 204)
	custom := dlgObj(t, dlgDo(t, e, "POST", "/v3/roles", f.admin, map[string]any{"role": map[string]any{"name": "custom"}}, 201).Body, "role")["id"].(string)
	dlgDo(t, e, "PUT", "/v3/projects/"+f.projectID+"/users/"+f.userID+"/roles/"+custom, f.admin, nil, 204)
	createAppCred(t, e, fresh(), f.userID, map[string]any{"name": "a2"})
	dlgDo(t, e, "DELETE", "/v3/roles/"+custom, f.admin, nil, 204)
	if n := count("application_credentials"); n != 0 {
		t.Fatalf("%d application credentials survive the deleted role", n)
	}

	createAppCred(t, e, fresh(), f.userID, map[string]any{"name": "a3", "access_rules": []any{
		map[string]any{"service": "compute", "path": "/v2.1/servers", "method": "GET"}}})
	if count("access_rules") != 1 {
		t.Fatal("the access rule was not created")
	}
	dlgDo(t, e, "PATCH", "/v3/users/"+f.userID, f.admin, map[string]any{"user": map[string]any{"enabled": false}}, 200)
	dlgDo(t, e, "PATCH", "/v3/users/"+f.userID, f.admin, map[string]any{"user": map[string]any{"enabled": true}}, 200)
	if n, m := count("application_credentials"), count("access_rules"); n != 0 || m != 0 {
		t.Fatalf("%d application credentials and %d access rules survive disabling the user", n, m)
	}

	dlgDo(t, e, "POST", "/v3/credentials", f.admin, map[string]any{"credential": map[string]any{
		"user_id": f.userID, "project_id": f.projectID, "type": "ec2", "blob": `{"access": "a", "secret": "s"}`}}, 201)
	dlgDo(t, e, "PATCH", "/v3/projects/"+f.projectID, f.admin, map[string]any{"project": map[string]any{"enabled": false}}, 200)
	dlgDo(t, e, "DELETE", "/v3/projects/"+f.projectID, f.admin, nil, 204)
	if n := len(dlgDo(t, e, "GET", "/v3/credentials?user_id="+f.userID, f.admin, nil, 200).Body["credentials"].([]any)); n != 0 {
		t.Fatalf("%d credentials survive their project", n)
	}
}
