-- Indexes no lookup needs (docs/store.md, "Speed and scale"): each costs a write per row at ingest.
--
-- Event clustering reads a frame's candidate clusters through the indexes that end in
-- the cluster's calendar time and last report day (a frame without a calendar time
-- reads the clusters without one: time_value IS NULL, then the day range), so the
-- day-only indexes of cluster_pairs and of the many-actor clusters are not read.
-- event_actors_entity (entity_id) is a prefix of event_actors_entity_day. The queries
-- that read an entity's mentions and roles by day count each story once (current = 1
-- AND first_report = 1) and read article_entities_counts (entity_id, current,
-- first_report, day, ...); its roles are read by role (entity_roles_by_role). Kept:
-- quotes_speaker (speaker_id, day), which lists a speaker's quotes of every copy
-- newest first without a sort (p95 0.8 ms against 22 without it at 100,000 articles).
DROP INDEX IF EXISTS cluster_pairs_day;
DROP INDEX IF EXISTS cluster_actors_many;
DROP INDEX IF EXISTS event_actors_entity;
DROP INDEX IF EXISTS article_entities_entity;
DROP INDEX IF EXISTS entity_roles_entity;

-- How many actors each event has, kept on the event: event clustering reads it for
-- every candidate (it was a count over cluster_actors per candidate).
ALTER TABLE event_clusters ADD COLUMN actor_count INTEGER NOT NULL DEFAULT 0;
UPDATE event_clusters c SET actor_count = (SELECT count(*) FROM cluster_actors a WHERE a.cluster_id = c.id);
