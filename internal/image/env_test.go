package image_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2"

	"github.com/monostack/monostack/internal/identity/identitytest"
	"github.com/monostack/monostack/internal/image"
	"github.com/monostack/monostack/internal/image/store"
)

// env is an image service on an identity service, sharing one database.
type env struct {
	id    *identitytest.Env
	url   string // image endpoint
	svc   *image.Service
	admin string // admin token, admin project
	dir   string // store directory
}

// start serves an image service on a fresh identity service, sharing its
// database.
func start(t *testing.T) *env {
	t.Helper()
	id := identitytest.Start(t, identitytest.Options{})
	e := &env{id: id, dir: t.TempDir()}
	withImageOptions(t, e, func(*image.Options) {})
	e.admin = id.AdminToken(t)
	return e
}

// withImageOptions serves an image service, changed by change, on e's
// database and store, and points e at it.
func withImageOptions(t *testing.T, e *env, change func(*image.Options)) {
	t.Helper()
	st, err := store.NewFilesystem(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	o := image.Options{DB: e.id.DB, Store: st, Validator: e.id.Service,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), IdentityURL: func() string { return e.id.URL }}
	change(&o)
	svc, err := image.New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	t.Cleanup(srv.Close)
	e.url, e.svc = srv.URL, svc
}

// project makes a project with a user holding the member role on it and
// returns the user's token and the project id.
func (e *env) project(t *testing.T, name string) (token, projectID string) {
	t.Helper()
	r := e.id.Do(t, "POST", "/v3/projects", e.admin, map[string]any{"project": map[string]any{"name": name}})
	projectID = r.Body["project"].(map[string]any)["id"].(string)
	r = e.id.Do(t, "POST", "/v3/users", e.admin, map[string]any{"user": map[string]any{"name": name + "-user", "password": "pw-" + name}})
	userID := r.Body["user"].(map[string]any)["id"].(string)
	r = e.id.Do(t, "GET", "/v3/roles?name=member", e.admin, nil)
	roleID := r.Body["roles"].([]any)[0].(map[string]any)["id"].(string)
	if r := e.id.Do(t, "PUT", "/v3/projects/"+projectID+"/users/"+userID+"/roles/"+roleID, e.admin, nil); r.Status != 204 {
		t.Fatalf("grant: %d", r.Status)
	}
	return e.id.Token(t, name+"-user", "pw-"+name, name), projectID
}

// client is a gophercloud image client with token.
func (e *env) client(token string) *gophercloud.ServiceClient {
	pc := &gophercloud.ProviderClient{HTTPClient: *http.DefaultClient}
	pc.SetToken(token)
	return &gophercloud.ServiceClient{ProviderClient: pc, Endpoint: e.url + "/", ResourceBase: e.url + "/v2/"}
}

// response is a raw HTTP exchange.
type response struct {
	Status int
	Header http.Header
	Raw    []byte
	Body   map[string]any
}

// do sends a request; a body that is not []byte is sent as JSON.
func (e *env) do(t *testing.T, method, path, token string, body any, headers ...string) *response {
	t.Helper()
	var rd io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, contentType = bytes.NewReader(b), "application/octet-stream"
	case io.Reader: // sent chunked, with no Content-Length
		rd, contentType = b, "application/octet-stream"
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, e.url+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("X-Auth-Token", token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := &response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	_ = json.Unmarshal(raw, &out.Body)
	return out
}

// newImage creates an image through the API and returns its id.
func (e *env) newImage(t *testing.T, token string, body map[string]any) string {
	t.Helper()
	r := e.do(t, "POST", "/v2/images", token, body)
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Raw)
	}
	return r.Body["id"].(string)
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// orderedKeys are the member names of the JSON object at the top of raw, in
// document order.
func orderedKeys(t *testing.T, raw []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", raw)
	}
	var keys []string
	for dec.More() {
		tok, _ := dec.Token()
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// webob's JSON "message" for an error Glance raises with an explanation,
// and for one raised with a detail under the status's stock explanation.
func plainMsg(msg string) string { return msg + webobTail }

func detailMsg(explanation, detail string) string {
	return explanation + "<br /><br />\n" + detail + "\n\n"
}

// webobTail ends the JSON message of an error raised with an explanation.
const webobTail = "<br /><br />\n\n\n"

// refusal runs send, whose request must be refused with status, and
// proves that the database did not change.
func (e *env) refusal(t *testing.T, status int, send func() *response) *response {
	t.Helper()
	before := e.id.Snapshot(t)
	r := send()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Raw)
	}
	if after := e.id.Snapshot(t); after != before {
		t.Fatalf("the refused request changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	return r
}

// refused sends a request that must be refused with status, checks that
// the body is Glance's JSON error and returns its message without webob's
// tail.
func (e *env) refused(t *testing.T, method, path, token string, body any, status int) string {
	t.Helper()
	r := e.refusal(t, status, func() *response { return e.do(t, method, path, token, body) })
	msg, _ := r.Body["message"].(string)
	if !strings.HasSuffix(msg, webobTail) || !strings.HasPrefix(fmt.Sprint(r.Body["code"]), fmt.Sprint(status)) {
		t.Fatalf("%s %s: not a Glance error body: %s", method, path, r.Raw)
	}
	return strings.TrimSuffix(msg, webobTail)
}

// expectRefusal runs send, whose request must be refused with status and
// exactly message (webob's JSON message), changing nothing.
func (e *env) expectRefusal(t *testing.T, status int, message string, send func() *response) *response {
	t.Helper()
	r := e.refusal(t, status, send)
	if r.Body["message"] != message {
		t.Fatalf("got %d %s\nwant %d %q", r.Status, r.Raw, status, message)
	}
	return r
}
