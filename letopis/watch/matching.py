"""Matching at ingest: every newly stored quote and event report is checked against
the watchlists, inside the transaction that stores its article (a killed run records
the article and its matches together or not at all).

- a quote matches when a watchlist follows quotes, its speaker is a watched entity
  (when the watchlist names any) and it names an ``about`` entity (when it names any);
- an event report matches when a watchlist follows events of its type and status, one
  of its actors is a watched entity and another actor or its place an ``about`` one;
- once a real-world event (a cluster) has matched, it is followed: a later report that
  changes the cluster's status (planned -> occurred, -> not_planned) is a notification
  of its own, whatever the watchlist's status filter.

Each notification is recorded once, under a key: the speaker and the words of a quote
(the same statement re-published is not new), the cluster of an event (a copy's event
joins its original's cluster), the cluster and the two statuses of a change. A
near-duplicate copy (``Stored.duplicate_of``) tells only what its group has not: a
quote of the same speaker whose words its group already carries (found in order in the
other, or most of their word pairs shared: an edited copy) is not new. Re-ingested articles
never reach the writer. With no watchlist, the cost per article is one clock comparison: the
watchlists are read at most once a second (at once after a change in this process).
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass, field

from ..store.db import Database, now
from ..store.dedup import normalize
from ..store.query import Ambiguous, NotFound, article_text, resolve_entity
from .webhooks import utc

RELOAD_S = 1.0  # watchlists changed by another process are seen within this
_generation = 0  # bumped by every change in this process: caches reload at once


@dataclass(frozen=True)
class Rule:
    """A watchlist compiled for matching."""

    id: int
    name: str
    quotes: bool
    events: bool
    types: frozenset
    statuses: frozenset
    entity_names: bool  # the watchlist names entities (role entity), resolved or not
    about_names: bool
    entities: frozenset  # resolved registry ids
    about: frozenset
    webhook_url: str | None

    def quote_matches(self, speaker: int | None, about: set[int]) -> bool:
        return self.quotes and (not self.entity_names or speaker in self.entities) and \
            (not self.about_names or bool(about & self.about))

    def event_matches(self, event: dict, actors: set[int]) -> bool:
        if not self.events or (self.types and event["type"] not in self.types) or \
                (self.statuses and event["status"] not in self.statuses):
            return False
        present = actors | ({event["place_id"]} if event["place_id"] is not None else set())
        hit = actors & self.entities
        if self.entity_names and not hit:
            return False
        if self.about_names:
            # another participant or the place: with --entity USA --about Russia, both must be there
            others = present - hit if len(hit) == 1 and not hit & self.about else present
            return bool(others & self.about)
        return True


@dataclass
class Active:
    rules: list[Rule]
    watched: frozenset  # every resolved id of every watchlist
    pending: list[dict] = field(default_factory=list)  # names not in the store yet
    followed: set = field(default_factory=set)  # clusters some watchlist was told of (a superset is harmless)

    @property
    def events(self) -> bool:
        return any(rule.events for rule in self.rules)


def forget(db: Database | None = None) -> None:
    """Drop the cached watchlists (after a change), here and in every connection of
    this process."""
    global _generation
    _generation += 1
    if db is not None and hasattr(db, "_watch_cache"):
        del db._watch_cache


STALE = object()  # no cached watchlists (or too old): read them again


def cached(db: Database):
    """The watchlists cached on this connection (None: there are none), or STALE when
    they must be read again: never older than RELOAD_S, nor than a change made in
    this process. No SQL."""
    found = getattr(db, "_watch_cache", None)
    if found and found[0] == _generation and time.monotonic() - found[1] < RELOAD_S:
        return found[2]
    return STALE


def active(db: Database) -> Active | None:
    """The watchlists as matching rules (None when there are none), read again when
    the cache is stale."""
    watch = cached(db)
    if watch is STALE:
        clock = time.monotonic()
        watch = load(db)
        db._watch_cache = (_generation, clock, watch)
    return watch


def watching(db: Database) -> bool:
    """Whether watchlists may match what is stored now (the writer then sends each
    article's rows at its end, for matching to read). Watchlists that cannot be read
    count as present: ``match_article`` meets the failure again and records it."""
    watch = cached(db)
    if watch is not STALE:
        return watch is not None
    try:
        return active(db) is not None
    except Exception:
        return True


def load(db: Database) -> Active | None:
    rows = db.rows("SELECT id, name, quotes, events, event_types, statuses, webhook_url FROM watchlists ORDER BY id")
    if not rows:
        return None
    follow_merges(db)
    names: dict[int, list[dict]] = {row["id"]: [] for row in rows}
    pending = []
    for item in db.rows("SELECT watchlist_id, role, name, name_norm, entity_id FROM watch_entities"):
        if item["watchlist_id"] in names:
            names[item["watchlist_id"]].append(item)
            if item["entity_id"] is None:
                pending.append(item)
    rules = []
    for row in rows:
        items = names[row["id"]]
        rules.append(Rule(
            id=row["id"], name=row["name"], quotes=bool(row["quotes"]), events=bool(row["events"]),
            types=frozenset(filter(None, (row["event_types"] or "").split(","))),
            statuses=frozenset(filter(None, (row["statuses"] or "").split(","))),
            entity_names=any(item["role"] == "entity" for item in items),
            about_names=any(item["role"] == "about" for item in items),
            entities=resolved_ids(items, "entity"), about=resolved_ids(items, "about"),
            webhook_url=row["webhook_url"]))
    watched = frozenset().union(*(rule.entities | rule.about for rule in rules))
    followed = {row["cluster_id"] for row in db.rows(
        "SELECT DISTINCT cluster_id FROM watch_matches WHERE cluster_id IS NOT NULL")}
    return Active(rules, watched, pending, followed)


def resolved_ids(items: list[dict], role: str) -> frozenset:
    return frozenset(item["entity_id"] for item in items if item["role"] == role and item["entity_id"] is not None)


def follow_merges(db: Database) -> None:
    """A watched entity merged into another (``letopis entities merge``) is looked up
    again by the name typed; one typed as #ID becomes pending."""
    gone = db.rows("SELECT watchlist_id, role, name_norm, name FROM watch_entities w WHERE entity_id IS NOT NULL "
                   "AND NOT EXISTS (SELECT 1 FROM entities e WHERE e.id = w.entity_id)")
    for item in gone:
        entity_id = try_resolve(db, item["name"])
        db.execute("UPDATE watch_entities SET entity_id = ? WHERE watchlist_id = ? AND role = ? AND name_norm = ?",
                   (entity_id, item["watchlist_id"], item["role"], item["name_norm"]))


def try_resolve(db: Database, name: str) -> int | None:
    if name.startswith("#"):
        return None
    try:
        return resolve_entity(db, name)["id"]
    except (NotFound, Ambiguous):
        return None


def resolve_pending(db: Database, watch: Active, names: set[str]) -> bool:
    """Names not in the store yet, tried when the article has an entity whose name
    shares a word stem with one (NAMES: the article's entity names); True when one
    resolved (the rules are then reloaded). A name no article brings costs nothing."""
    resolved = False
    stems = {stem(word) for name in names for word in words(name)}
    for item in watch.pending:
        if not any(stem(word) in stems for word in words(item["name"])):
            continue
        entity_id = try_resolve(db, item["name"])
        if entity_id is not None:
            db.execute("UPDATE watch_entities SET entity_id = ? WHERE watchlist_id = ? AND role = ? AND name_norm = ?",
                       (entity_id, item["watchlist_id"], item["role"], item["name_norm"]))
            resolved = True
    if resolved:
        forget(db)
    return resolved


def words(name: str) -> list[str]:
    return normalize(name).split()


def stem(word: str) -> str:
    """The first letters of a word, enough to tell names apart and to meet their case
    forms (Лавров, Лаврова, Лаврову)."""
    return word[:max(3, min(5, len(word) - 2))]


# -- matching one article ---------------------------------------------------------------------

def match_article(db: Database, article, stored) -> list[dict]:
    """Record the notifications the quotes and events of ARTICLE (a record just
    stored: ``STORED`` says how) give; called by the writer right after the article is
    stored, in its transaction. Returns them.

    A failure of matching itself (not of the store's surroundings) never costs the
    article: its matches are rolled back alone and an error record (stage ``watch``)
    says which article and why."""
    watch = cached(db)
    if watch is None:
        return []  # no watchlist: the common case, no SQL at all
    db.execute("SAVEPOINT watch")
    try:
        watch = active(db)
        group = getattr(stored, "duplicate_of", None)
        found = match_stored(db, article.id, watch, group, article.text) if watch is not None else []
    except Exception as error:
        from ..store.writer import environmental

        if environmental(error):
            raise
        db.execute("ROLLBACK TO SAVEPOINT watch")
        forget(db)
        db.execute("INSERT INTO ingest_errors (run_at, input, line, stage, reason, detail) VALUES (?, ?, ?, ?, ?, ?)",
                   (now(), article.meta.input or article.id, article.meta.input_line, "watch", "match_failed",
                    f"article {article.id}: {type(error).__name__}: {error}"[:2000]))
        found = []
    db.execute("RELEASE SAVEPOINT watch")
    return found


def match_stored(db: Database, article_id: str, watch: Active, group: str | None = None,
                 text: str | None = None) -> list[dict]:
    rows = db.rows("SELECT entity_id, name FROM article_entities WHERE article_id = ?", (article_id,))
    if watch.pending and resolve_pending(db, watch, {row["name"] for row in rows}):
        watch = load(db)  # not cached: were the article rolled back, the name would be pending again
    present = {row["entity_id"] for row in rows}
    hits = present & watch.watched
    found: list[tuple[Rule, str, dict]] = []  # (rule, kind, fact)
    if hits and any(rule.quotes for rule in watch.rules):
        found += quote_matches(db, article_id, watch.rules, group)
    if watch.events:
        found += event_matches(db, article_id, watch.rules, bool(hits), watch.followed)
    if not found:
        return []
    return record(db, article_id, found, text)


def quote_matches(db: Database, article_id: str, rules: list[Rule], group: str | None = None) -> list[tuple]:
    about: dict[str, set[int]] = {}
    for row in db.rows("SELECT quote_id, entity_id FROM quote_about WHERE article_id = ?", (article_id,)):
        about.setdefault(row["quote_id"], set()).add(row["entity_id"])
    found, known = [], None
    for quote in db.rows("SELECT local_id, kind, start, \"end\", text, speaker_id, speaker_text, cue, time_value, day "
                         "FROM quotes WHERE article_id = ? ORDER BY start", (article_id,)):
        quote["about"] = sorted(about.get(quote["local_id"], ()))
        matched = [rule for rule in rules if rule.quote_matches(quote["speaker_id"], set(quote["about"]))]
        if not matched:
            continue
        if group:  # a copy: is it a statement its group carries already?
            known = group_statements(db, group, article_id) if known is None else known
            if known.said(quote):
                continue
        found += [(rule, "quote", quote) for rule in matched]
    return found


def speaker_key(quote: dict):
    return quote["speaker_id"] if quote["speaker_id"] is not None else (quote["speaker_text"] or "").lower()


class Statements:
    """What each speaker says in the other articles of a near-duplicate group; texts
    are normalized only for the speakers asked about."""

    def __init__(self, rows: list[dict]):
        self.texts: dict = {}
        for row in rows:
            self.texts.setdefault(speaker_key(row), set()).add(row["text"])
        self.words: dict = {}

    def said(self, quote: dict) -> bool:
        speaker = speaker_key(quote)
        texts = self.texts.get(speaker, ())
        if quote["text"] in texts:
            return True
        if speaker not in self.words:
            self.words[speaker] = [normalize(text).split() for text in texts]
        mine = normalize(quote["text"]).split()
        return any(same_words(mine, other) for other in self.words[speaker])


def group_statements(db: Database, group: str, article_id: str) -> Statements:
    """The quotes of the other articles of a near-duplicate group: one query, from the
    group's articles (an index range) to their quotes (their primary key)."""
    return Statements(db.rows("SELECT DISTINCT q.text, q.speaker_id, q.speaker_text FROM articles a "
                              "JOIN quotes q ON q.article_id = a.id WHERE a.dup_group = ? AND a.id <> ?",
                              (group, article_id)))


def same_statement(quote: dict, other: dict) -> bool:
    """The same speaker, and the same words (:func:`same_words`)."""
    if speaker_key(quote) != speaker_key(other):
        return False
    return same_words(normalize(quote["text"]).split(), normalize(other["text"]).split())


def same_words(mine: list[str], theirs: list[str]) -> bool:
    """The same statement: the words of one found in order in the other (a copy that
    cut words or added some), or at least 60% of their word pairs shared (a copy that
    changed a word or two of a long quote; a short one with another number or name is
    another statement)."""
    if not mine or not theirs:
        return mine == theirs
    shorter, longer = sorted((mine, theirs), key=len)
    remaining = iter(longer)
    if all(word in remaining for word in shorter):  # in order, gaps allowed
        return True
    pairs = [set(zip(words, words[1:])) for words in (mine, theirs)]
    return bool(pairs[0] and pairs[1]) and len(pairs[0] & pairs[1]) / len(pairs[0] | pairs[1]) >= 0.6


def event_matches(db: Database, article_id: str, rules: list[Rule], any_hits: bool, followed: set) -> list[tuple]:
    reports = db.rows("SELECT e.local_id, e.type, e.subtype, e.status, e.trigger, e.trigger_start, e.trigger_end, "
                      "e.time_value, e.place_id, e.day, e.cluster_id, c.status AS cluster_status FROM events e "
                      "LEFT JOIN event_clusters c ON c.id = e.cluster_id WHERE e.article_id = ? ORDER BY e.trigger_start",
                      (article_id,))
    clusters = sorted({report["cluster_id"] for report in reports if report["cluster_id"] is not None})
    if not clusters or not (any_hits or followed.intersection(clusters)):
        return []
    # the clusters some watchlist follows, with the status it was last told of
    last: dict[tuple[int, int], str | None] = {}
    if followed.intersection(clusters):
        marks = ",".join("?" * len(clusters))
        for row in db.rows(f"SELECT watchlist_id, cluster_id, status FROM watch_matches WHERE cluster_id IN ({marks}) "
                           f"ORDER BY id", clusters):
            last[(row["watchlist_id"], row["cluster_id"])] = row["status"]
    actors: dict[str, set[int]] = {}
    if any_hits or last:
        for row in db.rows("SELECT event_id, entity_id FROM event_actors WHERE article_id = ?", (article_id,)):
            actors.setdefault(row["event_id"], set()).add(row["entity_id"])
    found = []
    for report in reports:
        cluster_id = report["cluster_id"]
        if cluster_id is None:
            continue
        report["actors"] = sorted(actors.get(report["local_id"], ()))
        for rule in rules:
            if (rule.id, cluster_id) in last:
                before = last[(rule.id, cluster_id)]
                if report["cluster_status"] and report["cluster_status"] != before:
                    found.append((rule, "status", dict(report, previous_status=before)))
                    last[(rule.id, cluster_id)] = report["cluster_status"]
            elif any_hits and rule.event_matches(report, set(report["actors"])):
                found.append((rule, "event", report))
                last[(rule.id, cluster_id)] = report["cluster_status"]
                followed.add(cluster_id)
    return found


# -- recording ---------------------------------------------------------------------------------

def match_key(kind: str, fact: dict) -> str:
    if kind == "quote":
        who = f"#{fact['speaker_id']}" if fact["speaker_id"] is not None else (fact["speaker_text"] or "?").lower()
        said = normalize(fact["text"])
        return "quote:" + hashlib.sha1(f"{who}|{said}".encode("utf-8")).hexdigest()
    if kind == "event":
        return f"event:{fact['cluster_id']}"
    return f"status:{fact['cluster_id']}:{fact['previous_status'] or ''}>{fact['cluster_status']}"


def sentence(text: str, start: int, end: int, width: int = 160) -> str:
    """The sentence around [start, end) (as ``query.sentence_around`` cuts it)."""
    left = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start) + 1, start - width, 0)
    ends = [at for at in (text.find("\n", end), text.find(". ", end)) if at != -1]
    right = min(ends + [end + width, len(text)])
    return " ".join(text[left:right].split()).lstrip(". ")


def record(db: Database, article_id: str, found: list[tuple], text: str | None = None) -> list[dict]:
    article = db.row("SELECT id, title, outlet, url, published, day FROM articles WHERE id = ?", (article_id,))
    if any(kind != "quote" for _, kind, _ in found):
        text = article_text(db, article_id) if text is None else text
        for _, kind, fact in found:
            if kind != "quote":
                fact["sentence"] = sentence(text, fact["trigger_start"], fact["trigger_end"])
    ids = set()
    for _, kind, fact in found:
        ids.update([fact.get("speaker_id"), fact.get("place_id"), *fact.get("about", ()), *fact.get("actors", ())])
    ids.discard(None)
    entities = {}
    if ids:
        entities = {row["id"]: row for row in db.rows(
            f"SELECT id, name, type, country FROM entities WHERE id IN ({','.join('?' * len(ids))})", sorted(ids))}
    stamp = utc()
    recorded = []
    built: dict[tuple[str, int], tuple[dict, str]] = {}  # a fact matched by several watchlists is built once
    for rule, kind, fact in found:
        if (kind, id(fact)) not in built:
            base = build_payload(kind, fact, article, entities, stamp)
            built[(kind, id(fact))] = (base, json.dumps(base, ensure_ascii=False, separators=(",", ":")))
        base, text = built[(kind, id(fact))]
        watchlist = {"id": rule.id, "name": rule.name}
        payload = {"watchlist": watchlist, **base}
        text = '{"watchlist":' + json.dumps(watchlist, ensure_ascii=False, separators=(",", ":")) + "," + text[1:]
        status = fact.get("cluster_status") if kind != "quote" else None
        match_id = db.value(
            "INSERT INTO watch_matches (watchlist_id, key, kind, article_id, local_id, cluster_id, status, "
            "previous_status, day, matched_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (watchlist_id, key) DO NOTHING RETURNING id",
            (rule.id, base["key"], kind, article_id, fact["local_id"], fact.get("cluster_id"), status,
             fact.get("previous_status"), article["day"], stamp, text))
        if match_id is None:
            continue  # told before: the same statement or event from another article
        payload["id"] = int(match_id)
        if rule.webhook_url:
            db.execute("INSERT INTO watch_deliveries (match_id, watchlist_id, url, state, attempts, next_at, created_at) "
                       "VALUES (?, ?, ?, 'pending', 0, ?, ?)", (match_id, rule.id, rule.webhook_url, stamp, stamp))
        recorded.append(payload)
    return recorded


def brief(entities: dict, entity_id: int | None) -> dict | None:
    row = entities.get(entity_id)
    return {"id": row["id"], "name": row["name"], "type": row["type"], "country": row["country"]} if row else None


def build_payload(kind: str, fact: dict, article: dict, entities: dict, stamp: str) -> dict:
    """The notification as feeds, digests and webhooks show it (docs/watch.md), but
    for its ``watchlist``."""
    payload = {"kind": kind, "key": match_key(kind, fact),
               "matched_at": stamp,
               "article": {"id": article["id"], "title": article["title"], "outlet": article["outlet"],
                           "url": article["url"], "published": article["published"], "day": article["day"]}}
    if kind == "quote":
        payload["quote"] = {"id": fact["local_id"], "kind": fact["kind"], "text": fact["text"], "cue": fact["cue"],
                            "speaker": brief(entities, fact["speaker_id"]), "speaker_text": fact["speaker_text"],
                            "about": [brief(entities, entity_id) for entity_id in fact["about"] if entity_id in entities],
                            "time": fact["time_value"], "start": fact["start"], "end": fact["end"]}
        payload["path"] = f"/articles/{article['id']}#q-{fact['local_id']}"
    else:
        payload["event"] = {"id": fact["local_id"], "cluster_id": fact["cluster_id"], "type": fact["type"],
                            "subtype": fact["subtype"], "status": fact["cluster_status"],
                            "report_status": fact["status"], "previous_status": fact.get("previous_status"),
                            "trigger": fact["trigger"], "sentence": fact.get("sentence"),
                            "start": fact["trigger_start"], "end": fact["trigger_end"],
                            "time": fact["time_value"], "place": brief(entities, fact["place_id"]),
                            "actors": [brief(entities, entity_id) for entity_id in fact.get("actors", ())
                                       if entity_id in entities],
                            "path": f"/events/{fact['cluster_id']}"}
        payload["path"] = f"/articles/{article['id']}#ev-{fact['local_id']}"
    return payload
