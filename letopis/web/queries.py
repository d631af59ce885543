"""Queries the web page needs that ``letopis.store.query`` lacks: the entity list,
a cheap mark of the store's state (for caching), and registry names by id. Values always travel as parameters."""

from __future__ import annotations

from ..store.db import Database
from ..store.query import Page
from ..store.registry import find_entities

ENTITY_COLUMNS = "id, type, name, kb_id, country, articles, mentions, quotes, events, first_day, last_day"


def entities(db: Database, name: str | None = None, type: str | None = None, page: Page = Page()) -> dict:
    """Registry entities, most mentioned first; NAME matches names and aliases in any
    word form (as `letopis entities list --name`)."""
    where, params = "WHERE 1 = 1", []
    if type:
        where += " AND type = ?"
        params.append(type)
    if name:
        ids = [row["id"] for row in find_entities(db, name, limit=200)]
        if not ids:
            return {"items": [], "limit": page.limit, "offset": page.offset}
        where += f" AND id IN ({','.join('?' * len(ids))})"
        params += ids
    limit_sql, limit_params = page.sql()
    rows = db.rows(f"SELECT {ENTITY_COLUMNS} FROM entities {where} ORDER BY articles DESC, id{limit_sql}",
                   params + limit_params)
    return {"items": rows, "limit": page.limit, "offset": page.offset}


def store_mark(db: Database) -> tuple:
    """Changes whenever articles are stored or entities added (both O(1) lookups):
    cached results keyed on it are dropped after an ingest or a pasted article."""
    return (db.value("SELECT max(seq) FROM articles"), db.value("SELECT max(id) FROM entities"),
            db.value("SELECT max(id) FROM event_clusters"))


def entity_names(db: Database, ids: list[int]) -> dict[int, str]:
    """Registry names of the given entity ids."""
    if not ids:
        return {}
    unique = sorted(set(ids))
    rows = db.rows(f"SELECT id, name FROM entities WHERE id IN ({','.join('?' * len(unique))})", unique)
    return {row["id"]: row["name"] for row in rows}
