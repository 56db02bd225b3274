-- Network (Neutron v2.0): QoS policies with their rules and their bindings
-- to networks and ports, and the agents table the agents API and
-- report_state share.

-- A project's default policy is the row with is_default = TRUE; the
-- partial unique index keeps it one per project across processes.
CREATE TABLE network_qos_policies (
    id              TEXT PRIMARY KEY,
    project_id      TEXT NOT NULL,
    name            TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    shared          BOOLEAN NOT NULL DEFAULT FALSE,
    is_default      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    revision_number BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX network_qos_policies_project ON network_qos_policies (project_id);
CREATE UNIQUE INDEX network_qos_policies_default ON network_qos_policies (project_id) WHERE is_default = TRUE;

-- Rules of every type in one table: rule_type says which value columns
-- are used. direction is '' for DSCP marking rules, so the unique index
-- is upstream's one rule per type and direction of a policy.
CREATE TABLE network_qos_rules (
    id             TEXT PRIMARY KEY,
    qos_policy_id  TEXT NOT NULL REFERENCES network_qos_policies (id) ON DELETE CASCADE,
    rule_type      TEXT NOT NULL,
    direction      TEXT NOT NULL DEFAULT '',
    max_kbps       BIGINT,
    max_burst_kbps BIGINT,
    min_kbps       BIGINT,
    dscp_mark      INTEGER,
    created_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX network_qos_rules_type ON network_qos_rules (qos_policy_id, rule_type, direction);

-- qos_policy_id of networks and ports; a bound policy cannot be deleted.
CREATE TABLE network_qos_network_bindings (
    network_id TEXT PRIMARY KEY REFERENCES network_networks (id) ON DELETE CASCADE,
    policy_id  TEXT NOT NULL REFERENCES network_qos_policies (id)
);
CREATE INDEX network_qos_network_bindings_policy ON network_qos_network_bindings (policy_id);

CREATE TABLE network_qos_port_bindings (
    port_id   TEXT PRIMARY KEY REFERENCES network_ports (id) ON DELETE CASCADE,
    policy_id TEXT NOT NULL REFERENCES network_qos_policies (id)
);
CREATE INDEX network_qos_port_bindings_policy ON network_qos_port_bindings (policy_id);

-- Agents, one per (agent_type, host), made and updated by report_state.
-- Times are Unix microseconds; configurations and resource_versions JSON.
CREATE TABLE network_agents (
    id                  TEXT PRIMARY KEY,
    agent_type          TEXT NOT NULL,
    agent_binary        TEXT NOT NULL,
    topic               TEXT NOT NULL,
    host                TEXT NOT NULL,
    availability_zone   TEXT,
    admin_state_up      BOOLEAN NOT NULL DEFAULT TRUE,
    description         TEXT,
    configurations      TEXT NOT NULL DEFAULT '{}',
    resource_versions   TEXT NOT NULL DEFAULT '{}',
    resources_synced    BOOLEAN,
    created_at          BIGINT NOT NULL,
    started_at          BIGINT NOT NULL,
    heartbeat_timestamp BIGINT NOT NULL
);
CREATE UNIQUE INDEX network_agents_type_host ON network_agents (agent_type, host);
