package compute_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/monostack/monostack/internal/compute"
)

func names(t *testing.T, r *response) []string {
	t.Helper()
	list, ok := r.Body["servers"].([]any)
	if !ok {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	out := []string{}
	for _, s := range list {
		out = append(out, s.(map[string]any)["name"].(string))
	}
	return out
}

func TestListServersFiltersAndPaging(t *testing.T) {
	e := startServers(t)
	tok, project := e.project(t, "alpha", "member")
	_, otherProject := e.project(t, "beta", "member")
	for n := 1; n <= 5; n++ {
		e.activeServer(t, project, func(ti *compute.TestInstance) {
			ti.Name, ti.CreatedAt, ti.IP = fmt.Sprintf("web-%d", n), int64(n), fmt.Sprintf("10.0.0.%d", n+10)
			if n == 2 {
				ti.VMState = "stopped"
			}
			if n%2 == 1 {
				ti.Tags = []string{"odd"}
			}
		})
	}
	e.activeServer(t, otherProject, func(ti *compute.TestInstance) { ti.Name = "foreign" })
	get := func(q, mv string) []string {
		return names(t, e.do(t, "GET", "/v2.1/servers/detail"+q, tok, nil, "OpenStack-API-Version", "compute "+mv))
	}
	cases := map[string]struct{ q, mv, want string }{
		"default newest first":    {"", "2.1", "web-5,web-4,web-3,web-2,web-1"},
		"name regex":              {"?name=web-[12]", "2.1", "web-2,web-1"},
		"status":                  {"?status=SHUTOFF", "2.1", "web-2"},
		"two statuses":            {"?status=SHUTOFF&status=ACTIVE", "2.1", "web-5,web-4,web-3,web-2,web-1"},
		"unknown status pre 2.38": {"?status=FOO", "2.37", ""},
		"ip regex":                {"?ip=10.0.0.1[34]", "2.1", "web-4,web-3"},
		"tags":                    {"?tags=odd", "2.26", "web-5,web-3,web-1"},
		"not-tags-any":            {"?not-tags-any=odd", "2.26", "web-4,web-2"},
		"sort by name asc":        {"?sort_key=display_name&sort_dir=asc", "2.1", "web-1,web-2,web-3,web-4,web-5"},
		"limit":                   {"?limit=2", "2.1", "web-5,web-4"},
		"host ignored for member": {"?host=nowhere", "2.1", "web-5,web-4,web-3,web-2,web-1"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if got := strings.Join(get(c.q, c.mv), ","); got != c.want {
				t.Fatalf("%s: %s, want %s", c.q, got, c.want)
			}
		})
	}
	first := e.do(t, "GET", "/v2.1/servers?limit=2", tok, nil)
	links := first.Body["servers_links"].([]any)
	next := links[0].(map[string]any)["href"].(string)
	if !strings.Contains(next, "marker=") || !strings.Contains(next, "limit=2") {
		t.Fatalf("next link: %s", next)
	}
	marker := first.Body["servers"].([]any)[1].(map[string]any)["id"].(string)
	if got := strings.Join(names(t, e.do(t, "GET", "/v2.1/servers?limit=2&marker="+marker, tok, nil)), ","); got != "web-3,web-2" {
		t.Fatalf("second page: %s", got)
	}
	if got := strings.Join(names(t, e.do(t, "GET", "/v2.1/servers?sort_key=display_name&sort_dir=asc&limit=2&marker="+marker, tok, nil)), ","); got != "web-5" {
		t.Fatalf("page after marker in name order: %s", got)
	}
	if msg := e.refused(t, "GET", "/v2.1/servers?marker=nope", tok, nil, 400); msg != "marker [nope] not found" {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "GET", "/v2.1/servers?status=FOO", tok, nil, 400, "OpenStack-API-Version", "compute 2.38"); msg != "Invalid status value" {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "GET", "/v2.1/servers?sort_key=host", tok, nil, 403); msg != "Only administrators can sort servers by host" {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "GET", "/v2.1/servers?status=DELETED", tok, nil, 403); msg != "Only administrators may list deleted instances" {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "GET", "/v2.1/servers?all_tenants=1", tok, nil, 403); msg != "Policy doesn't allow os_compute_api:servers:index:get_all_tenants to be performed." {
		t.Fatal(msg)
	}
	all := names(t, e.do(t, "GET", "/v2.1/servers?all_tenants=1", e.admin, nil))
	if len(all) != 6 {
		t.Fatalf("admin all_tenants: %v", all)
	}
	if got := names(t, e.do(t, "GET", "/v2.1/servers?all_tenants=1&project_id="+otherProject, e.admin, nil)); strings.Join(got, ",") != "foreign" {
		t.Fatalf("admin project filter: %v", got)
	}
	if msg := e.refused(t, "GET", "/v2.1/servers?all_tenants=1&metadata=x", e.admin, nil, 400); msg != "Invalid filter field: metadata." {
		t.Fatal(msg)
	}
}
