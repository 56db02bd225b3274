package identity_test

import (
	"context"
	"reflect"
	"slices"
	"sort"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/projectendpoints"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

const epFilter = "/v3/OS-EP-FILTER"

// TestEndpointGroupsCRUD checks endpoint group create, list, show, HEAD,
// update and delete, and their wire form.
func TestEndpointGroupsCRUD(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)

	g := catMember(t, catDo(t, e, "POST", epFilter+"/endpoint_groups", admin, map[string]any{"endpoint_group": map[string]any{
		"name": "compute", "description": "all compute", "filters": map[string]any{"interface": "public"}}}, 201), "endpoint_group")
	catSameKeys(t, g, "id", "name", "description", "filters", "links")
	id := g["id"].(string)
	if self := g["links"].(map[string]any)["self"]; self != e.URL+epFilter+"/endpoint_groups/"+id {
		t.Fatalf("self link %v", self)
	}
	bare := catMember(t, catDo(t, e, "POST", epFilter+"/endpoint_groups", admin, map[string]any{"endpoint_group": map[string]any{
		"name": "bare", "filters": map[string]any{"region_id": "RegionOne"}}}, 201), "endpoint_group")
	if v, ok := bare["description"]; !ok || v != nil {
		t.Fatalf("description of a group created without one: %v", bare)
	}

	list := catDo(t, e, "GET", epFilter+"/endpoint_groups", admin, nil, 200)["endpoint_groups"].([]any)
	if len(list) != 2 || !slices.ContainsFunc(list, func(x any) bool { return reflect.DeepEqual(x, any(g)) }) {
		t.Fatalf("list does not show the group as created: %v", list)
	}
	if ids := catIDs(t, catDo(t, e, "GET", epFilter+"/endpoint_groups?name=bare", admin, nil, 200), "endpoint_groups"); len(ids) != 1 || ids[0] != bare["id"] {
		t.Fatalf("name filter: %v", ids)
	}
	shown := catMember(t, catDo(t, e, "GET", epFilter+"/endpoint_groups/"+id, admin, nil, 200), "endpoint_group")
	if !reflect.DeepEqual(shown, g) {
		t.Fatalf("show %v, created %v", shown, g)
	}
	if r := e.Do(t, "HEAD", epFilter+"/endpoint_groups/"+id, admin, nil); r.Status != 200 || len(r.Raw) != 0 {
		t.Fatalf("HEAD: %d %q", r.Status, r.Raw)
	}

	upd := catMember(t, catDo(t, e, "PATCH", epFilter+"/endpoint_groups/"+id, admin, map[string]any{"endpoint_group": map[string]any{
		"id": id, "name": "renamed", "description": nil, "filters": map[string]any{"service_id": "s1", "interface": "admin"}}}, 200), "endpoint_group")
	want := map[string]any{"service_id": "s1", "interface": "admin"}
	if upd["name"] != "renamed" || upd["description"] != nil || !reflect.DeepEqual(upd["filters"], want) {
		t.Fatalf("updated: %v", upd)
	}
	// An update may empty the filters (the group then selects every endpoint).
	upd = catMember(t, catDo(t, e, "PATCH", epFilter+"/endpoint_groups/"+id, admin, map[string]any{"endpoint_group": map[string]any{
		"filters": map[string]any{}}}, 200), "endpoint_group")
	if len(upd["filters"].(map[string]any)) != 0 || upd["name"] != "renamed" {
		t.Fatalf("emptied: %v", upd)
	}
	if ids := catIDs(t, catDo(t, e, "GET", epFilter+"/endpoint_groups/"+id+"/endpoints", admin, nil, 200), "endpoints"); len(ids) != 3 {
		t.Fatalf("a group without filters selects every endpoint, got %v", ids)
	}

	catDo(t, e, "DELETE", epFilter+"/endpoint_groups/"+id, admin, nil, 204)
	catDo(t, e, "GET", epFilter+"/endpoint_groups/"+id, admin, nil, 404)
}

// filterFixture is a catalog of two services and the project of a member.
type filterFixture struct {
	e                         *identitytest.Env
	admin                     string
	member                    *fixture
	computePublic, computeInt string
	imagePublic, computeSvc   string
}

func newFilterFixture(t *testing.T) *filterFixture {
	t.Helper()
	e := identitytest.Start(t, identitytest.Options{})
	f := &filterFixture{e: e, admin: e.AdminToken(t)}
	newEP := func(svc, iface, url string) string {
		return catMember(t, catDo(t, e, "POST", "/v3/endpoints", f.admin, map[string]any{"endpoint": map[string]any{
			"service_id": svc, "interface": iface, "url": url, "region_id": "RegionOne"}}, 201), "endpoint")["id"].(string)
	}
	newSvc := func(typ string) string {
		return catMember(t, catDo(t, e, "POST", "/v3/services", f.admin, map[string]any{"service": map[string]any{"type": typ, "name": typ}}, 201), "service")["id"].(string)
	}
	f.computeSvc = newSvc("compute")
	image := newSvc("image")
	f.computePublic = newEP(f.computeSvc, "public", "http://nova/$(project_id)s")
	f.computeInt = newEP(f.computeSvc, "internal", "http://nova-int")
	f.imagePublic = newEP(image, "public", "http://glance")
	f.member = newFixture(t, e, "filtered")
	return f
}

// catalogEndpoints maps the service types of the member's catalog to
// their endpoint ids.
func (f *filterFixture) catalogEndpoints(t *testing.T) map[string][]string {
	t.Helper()
	r := f.e.DoSubject(t, "GET", "/v3/auth/tokens", f.admin, f.member.token)
	if r.Status != 200 {
		t.Fatalf("validate: %d %s", r.Status, r.Raw)
	}
	out := map[string][]string{}
	for _, s := range r.Body["token"].(map[string]any)["catalog"].([]any) {
		svc := s.(map[string]any)
		ids := []string{}
		for _, ep := range svc["endpoints"].([]any) {
			ids = append(ids, ep.(map[string]any)["id"].(string))
		}
		sort.Strings(ids)
		out[svc["type"].(string)] = ids
	}
	return out
}

// TestEndpointFilterNarrowsCatalog associates a project with an endpoint
// and an endpoint group and checks the lists and the token catalog.
func TestEndpointFilterNarrowsCatalog(t *testing.T) {
	f := newFilterFixture(t)
	e, admin, p := f.e, f.admin, f.member.projectID
	ctx := context.Background()
	if cat := f.catalogEndpoints(t); len(cat) != 3 || len(cat["compute"]) != 2 {
		t.Fatalf("unfiltered catalog: %v", cat)
	}

	// A direct association, through gophercloud.
	c := e.Admin(t)
	if err := projectendpoints.Create(ctx, c, p, f.imagePublic).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	pages, err := projectendpoints.List(c, p).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	eps, _ := projectendpoints.ExtractEndpoints(pages)
	if len(eps) != 1 || eps[0].ID != f.imagePublic || eps[0].Region != "RegionOne" || eps[0].URL != "http://glance" {
		t.Fatalf("project endpoints: %+v", eps)
	}
	if r := e.Do(t, "HEAD", epFilter+"/projects/"+p+"/endpoints/"+f.imagePublic, admin, nil); r.Status != 204 {
		t.Fatalf("HEAD association: %d", r.Status)
	}
	if ids := catIDs(t, catDo(t, e, "GET", epFilter+"/endpoints/"+f.imagePublic+"/projects", admin, nil, 200), "projects"); len(ids) != 1 || ids[0] != p {
		t.Fatalf("projects of the endpoint: %v", ids)
	}
	if cat := f.catalogEndpoints(t); len(cat) != 1 || !slices.Equal(cat["image"], []string{f.imagePublic}) {
		t.Fatalf("catalog with one associated endpoint: %v", cat)
	}

	// An endpoint group selecting the public compute endpoint.
	g := catMember(t, catDo(t, e, "POST", epFilter+"/endpoint_groups", admin, map[string]any{"endpoint_group": map[string]any{
		"name": "compute-public", "filters": map[string]any{"service_id": f.computeSvc, "interface": "public"}}}, 201), "endpoint_group")
	gid := g["id"].(string)
	assoc := epFilter + "/endpoint_groups/" + gid + "/projects/" + p
	catDo(t, e, "PUT", assoc, admin, nil, 204)
	pg := catMember(t, catDo(t, e, "GET", assoc, admin, nil, 200), "project_endpoint_group")
	want := map[string]any{"endpoint_group_id": gid, "project_id": p,
		"links": map[string]any{"self": "/OS-EP-FILTER/endpoint_groups/" + gid + "/projects/" + p}}
	if !reflect.DeepEqual(pg, want) {
		t.Fatalf("association %v, want %v", pg, want)
	}
	if r := e.Do(t, "HEAD", assoc, admin, nil); r.Status != 200 {
		t.Fatalf("HEAD group association: %d", r.Status)
	}
	if ids := catIDs(t, catDo(t, e, "GET", epFilter+"/endpoint_groups/"+gid+"/endpoints", admin, nil, 200), "endpoints"); !slices.Equal(ids, []string{f.computePublic}) {
		t.Fatalf("endpoints of the group: %v", ids)
	}
	if ids := catIDs(t, catDo(t, e, "GET", epFilter+"/endpoint_groups/"+gid+"/projects", admin, nil, 200), "projects"); !slices.Equal(ids, []string{p}) {
		t.Fatalf("projects of the group: %v", ids)
	}
	if ids := catIDs(t, catDo(t, e, "GET", epFilter+"/projects/"+p+"/endpoint_groups", admin, nil, 200), "endpoint_groups"); !slices.Equal(ids, []string{gid}) {
		t.Fatalf("groups of the project: %v", ids)
	}
	both := []string{f.computePublic, f.imagePublic}
	sort.Strings(both)
	if ids := catIDs(t, catDo(t, e, "GET", epFilter+"/projects/"+p+"/endpoints", admin, nil, 200), "endpoints"); !slices.Equal(ids, both) {
		t.Fatalf("project endpoints, direct and by group: %v, want %v", ids, both)
	}
	cat := f.catalogEndpoints(t)
	if len(cat) != 2 || !slices.Equal(cat["compute"], []string{f.computePublic}) || !slices.Equal(cat["image"], []string{f.imagePublic}) {
		t.Fatalf("catalog with direct and group associations: %v", cat)
	}

	// Removing both associations restores the whole catalog.
	catDo(t, e, "DELETE", assoc, admin, nil, 204)
	if err := projectendpoints.Delete(ctx, c, p, f.imagePublic).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if cat := f.catalogEndpoints(t); len(cat) != 3 {
		t.Fatalf("catalog after removing the associations: %v", cat)
	}
}

// TestEndpointFilterCleanup checks that deleting an endpoint, an
// endpoint group or a project removes their associations.
func TestEndpointFilterCleanup(t *testing.T) {
	f := newFilterFixture(t)
	e, admin, p := f.e, f.admin, f.member.projectID
	catDo(t, e, "PUT", epFilter+"/projects/"+p+"/endpoints/"+f.computeInt, admin, nil, 204)
	gid := catMember(t, catDo(t, e, "POST", epFilter+"/endpoint_groups", admin, map[string]any{"endpoint_group": map[string]any{
		"name": "g", "filters": map[string]any{"interface": "public"}}}, 201), "endpoint_group")["id"].(string)
	catDo(t, e, "PUT", epFilter+"/endpoint_groups/"+gid+"/projects/"+p, admin, nil, 204)

	catDo(t, e, "DELETE", "/v3/endpoints/"+f.computeInt, admin, nil, 204)
	catDo(t, e, "DELETE", epFilter+"/endpoint_groups/"+gid, admin, nil, 204)
	for _, table := range []string{"identity_project_endpoints", "identity_project_endpoint_groups"} {
		if n := catRows(t, e, table); n != 0 {
			t.Fatalf("%s still has %d rows", table, n)
		}
	}
	if cat := f.catalogEndpoints(t); len(cat) != 3 {
		t.Fatalf("catalog after the associated endpoint and group went: %v", cat)
	}
}

// TestEndpointFilterBadInput checks the refused OS-EP-FILTER requests.
func TestEndpointFilterBadInput(t *testing.T) {
	f := newFilterFixture(t)
	e, admin, p := f.e, f.admin, f.member.projectID
	gid := catMember(t, catDo(t, e, "POST", epFilter+"/endpoint_groups", admin, map[string]any{"endpoint_group": map[string]any{
		"name": "g", "filters": map[string]any{"interface": "public"}}}, 201), "endpoint_group")["id"].(string)
	catDo(t, e, "PUT", epFilter+"/endpoint_groups/"+gid+"/projects/"+p, admin, nil, 204)
	catDo(t, e, "PUT", epFilter+"/projects/"+p+"/endpoints/"+f.imagePublic, admin, nil, 204)
	g := func(body map[string]any) map[string]any { return map[string]any{"endpoint_group": body} }
	groups := epFilter + "/endpoint_groups"
	member := f.member.token

	expectCatalogRefusals(t, e, []catRefusal{
		{"group without name", "POST", groups, admin, g(map[string]any{"filters": map[string]any{"interface": "public"}}), 400, "'name' is a required property"},
		{"group without filters", "POST", groups, admin, g(map[string]any{"name": "x"}), 400, "'filters' is a required property"},
		{"group with empty filters", "POST", groups, admin, g(map[string]any{"name": "x", "filters": map[string]any{}}), 400,
			"filters field is required and cannot be empty"},
		{"group with bad filter key", "POST", groups, admin, g(map[string]any{"name": "x", "filters": map[string]any{"url": "http://x"}}), 400,
			"Expecting to find service_id or region_id or interface in endpoint_group."},
		{"group with filter of wrong type", "POST", groups, admin, g(map[string]any{"name": "x", "filters": map[string]any{"interface": 1}}), 400, "filters/interface"},
		{"group with filters not an object", "POST", groups, admin, g(map[string]any{"name": "x", "filters": "interface=public"}), 400, "filters"},
		{"group with null filters", "POST", groups, admin, g(map[string]any{"name": "x", "filters": nil}), 400, "None is not of type 'object'"},
		{"group with empty name", "POST", groups, admin, g(map[string]any{"name": "", "filters": map[string]any{"interface": "public"}}), 400, "name"},
		{"group with unknown attribute", "POST", groups, admin, g(map[string]any{"name": "x", "filters": map[string]any{"interface": "public"}, "color": "red"}), 400, "color"},
		{"group body missing", "POST", groups, admin, map[string]any{}, 400, "endpoint_group"},
		{"group update without attributes", "PATCH", groups + "/" + gid, admin, g(map[string]any{}), 400, "does not have enough properties"},
		{"group update with bad filter", "PATCH", groups + "/" + gid, admin, g(map[string]any{"filters": map[string]any{"enabled": "true"}}), 400, "Expecting to find"},
		{"group update changes id", "PATCH", groups + "/" + gid, admin, g(map[string]any{"id": "other"}), 400, "Cannot change ID"},
		{"group update unknown", "PATCH", groups + "/nope", admin, g(map[string]any{"name": "x"}), 404, "Could not find Endpoint Group: nope."},
		{"group show unknown", "GET", groups + "/nope", admin, nil, 404, "Could not find Endpoint Group: nope."},
		{"group delete unknown", "DELETE", groups + "/nope", admin, nil, 404, "Could not find Endpoint Group: nope."},
		{"group endpoints of unknown", "GET", groups + "/nope/endpoints", admin, nil, 404, "Could not find Endpoint Group: nope."},
		{"associate unknown project", "PUT", groups + "/" + gid + "/projects/nope", admin, nil, 404, "Could not find project: nope."},
		{"associate unknown group", "PUT", groups + "/nope/projects/" + p, admin, nil, 404, "Could not find Endpoint Group: nope."},
		{"associate group twice", "PUT", groups + "/" + gid + "/projects/" + p, admin, nil, 409,
			"Conflict occurred attempting to store project_endpoint_group - Duplicate entry."},
		{"absent group association", "GET", groups + "/" + gid + "/projects/" + e.AdminProjectID, admin, nil, 404, "Endpoint Group Project Association not found"},
		{"remove absent group association", "DELETE", groups + "/" + gid + "/projects/" + e.AdminProjectID, admin, nil, 404, "Endpoint Group Project Association not found"},
		{"groups of unknown project", "GET", epFilter + "/projects/nope/endpoint_groups", admin, nil, 404, "Could not find project: nope."},
		{"endpoints of unknown project", "GET", epFilter + "/projects/nope/endpoints", admin, nil, 404, "Could not find project: nope."},
		{"projects of unknown endpoint", "GET", epFilter + "/endpoints/nope/projects", admin, nil, 404, "Could not find endpoint: nope."},
		{"associate unknown endpoint", "PUT", epFilter + "/projects/" + p + "/endpoints/nope", admin, nil, 404, "Could not find endpoint: nope."},
		{"associate endpoint with unknown project", "PUT", epFilter + "/projects/nope/endpoints/" + f.imagePublic, admin, nil, 404, "Could not find project: nope."},
		{"associate endpoint twice", "PUT", epFilter + "/projects/" + p + "/endpoints/" + f.imagePublic, admin, nil, 409,
			"Conflict occurred attempting to store project_endpoint - Duplicate entry."},
		{"absent endpoint association", "GET", epFilter + "/projects/" + p + "/endpoints/" + f.computeInt, admin, nil, 404,
			"Endpoint " + f.computeInt + " not found in project " + p},
		{"remove absent endpoint association", "DELETE", epFilter + "/projects/" + p + "/endpoints/nope", admin, nil, 404,
			"Endpoint nope not found in project " + p},
		{"member lists groups", "GET", groups, member, nil, 403, ""},
		{"member creates a group", "POST", groups, member, g(map[string]any{"name": "x", "filters": map[string]any{"interface": "public"}}), 403, ""},
		{"member associates a group", "PUT", groups + "/" + gid + "/projects/" + e.AdminProjectID, member, nil, 403, ""},
		{"member removes a group", "DELETE", groups + "/" + gid + "/projects/" + p, member, nil, 403, ""},
		{"member lists own endpoints", "GET", epFilter + "/projects/" + p + "/endpoints", member, nil, 403, ""},
		{"member associates an endpoint", "PUT", epFilter + "/projects/" + p + "/endpoints/" + f.computeInt, member, nil, 403, ""},
		{"member removes an endpoint", "DELETE", epFilter + "/projects/" + p + "/endpoints/" + f.imagePublic, member, nil, 403, ""},
	})
}
