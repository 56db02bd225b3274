package network_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monostack/monostack/internal/identity/identitytest"
	"github.com/monostack/monostack/internal/network"
)

// env is a network service on an identity service, sharing one database.
type env struct {
	id     *identitytest.Env
	root   string
	svc    *network.Service
	admin  string // admin token, admin project
	member string // member token of project "alpha"
	alpha  string // project id of alpha
}

// start serves a network API with deterministic ids and clock.
func start(t testing.TB, change ...func(*network.Options)) *env {
	t.Helper()
	id := identitytest.Start(t, identitytest.Options{})
	var seq atomic.Int64
	clock := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	o := network.Options{DB: id.DB, Validator: id.Service, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		IdentityURL: func() string { return id.URL },
		NewID:       func() string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", seq.Add(1)) },
		Clock:       func() time.Time { return clock.Add(time.Duration(seq.Load()) * time.Second) }}
	for _, c := range change {
		c(&o)
	}
	svc, err := network.New(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SyncDefaultRanges(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	t.Cleanup(srv.Close)
	e := &env{id: id, root: srv.URL, svc: svc, admin: id.AdminToken(t)}
	e.member, e.alpha = e.project(t, "alpha", "member")
	return e
}

// project makes a project with a user holding role on it.
func (e *env) project(t testing.TB, name, role string) (token, projectID string) {
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

type response struct {
	Status int
	Header http.Header
	Raw    []byte
	Body   map[string]any
}

// do sends a request; extra headers come in pairs.
func (e *env) do(t testing.TB, method, path, token string, body any, headers ...string) *response {
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

// ok sends a request that must answer status, returning its body.
func (e *env) ok(t testing.TB, status int, method, path, token string, body any, headers ...string) map[string]any {
	t.Helper()
	r := e.do(t, method, path, token, body, headers...)
	if r.Status != status {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.Status, status, r.Raw)
	}
	return r.Body
}

// refused sends a request that must fail with status and a NeutronError
// of type typ and message msg ("" skips the message), changing nothing.
func (e *env) refused(t *testing.T, status int, typ, msg, method, path, token string, body any, headers ...string) {
	t.Helper()
	before := e.id.Snapshot(t)
	r := e.do(t, method, path, token, body, headers...)
	if r.Status != status {
		t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.Status, status, r.Raw)
	}
	ne, _ := r.Body["NeutronError"].(map[string]any)
	if ne == nil || ne["type"] != typ || (msg != "" && ne["message"] != msg) || ne["detail"] != "" {
		t.Fatalf("%s %s: body %s, want type %s message %q", method, path, r.Raw, typ, msg)
	}
	if after := e.id.Snapshot(t); after != before {
		t.Fatalf("the refused request changed the database")
	}
}

// createNet creates a network as token and returns it.
func (e *env) createNet(t testing.TB, token string, attrs map[string]any) map[string]any {
	t.Helper()
	return e.ok(t, 201, "POST", "/v2.0/networks", token, map[string]any{"network": attrs})["network"].(map[string]any)
}
