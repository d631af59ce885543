"""The output folder of ``letopis process --dask``: Parquet shards and the manifest.

    OUT/manifest.json                 the options, the inputs and every partition, in order
    OUT/records/PARTITION.parquet     one row per article of the partition
    OUT/errors/PARTITION.parquet      one row per document of the partition that failed

Every document of a partition is in exactly one of its two shards; ``position`` (its
place in the partition's input order) interleaves them back into input order. A shard
is written to a temporary name and renamed; the errors shard first, the records shard
last, so a partition is done exactly when its records shard exists (a partition with
no article still has one, with no rows). The records shard's metadata (key ``letopis``)
holds the partition's counts. Column by column: docs/scaling.md.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .. import __version__
from ..errors import DocumentError
from ..record import SCHEMA_VERSION, Article
from ..store.writer import title_of

MANIFEST = "manifest.json"
FORMAT = 1  # the layout of this folder; bumped when a column changes meaning
Item = Article | DocumentError


def record_schema():
    import pyarrow as pa

    return pa.schema([
        ("position", pa.int32()), ("id", pa.string()), ("lang", pa.string()), ("published", pa.string()),
        ("outlet", pa.string()), ("url", pa.string()), ("title", pa.string()), ("input", pa.string()),
        ("input_line", pa.int64()), ("chars", pa.int64()), ("entities", pa.int32()), ("quotes", pa.int32()),
        ("events", pa.int32()), ("record", pa.string()),
    ])


def error_schema():
    import pyarrow as pa

    return pa.schema([
        ("position", pa.int32()), ("input", pa.string()), ("line", pa.int64()), ("stage", pa.string()),
        ("reason", pa.string()), ("detail", pa.string()), ("article_id", pa.string()),
    ])


@dataclass
class ShardCounts:
    partition: str
    articles: int = 0
    errors: int = 0
    failed: bool = False  # the partition kept failing: its documents are error rows
    seconds: float = 0.0
    worker: str | None = None

    def to_dict(self) -> dict:
        return dict(vars(self))


def record_path(out: str | Path, partition_id: str) -> Path:
    return Path(out) / "records" / f"{partition_id}.parquet"


def error_path(out: str | Path, partition_id: str) -> Path:
    return Path(out) / "errors" / f"{partition_id}.parquet"


def is_done(out: str | Path, partition_id: str) -> bool:
    return record_path(out, partition_id).exists()


def record_row(position: int, article: Article, lean: bool) -> dict:
    data = article.to_dict()
    if lean:
        data.pop("sentences")
    meta = article.meta
    return {"position": position, "id": article.id, "lang": meta.lang, "published": meta.published,
            "outlet": meta.outlet, "url": meta.url, "title": title_of(article), "input": meta.input,
            "input_line": meta.input_line, "chars": len(article.text), "entities": len(article.entities),
            "quotes": len(article.quotes), "events": len(article.events),
            "record": json.dumps(data, ensure_ascii=False)}


def error_row(position: int, error: DocumentError) -> dict:
    return {"position": position, "input": error.input, "line": error.line, "stage": error.stage,
            "reason": error.reason, "detail": error.detail, "article_id": error.article_id}


def write_shards(out: str | Path, counts: ShardCounts, items: list[Item], lean: bool = False) -> ShardCounts:
    """Write a partition's items (in input order) as its two shards; errors first."""
    import pyarrow as pa

    records = [record_row(i, item, lean) for i, item in enumerate(items) if isinstance(item, Article)]
    errors = [error_row(i, item) for i, item in enumerate(items) if isinstance(item, DocumentError)]
    counts.articles, counts.errors = len(records), len(errors)
    metadata = {b"letopis": json.dumps(counts.to_dict() | {"format": FORMAT, "schema": SCHEMA_VERSION,
                                                            "letopis": __version__}).encode("utf-8")}
    if errors:
        write_atomically(pa.Table.from_pylist(errors, schema=error_schema()), error_path(out, counts.partition))
    else:
        error_path(out, counts.partition).unlink(missing_ok=True)  # a stale one from an earlier attempt
    table = pa.Table.from_pylist(records, schema=record_schema()).replace_schema_metadata(metadata)
    write_atomically(table, record_path(out, counts.partition))
    return counts


def write_atomically(table, path: Path) -> None:
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(table, temporary, compression="zstd")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def shard_counts(out: str | Path, partition_id: str) -> ShardCounts:
    import pyarrow.parquet as pq

    metadata = pq.read_schema(record_path(out, partition_id)).metadata or {}
    data = json.loads(metadata[b"letopis"])
    return ShardCounts(**{name: data[name] for name in ShardCounts.__dataclass_fields__})


def remove_temporary(out: str | Path) -> int:
    """Temporary files of attempts that were killed before their rename."""
    removed = 0
    for folder in ("records", "errors"):
        for path in (Path(out) / folder).glob(".*.tmp"):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def error_counts(out: str | Path) -> dict[tuple[str, str], int]:
    """(stage, reason) -> error rows, over every errors shard of OUT."""
    import pyarrow.parquet as pq

    counts: dict[tuple[str, str], int] = {}
    for path in sorted((Path(out) / "errors").glob("*.parquet")):
        table = pq.read_table(path, columns=["stage", "reason"])
        for stage, reason in zip(table.column("stage").to_pylist(), table.column("reason").to_pylist()):
            counts[(stage, reason)] = counts.get((stage, reason), 0) + 1
    return counts


# -- the manifest ------------------------------------------------------------------------


def write_manifest(out: str | Path, manifest: dict) -> None:
    path = Path(out) / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporary, path)


def read_manifest(out: str | Path) -> dict | None:
    path = Path(out) / MANIFEST
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


# -- reading shards back -----------------------------------------------------------------


def read_partition_items(out: str | Path, partition_id: str) -> Iterator[Item]:
    """A written partition's records and errors, interleaved back into input order."""
    import pyarrow.parquet as pq

    rows = [(row["position"], row) for row in pq.read_table(record_path(out, partition_id)).to_pylist()]
    if error_path(out, partition_id).exists():
        rows += [(row["position"], row) for row in pq.read_table(error_path(out, partition_id)).to_pylist()]
    for _, row in sorted(rows, key=lambda pair: pair[0]):
        if "record" in row:
            yield Article.from_dict(json.loads(row["record"]))
        else:
            row.pop("position")
            yield DocumentError(**row)


def read_shards(out: str | Path, missing: list[str] | None = None, in_order: bool = False) -> Iterator[Item]:
    """Every written partition's items, in input order; ids of partitions not written
    yet go into ``missing`` (when given). ``in_order``: stop at the first partition not
    written (what follows it waits, so that a store gets the articles in input order)."""
    manifest = read_manifest(out)
    if manifest is None:
        raise FileNotFoundError(f"{out} holds no {MANIFEST}: not an output folder of `letopis process --dask`")
    waiting = False
    for part in manifest["partitions"]:
        done = is_done(out, part["id"])
        if not done and missing is not None:
            missing.append(part["id"])
        waiting = waiting or (in_order and not done)
        if done and not waiting:
            yield from read_partition_items(out, part["id"])
