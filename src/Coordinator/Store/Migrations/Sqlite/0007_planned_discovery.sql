-- Each target resolved once (issue 14): what planning's discovery found for a target in one mode, kept until its
-- answers' shortest TTL runs out (valid_until, microseconds since the Unix epoch), so a node in another process scans
-- it without asking DNS again. result is the discover step's own facts as JSON (Census/DiscoveryCodec), written and
-- read only by this program; a rescan deletes the target's rows (it resolves anew). No row: the node resolves itself.
CREATE TABLE planned_discovery (
    target_id   TEXT NOT NULL REFERENCES target ON DELETE CASCADE,
    mode        TEXT NOT NULL CHECK (mode IN ('c2s', 's2s')),
    valid_until INTEGER NOT NULL,
    result      TEXT NOT NULL,
    PRIMARY KEY (target_id, mode)
);
