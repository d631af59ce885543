"""Hand-built records and throwaway stores for the store tests (no models needed).

``article(text, published=..., entities=[...], quotes=[...], events=[...])`` finds the
spans by searching the text, so a test reads like the story it tells.
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

import pytest

from letopis.record import Entity, Event, Mention, Meta, Quote, Role, TimeExpr, Zone, new_article
from letopis.store import open_store
from tests.services import postgres_url


def spans(text: str, needle: str, required: bool = True) -> list[tuple[int, int]]:
    found, start = [], text.find(needle)
    while start != -1:
        found.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    assert found or not required, f"{needle!r} not in the text"
    return found


def article(text: str, published: str | None = "2021-12-22", url: str | None = None, outlet: str | None = "Тест",
            entities: list[tuple] = (), quotes: list[tuple] = (), events: list[dict] = (), times: list[tuple] = ()):
    """entities: (id, type, name, [surface forms], kb_id or None[, country[, roles]]);
    quotes: (id, quoted text, speaker id or None[, kind]);
    events: dicts with type, trigger, status, participants, time (a time id), place;
    times: (id, surface text, value)."""
    record = new_article(text, Meta(lang="ru", outlet=outlet, url=url, published=published,
                                    published_source="metadata" if published else "none"))
    record.zones = [Zone("title", 0, text.find("\n") if "\n" in text else len(text)),
                    Zone("body", text.find("\n") + 1 if "\n" in text else len(text), len(text))]
    for spec in entities:
        local, kind, name, forms, kb_id = spec[:5]
        country = spec[5] if len(spec) > 5 else None
        roles = spec[6] if len(spec) > 6 else []
        mentions = [Mention(start, end, text[start:end], normal=name, kind="name")
                    for form in forms for start, end in spans(text, form, required=False)]
        mentions = [m for m in mentions if not any(o is not m and o.start <= m.start and m.end <= o.end
                                                   and (o.end - o.start) > (m.end - m.start) for o in mentions)]
        assert mentions, f"none of {forms} in the text"
        entity = Entity(id=local, type=kind, name=name, mentions=mentions, kb_id=kb_id,
                        key=kb_id or f"{kind}:{name.lower()}", roles=[Role(role) for role in roles])
        entity.country = country
        record.entities.append(entity)
    for local, surface, value in times:
        start, end = spans(text, surface)[0]
        record.times.append(TimeExpr(local, start, end, surface, value=value, anchor="published"))
    for spec in quotes:
        local, quoted, speaker = spec[:3]
        start, end = spans(text, quoted)[0]
        record.quotes.append(Quote(local, spec[3] if len(spec) > 3 else "direct", start, end, speaker=speaker))
    for number, spec in enumerate(events, 1):
        start, end = spans(text, spec["trigger"])[0]
        record.events.append(Event(id=f"ev{number}", type=spec.get("type", "CONSULT"), trigger_start=start,
                                   trigger_end=end, trigger=spec["trigger"], subtype=spec.get("subtype"),
                                   participants=spec.get("participants", []), source=spec.get("source", []),
                                   target=spec.get("target", []), place=spec.get("place"), time=spec.get("time"),
                                   status=spec.get("status")))
    return record


BIDEN = ("e1", "PER", "Джо Байден", ["Байден", "Джо Байден"], "per:biden_joe", "USA")
PUTIN = ("e2", "PER", "Владимир Путин", ["Путин"], "per:putin_vladimir", "RUS")
GENEVA = ("e3", "LOC", "Женева", ["Женев"], None)


def fresh_postgres_schema(base_url: str) -> tuple[str, str]:
    """A new empty schema in the test database; the URL makes it the search path."""
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base_url, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in base_url else "?"
    return base_url + separator + "options=" + quote(f"-csearch_path={schema}"), schema


def drop_postgres_schema(base_url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as connection:
        connection.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def db(request, tmp_path):
    """An empty store, once on SQLite and once on PostgreSQL (skipped without a server).
    A test module uses it by importing it: ``from tests.store_helpers import db``."""
    if request.param == "sqlite":
        store = open_store(str(tmp_path / "store.db"))
        yield store
        store.close()
        return
    base = postgres_url()  # skips without a server
    url, schema = fresh_postgres_schema(base)
    store = open_store(url)
    yield store
    store.close()
    drop_postgres_schema(base, schema)


def fail_storing(monkeypatch, article_id: str) -> list[str]:
    """Make the writer fail on the article ARTICLE_ID (a simulated bug in storing it);
    the ids of the articles it is asked to store, in order, are the list returned."""
    import letopis.store.writer as writer

    original, calls = writer.store_article, []

    def failing(database, record, *rest):
        calls.append(record.id)
        if record.id == article_id:
            raise RuntimeError("simulated bug")
        return original(database, record, *rest)

    monkeypatch.setattr(writer, "store_article", failing)
    return calls
