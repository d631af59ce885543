-- Indexes no lookup needs (docs/store.md, "Speed"): each costs a write per row at ingest.
--
-- Event clustering reads a frame's candidate clusters through the indexes that end in
-- the cluster's calendar time and last report day (a frame without a calendar time
-- reads the clusters without one: time_value IS NULL, then the day range), so the
-- day-only indexes of cluster_pairs and of the many-actor clusters are not read.
-- event_actors_entity (entity_id) is a prefix of event_actors_entity_day.
DROP INDEX IF EXISTS cluster_pairs_day;
DROP INDEX IF EXISTS cluster_actors_many;
DROP INDEX IF EXISTS event_actors_entity;
