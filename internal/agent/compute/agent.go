package compute

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/monostack/monostack/internal/bus"
	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/hypervisor"
)

// Host is one compute host the agent serves.
type Host struct {
	Name   string
	Driver hypervisor.Driver
}

// Options configure an agent.
type Options struct {
	Conn              *bus.Conn
	Hosts             []Host
	HeartbeatInterval time.Duration // default bus.DefaultHeartbeatInterval
	SyncInterval      time.Duration // power state reports; default 60 s
	HTTPClient        *http.Client  // snapshot uploads; default http.DefaultClient
	Log               *slog.Logger
}

// Agent serves compute hosts.
type Agent struct {
	opts   Options
	log    *slog.Logger
	hosts  []*hostAgent
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New builds an agent; Start runs it.
func New(o Options) *Agent {
	if o.HeartbeatInterval <= 0 {
		o.HeartbeatInterval = bus.DefaultHeartbeatInterval
	}
	if o.SyncInterval <= 0 {
		o.SyncInterval = time.Minute
	}
	if o.HTTPClient == nil {
		o.HTTPClient = http.DefaultClient
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	return &Agent{opts: o, log: o.Log.With(slog.String("component", "compute-agent"))}
}

// Start begins serving every host: heartbeats and subscriptions at once,
// registration with the conductor in the background (retried until a
// conductor answers).
func (a *Agent) Start(ctx context.Context) error {
	a.ctx, a.cancel = context.WithCancel(context.WithoutCancel(ctx))
	for _, h := range a.opts.Hosts {
		ha := &hostAgent{agent: a, name: h.Name, driver: h.Driver, locks: map[string]*sync.Mutex{},
			log: a.log.With(slog.String("host", h.Name))}
		if err := ha.start(); err != nil {
			a.Stop()
			return err
		}
		a.hosts = append(a.hosts, ha)
	}
	return nil
}

// Stop says goodbye (the hosts' services turn down at once), stops taking
// operations, lets running ones finish and ends the background loops.
func (a *Agent) Stop() {
	for _, h := range a.hosts {
		h.stop()
	}
	if a.cancel != nil {
		a.cancel()
	}
	a.wg.Wait()
	a.hosts = nil
}

// go runs fn in the background until Stop.
func (a *Agent) goBackground(fn func(ctx context.Context)) {
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		fn(a.ctx)
	}()
}

// callConductor calls the conductor, retrying while it is unavailable,
// until the agent stops.
func (a *Agent) callConductor(ctx context.Context, req, resp any) error {
	wait := 100 * time.Millisecond
	for {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := a.opts.Conn.Call(cctx, computerpc.ConductorSubject, req, resp)
		cancel()
		code := bus.CodeOf(err)
		if err == nil || (code != bus.Unavailable && code != bus.Timeout) {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(ctx.Err(), err)
		case <-time.After(wait):
		}
		wait = min(wait*2, 5*time.Second)
	}
}
