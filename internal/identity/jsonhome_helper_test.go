package identity_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/monostack/monostack/internal/identity/identitytest"
)

func jsonHome(t *testing.T, e *identitytest.Env) map[string]any {
	t.Helper()
	req, _ := http.NewRequest("GET", e.URL+"/v3", nil)
	req.Header.Set("Accept", "application/json-home")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.Header.Get("Content-Type") != "application/json-home" || resp.StatusCode != 200 {
		t.Fatalf("json-home: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
