-- One counter that every identity write increments in its own transaction.
-- Token validation caches its result under the generation it read, so a
-- cached token outlives no change to users, roles, grants or scopes on any
-- controller sharing the database.

CREATE TABLE identity_generation (
    id         INTEGER PRIMARY KEY,
    generation BIGINT NOT NULL
);

INSERT INTO identity_generation (id, generation) VALUES (1, 0);
