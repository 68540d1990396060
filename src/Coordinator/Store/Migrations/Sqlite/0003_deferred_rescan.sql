-- A rescan asked for while a shard holding the target is leased is remembered here and applied (new scan generation,
-- pending again) as soon as no live lease holds the target: when its shard is completed or released, or its lease
-- expired and the next lease call runs. The partial index keeps that check cheap: few targets ever wait.
ALTER TABLE target ADD COLUMN rescan_requested INTEGER NOT NULL DEFAULT 0;
CREATE INDEX target_rescan_requested ON target (target_id) WHERE rescan_requested = 1;
