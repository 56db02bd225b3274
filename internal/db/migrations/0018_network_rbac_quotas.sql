-- Network RBAC policies and quotas. One table holds the RBAC policies of
-- every object type (Neutron's networkrbacs, subnetpoolrbacs and
-- addressscoperbacs): object_id names a row of the type's table, whose
-- delete removes its policies. A network's shared column mirrors its
-- wildcard access_as_shared policy (likewise subnet pools and address
-- scopes). network_quotas holds the per-project limits that differ from
-- the defaults.

CREATE TABLE network_rbac_policies (
    id             TEXT PRIMARY KEY,
    project_id     TEXT NOT NULL,
    object_type    TEXT NOT NULL,
    object_id      TEXT NOT NULL,
    action         TEXT NOT NULL,
    target_project TEXT NOT NULL,
    UNIQUE (object_type, object_id, action, target_project)
);
CREATE INDEX network_rbac_policies_target ON network_rbac_policies (target_project, object_type);
CREATE INDEX network_rbac_policies_project ON network_rbac_policies (project_id);

CREATE TABLE network_quotas (
    project_id TEXT NOT NULL,
    resource   TEXT NOT NULL,
    hard_limit BIGINT NOT NULL,
    PRIMARY KEY (project_id, resource)
);

-- Objects shared or external before this migration get the wildcard
-- policies Neutron would have made; their ids are derived from the
-- object's id (first character replaced) so the migration stays plain SQL.
INSERT INTO network_rbac_policies (id, project_id, object_type, object_id, action, target_project)
    SELECT 'a' || substr(id, 2), project_id, 'network', id, 'access_as_shared', '*'
    FROM network_networks WHERE shared = TRUE;
INSERT INTO network_rbac_policies (id, project_id, object_type, object_id, action, target_project)
    SELECT 'e' || substr(id, 2), project_id, 'network', id, 'access_as_external', '*'
    FROM network_networks WHERE router_external = TRUE;
INSERT INTO network_rbac_policies (id, project_id, object_type, object_id, action, target_project)
    SELECT 'b' || substr(id, 2), project_id, 'subnetpool', id, 'access_as_shared', '*'
    FROM network_subnetpools WHERE shared = TRUE;
INSERT INTO network_rbac_policies (id, project_id, object_type, object_id, action, target_project)
    SELECT 'c' || substr(id, 2), project_id, 'address_scope', id, 'access_as_shared', '*'
    FROM network_address_scopes WHERE shared = TRUE;
