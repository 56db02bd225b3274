package identity_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

// In-process benchmarks of the hot paths, for profiling; the HTTP
// scenario figures are in bench/.

func benchGet(b *testing.B, path string, headers map[string]string, setup ...func(e *identitytest.Env, admin string)) {
	e := identitytest.Start(b, identitytest.Options{})
	admin := e.AdminToken(b)
	for _, f := range setup {
		f(e, admin)
	}
	h := e.Service.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("X-Auth-Token", admin)
		for k, v := range headers {
			if v == "" {
				v = e.AdminToken(b)
				headers[k] = v
			}
			req.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", path, w.Code, w.Body)
		}
	}
}

func BenchmarkValidateToken(b *testing.B) {
	benchGet(b, "/v3/auth/tokens", map[string]string{"X-Subject-Token": ""})
}

// BenchmarkListProjects lists 100 projects, as the scenario benchmark does.
func BenchmarkListProjects(b *testing.B) {
	benchGet(b, "/v3/projects", nil, func(e *identitytest.Env, admin string) {
		for i := range 100 {
			body := map[string]any{"project": map[string]any{"name": fmt.Sprintf("bench-%d", i)}}
			if r := e.Do(b, "POST", "/v3/projects", admin, body); r.Status != http.StatusCreated {
				b.Fatalf("create project: %d %s", r.Status, r.Raw)
			}
		}
	})
}

func BenchmarkCatalog(b *testing.B) { benchGet(b, "/v3/auth/catalog", nil) }
