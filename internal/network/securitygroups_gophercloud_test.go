package network_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/attributestags"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/security/addressgroups"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/security/groups"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/security/rules"
)

func TestGophercloudSecurityGroups(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	c := e.client(e.member)
	g, err := groups.Create(ctx, c, groups.CreateOpts{Name: "allow-icmp-ssh", Description: "gc"}).Extract()
	if err != nil || len(g.Rules) != 2 || g.ProjectID != e.alpha || !g.Stateful {
		t.Fatalf("create: %+v %v", g, err)
	}
	icmp, err := rules.Create(ctx, c, rules.CreateOpts{Direction: rules.DirIngress, EtherType: rules.EtherType4,
		SecGroupID: g.ID, Protocol: rules.ProtocolICMP, RemoteIPPrefix: "0.0.0.0/0"}).Extract()
	if err != nil || icmp.Protocol != "icmp" || icmp.RemoteIPPrefix != "0.0.0.0/0" {
		t.Fatalf("icmp rule: %+v %v", icmp, err)
	}
	ssh, err := rules.Create(ctx, c, rules.CreateOpts{Direction: rules.DirIngress, EtherType: rules.EtherType4,
		SecGroupID: g.ID, Protocol: rules.ProtocolTCP, PortRangeMin: 22, PortRangeMax: 22}).Extract()
	if err != nil || ssh.PortRangeMin != 22 || ssh.PortRangeMax != 22 {
		t.Fatalf("ssh rule: %+v %v", ssh, err)
	}
	_, err = rules.Create(ctx, c, rules.CreateOpts{Direction: rules.DirIngress, EtherType: rules.EtherType4,
		SecGroupID: g.ID, Protocol: rules.ProtocolTCP, PortRangeMin: 22, PortRangeMax: 22}).Extract()
	if !gophercloud.ResponseCodeIs(err, http.StatusConflict) {
		t.Fatalf("duplicate rule: %v", err)
	}
	pages, err := rules.List(c, rules.ListOpts{SecGroupID: g.ID, Protocol: "tcp"}).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if list, err := rules.ExtractRules(pages); err != nil || len(list) != 1 || list[0].ID != ssh.ID {
		t.Fatalf("rule list: %+v %v", list, err)
	}
	name, desc := "renamed", "new"
	up, err := groups.Update(ctx, c, g.ID, groups.UpdateOpts{Name: name, Description: &desc}).Extract()
	if err != nil || up.Name != name || up.Description != desc || len(up.Rules) != 4 {
		t.Fatalf("update: %+v %v", up, err)
	}
	if err := attributestags.Add(ctx, c, "security-groups", g.ID, "blue").ExtractErr(); err != nil {
		t.Fatal(err)
	}
	pages, err = groups.List(c, groups.ListOpts{Tags: "blue"}).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if list, err := groups.ExtractGroups(pages); err != nil || len(list) != 1 || list[0].ID != g.ID {
		t.Fatalf("group list: %+v %v", list, err)
	}
	if err := rules.Delete(ctx, c, icmp.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if err := groups.Delete(ctx, c, g.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if _, err := groups.Get(ctx, c, g.ID).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
}

func TestGophercloudAddressGroups(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	c := e.client(e.member)
	ag, err := addressgroups.Create(ctx, c, addressgroups.CreateOpts{Name: "ag", Addresses: []string{"10.0.0.0/24"}}).Extract()
	if err != nil || len(ag.Addresses) != 1 {
		t.Fatalf("create: %+v %v", ag, err)
	}
	ag, err = addressgroups.AddAddresses(ctx, c, ag.ID, addressgroups.UpdateAddressesOpts{Addresses: []string{"10.1.0.0/16"}}).Extract()
	if err != nil || len(ag.Addresses) != 2 {
		t.Fatalf("add: %+v %v", ag, err)
	}
	ag, err = addressgroups.RemoveAddresses(ctx, c, ag.ID, addressgroups.UpdateAddressesOpts{Addresses: []string{"10.0.0.0/24"}}).Extract()
	if err != nil || len(ag.Addresses) != 1 || ag.Addresses[0] != "10.1.0.0/16" {
		t.Fatalf("remove: %+v %v", ag, err)
	}
	if err := addressgroups.Delete(ctx, c, ag.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
}
