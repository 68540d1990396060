-- Rescan is a message (issue 11): the region's feeder reads the rescanned targets still pending every feed interval
-- (ListRescansAsync) and tells their entities. Only targets ever rescanned are in this index, so that read does not
-- scan the census's targets.
CREATE INDEX target_rescanned ON target (target_id) WHERE scan_generation > 0;
