package network_test

import (
	"reflect"
	"testing"

	"github.com/monostack/monostack/internal/network"
)

// setQuota sets limits of project as admin and returns the quota.
func (e *env) setQuota(t testing.TB, project string, limits map[string]any) map[string]any {
	t.Helper()
	return e.ok(t, 200, "PUT", "/v2.0/quotas/"+project, e.admin, map[string]any{"quota": limits})["quota"].(map[string]any)
}

func TestQuotaOverQuota(t *testing.T) {
	e := start(t)
	q := e.setQuota(t, e.alpha, map[string]any{"network": 1})
	if q["network"] != float64(1) || q["port"] != float64(500) {
		t.Fatalf("quota %v", q)
	}
	e.createNet(t, e.member, map[string]any{"name": "one"})
	e.refused(t, 409, "OverQuota", "Quota exceeded for resources: ['network'].", "POST", "/v2.0/networks", e.member,
		map[string]any{"network": map[string]any{"name": "two"}})
	e.setQuota(t, e.alpha, map[string]any{"network": 2})
	e.refused(t, 409, "OverQuota", "Quota exceeded for resources: ['network'].", "POST", "/v2.0/networks", e.member,
		map[string]any{"networks": []any{map[string]any{"name": "a"}, map[string]any{"name": "b"}}})
	e.createNet(t, e.member, map[string]any{"name": "two"})
	// createMany resources: subnet pools, security group rules, RBAC policies
	e.setQuota(t, e.alpha, map[string]any{"subnetpool": 0, "rbac_policy": 0})
	e.refused(t, 409, "OverQuota", "Quota exceeded for resources: ['subnetpool'].", "POST", "/v2.0/subnetpools", e.member,
		map[string]any{"subnetpool": map[string]any{"name": "p", "prefixes": []any{"10.0.0.0/8"}}})
	net := e.createNet(t, e.admin, map[string]any{"name": "admin's"})["id"].(string)
	e.refused(t, 409, "OverQuota", "Quota exceeded for resources: ['rbac_policy'].", "POST", "/v2.0/rbac-policies", e.admin,
		map[string]any{"rbac_policy": map[string]any{"project_id": e.alpha, "object_type": "network", "object_id": net,
			"action": "access_as_shared", "target_tenant": "*"}})
	// unlimited
	e.setQuota(t, e.alpha, map[string]any{"network": -1})
	e.createNet(t, e.member, map[string]any{"name": "three"})
}

func TestQuotaRoutersAndFloatingIPs(t *testing.T) {
	e := start(t)
	top := e.l3(t) // alpha's first router
	e.setQuota(t, e.alpha, map[string]any{"router": 1, "floatingip": 1})
	e.refused(t, 409, "OverQuota", "Quota exceeded for resources: ['router'].", "POST", "/v2.0/routers", e.member,
		map[string]any{"router": map[string]any{"name": "second"}})
	fip := map[string]any{"floatingip": map[string]any{"floating_network_id": top.ext}}
	e.ok(t, 201, "POST", "/v2.0/floatingips", e.member, fip)
	e.refused(t, 409, "OverQuota", "Quota exceeded for resources: ['floatingip'].", "POST", "/v2.0/floatingips", e.member, fip)
	if n := len(e.ok(t, 200, "GET", "/v2.0/floatingips", e.member, nil)["floatingips"].([]any)); n != 1 {
		t.Fatalf("%d floating IPs after the refusal", n)
	}
}

func TestQuotaSecurityGroupRules(t *testing.T) {
	e := start(t)
	g := e.createGroup(t, e.member, map[string]any{"name": "g"}) // two rules, and the default group's four
	e.setQuota(t, e.alpha, map[string]any{"security_group_rule": 7})
	rule := func(port int) map[string]any {
		return map[string]any{"security_group_id": g["id"], "direction": "ingress", "protocol": "tcp",
			"port_range_min": port, "port_range_max": port}
	}
	e.createRule(t, e.member, rule(22))
	e.refused(t, 409, "OverQuota", "Quota exceeded for resources: ['security_group_rule'].", "POST", "/v2.0/security-group-rules",
		e.member, map[string]any{"security_group_rules": []any{rule(80), rule(443)}})
}

func TestQuotaDetails(t *testing.T) {
	e := start(t)
	net := e.createNet(t, e.member, map[string]any{"name": "n"})["id"].(string)
	e.createSubnet(t, e.member, map[string]any{"network_id": net, "ip_version": 4, "cidr": "10.1.0.0/24"})
	e.createPort(t, e.member, map[string]any{"network_id": net})
	e.setQuota(t, e.alpha, map[string]any{"port": 7})
	for _, path := range []string{"/v2.0/quotas/" + e.alpha + "/details", "/v2.0/quotas/" + e.alpha + "/details.json"} {
		q := e.ok(t, 200, "GET", path, e.member, nil)["quota"].(map[string]any)
		want := map[string]any{
			"network": map[string]any{"limit": float64(100), "used": float64(1), "reserved": float64(0)},
			"subnet":  map[string]any{"limit": float64(100), "used": float64(1), "reserved": float64(0)},
			// the user's port and the DHCP port, which the network's project owns
			"port":                map[string]any{"limit": float64(7), "used": float64(2), "reserved": float64(0)},
			"router":              map[string]any{"limit": float64(10), "used": float64(0), "reserved": float64(0)},
			"floatingip":          map[string]any{"limit": float64(50), "used": float64(0), "reserved": float64(0)},
			"security_group":      map[string]any{"limit": float64(10), "used": float64(1), "reserved": float64(0)},
			"security_group_rule": map[string]any{"limit": float64(100), "used": float64(4), "reserved": float64(0)},
			"rbac_policy":         map[string]any{"limit": float64(10), "used": float64(0), "reserved": float64(0)},
			"subnetpool":          map[string]any{"limit": float64(-1), "used": float64(0), "reserved": float64(0)},
		}
		if !reflect.DeepEqual(q, want) {
			t.Fatalf("%s: %v, want %v", path, q, want)
		}
	}
	e.refused(t, 403, "AdminRequired", "User does not have admin privileges: Only admin is authorized to access quotas for another project.",
		"GET", "/v2.0/quotas/other/details", e.member, nil)
	e.ok(t, 200, "GET", "/v2.0/quotas/"+e.alpha+"/details", e.admin, nil)
}

func TestQuotaAPI(t *testing.T) {
	e := start(t)
	defaults := map[string]any{"network": float64(100), "subnet": float64(100), "port": float64(500),
		"router": float64(10), "floatingip": float64(50), "security_group": float64(10),
		"security_group_rule": float64(100), "rbac_policy": float64(10), "subnetpool": float64(-1)}
	if q := e.ok(t, 200, "GET", "/v2.0/quotas/"+e.alpha+"/default", e.member, nil)["quota"]; !reflect.DeepEqual(q, defaults) {
		t.Fatalf("defaults %v", q)
	}
	if q := e.ok(t, 200, "GET", "/v2.0/quotas/"+e.alpha, e.member, nil)["quota"]; !reflect.DeepEqual(q, defaults) {
		t.Fatalf("own quota %v", q)
	}
	if l := e.ok(t, 200, "GET", "/v2.0/quotas", e.admin, nil)["quotas"].([]any); len(l) != 0 {
		t.Fatalf("list before any limit: %v", l)
	}
	e.setQuota(t, e.alpha, map[string]any{"network": "5", "force": true})
	l := e.ok(t, 200, "GET", "/v2.0/quotas", e.admin, nil)["quotas"].([]any)
	if len(l) != 1 || l[0].(map[string]any)["project_id"] != e.alpha || l[0].(map[string]any)["network"] != float64(5) {
		t.Fatalf("list %v", l)
	}
	if b := e.ok(t, 200, "GET", "/v2.0/quotas/tenant", e.member, nil); !reflect.DeepEqual(b, map[string]any{"tenant": map[string]any{"tenant_id": e.alpha}}) {
		t.Fatalf("tenant %v", b)
	}
	if b := e.ok(t, 200, "GET", "/v2.0/quotas/project", e.member, nil); !reflect.DeepEqual(b, map[string]any{"project": map[string]any{"project_id": e.alpha}}) {
		t.Fatalf("project %v", b)
	}
	put := func(q map[string]any) map[string]any { return map[string]any{"quota": q} }
	for _, c := range []struct {
		name, method, path, token string
		body                      any
		status                    int
		typ, message              string
	}{
		{"member sets", "PUT", "/v2.0/quotas/" + e.alpha, e.member, put(map[string]any{"network": 1}), 403, "PolicyNotAuthorized",
			"rule:update_quota is disallowed by policy"},
		{"member resets", "DELETE", "/v2.0/quotas/" + e.alpha, e.member, nil, 403, "PolicyNotAuthorized", "rule:delete_quota is disallowed by policy"},
		{"member reads another's", "GET", "/v2.0/quotas/other", e.member, nil, 403, "PolicyNotAuthorized", "rule:get_quota is disallowed by policy"},
		{"member lists", "GET", "/v2.0/quotas", e.member, nil, 403, "PolicyNotAuthorized", "rule:get_quota is disallowed by policy"},
		{"too small", "PUT", "/v2.0/quotas/" + e.alpha, e.admin, put(map[string]any{"network": -2}), 400, "HTTPBadRequest",
			"Invalid input for network. Reason: '-2' is too small - must be at least '-1'."},
		{"not an integer", "PUT", "/v2.0/quotas/" + e.alpha, e.admin, put(map[string]any{"port": "many"}), 400, "InvalidInput",
			"Invalid input for operation: 'many' is not an integer."},
		{"unknown resource", "PUT", "/v2.0/quotas/" + e.alpha, e.admin, put(map[string]any{"widget": 1}), 400, "HTTPBadRequest",
			"Unrecognized attribute(s) 'widget'"},
		{"check_limit", "PUT", "/v2.0/quotas/" + e.alpha, e.admin, put(map[string]any{"security_group_rule": 1, "check_limit": true}),
			400, "HTTPBadRequest", "Quota limit 1 for security_group_rule must be greater than or equal to already used 4"},
		{"post", "POST", "/v2.0/quotas", e.admin, put(map[string]any{"network": 1}), 501, "HTTPNotImplemented",
			"POST requests are not supported on this resource."},
		{"reset unset", "DELETE", "/v2.0/quotas/other", e.admin, nil, 404, "TenantQuotaNotFound", "Quota for tenant other could not be found."},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.name == "check_limit" {
				e.ok(t, 200, "GET", "/v2.0/security-groups", e.member, nil) // the default group: four rules
			}
			e.refused(t, c.status, c.typ, c.message, c.method, c.path, c.token, c.body)
		})
	}
	e.ok(t, 204, "DELETE", "/v2.0/quotas/"+e.alpha, e.admin, nil)
	if q := e.ok(t, 200, "GET", "/v2.0/quotas/"+e.alpha, e.admin, nil)["quota"]; !reflect.DeepEqual(q, defaults) {
		t.Fatalf("after reset %v", q)
	}
}

func TestQuotaConfiguredDefaults(t *testing.T) {
	e := start(t, func(o *network.Options) { o.QuotaDefaults = map[string]int64{"network": 1} })
	if q := e.ok(t, 200, "GET", "/v2.0/quotas/"+e.alpha+"/default", e.member, nil)["quota"].(map[string]any); q["network"] != float64(1) || q["subnet"] != float64(100) {
		t.Fatalf("defaults %v", q)
	}
	e.createNet(t, e.member, map[string]any{"name": "one"})
	e.refused(t, 409, "OverQuota", "Quota exceeded for resources: ['network'].", "POST", "/v2.0/networks", e.member,
		map[string]any{"network": map[string]any{"name": "two"}})
}
