package network_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/attributestags"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/provider"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/networks"
	"github.com/gophercloud/gophercloud/v2/pagination"
)

// client is a gophercloud networking client with token.
func (e *env) client(token string) *gophercloud.ServiceClient {
	pc := &gophercloud.ProviderClient{HTTPClient: *http.DefaultClient}
	pc.SetToken(token)
	return &gophercloud.ServiceClient{ProviderClient: pc, Endpoint: e.root + "/", ResourceBase: e.root + "/v2.0/", Type: "network"}
}

func TestGophercloudNetworks(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	c := e.client(e.admin)
	up := true
	create := provider.CreateOptsExt{CreateOptsBuilder: networks.CreateOpts{Name: "gc", AdminStateUp: &up},
		Segments: []provider.Segment{{NetworkType: "vxlan", SegmentationID: 77}}}
	var got struct {
		networks.Network
		provider.NetworkProviderExt
	}
	if err := networks.Create(ctx, c, create).ExtractInto(&got); err != nil {
		t.Fatal(err)
	}
	if got.NetworkType != "vxlan" || got.SegmentationID != "77" || got.Name != "gc" {
		t.Fatalf("created: %+v", got)
	}
	name := "gc2"
	n, err := networks.Update(ctx, c, got.ID, networks.UpdateOpts{Name: &name}).Extract()
	if err != nil || n.Name != "gc2" || n.RevisionNumber != 1 {
		t.Fatalf("update: %+v %v", n, err)
	}
	if err := attributestags.Add(ctx, c, "networks", got.ID, "blue").ExtractErr(); err != nil {
		t.Fatal(err)
	}
	pages, err := networks.List(c, networks.ListOpts{Tags: "blue"}).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all, err := networks.ExtractNetworks(pages)
	if err != nil || len(all) != 1 || all[0].ID != got.ID {
		t.Fatalf("list: %+v %v", all, err)
	}
	if err := networks.Delete(ctx, c, got.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if _, err := networks.Get(ctx, c, got.ID).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
}

func TestGophercloudPaging(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	c := e.client(e.member)
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		if _, err := networks.Create(ctx, c, networks.CreateOpts{Name: n}).Extract(); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	err := networks.List(c, networks.ListOpts{Limit: 2, SortKey: "name", SortDir: "asc"}).EachPage(ctx,
		func(_ context.Context, p pagination.Page) (bool, error) {
			ns, err := networks.ExtractNetworks(p)
			for _, n := range ns {
				names = append(names, n.Name)
			}
			return true, err
		})
	if err != nil || len(names) != 5 || names[0] != "a" || names[4] != "e" {
		t.Fatalf("paged: %v %v", names, err)
	}
}
