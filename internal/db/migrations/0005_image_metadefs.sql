-- Image service metadata definitions catalog (Glance v2 /v2/metadefs):
-- namespaces with their objects, properties and tags, resource types and
-- the namespaces' associations with them. Times are Unix microseconds;
-- updated_at is NULL for rows installed from the built-in definitions, as
-- upstream's loader leaves it. seq is the insertion order, which breaks
-- created_at ties the way upstream's integer ids do. Object properties and
-- property definitions are stored as JSON text.

CREATE TABLE image_metadef_namespaces (
    id           TEXT PRIMARY KEY,
    namespace    TEXT NOT NULL UNIQUE,
    display_name TEXT,
    description  TEXT,
    visibility   TEXT NOT NULL,
    protected    BOOLEAN NOT NULL DEFAULT FALSE,
    owner        TEXT NOT NULL,
    seq          BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT
);
CREATE INDEX image_metadef_namespaces_owner ON image_metadef_namespaces (owner);

CREATE TABLE image_metadef_objects (
    namespace_id TEXT NOT NULL REFERENCES image_metadef_namespaces (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    description  TEXT,
    required     TEXT,
    properties   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT,
    PRIMARY KEY (namespace_id, name)
);

CREATE TABLE image_metadef_properties (
    namespace_id TEXT NOT NULL REFERENCES image_metadef_namespaces (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    definition   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT,
    PRIMARY KEY (namespace_id, name)
);

CREATE TABLE image_metadef_tags (
    namespace_id TEXT NOT NULL REFERENCES image_metadef_namespaces (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    seq          BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT,
    PRIMARY KEY (namespace_id, name)
);

CREATE TABLE image_metadef_resource_types (
    name       TEXT PRIMARY KEY,
    protected  BOOLEAN NOT NULL DEFAULT FALSE,
    seq        BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT
);

CREATE TABLE image_metadef_associations (
    namespace_id      TEXT NOT NULL REFERENCES image_metadef_namespaces (id) ON DELETE CASCADE,
    resource_type     TEXT NOT NULL REFERENCES image_metadef_resource_types (name),
    prefix            TEXT,
    properties_target TEXT,
    seq               BIGINT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT,
    PRIMARY KEY (namespace_id, resource_type)
);
CREATE INDEX image_metadef_associations_type ON image_metadef_associations (resource_type);

-- The built-in namespaces installed so far: each is installed once, so one
-- an operator deleted stays deleted across restarts.
CREATE TABLE image_metadef_defaults (
    namespace    TEXT PRIMARY KEY,
    installed_at BIGINT NOT NULL
);
