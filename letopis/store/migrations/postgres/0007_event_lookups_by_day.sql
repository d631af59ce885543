-- Event clustering, a frame without a calendar time (most frames): its candidates are
-- the clusters of its actor pairs last reported within days of it, whatever their time
-- value (letopis/store/clusters.py, candidate_ranges). The indexes that end in the time
-- value and then the day cannot seek that range: each such lookup read every cluster
-- the pair ever had (2,408 rows for the busiest pair at 40,000 synthetic articles, and
-- growing with the store). Migration 0006 dropped the two indexes by day on the wrong
-- belief that those frames read only clusters without a time value; they are back, and
-- each lookup is pinned to the index that seeks its range.
CREATE INDEX IF NOT EXISTS cluster_pairs_day ON cluster_pairs(low_id, high_id, type, last_day, cluster_id);
CREATE INDEX IF NOT EXISTS cluster_actors_many ON cluster_actors(entity_id, type, last_day, cluster_id) WHERE many = 1;
