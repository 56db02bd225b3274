package httpx

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

var novaSpec = MicroversionSpec{ServiceType: "compute", LegacyHeader: "X-OpenStack-Nova-API-Version",
	Min: Microversion{2, 1}, Max: Microversion{2, 60}}

func TestMicroversionNegotiation(t *testing.T) {
	cases := []struct {
		name    string
		headers map[string]string
		want    string
		bad     bool
		format  bool
	}{
		{"none is the minimum", nil, "2.1", false, false},
		{"new header", map[string]string{"OpenStack-API-Version": "compute 2.10"}, "2.10", false, false},
		{"new header other service ignored", map[string]string{"OpenStack-API-Version": "volume 3.5"}, "2.1", false, false},
		{"legacy header", map[string]string{"X-OpenStack-Nova-API-Version": "2.37"}, "2.37", false, false},
		{"new wins over legacy", map[string]string{"OpenStack-API-Version": "compute 2.3", "X-OpenStack-Nova-API-Version": "2.37"}, "2.3", false, false},
		{"latest", map[string]string{"OpenStack-API-Version": "compute latest"}, "2.60", false, false},
		{"above max", map[string]string{"OpenStack-API-Version": "compute 2.61"}, "", true, false},
		{"below min", map[string]string{"OpenStack-API-Version": "compute 2.0"}, "", true, false},
		{"garbage", map[string]string{"OpenStack-API-Version": "compute two"}, "", true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tc.headers {
				h.Set(k, v)
			}
			v, err := novaSpec.Negotiate(h)
			var me *MicroversionError
			if tc.bad {
				if !errors.As(err, &me) || me.BadFormat != tc.format {
					t.Fatalf("got %v, %v", v, err)
				}
				return
			}
			if err != nil || v.String() != tc.want {
				t.Fatalf("got %v, %v; want %s", v, err, tc.want)
			}
		})
	}
}

func TestMicroversionMiddlewareHeaders(t *testing.T) {
	var seen Microversion
	h := novaSpec.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = MicroversionOf(r.Context())
	}), func(w http.ResponseWriter, r *http.Request, err *MicroversionError) {
		http.Error(w, err.Error(), http.StatusNotAcceptable)
	})
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("X-OpenStack-Nova-API-Version", "2.5")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if seen.String() != "2.5" || w.Header().Get("OpenStack-API-Version") != "compute 2.5" ||
		w.Header().Get("X-OpenStack-Nova-API-Version") != "2.5" || w.Header().Get("Vary") == "" {
		t.Fatalf("seen %v headers %v", seen, w.Header())
	}
	req.Header.Set("X-OpenStack-Nova-API-Version", "2.99")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusNotAcceptable {
		t.Fatalf("status %d", w.Code)
	}
}
