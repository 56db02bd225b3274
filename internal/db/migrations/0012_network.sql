-- Network (Neutron v2.0): networks, their segments, the ML2 segment
-- allocations, network segment ranges and the tags of every standard
-- resource. Standard attributes (description, created_at, updated_at,
-- revision_number) are columns of each resource's table. Times are Unix
-- microseconds.

CREATE TABLE network_networks (
    id                      TEXT PRIMARY KEY,
    project_id              TEXT NOT NULL,
    name                    TEXT NOT NULL DEFAULT '',
    description             TEXT NOT NULL DEFAULT '',
    status                  TEXT NOT NULL,
    admin_state_up          BOOLEAN NOT NULL DEFAULT TRUE,
    shared                  BOOLEAN NOT NULL DEFAULT FALSE,
    router_external         BOOLEAN NOT NULL DEFAULT FALSE,
    is_default              BOOLEAN NOT NULL DEFAULT FALSE,
    mtu                     INTEGER NOT NULL,
    port_security_enabled   BOOLEAN NOT NULL DEFAULT TRUE,
    availability_zone_hints TEXT NOT NULL DEFAULT '[]',
    created_at              BIGINT NOT NULL,
    updated_at              BIGINT NOT NULL,
    revision_number         BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX network_networks_project ON network_networks (project_id);

-- Segments of a network (Neutron's networksegments); segment_index orders
-- them, the first is the one the provider attributes show.
CREATE TABLE network_segments (
    id               TEXT PRIMARY KEY,
    network_id       TEXT NOT NULL REFERENCES network_networks (id) ON DELETE CASCADE,
    name             TEXT,
    description      TEXT NOT NULL DEFAULT '',
    network_type     TEXT NOT NULL,
    physical_network TEXT,
    segmentation_id  BIGINT,
    is_dynamic       BOOLEAN NOT NULL DEFAULT FALSE,
    segment_index    INTEGER NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    revision_number  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX network_segments_network ON network_segments (network_id, segment_index);

-- Segmentation ids in use, one row each: the primary key is what keeps
-- two processes sharing the database from handing out the same id. Flat
-- networks hold id 0 of their physical network; '' is "no physical network".
CREATE TABLE network_segment_allocations (
    network_type     TEXT NOT NULL,
    physical_network TEXT NOT NULL DEFAULT '',
    segmentation_id  BIGINT NOT NULL,
    segment_id       TEXT NOT NULL,
    PRIMARY KEY (network_type, physical_network, segmentation_id)
);
CREATE INDEX network_segment_allocations_segment ON network_segment_allocations (segment_id);

-- Ranges tenant networks draw segmentation ids from; the default ones come
-- from the configuration (default = TRUE, shared = TRUE).
CREATE TABLE network_segment_ranges (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL DEFAULT '',
    is_default       BOOLEAN NOT NULL DEFAULT FALSE,
    shared           BOOLEAN NOT NULL DEFAULT TRUE,
    project_id       TEXT,
    network_type     TEXT NOT NULL,
    physical_network TEXT,
    minimum          BIGINT NOT NULL,
    maximum          BIGINT NOT NULL,
    description      TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    revision_number  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX network_segment_ranges_type ON network_segment_ranges (network_type, physical_network);

-- Tags of every standard resource, by resource type ("networks", "ports", ...).
CREATE TABLE network_tags (
    resource_type TEXT NOT NULL,
    resource_id   TEXT NOT NULL,
    tag           TEXT NOT NULL,
    PRIMARY KEY (resource_type, resource_id, tag)
);
CREATE INDEX network_tags_tag ON network_tags (resource_type, tag);
