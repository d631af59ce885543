"""The rows articles add that nothing reads back while their batch is being stored:
facts (mentions, roles, quotes, events and their actors), search words, and the
registry's running counts and aliases. They wait in memory and go in together, at the
end of the batch: one ``executemany`` per table on SQLite, one ``COPY`` per table on
PostgreSQL (a statement per row costs a round trip there), and one ``UPDATE`` per
registry entity for the whole batch instead of one per entity per article, quote and
event (and one per event cluster for the reports near-duplicate copies add).

What later articles of the same batch do read (articles and their band keys, registry
keys and entities, event clusters) is written at once by the writer, not here.
"""

from __future__ import annotations

from dataclasses import dataclass

from .db import Database
from .registry import remember_country

# Plain INSERTs, in the order they are sent; their columns as the writer gives them.
TABLES: dict[str, tuple[str, ...]] = {
    "article_search": ("rowid", "words"),
    "article_entities": ("article_id", "local_id", "entity_id", "key", "type", "name", "mentions", "first_start",
                         "first_end", "day", "current", "first_report"),
    "entity_roles": ("entity_id", "article_id", "role", "start", "end", "day"),
    "quotes": ("article_id", "local_id", "kind", "start", "end", "text", "speaker_id", "speaker_text", "cue",
               "time_value", "day", "current", "first_report"),
    "quote_about": ("article_id", "quote_id", "entity_id"),
    "quote_search": ("article_id", "quote_id", "words"),
    "events": ("article_id", "local_id", "type", "subtype", "status", "trigger", "trigger_start", "trigger_end",
               "time_value", "time_text", "place_id", "reported_by", "day", "cluster_id", "current", "first_report"),
    "event_actors": ("article_id", "event_id", "entity_id", "slot", "country", "day"),
}

COUNTS_WITH_DAYS = (
    "UPDATE entities SET articles = articles + ?, mentions = mentions + ?, quotes = quotes + ?, events = events + ?, "
    "country = COALESCE(country, ?), sector = COALESCE(sector, ?), "
    "first_day = CASE WHEN first_day IS NULL OR first_day > ? THEN ? ELSE first_day END, "
    "last_day = CASE WHEN last_day IS NULL OR last_day < ? THEN ? ELSE last_day END WHERE id = ?")
COUNTS = ("UPDATE entities SET articles = articles + ?, mentions = mentions + ?, quotes = quotes + ?, "
          "events = events + ?, country = COALESCE(country, ?), sector = COALESCE(sector, ?) WHERE id = ?")
REPORTS = "UPDATE event_clusters SET reports = reports + ? WHERE id = ?"
ALIASES = ("INSERT INTO entity_aliases (entity_id, alias, alias_norm, count) VALUES (?, ?, ?, ?) "
           "ON CONFLICT (entity_id, alias) DO UPDATE SET count = entity_aliases.count + excluded.count")


@dataclass
class Counts:
    """What a registry entity's running counts gain from the pending articles."""

    articles: int = 0
    mentions: int = 0
    quotes: int = 0
    events: int = 0
    country: str | None = None
    sector: str | None = None
    first_day: str | None = None
    last_day: str | None = None

    def add_day(self, day: str | None) -> None:
        if day:
            self.first_day = day if self.first_day is None or day < self.first_day else self.first_day
            self.last_day = day if self.last_day is None or day > self.last_day else self.last_day


class Pending:
    """Rows waiting to be sent: an article's while it is stored, then (merged) its
    batch's. ``articles`` are the ids whose rows are here; ``events`` what their event
    rows say copies in the same batch need (``writer.first_report_events``)."""

    def __init__(self):
        self.inserts: dict[str, list[tuple]] = {}
        self.counts: dict[int, Counts] = {}
        self.aliases: dict[tuple[int, str], list] = {}  # (entity, alias) -> [alias_norm, count]
        self.articles: set[str] = set()
        self.events: dict[str, list[dict]] = {}  # article -> its events' clusters, for its copies in the batch
        self.reports: dict[int, int] = {}  # event cluster -> reports its copies add

    def insert(self, table: str, row: tuple) -> None:
        self.inserts.setdefault(table, []).append(row)

    def insert_many(self, table: str, rows: list[tuple]) -> None:
        if rows:
            self.inserts.setdefault(table, []).extend(rows)

    def counts_of(self, entity_id: int) -> Counts:
        found = self.counts.get(entity_id)
        if found is None:
            found = self.counts[entity_id] = Counts()
        return found

    def alias(self, entity_id: int, alias: str, alias_norm: str, count: int) -> None:
        found = self.aliases.get((entity_id, alias))
        if found is None:
            self.aliases[(entity_id, alias)] = [alias_norm, count]
        else:
            found[1] += count

    def merge(self, other: "Pending") -> None:
        """Take OTHER's rows (an article's, once it is stored) into these (its batch's)."""
        for table, rows in other.inserts.items():
            self.inserts.setdefault(table, []).extend(rows)
        for entity_id, theirs in other.counts.items():
            mine = self.counts_of(entity_id)
            mine.articles += theirs.articles
            mine.mentions += theirs.mentions
            mine.quotes += theirs.quotes
            mine.events += theirs.events
            mine.country = mine.country or theirs.country
            mine.sector = mine.sector or theirs.sector
            mine.add_day(theirs.first_day)
            mine.add_day(theirs.last_day)
        for key, (alias_norm, count) in other.aliases.items():
            self.alias(key[0], key[1], alias_norm, count)
        self.articles |= other.articles
        self.events.update(other.events)
        for cluster_id, count in other.reports.items():
            self.reports[cluster_id] = self.reports.get(cluster_id, 0) + count

    def __bool__(self) -> bool:
        return bool(self.inserts or self.counts or self.aliases or self.reports)

    def flush(self, db: Database) -> None:
        """Send everything and start empty."""
        for table in TABLES:
            rows = self.inserts.get(table)
            if rows:
                insert_rows(db, table, TABLES[table], rows)
        dated = [(c.articles, c.mentions, c.quotes, c.events, c.country, c.sector, c.first_day, c.first_day,
                  c.last_day, c.last_day, entity_id) for entity_id, c in sorted(self.counts.items()) if c.first_day]
        undated = [(c.articles, c.mentions, c.quotes, c.events, c.country, c.sector, entity_id)
                   for entity_id, c in sorted(self.counts.items()) if not c.first_day]
        db.executemany(COUNTS_WITH_DAYS, dated)
        db.executemany(COUNTS, undated)
        for entity_id, counts in self.counts.items():
            remember_country(db, entity_id, counts.country)  # what the registry's writer keeps
        db.executemany(ALIASES, [(entity_id, alias, alias_norm, count)
                                 for (entity_id, alias), (alias_norm, count) in sorted(self.aliases.items())])
        db.executemany(REPORTS, [(count, cluster_id) for cluster_id, count in sorted(self.reports.items())])
        self.inserts.clear()
        self.counts.clear()
        self.reports.clear()
        self.aliases.clear()
        self.articles.clear()
        self.events.clear()


def insert_rows(db: Database, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Plain INSERTs of ROWS: ``COPY`` on PostgreSQL, ``executemany`` on SQLite."""
    names = ", ".join(f'"{column}"' for column in columns)
    if db.dialect == "postgres":
        with db.connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    db.executemany(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})", rows)
