-- Network (Neutron v2.0): trunks. A port is the parent of at most one
-- trunk and a subport of at most one; a trunk's subports have unique
-- (segmentation_type, segmentation_id). Ports are not deleted from under
-- a trunk: the API refuses that first, the foreign keys stop the rest.

CREATE TABLE network_trunks (
    id              TEXT PRIMARY KEY,
    project_id      TEXT NOT NULL,
    name            TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    admin_state_up  BOOLEAN NOT NULL DEFAULT TRUE,
    status          TEXT NOT NULL,
    port_id         TEXT NOT NULL UNIQUE REFERENCES network_ports (id),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    revision_number BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX network_trunks_project ON network_trunks (project_id);

CREATE TABLE network_trunk_subports (
    port_id           TEXT PRIMARY KEY REFERENCES network_ports (id),
    trunk_id          TEXT NOT NULL REFERENCES network_trunks (id) ON DELETE CASCADE,
    segmentation_type TEXT NOT NULL,
    segmentation_id   INTEGER NOT NULL,
    UNIQUE (trunk_id, segmentation_type, segmentation_id)
);
