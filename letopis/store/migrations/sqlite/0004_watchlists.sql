-- Watchlists (letopis/watch, docs/watch.md): what an analyst follows, the facts that
-- matched at ingest (once each), and the webhook deliveries owed for them.

CREATE TABLE IF NOT EXISTS watchlists (
    id          INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: a removed watchlist's id is not a new one's
    name        TEXT NOT NULL UNIQUE,
    quotes      INTEGER NOT NULL DEFAULT 1,        -- 1: statements of (or about) the watched entities
    events      INTEGER NOT NULL DEFAULT 1,        -- 1: events they take part in
    event_types TEXT,                              -- comma-separated PLOVER types; NULL: any
    statuses    TEXT,                              -- comma-separated statuses; NULL: any
    webhook_url TEXT,                              -- POST a JSON payload per match here (letopis watch deliver)
    webhook_secret TEXT,                           -- HMAC-SHA256 key for the X-Letopis-Signature header
    created_at  TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS watch_entities (                      -- the entities a watchlist names
    watchlist_id INTEGER NOT NULL,
    role         TEXT NOT NULL,                    -- entity (speaker, actor) or about (named in the quote, other actor)
    name         TEXT NOT NULL,                    -- as the user typed it
    name_norm    TEXT NOT NULL,
    entity_id    INTEGER,                          -- the registry entity; NULL while the name is not in the store
    PRIMARY KEY (watchlist_id, role, name_norm)
);
CREATE INDEX IF NOT EXISTS watch_entities_entity ON watch_entities(entity_id);

CREATE TABLE IF NOT EXISTS watch_matches (                       -- one notification: a fact matched by a watchlist, once
    id            INTEGER PRIMARY KEY,
    watchlist_id  INTEGER NOT NULL,
    key           TEXT NOT NULL,                   -- what makes it unique: quote text and speaker, event cluster, status change
    kind          TEXT NOT NULL,                   -- quote, event, status
    article_id    TEXT NOT NULL,
    local_id      TEXT NOT NULL,                   -- the quote's or event report's id in the article
    cluster_id    INTEGER,
    status        TEXT,                            -- the event's status when matched
    previous_status TEXT,                          -- for a status change
    day           TEXT,                            -- the article's day
    matched_at    TEXT NOT NULL,
    payload       TEXT NOT NULL,                   -- the notification as JSON (feeds, digests and webhooks show it)
    UNIQUE (watchlist_id, key)
);
CREATE INDEX IF NOT EXISTS watch_matches_list ON watch_matches(watchlist_id, id);
CREATE INDEX IF NOT EXISTS watch_matches_cluster ON watch_matches(cluster_id);

CREATE TABLE IF NOT EXISTS watch_deliveries (                    -- webhook POSTs owed for matches
    id           INTEGER PRIMARY KEY,
    match_id     INTEGER NOT NULL,
    watchlist_id INTEGER NOT NULL,
    url          TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending',  -- pending, delivered, failed (gave up)
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      TEXT NOT NULL,                    -- not tried again before this time (UTC, ISO)
    last_error   TEXT,
    delivered_at TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS watch_deliveries_due ON watch_deliveries(state, next_at);
