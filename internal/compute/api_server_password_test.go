package compute_test

import (
	"strings"
	"testing"

	"github.com/monostack/monostack/internal/compute"
)

func TestServerPasswordShowAndClear(t *testing.T) {
	e := startServers(t)
	tok, project := e.project(t, "alpha", "member")
	id := e.activeServer(t, project)
	r := e.do(t, "GET", "/v2.1/servers/"+id+"/os-server-password", tok, nil)
	if r.Status != 200 || r.Body["password"] != "" {
		t.Fatalf("no password: %d %s", r.Status, r.Raw)
	}
	chunk := strings.Repeat("x", 255)
	sys := map[string]string{"password_0": chunk, "password_1": "yz", "password_2": "", "password_3": "", "other": "o"}
	if err := compute.SetTestInstance(e.id.DB, id, nil, sys); err != nil {
		t.Fatal(err)
	}
	r = e.do(t, "GET", "/v2.1/servers/"+id+"/os-server-password", tok, nil)
	if r.Status != 200 || r.Body["password"] != chunk+"yz" {
		t.Fatalf("password: %d %s", r.Status, r.Raw)
	}
	other, _ := e.project(t, "beta", "member")
	e.refused(t, "DELETE", "/v2.1/servers/"+id+"/os-server-password", other, nil, 404)
	reader, _ := e.project(t, "gamma", "reader")
	e.refused(t, "GET", "/v2.1/servers/"+id+"/os-server-password", reader, nil, 404)
	if r := e.do(t, "DELETE", "/v2.1/servers/"+id+"/os-server-password", tok, nil); r.Status != 204 {
		t.Fatalf("clear: %d %s", r.Status, r.Raw)
	}
	got, err := compute.SystemMetadataOf(e.id.DB, id)
	if err != nil {
		t.Fatal(err)
	}
	if got["password_0"] != "" || got["password_1"] != "" || got["other"] != "o" || len(got) != 5 {
		t.Fatalf("system metadata after clear: %v", got)
	}
	if r := e.do(t, "GET", "/v2.1/servers/"+id+"/os-server-password", tok, nil); r.Body["password"] != "" {
		t.Fatalf("after clear: %s", r.Raw)
	}
	e.refused(t, "GET", "/v2.1/servers/00000000-0000-0000-0000-000000000000/os-server-password", tok, nil, 404)
}
