package compute_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/monostack/monostack/internal/compute"
	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/identity/identitytest"
)

// BenchmarkServersDetail lists a 1000-server page of 10,000 through the
// HTTP handler.
func BenchmarkServersDetail(b *testing.B) {
	id := identitytest.Start(b, identitytest.Options{})
	svc, err := compute.New(compute.Options{DB: id.DB, Validator: id.Service, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	token := id.AdminToken(b)
	project := adminProject(b, id, token)
	list := make([]compute.TestInstance, 10000)
	for n := range list {
		list[n] = compute.TestInstance{UUID: httpx.NewUUID(), ProjectID: project, UserID: "u", Name: fmt.Sprintf("vm-%05d", n),
			VMState: "active", Host: "host1", Launched: true, CreatedAt: int64(n + 1), IP: fmt.Sprintf("10.%d.%d.%d", n>>16, (n>>8)&255, n&255),
			Metadata: map[string]string{"n": fmt.Sprint(n)}, Tags: []string{"t"}, ImageRef: "img",
			Flavor: computerpc.Flavor{ID: "1", Name: "m1.tiny", VCPUs: 1, MemoryMB: 512, RootGB: 1}}
	}
	if err := compute.InsertTestInstances(id.DB, list); err != nil {
		b.Fatal(err)
	}
	h := svc.Handler()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest("GET", "/v2.1/servers/detail?limit=1000", nil)
		req.Header.Set("X-Auth-Token", token)
		req.Header.Set("OpenStack-API-Version", "compute 2.79")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("%d %s", rec.Code, rec.Body.String())
		}
	}
}

// adminProject is the admin token's project id.
func adminProject(b *testing.B, id *identitytest.Env, token string) string {
	tok, err := id.Service.Validate(b.Context(), token)
	if err != nil {
		b.Fatal(err)
	}
	return tok.ProjectID()
}
