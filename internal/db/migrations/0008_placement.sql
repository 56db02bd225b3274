-- Placement (1.x): resource providers (nested through parent/root), their
-- inventories, traits and aggregates, consumers and their allocations, and
-- the custom resource classes and traits (standard ones live in code).
-- Times are Unix microseconds; seq (then uuid) orders providers by creation.

CREATE TABLE placement_providers (
    uuid        TEXT PRIMARY KEY,
    seq         BIGINT NOT NULL,
    name        TEXT NOT NULL UNIQUE,
    generation  BIGINT NOT NULL DEFAULT 0,
    parent_uuid TEXT REFERENCES placement_providers (uuid),
    root_uuid   TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX placement_providers_root ON placement_providers (root_uuid);
CREATE INDEX placement_providers_parent ON placement_providers (parent_uuid);

CREATE TABLE placement_custom_classes (
    name       TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE placement_inventories (
    provider_uuid    TEXT NOT NULL REFERENCES placement_providers (uuid) ON DELETE CASCADE,
    resource_class   TEXT NOT NULL,
    total            BIGINT NOT NULL,
    reserved         BIGINT NOT NULL,
    min_unit         BIGINT NOT NULL,
    max_unit         BIGINT NOT NULL,
    step_size        BIGINT NOT NULL,
    allocation_ratio DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (provider_uuid, resource_class)
);
CREATE INDEX placement_inventories_class ON placement_inventories (resource_class);

CREATE TABLE placement_consumers (
    uuid          TEXT PRIMARY KEY,
    project_id    TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    consumer_type TEXT NOT NULL DEFAULT 'unknown',
    generation    BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX placement_consumers_project ON placement_consumers (project_id, user_id);

CREATE TABLE placement_allocations (
    consumer_uuid  TEXT NOT NULL,
    provider_uuid  TEXT NOT NULL REFERENCES placement_providers (uuid),
    resource_class TEXT NOT NULL,
    used           BIGINT NOT NULL,
    created_at     BIGINT NOT NULL,
    PRIMARY KEY (consumer_uuid, provider_uuid, resource_class)
);
CREATE INDEX placement_allocations_provider ON placement_allocations (provider_uuid, resource_class);

CREATE TABLE placement_custom_traits (
    name       TEXT PRIMARY KEY,
    created_at BIGINT NOT NULL
);

CREATE TABLE placement_provider_traits (
    provider_uuid TEXT NOT NULL REFERENCES placement_providers (uuid) ON DELETE CASCADE,
    trait         TEXT NOT NULL,
    PRIMARY KEY (provider_uuid, trait)
);
CREATE INDEX placement_provider_traits_trait ON placement_provider_traits (trait);

CREATE TABLE placement_provider_aggregates (
    provider_uuid  TEXT NOT NULL REFERENCES placement_providers (uuid) ON DELETE CASCADE,
    aggregate_uuid TEXT NOT NULL,
    PRIMARY KEY (provider_uuid, aggregate_uuid)
);
CREATE INDEX placement_provider_aggregates_agg ON placement_provider_aggregates (aggregate_uuid);
