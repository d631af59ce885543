-- Event clustering looks clusters up by actor, type and recency. Scanning every cluster
-- of a type per new event frame made ingest quadratic; cluster_actors now carries the
-- cluster's type and last report day, indexed with the actor.
ALTER TABLE cluster_actors ADD COLUMN type TEXT;
ALTER TABLE cluster_actors ADD COLUMN last_day TEXT;
UPDATE cluster_actors SET
    type = (SELECT c.type FROM event_clusters c WHERE c.id = cluster_actors.cluster_id),
    last_day = (SELECT c.last_day FROM event_clusters c WHERE c.id = cluster_actors.cluster_id);
CREATE INDEX cluster_actors_lookup ON cluster_actors(entity_id, type, last_day);

-- Search ranked matches with ts_rank(to_tsvector(words)), parsing every matching
-- article's words again; the vectors are now stored, and indexed.
ALTER TABLE article_search ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', words)) STORED;
CREATE INDEX article_search_tsv ON article_search USING GIN (tsv);
DROP INDEX article_search_words;
ALTER TABLE quote_search ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', words)) STORED;
CREATE INDEX quote_search_tsv ON quote_search USING GIN (tsv);
DROP INDEX quote_search_words;
