"""Faults around the store: a killed ingest, a locked database, a full disk, malformed
records. Each leaves the store consistent and loses nothing already stored."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from letopis.store import StoreError, open_store
from letopis.store.ingest import ingest, read_records
from tests.store_helpers import article

ROOT = Path(__file__).resolve().parents[1]


def numbered(n: int):
    return article(f"Новость номер {n}\nПресс-секретарь Дмитрий Песков заявил о событии номер {n} "
                   f"и добавил подробности: {'слово ' * (n % 7)}конец.", published=f"2021-12-{1 + n % 28:02d}",
                   entities=[("e1", "PER", "Дмитрий Песков", ["Дмитрий Песков"], "per:peskov")],
                   quotes=[("q1", f"о событии номер {n}", "e1", "indirect")])


def write_records(path: Path, count: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        for n in range(count):
            out.write(json.dumps(numbered(n).to_dict(), ensure_ascii=False) + "\n")


def consistent(db_path: str) -> dict:
    """Counts, and checks that no article is half-written (every stored article has
    its quote, its entity and its search row)."""
    connection = sqlite3.connect(db_path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        articles = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        distinct = connection.execute("SELECT count(DISTINCT id) FROM articles").fetchone()[0]
        quotes = connection.execute("SELECT count(*) FROM quotes").fetchone()[0]
        linked = connection.execute("SELECT count(*) FROM article_entities").fetchone()[0]
        searchable = connection.execute("SELECT count(*) FROM article_search").fetchone()[0]
    finally:
        connection.close()
    assert articles == distinct == quotes == linked == searchable
    return {"articles": articles}


def test_an_ingest_killed_with_sigkill_resumes_with_nothing_missing_or_twice(tmp_path):
    records = tmp_path / "records.jsonl"
    write_records(records, 600)
    db_path = str(tmp_path / "store.db")
    command = [sys.executable, "-m", "letopis", "ingest", "--records", str(records), "--db", db_path,
               "--batch-size", "8", "--store-batch", "8", "--no-progress"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # wait until some batches are committed, then kill it mid-run
    deadline = time.time() + 60
    stored = 0
    while time.time() < deadline and process.poll() is None:
        time.sleep(0.05)
        try:
            connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=1)
            stored = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
            connection.close()
        except sqlite3.Error:
            continue
        if stored >= 40:
            break
    if process.poll() is not None:
        pytest.skip("the ingest finished before it could be killed (machine too fast for this check)")
    process.send_signal(signal.SIGKILL)
    process.wait()
    before = consistent(db_path)["articles"]
    assert 0 < before < 600
    rerun = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{before} already stored" in rerun.stderr
    assert consistent(db_path)["articles"] == 600


def test_a_second_writer_gets_a_clear_locked_error_and_nothing_is_lost(tmp_path, monkeypatch):
    import letopis.store.db as db_module

    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_S", 0.2)
    path = str(tmp_path / "store.db")
    db = open_store(path)
    ingest(db, [numbered(1)], None)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        with pytest.raises(StoreError, match="locked by another writer"):
            ingest(db, [numbered(2)], None)
        # readers keep working while a writer holds the lock
        assert db.value("SELECT count(*) FROM articles") == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    summary = ingest(db, [numbered(1), numbered(2)], None)
    assert (summary.known, summary.stored) == (1, 1)


def test_a_full_disk_stops_cleanly_and_keeps_what_was_stored(tmp_path):
    path = str(tmp_path / "store.db")
    db = open_store(path)
    ingest(db, [numbered(n) for n in range(5)], None)
    pages = db.value("PRAGMA page_count")
    db.execute(f"PRAGMA max_page_count = {pages + 2}")  # the "disk" fills up almost at once
    big = [article(f"Большая {n}\n" + ("Длинный абзац о переговорах в Женеве. " * 400), published="2021-12-20")
           for n in range(20)]
    with pytest.raises(StoreError, match="disk is full"):
        ingest(db, big, None, batch_size=4)
    db.close()
    assert consistent(path)["articles"] == 5
    db = open_store(path)  # room again: the same run goes on where it stopped
    summary = ingest(db, [numbered(n) for n in range(5)] + big, None, batch_size=4)
    assert (summary.known, summary.stored) == (5, 20)


def test_malformed_records_become_errors_and_the_rest_are_stored(tmp_path):
    path = tmp_path / "records.jsonl"
    good = numbered(1).to_dict()
    path.write_text("\n".join([
        json.dumps(good, ensure_ascii=False),
        "{not json",
        json.dumps([1, 2, 3]),
        json.dumps({"id": "x", "text": 5}),
        json.dumps({"error": {"input": "a.txt", "reason": "empty"}}),
    ]) + "\n", encoding="utf-8")
    db = open_store(str(tmp_path / "store.db"))
    errors = []
    summary = ingest(db, read_records([str(path)]), None, on_error=errors.append)
    assert summary.stored == 1
    assert sorted(error.reason for error in errors) == ["bad_field", "bad_field", "bad_json"]
    assert all(error.line for error in errors)
    assert db.value("SELECT count(*) FROM ingest_errors") == 3


def test_queries_keep_answering_from_another_process_view_while_a_batch_is_written(tmp_path):
    from letopis.store import query

    path = str(tmp_path / "store.db")
    writer = open_store(path)
    ingest(writer, [numbered(1)], None)
    seen = []

    def read_while_writing(article, result):
        # called inside the ingest, between batches of 1: the next batch is being read
        reader = open_store(path)
        try:
            seen.append((query.stats(reader)["articles"], len(query.quotes(reader, speaker="Песков")["items"])))
        finally:
            reader.close()

    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO ingest_errors (run_at, input, stage, reason) VALUES ('x', 'x', 'x', 'x')")
    try:  # a writer in the middle of a transaction: readers see the last committed state
        reader = open_store(path)
        assert query.stats(reader)["articles"] == 1
        reader.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    ingest(writer, [numbered(2), numbered(3)], None, batch_size=1, on_stored=read_while_writing)
    assert seen == [(2, 2), (3, 3)]
    writer.close()
