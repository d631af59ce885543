"""What users ask the chronicle: the one query layer under the CLI, the HTTP API and
the web page. Every function takes a store and returns plain JSON-able dicts.

By default only the current version of each article and the first report of each
near-duplicate group count ("all_copies" shows every copy), so one wire story copied
twenty times is one quote, not twenty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .db import Database
from .registry import find_entities
from .search import parse_query, snippet

MAX_LIMIT = 1000


class NotFound(LookupError):
    """Nothing matches; the message says what was looked for."""


class Ambiguous(LookupError):
    """A name matches several entities; ``candidates`` lists them."""

    def __init__(self, name: str, candidates: list[dict]):
        self.name = name
        self.candidates = candidates
        listed = "; ".join(f"#{c['id']} {c['name']} ({c['type']}, {c['articles']} articles)" for c in candidates[:8])
        super().__init__(f"{name!r} matches {len(candidates)} entities: {listed}. Give the full name or the id (#N).")


@dataclass
class Page:
    limit: int = 50
    offset: int = 0

    def sql(self) -> tuple[str, list]:
        limit = max(1, min(int(self.limit), MAX_LIMIT))
        return " LIMIT ? OFFSET ?", [limit, max(0, int(self.offset))]


def resolve_entity(db: Database, name: str) -> dict:
    """The one registry entity NAME means. A clear best (an exact name, or a match
    with far more articles than the next) wins; otherwise Ambiguous."""
    from .search import fold

    folded = fold((name or "").strip())
    if folded and not folded.startswith("#"):
        # the common case first, from indexes: a full name, or a name only one entity goes by
        exact = db.rows("SELECT * FROM entities WHERE name_norm = ? LIMIT 2", (folded,))
        if len(exact) == 1:
            return exact[0]
        if not exact:
            known_as = db.rows("SELECT DISTINCT e.* FROM entity_aliases a JOIN entities e ON e.id = a.entity_id "
                               "WHERE a.alias_norm = ? LIMIT 2", (folded,))
            if len(known_as) == 1:
                return known_as[0]
    found = find_entities(db, name)
    if not found:
        raise NotFound(f"no entity called {name!r} in the store; try `letopis search {name}`")
    if len(found) == 1:
        return found[0]
    exact = [row for row in found if row["name_norm"] == fold(name)]
    if len(exact) == 1:
        return exact[0]
    first, second = found[0], found[1]
    if first["articles"] >= 3 * max(1, second["articles"]) and first["type"] == "PER" or \
            first["articles"] >= 5 * max(1, second["articles"]):
        return first
    raise Ambiguous(name, found)


def entity_brief(db: Database, entity_id: int | None) -> dict | None:
    if entity_id is None:
        return None
    row = db.row("SELECT id, name, type, kb_id, country FROM entities WHERE id = ?", (entity_id,))
    return row


def copies_filter(all_copies: bool, alias: str) -> str:
    return f" AND {alias}.current = 1" + ("" if all_copies else f" AND {alias}.first_report = 1")


def day_filters(alias: str, since: str | None, until: str | None) -> tuple[str, list]:
    sql, params = "", []
    if since:
        sql += f" AND {alias}.day >= ?"
        params.append(since[:10])
    if until:
        sql += f" AND {alias}.day <= ?"
        params.append(until[:10])
    return sql, params


# -- quotes -----------------------------------------------------------------------------

def quotes(db: Database, speaker: str | None = None, about: str | None = None, since: str | None = None,
           until: str | None = None, text: str | None = None, kind: str | None = None,
           all_copies: bool = False, page: Page = Page()) -> dict:
    where, params = "WHERE 1 = 1" + copies_filter(all_copies, "q"), []
    filters: dict = {}
    if speaker:
        entity = resolve_entity(db, speaker)
        filters["speaker"] = entity_brief(db, entity["id"])
        where += " AND q.speaker_id = ?"
        params.append(entity["id"])
    if about:
        entity = resolve_entity(db, about)
        filters["about"] = entity_brief(db, entity["id"])
        where += " AND EXISTS (SELECT 1 FROM quote_about qa WHERE qa.article_id = q.article_id " \
                 "AND qa.quote_id = q.local_id AND qa.entity_id = ?)"
        params.append(entity["id"])
    if kind:
        where += " AND q.kind = ?"
        params.append(kind)
    sql, extra = day_filters("q", since, until)
    where += sql
    params += extra
    query = parse_query(text) if text else None
    if query and not query.empty:
        if db.dialect == "postgres":
            where += " AND EXISTS (SELECT 1 FROM quote_search s WHERE s.article_id = q.article_id AND " \
                     "s.quote_id = q.local_id AND s.tsv @@ to_tsquery('simple', ?))"
            params.append(query.tsquery())
        else:
            where += " AND (q.article_id, q.local_id) IN (SELECT article_id, quote_id FROM quote_search " \
                     "WHERE quote_search MATCH ?)"
            params.append(query.fts5())
    limit_sql, limit_params = page.sql()
    rows = db.rows(
        "SELECT q.*, a.outlet, a.title, a.url, a.published, a.dup_group, e.name AS speaker_name, e.type AS speaker_type "
        f"FROM quotes q JOIN articles a ON a.id = q.article_id LEFT JOIN entities e ON e.id = q.speaker_id {where} "
        f"ORDER BY q.day DESC, q.article_id, q.start{limit_sql}", params + limit_params)
    items = []
    for row in rows:
        item = {
            "article_id": row["article_id"], "id": row["local_id"], "kind": row["kind"], "text": row["text"],
            "start": row["start"], "end": row["end"], "cue": row["cue"], "day": row["day"],
            "published": row["published"], "time": row["time_value"], "outlet": row["outlet"],
            "title": row["title"], "url": row["url"],
            "speaker": {"id": row["speaker_id"], "name": row["speaker_name"], "type": row["speaker_type"]}
            if row["speaker_id"] else None,
            "speaker_text": row["speaker_text"],
        }
        if query and not query.empty:
            item["snippet"] = snippet(row["text"], query, width=300)
        items.append(item)
    return {"filters": filters, "items": items, "limit": page.limit, "offset": page.offset}


# -- events -----------------------------------------------------------------------------

def events(db: Database, type: str | None = None, actor: str | None = None, between: tuple[str, str] | None = None,
           status: str | None = None, since: str | None = None, until: str | None = None,
           page: Page = Page()) -> dict:
    """Real-world events (clusters of reports), newest first."""
    where, params, filters = "WHERE 1 = 1", [], {}
    if type:
        types = [value.strip().upper() for value in type.split(",") if value.strip()]
        where += f" AND c.type IN ({','.join('?' * len(types))})"
        params += types
        filters["type"] = types
    if status:
        statuses = [value.strip() for value in status.split(",") if value.strip()]
        where += f" AND c.status IN ({','.join('?' * len(statuses))})"
        params += statuses
        filters["status"] = statuses
    actors = []
    if actor:
        actors.append(resolve_entity(db, actor))
    if between:
        actors += [resolve_entity(db, name) for name in between]
    ids = sorted({entity["id"] for entity in actors})
    if len(ids) >= 2:
        # two of them from the pair's clusters: the USA's and Russia's own run to tens of
        # thousands each on a large store, the clusters of both to a few thousand
        where += " AND c.id IN (SELECT cp.cluster_id FROM cluster_pairs cp WHERE cp.low_id = ? AND cp.high_id = ?)"
        params += ids[:2]
        ids = ids[2:]
    for entity_id in ids:
        # from the actor's clusters (its index), not every cluster newest first: a rare
        # pair would have walked the whole table
        where += " AND c.id IN (SELECT ca.cluster_id FROM cluster_actors ca WHERE ca.entity_id = ?)"
        params.append(entity_id)
    if actors:
        filters["actors"] = [entity_brief(db, entity["id"]) for entity in actors]
    sql, extra = day_filters("c", since, until)
    where += sql
    params += extra
    limit_sql, limit_params = page.sql()
    rows = db.rows(f"SELECT c.* FROM event_clusters c {where} ORDER BY c.day DESC, c.id DESC{limit_sql}",
                   params + limit_params)
    return {"filters": filters, "items": cluster_summaries(db, rows),
            "limit": page.limit, "offset": page.offset}


def cluster_summary(db: Database, row: dict) -> dict:
    return cluster_summaries(db, [row])[0]


def cluster_summaries(db: Database, rows: list[dict]) -> list[dict]:
    """Each cluster with its actors, first report and trigger: three queries for the
    whole page (one per cluster and kind cost 150 round trips on PostgreSQL)."""
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    marks = ",".join("?" * len(ids))
    actors: dict[int, list[dict]] = {cluster_id: [] for cluster_id in ids}
    for actor in db.rows(f"SELECT ca.cluster_id, e.id, e.name, e.type, e.country FROM cluster_actors ca JOIN entities e "
                         f"ON e.id = ca.entity_id WHERE ca.cluster_id IN ({marks}) ORDER BY e.articles DESC, e.id",
                         ids):
        actors[actor.pop("cluster_id")].append(actor)
    firsts = sorted({row["first_article"] for row in rows if row["first_article"]})
    articles, triggers = {}, {}
    if firsts:
        article_marks = ",".join("?" * len(firsts))
        articles = {article["id"]: article for article in db.rows(
            f"SELECT id, outlet, title, url, published, day FROM articles WHERE id IN ({article_marks})", firsts)}
        for event in db.rows(f"SELECT cluster_id, article_id, trigger FROM events WHERE cluster_id IN ({marks}) "
                             f"AND article_id IN ({article_marks}) ORDER BY trigger_start", [*ids, *firsts]):
            triggers.setdefault((event["cluster_id"], event["article_id"]), event["trigger"])
    place_ids = sorted({row["place_id"] for row in rows if row["place_id"] is not None})
    places = {place["id"]: place for place in db.rows(
        f"SELECT id, name, type, kb_id, country FROM entities WHERE id IN ({','.join('?' * len(place_ids))})",
        place_ids)} if place_ids else {}
    return [{
        "id": row["id"], "type": row["type"], "subtype": row["subtype"], "status": row["status"],
        "day": row["day"], "time": row["time_value"], "place": places.get(row["place_id"]),
        "actors": actors[row["id"]], "countries": sorted({actor["country"] for actor in actors[row["id"]]
                                                          if actor["country"]}),
        "reports": row["reports"], "first_report": articles.get(row["first_article"]),
        "trigger": triggers.get((row["id"], row["first_article"])),
    } for row in rows]


def event_cluster(db: Database, cluster_id: int) -> dict:
    row = db.row("SELECT * FROM event_clusters WHERE id = ?", (cluster_id,))
    if not row:
        raise NotFound(f"no event #{cluster_id}")
    summary = cluster_summary(db, row)
    reports = db.rows(
        "SELECT e.*, a.outlet, a.title, a.url, a.published, a.first_report AS article_first, a.dup_group "
        "FROM events e JOIN articles a ON a.id = e.article_id WHERE e.cluster_id = ? "
        "ORDER BY e.day, a.published, e.article_id", (cluster_id,))
    summary["reports_list"] = [{
        "article_id": report["article_id"], "event_id": report["local_id"], "status": report["status"],
        "subtype": report["subtype"], "trigger": report["trigger"], "trigger_start": report["trigger_start"],
        "trigger_end": report["trigger_end"], "time": report["time_value"], "time_text": report["time_text"],
        "day": report["day"], "published": report["published"], "outlet": report["outlet"], "title": report["title"],
        "url": report["url"], "copy": not report["article_first"],
        "sentence": sentence_around(db, report["article_id"], report["trigger_start"], report["trigger_end"]),
    } for report in reports]
    history = []
    for report in summary["reports_list"]:
        if report["status"] and (not history or history[-1]["status"] != report["status"]):
            history.append({"status": report["status"], "day": report["day"], "article_id": report["article_id"]})
    summary["status_history"] = history
    return summary


def sentence_around(db: Database, article_id: str, start: int, end: int, width: int = 160) -> dict:
    text = article_text(db, article_id)
    left = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start) + 1, start - width)
    right_candidates = [i for i in (text.find("\n", end), text.find(". ", end)) if i != -1]
    right = min(right_candidates + [end + width, len(text)])
    left = max(0, left)
    return {"start": left, "end": right, "text": text[left:right].strip()}


def article_texts(db: Database, ids: list[str]) -> dict[str, str]:
    """The texts of several articles in one query, taken out of the stored records by
    the database's own JSON functions (parsing each record in Python cost more than
    the search itself)."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    extract = "(record::json)->>'text'" if db.dialect == "postgres" else "json_extract(record, '$.text')"
    return {row["id"]: row["text"] or "" for row in db.rows(
        f"SELECT id, {extract} AS text FROM articles WHERE id IN ({marks})", ids)}


def article_text(db: Database, article_id: str) -> str:
    return article_texts(db, [article_id]).get(article_id, "")


# -- entities ---------------------------------------------------------------------------

COOCCURRENCE_ARTICLES = 500  # co-occurring entities are counted over this many latest articles


def entity_profile(db: Database, name: str, top: int = 10) -> dict:
    entity = resolve_entity(db, name)
    entity_id = entity["id"]
    aliases = db.rows("SELECT alias, count FROM entity_aliases WHERE entity_id = ? ORDER BY count DESC, alias LIMIT 30",
                      (entity_id,))
    roles = merged_roles(db.rows("SELECT role, count(*) AS count, min(day) AS first_day, max(day) AS last_day "
                                 "FROM entity_roles WHERE entity_id = ? GROUP BY role", (entity_id,)))
    counts = db.row("SELECT count(*) AS articles, COALESCE(sum(mentions), 0) AS mentions, min(day) AS first_day, "
                    "max(day) AS last_day FROM article_entities WHERE entity_id = ? AND current = 1 AND first_report = 1",
                    (entity_id,))
    counts["quotes"] = db.value("SELECT count(*) FROM quotes WHERE speaker_id = ? AND current = 1 AND first_report = 1",
                                (entity_id,))
    # the real-world events it took part in: its clusters
    counts["events"] = db.value("SELECT count(*) FROM cluster_actors WHERE entity_id = ?", (entity_id,))
    first = db.row("SELECT a.id, a.outlet, a.title, a.day FROM article_entities x JOIN articles a ON a.id = x.article_id "
                   "WHERE x.entity_id = ? AND x.current = 1 AND x.first_report = 1 ORDER BY x.day LIMIT 1", (entity_id,))
    last = db.row("SELECT a.id, a.outlet, a.title, a.day FROM article_entities x JOIN articles a ON a.id = x.article_id "
                  "WHERE x.entity_id = ? AND x.current = 1 AND x.first_report = 1 ORDER BY x.day DESC LIMIT 1",
                  (entity_id,))
    # co-occurrence over its latest COOCCURRENCE_ARTICLES articles: who it is in the
    # news with now, at a cost that does not grow with its whole history
    cooccurring = db.rows(
        "SELECT e.id, e.name, e.type, count(*) AS articles FROM "
        "(SELECT article_id FROM article_entities WHERE entity_id = ? AND current = 1 AND first_report = 1 "
        " ORDER BY day DESC LIMIT ?) x "
        "JOIN article_entities y ON y.article_id = x.article_id AND y.entity_id <> ? "
        "JOIN entities e ON e.id = y.entity_id "
        "GROUP BY e.id, e.name, e.type ORDER BY articles DESC, e.name LIMIT ?",
        (entity_id, COOCCURRENCE_ARTICLES, entity_id, top))
    keys = db.rows("SELECT key, rule, manual FROM entity_keys WHERE entity_id = ? ORDER BY key", (entity_id,))
    return {"entity": {key: entity[key] for key in ("id", "type", "name", "kb_id", "country", "sector")},
            "aliases": aliases, "roles": roles, "counts": counts, "first_mention": first, "last_mention": last,
            "cooccurring": cooccurring, "cooccurring_window": COOCCURRENCE_ARTICLES, "keys": keys}


def merged_roles(rows: list[dict], top: int = 20) -> list[dict]:
    """Roles that differ only in case ("Госсекретарь США", "госсекретарь США") as one,
    written as most often. (SQLite's lower() folds ASCII only, so this is done here.)"""
    from .search import fold

    merged: dict[str, dict] = {}
    for row in sorted(rows, key=lambda row: -row["count"]):
        key = fold(row["role"])
        if key not in merged:
            merged[key] = dict(row)
            continue
        into = merged[key]
        into["count"] += row["count"]
        days = [day for day in (into["first_day"], row["first_day"]) if day]
        into["first_day"] = min(days) if days else None
        days = [day for day in (into["last_day"], row["last_day"]) if day]
        into["last_day"] = max(days) if days else None
    return sorted(merged.values(), key=lambda row: (-row["count"], row["role"]))[:top]


PERIODS = {"day": 10, "month": 7, "year": 4}


def latest_event_reports(db: Database, entity_id: int, since: str | None, until: str | None,
                         limit: int) -> list[dict]:
    """The entity's latest ``limit`` event reports (first reports of current articles).
    Its newest event_actors rows come from the (entity, day) index; only when copies and
    old versions crowd them out is the whole range read."""
    sql_x, params_x = day_filters("x", since, until)
    columns = ("SELECT DISTINCT e.day IS NULL AS undated, e.cluster_id, e.article_id, e.local_id, e.type, e.subtype, "
               "e.status, e.trigger, e.day, e.time_value, a.outlet, a.title FROM ")
    tail = (" JOIN events e ON e.article_id = ea.article_id AND e.local_id = ea.event_id "
            "JOIN articles a ON a.id = e.article_id WHERE e.current = 1 AND e.first_report = 1 "
            "ORDER BY undated, e.day DESC, e.article_id DESC LIMIT ?")
    latest = (f"(SELECT x.article_id, x.event_id FROM event_actors x WHERE x.entity_id = ?{sql_x} "
              f"ORDER BY x.day DESC NULLS LAST LIMIT ?) ea")
    for window in (2 * limit, 10 * limit, 50 * limit):  # copies of syndicated stories take their share
        rows = db.rows(columns + latest + tail, [entity_id, *params_x, window, limit])
        if len(rows) >= limit:
            return rows
        more = db.value(f"SELECT count(*) FROM (SELECT 1 FROM event_actors x WHERE x.entity_id = ?{sql_x} LIMIT ?) n",
                        [entity_id, *params_x, window + 1])
        if more <= window:
            return rows  # that was all of them
    everything = f"(SELECT x.article_id, x.event_id FROM event_actors x WHERE x.entity_id = ?{sql_x}) ea"
    return db.rows(columns + everything + tail, [entity_id, *params_x, limit])


def timeline(db: Database, name: str, by: str = "day", since: str | None = None, until: str | None = None,
             limit: int = 200) -> dict:
    """An entity's chronicle: its latest ``limit`` quotes and event reports, in time
    order (``truncated`` when there are more: narrow with since/until), and counts per
    period (day, week, month, year) of its articles, quotes and events (by the day of
    their latest report) over the whole range."""
    entity = resolve_entity(db, name)
    entity_id = entity["id"]
    sql_q, params_q = day_filters("q", since, until)
    sql_x, params_x = day_filters("x", since, until)
    quote_rows = db.rows(
        "SELECT q.article_id, q.local_id, q.kind, q.text, q.cue, q.day, q.start, q.\"end\", a.outlet, a.title "
        f"FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.speaker_id = ? AND q.current = 1 "
        f"AND q.first_report = 1{sql_q} ORDER BY q.day DESC NULLS LAST, q.article_id DESC, q.start DESC LIMIT ?",
        [entity_id, *params_q, limit])
    event_rows = latest_event_reports(db, entity_id, since, until, limit)
    items = [{"kind": "quote", "day": row["day"], "article_id": row["article_id"], "id": row["local_id"],
              "text": row["text"], "quote_kind": row["kind"], "cue": row["cue"], "outlet": row["outlet"],
              "title": row["title"], "start": row["start"], "end": row["end"]} for row in quote_rows]
    items += [{"kind": "event", "day": row["day"], "article_id": row["article_id"], "id": row["local_id"],
               "cluster_id": row["cluster_id"], "type": row["type"], "subtype": row["subtype"],
               "status": row["status"], "trigger": row["trigger"], "time": row["time_value"],
               "outlet": row["outlet"], "title": row["title"]} for row in event_rows]
    items.sort(key=lambda item: (item["day"] is None, item["day"] or "", item["article_id"]))  # undated last
    mention_rows = db.rows(f"SELECT x.day, count(*) AS n FROM article_entities x WHERE x.entity_id = ? AND "
                           f"x.current = 1 AND x.first_report = 1{sql_x} GROUP BY x.day", [entity_id, *params_x])
    counts: dict[str, dict] = {}

    def bucket(day: str | None) -> str | None:
        if not day:
            return None
        if by == "week":
            from datetime import date

            year, week, _ = date.fromisoformat(day).isocalendar()
            return f"{year}-W{week:02d}"
        return day[:PERIODS.get(by, 10)]

    # the counts cover the whole history (the items only the latest LIMIT of each kind)
    quote_days = db.rows(f"SELECT q.day, count(*) AS n FROM quotes q WHERE q.speaker_id = ? AND q.current = 1 "
                         f"AND q.first_report = 1{sql_q} GROUP BY q.day", [entity_id, *params_q])
    # events by the day of their latest report, read from the (actor, type, last day)
    # index alone (the event's own day would mean a lookup per event)
    last_filters = "".join((" AND last_day >= ?" if since else "", " AND last_day <= ?" if until else ""))
    event_days = db.rows(f"SELECT last_day AS day, count(*) AS n FROM cluster_actors WHERE entity_id = ?{last_filters} "
                         f"GROUP BY last_day", [entity_id, *[value[:10] for value in (since, until) if value]])
    for series, rows in (("articles", mention_rows), ("quotes", quote_days), ("events", event_days)):
        for row in rows:
            key = bucket(row["day"])
            if key:
                counts.setdefault(key, {"period": key, "articles": 0, "quotes": 0, "events": 0})[series] += row["n"]
    return {"entity": entity_brief(db, entity_id), "by": by, "items": items,
            "truncated": len(quote_rows) >= limit or len(event_rows) >= limit,
            "counts": [counts[key] for key in sorted(counts)]}


# -- search, articles, stats -------------------------------------------------------------

def search(db: Database, words: str, since: str | None = None, until: str | None = None, outlet: str | None = None,
           lang: str | None = None, all_copies: bool = False, page: Page = Page(), snippet_width: int = 240) -> dict:
    query = parse_query(words)
    if query.empty:
        return {"query": words, "items": [], "limit": page.limit, "offset": page.offset}
    where, params = "WHERE 1 = 1" + copies_filter(all_copies, "a"), []
    sql, extra = day_filters("a", since, until)
    where += sql
    params += extra
    if outlet:
        where += " AND a.outlet = ?"
        params.append(outlet)
    if lang:
        where += " AND a.lang = ?"
        params.append(lang)
    limit_sql, limit_params = page.sql()
    window = None
    if not (since or until or outlet or lang) and page.offset + page.limit <= rank_window(db):
        # a common word matches most of the store, and ranking every match costs
        # hundreds of ms: rank among the newest matches (by storage order)
        window = search_window(db, query)
        if window is not None:
            where += " AND s.rowid >= ?"
            params.append(window)
    if db.dialect == "postgres":
        rows = db.rows(
            "SELECT a.id, a.title, a.outlet, a.url, a.published, a.day, a.lang, a.dup_group, "
            "ts_rank(s.tsv, to_tsquery('simple', ?)) AS score "
            f"FROM article_search s JOIN articles a ON a.seq = s.rowid {where} AND "
            f"s.tsv @@ to_tsquery('simple', ?) ORDER BY score DESC, a.day DESC, a.seq{limit_sql}",
            [query.tsquery(), *params, query.tsquery(), *limit_params])
    else:
        rows = db.rows(
            "SELECT a.id, a.title, a.outlet, a.url, a.published, a.day, a.lang, a.dup_group, -s.rank AS score "
            f"FROM article_search s JOIN articles a ON a.seq = s.rowid {where} AND article_search MATCH ? "
            f"ORDER BY s.rank, a.day DESC, a.seq{limit_sql}", [*params, query.fts5(), *limit_params])
    items = []
    texts = article_texts(db, [row["id"] for row in rows])
    for row in rows:
        text = texts.get(row["id"], "")
        item = dict(row)
        item["score"] = round(float(item["score"] or 0), 4)
        item["snippet"] = snippet(text, query, width=snippet_width)
        items.append(item)
    result = {"query": words, "items": items, "limit": page.limit, "offset": page.offset}
    if window is not None:
        result["ranked_among_newest"] = rank_window(db)
    return result


# A query matching more articles than this is ranked among its newest this many. On
# PostgreSQL fewer: its ts_rank reads each match's whole tsvector, and at 100,000 articles
# ranking 5,000 took 71 ms at the median (p95 88), 1,000 took 16 (p95 20). The whole search
# is still over 100 ms at p95 there (bench/store.py: 143 ms, p50 68; 160 and 112 with 5,000):
# finding the 1,000th newest match is most of it.
RANK_WINDOW = 5000
RANK_WINDOW_POSTGRES = 1000


def rank_window(db: Database) -> int:
    """How many of a query's newest matches are ranked when it has more (FTS5's bm25
    reads its index; PostgreSQL's ts_rank the matches' tsvectors)."""
    return RANK_WINDOW_POSTGRES if db.dialect == "postgres" else RANK_WINDOW


def search_window(db: Database, query) -> int | None:
    """The storage number (articles.seq) of the query's ``rank_window``-th newest match, or
    None when it has no more matches than that. Read in storage order, which both the
    FTS5 index and a sort of the matching row ids give cheaply."""
    if db.dialect == "postgres":
        return db.value("SELECT s.rowid FROM article_search s WHERE s.tsv @@ to_tsquery('simple', ?) "
                        "ORDER BY s.rowid DESC LIMIT 1 OFFSET ?", (query.tsquery(), rank_window(db) - 1))
    return db.value("SELECT rowid FROM article_search WHERE article_search MATCH ? ORDER BY rowid DESC "
                    "LIMIT 1 OFFSET ?", (query.fts5(), rank_window(db) - 1))


def article(db: Database, article_id: str) -> dict:
    """One article: its record, and where each fact went in the chronicle (registry
    ids of its entities, clusters of its events, its duplicate group and versions)."""
    row = db.row("SELECT * FROM articles WHERE id = ?", (article_id,))
    if not row:
        raise NotFound(f"no article {article_id!r}")
    record = json.loads(row["record"])
    links = {r["local_id"]: r["entity_id"] for r in db.rows(
        "SELECT local_id, entity_id FROM article_entities WHERE article_id = ?", (article_id,))}
    clusters = {r["local_id"]: r["cluster_id"] for r in db.rows(
        "SELECT local_id, cluster_id FROM events WHERE article_id = ?", (article_id,))}
    copies = db.rows("SELECT id, outlet, title, published, first_report FROM articles WHERE dup_group = ? AND id <> ? "
                     "ORDER BY published, seq", (row["dup_group"], article_id))
    versions = db.rows("SELECT id, version, published, current FROM articles WHERE url = ? ORDER BY version",
                       (row["url"],)) if row["url"] else []
    return {"id": article_id, "record": record, "entity_links": links, "event_clusters": clusters,
            "first_report": bool(row["first_report"]), "current": bool(row["current"]), "dup_group": row["dup_group"],
            "copies": copies, "versions": versions}


def articles(db: Database, since: str | None = None, until: str | None = None, outlet: str | None = None,
             lang: str | None = None, all_copies: bool = False, page: Page = Page()) -> dict:
    where, params = "WHERE 1 = 1" + copies_filter(all_copies, "a"), []
    sql, extra = day_filters("a", since, until)
    where += sql
    params += extra
    if outlet:
        where += " AND a.outlet = ?"
        params.append(outlet)
    if lang:
        where += " AND a.lang = ?"
        params.append(lang)
    limit_sql, limit_params = page.sql()
    rows = db.rows(f"SELECT a.id, a.title, a.outlet, a.url, a.published, a.day, a.lang, a.chars, a.dup_group, "
                   f"a.first_report FROM articles a {where} ORDER BY a.day DESC, a.seq DESC{limit_sql}",
                   params + limit_params)
    return {"items": rows, "limit": page.limit, "offset": page.offset}


def stats(db: Database) -> dict:
    value = db.value
    result = {
        "articles": value("SELECT count(*) FROM articles WHERE current = 1"),
        "stories": value("SELECT count(DISTINCT dup_group) FROM articles WHERE current = 1"),
        "near_duplicates": value("SELECT count(*) FROM articles WHERE current = 1 AND first_report = 0"),
        "old_versions": value("SELECT count(*) FROM articles WHERE current = 0"),
        "entities": value("SELECT count(*) FROM entities"),
        "quotes": value("SELECT count(*) FROM quotes WHERE current = 1 AND first_report = 1"),
        "quotes_with_speaker": value("SELECT count(*) FROM quotes WHERE current = 1 AND first_report = 1 "
                                     "AND speaker_id IS NOT NULL"),
        "events": value("SELECT count(*) FROM event_clusters"),
        "event_reports": value("SELECT count(*) FROM events WHERE current = 1"),
        "errors": value("SELECT count(*) FROM ingest_errors"),
        "first_day": value("SELECT min(day) FROM articles"),
        "last_day": value("SELECT max(day) FROM articles"),
        "schema_version": db.schema_version(),
        "backend": db.dialect,
    }
    result["by_lang"] = db.rows("SELECT lang, count(*) AS articles FROM articles WHERE current = 1 "
                                "GROUP BY lang ORDER BY articles DESC")
    result["by_outlet"] = db.rows("SELECT outlet, count(*) AS articles FROM articles WHERE current = 1 "
                                  "GROUP BY outlet ORDER BY articles DESC LIMIT 20")
    result["events_by_type"] = db.rows("SELECT type, status, count(*) AS events FROM event_clusters "
                                       "GROUP BY type, status ORDER BY events DESC")
    result["most_quoted"] = db.rows(
        "SELECT e.id, e.name, count(*) AS quotes FROM quotes q JOIN entities e ON e.id = q.speaker_id "
        "WHERE q.current = 1 AND q.first_report = 1 GROUP BY e.id, e.name ORDER BY quotes DESC, e.name LIMIT 10")
    return result
