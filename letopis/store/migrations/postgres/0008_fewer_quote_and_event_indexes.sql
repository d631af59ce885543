-- Two indexes fewer to write for every quote and every event report (docs/store.md,
-- "Speed and scale"): each index costs a random write per row at ingest.
--
-- A speaker's quotes were in two indexes: quotes_speaker (speaker_id, day), which lists
-- them newest first, and quotes_speaker_counts (speaker_id, current, first_report, day),
-- which counts those of first reports by day. One index in the order of the first with
-- the flags of the second serves both from the index alone: the counts read the flags of
-- the speaker's every copy as they go (copies are a few of a speaker's quotes).
DROP INDEX IF EXISTS quotes_speaker_counts;
DROP INDEX IF EXISTS quotes_speaker;
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker_id, day, current, first_report);

-- events_type (type, day): no query reads event reports by type (the events page and
-- `letopis events --type` read the real-world events, event_clusters_type).
DROP INDEX IF EXISTS events_type;
