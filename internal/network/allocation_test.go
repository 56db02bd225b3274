package network_test

import (
	"sync"
	"testing"

	"github.com/monostack/monostack/internal/network"
)

// Parallel creates on a small range: exactly the range's size succeed,
// with distinct ids; the rest get NoNetworkAvailable.
func TestParallelTenantAllocation(t *testing.T) {
	e := start(t, func(o *network.Options) { o.VXLANRanges = []string{"1:8"} })
	var wg sync.WaitGroup
	statuses := make([]int, 20)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = e.do(t, "POST", "/v2.0/networks", e.member, map[string]any{"network": map[string]any{}}).Status
		}()
	}
	wg.Wait()
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	if count[201] != 8 || count[503] != 12 {
		t.Fatalf("statuses: %v", count)
	}
	seen := map[any]bool{}
	for _, n := range e.ok(t, 200, "GET", "/v2.0/networks", e.admin, nil)["networks"].([]any) {
		id := n.(map[string]any)["provider:segmentation_id"]
		if seen[id] {
			t.Fatalf("segmentation id %v given twice", id)
		}
		seen[id] = true
	}
}
