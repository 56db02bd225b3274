package policy

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkEnforce evaluates Keystone Zed's identity:get_project (with its
// deprecated rule ORed in) for a project reader reading its own project:
// the system and domain branches fail before the project_id match. A
// policy file with a 1s reload interval is set, as the identity service does.
func BenchmarkEnforce(b *testing.B) {
	defaults := []Default{
		{Name: "admin_required", Check: "role:admin or is_admin:1"},
		{Name: "identity:get_project",
			Check:      "(role:reader and system_scope:all) or (role:reader and domain_id:%(target.project.domain_id)s) or project_id:%(target.project.id)s",
			Deprecated: "rule:admin_required or project_id:%(target.project.id)s"},
	}
	path := filepath.Join(b.TempDir(), "policy.yaml")
	if err := os.WriteFile(path, []byte("identity:list_projects: rule:admin_required\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	e, err := New(defaults, Options{File: path, ReloadInterval: time.Second, Log: quietLog()})
	if err != nil {
		b.Fatal(err)
	}
	creds := CredsFromToken(projectToken())
	target := map[string]any{"target": map[string]any{"project": map[string]any{"id": "p1", "domain_id": "pd"}}}
	if e.Enforce("identity:get_project", creds, target) != nil {
		b.Fatal("denied")
	}
	b.ReportAllocs()
	for b.Loop() {
		if e.Enforce("identity:get_project", creds, target) != nil {
			b.Fatal("denied")
		}
	}
}
