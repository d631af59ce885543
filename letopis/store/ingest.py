"""`letopis ingest`: read, skip what the store already has, process the rest, store.

The articles' ids are content hashes computed when they are read, so a re-ingest of
stored articles costs reading and hashing only: the models are not even loaded when
nothing is new. New articles are processed in batches and stored in (larger) batches, one per
transaction, each by a thread of its own while the next is processed (``StoreThread``);
a killed run loses at most the batch being written and the one being gathered, and the
next run redoes exactly those.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from ..errors import DocumentError
from ..record import Article
from .db import Checkpointer, Database, now
from .search import Words, words_of
from .writer import Stored, known_ids, store_articles

READ_CHUNK = 256  # articles looked up in the store at once
COLLECTOR_THRESHOLDS = (50_000, 20, 20)  # Python's cycle collector during an ingest (its default: 700, 10, 10)


@dataclass
class IngestSummary:
    read: int = 0
    stored: int = 0
    known: int = 0  # already in the store: skipped
    versions: int = 0  # newer versions of a stored URL
    duplicates: int = 0  # stored, and grouped with an earlier copy
    notifications: int = 0  # watchlist matches the stored articles gave (letopis.watch)
    failures: Counter = field(default_factory=Counter)  # (stage, reason) -> count
    chars: int = 0
    started: float = field(default_factory=time.perf_counter)
    store_seconds: float = 0.0
    process_seconds: float = 0.0
    background: bool = False  # stored by a thread of its own, beside the processing
    checkpoint_seconds: float = 0.0  # SQLite: copying the write-ahead log into the database, beside the writer

    @property
    def failed(self) -> int:
        return sum(self.failures.values())

    def lines(self) -> list[str]:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        lines = [f"letopis: {self.read} articles read: {self.stored} stored ({self.duplicates} near-duplicates "
                 f"of earlier reports, {self.versions} new versions of a URL), {self.known} already stored, "
                 f"{self.failed} failed; {elapsed:.1f} s"]
        if self.stored:
            lines.append(f"  {self.chars:,} chars stored; processing {self.process_seconds:.1f} s, "
                         f"writing {self.store_seconds:.1f} s" + (" beside it" if self.background else "")
                         + (f" (and copying the write-ahead log {self.checkpoint_seconds:.1f} s beside the writing)"
                            if self.checkpoint_seconds >= 0.05 else ""))
        if self.notifications:
            lines.append(f"  {self.notifications} new watchlist notifications: `letopis watch list`, "
                         f"`letopis watch digest NAME`")
        for (stage, reason), count in self.failures.most_common():
            lines.append(f"  failed at {stage}: {reason} x{count}")
        return lines

    def to_dict(self) -> dict:
        return {"read": self.read, "stored": self.stored, "known": self.known, "versions": self.versions,
                "duplicates": self.duplicates, "notifications": self.notifications, "failed": self.failed,
                "failures": {f"{stage}:{reason}": count for (stage, reason), count in self.failures.items()}}


def skip_known(db: Database, items: Iterable[Article | DocumentError], summary: IngestSummary,
               on_known: Callable[[Article], None] | None = None) -> Iterator[Article | DocumentError]:
    """The items whose article is not stored yet (errors pass through)."""
    chunk: list = []

    def flush():
        ids = [item.id for item in chunk if isinstance(item, Article)]
        present = known_ids(db, ids) if ids else set()
        seen: set[str] = set()
        for item in chunk:
            if isinstance(item, Article):
                if item.id in present or item.id in seen:
                    summary.known += 1
                    if on_known:
                        on_known(item)
                    continue
                seen.add(item.id)
            yield item

    for item in items:
        if isinstance(item, Article):
            summary.read += 1
        chunk.append(item)
        if len(chunk) >= READ_CHUNK:
            yield from flush()
            chunk = []
    if chunk:
        yield from flush()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Python's cycle collector, run less often while an ingest allocates: each of its
    full passes walks every live object, and an ingest holds a store batch of articles
    waiting (1,024) beside the models (reading and storing 2,048 records into a
    40,000-article store: 24 full passes and 0.8 ms per article collecting with Python's
    defaults, none and 0.1 ms with these). Garbage without cycles (nearly all of it) is
    freed as before, the moment it is dropped."""
    before = gc.get_threshold()
    gc.set_threshold(*(max(mine, theirs) for mine, theirs in zip(COLLECTOR_THRESHOLDS, before)))
    try:
        yield
    finally:
        gc.set_threshold(*before)


@fewer_collections()
def ingest(db: Database, items: Iterable[Article | DocumentError], pipeline_factory: Callable | None,
           batch_size: int = 32, on_error: Callable[[DocumentError], None] | None = None,
           on_stored: Callable[[Article, Stored], None] | None = None,
           summary: IngestSummary | None = None, store_batch: int | None = None,
           background: bool | None = None) -> IngestSummary:
    """Store every new article of ITEMS. ``pipeline_factory()`` makes the processing
    pipeline on first need (None: the items are finished records, stored as they are).
    Articles are processed ``batch_size`` at a time and stored ``store_batch`` (default:
    ``batch_size``) per transaction. ``background`` (default: when there is a pipeline
    and more than one core): each batch is stored by a thread of its own
    (``StoreThread``) while the next one is processed."""
    store_batch = store_batch or batch_size
    summary = summary or IngestSummary()
    if background is None:  # with one core there is nothing to store beside
        background = pipeline_factory is not None and (os.cpu_count() or 1) > 1
    fresh = skip_known(db, items, summary)
    pipeline = None

    def processed() -> Iterator[Article | DocumentError]:
        nonlocal pipeline
        if pipeline_factory is None:
            yield from fresh
            return
        buffered = []
        for item in fresh:
            buffered.append(item)
            if len(buffered) >= batch_size:
                if pipeline is None:
                    pipeline = pipeline_factory()
                started = time.perf_counter()
                results = pipeline.run_batch(buffered)
                summary.process_seconds += time.perf_counter() - started
                yield from results
                buffered = []
        if buffered and any(isinstance(item, Article) for item in buffered):
            if pipeline is None:
                pipeline = pipeline_factory()
            started = time.perf_counter()
            results = pipeline.run_batch(buffered)
            summary.process_seconds += time.perf_counter() - started
            yield from results
        else:
            yield from buffered

    writer = StoreThread(db.target) if background else None
    summary.background = background
    if writer is None:
        db.start_checkpoints_beside()
    unrecorded: list[DocumentError] = []  # errors the writer thread records (it holds the write lock)

    def account(batch: list[Article], results: list, seconds: float) -> None:
        summary.store_seconds += seconds
        for article, result in zip(batch, results):
            if isinstance(result, tuple):
                error = DocumentError(input=article.meta.input or "?", line=article.meta.input_line,
                                      stage="store", reason="store_failed", article_id=article.id,
                                      detail=f"{type(result[1]).__name__}: {result[1]}")
                fail(error)
            elif result.status == "known":
                summary.known += 1
            else:
                summary.stored += 1
                summary.chars += len(article.text)
                summary.versions += result.status == "version"
                summary.duplicates += result.duplicate_of is not None
                summary.notifications += result.notifications
                if on_stored:
                    on_stored(article, result)

    def write(batch: list[Article], words: dict[str, Words]) -> None:
        if writer is not None:
            done = writer.submit(batch, words, unrecorded)
            if done:
                account(*done)
            return
        started = time.perf_counter()
        results = store_articles(db, batch, words)
        account(batch, results, time.perf_counter() - started)

    def fail(error: DocumentError) -> None:
        summary.failures[(error.stage, error.reason)] += 1
        if writer is not None:
            unrecorded.append(error)
        else:
            record_error(db, error)
        if on_error:
            on_error(error)

    batch: list[Article] = []
    words: dict[str, Words] = {}
    finished = False
    try:
        for item in processed():
            if isinstance(item, DocumentError):
                fail(item)
                continue
            started = time.perf_counter()  # the search words are the store's work: its clock
            batch.append(waiting(item, words))
            summary.store_seconds += time.perf_counter() - started
            if len(batch) >= store_batch:
                write(batch, words)
                batch, words = [], {}
        if batch:
            write(batch, words)
        if writer is not None:
            done = writer.wait()
            if done:
                account(*done)
        finished = True
    finally:
        if writer is None:
            checkpointer = db.checkpointer
            db.stop_checkpoints_beside()
        else:
            checkpointer = writer.checkpointer
            done = writer.close()
            if done:  # stopped early (an interrupt, a failing pipeline): the batch in flight was stored
                account(*done)
        if checkpointer is not None:  # the last checkpoint was waited for: the store's time
            summary.store_seconds += checkpointer.closing_seconds
            summary.checkpoint_seconds += checkpointer.seconds
        if writer is not None:
            for error in unrecorded:  # the writer is done: no lock to wait for
                try:
                    record_error(db, error)
                except Exception:
                    if finished:
                        raise
                    break  # the run is stopping for a reason of its own: that one is the user's error
    if summary.stored:
        db.refresh_statistics()
    return summary


class StoreThread:
    """Stores batches on a connection of its own, in one thread, while the caller
    processes the next batch. One batch is in flight at a time: its results are taken
    before the next is handed over, so memory holds two batches at most, and a killed
    run loses at most the batch in flight (its transaction is rolled back).

    Processing is mostly Python and storing mostly SQLite or PostgreSQL, which let go
    of the interpreter lock while they work: storing 512 articles into a 40,000-article
    store beside processing 512 others (one BLAS thread) took the processing 1.5% longer
    than alone. With BLAS on every core of a 2-core machine it gains nothing on SQLite
    (bench/README.md)."""

    def __init__(self, target: str):
        self.target = target
        self.db: Database | None = None
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="letopis-store")
        self.in_flight: tuple[list[Article], Future] | None = None
        self.checkpointer: Checkpointer | None = None  # its connection's (SQLite)

    def submit(self, batch: list[Article], words: dict[str, Words],
               errors: list[DocumentError]) -> tuple[list[Article], list, float] | None:
        """Hand BATCH over (with ERRORS to record first, taken from the list); the
        batch handed over before it, once stored, comes back as (batch, results, seconds)."""
        done = self.wait()
        taken = errors[:]
        errors.clear()
        self.in_flight = (batch, self.executor.submit(self._store, batch, words, taken))
        return done

    def wait(self) -> tuple[list[Article], list, float] | None:
        if self.in_flight is None:
            return None
        batch, future = self.in_flight
        self.in_flight = None
        results, seconds = future.result()  # the writer's StoreError (a full disk, a lock) is raised here
        return batch, results, seconds

    def _store(self, batch: list[Article], words: dict[str, Words], errors: list[DocumentError]) -> tuple[list, float]:
        if self.db is None:
            self.db = Database(self.target)  # migrated already: the caller's connection opened the store
            self.db.start_checkpoints_beside()
            self.checkpointer = self.db.checkpointer
        for error in errors:
            record_error(self.db, error)
        started = time.perf_counter()
        return store_articles(self.db, batch, words), time.perf_counter() - started

    def _close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    def close(self) -> tuple[list[Article], list, float] | None:
        """Wait for the batch in flight (there is one if the caller stopped early), close,
        and give that batch back as ``wait`` does if it was stored."""
        done = None
        try:
            if self.in_flight is not None and self.in_flight[1].exception() is None:
                done = self.wait()
        finally:
            self.in_flight = None
            self.executor.submit(self._close).result()
            self.executor.shutdown()
        return done


def waiting(article: Article, words: dict[str, Words]) -> Article:
    """ARTICLE as it waits for its store batch: its search words worked out into WORDS,
    and its tokens, which nothing else in the store reads, let go (a batch of 1,024
    full articles held 270 MiB; without their tokens 63 MiB)."""
    if not article.sentences:
        return article
    words[article.id] = words_of(article)
    return dataclasses.replace(article, sentences=[])


def record_error(db: Database, error: DocumentError) -> None:
    with db.transaction():
        db.execute("INSERT INTO ingest_errors (run_at, input, line, stage, reason, detail) VALUES (?, ?, ?, ?, ?, ?)",
                   (now(), error.input, error.line, error.stage, error.reason, (error.detail or "")[:2000]))


def read_records(paths: Iterable[str]) -> Iterator[Article | DocumentError]:
    """Finished records (the JSON Lines of `letopis process`), for `ingest --records`."""
    import gzip

    for path in paths:
        opener = gzip.open if str(path).endswith(".gz") else open
        try:
            with opener(path, "rt", encoding="utf-8") as stream:
                for number, line in enumerate(stream, 1):
                    if not line.strip():
                        continue
                    try:
                        data = json.loads(line)
                    except json.JSONDecodeError as error:
                        yield DocumentError(input=str(path), line=number, reason="bad_json", detail=str(error))
                        continue
                    if isinstance(data, dict) and "error" in data and "text" not in data:
                        continue  # an error record of the processing run: already counted there
                    try:
                        article = Article.from_dict(data)
                        if not isinstance(article.text, str) or not article.id:
                            raise ValueError("a record needs `id` and `text`")
                    except Exception as error:
                        yield DocumentError(input=str(path), line=number, reason="bad_field",
                                            detail=f"not a letopis record: {error}")
                        continue
                    article.meta.input = article.meta.input or str(path)
                    yield article
        except OSError as error:
            yield DocumentError(input=str(path), reason="unreadable", detail=str(error))
