package identity_test

import (
	"context"
	"slices"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/regions"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

// TestRegionsGophercloud drives the region API through gophercloud.
func TestRegionsGophercloud(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	c := e.Admin(t)
	ctx := context.Background()

	parent, err := regions.Create(ctx, c, regions.CreateOpts{ID: "Europe", Description: "EU",
		Extra: map[string]any{"email": "ops@example.org"}}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if parent.ID != "Europe" || parent.Description != "EU" || parent.ParentRegionID != "" || parent.Extra["email"] != "ops@example.org" {
		t.Fatalf("created %+v", parent)
	}
	child, err := regions.Create(ctx, c, regions.CreateOpts{Description: "Paris", ParentRegionID: "Europe"}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if len(child.ID) != 32 || child.ParentRegionID != "Europe" {
		t.Fatalf("generated child %+v", child)
	}
	got, err := regions.Get(ctx, c, child.ID).Extract()
	if err != nil || got.Description != "Paris" || got.Links["self"] != e.URL+"/v3/regions/"+child.ID {
		t.Fatalf("get: %+v %v", got, err)
	}

	pages, err := regions.List(c, regions.ListOpts{ParentRegionID: "Europe"}).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	list, _ := regions.ExtractRegions(pages)
	if len(list) != 1 || list[0].ID != child.ID {
		t.Fatalf("children of Europe: %+v", list)
	}
	pages, _ = regions.List(c, nil).AllPages(ctx)
	list, _ = regions.ExtractRegions(pages)
	if len(list) != 3 {
		t.Fatalf("all regions (RegionOne, Europe, child): %+v", list)
	}

	desc := "Île-de-France"
	updated, err := regions.Update(ctx, c, child.ID, regions.UpdateOpts{Description: &desc, ParentRegionID: "RegionOne"}).Extract()
	if err != nil || updated.Description != desc || updated.ParentRegionID != "RegionOne" {
		t.Fatalf("update: %+v %v", updated, err)
	}

	if err := regions.Delete(ctx, c, child.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if _, err := regions.Get(ctx, c, child.ID).Extract(); catStatus(err) != 404 {
		t.Fatalf("deleted region: %v", err)
	}
}

// TestRegionShapes checks the wire form of regions: keys, nulls, PUT
// create, extras and the update rules.
func TestRegionShapes(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)

	body := catDo(t, e, "PUT", "/v3/regions/West", admin, map[string]any{"region": map[string]any{"foo-bar": 1}}, 201)
	west := catMember(t, body, "region")
	catSameKeys(t, west, "id", "description", "parent_region_id", "links", "foo_bar")
	if west["id"] != "West" || west["description"] != "" || west["parent_region_id"] != nil {
		t.Fatalf("PUT region: %v", west)
	}
	shown := catMember(t, catDo(t, e, "GET", "/v3/regions/West", admin, nil, 200), "region")
	if shown["foo_bar"] != float64(1) || shown["links"].(map[string]any)["self"] != e.URL+"/v3/regions/West" {
		t.Fatalf("shown: %v", shown)
	}

	// A PUT body may repeat the path's id.
	catDo(t, e, "PUT", "/v3/regions/East", admin, map[string]any{"region": map[string]any{"id": "East", "parent_region_id": "West"}}, 201)
	// POST with an empty id generates one.
	gen := catMember(t, catDo(t, e, "POST", "/v3/regions", admin, map[string]any{"region": map[string]any{"id": ""}}, 201), "region")
	if len(gen["id"].(string)) != 32 {
		t.Fatalf("generated id: %v", gen)
	}

	// Update: description null becomes "", parent null detaches, extras merge.
	upd := catMember(t, catDo(t, e, "PATCH", "/v3/regions/East", admin, map[string]any{"region": map[string]any{
		"description": nil, "parent_region_id": nil, "color": "blue"}}, 200), "region")
	if upd["description"] != "" || upd["parent_region_id"] != nil || upd["color"] != "blue" {
		t.Fatalf("updated: %v", upd)
	}
	upd = catMember(t, catDo(t, e, "PATCH", "/v3/regions/East", admin, map[string]any{"region": map[string]any{"id": "East", "description": "d"}}, 200), "region")
	if upd["color"] != "blue" || upd["description"] != "d" {
		t.Fatalf("extras lost on update: %v", upd)
	}

	// Everyone may read regions.
	f := newFixture(t, e, "regionreader")
	ids := catIDs(t, catDo(t, e, "GET", "/v3/regions", f.token, nil, 200), "regions")
	if !slices.Contains(ids, "West") || !slices.Contains(ids, "RegionOne") {
		t.Fatalf("regions seen by a member: %v", ids)
	}
}

// TestRegionDeleteTree checks that deleting a region removes its child
// regions, and is refused while the subtree has endpoints.
func TestRegionDeleteTree(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	catDo(t, e, "PUT", "/v3/regions/Top", admin, map[string]any{"region": map[string]any{}}, 201)
	catDo(t, e, "PUT", "/v3/regions/Mid", admin, map[string]any{"region": map[string]any{"parent_region_id": "Top"}}, 201)
	catDo(t, e, "PUT", "/v3/regions/Leaf", admin, map[string]any{"region": map[string]any{"parent_region_id": "Mid"}}, 201)
	svc := catMember(t, catDo(t, e, "POST", "/v3/services", admin, map[string]any{"service": map[string]any{"type": "compute"}}, 201), "service")
	ep := catMember(t, catDo(t, e, "POST", "/v3/endpoints", admin, map[string]any{"endpoint": map[string]any{
		"service_id": svc["id"], "interface": "public", "url": "http://leaf", "region_id": "Leaf"}}, 201), "endpoint")

	expectCatalogRefusals(t, e, []catRefusal{
		{"delete top with endpoint below", "DELETE", "/v3/regions/Top", admin, nil, 403,
			"Unable to delete region Top because it or its child regions have associated endpoints."},
		{"delete leaf with endpoint", "DELETE", "/v3/regions/Leaf", admin, nil, 403, "Leaf"},
	})
	catDo(t, e, "DELETE", "/v3/endpoints/"+ep["id"].(string), admin, nil, 204)
	catDo(t, e, "DELETE", "/v3/regions/Top", admin, nil, 204)
	for _, id := range []string{"Top", "Mid", "Leaf"} {
		catDo(t, e, "GET", "/v3/regions/"+id, admin, nil, 404)
	}
}

// TestRegionBadInput checks the refused region requests.
func TestRegionBadInput(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	catDo(t, e, "PUT", "/v3/regions/A", admin, map[string]any{"region": map[string]any{}}, 201)
	catDo(t, e, "PUT", "/v3/regions/B", admin, map[string]any{"region": map[string]any{"parent_region_id": "A"}}, 201)
	catDo(t, e, "PUT", "/v3/regions/C", admin, map[string]any{"region": map[string]any{"parent_region_id": "B"}}, 201)
	f := newFixture(t, e, "regionmember")
	r := func(body map[string]any) map[string]any { return map[string]any{"region": body} }

	expectCatalogRefusals(t, e, []catRefusal{
		{"duplicate id by POST", "POST", "/v3/regions", admin, r(map[string]any{"id": "A"}), 409,
			"Conflict occurred attempting to store region - Duplicate ID, A.."},
		{"duplicate id by PUT", "PUT", "/v3/regions/RegionOne", admin, r(map[string]any{}), 409, "Duplicate ID, RegionOne"},
		{"unknown parent", "POST", "/v3/regions", admin, r(map[string]any{"parent_region_id": "nope"}), 404, "Could not find region: nope."},
		{"unknown parent by PUT", "PUT", "/v3/regions/Z", admin, r(map[string]any{"parent_region_id": "nope"}), 404, "Could not find region: nope."},
		{"PUT id differs from path", "PUT", "/v3/regions/Z", admin, r(map[string]any{"id": "Y"}), 400, `Conflicting region IDs specified: "Z" != "Y"`},
		{"id of wrong type", "POST", "/v3/regions", admin, r(map[string]any{"id": 5}), 400, "id"},
		{"null id", "POST", "/v3/regions", admin, r(map[string]any{"id": nil}), 400, "None is not of type 'string'"},
		{"description of wrong type", "POST", "/v3/regions", admin, r(map[string]any{"description": true}), 400, "description"},
		{"parent of wrong type", "POST", "/v3/regions", admin, r(map[string]any{"parent_region_id": 3}), 400, "parent_region_id"},
		{"missing wrapper", "POST", "/v3/regions", admin, map[string]any{"regio": map[string]any{}}, 400, "Expecting to find region"},
		{"malformed JSON", "POST", "/v3/regions", admin, `{"region": {`, 400, ""},
		{"cycle through child", "PATCH", "/v3/regions/A", admin, r(map[string]any{"parent_region_id": "C"}), 400,
			"The specified parent region A would create a circular region hierarchy."},
		{"own parent", "PATCH", "/v3/regions/A", admin, r(map[string]any{"parent_region_id": "A"}), 400, "circular"},
		{"update to unknown parent", "PATCH", "/v3/regions/A", admin, r(map[string]any{"parent_region_id": "nope"}), 404, "Could not find region: nope."},
		{"update without attributes", "PATCH", "/v3/regions/A", admin, r(map[string]any{}), 400, "does not have enough properties"},
		{"update changes id", "PATCH", "/v3/regions/A", admin, r(map[string]any{"id": "X"}), 400, "Cannot change ID"},
		{"update unknown region", "PATCH", "/v3/regions/nope", admin, r(map[string]any{"description": "x"}), 404, "Could not find region: nope."},
		{"show unknown region", "GET", "/v3/regions/nope", admin, nil, 404, "Could not find region: nope."},
		{"delete unknown region", "DELETE", "/v3/regions/nope", admin, nil, 404, "Could not find region: nope."},
		{"member creates", "POST", "/v3/regions", f.token, r(map[string]any{"id": "M"}), 403, ""},
		{"member puts", "PUT", "/v3/regions/M", f.token, r(map[string]any{}), 403, ""},
		{"member updates", "PATCH", "/v3/regions/A", f.token, r(map[string]any{"description": "x"}), 403, ""},
		{"member deletes", "DELETE", "/v3/regions/C", f.token, nil, 403, ""},
		{"no token", "GET", "/v3/regions", "", nil, 401, ""},
	})
}
