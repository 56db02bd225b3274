package network_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/quotas"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/rbacpolicies"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/networks"
)

func TestGophercloudRBACPolicies(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	beta, betaID := e.project(t, "beta", "member")
	_, gammaID := e.project(t, "gamma", "member")
	c := e.client(e.member)
	net, err := networks.Create(ctx, c, networks.CreateOpts{Name: "gc"}).Extract()
	if err != nil {
		t.Fatal(err)
	}
	p, err := rbacpolicies.Create(ctx, c, rbacpolicies.CreateOpts{Action: rbacpolicies.ActionAccessShared,
		ObjectType: "network", ObjectID: net.ID, TargetTenant: betaID}).Extract()
	if err != nil || p.TargetTenant != betaID || p.ProjectID != e.alpha || p.ObjectType != "network" {
		t.Fatalf("create: %+v %v", p, err)
	}
	if _, err := networks.Get(ctx, e.client(beta), net.ID).Extract(); err != nil {
		t.Fatalf("beta get: %v", err)
	}
	pages, err := rbacpolicies.List(c, rbacpolicies.ListOpts{ObjectID: net.ID, Action: rbacpolicies.ActionAccessShared}).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if list, err := rbacpolicies.ExtractRBACPolicies(pages); err != nil || len(list) != 1 || list[0].ID != p.ID {
		t.Fatalf("list: %+v %v", list, err)
	}
	up, err := rbacpolicies.Update(ctx, c, p.ID, rbacpolicies.UpdateOpts{TargetTenant: gammaID}).Extract()
	if err != nil || up.TargetTenant != gammaID {
		t.Fatalf("update: %+v %v", up, err)
	}
	if _, err := networks.Get(ctx, e.client(beta), net.ID).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		t.Fatalf("beta after retarget: %v", err)
	}
	if got, err := rbacpolicies.Get(ctx, c, p.ID).Extract(); err != nil || got.TargetTenant != gammaID {
		t.Fatalf("get: %+v %v", got, err)
	}
	if err := rbacpolicies.Delete(ctx, c, p.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if _, err := rbacpolicies.Get(ctx, c, p.ID).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
}

func TestGophercloudQuotas(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	admin := e.client(e.admin)
	one := 1
	q, err := quotas.Update(ctx, admin, e.alpha, quotas.UpdateOpts{Network: &one}).Extract()
	if err != nil || q.Network != 1 || q.Port != 500 || q.SecurityGroup != 10 || q.RBACPolicy != 10 {
		t.Fatalf("update: %+v %v", q, err)
	}
	c := e.client(e.member)
	if q, err := quotas.Get(ctx, c, e.alpha).Extract(); err != nil || q.Network != 1 || q.SubnetPool != -1 {
		t.Fatalf("get: %+v %v", q, err)
	}
	if _, err := networks.Create(ctx, c, networks.CreateOpts{Name: "one"}).Extract(); err != nil {
		t.Fatal(err)
	}
	_, err = networks.Create(ctx, c, networks.CreateOpts{Name: "two"}).Extract()
	if !gophercloud.ResponseCodeIs(err, http.StatusConflict) {
		t.Fatalf("over quota: %v", err)
	}
	d, err := quotas.GetDetail(ctx, c, e.alpha).Extract()
	if err != nil || d.Network != (quotas.QuotaDetail{Used: 1, Limit: 1}) || d.Subnet.Limit != 100 {
		t.Fatalf("detail: %+v %v", d, err)
	}
	if err := quotas.Delete(ctx, admin, e.alpha).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if q, err := quotas.Get(ctx, c, e.alpha).Extract(); err != nil || q.Network != 100 {
		t.Fatalf("after delete: %+v %v", q, err)
	}
}
