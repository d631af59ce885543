-- Event clustering reads only the clusters a new frame could be a report of, from
-- indexes alone (docs/store.md, "Real-world events").
--
-- A frame with several actors can only be a report of a cluster sharing two of them:
-- cluster_pairs holds each pair of a cluster's actors (low id first), so the lookup
-- finds the clusters of the frame's pairs and not every cluster of its commonest
-- actor in the window. A frame with a calendar time (2021-12-21, 2022-01, 2021-SU) can
-- only be a report of a cluster whose time contains it or lies within it, or of one
-- without a calendar time reported within days of it: both tables carry the cluster's
-- time value, indexed after the actors and type. A frame with one actor needs the same
-- actor and exact day: cluster_actors' index serves it.
--
-- An event reported hundreds of times gathers hundreds of actors, and n actors make
-- n(n-1)/2 pairs, each rewritten when the event's last report day moves: a cluster of
-- more than 12 actors keeps no pairs; its actors are marked (many = 1) and looked up
-- through two small partial indexes instead (letopis/store/clusters.py, PAIRED_ACTORS).
ALTER TABLE cluster_actors ADD COLUMN time_value TEXT;
UPDATE cluster_actors SET
    time_value = (SELECT c.time_value FROM event_clusters c WHERE c.id = cluster_actors.cluster_id);
DROP INDEX cluster_actors_lookup;
DROP INDEX cluster_actors_entity;
ALTER TABLE cluster_actors ADD COLUMN many INTEGER NOT NULL DEFAULT 0;
UPDATE cluster_actors SET many = 1 WHERE cluster_id IN
    (SELECT cluster_id FROM cluster_actors GROUP BY cluster_id HAVING count(*) > 12);
CREATE INDEX cluster_actors_time ON cluster_actors(entity_id, type, time_value, last_day, cluster_id);
CREATE INDEX cluster_actors_many ON cluster_actors(entity_id, type, last_day, cluster_id) WHERE many = 1;
CREATE INDEX cluster_actors_many_time ON cluster_actors(entity_id, type, time_value, last_day, cluster_id)
    WHERE many = 1;

CREATE TABLE cluster_pairs (
    cluster_id INTEGER NOT NULL,
    low_id     INTEGER NOT NULL,                   -- two actors of the cluster, the lower id first
    high_id    INTEGER NOT NULL,
    type       TEXT,                               -- the cluster's type, last report day and calendar time
    last_day   TEXT,
    time_value TEXT,
    PRIMARY KEY (cluster_id, low_id, high_id)
) WITHOUT ROWID;
INSERT INTO cluster_pairs (cluster_id, low_id, high_id, type, last_day, time_value)
    SELECT a.cluster_id, a.entity_id, b.entity_id, a.type, a.last_day, a.time_value
    FROM cluster_actors a JOIN cluster_actors b ON b.cluster_id = a.cluster_id AND a.entity_id < b.entity_id
    WHERE a.many = 0;
CREATE INDEX cluster_pairs_day ON cluster_pairs(low_id, high_id, type, last_day, cluster_id);
CREATE INDEX cluster_pairs_time ON cluster_pairs(low_id, high_id, type, time_value, last_day, cluster_id);
