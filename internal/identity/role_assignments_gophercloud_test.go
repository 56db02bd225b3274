package identity_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/osinherit"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/roles"
)

// TestGophercloudRoleAssignments drives the listing through gophercloud:
// plain and effective lists, names, system scope, OS-INHERIT grants and a
// refused filter combination.
func TestGophercloudRoleAssignments(t *testing.T) {
	w := newRAWorld(t)
	c := w.e.Admin(t)
	id := w.ids
	list := func(opts roles.ListAssignmentsOpts) []roles.RoleAssignment {
		t.Helper()
		pages, err := roles.ListAssignments(c, opts).AllPages(ctx)
		if err != nil {
			t.Fatalf("list %+v: %v", opts, err)
		}
		return must(roles.ExtractRoleAssignments(pages))
	}
	yes := true

	if err := osinherit.Assign(ctx, c, id["r1"], osinherit.AssignOpts{UserID: id["u2"], DomainID: id["D"]}).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if err := osinherit.Validate(ctx, c, id["r1"], osinherit.ValidateOpts{UserID: id["u2"], DomainID: id["D"]}).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	got := list(roles.ListAssignmentsOpts{UserID: id["u2"], ScopeDomainID: id["D"]})
	if len(got) != 1 || got[0].Role.ID != id["r1"] || got[0].User.ID != id["u2"] || got[0].Scope.Domain.ID != id["D"] {
		t.Fatalf("inherited domain grant: %+v", got)
	}

	// Effectively, u2 has r1 (inherited from D), r2 (implied by it) and r3
	// (twice: from g's grant on C and g's inherited grant on D) on C.
	got = list(roles.ListAssignmentsOpts{UserID: id["u2"], ScopeProjectID: id["C"], Effective: &yes})
	var roleIDs []string
	for _, a := range got {
		if a.User.ID != id["u2"] || a.Scope.Project.ID != id["C"] {
			t.Fatalf("effective entry off target: %+v", a)
		}
		roleIDs = append(roleIDs, a.Role.ID)
	}
	slices.Sort(roleIDs)
	want := []string{id["r1"], id["r2"], id["r3"], id["r3"]}
	slices.Sort(want)
	if !slices.Equal(roleIDs, want) {
		t.Fatalf("effective roles %v, want %v", roleIDs, want)
	}

	got = list(roles.ListAssignmentsOpts{UserID: id["u1"], ScopeProjectID: id["P"], RoleID: id["r1"], IncludeNames: &yes})
	if len(got) != 1 || got[0].Role.Name != "ra-r1" || got[0].User.Name != "ra-u1" || got[0].User.Domain.Name != "ra-dom" ||
		got[0].Scope.Project.Name != "ra-p" || got[0].Scope.Project.Domain.Name != "ra-dom" {
		t.Fatalf("names: %+v", got)
	}
	got = list(roles.ListAssignmentsOpts{ScopeSystem: "all", UserID: id["u2"]})
	if len(got) != 1 || got[0].Scope.System == nil || !got[0].Scope.System.All || got[0].Role.ID != id["r3"] {
		t.Fatalf("system: %+v", got)
	}
	got = list(roles.ListAssignmentsOpts{GroupID: id["g"], ScopeProjectID: id["C"]})
	if len(got) != 1 || got[0].Group.ID != id["g"] || got[0].Role.ID != id["r3"] {
		t.Fatalf("group: %+v", got)
	}
	got = list(roles.ListAssignmentsOpts{ScopeProjectID: id["P"], IncludeSubtree: &yes})
	if len(got) != 4 {
		t.Fatalf("subtree of P: %+v", got)
	}

	if err := osinherit.Unassign(ctx, c, id["r1"], osinherit.UnassignOpts{UserID: id["u2"], DomainID: id["D"]}).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if got = list(roles.ListAssignmentsOpts{UserID: id["u2"], ScopeDomainID: id["D"]}); len(got) != 0 {
		t.Fatalf("after unassign: %+v", got)
	}
	_, err := roles.ListAssignments(c, roles.ListAssignmentsOpts{ScopeProjectID: id["P"], ScopeDomainID: id["D"]}).AllPages(ctx)
	if status(err) != http.StatusBadRequest {
		t.Fatalf("project and domain: %v", err)
	}
}
