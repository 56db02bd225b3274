package identity_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/tokens"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/trusts"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

const trustsPath = "/v3/OS-TRUST/trusts"

// trustBody is a trust create body from trustor to trustee on the
// trustor's project, delegating member.
func trustBody(trustor, trustee *fixture, extra map[string]any) map[string]any {
	b := map[string]any{"trustor_user_id": trustor.userID, "trustee_user_id": trustee.userID, "project_id": trustor.projectID,
		"impersonation": false, "roles": []any{map[string]any{"name": "member"}}}
	for k, v := range extra {
		b[k] = v
	}
	return map[string]any{"trust": b}
}

// createTrust creates a trust as the trustor and returns its body.
func createTrust(t *testing.T, e *identitytest.Env, trustor, trustee *fixture, extra map[string]any) map[string]any {
	t.Helper()
	return dlgObj(t, dlgDo(t, e, "POST", trustsPath, trustor.token, trustBody(trustor, trustee, extra), 201).Body, "trust")
}

func TestGophercloudTrusts(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	alice := newFixture(t, e, "alice")
	bob := newFixture(t, e, "bob")
	c := e.Client(t, "alice", "pw-alice", "alice-project")

	expires := time.Now().UTC().Add(time.Hour).Truncate(time.Second)
	tr := must(trusts.Create(ctx, c, trusts.CreateOpts{TrustorUserID: alice.userID, TrusteeUserID: bob.userID,
		ProjectID: alice.projectID, Impersonation: true, ExpiresAt: &expires, Roles: []trusts.Role{{Name: "member"}}}).Extract())
	if !tr.Impersonation || tr.ProjectID != alice.projectID || !tr.ExpiresAt.Equal(expires) || len(tr.Roles) != 1 || tr.Roles[0].Name != "member" {
		t.Fatalf("created %+v", tr)
	}
	got := must(trusts.Get(ctx, c, tr.ID).Extract())
	if got.TrustorUserID != alice.userID || got.TrusteeUserID != bob.userID || len(got.Roles) != 1 {
		t.Fatalf("get %+v", got)
	}
	list := must(trusts.ExtractTrusts(must(trusts.List(c, trusts.ListOpts{TrustorUserID: alice.userID}).AllPages(ctx))))
	if len(list) != 1 || list[0].ID != tr.ID {
		t.Fatalf("list %+v", list)
	}
	roles := must(trusts.ExtractRoles(must(trusts.ListRoles(c, tr.ID).AllPages(ctx))))
	member := roleID(t, e, alice.admin, "member")
	if len(roles) != 1 || roles[0].ID != member {
		t.Fatalf("roles %+v", roles)
	}
	if r := must(trusts.GetRole(ctx, c, tr.ID, member).Extract()); r.Name != "member" {
		t.Fatalf("get role %+v", r)
	}
	must(0, trusts.CheckRole(ctx, c, tr.ID, member).ExtractErr())
	reader := roleID(t, e, alice.admin, "reader")
	if err := trusts.CheckRole(ctx, c, tr.ID, reader).ExtractErr(); status(err) != http.StatusNotFound {
		t.Fatalf("check undelegated role: %v", err)
	}

	// The trustee's token carries the trust; impersonation shows the trustor.
	bc := e.Client(t, "bob", "pw-bob", "")
	res := tokens.Create(ctx, bc, &tokens.AuthOptions{UserID: bob.userID, Password: "pw-bob", Scope: tokens.Scope{TrustID: tr.ID}})
	var ext trusts.TokenExt
	must(0, res.ExtractInto(&ext))
	user := must(res.ExtractUser())
	project := must(res.ExtractProject())
	if ext.Trust.ID != tr.ID || !ext.Trust.Impersonation || user.ID != alice.userID || project.ID != alice.projectID {
		t.Fatalf("trust token %+v user %+v project %+v", ext.Trust, user, project)
	}

	must(0, trusts.Delete(ctx, c, tr.ID).ExtractErr())
	if _, err := trusts.Get(ctx, c, tr.ID).Extract(); status(err) != http.StatusNotFound {
		t.Fatalf("get deleted: %v", err)
	}
}

func TestTrustShapes(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	alice := newFixture(t, e, "alice")
	bob := newFixture(t, e, "bob")
	tr := createTrust(t, e, alice, bob, map[string]any{"impersonation": true, "expires_at": "2099-01-01T00:00:00.000000Z",
		"remaining_uses": 5, "note": "kept"})
	full := []string{"id", "trustor_user_id", "trustee_user_id", "project_id", "impersonation", "expires_at", "remaining_uses",
		"deleted_at", "redelegated_trust_id", "redelegation_count", "links"}
	dlgKeys(t, "create", tr, append(full, "roles", "roles_links", "note")...)
	id := tr["id"].(string)
	if tr["expires_at"] != "2099-01-01T00:00:00.000000Z" || tr["remaining_uses"] != float64(5) || tr["redelegation_count"] != float64(0) ||
		tr["deleted_at"] != nil || tr["redelegated_trust_id"] != nil || tr["note"] != "kept" {
		t.Fatalf("create body %v", tr)
	}
	if dlgObj(t, tr, "links")["self"] != e.URL+trustsPath+"/"+id {
		t.Fatalf("links %v", tr["links"])
	}
	rl := dlgObj(t, tr, "roles_links")
	dlgKeys(t, "roles_links", rl, "self", "next", "previous")
	if rl["self"] != e.URL+"/v3/"+id+"/roles" {
		t.Fatalf("roles_links %v (upstream's form)", rl)
	}
	role := tr["roles"].([]any)[0].(map[string]any)
	dlgKeys(t, "role", role, "id", "name", "domain_id", "description", "options", "links")

	shown := dlgObj(t, dlgDo(t, e, "GET", trustsPath+"/"+id, bob.token, nil, 200).Body, "trust")
	dlgKeys(t, "show", shown, append(full, "roles", "roles_links", "note")...)
	// Tempest lists with a trailing slash.
	list := dlgDo(t, e, "GET", trustsPath+"/?trustee_user_id="+bob.userID, bob.token, nil, 200).Body
	item := list["trusts"].([]any)[0].(map[string]any)
	dlgKeys(t, "list item", item, append(full, "note")...)
	roles := dlgDo(t, e, "GET", trustsPath+"/"+id+"/roles", alice.token, nil, 200).Body
	dlgKeys(t, "roles list", roles, "roles", "links")
	one := dlgDo(t, e, "GET", trustsPath+"/"+id+"/roles/"+role["id"].(string), alice.token, nil, 200).Body
	dlgKeys(t, "role show", dlgObj(t, one, "role"), "id", "name", "domain_id", "description", "options", "links")
	if r := e.Do(t, "HEAD", trustsPath+"/"+id+"/roles/"+role["id"].(string), alice.token, nil); r.Status != 200 || len(r.Raw) != 0 {
		t.Fatalf("HEAD role: %d %q", r.Status, r.Raw)
	}

	redel := createTrust(t, e, alice, bob, map[string]any{"allow_redelegation": true})
	plain := createTrust(t, e, alice, bob, map[string]any{"roles": []any{map[string]any{"name": "reader"}}, "redelegation_count": 2})
	if redel["redelegation_count"] != float64(3) || plain["redelegation_count"] != float64(0) || plain["expires_at"] != nil || plain["remaining_uses"] != nil {
		t.Fatalf("redelegation counts %v / %v", redel, plain)
	}
}

// TestTrustTokenFlow follows a trust from creation to tokens: project and
// roles (with implied ones), impersonation, remaining uses, expiry and
// deletion, and what a trust's token may not do.
func TestTrustTokenFlow(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	alice := newFixture(t, e, "alice")
	bob := newFixture(t, e, "bob")

	tr := createTrust(t, e, alice, bob, map[string]any{"remaining_uses": 2})
	id := tr["id"].(string)
	r := dlgDo(t, e, "POST", "/v3/auth/tokens", "", trustAuthBody("bob", "pw-bob", id), 201)
	tok := dlgObj(t, r.Body, "token")
	if dlgObj(t, tok, "project")["id"] != alice.projectID || dlgRoleNames(t, r) != "member,reader" {
		t.Fatalf("trust token: %s", r.Raw)
	}
	if dlgObj(t, tok, "user")["id"] != bob.userID || dlgObj(t, tok, "OS-TRUST:trust")["impersonation"] != false {
		t.Fatalf("without impersonation the trustee is the user: %s", r.Raw)
	}
	trustTok := r.Header.Get("X-Subject-Token")
	if got := dlgObj(t, dlgDo(t, e, "GET", trustsPath+"/"+id, alice.token, nil, 200).Body, "trust"); got["remaining_uses"] != float64(1) {
		t.Fatalf("remaining uses after one token: %v", got["remaining_uses"])
	}

	// A trust's token mints nothing further.
	dlgRefused(t, e, "POST", "/v3/auth/tokens", "", tokenAuthBody(trustTok, bob.projectID), 403, "trust")
	dlgRefused(t, e, "POST", trustsPath, trustTok, trustBody(bob, alice, map[string]any{"project_id": alice.projectID}), 403, "redelegation")
	dlgRefused(t, e, "POST", appCredsPath(bob.userID), trustTok, map[string]any{"application_credential": map[string]any{"name": "x"}}, 403, "trust-scoped token")

	// The last use, then none left.
	dlgDo(t, e, "POST", "/v3/auth/tokens", "", trustAuthBody("bob", "pw-bob", id), 201)
	dlgRefused(t, e, "POST", "/v3/auth/tokens", "", trustAuthBody("bob", "pw-bob", id), 401, "requires authentication")
	dlgRefused(t, e, "GET", trustsPath+"/"+id, alice.token, nil, 404, "Could not find trust: "+id+".")
	dlgDo(t, e, "GET", "/v3/auth/projects", trustTok, nil, 200)

	// Impersonation shows the trustor as the token's user.
	imp := createTrust(t, e, alice, bob, map[string]any{"impersonation": true})
	r = dlgDo(t, e, "POST", "/v3/auth/tokens", "", trustAuthBody("bob", "pw-bob", imp["id"].(string)), 201)
	if dlgObj(t, dlgObj(t, r.Body, "token"), "user")["id"] != alice.userID {
		t.Fatalf("impersonation: %s", r.Raw)
	}
	impTok := r.Header.Get("X-Subject-Token")
	dlgRefused(t, e, "POST", "/v3/auth/tokens", "", trustAuthBody("alice", "pw-alice", imp["id"].(string)), 403, "not the trustee")

	// Deleting the trust revokes its tokens and refuses new ones.
	dlgDo(t, e, "DELETE", trustsPath+"/"+imp["id"].(string), alice.token, nil, 204)
	dlgDo(t, e, "GET", "/v3/auth/projects", impTok, nil, 401)
	dlgRefused(t, e, "POST", "/v3/auth/tokens", "", trustAuthBody("bob", "pw-bob", imp["id"].(string)), 401, "requires authentication")
	dlgRefused(t, e, "GET", trustsPath+"/"+imp["id"].(string), alice.token, nil, 404, "Could not find trust")

	// An expired trust is gone for tokens and for the API alike (the
	// trust expires well before the tokens do).
	exp := createTrust(t, e, alice, bob, map[string]any{"expires_at": time.Now().UTC().Add(10 * time.Minute).Format(time.RFC3339)})
	expTok := dlgDo(t, e, "POST", "/v3/auth/tokens", "", trustAuthBody("bob", "pw-bob", exp["id"].(string)), 201).Header.Get("X-Subject-Token")
	dlgDo(t, e, "GET", "/v3/auth/projects", expTok, nil, 200)
	e.Clock.Advance(20 * time.Minute)
	dlgRefused(t, e, "POST", "/v3/auth/tokens", "", trustAuthBody("bob", "pw-bob", exp["id"].(string)), 401, "requires authentication")
	dlgRefused(t, e, "GET", trustsPath+"/"+exp["id"].(string), alice.token, nil, 404, "Could not find trust")
	dlgDo(t, e, "GET", "/v3/auth/projects", expTok, nil, 401)
	dlgDo(t, e, "GET", "/v3/auth/projects", bob.token, nil, 200)
}

// TestTrustPolicies checks who may list, see and delete trusts.
func TestTrustPolicies(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	alice := newFixture(t, e, "alice")
	bob := newFixture(t, e, "bob")
	carol := newFixture(t, e, "carol")
	tr := createTrust(t, e, alice, bob, nil)
	path := trustsPath + "/" + tr["id"].(string)

	dlgRefused(t, e, "GET", trustsPath, alice.token, nil, 403, "identity:list_trusts")
	dlgRefused(t, e, "GET", trustsPath+"?trustor_user_id="+alice.userID, bob.token, nil, 403, "identity:list_trusts_for_trustor")
	dlgRefused(t, e, "GET", trustsPath+"?trustee_user_id="+bob.userID, alice.token, nil, 403, "identity:list_trusts_for_trustee")
	for _, c := range []struct {
		token, query string
		n            int
	}{{alice.admin, "", 1}, {alice.token, "?trustor_user_id=" + alice.userID, 1}, {bob.token, "?trustee_user_id=" + bob.userID, 1},
		{carol.token, "?trustee_user_id=" + carol.userID, 0}} {
		if n := len(dlgDo(t, e, "GET", trustsPath+c.query, c.token, nil, 200).Body["trusts"].([]any)); n != c.n {
			t.Fatalf("list %q: %d trusts, want %d", c.query, n, c.n)
		}
	}
	dlgRefused(t, e, "GET", path, carol.token, nil, 403, "identity:get_trust")
	dlgRefused(t, e, "GET", path+"/roles", carol.token, nil, 403, "identity:list_roles_for_trust")
	dlgRefused(t, e, "GET", path+"/roles/"+roleID(t, e, alice.admin, "member"), carol.token, nil, 403, "identity:get_role_for_trust")
	dlgRefused(t, e, "DELETE", path, bob.token, nil, 403, "identity:delete_trust")
	dlgRefused(t, e, "DELETE", path, carol.token, nil, 403, "identity:delete_trust")
	dlgDo(t, e, "GET", path, alice.admin, nil, 200)
	dlgDo(t, e, "DELETE", path, alice.admin, nil, 204)
	if n := len(dlgDo(t, e, "GET", trustsPath, alice.admin, nil, 200).Body["trusts"].([]any)); n != 0 {
		t.Fatalf("deleted trust still listed: %d", n)
	}
}

func TestTrustBadInput(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	alice := newFixture(t, e, "alice")
	bob := newFixture(t, e, "bob")
	tr := createTrust(t, e, alice, bob, nil)
	path := trustsPath + "/" + tr["id"].(string)
	body := func(extra map[string]any) map[string]any { return trustBody(alice, bob, extra) }
	without := func(key string) map[string]any {
		b := body(nil)
		delete(b["trust"].(map[string]any), key)
		return b
	}
	adminRole := roleID(t, e, alice.admin, "admin")
	cases := []struct {
		name, method, path string
		body               any
		status             int
		msg                string
	}{
		{"missing wrapper", "POST", trustsPath, map[string]any{"trustee_user_id": bob.userID}, 403, "identity:create_trust"},
		{"trustor is not the caller", "POST", trustsPath, trustBody(bob, alice, nil), 403, "identity:create_trust"},
		{"malformed JSON", "POST", trustsPath, `{"trust": {"trustor_user_id": "` + alice.userID + `", `, 400, "Malformed"},
		{"missing impersonation", "POST", trustsPath, without("impersonation"), 400, "'impersonation' is a required property"},
		{"missing trustee", "POST", trustsPath, without("trustee_user_id"), 400, "'trustee_user_id' is a required property"},
		{"impersonation not boolean", "POST", trustsPath, body(map[string]any{"impersonation": "yes"}), 400, "'impersonation'"},
		{"unknown trustee", "POST", trustsPath, body(map[string]any{"trustee_user_id": "nope"}), 404, "Could not find user: nope."},
		{"unknown project", "POST", trustsPath, body(map[string]any{"project_id": "nope"}), 404, "Could not find project: nope."},
		{"domain as project", "POST", trustsPath, body(map[string]any{"project_id": "default"}), 404, "Could not find project: default."},
		{"bad project id", "POST", trustsPath, body(map[string]any{"project_id": "a b"}), 400, "'project_id'"},
		{"project without roles", "POST", trustsPath, without("roles"), 403, "At least one role should be specified"},
		{"role the trustor lacks", "POST", trustsPath, body(map[string]any{"roles": []any{map[string]any{"id": adminRole}}}), 404, "Could not find role: " + adminRole + "."},
		{"unknown role name", "POST", trustsPath, body(map[string]any{"roles": []any{map[string]any{"name": "nope"}}}), 404, "Could not find role: nope."},
		{"roles without project", "POST", trustsPath, body(map[string]any{"project_id": nil}), 404, "Could not find role"},
		{"role with two keys", "POST", trustsPath, body(map[string]any{"roles": []any{map[string]any{"id": "a", "name": "b"}}}), 400, "'roles'"},
		{"roles not a list", "POST", trustsPath, body(map[string]any{"roles": "member"}), 400, "'roles'"},
		{"remaining_uses zero", "POST", trustsPath, body(map[string]any{"remaining_uses": 0}), 400, "'remaining_uses'"},
		{"remaining_uses not integer", "POST", trustsPath, body(map[string]any{"remaining_uses": 1.5}), 400, "'remaining_uses'"},
		{"bad expires_at", "POST", trustsPath, body(map[string]any{"expires_at": "bad.123Z"}), 400, "Timestamp not in expected format"},
		{"expires_at in the past", "POST", trustsPath, body(map[string]any{"expires_at": "2001-01-01T00:00:00Z"}), 400, "must not be before now"},
		{"redelegation too deep", "POST", trustsPath, body(map[string]any{"allow_redelegation": true, "redelegation_count": 4}), 403, "greater than allowed 3"},
		{"redelegation with uses", "POST", trustsPath, body(map[string]any{"allow_redelegation": true, "remaining_uses": 2}), 400, "remaining_uses must not be set"},
		{"negative redelegation count", "POST", trustsPath, body(map[string]any{"redelegation_count": -1}), 400, "'redelegation_count'"},
		{"show unknown", "GET", trustsPath + "/nope", nil, 404, "Could not find trust: nope."},
		{"delete unknown", "DELETE", trustsPath + "/nope", nil, 404, "Could not find trust: nope."},
		{"roles of unknown", "GET", trustsPath + "/nope/roles", nil, 404, "Could not find trust: nope."},
		{"role not delegated", "GET", path + "/roles/" + adminRole, nil, 404, "Could not find role: " + adminRole + "."},
		{"head role not delegated", "HEAD", path + "/roles/" + adminRole, nil, 404, ""},
	}
	for _, c := range cases {
		t.Run(sanitize(c.name), func(t *testing.T) {
			dlgRefused(t, e, c.method, c.path, alice.token, c.body, c.status, c.msg)
		})
	}
}
