package compute_test

import (
	"fmt"
	"runtime/debug"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkBootAndDelete is Rally's boot-and-delete with the fake driver:
// each iteration boots a server, waits for ACTIVE and deletes it, at
// concurrency 1, 10 and 50. Boot to ACTIVE is measured the way the cloud
// records it: from the create action's start to the end of its build
// event (microsecond times from os-instance-actions), so the clients'
// status polling neither pads the figure nor, at concurrency 50, becomes
// the load being measured. The clients poll every 50 ms, while booting
// and while deleting: far harder than Rally does (see the next benchmark).
func BenchmarkBootAndDelete(b *testing.B) {
	for _, conc := range []int{1, 10, 50} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			bootAndDelete(b, conc, pacing{poll: 50 * time.Millisecond, deletePoll: 50 * time.Millisecond})
		})
	}
}

// BenchmarkBootAndDeleteRallyPacing is BenchmarkBootAndDelete at
// concurrency 50 with Rally's own pacing (rally-openstack's defaults:
// nova_server_boot_prepoll_delay 1 s, nova_server_boot_poll_interval 2 s,
// nova_server_delete_prepoll_delay 2 s, nova_server_delete_poll_interval
// 2 s), so the cloud sees the load a Rally run gives it.
func BenchmarkBootAndDeleteRallyPacing(b *testing.B) {
	bootAndDelete(b, 50, pacing{prepoll: time.Second, poll: 2 * time.Second,
		deletePrepoll: 2 * time.Second, deletePoll: 2 * time.Second})
}

// pacing is how a benchmark client waits on the cloud.
type pacing struct {
	prepoll, poll, deletePrepoll, deletePoll time.Duration
}

// bootAndDelete runs b.N boot-wait-delete iterations over conc clients and
// reports the boot-to-ACTIVE percentiles.
func bootAndDelete(b *testing.B, conc int, p pacing) {
	// The binary's garbage collector target (ADR 0006), not go test's.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	c := startCloud(b, hostConfig{hosts: 10})
	var mu sync.Mutex
	var boots []time.Duration
	var next atomic.Int64
	b.ResetTimer()
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				id := c.boot(b, "bench", "42", nil)
				time.Sleep(p.prepoll)
				c.waitStatusEvery(b, id, "ACTIVE", p.poll)
				d := c.buildTime(b, id)
				mu.Lock()
				boots = append(boots, d)
				mu.Unlock()
				c.removeAfter(b, id, p.deletePrepoll, p.deletePoll)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	sort.Slice(boots, func(i, j int) bool { return boots[i] < boots[j] })
	b.ReportMetric(float64(boots[len(boots)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(boots[len(boots)*95/100].Microseconds())/1000, "p95-ms")
}

// buildTime is a server's create action start to its build event's end.
func (c *cloud) buildTime(b testing.TB, id string) time.Duration {
	b.Helper()
	var reqID, start string
	c.getJSON(b, "/v2.1/servers/"+id+"/os-instance-actions", func(m map[string]any) {
		for _, a := range m["instanceActions"].([]any) {
			if am := a.(map[string]any); am["action"] == "create" {
				reqID, start = am["request_id"].(string), am["start_time"].(string)
			}
		}
	})
	var finish string
	c.getJSON(b, "/v2.1/servers/"+id+"/os-instance-actions/"+reqID, func(m map[string]any) {
		for _, e := range m["instanceAction"].(map[string]any)["events"].([]any) {
			if em := e.(map[string]any); em["event"] == "compute__do_build_and_run_instance" {
				finish, _ = em["finish_time"].(string)
			}
		}
	})
	const layout = "2006-01-02T15:04:05.000000"
	t0, err1 := time.Parse(layout, start)
	t1, err2 := time.Parse(layout, finish)
	if err1 != nil || err2 != nil {
		b.Fatalf("action times %q → %q", start, finish)
	}
	return t1.Sub(t0)
}
