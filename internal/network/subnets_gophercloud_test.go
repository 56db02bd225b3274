package network_test

import (
	"context"
	"net/http"
	"reflect"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/networks"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/subnets"
)

func TestGophercloudSubnets(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	c := e.client(e.member)
	n, err := networks.Create(ctx, c, networks.CreateOpts{Name: "gc-net"}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	pools := []subnets.AllocationPool{{Start: "192.168.50.10", End: "192.168.50.50"}, {Start: "192.168.50.100", End: "192.168.50.120"}}
	routes := []subnets.HostRoute{{DestinationCIDR: "10.20.0.0/16", NextHop: "192.168.50.254"}}
	sub, err := subnets.Create(ctx, c, subnets.CreateOpts{NetworkID: n.ID, Name: "gc-sub", CIDR: "192.168.50.0/24", IPVersion: 4,
		AllocationPools: pools, DNSNameservers: []string{"8.8.8.8", "1.1.1.1"}, HostRoutes: routes}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if sub.GatewayIP != "192.168.50.1" || sub.IPVersion != 4 || !sub.EnableDHCP || sub.ProjectID != e.alpha || sub.RevisionNumber != 0 ||
		!reflect.DeepEqual(sub.AllocationPools, pools) || !reflect.DeepEqual(sub.DNSNameservers, []string{"8.8.8.8", "1.1.1.1"}) ||
		!reflect.DeepEqual(sub.HostRoutes, routes) {
		t.Fatalf("created: %+v", sub)
	}
	if got, err := subnets.Get(ctx, c, sub.ID).Extract(); err != nil || !reflect.DeepEqual(got, sub) {
		t.Fatalf("get: %+v %v, want %+v", got, err, sub)
	}
	name, noGateway := "gc-renamed", ""
	widened := []subnets.AllocationPool{{Start: "192.168.50.10", End: "192.168.50.60"}}
	up, err := subnets.Update(ctx, c, sub.ID, subnets.UpdateOpts{Name: &name, GatewayIP: &noGateway, AllocationPools: widened,
		DNSNameservers: &[]string{"9.9.9.9"}, HostRoutes: &[]subnets.HostRoute{}}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if up.Name != name || up.GatewayIP != "" || up.RevisionNumber != 1 || !reflect.DeepEqual(up.AllocationPools, widened) ||
		!reflect.DeepEqual(up.DNSNameservers, []string{"9.9.9.9"}) || len(up.HostRoutes) != 0 {
		t.Fatalf("updated: %+v", up)
	}
	bad := []subnets.AllocationPool{{Start: "10.0.0.1", End: "10.0.0.9"}}
	if _, err := subnets.Update(ctx, c, sub.ID, subnets.UpdateOpts{AllocationPools: bad}).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusBadRequest) {
		t.Fatalf("pool outside the CIDR: %v", err)
	}
	e.checkSubnetList(t, c, n.ID, sub.ID)
	if err := subnets.Delete(ctx, c, sub.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if _, err := subnets.Get(ctx, c, sub.ID).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
}

// checkSubnetList adds a second subnet to network and lists both with
// filters and sorting; sub is the renamed first one.
func (e *env) checkSubnetList(t *testing.T, c *gophercloud.ServiceClient, network, sub string) {
	t.Helper()
	ctx := context.Background()
	v6, err := subnets.Create(ctx, c, subnets.CreateOpts{NetworkID: network, Name: "gc-v6", CIDR: "fd00:50::/64", IPVersion: 6}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	for _, c2 := range []struct {
		opts subnets.ListOpts
		want []string
	}{
		{subnets.ListOpts{NetworkID: network, SortKey: "name", SortDir: "asc"}, []string{sub, v6.ID}},
		{subnets.ListOpts{NetworkID: network, SortKey: "ip_version", SortDir: "desc"}, []string{v6.ID, sub}},
		{subnets.ListOpts{IPVersion: 6}, []string{v6.ID}},
		{subnets.ListOpts{Name: "gc-renamed"}, []string{sub}},
		{subnets.ListOpts{CIDR: "192.168.50.0/24"}, []string{sub}},
		{subnets.ListOpts{Name: "nothing"}, nil},
	} {
		pages, err := subnets.List(c, c2.opts).AllPages(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all, err := subnets.ExtractSubnets(pages)
		var ids []string
		for _, s := range all {
			ids = append(ids, s.ID)
		}
		if err != nil || !reflect.DeepEqual(ids, c2.want) {
			t.Errorf("%+v: %v %v, want %v", c2.opts, ids, err, c2.want)
		}
	}
	if err := subnets.Delete(ctx, c, v6.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
}
