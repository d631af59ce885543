"""Pasted articles: plain text, an HTML page or a JSON Lines batch, processed by one
pipeline per process and stored.

The pipeline is made on the first paste (the models take a few seconds and ~600 MB)
and runs in one worker thread, so pastes are processed one at a time. A request waits
at most ``timeout_s`` per article; past that it gets a clear error, and the article is
still stored when its processing ends.
"""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Callable

from ..errors import DocumentError
from ..read.decode import ReadFailure
from ..read.html import html_article
from ..read.jsonl import read_jsonl
from ..read.text import iso_date, text_article, with_title
from ..record import Article, Meta

FORMATS = ("auto", "text", "html", "jsonl")
LOAD_TIMEOUT_S = 300.0


class BadRequest(ValueError):
    """A request the user can fix; the message says how (answered with status 400)."""


class PasteError(BadRequest):
    """The pasted input cannot be read; the message says why."""


class ProcessingTimeout(TimeoutError):
    """Processing took longer than the limit."""


@dataclass
class Pasted:
    text: str
    format: str = "auto"
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    lang: str | None = None


@dataclass
class Outcome:
    articles: list[dict] = field(default_factory=list)  # {id, title, status, duplicate_of}
    errors: list[dict] = field(default_factory=list)  # error records


def sniff(text: str) -> str:
    head = text.lstrip()[:200].lower()
    if head.startswith("{"):
        return "jsonl"
    if head.startswith(("<!doctype", "<html", "<head", "<body", "<article", "<?xml")):
        return "html"
    return "text"


def read_pasted(pasted: Pasted, max_articles: int) -> list[Article | DocumentError]:
    """Articles (and per-line errors) from the pasted input."""
    if not pasted.text or not pasted.text.strip():
        raise PasteError("nothing to process: paste the text of an article")
    kind = sniff(pasted.text) if pasted.format in (None, "", "auto") else pasted.format
    if kind not in FORMATS:
        raise PasteError(f"unknown format {kind!r}: use one of {', '.join(FORMATS)}")
    if kind == "jsonl":
        stream = io.BufferedReader(io.BytesIO(pasted.text.encode("utf-8")))
        items = list(read_jsonl(stream, "paste", max_bytes=10_000_000))
        if len(items) > max_articles:
            raise PasteError(f"{len(items)} articles in one batch; at most {max_articles} at a time")
        for item in items:
            if isinstance(item, Article):
                apply_fields(item.meta, pasted, override=False)
        return items
    meta = Meta(input="paste", input_format="html" if kind == "html" else "txt", encoding="utf-8")
    apply_fields(meta, pasted, override=True)
    try:
        if kind == "html":
            return [html_article(pasted.text, meta)]
        return [text_article(with_title(meta.title, pasted.text), meta)]
    except ReadFailure as failure:
        raise PasteError(f"{failure.reason}: {failure.detail}") from failure


def apply_fields(meta: Meta, pasted: Pasted, override: bool) -> None:
    """The form's fields into ``meta`` (for a batch, only where a line says nothing)."""
    def set_value(name: str, value):
        if value and (override or not getattr(meta, name)):
            setattr(meta, name, value)

    set_value("title", (pasted.title or "").strip() or None)
    set_value("url", (pasted.url or "").strip() or None)
    if (pasted.outlet or "").strip() and (override or not meta.outlet):
        meta.outlet, meta.outlet_source = pasted.outlet.strip(), "metadata"
    if pasted.published:
        value = iso_date(pasted.published)
        if not value:
            raise PasteError(f"published must be a date like 2021-12-22, not {pasted.published!r}")
        if override or not meta.published:
            meta.published, meta.published_source = value, "metadata"
    if pasted.lang and pasted.lang != "auto" and (override or not meta.lang):
        meta.lang = pasted.lang


class Processor:
    """One pipeline, made lazily, run in one worker thread; stores into ``db_target``."""

    def __init__(self, db_target: str, pipeline_factory: Callable | None = None, timeout_s: float = 60.0,
                 max_articles: int = 100):
        self.db_target = db_target
        self.pipeline_factory = pipeline_factory
        self.timeout_s = timeout_s
        self.max_articles = max_articles
        self._pipeline = None
        self._lock = threading.Lock()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="letopis-paste")

    def pipeline(self):
        with self._lock:
            if self._pipeline is None:
                factory = self.pipeline_factory or default_factory
                self._pipeline = factory()
            return self._pipeline

    def process(self, pasted: Pasted) -> Outcome:
        items = read_pasted(pasted, self.max_articles)
        loading = self._worker.submit(self.pipeline)
        wait(loading, LOAD_TIMEOUT_S, "loading the models")
        articles = sum(isinstance(item, Article) for item in items)
        work = self._worker.submit(self.run, items)
        return wait(work, self.timeout_s * max(1, articles), f"processing {articles} article(s)")

    def run(self, items: list[Article | DocumentError]) -> Outcome:
        from ..store import open_store
        from ..store.ingest import record_error
        from ..store.writer import store_articles

        outcome = Outcome()
        results = self.pipeline().run_batch(items)
        articles = [item for item in results if isinstance(item, Article)]
        db = open_store(self.db_target)
        try:
            for error in (item for item in results if isinstance(item, DocumentError)):
                record_error(db, error)
                outcome.errors.append(error.to_dict())
            for article, stored in zip(articles, store_articles(db, articles) if articles else []):
                if isinstance(stored, tuple):
                    outcome.errors.append({"error": {"input": "paste", "stage": "store", "reason": "store_failed",
                                                     "article_id": article.id, "detail": str(stored[1])}})
                    continue
                outcome.articles.append({"id": article.id, "title": article_title(article), "status": stored.status,
                                         "duplicate_of": stored.duplicate_of, "entities": stored.entities,
                                         "quotes": stored.quotes, "events": stored.events})
        finally:
            db.close()
        return outcome

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)


def wait(future, timeout_s: float, doing: str):
    try:
        return future.result(timeout=timeout_s)
    except FutureTimeout:
        raise ProcessingTimeout(f"{doing} took longer than {timeout_s:.0f} s, the limit per article; it goes on "
                                f"in the background and will be stored when done. Paste a shorter text, or "
                                f"use `letopis ingest` for large inputs.") from None


def article_title(article: Article) -> str | None:
    if article.meta.title:
        return article.meta.title
    for zone in article.zones:
        if zone.kind == "title":
            return article.text[zone.start:zone.end]
    return article.text[:80]


def default_factory():
    from ..pipeline import default_pipeline

    return default_pipeline()
