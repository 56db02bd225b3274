package network

import (
	"context"

	"github.com/monostack/monostack/internal/bus"
	"github.com/monostack/monostack/internal/network/rpc"
)

// agentCall is one call subject the controller serves.
type agentCall struct {
	subject string
	fn      bus.HandlerFunc
}

// agentCalls are the agent calls this service answers
// (docs/network-agent-contract.md).
func (s *Service) agentCalls() []agentCall {
	return []agentCall{
		{rpc.SubjectReportState, handleCall(s.reportState)},
		{rpc.SubjectDevices, handleCall(s.getDevices)},
		{rpc.SubjectUpdateDevices, handleCall(s.updateDevices)},
		{rpc.SubjectSecurityInfo, handleCall(s.securityGroupInfo)},
		{rpc.SubjectFDB, handleCall(s.getFDB)},
		{rpc.SubjectDHCPNetworks, handleCall(s.activeNetworks)},
		{rpc.SubjectDHCPNetwork, handleCall(s.networkInfo)},
		{rpc.SubjectDHCPReady, handleCall(s.dhcpReady)},
		{rpc.SubjectSyncRouters, handleCall(s.syncRouters)},
		{rpc.SubjectFIPStatuses, handleCall(s.updateFloatingIPStatuses)},
	}
}

// serveAgents joins the controllers' queue group on every agent call
// subject; without a bus it does nothing.
func (s *Service) serveAgents() error {
	if s.opts.Bus == nil {
		return nil
	}
	for _, c := range s.agentCalls() {
		sub, err := s.opts.Bus.Handle(c.subject, rpc.ControllerQueue, c.fn)
		if err != nil {
			s.StopAgents()
			return err
		}
		s.agentSubs = append(s.agentSubs, sub)
	}
	return nil
}

// StopAgents stops answering agent calls, letting running ones finish.
func (s *Service) StopAgents() {
	for _, sub := range s.agentSubs {
		sub.Stop()
	}
	s.agentSubs = nil
}

// request is a pointer to an rpc request type.
type request[T any] interface {
	*T
	bus.Versioned
}

// handleCall decodes and validates a call's request before fn serves it.
func handleCall[T any, P request[T]](fn func(ctx context.Context, req *T) (any, error)) bus.HandlerFunc {
	return func(ctx context.Context, m *bus.Message) (any, error) {
		req := P(new(T))
		if err := rpc.Decode(m, req); err != nil {
			return nil, err
		}
		return fn(ctx, req)
	}
}

// cast sends a notification to the agents; a failure is only logged, the
// change it reports being committed already.
func (s *Service) cast(ctx context.Context, subject string, msg bus.Versioned) {
	if s.opts.Bus == nil {
		return
	}
	if err := s.opts.Bus.Cast(context.WithoutCancel(ctx), subject, msg); err != nil {
		s.log.Warn("agent notification not sent", "subject", subject, "type", msg.MessageType(), "err", err)
	}
}

// reportState answers an agent's report_state with its agent row's state.
func (s *Service) reportState(ctx context.Context, req *rpc.ReportState) (any, error) {
	return s.AgentReport(ctx, *req)
}
