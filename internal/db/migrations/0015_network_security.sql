-- Network (Neutron v2.0): security groups with their rules, and address
-- groups with their addresses. A project's default group is the row with
-- is_default = TRUE; the partial unique index keeps it one per project even
-- when two processes sharing the database create it at once.

CREATE TABLE network_security_groups (
    id              TEXT PRIMARY KEY,
    project_id      TEXT NOT NULL,
    name            TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    stateful        BOOLEAN NOT NULL DEFAULT TRUE,
    is_default      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    revision_number BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX network_security_groups_project ON network_security_groups (project_id);
CREATE UNIQUE INDEX network_security_groups_default ON network_security_groups (project_id) WHERE is_default = TRUE;

CREATE TABLE network_address_groups (
    id              TEXT PRIMARY KEY,
    project_id      TEXT NOT NULL,
    name            TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    revision_number BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX network_address_groups_project ON network_address_groups (project_id);

-- Normalized CIDRs of an address group.
CREATE TABLE network_address_group_addresses (
    address_group_id TEXT NOT NULL REFERENCES network_address_groups (id) ON DELETE CASCADE,
    address          TEXT NOT NULL,
    PRIMARY KEY (address_group_id, address)
);

-- Rules; a rule naming a group as its remote goes with that group, as
-- upstream's foreign keys do. protocol is stored as given (name or number).
CREATE TABLE network_security_group_rules (
    id                      TEXT PRIMARY KEY,
    project_id              TEXT NOT NULL,
    security_group_id       TEXT NOT NULL REFERENCES network_security_groups (id) ON DELETE CASCADE,
    remote_group_id         TEXT REFERENCES network_security_groups (id) ON DELETE CASCADE,
    remote_address_group_id TEXT REFERENCES network_address_groups (id) ON DELETE CASCADE,
    direction               TEXT NOT NULL,
    ethertype               TEXT NOT NULL,
    protocol                TEXT,
    port_range_min          INTEGER,
    port_range_max          INTEGER,
    remote_ip_prefix        TEXT,
    description             TEXT NOT NULL DEFAULT '',
    created_at              BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL,
    revision_number         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX network_security_group_rules_group ON network_security_group_rules (security_group_id);
CREATE INDEX network_security_group_rules_remote ON network_security_group_rules (remote_group_id);
CREATE INDEX network_security_group_rules_address_group ON network_security_group_rules (remote_address_group_id);
CREATE INDEX network_security_group_rules_project ON network_security_group_rules (project_id);
