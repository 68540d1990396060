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
    region      text NOT NULL,
    address     text NOT NULL,
    roles       text NOT NULL,
    status      text NOT NULL,
    reachable   boolean NOT NULL,
    shards      integer NOT NULL,
    entities    integer NOT NULL,
    reported_at timestamptz NOT NULL,
    PRIMARY KEY (region, address)
);
