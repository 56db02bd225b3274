package network_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/subnetpools"
)

func TestGophercloudSubnetPools(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	c := e.client(e.member)
	p, err := subnetpools.Create(ctx, c, subnetpools.CreateOpts{Name: "gc", Prefixes: []string{"10.0.0.0/16"},
		DefaultPrefixLen: 24, Description: "d"}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if p.DefaultPrefixLen != 24 || p.MinPrefixLen != 8 || p.MaxPrefixLen != 32 || p.IPversion != 4 || p.Description != "d" {
		t.Fatalf("created: %+v", p)
	}
	got, err := subnetpools.Get(ctx, c, p.ID).Extract()
	if err != nil || got.Name != "gc" || got.CreatedAt.IsZero() {
		t.Fatalf("get: %+v %v", got, err)
	}
	rev := 0
	up, err := subnetpools.Update(ctx, c, p.ID, subnetpools.UpdateOpts{Name: "gc2", MaxPrefixLen: 28, RevisionNumber: &rev}).Extract()
	if err != nil || up.Name != "gc2" || up.MaxPrefixLen != 28 || up.RevisionNumber != 1 {
		t.Fatalf("update: %+v %v", up, err)
	}
	_, err = subnetpools.Update(ctx, c, p.ID, subnetpools.UpdateOpts{Name: "stale", RevisionNumber: &rev}).Extract()
	if !gophercloud.ResponseCodeIs(err, http.StatusPreconditionFailed) {
		t.Fatalf("stale update: %v", err)
	}
	prefixes, err := subnetpools.AddPrefixes(ctx, c, p.ID, subnetpools.PrefixesOpsOpts{Prefixes: []string{"10.1.0.0/16"}}).Extract()
	if err != nil || !slices.Equal(prefixes, []string{"10.0.0.0/15"}) {
		t.Fatalf("add prefixes: %v %v", prefixes, err)
	}
	prefixes, err = subnetpools.RemovePrefixes(ctx, c, p.ID, subnetpools.PrefixesOpsOpts{Prefixes: []string{"10.1.0.0/16"}}).Extract()
	if err != nil || !slices.Equal(prefixes, []string{"10.0.0.0/16"}) {
		t.Fatalf("remove prefixes: %v %v", prefixes, err)
	}
	pages, err := subnetpools.List(c, subnetpools.ListOpts{Name: "gc2"}).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all, err := subnetpools.ExtractSubnetPools(pages)
	if err != nil || len(all) != 1 || all[0].ID != p.ID || all[0].MaxPrefixLen != 28 {
		t.Fatalf("list: %+v %v", all, err)
	}
	if err := subnetpools.Delete(ctx, c, p.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if _, err := subnetpools.Get(ctx, c, p.ID).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
}
