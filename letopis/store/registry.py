"""The cross-article entity registry: each article's entity clusters attach to one
registry entity, conservatively.

An article's entity carries a ``key`` (its gazetteer id, else "TYPE:name"). A key
seen before goes to the entity it went to then; ``letopis entities merge/split``
record their corrections as manual keys, which later ingests follow. A new key:

- a gazetteer id, or a full name: a new registry entity;
- a bare surname of a person ("PER:блинкен"): the registry person whose name ends with
  that word, when there is exactly one; otherwise a new entity (an unresolved surname
  beats a wrong merge);
- the same name with another known country than the registered one (two people
  called "Иван Петров", one Ukrainian, one Russian) stays apart under "key@COUNTRY".
"""

from __future__ import annotations

from dataclasses import dataclass

from ..record import Entity
from .clusters import rebuild_pairs
from .db import Database
from .search import fold


@dataclass
class Link:
    entity_id: int
    key: str
    rule: str  # key (seen before), kb (a new gazetteer entity), new, surname, country, manual


def entity_key(entity: Entity) -> str:
    return entity.key or entity.kb_id or f"{entity.type}:{fold(entity.name)}"


def last_word(name: str) -> str:
    words = fold(name).split()
    return words[-1] if words else ""


KNOWN_KEYS = ("SELECT k.key, k.entity_id, k.manual, e.country FROM entity_keys k "
              "JOIN entities e ON e.id = k.entity_id WHERE k.key IN ({marks})")
KEPT_KEYS = 50_000  # registry keys a writer keeps between articles (Database.memo): ~12 MB


def kept(db: Database) -> tuple[dict[str, tuple[int, int]], dict[int, str | None]]:
    """The registry as this connection's writer knows it already: key -> (entity id,
    manual), entity id -> country. Every change the store's own code makes to either is
    made here too (``add_key``, ``adopt_country``, new entities, the batch's counts in
    ``rows.Pending.flush``); ``Database`` forgets both on a rollback and when another
    connection has committed, and merge/split forget them."""
    keys = db.memo.setdefault("registry_keys", {})
    countries = db.memo.setdefault("registry_countries", {})
    if len(keys) > KEPT_KEYS:
        keys.clear()
        countries.clear()
    return keys, countries


def link_entities(db: Database, entities: list[Entity], day: str | None) -> list[Link]:
    """``link_entity`` for each of an article's entities, the keys not kept from earlier
    articles looked up in one query (a round trip per entity was a quarter of storing
    an article on PostgreSQL; the lookup of every key, 0.27 ms per article stored into a
    100,000-article SQLite store)."""
    keys, countries = kept(db)
    wanted = sorted({entity_key(entity) for entity in entities})
    missing = [key for key in wanted if key not in keys or keys[key][0] not in countries]
    for start in range(0, len(missing), 500):
        chunk = missing[start:start + 500]
        for row in db.rows(KNOWN_KEYS.format(marks=",".join("?" * len(chunk))), chunk):
            keys[row["key"]] = (row["entity_id"], row["manual"])
            countries[row["entity_id"]] = row["country"]
    known = {key: {"entity_id": keys[key][0], "manual": keys[key][1], "country": countries[keys[key][0]]}
             for key in wanted if key in keys and keys[key][0] in countries}
    return [link_entity(db, entity, day, known) for entity in entities]


def link_entity(db: Database, entity: Entity, day: str | None, known_keys: dict[str, dict] | None = None) -> Link:
    """The registry entity ENTITY goes to; KNOWN_KEYS: its key's row when looked up
    already (``link_entities``), a key missing there being unknown."""
    key = entity_key(entity)
    country = getattr(entity, "country", None)
    if known_keys is None:
        known = db.row(KNOWN_KEYS.format(marks="?"), (key,))
    else:
        known = known_keys.get(key)
    if known:
        if (not entity.kb_id and not known["manual"] and country and known["country"]
                and country != known["country"]):
            return link_key(db, entity, f"{key}@{country}", "country", day)
        adopt_country(db, known["entity_id"], known["country"], country)
        return Link(known["entity_id"], key, "manual" if known["manual"] else "key")
    if entity.type == "PER" and not entity.kb_id and len(fold(entity.name).split()) == 1:
        surname = last_word(entity.name)
        candidates = db.rows("SELECT id, country FROM entities WHERE type = 'PER' AND last_word = ? "
                             "AND name_norm <> last_word LIMIT 2", (surname,))
        if len(candidates) == 1 and not (country and candidates[0]["country"]
                                         and country != candidates[0]["country"]):
            add_key(db, key, candidates[0]["id"], "surname")
            adopt_country(db, candidates[0]["id"], candidates[0]["country"], country)
            return Link(candidates[0]["id"], key, "surname")
    return link_key(db, entity, key, "kb" if entity.kb_id else "new", day)


def adopt_country(db: Database, entity_id: int, stored: str | None, country: str | None) -> None:
    """A registry entity without a country takes the first one an article gives it, at
    once: linking reads it (a namesake from another country stays apart), while the
    other running counts wait for the end of the batch."""
    if country and not stored:
        db.execute("UPDATE entities SET country = ? WHERE id = ? AND country IS NULL", (country, entity_id))
        remember_country(db, entity_id, country)


def remember_country(db: Database, entity_id: int, country: str | None) -> None:
    """The entity's country as ``UPDATE ... SET country = COALESCE(country, ?)`` leaves it."""
    countries = db.memo.get("registry_countries")
    if countries is not None and country and entity_id in countries and not countries[entity_id]:
        countries[entity_id] = country


def link_key(db: Database, entity: Entity, key: str, rule: str, day: str | None) -> Link:
    existing = db.value("SELECT entity_id FROM entity_keys WHERE key = ?", (key,))
    if existing is not None:
        return Link(existing, key, "key")
    entity_id = db.insert_id(
        "INSERT INTO entities (type, name, name_norm, last_word, kb_id, country, sector, first_day, last_day) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (entity.type, entity.name, fold(entity.name), last_word(entity.name), entity.kb_id,
         getattr(entity, "country", None), getattr(entity, "sector", None), day, day))
    kept(db)[1][entity_id] = getattr(entity, "country", None)
    add_key(db, key, entity_id, rule)
    return Link(entity_id, key, rule)


def add_key(db: Database, key: str, entity_id: int, rule: str, manual: bool = False) -> None:
    db.execute("INSERT INTO entity_keys (key, entity_id, rule, manual) VALUES (?, ?, ?, ?) "
               "ON CONFLICT (key) DO UPDATE SET entity_id = excluded.entity_id, rule = excluded.rule, "
               "manual = excluded.manual", (key, entity_id, rule, int(manual)))
    kept(db)[0][key] = (entity_id, int(manual))


def count_entity(pending, entity_id: int, entity: Entity, day: str | None) -> None:
    """Running counts, dates and aliases of a registry entity after one article, added
    to ``pending`` (``rows.Pending``: sent with the batch's other rows)."""
    counts = pending.counts_of(entity_id)
    counts.articles += 1
    counts.mentions += len(entity.mentions)
    counts.country = counts.country or getattr(entity, "country", None)
    counts.sector = counts.sector or getattr(entity, "sector", None)
    counts.add_day(day)
    aliases: dict[str, int] = {}
    for mention in entity.mentions:
        if mention.kind in ("name", "metonymy"):
            alias = mention.normal or mention.text
            aliases[alias] = aliases.get(alias, 0) + 1
    aliases.setdefault(entity.name, 0)
    for alias, count in aliases.items():
        pending.alias(entity_id, alias, fold(alias), count)


# -- lookups and corrections -----------------------------------------------------------

def find_entities(db: Database, name: str, limit: int = 10) -> list[dict]:
    """Registry entities a user means by NAME: an exact id ("#12"), a gazetteer id, or
    every word of NAME found (as written or as a lemma) in the entity's name or one of
    its aliases. Best known first."""
    from .search import lemmas

    name = (name or "").strip()
    if name.startswith("#") and name[1:].isdigit():
        return db.rows("SELECT * FROM entities WHERE id = ?", (int(name[1:]),))
    by_kb = db.rows("SELECT * FROM entities WHERE kb_id = ?", (name,))
    if by_kb:
        return by_kb
    words = fold(name).split()
    if not words:
        return []
    exact = db.rows("SELECT * FROM entities WHERE name_norm = ? ORDER BY articles DESC LIMIT ?", (fold(name), limit))
    # candidates: any alias or name containing the longest word (or its lemma)
    longest = max(words, key=len)
    forms = {longest, *lemmas(longest)[:2]}
    rows: dict[int, dict] = {row["id"]: row for row in exact}
    stems = sorted({form[:max(3, len(form) - 2)] for form in forms})
    likes = " OR ".join(["a.alias_norm LIKE ?"] * len(stems))  # one pass over the aliases for every stem
    for row in db.rows("SELECT DISTINCT e.* FROM entity_aliases a JOIN entities e ON e.id = a.entity_id "
                       f"WHERE {likes} ORDER BY e.articles DESC LIMIT 200", [f"%{stem}%" for stem in stems]):
        rows.setdefault(row["id"], row)
    wanted = [{word, *lemmas(word)[:3]} for word in words]
    matched = []
    for row in rows.values():
        names = {row["name_norm"]} | {a["alias_norm"] for a in db.rows(
            "SELECT alias_norm FROM entity_aliases WHERE entity_id = ?", (row["id"],))}
        name_words = [set(text.split()) | {lemma for w in text.split() for lemma in lemmas(w)[:2]} for text in names]
        if any(all(forms & words_of for forms in wanted) for words_of in name_words):
            matched.append(row)
    matched.sort(key=lambda row: (row["name_norm"] != fold(name), -row["articles"], row["id"]))
    return matched[:limit]


def merge_entities(db: Database, keep: int, other: int) -> None:
    """Fold entity OTHER into KEEP: its keys (marked manual, so later ingests follow),
    aliases, mentions, quotes, events and counts."""
    if keep == other:
        raise ValueError("an entity cannot be merged with itself")
    db.memo.clear()  # keys move: what a writer on this connection kept is stale
    with db.transaction():
        db.execute("UPDATE entity_keys SET entity_id = ?, manual = 1, rule = 'manual' WHERE entity_id = ?", (keep, other))
        for table, column in (("article_entities", "entity_id"), ("entity_roles", "entity_id"),
                              ("quotes", "speaker_id"), ("quote_about", "entity_id"),
                              ("event_actors", "entity_id"), ("events", "place_id"),
                              ("events", "reported_by"), ("event_clusters", "place_id"),
                              ("cluster_pairs", "place_id")):
            db.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (keep, other))
        db.execute("INSERT INTO entity_aliases (entity_id, alias, alias_norm, count) "
                   "SELECT ?, alias, alias_norm, count FROM entity_aliases WHERE entity_id = ? "
                   "ON CONFLICT (entity_id, alias) DO UPDATE SET count = entity_aliases.count + excluded.count",
                   (keep, other))
        db.execute("DELETE FROM entity_aliases WHERE entity_id = ?", (other,))
        db.execute("INSERT INTO cluster_actors (cluster_id, entity_id, type, last_day, time_value) "
                   "SELECT cluster_id, ?, type, last_day, time_value FROM cluster_actors WHERE entity_id = ? "
                   "ON CONFLICT DO NOTHING", (keep, other))
        db.execute("DELETE FROM cluster_actors WHERE entity_id = ?", (other,))
        rebuild_pairs(db, keep)  # OTHER's clusters are KEEP's now
        db.execute("DELETE FROM entities WHERE id = ?", (other,))
        recount(db, keep)


def split_entity(db: Database, entity_id: int, key: str) -> int:
    """Move the articles whose cluster had KEY out of ENTITY_ID into a new entity;
    the key is marked manual so later ingests follow. Returns the new entity's id."""
    db.memo.clear()  # keys move: what a writer on this connection kept is stale
    with db.transaction():
        row = db.row("SELECT entity_id FROM entity_keys WHERE key = ?", (key,))
        if not row or row["entity_id"] != entity_id:
            raise ValueError(f"key {key!r} does not belong to entity #{entity_id}")
        sample = db.row("SELECT type, name FROM article_entities WHERE key = ? LIMIT 1", (key,))
        entity_type, name = (sample["type"], sample["name"]) if sample else (key.split(":")[0], key.split(":", 1)[-1])
        new_id = db.insert_id("INSERT INTO entities (type, name, name_norm, last_word) VALUES (?, ?, ?, ?) RETURNING id",
                              (entity_type, name, fold(name), last_word(name)))
        add_key(db, key, new_id, "manual", manual=True)
        moved = [(r["article_id"], r["local_id"]) for r in db.rows(
            "SELECT article_id, local_id FROM article_entities WHERE key = ? AND entity_id = ?", (key, entity_id))]
        for article_id, local_id in moved:
            db.execute("UPDATE article_entities SET entity_id = ? WHERE article_id = ? AND local_id = ?",
                       (new_id, article_id, local_id))
            db.execute("UPDATE entity_roles SET entity_id = ? WHERE article_id = ? AND entity_id = ?",
                       (new_id, article_id, entity_id))
            db.execute("UPDATE quotes SET speaker_id = ? WHERE article_id = ? AND speaker_id = ?",
                       (new_id, article_id, entity_id))
            db.execute("UPDATE quote_about SET entity_id = ? WHERE article_id = ? AND entity_id = ?",
                       (new_id, article_id, entity_id))
            db.execute("UPDATE event_actors SET entity_id = ? WHERE article_id = ? AND entity_id = ?",
                       (new_id, article_id, entity_id))
        recount(db, entity_id)
        recount(db, new_id)
        return new_id


def recount(db: Database, entity_id: int) -> None:
    """Counts, dates and aliases of an entity recomputed from the stored facts."""
    stats = db.row("SELECT count(*) AS articles, COALESCE(sum(mentions), 0) AS mentions, min(day) AS first_day, "
                   "max(day) AS last_day FROM article_entities WHERE entity_id = ?", (entity_id,))
    db.execute("UPDATE entities SET articles = ?, mentions = ?, first_day = ?, last_day = ?, "
               "quotes = (SELECT count(*) FROM quotes WHERE speaker_id = ?), "
               "events = (SELECT count(*) FROM event_actors WHERE entity_id = ?) WHERE id = ?",
               (stats["articles"], stats["mentions"], stats["first_day"], stats["last_day"],
                entity_id, entity_id, entity_id))
