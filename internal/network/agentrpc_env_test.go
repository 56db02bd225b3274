package network_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/monostack/monostack/internal/bus"
	"github.com/monostack/monostack/internal/network"
	"github.com/monostack/monostack/internal/network/rpc"
)

// agentEnv is the network service on a real embedded bus, with a second
// connection playing the agents.
type agentEnv struct {
	*env
	agent      *bus.Conn
	controller *bus.Conn         // the service's
	casts      chan *bus.Message // every notification the agent side received
	seen       []*bus.Message    // received, not yet taken by expect
}

// startAgentBus starts an embedded bus, the service serving the agent calls
// on it, and an agent connection subscribed to every notification.
func startAgentBus(t *testing.T) *agentEnv {
	t.Helper()
	srv, err := bus.StartEmbedded(bus.EmbeddedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
	connect := func(name string) *bus.Conn {
		c, err := srv.Connect(bus.ConnectOptions{Name: name, Logger: slog.New(slog.DiscardHandler),
			CloseGrace: time.Second, CallTimeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
		return c
	}
	controller, agent := connect("controller"), connect("agent")
	e := &agentEnv{env: start(t, func(o *network.Options) { o.Bus = controller }), agent: agent,
		controller: controller, casts: make(chan *bus.Message, 1000)}
	t.Cleanup(e.svc.StopAgents)
	_, err = agent.Handle(rpc.SubjectNotifyAll, "", func(_ context.Context, m *bus.Message) (any, error) {
		e.casts <- m
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// call makes an agent call that must succeed.
func (e *agentEnv) call(t *testing.T, subject string, req bus.Versioned, reply any) {
	t.Helper()
	if err := e.agent.Call(context.Background(), subject, req, reply); err != nil {
		t.Fatalf("%s: %v", subject, err)
	}
}

// drain forgets the notifications received so far.
func (e *agentEnv) drain() {
	time.Sleep(50 * time.Millisecond)
	e.seen = nil
	for {
		select {
		case <-e.casts:
		default:
			return
		}
	}
}

// take removes and returns the first received notification of type T
// for which match holds.
func take[T bus.Versioned](t *testing.T, e *agentEnv, match func(T) bool) (T, bool) {
	t.Helper()
	var zero T
	for i, m := range e.seen {
		var v T
		if m.Type != zero.MessageType() {
			continue
		}
		if err := rpc.Decode(m, any(&v).(bus.Versioned)); err != nil {
			t.Fatalf("decode %s: %v", m.Type, err)
		}
		if match(v) {
			e.seen = append(e.seen[:i], e.seen[i+1:]...)
			return v, true
		}
	}
	return zero, false
}

// expect waits for a notification of type T for which match holds (the
// agent side serves notifications concurrently, so their order is not
// kept), failing after a few seconds.
func expect[T bus.Versioned](t *testing.T, e *agentEnv, match func(T) bool) T {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		if v, ok := take(t, e, match); ok {
			return v
		}
		select {
		case m := <-e.casts:
			e.seen = append(e.seen, m)
		case <-deadline:
			var zero T
			t.Fatalf("no %s notification as expected", zero.MessageType())
			return zero
		}
	}
}

// none checks no notification of type T matching arrives shortly.
func none[T bus.Versioned](t *testing.T, e *agentEnv, match func(T) bool) {
	t.Helper()
	deadline := time.After(300 * time.Millisecond)
	for {
		if v, ok := take(t, e, match); ok {
			t.Fatalf("unexpected %s: %+v", v.MessageType(), v)
		}
		select {
		case m := <-e.casts:
			e.seen = append(e.seen, m)
		case <-deadline:
			return
		}
	}
}

// scene is what the tests build through the API: a network with a
// DHCP-enabled subnet, a security group whose rules name itself, an
// address group and a CIDR, and two ports in it bound to host1 and host2.
type scene struct {
	net, sub, sg, ag map[string]any
	p1, p2           map[string]any
}

func (e *agentEnv) scene(t *testing.T) *scene {
	t.Helper()
	s := &scene{}
	s.net = e.createNet(t, e.member, map[string]any{"name": "net"})
	s.sub = e.createSubnet(t, e.member, map[string]any{"network_id": s.net["id"], "ip_version": 4, "cidr": "10.5.0.0/24",
		"allocation_pools": []any{map[string]any{"start": "10.5.0.10", "end": "10.5.0.99"}},
		"dns_nameservers":  []any{"10.5.0.2"},
		"host_routes":      []any{map[string]any{"destination": "172.16.0.0/16", "nexthop": "10.5.0.254"}}})
	s.sg = e.ok(t, 201, "POST", "/v2.0/security-groups", e.member, map[string]any{"security_group": map[string]any{
		"name": "web"}})["security_group"].(map[string]any)
	s.ag = e.ok(t, 201, "POST", "/v2.0/address-groups", e.member, map[string]any{"address_group": map[string]any{
		"name": "ag", "addresses": []any{"192.0.2.0/24", "2001:db8::/64"}}})["address_group"].(map[string]any)
	for _, rule := range []map[string]any{
		{"protocol": "tcp", "port_range_min": 80, "port_range_max": 80, "remote_group_id": s.sg["id"]},
		{"protocol": "icmp", "remote_ip_prefix": "198.51.100.7/24"},
		{"protocol": "udp", "port_range_min": 53, "port_range_max": 53, "remote_address_group_id": s.ag["id"]},
	} {
		rule["security_group_id"], rule["direction"], rule["ethertype"] = s.sg["id"], "ingress", "IPv4"
		e.ok(t, 201, "POST", "/v2.0/security-group-rules", e.member, map[string]any{"security_group_rule": rule})
	}
	s.p1 = e.createPort(t, e.member, map[string]any{"network_id": s.net["id"], "name": "p1",
		"security_groups":       []any{s.sg["id"]},
		"allowed_address_pairs": []any{map[string]any{"ip_address": "10.5.0.200"}},
		"extra_dhcp_opts":       []any{map[string]any{"opt_name": "mtu", "opt_value": "1400"}}})
	s.p2 = e.createPort(t, e.member, map[string]any{"network_id": s.net["id"], "name": "p2", "security_groups": []any{s.sg["id"]}})
	s.p1 = e.bind(t, s.p1, "host1")
	s.p2 = e.bind(t, s.p2, "host2")
	return s
}

// bind binds a port to host as Nova does and returns it as admin sees it.
func (e *agentEnv) bind(t *testing.T, p map[string]any, host string) map[string]any {
	t.Helper()
	return e.ok(t, 200, "PUT", "/v2.0/ports/"+p["id"].(string), e.admin, map[string]any{"port": map[string]any{
		"binding:host_id": host, "device_id": "vm-" + host, "device_owner": "compute:nova"}})["port"].(map[string]any)
}

// adminGet reads a resource as admin.
func (e *agentEnv) adminGet(t *testing.T, kind, id string) map[string]any {
	t.Helper()
	return e.ok(t, 200, "GET", "/v2.0/"+kind+"s/"+id, e.admin, nil)[kind].(map[string]any)
}
