package network_test

import (
	"slices"
	"testing"
)

// pool creates a subnet pool as token and returns it.
func (e *env) pool(t testing.TB, token string, attrs map[string]any) map[string]any {
	t.Helper()
	return e.ok(t, 201, "POST", "/v2.0/subnetpools", token, map[string]any{"subnetpool": attrs})["subnetpool"].(map[string]any)
}

func poolBody(attrs map[string]any) map[string]any { return map[string]any{"subnetpool": attrs} }

func TestSubnetPoolCreateDefaults(t *testing.T) {
	e := start(t)
	cases := []struct {
		name          string
		prefixes      []any
		extra         map[string]any
		want          []any
		ver           float64
		min, max, def string
	}{
		{"v4", []any{"10.0.0.0/16"}, nil, []any{"10.0.0.0/16"}, 4, "8", "32", "8"},
		{"v6", []any{"2001:db8::/48"}, nil, []any{"2001:db8::/48"}, 6, "64", "128", "64"},
		{"compacted", []any{"10.1.1.0/24", "10.1.0.0/24", "10.1.0.7/24"}, nil, []any{"10.1.0.0/23"}, 4, "8", "32", "8"},
		{"bounds", []any{"192.168.0.0/16"}, map[string]any{"min_prefixlen": 20, "max_prefixlen": 28}, []any{"192.168.0.0/16"}, 4, "20", "28", "20"},
		{"default", []any{"172.16.0.0/12"}, map[string]any{"default_prefixlen": 24}, []any{"172.16.0.0/12"}, 4, "8", "32", "24"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			attrs := map[string]any{"name": c.name, "prefixes": c.prefixes}
			for k, v := range c.extra {
				attrs[k] = v
			}
			p := e.pool(t, e.member, attrs)
			if !slices.Equal(p["prefixes"].([]any), c.want) || p["ip_version"] != c.ver || p["min_prefixlen"] != c.min ||
				p["max_prefixlen"] != c.max || p["default_prefixlen"] != c.def || p["default_quota"] != nil ||
				p["address_scope_id"] != nil || p["is_default"] != false || p["shared"] != false || p["project_id"] != e.alpha {
				t.Fatalf("created: %v", p)
			}
			got := e.ok(t, 200, "GET", "/v2.0/subnetpools/"+p["id"].(string), e.member, nil)["subnetpool"].(map[string]any)
			if got["min_prefixlen"] != c.min || got["revision_number"] != float64(0) {
				t.Fatalf("show: %v", got)
			}
		})
	}
	list := e.ok(t, 200, "GET", "/v2.0/subnetpools?min_prefixlen=20&fields=name", e.member, nil)["subnetpools"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["name"] != "bounds" {
		t.Fatalf("filtered list: %v", list)
	}
}

func TestSubnetPoolValidation(t *testing.T) {
	e := start(t)
	v4 := []any{"10.0.0.0/8"}
	cases := []struct {
		name   string
		attrs  map[string]any
		status int
		typ    string
		msg    string
	}{
		{"no name", map[string]any{"prefixes": v4}, 400, "HTTPBadRequest", "Failed to parse request. Required attribute 'name' not specified"},
		{"blank name", map[string]any{"name": " ", "prefixes": v4}, 400, "HTTPBadRequest", "Invalid input for name. Reason: ' ' Blank strings are not permitted."},
		{"no prefixes", map[string]any{"name": "p"}, 400, "HTTPBadRequest", "Failed to parse request. Required attribute 'prefixes' not specified"},
		{"empty prefixes", map[string]any{"name": "p", "prefixes": []any{}}, 400, "EmptySubnetPoolPrefixList", "Empty subnet pool prefix list."},
		{"mixed", map[string]any{"name": "p", "prefixes": []any{"10.0.0.0/8", "2001:db8::/32"}}, 400, "PrefixVersionMismatch",
			"Cannot mix IPv4 and IPv6 prefixes in a subnet pool."},
		{"min over max", map[string]any{"name": "p", "prefixes": v4, "min_prefixlen": 24, "max_prefixlen": 16}, 400,
			"IllegalSubnetPoolPrefixBounds", "Illegal prefix bounds: min_prefixlen=24, max_prefixlen=16."},
		{"max over 32", map[string]any{"name": "p", "prefixes": v4, "max_prefixlen": 33}, 400,
			"IllegalSubnetPoolPrefixBounds", "Illegal prefix bounds: max_prefixlen=33, ip_version_max=32."},
		{"default under min", map[string]any{"name": "p", "prefixes": v4, "min_prefixlen": 16, "default_prefixlen": 12}, 400,
			"IllegalSubnetPoolPrefixBounds", "Illegal prefix bounds: default_prefixlen=12, min_prefixlen=16."},
		{"negative quota", map[string]any{"name": "p", "prefixes": v4, "default_quota": -1}, 400, "HTTPBadRequest",
			"Invalid input for default_quota. Reason: '-1' should be non-negative."},
		{"ip_version read-only", map[string]any{"name": "p", "prefixes": v4, "ip_version": 4}, 400, "HTTPBadRequest",
			"Attribute 'ip_version' not allowed in POST"},
		{"member shares", map[string]any{"name": "p", "prefixes": v4, "shared": true}, 403, "PolicyNotAuthorized",
			"(rule:create_subnetpool and rule:create_subnetpool:shared) is disallowed by policy"},
		{"member default", map[string]any{"name": "p", "prefixes": v4, "is_default": true}, 403, "PolicyNotAuthorized",
			"(rule:create_subnetpool and rule:create_subnetpool:is_default) is disallowed by policy"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.refused(t, c.status, c.typ, c.msg, "POST", "/v2.0/subnetpools", e.member, poolBody(c.attrs))
		})
	}
	p := e.pool(t, e.member, map[string]any{"name": "p", "prefixes": v4})
	id := p["id"].(string)
	updates := []struct {
		name  string
		attrs map[string]any
		typ   string
		msg   string
	}{
		{"shrink", map[string]any{"prefixes": []any{"10.0.0.0/9"}}, "IllegalSubnetPoolPrefixUpdate",
			"Illegal update to prefixes: Existing prefixes must be a subset of the new prefixes."},
		{"add v6", map[string]any{"prefixes": []any{"10.0.0.0/8", "2001:db8::/32"}}, "PrefixVersionMismatch", ""},
		{"bounds", map[string]any{"default_prefixlen": 4}, "IllegalSubnetPoolPrefixBounds",
			"Illegal prefix bounds: default_prefixlen=4, min_prefixlen=8."},
		{"shared read-only", map[string]any{"shared": true}, "HTTPBadRequest", "Cannot update read-only attribute shared"},
	}
	for _, c := range updates {
		t.Run("update "+c.name, func(t *testing.T) {
			e.refused(t, 400, c.typ, c.msg, "PUT", "/v2.0/subnetpools/"+id, e.member, poolBody(c.attrs))
		})
	}
	up := e.ok(t, 200, "PUT", "/v2.0/subnetpools/"+id, e.member, poolBody(map[string]any{
		"prefixes": []any{"10.0.0.0/8", "11.0.0.0/8"}, "max_prefixlen": 30, "name": "grown", "default_quota": 64}))["subnetpool"].(map[string]any)
	if !slices.Equal(up["prefixes"].([]any), []any{"10.0.0.0/7"}) || up["max_prefixlen"] != float64(30) ||
		up["default_quota"] != float64(64) || up["revision_number"] != float64(1) || up["name"] != "grown" {
		t.Fatalf("update: %v", up)
	}
}

func TestSubnetPoolAddressScope(t *testing.T) {
	e := start(t)
	s4 := e.scope(t, e.member, map[string]any{"name": "s4", "ip_version": 4})["id"].(string)
	s6 := e.scope(t, e.member, map[string]any{"name": "s6", "ip_version": 6})["id"].(string)
	a := e.pool(t, e.member, map[string]any{"name": "a", "prefixes": []any{"10.0.0.0/16"}, "address_scope_id": s4})
	if a["address_scope_id"] != s4 {
		t.Fatalf("created: %v", a)
	}
	conflict := "Failed to associate address scope: subnetpools within an address scope must have unique prefixes."
	e.refused(t, 409, "AddressScopePrefixConflict", conflict, "POST", "/v2.0/subnetpools", e.member,
		poolBody(map[string]any{"name": "b", "prefixes": []any{"10.0.5.0/24"}, "address_scope_id": s4}))
	b := e.pool(t, e.member, map[string]any{"name": "b", "prefixes": []any{"10.0.5.0/24"}})
	bid := b["id"].(string)
	e.refused(t, 409, "AddressScopePrefixConflict", conflict, "PUT", "/v2.0/subnetpools/"+bid, e.member,
		poolBody(map[string]any{"address_scope_id": s4}))
	e.refused(t, 400, "IllegalSubnetPoolIpVersionAssociationToAddressScope",
		"Illegal subnetpool association: subnetpool "+bid+" cannot associate with address scope "+s6+" because subnetpool ip_version is not 6.",
		"PUT", "/v2.0/subnetpools/"+bid, e.member, poolBody(map[string]any{"address_scope_id": s6}))
	missing := "00000000-0000-4000-8000-999999999999"
	e.refused(t, 404, "AddressScopeNotFound", "Address scope "+missing+" could not be found.", "POST", "/v2.0/subnetpools", e.member,
		poolBody(map[string]any{"name": "c", "prefixes": []any{"10.9.0.0/16"}, "address_scope_id": missing}))
	// The same prefixes are fine in another scope or outside any.
	e.pool(t, e.member, map[string]any{"name": "d", "prefixes": []any{"10.0.0.0/16"}})
	e.refused(t, 409, "AddressScopeInUse",
		"Unable to complete operation on address scope "+s4+". There are one or more subnet pools in use on the address scope.",
		"DELETE", "/v2.0/address-scopes/"+s4, e.member, nil)
	cleared := e.ok(t, 200, "PUT", "/v2.0/subnetpools/"+a["id"].(string), e.member, poolBody(map[string]any{"address_scope_id": nil}))
	if cleared["subnetpool"].(map[string]any)["address_scope_id"] != nil {
		t.Fatalf("cleared: %v", cleared)
	}
	e.ok(t, 204, "DELETE", "/v2.0/address-scopes/"+s4, e.member, nil)
}

func TestSubnetPoolDefaultPerVersion(t *testing.T) {
	e := start(t)
	first := e.pool(t, e.admin, map[string]any{"name": "d4", "prefixes": []any{"10.0.0.0/8"}, "is_default": true})
	exists := "Invalid input for operation: A default subnetpool for this IP family has already been set. Only one default may exist per IP family."
	e.refused(t, 400, "InvalidInput", exists, "POST", "/v2.0/subnetpools", e.admin,
		poolBody(map[string]any{"name": "d4b", "prefixes": []any{"172.16.0.0/12"}, "is_default": true}))
	e.pool(t, e.admin, map[string]any{"name": "d6", "prefixes": []any{"2001:db8::/32"}, "is_default": true})
	other := e.pool(t, e.admin, map[string]any{"name": "o4", "prefixes": []any{"192.168.0.0/16"}})
	e.refused(t, 400, "InvalidInput", exists, "PUT", "/v2.0/subnetpools/"+other["id"].(string), e.admin,
		poolBody(map[string]any{"is_default": true}))
	if id, err := e.svc.DefaultSubnetPoolForTest(t.Context(), 4); err != nil || id != first["id"] {
		t.Fatalf("default v4: %q %v", id, err)
	}
	e.ok(t, 200, "PUT", "/v2.0/subnetpools/"+first["id"].(string), e.admin, poolBody(map[string]any{"is_default": false}))
	e.ok(t, 200, "PUT", "/v2.0/subnetpools/"+other["id"].(string), e.admin, poolBody(map[string]any{"is_default": true}))
	mine := e.pool(t, e.member, map[string]any{"name": "m", "prefixes": []any{"100.64.0.0/10"}})
	e.refused(t, 403, "PolicyNotAuthorized", "(rule:update_subnetpool and rule:update_subnetpool:is_default) is disallowed by policy",
		"PUT", "/v2.0/subnetpools/"+mine["id"].(string), e.member, poolBody(map[string]any{"is_default": false}))
}

func TestSubnetPoolVisibility(t *testing.T) {
	e := start(t)
	beta, _ := e.project(t, "beta", "member")
	private := e.pool(t, beta, map[string]any{"name": "beta", "prefixes": []any{"10.0.0.0/8"}})["id"].(string)
	shared := e.pool(t, e.admin, map[string]any{"name": "pub", "prefixes": []any{"172.16.0.0/12"}, "shared": true})["id"].(string)
	e.refused(t, 404, "SubnetPoolNotFound", "Subnet pool "+private+" could not be found.", "GET", "/v2.0/subnetpools/"+private, e.member, nil)
	e.refused(t, 404, "SubnetPoolNotFound", "", "PUT", "/v2.0/subnetpools/"+private, e.member, poolBody(map[string]any{"name": "x"}))
	e.refused(t, 404, "SubnetPoolNotFound", "", "DELETE", "/v2.0/subnetpools/"+private, e.member, nil)
	list := e.ok(t, 200, "GET", "/v2.0/subnetpools", e.member, nil)["subnetpools"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["id"] != shared {
		t.Fatalf("member list: %v", list)
	}
	e.refused(t, 403, "PolicyNotAuthorized", "rule:update_subnetpool is disallowed by policy",
		"PUT", "/v2.0/subnetpools/"+shared, e.member, poolBody(map[string]any{"name": "x"}))
	e.refused(t, 403, "PolicyNotAuthorized", "rule:add_prefixes is disallowed by policy",
		"PUT", "/v2.0/subnetpools/"+shared+"/add_prefixes", e.member, map[string]any{"prefixes": []any{"192.168.0.0/16"}})
	if n := len(e.ok(t, 200, "GET", "/v2.0/subnetpools", e.admin, nil)["subnetpools"].([]any)); n != 2 {
		t.Fatalf("admin sees %d pools", n)
	}
}

func TestSubnetPoolTags(t *testing.T) {
	e := start(t)
	id := e.pool(t, e.member, map[string]any{"name": "t", "prefixes": []any{"10.0.0.0/8"}})["id"].(string)
	e.ok(t, 201, "PUT", "/v2.0/subnetpools/"+id+"/tags/red", e.member, nil)
	list := e.ok(t, 200, "GET", "/v2.0/subnetpools?tags=red", e.member, nil)["subnetpools"].([]any)
	if len(list) != 1 || !slices.Equal(list[0].(map[string]any)["tags"].([]any), []any{"red"}) {
		t.Fatalf("tagged list: %v", list)
	}
	e.ok(t, 204, "DELETE", "/v2.0/subnetpools/"+id, e.member, nil)
}
