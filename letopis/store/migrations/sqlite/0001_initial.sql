-- letopis store, schema 1 (SQLite). Mirrors the article record (docs/record.md);
-- docs/store.md explains every table. Append-only: never edit a migration that has
-- shipped; add the next numbered file instead.

CREATE TABLE articles (
    seq              INTEGER PRIMARY KEY,          -- ingest order; the FTS rowid
    id               TEXT NOT NULL UNIQUE,         -- the record's content hash
    url              TEXT,
    outlet           TEXT,
    lang             TEXT,
    title            TEXT,
    published        TEXT,                         -- ISO date or date-time, as in the record
    published_source TEXT,
    day              TEXT,                         -- YYYY-MM-DD of `published`, for filters
    author           TEXT,
    input            TEXT,
    chars            INTEGER NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,   -- 1, 2, ... among articles with this URL
    supersedes       TEXT,                         -- the previous version's id
    current          INTEGER NOT NULL DEFAULT 1,   -- 0 once a newer version of the URL is stored
    dup_group        TEXT NOT NULL,                -- near-duplicate group: id of its first stored article (itself when alone)
    dup_similarity   REAL,                         -- estimated Jaccard with the group's first report
    first_report     INTEGER NOT NULL DEFAULT 1,   -- 1 for the group's earliest published report
    minhash          BLOB,
    record           TEXT NOT NULL,                -- the whole record as JSON, sentences left out
    ingested_at      TEXT NOT NULL
);
CREATE INDEX articles_url ON articles(url);
CREATE INDEX articles_day ON articles(day);
CREATE INDEX articles_outlet ON articles(outlet, day);
CREATE INDEX articles_dup_group ON articles(dup_group);

CREATE TABLE article_bands (                       -- MinHash LSH band keys (letopis.store.dedup)
    key        INTEGER NOT NULL,
    article_id TEXT NOT NULL
);
CREATE INDEX article_bands_key ON article_bands(key);

CREATE TABLE entities (                            -- the cross-article registry
    id         INTEGER PRIMARY KEY,
    type       TEXT NOT NULL,
    name       TEXT NOT NULL,
    name_norm  TEXT NOT NULL,                      -- lower case, ё as е: for lookups
    last_word  TEXT NOT NULL,                      -- the name's last word, folded (surname lookups)
    kb_id      TEXT,
    country    TEXT,
    sector     TEXT,
    articles   INTEGER NOT NULL DEFAULT 0,
    mentions   INTEGER NOT NULL DEFAULT 0,
    quotes     INTEGER NOT NULL DEFAULT 0,
    events     INTEGER NOT NULL DEFAULT 0,
    first_day  TEXT,
    last_day   TEXT
);
CREATE INDEX entities_name_norm ON entities(name_norm);
CREATE INDEX entities_last_word ON entities(type, last_word);
CREATE INDEX entities_kb ON entities(kb_id);

CREATE TABLE entity_keys (                         -- article-level keys attached to registry entities
    key       TEXT PRIMARY KEY,
    entity_id INTEGER NOT NULL,
    rule      TEXT NOT NULL,                       -- key, kb, surname, manual
    manual    INTEGER NOT NULL DEFAULT 0           -- set by `letopis entities merge/split`: kept on re-ingest
);
CREATE INDEX entity_keys_entity ON entity_keys(entity_id);

CREATE TABLE entity_aliases (
    entity_id  INTEGER NOT NULL,
    alias      TEXT NOT NULL,
    alias_norm TEXT NOT NULL,
    count      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (entity_id, alias)
);
CREATE INDEX entity_aliases_norm ON entity_aliases(alias_norm);

CREATE TABLE article_entities (                    -- an article's entity clusters, linked to the registry
    article_id TEXT NOT NULL,
    local_id   TEXT NOT NULL,                      -- the record's entity id (e1, e2, ...)
    entity_id  INTEGER NOT NULL,
    key        TEXT NOT NULL,
    type       TEXT NOT NULL,
    name       TEXT NOT NULL,
    mentions   INTEGER NOT NULL,
    first_start INTEGER,
    first_end   INTEGER,
    day        TEXT,
    current    INTEGER NOT NULL DEFAULT 1,
    first_report INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (article_id, local_id)
);
CREATE INDEX article_entities_entity ON article_entities(entity_id, day);

CREATE TABLE entity_roles (
    entity_id  INTEGER NOT NULL,
    article_id TEXT NOT NULL,
    role       TEXT NOT NULL,
    start      INTEGER,
    "end"      INTEGER,
    day        TEXT
);
CREATE INDEX entity_roles_entity ON entity_roles(entity_id, day);

CREATE TABLE quotes (
    article_id   TEXT NOT NULL,
    local_id     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    start        INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    text         TEXT NOT NULL,
    speaker_id   INTEGER,                          -- registry entity; NULL when unresolved
    speaker_text TEXT,
    cue          TEXT,
    time_value   TEXT,
    day          TEXT,                             -- the article's day
    current      INTEGER NOT NULL DEFAULT 1,
    first_report INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (article_id, local_id)
);
CREATE INDEX quotes_speaker ON quotes(speaker_id, day);
CREATE INDEX quotes_day ON quotes(day);

CREATE TABLE quote_about (                         -- entities named inside a quote
    article_id TEXT NOT NULL,
    quote_id   TEXT NOT NULL,
    entity_id  INTEGER NOT NULL
);
CREATE INDEX quote_about_entity ON quote_about(entity_id);
CREATE INDEX quote_about_quote ON quote_about(article_id, quote_id);

CREATE TABLE event_clusters (                      -- one real-world event and its reports
    id            INTEGER PRIMARY KEY,
    type          TEXT NOT NULL,
    subtype       TEXT,
    status        TEXT,                            -- the latest report's status
    day           TEXT,                            -- the event's own date when known, else the first report's day
    time_value    TEXT,
    place_id      INTEGER,
    first_article TEXT NOT NULL,
    first_day     TEXT,
    last_day      TEXT,
    reports       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX event_clusters_type ON event_clusters(type, day);

CREATE TABLE cluster_actors (
    cluster_id INTEGER NOT NULL,
    entity_id  INTEGER NOT NULL,
    PRIMARY KEY (cluster_id, entity_id)
);
CREATE INDEX cluster_actors_entity ON cluster_actors(entity_id);

CREATE TABLE events (
    article_id    TEXT NOT NULL,
    local_id      TEXT NOT NULL,
    type          TEXT NOT NULL,
    subtype       TEXT,
    status        TEXT,
    trigger       TEXT NOT NULL,
    trigger_start INTEGER NOT NULL,
    trigger_end   INTEGER NOT NULL,
    time_value    TEXT,
    time_text     TEXT,
    place_id      INTEGER,
    reported_by   INTEGER,
    day           TEXT,                            -- the article's day
    cluster_id    INTEGER,
    current       INTEGER NOT NULL DEFAULT 1,
    first_report  INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (article_id, local_id)
);
CREATE INDEX events_type ON events(type, day);
CREATE INDEX events_cluster ON events(cluster_id);

CREATE TABLE event_actors (
    article_id TEXT NOT NULL,
    event_id   TEXT NOT NULL,
    entity_id  INTEGER NOT NULL,
    slot       TEXT NOT NULL,                      -- source, target, participants
    country    TEXT
);
CREATE INDEX event_actors_entity ON event_actors(entity_id);
CREATE INDEX event_actors_event ON event_actors(article_id, event_id);

CREATE TABLE ingest_errors (                       -- per-document failures of ingest runs
    id       INTEGER PRIMARY KEY,
    run_at   TEXT NOT NULL,
    input    TEXT,
    line     INTEGER,
    stage    TEXT,
    reason   TEXT,
    detail   TEXT
);

-- Morphology-aware search: lemmas and surface forms of the title, lead and body
-- (letopis.store.search), in FTS5 with the article's seq as rowid.
CREATE VIRTUAL TABLE article_search USING fts5(words, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE quote_search USING fts5(words, article_id UNINDEXED, quote_id UNINDEXED,
                                             tokenize = 'unicode61 remove_diacritics 2');
