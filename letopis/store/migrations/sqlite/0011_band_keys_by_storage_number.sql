-- The near-duplicate band keys (letopis/store/dedup.py) in one b-tree keyed by (key,
-- article's storage number) instead of a table of (key, article id) and an index on its
-- key: a key stored is one b-tree entry, not two (nineteen keys an article), and a
-- candidate found by its key is one seek into articles (by seq), not two (by id, then
-- the row). No query but the writer's reads them.
CREATE TABLE article_bands_by_seq (
    key         INTEGER NOT NULL,
    article_seq INTEGER NOT NULL,                  -- articles.seq
    PRIMARY KEY (key, article_seq)
) WITHOUT ROWID;
INSERT OR IGNORE INTO article_bands_by_seq (key, article_seq)
    SELECT b.key, a.seq FROM article_bands b JOIN articles a ON a.id = b.article_id ORDER BY 1, 2;
DROP TABLE article_bands;
ALTER TABLE article_bands_by_seq RENAME TO article_bands;
