package identity_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

// dlgDo sends a request and fails the test unless it answers want.
func dlgDo(t *testing.T, e *identitytest.Env, method, path, token string, body any, want int) *identitytest.Response {
	t.Helper()
	r := e.Do(t, method, path, token, body)
	if r.Status != want {
		t.Fatalf("%s %s: %d %s (want %d)", method, path, r.Status, r.Raw, want)
	}
	return r
}

// dlgRefused sends a request that must be refused with status and a
// Keystone error body containing msg, leaving the database unchanged.
func dlgRefused(t *testing.T, e *identitytest.Env, method, path, token string, body any, status int, msg string) {
	t.Helper()
	before := e.Snapshot(t)
	r := e.Do(t, method, path, token, body)
	if r.Status != status {
		t.Fatalf("%s %s: %d %s (want %d)", method, path, r.Status, r.Raw, status)
	}
	if method != http.MethodHead {
		_, got, title := identitytest.ErrorOf(t, r)
		if !strings.Contains(got, msg) || title != http.StatusText(status) {
			t.Fatalf("%s %s: message %q title %q, want %q", method, path, got, title, msg)
		}
	}
	if after := e.Snapshot(t); after != before {
		t.Fatalf("%s %s changed the database:\nbefore:\n%s\nafter:\n%s", method, path, before, after)
	}
}

// dlgObj returns the object under key.
func dlgObj(t *testing.T, body map[string]any, key string) map[string]any {
	t.Helper()
	m, ok := body[key].(map[string]any)
	if !ok {
		t.Fatalf("no %q object in %v", key, body)
	}
	return m
}

// dlgKeys fails unless m has exactly the given keys.
func dlgKeys(t *testing.T, what string, m map[string]any, keys ...string) {
	t.Helper()
	got := make([]string, 0, len(m))
	for k := range m {
		got = append(got, k)
	}
	slices.Sort(got)
	slices.Sort(keys)
	if !slices.Equal(got, keys) {
		t.Fatalf("%s keys %v, want %v", what, got, keys)
	}
}

// dlgRoleNames lists a token's role names, sorted and comma-joined.
func dlgRoleNames(t *testing.T, r *identitytest.Response) string {
	t.Helper()
	var names []string
	for _, ro := range dlgObj(t, r.Body, "token")["roles"].([]any) {
		names = append(names, ro.(map[string]any)["name"].(string))
	}
	slices.Sort(names)
	return strings.Join(names, ",")
}

// appCredAuthBody authenticates with an application credential's id and secret.
func appCredAuthBody(id, secret string) map[string]any {
	return map[string]any{"auth": map[string]any{"identity": map[string]any{"methods": []string{"application_credential"},
		"application_credential": map[string]any{"id": id, "secret": secret}}}}
}

// trustAuthBody authenticates a user of the Default domain by password,
// scoped to a trust.
func trustAuthBody(user, password, trustID string) map[string]any {
	b := identitytest.PasswordAuth(user, password, "")
	b["auth"].(map[string]any)["scope"] = map[string]any{"OS-TRUST:trust": map[string]any{"id": trustID}}
	return b
}

// tokenAuthBody authenticates with a token, optionally rescoped to a project.
func tokenAuthBody(token, projectID string) map[string]any {
	a := map[string]any{"identity": map[string]any{"methods": []string{"token"}, "token": map[string]any{"id": token}}}
	if projectID != "" {
		a["scope"] = map[string]any{"project": map[string]any{"id": projectID}}
	}
	return map[string]any{"auth": a}
}
