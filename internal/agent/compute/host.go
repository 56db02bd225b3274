package compute

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/monostack/monostack/internal/bus"
	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/hypervisor"
)

// hostAgent serves one host.
type hostAgent struct {
	agent  *Agent
	name   string
	driver hypervisor.Driver
	log    *slog.Logger

	heartbeat *bus.Heartbeat
	sub       *bus.Subscription

	mu         sync.Mutex
	locks      map[string]*sync.Mutex // one per instance: its operations run one at a time
	registered bool
}

func (h *hostAgent) start() error {
	a := h.agent
	hb, err := bus.StartHeartbeat(a.opts.Conn, bus.HeartbeatOptions{Service: computerpc.ServiceName,
		Host: h.name, Interval: a.opts.HeartbeatInterval})
	if err != nil {
		return err
	}
	h.heartbeat = hb
	sub, err := a.opts.Conn.Handle(computerpc.HostSubject(h.name), computerpc.HostQueue(h.name), h.serve)
	if err != nil {
		hb.Stop()
		return err
	}
	h.sub = sub
	a.goBackground(h.register)
	a.goBackground(h.syncLoop)
	return nil
}

func (h *hostAgent) stop() {
	if h.sub != nil {
		h.sub.Stop()
	}
	if h.heartbeat != nil {
		h.heartbeat.Stop()
	}
}

// serve dispatches a message sent to the host.
func (h *hostAgent) serve(ctx context.Context, m *bus.Message) (any, error) {
	switch m.Type {
	case computerpc.ConsoleOutput{}.MessageType():
		var req computerpc.ConsoleOutput
		if err := m.Decode(&req); err != nil {
			return nil, err
		}
		return h.consoleOutput(ctx, req)
	default:
		var op computerpc.Operation
		if err := m.Decode(&op); err != nil {
			return nil, err
		}
		h.run(ctx, op)
		return nil, nil
	}
}

// instanceLock is the lock of one instance's operations.
func (h *hostAgent) instanceLock(uuid string) *sync.Mutex {
	h.mu.Lock()
	defer h.mu.Unlock()
	l, ok := h.locks[uuid]
	if !ok {
		l = &sync.Mutex{}
		h.locks[uuid] = l
	}
	return l
}

// register tells the conductor about the node until it answers, then
// reconciles the guests with the reply.
func (h *hostAgent) register(ctx context.Context) {
	info, err := h.driver.HostInfo(ctx)
	if err != nil {
		h.log.Error("host fingerprint failed", slog.String("error", err.Error()))
		return
	}
	info.Host = h.name
	running, err := h.driver.List(ctx)
	if err != nil {
		h.log.Error("listing guests failed", slog.String("error", err.Error()))
		return
	}
	var reply computerpc.RegisterNodeReply
	for wait := 100 * time.Millisecond; ; wait = min(wait*2, 10*time.Second) {
		err := h.agent.callConductor(ctx, computerpc.RegisterNode{Node: info, Running: running}, &reply)
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			return
		}
		h.log.Warn("registration failed; retrying", slog.String("error", err.Error()))
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
	h.mu.Lock()
	h.registered = true
	h.mu.Unlock()
	h.log.Info("registered with the conductor", slog.String("node", reply.NodeUUID), slog.Int("guests", len(reply.Desired)))
	h.reconcile(ctx, reply.Desired, running)
}

// reconcile adopts guests that belong here and run, starts those that
// belong here but are missing, and removes guests that ran before the
// registration and do not belong (a guest built since is the conductor's
// newer word, not a stray).
func (h *hostAgent) reconcile(ctx context.Context, desired []computerpc.Instance, before []computerpc.InstancePower) {
	running, err := h.driver.List(ctx)
	if err != nil {
		h.log.Error("listing guests failed", slog.String("error", err.Error()))
		return
	}
	have := map[string]bool{}
	for _, r := range running {
		have[r.UUID] = true
	}
	want := map[string]bool{}
	for _, inst := range desired {
		want[inst.UUID] = true
		if have[inst.UUID] {
			continue
		}
		l := h.instanceLock(inst.UUID)
		l.Lock()
		if err := h.driver.Spawn(ctx, inst); err != nil {
			h.log.Error("respawning a missing guest failed", slog.String("instance", inst.UUID), slog.String("error", err.Error()))
		}
		l.Unlock()
	}
	for _, r := range before {
		if have[r.UUID] && !want[r.UUID] {
			h.log.Warn("removing a guest that does not belong here", slog.String("instance", r.UUID))
			_ = h.driver.Destroy(ctx, r.UUID)
		}
	}
	h.sendPowerSync(ctx)
}

// syncLoop reports power states every SyncInterval.
func (h *hostAgent) syncLoop(ctx context.Context) {
	t := time.NewTicker(h.agent.opts.SyncInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			h.mu.Lock()
			registered := h.registered
			h.mu.Unlock()
			if registered {
				h.sendPowerSync(ctx)
			}
		}
	}
}

func (h *hostAgent) sendPowerSync(ctx context.Context) {
	taken := time.Now().UTC()
	running, err := h.driver.List(ctx)
	if err != nil {
		return
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := h.agent.opts.Conn.Call(cctx, computerpc.ConductorSubject,
		computerpc.PowerSync{Host: h.name, Instances: running, Taken: taken}, nil); err != nil && ctx.Err() == nil {
		h.log.Debug("power sync not delivered", slog.String("error", err.Error()))
	}
}

func (h *hostAgent) consoleOutput(ctx context.Context, req computerpc.ConsoleOutput) (any, error) {
	out, err := h.driver.ConsoleOutput(ctx, req.InstanceUUID)
	if err != nil {
		return nil, driverError(err)
	}
	return computerpc.ConsoleOutputReply{Output: lastLines(string(out), req.Length)}, nil
}
