-- One index for the pages of real-world events instead of two (docs/store.md, "Speed and
-- scale"): each costs a write at a random place for every event an article reports (an
-- ingest makes an event per report it cannot join to one stored), and the two cost 0.25
-- ms of the 3.6 that storing an article took in a 40,000-article store.
--
-- event_clusters_day (day, id) listed events newest first and event_clusters_type
-- (type, day) those of some types. (day, type, id) does both: the newest first with the
-- days in order and each day's events sorted (a day has a few hundred at most), and those
-- of a type by skipping from day to day inside the index, with no table row read for an
-- event of another type (SQLite's skip-scan, PostgreSQL's index condition).
DROP INDEX IF EXISTS event_clusters_type;
DROP INDEX IF EXISTS event_clusters_day;
CREATE INDEX IF NOT EXISTS event_clusters_day_type ON event_clusters(day, type, id);
