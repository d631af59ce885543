"""The chronicle store: processed articles in SQLite (default) or PostgreSQL, linked
across articles, with near-duplicates and real-world events grouped.

- ``db``: the connection, dialect differences and migrations;
- ``writer``: storing articles with their facts (one transaction per batch);
- ``registry``: the cross-article entity registry (and merge/split corrections);
- ``dedup``: MinHash signatures and LSH band keys for near-duplicate copies;
- ``clusters``: event frames from many articles grouped into real-world events;
- ``search``: morphology-aware full-text search and snippets;
- ``ingest``: the `letopis ingest` run (read, skip what is stored, process, store);
- ``query``: what the CLI, the HTTP API and the web page ask;
- ``export``: JSON Lines, CSV and Parquet tables.

Tables are described in docs/store.md.
"""

from __future__ import annotations

from .db import DEFAULT_DB, Database, StoreError


def open_store(target: str | None = None, readonly: bool = False) -> Database:
    """A store ready to use: migrated to the current schema (unless read-only)."""
    db = Database(target or DEFAULT_DB, readonly=readonly)
    db.check_schema()
    if not readonly:
        db.migrate()
    elif db.schema_version() == 0:
        db.close()
        raise StoreError(f"{target or DEFAULT_DB} holds no letopis store yet: run `letopis ingest PATH --db "
                         f"{target or DEFAULT_DB}` first.")
    return db


__all__ = ["DEFAULT_DB", "Database", "StoreError", "open_store"]
