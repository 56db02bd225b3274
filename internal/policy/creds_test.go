package policy

import (
	"reflect"
	"testing"
	"time"

	"github.com/monostack/monostack/internal/auth"
)

func projectToken() *auth.Token {
	return &auth.Token{
		UserID: "u1", UserName: "alice", UserDomain: auth.Ref{ID: "ud", Name: "UD"},
		Methods: []string{"password"}, AuditIDs: []string{"a1"},
		IssuedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), ExpiresAt: time.Date(2024, 1, 1, 1, 0, 0, 0, time.UTC),
		Project: &auth.Ref{ID: "p1", Name: "proj"}, ProjectDomain: auth.Ref{ID: "pd", Name: "PD"},
		Roles: []auth.Ref{{ID: "r1", Name: "member"}, {ID: "r2", Name: "reader"}},
	}
}

func TestCredsFromToken(t *testing.T) {
	no := false
	sys := &auth.Token{UserID: "u2", UserDomain: auth.Ref{ID: "default"}, System: true, Roles: []auth.Ref{{Name: "admin"}}}
	dom := &auth.Token{UserID: "u3", UserDomain: auth.Ref{ID: "d1"}, Domain: &auth.Ref{ID: "d1", Name: "D1"}}
	notAdminProject := projectToken()
	notAdminProject.ProjectIsAdmin = &no
	tests := []struct {
		name string
		tok  *auth.Token
		want Creds // the keys checked; "token" is tested below
	}{
		{"anonymous", nil, Creds{}},
		{"project", projectToken(), Creds{"user_id": "u1", "user_domain_id": "ud", "project_id": "p1",
			"project_domain_id": "pd", "domain_id": nil, "roles": []string{"member", "reader"},
			"is_admin": false, "is_admin_project": true}},
		{"not admin project", notAdminProject, Creds{"is_admin_project": false}},
		{"system", sys, Creds{"system_scope": "all", "project_id": nil, "domain_id": nil, "roles": []string{"admin"}}},
		{"domain", dom, Creds{"domain_id": "d1", "project_id": nil, "project_domain_id": nil, "roles": []string{}}},
	}
	for _, tt := range tests {
		got := CredsFromToken(tt.tok)
		for k, want := range tt.want {
			if v, ok := got[k]; !ok || !reflect.DeepEqual(v, want) {
				t.Errorf("%s: creds[%q] = %#v, want %#v", tt.name, k, v, want)
			}
		}
		if _, ok := got["system_scope"]; ok != (tt.tok != nil && tt.tok.System) {
			t.Errorf("%s: system_scope present = %v", tt.name, ok)
		}
	}
}

func TestCredsFromTokenPaths(t *testing.T) {
	target := map[string]any{"target": map[string]any{
		"domain": map[string]any{"id": "pd"},
		"user":   map[string]any{"domain_id": "ud"},
	}}
	tests := []struct {
		rule string
		tok  *auth.Token
		want bool
	}{
		{"token.project.domain.id:%(target.domain.id)s", projectToken(), true},
		{"token.user.domain.id:%(target.user.domain_id)s", projectToken(), true},
		{"token.roles.name:reader", projectToken(), true},
		{"token.roles.id:r2", projectToken(), true},
		{"token.roles.name:admin", projectToken(), false},
		{"token.project.id:p1 and token.is_domain:False", projectToken(), true},
		{"token.domain.id:%(target.domain.id)s", projectToken(), false},
		{"token.system.all:True and system_scope:all", &auth.Token{UserID: "u", System: true}, true},
		{"token.domain.id:d1", &auth.Token{UserID: "u", Domain: &auth.Ref{ID: "d1"}}, true},
		{"token.issued_at:2024-01-01T00:00:00.000000Z", projectToken(), true},
		// Keystone Zed identity:get_domain
		{"rule:admin_required or (role:reader and system_scope:all) or token.domain.id:%(target.domain.id)s or token.project.domain.id:%(target.domain.id)s", projectToken(), true},
		{"rule:admin_required", projectToken(), false},
	}
	for _, tt := range tests {
		if got := checkOne(t, tt.rule, CredsFromToken(tt.tok), target); got != tt.want {
			t.Errorf("%q = %v, want %v", tt.rule, got, tt.want)
		}
	}
}
