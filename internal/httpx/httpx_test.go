package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/monostack/monostack/internal/auth"
	"github.com/monostack/monostack/internal/errs"
)

// testFaults renders {"status": N, "message": "..."}.
type testFaults struct{}

func (testFaults) Render(w http.ResponseWriter, r *http.Request, err error) {
	e := errs.As(err)
	msg := e.Message
	if e.Kind == errs.Internal {
		msg = "internal error, request " + RequestID(r.Context())
	}
	w.WriteHeader(e.Status())
	_ = json.NewEncoder(w).Encode(map[string]any{"status": e.Status(), "message": msg})
}

type tokenOK struct{}

func (tokenOK) Validate(_ context.Context, tok string) (*auth.Token, error) {
	if tok != "good" {
		return nil, errs.Unauthorizedf("bad token")
	}
	return &auth.Token{UserID: "u1"}, nil
}

func newTestRouter() *Router {
	rt := NewRouter(Config{Faults: testFaults{}, Validator: tokenOK{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), MaxBody: 64})
	rt.Handle("GET", "/things/{id}", func(w http.ResponseWriter, r *http.Request) error {
		return WriteJSON(w, 200, map[string]string{"id": r.PathValue("id"), "user": auth.FromContext(r.Context()).UserID})
	})
	rt.Handle("POST", "/things", func(w http.ResponseWriter, r *http.Request) error {
		var v map[string]any
		if err := DecodeJSON(r, &v); err != nil {
			return err
		}
		return WriteJSON(w, 201, v)
	}, Public)
	rt.Handle("GET", "/panic", func(w http.ResponseWriter, r *http.Request) error { panic("secret internals") }, Public)
	return rt
}

func do(t *testing.T, h http.Handler, method, path, token, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("X-Auth-Token", token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestRouterBasics(t *testing.T) {
	h := newTestRouter().Handler()
	cases := []struct {
		method, path, token, body string
		status                    int
		contains                  string
	}{
		{"GET", "/things/7", "good", "", 200, `"id":"7"`},
		{"HEAD", "/things/7", "good", "", 200, ""},
		{"GET", "/things/7", "", "", 401, "requires authentication"},
		{"GET", "/things/7", "bad", "", 401, "bad token"},
		{"DELETE", "/things/7", "good", "", 405, "not allowed"},
		{"GET", "/nowhere", "", "", 404, "could not be found"},
		{"POST", "/things", "", `{"a":1}`, 201, `"a":1`},
		{"POST", "/things", "", `{"a":`, 400, "Malformed"},
		{"POST", "/things", "", `[1]`, 400, "JSON object"},
		{"POST", "/things", "", `{"a":"` + strings.Repeat("x", 100) + `"}`, 413, "too large"},
		{"GET", "/panic", "", "", 500, "internal error, request req-"},
	}
	for _, c := range cases {
		w := do(t, h, c.method, c.path, c.token, c.body)
		if w.Code != c.status || !strings.Contains(w.Body.String(), c.contains) {
			t.Errorf("%s %s: %d %s", c.method, c.path, w.Code, w.Body)
		}
		if id := w.Header().Get(RequestIDHeader); !globalIDPattern.MatchString(id) {
			t.Errorf("%s %s: request id %q", c.method, c.path, id)
		}
		if strings.Contains(w.Body.String(), "secret internals") {
			t.Error("panic text leaked")
		}
	}
	if w := do(t, h, "DELETE", "/things/7", "good", ""); w.Header().Get("Allow") != "GET" {
		t.Errorf("Allow = %q", w.Header().Get("Allow"))
	}
}

func TestChunkedBodyOverLimit(t *testing.T) {
	h := newTestRouter().Handler()
	req := httptest.NewRequest("POST", "/things", io.MultiReader(strings.NewReader(`{"a":"`), strings.NewReader(strings.Repeat("y", 200)), strings.NewReader(`"}`)))
	req.ContentLength = -1
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 413 {
		t.Fatalf("chunked over-limit body: %d %s", w.Code, w.Body)
	}
}

func TestGlobalRequestIDIsKeptAndNotEchoed(t *testing.T) {
	var global string
	rt := NewRouter(Config{Faults: testFaults{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	rt.Handle("GET", "/x", func(w http.ResponseWriter, r *http.Request) error {
		global = GlobalRequestID(r.Context())
		return nil
	})
	in := "req-12345678-1234-4234-8234-123456789012"
	req := httptest.NewRequest("GET", "/x", nil)
	req.Header.Set(RequestIDHeader, in)
	w := httptest.NewRecorder()
	rt.Handler().ServeHTTP(w, req)
	if global != in || w.Header().Get(RequestIDHeader) == in {
		t.Fatalf("global %q, response id %q", global, w.Header().Get(RequestIDHeader))
	}
	req.Header.Set(RequestIDHeader, "not-an-id; DROP TABLE")
	rt.Handler().ServeHTTP(httptest.NewRecorder(), req)
	if global != "" {
		t.Fatalf("malformed inbound id kept: %q", global)
	}
}

func TestParsePageSortFilters(t *testing.T) {
	q, _ := url.ParseQuery("limit=10&marker=abc&sort=name:desc,created_at&name__icontains=Web&enabled=false&junk=1")
	p, err := ParsePage(q, 5)
	if err != nil || p.Limit != 5 || p.Marker != "abc" {
		t.Fatalf("page %+v %v", p, err)
	}
	if _, err := ParsePage(url.Values{"limit": {"-1"}}, 0); err == nil {
		t.Fatal("negative limit accepted")
	}
	keys, err := ParseSort(q, map[string]bool{"name": true, "created_at": true})
	if err != nil || len(keys) != 2 || !keys[0].Desc || keys[1].Desc || keys[1].Key != "created_at" {
		t.Fatalf("sort %+v %v", keys, err)
	}
	if _, err := ParseSort(url.Values{"sort_key": {"password"}}, map[string]bool{"name": true}); err == nil {
		t.Fatal("unknown sort key accepted")
	}
	keys, _ = ParseSort(url.Values{"sort_key": {"name", "created_at"}, "sort_dir": {"desc"}}, map[string]bool{"name": true, "created_at": true})
	if len(keys) != 2 || !keys[1].Desc {
		t.Fatalf("sort_key/sort_dir %+v", keys)
	}
	fs := ParseFilters(q, []string{"enabled"}, []string{"name"})
	if len(fs) != 2 || fs[0] != (Filter{"enabled", OpEq, "false"}) || fs[1] != (Filter{"name", OpIContains, "Web"}) {
		t.Fatalf("filters %+v", fs)
	}
	if ParseBool("False") || !ParseBool("yes") {
		t.Fatal("ParseBool")
	}
	r := httptest.NewRequest("GET", "/v3/projects?limit=2&name=x", nil)
	if got := NextURL(r, "http://h", "id9", 2); got != "http://h/v3/projects?limit=2&marker=id9&name=x" {
		t.Fatalf("next %s", got)
	}
}

func TestWriteJSONDoesNotEscapeHTML(t *testing.T) {
	w := httptest.NewRecorder()
	if err := WriteJSON(w, 200, map[string]string{"next": "http://h/v3/x?a=1&b=<2>"}); err != nil {
		t.Fatal(err)
	}
	if got := w.Body.String(); got != `{"next":"http://h/v3/x?a=1&b=<2>"}` || w.Header().Get("Content-Length") != "34" {
		t.Fatalf("body %q, length %s", got, w.Header().Get("Content-Length"))
	}
}

func TestTrailingSlashIsIgnored(t *testing.T) {
	h := newTestRouter().Handler()
	if w := do(t, h, "GET", "/things/7/", "good", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"id":"7"`) {
		t.Fatalf("trailing slash: %d %s", w.Code, w.Body)
	}
}

// selfMarshaled writes itself; WriteJSONList must use its bytes as given.
type selfMarshaled struct{ n int }

func (s selfMarshaled) MarshalJSON() ([]byte, error) {
	return []byte(`{"n":` + strings.Repeat("1", s.n) + `}`), nil
}

func TestWriteJSONList(t *testing.T) {
	cases := []struct {
		name  string
		items any
		rest  map[string]any
		want  string
	}{
		{"nil is an empty list", nil, nil, `{"things":[]}`},
		{"nil slice is an empty list", []selfMarshaled(nil), nil, `{"things":[]}`},
		{"marshalers and extra members sorted", []selfMarshaled{{1}, {2}, {3}},
			map[string]any{"truncated": true, "links": map[string]any{"next": "a&b"}},
			`{"things":[{"n":1},{"n":11},{"n":111}],"links":{"next":"a&b"},"truncated":true}`},
		{"plain values", []map[string]string{{"a": "<b>"}}, nil, `{"things":[{"a":"<b>"}]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			if err := WriteJSONList(w, "things", c.items, c.rest); err != nil {
				t.Fatal(err)
			}
			if w.Code != 200 || w.Body.String() != c.want || w.Header().Get("Content-Type") != "application/json" ||
				w.Header().Get("Content-Length") != strconv.Itoa(len(c.want)) {
				t.Fatalf("%d %q %v, want %s", w.Code, w.Body, w.Header(), c.want)
			}
		})
	}
}

// A list long enough to be encoded in chunks reads as json.Marshal's.
func TestWriteJSONListLongListInChunks(t *testing.T) {
	items := make([]map[string]any, 5*parallelItems+3)
	for i := range items {
		items[i] = map[string]any{"id": i, "name": strings.Repeat("x", i%7), "tags": []string{"<a>"}}
	}
	w := httptest.NewRecorder()
	if err := WriteJSONList(w, "ports", items, map[string]any{"ports_links": []any{}}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"ports": items, "ports_links": []any{}}); err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSuffix(buf.String(), "\n"); w.Body.String() != want {
		t.Fatalf("chunked list differs from json.Marshal's (%d vs %d bytes)", w.Body.Len(), len(want))
	}
}

func TestStreamRoutesTakeAnyBody(t *testing.T) {
	rt := newTestRouter()
	rt.Handle("PUT", "/things/{id}/file", func(w http.ResponseWriter, r *http.Request) error {
		n, err := io.Copy(io.Discard, r.Body)
		if err != nil {
			return err
		}
		return WriteJSON(w, 200, map[string]int64{"bytes": n})
	}, Stream)
	h := rt.Handler()
	req := httptest.NewRequest("PUT", "/things/x/file", strings.NewReader(strings.Repeat("z", 1000)))
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("X-Auth-Token", "good")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"bytes":1000`) {
		t.Fatalf("streamed body over the JSON limit: %d %s", w.Code, w.Body)
	}
	if w := do(t, h, "POST", "/things", "", `{"a":"`+strings.Repeat("y", 200)+`"}`); w.Code != 413 {
		t.Fatalf("other routes keep the limit: %d", w.Code)
	}
}

func TestKeepTrailingSlash(t *testing.T) {
	rt := NewRouter(Config{Faults: testFaults{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), KeepTrailingSlash: true})
	rt.Handle("GET", "/things", func(w http.ResponseWriter, r *http.Request) error { return WriteJSON(w, 200, map[string]int{}) })
	h := rt.Handler()
	if w := do(t, h, "GET", "/things", "", ""); w.Code != 200 {
		t.Fatalf("/things: %d", w.Code)
	}
	if w := do(t, h, "GET", "/things/", "", ""); w.Code != 404 {
		t.Fatalf("/things/ with KeepTrailingSlash: %d", w.Code)
	}
}
