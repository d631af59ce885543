"""Scale-out: letopis on a Dask LocalCluster against one process and a multiprocessing pool.

    python bench/scale.py [--docs 400] [--partition-size 25] [--workers 2] [--repeat 1] [--json OUT]

The same JSON Lines file of ``--docs`` articles (the sample corpus's articles, repeated,
each with a numbered footer so that every id differs) goes through:

- ``single``: one process, as ``letopis process`` runs: ``read_paths`` -> the default
  pipeline -> ``json.dumps`` of every record (in a subprocess, so its memory is its own);
- ``dask-1``, ``dask-N``: ``letopis process --dask local:K``: a LocalCluster of K worker
  processes with one thread each, the worker plugin loading the models, one task per
  partition writing its Parquet shards;
- ``pool-N``: the same partitions and the same per-partition function
  (``letopis.scale.worker.process_partition``) on a ``multiprocessing.Pool`` of N
  processes whose initializer loads the models: the same work without Dask.

Clocks start after the models are loaded everywhere (the load is reported on its own).
Reported: articles/s, scaling efficiency = throughput(dask-N) / (N x throughput(dask-1)),
throughput(dask-N) / (N x throughput(single)), Dask's overhead against the pool
(wall(dask-N) / wall(pool-N) - 1), the same from CPU seconds (workers, plus the client
and scheduler for Dask: steadier than wall clocks when other jobs share the cores), and
RSS per worker process. ``cores`` (CPU seconds / wall seconds) shows how much of the
machine a configuration got: under 2 for a 2-process configuration means other jobs
took the rest, and its wall-clock figures say little. With ``--repeat R`` the
configurations alternate (order reversed every other round) and the median is kept.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")  # before numpy; inherited by every child

CORPUS = ROOT / "examples" / "corpus"


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.child_single:
        return run_single_child(args.child_single)
    return run_bench(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description="letopis on Dask vs one process vs a multiprocessing pool.")
    parser.add_argument("--docs", type=int, default=400, help="articles (default: 400)")
    parser.add_argument("--partition-size", type=int, default=25,
                        help="articles per partition (default: 25: 16 partitions of the default 400, 8 per worker)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes of dask-N and pool-N (default: 2)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the median is reported (default: 1)")
    parser.add_argument("--json", metavar="OUT", help="write all figures and the machine's description here")
    parser.add_argument("--child-single", help=argparse.SUPPRESS)
    return parser


# -- the input ------------------------------------------------------------------------------


def write_input(path: Path, count: int) -> int:
    """COUNT articles from the sample corpus, repeated, each with a numbered footer; chars."""
    from letopis.read import read_paths
    from letopis.record import Article

    sources = [item for item in read_paths([str(CORPUS)]) if isinstance(item, Article)]
    chars = 0
    with open(path, "w", encoding="utf-8") as stream:
        for number in range(count):
            source = sources[number % len(sources)]
            text = f"{source.text.rstrip()}\n\nМатериал № {number + 1}"
            chars += len(text)
            meta = source.meta
            stream.write(json.dumps({"id": number + 1, "text": text, "url": meta.url, "published": meta.published,
                                     "outlet": meta.outlet}, ensure_ascii=False) + "\n")
    return chars


# -- the configurations ---------------------------------------------------------------------


def run_single_child(input_path: str) -> int:
    """One process: load, then read -> pipeline -> JSON, timed (prints one JSON line)."""
    from letopis.nlp import one_blas_thread

    one_blas_thread()
    from letopis.cli import article_dict
    from letopis.pipeline import default_pipeline
    from letopis.read import read_paths
    from letopis.record import Article
    from letopis.scale.worker import cpu_seconds, peak_rss_mib, rss_mib

    started = time.perf_counter()
    pipeline = default_pipeline()
    loaded = time.perf_counter()
    rss_after_load = rss_mib()
    cpu = cpu_seconds()
    articles = errors = 0
    for item in pipeline.run(read_paths([input_path])):
        if isinstance(item, Article):
            json.dumps(article_dict(item), ensure_ascii=False)
            articles += 1
        else:
            errors += 1
    wall = time.perf_counter() - loaded
    print(json.dumps({"wall_s": wall, "cpu_s": cpu_seconds() - cpu, "load_s": loaded - started, "articles": articles, "errors": errors,
                      "rss_mib": {"single": rss_mib()}, "peak_rss_mib": peak_rss_mib(),
                      "rss_after_load_mib": rss_after_load}))
    return 0


def run_single(input_path: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child-single", str(input_path)], capture_output=True,
                          text=True, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"scale: the single-process run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_dask(input_path: Path, out: Path, workers: int, partition_size: int) -> dict:
    from letopis.scale.run import close, connect, run_scaled
    from letopis.scale.worker import LetopisPlugin, ProcessOptions, cpu_seconds, worker_stats

    options = ProcessOptions()
    started = time.perf_counter()
    client = connect(f"local:{workers}")
    try:
        cluster_s = time.perf_counter() - started
        client.register_plugin(LetopisPlugin(options), name="letopis")  # every worker loads the models
        load_s = time.perf_counter() - started - cluster_s
        before = client.run(worker_stats)
        begun, client_cpu = time.perf_counter(), cpu_seconds()
        summary = run_scaled(client, [str(input_path)], str(out), options, partition_size=partition_size,
                             register=False)
        wall = time.perf_counter() - begun
        client_cpu = cpu_seconds() - client_cpu  # the client and the scheduler (LocalCluster: this process)
        stats = client.run(worker_stats)
    finally:
        close(client)
    if summary.failed:
        raise SystemExit(f"scale: dask-{workers}: {summary.failed} partitions failed")
    workers_cpu = sum(stats[address]["cpu_s"] - before[address]["cpu_s"] for address in stats)
    return {"wall_s": wall, "cpu_s": workers_cpu + client_cpu, "client_scheduler_cpu_s": client_cpu,
            "load_s": load_s, "cluster_start_s": cluster_s, "articles": summary.articles,
            "errors": summary.errors, "partitions": summary.partitions,
            "rss_mib": {address: info["rss_mib"] for address, info in stats.items()},
            "peak_rss_mib": max(info["peak_rss_mib"] for info in stats.values()),
            "rss_after_load_mib": max(info["rss_after_load_mib"] or 0 for info in stats.values())}


def pool_load() -> None:
    from letopis.scale.worker import ProcessOptions, current_pipeline

    current_pipeline(ProcessOptions())


def pool_ready(_) -> tuple[int, float]:
    from letopis.scale.worker import _local

    time.sleep(0.3)  # long enough that every process of the pool takes one
    return os.getpid(), max(plugin.load_seconds for plugin in _local.values())


def pool_task(task) -> dict:
    from letopis.scale.worker import cpu_seconds, process_partition

    part, out, options = task
    cpu = cpu_seconds()
    return process_partition(part, out, options) | {"cpu_s": cpu_seconds() - cpu}


def run_pool(input_path: Path, out: Path, workers: int, partition_size: int) -> dict:
    from letopis.scale.partitions import plan_partitions
    from letopis.scale.worker import ProcessOptions

    options = ProcessOptions()
    parts = plan_partitions([str(input_path)], partition_size)
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(workers, initializer=pool_load) as pool:
        ready = pool.map(pool_ready, range(workers * 3), chunksize=1)
        load_s = time.perf_counter() - started
        begun = time.perf_counter()
        results = pool.map(pool_task, [(part, str(out), options) for part in parts], chunksize=1)
        wall = time.perf_counter() - begun
    rss: dict[str, float] = {}
    for result in results:
        rss[result["worker"]] = max(rss.get(result["worker"], 0.0), result["rss_mib"])
    return {"wall_s": wall, "cpu_s": sum(r["cpu_s"] for r in results), "load_s": load_s,
            "articles": sum(r["articles"] for r in results),
            "errors": sum(r["errors"] for r in results), "partitions": len(parts),
            "processes_ready": len({pid for pid, _ in ready}), "rss_mib": rss}


# -- the run ------------------------------------------------------------------------------


def run_bench(args) -> int:
    workers = args.workers
    configs = ["single", "dask-1", f"dask-{workers}", f"pool-{workers}"]
    load_start = os.getloadavg()
    results: dict[str, list[dict]] = {name: [] for name in configs}
    with tempfile.TemporaryDirectory(prefix="letopis-scale-") as tmp:
        input_path = Path(tmp) / "input.jsonl"
        chars = write_input(input_path, args.docs)
        print(f"scale: {args.docs} articles, {chars:,} chars, partitions of {args.partition_size}; "
              f"{args.repeat} rounds of {', '.join(configs)}; load average {load_start[0]:.1f}", file=sys.stderr)
        for round_ in range(args.repeat):
            for name in (configs if round_ % 2 == 0 else configs[::-1]):
                out = Path(tmp) / f"out-{name}-{round_}"
                if name == "single":
                    result = run_single(input_path)
                elif name.startswith("dask"):
                    result = run_dask(input_path, out, int(name.split("-")[1]), args.partition_size)
                else:
                    result = run_pool(input_path, out, workers, args.partition_size)
                if result["articles"] != args.docs:
                    raise SystemExit(f"scale: {name} processed {result['articles']} articles, not {args.docs}")
                results[name].append(result)
                print(f"  round {round_ + 1} {name:<8} {result['wall_s']:6.1f} s "
                      f"{args.docs / result['wall_s']:6.2f} articles/s (load {result['load_s']:.1f} s)",
                      file=sys.stderr)
    report = build_report(args, configs, results, chars, load_start)
    print_report(report)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def build_report(args, configs, results, chars, load_start) -> dict:
    n = args.workers
    summary = {}
    for name in configs:
        wall = statistics.median(run["wall_s"] for run in results[name])
        rss = [value for run in results[name] for value in run["rss_mib"].values()]
        cpu = statistics.median(run["cpu_s"] for run in results[name])
        summary[name] = {"wall_s": wall, "cpu_s": cpu, "articles_per_s": args.docs / wall,
                         "articles_per_cpu_s": args.docs / cpu, "cores_used": cpu / wall, "chars_per_s": chars / wall,
                         "load_s": statistics.median(run["load_s"] for run in results[name]),
                         "rss_per_process_mib": max(rss)}
    rate = {name: row["articles_per_s"] for name, row in summary.items()}
    ratios = {
        f"efficiency dask-{n} vs {n} x dask-1": rate[f"dask-{n}"] / (n * rate["dask-1"]),
        f"efficiency dask-{n} vs {n} x single": rate[f"dask-{n}"] / (n * rate["single"]),
        "dask-1 vs single": rate["dask-1"] / rate["single"],
        f"dask overhead vs pool-{n}": summary[f"dask-{n}"]["wall_s"] / summary[f"pool-{n}"]["wall_s"] - 1,
        f"cpu: dask-{n} vs single": summary[f"dask-{n}"]["articles_per_cpu_s"] / summary["single"]["articles_per_cpu_s"],
        f"cpu: dask overhead vs pool-{n}": summary[f"dask-{n}"]["cpu_s"] / summary[f"pool-{n}"]["cpu_s"] - 1,
    }
    return {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                        "load_average_start": load_start, "load_average_end": os.getloadavg(),
                        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": commit()},
            "args": {k: v for k, v in vars(args).items() if k != "child_single"},
            "documents": {"count": args.docs, "chars": chars}, "summary": summary, "ratios": ratios,
            "runs": results}


def commit() -> str | None:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    return done.stdout.strip() or None


def print_report(report: dict) -> None:
    machine = report["machine"]
    print(f"\n{report['documents']['count']} articles, {report['documents']['chars']:,} chars; "
          f"{machine['cpus']} CPUs, load average {machine['load_average_start'][0]:.1f} at the start, "
          f"{machine['load_average_end'][0]:.1f} at the end; letopis {machine['commit']}\n")
    print(f"{'configuration':<14}{'articles/s':>11}{'chars/s':>10}{'wall s':>8}{'cpu s':>8}{'art/cpu-s':>10}"
          f"{'cores':>7}{'load s':>8}{'RSS/process MiB':>17}")
    for name, row in report["summary"].items():
        print(f"{name:<14}{row['articles_per_s']:>11.2f}{row['chars_per_s']:>10,.0f}{row['wall_s']:>8.1f}"
              f"{row['cpu_s']:>8.1f}{row['articles_per_cpu_s']:>10.2f}{row['cores_used']:>7.2f}{row['load_s']:>8.1f}"
              f"{row['rss_per_process_mib']:>17.0f}")
    print()
    for name, value in report["ratios"].items():
        print(f"{name:<32}{value:>8.2f}")


if __name__ == "__main__":
    sys.exit(main())
