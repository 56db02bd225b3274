package network

import (
	"net/http"
	"time"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/httpx"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// AgentLiveness says whether an agent binary on a host heartbeats on the
// bus; known is false when no heartbeat tracker runs.
type AgentLiveness func(binary, host string) (up, known bool)

// defaultAgentDownTime is agent_down_time's default.
const defaultAgentDownTime = 75 * time.Second

// agentResource is the agent attribute map (agent, availability_zone,
// agent-resources-synced and agent_sort_key).
var agentResource = NewResource("agent", "agents", []Attr{
	{Name: "id", Filter: true, Sort: true},
	{Name: "agent_type", Filter: true, Sort: true},
	{Name: "binary", Filter: true, Sort: true},
	{Name: "topic", Filter: true, Sort: true},
	{Name: "host", Filter: true, Sort: true},
	{Name: "admin_state_up", Put: true, Convert: toBool, Filter: true, Sort: true},
	{Name: "created_at", Sort: true},
	{Name: "started_at", Sort: true},
	{Name: "heartbeat_timestamp", Sort: true},
	{Name: "alive", Convert: toBool, Filter: true, Sort: true},
	{Name: "configurations"},
	{Name: "description", Put: true, Validate: maxStringOrNone(255), Filter: true, Sort: true},
	{Name: "availability_zone", Filter: true, Sort: true},
	{Name: "resources_synced"},
	{Name: "resource_versions"},
})

// addAgentRoutes adds the agent and availability zone routes.
func (s *Service) addAgentRoutes(rt *httpx.Router) {
	rt.Handle("GET", "/v2.0/agents", s.listAgents)
	rt.Handle("GET", "/v2.0/agents/{agent_id}", s.showAgent)
	rt.Handle("PUT", "/v2.0/agents/{agent_id}", s.updateAgent)
	rt.Handle("DELETE", "/v2.0/agents/{agent_id}", s.deleteAgent)
	rt.Handle("GET", "/v2.0/availability_zones", s.listAvailabilityZones)
}

// agentTime renders stored microseconds as the agents API does.
func agentTime(us int64) string {
	return time.UnixMicro(us).UTC().Format("2006-01-02 15:04:05")
}

// agentAlive is not is_agent_down: a beat within the down time, from the
// bus tracker when one runs, else from the last report.
func (s *Service) agentAlive(a *agent) bool {
	if s.opts.AgentLiveness != nil {
		if up, known := s.opts.AgentLiveness(a.Binary, a.Host); known {
			return up
		}
	}
	down := s.opts.AgentDownTime
	if down <= 0 {
		down = defaultAgentDownTime
	}
	return s.now().Sub(time.UnixMicro(a.Heartbeat)) < down
}

// agentDict is an agent as the API shows it.
func (s *Service) agentDict(a *agent) map[string]any {
	conf, versions := a.Configurations, a.ResourceVersions
	if conf == nil {
		conf = map[string]any{}
	}
	if versions == nil {
		versions = map[string]any{}
	}
	return map[string]any{"id": a.ID, "agent_type": a.Type, "binary": a.Binary, "topic": a.Topic, "host": a.Host,
		"admin_state_up": a.AdminStateUp, "created_at": agentTime(a.CreatedAt), "started_at": agentTime(a.StartedAt),
		"heartbeat_timestamp": agentTime(a.Heartbeat), "alive": s.agentAlive(a), "configurations": conf,
		"description": a.Description, "availability_zone": a.AZ, "resources_synced": a.ResourcesSynced,
		"resource_versions": versions}
}

func (s *Service) listAgents(w http.ResponseWriter, r *http.Request) error {
	return listVisible(s, w, r, agentResource, "get_agent", func(tx *db.Tx, _ string) ([]*agent, error) {
		return queryAgents(tx, "1 = 1")
	}, s.agentDict, nil)
}

func (s *Service) showAgent(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("agent_id")
	return showOne(s, w, r, agentResource, func(tx *db.Tx) (*agent, error) { return getAgent(tx, id) },
		func(a *agent) (map[string]any, bool) {
			m := s.agentDict(a)
			ok, _ := s.allowed(r, "get_agent", m, nil)
			return m, ok
		}, neutronerr.AgentNotFound(id))
}

// authorizedAgent reads an agent for a change and enforces action; one
// the caller may not see is not found.
func (s *Service) authorizedAgent(r *http.Request, tx *db.Tx, id, action string) (*agent, error) {
	a, err := getAgent(tx, id)
	if err != nil {
		return nil, err
	}
	if err := s.enforce(r, action, s.agentDict(a), nil); err != nil {
		if ok, _ := s.allowed(r, "get_agent", s.agentDict(a), nil); !ok {
			return nil, neutronerr.AgentNotFound(id)
		}
		return nil, err
	}
	return a, nil
}

func (s *Service) updateAgent(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("agent_id")
	items, _, err := s.decodeBody(r, agentResource, false)
	if err != nil {
		return err
	}
	var a *agent
	err = s.db.Write(r.Context(), func(tx *db.Tx) error {
		if a, err = s.authorizedAgent(r, tx, id, "update_agent"); err != nil {
			return err
		}
		if v, ok := items[0]["admin_state_up"].(bool); ok {
			a.AdminStateUp = v
		}
		if v, ok := items[0]["description"]; ok {
			a.Description = nil
			if d, isStr := v.(string); isStr {
				a.Description = &d
			}
		}
		return saveAgent(tx, a)
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"agent": s.agentDict(a)})
}

func (s *Service) deleteAgent(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("agent_id")
	err := s.db.Write(r.Context(), func(tx *db.Tx) error {
		if _, err := s.authorizedAgent(r, tx, id, "delete_agent"); err != nil {
			return err
		}
		return removeAgent(tx, id)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
