package image_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/imageimport"
)

func TestImportInfo(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	info, err := imageimport.Get(context.Background(), e.client(alice)).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if info.ImportMethods.Description != "Import methods available." || info.ImportMethods.Type != "array" ||
		strings.Join(info.ImportMethods.Value, ",") != "glance-direct" {
		t.Fatalf("%+v", info)
	}
	r := e.do(t, "GET", "/v2/info/import", alice, nil)
	if r.Status != 200 || string(r.Raw) != `{"import-methods":{"description":"Import methods available.","type":"array","value":["glance-direct"]}}` {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
}

// With one store enabled, Glance lists it as the default.
func TestStoresInfo(t *testing.T) {
	e := start(t)
	alice, _ := e.project(t, "alice")
	r := e.do(t, "GET", "/v2/info/stores", alice, nil)
	if r.Status != 200 || string(r.Raw) != `{"stores":[{"id":"file","default":"true"}]}` {
		t.Fatalf("%d %s", r.Status, r.Raw)
	}
	if r := e.do(t, "GET", "/v2/info/stores", "", nil); r.Status != 401 {
		t.Fatalf("without a token: %d", r.Status)
	}
}
