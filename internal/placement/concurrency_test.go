package placement_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	placementapi "github.com/monostack/monostack/api/placement"
	"github.com/monostack/monostack/internal/errs"
)

// TestConcurrentClaimsNeverOvercommit: 100 consumers claim 1 VCPU each at
// once on a provider with capacity for 40; exactly 40 succeed and every
// other claim is a 409.
func TestConcurrentClaimsNeverOvercommit(t *testing.T) {
	e := start(t)
	const rp = "11111111-1111-1111-1111-111111111111"
	e.provider(t, rp, "host", 10, 4096, 100) // 10 VCPU at the default ratio 1.0...
	ctx := context.Background()
	if err := e.svc.SetInventories(ctx, rp, map[string]placementapi.Inventory{
		"VCPU": {Total: 10, MinUnit: 1, MaxUnit: 10, StepSize: 1, AllocationRatio: 4.0}}); err != nil { // ...made 40
		t.Fatal(err)
	}
	var ok, conflicts atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			err := e.svc.PutAllocations(ctx, fmt.Sprintf("00000000-0000-0000-0000-%012d", i), placementapi.AllocationsPut{
				Allocations: map[string]placementapi.Resources{rp: {Resources: map[string]int{"VCPU": 1}}},
				ProjectID:   "p", UserID: "u", ConsumerType: "INSTANCE"})
			switch {
			case err == nil:
				ok.Add(1)
			case errs.Is(err, errs.Conflict):
				conflicts.Add(1)
			default:
				t.Errorf("claim %d: %v", i, err)
			}
		}(i)
	}
	wg.Wait()
	if ok.Load() != 40 || conflicts.Load() != 60 {
		t.Fatalf("%d claims succeeded and %d conflicted, want 40 and 60", ok.Load(), conflicts.Load())
	}
	usages, err := e.svc.ProviderUsages(ctx, rp)
	if err != nil || usages["VCPU"] != 40 {
		t.Fatalf("usage %v (%v), want 40 VCPU", usages, err)
	}
}

// TestConcurrentHTTPClaims does the same through the HTTP API.
func TestConcurrentHTTPClaims(t *testing.T) {
	e := start(t)
	const rp = "22222222-2222-2222-2222-222222222222"
	e.provider(t, rp, "host", 40, 4096, 100)
	var ok, conflicts atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := e.do(t, "PUT", fmt.Sprintf("/allocations/00000000-0000-0000-0000-%012d", i), "1.38", map[string]any{
				"allocations": map[string]any{rp: map[string]any{"resources": map[string]any{"VCPU": 1}}},
				"project_id":  "p", "user_id": "u", "consumer_generation": nil, "consumer_type": "INSTANCE"})
			switch r.Status {
			case 204:
				ok.Add(1)
			case 409:
				conflicts.Add(1)
			default:
				t.Errorf("claim %d: %d %s", i, r.Status, r.Raw)
			}
		}(i)
	}
	wg.Wait()
	if ok.Load() != 40 || conflicts.Load() != 60 {
		t.Fatalf("%d claims succeeded and %d conflicted, want 40 and 60", ok.Load(), conflicts.Load())
	}
}
