-- Compute (Nova v2.1) resources: flavors with their extra specs and
-- project access, keypairs, and quota limits (per project, per project
-- user, and per quota class). Times are Unix microseconds. Instances keep
-- their own copy of the flavor, so deleting a flavor removes its rows.

CREATE TABLE compute_flavors (
    id           BIGINT PRIMARY KEY,
    flavorid     TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL UNIQUE,
    memory_mb    INTEGER NOT NULL,
    vcpus        INTEGER NOT NULL,
    root_gb      INTEGER NOT NULL,
    ephemeral_gb INTEGER NOT NULL DEFAULT 0,
    swap         INTEGER NOT NULL DEFAULT 0,
    rxtx_factor  DOUBLE PRECISION NOT NULL DEFAULT 1.0,
    vcpu_weight  INTEGER,
    disabled     BOOLEAN NOT NULL DEFAULT FALSE,
    is_public    BOOLEAN NOT NULL DEFAULT TRUE,
    description  TEXT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT
);

CREATE TABLE compute_flavor_extra_specs (
    flavor_id BIGINT NOT NULL REFERENCES compute_flavors (id) ON DELETE CASCADE,
    key       TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (flavor_id, key)
);

CREATE TABLE compute_flavor_projects (
    flavor_id  BIGINT NOT NULL REFERENCES compute_flavors (id) ON DELETE CASCADE,
    project_id TEXT NOT NULL,
    PRIMARY KEY (flavor_id, project_id)
);
CREATE INDEX compute_flavor_projects_project ON compute_flavor_projects (project_id);

CREATE TABLE compute_keypairs (
    id          BIGINT PRIMARY KEY,
    user_id     TEXT NOT NULL,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (user_id, name)
);

-- user_id '' is the project's own limit; others are per-user limits.
CREATE TABLE compute_quotas (
    project_id TEXT NOT NULL,
    user_id    TEXT NOT NULL DEFAULT '',
    resource   TEXT NOT NULL,
    hard_limit INTEGER NOT NULL,
    PRIMARY KEY (project_id, user_id, resource)
);

CREATE TABLE compute_quota_classes (
    class_name TEXT NOT NULL,
    resource   TEXT NOT NULL,
    hard_limit INTEGER NOT NULL,
    PRIMARY KEY (class_name, resource)
);

-- The configured [quota] defaults (Bootstrap rewrites them at start);
-- the "default" quota class overrides them, as in Nova.
CREATE TABLE compute_quota_defaults (
    resource   TEXT PRIMARY KEY,
    hard_limit INTEGER NOT NULL
);
