package network

import (
	"cmp"
	"context"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
	"github.com/monostack/monostack/internal/network/rpc"
)

// ReportAgentState records an agent's report_state: the agent of its type
// on its host is created on the first report and updated after, its
// heartbeat set to now and, on a start, its started_at (agents_db
// create_or_update_agent).
func (s *Service) ReportAgentState(ctx context.Context, st rpc.ReportState) error {
	_, err := s.AgentReport(ctx, st)
	return err
}

// AgentReport is ReportAgentState with the reply the agent is sent.
func (s *Service) AgentReport(ctx context.Context, st rpc.ReportState) (rpc.ReportStateReply, error) {
	if err := st.Validate(); err != nil {
		return rpc.ReportStateReply{}, err
	}
	var reply rpc.ReportStateReply
	err := s.db.Write(ctx, func(tx *db.Tx) error {
		now := micros(s.now())
		a, err := agentByTypeHost(tx, st.AgentType, st.Host)
		if err != nil {
			return err
		}
		if a == nil {
			created, err := s.newAgent(tx, st, now)
			if err != nil {
				return err
			}
			if created != nil {
				reply = rpc.ReportStateReply{AgentID: created.ID, Status: rpc.AgentNew, AdminStateUp: true}
				return nil
			}
			if a, err = agentByTypeHost(tx, st.AgentType, st.Host); err != nil || a == nil {
				return cmp.Or(err, error(neutronerr.New("Conflict", "agent %s on %s changed concurrently", st.AgentType, st.Host)))
			}
		}
		reply = rpc.ReportStateReply{AgentID: a.ID, Status: rpc.AgentAlive, AdminStateUp: a.AdminStateUp}
		if !s.agentAlive(a) {
			reply.Status = rpc.AgentRevived
		}
		applyReport(a, st, now)
		return saveAgent(tx, a)
	})
	return reply, err
}

// newAgent stores the first report of an agent; nil when another
// controller stored it first.
func (s *Service) newAgent(tx *db.Tx, st rpc.ReportState, now int64) (*agent, error) {
	a := &agent{ID: s.newID(), Type: st.AgentType, Host: st.Host, AdminStateUp: true, CreatedAt: now}
	applyReport(a, st, now)
	a.StartedAt = now
	ok, err := insertAgent(tx, a)
	if err != nil || !ok {
		return nil, err
	}
	return a, nil
}

// applyReport copies a report's fields to a.
func applyReport(a *agent, st rpc.ReportState, now int64) {
	a.Binary, a.Topic, a.Configurations, a.Heartbeat = st.Binary, st.Topic, st.Configurations, now
	if st.AvailabilityZone != "" {
		az := st.AvailabilityZone
		a.AZ = &az
	}
	if len(st.ResourceVersions) > 0 {
		a.ResourceVersions = map[string]any{}
		for k, v := range st.ResourceVersions {
			a.ResourceVersions[k] = v
		}
	}
	if st.StartFlag {
		a.StartedAt = now
	}
}
