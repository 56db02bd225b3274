package identity_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/endpoints"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/regions"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/services"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

// TestEndpointsGophercloud drives the endpoint API through gophercloud,
// including the legacy "region" attribute that creates its region.
func TestEndpointsGophercloud(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	c := e.Admin(t)
	ctx := context.Background()
	svc, err := services.Create(ctx, c, services.CreateOpts{Type: "compute", Name: "nova"}).Extract()
	if err != nil {
		t.Fatal(err)
	}

	ep, err := endpoints.Create(ctx, c, endpoints.CreateOpts{Availability: gophercloud.AvailabilityPublic, Name: "nova-public",
		Region: "RegionTwo", URL: "http://nova:8774/v2.1/$(project_id)s", ServiceID: svc.ID}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if ep.Region != "RegionTwo" || ep.RegionID != "RegionTwo" || !ep.Enabled || ep.Name != "nova-public" || ep.ServiceID != svc.ID {
		t.Fatalf("created %+v", ep)
	}
	if _, err := regions.Get(ctx, c, "RegionTwo").Extract(); err != nil {
		t.Fatalf("the legacy region was not created: %v", err)
	}
	if _, err := endpoints.Create(ctx, c, endpoints.CreateOpts{Availability: gophercloud.AvailabilityInternal,
		Region: "RegionOne", URL: "http://nova-internal", ServiceID: svc.ID}).Extract(); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		opts endpoints.ListOpts
		want int
	}{{endpoints.ListOpts{ServiceID: svc.ID}, 2}, {endpoints.ListOpts{Availability: gophercloud.AvailabilityInternal}, 2},
		{endpoints.ListOpts{ServiceID: svc.ID, RegionID: "RegionTwo"}, 1}, {endpoints.ListOpts{}, 5}} {
		pages, err := endpoints.List(c, tc.opts).AllPages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		list, _ := endpoints.ExtractEndpoints(pages)
		if len(list) != tc.want {
			t.Fatalf("list %+v: %d endpoints, want %d", tc.opts, len(list), tc.want)
		}
	}

	off := false
	upd, err := endpoints.Update(ctx, c, ep.ID, endpoints.UpdateOpts{Availability: gophercloud.AvailabilityAdmin,
		Region: "RegionThree", URL: "https://nova", Enabled: &off}).Extract()
	if err != nil || upd.Availability != gophercloud.AvailabilityAdmin || upd.Region != "RegionThree" || upd.URL != "https://nova" || upd.Enabled {
		t.Fatalf("update: %+v %v", upd, err)
	}
	if err := endpoints.Delete(ctx, c, ep.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if err := endpoints.Delete(ctx, c, ep.ID).ExtractErr(); catStatus(err) != 404 {
		t.Fatalf("second delete: %v", err)
	}
}

// TestEndpointShapes checks the wire form of an endpoint.
func TestEndpointShapes(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	svcID := catMember(t, catDo(t, e, "POST", "/v3/services", admin, map[string]any{"service": map[string]any{"type": "dns"}}, 201), "service")["id"].(string)

	ep := catMember(t, catDo(t, e, "POST", "/v3/endpoints", admin, map[string]any{"endpoint": map[string]any{
		"service_id": svcID, "interface": "internal", "url": "http://dns/%(tenant_id)s/$(user_id)s", "enabled": false, "x:y": 1}}, 201), "endpoint")
	catSameKeys(t, ep, "id", "interface", "region_id", "region", "service_id", "url", "enabled", "links", "x_y")
	if ep["region_id"] != nil || ep["region"] != nil || ep["enabled"] != false {
		t.Fatalf("created: %v", ep)
	}
	id := ep["id"].(string)
	if self := ep["links"].(map[string]any)["self"]; self != e.URL+"/v3/endpoints/"+id {
		t.Fatalf("self link %v", self)
	}
	upd := catMember(t, catDo(t, e, "PATCH", "/v3/endpoints/"+id, admin, map[string]any{"endpoint": map[string]any{
		"region_id": "RegionOne", "id": id}}, 200), "endpoint")
	if upd["region_id"] != "RegionOne" || upd["region"] != "RegionOne" || upd["x_y"] != float64(1) || upd["url"] != ep["url"] {
		t.Fatalf("updated: %v", upd)
	}
	shown := catMember(t, catDo(t, e, "GET", "/v3/endpoints/"+id, admin, nil, 200), "endpoint")
	if shown["region_id"] != "RegionOne" || shown["enabled"] != false {
		t.Fatalf("shown: %v", shown)
	}
	// The disabled endpoint is left out of the token catalog; its service
	// stays, without endpoints, as upstream shows it.
	for _, svc := range catalogOf(t, e, admin) {
		if svc["id"] == svcID && len(svc["endpoints"].([]any)) != 0 {
			t.Fatalf("a disabled endpoint shows in the catalog: %v", svc)
		}
	}
}

// catalogOf is the catalog of the token.
func catalogOf(t *testing.T, e *identitytest.Env, token string) []map[string]any {
	t.Helper()
	r := e.DoSubject(t, "GET", "/v3/auth/tokens", token, token)
	if r.Status != 200 {
		t.Fatalf("validate: %d %s", r.Status, r.Raw)
	}
	var out []map[string]any
	for _, s := range r.Body["token"].(map[string]any)["catalog"].([]any) {
		out = append(out, s.(map[string]any))
	}
	return out
}

// TestEndpointBadInput checks the refused endpoint requests.
func TestEndpointBadInput(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	svcID := catMember(t, catDo(t, e, "POST", "/v3/services", admin, map[string]any{"service": map[string]any{"type": "dns"}}, 201), "service")["id"].(string)
	epID := catMember(t, catDo(t, e, "POST", "/v3/endpoints", admin, map[string]any{"endpoint": map[string]any{
		"service_id": svcID, "interface": "public", "url": "http://dns"}}, 201), "endpoint")["id"].(string)
	f := newFixture(t, e, "endpointmember")
	ok := func(change map[string]any) map[string]any {
		b := map[string]any{"service_id": svcID, "interface": "public", "url": "http://x", "region": "NewRegion"}
		for k, v := range change {
			if v == nil {
				delete(b, k)
			} else {
				b[k] = v
			}
		}
		return map[string]any{"endpoint": b}
	}
	upd := func(b map[string]any) map[string]any { return map[string]any{"endpoint": b} }
	const validation = "The server could not comply with the request since it is either malformed or otherwise incorrect."

	expectCatalogRefusals(t, e, []catRefusal{
		{"enabled 'False'", "POST", "/v3/endpoints", admin, ok(map[string]any{"enabled": "False"}), 400, "enabled"},
		{"enabled 'True'", "POST", "/v3/endpoints", admin, ok(map[string]any{"enabled": "True"}), 400, "enabled"},
		{"missing interface", "POST", "/v3/endpoints", admin, ok(map[string]any{"interface": nil}), 400, "'interface' is a required property"},
		{"missing service", "POST", "/v3/endpoints", admin, ok(map[string]any{"service_id": nil}), 400, "'service_id' is a required property"},
		{"missing url", "POST", "/v3/endpoints", admin, ok(map[string]any{"url": nil}), 400, "'url' is a required property"},
		{"bad interface", "POST", "/v3/endpoints", admin, ok(map[string]any{"interface": "private"}), 400,
			"'private' is not one of ['admin', 'internal', 'public']"},
		{"url without scheme", "POST", "/v3/endpoints", admin, ok(map[string]any{"url": "nova"}), 400, "does not match"},
		{"url too long", "POST", "/v3/endpoints", admin, ok(map[string]any{"url": "http://" + strings.Repeat("a", 220)}), 400, "too long"},
		{"unknown substitution", "POST", "/v3/endpoints", admin, ok(map[string]any{"url": "http://x/$(tenant)s"}), 400,
			"Cannot create an endpoint with an invalid URL: http://x/$(tenant)s."},
		{"numeric conversion", "POST", "/v3/endpoints", admin, ok(map[string]any{"url": "http://x/%(project_id)d"}), 400, "invalid URL"},
		{"stray percent", "POST", "/v3/endpoints", admin, ok(map[string]any{"url": "http://x/100%"}), 400, "invalid URL"},
		{"unknown service", "POST", "/v3/endpoints", admin, ok(map[string]any{"service_id": "nope"}), 400,
			"Expecting to find endpoint service_id in service table. " + validation},
		{"unknown region_id", "POST", "/v3/endpoints", admin, ok(map[string]any{"region_id": "nope"}), 400,
			"Expecting to find endpoint region_id in region table. " + validation},
		{"null url", "POST", "/v3/endpoints", admin, upd(map[string]any{"service_id": svcID, "interface": "public", "url": nil}), 400,
			"Invalid input for field 'url': None is not of type 'string'."},
		{"url of wrong type", "POST", "/v3/endpoints", admin, ok(map[string]any{"url": 5}), 400, "url"},
		{"update without attributes", "PATCH", "/v3/endpoints/" + epID, admin, upd(map[string]any{}), 400, "does not have enough properties"},
		{"update enabled 'False'", "PATCH", "/v3/endpoints/" + epID, admin, upd(map[string]any{"enabled": "False"}), 400, "enabled"},
		{"update null region_id", "PATCH", "/v3/endpoints/" + epID, admin, upd(map[string]any{"region_id": nil}), 400, "None is not of type"},
		{"update unknown service", "PATCH", "/v3/endpoints/" + epID, admin, upd(map[string]any{"service_id": "nope"}), 400, "service_id"},
		{"update unknown region", "PATCH", "/v3/endpoints/" + epID, admin, upd(map[string]any{"region_id": "nope"}), 400, "region_id"},
		{"update changes id", "PATCH", "/v3/endpoints/" + epID, admin, upd(map[string]any{"id": "x"}), 400, "Cannot change ID"},
		{"update unknown", "PATCH", "/v3/endpoints/nope", admin, upd(map[string]any{"url": "http://y"}), 404, "Could not find endpoint: nope."},
		{"show unknown", "GET", "/v3/endpoints/nope", admin, nil, 404, "Could not find endpoint: nope."},
		{"delete unknown", "DELETE", "/v3/endpoints/nope", admin, nil, 404, "Could not find endpoint: nope."},
		{"member lists", "GET", "/v3/endpoints", f.token, nil, 403, ""},
		{"member creates", "POST", "/v3/endpoints", f.token, ok(nil), 403, ""},
		{"member updates", "PATCH", "/v3/endpoints/" + epID, f.token, upd(map[string]any{"url": "http://y"}), 403, ""},
		{"member deletes", "DELETE", "/v3/endpoints/" + epID, f.token, nil, 403, ""},
	})
}

// TestEndpointURLSubstitutions checks which URLs upstream's substitution
// check accepts.
func TestEndpointURLSubstitutions(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	svcID := catMember(t, catDo(t, e, "POST", "/v3/services", admin, map[string]any{"service": map[string]any{"type": "dns"}}, 201), "service")["id"].(string)
	for url, want := range map[string]int{
		"http://x/$(project_id)s":                     201,
		"http://x/%(tenant_id)s/%(user_id)s":          201,
		"http://$(public_bind_host)s:$(public_port)s": 201,
		"http://x/100%%":                              201,
		"http://x/%s":                                 201,
		"http://x/%(project_id)s/%s":                  400,
		"http://x/%20b":                               400,
		"http://x/$(project_id":                       400,
		"http://x/$(project_id)":                      400,
		"http://x/%(project_id)x":                     400,
	} {
		r := e.Do(t, "POST", "/v3/endpoints", admin, map[string]any{"endpoint": map[string]any{
			"service_id": svcID, "interface": "public", "url": url}})
		if r.Status != want {
			t.Errorf("%s: %d, want %d: %s", url, r.Status, want, r.Raw)
		}
	}
}
