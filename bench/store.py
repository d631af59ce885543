"""The store at scale: ingest cost against processing cost, memory over the run,
re-ingest, and query latency, on SQLite and PostgreSQL side by side.

    python bench/store.py [--count 100000] [--backends sqlite,postgres] [--postgres URL] [--runs N]
                          [--texts 1024] [--in-order] [--from RECORDS.jsonl] [--queries 200]
                          [--workdir DIR] [--json OUT] [--keep]
    python bench/store.py --queries-only STORE [--queries 200]

For each backend, in one run:

1. **processing baseline**: letopis's pipeline over the sample corpus texts (the texts
   the synthetic corpus is made from), models loaded and warmed first, Python's cycle
   collector set as an ingest sets it (``fewer_collections``): ms per article;
2. **ingest**: ``--count`` synthetic records (``bench/synth.py``: names, dates, outlets
   varied, 5% near-copies) stored into an empty store through ``letopis.store.ingest``
   as finished records, so the clock (``IngestSummary.store_seconds``) holds the store's
   own work only: search words, registry links, near-duplicate lookup, event clusters,
   search index. The records have their tokens, as ``letopis process`` writes them and
   as an ingest from texts holds them, so the search words come from the tokens'
   lemmas; from lean records (``--from`` a ``letopis process --lean`` file) the store
   lemmatizes every word itself with pymorphy3, about 1 ms more per article. On SQLite
   the write-ahead log is copied into the database file beside the writer
   (``letopis.store.db.Checkpointer``): that time is reported apart.
   About ten slices (whole store batches, or runs) are reported with their ms per
   article and the process's RSS; ``--runs N``
   stores them in N ingest runs, each refreshing the planner's statistics at its end;
3. **ingest from texts** (``--texts N``): N new texts read and processed alone, then
   ingested into the store as `letopis ingest` does, processing included: what storing
   adds to the run's wall time, stored beside the processing and stored in turn;
4. **re-ingest**: the same articles as a scraper dump (JSON Lines of texts, written
   while generating) ingested again: every one must be found as stored, without loading
   the models. Compared with the first ingest as a user runs it from texts
   (processing + store, per article, times N);
5. **queries**, warm: ``letopis quotes --speaker``, ``events --between``, ``timeline``,
   ``search``, each over ``--queries`` different arguments drawn from the store (the most
   quoted people, the commonest actor pairs, frequent words), p50 and p95 in ms.

PostgreSQL needs a server: ``--postgres URL`` or ``$LETOPIS_TEST_POSTGRES`` (what
``scripts/test-services.sh`` exports: ``scripts/test-services.sh .venv/bin/python
bench/store.py``); each run works in a schema of its own and drops it after.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote as url_quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402  (bench/synth.py)

from letopis.record import Article, Meta, new_article  # noqa: E402
from letopis.store import open_store  # noqa: E402
from letopis.store.db import STORE_BATCH  # noqa: E402
from letopis.store.ingest import IngestSummary, fewer_collections, ingest  # noqa: E402
from letopis.store import query  # noqa: E402

SLICES = 10
WORDS = ["встреча", "переговоры", "санкции", "заявил", "президент", "визит", "угроза", "граница"]


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


def say(*parts) -> None:
    print(*parts, flush=True)


# -- 1. processing baseline -----------------------------------------------------------------

_PIPELINE = []


def loaded_pipeline():
    """letopis's pipeline, loaded once per run."""
    if not _PIPELINE:
        from letopis.pipeline import default_pipeline
        _PIPELINE.append(default_pipeline())
    return _PIPELINE[0]


def processing_ms(sources: list[str], rounds: int = 2) -> dict:
    texts = [json.loads(source)["text"] for source in sources]
    pipeline = loaded_pipeline()
    pipeline.run_batch([new_article(text, Meta(published="2021-12-22")) for text in texts[:8]])  # warm-up
    started = time.perf_counter()
    done = 0
    with fewer_collections():  # the cycle collector as an ingest runs it, so that the two compare
        for _ in range(rounds):
            for start in range(0, len(texts), 32):
                batch = [new_article(text, Meta(published="2021-12-22")) for text in texts[start:start + 32]]
                pipeline.run_batch(batch)
                done += len(batch)
    seconds = time.perf_counter() - started
    return {"articles": done, "ms_per_article": 1000 * seconds / done}


# -- 2. ingest --------------------------------------------------------------------------------

def fresh_target(backend: str, workdir: Path, postgres: str | None) -> tuple[str, callable]:
    if backend == "sqlite":
        path = workdir / "bench-store.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return str(path), lambda: None
    import psycopg

    schema = "bench_" + uuid.uuid4().hex[:10]
    with psycopg.connect(postgres, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in postgres else "?"

    def drop():
        with psycopg.connect(postgres, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")

    return postgres + separator + "options=" + url_quote(f"-csearch_path={schema}"), drop


def run_ingest(db, sources: list[str], count: int, texts_path: Path, in_order: bool = False, runs: int = 1) -> dict:
    """RUNS > 1: the articles stored by that many `ingest` calls, as a user ingests a dump
    a day; each ends as `letopis ingest` does, refreshing the planner's statistics, so
    the later runs store with them (statistics once made a lookup read every cluster of
    a country)."""
    summary = IngestSummary()
    slices = []
    # a slice is a whole number of store batches (or one run): the store's clock moves a
    # batch at a time, and a slice cut inside one was charged all of it
    per_run = -(-count // max(1, runs))
    step = per_run if runs > 1 else max(STORE_BATCH, round(count / SLICES / STORE_BATCH) * STORE_BATCH)
    with open(texts_path, "w", encoding="utf-8") as texts:
        def all_items():
            for record in synth.synthesize(sources, count, seed=0, duplicates=0.05, mode="records", in_order=in_order):
                texts.write(json.dumps(synth.as_text_row(record), ensure_ascii=False) + "\n")
                yield Article.from_dict(record)

        last_seconds, last_stored, started = 0.0, 0, time.perf_counter()

        def on_stored(article, result):
            nonlocal last_seconds, last_stored
            if summary.stored % step == 0 or summary.stored == count:  # counted before the callback
                stored = summary.stored
                spent = summary.store_seconds - last_seconds
                slices.append({"stored": stored, "ms_per_article": 1000 * spent / max(1, stored - last_stored),
                               "rss_mib": round(rss_mib(), 1), "elapsed_s": round(time.perf_counter() - started, 1)})
                say(f"  {stored:>8,} stored  store {slices[-1]['ms_per_article']:6.2f} ms/article  "
                    f"RSS {slices[-1]['rss_mib']:7.1f} MiB  {slices[-1]['elapsed_s']:7.1f} s")
                last_seconds, last_stored = summary.store_seconds, stored

        items = all_items()
        for _ in range(max(1, runs)):  # each as `letopis ingest` stores finished records
            ingest(db, itertools.islice(items, per_run), None, on_stored=on_stored, summary=summary,
                   store_batch=STORE_BATCH)
    rss = [item["rss_mib"] for item in slices]
    later = rss[1:] or rss
    return {"stored": summary.stored, "failed": summary.failed, "duplicates": summary.duplicates,
            "store_seconds": summary.store_seconds, "ms_per_article": 1000 * summary.store_seconds / max(1, summary.stored),
            "checkpoint_seconds_beside": summary.checkpoint_seconds,
            "slices": slices, "rss_after_first_slice_mib": [min(later), max(later)] if later else None,
            "wall_seconds": time.perf_counter() - started, "runs": max(1, runs)}


def run_ingest_texts(db, sources: list[str], count: int, workdir: Path) -> dict:
    """What storing adds to an ingest from texts into the store as it now is: COUNT new
    texts read and processed alone, then ingested as `letopis ingest` does (stored beside
    the processing of the next batch); then COUNT others the same way, stored in turn
    (``background=False``), into a store COUNT articles larger. Wall clock, models
    loaded before."""
    from letopis.read import read_paths

    pipeline = loaded_pipeline()
    result = {}
    for name, seed, background in (("beside", 101, True), ("in_turn", 102, False)):
        path = workdir / f"bench-new-texts-{name}.jsonl"
        with open(path, "w", encoding="utf-8") as out:
            for record in synth.synthesize(sources, count, seed=seed, duplicates=0.05, mode="records"):
                out.write(json.dumps(synth.as_text_row(record), ensure_ascii=False) + "\n")
        started, batch = time.perf_counter(), []
        with fewer_collections():  # as the ingest runs it: storing's share alone is compared
            for item in read_paths([str(path)]):
                batch.append(item)
                if len(batch) == 32:
                    pipeline.run_batch(batch)
                    batch = []
            if batch:
                pipeline.run_batch(batch)
        alone = time.perf_counter() - started
        summary = IngestSummary()
        started = time.perf_counter()
        ingest(db, read_paths([str(path)]), lambda: pipeline, summary=summary, store_batch=STORE_BATCH,
               background=background)
        wall = time.perf_counter() - started
        result[name] = {"articles": summary.stored, "known": summary.known, "processing_alone_s": alone,
                        "ingest_s": wall, "store_s": summary.store_seconds, "overhead": wall / alone - 1,
                        "checkpoint_s_beside": summary.checkpoint_seconds}
        say(f"  {count:,} new texts, stored {'beside processing' if background else 'in turn'}: processing alone "
            f"{alone:.1f} s, ingest {wall:.1f} s: storing adds {100 * (wall / alone - 1):.1f}% "
            f"(the store's own clock {summary.store_seconds:.1f} s, {summary.stored:,} stored)")
    return result


def run_reingest(db, texts_path: Path) -> dict:
    from letopis.read import read_paths

    def no_models():
        raise AssertionError("re-ingest tried to process an article: it was not found as stored")

    started = time.perf_counter()
    summary = ingest(db, read_paths([str(texts_path)]), no_models)
    return {"seconds": time.perf_counter() - started, "known": summary.known, "stored": summary.stored,
            "failed": summary.failed}


# -- 4. queries -------------------------------------------------------------------------------

def query_arguments(db, count: int, rng: random.Random) -> dict:
    speakers = [f"#{row['id']}" for row in db.rows(
        "SELECT id FROM entities WHERE quotes > 0 ORDER BY quotes DESC LIMIT ?", (count,))]
    pairs = [(f"#{row['a']}", f"#{row['b']}") for row in db.rows(
        "SELECT a.entity_id AS a, b.entity_id AS b, count(*) AS n FROM cluster_actors a JOIN cluster_actors b "
        "ON a.cluster_id = b.cluster_id AND a.entity_id < b.entity_id GROUP BY a.entity_id, b.entity_id "
        "ORDER BY n DESC LIMIT ?", (count,))]
    people = [f"#{row['id']}" for row in db.rows(
        "SELECT id FROM entities ORDER BY articles DESC LIMIT ?", (count,))]
    words = [rng.choice(WORDS) + (" " + rng.choice(WORDS) if rng.random() < 0.3 else "") for _ in range(count)]
    return {"quotes --speaker": speakers, "events --between": pairs, "timeline": people, "search": words}


def run_queries(db, arguments: dict, count: int) -> dict:
    calls = {
        "quotes --speaker": lambda arg: query.quotes(db, speaker=arg),
        "events --between": lambda arg: query.events(db, between=arg),
        "timeline": lambda arg: query.timeline(db, arg),
        "search": lambda arg: query.search(db, arg),
    }
    results = {}
    for name, call in calls.items():
        args = arguments[name]
        if not args:
            results[name] = None
            continue
        for arg in args[:5]:  # warm
            call(arg)
        times = []
        for index in range(count):
            started = time.perf_counter()
            call(args[index % len(args)])
            times.append(1000 * (time.perf_counter() - started))
        times.sort()
        results[name] = {"n": len(times), "distinct_args": len(args), "p50_ms": statistics.median(times),
                         "p95_ms": times[int(0.95 * (len(times) - 1))], "max_ms": times[-1]}
    return results


# -- the run ----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="synthetic articles (default 10,000)")
    parser.add_argument("--backends", default="sqlite,postgres", help="sqlite, postgres or both (default)")
    parser.add_argument("--postgres", default=os.environ.get("LETOPIS_TEST_POSTGRES"),
                        help="a PostgreSQL URL (default $LETOPIS_TEST_POSTGRES)")
    parser.add_argument("--from", dest="source", help="records of the sample corpus (default: made now)")
    parser.add_argument("--queries", type=int, default=200, help="queries per kind (default 200)")
    parser.add_argument("--workdir", default=str(ROOT / "bench" / "results"), help="where the store and dump go")
    parser.add_argument("--json", help="write every figure here")
    parser.add_argument("--in-order", action="store_true",
                        help="synthetic articles published in the order they are stored, as a dump comes "
                             "(default: dates at random over three years, the harder case)")
    parser.add_argument("--texts", type=int, default=1024,
                        help="then ingest this many new texts into the store, processing included, twice: stored "
                             "beside the processing (as `letopis ingest` does) and in turn (default 1,024; 0: skip)")
    parser.add_argument("--runs", type=int, default=1,
                        help="store the articles in this many ingest runs, each refreshing the planner's statistics "
                             "at its end as `letopis ingest` does (default 1)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the PostgreSQL schema after the run (the SQLite file is kept anyway), for "
                             "--queries-only")
    parser.add_argument("--queries-only", metavar="STORE",
                        help="only the query step, on an existing store (a file or postgresql://...)")
    options = parser.parse_args(argv)
    if options.queries_only:
        db = open_store(options.queries_only)
        try:
            rows = {table: db.value(f"SELECT count(*) FROM {table}") for table in ("articles", "event_clusters")}
            say(f"queries on {options.queries_only}: {rows['articles']:,} articles, {rows['event_clusters']:,} events; "
                f"{options.queries} of each kind, warm")
            result = run_queries(db, query_arguments(db, 50, random.Random(0)), options.queries)
        finally:
            db.close()
        for name, figures in result.items():
            if figures:
                say(f"  {name:<18} p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms  "
                    f"max {figures['max_ms']:7.1f} ms  ({figures['distinct_args']} arguments)")
        if options.json:
            Path(options.json).write_text(json.dumps({"store": options.queries_only, "rows": rows, "queries": result},
                                                     ensure_ascii=False, indent=1), encoding="utf-8")
        return 0

    workdir = Path(options.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    backends = [name.strip() for name in options.backends.split(",") if name.strip()]
    if "postgres" in backends and not options.postgres:
        say("bench/store: no PostgreSQL (--postgres or $LETOPIS_TEST_POSTGRES; "
            "`scripts/test-services.sh` starts one): SQLite only")
        backends = [name for name in backends if name != "postgres"]

    source = options.source
    if not source:
        source = str(workdir / "sample-records.jsonl")
        subprocess.run([sys.executable, "-m", "letopis", "process", str(ROOT / "examples" / "corpus"), "-o", source,
                        "--no-progress"], check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
    sources = synth.load_sources(source)
    report = {"count": options.count, "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                                                  "python": platform.python_version()},
              "date": time.strftime("%Y-%m-%d %H:%M"), "load_start": os.getloadavg()[0], "in_order": options.in_order,
              "runs": options.runs,
              "backends": {}}
    try:
        report["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                          text=True).stdout.strip()
    except OSError:
        pass

    say(f"processing baseline: the pipeline over the {len(sources)} sample texts")
    report["processing"] = processing_ms(sources)
    proc = report["processing"]["ms_per_article"]
    say(f"  {proc:.1f} ms/article")

    for backend in backends:
        say(f"{backend}: ingesting {options.count:,} synthetic articles")
        target, drop = fresh_target(backend, workdir, options.postgres)
        db = open_store(target)
        try:
            result = {"ingest": run_ingest(db, sources, options.count, workdir / "bench-texts.jsonl",
                                           options.in_order, options.runs)}
            store = result["ingest"]["ms_per_article"]
            result["store_share_of_processing"] = store / proc
            say(f"  store {store:.2f} ms/article = {100 * store / proc:.1f}% of processing ({proc:.1f} ms/article)")
            if result["ingest"]["checkpoint_seconds_beside"]:
                say(f"  and beside it, the write-ahead log copied into the database file: "
                    f"{result['ingest']['checkpoint_seconds_beside']:.1f} s")
            if options.texts:
                say(f"{backend}: ingesting new texts into it, processing included")
                result["ingest_texts"] = run_ingest_texts(db, sources, options.texts, workdir)
            say(f"{backend}: re-ingesting the same {options.count:,} articles as texts")
            result["reingest"] = again = run_reingest(db, workdir / "bench-texts.jsonl")
            first = options.count * (proc + store) / 1000
            again["share_of_first_ingest"] = again["seconds"] / first
            again["share_of_store_only"] = again["seconds"] / result["ingest"]["store_seconds"]
            say(f"  {again['seconds']:.1f} s, {again['known']:,} found stored; "
                f"{100 * again['share_of_first_ingest']:.2f}% of a first ingest from texts ({first:.0f} s), "
                f"{100 * again['share_of_store_only']:.1f}% of its store time alone")
            say(f"{backend}: queries, {options.queries} of each kind, warm")
            rng = random.Random(0)
            result["queries"] = run_queries(db, query_arguments(db, 50, rng), options.queries)
            for name, figures in result["queries"].items():
                if figures:
                    say(f"  {name:<18} p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms  "
                        f"max {figures['max_ms']:7.1f} ms  ({figures['distinct_args']} arguments)")
            result["rows"] = {table: db.value(f"SELECT count(*) FROM {table}") for table in
                              ("articles", "entities", "quotes", "events", "event_clusters")}
            if backend == "sqlite":
                result["file_mib"] = round(Path(target).stat().st_size / 2 ** 20, 1)
            report["backends"][backend] = result
        finally:
            db.close()
            if options.keep:
                say(f"{backend}: the store is kept: --queries-only '{target}'")
            else:
                drop()

    report["load_end"] = os.getloadavg()[0]
    if len(report["backends"]) > 1:
        say("side by side (p95 ms): " + "; ".join(
            f"{name}: " + ", ".join(f"{b} {r['queries'][name]['p95_ms']:.1f}" for b, r in report["backends"].items()
                                    if r["queries"].get(name)) for name in ("quotes --speaker", "events --between",
                                                                             "timeline", "search")))
    if options.json:
        Path(options.json).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        say(f"figures: {options.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
