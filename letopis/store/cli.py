"""The store's commands: ingest, quotes, events, event, entity, entities, timeline,
search, stats, export.

Queries print a table on a terminal, and JSON (``--json``) or CSV (``--csv``) for
scripts; errors say what to do next and exit with status 2 (bad request) or 1.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
import time

from .db import DEFAULT_DB, STORE_BATCH, StoreError


def add_store_parsers(commands, iso_date) -> None:
    db_help = f"the store: an SQLite file (default: $LETOPIS_DB or {DEFAULT_DB}) or postgresql://user@host/db"

    def with_db(parser):
        parser.add_argument("--db", default=os.environ.get("LETOPIS_DB", DEFAULT_DB), metavar="DB", help=db_help)
        return parser

    def with_output(parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--json", action="store_true", help="print JSON")
        group.add_argument("--csv", action="store_true", help="print CSV")
        parser.add_argument("--limit", type=int, default=50, metavar="N", help="at most N rows (default 50)")
        parser.add_argument("--offset", type=int, default=0, metavar="N", help="skip the first N rows")
        return parser

    def with_dates(parser):
        parser.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD", help="from this day on (publication day)")
        parser.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD", help="up to this day (inclusive)")
        return parser

    ingest = with_db(commands.add_parser(
        "ingest", help="process articles and store them (SQLite by default, or PostgreSQL)",
        description="Process articles (as `letopis process` does) and store them with their facts. Articles "
                    "already stored are skipped (ids are content hashes), so a re-run after a crash or on "
                    "tomorrow's dump only does the new ones."))
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, .gz, or - for stdin")
    ingest.add_argument("--records", action="store_true",
                        help="the inputs are finished records (the JSON Lines of `letopis process`): store them "
                             "without processing")
    ingest.add_argument("--published", type=iso_date, metavar="YYYY-MM-DD", help="publication date of the inputs")
    ingest.add_argument("--lang", choices=["auto", "ru", "uk", "en"], default="auto")
    ingest.add_argument("--max-bytes", type=int, default=10_000_000, metavar="N")
    ingest.add_argument("--batch-size", type=int, default=32, metavar="N",
                        help="articles processed at once (default 32)")
    ingest.add_argument("--store-batch", type=int, default=STORE_BATCH, metavar="N",
                        help=f"articles stored per transaction (default {STORE_BATCH}), by a thread of their own "
                             f"while the next ones are processed; a killed run processes again at most the batch "
                             f"being stored and the one being gathered")
    ingest.add_argument("--gazetteer", action="append", default=[], metavar="FILE")
    ingest.add_argument("--no-gazetteer", action="store_true")
    ingest.add_argument("--errors", metavar="FILE", help="also write error records (JSON Lines) here")
    ingest.add_argument("--strict", action="store_true", help="exit with status 1 if any document failed")
    ingest.add_argument("--no-progress", action="store_true")
    ingest.set_defaults(func=run_ingest)

    quotes = with_dates(with_output(with_db(commands.add_parser(
        "quotes", help="quotes from the store, by speaker, subject, date or words"))))
    quotes.add_argument("--speaker", metavar="NAME", help="who said it (a name, an alias, or #ID)")
    quotes.add_argument("--about", metavar="NAME", help="an entity named inside the quote")
    quotes.add_argument("--text", metavar="WORDS", help="words in the quote (any form: встреча finds встречи)")
    quotes.add_argument("--kind", choices=["direct", "indirect", "mixed"])
    quotes.add_argument("--all-copies", action="store_true", help="include near-duplicate copies")
    quotes.set_defaults(func=run_quotes)

    events = with_dates(with_output(with_db(commands.add_parser(
        "events", help="real-world events (each with all its reports), by type, actor, dyad, status, date"))))
    events.add_argument("--type", metavar="TYPES", help="PLOVER types, comma-separated: CONSULT,THREATEN")
    events.add_argument("--actor", metavar="NAME")
    events.add_argument("--between", nargs=2, metavar=("A", "B"), help="events with both A and B among the actors")
    events.add_argument("--status", metavar="STATUSES", help="occurred, planned, not_planned, possible, ...")
    events.set_defaults(func=run_events)

    event = with_output(with_db(commands.add_parser("event", help="one real-world event with all its reports")))
    event.add_argument("id", type=int)
    event.set_defaults(func=run_event)

    entity = with_output(with_db(commands.add_parser(
        "entity", help="an entity's profile: names, roles over time, counts, co-occurring entities")))
    entity.add_argument("name", metavar="NAME")
    entity.set_defaults(func=run_entity)

    entities = commands.add_parser("entities", help="list, merge or split registry entities")
    actions = entities.add_subparsers(title="actions", metavar="ACTION")
    listing = with_output(with_db(actions.add_parser("list", help="registry entities, most mentioned first")))
    listing.add_argument("--type", choices=["PER", "ORG", "GPE", "LOC", "MISC"])
    listing.add_argument("--name", metavar="WORDS", help="only entities whose name or alias matches")
    listing.set_defaults(func=run_entities_list)
    merge = with_db(actions.add_parser("merge", help="fold entity OTHER into KEEP (kept on later ingests)"))
    merge.add_argument("keep", metavar="KEEP", help="a name or #ID")
    merge.add_argument("other", metavar="OTHER", help="a name or #ID")
    merge.set_defaults(func=run_entities_merge)
    split = with_db(actions.add_parser("split", help="move the articles of one key out of an entity into a new one"))
    split.add_argument("entity", metavar="NAME", help="a name or #ID")
    split.add_argument("--key", required=True, help="the key to move (see `letopis entity NAME --json`: keys)")
    split.set_defaults(func=run_entities_split)

    timeline = with_dates(with_output(with_db(commands.add_parser(
        "timeline", help="an entity's quotes and events in time order, with counts per period"))))
    timeline.add_argument("name", metavar="NAME")
    timeline.add_argument("--by", choices=["day", "week", "month", "year"], default="day")
    timeline.set_defaults(func=run_timeline)

    search = with_dates(with_output(with_db(commands.add_parser(
        "search", help="full-text search over the stored articles (Russian and Ukrainian word forms)"))))
    search.add_argument("words", nargs="+", metavar="WORD")
    search.add_argument("--outlet")
    search.add_argument("--lang", choices=["ru", "uk", "en", "other"])
    search.add_argument("--all-copies", action="store_true", help="include near-duplicate copies")
    search.set_defaults(func=run_search)

    stats = with_db(commands.add_parser("stats", help="what the store holds"))
    stats.add_argument("--json", action="store_true")
    stats.set_defaults(func=run_stats)

    export = with_db(commands.add_parser(
        "export", help="export articles, entities, quotes and events as JSON Lines, CSV or Parquet"))
    export.add_argument("--format", choices=["jsonl", "csv", "parquet"], default="jsonl")
    export.add_argument("--out", required=True, metavar="DIR", help="a folder: one file per table")
    export.add_argument("--tables", default="articles,entities,quotes,events",
                        help="comma-separated (default: articles,entities,quotes,events)")
    export.set_defaults(func=run_export)


# -- running -------------------------------------------------------------------------------

def store_command(function, user_errors: tuple[type[Exception], ...] = ()):
    """Open the store, run, and turn known failures into a clear message: a name that is
    unknown or ambiguous (and ``user_errors``) exits 2, a store or file error 1."""
    def run(args) -> int:
        from . import open_store
        from .query import Ambiguous, NotFound

        try:
            db = open_store(args.db)
        except StoreError as error:
            print(f"letopis: {error}", file=sys.stderr)
            return 1
        try:
            return function(db, args)
        except (Ambiguous, NotFound, *user_errors) as error:
            print(f"letopis: {error}", file=sys.stderr)
            return 2
        except (StoreError, ValueError, OSError) as error:
            print(f"letopis: {error}", file=sys.stderr)
            return 1
        finally:
            db.close()
    return run


def page(args):
    from .query import Page

    return Page(limit=args.limit, offset=args.offset)


@store_command
def run_ingest(db, args) -> int:
    from ..cli import gazetteer_for, make_progress, write_json
    from ..read import input_size, read_paths
    from .ingest import IngestSummary, ingest, read_records

    summary = IngestSummary()
    progress = make_progress(args, input_size(args.paths))
    error_file = open(args.errors, "w", encoding="utf-8") if args.errors else None

    def on_error(error):
        if error_file:
            write_json(error_file, error.to_dict())

    if args.records:
        items = read_records(args.paths)
        factory = None
    else:
        items = read_paths(args.paths, max_bytes=args.max_bytes, lang=args.lang, published=args.published,
                           on_progress=progress.update if progress else None)
        gazetteer = gazetteer_for(args)

        def factory():
            from ..pipeline import default_pipeline

            started = time.perf_counter()
            pipeline = default_pipeline(batch_size=args.batch_size, gazetteer=gazetteer)
            print(f"letopis: models loaded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
            return pipeline

    try:
        ingest(db, items, factory, batch_size=args.batch_size, on_error=on_error, summary=summary,
               store_batch=args.store_batch)
    except StoreError as error:
        if progress:
            progress.close()
        for line in summary.lines():
            print(line, file=sys.stderr)
        print(f"letopis: stopped: {error}", file=sys.stderr)
        return 1
    finally:
        if error_file:
            error_file.close()
    if progress:
        progress.close()
    for line in summary.lines():
        print(line, file=sys.stderr)
    print(f"letopis: store {db.target}: `letopis stats --db {db.target}`, `letopis serve --db {db.target}`",
          file=sys.stderr)
    if summary.read == 0 and summary.failed:
        return 1
    return 1 if args.strict and summary.failed else 0


@store_command
def run_quotes(db, args) -> int:
    from .query import quotes

    result = quotes(db, speaker=args.speaker, about=args.about, since=args.since, until=args.until,
                    text=args.text, kind=args.kind, all_copies=args.all_copies, page=page(args))
    rows = [{"day": item["day"], "speaker": (item["speaker"] or {}).get("name") or f"? {item['speaker_text'] or ''}",
             "kind": item["kind"], "quote": item["text"], "outlet": item["outlet"],
             "article": item["article_id"], "span": f"{item['start']}:{item['end']}"} for item in result["items"]]
    return emit(args, result, rows, ["day", "speaker", "kind", "quote", "outlet", "article", "span"])


@store_command
def run_events(db, args) -> int:
    from .query import events

    result = events(db, type=args.type, actor=args.actor, between=tuple(args.between) if args.between else None,
                    status=args.status, since=args.since, until=args.until, page=page(args))
    rows = [{"id": item["id"], "day": item["day"], "type": "/".join(filter(None, [item["type"], item["subtype"]])),
             "status": item["status"], "actors": ", ".join(actor["name"] for actor in item["actors"]),
             "place": (item["place"] or {}).get("name"), "reports": item["reports"],
             "first report": (item["first_report"] or {}).get("outlet")} for item in result["items"]]
    return emit(args, result, rows, ["id", "day", "type", "status", "actors", "place", "reports", "first report"])


@store_command
def run_event(db, args) -> int:
    from .query import event_cluster

    result = event_cluster(db, args.id)
    rows = [{"day": report["day"], "status": report["status"], "outlet": report["outlet"],
             "copy": "copy" if report["copy"] else "", "sentence": report["sentence"]["text"],
             "article": report["article_id"]} for report in result["reports_list"]]
    if not (args.json or args.csv):
        actors = ", ".join(actor["name"] for actor in result["actors"])
        print(f"#{result['id']} {result['type']}/{result['subtype'] or '-'} {result['status'] or '-'} "
              f"{result['day'] or ''} ({actors})")
        print("status history: " + " -> ".join(f"{h['status']} ({h['day']})" for h in result["status_history"]))
    return emit(args, result, rows, ["day", "status", "outlet", "copy", "sentence", "article"])


@store_command
def run_entity(db, args) -> int:
    from .query import entity_profile

    result = entity_profile(db, args.name)
    if args.json or args.csv:
        return emit(args, result, [result["entity"] | result["counts"]], list((result["entity"] | result["counts"])))
    entity, counts = result["entity"], result["counts"]
    print(f"{entity['name']} (#{entity['id']}, {entity['type']}"
          + (f", {entity['kb_id']}" if entity["kb_id"] else "")
          + (f", {entity['country']}" if entity["country"] else "") + ")")
    print(f"  {counts['articles']} articles, {counts['mentions']} mentions, {counts['quotes']} quotes, "
          f"{counts['events']} events; first {counts['first_day']}, last {counts['last_day']}")
    print("  also called: " + ", ".join(f"{a['alias']} ({a['count']})" for a in result["aliases"][:12]))
    for role in result["roles"][:10]:
        print(f"  role: {role['role']} ({role['count']}x, {role['first_day']} .. {role['last_day']})")
    print("  with: " + ", ".join(f"{c['name']} ({c['articles']})" for c in result["cooccurring"]))
    return 0


@store_command
def run_entities_list(db, args) -> int:
    where, params = "WHERE 1 = 1", []
    if args.type:
        where += " AND type = ?"
        params.append(args.type)
    if args.name:
        from .registry import find_entities

        ids = [row["id"] for row in find_entities(db, args.name, limit=args.limit)]
        if not ids:
            return emit(args, {"items": []}, [], ["id", "type", "name"])
        where += f" AND id IN ({','.join('?' * len(ids))})"
        params += ids
    rows = db.rows(f"SELECT id, type, name, kb_id, country, articles, mentions, quotes, events, first_day, last_day "
                   f"FROM entities {where} ORDER BY articles DESC, id LIMIT ? OFFSET ?", params + [args.limit, args.offset])
    return emit(args, {"items": rows}, rows, ["id", "type", "name", "kb_id", "country", "articles", "quotes",
                                              "events", "first_day", "last_day"])


@store_command
def run_entities_merge(db, args) -> int:
    from .query import resolve_entity
    from .registry import merge_entities

    keep, other = resolve_entity(db, args.keep), resolve_entity(db, args.other)
    merge_entities(db, keep["id"], other["id"])
    print(f"letopis: merged #{other['id']} {other['name']} into #{keep['id']} {keep['name']}; later ingests follow")
    return 0


@store_command
def run_entities_split(db, args) -> int:
    from .query import resolve_entity
    from .registry import split_entity

    entity = resolve_entity(db, args.entity)
    new_id = split_entity(db, entity["id"], args.key)
    print(f"letopis: key {args.key} moved from #{entity['id']} {entity['name']} to new entity #{new_id}")
    return 0


@store_command
def run_timeline(db, args) -> int:
    from .query import timeline

    result = timeline(db, args.name, by=args.by, since=args.since, until=args.until, limit=args.limit)
    rows = [{"day": item["day"], "what": item["kind"] if item["kind"] == "quote" else
             f"{item['type']}/{item['subtype'] or '-'} {item['status'] or ''}".strip(),
             "text": item.get("text") or item.get("trigger"), "outlet": item["outlet"],
             "article": item["article_id"]} for item in result["items"]]
    if result.get("truncated") and not (args.json or args.csv):
        print(f"letopis: the latest {args.limit} quotes and events shown; narrow with --since/--until "
              f"or raise --limit", file=sys.stderr)
    return emit(args, result, rows, ["day", "what", "text", "outlet", "article"])


@store_command
def run_search(db, args) -> int:
    from .query import search

    result = search(db, " ".join(args.words), since=args.since, until=args.until, outlet=args.outlet,
                    lang=args.lang, all_copies=args.all_copies, page=page(args),
                    snippet_width=100)
    rows = [{"day": item["day"], "outlet": item["outlet"], "title": item["title"],
             "snippet": marked(item["snippet"]), "article": item["id"]} for item in result["items"]]
    return emit(args, result, rows, ["day", "outlet", "title", "snippet", "article"])


@store_command
def run_stats(db, args) -> int:
    from .query import stats

    result = stats(db)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(f"{result['articles']} articles ({result['stories']} stories, {result['near_duplicates']} near-duplicate "
          f"copies, {result['old_versions']} older versions), {result['first_day']} .. {result['last_day']}")
    print(f"{result['entities']} entities, {result['quotes']} quotes ({result['quotes_with_speaker']} with a "
          f"speaker), {result['events']} events from {result['event_reports']} reports, {result['errors']} ingest errors")
    print("by language: " + ", ".join(f"{row['lang']} {row['articles']}" for row in result["by_lang"]))
    print("most quoted: " + ", ".join(f"{row['name']} ({row['quotes']})" for row in result["most_quoted"]))
    return 0


@store_command
def run_export(db, args) -> int:
    from .export import export

    tables = [name.strip() for name in args.tables.split(",") if name.strip()]
    written = export(db, args.out, args.format, tables)
    for path, count in written:
        print(f"letopis: {count} rows -> {path}", file=sys.stderr)
    return 0


# -- output --------------------------------------------------------------------------------

def marked(snippet: dict) -> str:
    """A snippet with its matches in [brackets] (terminal and CSV)."""
    text, start, out, last = snippet["text"], snippet["start"], [], 0
    for mark_start, mark_end in snippet["marks"]:
        out.append(text[last:mark_start - start])
        out.append("[" + text[mark_start - start:mark_end - start] + "]")
        last = mark_end - start
    out.append(text[last:])
    return "".join(out).replace("\n", " ")


def emit(args, result: dict, rows: list[dict], columns: list[str]) -> int:
    if getattr(args, "json", False):
        print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    elif getattr(args, "csv", False):
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    else:
        print_table(rows, columns)
    return 0


def print_table(rows: list[dict], columns: list[str]) -> None:
    if not rows:
        print("(nothing found)")
        return
    width = shutil.get_terminal_size((160, 24)).columns
    cells = [[one_line(row.get(column)) for column in columns] for row in rows]
    widths = [max(len(column), *(len(line[i]) for line in cells)) for i, column in enumerate(columns)]
    # shrink the widest columns until the table fits the terminal
    while sum(widths) + 2 * (len(widths) - 1) > width and max(widths) > 12:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    print("  ".join(column.ljust(widths[i]) for i, column in enumerate(columns)).rstrip())
    for line in cells:
        print("  ".join(cut(cell, widths[i]).ljust(widths[i]) for i, cell in enumerate(line)).rstrip())


def one_line(value) -> str:
    return "" if value is None else str(value).replace("\n", " ")


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:max(0, width - 1)] + "…"

