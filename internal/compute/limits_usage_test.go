package compute_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/limits"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/usage"

	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/computerpc"
)

func TestLimitsByMicroversion(t *testing.T) {
	e := startServers(t)
	ctx := context.Background()
	tok, pid := e.project(t, "p1", "member")
	flavor := e.flavor(t, "f", 2, 1024, 1)
	e.bootOK(t, tok, flavor)
	if r := e.do(t, "PUT", "/v2.1/os-quota-sets/"+pid, e.admin, map[string]any{"quota_set": map[string]any{"cores": 9}}); r.Status != 200 {
		t.Fatal(r.Status)
	}
	l, err := limits.Get(ctx, e.computeClient(tok, "2.79"), nil).Extract()
	if err != nil {
		t.Fatal(err)
	}
	a := l.Absolute
	if a.MaxTotalCores != 9 || a.MaxTotalInstances != 10 || a.MaxTotalRAMSize != 51200 || a.MaxServerMeta != 128 ||
		a.MaxTotalKeypairs != 100 || a.MaxServerGroups != 10 || a.MaxServerGroupMembers != 10 ||
		a.TotalInstancesUsed != 1 || a.TotalCoresUsed != 2 || a.TotalRAMUsed != 1024 {
		t.Fatalf("%+v", a)
	}
	abs := func(mv string) map[string]any {
		r := e.do(t, "GET", "/v2.1/limits", tok, nil, "OpenStack-API-Version", "compute "+mv)
		if r.Status != 200 || len(r.Body["limits"].(map[string]any)["rate"].([]any)) != 0 {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		return r.Body["limits"].(map[string]any)["absolute"].(map[string]any)
	}
	if a := abs("2.1"); len(a) != 19 || a["maxTotalFloatingIps"] != float64(-1) || a["totalSecurityGroupsUsed"] != float64(0) || a["maxImageMeta"] != float64(128) {
		t.Fatalf("2.1: %v", a)
	}
	if a := abs("2.36"); len(a) != 14 || a["maxSecurityGroups"] != nil || a["maxImageMeta"] == nil || a["maxPersonality"] != float64(5) {
		t.Fatalf("2.36: %v", a)
	}
	if a := abs("2.39"); len(a) != 13 || a["maxImageMeta"] != nil {
		t.Fatalf("2.39: %v", a)
	}
	if a := abs("2.57"); len(a) != 11 || a["maxPersonality"] != nil || a["maxPersonalitySize"] != nil {
		t.Fatalf("2.57: %v", a)
	}
	r := e.do(t, "GET", "/v2.1/limits?tenant_id="+pid, e.admin, nil)
	if r.Body["limits"].(map[string]any)["absolute"].(map[string]any)["totalInstancesUsed"] != float64(1) {
		t.Fatalf("%s", r.Raw)
	}
	if msg := e.refused(t, "GET", "/v2.1/limits?tenant_id=other", tok, nil, 403); msg != "Policy doesn't allow os_compute_api:limits:other_project to be performed." {
		t.Fatal(msg)
	}
	if msg := e.refused(t, "GET", "/v2.1/limits?foo=1", tok, nil, 400, "OpenStack-API-Version", "compute 2.75"); msg != "Additional properties are not allowed ('foo' was unexpected)" {
		t.Fatal(msg)
	}
}

func TestSimpleTenantUsage(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	e := start(t, func(o *compute.Options) { o.Clock = func() time.Time { return now } })
	tok, pid := e.project(t, "p1", "member")
	_, p2 := e.project(t, "p2", "member")
	small := computerpc.Flavor{ID: "1", Name: "m1.tiny", VCPUs: 1, MemoryMB: 512, RootGB: 1}
	big := computerpc.Flavor{ID: "2", Name: "m1.big", VCPUs: 4, MemoryMB: 4096, RootGB: 40, EphemeralGB: 10}
	err := compute.InsertTestInstances(e.id.DB, []compute.TestInstance{
		{UUID: "a0000000-0000-0000-0000-000000000001", ProjectID: pid, UserID: "u", Name: "run", VMState: "active", Flavor: small},
		{UUID: "a0000000-0000-0000-0000-000000000002", ProjectID: pid, UserID: "u", Name: "gone", VMState: "deleted", Flavor: big},
		{UUID: "a0000000-0000-0000-0000-000000000003", ProjectID: p2, UserID: "v", Name: "other", VMState: "active", Flavor: small},
		{UUID: "a0000000-0000-0000-0000-000000000004", ProjectID: pid, UserID: "u", Name: "never", VMState: "building", Flavor: small},
	})
	if err != nil {
		t.Fatal(err)
	}
	h := func(hours int) int64 { return now.Add(-time.Duration(hours) * time.Hour).UnixMicro() }
	for uuid, life := range map[string][2]int64{
		"a0000000-0000-0000-0000-000000000001": {h(10), 0},
		"a0000000-0000-0000-0000-000000000002": {h(30), h(20)},
		"a0000000-0000-0000-0000-000000000003": {h(5), 0},
	} {
		if err := compute.SetInstanceLifetime(e.id.DB, uuid, life[0], life[1]); err != nil {
			t.Fatal(err)
		}
	}
	// Over the last 24 hours: "run" 10 h, "gone" 4 of its 10 h, "never" not launched.
	start := now.Add(-24 * time.Hour).Format("2006-01-02T15:04:05")
	r := e.do(t, "GET", "/v2.1/os-simple-tenant-usage/"+pid+"?start="+start, tok, nil)
	u := r.Body["tenant_usage"].(map[string]any)
	if r.Status != 200 || !near(u["total_hours"], 14) || !near(u["total_vcpus_usage"], 10+16) ||
		!near(u["total_memory_mb_usage"], 5120+4*4096) || !near(u["total_local_gb_usage"], 10+4*50) ||
		u["start"] != "2024-04-30T12:00:00.000000" || u["stop"] != "2024-05-01T12:00:00.000000" {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	servers := u["server_usages"].([]any)
	gone := servers[1].(map[string]any)
	if len(servers) != 2 || gone["state"] != "terminated" || gone["uptime"] != float64(36000) || gone["flavor"] != "m1.big" ||
		gone["ended_at"] != "2024-04-30T16:00:00.000000" || servers[0].(map[string]any)["ended_at"] != nil {
		t.Fatalf("%s", r.Raw)
	}
	// Admins see every project; gophercloud pages through at 2.40.
	c := e.client(e.admin, "2.40")
	c.Type = "compute"
	pages, err := usage.AllTenants(c, usage.AllTenantsOpts{Detailed: true, Start: ptrTime(now.Add(-24 * time.Hour)), Limit: 1}).AllPages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	all, err := usage.ExtractAllTenants(pages)
	if err != nil {
		t.Fatal(err)
	}
	byTenant := map[string]float64{}
	for _, tu := range all {
		byTenant[tu.TenantID] += tu.TotalHours
	}
	if len(byTenant) != 2 || !near(byTenant[pid], 14) || !near(byTenant[p2], 5) {
		t.Fatalf("%v", byTenant)
	}
	r = e.do(t, "GET", "/v2.1/os-simple-tenant-usage?limit=1", e.admin, nil, "OpenStack-API-Version", "compute 2.40")
	if !strings.Contains(string(r.Raw), "tenant_usages_links") || strings.Contains(string(r.Raw), "server_usages") {
		t.Fatalf("%s", r.Raw)
	}
	if r := e.do(t, "GET", "/v2.1/os-simple-tenant-usage?limit=1", e.admin, nil, "OpenStack-API-Version", "compute 2.39"); strings.Contains(string(r.Raw), "links") {
		t.Fatalf("links before 2.40: %s", r.Raw)
	}
	for _, c := range []struct {
		path, tok string
		status    int
		want      string
	}{
		{"/v2.1/os-simple-tenant-usage", tok, 403, "Policy doesn't allow os_compute_api:os-simple-tenant-usage:list to be performed."},
		{"/v2.1/os-simple-tenant-usage/" + p2, tok, 403, "Policy doesn't allow os_compute_api:os-simple-tenant-usage:show to be performed."},
		{"/v2.1/os-simple-tenant-usage?start=yesterday", e.admin, 400, "Invalid datetime string: Datetime is in invalid format"},
		{"/v2.1/os-simple-tenant-usage?start=2024-05-01T12:00:00&end=2024-04-01T00:00:00", e.admin, 400, "Invalid start time. The start time cannot occur after the end time."},
	} {
		if got := e.refused(t, "GET", c.path, c.tok, nil, c.status); got != c.want {
			t.Errorf("%s: got %q want %q", c.path, got, c.want)
		}
	}
	if msg := e.refused(t, "GET", "/v2.1/os-simple-tenant-usage?marker=nope", e.admin, nil, 400, "OpenStack-API-Version", "compute 2.40"); msg != "Marker nope could not be found." {
		t.Fatal(msg)
	}
	if r := e.do(t, "GET", "/v2.1/os-simple-tenant-usage/nobody", e.admin, nil); r.Status != 200 || len(r.Body["tenant_usage"].(map[string]any)) != 0 {
		t.Fatalf("%s", r.Raw)
	}
}

func ptrTime(t time.Time) *time.Time { return &t }

func near(v any, want float64) bool {
	f, ok := v.(float64)
	return ok && math.Abs(f-want) < 1e-6
}
