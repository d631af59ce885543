"""Writing processed articles into the store, with the cross-article steps done at
the same time: registry links, near-duplicate groups, URL versions, event clusters,
search words.

Every article goes in whole or not at all: a batch is one transaction, and each
article inside it has its own savepoint, so one that cannot be stored becomes an
error record without taking its batch with it. A run killed at any point leaves the
last committed batch as the end of the store; the next run skips what is there.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field

from ..record import Article, to_plain
from ..watch.matching import match_article
from . import dedup
from .clusters import Frame, assign_cluster
from .db import Database, now
from .registry import count_entity, link_entity
from .search import article_words, span_words


@dataclass
class Stored:
    """What storing one article did."""

    article_id: str
    status: str  # stored, known (already there), version (a newer version of a URL)
    duplicate_of: str | None = None  # the group's id when the article is a near-duplicate
    entities: int = 0
    quotes: int = 0
    events: int = 0
    new_clusters: list[int] = field(default_factory=list)
    notifications: int = 0  # watchlist matches recorded (letopis.watch)


class Pending:
    """Rows an article adds that nothing in the same article reads back, sent at its
    end with one ``executemany`` per statement instead of one ``execute`` per row."""

    def __init__(self):
        self.rows: dict[str, list[tuple]] = {}

    def add(self, sql: str, params: tuple) -> None:
        self.rows.setdefault(sql, []).append(params)

    def extend(self, sql: str, rows: list[tuple]) -> None:
        if rows:
            self.rows.setdefault(sql, []).extend(rows)

    def flush(self, db: Database) -> None:
        for sql, rows in self.rows.items():
            db.executemany(sql, rows)
        self.rows.clear()


def day_of(article: Article) -> str | None:
    published = article.meta.published
    return published[:10] if published and len(published) >= 10 else None


def record_json(article: Article) -> str:
    """The record without its sentences (tokens are most of a record, and the store
    never reads them back)."""
    data = {name: to_plain(getattr(article, name)) for name in RECORD_FIELDS}
    return json.dumps(data, ensure_ascii=False)


RECORD_FIELDS = tuple(item.name for item in dataclasses.fields(Article) if item.name != "sentences")


def known_ids(db: Database, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(row["id"] for row in db.rows(f"SELECT id FROM articles WHERE id IN ({marks})", chunk))
    return found


def store_articles(db: Database, articles: list[Article]) -> list[Stored | tuple[Article, Exception]]:
    """Store a batch in one transaction; an article that fails is rolled back to its
    savepoint and returned with its exception."""
    results: list = []
    with db.transaction():
        present = known_ids(db, [article.id for article in articles])
        for article in articles:
            if article.id in present:
                results.append(Stored(article.id, "known"))
                continue
            db.execute("SAVEPOINT article")
            try:
                stored = store_article(db, article)
                stored.notifications = len(match_article(db, article, stored))  # watchlists, in the savepoint
                results.append(stored)
            except Exception as error:  # one bad article must not lose its batch
                if environmental(error):
                    raise  # a full disk or a lost server stops the run: the batch is rolled back whole
                db.execute("ROLLBACK TO SAVEPOINT article")
                results.append((article, error))
            else:
                present.add(article.id)
            db.execute("RELEASE SAVEPOINT article")
    return results


def environmental(error: Exception) -> bool:
    """Errors of the store's surroundings (full disk, lock, lost connection), not of
    one article: they stop the run instead of becoming the article's error record."""
    from .db import StoreError

    if isinstance(error, StoreError):
        return True
    module = type(error).__module__
    return module.startswith("psycopg") and type(error).__name__ in (
        "OperationalError", "DiskFull", "AdminShutdown", "ConnectionFailure", "InterfaceError")


def store_article(db: Database, article: Article) -> Stored:
    meta = article.meta
    day = day_of(article)
    result = Stored(article.id, "stored")

    # URL versions: the same URL with other text is a new version, not a second article
    version, supersedes = 1, None
    if meta.url:
        previous = db.row("SELECT id, version FROM articles WHERE url = ? AND current = 1 ORDER BY version DESC LIMIT 1",
                          (meta.url,))
        if previous:
            version, supersedes = previous["version"] + 1, previous["id"]
            result.status = "version"
            retire(db, previous["id"])

    # near-duplicates: MinHash LSH candidates, then the estimated Jaccard
    signature = dedup.signature(dedup.content_text(article))
    keys = dedup.band_keys(signature)
    group, similarity = article.id, None
    if keys:
        marks = ",".join("?" * len(keys))
        candidates = db.rows(f"SELECT DISTINCT a.id, a.dup_group, a.minhash FROM article_bands b "
                             f"JOIN articles a ON a.id = b.article_id WHERE b.key IN ({marks}) AND a.id <> ? "
                             f"AND a.current = 1 LIMIT 200", [*keys, supersedes or ""])
        best = None
        scores = dedup.similarities(signature, [bytes(candidate["minhash"]) for candidate in candidates])
        for candidate, score in zip(candidates, scores):
            if score >= dedup.DUPLICATE_THRESHOLD and (best is None or score > best[0]):
                best = (score, candidate["dup_group"])
        if best:
            similarity, group = best
            result.duplicate_of = group
    first_report = 1
    if group != article.id:
        earliest = db.row("SELECT id, published FROM articles WHERE dup_group = ? AND first_report = 1", (group,))
        if earliest and earliest["published"] and meta.published and meta.published < earliest["published"]:
            set_first_report(db, earliest["id"], 0)  # the new copy was published earlier
        else:
            first_report = 0

    seq = db.insert_id(
        "INSERT INTO articles (id, url, outlet, lang, title, published, published_source, day, author, input, "
        "chars, version, supersedes, current, dup_group, dup_similarity, first_report, minhash, record, ingested_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?) RETURNING seq",
        (article.id, meta.url, meta.outlet, meta.lang, title_of(article), meta.published, meta.published_source,
         day, meta.author, meta.input, len(article.text), version, supersedes, group, similarity, first_report,
         signature, record_json(article), now()))
    db.executemany("INSERT INTO article_bands (key, article_id) VALUES (?, ?)", [(key, article.id) for key in keys])
    db.execute("INSERT INTO article_search (rowid, words) VALUES (?, ?)", (seq, article_words(article)))

    # entities -> registry
    pending = Pending()
    registry: dict[str, int] = {}
    for entity in article.entities:
        link = link_entity(db, entity, day)
        registry[entity.id] = link.entity_id
        first = min(entity.mentions, key=lambda mention: mention.start) if entity.mentions else None
        pending.add("INSERT INTO article_entities (article_id, local_id, entity_id, key, type, name, mentions, "
                    "first_start, first_end, day, current, first_report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
                    (article.id, entity.id, link.entity_id, link.key, entity.type, entity.name, len(entity.mentions),
                     first.start if first else None, first.end if first else None, day, first_report))
        count_entity(pending, link.entity_id, entity, day)
        pending.extend("INSERT INTO entity_roles (entity_id, article_id, role, start, \"end\", day) VALUES (?, ?, ?, ?, ?, ?)",
                       [(link.entity_id, article.id, role.text, role.start, role.end, day) for role in entity.roles])
    result.entities = len(article.entities)

    # quotes, with the entities they are about
    times = {time.id: time for time in article.times}
    mentions = [(mention.start, mention.end, entity.id) for entity in article.entities for mention in entity.mentions]
    for quote in article.quotes:
        speaker = registry.get(quote.speaker) if quote.speaker else None
        time_value = times[quote.time].value if quote.time in times else None
        pending.add("INSERT INTO quotes (article_id, local_id, kind, start, \"end\", text, speaker_id, speaker_text, cue, "
                    "time_value, day, current, first_report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
                    (article.id, quote.id, quote.kind, quote.start, quote.end, article.text[quote.start:quote.end],
                     speaker, quote.speaker_text, quote.cue, time_value, day, first_report))
        about = sorted({registry[local] for start, end, local in mentions
                        if start >= quote.start and end <= quote.end and local in registry} - {speaker})
        pending.extend("INSERT INTO quote_about (article_id, quote_id, entity_id) VALUES (?, ?, ?)",
                       [(article.id, quote.id, entity_id) for entity_id in about])
        if db.dialect == "postgres":
            pending.add("INSERT INTO quote_search (article_id, quote_id, words) VALUES (?, ?, ?)",
                        (article.id, quote.id, span_words(article, quote.start, quote.end)))
        else:
            pending.add("INSERT INTO quote_search (words, article_id, quote_id) VALUES (?, ?, ?)",
                        (span_words(article, quote.start, quote.end), article.id, quote.id))
        if speaker:
            pending.add("UPDATE entities SET quotes = quotes + 1 WHERE id = ?", (speaker,))
    result.quotes = len(article.quotes)

    # events, each joined to (or starting) a real-world event cluster
    codes = entity_countries(article)
    taken: set[int] = set()  # an article's frames are distinct events
    group_events = None if first_report else first_report_events(db, group)
    for event in article.events:
        actors = {registry[local] for local in (*event.source, *event.target, *event.participants) if local in registry}
        time = times.get(event.time) if event.time else None
        place = registry.get(event.place) if event.place else None
        frame = Frame(type=event.type, subtype=event.subtype, actors=actors, time_value=time.value if time else None,
                      place_id=place, day=day, status=event.status, article_id=article.id)
        cluster_id = assign_cluster(db, frame, taken) if first_report \
            else duplicate_cluster(db, group_events, event, frame, taken)
        taken.add(cluster_id)
        pending.add("INSERT INTO events (article_id, local_id, type, subtype, status, trigger, trigger_start, trigger_end, "
                    "time_value, time_text, place_id, reported_by, day, cluster_id, current, first_report) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
                    (article.id, event.id, event.type, event.subtype, event.status, event.trigger, event.trigger_start,
                     event.trigger_end, time.value if time else None, time.text if time else None, place,
                     registry.get(event.reported_by) if event.reported_by else None, day, cluster_id, first_report))
        rows = []
        for slot in ("source", "target", "participants"):
            for local in getattr(event, slot):
                if local in registry:
                    rows.append((article.id, event.id, registry[local], slot, codes.get(local), day))
        pending.extend("INSERT INTO event_actors (article_id, event_id, entity_id, slot, country, day) "
                       "VALUES (?, ?, ?, ?, ?, ?)", rows)
        for entity_id in sorted(actors):
            pending.add("UPDATE entities SET events = events + 1 WHERE id = ?", (entity_id,))
    result.events = len(article.events)
    pending.flush(db)
    return result


def first_report_events(db: Database, group: str) -> list:
    """The events of the article that founded a near-duplicate group (its id is the
    group's): a primary-key lookup, however many copies the group has; read once per
    copy, not once per event of it."""
    return db.rows("SELECT cluster_id, type, trigger FROM events WHERE article_id = ? ORDER BY trigger_start",
                   (group,))


def duplicate_cluster(db: Database, group_events: list, event, frame: Frame, taken: set[int]) -> int:
    """A near-duplicate copy's event joins the cluster of the same event in the group's
    first report (same type and trigger text) and adds a report, never a new event."""
    for row in group_events:
        if row["type"] == event.type and row["trigger"] == event.trigger and row["cluster_id"] is not None \
                and row["cluster_id"] not in taken:
            db.execute("UPDATE event_clusters SET reports = reports + 1 WHERE id = ?", (row["cluster_id"],))
            return row["cluster_id"]
    return assign_cluster(db, frame, taken)


def entity_countries(article: Article) -> dict[str, str]:
    return {entity.id: entity.country for entity in article.entities if getattr(entity, "country", None)}


def title_of(article: Article) -> str | None:
    if article.meta.title:
        return article.meta.title
    for zone in article.zones_of("title"):
        return article.zone_text(zone).strip()[:500]
    return None


def retire(db: Database, article_id: str) -> None:
    """An older version of a URL leaves the current view (its rows stay, for history)."""
    for table in ("articles", "quotes", "events", "article_entities"):
        column = "id" if table == "articles" else "article_id"
        db.execute(f"UPDATE {table} SET current = 0 WHERE {column} = ?", (article_id,))


def set_first_report(db: Database, article_id: str, flag: int) -> None:
    for table in ("articles", "quotes", "events", "article_entities"):
        column = "id" if table == "articles" else "article_id"
        db.execute(f"UPDATE {table} SET first_report = ? WHERE {column} = ?", (flag, article_id))
