-- Domain-specific configuration (Keystone's whitelisted_config and
-- sensitive_config tables in one): one row per option of a domain's
-- identity or ldap group, value as JSON text; sensitive rows (the ldap
-- password) are stored but never returned. monostack has no LDAP backend,
-- so stored options are data only.

CREATE TABLE identity_domain_configs (
    domain_id   TEXT NOT NULL REFERENCES identity_projects (id),
    group_name  TEXT NOT NULL,
    option_name TEXT NOT NULL,
    value       TEXT NOT NULL,
    sensitive   BOOLEAN NOT NULL,
    PRIMARY KEY (domain_id, group_name, option_name)
);
