package placement_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	placementapi "github.com/monostack/monostack/api/placement"
)

const (
	numa0 = "0000000a-0000-0000-0000-000000000000"
	numa1 = "0000000b-0000-0000-0000-000000000000"
)

func TestCandidatesShapesByMicroversion(t *testing.T) {
	e := start(t)
	e.provider(t, rpA, "a", 8, 1024, 10)
	e.provider(t, rpB, "b", 1, 1024, 10)
	q := "/allocation_candidates?resources=VCPU:2,MEMORY_MB:512"
	r := must(t, e.do(t, "GET", q, "1.10", nil), 200)
	reqs := r.Body["allocation_requests"].([]any)
	if len(reqs) != 1 {
		t.Fatalf("1.10: %s", r.Raw)
	}
	if _, isList := reqs[0].(map[string]any)["allocations"].([]any); !isList {
		t.Fatalf("1.10 allocations are a list: %s", r.Raw)
	}
	sum := r.Body["provider_summaries"].(map[string]any)[rpA].(map[string]any)
	if _, has := sum["traits"]; has || len(sum["resources"].(map[string]any)) != 2 {
		t.Fatalf("1.10 summary %v", sum)
	}
	r = must(t, e.do(t, "GET", q, "1.34", nil), 200)
	ar := r.Body["allocation_requests"].([]any)[0].(map[string]any)
	if ar["allocations"].(map[string]any)[rpA] == nil || ar["mappings"].(map[string]any)[""] == nil {
		t.Fatalf("1.34 request %s", r.Raw)
	}
	sum = r.Body["provider_summaries"].(map[string]any)[rpA].(map[string]any)
	if len(sum["resources"].(map[string]any)) != 3 || sum["root_provider_uuid"] != rpA {
		t.Fatalf("1.34 summary %v", sum)
	}
	e.refused(t, "GET", "/allocation_candidates?resources=VCPU:0", "1.34", nil, 400, "")
	e.refused(t, "GET", "/allocation_candidates?resources=FOO:1", "1.34", nil, 400, "")
	e.refused(t, "GET", q+"&limit=0", "1.34", nil, 400, "")
	e.refused(t, "GET", q+"&limit=1", "1.15", nil, 400, "")
}

func TestCandidatesTraitsAggregatesLimitAndTrees(t *testing.T) {
	e := start(t)
	e.provider(t, rpA, "a", 8, 1024, 10)
	e.provider(t, rpB, "b", 8, 1024, 10)
	ctx := context.Background()
	if err := e.svc.SetProviderTraits(ctx, rpA, []string{"HW_CPU_X86_AVX2", "CUSTOM_GOLD"}); err != nil {
		t.Fatal(err)
	}
	agg := "99999999-9999-9999-9999-999999999999"
	if err := e.svc.SetProviderAggregates(ctx, rpB, []string{agg}); err != nil {
		t.Fatal(err)
	}
	count := func(query string) int {
		r := must(t, e.do(t, "GET", "/allocation_candidates?resources=VCPU:1&"+query, "1.39", nil), 200)
		return len(r.Body["allocation_requests"].([]any))
	}
	for query, want := range map[string]int{"required=CUSTOM_GOLD": 1, "required=!CUSTOM_GOLD": 1,
		"required=in:CUSTOM_GOLD,HW_CPU_X86_SSE": 1, "member_of=" + agg: 1, "member_of=!" + agg: 1,
		"limit=1": 1, "": 2, "in_tree=" + rpB: 1} {
		if got := count(query); got != want {
			t.Errorf("%s: %d candidates, want %d", query, got, want)
		}
	}
	// A tree: VCPU on the root's NUMA children, memory on the root.
	must(t, e.do(t, "POST", "/resource_providers", "1.20", map[string]any{"name": "n0", "uuid": numa0, "parent_provider_uuid": rpA}), 200)
	if err := e.svc.SetInventories(ctx, numa0, map[string]placementapi.Inventory{"VCPU": {Total: 4, MinUnit: 1, MaxUnit: 4, StepSize: 1, AllocationRatio: 1}}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetInventories(ctx, rpA, map[string]placementapi.Inventory{"MEMORY_MB": {Total: 2048, MinUnit: 1, MaxUnit: 2048, StepSize: 1, AllocationRatio: 1}}); err != nil {
		t.Fatal(err)
	}
	r := must(t, e.do(t, "GET", "/allocation_candidates?resources=VCPU:2,MEMORY_MB:100&in_tree="+rpA, "1.39", nil), 200)
	reqs := r.Body["allocation_requests"].([]any)
	if len(reqs) != 1 {
		t.Fatalf("tree: %s", r.Raw)
	}
	allocs := reqs[0].(map[string]any)["allocations"].(map[string]any)
	if allocs[numa0] == nil || allocs[rpA] == nil {
		t.Fatalf("spread over the tree: %s", r.Raw)
	}
	// Before 1.29 a provider alone must hold everything.
	r = must(t, e.do(t, "GET", "/allocation_candidates?resources=VCPU:2,MEMORY_MB:100", "1.28", nil), 200)
	if n := len(r.Body["allocation_requests"].([]any)); n != 1 {
		t.Fatalf("1.28: %s", r.Raw)
	}
	// Numbered groups with isolation.
	must(t, e.do(t, "POST", "/resource_providers", "1.20", map[string]any{"name": "n1", "uuid": numa1, "parent_provider_uuid": rpA}), 200)
	if err := e.svc.SetInventories(ctx, numa1, map[string]placementapi.Inventory{"VCPU": {Total: 4, MinUnit: 1, MaxUnit: 4, StepSize: 1, AllocationRatio: 1}}); err != nil {
		t.Fatal(err)
	}
	r = must(t, e.do(t, "GET", "/allocation_candidates?resources1=VCPU:3&resources2=VCPU:3&group_policy=isolate&in_tree1="+rpA+"&in_tree2="+rpA, "1.39", nil), 200)
	if n := len(r.Body["allocation_requests"].([]any)); n != 2 {
		t.Fatalf("isolate: %s", r.Raw)
	}
	e.refused(t, "GET", "/allocation_candidates?resources1=VCPU:3&resources2=VCPU:3", "1.39", nil, 400, "")
}

func TestInProcessCandidatesAndMove(t *testing.T) {
	e := start(t)
	e.provider(t, rpA, "a", 4, 1024, 10)
	e.provider(t, rpB, "b", 4, 1024, 10)
	ctx := context.Background()
	ac, err := e.svc.AllocationCandidates(ctx, placementapi.CandidatesQuery{Resources: map[string]int{"VCPU": 4}, Limit: 1})
	if err != nil || len(ac.AllocationRequests) != 1 || len(ac.ProviderSummaries) != 1 {
		t.Fatalf("%+v %v", ac, err)
	}
	put := placementapi.AllocationsPut{Allocations: map[string]placementapi.Resources{rpA: {Resources: map[string]int{"VCPU": 4}}}, ProjectID: "p", UserID: "u"}
	if err := e.svc.PutAllocations(ctx, c1, put); err != nil {
		t.Fatal(err)
	}
	// A move: the instance's claim goes to b while a migration record keeps a.
	migration := "4d4d4d4d-4d4d-4d4d-4d4d-4d4d4d4d4d4d"
	gen := 1
	err = e.svc.PostAllocations(ctx, map[string]placementapi.AllocationsPut{
		migration: {Allocations: put.Allocations, ProjectID: "p", UserID: "u", ConsumerType: "MIGRATION"},
		c1:        {Allocations: map[string]placementapi.Resources{rpB: {Resources: map[string]int{"VCPU": 4}}}, ProjectID: "p", UserID: "u", ConsumerGeneration: &gen},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.GetAllocations(ctx, c1)
	if err != nil || got.Allocations[rpB].Resources["VCPU"] != 4 || *got.ConsumerGeneration != 2 {
		t.Fatalf("%+v %v", got, err)
	}
	if err := e.svc.DeleteAllocations(ctx, "77777777-7777-7777-7777-777777777777"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.DeleteProvider(ctx, rpA); err == nil {
		t.Fatal("deleted a provider with allocations")
	}
}

// BenchmarkAllocationCandidates: 1,000 providers with VCPU, MEMORY_MB and
// DISK_GB, a third of them partly used, through the HTTP handler.
func BenchmarkAllocationCandidates(b *testing.B) {
	e := start(b)
	ctx := context.Background()
	for i := 0; i < 1000; i++ {
		uuid := fmt.Sprintf("%08d-0000-0000-0000-000000000000", i)
		if _, err := e.svc.EnsureProvider(ctx, uuid, "host-"+uuid[:8], ""); err != nil {
			b.Fatal(err)
		}
		if err := e.svc.SetInventories(ctx, uuid, map[string]placementapi.Inventory{
			"VCPU":      {Total: 32, MinUnit: 1, MaxUnit: 32, StepSize: 1, AllocationRatio: 4},
			"MEMORY_MB": {Total: 131072, MinUnit: 1, MaxUnit: 131072, StepSize: 1, AllocationRatio: 1.5},
			"DISK_GB":   {Total: 1000, MinUnit: 1, MaxUnit: 1000, StepSize: 1, AllocationRatio: 1}}); err != nil {
			b.Fatal(err)
		}
		if i%3 == 0 {
			if err := e.svc.PutAllocations(ctx, fmt.Sprintf("%08d-1111-0000-0000-000000000000", i), placementapi.AllocationsPut{
				Allocations: map[string]placementapi.Resources{uuid: {Resources: map[string]int{"VCPU": 4, "MEMORY_MB": 8192, "DISK_GB": 40}}},
				ProjectID:   "p", UserID: "u"}); err != nil {
				b.Fatal(err)
			}
		}
	}
	h := e.svc.Handler()
	for _, limit := range []string{"", "&limit=1", "&limit=50"} {
		b.Run("limit="+limit, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				req := httptest.NewRequest("GET", "/allocation_candidates?resources=VCPU:1,MEMORY_MB:512,DISK_GB:1"+limit, nil)
				req.Header.Set("X-Auth-Token", e.admin)
				req.Header.Set("OpenStack-API-Version", "placement 1.39")
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("%d %s", w.Code, w.Body)
				}
			}
		})
	}
}
