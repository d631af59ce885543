"""What runs on a Dask worker: the models loaded once, and one partition processed.

``LetopisPlugin`` is a ``distributed.WorkerPlugin``: registered once by the client, it
runs ``setup`` on every worker process, now and on any worker that joins or restarts
later, and builds the pipeline there (models, gazetteer, time grammars: a few seconds,
~500 MiB). ``process_partition`` is the task: it reads the partition as
``letopis.read`` would, runs it through ``Pipeline.run`` exactly as ``letopis process``
does on one machine, and writes the shards.
"""

from __future__ import annotations

import gc
import os
import resource
import time
from dataclasses import dataclass, field
from typing import Callable

from distributed import WorkerPlugin

from .partitions import Partition, ReadOptions, read_partition
from .shards import ShardCounts, write_shards

PLUGIN = "letopis"


@dataclass
class ProcessOptions:
    """The options of `letopis process` that shape the records (kept in the manifest:
    a rerun with other options must not mix its shards with these)."""

    read: ReadOptions = field(default_factory=ReadOptions)
    batch_size: int = 32
    check: bool = False
    lean: bool = False
    gazetteer: list[str] | None = field(default_factory=list)  # None: no gazetteer; []: the shipped one

    def to_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ProcessOptions":
        return cls(**(data | {"read": ReadOptions(**data["read"])}))


def default_pipeline_for(options: ProcessOptions):
    """The pipeline `letopis process` builds for the same options."""
    from ..gazetteer import shared_gazetteer
    from ..pipeline import default_pipeline

    if options.gazetteer is None:
        gazetteer = None
    elif options.gazetteer:
        gazetteer = shared_gazetteer(tuple(options.gazetteer))
    else:
        gazetteer = "shipped"
    return default_pipeline(batch_size=options.batch_size, check=options.check, gazetteer=gazetteer)


def rss_mib() -> float:
    """This process's resident memory now (Linux), in MiB."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this whole process so far (all its threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class LetopisPlugin(WorkerPlugin):
    """Loads the pipeline once per worker process."""

    name = PLUGIN

    def __init__(self, options: ProcessOptions, factory: Callable[[ProcessOptions], object] = default_pipeline_for):
        self.options = options
        self.factory = factory
        self.pipeline = None
        self.load_seconds = 0.0
        self.rss_after_load_mib = 0.0

    def setup(self, worker=None) -> None:
        from ..nlp import one_blas_thread

        one_blas_thread()  # a no-op if numpy came first; the cluster's env should set it too
        stop_profiler(worker)
        started = time.perf_counter()
        self.pipeline = self.factory(self.options)
        gc.collect()
        gc.freeze()  # the models' objects leave the collector's scans (PERF-NOTES: GC)
        self.load_seconds = time.perf_counter() - started
        self.rss_after_load_mib = rss_mib()

    def teardown(self, worker=None) -> None:
        self.pipeline = None


def stop_profiler(worker) -> None:
    """Dask's statistical profiler samples the task thread's stack every 10 ms, holding
    the GIL; with the nanny's malloc trimming it made tasks about 2x slower than in a
    plain process (docs/scaling.md, Measured). Stopped here for workers started with
    it on; the dashboard's profile page stays empty."""
    callback = getattr(worker, "periodic_callbacks", {}).get("profile")
    if callback is not None:
        callback.stop()


def current_pipeline(options: ProcessOptions, factory=default_pipeline_for):
    """The worker plugin's pipeline; without a worker (a multiprocessing pool, a test),
    one built on first use and kept for the process."""
    plugin = worker_plugin()
    if plugin is None:
        plugin = _local.get(id(factory))
        if plugin is None:
            plugin = _local[id(factory)] = LetopisPlugin(options, factory)
            plugin.setup()
    return plugin.pipeline


_local: dict[int, LetopisPlugin] = {}


def process_partition(part: Partition, out: str, options: ProcessOptions,
                      factory=default_pipeline_for) -> dict:
    """Read, process and write one partition; its counts (the task's result)."""
    started = time.perf_counter()
    pipeline = current_pipeline(options, factory)
    items = list(pipeline.run(read_partition(part, options.read)))
    counts = ShardCounts(part.id, worker=worker_name())
    counts.seconds = time.perf_counter() - started
    return write_shards(out, counts, items, lean=options.lean).to_dict() | {"rss_mib": rss_mib()}


def worker_plugin() -> LetopisPlugin | None:
    from distributed import get_worker

    try:
        return get_worker().plugins.get(PLUGIN)
    except ValueError:  # not on a Dask worker
        return None


def worker_name() -> str:
    from distributed import get_worker

    try:
        return get_worker().address
    except ValueError:
        return f"pid {os.getpid()}"


def worker_stats(dask_worker=None) -> dict:
    """This worker's pipeline load time and memory: ``client.run(worker_stats)`` (which
    passes ``dask_worker``), or in a task."""
    plugin = dask_worker.plugins.get(PLUGIN) if dask_worker is not None else worker_plugin()
    return {"pid": os.getpid(), "rss_mib": rss_mib(), "peak_rss_mib": peak_rss_mib(), "cpu_s": cpu_seconds(),
            "load_s": getattr(plugin, "load_seconds", None),
            "rss_after_load_mib": getattr(plugin, "rss_after_load_mib", None),
            "letopis": __import__("letopis").__file__}

