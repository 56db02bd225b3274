package image_test

import (
	"context"
	"strings"
	"sync"
	"testing"
)

func loadDefaults(t *testing.T, e *env) {
	t.Helper()
	if err := e.svc.LoadDefaultMetadefs(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestMetadefDefaultsLoadIdempotently(t *testing.T) {
	e := start(t)
	loadDefaults(t, e)
	first := e.id.Snapshot(t)
	loadDefaults(t, e)
	if again := e.id.Snapshot(t); again != first {
		t.Fatalf("a second load changed the database:\nfirst:\n%s\nagain:\n%s", first, again)
	}
	r := e.do(t, "GET", nsBase+"?limit=100", e.admin, nil)
	if n := len(r.Body["namespaces"].([]any)); n != 33 {
		t.Fatalf("%d built-in namespaces", n)
	}
	// Without a limit a page holds Glance's limit_param_default, 25.
	r = e.do(t, "GET", nsBase, e.admin, nil)
	page := r.Body["namespaces"].([]any)
	last := page[len(page)-1].(map[string]any)["namespace"].(string)
	if len(page) != 25 || r.Body["first"] != nsBase || r.Body["next"] != nsBase+"?marker="+strings.ReplaceAll(last, ":", "%3A") {
		t.Fatalf("default page of %d: first %v next %v", len(page), r.Body["first"], r.Body["next"])
	}
	if r = e.do(t, "GET", r.Body["next"].(string), e.admin, nil); len(r.Body["namespaces"].([]any)) != 8 || r.Body["next"] != nil {
		t.Fatalf("second page %s", r.Raw)
	}
	// The standard resource types come first, as upstream lists them.
	r = e.do(t, "GET", "/v2/metadefs/resource_types", e.admin, nil)
	types := r.Body["resource_types"].([]any)
	first0 := types[0].(map[string]any)
	if len(types) != 6 || first0["name"] != "OS::Glance::Image" || first0["updated_at"] != nil {
		t.Fatalf("resource types %s", r.Raw)
	}
}

func TestMetadefDefaultsAsGlanceLoadsThem(t *testing.T) {
	e := start(t)
	loadDefaults(t, e)
	r := e.do(t, "GET", nsBase+"/OS::Compute::Watchdog", e.admin, nil)
	mdOK(t, r, 200)
	if r.Body["owner"] != "admin" || r.Body["visibility"] != "public" || r.Body["protected"] != true ||
		r.Body["display_name"] != "Watchdog Behavior" || r.Body["updated_at"] != nil {
		t.Fatalf("watchdog %s", r.Raw)
	}
	assocs := string(mustMarshal(r.Body["resource_type_associations"]))
	stamps := r.Body["created_at"]
	want := `[{"created_at":"` + stamps.(string) + `","name":"OS::Glance::Image","prefix":"hw_"},` +
		`{"created_at":"` + stamps.(string) + `","name":"OS::Cinder::Volume","prefix":"hw_","properties_target":"image"},` +
		`{"created_at":"` + stamps.(string) + `","name":"OS::Nova::Flavor","prefix":"hw:"}]`
	if assocs != want {
		t.Fatalf("associations %s", assocs)
	}
	action := r.Body["properties"].(map[string]any)["watchdog_action"].(map[string]any)
	if string(mustMarshal(action["enum"])) != `["disabled","reset","poweroff","pause","none"]` || action["type"] != "string" {
		t.Fatalf("watchdog_action %s", mustMarshal(action))
	}
	// Integer defaults read back as text, as Glance shows them.
	r = e.do(t, "GET", nsBase+"/OS::Compute::AggregateIoOpsFilter/properties/max_io_ops_per_host", e.admin, nil)
	if r.Body["default"] != "8" || r.Body["minimum"] != float64(1) {
		t.Fatalf("max_io_ops_per_host %s", r.Raw)
	}
	// Namespaces without a visibility are private: members do not see them.
	alice, _ := e.project(t, "alice")
	mdOK(t, e.do(t, "GET", nsBase+"/OS::Glance::CommonImageProperties", alice, nil), 404)
	mdOK(t, e.do(t, "GET", nsBase+"/OS::Compute::Watchdog", alice, nil), 200)
	r = e.do(t, "GET", nsBase+"/OS::Software::DBMS/objects/PostgreSQL", alice, nil)
	port := r.Body["properties"].(map[string]any)["sw_database_postgresql_listen_port"].(map[string]any)
	if port["default"] != "5432" || port["maximum"] != float64(65535) {
		t.Fatalf("postgresql %s", r.Raw)
	}
}

func TestMetadefDefaultsKeepOperatorChanges(t *testing.T) {
	e := start(t)
	// A namespace of that name existing before is left as it is.
	mdOK(t, e.do(t, "POST", nsBase, e.admin, map[string]any{"namespace": "OS::Compute::Watchdog", "description": "ours"}), 201)
	loadDefaults(t, e)
	if r := e.do(t, "GET", nsBase+"/OS::Compute::Watchdog", e.admin, nil); r.Body["description"] != "ours" || r.Body["properties"] != nil {
		t.Fatalf("replaced: %s", r.Raw)
	}
	// A built-in namespace the operator deleted stays deleted.
	mdOK(t, e.do(t, "DELETE", nsBase+"/OS::Glance::Signatures", e.admin, nil), 204)
	loadDefaults(t, e)
	mdOK(t, e.do(t, "GET", nsBase+"/OS::Glance::Signatures", e.admin, nil), 404)
}

// Controllers starting together each load the defaults; both succeed and
// the rows are those of one load.
func TestMetadefDefaultsConcurrentLoads(t *testing.T) {
	e := start(t)
	var wg sync.WaitGroup
	errors := make([]error, 2)
	for i := range errors {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errors[i] = e.svc.LoadDefaultMetadefs(context.Background())
		}()
	}
	wg.Wait()
	for _, err := range errors {
		if err != nil {
			t.Fatal(err)
		}
	}
	r := e.do(t, "GET", nsBase+"?limit=100", e.admin, nil)
	if n := len(r.Body["namespaces"].([]any)); n != 33 {
		t.Fatalf("%d namespaces", n)
	}
}
