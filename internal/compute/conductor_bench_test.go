package compute_test

import (
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkBootAndDelete is Rally's boot-and-delete with the fake driver:
// each iteration boots a server, waits for ACTIVE and deletes it, at
// concurrency 1, 10 and 50. It reports the p50 and p95 of boot to ACTIVE
// as a client polling every 20 ms sees it (so a boot reads up to 20 ms
// long; polling faster makes 50 pollers the load being measured).
func BenchmarkBootAndDelete(b *testing.B) {
	for _, conc := range []int{1, 10, 50} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			c := startCloud(b, hostConfig{hosts: 10})
			var mu sync.Mutex
			var boots []time.Duration
			var next atomic.Int64
			b.ResetTimer()
			var wg sync.WaitGroup
			for range conc {
				wg.Go(func() {
					for next.Add(1) <= int64(b.N) {
						start := time.Now()
						id := c.boot(b, "bench", "42", nil)
						c.waitStatusEvery(b, id, "ACTIVE", 20*time.Millisecond)
						d := time.Since(start)
						mu.Lock()
						boots = append(boots, d)
						mu.Unlock()
						c.remove(b, id)
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			sort.Slice(boots, func(i, j int) bool { return boots[i] < boots[j] })
			b.ReportMetric(float64(boots[len(boots)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(boots[len(boots)*95/100].Microseconds())/1000, "p95-ms")
		})
	}
}
