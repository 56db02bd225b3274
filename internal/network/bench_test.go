package network_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkNetworkCreateDelete creates and deletes a network per
// iteration at concurrency 1 and 20 and reports the pair's percentiles.
func BenchmarkNetworkCreateDelete(b *testing.B) {
	for _, conc := range []int{1, 20} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			e := start(b)
			pairs(b, conc, func() {
				n := e.createNet(b, e.member, map[string]any{"name": "bench"})
				e.ok(b, 204, "DELETE", "/v2.0/networks/"+n["id"].(string), e.member, nil)
			})
		})
	}
}

// BenchmarkPortCreateDelete creates and deletes a port on a /16 per
// iteration at concurrency 1 and 20.
func BenchmarkPortCreateDelete(b *testing.B) {
	for _, conc := range []int{1, 20} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			e := start(b)
			n := e.createNet(b, e.member, map[string]any{"name": "bench"})
			e.createSubnet(b, e.member, map[string]any{"network_id": n["id"], "ip_version": 4, "cidr": "10.0.0.0/16"})
			pairs(b, conc, func() {
				p := e.createPort(b, e.member, map[string]any{"network_id": n["id"]})
				e.ok(b, 204, "DELETE", "/v2.0/ports/"+p["id"].(string), e.member, nil)
			})
		})
	}
}

// BenchmarkListPorts lists 10,000 ports as their owner.
func BenchmarkListPorts(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(400)) // as the binary runs (ADR 0006)
	e := start(b)
	n := e.createNet(b, e.member, map[string]any{"name": "many"})
	e.createSubnet(b, e.member, map[string]any{"network_id": n["id"], "ip_version": 4, "cidr": "10.0.0.0/16", "enable_dhcp": false})
	e.setQuota(b, e.alpha, map[string]any{"port": -1})
	batch := make([]any, 500)
	for i := range batch {
		batch[i] = map[string]any{"network_id": n["id"]}
	}
	for range 20 {
		e.ok(b, 201, "POST", "/v2.0/ports", e.member, map[string]any{"ports": batch})
	}
	if got := e.ok(b, 200, "GET", "/v2.0/ports", e.member, nil)["ports"].([]any); len(got) != 10000 {
		b.Fatalf("%d ports", len(got))
	}
	// The API's time: the whole body is read, not decoded (the client's cost).
	get := func(b *testing.B, query string, want int) {
		req, _ := http.NewRequest("GET", e.root+"/v2.0/ports"+query, nil)
		req.Header.Set("X-Auth-Token", e.member)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 || bytes.Count(body, []byte(`"mac_address":`)) != want {
			b.Fatalf("list%s: %d %v, %d bytes", query, resp.StatusCode, err, len(body))
		}
	}
	b.Run("all", func(b *testing.B) {
		for range b.N {
			get(b, "", 10000)
		}
	})
	// What Nova asks for an instance: one port among 10,000.
	e.createPort(b, e.member, map[string]any{"network_id": n["id"], "device_id": "vm-1"})
	b.Run("device_id", func(b *testing.B) {
		for range b.N {
			get(b, "?device_id=vm-1", 1)
		}
	})
}

// pairs runs b.N calls of fn over conc clients and reports percentiles.
func pairs(b *testing.B, conc int, fn func()) {
	// The binary's garbage collector target (ADR 0006), not go test's.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	var mu sync.Mutex
	var took []time.Duration
	var next atomic.Int64
	b.ResetTimer()
	var wg sync.WaitGroup
	for range conc {
		wg.Go(func() {
			for next.Add(1) <= int64(b.N) {
				t0 := time.Now()
				fn()
				mu.Lock()
				took = append(took, time.Since(t0))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
}
