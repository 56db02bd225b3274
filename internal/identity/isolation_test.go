package identity_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

// TestProjectIsolation: two members of two projects cannot see or change
// each other's projects, users or grants; each can see their own.
func TestProjectIsolation(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	a := newFixture(t, e, "alice")
	b := newFixture(t, e, "bob")
	adminRole := roleID(t, e, a.admin, "admin")

	allowed := []struct{ method, path string }{
		{"GET", "/v3/projects/" + a.projectID},
		{"GET", "/v3/users/" + a.userID},
		{"GET", "/v3/users/" + a.userID + "/projects"},
		{"GET", "/v3/auth/projects"},
	}
	for _, c := range allowed {
		if r := e.Do(t, c.method, c.path, a.token, nil); r.Status != http.StatusOK {
			t.Errorf("alice %s %s: %d %s", c.method, c.path, r.Status, r.Raw)
		}
	}
	r := e.Do(t, "GET", "/v3/auth/projects", a.token, nil)
	if ps := r.Body["projects"].([]any); len(ps) != 1 || ps[0].(map[string]any)["id"] != a.projectID {
		t.Errorf("alice's auth projects: %s", r.Raw)
	}

	refused := []struct {
		method, path string
		body         any
	}{
		{"GET", "/v3/projects/" + b.projectID, nil},
		{"PATCH", "/v3/projects/" + b.projectID, map[string]any{"project": map[string]any{"description": "mine now"}}},
		{"DELETE", "/v3/projects/" + b.projectID, nil},
		{"GET", "/v3/projects", nil},
		{"POST", "/v3/projects", map[string]any{"project": map[string]any{"name": "grab"}}},
		{"GET", "/v3/users/" + b.userID, nil},
		{"GET", "/v3/users", nil},
		{"PATCH", "/v3/users/" + b.userID, map[string]any{"user": map[string]any{"password": "hijacked"}}},
		{"DELETE", "/v3/users/" + b.userID, nil},
		{"GET", "/v3/users/" + b.userID + "/projects", nil},
		{"GET", "/v3/users/" + b.userID + "/groups", nil},
		{"PUT", fmt.Sprintf("/v3/projects/%s/users/%s/roles/%s", b.projectID, a.userID, adminRole), nil},
		{"PUT", fmt.Sprintf("/v3/projects/%s/users/%s/roles/%s", a.projectID, a.userID, adminRole), nil},
		{"GET", fmt.Sprintf("/v3/projects/%s/users/%s/roles", b.projectID, b.userID), nil},
		{"POST", "/v3/roles", map[string]any{"role": map[string]any{"name": "superuser"}}},
		{"POST", "/v3/users", map[string]any{"user": map[string]any{"name": "sockpuppet"}}},
	}
	for _, c := range refused {
		before := e.Snapshot(t)
		r := e.Do(t, c.method, c.path, a.token, c.body)
		if r.Status != http.StatusForbidden {
			t.Errorf("alice %s %s: %d, want 403: %s", c.method, c.path, r.Status, r.Raw)
			continue
		}
		_, msg, _ := identitytest.ErrorOf(t, r)
		if len(msg) < len("You are not authorized") || msg[:22] != "You are not authorized" {
			t.Errorf("alice %s %s: message %q", c.method, c.path, msg)
		}
		if e.Snapshot(t) != before {
			t.Errorf("alice %s %s changed the database", c.method, c.path)
		}
	}
	// bob's token is not alice's to inspect, and bob's password is not hers to change
	if r := e.DoSubject(t, "GET", "/v3/auth/tokens", a.token, b.token); r.Status != http.StatusForbidden {
		t.Errorf("alice validating bob's token: %d", r.Status)
	}
	r = e.Do(t, "POST", "/v3/users/"+b.userID+"/password", a.token, map[string]any{"user": map[string]any{"password": "x", "original_password": "guess"}})
	if r.Status != http.StatusUnauthorized {
		t.Errorf("alice changing bob's password: %d", r.Status)
	}
	if !b.valid(t) {
		t.Error("bob's token stopped working")
	}
}
