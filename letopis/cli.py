"""The ``letopis`` command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date

from . import __version__
from .errors import DocumentError
from .record import Article


def main(argv: list[str] | None = None) -> int:
    from .nlp import one_blas_thread

    one_blas_thread()  # before anything imports numpy
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("letopis: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `letopis process ... | head`
        sys.stderr.close()
        return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="letopis",
        description="Turn raw news articles into a chronicle: zones, entities, quotes, events, times.",
    )
    parser.add_argument("--version", action="version", version=f"letopis {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    process = commands.add_parser(
        "process", help="process articles and print one JSON record per article (JSON Lines)",
        description="Read articles (plain text, HTML, JSON Lines; files, directories, .gz, or - "
                    "for stdin), process them and print one JSON record per article.")
    process.add_argument("paths", nargs="+", metavar="PATH", help="files, directories (recursive), .gz files, or - for stdin")
    process.add_argument("-o", "--output", metavar="FILE", help="write the records here instead of stdout")
    process.add_argument("--errors", metavar="FILE", help="write error records here instead of into the output stream")
    process.add_argument("--published", metavar="YYYY-MM-DD", type=iso_date,
                         help="publication date of the input articles (anchors relative dates)")
    process.add_argument("--lang", choices=["auto", "ru", "uk", "en"], default="auto",
                         help="language of the articles (default: detect per article)")
    process.add_argument("--max-bytes", type=int, default=10_000_000, metavar="N",
                         help="largest article accepted, in bytes (default: 10000000)")
    process.add_argument("--batch-size", type=int, default=32, metavar="N",
                         help="articles analysed together (default: 32; larger is faster, uses more memory)")
    process.add_argument("--gazetteer", action="append", default=[], metavar="FILE",
                         help="a JSON Lines file of your own gazetteer entries, adding to or overriding the "
                              "shipped ones (repeatable; format in docs/gazetteer.md)")
    process.add_argument("--no-gazetteer", action="store_true", help="link no entity to the gazetteer")
    process.add_argument("--lean", action="store_true", help="leave sentences and tokens out of the records")
    process.add_argument("--explain", action="store_true",
                         help="print, on stderr, the rule behind every zone, mention link, quote, event and time")
    process.add_argument("--strict", action="store_true", help="exit with status 1 if any document failed")
    process.add_argument("--check", action="store_true", help="validate every record against the schema")
    process.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    from .scale.cli import add_load_parser, add_process_options

    add_process_options(process)
    process.set_defaults(func=run_process)

    from .eval.cli import add_eval_parser
    from .store.cli import add_store_parsers
    from .watch.cli import add_watch_parser
    from .web.cli import add_web_parser

    add_eval_parser(commands)
    add_store_parsers(commands, iso_date)
    add_web_parser(commands)
    add_load_parser(commands)
    add_watch_parser(commands)
    return parser


def iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2021-12-22")


@dataclass
class Summary:
    articles: int = 0
    chars: int = 0
    failures: Counter = field(default_factory=Counter)
    started: float = field(default_factory=time.perf_counter)

    def add(self, item: Article | DocumentError) -> None:
        if isinstance(item, Article):
            self.articles += 1
            self.chars += len(item.text)
        else:
            self.failures[(item.stage, item.reason)] += 1

    def lines(self, stage_seconds: dict[str, float]) -> list[str]:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        failed = sum(self.failures.values())
        lines = [f"letopis: {self.articles} articles processed, {failed} failed, "
                 f"{self.chars:,} chars in {elapsed:.1f} s ({self.chars / elapsed:,.0f} chars/s)"]
        for (stage, reason), count in self.failures.most_common():
            lines.append(f"  failed at {stage}: {reason} x{count}")
        if stage_seconds:
            spent = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in stage_seconds.items())
            lines.append(f"  time by stage: {spent}")
        return lines


def run_process(args) -> int:
    if args.dask:
        from .scale.cli import run_process_dask

        return run_process_dask(args)
    from .pipeline import default_pipeline
    from .read import input_size, read_paths

    loading = time.perf_counter()
    pipeline = default_pipeline(batch_size=args.batch_size, check=args.check, gazetteer=gazetteer_for(args))
    print(f"letopis: models loaded in {time.perf_counter() - loading:.1f} s", file=sys.stderr)
    summary = Summary()
    progress = make_progress(args, input_size(args.paths))
    lang = None if args.lang == "auto" else args.lang
    items = read_paths(args.paths, max_bytes=args.max_bytes, lang=lang,
                       published=args.published, on_progress=progress.update if progress else None)
    with ExitStack() as stack:
        out = stack.enter_context(open(args.output, "w", encoding="utf-8")) if args.output else sys.stdout
        errors = stack.enter_context(open(args.errors, "w", encoding="utf-8")) if args.errors else out
        for item in pipeline.run(items):
            summary.add(item)
            if isinstance(item, Article):
                if args.explain:
                    explain(item)
                write_json(out, article_dict(item, lean=args.lean))
            else:
                write_json(errors, item.to_dict())
    if progress:
        progress.close()
    for line in summary.lines(pipeline.stats):
        print(line, file=sys.stderr)
    failed = sum(summary.failures.values())
    if summary.articles == 0:
        print("letopis: nothing could be processed; see the error records above", file=sys.stderr)
        return 1
    return 1 if args.strict and failed else 0


def gazetteer_for(args):
    """The shipped gazetteer, with the user's files over it, or none."""
    if args.no_gazetteer:
        return None
    if not args.gazetteer:
        return "shipped"
    from .gazetteer import GazetteerError, shared_gazetteer

    try:
        return shared_gazetteer(tuple(args.gazetteer))
    except (GazetteerError, OSError) as error:
        raise SystemExit(f"letopis: the gazetteer file is not usable:\n{error}\nFix the lines named above "
                         f"(format: docs/gazetteer.md) or run without --gazetteer.")


def article_dict(article: Article, lean: bool = False) -> dict:
    data = article.to_dict()
    if lean:
        data.pop("sentences")
    return data


def write_json(stream, data: dict) -> None:
    stream.write(json.dumps(data, ensure_ascii=False))
    stream.write("\n")


def make_progress(args, total_bytes: int):
    if args.no_progress or not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    from tqdm import tqdm

    return tqdm(total=total_bytes or None, unit="B", unit_scale=True, desc="letopis", file=sys.stderr)


def explain(article: Article) -> None:
    """Which rule produced each zone and linked each mention (stderr)."""
    def say(line: str) -> None:
        print(line, file=sys.stderr)

    def snippet(start: int, end: int, width: int = 70) -> str:
        text = article.text[start:end].replace("\n", " ")
        return text if len(text) <= width else text[:width - 3] + "..."

    say(f"# {article.id} {article.meta.input or ''}")
    for zone in article.zones:
        say(f"  zone    {zone.kind:<13} [{zone.start}:{zone.end}] {zone.rule or '':<28} {snippet(zone.start, zone.end)}")
    for entity in article.entities:
        roles = "; ".join(role.text for role in entity.roles)
        say(f"  entity  {entity.id:<4} {entity.type:<4} {entity.name}"
            + (f" [{entity.kb_id}]" if entity.kb_id else "") + (f" ({roles})" if roles else ""))
        for mention in entity.mentions:
            say(f"            {mention.kind:<9} [{mention.start}:{mention.end}] {mention.link or '':<32} {mention.text}")
    from .times import explain_times

    for line in explain_times(article)[1:]:
        say(f"  time    {line.strip()}")
    names = {entity.id: entity.name for entity in article.entities}
    for quote in article.quotes:
        speaker = names.get(quote.speaker) or f"unresolved: {quote.speaker_text!r}"
        say(f"  quote   {quote.id:<4} [{quote.start}:{quote.end}] {quote.rule or '':<28} {quote.kind}, "
            f"{speaker}, cue {quote.cue!r}: {snippet(quote.start, quote.end, 50)}")
    for event in article.events:
        actors = ", ".join(names.get(i, i) for i in [*event.source, *event.participants, *event.target])
        say(f"  event   {event.id:<4} [{event.trigger_start}:{event.trigger_end}] {event.rule or '':<28} "
            f"{event.type}/{event.subtype or '-'} {event.status or '-'} ({actors}): {event.trigger}")


if __name__ == "__main__":
    sys.exit(main())
