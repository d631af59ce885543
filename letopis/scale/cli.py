"""The command line of scale-out: ``process --dask`` options and ``letopis load``."""

from __future__ import annotations

import os
import sys
import time


def add_process_options(process) -> None:
    """The options ``letopis process`` takes for a run on Dask."""
    group = process.add_argument_group("scale-out on Dask (docs/scaling.md)")
    group.add_argument("--dask", metavar="ADDRESS", help="run on a Dask cluster: a scheduler address "
                       "(tcp://host:8786) or local:N for N local worker processes; needs --out")
    group.add_argument("--out", metavar="DIR", help="with --dask: the folder of Parquet shards and the manifest "
                       "(a rerun on it does only what is missing)")
    group.add_argument("--partition-size", type=int, default=512, metavar="N",
                       help="with --dask: documents per partition, one task and one shard each (default: 512)")
    group.add_argument("--retries", type=int, default=2, metavar="N",
                       help="with --dask: reruns of a failing partition before its documents become error "
                            "records (default: 2)")
    group.add_argument("--retry-failed", action="store_true",
                       help="with --dask: process again the partitions that failed in an earlier run")
    group.add_argument("--memory-limit", metavar="SIZE",
                       help="with --dask local:N: memory per worker, e.g. 2GiB (default: RAM / N)")


def add_load_parser(commands) -> None:
    from ..store.db import DEFAULT_DB, STORE_BATCH

    load = commands.add_parser(
        "load", help="load the Parquet shards of `process --dask` into the store",
        description="Store the records of a `letopis process --dask --out DIR` folder, in input order, as "
                    "`letopis ingest --records` does: registry links, near-duplicates and event clusters "
                    "are made as each article goes in. Articles already stored are skipped.")
    load.add_argument("out", metavar="DIR", help="the --out folder of `letopis process --dask`")
    load.add_argument("--db", default=os.environ.get("LETOPIS_DB", DEFAULT_DB), metavar="DB",
                      help=f"an SQLite file (default: $LETOPIS_DB or {DEFAULT_DB}) or postgresql://user@host/db")
    load.add_argument("--batch-size", type=int, default=STORE_BATCH, metavar="N",
                      help=f"articles stored per transaction (default: {STORE_BATCH})")
    load.add_argument("--with-errors", action="store_true",
                      help="also store the error rows in the store's ingest_errors table")
    from ..store.cli import store_command

    load.set_defaults(func=store_command(run_load))


def run_process_dask(args) -> int:
    from .run import close, connect, run_scaled
    from .worker import ProcessOptions, ReadOptions

    if not args.out:
        print("letopis: --dask writes Parquet shards: give the folder with --out DIR", file=sys.stderr)
        return 2
    if args.explain or args.output or args.errors:
        print("letopis: --explain, -o and --errors are for single-process runs; with --dask the records and "
              "errors go to the shards in --out", file=sys.stderr)
        return 2
    lang = None if args.lang == "auto" else args.lang
    options = ProcessOptions(ReadOptions(args.max_bytes, lang, args.published), batch_size=args.batch_size,
                             check=args.check, lean=args.lean,
                             gazetteer=None if args.no_gazetteer else [os.path.abspath(f) for f in args.gazetteer])
    progress = not args.no_progress and sys.stderr.isatty() and not os.environ.get("CI")  # make_progress's rule

    def log(line: str) -> None:
        print(line, file=sys.stderr)

    started = time.perf_counter()
    try:
        client = connect(args.dask, args.memory_limit, args.retries)
    except (ValueError, OSError) as error:
        print(f"letopis: cannot reach the Dask scheduler {args.dask}: {error}", file=sys.stderr)
        return 1
    try:
        log(f"letopis: Dask cluster of {len(client.scheduler_info()['workers'])} workers "
            f"in {time.perf_counter() - started:.1f} s")
        summary = run_scaled(client, args.paths, args.out, options, partition_size=args.partition_size,
                             retries=args.retries, retry_failed=args.retry_failed, progress=progress, log=log)
    except ValueError as error:
        print(f"letopis: {error}", file=sys.stderr)
        return 2
    finally:
        close(client)
    from .shards import error_counts

    for line in summary.lines(error_counts(args.out)):
        log(line)
    log(f"letopis: shards in {args.out}; store them with `letopis load {args.out} --db ...`")
    if summary.articles == 0:
        print("letopis: nothing could be processed; see the errors shards", file=sys.stderr)
        return 1
    if summary.unwritten:
        return 1
    return 1 if args.strict and (summary.errors or summary.failed) else 0


def run_load(db, args) -> int:
    from .load import load

    missing: list[str] = []
    summary, errors = load(db, args.out, batch_size=args.batch_size, with_errors=args.with_errors,
                           missing=missing)
    for line in summary.lines():
        print(line, file=sys.stderr)
    print(f"letopis: {errors} error rows in the shards"
          + (" (stored in ingest_errors)" if args.with_errors else f" (in {args.out}/errors)"), file=sys.stderr)
    if missing:
        print(f"letopis: {len(missing)} partitions are not written yet (first: {missing[0]}); the partitions "
              f"after it wait too, to keep input order: finish `letopis process --dask ... --out {args.out}` "
              f"and load again (what is stored is skipped)", file=sys.stderr)
        return 1
    return 1 if summary.failed else 0
