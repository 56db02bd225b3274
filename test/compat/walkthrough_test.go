package compat

import (
	"strings"
	"testing"
)

// TestIdentityWalkthrough drives the identity part of the classic
// walkthrough with the real openstack CLI against `monostack up`.
func TestIdentityWalkthrough(t *testing.T) {
	requireCLI(t)
	c := startCloud(t)
	admin := c.admin()

	var tok map[string]any
	c.jsonOut(t, admin, &tok, "token", "issue")
	if tok["id"] == "" || tok["project_id"] == "" || tok["user_id"] == "" {
		t.Fatalf("token issue: %v", tok)
	}

	var endpoints []map[string]any
	c.jsonOut(t, admin, &endpoints, "endpoint", "list", "--service", "identity")
	if len(endpoints) != 3 {
		t.Fatalf("endpoint list: %v", endpoints)
	}
	var ep map[string]any
	c.jsonOut(t, admin, &ep, "endpoint", "show", endpoints[0]["ID"].(string))
	if ep["service_type"] != "identity" || !strings.HasPrefix(ep["url"].(string), c.authURL[:len(c.authURL)-3]) {
		t.Fatalf("endpoint show: %v", ep)
	}
	var catalog []map[string]any
	c.jsonOut(t, admin, &catalog, "catalog", "list")
	types := map[any]bool{}
	for _, entry := range catalog {
		types[entry["Type"]] = true
	}
	if len(catalog) != 5 || !types["identity"] || !types["image"] || !types["compute"] || !types["placement"] || !types["network"] {
		t.Fatalf("catalog list: %v", catalog)
	}

	c.ok(t, admin, "project", "create", "newProject")
	c.ok(t, admin, "project", "set", "--description", "for testing purpose", "newProject")
	var project map[string]any
	c.jsonOut(t, admin, &project, "project", "show", "newProject")
	if project["description"] != "for testing purpose" || project["domain_id"] != "default" || project["enabled"] != true {
		t.Fatalf("project show: %v", project)
	}

	out := c.runWithTerminal(t, admin, []string{"dev-pass-1", "dev-pass-1"},
		"user", "create", "--project", "newProject", "--password-prompt", "developer1", "-f", "json")
	if !strings.Contains(out, `"name": "developer1"`) || !strings.Contains(out, project["id"].(string)) {
		t.Fatalf("user create: %s", out)
	}

	var roles []map[string]any
	c.jsonOut(t, admin, &roles, "role", "list")
	names := map[string]bool{}
	for _, r := range roles {
		names[r["Name"].(string)] = true
	}
	for _, want := range []string{"admin", "member", "reader"} {
		if !names[want] {
			t.Fatalf("role list lacks %s: %v", want, roles)
		}
	}
	c.ok(t, admin, "role", "add", "--project", "newProject", "--user", "developer1", "admin")
	var assignments []map[string]any
	c.jsonOut(t, admin, &assignments, "role", "assignment", "list", "--project", "newProject", "--user", "developer1", "--names")
	if len(assignments) != 1 || assignments[0]["Role"] != "admin" || assignments[0]["User"] != "developer1@Default" ||
		assignments[0]["Project"] != "newProject@Default" {
		t.Fatalf("role assignment list: %v", assignments)
	}

	// the new user's own password works
	dev := creds{user: "developer1", password: "dev-pass-1", project: "newProject"}
	c.jsonOut(t, dev, &tok, "token", "issue")

	c.ok(t, admin, "group", "create", "developers")
	c.ok(t, admin, "group", "add", "user", "developers", "developer1")
	out = c.ok(t, admin, "group", "contains", "user", "developers", "developer1")
	if !strings.Contains(out, "developer1 in group developers") {
		t.Fatalf("group contains user: %s", out)
	}
	var domain map[string]any
	c.jsonOut(t, admin, &domain, "domain", "create", "engineering")
	if domain["name"] != "engineering" || domain["enabled"] != true {
		t.Fatalf("domain create: %v", domain)
	}

	var appCred map[string]any
	c.jsonOut(t, dev, &appCred, "application", "credential", "create", "ci-cred")
	if appCred["secret"] == nil || appCred["id"] == nil {
		t.Fatalf("application credential create: %v", appCred)
	}
	viaAppCred := creds{appCredID: appCred["id"].(string), appCredSecret: appCred["secret"].(string)}
	c.jsonOut(t, viaAppCred, &tok, "token", "issue")
	if tok["project_id"] != project["id"] {
		t.Fatalf("token from the application credential: %v", tok)
	}
	var projects []map[string]any
	c.jsonOut(t, viaAppCred, &projects, "project", "list")
	if len(projects) == 0 {
		t.Fatal("the application credential cannot list projects")
	}
}

// TestNonAdminGetsPolicyMessage checks the upstream 403 for a member.
func TestNonAdminGetsPolicyMessage(t *testing.T) {
	requireCLI(t)
	c := startCloud(t)
	admin := c.admin()
	c.ok(t, admin, "project", "create", "plain")
	c.ok(t, admin, "user", "create", "--project", "plain", "--password", "plain-pass", "plainuser")
	c.ok(t, admin, "role", "add", "--project", "plain", "--user", "plainuser", "member")
	_, stderr, err := c.run(t, creds{user: "plainuser", password: "plain-pass", project: "plain"}, "project", "create", "sneaky")
	if err == nil {
		t.Fatal("a member created a project")
	}
	want := "You are not authorized to perform the requested action: identity:create_project. (HTTP 403)"
	if !strings.Contains(stderr, want) {
		t.Fatalf("stderr %q lacks %q", stderr, want)
	}
	out := c.ok(t, admin, "project", "list", "-f", "value", "-c", "Name")
	if strings.Contains(out, "sneaky") {
		t.Fatal("the refused project exists")
	}
}
