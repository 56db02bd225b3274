package network_test

import "testing"

// scope creates an address scope as token and returns it.
func (e *env) scope(t testing.TB, token string, attrs map[string]any) map[string]any {
	t.Helper()
	return e.ok(t, 201, "POST", "/v2.0/address-scopes", token, map[string]any{"address_scope": attrs})["address_scope"].(map[string]any)
}

func TestAddressScopeCRUD(t *testing.T) {
	e := start(t)
	a := e.scope(t, e.member, map[string]any{"name": "s4", "ip_version": 4})
	want := map[string]any{"name": "s4", "ip_version": float64(4), "shared": false, "project_id": e.alpha, "tenant_id": e.alpha}
	for k, v := range want {
		if a[k] != v {
			t.Fatalf("created %s = %v, want %v: %v", k, a[k], v, a)
		}
	}
	if _, ok := a["description"]; ok {
		t.Fatalf("address scopes have no standard attributes: %v", a)
	}
	id := a["id"].(string)
	got := e.ok(t, 200, "GET", "/v2.0/address-scopes/"+id, e.member, nil)["address_scope"].(map[string]any)
	if got["name"] != "s4" {
		t.Fatalf("show: %v", got)
	}
	up := e.ok(t, 200, "PUT", "/v2.0/address-scopes/"+id, e.member, map[string]any{"address_scope": map[string]any{"name": "renamed"}})
	if up["address_scope"].(map[string]any)["name"] != "renamed" {
		t.Fatalf("update: %v", up)
	}
	list := e.ok(t, 200, "GET", "/v2.0/address-scopes?name=renamed", e.member, nil)["address_scopes"].([]any)
	if len(list) != 1 {
		t.Fatalf("list: %v", list)
	}
	e.ok(t, 204, "DELETE", "/v2.0/address-scopes/"+id, e.member, nil)
	e.refused(t, 404, "AddressScopeNotFound", "Address scope "+id+" could not be found.", "GET", "/v2.0/address-scopes/"+id, e.member, nil)
}

func TestAddressScopeRefusals(t *testing.T) {
	e := start(t)
	shared := e.scope(t, e.admin, map[string]any{"name": "pub", "ip_version": 6, "shared": true})
	sid := shared["id"].(string)
	cases := []struct {
		name, method, path, token string
		body                      any
		status                    int
		typ, msg                  string
	}{
		{"ip_version required", "POST", "/v2.0/address-scopes", e.member, map[string]any{"address_scope": map[string]any{"name": "x"}},
			400, "HTTPBadRequest", "Failed to parse request. Required attribute 'ip_version' not specified"},
		{"ip_version 5", "POST", "/v2.0/address-scopes", e.member, map[string]any{"address_scope": map[string]any{"ip_version": 5}},
			400, "HTTPBadRequest", ""},
		{"member shares", "POST", "/v2.0/address-scopes", e.member, map[string]any{"address_scope": map[string]any{"ip_version": 4, "shared": true}},
			403, "PolicyNotAuthorized", "(rule:create_address_scope and rule:create_address_scope:shared) is disallowed by policy"},
		{"unshare", "PUT", "/v2.0/address-scopes/" + sid, e.admin, map[string]any{"address_scope": map[string]any{"shared": false}},
			400, "AddressScopeUpdateError", "Unable to update address scope " + sid + " : Shared address scope can't be unshared."},
		{"member updates shared", "PUT", "/v2.0/address-scopes/" + sid, e.member, map[string]any{"address_scope": map[string]any{"name": "mine"}},
			403, "PolicyNotAuthorized", "rule:update_address_scope is disallowed by policy"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.refused(t, c.status, c.typ, c.msg, c.method, c.path, c.token, c.body)
		})
	}
	// A member sees the shared scope, not another project's private one.
	beta, _ := e.project(t, "beta", "member")
	private := e.scope(t, beta, map[string]any{"ip_version": 4})
	e.refused(t, 404, "AddressScopeNotFound", "", "GET", "/v2.0/address-scopes/"+private["id"].(string), e.member, nil)
	list := e.ok(t, 200, "GET", "/v2.0/address-scopes", e.member, nil)["address_scopes"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["id"] != sid {
		t.Fatalf("member list: %v", list)
	}
}
