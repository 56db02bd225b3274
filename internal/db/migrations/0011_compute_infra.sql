-- Compute infrastructure (Nova's services, compute_nodes and the API
-- database's aggregates): the services that run on each host, the compute
-- node an agent registers (its uuid is its placement resource provider's),
-- and host aggregates with their hosts and metadata (the availability zone
-- is the availability_zone metadata). Times are Unix microseconds.

CREATE TABLE compute_services (
    id              BIGINT PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE,
    host            TEXT NOT NULL,
    binary_name     TEXT NOT NULL,
    topic           TEXT NOT NULL DEFAULT '',
    disabled        BOOLEAN NOT NULL DEFAULT FALSE,
    disabled_reason TEXT,
    forced_down     BOOLEAN NOT NULL DEFAULT FALSE,
    version         INTEGER NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (host, binary_name)
);

CREATE TABLE compute_nodes (
    id                  BIGINT PRIMARY KEY,
    uuid                TEXT NOT NULL UNIQUE,
    service_id          BIGINT NOT NULL REFERENCES compute_services (id) ON DELETE CASCADE,
    host                TEXT NOT NULL,
    hypervisor_hostname TEXT NOT NULL,
    hypervisor_type     TEXT NOT NULL DEFAULT '',
    hypervisor_version  BIGINT NOT NULL DEFAULT 0,
    host_ip             TEXT NOT NULL DEFAULT '',
    vcpus               INTEGER NOT NULL DEFAULT 0,
    memory_mb           INTEGER NOT NULL DEFAULT 0,
    local_gb            INTEGER NOT NULL DEFAULT 0,
    cpu_info            TEXT NOT NULL DEFAULT '',
    traits              TEXT NOT NULL DEFAULT '[]',
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    UNIQUE (host, hypervisor_hostname)
);
CREATE INDEX compute_nodes_service ON compute_nodes (service_id);

CREATE TABLE compute_aggregates (
    id         BIGINT PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT
);

CREATE TABLE compute_aggregate_hosts (
    aggregate_id BIGINT NOT NULL REFERENCES compute_aggregates (id) ON DELETE CASCADE,
    host         TEXT NOT NULL,
    PRIMARY KEY (aggregate_id, host)
);
CREATE INDEX compute_aggregate_hosts_host ON compute_aggregate_hosts (host);

CREATE TABLE compute_aggregate_metadata (
    aggregate_id BIGINT NOT NULL REFERENCES compute_aggregates (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (aggregate_id, key)
);
CREATE INDEX compute_aggregate_metadata_key ON compute_aggregate_metadata (key, value);
