package identity_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/ec2tokens"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

// ec2Fixture is a member of a project holding an EC2 credential for it.
type ec2Fixture struct {
	*fixture
	access, secret string
}

func newEC2Fixture(t *testing.T, e *identitytest.Env, name string) *ec2Fixture {
	t.Helper()
	f := newFixture(t, e, name)
	c := ec2Create(t, e, f.token, f.userID, f.projectID)
	return &ec2Fixture{fixture: f, access: c["access"].(string), secret: c["secret"].(string)}
}

// signedBody is a /v3/ec2tokens body signed by gophercloud.
func signedBody(t *testing.T, opts ec2tokens.AuthOptions) map[string]any {
	t.Helper()
	b, err := opts.ToTokenV3CreateMap(nil)
	if err != nil {
		t.Fatal(err)
	}
	delete(b["credentials"].(map[string]any), "token") // as ec2tokens.Create does
	raw, _ := json.Marshal(b)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	return out
}

// TestEC2TokensGophercloudSignatures authenticates with signatures
// gophercloud computes (v4 and both v2 methods) and checks the token.
func TestEC2TokensGophercloudSignatures(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	f := newEC2Fixture(t, e, "ec2-signer")
	admin := e.Admin(t)
	now := time.Now().UTC()
	v2 := func(method string) ec2tokens.AuthOptions {
		return ec2tokens.AuthOptions{Access: f.access, Secret: f.secret, Host: "ec2.example.com:8773", Verb: "GET", Path: "/services/Cloud",
			Params: map[string]string{"SignatureVersion": "2", "SignatureMethod": method, "Action": "DescribeInstances",
				"AWSAccessKeyId": f.access, "Timestamp": now.Format("2006-01-02T15:04:05Z")}}
	}
	for name, opts := range map[string]ec2tokens.AuthOptions{
		"v4 defaults": {Access: f.access, Secret: f.secret},
		"v4 signed headers": {Access: f.access, Secret: f.secret, Region: "RegionOne", Service: "ec2", Verb: "GET", Path: "/",
			Params:  map[string]string{"Action": "DescribeRegions"},
			Headers: map[string]string{"Host": "ec2.example.com", "X-Amz-SignedHeaders": "host;x-amz-signedheaders"}},
		"v2 HmacSHA256": v2(ec2tokens.EC2CredentialsHmacSha256V2),
		"v2 HmacSHA1":   v2(ec2tokens.EC2CredentialsHmacSha1V2),
	} {
		t.Run(sanitize(name), func(t *testing.T) {
			res := ec2tokens.Create(context.Background(), admin, &opts)
			tok, err := res.ExtractToken()
			if err != nil {
				t.Fatal(err)
			}
			project, _ := res.ExtractProject()
			user, _ := res.ExtractUser()
			roles, _ := res.ExtractRoles()
			if project.ID != f.projectID || user.ID != f.userID || len(roles) == 0 {
				t.Fatalf("token for %+v %+v %+v", user, project, roles)
			}
			r := e.DoSubject(t, "GET", "/v3/auth/tokens", e.AdminToken(t), tok.ID)
			body := r.Body["token"].(map[string]any)
			if methods := body["methods"].([]any); r.Status != 200 || len(methods) != 1 || methods[0] != "ec2credential" {
				t.Fatalf("validate: %d %s", r.Status, r.Raw)
			}
		})
	}
}

func TestEC2TokensWrongSignature(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	f := newEC2Fixture(t, e, "ec2-wrong")
	admin := e.Admin(t)
	before := e.Snapshot(t)
	opts := ec2tokens.AuthOptions{Access: f.access, Secret: "not-the-secret"}
	if _, err := ec2tokens.Create(context.Background(), admin, &opts).ExtractToken(); !gophercloud.ResponseCodeIs(err, http.StatusUnauthorized) {
		t.Fatalf("wrong secret: %v", err)
	}
	r := e.Do(t, "POST", "/v3/ec2tokens", e.AdminToken(t), signedBody(t, opts))
	if identitytest.ErrorOf(t, r); r.Status != 401 || !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Keystone uri=") {
		t.Fatalf("wrong secret raw: %d %v %s", r.Status, r.Header, r.Raw)
	}
	if after := e.Snapshot(t); after != before {
		t.Fatal("a refused ec2tokens request changed the database")
	}
}

func TestEC2TokensRefusals(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	f := newEC2Fixture(t, e, "ec2-ref")
	lost := newEC2Fixture(t, e, "ec2-lost") // loses its role below
	off := newEC2Fixture(t, e, "ec2-off")   // disabled below
	shut := newEC2Fixture(t, e, "ec2-shut") // its project disabled below
	admin := e.AdminToken(t)
	valid := func(access, secret string, params map[string]string) map[string]any {
		return signedBody(t, ec2tokens.AuthOptions{Access: access, Secret: secret, Host: "h", Verb: "GET", Path: "/", Params: params})
	}
	v2 := func(ts string) map[string]string {
		return map[string]string{"SignatureVersion": "2", "SignatureMethod": "HmacSHA256", "Timestamp": ts}
	}
	good := valid(f.access, f.secret, v2(time.Now().UTC().Format(time.RFC3339)))
	without := func(key string) map[string]any {
		b := signedBody(t, ec2tokens.AuthOptions{Access: f.access, Secret: f.secret})
		delete(b["credentials"].(map[string]any), key)
		return b
	}
	credCreate(t, e, admin, map[string]any{"type": "ec2", "user_id": f.userID, "project_id": f.projectID,
		"blob": `{"access": "bound", "secret": "bound-secret", "trust_id": "some-trust"}`})
	if r := e.Do(t, "DELETE", "/v3/projects/"+lost.projectID+"/users/"+lost.userID+"/roles/"+lost.memberRole, admin, nil); r.Status != 204 {
		t.Fatalf("revoke: %d %s", r.Status, r.Raw)
	}
	if r := e.Do(t, "PATCH", "/v3/users/"+off.userID, admin, map[string]any{"user": map[string]any{"enabled": false}}); r.Status != 200 {
		t.Fatalf("disable: %d %s", r.Status, r.Raw)
	}
	if r := e.Do(t, "PATCH", "/v3/projects/"+shut.projectID, admin, map[string]any{"project": map[string]any{"enabled": false}}); r.Status != 200 {
		t.Fatalf("disable project: %d %s", r.Status, r.Raw)
	}
	// 401s say no more than upstream's does; each case breaks one thing only
	cases := []struct {
		name   string
		token  string
		body   any
		status int
		msg    string
	}{
		{"no token", "", good, 401, ""},
		{"member token", f.token, good, 403, "identity:ec2tokens_validate"},
		{"empty body", admin, ``, 400, "request must include a request body"},
		{"empty object", admin, map[string]any{}, 400, "request must include a request body"},
		{"no access", admin, without("access"), 401, ""},
		{"no signature", admin, without("signature"), 401, ""},
		{"unknown access", admin, valid("nope", f.secret, v2("2026-01-01T00:00:00Z")), 404, "Could not find credential: " + sha256Hex("nope")},
		{"expired", admin, valid(f.access, f.secret, v2("2020-01-01T00:00:00Z")), 401, ""},
		{"garbage timestamp", admin, valid(f.access, f.secret, v2("yesterday")), 401, ""},
		{"unknown version", admin, map[string]any{"credentials": map[string]any{"access": f.access, "signature": "x",
			"params": map[string]string{"SignatureVersion": "9"}}}, 401, ""},
		{"no role on the project", admin, valid(lost.access, lost.secret, v2(time.Now().UTC().Format(time.RFC3339))), 401, ""},
		{"bound to a trust", admin, valid("bound", "bound-secret", v2(time.Now().UTC().Format(time.RFC3339))), 401, ""},
		{"disabled user", admin, valid(off.access, off.secret, v2(time.Now().UTC().Format(time.RFC3339))), 401, ""},
		{"disabled project", admin, valid(shut.access, shut.secret, v2(time.Now().UTC().Format(time.RFC3339))), 401, ""},
		{"params of wrong type", admin, map[string]any{"credentials": map[string]any{"access": f.access, "params": []int{1}}}, 400, "params"},
	}
	for _, c := range cases {
		t.Run(sanitize(c.name), func(t *testing.T) {
			if msg, _ := e.Refused(t, "POST", "/v3/ec2tokens", c.token, c.body, c.status); !strings.Contains(msg, c.msg) {
				t.Fatalf("message %q lacks %q", msg, c.msg)
			}
		})
	}
	if r := e.Do(t, "POST", "/v3/ec2tokens", admin, map[string]any{"ec2Credentials": good["credentials"]}); r.Status != 200 {
		t.Fatalf("ec2Credentials key: %d %s", r.Status, r.Raw)
	}
	e.Clock.Advance(20 * time.Minute)
	if r := e.Do(t, "POST", "/v3/ec2tokens", admin, good); r.Status != 401 {
		t.Fatalf("a signature older than the auth TTL: %d %s", r.Status, r.Raw)
	}
}

// TestEC2TokensMintNoDelegations: a token made from an EC2 credential, like
// trust and application credential tokens, can neither be rescoped nor
// make or read credentials.
func TestEC2TokensMintNoDelegations(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	f := newEC2Fixture(t, e, "ec2-deleg")
	r := e.Do(t, "POST", "/v3/ec2tokens", e.AdminToken(t), signedBody(t, ec2tokens.AuthOptions{Access: f.access, Secret: f.secret}))
	if r.Status != 200 {
		t.Fatalf("ec2tokens: %d %s", r.Status, r.Raw)
	}
	ec2Token := r.Header.Get("X-Subject-Token")
	appCred := e.Do(t, "POST", "/v3/users/"+f.userID+"/application_credentials", f.token,
		map[string]any{"application_credential": map[string]any{"name": "ec2-deleg"}})
	if appCred.Status != 201 {
		t.Fatalf("app cred: %d %s", appCred.Status, appCred.Raw)
	}
	ac := appCred.Body["application_credential"].(map[string]any)
	r = e.Do(t, "POST", "/v3/auth/tokens", "", map[string]any{"auth": map[string]any{"identity": map[string]any{
		"methods": []string{"application_credential"}, "application_credential": map[string]any{"id": ac["id"], "secret": ac["secret"]}}}})
	if r.Status != 201 {
		t.Fatalf("app cred token: %d %s", r.Status, r.Raw)
	}
	appCredToken := r.Header.Get("X-Subject-Token")
	before := e.Snapshot(t)
	for _, tok := range []string{ec2Token, appCredToken} {
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{"POST", ec2Path(f.userID), map[string]any{"tenant_id": f.projectID}},
			{"GET", ec2Path(f.userID), nil},
			{"GET", ec2Path(f.userID) + "/" + f.access, nil},
			{"GET", "/v3/credentials", nil},
			{"POST", "/v3/credentials", credBody(map[string]any{"type": "ec2", "user_id": f.userID, "project_id": f.projectID, "blob": `{"access": "x", "secret": "y"}`})},
		} {
			r := e.Do(t, c.method, c.path, tok, c.body)
			if r.Status != http.StatusForbidden || strings.Contains(string(r.Raw), f.secret) {
				t.Fatalf("delegated %s %s: %d %s", c.method, c.path, r.Status, r.Raw)
			}
		}
	}
	r = e.Do(t, "POST", "/v3/auth/tokens", "", map[string]any{"auth": map[string]any{
		"identity": map[string]any{"methods": []string{"token"}, "token": map[string]any{"id": ec2Token}},
		"scope":    map[string]any{"project": map[string]any{"id": f.projectID}}}})
	if r.Status != http.StatusForbidden {
		t.Fatalf("rescoping an EC2 token: %d %s", r.Status, r.Raw)
	}
	if after := e.Snapshot(t); after != before {
		t.Fatal("a refused delegated request changed the database")
	}
}
