-- Census store, SQLite. The same tables as Postgres/0001_initial.sql: uuids are TEXT, instants are INTEGER
-- microseconds since the Unix epoch, JSON is TEXT, bytes are BLOB.

CREATE TABLE census (
    census_id      TEXT PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    settings       TEXT NOT NULL CHECK (json_valid(settings)),
    grading_policy TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('running', 'paused', 'cancelled', 'completed')),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);

CREATE TABLE census_region (
    census_id TEXT NOT NULL REFERENCES census ON DELETE CASCADE,
    region    TEXT NOT NULL,
    PRIMARY KEY (census_id, region)
);

CREATE TABLE target (
    target_id  TEXT PRIMARY KEY,
    census_id  TEXT NOT NULL REFERENCES census ON DELETE CASCADE,
    domain     TEXT NOT NULL,
    added_at   INTEGER NOT NULL,
    planned_at INTEGER NULL,
    UNIQUE (census_id, domain)
);

CREATE TABLE target_address (
    target_id TEXT NOT NULL REFERENCES target ON DELETE CASCADE,
    address   TEXT NOT NULL,
    PRIMARY KEY (target_id, address)
);

CREATE TABLE shard (
    shard_id         INTEGER PRIMARY KEY AUTOINCREMENT,
    census_id        TEXT NOT NULL REFERENCES census ON DELETE CASCADE,
    region           TEXT NOT NULL,
    shard_key        TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'leased', 'done')),
    lease_owner      TEXT NULL,
    lease_token      INTEGER NOT NULL DEFAULT 0,
    lease_expires_at INTEGER NULL,
    completed_at     INTEGER NULL,
    UNIQUE (census_id, region, shard_key)
);
CREATE INDEX shard_open ON shard (region, shard_id) WHERE status <> 'done';
CREATE INDEX shard_owner ON shard (lease_owner) WHERE status = 'leased';

CREATE TABLE shard_target (
    shard_id     INTEGER NOT NULL REFERENCES shard ON DELETE CASCADE,
    target_id    TEXT NOT NULL REFERENCES target ON DELETE CASCADE,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    completed_at INTEGER NULL,
    PRIMARY KEY (shard_id, target_id)
);
CREATE INDEX shard_target_target ON shard_target (target_id);

CREATE TABLE shard_address (
    census_id   TEXT NOT NULL REFERENCES census ON DELETE CASCADE,
    address_key TEXT NOT NULL,
    shard_key   TEXT NOT NULL,
    PRIMARY KEY (census_id, address_key)
);

CREATE TABLE node (
    node_id       TEXT PRIMARY KEY,
    region        TEXT NOT NULL,
    registered_at INTEGER NOT NULL,
    heartbeat_at  INTEGER NOT NULL,
    stopped_at    INTEGER NULL
);

-- AUTOINCREMENT: positions are never reused, even after the last row is deleted.
CREATE TABLE journal (
    position       INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id       TEXT NOT NULL UNIQUE,
    census_id      TEXT NOT NULL,
    target_id      TEXT NOT NULL,
    sequence       INTEGER NOT NULL CHECK (sequence >= 1),
    node_id        TEXT NOT NULL,
    region         TEXT NOT NULL,
    occurred_at    INTEGER NOT NULL,
    type           TEXT NOT NULL,
    schema_version INTEGER NOT NULL CHECK (schema_version >= 1),
    payload        TEXT NOT NULL CHECK (json_valid(payload)),
    UNIQUE (census_id, target_id, sequence)
);
CREATE INDEX journal_census ON journal (census_id, position);

CREATE TABLE certs (
    sha256        BLOB PRIMARY KEY CHECK (length(sha256) = 32),
    der           BLOB NOT NULL,
    first_seen_at INTEGER NOT NULL
);
