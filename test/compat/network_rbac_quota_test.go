package compat

import (
	"strings"
	"testing"
)

// TestNetworkRBACAndQuotasWithCLI shares a network with one project
// through `network rbac` and drives network quotas with `quota`.
func TestNetworkRBACAndQuotasWithCLI(t *testing.T) {
	requireCLI(t)
	c := startCloud(t)
	admin := c.admin()
	for _, p := range []string{"owner", "guest"} {
		c.ok(t, admin, "project", "create", p)
		c.ok(t, admin, "user", "create", "--project", p, "--password", p+"-pass", p)
		c.ok(t, admin, "role", "add", "--project", p, "--user", p, "member")
	}
	owner := creds{user: "owner", password: "owner-pass", project: "owner"}
	guest := creds{user: "guest", password: "guest-pass", project: "guest"}
	c.ok(t, owner, "network", "create", "mine")
	if _, _, err := c.run(t, guest, "network", "show", "mine"); err == nil {
		t.Fatal("guest sees the owner's network before any policy")
	}
	// a member may not look projects up by name: the policy names the id
	guestID := strings.TrimSpace(c.ok(t, admin, "project", "show", "guest", "-f", "value", "-c", "id"))
	var rule map[string]any
	c.jsonOut(t, owner, &rule, "network", "rbac", "create", "--type", "network", "--action", "access_as_shared",
		"--target-project", guestID, "mine")
	c.ok(t, guest, "network", "show", "mine")
	var rules []map[string]any
	c.jsonOut(t, owner, &rules, "network", "rbac", "list", "--long")
	if len(rules) != 1 || rules[0]["ID"] != rule["id"] {
		t.Fatalf("rbac list %v", rules)
	}
	c.ok(t, owner, "network", "rbac", "delete", rule["id"].(string))
	if _, _, err := c.run(t, guest, "network", "show", "mine"); err == nil {
		t.Fatal("guest still sees the network")
	}

	c.ok(t, admin, "quota", "set", "--networks", "1", "owner")
	var q map[string]any
	c.jsonOut(t, admin, &q, "quota", "show", "owner") // osc 6.0 has no --network on show
	if q["networks"] != float64(1) || q["ports"] != float64(500) {
		t.Fatalf("quota show %v", q)
	}
	_, stderr, err := c.run(t, owner, "network", "create", "second")
	if err == nil || !strings.Contains(stderr, "Quota exceeded for resources: ['network'].") {
		t.Fatalf("second network: err %v stderr %q", err, stderr)
	}
	var usage []map[string]any
	c.jsonOut(t, admin, &usage, "quota", "list", "--detail", "--network", "--project", "owner")
	found := false
	for _, u := range usage {
		if u["Resource"] == "networks" {
			found = u["In Use"] == float64(1) && u["Limit"] == float64(1)
		}
	}
	if !found {
		t.Fatalf("quota list --detail %v", usage)
	}
	var list []map[string]any
	c.jsonOut(t, admin, &list, "quota", "list", "--network")
	if len(list) != 1 || list[0]["Networks"] != float64(1) {
		t.Fatalf("quota list %v", list)
	}
}
