package network_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/monostack/monostack/internal/network"
	"github.com/monostack/monostack/internal/network/rpc"
)

// agentClock is a clock tests move by hand.
type agentClock struct{ offset atomic.Int64 }

var agentEpoch = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

func (c *agentClock) now() time.Time          { return agentEpoch.Add(time.Duration(c.offset.Load())) }
func (c *agentClock) advance(d time.Duration) { c.offset.Add(int64(d)) }

// startAgents is an env whose clock only moves when the test says.
func startAgents(t *testing.T) (*env, *agentClock) {
	c := &agentClock{}
	return start(t, func(o *network.Options) { o.Clock = c.now }), c
}

func dhcpReport(host string, start bool) rpc.ReportState {
	return rpc.ReportState{AgentType: rpc.AgentTypeDHCP, Binary: rpc.BinaryDHCP, Host: host, Topic: rpc.TopicDHCP,
		AvailabilityZone: "nova", Configurations: map[string]any{rpc.ConfNetworks: 2}, StartFlag: start}
}

func TestAgentReportAndList(t *testing.T) {
	e, clock := startAgents(t)
	ctx := context.Background()
	first, err := e.svc.AgentReport(ctx, dhcpReport("host-1", true))
	if err != nil || first.Status != rpc.AgentNew || !first.AdminStateUp || first.AgentID == "" {
		t.Fatalf("first report: %+v %v", first, err)
	}
	clock.advance(30 * time.Second)
	second, err := e.svc.AgentReport(ctx, dhcpReport("host-1", false))
	if err != nil || second.Status != rpc.AgentAlive || second.AgentID != first.AgentID {
		t.Fatalf("second report: %+v %v", second, err)
	}
	if err := e.svc.ReportAgentState(ctx, rpc.ReportState{AgentType: rpc.AgentTypeLinuxBridge, Binary: rpc.BinaryLinuxBridge,
		Host: "host-1", Topic: rpc.TopicL2}); err != nil {
		t.Fatal(err)
	}
	list := e.ok(t, 200, "GET", "/v2.0/agents?agent_type=DHCP+agent", e.admin, nil)["agents"].([]any)
	if len(list) != 1 {
		t.Fatalf("list: %v", list)
	}
	a := list[0].(map[string]any)
	want := map[string]any{"id": first.AgentID, "agent_type": "DHCP agent", "binary": "neutron-dhcp-agent", "host": "host-1",
		"topic": "dhcp_agent", "availability_zone": "nova", "admin_state_up": true, "alive": true, "description": nil,
		"created_at": "2024-01-02 03:04:05", "started_at": "2024-01-02 03:04:05", "heartbeat_timestamp": "2024-01-02 03:04:35"}
	for k, v := range want {
		if a[k] != v {
			t.Fatalf("agent %s = %v, want %v: %v", k, a[k], v, a)
		}
	}
	if conf := a["configurations"].(map[string]any); conf["networks"] != float64(2) {
		t.Fatalf("configurations: %v", a)
	}
	// A restart moves started_at.
	clock.advance(10 * time.Second)
	if _, err := e.svc.AgentReport(ctx, dhcpReport("host-1", true)); err != nil {
		t.Fatal(err)
	}
	got := e.ok(t, 200, "GET", "/v2.0/agents/"+first.AgentID, e.admin, nil)["agent"].(map[string]any)
	if got["started_at"] != "2024-01-02 03:04:45" || got["created_at"] != "2024-01-02 03:04:05" {
		t.Fatalf("after restart: %v", got)
	}
}

func TestAgentGoesDownAndRevives(t *testing.T) {
	e, clock := startAgents(t)
	ctx := context.Background()
	r, err := e.svc.AgentReport(ctx, dhcpReport("host-1", true))
	if err != nil {
		t.Fatal(err)
	}
	clock.advance(74 * time.Second)
	if a := e.ok(t, 200, "GET", "/v2.0/agents/"+r.AgentID, e.admin, nil)["agent"].(map[string]any); a["alive"] != true {
		t.Fatalf("alive within agent_down_time: %v", a)
	}
	clock.advance(2 * time.Second)
	if a := e.ok(t, 200, "GET", "/v2.0/agents/"+r.AgentID, e.admin, nil)["agent"].(map[string]any); a["alive"] != false {
		t.Fatalf("alive past agent_down_time: %v", a)
	}
	if list := e.ok(t, 200, "GET", "/v2.0/agents?alive=false", e.admin, nil)["agents"].([]any); len(list) != 1 {
		t.Fatalf("alive=false filter: %v", list)
	}
	again, err := e.svc.AgentReport(ctx, dhcpReport("host-1", false))
	if err != nil || again.Status != rpc.AgentRevived {
		t.Fatalf("report after down: %+v %v", again, err)
	}
	if list := e.ok(t, 200, "GET", "/v2.0/agents?alive=true", e.admin, nil)["agents"].([]any); len(list) != 1 {
		t.Fatalf("alive=true filter: %v", list)
	}
}

func TestAgentAliveFromHeartbeats(t *testing.T) {
	beats := func(binary, host string) (bool, bool) { return binary == rpc.BinaryDHCP && host == "host-1", true }
	e := start(t, func(o *network.Options) { o.AgentLiveness = beats })
	ctx := context.Background()
	for _, h := range []string{"host-1", "host-2"} {
		if err := e.svc.ReportAgentState(ctx, dhcpReport(h, true)); err != nil {
			t.Fatal(err)
		}
	}
	list := e.ok(t, 200, "GET", "/v2.0/agents?alive=true", e.admin, nil)["agents"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["host"] != "host-1" {
		t.Fatalf("alive agents: %v", list)
	}
}

func TestAgentUpdateDeleteAndPolicy(t *testing.T) {
	e, _ := startAgents(t)
	r, err := e.svc.AgentReport(context.Background(), dhcpReport("host-1", true))
	if err != nil {
		t.Fatal(err)
	}
	path := "/v2.0/agents/" + r.AgentID
	up := e.ok(t, 200, "PUT", path, e.admin, map[string]any{"agent": map[string]any{"admin_state_up": false, "description": "maintenance"}})["agent"].(map[string]any)
	if up["admin_state_up"] != false || up["description"] != "maintenance" {
		t.Fatalf("update: %v", up)
	}
	again, err := e.svc.AgentReport(context.Background(), dhcpReport("host-1", false))
	if err != nil || again.AdminStateUp {
		t.Fatalf("report of a disabled agent: %+v %v", again, err)
	}
	if list := e.ok(t, 200, "GET", "/v2.0/agents", e.member, nil)["agents"].([]any); len(list) != 0 {
		t.Fatalf("member lists %v", list)
	}
	cases := []struct {
		name, method, path, token string
		body                      any
		status                    int
		typ, msg                  string
	}{
		{"member shows", "GET", path, e.member, nil, 404, "AgentNotFound", "Agent " + r.AgentID + " could not be found."},
		{"member updates", "PUT", path, e.member, map[string]any{"agent": map[string]any{"admin_state_up": true}}, 404, "AgentNotFound", ""},
		{"member deletes", "DELETE", path, e.member, nil, 404, "AgentNotFound", ""},
		{"read-only host", "PUT", path, e.admin, map[string]any{"agent": map[string]any{"host": "x"}}, 400, "HTTPBadRequest", "Cannot update read-only attribute host"},
		{"no create", "POST", "/v2.0/agents", e.admin, map[string]any{"agent": map[string]any{}}, 405, "HTTPMethodNotAllowed", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.refused(t, c.status, c.typ, c.msg, c.method, c.path, c.token, c.body)
		})
	}
	e.ok(t, 204, "DELETE", path, e.admin, nil)
	e.refused(t, 404, "AgentNotFound", "Agent "+r.AgentID+" could not be found.", "GET", path, e.admin, nil)
}

func TestAvailabilityZones(t *testing.T) {
	e, _ := startAgents(t)
	ctx := context.Background()
	r, err := e.svc.AgentReport(ctx, dhcpReport("host-1", true))
	if err != nil {
		t.Fatal(err)
	}
	l3 := rpc.ReportState{AgentType: rpc.AgentTypeL3, Binary: rpc.BinaryL3, Host: "host-1", Topic: rpc.TopicL3, AvailabilityZone: "az2"}
	if err := e.svc.ReportAgentState(ctx, l3); err != nil {
		t.Fatal(err)
	}
	zones := e.ok(t, 200, "GET", "/v2.0/availability_zones", e.member, nil)["availability_zones"].([]any)
	if len(zones) != 2 {
		t.Fatalf("zones: %v", zones)
	}
	if z := zones[0].(map[string]any); z["name"] != "az2" || z["resource"] != "router" || z["state"] != "available" || len(z) != 3 {
		t.Fatalf("first zone: %v", z)
	}
	e.ok(t, 200, "PUT", "/v2.0/agents/"+r.AgentID, e.admin, map[string]any{"agent": map[string]any{"admin_state_up": false}})
	zones = e.ok(t, 200, "GET", "/v2.0/availability_zones?resource=network", e.member, nil)["availability_zones"].([]any)
	if len(zones) != 1 || zones[0].(map[string]any)["state"] != "unavailable" {
		t.Fatalf("network zones: %v", zones)
	}
}

func TestAgentAliveFromReportsWithoutTracker(t *testing.T) {
	noTracker := func(string, string) (bool, bool) { return false, false }
	e := start(t, func(o *network.Options) { o.AgentLiveness = noTracker })
	if err := e.svc.ReportAgentState(context.Background(), dhcpReport("host-1", true)); err != nil {
		t.Fatal(err)
	}
	if list := e.ok(t, 200, "GET", "/v2.0/agents?alive=true", e.admin, nil)["agents"].([]any); len(list) != 1 {
		t.Fatalf("alive agents: %v", list)
	}
}

// A network's zone hints must be zones of DHCP agents, a router's of L3
// agents (validate_availability_zones); nothing is made otherwise.
func TestAvailabilityZoneHints(t *testing.T) {
	e, _ := startAgents(t)
	ctx := context.Background()
	netHint := map[string]any{"network": map[string]any{"name": "n", "availability_zone_hints": []any{"nova"}}}
	routerHint := map[string]any{"router": map[string]any{"name": "r", "availability_zone_hints": []any{"nova"}}}
	e.refused(t, 404, "AvailabilityZoneNotFound", "AvailabilityZone nova could not be found.", "POST", "/v2.0/networks", e.member, netHint)
	if n := len(e.ok(t, 200, "GET", "/v2.0/networks", e.admin, nil)["networks"].([]any)); n != 0 {
		t.Fatalf("%d networks after the refusal", n)
	}
	if err := e.svc.ReportAgentState(ctx, dhcpReport("host-1", true)); err != nil {
		t.Fatal(err)
	}
	n := e.ok(t, 201, "POST", "/v2.0/networks", e.member, netHint)["network"].(map[string]any)
	if hints := n["availability_zone_hints"].([]any); len(hints) != 1 || hints[0] != "nova" {
		t.Fatalf("network hints %v", hints)
	}
	// a DHCP agent's zone is no router zone
	e.refused(t, 404, "AvailabilityZoneNotFound", "AvailabilityZone nova could not be found.", "POST", "/v2.0/routers", e.member, routerHint)
	if n := len(e.ok(t, 200, "GET", "/v2.0/routers", e.member, nil)["routers"].([]any)); n != 0 {
		t.Fatalf("%d routers after the refusal", n)
	}
	l3 := rpc.ReportState{AgentType: rpc.AgentTypeL3, Binary: rpc.BinaryL3, Host: "host-1", Topic: rpc.TopicL3, AvailabilityZone: "nova"}
	if err := e.svc.ReportAgentState(ctx, l3); err != nil {
		t.Fatal(err)
	}
	e.ok(t, 201, "POST", "/v2.0/routers", e.member, routerHint)
}
