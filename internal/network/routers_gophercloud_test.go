package network_test

import (
	"context"
	"net/http"
	"reflect"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/layer3/extraroutes"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/layer3/routers"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/ports"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/subnets"
)

func TestGophercloudRouters(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	top := e.l3(t)
	c, admin := e.client(e.member), e.client(e.admin)
	rt, err := routers.Create(ctx, c, routers.CreateOpts{Name: "gc-router", Description: "edge"}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if rt.Name != "gc-router" || rt.Description != "edge" || rt.Status != "ACTIVE" || !rt.AdminStateUp || rt.ProjectID != e.alpha ||
		rt.GatewayInfo.NetworkID != "" || len(rt.Routes) != 0 {
		t.Fatalf("created: %+v", rt)
	}
	off := false
	gw := routers.GatewayInfo{NetworkID: top.ext, EnableSNAT: &off}
	if _, err := routers.Update(ctx, c, rt.ID, routers.UpdateOpts{GatewayInfo: &gw}).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusForbidden) {
		t.Fatalf("a member sets enable_snat: %v", err)
	}
	rt, err = routers.Update(ctx, admin, rt.ID, routers.UpdateOpts{GatewayInfo: &gw}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	if g := rt.GatewayInfo; g.NetworkID != top.ext || g.EnableSNAT == nil || *g.EnableSNAT || len(g.ExternalFixedIPs) != 1 ||
		g.ExternalFixedIPs[0].SubnetID != top.extSub || g.ExternalFixedIPs[0].IPAddress == "" {
		t.Fatalf("gateway: %+v", rt.GatewayInfo)
	}
	bySubnet, err := routers.AddInterface(ctx, c, rt.ID, routers.AddInterfaceOpts{SubnetID: top.sub}).Extract()
	if err != nil || bySubnet.ID != rt.ID || bySubnet.SubnetID != top.sub || bySubnet.PortID == "" || bySubnet.TenantID != e.alpha {
		t.Fatalf("interface by subnet: %+v %v", bySubnet, err)
	}
	if p, err := ports.Get(ctx, c, bySubnet.PortID).Extract(); err != nil || p.DeviceOwner != "network:router_interface" ||
		p.DeviceID != rt.ID || p.FixedIPs[0].IPAddress != "10.5.5.1" {
		t.Fatalf("interface port: %+v %v", p, err)
	}
	otherNet, otherSub := e.gcNetWithSubnet(t, c, "10.6.6.0/24")
	own, err := ports.Create(ctx, c, ports.CreateOpts{NetworkID: otherNet, FixedIPs: []ports.IP{{SubnetID: otherSub, IPAddress: "10.6.6.254"}}}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	byPort, err := routers.AddInterface(ctx, c, rt.ID, routers.AddInterfaceOpts{PortID: own.ID}).Extract()
	if err != nil || byPort.PortID != own.ID || byPort.SubnetID != otherSub {
		t.Fatalf("interface by port: %+v %v", byPort, err)
	}
	e.checkExtraRoutes(t, c, rt.ID)
	if out, err := routers.RemoveInterface(ctx, c, rt.ID, routers.RemoveInterfaceOpts{SubnetID: top.sub}).Extract(); err != nil || out.PortID != bySubnet.PortID {
		t.Fatalf("remove by subnet: %+v %v", out, err)
	}
	if out, err := routers.RemoveInterface(ctx, c, rt.ID, routers.RemoveInterfaceOpts{PortID: own.ID}).Extract(); err != nil || out.SubnetID != otherSub {
		t.Fatalf("remove by port: %+v %v", out, err)
	}
	if _, err := ports.Get(ctx, c, own.ID).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		t.Fatalf("a port removed as an interface is deleted: %v", err)
	}
	rt, err = routers.Update(ctx, c, rt.ID, routers.UpdateOpts{GatewayInfo: &routers.GatewayInfo{}}).Extract()
	if err != nil || rt.GatewayInfo.NetworkID != "" {
		t.Fatalf("cleared gateway: %+v %v", rt, err)
	}
	if err := routers.Delete(ctx, c, rt.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if _, err := routers.Get(ctx, c, rt.ID).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
}

// gcNetWithSubnet makes a network with one IPv4 subnet of cidr.
func (e *env) gcNetWithSubnet(t *testing.T, c *gophercloud.ServiceClient, cidr string) (network, subnet string) {
	t.Helper()
	n := e.createNet(t, e.member, map[string]any{"name": "gc-" + cidr})["id"].(string)
	sub, err := subnets.Create(context.Background(), c, subnets.CreateOpts{NetworkID: n, CIDR: cidr, IPVersion: 4}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	return n, sub.ID
}

// checkExtraRoutes sets, adds to and removes from the routes of router,
// whose interfaces reach 10.5.5.0/24 and 10.6.6.0/24.
func (e *env) checkExtraRoutes(t *testing.T, c *gophercloud.ServiceClient, router string) {
	t.Helper()
	ctx := context.Background()
	first := routers.Route{DestinationCIDR: "192.168.7.0/24", NextHop: "10.5.5.9"}
	second := routers.Route{DestinationCIDR: "192.168.8.0/24", NextHop: "10.6.6.9"}
	rt, err := routers.Update(ctx, c, router, routers.UpdateOpts{Routes: &[]routers.Route{first}}).Extract()
	if err != nil || !reflect.DeepEqual(rt.Routes, []routers.Route{first}) {
		t.Fatalf("set routes: %+v %v", rt, err)
	}
	rt, err = extraroutes.Add(ctx, c, router, extraroutes.Opts{Routes: &[]routers.Route{second}}).Extract()
	if err != nil || len(rt.Routes) != 2 {
		t.Fatalf("add route: %+v %v", rt, err)
	}
	rt, err = extraroutes.Remove(ctx, c, router, extraroutes.Opts{Routes: &[]routers.Route{first}}).Extract()
	if err != nil || !reflect.DeepEqual(rt.Routes, []routers.Route{second}) {
		t.Fatalf("remove route: %+v %v", rt, err)
	}
	bad := []routers.Route{{DestinationCIDR: "192.168.9.0/24", NextHop: "172.16.0.1"}}
	if _, err := routers.Update(ctx, c, router, routers.UpdateOpts{Routes: &bad}).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusBadRequest) {
		t.Fatalf("unreachable nexthop: %v", err)
	}
	rt, err = routers.Update(ctx, c, router, routers.UpdateOpts{Routes: &[]routers.Route{}}).Extract()
	if err != nil || len(rt.Routes) != 0 {
		t.Fatalf("cleared routes: %+v %v", rt, err)
	}
}
