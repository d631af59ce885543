"""The read stage: paths in, an ``Article`` (or a ``DocumentError``) per document out.

Formats by extension: .txt/.md/.text, .html/.htm/.xhtml, .jsonl/.ndjson/.json, each
possibly gzipped (.gz); ``-`` reads stdin and sniffs its format. A bad document gives
its error record and reading goes on.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import zlib
from typing import Callable, Iterable, Iterator

from letopis.errors import DocumentError
from letopis.read.decode import ReadFailure
from letopis.read.files import Source, expand_paths, open_source, sniff_format, unreadable
from letopis.read.html import read_html
from letopis.read.jsonl import read_jsonl
from letopis.read.text import iso_date, read_text
from letopis.record import Article, Meta

__all__ = ["read_paths", "input_size"]

MAX_BYTES = 10_000_000


def read_paths(
    paths: Iterable[str | os.PathLike], *, max_bytes: int = MAX_BYTES, lang: str | None = None,
    published: str | None = None, on_progress: Callable[[int], None] | None = None,
) -> Iterator[Article | DocumentError]:
    """Articles and per-document errors from files, directories, ``-`` (stdin).

    ``lang`` (other than "auto") and ``published`` (an ISO date) override what the
    inputs say; ``on_progress(n)`` is called with the input bytes consumed as reading
    proceeds, adding up to ``input_size(paths)``.
    """
    lang = None if lang in (None, "", "auto") else lang
    if published is not None and not iso_date(published):
        raise ValueError(f"published must be an ISO date such as 2021-12-22, not {published!r}")
    published = iso_date(published)
    for source in expand_paths(paths):
        if isinstance(source, DocumentError):
            yield source
            continue
        for item in read_source(source, max_bytes, on_progress or (lambda size: None)):
            if isinstance(item, Article):
                apply_caller(item.meta, lang, published)
            yield item


def input_size(paths: Iterable[str | os.PathLike]) -> int:
    """Total bytes on disk of the inputs (0 for stdin), for a progress bar."""
    return sum(source.size for source in expand_paths(paths) if isinstance(source, Source))


def apply_caller(meta: Meta, lang: str | None, published: str | None) -> None:
    if lang:
        meta.lang = lang
    if published:
        meta.published, meta.published_source = published, "metadata"


def read_source(source: Source, max_bytes: int,
                on_progress: Callable[[int], None]) -> Iterator[Article | DocumentError]:
    """One source's items; progress adds up to its size on disk, however it ends."""
    if source.format != "jsonl" and not source.gzipped and source.size > max_bytes:
        on_progress(source.size)  # not opened at all
        yield too_large(source.input, f"{source.size} bytes", max_bytes)
        return
    try:
        stream, position = open_source(source)
    except OSError as exc:
        on_progress(source.size)
        yield unreadable(source.input, exc)
        return
    reported = 0

    def report(size: int) -> None:
        nonlocal reported
        size = position() - reported if position else size
        if size > 0:
            reported += size
            on_progress(size)

    with stream if source.path else contextlib.nullcontext():
        try:
            yield from read_stream(stream, source, max_bytes, report)
        except (OSError, EOFError, zlib.error) as exc:
            yield stream_error(source, exc)
    if source.size > reported:
        on_progress(source.size - reported)


def read_stream(stream, source: Source, max_bytes: int,
                report: Callable[[int], None]) -> Iterator[Article | DocumentError]:
    form = sniff_format(stream.peek(64)) if source.format == "sniff" else source.format
    if form == "jsonl":
        yield from read_jsonl(stream, source.input, max_bytes=max_bytes, on_line=report)
        return
    data = stream.read(max_bytes + 1)  # never more than the limit and one byte
    report(len(data))
    if len(data) > max_bytes:
        yield too_large(source.input, f"over {max_bytes} bytes", max_bytes)
        return
    try:
        yield read_document(data, form, source.input)
    except ReadFailure as failure:
        yield DocumentError(source.input, failure.reason, detail=failure.detail)


def read_document(data: bytes, form: str | None, input: str) -> Article:
    """An article from a whole text or HTML document; an unknown format is tried as text."""
    meta = Meta(input=input, input_format="html" if form == "html" else "txt")
    if form == "html":
        return read_html(data, meta)
    try:
        return read_text(data, meta)
    except ReadFailure as failure:
        if form is None and failure.reason in ("binary", "undecodable"):
            failure.detail += " (its extension is not .txt, .html or .jsonl: it was tried as text)"
        raise


def too_large(input: str, size: str, max_bytes: int) -> DocumentError:
    return DocumentError(input, "too_large", detail=(
        f"{size}, over the limit of {max_bytes} bytes: split it or raise --max-bytes"))


def stream_error(source: Source, exc: Exception) -> DocumentError:
    if source.gzipped and isinstance(exc, (gzip.BadGzipFile, EOFError, zlib.error)):
        return DocumentError(source.input, "bad_gzip", detail=(
            f"{exc}: the .gz file is corrupt or truncated; download or compress it again"))
    return unreadable(source.input, exc)
