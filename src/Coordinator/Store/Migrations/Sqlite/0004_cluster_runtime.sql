-- The census runs on Akka.Cluster.Sharding (issue 11): no leases, no node registry, no deferred rescans.
-- An address shard is an entity the cluster places on one node; a rescan is a new generation the entity starts
-- after the one in flight. What the operator sees of a region's cluster is written by its singleton.
DROP TABLE node;
DROP INDEX shard_owner;
UPDATE shard SET status = 'pending' WHERE status = 'leased';
ALTER TABLE shard DROP COLUMN lease_owner;
ALTER TABLE shard DROP COLUMN lease_token;
ALTER TABLE shard DROP COLUMN lease_expires_at;
DROP INDEX target_rescan_requested;
ALTER TABLE target DROP COLUMN rescan_requested;

-- One row per cluster member of a region, replaced as a whole by the region's feeder singleton.
CREATE TABLE cluster_member (
    region      TEXT NOT NULL,
    address     TEXT NOT NULL,
    roles       TEXT NOT NULL,
    status      TEXT NOT NULL,
    reachable   INTEGER NOT NULL,
    shards      INTEGER NOT NULL,
    entities    INTEGER NOT NULL,
    reported_at INTEGER NOT NULL,
    PRIMARY KEY (region, address)
);
