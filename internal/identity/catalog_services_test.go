package identity_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/services"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

// TestServicesGophercloud drives the service API through gophercloud.
func TestServicesGophercloud(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	c := e.Admin(t)
	ctx := context.Background()

	off := false
	svc, err := services.Create(ctx, c, services.CreateOpts{Type: "compute", Name: "nova", Description: "Compute",
		Enabled: &off, Extra: map[string]any{"owner": "ops"}}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if svc.Type != "compute" || svc.Name != "nova" || svc.Description != "Compute" || svc.Enabled || svc.Extra["owner"] != "ops" {
		t.Fatalf("created %+v", svc)
	}
	if _, err := services.Create(ctx, c, services.CreateOpts{Type: "volumev3", Name: "cinder"}).Extract(); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		opts services.ListOpts
		want int
	}{{services.ListOpts{}, 3}, {services.ListOpts{ServiceType: "compute"}, 1}, {services.ListOpts{Name: "cinder"}, 1},
		{services.ListOpts{Name: "keystone", ServiceType: "identity"}, 1}, {services.ListOpts{Name: "nova", ServiceType: "identity"}, 0}} {
		pages, err := services.List(c, tc.opts).AllPages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		list, _ := services.ExtractServices(pages)
		if len(list) != tc.want {
			t.Fatalf("list %+v: %d services, want %d", tc.opts, len(list), tc.want)
		}
	}

	name, desc, on := "nova2", "Compute v2", true
	upd, err := services.Update(ctx, c, svc.ID, services.UpdateOpts{Name: &name, Description: &desc, Enabled: &on}).Extract()
	if err != nil || upd.Name != "nova2" || upd.Description != "Compute v2" || !upd.Enabled || upd.Extra["owner"] != "ops" {
		t.Fatalf("update: %+v %v", upd, err)
	}
	got, err := services.Get(ctx, c, svc.ID).Extract()
	if err != nil || got.Name != "nova2" || got.Links["self"] != e.URL+"/v3/services/"+svc.ID {
		t.Fatalf("get: %+v %v", got, err)
	}
	if err := services.Delete(ctx, c, svc.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if _, err := services.Get(ctx, c, svc.ID).Extract(); catStatus(err) != 404 {
		t.Fatalf("deleted service: %v", err)
	}
}

// TestServiceShapes checks the wire form of services and that deleting
// a service deletes its endpoints.
func TestServiceShapes(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)

	svc := catMember(t, catDo(t, e, "POST", "/v3/services", admin, map[string]any{"service": map[string]any{
		"type": "image", "id": "ignored", "x-tag": "a"}}, 201), "service")
	catSameKeys(t, svc, "id", "type", "enabled", "name", "links", "x_tag")
	if svc["id"] == "ignored" || svc["name"] != "" || svc["enabled"] != true {
		t.Fatalf("created: %v", svc)
	}
	id := svc["id"].(string)
	shown := catMember(t, catDo(t, e, "GET", "/v3/services/"+id, admin, nil, 200), "service")
	if shown["x_tag"] != "a" || shown["links"].(map[string]any)["self"] != e.URL+"/v3/services/"+id {
		t.Fatalf("shown: %v", shown)
	}
	upd := catMember(t, catDo(t, e, "PATCH", "/v3/services/"+id, admin, map[string]any{"service": map[string]any{
		"id": id, "type": "image2", "description": 7}}, 200), "service")
	if upd["type"] != "image2" || upd["description"] != float64(7) || upd["x_tag"] != "a" {
		t.Fatalf("updated: %v", upd)
	}
	list := catDo(t, e, "GET", "/v3/services?type__startswith=ima", admin, nil, 200)
	if ids := catIDs(t, list, "services"); len(ids) != 1 || ids[0] != id {
		t.Fatalf("inexact type filter: %v", ids)
	}
	if !strings.HasSuffix(list["links"].(map[string]any)["self"].(string), "/v3/services?type__startswith=ima") {
		t.Fatalf("collection links: %v", list["links"])
	}

	ep := catMember(t, catDo(t, e, "POST", "/v3/endpoints", admin, map[string]any{"endpoint": map[string]any{
		"service_id": id, "interface": "public", "url": "http://glance"}}, 201), "endpoint")
	project := catMember(t, catDo(t, e, "POST", "/v3/projects", admin, map[string]any{"project": map[string]any{"name": "p"}}, 201), "project")
	catDo(t, e, "PUT", "/v3/OS-EP-FILTER/projects/"+project["id"].(string)+"/endpoints/"+ep["id"].(string), admin, nil, 204)
	catDo(t, e, "DELETE", "/v3/services/"+id, admin, nil, 204)
	catDo(t, e, "GET", "/v3/endpoints/"+ep["id"].(string), admin, nil, 404)
	projects := catDo(t, e, "GET", "/v3/OS-EP-FILTER/projects/"+project["id"].(string)+"/endpoints", admin, nil, 200)
	if ids := catIDs(t, projects, "endpoints"); len(ids) != 0 {
		t.Fatalf("association of a deleted endpoint survives: %v", ids)
	}
}

// TestServiceBadInput checks the refused service requests.
func TestServiceBadInput(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	id := catMember(t, catDo(t, e, "POST", "/v3/services", admin, map[string]any{"service": map[string]any{"type": "dns"}}, 201), "service")["id"].(string)
	f := newFixture(t, e, "servicemember")
	s := func(body map[string]any) map[string]any { return map[string]any{"service": body} }

	expectCatalogRefusals(t, e, []catRefusal{
		{"missing type", "POST", "/v3/services", admin, s(map[string]any{"name": "x"}), 400, "'type' is a required property"},
		{"null type", "POST", "/v3/services", admin, s(map[string]any{"type": nil}), 400, "None is not of type 'string'"},
		{"empty type", "POST", "/v3/services", admin, s(map[string]any{"type": ""}), 400, "too short"},
		{"long type", "POST", "/v3/services", admin, s(map[string]any{"type": strings.Repeat("t", 256)}), 400, "too long"},
		{"type of wrong type", "POST", "/v3/services", admin, s(map[string]any{"type": 1}), 400, "type"},
		{"empty name", "POST", "/v3/services", admin, s(map[string]any{"type": "x", "name": ""}), 400, "name"},
		{"blank name", "POST", "/v3/services", admin, s(map[string]any{"type": "x", "name": "  "}), 400, `does not match '[\S]+'`},
		{"enabled as string", "POST", "/v3/services", admin, s(map[string]any{"type": "x", "enabled": "True"}), 400, "enabled"},
		{"null enabled", "POST", "/v3/services", admin, s(map[string]any{"type": "x", "enabled": nil}), 400, "'boolean'"},
		{"missing wrapper", "POST", "/v3/services", admin, map[string]any{"type": "x"}, 400, "Expecting to find service"},
		{"update without attributes", "PATCH", "/v3/services/" + id, admin, s(map[string]any{}), 400, "does not have enough properties"},
		{"update changes id", "PATCH", "/v3/services/" + id, admin, s(map[string]any{"id": "other"}), 400, "Cannot change ID"},
		{"update empty type", "PATCH", "/v3/services/" + id, admin, s(map[string]any{"type": ""}), 400, "type"},
		{"update unknown", "PATCH", "/v3/services/nope", admin, s(map[string]any{"type": "x"}), 404, "Could not find service: nope."},
		{"show unknown", "GET", "/v3/services/nope", admin, nil, 404, "Could not find service: nope."},
		{"delete unknown", "DELETE", "/v3/services/nope", admin, nil, 404, "Could not find service: nope."},
		{"member lists", "GET", "/v3/services", f.token, nil, 403, ""},
		{"member creates", "POST", "/v3/services", f.token, s(map[string]any{"type": "x"}), 403, ""},
		{"member deletes", "DELETE", "/v3/services/" + id, f.token, nil, 403, ""},
	})
}
