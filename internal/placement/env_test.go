package placement_test

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
	"github.com/monostack/monostack/internal/placement"
)

// env is a placement service on a real identity service, sharing its database.
type env struct {
	id    *identitytest.Env
	url   string
	svc   *placement.Service
	admin string
}

// start serves placement on a fresh identity service.
func start(t testing.TB) *env {
	t.Helper()
	id := identitytest.Start(t, identitytest.Options{})
	svc, err := placement.New(placement.Options{DB: id.DB, Validator: id.Service,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: id.Clock.Now,
		IdentityURL: func() string { return id.URL }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	t.Cleanup(srv.Close)
	return &env{id: id, url: srv.URL, svc: svc, admin: id.AdminToken(t)}
}

// client is a gophercloud placement client at microversion mv.
func (e *env) client(mv string) *gophercloud.ServiceClient {
	pc := &gophercloud.ProviderClient{HTTPClient: *http.DefaultClient}
	pc.SetToken(e.admin)
	return &gophercloud.ServiceClient{ProviderClient: pc, Endpoint: e.url + "/", ResourceBase: e.url + "/", Microversion: mv, Type: "placement"}
}

// response is a raw HTTP exchange.
type response struct {
	Status int
	Header http.Header
	Raw    []byte
	Body   map[string]any
}

// do sends a request at microversion mv ("" for none) as the admin.
func (e *env) do(t testing.TB, method, path, mv string, body any) *response {
	t.Helper()
	return e.doAs(t, e.admin, method, path, mv, body)
}

func (e *env) doAs(t testing.TB, token, method, path, mv string, body any) *response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, ok := body.([]byte)
		if !ok {
			b, _ = json.Marshal(body)
		}
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.url+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("X-Auth-Token", token)
	}
	if mv != "" {
		req.Header.Set("OpenStack-API-Version", "placement "+mv)
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

// must fails unless r has status.
func must(t testing.TB, r *response, status int) *response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Raw)
	}
	return r
}

// placementError is the first error of a placement error body.
func placementError(t testing.TB, r *response) map[string]any {
	t.Helper()
	list, ok := r.Body["errors"].([]any)
	if !ok || len(list) != 1 {
		t.Fatalf("not a placement error body: %s", r.Raw)
	}
	return list[0].(map[string]any)
}

// refused sends a request that must be refused with status and code (at
// 1.23+), proving the database unchanged; it returns the detail.
func (e *env) refused(t testing.TB, method, path, mv string, body any, status int, code string) string {
	t.Helper()
	before := e.id.Snapshot(t)
	r := e.do(t, method, path, mv, body)
	if r.Status != status {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.Status, status, r.Raw)
	}
	pe := placementError(t, r)
	if code != "" && pe["code"] != code {
		t.Fatalf("%s %s: code %v, want %s", method, path, pe["code"], code)
	}
	if after := e.id.Snapshot(t); after != before {
		t.Fatalf("the refused request changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	return pe["detail"].(string)
}

// provider creates a provider with VCPU, MEMORY_MB and DISK_GB inventory.
func (e *env) provider(t testing.TB, uuid, name string, vcpu, mem, disk int) {
	t.Helper()
	must(t, e.do(t, "POST", "/resource_providers", "1.20", map[string]any{"uuid": uuid, "name": name}), 200)
	must(t, e.do(t, "PUT", "/resource_providers/"+uuid+"/inventories", "1.20", map[string]any{
		"resource_provider_generation": 0,
		"inventories": map[string]any{"VCPU": map[string]any{"total": vcpu}, "MEMORY_MB": map[string]any{"total": mem},
			"DISK_GB": map[string]any{"total": disk}}}), 200)
}
