package network

import (
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/monostack/monostack/internal/db"
	"github.com/monostack/monostack/internal/network/neutronerr"
)

// agent is a stored network agent (agents_db's Agent).
type agent struct {
	ID, Type, Binary, Topic, Host string
	AZ, Description               *string
	AdminStateUp                  bool
	Configurations                map[string]any
	ResourceVersions              map[string]any
	ResourcesSynced               *bool
	CreatedAt, StartedAt          int64 // Unix microseconds
	Heartbeat                     int64
}

const agentCols = `id, agent_type, agent_binary, topic, host, availability_zone, admin_state_up, description,
	configurations, resource_versions, resources_synced, created_at, started_at, heartbeat_timestamp`

func scanAgent(sc interface{ Scan(...any) error }) (*agent, error) {
	a := &agent{}
	var az, desc sql.NullString
	var synced sql.NullBool
	var conf, versions string
	err := sc.Scan(&a.ID, &a.Type, &a.Binary, &a.Topic, &a.Host, &az, &a.AdminStateUp, &desc,
		&conf, &versions, &synced, &a.CreatedAt, &a.StartedAt, &a.Heartbeat)
	if err != nil {
		return nil, err
	}
	if az.Valid {
		a.AZ = &az.String
	}
	if desc.Valid {
		a.Description = &desc.String
	}
	if synced.Valid {
		a.ResourcesSynced = &synced.Bool
	}
	if err := json.Unmarshal([]byte(conf), &a.Configurations); err != nil {
		return nil, err
	}
	return a, json.Unmarshal([]byte(versions), &a.ResourceVersions)
}

// queryAgents reads the agents matching where.
func queryAgents(tx *db.Tx, where string, args ...any) ([]*agent, error) {
	return scanRows(tx, `SELECT `+agentCols+` FROM network_agents WHERE `+where+` ORDER BY created_at, id`, args, scanAgent)
}

// getAgent reads one agent by id.
func getAgent(tx *db.Tx, id string) (*agent, error) {
	a, err := scanAgent(tx.QueryRow(`SELECT `+agentCols+` FROM network_agents WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, neutronerr.AgentNotFound(id)
	}
	return a, err
}

// agentByTypeHost reads the agent of a type on a host, nil when none.
func agentByTypeHost(tx *db.Tx, agentType, host string) (*agent, error) {
	a, err := scanAgent(tx.QueryRow(`SELECT `+agentCols+` FROM network_agents WHERE agent_type = ? AND host = ?`, agentType, host))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return a, err
}

// jsonText is a map as stored JSON text ("{}" for nil).
func jsonText(m map[string]any) string {
	if m == nil {
		return "{}"
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// insertAgent stores a new agent; false when another controller stored
// the same type and host first.
func insertAgent(tx *db.Tx, a *agent) (bool, error) {
	n, err := tx.ExecAffected(`INSERT INTO network_agents (`+agentCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (agent_type, host) DO NOTHING`, a.ID, a.Type, a.Binary, a.Topic, a.Host, a.AZ, a.AdminStateUp,
		a.Description, jsonText(a.Configurations), jsonText(a.ResourceVersions), a.ResourcesSynced,
		a.CreatedAt, a.StartedAt, a.Heartbeat)
	return n == 1, err
}

// saveAgent writes an agent's mutable columns.
func saveAgent(tx *db.Tx, a *agent) error {
	_, err := tx.Exec(`UPDATE network_agents SET agent_binary = ?, topic = ?, availability_zone = ?, admin_state_up = ?,
		description = ?, configurations = ?, resource_versions = ?, started_at = ?, heartbeat_timestamp = ? WHERE id = ?`,
		a.Binary, a.Topic, a.AZ, a.AdminStateUp, a.Description, jsonText(a.Configurations), jsonText(a.ResourceVersions),
		a.StartedAt, a.Heartbeat, a.ID)
	return err
}

// removeAgent deletes an agent.
func removeAgent(tx *db.Tx, id string) error {
	_, err := tx.Exec(`DELETE FROM network_agents WHERE id = ?`, id)
	return err
}
