-- Identity (Keystone v3). Domains are projects with is_domain true, as
-- upstream: their domain_id is '<<keystone.domain.root>>' and parent_id NULL;
-- a top-level project's parent_id is its domain's id. Times are Unix
-- microseconds. Global roles have domain_id '<<null>>'. Resource options
-- (immutable, user security options) are kept in extra under "__options__".

CREATE TABLE identity_projects (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    enabled     BOOLEAN NOT NULL,
    domain_id   TEXT NOT NULL,
    parent_id   TEXT REFERENCES identity_projects (id),
    is_domain   BOOLEAN NOT NULL,
    extra       TEXT NOT NULL DEFAULT '{}',
    UNIQUE (domain_id, name)
);
CREATE INDEX identity_projects_parent ON identity_projects (parent_id);

CREATE TABLE identity_project_tags (
    project_id TEXT NOT NULL REFERENCES identity_projects (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    PRIMARY KEY (project_id, name)
);

CREATE TABLE identity_users (
    id                  TEXT PRIMARY KEY,
    domain_id           TEXT NOT NULL REFERENCES identity_projects (id),
    name                TEXT NOT NULL,
    enabled             BOOLEAN NOT NULL,
    default_project_id  TEXT,
    description         TEXT,
    extra               TEXT NOT NULL DEFAULT '{}',
    created_at          BIGINT NOT NULL,
    last_active_at      BIGINT,
    failed_auth_count   INTEGER NOT NULL DEFAULT 0,
    failed_auth_at      BIGINT,
    UNIQUE (domain_id, name)
);

-- Every password a user has had; the newest row is the current one.
CREATE TABLE identity_passwords (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES identity_users (id) ON DELETE CASCADE,
    hash         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT,
    self_service BOOLEAN NOT NULL
);
CREATE INDEX identity_passwords_user ON identity_passwords (user_id, created_at);

CREATE TABLE identity_groups (
    id          TEXT PRIMARY KEY,
    domain_id   TEXT NOT NULL REFERENCES identity_projects (id),
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    extra       TEXT NOT NULL DEFAULT '{}',
    UNIQUE (domain_id, name)
);

CREATE TABLE identity_group_members (
    group_id TEXT NOT NULL REFERENCES identity_groups (id) ON DELETE CASCADE,
    user_id  TEXT NOT NULL REFERENCES identity_users (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX identity_group_members_user ON identity_group_members (user_id);

CREATE TABLE identity_roles (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    domain_id   TEXT NOT NULL,
    description TEXT,
    extra       TEXT NOT NULL DEFAULT '{}',
    UNIQUE (name, domain_id)
);

CREATE TABLE identity_implied_roles (
    prior_role_id   TEXT NOT NULL REFERENCES identity_roles (id) ON DELETE CASCADE,
    implied_role_id TEXT NOT NULL REFERENCES identity_roles (id) ON DELETE CASCADE,
    PRIMARY KEY (prior_role_id, implied_role_id)
);

-- Grants. type is UserProject, GroupProject, UserDomain, GroupDomain,
-- UserSystem or GroupSystem; target_id is 'system' for system grants.
CREATE TABLE identity_assignments (
    type      TEXT NOT NULL,
    actor_id  TEXT NOT NULL,
    target_id TEXT NOT NULL,
    role_id   TEXT NOT NULL REFERENCES identity_roles (id) ON DELETE CASCADE,
    inherited BOOLEAN NOT NULL,
    PRIMARY KEY (type, actor_id, target_id, role_id, inherited)
);
CREATE INDEX identity_assignments_actor ON identity_assignments (actor_id);
CREATE INDEX identity_assignments_target ON identity_assignments (target_id);
CREATE INDEX identity_assignments_role ON identity_assignments (role_id);

CREATE TABLE identity_regions (
    id               TEXT PRIMARY KEY,
    description      TEXT NOT NULL DEFAULT '',
    parent_region_id TEXT REFERENCES identity_regions (id),
    extra            TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE identity_services (
    id      TEXT PRIMARY KEY,
    type    TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    extra   TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE identity_endpoints (
    id         TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES identity_services (id),
    interface  TEXT NOT NULL,
    url        TEXT NOT NULL,
    region_id  TEXT REFERENCES identity_regions (id),
    enabled    BOOLEAN NOT NULL,
    extra      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX identity_endpoints_service ON identity_endpoints (service_id);

CREATE TABLE identity_app_creds (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    description TEXT,
    user_id     TEXT NOT NULL,
    project_id  TEXT,
    system      TEXT,
    expires_at  BIGINT,
    unrestricted BOOLEAN NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (user_id, name)
);

CREATE TABLE identity_app_cred_roles (
    app_cred_id TEXT NOT NULL REFERENCES identity_app_creds (id) ON DELETE CASCADE,
    role_id     TEXT NOT NULL,
    PRIMARY KEY (app_cred_id, role_id)
);

CREATE TABLE identity_access_rules (
    id      TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    service TEXT NOT NULL,
    path    TEXT NOT NULL,
    method  TEXT NOT NULL,
    UNIQUE (user_id, service, path, method)
);

CREATE TABLE identity_app_cred_access_rules (
    app_cred_id    TEXT NOT NULL REFERENCES identity_app_creds (id) ON DELETE CASCADE,
    access_rule_id TEXT NOT NULL REFERENCES identity_access_rules (id),
    PRIMARY KEY (app_cred_id, access_rule_id)
);

-- blob is encrypted with the credential key repository; key_hash names the
-- primary key it was encrypted with.
CREATE TABLE identity_credentials (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    project_id TEXT,
    type       TEXT NOT NULL,
    blob       TEXT NOT NULL,
    key_hash   TEXT NOT NULL,
    extra      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX identity_credentials_user ON identity_credentials (user_id);

CREATE TABLE identity_trusts (
    id                   TEXT PRIMARY KEY,
    trustor_user_id      TEXT NOT NULL,
    trustee_user_id      TEXT NOT NULL,
    project_id           TEXT,
    impersonation        BOOLEAN NOT NULL,
    expires_at           BIGINT,
    remaining_uses       INTEGER,
    redelegated_trust_id TEXT,
    redelegation_count   INTEGER,
    deleted_at           BIGINT,
    extra                TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE identity_trust_roles (
    trust_id TEXT NOT NULL REFERENCES identity_trusts (id) ON DELETE CASCADE,
    role_id  TEXT NOT NULL,
    PRIMARY KEY (trust_id, role_id)
);

-- Token revocation events: a token matching every non-NULL column and
-- issued at or before issued_before is revoked.
CREATE TABLE identity_revocations (
    id            TEXT PRIMARY KEY,
    user_id       TEXT,
    project_id    TEXT,
    domain_id     TEXT,
    role_id       TEXT,
    trust_id      TEXT,
    audit_id      TEXT,
    issued_before BIGINT NOT NULL,
    expires_at    BIGINT,
    revoked_at    BIGINT NOT NULL
);
CREATE INDEX identity_revocations_revoked ON identity_revocations (revoked_at);

CREATE TABLE identity_policies (
    id    TEXT PRIMARY KEY,
    type  TEXT NOT NULL,
    blob  TEXT NOT NULL,
    extra TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE identity_endpoint_groups (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT,
    filters     TEXT NOT NULL
);

CREATE TABLE identity_project_endpoint_groups (
    endpoint_group_id TEXT NOT NULL REFERENCES identity_endpoint_groups (id) ON DELETE CASCADE,
    project_id        TEXT NOT NULL,
    PRIMARY KEY (endpoint_group_id, project_id)
);

CREATE TABLE identity_project_endpoints (
    endpoint_id TEXT NOT NULL,
    project_id  TEXT NOT NULL,
    PRIMARY KEY (endpoint_id, project_id)
);
