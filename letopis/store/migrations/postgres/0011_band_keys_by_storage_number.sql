-- The near-duplicate band keys (letopis/store/dedup.py) keyed by (key, article's storage
-- number) instead of (key, article id) with an index on the key: a candidate found by its
-- key is one seek into articles (by seq), not one by id; the primary key is the lookup's
-- index. No query but the writer's reads them.
CREATE TABLE article_bands_by_seq (
    key         BIGINT NOT NULL,
    article_seq BIGINT NOT NULL,                   -- articles.seq
    CONSTRAINT article_bands_pkey PRIMARY KEY (key, article_seq)
);
INSERT INTO article_bands_by_seq (key, article_seq)
    SELECT b.key, a.seq FROM article_bands b JOIN articles a ON a.id = b.article_id ORDER BY 1, 2
    ON CONFLICT DO NOTHING;
DROP TABLE article_bands;
ALTER TABLE article_bands_by_seq RENAME TO article_bands;
