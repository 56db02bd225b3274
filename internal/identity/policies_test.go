package identity_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/policies"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

// TestPolicyBlobsGophercloud drives the v3 policy API through gophercloud.
func TestPolicyBlobsGophercloud(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	c := e.Admin(t)
	ctx := context.Background()

	blob := `{"compute:get": ""}`
	p, err := policies.Create(ctx, c, policies.CreateOpts{Type: "application/json", Blob: []byte(blob),
		Extra: map[string]any{"description": "nova rules"}}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if p.Blob != blob || p.Type != "application/json" || p.Extra["description"] != "nova rules" || p.Links["self"] != e.URL+"/v3/policies/"+p.ID {
		t.Fatalf("created %+v", p)
	}
	if _, err := policies.Create(ctx, c, policies.CreateOpts{Type: "text/yaml", Blob: []byte("a: b")}).Extract(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		opts policies.ListOpts
		want int
	}{{policies.ListOpts{}, 2}, {policies.ListOpts{Type: "text/yaml"}, 1},
		{policies.ListOpts{Filters: map[string]string{"type__startswith": "application"}}, 1}} {
		pages, err := policies.List(c, tc.opts).AllPages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		list, _ := policies.ExtractPolicies(pages)
		if len(list) != tc.want {
			t.Fatalf("list %+v: %d policies, want %d", tc.opts, len(list), tc.want)
		}
	}
	upd, err := policies.Update(ctx, c, p.ID, policies.UpdateOpts{Type: "text/json", Extra: map[string]any{"owner": "ops"}}).Extract()
	if err != nil || upd.Type != "text/json" || upd.Blob != blob || upd.Extra["owner"] != "ops" || upd.Extra["description"] != "nova rules" {
		t.Fatalf("update: %+v %v", upd, err)
	}
	got, err := policies.Get(ctx, c, p.ID).Extract()
	if err != nil || got.Type != "text/json" {
		t.Fatalf("get: %+v %v", got, err)
	}
	if err := policies.Delete(ctx, c, p.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if _, err := policies.Get(ctx, c, p.ID).Extract(); catStatus(err) != 404 {
		t.Fatalf("deleted policy: %v", err)
	}
}

// TestPolicyBlobShape checks the wire form of a policy.
func TestPolicyBlobShape(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	p := catMember(t, catDo(t, e, "POST", "/v3/policies", admin, map[string]any{"policy": map[string]any{
		"blob": "x", "type": "", "id": "ignored"}}, 201), "policy")
	catSameKeys(t, p, "id", "blob", "type", "links")
	if p["id"] == "ignored" || p["type"] != "" {
		t.Fatalf("created: %v", p)
	}
	id := p["id"].(string)
	upd := catMember(t, catDo(t, e, "PATCH", "/v3/policies/"+id, admin, map[string]any{"policy": map[string]any{"id": id, "blob": "y"}}, 200), "policy")
	if upd["blob"] != "y" {
		t.Fatalf("updated: %v", upd)
	}
}

// TestPolicyBlobBadInput checks the refused policy requests.
func TestPolicyBlobBadInput(t *testing.T) {
	e := identitytest.Start(t, identitytest.Options{})
	admin := e.AdminToken(t)
	id := catMember(t, catDo(t, e, "POST", "/v3/policies", admin, map[string]any{"policy": map[string]any{"blob": "x", "type": "t"}}, 201), "policy")["id"].(string)
	f := newFixture(t, e, "policymember")
	p := func(body map[string]any) map[string]any { return map[string]any{"policy": body} }

	expectCatalogRefusals(t, e, []catRefusal{
		{"missing blob", "POST", "/v3/policies", admin, p(map[string]any{"type": "t"}), 400, "'blob' is a required property"},
		{"missing type", "POST", "/v3/policies", admin, p(map[string]any{"blob": "b"}), 400, "'type' is a required property"},
		{"blob not a string", "POST", "/v3/policies", admin, p(map[string]any{"blob": map[string]any{"a": "b"}, "type": "t"}), 400, "blob"},
		{"null type", "POST", "/v3/policies", admin, p(map[string]any{"blob": "b", "type": nil}), 400, "None is not of type 'string'"},
		{"type too long", "POST", "/v3/policies", admin, p(map[string]any{"blob": "b", "type": strings.Repeat("t", 256)}), 400, "too long"},
		{"missing wrapper", "POST", "/v3/policies", admin, map[string]any{"blob": "b"}, 400, "Expecting to find policy"},
		{"update without attributes", "PATCH", "/v3/policies/" + id, admin, p(map[string]any{}), 400, "does not have enough properties"},
		{"update changes id", "PATCH", "/v3/policies/" + id, admin, p(map[string]any{"id": "x"}), 400, "Cannot change policy ID"},
		{"update null blob", "PATCH", "/v3/policies/" + id, admin, p(map[string]any{"blob": nil}), 400, "blob"},
		{"update unknown", "PATCH", "/v3/policies/nope", admin, p(map[string]any{"type": "x"}), 404, "Could not find policy: nope."},
		{"show unknown", "GET", "/v3/policies/nope", admin, nil, 404, "Could not find policy: nope."},
		{"delete unknown", "DELETE", "/v3/policies/nope", admin, nil, 404, "Could not find policy: nope."},
		{"member lists", "GET", "/v3/policies", f.token, nil, 403, ""},
		{"member creates", "POST", "/v3/policies", f.token, p(map[string]any{"blob": "b", "type": "t"}), 403, ""},
		{"member deletes", "DELETE", "/v3/policies/" + id, f.token, nil, 403, ""},
	})
}
