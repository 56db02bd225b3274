package compute_test

import "testing"

func TestExtensionsListAndShow(t *testing.T) {
	e := start(t)
	tok, _ := e.project(t, "alpha", "member")
	r := e.do(t, "GET", "/v2.1/extensions", tok, nil)
	if r.Status != 200 {
		t.Fatalf("list: %d %s", r.Status, r.Raw)
	}
	list := r.Body["extensions"].([]any)
	if len(list) != 99 {
		t.Fatalf("%d extensions, want Nova's 99", len(list))
	}
	first := list[0].(map[string]any)
	if first["alias"] != "NMN" || first["name"] != "Multinic" || first["description"] != "Multiple network support." ||
		first["namespace"] != "http://docs.openstack.org/compute/ext/fake_xml" ||
		first["updated"] != "2014-12-03T00:00:00Z" || len(first["links"].([]any)) != 0 {
		t.Fatalf("first extension: %v", first)
	}
	r = e.do(t, "GET", "/v2.1/extensions/os-server-diagnostics", tok, nil)
	ext, _ := r.Body["extension"].(map[string]any)
	if r.Status != 200 || ext["name"] != "ServerDiagnostics" || ext["alias"] != "os-server-diagnostics" {
		t.Fatalf("show: %d %s", r.Status, r.Raw)
	}
	if msg := e.refused(t, "GET", "/v2.1/extensions/os-nope", tok, nil, 404); msg != "The resource could not be found." {
		t.Fatal(msg)
	}
}
