package identity_test

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/identity/identitytest"
)

// raWorld is a small deployment for role assignment tests: domain D with
// the project tree P > C > G; users u1 and u2 (of D, members of group g)
// and u3 (of Default); global roles r1 (implies r2), r3, r4 and the domain
// role dr (implies r4); and grants of every kind:
//
//	u1 r1 on P, u1 dr on P, u1 r3 on P inherited, g r3 on C,
//	g r3 on D inherited, u3 r3 on D, u2 r3 on the system
//
// besides the bootstrap's admin on the admin project and on the system.
type raWorld struct {
	e     *identitytest.Env
	admin string
	ids   map[string]string // label → id
	label *strings.Replacer // id → label
}

func newRAWorld(t *testing.T) *raWorld {
	t.Helper()
	e := identitytest.Start(t, identitytest.Options{})
	w := &raWorld{e: e, admin: e.AdminToken(t), ids: map[string]string{"ADMIN": e.AdminUserID, "ADMINP": e.AdminProjectID}}
	for _, name := range []string{"admin", "member", "reader"} {
		w.ids[name] = roleID(t, e, w.admin, name)
	}
	w.create(t, "D", "/v3/domains", "domain", map[string]any{"name": "ra-dom"})
	w.create(t, "P", "/v3/projects", "project", map[string]any{"name": "ra-p", "domain_id": w.ids["D"]})
	w.create(t, "C", "/v3/projects", "project", map[string]any{"name": "ra-c", "domain_id": w.ids["D"], "parent_id": w.ids["P"]})
	w.create(t, "G", "/v3/projects", "project", map[string]any{"name": "ra-g", "domain_id": w.ids["D"], "parent_id": w.ids["C"]})
	w.create(t, "u1", "/v3/users", "user", map[string]any{"name": "ra-u1", "domain_id": w.ids["D"]})
	w.create(t, "u2", "/v3/users", "user", map[string]any{"name": "ra-u2", "domain_id": w.ids["D"]})
	w.create(t, "u3", "/v3/users", "user", map[string]any{"name": "ra-u3", "domain_id": "default", "password": "pw-u3"})
	w.create(t, "g", "/v3/groups", "group", map[string]any{"name": "ra-group", "domain_id": w.ids["D"]})
	for _, r := range []string{"r1", "r2", "r3", "r4"} {
		w.create(t, r, "/v3/roles", "role", map[string]any{"name": "ra-" + r})
	}
	w.create(t, "dr", "/v3/roles", "role", map[string]any{"name": "ra-dr", "domain_id": w.ids["D"]})
	w.put(t, "/v3/roles/{r1}/implies/{r2}", http.StatusCreated)
	w.put(t, "/v3/roles/{dr}/implies/{r4}", http.StatusCreated)
	for _, p := range []string{
		"/v3/groups/{g}/users/{u1}", "/v3/groups/{g}/users/{u2}",
		"/v3/projects/{P}/users/{u1}/roles/{r1}",
		"/v3/projects/{P}/users/{u1}/roles/{dr}",
		"/v3/OS-INHERIT/projects/{P}/users/{u1}/roles/{r3}/inherited_to_projects",
		"/v3/projects/{C}/groups/{g}/roles/{r3}",
		"/v3/OS-INHERIT/domains/{D}/groups/{g}/roles/{r3}/inherited_to_projects",
		"/v3/domains/{D}/users/{u3}/roles/{r3}",
		"/v3/system/users/{u2}/roles/{r3}",
	} {
		w.put(t, p, http.StatusNoContent)
	}
	w.label = raLabels(w)
	return w
}

// path fills {label} placeholders with ids.
func (w *raWorld) path(p string) string {
	for label, id := range w.ids {
		p = strings.ReplaceAll(p, "{"+label+"}", id)
	}
	return p
}

func (w *raWorld) create(t *testing.T, label, path, kind string, body map[string]any) {
	t.Helper()
	r := w.e.Do(t, "POST", path, w.admin, map[string]any{kind: body})
	if r.Status != http.StatusCreated {
		t.Fatalf("create %s: %d %s", label, r.Status, r.Raw)
	}
	w.ids[label] = r.Body[kind].(map[string]any)["id"].(string)
}

func (w *raWorld) put(t *testing.T, path string, status int) {
	t.Helper()
	if r := w.e.Do(t, "PUT", w.path(path), w.admin, nil); r.Status != status {
		t.Fatalf("PUT %s: %d %s", path, r.Status, r.Raw)
	}
}

// list sends GET /v3/role_assignments?query with the admin's token and
// returns the sorted signatures of the answer.
func (w *raWorld) list(t *testing.T, query string) []string {
	t.Helper()
	return w.listAs(t, w.admin, query)
}

func (w *raWorld) listAs(t *testing.T, token, query string) []string {
	t.Helper()
	r := w.e.Do(t, "GET", "/v3/role_assignments?"+w.path(query), token, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("list %s: %d %s", query, r.Status, r.Raw)
	}
	var out []string
	for _, a := range r.Body["role_assignments"].([]any) {
		out = append(out, w.signature(t, a.(map[string]any)))
	}
	slices.Sort(out)
	return out
}

// signature writes an assignment as "actor@scope role link [extra links]"
// with ids replaced by labels, e.g. "u1@C+inh r3 /OS-INHERIT/...".
func (w *raWorld) signature(t *testing.T, a map[string]any) string {
	t.Helper()
	id := func(v any) string { return v.(map[string]any)["id"].(string) }
	actor := ""
	if u, ok := a["user"]; ok {
		actor = id(u)
	} else {
		actor = "g:" + id(a["group"])
	}
	scope := a["scope"].(map[string]any)
	where := "system"
	if p, ok := scope["project"]; ok {
		where = id(p)
	} else if d, ok := scope["domain"]; ok {
		where = "d:" + id(d)
	} else if !reflect.DeepEqual(scope["system"], map[string]any{"all": true}) {
		t.Fatalf("scope without target: %v", scope)
	}
	if scope["OS-INHERIT:inherited_to"] == "projects" {
		where += "+inh"
	}
	links := a["links"].(map[string]any)
	base := w.e.URL + "/v3"
	s := fmt.Sprintf("%s@%s %s %s", actor, where, id(a["role"]), strings.TrimPrefix(links["assignment"].(string), base))
	if m, ok := links["membership"]; ok {
		s += " membership=" + strings.TrimPrefix(m.(string), base)
	}
	if p, ok := links["prior_role"]; ok {
		s += " prior=" + strings.TrimPrefix(p.(string), base)
	}
	return w.label.Replace(s)
}

func wantSignatures(t *testing.T, query string, got []string, want ...string) {
	t.Helper()
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("%s:\ngot:\n  %s\nwant:\n  %s", query, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

const (
	raU1r1    = "u1@P r1 /projects/P/users/u1/roles/r1"
	raU1dr    = "u1@P dr /projects/P/users/u1/roles/dr"
	raU1inh   = "u1@P+inh r3 /OS-INHERIT/projects/P/users/u1/roles/r3/inherited_to_projects"
	raGC      = "g:g@C r3 /projects/C/groups/g/roles/r3"
	raGDinh   = "g:g@d:D+inh r3 /OS-INHERIT/domains/D/groups/g/roles/r3/inherited_to_projects"
	raU3D     = "u3@d:D r3 /domains/D/users/u3/roles/r3"
	raU2sys   = "u2@system r3 /system/users/u2/roles/r3"
	raAdminP  = "ADMIN@ADMINP admin /projects/ADMINP/users/ADMIN/roles/admin"
	raAdminSy = "ADMIN@system admin /system/users/ADMIN/roles/admin"

	raU1r2      = "u1@P r2 /projects/P/users/u1/roles/r1 prior=/prior_role/r2/implies/r1"
	raU1r4      = "u1@P r4 /projects/P/users/u1/roles/dr prior=/prior_role/r4/implies/dr"
	raFromPInh  = "+inh r3 /OS-INHERIT/projects/P/users/u1/roles/r3/inherited_to_projects"
	raFromDInh  = "+inh r3 /OS-INHERIT/domains/D/groups/g/roles/r3/inherited_to_projects membership=/groups/g/users/"
	raViaGroupC = " r3 /projects/C/groups/g/roles/r3 membership=/groups/g/users/"
)

// TestRoleAssignmentsDirectFilters lists the grants as stored under every
// filter upstream knows.
func TestRoleAssignmentsDirectFilters(t *testing.T) {
	w := newRAWorld(t)
	cases := []struct {
		query string
		want  []string
	}{
		{"", []string{raU1r1, raU1dr, raU1inh, raGC, raGDinh, raU3D, raU2sys, raAdminP, raAdminSy}},
		{"user.id={u1}", []string{raU1r1, raU1dr, raU1inh}},
		{"group.id={g}", []string{raGC, raGDinh}},
		{"role.id={r3}", []string{raU1inh, raGC, raGDinh, raU3D, raU2sys}},
		{"scope.project.id={P}", []string{raU1r1, raU1dr, raU1inh}},
		{"scope.project.id={C}", []string{raGC}},
		{"scope.domain.id={D}", []string{raGDinh, raU3D}},
		{"scope.system=all", []string{raU2sys, raAdminSy}},
		{"scope.system=all&user.id={u2}", []string{raU2sys}},
		{"scope.OS-INHERIT:inherited_to=projects", []string{raU1inh, raGDinh, raU2sys, raAdminSy}},
		{"scope.OS-INHERIT:inherited_to=projects&scope.domain.id={D}", []string{raGDinh}},
		{"scope.OS-INHERIT:inherited_to=other&scope.project.id={P}", []string{raU1r1, raU1dr}},
		{"user.id={u1}&scope.project.id={P}&role.id={r1}", []string{raU1r1}},
		{"group.id={g}&scope.domain.id={D}", []string{raGDinh}},
		{"user.id={u2}", []string{raU2sys}},
		{"effective=0&group.id={g}", []string{raGC, raGDinh}},
		{"scope.project.id=nope", nil},
		{"user.id=&scope.domain.id={D}", []string{raGDinh, raU3D}},
	}
	for _, c := range cases {
		wantSignatures(t, c.query, w.list(t, c.query), c.want...)
	}
}

// TestRoleAssignmentsEffective expands groups, inheritance from a domain
// and from a parent project, and implied roles, and drops domain roles.
func TestRoleAssignmentsEffective(t *testing.T) {
	w := newRAWorld(t)
	u1 := []string{raU1r1, raU1r2, raU1r4,
		"u1@C" + raFromPInh, "u1@G" + raFromPInh,
		"u1@C" + raViaGroupC + "u1",
		"u1@P" + raFromDInh + "u1", "u1@C" + raFromDInh + "u1", "u1@G" + raFromDInh + "u1"}
	u2 := []string{"u2@C" + raViaGroupC + "u2",
		"u2@P" + raFromDInh + "u2", "u2@C" + raFromDInh + "u2", "u2@G" + raFromDInh + "u2"}
	admin := []string{raAdminP,
		"ADMIN@ADMINP member /projects/ADMINP/users/ADMIN/roles/admin prior=/prior_role/member/implies/admin",
		"ADMIN@ADMINP reader /projects/ADMINP/users/ADMIN/roles/member prior=/prior_role/reader/implies/member"}
	cases := []struct {
		query string
		want  []string
	}{
		{"effective", slices.Concat(u1, u2, admin, []string{raU3D})},
		{"effective&user.id={u1}", u1},
		{"effective=true&user.id={u1}&scope.project.id={C}", []string{
			"u1@C" + raViaGroupC + "u1", "u1@C" + raFromDInh + "u1", "u1@C" + raFromPInh}},
		{"effective&user.id={u1}&scope.project.id={P}", []string{raU1r1, raU1r2, raU1r4, "u1@P" + raFromDInh + "u1"}},
		{"effective&scope.project.id={G}", []string{"u1@G" + raFromPInh, "u1@G" + raFromDInh + "u1", "u2@G" + raFromDInh + "u2"}},
		{"effective&role.id={r2}", []string{raU1r2}},
		{"effective&role.id={dr}", nil},
		{"effective&scope.domain.id={D}", []string{raU3D}},
		{"effective&scope.system=all&user.id={u2}", u2},
		{"effective&user.id={u1}&scope.OS-INHERIT:inherited_to=projects", []string{
			"u1@C" + raFromPInh, "u1@G" + raFromPInh,
			"u1@P" + raFromDInh + "u1", "u1@C" + raFromDInh + "u1", "u1@G" + raFromDInh + "u1"}},
		{"effective&user.id={u1}&scope.project.id={C}&scope.OS-INHERIT:inherited_to=no", []string{"u1@C" + raViaGroupC + "u1"}},
	}
	for _, c := range cases {
		wantSignatures(t, c.query, w.list(t, c.query), c.want...)
	}

	// Revoking the grants empties the effective list, as Tempest checks.
	for _, p := range []string{"/v3/OS-INHERIT/domains/{D}/groups/{g}/roles/{r3}/inherited_to_projects",
		"/v3/projects/{C}/groups/{g}/roles/{r3}", "/v3/OS-INHERIT/projects/{P}/users/{u1}/roles/{r3}/inherited_to_projects"} {
		if r := w.e.Do(t, "DELETE", w.path(p), w.admin, nil); r.Status != http.StatusNoContent {
			t.Fatalf("revoke %s: %d %s", p, r.Status, r.Raw)
		}
	}
	wantSignatures(t, "after revoke", w.list(t, "effective&user.id={u1}&scope.project.id={C}"))
	if r := w.e.Do(t, "DELETE", w.path("/v3/roles/{r1}/implies/{r2}"), w.admin, nil); r.Status != http.StatusNoContent {
		t.Fatalf("delete inference: %d %s", r.Status, r.Raw)
	}
	wantSignatures(t, "after inference removed", w.list(t, "effective&user.id={u1}&scope.project.id={P}"), raU1r1, raU1r4)
}

// TestRoleAssignmentsSubtree lists assignments on a project and its
// subtree, directly and effectively, also from a domain's root.
func TestRoleAssignmentsSubtree(t *testing.T) {
	w := newRAWorld(t)
	direct := []string{raU1r1, raU1dr, raU1inh, raGC}
	wantSignatures(t, "subtree P", w.list(t, "include_subtree=true&scope.project.id={P}"), direct...)
	wantSignatures(t, "subtree D", w.list(t, "include_subtree&scope.project.id={D}"), direct...)
	wantSignatures(t, "subtree C", w.list(t, "include_subtree=1&scope.project.id={C}"), raGC)
	wantSignatures(t, "subtree G", w.list(t, "include_subtree=1&scope.project.id={G}"))
	wantSignatures(t, "subtree off", w.list(t, "include_subtree=0&scope.project.id={C}"), raGC)
	wantSignatures(t, "effective subtree C", w.list(t, "effective&include_subtree=true&scope.project.id={C}"),
		"u1@C"+raViaGroupC+"u1", "u2@C"+raViaGroupC+"u2",
		"u1@C"+raFromPInh, "u1@G"+raFromPInh,
		"u1@C"+raFromDInh+"u1", "u1@G"+raFromDInh+"u1", "u2@C"+raFromDInh+"u2", "u2@G"+raFromDInh+"u2")
	wantSignatures(t, "effective subtree P", w.list(t, "effective&include_subtree=true&scope.project.id={P}&user.id={u1}"),
		raU1r1, raU1r2, raU1r4, "u1@C"+raViaGroupC+"u1",
		"u1@C"+raFromPInh, "u1@G"+raFromPInh,
		"u1@P"+raFromDInh+"u1", "u1@C"+raFromDInh+"u1", "u1@G"+raFromDInh+"u1")
}

// TestRoleAssignmentsIncludeNames checks the exact include_names shape,
// as `openstack role assignment list --project P --user U --names` asks.
func TestRoleAssignmentsIncludeNames(t *testing.T) {
	w := newRAWorld(t)
	query := w.path("scope.project.id={P}&user.id={u1}&include_names=True")
	r := w.e.Do(t, "GET", "/v3/role_assignments?"+query, w.admin, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("list: %d %s", r.Status, r.Raw)
	}
	base := w.e.URL + "/v3"
	dom := map[string]any{"id": w.ids["D"], "name": "ra-dom"}
	user := map[string]any{"id": w.ids["u1"], "name": "ra-u1", "domain": dom}
	scope := map[string]any{"project": map[string]any{"id": w.ids["P"], "name": "ra-p", "domain": dom}}
	want := map[string]any{
		"links": map[string]any{"self": base + "/role_assignments?" + query, "previous": nil, "next": nil},
		"role_assignments": []any{
			map[string]any{"role": map[string]any{"id": w.ids["dr"], "name": "ra-dr", "domain": dom}, "user": user, "scope": scope,
				"links": map[string]any{"assignment": base + w.path("/projects/{P}/users/{u1}/roles/{dr}")}},
			map[string]any{"role": map[string]any{"id": w.ids["r1"], "name": "ra-r1"}, "user": user, "scope": scope,
				"links": map[string]any{"assignment": base + w.path("/projects/{P}/users/{u1}/roles/{r1}")}},
			map[string]any{"role": map[string]any{"id": w.ids["r3"], "name": "ra-r3"}, "user": user,
				"scope": map[string]any{"project": scope["project"], "OS-INHERIT:inherited_to": "projects"},
				"links": map[string]any{"assignment": base + w.path("/OS-INHERIT/projects/{P}/users/{u1}/roles/{r3}/inherited_to_projects")}},
		},
	}
	sortByRoleName(r.Body["role_assignments"].([]any))
	if !reflect.DeepEqual(r.Body, want) {
		t.Fatalf("include_names:\ngot  %s\nwant %v", r.Raw, want)
	}

	group := w.namedOne(t, "group.id={g}&scope.domain.id={D}&include_names")
	wantGroup := map[string]any{"role": map[string]any{"id": w.ids["r3"], "name": "ra-r3"},
		"group": map[string]any{"id": w.ids["g"], "name": "ra-group", "domain": dom},
		"scope": map[string]any{"domain": dom, "OS-INHERIT:inherited_to": "projects"},
		"links": map[string]any{"assignment": base + w.path("/OS-INHERIT/domains/{D}/groups/{g}/roles/{r3}/inherited_to_projects")}}
	if !reflect.DeepEqual(group, wantGroup) {
		t.Fatalf("group with names: %v", group)
	}
	system := w.namedOne(t, "scope.system=all&user.id={u2}&include_names")
	wantSystem := map[string]any{"role": map[string]any{"id": w.ids["r3"], "name": "ra-r3"},
		"user":  map[string]any{"id": w.ids["u2"], "name": "ra-u2", "domain": dom},
		"scope": map[string]any{"system": map[string]any{"all": true}},
		"links": map[string]any{"assignment": base + w.path("/system/users/{u2}/roles/{r3}")}}
	if !reflect.DeepEqual(system, wantSystem) {
		t.Fatalf("system with names: %v", system)
	}
	membership := w.namedOne(t, "effective&include_names&scope.project.id={C}&user.id={u2}&role.id={r3}&scope.OS-INHERIT:inherited_to=no")
	wantMembership := map[string]any{"role": map[string]any{"id": w.ids["r3"], "name": "ra-r3"},
		"user":  map[string]any{"id": w.ids["u2"], "name": "ra-u2", "domain": dom},
		"scope": map[string]any{"project": map[string]any{"id": w.ids["C"], "name": "ra-c", "domain": dom}},
		"links": map[string]any{"assignment": base + w.path("/projects/{C}/groups/{g}/roles/{r3}"),
			"membership": base + w.path("/groups/{g}/users/{u2}")}}
	if !reflect.DeepEqual(membership, wantMembership) {
		t.Fatalf("effective with names: %v", membership)
	}
}

// namedOne lists with the admin's token and returns the only entry.
func (w *raWorld) namedOne(t *testing.T, query string) map[string]any {
	t.Helper()
	r := w.e.Do(t, "GET", "/v3/role_assignments?"+w.path(query), w.admin, nil)
	list, _ := r.Body["role_assignments"].([]any)
	if r.Status != http.StatusOK || len(list) != 1 {
		t.Fatalf("%s: %d %s", query, r.Status, r.Raw)
	}
	return list[0].(map[string]any)
}

func sortByRoleName(list []any) {
	slices.SortFunc(list, func(a, b any) int {
		name := func(v any) string { return v.(map[string]any)["role"].(map[string]any)["name"].(string) }
		return strings.Compare(name(a), name(b))
	})
}

// TestRoleAssignmentsBadQueries checks the combinations upstream refuses,
// with its messages, and that nothing changes.
func TestRoleAssignmentsBadQueries(t *testing.T) {
	w := newRAWorld(t)
	cases := []struct {
		query   string
		status  int
		message string
	}{
		{"scope.domain.id={D}&scope.project.id={P}", 400, "Specify a domain or project, not both"},
		{"scope.system=all&scope.domain.id={D}", 400, "Specify system or domain, not both"},
		{"scope.system=other&scope.project.id={P}", 400, "Specify system or project, not both"},
		{"user.id={u1}&group.id={g}", 400, "Specify a user or group, not both"},
		{"user.id={u1}&group.id={g}&scope.domain.id={D}&scope.project.id={P}&effective", 400, "Specify a domain or project, not both"},
		{"effective&group.id={g}", 400, "Combining effective and group filter will always result in an empty list."},
		{"effective=false&group.id={g}", 400, "Combining effective and group filter will always result in an empty list."},
		{"effective&scope.domain.id={D}&scope.OS-INHERIT:inherited_to=projects", 400,
			"Combining effective, domain and inherited filters will always result in an empty list."},
		{"include_subtree=true", 400, "scope.project.id must be specified if include_subtree is also specified"},
		{"include_subtree=true&effective", 400, "scope.project.id must be specified if include_subtree is also specified"},
		{"include_subtree&scope.project.id={P}&scope.domain.id={D}", 400, "Specify a domain or project, not both"},
		{"include_subtree&scope.project.id={P}&scope.system=all", 400, "Specify system or project, not both"},
		{"include_subtree&scope.project.id=nope", 404, "Could not find project: nope."},
		{"effective&scope.project.id=nope", 404, "Could not find project: nope."},
	}
	for _, c := range cases {
		t.Run(sanitize(c.query), func(t *testing.T) {
			before := w.e.Snapshot(t)
			r := w.e.Do(t, "GET", "/v3/role_assignments?"+w.path(c.query), w.admin, nil)
			if r.Status != c.status {
				t.Fatalf("status %d, want %d: %s", r.Status, c.status, r.Raw)
			}
			if _, msg, _ := identitytest.ErrorOf(t, r); msg != c.message {
				t.Fatalf("message %q, want %q", msg, c.message)
			}
			if after := w.e.Snapshot(t); after != before {
				t.Fatal("a refused listing changed the database")
			}
		})
	}
}

// TestRoleAssignmentsPolicy checks who may list: a project member may not,
// a domain reader sees only its domain's assignments and may not list a
// tree; an unauthenticated caller is refused.
func TestRoleAssignmentsPolicy(t *testing.T) {
	w := newRAWorld(t)
	w.create(t, "Q", "/v3/projects", "project", map[string]any{"name": "ra-q", "domain_id": "default"})
	w.put(t, "/v3/projects/{Q}/users/{u3}/roles/{member}", http.StatusNoContent)
	w.put(t, "/v3/domains/{D}/users/{u3}/roles/{reader}", http.StatusNoContent)

	member := w.e.Token(t, "ra-u3", "pw-u3", "ra-q")
	for _, q := range []string{"", "user.id=" + w.ids["u3"], "include_subtree&scope.project.id=" + w.ids["Q"]} {
		r := w.e.Do(t, "GET", "/v3/role_assignments?"+q, member, nil)
		if r.Status != http.StatusForbidden {
			t.Fatalf("member lists %q: %d %s", q, r.Status, r.Raw)
		}
		identitytest.ErrorOf(t, r)
	}
	if r := w.e.Do(t, "GET", "/v3/role_assignments", "", nil); r.Status != http.StatusUnauthorized {
		t.Fatalf("anonymous: %d", r.Status)
	}

	reader := w.domainToken(t, "ra-u3", "pw-u3", w.ids["D"])
	w.label = raLabels(w)
	u3reader := "u3@d:D reader /domains/D/users/u3/roles/reader"
	wantSignatures(t, "domain reader", w.listAs(t, reader, ""),
		raU1r1, raU1dr, raU1inh, raGC, raGDinh, raU3D, u3reader)
	wantSignatures(t, "domain reader, u3", w.listAs(t, reader, "user.id={u3}"), raU3D, u3reader)
	if r := w.e.Do(t, "GET", w.path("/v3/role_assignments?include_subtree&scope.project.id={P}"), reader, nil); r.Status != http.StatusForbidden {
		t.Fatalf("domain reader lists a tree: %d %s", r.Status, r.Raw)
	}
	wantSignatures(t, "admin sees u3 everywhere", w.list(t, "user.id={u3}"),
		raU3D, u3reader, "u3@Q member /projects/Q/users/u3/roles/member")
}

// raLabels rebuilds the id → label replacer after new objects.
func raLabels(w *raWorld) *strings.Replacer {
	var pairs []string
	for label, id := range w.ids {
		pairs = append(pairs, id, label)
	}
	return strings.NewReplacer(pairs...)
}

// domainToken issues a domain-scoped token for a user of Default.
func (w *raWorld) domainToken(t *testing.T, user, password, domainID string) string {
	t.Helper()
	body := identitytest.PasswordAuth(user, password, "")
	body["auth"].(map[string]any)["scope"] = map[string]any{"domain": map[string]any{"id": domainID}}
	r := w.e.Do(t, "POST", "/v3/auth/tokens", "", body)
	if r.Status != http.StatusCreated {
		t.Fatalf("domain token: %d %s", r.Status, r.Raw)
	}
	return r.Header.Get("X-Subject-Token")
}

// TestRoleAssignmentsLinksAndQueryEcho checks the collection links echo
// the query as upstream does.
func TestRoleAssignmentsLinksAndQueryEcho(t *testing.T) {
	w := newRAWorld(t)
	q := url.Values{"user.id": {w.ids["u2"]}, "scope.system": {"all"}}.Encode()
	r := w.e.Do(t, "GET", "/v3/role_assignments?"+q, w.admin, nil)
	links := r.Body["links"].(map[string]any)
	if links["self"] != w.e.URL+"/v3/role_assignments?"+q || links["next"] != nil || links["previous"] != nil {
		t.Fatalf("links: %v", links)
	}
	if _, ok := r.Body["truncated"]; ok {
		t.Fatal("role assignments are never truncated")
	}
}

// TestRoleAssignmentsLargeTree lists over a tree wider than one IN list:
// grants in the subtree are found and inherited grants reach every project.
func TestRoleAssignmentsLargeTree(t *testing.T) {
	w := newRAWorld(t)
	const n = 1200
	err := w.e.DB.Write(ctx, func(tx *db.Tx) error {
		for i := range n {
			_, err := tx.Exec("INSERT INTO identity_projects (id, name, description, enabled, domain_id, parent_id, is_domain, extra) VALUES (?, ?, '', ?, ?, ?, ?, '{}')",
				fmt.Sprintf("wide%04d", i), fmt.Sprintf("wide-%d", i), true, w.ids["D"], w.ids["P"], false)
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	w.ids["W"] = fmt.Sprintf("wide%04d", n-1)
	w.put(t, "/v3/projects/{W}/users/{u2}/roles/{r3}", http.StatusNoContent)
	w.label = raLabels(w)
	wantSignatures(t, "subtree", w.list(t, "include_subtree&scope.project.id={P}&user.id={u2}"), "u2@W r3 /projects/W/users/u2/roles/r3")
	if got := w.list(t, "effective&user.id={u2}&role.id={r3}"); len(got) != 1+1+3+n {
		t.Fatalf("effective over the wide tree: %d entries", len(got))
	}
	if got := w.list(t, "effective&include_subtree&scope.project.id={P}&user.id={u1}&scope.OS-INHERIT:inherited_to=projects"); len(got) != 2+3+n+n {
		t.Fatalf("effective inherited over the wide subtree: %d entries", len(got))
	}
}
