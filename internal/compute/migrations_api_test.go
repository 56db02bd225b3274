package compute_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/migrations"

	"github.com/monostack/monostack/internal/compute"
)

const (
	mig1 = "7a3c5d1e-0000-4000-8000-000000000001"
	mig2 = "7a3c5d1e-0000-4000-8000-000000000002"
	mig3 = "7a3c5d1e-0000-4000-8000-000000000003"
)

// migrationsEnv has three migrations: a finished resize c1→c2 (oldest),
// a running live migration c2→c1 and an evacuation from c2 (newest).
func migrationsEnv(t *testing.T) *infraEnv {
	t.Helper()
	e := startInfra(t)
	e.node(t, "c1")
	e.node(t, "c2")
	day := int64(86400_000_000)
	err := compute.InsertTestMigrations(e.id.DB, []compute.TestMigration{
		{ID: 1, UUID: mig1, InstanceUUID: "i-1", Type: "resize", Status: "confirmed", SourceCompute: "c1",
			SourceNode: "c1.example.org", DestCompute: "c2", DestNode: "c2.example.org", OldFlavorID: "1",
			NewFlavorID: "2", CreatedAt: 1_700_000_000_000_000, UpdatedAt: 1_700_000_000_000_000},
		{ID: 2, UUID: mig2, InstanceUUID: "i-2", Type: "live-migration", Status: "running", SourceCompute: "c2",
			DestCompute: "c1", OldFlavorID: "1", NewFlavorID: "1", CreatedAt: 1_700_000_000_000_000 + day,
			UpdatedAt: 1_700_000_000_000_000 + day},
		{ID: 3, UUID: mig3, InstanceUUID: "i-3", Type: "evacuation", Status: "done", SourceCompute: "c2",
			DestCompute: "c1", CreatedAt: 1_700_000_000_000_000 + 2*day, UpdatedAt: 1_700_000_000_000_000 + 2*day},
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func migrationList(t *testing.T, e *infraEnv, query, mv string) []map[string]any {
	t.Helper()
	r := e.do(t, "GET", "/v2.1/os-migrations"+query, e.admin, nil, "OpenStack-API-Version", "compute "+mv)
	if r.Status != 200 {
		t.Fatalf("%s at %s: %d %s", query, mv, r.Status, r.Raw)
	}
	var out []map[string]any
	for _, m := range r.Body["migrations"].([]any) {
		out = append(out, m.(map[string]any))
	}
	return out
}

func TestMigrationsShapesByVersion(t *testing.T) {
	e := migrationsEnv(t)
	old := migrationList(t, e, "", "2.1")
	want := `{"created_at":"2023-11-14T22:13:20.000000","dest_compute":"c2","dest_host":"192.0.2.10","dest_node":"c2.example.org","id":1,"instance_uuid":"i-1","new_instance_type_id":2,"old_instance_type_id":1,"source_compute":"c1","source_node":"c1.example.org","status":"confirmed","updated_at":"2023-11-14T22:13:20.000000"}`
	if len(old) != 3 || string(mustJSON(old[0])) != want {
		t.Fatalf("2.1: %s", mustJSON(old))
	}
	at23 := migrationList(t, e, "", "2.23")
	if at23[0]["migration_type"] != "resize" || at23[0]["links"] != nil || at23[1]["links"] == nil {
		t.Fatalf("2.23: %s", mustJSON(at23))
	}
	if href := at23[1]["links"].([]any)[0].(map[string]any)["href"].(string); !strings.HasSuffix(href, "/v2.1/servers/i-2/migrations/2") {
		t.Fatalf("live migration link: %s", href)
	}
	at59 := migrationList(t, e, "", "2.59")
	if at59[0]["uuid"] != mig3 || at59[2]["uuid"] != mig1 {
		t.Fatalf("2.59 order newest first: %s", mustJSON(at59))
	}

	pages, err := migrations.List(e.gc(e.admin, "2.59"), migrations.ListOpts{Host: ptrString("c1")}).AllPages(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	list, err := migrations.ExtractMigrations(pages)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 || list[0].ID != 3 {
		t.Fatalf("gophercloud: %+v", list)
	}
}

func TestMigrationsFiltersAndPaging(t *testing.T) {
	e := migrationsEnv(t)
	cases := []struct {
		query, mv string
		ids       []float64
	}{
		{"?status=running", "2.1", []float64{2}},
		{"?source_compute=c2", "2.1", []float64{2, 3}},
		{"?host=c1&source_compute=c2", "2.1", []float64{1, 2, 3}},
		{"?migration_type=evacuation", "2.1", []float64{3}},
		{"?instance_uuid=i-1", "2.1", []float64{1}},
		{"?changes-since=2023-11-15T00:00:00Z", "2.58", []float64{1, 2, 3}},
		{"?changes-since=2023-11-15T00:00:00Z", "2.59", []float64{3, 2}},
		{"?changes-before=2023-11-15T00:00:00Z", "2.66", []float64{1}},
		{"?limit=1", "2.59", []float64{3}},
		{"?limit=1&marker=" + mig3, "2.59", []float64{2}},
		{"?limit=0", "2.59", nil},
	}
	for _, c := range cases {
		var ids []float64
		for _, m := range migrationList(t, e, c.query, c.mv) {
			ids = append(ids, m["id"].(float64))
		}
		if string(mustJSON(ids)) != string(mustJSON(c.ids)) {
			t.Errorf("%s at %s: %v, want %v", c.query, c.mv, ids, c.ids)
		}
	}
	r := e.do(t, "GET", "/v2.1/os-migrations?limit=1", e.admin, nil, "OpenStack-API-Version", "compute 2.59")
	link := r.Body["migrations_links"].([]any)[0].(map[string]any)["href"].(string)
	if !strings.Contains(link, "marker="+mig3) {
		t.Fatalf("next link: %s", link)
	}
	refusals := []struct {
		query, mv string
		msg       string
	}{
		{"?marker=nope", "2.59", "Marker nope could not be found."},
		{"?foo=1", "2.59", "Additional properties are not allowed ('foo' was unexpected)"},
		{"?changes-before=2023-11-15T00:00:00Z", "2.65", "Additional properties are not allowed ('changes-before' was unexpected)"},
		{"?changes-since=yesterday", "2.59", "Invalid input for query parameters changes-since. Value: yesterday. 'yesterday' is not a 'date-time'"},
		{"?changes-since=2023-11-16T00:00:00Z&changes-before=2023-11-15T00:00:00Z", "2.66", "The value of changes-since must be less than or equal to changes-before."},
	}
	for _, c := range refusals {
		if msg := e.refused(t, "GET", "/v2.1/os-migrations"+c.query, e.admin, nil, 400, "OpenStack-API-Version", "compute "+c.mv); msg != c.msg {
			t.Errorf("%s: %q, want %q", c.query, msg, c.msg)
		}
	}
	tok, _ := e.project(t, "p1", "member")
	if msg := e.refused(t, "GET", "/v2.1/os-migrations", tok, nil, 403); msg != "Policy doesn't allow os_compute_api:os-migrations:index to be performed." {
		t.Fatal(msg)
	}
}

func ptrString(s string) *string { return &s }

func TestMigrationsShowFlavorInternalIDs(t *testing.T) {
	e := startInfra(t)
	r := e.do(t, "POST", "/v2.1/flavors", e.admin, map[string]any{"flavor": map[string]any{"name": "f-x", "ram": 512,
		"vcpus": 1, "disk": 1, "id": "flavor-x"}})
	if r.Status != 200 {
		t.Fatalf("flavor: %d %s", r.Status, r.Raw)
	}
	if err := compute.InsertTestMigrations(e.id.DB, []compute.TestMigration{{ID: 1, UUID: mig1, InstanceUUID: "i-1",
		Type: "migration", Status: "finished", OldFlavorID: "flavor-x", NewFlavorID: "gone-flavor", CreatedAt: 1, UpdatedAt: 1}}); err != nil {
		t.Fatal(err)
	}
	m := migrationList(t, e, "", "2.1")[0]
	if _, isNum := m["old_instance_type_id"].(float64); !isNum || m["new_instance_type_id"] != nil {
		t.Fatalf("instance type ids: %v %v", m["old_instance_type_id"], m["new_instance_type_id"])
	}
}
