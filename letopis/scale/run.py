"""The client side of ``letopis process --dask``: plan, submit, retry, resume.

1. The partitions are planned once (``partitions.plan_partitions``) and kept in
   ``OUT/manifest.json`` with the options; a rerun on the same folder reuses that plan,
   and refuses other inputs or options (their shards would not mix).
2. Partitions whose records shard exists are done and skipped.
3. The rest are submitted as one task each, with ``retries``: a task that raises, or
   whose worker dies under it, runs again elsewhere. A partition that still fails is
   read again on the client (no models needed) and every one of its documents is
   written to its errors shard with the reason ``partition_failed``, so the run ends
   with every input document accounted for exactly once.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import __version__
from ..errors import DocumentError
from ..record import Article
from . import shards
from .partitions import Partition, plan_partitions, read_partition
from .worker import LetopisPlugin, ProcessOptions, default_pipeline_for, process_partition

RETRIES = 2  # reruns of a failed partition before its documents become error records


@dataclass
class ScaleSummary:
    partitions: int = 0
    skipped: int = 0  # already written by an earlier run
    processed: int = 0
    failed: int = 0  # partitions whose documents all became error records
    articles: int = 0
    errors: int = 0
    worker_rss_mib: dict[str, float] = field(default_factory=dict)  # the largest seen after a partition
    started: float = field(default_factory=time.perf_counter)

    unwritten: int = 0  # failed, and their error records could not be written either: left for a rerun

    def lines(self, failures: dict[tuple[str, str], int] | None = None) -> list[str]:
        elapsed = time.perf_counter() - self.started
        lines = [f"letopis: {self.partitions} partitions: {self.processed} processed, {self.skipped} already "
                 f"written, {self.failed} failed; {self.articles} articles, {self.errors} error records "
                 f"in {elapsed:.1f} s"]
        if self.unwritten:
            lines.append(f"  {self.unwritten} partitions could not be written at all: run the same command again")
        for (stage, reason), count in sorted((failures or {}).items(), key=lambda item: -item[1]):
            lines.append(f"  failed at {stage}: {reason} x{count}")
        return lines


def parse_address(address: str) -> tuple[str, int | None]:
    """("local", N) for ``local:N``, else (the scheduler address, None)."""
    if address.startswith("local:") or address == "local":
        workers = address.partition(":")[2] or str(os.cpu_count() or 1)
        if not workers.isdigit() or int(workers) < 1:
            raise ValueError(f"--dask local:N needs a number of workers, not {address!r}")
        return "local", int(workers)
    return address, None


def connect(address: str, memory_limit: str | None = None, retries: int = RETRIES):
    """A client: to a running scheduler, or to a new LocalCluster of N worker processes
    with one thread each (closed with the client). Dask reruns a task that raised
    ``retries`` times, and one whose worker died ``allowed-failures`` times, a setting of
    the scheduler: for a local cluster it is set to ``retries`` too."""
    import dask
    from distributed import Client, LocalCluster

    target, workers = parse_address(address)
    if workers is None:
        return Client(target)
    with dask.config.set({"distributed.scheduler.allowed-failures": retries, **LOCAL_WORKER_CONFIG}):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0", memory_limit=memory_limit or "auto",
                               env=worker_environment())
    client = Client(cluster)
    client._letopis_cluster = cluster
    return client


# The nanny's default MALLOC_TRIM_THRESHOLD_=65536 (glibc gives freed memory back at
# once) cost the workers 26-37% more CPU on letopis's many short-lived NumPy arrays
# (same partitions, worker vs one process: bench/scale.py, docs/scaling.md); glibc's
# own adaptive threshold is kept instead.
LOCAL_WORKER_CONFIG = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}


def worker_environment() -> dict[str, str]:
    """One BLAS thread per worker, and this letopis importable in the worker processes."""
    package_root = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH", "")
    return {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False",  # see worker.stop_profiler
            "PYTHONPATH": os.pathsep.join(filter(None, [package_root, path]))}


def close(client) -> None:
    cluster = getattr(client, "_letopis_cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def prepare(out: str, paths: list[str], options: ProcessOptions, partition_size: int) -> list[Partition]:
    """The plan: the one in OUT's manifest when it is for these inputs and options,
    else a new one (written to the manifest)."""
    inputs = [os.path.abspath(path) for path in paths]
    manifest = shards.read_manifest(out)
    wanted = {"inputs": inputs, "options": options.to_dict(), "partition_size": partition_size}
    if manifest is not None:
        changed = changed_files(manifest.get("files", {}))
        if changed:
            raise ValueError(f"{len(changed)} input files changed since {out} was planned (first: {changed[0]}): "
                             f"their shards would not match them; choose another --out")
        found = {name: manifest.get(name) for name in wanted}
        if found != wanted:
            differ = ", ".join(name for name in wanted if found[name] != wanted[name])
            raise ValueError(f"{out} holds the output of another run (its {differ} differ): "
                             f"rerun with the same inputs and options, or choose another --out")
        return [Partition.from_dict(data) for data in manifest["partitions"]]
    partitions = plan_partitions(paths, partition_size)
    shards.write_manifest(out, wanted | {"format": shards.FORMAT, "letopis": __version__,
                                         "files": file_stamps(partitions),
                                         "partitions": [part.to_dict() for part in partitions]})
    return partitions


def file_stamps(partitions: list[Partition]) -> dict[str, list[int]]:
    """[size, mtime in ns] of every input file of the plan."""
    files = {part.path for part in partitions if part.path}
    files.update(unit["source"]["path"] for part in partitions for unit in part.units if "source" in unit)
    return {path: stamp(path) for path in sorted(files)}


def stamp(path: str) -> list[int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def changed_files(stamps: dict[str, list[int]]) -> list[str]:
    return [path for path, value in stamps.items() if stamp(path) != value]


def run_scaled(client, paths: list[str], out: str, options: ProcessOptions, *, partition_size: int = 512,
               retries: int = RETRIES, factory: Callable = default_pipeline_for, retry_failed: bool = False,
               progress: bool = False, log: Callable[[str], None] = lambda line: None,
               register: bool = True) -> ScaleSummary:
    """Process every partition of PATHS not yet in OUT on the client's cluster (``register``:
    False when the caller registered the worker plugin with these options already)."""
    from distributed import as_completed

    summary = ScaleSummary()
    partitions = prepare(out, paths, options, partition_size)
    shards.remove_temporary(out)
    summary.partitions = len(partitions)
    todo = []
    for part in partitions:
        if shards.is_done(out, part.id) and not (retry_failed and shards.shard_counts(out, part.id).failed):
            summary.skipped += 1
            counts = shards.shard_counts(out, part.id)
            summary.articles += counts.articles
            summary.errors += counts.errors
        else:
            todo.append(part)
    log(f"letopis: {len(partitions)} partitions, {summary.skipped} already written, {len(todo)} to process")
    if not todo:
        return summary
    log(f"letopis: Dask dashboard: {client.dashboard_link}")
    if register:
        client.register_plugin(LetopisPlugin(options, factory), name="letopis")
    token = os.urandom(4).hex()
    futures = {}
    for part in todo:
        future = client.submit(process_partition, part, out, options, factory, retries=retries, pure=False,
                               key=f"letopis-partition-{part.id}-{token}")
        futures[future] = part
    bar = progress_bar(len(todo)) if progress else None
    for future in as_completed(futures):
        counts = settle(future, futures.pop(future), out, options, retries, summary, log)
        future.release()
        if counts:
            summary.articles += counts["articles"]
            summary.errors += counts["errors"]
        if bar:
            bar.update(1)
            bar.set_postfix(articles=summary.articles, errors=summary.errors, refresh=False)
    if bar:
        bar.close()
    return summary


def settle(future, part: Partition, out: str, options: ProcessOptions, retries: int, summary: ScaleSummary,
           log: Callable[[str], None]) -> dict | None:
    """A finished task's counts; for a task that failed for good, its documents written as
    error records (None when even that fails: the partition is left for a rerun)."""
    try:
        counts = future.result()
    except Exception as error:  # retries exhausted: a worker died each time, or the task raised
        cause = f"{type(error).__name__}: {error}"
        try:
            counts = fail_partition(out, part, options, cause, retries).to_dict()
        except OSError as write_error:  # the output folder itself fails (full, gone)
            summary.unwritten += 1
            log(f"letopis: partition {part.id} failed ({cause}) and its error records could not be written "
                f"({write_error}); a rerun will process it again")
            return None
        summary.failed += 1
        log(f"letopis: partition {part.id} failed ({cause}); its {counts['errors']} documents are in "
            f"{shards.error_path(out, part.id)}")
        return counts
    summary.processed += 1
    worker = counts["worker"]
    summary.worker_rss_mib[worker] = max(summary.worker_rss_mib.get(worker, 0.0), counts["rss_mib"])
    return counts


def fail_partition(out: str, part: Partition, options: ProcessOptions, reason: str, retries: int):
    """Every document of a partition that kept failing, as an error record."""
    detail = (f"partition {part.id} failed {retries + 1} times ({reason[:500]}); "
              f"rerun with --retry-failed, or process this input alone to find the cause")
    try:
        items = [as_failed(item, detail) for item in read_partition(part, options.read)]
    except Exception as error:  # even reading fails: one record for the partition
        items = [DocumentError(part.input or f"partition {part.id}", "partition_failed", stage="dask",
                               detail=f"{detail}; reading it failed too: {type(error).__name__}: {error}")]
    counts = shards.ShardCounts(part.id, failed=True, worker="client")
    return shards.write_shards(out, counts, items, lean=options.lean)


def as_failed(item: Article | DocumentError, detail: str) -> DocumentError:
    if isinstance(item, DocumentError):
        return item  # it failed on reading: that reason stands
    return DocumentError(item.meta.input or "?", "partition_failed", stage="dask", line=item.meta.input_line,
                         detail=detail, article_id=item.id)


def progress_bar(total: int):
    from tqdm import tqdm

    return tqdm(total=total, unit="partition", desc="letopis", file=sys.stderr)
