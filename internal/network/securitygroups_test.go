package network_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// groups lists the security groups token sees (query may filter).
func (e *env) groups(t *testing.T, token, query string) []map[string]any {
	t.Helper()
	list := e.ok(t, 200, "GET", "/v2.0/security-groups"+query, token, nil)["security_groups"].([]any)
	out := make([]map[string]any, len(list))
	for i, g := range list {
		out[i] = g.(map[string]any)
	}
	return out
}

// createGroup creates a security group as token.
func (e *env) createGroup(t *testing.T, token string, attrs map[string]any) map[string]any {
	t.Helper()
	return e.ok(t, 201, "POST", "/v2.0/security-groups", token, map[string]any{"security_group": attrs})["security_group"].(map[string]any)
}

// createRule creates a security group rule as token.
func (e *env) createRule(t *testing.T, token string, attrs map[string]any) map[string]any {
	t.Helper()
	return e.ok(t, 201, "POST", "/v2.0/security-group-rules", token, map[string]any{"security_group_rule": attrs})["security_group_rule"].(map[string]any)
}

// ruleShapes are "direction ethertype remote_group" of each rule.
func ruleShapes(g map[string]any) []string {
	var out []string
	for _, r := range g["security_group_rules"].([]any) {
		m := r.(map[string]any)
		remote := "-"
		if m["remote_group_id"] == g["id"] {
			remote = "self"
		} else if m["remote_group_id"] != nil {
			remote = fmt.Sprint(m["remote_group_id"])
		}
		out = append(out, fmt.Sprintf("%s %s %s", m["direction"], m["ethertype"], remote))
	}
	return out
}

func TestSecurityGroupDefaultOnFirstList(t *testing.T) {
	e := start(t)
	groups := e.groups(t, e.member, "")
	if len(groups) != 1 {
		t.Fatalf("groups: %v", groups)
	}
	g := groups[0]
	want := map[string]any{"name": "default", "description": "Default security group", "stateful": true,
		"shared": false, "project_id": e.alpha, "tenant_id": e.alpha, "revision_number": float64(4)}
	for k, v := range want {
		if g[k] != v {
			t.Errorf("%s = %v, want %v", k, g[k], v)
		}
	}
	got := fmt.Sprint(ruleShapes(g))
	if got != "[ingress IPv4 self egress IPv4 - ingress IPv6 self egress IPv6 -]" {
		t.Fatalf("default rules: %s", got)
	}
	rule := g["security_group_rules"].([]any)[1].(map[string]any)
	for _, k := range []string{"protocol", "port_range_min", "port_range_max", "remote_ip_prefix", "remote_address_group_id", "normalized_cidr"} {
		if v, ok := rule[k]; !ok || v != nil {
			t.Errorf("egress rule %s = %v", k, v)
		}
	}
	if _, ok := rule["tags"]; ok {
		t.Errorf("a rule shows tags: %v", rule)
	}
	if again := e.groups(t, e.member, ""); len(again) != 1 || again[0]["id"] != g["id"] {
		t.Fatalf("second list: %v", again)
	}
	rules := e.ok(t, 200, "GET", "/v2.0/security-group-rules", e.member, nil)["security_group_rules"].([]any)
	if len(rules) != 4 {
		t.Fatalf("rules: %v", rules)
	}
}

func TestSecurityGroupLifecycle(t *testing.T) {
	e := start(t)
	g := e.createGroup(t, e.member, map[string]any{"name": "web", "description": "front"})
	if got := fmt.Sprint(ruleShapes(g)); got != "[egress IPv4 - egress IPv6 -]" {
		t.Fatalf("new group rules: %s", got)
	}
	if g["revision_number"] != float64(2) || g["stateful"] != true || g["description"] != "front" {
		t.Fatalf("created: %v", g)
	}
	if groups := e.groups(t, e.member, ""); len(groups) != 2 {
		t.Fatalf("create did not make the default group: %v", groups)
	}
	id := g["id"].(string)
	up := e.ok(t, 200, "PUT", "/v2.0/security-groups/"+id, e.member, map[string]any{"security_group": map[string]any{"name": "www", "stateful": false}})["security_group"].(map[string]any)
	if up["name"] != "www" || up["stateful"] != false || up["revision_number"] != float64(3) {
		t.Fatalf("update: %v", up)
	}
	e.refused(t, 412, "RevisionNumberConstraintFailed", "Constrained to 1, but current revision is 3",
		"PUT", "/v2.0/security-groups/"+id, e.member, map[string]any{"security_group": map[string]any{"name": "x"}}, "If-Match", "revision_number=1")
	if got := e.groups(t, e.member, "?name=www"); len(got) != 1 || got[0]["id"] != id {
		t.Fatalf("filter by name: %v", got)
	}
	e.ok(t, 204, "DELETE", "/v2.0/security-groups/"+id, e.member, nil)
	e.refused(t, 404, "SecurityGroupNotFound", "Security group "+id+" does not exist", "GET", "/v2.0/security-groups/"+id, e.member, nil)
	if rules := e.ok(t, 200, "GET", "/v2.0/security-group-rules?security_group_id="+id, e.admin, nil)["security_group_rules"].([]any); len(rules) != 0 {
		t.Fatalf("rules outlived their group: %v", rules)
	}
}

func TestSecurityGroupDefaultProtected(t *testing.T) {
	e := start(t)
	def := e.groups(t, e.member, "")[0]["id"].(string)
	other := e.createGroup(t, e.member, map[string]any{"name": "other"})["id"].(string)
	for _, c := range []struct {
		name, method, path string
		body               any
		status             int
		typ, msg           string
	}{
		{"delete default", "DELETE", "/v2.0/security-groups/" + def, nil,
			409, "SecurityGroupCannotRemoveDefault", "Insufficient rights for removing default security group."},
		{"rename default", "PUT", "/v2.0/security-groups/" + def, map[string]any{"security_group": map[string]any{"name": "x"}},
			409, "SecurityGroupCannotUpdateDefault", "Updating default security group not allowed."},
		{"create default", "POST", "/v2.0/security-groups", map[string]any{"security_group": map[string]any{"name": "Default"}},
			409, "SecurityGroupDefaultAlreadyExists", "Default security group already exists."},
		{"rename to default", "PUT", "/v2.0/security-groups/" + other, map[string]any{"security_group": map[string]any{"name": "default"}},
			409, "SecurityGroupDefaultAlreadyExists", "Default security group already exists."},
		{"shared read-only", "POST", "/v2.0/security-groups", map[string]any{"security_group": map[string]any{"shared": true}},
			400, "HTTPBadRequest", "Attribute 'shared' not allowed in POST"},
		{"bad stateful", "POST", "/v2.0/security-groups", map[string]any{"security_group": map[string]any{"stateful": "maybe"}},
			400, "InvalidInput", "Invalid input for operation: 'maybe' cannot be converted to boolean."},
	} {
		t.Run(c.name, func(t *testing.T) { e.refused(t, c.status, c.typ, c.msg, c.method, c.path, e.member, c.body) })
	}
	desc := e.ok(t, 200, "PUT", "/v2.0/security-groups/"+def, e.member, map[string]any{"security_group": map[string]any{"description": "mine"}})
	if desc["security_group"].(map[string]any)["description"] != "mine" {
		t.Fatalf("default description: %v", desc)
	}
	e.ok(t, 204, "DELETE", "/v2.0/security-groups/"+def, e.admin, nil)
	if again := e.groups(t, e.member, "?name=default"); len(again) != 1 || again[0]["id"] == def {
		t.Fatalf("default not made again after admin delete: %v", again)
	}
}

func TestSecurityGroupProjects(t *testing.T) {
	e := start(t)
	g := e.createGroup(t, e.member, map[string]any{"name": "alpha-only"})
	id := g["id"].(string)
	ruleID := g["security_group_rules"].([]any)[0].(map[string]any)["id"].(string)
	beta, betaID := e.project(t, "beta", "member")
	groups := e.groups(t, beta, "")
	if len(groups) != 1 || groups[0]["project_id"] != betaID || groups[0]["name"] != "default" {
		t.Fatalf("beta sees: %v", groups)
	}
	if got := e.groups(t, beta, "?project_id="+e.alpha); len(got) != 0 {
		t.Fatalf("beta sees alpha's groups by filter: %v", got)
	}
	e.refused(t, 404, "SecurityGroupNotFound", "Security group "+id+" does not exist", "GET", "/v2.0/security-groups/"+id, beta, nil)
	e.refused(t, 404, "SecurityGroupNotFound", "", "DELETE", "/v2.0/security-groups/"+id, beta, nil)
	e.refused(t, 404, "SecurityGroupNotFound", "", "PUT", "/v2.0/security-groups/"+id, beta, map[string]any{"security_group": map[string]any{"name": "x"}})
	e.refused(t, 404, "HTTPNotFound", "The resource could not be found.", "GET", "/v2.0/security-group-rules/"+ruleID, beta, nil)
	e.refused(t, 404, "HTTPNotFound", "The resource could not be found.", "DELETE", "/v2.0/security-group-rules/"+ruleID, beta, nil)
	e.refused(t, 404, "SecurityGroupNotFound", "Security group "+id+" does not exist", "POST", "/v2.0/security-group-rules", beta,
		map[string]any{"security_group_rule": map[string]any{"security_group_id": id, "direction": "ingress"}})
	rules := e.ok(t, 200, "GET", "/v2.0/security-group-rules", beta, nil)["security_group_rules"].([]any)
	for _, r := range rules {
		if r.(map[string]any)["security_group_id"] == id {
			t.Fatalf("beta lists alpha's rule: %v", r)
		}
	}
	e.refused(t, 400, "HTTPBadRequest", "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin or advsvc privileges",
		"POST", "/v2.0/security-groups", beta, map[string]any{"security_group": map[string]any{"name": "x", "project_id": e.alpha}})
	all := e.groups(t, e.admin, "")
	if len(all) < 4 {
		t.Fatalf("admin sees %d groups", len(all))
	}
	made := e.createGroup(t, e.admin, map[string]any{"name": "for-beta", "project_id": betaID})
	if made["project_id"] != betaID {
		t.Fatalf("admin create for beta: %v", made)
	}
}

func TestSecurityGroupInUseByPort(t *testing.T) {
	e := start(t)
	g := e.createGroup(t, e.member, map[string]any{"name": "used"})
	id := g["id"].(string)
	n := e.createNet(t, e.member, map[string]any{"name": "n"})
	e.ok(t, 201, "POST", "/v2.0/subnets", e.member, map[string]any{"subnet": map[string]any{"network_id": n["id"], "cidr": "10.9.0.0/24", "ip_version": 4}})
	port := e.ok(t, 201, "POST", "/v2.0/ports", e.member, map[string]any{"port": map[string]any{"network_id": n["id"], "security_groups": []any{id}}})["port"].(map[string]any)
	e.refused(t, 409, "SecurityGroupInUse", "Security Group "+id+" in use.", "DELETE", "/v2.0/security-groups/"+id, e.member, nil)
	e.refused(t, 409, "SecurityGroupInUse", "Security Group "+id+" in use.", "PUT", "/v2.0/security-groups/"+id, e.member,
		map[string]any{"security_group": map[string]any{"stateful": false}})
	e.ok(t, 200, "PUT", "/v2.0/security-groups/"+id, e.member, map[string]any{"security_group": map[string]any{"stateful": true, "name": "still"}})
	e.ok(t, 204, "DELETE", "/v2.0/ports/"+port["id"].(string), e.member, nil)
	e.ok(t, 204, "DELETE", "/v2.0/security-groups/"+id, e.member, nil)
}

func TestSecurityGroupTags(t *testing.T) {
	e := start(t)
	id := e.createGroup(t, e.member, map[string]any{"name": "tagged"})["id"].(string)
	e.ok(t, 201, "PUT", "/v2.0/security-groups/"+id+"/tags/red", e.member, nil)
	got := e.ok(t, 200, "GET", "/v2.0/security-groups/"+id, e.member, nil)["security_group"].(map[string]any)
	if fmt.Sprint(got["tags"]) != "[red]" || got["revision_number"] != float64(3) {
		t.Fatalf("tagged: %v", got)
	}
	if list := e.groups(t, e.member, "?tags=red"); len(list) != 1 || list[0]["id"] != id {
		t.Fatalf("tags filter: %v", list)
	}
	beta, _ := e.project(t, "beta", "member")
	e.refused(t, 404, "TagResourceNotFound", "Resource security_groups "+id+" could not be found.", "PUT", "/v2.0/security-groups/"+id+"/tags/x", beta, nil)
}

// TestSecurityGroupDefaultRace sends 20 first-use requests at once: the
// project ends with exactly one default group.
func TestSecurityGroupDefaultRace(t *testing.T) {
	e := start(t)
	token, project := e.project(t, "racer", "member")
	// ten groups and the default pass the default quota of ten
	e.ok(t, 200, "PUT", "/v2.0/quotas/"+project, e.admin, map[string]any{"quota": map[string]any{"security_group": -1}})
	var wg sync.WaitGroup
	statuses := make(chan int, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path, body := "/v2.0/security-groups", ""
			method := "GET"
			if i%2 == 1 {
				method, body = "POST", fmt.Sprintf(`{"security_group": {"name": "g%d"}}`, i)
			}
			statuses <- rawStatus(e.root+path, method, token, body)
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != 200 && s != 201 {
			t.Fatalf("status %d", s)
		}
	}
	defaults := e.groups(t, e.admin, "?name=default&project_id="+project)
	if len(defaults) != 1 {
		t.Fatalf("%d default groups", len(defaults))
	}
	if all := e.groups(t, token, ""); len(all) != 11 {
		t.Fatalf("%d groups, want 11", len(all))
	}
}

// rawStatus sends one request from any goroutine and returns its status.
func rawStatus(url, method, token, body string) int {
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("X-Auth-Token", token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return -1
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestPortSecurityGroups(t *testing.T) {
	e := start(t)
	n := e.createNet(t, e.member, map[string]any{"name": "n"})
	e.ok(t, 201, "POST", "/v2.0/subnets", e.member, map[string]any{"subnet": map[string]any{"network_id": n["id"], "cidr": "10.9.0.0/24", "ip_version": 4}})
	port := e.ok(t, 201, "POST", "/v2.0/ports", e.member, map[string]any{"port": map[string]any{"network_id": n["id"]}})["port"].(map[string]any)
	groups := e.ok(t, 200, "GET", "/v2.0/security-groups?name=default", e.member, nil)["security_groups"].([]any)
	if len(groups) != 1 {
		t.Fatalf("default groups after the first port: %v", groups)
	}
	def := groups[0].(map[string]any)["id"]
	if sgs := port["security_groups"].([]any); len(sgs) != 1 || sgs[0] != def {
		t.Fatalf("new port's groups %v, want the default group %v", sgs, def)
	}
	missing := "0b9e7a55-0000-4000-8000-00000000dead"
	e.refused(t, 404, "SecurityGroupNotFound", "", "POST", "/v2.0/ports", e.member,
		map[string]any{"port": map[string]any{"network_id": n["id"], "security_groups": []any{missing}}})
	e.refused(t, 404, "SecurityGroupNotFound", "", "PUT", "/v2.0/ports/"+port["id"].(string), e.member,
		map[string]any{"port": map[string]any{"security_groups": []any{missing}}})
	other, _ := e.project(t, "other", "member")
	theirs := e.createGroup(t, other, map[string]any{"name": "theirs"})
	e.refused(t, 404, "SecurityGroupNotFound", "", "PUT", "/v2.0/ports/"+port["id"].(string), e.member,
		map[string]any{"port": map[string]any{"security_groups": []any{theirs["id"]}}})
	e.refused(t, 400, "PortSecurityAndIPRequiredForSecurityGroups", "", "POST", "/v2.0/ports", e.member,
		map[string]any{"port": map[string]any{"network_id": n["id"], "port_security_enabled": false, "security_groups": []any{def}}})
	bare := e.ok(t, 201, "POST", "/v2.0/ports", e.member, map[string]any{"port": map[string]any{"network_id": n["id"], "port_security_enabled": false}})["port"].(map[string]any)
	if len(bare["security_groups"].([]any)) != 0 {
		t.Fatalf("a port without port security got groups: %v", bare)
	}
}
