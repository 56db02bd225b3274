package network_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/networkipavailabilities"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/trunk_details"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/trunks"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/ports"
)

func TestGophercloudTrunks(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	c := e.client(e.member)
	_, p := e.trunkNet(t, e.member, map[string]any{"name": "n"}, "10.9.0.0/24", 3)
	tr, err := trunks.Create(ctx, c, trunks.CreateOpts{Name: "gc", PortID: p[0],
		Subports: []trunks.Subport{{PortID: p[1], SegmentationType: "vlan", SegmentationID: 10}}}).Extract()
	if err != nil || tr.Status != "DOWN" || len(tr.Subports) != 1 || tr.ProjectID != e.alpha {
		t.Fatalf("create: %+v %v", tr, err)
	}
	got, err := trunks.AddSubports(ctx, c, tr.ID, trunks.AddSubportsOpts{
		Subports: []trunks.Subport{{PortID: p[2], SegmentationType: "vlan", SegmentationID: 20}}}).Extract()
	if err != nil || len(got.Subports) != 2 || got.ID != tr.ID {
		t.Fatalf("add: %+v %v", got, err)
	}
	subs, err := trunks.GetSubports(ctx, c, tr.ID).Extract()
	if err != nil || len(subs) != 2 || subs[1].SegmentationID != 20 {
		t.Fatalf("get_subports: %+v %v", subs, err)
	}
	var parent struct {
		ports.Port
		trunk_details.TrunkDetailsExt
	}
	if err := ports.Get(ctx, c, p[0]).ExtractInto(&parent); err != nil || parent.TrunkID != tr.ID ||
		len(parent.SubPorts) != 2 || parent.SubPorts[0].MACAddress == "" {
		t.Fatalf("trunk_details: %+v %v", parent.TrunkDetails, err)
	}
	got, err = trunks.RemoveSubports(ctx, c, tr.ID, trunks.RemoveSubportsOpts{Subports: []trunks.RemoveSubport{{PortID: p[1]}}}).Extract()
	if err != nil || len(got.Subports) != 1 {
		t.Fatalf("remove: %+v %v", got, err)
	}
	name, rev := "gc2", got.RevisionNumber
	if u, err := trunks.Update(ctx, c, tr.ID, trunks.UpdateOpts{Name: &name, RevisionNumber: &rev}).Extract(); err != nil || u.Name != "gc2" {
		t.Fatalf("update: %+v %v", u, err)
	}
	pages, err := trunks.List(c, trunks.ListOpts{PortID: p[0]}).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if all, err := trunks.ExtractTrunks(pages); err != nil || len(all) != 1 || all[0].Name != "gc2" {
		t.Fatalf("list: %+v %v", all, err)
	}
	if err := ports.Delete(ctx, c, p[0]).ExtractErr(); !gophercloud.ResponseCodeIs(err, http.StatusConflict) {
		t.Fatalf("parent port delete: %v", err)
	}
	if err := trunks.Delete(ctx, c, tr.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if _, err := trunks.Get(ctx, c, tr.ID).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
}

func TestGophercloudIPAvailability(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	c := e.client(e.admin)
	id, _ := e.trunkNet(t, e.member, map[string]any{"name": "n"}, "10.9.0.0/24", 2)
	a, err := networkipavailabilities.Get(ctx, c, id).Extract()
	if err != nil || a.TotalIPs != "253" || a.UsedIPs != "3" || len(a.SubnetIPAvailabilities) != 1 || a.SubnetIPAvailabilities[0].CIDR != "10.9.0.0/24" {
		t.Fatalf("get: %+v %v", a, err)
	}
	pages, err := networkipavailabilities.List(c, networkipavailabilities.ListOpts{IPVersion: "4", ProjectID: e.alpha}).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all, err := networkipavailabilities.ExtractNetworkIPAvailabilities(pages)
	if err != nil || len(all) != 1 || all[0].NetworkName != "n" {
		t.Fatalf("list: %+v %v", all, err)
	}
}
