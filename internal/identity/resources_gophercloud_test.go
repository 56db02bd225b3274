package identity_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/domains"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/groups"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/projects"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/roles"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/users"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

var ctx = context.Background()

// must returns v, or panics (failing the test with a stack) on err.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func status(err error) int {
	var e gophercloud.ErrUnexpectedResponseCode
	if errors.As(err, &e) {
		return e.Actual
	}
	return 0
}

func TestGophercloudDomainsAndProjects(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	c := e.Admin(t)
	d := must(domains.Create(ctx, c, domains.CreateOpts{Name: "acme", Description: "ACME corp"}).Extract())
	if !d.Enabled || d.Description != "ACME corp" {
		t.Fatalf("domain %+v", d)
	}
	parent := must(projects.Create(ctx, c, projects.CreateOpts{Name: "web", DomainID: d.ID, Tags: []string{"b", "a"},
		Extra: map[string]any{"owner": "ops"}}).Extract())
	if parent.ParentID != d.ID || parent.DomainID != d.ID || !slices.Equal(parent.Tags, []string{"a", "b"}) || parent.Extra["owner"] != "ops" {
		t.Fatalf("project %+v", parent)
	}
	child := must(projects.Create(ctx, c, projects.CreateOpts{Name: "web-eu", ParentID: parent.ID}).Extract())
	if child.DomainID != d.ID || child.ParentID != parent.ID {
		t.Fatalf("child %+v", child)
	}
	desc := "front end"
	upd := must(projects.Update(ctx, c, parent.ID, projects.UpdateOpts{Description: &desc}).Extract())
	if upd.Description != desc || upd.Name != "web" {
		t.Fatalf("update %+v", upd)
	}
	pages := must(projects.List(c, projects.ListOpts{DomainID: d.ID}).AllPages(ctx))
	list := must(projects.ExtractProjects(pages))
	if len(list) != 2 {
		t.Fatalf("list in domain: %+v", list)
	}
	pages = must(projects.List(c, projects.ListOpts{Tags: "a,b"}).AllPages(ctx))
	if list := must(projects.ExtractProjects(pages)); len(list) != 1 || list[0].ID != parent.ID {
		t.Fatalf("list by tags: %+v", list)
	}
	if err := projects.Delete(ctx, c, parent.ID).ExtractErr(); status(err) != http.StatusForbidden {
		t.Fatalf("deleting a parent: %v", err)
	}
	if err := projects.Delete(ctx, c, child.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if err := projects.Delete(ctx, c, parent.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if err := domains.Delete(ctx, c, d.ID).ExtractErr(); status(err) != http.StatusForbidden {
		t.Fatalf("deleting an enabled domain: %v", err)
	}
	off := false
	must(domains.Update(ctx, c, d.ID, domains.UpdateOpts{Enabled: &off}).Extract())
	if err := domains.Delete(ctx, c, d.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if _, err := domains.Get(ctx, c, d.ID).Extract(); status(err) != http.StatusNotFound {
		t.Fatalf("deleted domain: %v", err)
	}
}

func TestGophercloudUsersGroupsRoles(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	c := e.Admin(t)
	p := must(projects.Create(ctx, c, projects.CreateOpts{Name: "team"}).Extract())
	u := must(users.Create(ctx, c, users.CreateOpts{Name: "alice", Password: "alice-pw", DefaultProjectID: p.ID,
		Description: "Alice", Extra: map[string]any{"email": "alice@example.com"}}).Extract())
	if u.DomainID != "default" || u.DefaultProjectID != p.ID || u.Extra["email"] != "alice@example.com" || !u.Enabled {
		t.Fatalf("user %+v", u)
	}
	pages := must(users.List(c, users.ListOpts{Name: "alice"}).AllPages(ctx))
	if list := must(users.ExtractUsers(pages)); len(list) != 1 || list[0].ID != u.ID {
		t.Fatalf("users by name: %+v", list)
	}
	g := must(groups.Create(ctx, c, groups.CreateOpts{Name: "devs", Description: "developers"}).Extract())
	if err := users.AddToGroup(ctx, c, g.ID, u.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if ok := must(users.IsMemberOfGroup(ctx, c, g.ID, u.ID).Extract()); !ok {
		t.Fatal("alice is not in devs")
	}
	member := must(roles.List(c, roles.ListOpts{Name: "member"}).AllPages(ctx))
	memberRole := must(roles.ExtractRoles(member))[0]
	// a group grant gives alice the role, through which her default project scopes her token
	if err := roles.Assign(ctx, c, memberRole.ID, roles.AssignOpts{GroupID: g.ID, ProjectID: p.ID}).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if err := roles.Validate(ctx, c, memberRole.ID, roles.ValidateOpts{GroupID: g.ID, ProjectID: p.ID}).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	r := e.Do(t, "POST", "/v3/auth/tokens", "", identitytest.PasswordAuth("alice", "alice-pw", ""))
	if r.Status != 201 || r.Body["token"].(map[string]any)["project"].(map[string]any)["id"] != p.ID {
		t.Fatalf("default-project token: %d %s", r.Status, r.Raw)
	}
	pages = must(users.ListProjects(c, u.ID).AllPages(ctx))
	if list := must(projects.ExtractProjects(pages)); len(list) != 1 || list[0].ID != p.ID {
		t.Fatalf("user projects: %+v", list)
	}
	custom := must(roles.Create(ctx, c, roles.CreateOpts{Name: "auditor"}).Extract())
	reader := must(roles.ExtractRoles(must(roles.List(c, roles.ListOpts{Name: "reader"}).AllPages(ctx))))[0]
	if _, err := roles.CreateRoleInferenceRule(ctx, c, custom.ID, reader.ID).Extract(); err != nil {
		t.Fatal(err)
	}
	if err := users.RemoveFromGroup(ctx, c, g.ID, u.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if err := roles.Assign(ctx, c, custom.ID, roles.AssignOpts{UserID: u.ID, ProjectID: p.ID}).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	tok := e.Do(t, "POST", "/v3/auth/tokens", "", identitytest.PasswordAuth("alice", "alice-pw", "team"))
	if got := roleNames(tok.Body["token"].(map[string]any)); got != "auditor,reader" {
		t.Fatalf("roles after leaving the group and getting auditor: %s", got)
	}
	if err := users.ChangePassword(ctx, c, u.ID, users.ChangePasswordOpts{OriginalPassword: "alice-pw", Password: "alice-pw2"}).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if r := e.Do(t, "POST", "/v3/auth/tokens", "", identitytest.PasswordAuth("alice", "alice-pw2", "team")); r.Status != 201 {
		t.Fatalf("new password: %d", r.Status)
	}
	if err := users.Delete(ctx, c, u.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if err := groups.Delete(ctx, c, g.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
}
