"""The chronicle store, on SQLite and (when the suite has a server) PostgreSQL:
migrations, idempotent ingest, URL versions, near-duplicates, the entity registry
with merge/split, event clusters, search, queries and export. Hand-built records,
no models."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time

import pytest

from letopis.record import Sentence, TimeExpr, Token, to_plain
from letopis.store import open_store
from letopis.store.db import Database, migrations
from letopis.store.ingest import IngestSummary, ingest
from letopis.store.query import Ambiguous, NotFound, Page, entity_profile, event_cluster, events, quotes, resolve_entity, \
    search, stats, timeline
from letopis.store.registry import merge_entities, split_entity
from letopis.store.writer import store_articles
from tests.store_helpers import BIDEN, GENEVA, PUTIN, article, db, fail_storing  # noqa: F401  (db: the fixture)


def meeting(published="2021-12-22", status="not_planned", url=None, extra="", place=False, time=None, text=None):
    text = text or (f"Новая встреча Байдена с Путиным пока не планируется\n"
                    f"Новая встреча Джо Байдена с Владимиром Путиным пока не планируется, заявил Песков. {extra}"
                    + (" Прошлая прошла в Женеве." if place else ""))
    entities = [BIDEN, PUTIN] + ([GENEVA] if place else [])
    return article(text, published=published, url=url, entities=entities,
                   times=[time] if time else [],
                   events=[{"type": "CONSULT", "subtype": "meeting", "trigger": "встреча", "status": status,
                            "participants": ["e1", "e2"], "place": "e3" if place else None,
                            "time": time[0] if time else None}])


# -- schema ---------------------------------------------------------------------------------

def test_migrations_apply_from_empty_and_are_recorded(db):
    versions = [migration.version for migration in migrations(db.dialect)]
    assert versions == sorted(versions) and versions[0] == 1
    assert db.schema_version() == versions[-1]
    assert db.migrate() == []  # nothing left to apply
    for table in ("articles", "entities", "quotes", "events", "event_clusters", "article_search"):
        assert db.table_exists(table)


def test_sqlite_and_postgres_migrations_define_the_same_tables():
    import re

    def tables(dialect):
        sql = "\n".join(migration.sql for migration in migrations(dialect))
        return set(re.findall(r"CREATE (?:VIRTUAL )?TABLE (\w+)", sql))

    assert tables("sqlite") == tables("postgres")


def test_a_store_made_at_schema_1_upgrades_with_its_clusters_found_again(tmp_path):
    path = str(tmp_path / "old.db")
    old = open_store(path)
    ingest(old, [meeting(published="2021-12-20", status="planned")], None)
    # back to schema 1 as an older letopis left it: no cluster lookup columns
    for statement in ("DROP TABLE cluster_pairs", "DROP INDEX cluster_actors_time", "DROP INDEX cluster_actors_many",
                      "DROP INDEX cluster_actors_many_time", "ALTER TABLE cluster_actors DROP COLUMN many",
                      "ALTER TABLE cluster_actors DROP COLUMN type", "ALTER TABLE cluster_actors DROP COLUMN last_day",
                      "ALTER TABLE cluster_actors DROP COLUMN time_value",
                      "ALTER TABLE event_clusters DROP COLUMN actor_count",
                      "CREATE INDEX cluster_actors_entity ON cluster_actors(entity_id)"):
        old.execute(statement)
    for statement in ("DROP INDEX event_actors_entity_day", "DROP INDEX entity_roles_by_role",
                      "DROP INDEX event_clusters_day_type", "ALTER TABLE event_actors DROP COLUMN day",
                      "CREATE INDEX event_clusters_type ON event_clusters(type, day)",
                      "DROP INDEX article_entities_counts", "DROP INDEX quotes_speaker",
                      "CREATE INDEX quotes_speaker ON quotes(speaker_id, day)",
                      "CREATE INDEX events_type ON events(type, day)",
                      "CREATE INDEX event_actors_entity ON event_actors(entity_id)",
                      "CREATE INDEX article_entities_entity ON article_entities(entity_id, day)",
                      "CREATE INDEX entity_roles_entity ON entity_roles(entity_id, day)"):
        old.execute(statement)  # and without what 0003 adds, with what 0006 drops
    bands = old.value("SELECT count(*) FROM article_bands")
    for statement in ("CREATE TABLE old_bands (key INTEGER NOT NULL, article_id TEXT NOT NULL)",
                      "INSERT INTO old_bands SELECT b.key, a.id FROM article_bands b JOIN articles a ON a.seq = b.article_seq",
                      "DROP TABLE article_bands", "ALTER TABLE old_bands RENAME TO article_bands",
                      "CREATE INDEX article_bands_key ON article_bands(key)"):
        old.execute(statement)  # and its band keys by article id, before 0011
    old.execute("DELETE FROM schema_migrations WHERE version > 1")
    assert old.schema_version() == 1
    old.close()
    db = open_store(path)  # applies 0002: cluster_actors gets the cluster's type and day
    assert db.schema_version() >= 2
    assert db.rows("SELECT DISTINCT type, last_day FROM cluster_actors") == [{"type": "CONSULT", "last_day": "2021-12-20"}]
    # and 0005 its time value, and the pairs of its actors
    assert db.rows("SELECT DISTINCT a.time_value IS c.time_value AS same FROM cluster_actors a "
                   "JOIN event_clusters c ON c.id = a.cluster_id") == [{"same": 1}]
    biden, putin = (db.value("SELECT entity_id FROM entity_keys WHERE key = ?", (key,))
                    for key in ("per:biden_joe", "per:putin_vladimir"))
    assert db.rows("SELECT low_id, high_id, type, last_day FROM cluster_pairs") == [
        {"low_id": min(biden, putin), "high_id": max(biden, putin), "type": "CONSULT", "last_day": "2021-12-20"}]
    assert db.rows("SELECT subtype, place_id, first_day FROM cluster_pairs") == [
        {"subtype": "meeting", "place_id": None, "first_day": "2021-12-20"}]  # 0010
    assert db.rows("SELECT DISTINCT day FROM event_actors") == [{"day": "2021-12-20"}]
    assert not db.value("SELECT count(*) FROM sqlite_master WHERE name IN "
                        "('event_actors_entity', 'article_entities_entity', 'entity_roles_entity')")  # 0006
    assert db.value("SELECT actor_count FROM event_clusters") == 2  # 0006 too
    assert [row["name"] for row in db.rows("SELECT name FROM pragma_index_info('quotes_speaker')")] == [
        "speaker_id", "day", "current", "first_report"]  # 0003's counts index folded into it by 0008
    assert not db.value("SELECT count(*) FROM sqlite_master WHERE name IN ('quotes_speaker_counts', 'events_type')")
    assert [row["name"] for row in db.rows("SELECT name FROM pragma_index_info('event_clusters_day_type')")] == [
        "day", "type", "id"]  # 0009: one index for the events' pages
    assert not db.value("SELECT count(*) FROM sqlite_master WHERE name IN ('event_clusters_day', 'event_clusters_type')")
    assert bands > 10 and db.value("SELECT count(*) FROM article_bands b JOIN articles a "
                                   "ON a.seq = b.article_seq") == bands  # 0011: by storage number
    ingest(db, [meeting(published="2021-12-23", status="not_planned",
                        text="Позже\nНовая встреча Джо Байдена и Путина пока не планируется.")], None)
    assert db.value("SELECT count(*) FROM event_clusters") == 1
    assert db.value("SELECT reports FROM event_clusters") == 2
    db.close()


def test_a_store_from_a_newer_letopis_is_refused(tmp_path):
    path = str(tmp_path / "new.db")
    db = open_store(path)
    db.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')")
    db.close()
    with pytest.raises(Exception, match="newer than this letopis knows"):
        open_store(path)


def test_a_file_that_is_not_a_store_gets_a_clear_error(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not an sqlite file at all" * 100)
    with pytest.raises(Exception, match="cannot open .* as a letopis store"):
        open_store(str(path))


# -- ingest ------------------------------------------------------------------------------------

def test_reingesting_the_same_articles_is_a_no_op(db):
    first = ingest(db, [meeting()], None)
    assert (first.stored, first.known) == (1, 0)
    again = ingest(db, [meeting(), meeting()], None)
    assert (again.stored, again.known) == (0, 2)
    assert db.value("SELECT count(*) FROM articles") == 1
    assert db.value("SELECT count(*) FROM events") == 1
    assert db.value("SELECT count(*) FROM event_clusters") == 1


def test_skipped_articles_never_reach_the_pipeline(db):
    ingest(db, [meeting()], None)
    made = []

    def factory():
        made.append(1)
        raise AssertionError("the models must not load when nothing is new")

    summary = ingest(db, [meeting()], factory)
    assert summary.known == 1 and not made


def test_an_updated_article_at_the_same_url_is_a_new_version(db):
    url = "https://example.org/news/1"
    ingest(db, [meeting(url=url)], None)
    summary = ingest(db, [meeting(url=url, extra="Обновлено: Кремль уточнил заявление.")], None)
    assert summary.versions == 1
    rows = db.rows("SELECT version, current FROM articles WHERE url = ? ORDER BY version", (url,))
    assert [(row["version"], row["current"]) for row in rows] == [(1, 0), (2, 1)]
    assert stats(db)["articles"] == 1 and stats(db)["old_versions"] == 1
    assert len(events(db)["items"][0:1]) == 1


def test_one_bad_article_does_not_lose_its_batch(db, monkeypatch):
    good, bad = meeting(), meeting(extra="Вторая заметка.")
    fail_storing(monkeypatch, bad.id)
    errors = []
    summary = ingest(db, [bad, good], None, on_error=errors.append)
    assert summary.stored == 1 and summary.failed == 1
    assert errors[0].reason == "store_failed" and "simulated bug" in errors[0].detail
    assert db.value("SELECT count(*) FROM articles") == 1
    assert db.value("SELECT count(*) FROM events") == 1  # the bad one's facts were rolled back
    assert db.value("SELECT count(*) FROM ingest_errors") == 1


def test_a_batch_is_stored_without_savepoints_until_an_article_fails(db, monkeypatch):
    # a savepoint copies every page its article changes: a batch goes straight through,
    # and only a batch with a failing article is stored again, each in a savepoint
    statements, execute = [], db.execute

    def recording(text, *rest):
        statements.append(text)
        return execute(text, *rest)

    monkeypatch.setattr(db, "execute", recording)
    records = numbered_meetings(3)
    assert ingest(db, records[:2], None, store_batch=2).stored == 2
    assert not [text for text in statements if "SAVEPOINT" in text]

    calls = fail_storing(monkeypatch, records[2].id)
    good = meeting(extra="Третья заметка.")
    summary = ingest(db, [good, records[2]], None, store_batch=2)
    assert (summary.stored, summary.failed) == (1, 1)
    assert calls == [good.id, records[2].id] * 2  # straight through, then again in savepoints
    assert len([text for text in statements if text.startswith("SAVEPOINT")]) == 2
    assert db.value("SELECT count(*) FROM articles") == 3
    assert db.value("SELECT count(*) FROM articles WHERE id = ?", (records[2].id,)) == 0


# -- storing beside processing -------------------------------------------------------------------

class Finished:
    """A pipeline whose articles come out as they went in (they are finished records),
    failing where told: an article whose text has FAIL_AT gets a processing error, and
    the batch holding RAISE_AT raises (a crashing pipeline)."""

    def __init__(self, fail_at: str | None = None, raise_at: str | None = None):
        self.fail_at, self.raise_at, self.batches = fail_at, raise_at, 0

    def run_batch(self, articles):
        from letopis.errors import DocumentError
        self.batches += 1
        if self.raise_at and any(self.raise_at in article.text for article in articles):
            raise RuntimeError("pipeline crashed")
        return [DocumentError(input="feed", stage="nlp", reason="stage_failed", article_id=article.id)
                if self.fail_at and self.fail_at in article.text else article for article in articles]


def numbered_meetings(count: int) -> list:
    return [meeting(published=f"2021-12-{10 + number % 15:02d}", url=f"https://example.org/{number}",
                    extra=" ".join(f"заметка{number}x{word}" for word in range(30))) for number in range(count)]


def store_rows(store) -> list:
    return [store.rows("SELECT id, dup_group, first_report FROM articles ORDER BY id"),
            store.rows("SELECT article_id, local_id, cluster_id FROM events ORDER BY article_id, local_id"),
            store.rows("SELECT id, reports, status FROM event_clusters ORDER BY id"),
            store.rows("SELECT article_id, local_id, speaker_id FROM quotes ORDER BY article_id, local_id")]


def test_storing_beside_processing_stores_what_storing_after_it_does(db, tmp_path):
    # with a pipeline, each batch is stored by a thread of its own while the next is
    # processed: the same rows, the same counts, errors recorded, as storing in turn
    records = numbered_meetings(12)
    bad = story("2022-01-21", "Агентство")
    bad.quotes.append(bad.quotes[0])  # refused by the store: two quotes with one id
    items = records[:9] + [bad] + records[9:]  # and records[5] fails at processing

    def run(store, background):
        errors = []
        summary = ingest(store, items, lambda: Finished(fail_at=records[5].text[-40:]), batch_size=2,
                         store_batch=3, on_error=errors.append, background=background)
        return summary, errors

    summary, errors = run(db, None)  # a pipeline: stored beside it
    assert summary.stored == 11 and summary.failed == 2
    assert sorted(error.reason for error in errors) == ["stage_failed", "store_failed"]
    assert db.value("SELECT count(*) FROM ingest_errors") == 2
    assert records[5].id not in {row["id"] for row in db.rows("SELECT id FROM articles")}
    other = open_store(str(tmp_path / "in-turn.db"))
    again, _ = run(other, False)
    assert (again.stored, again.failed, again.duplicates) == (summary.stored, summary.failed, summary.duplicates)
    assert store_rows(other) == store_rows(db)
    other.close()


def test_a_pipeline_that_crashes_loses_no_batch_already_handed_to_the_writer(db):
    records = numbered_meetings(7)
    stored = []
    with pytest.raises(RuntimeError, match="pipeline crashed"):
        ingest(db, records, lambda: Finished(raise_at=records[6].text[-40:]), batch_size=2, store_batch=2,
               on_stored=lambda article, result: stored.append(article.id))
    # batches [0, 1], [2, 3] and [4, 5] were processed and handed over before the crash
    assert db.value("SELECT count(*) FROM articles") == 6
    assert sorted(stored) == sorted(record.id for record in records[:6])


def test_a_writer_that_fails_stops_the_run_with_its_error(db, monkeypatch):
    import letopis.store.ingest as store_ingest
    from letopis.store.db import StoreError
    records = numbered_meetings(6)
    original, calls = store_ingest.store_articles, []

    def full_disk(database, batch, words=None):
        calls.append(len(batch))
        if len(calls) == 2:
            raise StoreError("the disk is full: free some space and run the same command again")
        return original(database, batch, words)

    monkeypatch.setattr(store_ingest, "store_articles", full_disk)
    with pytest.raises(StoreError, match="disk is full"):
        ingest(db, records, lambda: Finished(), batch_size=2, store_batch=2)
    assert db.value("SELECT count(*) FROM articles") == 2  # the first batch; the run stopped at the second


def test_a_failing_writer_s_error_is_the_one_the_user_sees(db, monkeypatch):
    # the run stops at the writer's error with a processing error still to record; the
    # store refusing that record too (a lock, a full disk) must not hide the first error
    import letopis.store.ingest as store_ingest
    from letopis.store.db import StoreError
    records = numbered_meetings(4)

    def full_disk(database, batch, words=None):
        raise StoreError("the disk is full: free some space and run the same command again")

    def locked(database, error):
        raise StoreError("the store is locked by another writer")

    monkeypatch.setattr(store_ingest, "store_articles", full_disk)
    monkeypatch.setattr(store_ingest, "record_error", locked)
    errors = []
    with pytest.raises(StoreError, match="disk is full"):
        ingest(db, records, lambda: Finished(fail_at=records[3].text[-40:]), batch_size=2, store_batch=2,
               on_error=errors.append)
    assert [error.reason for error in errors] == ["stage_failed"]


# -- near-duplicates ------------------------------------------------------------------------------

STORY = ("Лавров и Блинкен обсудили гарантии безопасности\n"
         "Министр иностранных дел России Сергей Лавров и госсекретарь США Энтони Блинкен провели в Женеве "
         "переговоры, которые продлились около полутора часов. Стороны обсудили предложения Москвы о гарантиях "
         "безопасности и расширение НАТО на восток. По словам Лаврова, американская сторона обещала дать "
         "письменный ответ на следующей неделе. Блинкен назвал встречу откровенной и полезной и добавил, что "
         "Вашингтон готов продолжать диалог при условии деэскалации на границе с Украиной.")


def test_a_syndicated_copy_joins_the_first_report_and_counts_once(db):
    original = article(STORY, published="2022-01-21", outlet="Агентство")
    copy = article(STORY.replace("\n", "\n\n") + "\nЧитайте также: Песков прокомментировал переговоры",
                   published="2022-01-21T12:00", outlet="Портал")
    other = article("Другая новость\nВ Киеве прошел концерт в поддержку врачей, собравший тысячи зрителей.",
                    published="2022-01-21")
    summary = ingest(db, [original, copy, other], None)
    assert summary.duplicates == 1
    group = {row["id"]: row for row in db.rows("SELECT id, dup_group, first_report FROM articles")}
    assert group[copy.id]["dup_group"] == original.id
    assert group[copy.id]["first_report"] == 0 and group[original.id]["first_report"] == 1
    assert group[other.id]["dup_group"] == other.id
    assert stats(db)["stories"] == 2
    assert len(search(db, "переговоры")["items"]) == 1
    assert len(search(db, "переговоры", all_copies=True)["items"]) == 2


def test_a_copy_published_earlier_becomes_the_first_report(db):
    late = article(STORY, published="2022-01-22", outlet="Перепечатка")
    early = article(STORY + " Подписывайтесь на наш канал.", published="2022-01-21", outlet="Агентство")
    ingest(db, [late], None)
    ingest(db, [early], None)
    flags = {row["id"]: row["first_report"] for row in db.rows("SELECT id, first_report FROM articles")}
    assert flags == {late.id: 0, early.id: 1}


# -- one batch: rows sent at its end --------------------------------------------------------------

LAVROV = ("e1", "PER", "Сергей Лавров", ["Сергей Лавров", "Лаврова"], "per:lavrov_sergey", "RUS")
BLINKEN = ("e2", "PER", "Энтони Блинкен", ["Энтони Блинкен", "Блинкен"], "per:blinken_antony", "USA")


def story(published: str, outlet: str, tail: str = "", url: str | None = None, participants=("e1", "e2")):
    return article(STORY + tail, published=published, outlet=outlet, url=url, entities=[LAVROV, BLINKEN],
                   quotes=[("q1", "откровенной и полезной", "e2")],
                   events=[{"type": "CONSULT", "subtype": "meeting", "trigger": "переговоры", "status": "occurred",
                            "participants": list(participants)}])


def test_a_copy_in_the_same_batch_joins_its_first_report_s_event(db):
    # one participant and no date: only the copy rule can join them (clustering would not)
    original = story("2022-01-21", "Агентство", participants=["e2"])
    copy = story("2022-01-21T12:00", "Портал", " Читайте также: другие новости.", participants=["e2"])
    summary = ingest(db, [original, copy], None)
    assert summary.duplicates == 1
    clusters = db.rows("SELECT id, reports FROM event_clusters")
    assert [row["reports"] for row in clusters] == [2]
    assert {row["cluster_id"] for row in db.rows("SELECT cluster_id FROM events")} == {clusters[0]["id"]}


def test_a_copy_published_earlier_in_the_same_batch_takes_the_facts_first_report_flag(db):
    late = story("2022-01-22", "Перепечатка")
    early = story("2022-01-21", "Агентство", " Подписывайтесь на наш канал.")
    ingest(db, [late, early], None)  # one batch: the late one's rows are still waiting when the early one comes
    for table in ("articles", "quotes", "events", "article_entities"):
        column = "id" if table == "articles" else "article_id"
        flags = {row["article"]: row["first_report"] for row in db.rows(
            f"SELECT {column} AS article, max(first_report) AS first_report FROM {table} GROUP BY {column}")}
        assert flags == {late.id: 0, early.id: 1}, table


def test_a_new_version_in_the_same_batch_retires_the_old_one_s_facts(db):
    url = "https://example.org/news/7"
    ingest(db, [story("2022-01-21", "Агентство", url=url),
                story("2022-01-21T15:00", "Агентство", " Обновлено: добавлены подробности встречи.", url=url)], None)
    assert [row["current"] for row in db.rows("SELECT current FROM articles ORDER BY version")] == [0, 1]
    for table in ("quotes", "events", "article_entities"):
        assert sorted(row["current"] for row in db.rows(f"SELECT DISTINCT current FROM {table}")) == [0, 1], table


def test_running_counts_of_a_batch_add_up_per_entity(db):
    records = [story("2022-01-21", "Агентство"),
               meeting(published="2021-12-22"), meeting(published="2021-12-29", extra="Это подтвердили в Кремле.")]
    ingest(db, records, None)
    blinken = db.row("SELECT articles, mentions, quotes, events, first_day, last_day, country FROM entities "
                     "WHERE kb_id = 'per:blinken_antony'")
    assert (blinken["articles"], blinken["quotes"], blinken["events"], blinken["country"]) == (1, 1, 1, "USA")
    biden = db.row("SELECT articles, events, first_day, last_day FROM entities WHERE kb_id = 'per:biden_joe'")
    assert (biden["articles"], biden["events"], biden["first_day"], biden["last_day"]) == \
        (2, 2, "2021-12-22", "2021-12-29")
    assert db.value("SELECT count FROM entity_aliases a JOIN entities e ON e.id = a.entity_id "
                    "WHERE e.kb_id = 'per:biden_joe' AND a.alias = 'Джо Байден'") == 4  # two name mentions each


def test_a_country_learnt_in_a_batch_keeps_a_later_namesake_apart_in_the_same_batch(db):
    def petrov(text, country):
        return article(text, entities=[("e1", "PER", "Иван Петров", ["Иван Петров"], None, country)])

    ingest(db, [petrov("Первая\nИван Петров выступил.", None), petrov("Вторая\nИван Петров выступил в Киеве.", "UKR"),
                petrov("Третья\nИван Петров выступил в Москве.", "RUS")], None)
    assert sorted(row["country"] for row in db.rows("SELECT country FROM entities")) == ["RUS", "UKR"]


def test_a_record_whose_rows_the_store_refuses_fails_alone(db):
    good, other = meeting(), meeting(published="2021-12-23", extra="Об этом сообщили в Кремле.")
    bad = story("2022-01-21", "Агентство")
    bad.quotes.append(bad.quotes[0])  # two quotes with one id: the quotes table refuses the second
    errors = []
    summary = ingest(db, [good, bad, other], None, on_error=errors.append)
    assert summary.stored == 2 and summary.failed == 1 and errors[0].article_id == bad.id
    assert db.value("SELECT count(*) FROM articles") == 2
    assert db.value("SELECT count(*) FROM quotes WHERE article_id = ?", (bad.id,)) == 0
    assert db.value("SELECT count(*) FROM entities WHERE kb_id = 'per:lavrov_sergey'") == 0  # its registry entity too


# -- the registry ---------------------------------------------------------------------------------

def test_the_same_person_across_articles_is_one_registry_entity(db):
    other = meeting(published="2021-12-23", text="Звонок\nБайден позвонил Путину, чтобы обсудить встреча министров "
                                                 "и ситуацию вокруг Украины, сообщил Белый дом в четверг.")
    ingest(db, [meeting(), other], None)
    assert db.value("SELECT count(*) FROM entities WHERE kb_id = 'per:biden_joe'") == 1
    profile = entity_profile(db, "Байден")
    assert profile["entity"]["name"] == "Джо Байден" and profile["counts"]["articles"] == 2
    assert profile["counts"]["first_day"] == "2021-12-22" and profile["counts"]["last_day"] == "2021-12-23"
    assert {row["name"] for row in profile["cooccurring"]} == {"Владимир Путин"}


def test_a_bare_surname_attaches_to_the_one_person_with_that_surname(db):
    full = article("Заявление\nПресс-секретарь Кремля Дмитрий Песков заявил журналистам.",
                   entities=[("e1", "PER", "Дмитрий Песков", ["Дмитрий Песков"], None)])
    bare = article("Комментарий\nПесков отказался комментировать слухи.", published="2021-12-23",
                   entities=[("e1", "PER", "Песков", ["Песков"], None)])
    ingest(db, [full, bare], None)
    assert db.value("SELECT count(*) FROM entities WHERE type = 'PER'") == 1
    assert db.value("SELECT rule FROM entity_keys WHERE key = 'PER:песков'") == "surname"


def test_a_surname_shared_by_two_people_stays_unresolved(db):
    records = [article("Первая\nАлександр Иванов выступил на форуме.",
                       entities=[("e1", "PER", "Александр Иванов", ["Александр Иванов"], None)]),
               article("Вторая\nСергей Иванов прокомментировал решение.",
                       entities=[("e1", "PER", "Сергей Иванов", ["Сергей Иванов"], None)]),
               article("Третья\nИванов не ответил на вопросы.", entities=[("e1", "PER", "Иванов", ["Иванов"], None)])]
    ingest(db, records, None)
    assert db.value("SELECT count(*) FROM entities WHERE type = 'PER'") == 3
    assert resolve_entity(db, "Иванов")["name"] == "Иванов"  # the bare surname, not one of the two
    with pytest.raises(Ambiguous):
        resolve_entity(db, "Иванова")  # matches all three: the user must choose


def test_namesakes_from_different_countries_stay_apart(db):
    records = [article("Первая\nИван Петров выступил в Киеве.", entities=[("e1", "PER", "Иван Петров", ["Иван Петров"], None, "UKR")]),
               article("Вторая\nИван Петров выступил в Москве.", entities=[("e1", "PER", "Иван Петров", ["Иван Петров"], None, "RUS")])]
    ingest(db, records, None)
    assert db.value("SELECT count(*) FROM entities WHERE type = 'PER'") == 2


def two_lavrovs(db) -> tuple[dict, dict]:
    """Two articles whose "Сергей Лавров" and "Сергей Викторович Лавров" became two
    registry entities (to be merged): (that of the first, that of the second)."""
    first = article("Первая\nГлава МИД Сергей Лавров заявил о переговорах.",
                    entities=[("e1", "PER", "Сергей Лавров", ["Сергей Лавров"], None)])
    other = article("Вторая\nСергей Викторович Лавров прибыл в Анталью.", published="2021-12-23",
                    entities=[("e1", "PER", "Сергей Викторович Лавров", ["Сергей Викторович Лавров"], None)])
    ingest(db, [first, other], None)
    return resolve_entity(db, "Сергей Лавров"), resolve_entity(db, "Сергей Викторович Лавров")


def full_lavrov(text: str, published: str):
    return article(text, published=published,
                   entities=[("e1", "PER", "Сергей Викторович Лавров", ["Сергей Викторович Лавров"], None)])


def test_merge_and_split_are_kept_on_later_ingests(db):
    keep, drop = two_lavrovs(db)
    merge_entities(db, keep["id"], drop["id"])
    ingest(db, [full_lavrov("Третья\nСергей Викторович Лавров выступил в ООН.", "2021-12-24")], None)
    assert db.value("SELECT count(*) FROM entities WHERE type = 'PER'") == 1
    assert entity_profile(db, "Лавров")["counts"]["articles"] == 3
    # and back: the key goes to an entity of its own, and stays there
    new_id = split_entity(db, keep["id"], "PER:сергей викторович лавров")
    assert db.value("SELECT count(*) FROM article_entities WHERE entity_id = ?", (new_id,)) == 2
    ingest(db, [full_lavrov("Четвертая\nСергей Викторович Лавров улетел.", "2021-12-25")], None)
    assert db.value("SELECT count(*) FROM article_entities WHERE entity_id = ?", (new_id,)) == 3


def test_a_merge_made_by_another_connection_is_followed_by_a_writer_that_kept_the_keys(db):
    # the writer keeps the registry keys it has seen (Database.memo); another connection's
    # commit (`letopis entities merge` while an ingest runs) makes it read them again
    keep, drop = two_lavrovs(db)
    assert db.memo["registry_keys"]["PER:сергей викторович лавров"][0] == drop["id"]
    elsewhere = Database(db.target)
    merge_entities(elsewhere, keep["id"], drop["id"])
    elsewhere.close()
    ingest(db, [full_lavrov("Третья\nСергей Викторович Лавров выступил в ООН.", "2021-12-24")], None)
    assert db.value("SELECT count(*) FROM article_entities WHERE entity_id = ?", (keep["id"],)) == 3


def test_the_near_duplicate_lookup_reads_no_article_but_those_sharing_a_key(db):
    # PostgreSQL without statistics (a new store's first minutes) planned the lookup from
    # the articles' side, reading every article each time: 10-20 ms an article for the
    # first 3,000 stored into a new store, instead of 6
    from letopis.store.writer import candidates_sql

    if db.dialect != "postgres":
        pytest.skip("PostgreSQL's planner")
    with db.transaction():
        db.execute("INSERT INTO articles (seq, id, dup_group, chars, record, ingested_at) "
                   "SELECT n, 'a' || n, 'a' || n, 1, repeat(md5(n::text), 60), '2021-12-22' "
                   "FROM generate_series(1, 5000) n")  # records a few KiB long, as stored ones are
        db.execute("INSERT INTO article_bands (key, article_seq) SELECT n * 19 + b, n "
                   "FROM generate_series(1, 5000) n, generate_series(0, 18) b")
    plan = "\n".join(row[0] for row in db.execute(
        "EXPLAIN " + candidates_sql(19), [*range(1000, 1019), ""]).fetchall())
    assert "Seq Scan on articles" not in plan, plan


def test_a_writer_gives_new_events_ids_no_other_connection_has_taken(db, monkeypatch):
    # a new event cluster's id comes from the writer (the next after the largest, kept in
    # Database.memo on SQLite; the identity's sequence on PostgreSQL): another connection's
    # clusters, stored between two of its batches, are not given again (a taken id would
    # be refused, and the batch stored a second time)
    import letopis.store.writer as writer

    def report(day: str):  # other words each: not near-duplicates of one another
        return meeting(published=day, extra=" ".join(f"заметка{day}x{word}" for word in range(30)))

    ingest(db, [report("2021-03-01")], None)
    elsewhere = Database(db.target)
    ingest(elsewhere, [report("2021-06-01")], None)
    elsewhere.close()
    passes = []
    original = writer.store_batch
    monkeypatch.setattr(writer, "store_batch", lambda *args, **kwargs: passes.append(1) or original(*args, **kwargs))
    summary = ingest(db, [report("2021-09-01"), report("2021-09-02")], None)
    assert summary.stored == 2 and summary.failed == 0 and len(passes) == 1
    clusters = db.rows("SELECT id, first_day, reports FROM event_clusters ORDER BY first_day")
    assert [(row["first_day"], row["reports"]) for row in clusters] == [
        ("2021-03-01", 1), ("2021-06-01", 1), ("2021-09-01", 2)]  # the two of September are one event
    events = db.rows("SELECT e.day, e.cluster_id FROM events e ORDER BY e.day")
    assert [event["cluster_id"] for event in events] == [clusters[0]["id"], clusters[1]["id"]] + [clusters[2]["id"]] * 2


def test_the_keys_of_an_article_rolled_back_are_not_kept(db, monkeypatch):
    import letopis.store.writer as writer

    lavrov = ("e1", "PER", "Сергей Лавров", ["Сергей Лавров"], None)
    bad = article("Первая\nСергей Лавров заявил о переговорах.", entities=[lavrov])
    good = article("Вторая\nСергей Лавров прибыл в Анталью.", published="2021-12-23", entities=[lavrov])
    original = writer.store_article

    def failing_late(database, record, *rest):
        stored = original(database, record, *rest)  # its entity registered, then a bug
        if record.id == bad.id:
            raise RuntimeError("simulated bug")
        return stored

    monkeypatch.setattr(writer, "store_article", failing_late)
    summary = ingest(db, [bad, good], None)
    assert summary.stored == 1 and summary.failed == 1
    assert db.value("SELECT count(*) FROM article_entities x WHERE NOT EXISTS "
                    "(SELECT 1 FROM entities e WHERE e.id = x.entity_id)") == 0  # no link to a rolled-back entity
    assert db.value("SELECT count(*) FROM entities WHERE type = 'PER'") == 1


def test_after_a_merge_later_reports_find_the_events_of_the_merged_entity(db):
    # "Сергей Викторович Лавров" was an entity of his own when the talks were announced;
    # merged into "Сергей Лавров", a report naming the latter joins those talks
    lavrov = ("e1", "PER", "Сергей Лавров", ["Сергей Лавров"], None)
    full = ("e1", "PER", "Сергей Викторович Лавров", ["Сергей Викторович Лавров"], None)
    blinken = ("e2", "PER", "Энтони Блинкен", ["Блинкен"], "per:blinken_antony")
    talks = {"type": "CONSULT", "subtype": "talks", "trigger": "переговоры", "participants": ["e1", "e2"]}
    ingest(db, [article("Анонс\nСергей Викторович Лавров и Блинкен проведут переговоры.", published="2022-01-18",
                        entities=[full, blinken], events=[{**talks, "status": "planned"}]),
                article("Другое\nСергей Лавров выступил в Москве.", published="2022-01-18", entities=[lavrov])], None)
    merge_entities(db, resolve_entity(db, "Сергей Лавров")["id"], resolve_entity(db, "Сергей Викторович Лавров")["id"])
    ingest(db, [article("Итоги\nСергей Лавров и Блинкен провели переговоры в Женеве.", published="2022-01-21",
                        entities=[lavrov, blinken], events=[{**talks, "status": "occurred"}])], None)
    assert db.rows("SELECT reports, status FROM event_clusters") == [{"reports": 2, "status": "occurred"}]
    assert_actor_counts(db)


def test_after_a_merge_of_two_places_a_report_in_the_one_kept_finds_the_event(db):
    # the event's pairs carry its place (migration 0010): merged, they carry the one kept
    city = ("e3", "LOC", "Женева-Сити", ["Женева-Сити"], None)
    meeting_in = {"type": "CONSULT", "subtype": "meeting", "trigger": "Встреча", "participants": ["e1", "e2"],
                  "place": "e3", "time": "t1"}
    ingest(db, [article("Анонс\nВстреча Байдена и Путина в Женева-Сити намечена на 10 января.", published="2022-01-05",
                        entities=[BIDEN, PUTIN, city], times=[("t1", "10 января", "2022-01-10")],
                        events=[{**meeting_in, "status": "planned"}]),
                article("Другое\nЖенева готовится к саммиту.", published="2022-01-06", entities=[GENEVA])], None)
    merge_entities(db, resolve_entity(db, "Женева")["id"], resolve_entity(db, "Женева-Сити")["id"])
    ingest(db, [article("Итоги\nВстреча Байдена и Путина прошла в Женеве 10 января.", published="2022-01-11",
                        entities=[BIDEN, PUTIN, GENEVA], times=[("t1", "10 января", "2022-01-10")],
                        events=[{**meeting_in, "status": "occurred"}])], None)
    assert db.rows("SELECT reports, status FROM event_clusters") == [{"reports": 2, "status": "occurred"}]


def assert_actor_counts(db) -> None:
    """Each event's actor_count is how many actors cluster_actors holds for it."""
    assert db.rows("SELECT c.id, c.actor_count FROM event_clusters c WHERE c.actor_count <> "
                   "(SELECT count(*) FROM cluster_actors a WHERE a.cluster_id = c.id)") == []


# -- events ---------------------------------------------------------------------------------------

def test_reports_of_one_meeting_form_one_event_with_its_status_history(db):
    planned = meeting(published="2022-01-05", status="planned",
                      text="Саммит в январе\nОчная встреча Джо Байдена и Путина намечена на 10 января.",
                      time=("t1", "10 января", "2022-01-10"))
    held = meeting(published="2022-01-11", status="occurred",
                   text="Итоги\nОчная встреча Байдена и Путина прошла в Женеве 10 января.",
                   time=("t1", "10 января", "2022-01-10"))
    unrelated = meeting(published="2022-03-01", status="planned",
                        text="Весной\nНовая встреча Байдена и Путина возможна в апреле.", time=("t1", "в апреле", "2022-04"))
    ingest(db, [planned, held, unrelated], None)
    found = events(db, between=("Байден", "Путин"))["items"]
    assert len(found) == 2
    january = next(item for item in found if item["time"] == "2022-01-10")
    assert january["reports"] == 2 and january["status"] == "occurred"
    assert january["first_report"]["id"] == planned.id
    detail = event_cluster(db, january["id"])
    assert [step["status"] for step in detail["status_history"]] == ["planned", "occurred"]


@pytest.mark.parametrize("first, second", [
    (("в январе", "2022-01"), ("10 января", "2022-01-10")),   # the month, then its day
    (("10 января", "2022-01-10"), ("в январе", "2022-01")),   # the day, then its month
    (("в 2022 году", "2022"), ("10 января", "2022-01-10")),    # the year, then a day of it
    (None, ("10 января", "2022-01-10")),                       # no calendar time, reported days before
    (("10 января", "2022-01-10"), None),
])
def test_reports_whose_times_contain_one_another_are_one_event(db, first, second):
    def report(published, status, when, number):
        words = f" {when[0]}" if when else ""
        return meeting(published=published, status=status, time=("t1", *when) if when else None,
                       text=f"Сообщение {number}\nОчная встреча Байдена и Путина{words} {status}.")
    ingest(db, [report("2022-01-05", "planned", first, 1), report("2022-01-11", "occurred", second, 2),
                report("2022-01-12", "planned", ("в феврале", "2022-02"), 3)], None)  # another month: another event
    assert sorted(db.value("SELECT reports FROM event_clusters WHERE id = ?", (row["id"],))
                  for row in db.rows("SELECT id FROM event_clusters")) == [1, 2]


def test_an_event_of_many_actors_keeps_finding_its_reports(db):
    # each report of the summit names Biden, Putin and one more delegate: past
    # PAIRED_ACTORS actors the event keeps no actor pairs (n actors make n(n-1)/2), and a
    # report naming two of the later delegates alone still joins it
    from letopis.store.clusters import PAIRED_ACTORS

    def report(number, people, day, presidents=True):
        names = [(f"e{at + 3}", "PER", f"Делегат{person}", [f"Делегат{person}"], None)
                 for at, person in enumerate(people)]
        listed = ", ".join(f"Делегат{person}" for person in people)
        heads = "Байдена, Путина, " if presidents else ""
        return article(f"Саммит {number}\nОчная встреча {heads}{listed} прошла 10 января. "
                       + " ".join(f"подробность{number}x{word}" for word in range(40)),
                       published=f"2022-01-{day:02d}", entities=([BIDEN, PUTIN] if presidents else []) + names,
                       times=[("t1", "10 января", "2022-01-10")],
                       events=[{"type": "CONSULT", "subtype": "meeting", "trigger": "встреча", "status": "occurred",
                                "participants": (["e1", "e2"] if presidents else [])
                                + [f"e{at + 3}" for at in range(len(people))], "time": "t1"}])

    ingest(db, [report(number, [number], 10 + number % 5) for number in range(1, PAIRED_ACTORS + 3)], None)
    [cluster] = db.rows("SELECT id, reports FROM event_clusters")
    assert cluster["reports"] == PAIRED_ACTORS + 2
    assert db.value("SELECT count(*) FROM cluster_pairs") == 0
    assert db.rows("SELECT DISTINCT many FROM cluster_actors") == [{"many": 1}]
    ingest(db, [report(99, [PAIRED_ACTORS + 1, PAIRED_ACTORS + 2], 16, presidents=False)], None)
    assert db.rows("SELECT id, reports, last_day, actor_count FROM event_clusters") == [
        {"id": cluster["id"], "reports": PAIRED_ACTORS + 3, "last_day": "2022-01-16", "actor_count": PAIRED_ACTORS + 4}]
    assert_actor_counts(db)


def test_a_report_finds_its_event_among_many_newer_ones_of_the_same_actors(db):
    # a busy month: after the January meeting was announced, fifty-five other meetings of
    # the same two were announced for February and March; the report that the January one
    # was held still joins it (the lookup once read only the 50 newest clusters of the pair)
    from datetime import date, timedelta
    planned = meeting(published="2022-01-05", status="planned",
                      text="Саммит в январе\nОчная встреча Джо Байдена и Путина намечена на 10 января.",
                      time=("t1", "10 января", "2022-01-10"))
    others = [meeting(published="2022-01-06", status="planned",
                      text=f"Анонс {number}\nНовая встреча Байдена и Путина пройдет в день номер {number}. "
                           + " ".join(f"повестка{number}x{word}" for word in range(40)),  # no near-copies
                      time=("t1", f"в день номер {number}", (date(2022, 2, 1) + timedelta(days=number)).isoformat()))
              for number in range(55)]
    held = meeting(published="2022-01-11", status="occurred",
                   text="Итоги\nОчная встреча Байдена и Путина прошла в Женеве 10 января.",
                   time=("t1", "10 января", "2022-01-10"))
    ingest(db, [planned, *others, held], None)
    january = [item for item in events(db, between=("Байден", "Путин"), page=Page(limit=100))["items"]
               if item["time"] == "2022-01-10"]
    assert len(january) == 1
    assert january[0]["reports"] == 2 and january[0]["status"] == "occurred"
    assert db.value("SELECT count(*) FROM event_clusters") == 56


def test_a_report_finds_its_event_among_many_of_the_same_actors_and_day_elsewhere(db):
    # fifty-five meetings of the same two on the same day, each in another city, were
    # announced after the one in Geneva: the report that the Geneva one was held joins it
    # (the fifty likeliest by actors and report day were read first, all of them in other
    # cities, and it started an event of its own; the pairs' index now leaves them out)
    planned = article("Саммит в январе\nВстреча Байдена и Путина в Женеве намечена на 10 января.",
                      published="2022-01-05", entities=[BIDEN, PUTIN, GENEVA], times=[("t1", "10 января", "2022-01-10")],
                      events=[{"type": "CONSULT", "subtype": "meeting", "trigger": "Встреча", "status": "planned",
                               "participants": ["e1", "e2"], "place": "e3", "time": "t1"}])
    others = [article(f"Анонс {number}\nВстреча Байдена и Путина пройдет 10 января в Сити{number}. "
                      + " ".join(f"повестка{number}x{word}" for word in range(40)),  # no near-copies
                      published="2022-01-08", entities=[BIDEN, PUTIN, ("e3", "LOC", f"Сити{number}",
                                                                      [f"Сити{number}"], None)],
                      times=[("t1", "10 января", "2022-01-10")],
                      events=[{"type": "CONSULT", "subtype": "meeting", "trigger": "Встреча", "status": "planned",
                               "participants": ["e1", "e2"], "place": "e3", "time": "t1"}])
              for number in range(55)]
    held = article("Итоги\nВстреча Байдена и Путина прошла в Женеве 10 января.",
                   published="2022-01-11", entities=[BIDEN, PUTIN, GENEVA], times=[("t1", "10 января", "2022-01-10")],
                   events=[{"type": "CONSULT", "subtype": "meeting", "trigger": "Встреча", "status": "occurred",
                            "participants": ["e1", "e2"], "place": "e3", "time": "t1"}])
    ingest(db, [planned, *others, held], None)
    geneva = [item for item in events(db, between=("Байден", "Путин"), page=Page(limit=100))["items"]
              if item["place"] and item["place"]["name"] == "Женева"]
    assert [(item["reports"], item["status"]) for item in geneva] == [(2, "occurred")]
    assert db.value("SELECT count(*) FROM event_clusters") == 56
    # the pairs carry their event's subtype, place and first report day, also once a report fills them in
    assert db.value("SELECT count(*) FROM cluster_pairs p JOIN event_clusters c ON c.id = p.cluster_id "
                    "WHERE p.subtype IS DISTINCT FROM c.subtype OR p.place_id IS DISTINCT FROM c.place_id "
                    "OR p.first_day IS DISTINCT FROM c.first_day") == 0
    vague = article("Без места\nВстреча Байдена и Путина намечена на 20 января.", published="2022-01-12",
                    entities=[BIDEN, PUTIN], times=[("t1", "20 января", "2022-01-20")],
                    events=[{"type": "CONSULT", "trigger": "Встреча", "status": "planned",
                             "participants": ["e1", "e2"], "time": "t1"}])
    placed = article("С местом\nВстреча Байдена и Путина в Женеве прошла 20 января.", published="2022-01-21",
                     entities=[BIDEN, PUTIN, GENEVA], times=[("t1", "20 января", "2022-01-20")],
                     events=[{"type": "CONSULT", "subtype": "summit", "trigger": "Встреча", "status": "occurred",
                              "participants": ["e1", "e2"], "place": "e3", "time": "t1"}])
    ingest(db, [vague, placed], None)
    [row] = db.rows("SELECT DISTINCT p.subtype, p.place_id, c.reports FROM cluster_pairs p "
                    "JOIN event_clusters c ON c.id = p.cluster_id WHERE c.time_value = '2022-01-20'")
    assert row["subtype"] == "summit" and row["place_id"] is not None and row["reports"] == 2
    earlier = article("Раньше всех\nВстреча Байдена и Путина в Женеве пройдет 20 января.", published="2022-01-02",
                      entities=[BIDEN, PUTIN, GENEVA], times=[("t1", "20 января", "2022-01-20")],
                      events=[{"type": "CONSULT", "subtype": "summit", "trigger": "Встреча", "status": "planned",
                               "participants": ["e1", "e2"], "place": "e3", "time": "t1"}])
    ingest(db, [earlier], None)  # an earlier first report: the pairs' first report day follows
    assert db.rows("SELECT DISTINCT p.first_day, c.reports FROM cluster_pairs p JOIN event_clusters c "
                   "ON c.id = p.cluster_id WHERE c.time_value = '2022-01-20'") == [{"first_day": "2022-01-02", "reports": 3}]


def test_event_lookups_keep_their_indexes_under_skewed_statistics(tmp_path):
    # the statistics of a 40,000-article store (sqlite_stat1 after `PRAGMA optimize`):
    # an entity has 49 clusters on average, so SQLite took the entity index to read which
    # of a frame's actors its 50 candidate clusters have, and read every cluster of
    # Russia to do it (3 ms per article, half the store's time then)
    from letopis.store.clusters import actors_among
    store = open_store(str(tmp_path / "store.db"))
    planned = meeting(published="2022-01-05", status="planned", time=("t1", "10 января", "2022-01-10"),
                      text="Саммит в январе\nОчная встреча Джо Байдена и Путина намечена на 10 января.")
    ingest(store, [planned], None)
    store.execute("ANALYZE")
    store.execute("DELETE FROM sqlite_stat1")
    store.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", [
        ("cluster_pairs", "cluster_pairs_time", "261627 96 6 5 4 2 1"),
        ("cluster_pairs", "cluster_pairs", "261627 2 2 1"),
        ("cluster_actors", "cluster_actors_many_time", "4163 5 5 4 1 1"),
        ("cluster_actors", "cluster_actors_time", "516115 49 31 22 3 1"),
        ("cluster_actors", "sqlite_autoindex_cluster_actors_1", "516115 2 1")])
    store.execute("ANALYZE sqlite_schema")  # the planner reloads them
    statements: list[str] = []
    store.connection.set_trace_callback(statements.append)
    [cluster_id] = [row["id"] for row in store.rows("SELECT id FROM event_clusters")]
    found = actors_among(store, [cluster_id, *range(1000, 1049)], [1, 2, 3, 4])
    held = meeting(published="2022-01-11", status="occurred", time=("t1", "10 января", "2022-01-10"),
                   text="Итоги\nОчная встреча Байдена и Путина прошла в Женеве 10 января.")
    ingest(store, [held], None)  # the lookup of the candidates
    store.connection.set_trace_callback(None)

    def plan(statement):
        return " | ".join(row[3] for row in store.connection.execute("EXPLAIN QUERY PLAN " + statement))

    assert found[cluster_id] == {1, 2} and not found[1000]
    [among] = [plan(statement) for statement in statements if "+entity_id IN" in statement][:1]
    assert "sqlite_autoindex_cluster_actors_1 (cluster_id=?)" in among, among
    lookups = [plan(statement) for statement in statements if "count(*) AS found" in statement]
    assert lookups and all("cluster_pairs_time" in found and "cluster_actors_time" not in found
                           for found in lookups), lookups
    # and no lookup among the events of many actors: none has two of these actors
    assert not any("cluster_actors_many" in found for found in lookups), lookups
    assert [(row["reports"], row["status"]) for row in store.rows("SELECT reports, status FROM event_clusters")] \
        == [(2, "occurred")]
    store.close()


def test_the_events_of_a_type_are_read_newest_first_through_the_day_index_alone(tmp_path):
    # one index (day, type, id) serves the events' pages with and without a type (0009):
    # with a large store's statistics, a type's events by skipping from day to day in it,
    # no sort of every event, and the newest first of them all with each day's sorted
    store = open_store(str(tmp_path / "store.db"))
    ingest(store, [meeting(published="2021-12-20", status="planned")], None)
    store.execute("ANALYZE")
    store.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'event_clusters'")
    store.execute("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('event_clusters', 'event_clusters_day_type', "
                  "'884869 800 60 1')")  # 100,000 articles: 1,100 days, 15 types
    store.execute("ANALYZE sqlite_schema")
    statements: list[str] = []
    store.connection.set_trace_callback(statements.append)
    typed, every = events(store, type="consult"), events(store)
    store.connection.set_trace_callback(None)
    assert [item["type"] for item in typed["items"]] == ["CONSULT"] and len(every["items"]) == 1
    plans = [" | ".join(row[3] for row in store.connection.execute("EXPLAIN QUERY PLAN " + statement))
             for statement in statements if statement.startswith("SELECT c.* FROM event_clusters")]
    assert len(plans) == 2
    assert "USING INDEX event_clusters_day_type (ANY(day) AND type=?)" in plans[0] and "TEMP" not in plans[0], plans
    assert "USING INDEX event_clusters_day_type" in plans[1] and "RIGHT PART OF ORDER BY" in plans[1], plans
    store.close()


def test_every_event_lookup_seeks_its_time_or_day_range(tmp_path):
    # a frame's candidates through indexes that seek the range, never every cluster of a
    # pair: without a calendar time the last report day (*_day indexes), with one its time
    # value (*_time); a range read by actors and type alone once read 2,408 clusters of
    # the busiest pair per lookup at 40,000 articles, growing with the store
    store = open_store(str(tmp_path / "store.db"))
    statements: list[str] = []
    store.connection.set_trace_callback(statements.append)
    ingest(store, [meeting(published="2021-12-20", status="planned"), meeting(published="2021-12-22", text=(
        "Кремль о переговорах\nПесков сказал, что новая встреча Байдена и Путина не планируется."))], None)
    ingest(store, [meeting(published="2022-01-05", status="planned", time=("t1", "10 января", "2022-01-10"),
                           text="Саммит в январе\nОчная встреча Джо Байдена и Путина намечена на 10 января.")], None)
    store.connection.set_trace_callback(None)
    lookups = [statement for statement in statements if "count(*) AS found" in statement]
    assert len(lookups) == 3
    for lookup in lookups:
        searches = [row[3] for row in store.connection.execute("EXPLAIN QUERY PLAN " + lookup)
                    if row[3].startswith("SEARCH cluster_")]
        assert searches and all("last_day>" in search or "time_value=" in search or "time_value>" in search
                                for search in searches), searches
    by_day, by_time = lookups[1], lookups[2]  # 2021-12-22 (no calendar time), then 2022-01-10
    assert "cluster_pairs_day" in by_day and "_time" not in by_day
    assert "cluster_pairs_time" in by_time
    assert "cluster_actors_many" not in by_day + by_time  # no event of many actors has two of theirs
    assert store.value("SELECT reports FROM event_clusters WHERE time_value IS NULL") == 2
    # once Biden and Putin are actors of events of many actors, those are looked up too,
    # through the many indexes by day or by time
    from letopis.store.clusters import Frame, find_cluster

    store.execute("UPDATE cluster_actors SET many = 1")
    store.memo.clear()  # (the store's own code keeps it: add_actors)
    pair = {row["entity_id"] for row in store.rows("SELECT entity_id FROM cluster_actors")}
    statements.clear()
    store.connection.set_trace_callback(statements.append)
    for value in (None, "2022-01-10"):
        find_cluster(store, Frame("CONSULT", None, pair, value, None, "2022-01-06", "planned", "x"))
    store.connection.set_trace_callback(None)
    by_day, by_time = [" | ".join(row[3] for row in store.connection.execute("EXPLAIN QUERY PLAN " + statement))
                       for statement in statements if "count(*) AS found" in statement]
    assert "cluster_actors_many " in by_day and "cluster_actors_many_time" in by_time
    store.close()


def test_only_a_year_or_a_month_is_looked_up_with_the_values_within_it():
    # 2022-01 holds 2022-01-10 and 2022-W02 holds nothing more precise: a frame of a day,
    # a week or a season seeks its own value and the wider ones, no range below it
    from letopis.store.clusters import Frame, candidate_ranges

    def ranges(value):
        return [(condition, values[:2]) for condition, values, _ in
                candidate_ranges(Frame("CONSULT", None, {1, 2}, value, None, "2022-01-06", "planned", "x"))]

    below = "time_value > ? AND time_value < ? AND last_day >= ?"
    assert (below, ["2022-01", "2022-01~"]) in ranges("2022-01")
    assert (below, ["2022", "2022~"]) in ranges("2022")
    for value in ("2022-01-10", "2022-W02", "2022-SU"):
        assert not any(condition == below for condition, _ in ranges(value)), value
    assert [values for condition, values in ranges("2022-01-10") if condition.startswith("time_value = ")] == [
        ["2022", "2021-11-07"], ["2022-01", "2021-11-07"], ["2022-01-10", "2021-11-07"]]


def test_a_forward_looking_report_reads_no_event_whose_time_ended_before_it():
    # same_event turns those down (a plan for 21 December reported in May is not the
    # meeting of 21 December): the lookup does not read them, only events without a
    # calendar time near its day; a report of what happened reads them all
    from letopis.store.clusters import Frame, candidate_ranges

    def values(status, value, day, actors=(1, 2)):
        return [tuple(values[:2]) for _, values, _ in
                candidate_ranges(Frame("CONSULT", None, set(actors), value, None, day, status, "x"))]

    assert values("planned", "2021-12-21", "2022-05-26") == [("2022-05-16", "2022-06-05")]  # the near ones
    assert values("occurred", "2021-12-21", "2022-05-26") == [
        ("2021", "2022-03-27"), ("2021-12", "2022-03-27"), ("2021-12-21", "2022-03-27"), ("2022-05-16", "2022-06-05")]
    assert values("planned", "2021-12-21", "2021-12-20") == values("occurred", "2021-12-21", "2021-12-20")
    assert values("planned", "2021-12-21", "2022-05-26", actors=(1,)) == []  # one actor: its exact day only
    # a year: its own value ended on 31 December, the winter within it runs to February
    assert ("2021", "2021~") in values("not_planned", "2021", "2022-02-01")
    assert ("2021", "2021-12-02") not in values("not_planned", "2021", "2022-02-01")
    assert values("not_planned", "2021", "2022-03-15") == [("2022-03-05", "2022-03-25")]


def test_a_meeting_not_planned_stays_apart_from_the_ones_held_before(db):
    # the seed's construction: one article, three meetings of the same two men
    text = ("Встречи не будет\nНовая встреча Байдена с Путиным пока не планируется. "
            "В этом году у них было две встречи – личная в Женеве летом и по видеосвязи недавно.")
    record = article(text, published="2021-12-22", entities=[BIDEN, PUTIN, GENEVA],
                     times=[("t1", "летом", "2021-SU"), ("t2", "недавно", "PAST_REF")],
                     events=[{"trigger": "встреча", "subtype": "meeting", "status": "not_planned",
                              "participants": ["e1", "e2"]},
                             {"trigger": "личная", "subtype": "meeting", "status": "occurred",
                              "participants": ["e1", "e2"], "place": "e3", "time": "t1"},
                             {"trigger": "по видеосвязи", "subtype": "video call", "status": "occurred",
                              "participants": ["e1", "e2"], "time": "t2"}])
    # a later article on the summer summit joins it; a forward-looking one joins the
    # "next meeting" (not planned, then possible), never the one held in the summer
    later = article("Итоги года\nВстреча Байдена и Путина в Женеве летом прошла спокойно.", published="2021-12-28",
                    entities=[BIDEN, PUTIN, GENEVA], times=[("t1", "летом", "2021-SU")],
                    events=[{"trigger": "Встреча", "subtype": "meeting", "status": "occurred",
                             "participants": ["e1", "e2"], "place": "e3", "time": "t1"}])
    hope = article("Надежды\nВстреча Байдена и Путина может пройти весной.", published="2021-12-29",
                   entities=[BIDEN, PUTIN], events=[{"trigger": "Встреча", "subtype": "meeting", "status": "possible",
                                                     "participants": ["e1", "e2"]}])
    ingest(db, [record, later, hope], None)
    found = events(db, between=("Байден", "Путин"))["items"]
    by_status = sorted((item["status"], item["reports"]) for item in found)
    assert by_status == [("occurred", 1), ("occurred", 2), ("possible", 2)]
    geneva = next(item for item in found if item["status"] == "occurred" and item["reports"] == 2)
    assert geneva["time"] == "2021-SU"
    following = next(item for item in found if item["status"] == "possible")
    history = event_cluster(db, following["id"])["status_history"]
    assert [step["status"] for step in history] == ["not_planned", "possible"]


def test_calendar_values_end_where_they_should():
    from letopis.store.clusters import calendar_end, ended_before

    assert calendar_end("2021-SU") == "2021-08-31"
    assert calendar_end("2021-02") == "2021-02-28"
    assert calendar_end("2021-12") == "2021-12-31"
    assert calendar_end("2021-W51") == "2021-12-26"
    assert calendar_end("2021") == "2021-12-31"
    assert calendar_end("PAST_REF") is None
    assert ended_before("2021-SU", "2021-12-22") and not ended_before("2021-12", "2021-12-22")


def test_events_filter_by_status_type_and_dyad(db):
    ingest(db, [meeting()], None)
    assert len(events(db, status="not_planned")["items"]) == 1
    assert events(db, status="occurred")["items"] == []
    assert events(db, type="THREATEN")["items"] == []
    item = events(db, type="consult", between=("Путин", "Байден"))["items"][0]
    assert item["countries"] == ["RUS", "USA"] and item["subtype"] == "meeting"


# -- quotes, search, timeline ----------------------------------------------------------------------

def quoted():
    text = ("Блинкен о России\nГоссекретарь США Энтони Блинкен заявил: «Россия должна отвести войска от границы». "
            "Позже Блинкен добавил: «Мы готовы к встречам с российской стороной».")
    blinken = ("e1", "PER", "Энтони Блинкен", ["Энтони Блинкен", "Блинкен"], "per:blinken_antony", "USA",
               ["Госсекретарь США"])
    russia = ("e2", "GPE", "Россия", ["Россия"], "gpe:russia", "RUS")
    return article(text, published="2021-12-10", entities=[blinken, russia],
                   quotes=[("q1", "Россия должна отвести войска от границы", "e1"),
                           ("q2", "Мы готовы к встречам с российской стороной", "e1")])


def test_events_of_a_pair_and_a_third_actor(db):
    # between two (their pair's clusters) and with a third (that actor's clusters)
    lavrov = ("e3", "PER", "Сергей Лавров", ["Лавров"], None)
    three = article("Переговоры\nБайден, Путин и Лавров проведут переговоры в январе.", published="2022-01-05",
                    entities=[BIDEN, PUTIN, lavrov],
                    events=[{"type": "CONSULT", "subtype": "talks", "trigger": "переговоры", "status": "planned",
                             "participants": ["e1", "e2", "e3"]}])
    ingest(db, [meeting(published="2021-06-01"), three], None)
    assert len(events(db, between=("Байден", "Путин"))["items"]) == 2
    assert [item["subtype"] for item in events(db, between=("Байден", "Путин"), actor="Лавров")["items"]] == ["talks"]
    assert len(events(db, between=("Байден", "Байден"))["items"]) == 2  # the same one twice: its events


def test_quotes_by_speaker_subject_date_and_words(db):
    ingest(db, [quoted()], None)
    assert len(quotes(db, speaker="Блинкен")["items"]) == 2
    about = quotes(db, speaker="Блинкен", about="Россия")["items"]
    assert [item["text"] for item in about] == ["Россия должна отвести войска от границы"]
    assert quotes(db, speaker="Блинкен", since="2021-12-11")["items"] == []
    words = quotes(db, text="встреча")["items"]  # a form the quote does not contain
    assert [item["id"] for item in words] == ["q2"]
    item = words[0]
    assert item["speaker"]["name"] == "Энтони Блинкен" and item["start"] < item["end"]
    with pytest.raises(NotFound):
        quotes(db, speaker="Никтоневестный")


def test_search_matches_other_word_forms_and_marks_them(db):
    ingest(db, [quoted(), meeting()], None)
    found = search(db, "войсками")["items"]
    assert len(found) == 1
    snip = found[0]["snippet"]
    text = json.loads(db.value("SELECT record FROM articles WHERE id = ?", (found[0]["id"],)))["text"]
    assert [text[a:b] for a, b in snip["marks"]] == ["войска"]
    assert search(db, "встречи Путина")["items"][0]["id"] == meeting().id
    assert search(db, "")["items"] == []
    assert search(db, "\"; DROP TABLE articles; --")["items"] == []  # words only, as parameters
    assert db.value("SELECT count(*) FROM articles") == 2


def test_search_words_come_from_the_tokens_and_the_tokens_do_not_wait_for_the_batch(db):
    # the NLP stage's lemmas are what is indexed (here made-up ones, which pymorphy3
    # cannot give): worked out when the article joins its store batch, after which its
    # tokens are let go (a batch of 1,024 full articles held 270 MiB)
    from letopis.record import Sentence, Token
    record = article("Итоги\nЛавров заявил: «Переговоры в Женеве продолжатся».",
                     entities=[("e1", "PER", "Сергей Лавров", ["Лавров"], None)],
                     quotes=[("q1", "Переговоры в Женеве продолжатся", "e1")])
    words = {"Итоги": "итогозавр", "Лавров": "лавров", "заявил": "заявить", "Переговоры": "переговорозавр",
             "в": "в", "Женеве": "женевозавр", "продолжатся": "продолжиться"}
    tokens = [Token(start, start + len(word), word, lemma) for word, lemma in words.items()
              for start in [record.text.index(word)]]
    record.sentences = [Sentence(0, len(record.text), "body", tokens)]
    waited = []
    ingest(db, [record], None, on_stored=lambda stored, result: waited.append(stored.sentences))
    assert waited == [[]]
    assert [item["id"] for item in search(db, "итогозавр")["items"]] == [record.id]
    assert [item["text"] for item in quotes(db, text="женевозавр")["items"]] == ["Переговоры в Женеве продолжатся"]


def test_a_tokens_search_words_are_its_lemma_then_its_own_form_folded():
    from letopis.store.search import token_words
    assert token_words("Встречи", "встреча") == ("встреча", "встречи")
    assert token_words("Ёлки", "Ёлка") == ("елка", "елки")  # lower case, ё as е
    assert token_words("встреча", "встреча") == ("встреча",)
    assert token_words("Женеве", None) == ("женеве",)  # no lemma: the form alone
    assert token_words("«", "«") == () and token_words("", None) == ()  # punctuation has none
    assert token_words("Ростов-на-Дону", "ростов-на-дону") == ("ростов-на-дону",)


def test_a_word_in_most_articles_is_ranked_among_its_newest_matches(db, monkeypatch):
    import letopis.store.query as store_query

    monkeypatch.setattr(store_query, "RANK_WINDOW", 2)
    monkeypatch.setattr(store_query, "RANK_WINDOW_POSTGRES", 2)
    records = [article(f"Новость {n}\nПесков заявил о встрече номер {n}.", published=f"2021-12-{10 + n:02d}")
               for n in range(4)]
    ingest(db, records, None)
    found = search(db, "встреча", page=Page(limit=2))
    assert found["ranked_among_newest"] == 2
    assert sorted(item["id"] for item in found["items"]) == sorted(record.id for record in records[2:])
    dated = search(db, "встреча", since="2021-12-01", page=Page(limit=2))  # a filter: every match is ranked
    assert len(dated["items"]) == 2 and "ranked_among_newest" not in dated
    assert "ranked_among_newest" not in search(db, "номер 1", page=Page(limit=2))


def test_timeline_lists_quotes_and_events_in_time_order(db):
    ingest(db, [quoted(), meeting(published="2021-12-22")], None)
    result = timeline(db, "Блинкен", by="month")
    assert [item["kind"] for item in result["items"]] == ["quote", "quote"]
    assert result["counts"] == [{"period": "2021-12", "articles": 1, "quotes": 2, "events": 0}]
    biden = timeline(db, "Байден", by="week")
    assert biden["items"][0]["kind"] == "event" and biden["counts"][0]["period"] == "2021-W51"
    assert not result["truncated"]


def test_a_long_timeline_lists_the_latest_items_and_counts_them_all(db):
    speeches = [article(f"Брифинг {n}\nПесков заявил: «Ответ номер {n} будет дан позже».", published=f"2021-{month:02d}-10",
                        entities=[("e1", "PER", "Дмитрий Песков", ["Песков"], "per:peskov")],
                        quotes=[("q1", f"Ответ номер {n} будет дан позже", "e1")])
                for n, month in enumerate((1, 2, 3, 4, 5), 1)]
    ingest(db, speeches, None)
    result = timeline(db, "Песков", by="month", limit=2)
    assert result["truncated"]
    assert [item["day"] for item in result["items"]] == ["2021-04-10", "2021-05-10"]  # the latest, in time order
    assert [(row["period"], row["quotes"], row["articles"]) for row in result["counts"]] == [
        (f"2021-{month:02d}", 1, 1) for month in (1, 2, 3, 4, 5)]


def test_pages_are_stable(db):
    records = [article(f"Новость {n}\nПесков заявил о встрече номер {n} с журналистами.", published=f"2021-12-{10 + n:02d}",
                       entities=[("e1", "PER", "Дмитрий Песков", ["Песков"], "per:peskov")],
                       quotes=[(f"q1", f"о встрече номер {n}", "e1", "indirect")]) for n in range(6)]
    ingest(db, records, None)
    first = quotes(db, speaker="Песков", page=Page(limit=4))["items"]
    second = quotes(db, speaker="Песков", page=Page(limit=4, offset=4))["items"]
    assert len(first) == 4 and len(second) == 2
    assert [item["day"] for item in first + second] == sorted([item["day"] for item in first + second], reverse=True)


# -- export ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_writes_one_loadable_file_per_table(db, tmp_path, fmt):
    from letopis.store.export import export

    ingest(db, [quoted(), meeting()], None)
    written = dict(export(db, str(tmp_path / "out"), fmt, ["articles", "entities", "quotes", "events"]))
    assert {path.rsplit("/", 1)[1] for path in written} == {f"{t}.{fmt}" for t in ("articles", "entities", "quotes", "events")}
    counts = {path.rsplit("/", 1)[1].split(".")[0]: count for path, count in written.items()}
    assert counts == {"articles": 2, "entities": 4, "quotes": 2, "events": 1}
    events_path = next(path for path in written if "events" in path)
    if fmt == "parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(events_path)
        assert table.num_rows == 1 and table.column("actors").to_pylist()[0][0]["country"] in ("USA", "RUS")
    elif fmt == "jsonl":
        from letopis.record import Article, validate

        lines = open(next(path for path in written if "articles" in path), encoding="utf-8").read().splitlines()
        records = [json.loads(line) for line in lines]
        assert all(not validate(Article.from_dict(record)) for record in records)
        assert all("store" in record for record in records)
    else:
        import csv

        rows = list(csv.DictReader(open(events_path, encoding="utf-8")))
        assert rows[0]["status"] == "not_planned"


def test_stats_count_what_is_stored(db):
    ingest(db, [quoted(), meeting()], None)
    result = stats(db)
    assert (result["articles"], result["quotes"], result["events"]) == (2, 2, 1)
    assert result["most_quoted"][0]["name"] == "Энтони Блинкен"
    assert result["backend"] == db.dialect


def test_an_entity_s_latest_event_reports_look_past_a_crowd_of_copies(db):
    """The newest event rows of an entity are all near-duplicate copies: the index
    windows (2, 10 and 50 x the limit) hold no first report, and the whole range is read."""
    from datetime import date, timedelta

    from letopis.store.query import latest_event_reports

    original = meeting(published="2021-12-01")
    ingest(db, [original], None)
    body = original.text.split("\n", 1)[1]
    copies = [meeting(published=(date(2021, 12, 2) + timedelta(days=n)).isoformat(),
                      text=f"Перепечатка номер {n}: встреча не планируется\n{body}") for n in range(60)]
    assert ingest(db, copies, None).duplicates == 60
    biden = resolve_entity(db, "Байден")["id"]
    for limit in (1, 5):
        rows = latest_event_reports(db, biden, None, None, limit)
        assert [row["article_id"] for row in rows] == [original.id]
    assert latest_event_reports(db, biden, "2022-01-01", None, 1) == []  # only copies after New Year


def test_the_stored_record_is_the_record_without_its_sentences(db):
    record = quoted()
    record.events.append(meeting().events[0])
    record.times.append(TimeExpr("t1", 0, 7, "Блинкен", value="2021-12-10"))
    record.sentences = [Sentence(0, 16, "title", [Token(0, 7, "Блинкен", "блинкен", "PROPN", {"Case": "Nom"})])]
    store_articles(db, [record])
    stored = db.value("SELECT record FROM articles WHERE id = ?", (record.id,))
    expected = {name: value for name, value in to_plain(record).items() if name != "sentences"}
    assert json.loads(stored) == expected
    assert "Блинкен" in stored  # UTF-8 as it is, not escaped


def test_a_bulk_ingest_checkpoints_beside_its_commits_and_waits_when_the_log_outgrows_its_limit(tmp_path, monkeypatch):
    # SQLite's own checkpoint ran inside the commit that filled the log, and the writer
    # waited for the disk (0.85 ms per article at 40,000 articles); the ingest's run them
    # in a thread of their own, waiting only when the log passes WAL_LIMIT
    from letopis.store import db as db_module

    path = str(tmp_path / "store.db")
    store = open_store(path)
    ran: list[str] = []
    real = db_module.Checkpointer._checkpoint
    stored, all_stored = [], threading.Event()

    def slow_checkpoint(self):
        ran.append(threading.current_thread().name)
        if threading.current_thread().name == "letopis-checkpoint":
            all_stored.wait(10)  # still copying when each later batch is committed
            time.sleep(0.06)  # and long enough for the summary to tell
        real(self)

    def on_stored(article, result):
        stored.append(article.id)
        if len(stored) == 6:
            all_stored.set()

    monkeypatch.setattr(db_module.Checkpointer, "_checkpoint", slow_checkpoint)
    summary = ingest(store, numbered_meetings(6), None, store_batch=1, background=False, on_stored=on_stored)
    assert summary.stored == 6 and summary.checkpoint_seconds > 0
    assert "copying the write-ahead log" in "\n".join(summary.lines())  # the user is told
    # one at a time, and the commits made while it runs do not wait for it
    assert ran.count("letopis-checkpoint") == 1
    assert ran[-1] == threading.current_thread().name  # the last one, when the ingest ends
    assert store.value("PRAGMA wal_autocheckpoint") == 1000  # SQLite's own again for what follows
    [(busy, frames, copied)] = store.connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    assert busy == 0 and frames == copied  # nothing left in the log

    # the checkpoints beside never end before the next batch begins (here: they are slow,
    # and the writer has its records at hand), so the log never starts again from its
    # beginning and its file grew with the run: past WAL_LIMIT the writer copies the rest
    # itself, and its next batch starts the log again, the file cut back to WAL_KEPT
    ran.clear()
    monkeypatch.setattr(db_module, "WAL_LIMIT", 1)
    monkeypatch.setattr(db_module, "WAL_KEPT", 0)
    sizes = []
    real_after = db_module.Checkpointer.after_commit

    def after_commit(self, database):
        sizes.append(db_module.wal_bytes(path))
        real_after(self, database)

    monkeypatch.setattr(db_module.Checkpointer, "after_commit", after_commit)
    ingest(store, numbered_meetings(12)[6:], None, store_batch=1, background=False)
    assert len(sizes) == 6 and "letopis-checkpoint" not in ran  # the writer ran them all
    assert max(sizes) < 2 * min(sizes)  # each commit's log holds its own batch alone
    assert store.value("PRAGMA journal_size_limit") == -1  # SQLite's own again
    store.close()


def test_the_logs_size_is_what_it_holds_since_it_started_again_not_its_files_size(tmp_path):
    # a bulk writer keeps the log's file when the log starts again (WAL_KEPT: writing over
    # its blocks is cheaper than growing it), so the file's size no longer tells how much
    # the log holds, and the writer checkpointed itself after every commit past WAL_LIMIT
    from letopis.store.db import wal_bytes

    path = str(tmp_path / "store.db")
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA wal_autocheckpoint = 0")
    connection.execute("CREATE TABLE t (x BLOB)")
    for _ in range(20):
        connection.execute("INSERT INTO t VALUES (randomblob(8000))")
    full = os.path.getsize(path + "-wal")
    assert wal_bytes(path) == full > 20 * 8000
    [(busy, frames, copied)] = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    assert busy == 0 and frames == copied
    connection.execute("INSERT INTO t VALUES (1)")  # the log starts again from its beginning
    assert os.path.getsize(path + "-wal") == full  # its file kept
    assert 0 < wal_bytes(path) < full // 10  # one small transaction
    connection.close()
    lone = tmp_path / "other.db"
    (tmp_path / "other.db-wal").write_bytes(b"x" * 100)  # no wal-index: the file's size
    assert wal_bytes(str(lone)) == 100 and wal_bytes(str(tmp_path / "none.db")) == 0


def test_an_ingest_runs_the_cycle_collector_less_often_and_gives_its_thresholds_back(tmp_path):
    # each full pass of the collector walks every live object, the waiting batch among
    # them: with Python's default thresholds it was a tenth of storing an article
    import gc

    from letopis.store.ingest import COLLECTOR_THRESHOLDS

    store = open_store(str(tmp_path / "store.db"))
    before = gc.get_threshold()
    during = []
    ingest(store, numbered_meetings(2), None, on_stored=lambda article, stored: during.append(gc.get_threshold()))
    assert during == [COLLECTOR_THRESHOLDS] * 2 and gc.get_threshold() == before

    def failing():
        raise RuntimeError("the models would not load")

    with pytest.raises(RuntimeError):
        ingest(store, numbered_meetings(3)[2:], failing, batch_size=1)
    assert gc.get_threshold() == before  # given back when the run stops too
    store.close()


def test_a_bulk_writer_keeps_its_statement_journals_in_memory_and_gives_the_setting_back(tmp_path):
    # each statement of several rows keeps the pages it changes until it ends: in a
    # temporary file, that was 128 writes per article at 100,000 articles
    store = open_store(str(tmp_path / "store.db"))
    during = []
    ingest(store, numbered_meetings(2), None, store_batch=1, background=False,
           on_stored=lambda article, result: during.append(store.value("PRAGMA temp_store")))
    assert during == [2, 2]  # MEMORY
    assert store.value("PRAGMA temp_store") == 0  # the default again for what follows
    store.close()


def test_a_checkpoint_that_fails_beside_the_writer_is_run_by_the_writer_and_nothing_is_lost(tmp_path, monkeypatch):
    from letopis.store import db as db_module

    store = open_store(str(tmp_path / "store.db"))
    failures: list[str] = []

    def failing(self):
        if threading.current_thread().name == "letopis-checkpoint":
            failures.append("beside")
            raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(db_module.Checkpointer, "_checkpoint", failing)
    run = []
    real_after = db_module.Checkpointer.after_commit

    def after_commit(self, database):
        if self.thread is not None:
            self.thread.join()  # so that the failure is seen at the next commit
        run.append(self.failed is not None)
        real_after(self, database)

    monkeypatch.setattr(db_module.Checkpointer, "after_commit", after_commit)
    summary = ingest(store, numbered_meetings(3), None, store_batch=1, background=False)
    assert summary.stored == 3 and failures and any(run)
    assert store.value("SELECT count(*) FROM articles") == 3
    [(busy, frames, copied)] = store.connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    assert busy == 0 and frames == copied
    store.close()


def test_a_checkpoint_the_writer_cannot_run_either_stops_the_run_with_what_to_do(tmp_path, monkeypatch):
    from letopis.store import db as db_module
    from letopis.store.db import StoreError

    store = open_store(str(tmp_path / "store.db"))

    class FullDisk:
        def execute(self, text, *args):
            raise sqlite3.OperationalError("database or disk is full")

    def failing(self):
        raise sqlite3.OperationalError("database or disk is full")

    real_after = db_module.Checkpointer.after_commit

    def after_commit(self, database):
        if self.thread is not None:
            self.thread.join()
        real_after(self, type("Writer", (), {"connection": FullDisk()})() if self.failed else database)

    monkeypatch.setattr(db_module.Checkpointer, "_checkpoint", failing)
    monkeypatch.setattr(db_module.Checkpointer, "after_commit", after_commit)
    with pytest.raises(StoreError, match="disk is full"):
        ingest(store, numbered_meetings(3), None, store_batch=1, background=False)
    monkeypatch.undo()
    assert store.value("SELECT count(*) FROM articles") == 2  # committed before the error: kept
    assert ingest(store, numbered_meetings(3), None).stored == 1  # and the next run goes on
    store.close()
