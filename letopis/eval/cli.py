"""``letopis eval TASK``: quality against annotated data (docs/eval.md).

Each task is a sub-command with its own ``add_*_parser`` (``task_parsers``): ``ner``
here, ``entities`` in entities.py.
"""

from __future__ import annotations

import json
import os
import sys

from .datasets import FORMATS, TYPES, DatasetError, read_dataset
from .score import MODES, Counts

SYSTEM_TITLES = {"letopis": "letopis", "slovnet": "slovnet alone"}


def add_eval_parser(commands) -> None:
    parser = commands.add_parser(
        "eval", help="score letopis against annotated data",
        description="Score letopis against annotated datasets, beside a baseline. See docs/eval.md.")
    tasks = parser.add_subparsers(title="tasks", metavar="TASK")
    for add_task in task_parsers():
        add_task(tasks)
    parser.set_defaults(func=lambda args: print_help(parser))


def task_parsers() -> list:
    """One ``add_*_parser(tasks)`` per task; each task's module keeps its own."""
    from .entities import add_entities_parser
    from .events import add_events_eval
    from .quotes import add_quotes_eval
    from .times import add_times_eval

    return [add_ner_parser, add_entities_parser, add_quotes_eval, add_times_eval, add_events_eval]


def print_help(parser) -> int:
    parser.print_help()
    return 2


def add_ner_parser(tasks) -> None:
    ner = tasks.add_parser(
        "ner", help="entity recognition (PER, ORG, LOC): letopis vs slovnet alone",
        description="Run the letopis pipeline and natasha's NER alone over an annotated "
                    "dataset and print precision, recall and F1 per type for both.")
    ner.add_argument("path", metavar="PATH",
                     help="the dataset folder: factRuEval-2016/devset, slavicner (or slavicner/raw/TOPIC), "
                          "NEREL-v1.1/dev")
    ner.add_argument("--format", required=True, choices=FORMATS, help="the dataset's format")
    ner.add_argument("--lang", choices=["ru", "uk"], default="ru",
                     help="the documents' language (slavicner has ru and uk; default: ru)")
    ner.add_argument("--limit", type=int, metavar="N", help="score only the first N documents")
    ner.add_argument("--baseline", choices=["slovnet", "none"], default="slovnet",
                     help="also run natasha's NER alone on the raw texts (default: slovnet)")
    ner.add_argument("--factru-spans", choices=["object", "name"], default="object",
                     help="factru gold: whole object mentions (default) or only their name spans")
    ner.add_argument("--batch-size", type=int, default=32, metavar="N",
                     help="articles the pipeline analyses together (default: 32)")
    ner.add_argument("--json", action="store_true", help="print the report as JSON")
    ner.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    ner.set_defaults(func=run_eval_ner)


def run_eval_ner(args) -> int:
    from .ner import evaluate_ner

    if args.lang != "ru" and args.format != "slavicner":
        print(f"letopis eval: {args.format} is Russian only; --lang uk applies to slavicner", file=sys.stderr)
        return 2
    try:
        docs = read_dataset(args.format, args.path, lang=args.lang, limit=args.limit,
                            factru_spans=args.factru_spans)
    except DatasetError as error:
        print(f"letopis eval: {error}", file=sys.stderr)
        return 1
    report = evaluate_ner(docs, args.format, str(args.path), args.lang, baseline=args.baseline,
                          batch_size=args.batch_size, progress=progress_factory(args))
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_report(report))
    return 0


def progress_factory(args):
    if args.no_progress or not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    from tqdm import tqdm

    return lambda desc, total: tqdm(total=total, desc=desc, unit="doc", file=sys.stderr, leave=False)


# --- the table --------------------------------------------------------------------


def render_report(report) -> str:
    gold = ", ".join(f"{t} {n:,}" for t, n in report.gold["mentions"].items())
    ignored = ", ".join(f"{label} {n:,}" for label, n in report.gold["ignored"].items()) or "none"
    lines = [
        f"letopis eval ner: {report.dataset} {report.path} ({report.lang}), "
        f"{report.documents:,} documents, {report.chars:,} chars",
        f"gold mentions scored: {gold}",
        f"gold spans ignored: {ignored}",
    ]
    for mode in MODES:
        lines += ["", *render_table(report.systems, mode)]
    lines.append("")
    for system in report.systems:
        lines.append(render_system_line(system))
    return "\n".join(lines)


def render_table(systems, mode: str) -> list[str]:
    cell = "{:>6} {:>6} {:>6} {:>6} {:>6} {:>6}"
    head = " | ".join(f"{SYSTEM_TITLES.get(s.system, s.system):<41}" for s in systems)
    columns = " | ".join(cell.format("P", "R", "F1", "TP", "FP", "FN") for _ in systems)
    lines = [f"{mode + ' match':<16}{head}", f"{'type':<16}{columns}"]
    for label in (*TYPES, "overall"):
        cells = []
        for system in systems:
            c = system.overall(mode) if label == "overall" else system.counts[mode].get(label)
            c = c or Counts()
            cells.append(cell.format(f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", c.tp, c.fp, c.fn))
        lines.append(f"{'overall (micro)' if label == 'overall' else label:<16}" + " | ".join(cells))
    return lines


def render_system_line(system) -> str:
    title = SYSTEM_TITLES.get(system.system, system.system)
    line = (f"{title}: {system.seconds:.1f} s, {system.chars_per_second:,.0f} chars/s, "
            f"{len(system.failed)} documents failed, {system.ignored} predictions on ignored spans set aside")
    if system.stages:
        line += "\n  time by stage: " + ", ".join(
            f"{name}@{system.versions.get(name, '?')} {s:.1f} s" for name, s in system.stages.items())
    return line
