"""`letopis export`: the store's tables as JSON Lines, CSV or Parquet, one file per
table, loadable as they are by pandas, polars or DuckDB.

- ``articles``: the whole record of each article (JSON Lines: one record per line, as
  `letopis process` writes it, plus ``store`` with the duplicate group and version;
  CSV/Parquet: the metadata columns and the record as a JSON string);
- ``entities``: the registry (id, type, name, kb_id, country, sector, counts, days);
- ``quotes``: one row per quote with its speaker's registry id and name;
- ``events``: one row per report, with its real-world event (cluster) id, actors as
  registry ids, and the cluster's status.

Rows are streamed in chunks, so memory stays flat on large stores.
"""

from __future__ import annotations

import csv
import json
import os
from typing import Iterator

from .db import Database

CHUNK = 2000

QUERIES = {
    "articles": ("SELECT id, url, outlet, lang, title, published, published_source, day, author, chars, version, "
                 "supersedes, current, dup_group, dup_similarity, first_report, record FROM articles ORDER BY seq"),
    "entities": ("SELECT id, type, name, kb_id, country, sector, articles, mentions, quotes, events, first_day, "
                 "last_day FROM entities ORDER BY id"),
    "quotes": ("SELECT q.article_id, q.local_id AS quote_id, q.kind, q.start, q.\"end\", q.text, q.speaker_id, "
               "e.name AS speaker_name, q.speaker_text, q.cue, q.time_value, q.day, q.current, q.first_report "
               "FROM quotes q LEFT JOIN entities e ON e.id = q.speaker_id ORDER BY q.day, q.article_id, q.start"),
    "events": ("SELECT v.article_id, v.local_id AS event_id, v.cluster_id, v.type, v.subtype, v.status, "
               "c.status AS cluster_status, v.trigger, v.trigger_start, v.trigger_end, v.time_value, v.time_text, "
               "v.place_id, v.reported_by, v.day, v.current, v.first_report "
               "FROM events v LEFT JOIN event_clusters c ON c.id = v.cluster_id ORDER BY v.day, v.article_id, v.trigger_start"),
}


def table_rows(db: Database, table: str) -> Iterator[dict]:
    """The table's rows, fetched in chunks (keyset pagination would need a key per
    table; OFFSET over an ORDER BY on indexed columns is good enough here)."""
    offset = 0
    while True:
        rows = db.rows(QUERIES[table] + " LIMIT ? OFFSET ?", (CHUNK, offset))
        if not rows:
            return
        actors = event_actors(db, rows) if table == "events" else {}
        for row in rows:
            if table == "events":
                row["actors"] = actors.get((row["article_id"], row["event_id"]), [])
            yield row
        offset += len(rows)


def event_actors(db: Database, rows: list[dict]) -> dict:
    found: dict = {}
    articles = sorted({row["article_id"] for row in rows})
    for start in range(0, len(articles), 500):
        chunk = articles[start:start + 500]
        for actor in db.rows(f"SELECT article_id, event_id, entity_id, slot, country FROM event_actors "
                             f"WHERE article_id IN ({','.join('?' * len(chunk))})", chunk):
            found.setdefault((actor["article_id"], actor["event_id"]), []).append(
                {"entity_id": actor["entity_id"], "slot": actor["slot"], "country": actor["country"]})
    return found


def export(db: Database, folder: str, fmt: str, tables: list[str]) -> list[tuple[str, int]]:
    unknown = [table for table in tables if table not in QUERIES]
    if unknown:
        raise ValueError(f"unknown table(s) {', '.join(unknown)}; choose from {', '.join(QUERIES)}")
    os.makedirs(folder, exist_ok=True)
    written = []
    for table in tables:
        path = os.path.join(folder, f"{table}.{fmt}")
        temporary = path + ".part"
        count = {"jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet}[fmt](db, table, temporary)
        os.replace(temporary, path)  # a half-written export never looks finished
        written.append((path, count))
    return written


def jsonl_row(table: str, row: dict) -> dict:
    if table == "articles":
        record = json.loads(row.pop("record"))
        record["store"] = {key: row[key] for key in ("dup_group", "dup_similarity", "first_report", "version",
                                                     "supersedes", "current")}
        return record
    if table == "events":
        row = dict(row)
    return row


def write_jsonl(db: Database, table: str, path: str) -> int:
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        for row in table_rows(db, table):
            out.write(json.dumps(jsonl_row(table, dict(row)), ensure_ascii=False, default=str))
            out.write("\n")
            count += 1
    return count


def flat(row: dict) -> dict:
    return {key: json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else
            (bytes(value).hex() if isinstance(value, (bytes, memoryview)) else value) for key, value in row.items()}


def write_csv(db: Database, table: str, path: str) -> int:
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = None
        for row in table_rows(db, table):
            row = flat(row)
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)
            count += 1
    return count


def write_parquet(db: Database, table: str, path: str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    count = 0
    batch: list[dict] = []
    schema = None

    def flush():
        nonlocal writer, schema
        if not batch:
            return
        if schema is None:
            schema = arrow_schema(table, batch)
            writer = pq.ParquetWriter(path, schema, compression="zstd")
        writer.write_table(pa.Table.from_pylist(batch, schema=schema))
        batch.clear()

    for row in table_rows(db, table):
        batch.append(row)
        count += 1
        if len(batch) >= CHUNK:
            flush()
    flush()
    if writer is None:  # an empty table still gets a file with its columns
        pq.write_table(pa.table({column: pa.array([], pa.string()) for column in columns_of(db, table)}), path)
    else:
        writer.close()
    return count


def arrow_schema(table: str, rows: list[dict]):
    import pyarrow as pa

    if table == "events":
        actor = pa.struct([("entity_id", pa.int64()), ("slot", pa.string()), ("country", pa.string())])
        fields = []
        for key in rows[0]:
            if key == "actors":
                fields.append((key, pa.list_(actor)))
            else:
                fields.append((key, infer_type(rows, key)))
        return pa.schema(fields)
    return pa.schema([(key, infer_type(rows, key)) for key in rows[0]])


INTEGER_COLUMNS = {"speaker_id", "place_id", "reported_by", "cluster_id", "entity_id", "start", "end", "trigger_start",
                   "trigger_end", "version", "chars", "current", "first_report", "articles", "mentions", "quotes",
                   "events"}


def infer_type(rows: list[dict], key: str):
    """The column's type from its values (the first chunk): integers, reals, or text."""
    import pyarrow as pa

    values = [row[key] for row in rows if row.get(key) is not None]
    if not values and key in INTEGER_COLUMNS:  # all empty in the first chunk: its declared type
        return pa.int64()
    if values and all(isinstance(value, bool) or isinstance(value, int) for value in values):
        return pa.int64()
    if values and all(isinstance(value, (int, float)) for value in values):
        return pa.float64()
    if values and all(isinstance(value, (bytes, memoryview)) for value in values):
        return pa.binary()
    return pa.string()


def columns_of(db: Database, table: str) -> list[str]:
    sql = QUERIES[table] + " LIMIT 0"
    cursor = db.execute(sql)
    names = [column[0] if isinstance(column, tuple) else column.name for column in cursor.description or []]
    return names + (["actors"] if table == "events" else [])
