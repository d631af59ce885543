"""Writing processed articles into the store, with the cross-article steps done at
the same time: registry links, near-duplicate groups, URL versions, event clusters,
search words.

Every article goes in whole or not at all: a batch is one transaction, and one
article that cannot be stored becomes an error record without taking its batch with
it. A batch is first stored straight through; should an article fail, the batch is
rolled back and stored again with a savepoint per article, which the failing one is
rolled back to (a savepoint keeps a copy of every page its article changes:
without them, storing into a 100,000-article store took 5% less time, and a whole
100,000-article run 11% less). A run killed at any point leaves the last committed
batch as the end of the store; the next run skips what is there.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import orjson

from ..record import Article
from ..watch.matching import forget as forget_watchlists, match_article, watching
from . import dedup
from .clusters import Frame, StartedClusters, assign_cluster
from .db import Database, now
from .registry import count_entity, link_entities
from .rows import Pending
from .search import Words, words_of


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


def day_of(article: Article) -> str | None:
    published = article.meta.published
    return published[:10] if published and len(published) >= 10 else None


def record_json(article: Article) -> str:
    """The record without its sentences (tokens are most of a record, and the store
    never reads them back), as the JSON of ``to_plain(article)`` without white space.
    orjson writes the dataclasses as they are (``json`` with ``default=vars`` took 0.16
    ms per article of the synthetic corpus, orjson 0.05)."""
    return orjson.dumps({name: getattr(article, name) for name in RECORD_FIELDS}).decode()


RECORD_FIELDS = tuple(item.name for item in dataclasses.fields(Article) if item.name != "sentences")


def known_ids(db: Database, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(row["id"] for row in db.rows(f"SELECT id FROM articles WHERE id IN ({marks})", chunk))
    return found


def store_articles(db: Database, articles: list[Article],
                   words: dict[str, Words] | None = None) -> list[Stored | tuple[Article, Exception]]:
    """Store a batch in one transaction; an article that fails is rolled back and
    returned with its exception. WORDS: the search words of articles whose tokens were
    let go while they waited (``search.words_of``), by article id.

    The batch is stored straight through first. Should an article fail, it is stored
    again with a savepoint per article (``alone``), the failing one rolled back to its
    own. The rows nothing reads back go in at the end of the batch (``rows.Pending``).
    Should they be refused there (a malformed record: two quotes with one id), the
    batch is stored again sending each article's rows at its end, in its savepoint, so
    that the refusal falls on that article alone. With watchlists, each article's rows
    go in at its end anyway: matching reads them."""
    deferred = not watching(db)
    words = words or {}
    try:
        return store_batch(db, articles, deferred, words, alone=False)
    except ArticleRejected:
        pass
    except RowsRejected:
        deferred = False
    # the rolled-back batch may have resolved a watched name the cached watchlists remember
    # (the rollback forgets Database.memo; the watchlists' cache outlives transactions)
    forget_watchlists(db)
    try:
        return store_batch(db, articles, deferred, words, alone=True)
    except RowsRejected:
        forget_watchlists(db)
        return store_batch(db, articles, False, words, alone=True)


class RowsRejected(Exception):
    """The store refused rows of a batch sent together: store it again article by article."""


class ArticleRejected(Exception):
    """An article of a batch stored straight through failed: store it again with a
    savepoint per article."""


def store_batch(db: Database, articles: list[Article], deferred: bool,
                words: dict[str, Words], alone: bool = True) -> list[Stored | tuple[Article, Exception]]:
    """ARTICLES in one transaction. ALONE: each in a savepoint of its own, and one that
    fails is rolled back to it; otherwise one that fails rolls the batch back
    (``ArticleRejected``)."""
    results: list = []
    batch = Pending()
    with db.transaction():
        present = known_ids(db, [article.id for article in articles])
        for article in articles:
            if article.id in present:
                results.append(Stored(article.id, "known"))
                continue
            try:
                placement = place(db, article)
            except Exception as error:
                if environmental(error):
                    raise
                results.append((article, error))
                continue
            if batch.articles & placement.touches:
                send(db, batch)  # the article changes flags of rows still waiting: send them first
            if alone:
                db.execute("SAVEPOINT article")
            try:
                stored, rows = store_article(db, article, placement, batch, words.get(article.id))
                if deferred:
                    batch.merge(rows)
                else:
                    rows.flush(db)
                    stored.notifications = len(match_article(db, article, stored))  # watchlists, with the article
                if alone:
                    db.execute("RELEASE SAVEPOINT article")
            except Exception as error:  # one bad article must not lose its batch
                if environmental(error):
                    raise  # a full disk or a lost server stops the run: the batch is rolled back whole
                if not alone:
                    raise ArticleRejected(f"{article.id}: {error}") from error  # rolls the batch back
                db.execute("ROLLBACK TO SAVEPOINT article")
                db.execute("RELEASE SAVEPOINT article")
                db.memo.clear()  # what was kept of the rows it added (registry keys, actors) is gone
                forget_watchlists(db)  # and of the watched names it resolved
                results.append((article, error))
            else:
                results.append(stored)
                present.add(article.id)
        send(db, batch)
    return results


def send(db: Database, batch: Pending) -> None:
    """The batch's waiting rows, all at once."""
    if not batch:
        batch.articles.clear()
        return
    try:
        batch.flush(db)
    except Exception as error:
        if environmental(error):
            raise
        raise RowsRejected(str(error)) from error


def environmental(error: Exception) -> bool:
    """Errors of the store's surroundings (full disk, lock, lost connection), not of
    one article: they stop the run instead of becoming the article's error record."""
    from .db import StoreError

    if isinstance(error, StoreError):
        return True
    module = type(error).__module__
    return module.startswith("psycopg") and type(error).__name__ in (
        "OperationalError", "DiskFull", "AdminShutdown", "ConnectionFailure", "InterfaceError")


@dataclass
class Placement:
    """Where a new article goes among what the store holds: read, not written."""

    signature: bytes
    keys: list[int]  # its MinHash band keys
    version: int = 1
    supersedes: str | None = None  # the current version of its URL, retired by it
    group: str = ""  # its near-duplicate group (its own id when it starts one)
    similarity: float | None = None
    first_report: int = 1
    demoted: str | None = None  # the group's first report, when this copy was published earlier

    @property
    def touches(self) -> set[str]:
        """The stored articles whose rows storing this one changes."""
        return {article_id for article_id in (self.supersedes, self.demoted) if article_id}


def place(db: Database, article: Article) -> Placement:
    meta = article.meta
    signature = dedup.signature(dedup.content_text(article))
    placement = Placement(signature, dedup.band_keys(signature), group=article.id)

    # URL versions: the same URL with other text is a new version, not a second article
    if meta.url:
        previous = db.row("SELECT id, version FROM articles WHERE url = ? AND current = 1 ORDER BY version DESC LIMIT 1",
                          (meta.url,))
        if previous:
            placement.version, placement.supersedes = previous["version"] + 1, previous["id"]

    # near-duplicates: MinHash LSH candidates, then the estimated Jaccard
    keys = placement.keys
    if keys:
        candidates = db.rows(candidates_sql(len(keys)), [*keys, placement.supersedes or ""])
        best = None
        scores = dedup.similarities(signature, [bytes(candidate["minhash"]) for candidate in candidates])
        for candidate, score in zip(candidates, scores):
            if score >= dedup.DUPLICATE_THRESHOLD and (best is None or score > best[0]):
                best = (score, candidate["dup_group"])
        if best:
            placement.similarity, placement.group = best
    if placement.group != article.id:
        earliest = db.row("SELECT id, published FROM articles WHERE dup_group = ? AND first_report = 1",
                          (placement.group,))
        if earliest and earliest["published"] and meta.published and meta.published < earliest["published"]:
            placement.demoted = earliest["id"]  # the new copy was published earlier
        else:
            placement.first_report = 0
    return placement


def candidates_sql(keys: int) -> str:
    """The stored articles sharing one of KEYS band keys (not the one a new version
    supersedes, not retired), at most 200. The articles sharing a key are found first,
    then their rows: left to itself, PostgreSQL without statistics yet (a new store's
    first minutes) joined the other way, reading every article for each lookup (storing
    3,000 articles into a new store took 10-20 ms an article instead of 6)."""
    return (f"WITH found AS MATERIALIZED (SELECT DISTINCT article_seq FROM article_bands "
            f"WHERE key IN ({','.join('?' * keys)})) SELECT a.id, a.dup_group, a.minhash FROM found "
            f"JOIN articles a ON a.seq = found.article_seq WHERE a.id <> ? AND a.current = 1 LIMIT 200")


def store_article(db: Database, article: Article, placement: Placement | None = None,
                  batch: Pending | None = None, words: Words | None = None) -> tuple[Stored, Pending]:
    """Store ARTICLE's own row and what later articles read (band keys, registry links,
    event clusters); its other rows come back, to be sent when the caller chooses."""
    placement = placement or place(db, article)
    meta = article.meta
    day = day_of(article)
    result = Stored(article.id, "stored")
    if placement.supersedes:
        result.status = "version"
        retire(db, placement.supersedes)
    group, first_report = placement.group, placement.first_report
    if group != article.id:
        result.duplicate_of = group
    if placement.demoted:
        set_first_report(db, placement.demoted, 0)

    seq = db.insert_id(
        "INSERT INTO articles (id, url, outlet, lang, title, published, published_source, day, author, input, "
        "chars, version, supersedes, current, dup_group, dup_similarity, first_report, minhash, record, ingested_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?) RETURNING seq",
        (article.id, meta.url, meta.outlet, meta.lang, title_of(article), meta.published, meta.published_source,
         day, meta.author, meta.input, len(article.text), placement.version, placement.supersedes, group,
         placement.similarity, first_report, placement.signature, record_json(article), now()))
    db.executemany("INSERT INTO article_bands (key, article_seq) VALUES (?, ?) ON CONFLICT DO NOTHING",
                   [(key, seq) for key in placement.keys])
    pending = Pending()
    pending.articles.add(article.id)
    words = words or words_of(article)
    pending.insert("article_search", (seq, words.article))

    # entities -> registry
    registry: dict[str, int] = {}
    for entity, link in zip(article.entities, link_entities(db, article.entities, day)):
        registry[entity.id] = link.entity_id
        first = min(entity.mentions, key=lambda mention: mention.start) if entity.mentions else None
        pending.insert("article_entities", (
            article.id, entity.id, link.entity_id, link.key, entity.type, entity.name, len(entity.mentions),
            first.start if first else None, first.end if first else None, day, 1, first_report))
        count_entity(pending, link.entity_id, entity, day)
        pending.insert_many("entity_roles", [(link.entity_id, article.id, role.text, role.start, role.end, day)
                                             for role in entity.roles])
    result.entities = len(article.entities)

    # quotes, with the entities they are about
    times = {time.id: time for time in article.times}
    mentions = [(mention.start, mention.end, entity.id) for entity in article.entities for mention in entity.mentions]
    for quote, quote_words in zip(article.quotes, words.quotes):
        speaker = registry.get(quote.speaker) if quote.speaker else None
        time_value = times[quote.time].value if quote.time in times else None
        pending.insert("quotes", (article.id, quote.id, quote.kind, quote.start, quote.end,
                                  article.text[quote.start:quote.end], speaker, quote.speaker_text, quote.cue,
                                  time_value, day, 1, first_report))
        about = sorted({registry[local] for start, end, local in mentions
                        if start >= quote.start and end <= quote.end and local in registry} - {speaker})
        pending.insert_many("quote_about", [(article.id, quote.id, entity_id) for entity_id in about])
        pending.insert("quote_search", (article.id, quote.id, quote_words))
        if speaker:
            pending.counts_of(speaker).quotes += 1
    result.quotes = len(article.quotes)

    # events, each joined to (or starting) a real-world event cluster
    codes = entity_countries(article)
    taken: set[int] = set()  # an article's frames are distinct events
    group_events = None if first_report else first_report_events(db, group, batch)
    reported = pending.events.setdefault(article.id, [])
    started = StartedClusters(expected=len(article.events))  # the clusters its frames start
    for event in article.events:
        actors = {registry[local] for local in (*event.source, *event.target, *event.participants) if local in registry}
        time = times.get(event.time) if event.time else None
        place_id = registry.get(event.place) if event.place else None
        frame = Frame(type=event.type, subtype=event.subtype, actors=actors, time_value=time.value if time else None,
                      place_id=place_id, day=day, status=event.status, article_id=article.id)
        cluster_id = assign_cluster(db, frame, taken, started) if first_report \
            else duplicate_cluster(db, group_events, event, frame, taken, pending, started)
        taken.add(cluster_id)
        pending.insert("events", (
            article.id, event.id, event.type, event.subtype, event.status, event.trigger, event.trigger_start,
            event.trigger_end, time.value if time else None, time.text if time else None, place_id,
            registry.get(event.reported_by) if event.reported_by else None, day, cluster_id, 1, first_report))
        reported.append({"cluster_id": cluster_id, "type": event.type, "trigger": event.trigger,
                         "trigger_start": event.trigger_start})
        rows = []
        for slot in ("source", "target", "participants"):
            for local in getattr(event, slot):
                if local in registry:
                    rows.append((article.id, event.id, registry[local], slot, codes.get(local), day))
        pending.insert_many("event_actors", rows)
        for entity_id in actors:
            pending.counts_of(entity_id).events += 1
    started.send(db)  # before the next article looks them up
    result.events = len(article.events)
    return result, pending


def first_report_events(db: Database, group: str, batch: Pending | None = None) -> list:
    """The events of the article that founded a near-duplicate group (its id is the
    group's): from the batch when its rows are still waiting there, else a primary-key
    lookup, however many copies the group has; read once per copy, not once per event."""
    if batch is not None and group in batch.events:
        return sorted(batch.events[group], key=lambda row: (row["trigger_start"] is None, row["trigger_start"] or 0))
    return db.rows("SELECT cluster_id, type, trigger FROM events WHERE article_id = ? ORDER BY trigger_start",
                   (group,))


def duplicate_cluster(db: Database, group_events: list, event, frame: Frame, taken: set[int],
                      pending: Pending, started: StartedClusters | None = None) -> int:
    """A near-duplicate copy's event joins the cluster of the same event in the group's
    first report (same type and trigger text) and adds a report (sent with the batch's
    rows), never a new event."""
    for row in group_events:
        if row["type"] == event.type and row["trigger"] == event.trigger and row["cluster_id"] is not None \
                and row["cluster_id"] not in taken:
            pending.reports[row["cluster_id"]] = pending.reports.get(row["cluster_id"], 0) + 1
            return row["cluster_id"]
    return assign_cluster(db, frame, taken, started)


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
