package network_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions"
)

func TestGophercloudExtensions(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	c := e.client(e.member)
	pages, err := extensions.List(c).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all, err := extensions.ExtractExtensions(pages)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, x := range all {
		if seen[x.Alias] || x.Name == "" || x.Description == "" || x.Updated == "" {
			t.Errorf("extension %+v: repeated or incomplete", x)
		}
		seen[x.Alias] = true
	}
	for _, alias := range []string{"router", "ext-gw-mode", "extraroute", "extraroute-atomic", "fip-port-details",
		"floating-ip-port-forwarding", "floating-ip-port-forwarding-port-ranges", "floating-ip-port-forwarding-description",
		"floating-ip-port-forwarding-detail", "expose-port-forwarding-in-fip"} {
		if !seen[alias] {
			t.Errorf("%s is not listed", alias)
		}
	}
	got, err := extensions.Get(ctx, c, "floating-ip-port-forwarding").Extract()
	if err != nil || got.Alias != "floating-ip-port-forwarding" || got.Name != "Floating IP Port Forwarding" ||
		got.Description != "Allow port forwarding from floating IP port to an internal port" || got.Updated != "2018-01-19T10:00:00-00:00" {
		t.Fatalf("get: %+v %v", got, err)
	}
	if _, err := extensions.Get(ctx, c, "no-such-extension").Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		t.Fatalf("unknown alias: %v", err)
	}
}
