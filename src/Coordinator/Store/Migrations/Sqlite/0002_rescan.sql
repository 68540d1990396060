-- Rescan: a target's scan generation grows with every rescan; its event streams are per generation
-- (TargetStreams.For(target, region, generation)), so a rescan starts fresh streams and never replays the old one.
ALTER TABLE target ADD COLUMN scan_generation INTEGER NOT NULL DEFAULT 0;
