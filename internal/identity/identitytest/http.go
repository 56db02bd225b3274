package identitytest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// Response is a raw HTTP answer with its JSON body decoded.
type Response struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

// Do sends a request with an optional token and JSON body (a string is
// sent as is, anything else is encoded).
func (e *Env) Do(t testing.TB, method, path, token string, body any) *Response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("X-Auth-Token", token)
	}
	return e.send(t, req)
}

// DoSubject sends a token-API request with X-Subject-Token.
func (e *Env) DoSubject(t testing.TB, method, path, token, subject string) *Response {
	t.Helper()
	req, err := http.NewRequest(method, e.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Auth-Token", token)
	req.Header.Set("X-Subject-Token", subject)
	return e.send(t, req)
}

func (e *Env) send(t testing.TB, req *http.Request) *Response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := &Response{Status: resp.StatusCode, Header: resp.Header, Raw: raw}
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &out.Body)
	}
	return out
}

// Token issues a token by password for a user of the Default domain,
// scoped to a project of the Default domain unless project is "".
func (e *Env) Token(t testing.TB, user, password, project string) string {
	t.Helper()
	r := e.Do(t, "POST", "/v3/auth/tokens", "", PasswordAuth(user, password, project))
	if r.Status != http.StatusCreated {
		t.Fatalf("token for %s/%s: %d %s", user, project, r.Status, r.Raw)
	}
	return r.Header.Get("X-Subject-Token")
}

// AdminToken is a project-scoped token of the bootstrap admin.
func (e *Env) AdminToken(t testing.TB) string { return e.Token(t, "admin", AdminPassword, "admin") }

// PasswordAuth is a password auth body, project-scoped unless project is "".
func PasswordAuth(user, password, project string) map[string]any {
	a := map[string]any{"identity": map[string]any{"methods": []string{"password"},
		"password": map[string]any{"user": map[string]any{"name": user, "domain": map[string]any{"id": "default"}, "password": password}}}}
	if project != "" {
		a["scope"] = map[string]any{"project": map[string]any{"name": project, "domain": map[string]any{"id": "default"}}}
	}
	return map[string]any{"auth": a}
}

// ErrorOf returns the {"error": {...}} object of a response, failing the
// test when it is missing or malformed.
func ErrorOf(t testing.TB, r *Response) (code int, message, title string) {
	t.Helper()
	e, ok := r.Body["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error object in %d %s", r.Status, r.Raw)
	}
	c, _ := e["code"].(float64)
	message, _ = e["message"].(string)
	title, _ = e["title"].(string)
	if int(c) != r.Status || message == "" || title == "" {
		t.Fatalf("malformed error body for %d: %s", r.Status, r.Raw)
	}
	return int(c), message, title
}
