package image_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
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

func start(t *testing.T) *env {
	t.Helper()
	id := identitytest.Start(t, identitytest.Options{})
	dir := t.TempDir()
	st, err := store.NewFilesystem(dir)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := image.New(image.Options{DB: id.DB, Store: st, Validator: id.Service,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), IdentityURL: func() string { return id.URL }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	t.Cleanup(srv.Close)
	return &env{id: id, url: srv.URL, svc: svc, admin: id.AdminToken(t), dir: dir}
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
