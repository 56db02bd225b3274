package compute_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gophercloud/gophercloud/v2"

	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/identity/identitytest"
)

// env is a compute service on an identity service, sharing one database.
type env struct {
	id    *identitytest.Env
	url   string // compute endpoint, ending in /v2.1
	root  string // scheme://host:port
	svc   *compute.Service
	admin string // admin token, admin project
}

// start serves a compute API on a fresh identity service.
func start(t *testing.T, change ...func(*compute.Options)) *env { return startT(t, change...) }

// startT is start for tests and benchmarks.
func startT(t testing.TB, change ...func(*compute.Options)) *env {
	t.Helper()
	id := identitytest.Start(t, identitytest.Options{})
	e := &env{id: id}
	o := compute.Options{DB: id.DB, Validator: id.Service, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		IdentityURL: func() string { return id.URL }}
	for _, c := range change {
		c(&o)
	}
	svc, err := compute.New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	t.Cleanup(srv.Close)
	e.root, e.url, e.svc = srv.URL, srv.URL+"/v2.1", svc
	e.admin = id.AdminToken(t)
	return e
}

// project makes a project with a user holding role on it and returns the
// user's token and the project id.
func (e *env) project(t *testing.T, name, role string) (token, projectID string) {
	t.Helper()
	r := e.id.Do(t, "POST", "/v3/projects", e.admin, map[string]any{"project": map[string]any{"name": name}})
	projectID = r.Body["project"].(map[string]any)["id"].(string)
	r = e.id.Do(t, "POST", "/v3/users", e.admin, map[string]any{"user": map[string]any{"name": name + "-user", "password": "pw-" + name}})
	userID := r.Body["user"].(map[string]any)["id"].(string)
	r = e.id.Do(t, "GET", "/v3/roles?name="+role, e.admin, nil)
	roleID := r.Body["roles"].([]any)[0].(map[string]any)["id"].(string)
	if r := e.id.Do(t, "PUT", "/v3/projects/"+projectID+"/users/"+userID+"/roles/"+roleID, e.admin, nil); r.Status != 204 {
		t.Fatalf("grant: %d", r.Status)
	}
	return e.id.Token(t, name+"-user", "pw-"+name, name), projectID
}

// client is a gophercloud compute client with token at microversion mv
// ("" for the default).
func (e *env) client(token, mv string) *gophercloud.ServiceClient {
	pc := &gophercloud.ProviderClient{HTTPClient: *http.DefaultClient}
	pc.SetToken(token)
	return &gophercloud.ServiceClient{ProviderClient: pc, Endpoint: e.url + "/", ResourceBase: e.url + "/",
		Type: "compute", Microversion: mv}
}

// response is a raw HTTP exchange.
type response struct {
	Status int
	Header http.Header
	Raw    []byte
	Body   map[string]any
}

// do sends a request to path under the endpoint root (paths start with
// /v2.1 or are the root); extra headers come in pairs.
func (e *env) do(t *testing.T, method, path, token string, body any, headers ...string) *response {
	return e.doTB(t, method, path, token, body, headers...)
}

// doTB is do for tests and benchmarks.
func (e *env) doTB(t testing.TB, method, path, token string, body any, headers ...string) *response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, e.root+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("X-Auth-Token", token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := &response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	_ = json.Unmarshal(raw, &out.Body)
	return out
}

// testClient keeps a connection per concurrent caller alive (the default
// transport keeps two, so 50 parallel benchmark clients would re-dial).
var testClient = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 100}}

// refused sends a request that must be refused with status and a Nova
// fault body, proves the database did not change, and returns the
// fault's message.
func (e *env) refused(t *testing.T, method, path, token string, body any, status int, headers ...string) string {
	t.Helper()
	before := e.id.Snapshot(t)
	r := e.do(t, method, path, token, body, headers...)
	if r.Status != status {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.Status, status, r.Raw)
	}
	if after := e.id.Snapshot(t); after != before {
		t.Fatalf("the refused request changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if status == 401 {
		return ""
	}
	if len(r.Body) != 1 {
		t.Fatalf("not a Nova fault: %s", r.Raw)
	}
	for _, v := range r.Body {
		f, _ := v.(map[string]any)
		if code, _ := f["code"].(float64); int(code) != status {
			t.Fatalf("fault code %v, want %d: %s", f["code"], status, r.Raw)
		}
		msg, _ := f["message"].(string)
		return msg
	}
	return ""
}
