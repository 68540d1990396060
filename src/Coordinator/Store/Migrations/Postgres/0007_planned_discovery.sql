-- Each target resolved once (issue 14): what planning's discovery found for a target in one mode, kept until its
-- answers' shortest TTL runs out, so a node in another process scans it without asking DNS again. result is the
-- discover step's own facts as JSON (Census/DiscoveryCodec), text rather than jsonb: it is read back whole and parsed
-- by the program, never queried. A rescan deletes the target's rows (it resolves anew). No row: the node resolves itself.
CREATE TABLE planned_discovery (
    target_id   uuid NOT NULL REFERENCES target ON DELETE CASCADE,
    mode        text NOT NULL CHECK (mode IN ('c2s', 's2s')),
    valid_until timestamptz NOT NULL,
    result      text NOT NULL,
    PRIMARY KEY (target_id, mode)
);
