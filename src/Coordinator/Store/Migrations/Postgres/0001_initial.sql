-- Census store, PostgreSQL. The same tables as Sqlite/0001_initial.sql; types differ, names do not.

CREATE TABLE census (
    census_id      uuid PRIMARY KEY,
    name           text NOT NULL UNIQUE,
    settings       jsonb NOT NULL,
    grading_policy text NOT NULL,
    state          text NOT NULL CHECK (state IN ('running', 'paused', 'cancelled', 'completed')),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);

CREATE TABLE census_region (
    census_id uuid NOT NULL REFERENCES census ON DELETE CASCADE,
    region    text NOT NULL,
    PRIMARY KEY (census_id, region)
);

CREATE TABLE target (
    target_id  uuid PRIMARY KEY,
    census_id  uuid NOT NULL REFERENCES census ON DELETE CASCADE,
    domain     text NOT NULL,
    added_at   timestamptz NOT NULL,
    planned_at timestamptz NULL,
    UNIQUE (census_id, domain)
);

-- The endpoint addresses a target was planned from.
CREATE TABLE target_address (
    target_id uuid NOT NULL REFERENCES target ON DELETE CASCADE,
    address   text NOT NULL,
    PRIMARY KEY (target_id, address)
);

-- One row per shard key per region. lease_token grows with every grant (fencing).
CREATE TABLE shard (
    shard_id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    census_id        uuid NOT NULL REFERENCES census ON DELETE CASCADE,
    region           text NOT NULL,
    shard_key        text NOT NULL,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'leased', 'done')),
    lease_owner      text NULL,
    lease_token      bigint NOT NULL DEFAULT 0,
    lease_expires_at timestamptz NULL,
    completed_at     timestamptz NULL,
    UNIQUE (census_id, region, shard_key)
);
CREATE INDEX shard_open ON shard (region, shard_id) WHERE status <> 'done';
CREATE INDEX shard_owner ON shard (lease_owner) WHERE status = 'leased';

CREATE TABLE shard_target (
    shard_id     bigint NOT NULL REFERENCES shard ON DELETE CASCADE,
    target_id    uuid NOT NULL REFERENCES target ON DELETE CASCADE,
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
    completed_at timestamptz NULL,
    PRIMARY KEY (shard_id, target_id)
);
CREATE INDEX shard_target_target ON shard_target (target_id);

-- Which shard owns an address key: the same in every region, so later plans keep addresses together.
CREATE TABLE shard_address (
    census_id   uuid NOT NULL REFERENCES census ON DELETE CASCADE,
    address_key text NOT NULL,
    shard_key   text NOT NULL,
    PRIMARY KEY (census_id, address_key)
);

CREATE TABLE node (
    node_id       text PRIMARY KEY,
    region        text NOT NULL,
    registered_at timestamptz NOT NULL,
    heartbeat_at  timestamptz NOT NULL,
    stopped_at    timestamptz NULL
);

-- Append-only. position is the global commit order (appends are serialised, see PostgresCensusStore).
CREATE TABLE journal (
    position       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id       uuid NOT NULL UNIQUE,
    census_id      uuid NOT NULL,
    target_id      uuid NOT NULL,
    sequence       bigint NOT NULL CHECK (sequence >= 1),
    node_id        text NOT NULL,
    region         text NOT NULL,
    occurred_at    timestamptz NOT NULL,
    type           text NOT NULL,
    schema_version integer NOT NULL CHECK (schema_version >= 1),
    payload        jsonb NOT NULL,
    UNIQUE (census_id, target_id, sequence)
);
CREATE INDEX journal_census ON journal (census_id, position);

CREATE TABLE certs (
    sha256        bytea PRIMARY KEY CHECK (octet_length(sha256) = 32),
    der           bytea NOT NULL,
    first_seen_at timestamptz NOT NULL
);
