package compute

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/monostack/monostack/internal/bus"
	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/hypervisor"
	"github.com/monostack/monostack/internal/hypervisor/fake"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// conductor is the other side of the contract: a bus handler that
// records what agents send and answers registrations with desired.
type conductor struct {
	mu         sync.Mutex
	registered []computerpc.RegisterNode
	results    []computerpc.OpResult
	syncs      []computerpc.PowerSync
	desired    []computerpc.Instance
}

func (c *conductor) serve(_ context.Context, m *bus.Message) (any, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch m.Type {
	case computerpc.RegisterNode{}.MessageType():
		var r computerpc.RegisterNode
		if err := m.Decode(&r); err != nil {
			return nil, err
		}
		c.registered = append(c.registered, r)
		return computerpc.RegisterNodeReply{NodeUUID: "node-" + r.Node.Host, Desired: c.desired}, nil
	case computerpc.OpResult{}.MessageType():
		var r computerpc.OpResult
		if err := m.Decode(&r); err != nil {
			return nil, err
		}
		c.results = append(c.results, r)
	case computerpc.PowerSync{}.MessageType():
		var r computerpc.PowerSync
		if err := m.Decode(&r); err != nil {
			return nil, err
		}
		c.syncs = append(c.syncs, r)
	}
	return nil, nil
}

func (c *conductor) result(t *testing.T, uuid, op string) computerpc.OpResult {
	t.Helper()
	var out computerpc.OpResult
	eventually(t, "result of "+op, func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, r := range c.results {
			if r.InstanceUUID == uuid && r.Op == op {
				out = r
				return true
			}
		}
		return false
	})
	return out
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type rig struct {
	conn     *bus.Conn
	cond     *conductor
	drivers  []*fake.Driver
	agent    *Agent
	liveness *bus.Liveness
}

// startRig runs an agent with n fake hosts on an embedded bus; withConductor
// false starts it before any conductor exists.
func startRig(t *testing.T, n int, withConductor bool, desired ...computerpc.Instance) *rig {
	return startRigWith(t, n, withConductor, nil, desired...)
}

// startRigWith runs prepare on the first fake host before the agent starts.
func startRigWith(t *testing.T, n int, withConductor bool, prepare func(*fake.Driver), desired ...computerpc.Instance) *rig {
	t.Helper()
	e, err := bus.StartEmbedded(bus.EmbeddedOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Shutdown)
	conn, err := bus.Connect(e.URL(), bus.ConnectOptions{Logger: quiet, CloseGrace: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(conn.Close)
	r := &rig{conn: conn, cond: &conductor{desired: desired}}
	if r.liveness, err = bus.WatchLiveness(conn, bus.LivenessOptions{}); err != nil {
		t.Fatal(err)
	}
	if withConductor {
		r.startConductor(t)
	}
	var hosts []Host
	for i := range n {
		d, err := fake.New(hypervisor.HostConfig{Host: "host" + string(rune('1'+i))})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 && prepare != nil {
			prepare(d)
		}
		r.drivers = append(r.drivers, d)
		hosts = append(hosts, Host{Name: "host" + string(rune('1'+i)), Driver: d})
	}
	r.agent = New(Options{Conn: conn, Hosts: hosts, HeartbeatInterval: 50 * time.Millisecond,
		SyncInterval: 50 * time.Millisecond, Log: quiet})
	if err := r.agent.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.agent.Stop)
	return r
}

func (r *rig) startConductor(t *testing.T) {
	t.Helper()
	if _, err := r.conn.Handle(computerpc.ConductorSubject, computerpc.ConductorQueue, r.cond.serve); err != nil {
		t.Fatal(err)
	}
}

func (r *rig) cast(t *testing.T, host string, op computerpc.Operation) {
	t.Helper()
	op.Host = host
	if err := r.conn.Cast(context.Background(), computerpc.HostSubject(host), op); err != nil {
		t.Fatal(err)
	}
}

func TestRegistersOnceAConductorAppears(t *testing.T) {
	r := startRig(t, 2, false)
	eventually(t, "heartbeats", func() bool {
		return r.liveness.Up(computerpc.ServiceName, "host1") && r.liveness.Up(computerpc.ServiceName, "host2")
	})
	time.Sleep(150 * time.Millisecond)
	r.startConductor(t)
	eventually(t, "registrations", func() bool {
		r.cond.mu.Lock()
		defer r.cond.mu.Unlock()
		return len(r.cond.registered) == 2
	})
	reg := r.cond.registered[0]
	if reg.Node.HypervisorType != "fake" || reg.Node.VCPUs != 16 || reg.Node.MemoryMB != 32768 {
		t.Fatalf("node %+v", reg.Node)
	}
}

func TestBuildAndActionsReportResults(t *testing.T) {
	r := startRig(t, 1, true)
	inst := computerpc.Instance{UUID: "i-1", Name: "instance-00000001", Hostname: "vm1", PowerState: computerpc.PowerRunning}
	r.cast(t, "host1", computerpc.Operation{Op: computerpc.OpBuild, Instance: inst, ActionRequestID: "req-1"})
	res := r.cond.result(t, "i-1", computerpc.OpBuild)
	if !res.OK || res.PowerState != computerpc.PowerRunning || res.ActionRequestID != "req-1" || res.Host != "host1" {
		t.Fatalf("build result %+v", res)
	}
	r.cast(t, "host1", computerpc.Operation{Op: computerpc.OpStop, Instance: inst})
	if res := r.cond.result(t, "i-1", computerpc.OpStop); !res.OK || res.PowerState != computerpc.PowerShutdown {
		t.Fatalf("stop result %+v", res)
	}
	r.cast(t, "host1", computerpc.Operation{Op: computerpc.OpPause, Instance: inst})
	if res := r.cond.result(t, "i-1", computerpc.OpPause); res.OK || res.Fault == nil || res.Reschedulable {
		t.Fatalf("pausing a stopped guest: %+v", res)
	}
	r.cast(t, "host1", computerpc.Operation{Op: computerpc.OpDelete, Instance: inst})
	if res := r.cond.result(t, "i-1", computerpc.OpDelete); !res.OK || res.PowerState != computerpc.PowerNoState {
		t.Fatalf("delete result %+v", res)
	}
}

func TestInjectedSpawnFailureIsReschedulable(t *testing.T) {
	r := startRig(t, 1, true)
	if err := r.drivers[0].Inject("spawn:1"); err != nil {
		t.Fatal(err)
	}
	r.cast(t, "host1", computerpc.Operation{Op: computerpc.OpBuild, Instance: computerpc.Instance{UUID: "i-2"}})
	res := r.cond.result(t, "i-2", computerpc.OpBuild)
	if res.OK || !res.Reschedulable || res.Fault == nil || res.Fault.Code != 500 {
		t.Fatalf("result %+v", res)
	}
}

func TestReconcileAdoptsRespawnsAndRemoves(t *testing.T) {
	desired := []computerpc.Instance{{UUID: "keep", PowerState: computerpc.PowerRunning},
		{UUID: "missing", PowerState: computerpc.PowerShutdown}}
	r := startRigWith(t, 1, true, func(d *fake.Driver) {
		for _, id := range []string{"keep", "stray"} {
			if err := d.Spawn(context.Background(), computerpc.Instance{UUID: id}); err != nil {
				t.Fatal(err)
			}
		}
	}, desired...)
	eventually(t, "reconcile", func() bool {
		_, stray := r.drivers[0].PowerState("stray")
		p, missing := r.drivers[0].PowerState("missing")
		_, keep := r.drivers[0].PowerState("keep")
		return !stray && missing && p == computerpc.PowerShutdown && keep
	})
	eventually(t, "power sync", func() bool {
		r.cond.mu.Lock()
		defer r.cond.mu.Unlock()
		return len(r.cond.syncs) > 0 && len(r.cond.syncs[len(r.cond.syncs)-1].Instances) == 2
	})
}

func TestConsoleOutputAndSnapshotUpload(t *testing.T) {
	r := startRig(t, 1, true)
	inst := computerpc.Instance{UUID: "i-3", Name: "instance-00000003", Hostname: "vm3"}
	r.cast(t, "host1", computerpc.Operation{Op: computerpc.OpBuild, Instance: inst})
	r.cond.result(t, "i-3", computerpc.OpBuild)

	var reply computerpc.ConsoleOutputReply
	err := r.conn.Call(context.Background(), computerpc.HostSubject("host1"),
		computerpc.ConsoleOutput{InstanceUUID: "i-3", Length: 2}, &reply)
	if err != nil || reply.Output == "" || !contains(reply.Output, "vm3 login:") || len(strings.Split(reply.Output, "\n")) != 2 {
		t.Fatalf("console %q %v", reply.Output, err)
	}
	err = r.conn.Call(context.Background(), computerpc.HostSubject("host1"), computerpc.ConsoleOutput{InstanceUUID: "nope"}, &reply)
	if bus.CodeOf(err) != bus.NotFound {
		t.Fatalf("console of an unknown guest: %v", err)
	}

	var got []byte
	var token string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		got, _ = io.ReadAll(req.Body)
		token = req.Header.Get("X-Auth-Token")
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	r.cast(t, "host1", computerpc.Operation{Op: computerpc.OpSnapshot, Instance: inst,
		Snapshot: &computerpc.SnapshotTarget{ImageID: "img", DataURL: srv.URL + "/v2/images/img/file", Token: "tok"}})
	if res := r.cond.result(t, "i-3", computerpc.OpSnapshot); !res.OK {
		t.Fatalf("snapshot %+v", res.Fault)
	}
	if len(got) == 0 || token != "tok" {
		t.Fatalf("uploaded %d bytes with token %q", len(got), token)
	}
}

func TestStopSaysGoodbye(t *testing.T) {
	r := startRig(t, 1, true)
	eventually(t, "up", func() bool { return r.liveness.Up(computerpc.ServiceName, "host1") })
	r.agent.Stop()
	eventually(t, "down", func() bool { return !r.liveness.Up(computerpc.ServiceName, "host1") })
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
