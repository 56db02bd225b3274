-- Image import tasks (Glance's api_image_import tasks), shown by
-- GET /v2/images/{id}/tasks. input and result are JSON text.

CREATE TABLE image_tasks (
    id         TEXT PRIMARY KEY,
    type       TEXT NOT NULL,
    status     TEXT NOT NULL,
    owner      TEXT NOT NULL,
    image_id   TEXT NOT NULL,
    request_id TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    input      TEXT NOT NULL,
    result     TEXT,
    message    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    expires_at BIGINT
);
CREATE INDEX image_tasks_image ON image_tasks (image_id);
