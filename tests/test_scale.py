"""Scale-out on Dask (issue #8): partitions, shards, a LocalCluster of 2 worker processes,
equivalence with single-process `letopis process`, resume, killed workers, `letopis load`.

The cluster tests that need no models use a light pipeline (the clean stage and a stage
that takes a little time, or kills its worker on a marked document), so that killing
and restarting workers costs no model loading.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from letopis.errors import DocumentError
from letopis.read import read_paths
from letopis.record import Article
from letopis.scale import shards
from letopis.scale.partitions import ReadOptions, count_lines, plan_partitions, read_partition
from letopis.scale.run import ScaleSummary, connect, close, fail_partition, run_scaled
from letopis.scale.worker import ProcessOptions

from .conftest import CORPUS, ROOT

CRASH = "УРОНИТЬ-ВОРКЕР"  # a document holding this kills the worker that processes it


def light_pipeline(options):
    """The clean stage and a slow stage (no models): cheap to restart on a new worker."""
    from letopis.pipeline import Pipeline, Stage, clean_stage

    def slow(article):
        if CRASH in article.text:
            os._exit(1)  # as if the worker ran out of memory on this document
        time.sleep(0.05)

    return Pipeline([clean_stage(), Stage("slow", "1", needs=("zones",), sets=(), run=slow)],
                    batch_size=options.batch_size)


def write_jsonl(path: Path, count: int, bad: bool = True, crash_at: int | None = None) -> Path:
    lines = []
    for number in range(count):
        text = f"Статья {number}. Сергей Лавров заявил журналистам, что встреча состоится {number % 27 + 1} декабря."
        if number == crash_at:
            text += " " + CRASH
        lines.append(json.dumps({"id": number, "text": text, "published": "2021-12-01", "outlet": "Тест"},
                                ensure_ascii=False))
    if bad:
        lines[3:3] = ["", "{not json", '["an", "array"]', '{"title": "no text"}']
    data = "\n".join(lines)  # no newline at the end: the last line still counts
    if path.suffix == ".gz":
        with gzip.open(path, "wt", encoding="utf-8") as stream:
            stream.write(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def dicts(items) -> list[str]:
    return [json.dumps(item.to_dict(), ensure_ascii=False, sort_keys=True) for item in items]


# -- partitions and shards, no cluster -----------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"a", b"a\n", b"a\nb", b"\n\n\n", b"a\n\nb\nc\n", b"x" * 10 + b"\ny\n"])
@pytest.mark.parametrize("every", [1, 2, 3])
def test_count_lines_agrees_with_split_lines(data, every, monkeypatch):
    import io

    from letopis.read.jsonl import split_lines
    from letopis.scale import partitions

    monkeypatch.setattr(partitions, "CHUNK", 3)  # line ends fall on and across chunk boundaries
    count, starts = count_lines(io.BytesIO(data), every)
    lines = list(split_lines(io.BytesIO(data), 1000))
    assert count == len(lines)
    offsets = [0]
    for _, line, size in lines:
        offsets.append(offsets[-1] + size)
    assert starts == offsets[:count][::every]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 1000])
def test_partitions_read_exactly_what_read_paths_reads(tmp_path, size):
    inputs = [str(CORPUS), str(write_jsonl(tmp_path / "a.jsonl", 9)), str(write_jsonl(tmp_path / "b.jsonl.gz", 9)),
              str(tmp_path / "missing.txt")]
    parts = plan_partitions(inputs, size)
    options = ReadOptions(lang="ru", published="2022-01-05")
    got = [item for part in parts for item in read_partition(part, options)]
    assert dicts(got) == dicts(read_paths(inputs, lang="ru", published="2022-01-05"))
    assert len({part.id for part in parts}) == len(parts)
    assert all(part.size <= size or part.kind == "files" and len(part.units) == 1 for part in parts)


def test_partition_ids_are_stable_and_follow_the_inputs(tmp_path):
    jsonl = str(write_jsonl(tmp_path / "a.jsonl", 20))
    first, again = plan_partitions([str(CORPUS), jsonl], 4), plan_partitions([str(CORPUS), jsonl], 4)
    assert [part.id for part in first] == [part.id for part in again]
    assert [part.id for part in first] == sorted(part.id for part in first)  # ids sort in input order
    other = plan_partitions([jsonl, str(CORPUS)], 4)
    assert {part.id for part in other}.isdisjoint(part.id for part in first)
    assert [p.first for p in first if p.input == jsonl] == [1, 5, 9, 13, 17, 21]  # 24 lines, 4 bad


def test_unsplittable_jsonl_is_read_whole(tmp_path):
    whole = tmp_path / "array.jsonl"
    whole.write_text('[{"text": "a"},\n{"text": "b"}]\n' + "\n" * 20, encoding="utf-8")
    utf16 = tmp_path / "utf16.jsonl"
    utf16.write_bytes(("\n".join(json.dumps({"text": f"статья {i}"}, ensure_ascii=False) for i in range(10)))
                      .encode("utf-16"))
    parts = plan_partitions([str(whole), str(utf16)], 2)
    assert [(part.kind, len(part.units)) for part in parts] == [("files", 2)]  # whole files, not lines
    got = [item for part in parts for item in read_partition(part, ReadOptions())]
    assert dicts(got) == dicts(read_paths([str(whole), str(utf16)]))


def test_parquet_input_rows_are_json_lines_objects(tmp_path):
    import datetime

    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{"text": f"Статья {i}. Текст." if i != 2 else "  ", "id": i, "url": f"https://x.example/{i}",
             "published": datetime.date(2021, 12, i + 1)} for i in range(7)]
    path = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=3)
    parts = plan_partitions([str(path)], 2)
    assert [(p.row_group, p.first, p.count) for p in parts] == [(0, 0, 2), (0, 2, 1), (1, 3, 2), (1, 5, 1), (2, 6, 1)]
    items = [item for part in parts for item in read_partition(part, ReadOptions())]
    assert [type(item).__name__ for item in items] == ["Article"] * 2 + ["DocumentError"] + ["Article"] * 4
    assert items[2].reason == "empty" and items[2].line == 3
    assert [item.meta.input_line for item in items if isinstance(item, Article)] == [1, 2, 4, 5, 6, 7]
    assert items[4].meta.published == "2021-12-05" and items[4].meta.input_id == "4"
    assert items[4].meta.url == "https://x.example/4" and items[4].text.startswith("Статья 4")


def test_shards_round_trip_in_input_order_and_fallback_errors(tmp_path):
    inputs = [str(write_jsonl(tmp_path / "a.jsonl", 6))]
    part = plan_partitions(inputs, 100)[0]
    items = list(read_partition(part, ReadOptions()))
    counts = shards.write_shards(tmp_path / "out", shards.ShardCounts(part.id), items)
    assert (counts.articles, counts.errors) == (6, 3)
    shards.write_manifest(tmp_path / "out", {"partitions": [part.to_dict()]})
    assert dicts(shards.read_shards(tmp_path / "out")) == dicts(items)
    assert shards.shard_counts(tmp_path / "out", part.id).articles == 6
    assert not list((tmp_path / "out" / "records").glob(".*"))  # no temporary file left

    failed = fail_partition(str(tmp_path / "out"), part, ProcessOptions(), "KilledWorker: boom", 2)
    assert (failed.articles, failed.errors, failed.failed) == (0, 9, True)
    back = list(shards.read_shards(tmp_path / "out"))
    assert [item.reason for item in back].count("partition_failed") == 6
    assert {item.article_id for item in back if item.reason == "partition_failed"} == {i.id for i in items if isinstance(i, Article)}
    assert all("KilledWorker" in item.detail for item in back if item.reason == "partition_failed")


# -- a LocalCluster of 2 worker processes --------------------------------------------------


@pytest.fixture(scope="module")
def cluster():
    client = connect("local:2")
    yield client
    close(client)


def test_workers_import_this_letopis_and_load_through_the_plugin(cluster, tmp_path, capsys):
    from letopis.scale.worker import worker_stats

    files = {stats["letopis"] for stats in cluster.run(worker_stats).values()}
    assert files == {str(ROOT / "letopis" / "__init__.py")}
    lines = []
    summary = run_scaled(cluster, [str(write_jsonl(tmp_path / "a.jsonl", 8, bad=False))], str(tmp_path / "out"),
                         ProcessOptions(), partition_size=4, factory=light_pipeline, progress=True, log=lines.append)
    assert (summary.processed, summary.articles) == (2, 8)
    assert any(line.startswith("letopis: Dask dashboard: http") for line in lines)
    assert "2/2" in capsys.readouterr().err  # the progress bar over partitions
    loaded = [stats["load_s"] for stats in cluster.run(worker_stats).values()]
    assert all(seconds is not None for seconds in loaded)  # every worker's plugin built a pipeline
    assert set(cluster.run(lambda: os.environ.get("OPENBLAS_NUM_THREADS")).values()) == {"1"}
    assert set(cluster.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_")).values()) == {None}

    def profiling(dask_worker):
        callback = dask_worker.periodic_callbacks.get("profile")
        return callback is not None and callback.is_running()

    assert set(cluster.run(profiling).values()) == {False}


def test_a_killed_worker_is_replaced_and_every_article_counted_once(cluster, tmp_path):
    inputs = [str(write_jsonl(tmp_path / "a.jsonl", 96))]
    out = tmp_path / "out"
    pids = list(cluster.run(os.getpid).values())
    killed = []

    def kill_one_worker():
        deadline = time.time() + 60
        while time.time() < deadline and not list((out / "records").glob("*.parquet")):
            time.sleep(0.05)
        os.kill(pids[0], signal.SIGKILL)  # mid-run: some shards written, tasks running
        killed.append(len(list((out / "records").glob("*.parquet"))))

    killer = threading.Thread(target=kill_one_worker)
    killer.start()
    summary = run_scaled(cluster, inputs, str(out), ProcessOptions(), partition_size=8, factory=light_pipeline,
                         retries=3)
    killer.join()
    assert killed and killed[0] < summary.partitions  # the kill came before the end
    assert summary.failed == 0
    assert dicts(shards.read_shards(out)) == dicts(run_light(inputs))
    cluster.wait_for_workers(2, timeout=60)  # the nanny restarted it


def run_light(inputs):
    return light_pipeline(ProcessOptions()).run(read_paths(inputs))


def test_a_partition_that_keeps_failing_goes_to_the_errors_shard(cluster, tmp_path):
    inputs = [str(write_jsonl(tmp_path / "a.jsonl", 12, crash_at=5))]
    out = str(tmp_path / "out")
    summary = run_scaled(cluster, inputs, out, ProcessOptions(), partition_size=4, factory=light_pipeline, retries=1)
    assert (summary.partitions, summary.failed, summary.processed) == (4, 1, 3)
    items = list(shards.read_shards(out))
    expected = list(read_paths(inputs))
    assert len(items) == len(expected) == 15  # 12 articles, 3 bad lines (and a blank one): each once
    # lines 9-12 are articles 4-7, one of which kills its worker on every try
    failed = [item for item in items if isinstance(item, DocumentError) and item.reason == "partition_failed"]
    assert [item.line for item in failed] == [9, 10, 11, 12]
    assert all("KilledWorker" in item.detail and item.stage == "dask" and item.article_id for item in failed)
    assert [item.line for item in items if isinstance(item, DocumentError)] == [5, 6, 7, 9, 10, 11, 12]
    failures = shards.error_counts(out)
    assert failures == {("read", "bad_json"): 1, ("read", "not_an_object"): 1, ("read", "no_text"): 1,
                        ("dask", "partition_failed"): 4}
    assert "  failed at dask: partition_failed x4" in summary.lines(failures)
    assert [item.meta.input_line if isinstance(item, Article) else item.line for item in items] == \
        [item.meta.input_line if isinstance(item, Article) else item.line for item in expected]
    written = shards.record_path(out, shards.read_manifest(out)["partitions"][0]["id"]).stat().st_mtime_ns
    again = run_scaled(cluster, inputs, out, ProcessOptions(), partition_size=4, factory=light_pipeline)
    assert (again.skipped, again.processed, again.failed) == (4, 0, 0)  # a failed partition stays failed ...
    assert shards.record_path(out, shards.read_manifest(out)["partitions"][0]["id"]).stat().st_mtime_ns == written


def test_resume_after_the_client_is_killed(tmp_path):
    inputs = [str(write_jsonl(tmp_path / "a.jsonl", 120))]
    out = tmp_path / "out"
    script = tmp_path / "client.py"
    script.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from letopis.scale.run import connect, run_scaled\n"
        "from letopis.scale.worker import ProcessOptions\n"
        "from tests.test_scale import light_pipeline\n"
        "if __name__ == '__main__':  # the workers are spawned: they import this file\n"
        "    client = connect('local:1')\n"
        f"    run_scaled(client, {inputs!r}, {str(out)!r}, ProcessOptions(), partition_size=6, "
        "factory=light_pipeline)\n",
        encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 120
        while time.time() < deadline and len(list((out / "records").glob("*.parquet"))) < 3:
            assert child.poll() is None, child.stderr.read().decode()[-2000:]
            time.sleep(0.05)
    finally:
        os.killpg(child.pid, signal.SIGKILL)  # the client, its cluster and its workers, mid-run
        child.wait()
    before = {path.name: path.stat().st_mtime_ns for path in (out / "records").glob("*.parquet")}
    assert 3 <= len(before) < 20
    client = connect("local:1")
    try:
        summary = run_scaled(client, inputs, str(out), ProcessOptions(), partition_size=6, factory=light_pipeline)
    finally:
        close(client)
    assert summary.skipped >= len(before) and summary.skipped + summary.processed == summary.partitions == 21
    after = {path.name: path.stat().st_mtime_ns for path in (out / "records").glob("*.parquet")}
    assert {name: after[name] for name in before} == before  # written shards were not redone
    assert dicts(shards.read_shards(out)) == dicts(run_light(inputs))
    assert not list(out.rglob(".*.tmp"))


def test_a_rerun_with_other_inputs_or_options_is_refused(cluster, tmp_path):
    inputs = [str(write_jsonl(tmp_path / "a.jsonl", 4, bad=False))]
    out = str(tmp_path / "out")
    run_scaled(cluster, inputs, out, ProcessOptions(), partition_size=4, factory=light_pipeline)
    with pytest.raises(ValueError, match="options differ"):
        run_scaled(cluster, inputs, out, ProcessOptions(lean=True), partition_size=4, factory=light_pipeline)
    write_jsonl(tmp_path / "a.jsonl", 5, bad=False)
    with pytest.raises(ValueError, match="changed since"):
        run_scaled(cluster, inputs, out, ProcessOptions(), partition_size=4, factory=light_pipeline)


# -- the real pipeline: equivalence with `letopis process`, and `letopis load` ---------------


@pytest.fixture(scope="module")
def processed(cluster, tmp_path_factory):
    """The sample corpus and a JSON Lines file with bad lines, through `letopis process`
    on one machine and through `letopis process --dask` on the 2-worker cluster."""
    from letopis.cli import main

    folder = tmp_path_factory.mktemp("scale")
    inputs = [str(CORPUS), str(write_jsonl(folder / "dump.jsonl.gz", 10))]
    records, errors = folder / "single.jsonl", folder / "errors.jsonl"
    assert main(["process", *inputs, "-o", str(records), "--errors", str(errors), "--no-progress"]) == 0
    out = folder / "out"
    started = time.perf_counter()
    summary = run_scaled(cluster, inputs, str(out), ProcessOptions(), partition_size=5)
    return {"inputs": inputs, "records": records, "errors": errors, "out": out, "summary": summary,
            "seconds": time.perf_counter() - started}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.models
def test_dask_records_equal_single_process_records(processed):
    summary: ScaleSummary = processed["summary"]
    assert summary.failed == 0 and summary.processed == summary.partitions > 4
    single = read_jsonl(processed["records"])
    items = list(shards.read_shards(processed["out"]))
    dask_records = [item.to_dict() for item in items if isinstance(item, Article)]
    assert len(dask_records) == len(single) == summary.articles
    assert {record["id"]: record for record in dask_records} == {record["id"]: record for record in single}
    assert [record["id"] for record in dask_records] == [record["id"] for record in single]  # input order too
    dask_errors = [item.to_dict() for item in items if isinstance(item, DocumentError)]
    assert dask_errors == read_jsonl(processed["errors"])
    assert len(dask_errors) == summary.errors == 4  # the corpus's 404 page, the 3 bad lines of the dump
    import pyarrow.parquet as pq

    table = pq.read_table(processed["out"] / "records")
    assert set(table.column("id").to_pylist()) == {record["id"] for record in single}
    row = table.slice(0, 1).to_pylist()[0]
    assert row["quotes"] == len(json.loads(row["record"])["quotes"])


@pytest.mark.models
def test_cli_reruns_nothing_on_a_finished_folder(processed, capsys):
    from letopis.cli import main

    assert main(["process", "--dask", "local:1", *processed["inputs"], "--out", str(processed["out"]),
                 "--partition-size", "5", "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "0 processed" in err and f"{processed['summary'].partitions} already written" in err


def store_content(path: Path) -> dict:
    """Every table of an SQLite store, rows sorted, without the columns of the clock.
    Full-text tables are compared by what they hold (rowid and columns), not by their
    index's shadow tables, whose segments depend on how the rows were batched."""
    connection = sqlite3.connect(path)
    found = connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    tables = {name: (sql or "").startswith("CREATE VIRTUAL TABLE") for name, sql in found}
    fulltext = [name for name, virtual in tables.items() if virtual]
    content = {}
    for table, virtual in tables.items():
        if any(table.startswith(f"{name}_") for name in fulltext):
            continue  # a shadow table of the full-text index
        cursor = connection.execute(f"SELECT {'rowid, ' if virtual else ''}* FROM {table}")
        names = [column[0] for column in cursor.description]
        keep = [i for i, name in enumerate(names) if not name.endswith("_at")]
        content[table] = sorted(repr(tuple(row[i] for i in keep)) for row in cursor)
    connection.close()
    return content


@pytest.mark.models
def test_load_gives_the_store_of_ingest_records(processed, tmp_path):
    from letopis.cli import main

    single, loaded = tmp_path / "single.db", tmp_path / "loaded.db"
    assert main(["ingest", "--records", str(processed["records"]), "--db", str(single), "--no-progress"]) == 0
    assert main(["load", str(processed["out"]), "--db", str(loaded)]) == 0
    expected, got = store_content(single), store_content(loaded)
    assert len(expected["articles"]) == processed["summary"].articles
    assert got == expected
    assert main(["load", str(processed["out"]), "--db", str(loaded)]) == 0  # again: all known, nothing changes
    assert store_content(loaded) == expected


def postgres_content(url: str) -> dict:
    import psycopg

    with psycopg.connect(url) as connection:
        schema = connection.execute("SELECT current_schema()").fetchone()[0]
        tables = [row[0] for row in connection.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,))]
        content = {}
        for table in tables:
            cursor = connection.execute(f"SELECT * FROM {table}")
            names = [column.name for column in cursor.description]
            keep = [i for i, name in enumerate(names) if not name.endswith("_at")]
            content[table] = sorted(repr(tuple(row[i] for i in keep)) for row in cursor)
    return content


@pytest.mark.models
def test_load_into_postgresql_gives_the_store_of_ingest_records(processed):
    from letopis.cli import main
    from tests.services import postgres_url
    from tests.store_helpers import drop_postgres_schema, fresh_postgres_schema

    base = postgres_url()
    (single, first), (loaded, second) = fresh_postgres_schema(base), fresh_postgres_schema(base)
    try:
        assert main(["ingest", "--records", str(processed["records"]), "--db", single, "--no-progress"]) == 0
        assert main(["load", str(processed["out"]), "--db", loaded]) == 0
        expected = postgres_content(single)
        assert len(expected["articles"]) == processed["summary"].articles
        assert postgres_content(loaded) == expected
    finally:
        drop_postgres_schema(base, first)
        drop_postgres_schema(base, second)


def test_load_stops_at_a_missing_partition_and_continues_in_order(cluster, tmp_path):
    from letopis.scale.load import load
    from letopis.store import open_store

    inputs = [str(write_jsonl(tmp_path / "a.jsonl", 20, bad=False))]
    out = str(tmp_path / "out")
    run_scaled(cluster, inputs, out, ProcessOptions(), partition_size=5, factory=light_pipeline)
    ids = [part["id"] for part in shards.read_manifest(out)["partitions"]]
    shards.record_path(out, ids[2]).unlink()  # as if partition 3 of 4 were not written yet
    db = open_store(str(tmp_path / "partial.db"))
    missing: list[str] = []
    summary, _ = load(db, out, missing=missing)
    assert summary.stored == 10 and missing == [ids[2]]  # partitions 1-2; 4 waits behind 3
    run_scaled(cluster, inputs, out, ProcessOptions(), partition_size=5, factory=light_pipeline)
    summary, _ = load(db, out)
    assert summary.stored == 10 and summary.known == 10
    db.close()
    whole = open_store(str(tmp_path / "whole.db"))
    load(whole, out)
    whole.close()
    assert store_content(tmp_path / "partial.db") == store_content(tmp_path / "whole.db")
