-- Network (Neutron v2.0): address scopes and subnet pools. A pool's
-- prefixes are a JSON list of compacted CIDRs in address order. The
-- partial unique index keeps one default pool per IP version even when two
-- processes share the database; the foreign key keeps a scope from going
-- while a pool uses it.

CREATE TABLE network_address_scopes (
    id         TEXT PRIMARY KEY,
    project_id TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    shared     BOOLEAN NOT NULL DEFAULT FALSE,
    ip_version INTEGER NOT NULL
);
CREATE INDEX network_address_scopes_project ON network_address_scopes (project_id);

CREATE TABLE network_subnetpools (
    id                TEXT PRIMARY KEY,
    project_id        TEXT NOT NULL,
    name              TEXT NOT NULL DEFAULT '',
    description       TEXT NOT NULL DEFAULT '',
    ip_version        INTEGER NOT NULL,
    prefixes          TEXT NOT NULL,
    default_prefixlen INTEGER NOT NULL,
    min_prefixlen     INTEGER NOT NULL,
    max_prefixlen     INTEGER NOT NULL,
    shared            BOOLEAN NOT NULL DEFAULT FALSE,
    is_default        BOOLEAN NOT NULL DEFAULT FALSE,
    default_quota     INTEGER,
    address_scope_id  TEXT REFERENCES network_address_scopes (id),
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    revision_number   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX network_subnetpools_project ON network_subnetpools (project_id);
CREATE INDEX network_subnetpools_scope ON network_subnetpools (address_scope_id);
CREATE UNIQUE INDEX network_subnetpools_default ON network_subnetpools (ip_version) WHERE is_default = TRUE;
