"""Inputs split into partitions with stable ids, and a partition's items read back.

Three kinds of partition, in the order the inputs are given (directories walked as
``letopis.read`` walks them):

- ``lines``: a range of lines of one JSON Lines file (plain or .gz) with more lines
  than the partition size; for an uncompressed file the byte offset of its first line
  is kept, so a worker seeks straight to it;
- ``files``: consecutive whole inputs (text, HTML, small or unsplittable JSON Lines
  files) and the errors of paths that could not be listed, up to the partition size
  counted in documents (a file's lines for JSON Lines);
- ``rows``: a range of rows of one row group of a Parquet file with a ``text`` (or
  ``html``) column and optionally the other JSON Lines fields.

A partition's id is its position and a hash of what it covers (``000012-3f9a...``): the
same inputs give the same ids, so shards already written are recognized on a rerun.
Reading a partition goes through the same functions as ``read_paths`` (``read_source``
for whole files, ``line_item`` for JSON Lines lines), so an article read here is the
article ``letopis process`` reads: same text, id, meta and line number.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import os
import zlib
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from ..errors import DocumentError
from ..read import apply_caller, read_source, stream_error
from ..read.decode import ReadFailure, bom_encoding
from ..read.files import STDIN, Source, expand_paths, open_source, unreadable
from ..read.jsonl import WHOLE_JSON, line_item, object_article, split_lines
from ..read.text import iso_date
from ..record import Article, Meta

Item = Article | DocumentError
CHUNK = 1 << 20
PARQUET_FIELDS = ("text", "html", "id", "url", "title", "published", "outlet", "lang", "author")


@dataclass
class ReadOptions:
    """What the reader needs besides the partition (the `process` options that change records)."""

    max_bytes: int = 10_000_000
    lang: str | None = None
    published: str | None = None


@dataclass
class Partition:
    id: str
    kind: str  # lines, files, rows
    size: int  # documents it covers (lines, files, rows); the weight used to cut partitions
    input: str | None = None  # lines, rows: the file, as given or found under a directory (meta.input)
    path: str | None = None  # lines, rows: the file's absolute path (what the workers open)
    gzipped: bool = False
    first: int = 1  # lines: first line (1-based); rows: first row of the file (0-based)
    count: int = 0  # lines, rows: how many
    offset: int = -1  # lines in a plain file: byte offset of line `first`; -1: count lines from the start
    row_group: int = 0  # rows: the Parquet row group, and `first` .. `first+count` lie inside it
    group_start: int = 0  # rows: the file row where the row group starts
    units: list[dict] = field(default_factory=list)  # files: sources, or {"error": {...}}

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Partition":
        return cls(**data)


# -- planning ----------------------------------------------------------------------------


def plan_partitions(paths: Iterable[str], size: int = 512) -> list[Partition]:
    """The partitions of the inputs, in input order, with stable ids."""
    if size < 1:
        raise ValueError("the partition size must be at least 1")
    drafts: list[Partition] = []
    group: list[dict] = []
    weight = 0

    def close_group() -> None:
        nonlocal group, weight
        if group:
            drafts.append(Partition("", "files", weight, units=group))
        group, weight = [], 0

    def add_unit(unit: dict, units: int) -> None:
        nonlocal weight
        if group and weight + units > size:
            close_group()
        group.append(unit)
        weight += units

    for path in map(os.fspath, paths):
        if path == STDIN:
            raise ValueError("stdin (-) cannot be split into partitions: save it to a file first")
        if path.lower().endswith(".parquet") and os.path.isfile(path):
            close_group()
            drafts.extend(parquet_partitions(path, size))
            continue
        for source in expand_paths([path]):
            if isinstance(source, DocumentError):
                add_unit(source.to_dict(), 1)
                continue
            lines = splittable_lines(source, size)
            if lines is not None and lines[0] > size:
                close_group()
                drafts.extend(line_partitions(source, lines, size))
            else:
                add_unit(source_dict(source), max(1, lines[0]) if lines else 1)
    close_group()
    return [dataclasses.replace(draft, id=partition_id(number, draft)) for number, draft in enumerate(drafts)]


def partition_id(number: int, draft: Partition) -> str:
    digest = hashlib.sha1(json.dumps(draft.to_dict(), sort_keys=True).encode("utf-8")).hexdigest()
    return f"{number:06d}-{digest[:12]}"


def source_dict(source: Source) -> dict:
    """A source to read on a worker: ``input`` as given (it goes into the records),
    ``path`` absolute (workers need not share the client's working directory)."""
    return {"source": dataclasses.asdict(source) | {"path": os.path.abspath(source.path)}}


def splittable_lines(source: Source, size: int) -> tuple[int, list[int]] | None:
    """(lines, byte offsets of every partition's first line) of a JSON Lines file that can
    be cut by lines; None for other formats and for files that must be read whole (a JSON
    document, UTF-16/32, a corrupt .gz: ``read_source`` then says what is wrong, once)."""
    if source.format != "jsonl" or source.path is None:
        return None
    try:
        with open_plain(source) as stream:
            head = stream.read(64)
            if WHOLE_JSON.match(head.translate(None, b"\x00")) or bom_encoding(head[:4]) in ("utf-16", "utf-32"):
                return None
            stream.seek(0)
            return count_lines(stream, size)
    except (OSError, EOFError, zlib.error):
        return None


def open_plain(source: Source):
    return gzip.open(source.path, "rb") if source.gzipped else open(source.path, "rb")


def count_lines(stream, every: int = 1) -> tuple[int, list[int]]:
    """Lines as ``split_lines`` counts them (a last line without a newline counts), and
    the byte offsets where lines 1, 1 + every, 1 + 2 * every, ... start."""
    count, position, starts, last = 0, 0, [], b"\n"
    while chunk := stream.read(CHUNK):
        if last == b"\n" and count % every == 0:
            starts.append(position)  # a line, the first of a partition, starts with this chunk
        newlines = chunk.count(b"\n")
        if (count // every + 1) * every <= count + newlines:  # a partition starts inside the chunk
            start = 0
            while (found := chunk.find(b"\n", start)) >= 0:
                count += 1
                start = found + 1
                if start < len(chunk) and count % every == 0:
                    starts.append(position + start)
        else:
            count += newlines
        position += len(chunk)
        last = chunk[-1:]
    if position and last != b"\n":
        count += 1
    return count, starts


def line_partitions(source: Source, lines: tuple[int, list[int]], size: int) -> list[Partition]:
    total, starts = lines
    parts = []
    for first in range(1, total + 1, size):
        offset = -1 if source.gzipped else starts[(first - 1) // size]
        parts.append(Partition("", "lines", min(size, total - first + 1), input=source.input,
                               path=os.path.abspath(source.path), gzipped=source.gzipped, first=first, count=min(size, total - first + 1),
                               offset=offset))
    return parts


def parquet_partitions(path: str, size: int) -> list[Partition]:
    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(path).metadata
    parts, group_start = [], 0
    for group in range(metadata.num_row_groups):
        rows = metadata.row_group(group).num_rows
        for first in range(group_start, group_start + rows, size):
            count = min(size, group_start + rows - first)
            parts.append(Partition("", "rows", count, input=path, path=os.path.abspath(path), first=first, count=count,
                                   row_group=group, group_start=group_start))
        group_start += rows
    return parts


# -- reading a partition ---------------------------------------------------------------


def read_partition(part: Partition, options: ReadOptions) -> Iterator[Item]:
    """The partition's items, as ``read_paths`` gives them, in input order."""
    lang = None if options.lang in (None, "", "auto") else options.lang
    published = iso_date(options.published)
    reader = {"files": read_files, "lines": read_lines, "rows": read_rows}[part.kind]
    for item in reader(part, options.max_bytes):
        if isinstance(item, Article):
            apply_caller(item.meta, lang, published)
        yield item


def read_files(part: Partition, max_bytes: int) -> Iterator[Item]:
    for unit in part.units:
        if "error" in unit:
            yield DocumentError.from_dict(unit)
        else:
            yield from read_source(Source(**unit["source"]), max_bytes, lambda size: None)


def read_lines(part: Partition, max_bytes: int) -> Iterator[Item]:
    source = Source(part.input, "jsonl", part.path, part.gzipped)
    try:
        stream, _ = open_source(source)
    except OSError as exc:
        yield unreadable(part.input, exc)
        return
    with stream:
        try:
            shift = 0
            if part.offset >= 0:
                stream.seek(part.offset)
                shift = part.first - 1
            for number, line, size in split_lines(stream, max_bytes):
                number += shift
                if number < part.first:
                    continue
                if number >= part.first + part.count:
                    break
                item = line_item(number, line, size, part.input, max_bytes)
                if item is not None:
                    yield item
        except (OSError, EOFError, zlib.error) as exc:
            yield stream_error(source, exc)


def read_rows(part: Partition, max_bytes: int) -> Iterator[Item]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(part.path)
        columns = [name for name in PARQUET_FIELDS if name in parquet.schema_arrow.names]
        table = parquet.read_row_group(part.row_group, columns=columns)
    except OSError as exc:
        yield unreadable(part.input, exc)
        return
    rows = table.slice(part.first - part.group_start, part.count).to_pylist()
    for number, row in enumerate(rows, part.first + 1):
        yield row_item(row, part.input, number, max_bytes)


def row_item(row: dict, input: str, number: int, max_bytes: int) -> Item:
    """A Parquet row as a JSON Lines object: same fields, same checks."""
    value = {name: plain_value(value) for name, value in row.items() if value is not None}
    size = sum(len(value[name].encode("utf-8")) for name in ("text", "html") if isinstance(value.get(name), str))
    if size > max_bytes:
        return DocumentError(input, "too_large", line=number, detail=(
            f"row {number} holds {size} bytes of text, over the limit of {max_bytes}: raise --max-bytes"))
    meta = Meta(input=input, input_format="parquet", input_line=number)
    try:
        return object_article(value, meta)
    except ReadFailure as failure:
        return DocumentError(input, failure.reason, line=number, detail=failure.detail)


def plain_value(value):
    """Dates and times of a Parquet column as ISO strings; other values as they are."""
    return value.isoformat() if hasattr(value, "isoformat") else value
