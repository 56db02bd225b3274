-- Compute (Nova v2.1): instances and what hangs off them. Times are Unix
-- microseconds; JSON columns hold Nova's nested objects (the flavor as it
-- was at boot, the network info cache, system metadata). Deleted instances
-- stay as rows with deleted = TRUE, as Nova soft-deletes them.

CREATE TABLE compute_counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

CREATE TABLE compute_instances (
    uuid              TEXT PRIMARY KEY,
    seq               BIGINT NOT NULL UNIQUE,
    project_id        TEXT NOT NULL,
    user_id           TEXT NOT NULL,
    display_name      TEXT NOT NULL,
    description       TEXT,
    hostname          TEXT NOT NULL DEFAULT '',
    image_ref         TEXT NOT NULL DEFAULT '',
    flavor_id         TEXT NOT NULL,
    flavor            TEXT NOT NULL,
    old_flavor        TEXT,
    new_flavor        TEXT,
    host              TEXT,
    node              TEXT,
    launched_on       TEXT,
    availability_zone TEXT,
    vm_state          TEXT NOT NULL,
    task_state        TEXT,
    power_state       INTEGER NOT NULL DEFAULT 0,
    key_name          TEXT,
    key_data          TEXT,
    user_data         TEXT,
    config_drive      TEXT NOT NULL DEFAULT '',
    access_ip_v4      TEXT,
    access_ip_v6      TEXT,
    locked            BOOLEAN NOT NULL DEFAULT FALSE,
    locked_by         TEXT,
    locked_reason     TEXT,
    progress          INTEGER NOT NULL DEFAULT 0,
    launch_index      INTEGER NOT NULL DEFAULT 0,
    reservation_id    TEXT NOT NULL,
    root_device_name  TEXT,
    network_info      TEXT NOT NULL DEFAULT '[]',
    security_groups   TEXT NOT NULL DEFAULT '[]',
    requested         TEXT NOT NULL DEFAULT '{}',
    system_metadata   TEXT NOT NULL DEFAULT '{}',
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    launched_at       BIGINT,
    terminated_at     BIGINT,
    deleted_at        BIGINT,
    deleted           BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX compute_instances_project ON compute_instances (project_id, deleted, created_at);
CREATE INDEX compute_instances_host ON compute_instances (host, deleted);
CREATE INDEX compute_instances_updated ON compute_instances (updated_at);
CREATE INDEX compute_instances_list ON compute_instances (deleted, created_at, uuid);
CREATE INDEX compute_instances_reservation ON compute_instances (reservation_id);

CREATE TABLE compute_instance_metadata (
    instance_uuid TEXT NOT NULL REFERENCES compute_instances (uuid) ON DELETE CASCADE,
    key           TEXT NOT NULL,
    value         TEXT NOT NULL,
    PRIMARY KEY (instance_uuid, key)
);

CREATE TABLE compute_instance_tags (
    instance_uuid TEXT NOT NULL REFERENCES compute_instances (uuid) ON DELETE CASCADE,
    tag           TEXT NOT NULL,
    PRIMARY KEY (instance_uuid, tag)
);
CREATE INDEX compute_instance_tags_tag ON compute_instance_tags (tag);

CREATE TABLE compute_instance_faults (
    id            BIGINT NOT NULL,
    instance_uuid TEXT NOT NULL REFERENCES compute_instances (uuid) ON DELETE CASCADE,
    code          INTEGER NOT NULL,
    message       TEXT NOT NULL,
    details       TEXT NOT NULL DEFAULT '',
    host          TEXT,
    created_at    BIGINT NOT NULL,
    PRIMARY KEY (instance_uuid, id)
);

CREATE TABLE compute_instance_actions (
    id            BIGINT PRIMARY KEY,
    instance_uuid TEXT NOT NULL REFERENCES compute_instances (uuid) ON DELETE CASCADE,
    action        TEXT NOT NULL,
    request_id    TEXT NOT NULL,
    project_id    TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    message       TEXT,
    start_time    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX compute_instance_actions_instance ON compute_instance_actions (instance_uuid, request_id);

CREATE TABLE compute_instance_action_events (
    action_id   BIGINT NOT NULL REFERENCES compute_instance_actions (id) ON DELETE CASCADE,
    event       TEXT NOT NULL,
    start_time  BIGINT NOT NULL,
    finish_time BIGINT,
    result      TEXT,
    traceback   TEXT,
    host        TEXT,
    details     TEXT,
    PRIMARY KEY (action_id, event, start_time)
);

CREATE TABLE compute_block_device_mappings (
    id                    BIGINT PRIMARY KEY,
    instance_uuid         TEXT NOT NULL REFERENCES compute_instances (uuid) ON DELETE CASCADE,
    boot_index            INTEGER,
    source_type           TEXT NOT NULL,
    destination_type      TEXT NOT NULL,
    image_id              TEXT,
    volume_id             TEXT,
    snapshot_id           TEXT,
    volume_size           INTEGER,
    device_name           TEXT,
    device_type           TEXT,
    disk_bus              TEXT,
    guest_format          TEXT,
    delete_on_termination BOOLEAN NOT NULL DEFAULT FALSE,
    tag                   TEXT,
    volume_type           TEXT
);
CREATE INDEX compute_bdm_instance ON compute_block_device_mappings (instance_uuid);

CREATE TABLE compute_server_groups (
    uuid       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    project_id TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    policy     TEXT NOT NULL,
    rules      TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL
);
CREATE INDEX compute_server_groups_project ON compute_server_groups (project_id);

CREATE TABLE compute_server_group_members (
    group_uuid    TEXT NOT NULL REFERENCES compute_server_groups (uuid) ON DELETE CASCADE,
    instance_uuid TEXT NOT NULL,
    PRIMARY KEY (group_uuid, instance_uuid)
);
CREATE INDEX compute_server_group_members_instance ON compute_server_group_members (instance_uuid);

CREATE TABLE compute_migrations (
    id              BIGINT PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE,
    instance_uuid   TEXT NOT NULL,
    migration_type  TEXT NOT NULL,
    status          TEXT NOT NULL,
    source_compute  TEXT,
    source_node     TEXT,
    dest_compute    TEXT,
    dest_node       TEXT,
    old_flavor_id   TEXT,
    new_flavor_id   TEXT,
    project_id      TEXT,
    user_id         TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX compute_migrations_instance ON compute_migrations (instance_uuid);
