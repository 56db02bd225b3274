package network_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/agents"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/qos/policies"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/qos/rules"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/qos/ruletypes"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/networks"
	"github.com/monostack/monostack/internal/network/rpc"
)

func TestGophercloudQoS(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	c := e.client(e.admin)
	p, err := policies.Create(ctx, c, policies.CreateOpts{Name: "gc", Description: "d", ProjectID: e.alpha, IsDefault: true}).Extract()
	if err != nil || p.ProjectID != e.alpha || !p.IsDefault || p.CreatedAt.IsZero() {
		t.Fatalf("create: %+v %v", p, err)
	}
	bw, err := rules.CreateBandwidthLimitRule(ctx, c, p.ID, rules.CreateBandwidthLimitRuleOpts{MaxKBps: 3000, MaxBurstKBps: 300}).ExtractBandwidthLimitRule()
	if err != nil || bw.MaxKBps != 3000 || bw.Direction != "egress" {
		t.Fatalf("bandwidth limit rule: %+v %v", bw, err)
	}
	if _, err := rules.CreateDSCPMarkingRule(ctx, c, p.ID, rules.CreateDSCPMarkingRuleOpts{DSCPMark: 26}).ExtractDSCPMarkingRule(); err != nil {
		t.Fatal(err)
	}
	_, err = rules.CreateMinimumBandwidthRule(ctx, c, p.ID, rules.CreateMinimumBandwidthRuleOpts{MinKBps: 5000}).ExtractMinimumBandwidthRule()
	if !gophercloud.ResponseCodeIs(err, http.StatusConflict) {
		t.Fatalf("minimum over the maximum: %v", err)
	}
	pages, err := rules.ListBandwidthLimitRules(c, p.ID, rules.BandwidthLimitRulesListOpts{}).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if list, err := rules.ExtractBandwidthLimitRules(pages); err != nil || len(list) != 1 || list[0].ID != bw.ID {
		t.Fatalf("rule list: %+v %v", list, err)
	}
	up, err := policies.Update(ctx, c, p.ID, policies.UpdateOpts{Name: "renamed"}).Extract()
	if err != nil || up.Name != "renamed" || len(up.Rules) != 2 {
		t.Fatalf("update: %+v %v", up, err)
	}
	var net struct {
		QoSPolicyID string `json:"qos_policy_id"`
	}
	create := policies.NetworkCreateOptsExt{CreateOptsBuilder: networks.CreateOpts{Name: "n"}, QoSPolicyID: p.ID}
	if err := networks.Create(ctx, e.client(e.member), create).ExtractIntoStructPtr(&net, "network"); err != nil || net.QoSPolicyID != p.ID {
		t.Fatalf("network with a policy: %+v %v", net, err)
	}
	if err := policies.Delete(ctx, c, p.ID).ExtractErr(); !gophercloud.ResponseCodeIs(err, http.StatusConflict) {
		t.Fatalf("delete of a used policy: %v", err)
	}
	typePages, err := ruletypes.ListRuleTypes(c).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if types, err := ruletypes.ExtractRuleTypes(typePages); err != nil || len(types) != 3 {
		t.Fatalf("rule types: %+v %v", types, err)
	}
	rt, err := ruletypes.GetRuleType(ctx, c, "minimum_bandwidth").Extract()
	if err != nil || len(rt.Drivers) != 1 || len(rt.Drivers[0].SupportedParameters) != 2 {
		t.Fatalf("rule type: %+v %v", rt, err)
	}
}

func TestGophercloudAgents(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	c := e.client(e.admin)
	if err := e.svc.ReportAgentState(ctx, rpc.ReportState{AgentType: rpc.AgentTypeL3, Binary: rpc.BinaryL3, Host: "net-1",
		Topic: rpc.TopicL3, AvailabilityZone: "nova", Configurations: map[string]any{rpc.ConfAgentMode: "legacy"}, StartFlag: true}); err != nil {
		t.Fatal(err)
	}
	pages, err := agents.List(c, agents.ListOpts{AgentType: rpc.AgentTypeL3}).AllPages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	list, err := agents.ExtractAgents(pages)
	if err != nil || len(list) != 1 {
		t.Fatalf("list: %+v %v", list, err)
	}
	a := list[0]
	if !a.Alive || !a.AdminStateUp || a.Binary != rpc.BinaryL3 || a.Host != "net-1" || a.AvailabilityZone != "nova" ||
		a.HeartbeatTimestamp.IsZero() || a.Configurations["agent_mode"] != "legacy" {
		t.Fatalf("agent: %+v", a)
	}
	down, drain := false, "drain"
	up, err := agents.Update(ctx, c, a.ID, agents.UpdateOpts{AdminStateUp: &down, Description: &drain}).Extract()
	if err != nil || up.AdminStateUp || up.Description != "drain" {
		t.Fatalf("update: %+v %v", up, err)
	}
	if got, err := agents.Get(ctx, c, a.ID).Extract(); err != nil || got.ID != a.ID {
		t.Fatalf("get: %+v %v", got, err)
	}
	if err := agents.Delete(ctx, c, a.ID).ExtractErr(); err != nil {
		t.Fatal(err)
	}
	if _, err := agents.Get(ctx, c, a.ID).Extract(); !gophercloud.ResponseCodeIs(err, http.StatusNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
}
