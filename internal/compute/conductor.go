package compute

import (
	"context"
	"log/slog"
	"time"

	"github.com/monostack/monostack/internal/bus"
	"github.com/monostack/monostack/internal/computerpc"
	"github.com/monostack/monostack/internal/errs"
)

// StartConductor serves the API's casts and the agents' calls (every
// conductor joins one queue group, so each message is served once) and
// starts the recovery loop.
func (s *Service) StartConductor(ctx context.Context) error {
	if s.bus == nil {
		return errs.New(errs.Internal, "the conductor needs the bus")
	}
	for _, h := range []struct {
		subject string
		fn      bus.HandlerFunc
	}{{conductorAPISubject, s.serveConductorAPI}, {computerpc.ConductorSubject, s.serveAgent}} {
		sub, err := s.bus.Handle(h.subject, computerpc.ConductorQueue, h.fn)
		if err != nil {
			s.StopConductor()
			return err
		}
		s.mu.Lock()
		s.subs = append(s.subs, sub)
		s.mu.Unlock()
	}
	s.bg.Add(1)
	go s.recoveryLoop()
	return nil
}

// StopConductor stops taking messages, lets running ones finish and ends
// the recovery loop.
func (s *Service) StopConductor() {
	s.mu.Lock()
	subs := s.subs
	s.subs = nil
	s.mu.Unlock()
	for _, sub := range subs {
		sub.Stop()
	}
	s.stopOnce.Do(func() { close(s.stop) })
	s.bg.Wait()
}

// serveConductorAPI carries out what the API accepted.
func (s *Service) serveConductorAPI(ctx context.Context, m *bus.Message) (any, error) {
	switch m.Type {
	case buildInstances{}.MessageType():
		var b buildInstances
		if err := m.Decode(&b); err != nil {
			return nil, err
		}
		for _, id := range b.InstanceUUIDs {
			s.buildOne(ctx, id)
		}
	case instanceAction{}.MessageType():
		var a instanceAction
		if err := m.Decode(&a); err != nil {
			return nil, err
		}
		if err := s.runAction(ctx, a); err != nil {
			s.log.Warn("instance action failed", slog.String("instance", a.InstanceUUID),
				slog.String("action", a.Action), slog.String("error", err.Error()))
		}
	default:
		return nil, errs.BadRequestf("unknown conductor message %q", m.Type)
	}
	return nil, nil
}

// serveAgent answers compute agents.
func (s *Service) serveAgent(ctx context.Context, m *bus.Message) (any, error) {
	switch m.Type {
	case computerpc.RegisterNode{}.MessageType():
		var r computerpc.RegisterNode
		if err := m.Decode(&r); err != nil {
			return nil, err
		}
		rn, ok := any(s).(nodeRegistrar)
		if !ok {
			return nil, errs.New(errs.Unavailable, "node registration is not available")
		}
		return rn.registerNode(ctx, r)
	case computerpc.OpResult{}.MessageType():
		var r computerpc.OpResult
		if err := m.Decode(&r); err != nil {
			return nil, err
		}
		return nil, s.handleResult(ctx, r)
	case computerpc.PowerSync{}.MessageType():
		var r computerpc.PowerSync
		if err := m.Decode(&r); err != nil {
			return nil, err
		}
		return nil, s.powerSync(ctx, r)
	}
	return nil, errs.BadRequestf("unknown agent message %q", m.Type)
}

// nodeRegistrar is the node registration of nodes*.go.
type nodeRegistrar interface {
	registerNode(ctx context.Context, m computerpc.RegisterNode) (*computerpc.RegisterNodeReply, error)
}

// castOp sends an operation to a host's agent.
// The state the op acts on is already committed, so a caller that has
// given up (a timed-out request, a recovery pass) must not stop it leaving.
func (s *Service) castOp(ctx context.Context, op computerpc.Operation) error {
	return s.bus.Cast(context.WithoutCancel(ctx), computerpc.HostSubject(op.Host), op)
}

// recoveryLoop finishes or fails work whose messages were lost.
func (s *Service) recoveryLoop() {
	defer s.bg.Done()
	interval := s.opts.RecoveryInterval
	if interval <= 0 {
		interval = 30 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			// A pass may outlast a short interval; its work must not be cut
			// off between a committed change and the message that follows.
			ctx, cancel := context.WithTimeout(context.Background(), max(interval, time.Minute))
			s.recover(ctx)
			cancel()
		}
	}
}
