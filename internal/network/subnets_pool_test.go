package network_test

import (
	"testing"
)

// subnet creates a subnet as token and returns it.
func (e *env) subnetFrom(t testing.TB, token string, attrs map[string]any) map[string]any {
	t.Helper()
	return e.ok(t, 201, "POST", "/v2.0/subnets", token, map[string]any{"subnet": attrs})["subnet"].(map[string]any)
}

func TestSubnetFromPool(t *testing.T) {
	e := start(t)
	scope := e.scope(t, e.member, map[string]any{"name": "s4", "ip_version": 4})
	pool := e.pool(t, e.member, map[string]any{"name": "p", "prefixes": []any{"10.20.0.0/16"},
		"default_prefixlen": 24, "address_scope_id": scope["id"]})
	net := e.createNet(t, e.member, map[string]any{"name": "n"})
	first := e.subnetFrom(t, e.member, map[string]any{"network_id": net["id"], "ip_version": 4, "subnetpool_id": pool["id"]})
	if first["cidr"] != "10.20.0.0/24" || first["gateway_ip"] != "10.20.0.1" || first["subnetpool_id"] != pool["id"] {
		t.Fatalf("first subnet from the pool: %v", first)
	}
	second := e.subnetFrom(t, e.member, map[string]any{"network_id": net["id"], "ip_version": 4,
		"subnetpool_id": pool["id"], "prefixlen": 28})
	if second["cidr"] != "10.20.1.0/28" {
		t.Fatalf("second subnet by prefixlen: %v", second)
	}
	got := e.ok(t, 200, "GET", "/v2.0/networks/"+net["id"].(string), e.member, nil)["network"].(map[string]any)
	if got["ipv4_address_scope"] != scope["id"] || got["ipv6_address_scope"] != nil {
		t.Fatalf("network address scopes: %v", got)
	}
	e.refused(t, 400, "NetworkSubnetPoolAffinityError", "", "POST", "/v2.0/subnets", e.member,
		map[string]any{"subnet": map[string]any{"network_id": net["id"], "ip_version": 4, "cidr": "192.168.9.0/24"}})
	e.refused(t, 400, "BadRequest", "Bad subnets request: No default subnetpool found for IPv4.", "POST", "/v2.0/subnets", e.member,
		map[string]any{"subnet": map[string]any{"network_id": net["id"], "ip_version": 4, "use_default_subnetpool": true}})
	e.refused(t, 404, "SubnetPoolNotFound", "", "POST", "/v2.0/subnets", e.member,
		map[string]any{"subnet": map[string]any{"network_id": net["id"], "ip_version": 4, "subnetpool_id": "7f3b1c2e-0000-4000-8000-000000000001"}})
}

func TestSubnetFromDefaultPool(t *testing.T) {
	e := start(t)
	e.pool(t, e.admin, map[string]any{"name": "default", "prefixes": []any{"172.30.0.0/16"},
		"default_prefixlen": 26, "is_default": true, "shared": true})
	net := e.createNet(t, e.member, map[string]any{"name": "n"})
	sub := e.subnetFrom(t, e.member, map[string]any{"network_id": net["id"], "ip_version": 4, "use_default_subnetpool": true})
	if sub["cidr"] != "172.30.0.0/26" || sub["allocation_pools"].([]any)[0].(map[string]any)["start"] != "172.30.0.2" {
		t.Fatalf("subnet from the default pool: %v", sub)
	}
}
