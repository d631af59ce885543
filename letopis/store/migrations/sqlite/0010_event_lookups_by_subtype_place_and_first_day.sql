-- The pairs of an event's actors carry its subtype, place and first report day, so that
-- a report's lookup leaves out, inside the index, the events whose subtype or place rules
-- them out, or first reported more than 60 days after it (letopis/store/clusters.py,
-- find_cluster). The same pair, type and day can hold thousands of events (the synthetic
-- corpus: 1,483 of one pair on one day at 40,000 articles, 3,040 at 100,000), most of
-- another place or subtype or reported much later: each was read, grouped and ranked, and
-- the likeliest fifty were then read again from event_clusters and left out there. Read
-- from the index alone, they cost a comparison each.
ALTER TABLE cluster_pairs ADD COLUMN subtype TEXT;
ALTER TABLE cluster_pairs ADD COLUMN place_id INTEGER;
ALTER TABLE cluster_pairs ADD COLUMN first_day TEXT;
UPDATE cluster_pairs SET
    subtype = (SELECT c.subtype FROM event_clusters c WHERE c.id = cluster_pairs.cluster_id),
    place_id = (SELECT c.place_id FROM event_clusters c WHERE c.id = cluster_pairs.cluster_id),
    first_day = (SELECT c.first_day FROM event_clusters c WHERE c.id = cluster_pairs.cluster_id);
DROP INDEX IF EXISTS cluster_pairs_time;
DROP INDEX IF EXISTS cluster_pairs_day;
CREATE INDEX cluster_pairs_time ON cluster_pairs(low_id, high_id, type, time_value, last_day, cluster_id, subtype, place_id,
    first_day);
CREATE INDEX cluster_pairs_day ON cluster_pairs(low_id, high_id, type, last_day, cluster_id, subtype, place_id,
    first_day);
