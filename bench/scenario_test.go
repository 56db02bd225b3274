package bench

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// request builds one HTTP request of a scenario.
type request func() (*http.Request, int)

// run drives b.N requests through conc workers and reports req/s, p50,
// p99 and the server's CPU milliseconds per request.
func run(b *testing.B, s *server, conc int, next request) {
	b.Helper()
	lat := make([]time.Duration, b.N)
	var idx atomic.Int64
	var wg sync.WaitGroup
	cpu0 := s.cpuTime(b)
	b.ResetTimer()
	start := time.Now()
	for range conc {
		wg.Go(func() {
			for {
				i := idx.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				req, want := next()
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				lat[i] = time.Since(t0)
				if resp.StatusCode != want {
					b.Errorf("status %d, want %d", resp.StatusCode, want)
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	cpu := s.cpuTime(b) - cpu0
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
	b.ReportMetric(ms(cpu)/float64(b.N), "server-cpu-ms/req")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func authBody(user, password, project string) []byte {
	scope := map[string]any{"project": map[string]any{"name": project, "domain": map[string]any{"id": "default"}}}
	b, _ := json.Marshal(map[string]any{"auth": map[string]any{
		"identity": map[string]any{"methods": []string{"password"}, "password": map[string]any{
			"user": map[string]any{"name": user, "domain": map[string]any{"id": "default"}, "password": password}}},
		"scope": scope}})
	return b
}

// token issues an admin token.
func (s *server) token(b testing.TB) string {
	resp, err := client.Post(s.url+"/auth/tokens", "application/json", bytes.NewReader(authBody("admin", s.password, "admin")))
	if err != nil || resp.StatusCode != 201 {
		b.Fatalf("token: %v %v", err, resp)
	}
	resp.Body.Close()
	return resp.Header.Get("X-Subject-Token")
}

func issueScenario(s *server) request {
	body := authBody("admin", s.password, "admin")
	return func() (*http.Request, int) {
		req, _ := http.NewRequest("POST", s.url+"/auth/tokens", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		return req, 201
	}
}

func getScenario(s *server, token, path, subject string) request {
	return func() (*http.Request, int) {
		req, _ := http.NewRequest("GET", s.url+path, nil)
		req.Header.Set("X-Auth-Token", token)
		if subject != "" {
			req.Header.Set("X-Subject-Token", subject)
		}
		return req, 200
	}
}

const concurrency = 8

// BenchmarkTokenIssue: password auth, project-scoped, at the default
// bcrypt cost (12) and at cost 4 to show the framework's own cost.
func BenchmarkTokenIssue(b *testing.B) {
	for _, cost := range []string{"12", "4"} {
		b.Run("bcrypt-"+cost, func(b *testing.B) {
			s := startServer(b, "--bcrypt-cost", cost)
			run(b, s, concurrency, issueScenario(s))
		})
	}
}

// BenchmarkTokenValidate: GET /v3/auth/tokens with X-Subject-Token.
func BenchmarkTokenValidate(b *testing.B) {
	s := startServer(b, "--bcrypt-cost", "4")
	tok := s.token(b)
	run(b, s, concurrency, getScenario(s, tok, "/auth/tokens", s.token(b)))
}

// BenchmarkProjectList: GET /v3/projects with 100 projects.
func BenchmarkProjectList(b *testing.B) {
	s := startServer(b, "--bcrypt-cost", "4")
	tok := s.token(b)
	for i := range 100 {
		body, _ := json.Marshal(map[string]any{"project": map[string]any{"name": "bench-" + string(rune('a'+i%26)) + string(rune('a'+i/26))}})
		req, _ := http.NewRequest("POST", s.url+"/projects", bytes.NewReader(body))
		req.Header.Set("X-Auth-Token", tok)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil || resp.StatusCode != 201 {
			b.Fatalf("create project: %v %v", err, resp)
		}
		resp.Body.Close()
	}
	run(b, s, concurrency, getScenario(s, tok, "/projects", ""))
}

// BenchmarkCatalog: GET /v3/auth/catalog.
func BenchmarkCatalog(b *testing.B) {
	s := startServer(b, "--bcrypt-cost", "4")
	run(b, s, concurrency, getScenario(s, s.token(b), "/auth/catalog", ""))
}

// BenchmarkColdStart: exec of `monostack up` on an empty state directory
// to the first 200 on GET /v3 (first start, which bootstraps, and a
// restart on the same state), with the idle resident memory after it.
func BenchmarkColdStart(b *testing.B) {
	for _, restart := range []bool{false, true} {
		name := "first-start"
		if restart {
			name = "restart"
		}
		b.Run(name, func(b *testing.B) {
			for range b.N {
				dir := b.TempDir()
				if restart {
					stopAfterReady(b, dir)
				}
				b.StartTimer()
				cmd, url := startOnFreePort(b, dir)
				waitFor200(url + "/v3")
				b.StopTimer()
				b.ReportMetric(ms(time.Since(cmdStart(cmd))), "ms-to-200")
				time.Sleep(2 * time.Second)
				b.ReportMetric(float64((&server{cmd: cmd}).rss(b))/(1<<20), "idle-rss-MiB")
				_ = cmd.Process.Signal(syscall.SIGTERM)
				_ = cmd.Wait()
			}
		})
	}
}
