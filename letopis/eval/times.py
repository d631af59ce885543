"""``letopis eval times``: time expressions against the team's dev gold.

The gold (``tests/gold/times.jsonl``, format in ``docs/gold-times.md``) names each
article by its input file (and JSON Lines line) and gives every time expression's span
in the article's ``text`` and its value given the article's publication date. The
articles are read with ``letopis.read.read_paths`` and run through the default pipeline
plus the time stage.

Scores:
- recognition: precision, recall and F1 with overlap matching (a gold expression and a
  prediction that share a character, one to one, largest overlap first), and with
  exact spans;
- value accuracy: among the overlap matches, the share whose ``value`` equals the
  gold's (``mod`` is scored apart);
- publication date: articles whose gold says the date comes from the text (or that
  there is none) compared with ``meta.published``;
- cost: the time stage's seconds as a share of the NLP stage's.

NEREL (``--format nerel PATH``): recognition of its DATE and TIME mentions and the
events' POINT_IN_TIME, in nerel.py (no values: NEREL does not normalize them).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..record import Article
from .score import Counts

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_GOLD = ROOT / "tests" / "gold" / "times.jsonl"


@dataclass
class GoldArticle:
    input: str
    line: int | None
    article_id: str
    published: str | None
    published_source: str  # metadata, text, given (passed as --published), none
    times: list[dict]
    note: str | None = None


@dataclass
class TimesReport:
    gold_path: str
    documents: int = 0
    gold_times: int = 0
    predicted_times: int = 0
    overlap: Counts = field(default_factory=Counts)
    exact: Counts = field(default_factory=Counts)
    values_right: int = 0
    mods_right: int = 0
    published_right: int = 0
    published_checked: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # per pipeline stage
    chars: int = 0
    problems: list[str] = field(default_factory=list)  # unreadable or changed articles
    errors: list[dict] = field(default_factory=list)  # misses, false alarms, wrong values

    @property
    def value_accuracy(self) -> float:
        return self.values_right / self.overlap.tp if self.overlap.tp else 0.0

    @property
    def mod_accuracy(self) -> float:
        return self.mods_right / self.overlap.tp if self.overlap.tp else 0.0

    @property
    def cost_share(self) -> float | None:
        nlp = self.seconds.get("nlp")
        return self.seconds.get("times", 0.0) / nlp if nlp else None

    def to_dict(self) -> dict:
        return {
            "gold": self.gold_path, "documents": self.documents, "gold_times": self.gold_times,
            "predicted_times": self.predicted_times, "overlap": self.overlap.to_dict(),
            "exact": self.exact.to_dict(), "value_accuracy": round(self.value_accuracy, 4),
            "mod_accuracy": round(self.mod_accuracy, 4),
            "published": {"right": self.published_right, "checked": self.published_checked},
            "seconds": {name: round(value, 4) for name, value in self.seconds.items()},
            "times_share_of_nlp": None if self.cost_share is None else round(self.cost_share, 4),
            "chars": self.chars, "problems": self.problems, "errors": self.errors,
        }


# --- the gold -----------------------------------------------------------------------


def read_gold(path: str | Path) -> list[GoldArticle]:
    articles = []
    with open(path, encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            if line.strip():
                try:
                    articles.append(GoldArticle(**json.loads(line)))
                except (ValueError, TypeError) as error:
                    raise ValueError(f"{path}:{number}: {error}") from error
    return articles


def resolve_input(name: str, gold_path: Path) -> Path | None:
    """The input as given, else relative to the repository holding the gold."""
    for candidate in (Path(name), gold_path.resolve().parents[2] / name, ROOT / name):
        if candidate.exists():
            return candidate
    return None


def read_gold_articles(gold: list[GoldArticle], gold_path: Path, report: TimesReport):
    """(gold, article) pairs for the articles that can be read as they were annotated."""
    from ..read import read_paths

    pairs = []
    for item in gold:
        path = resolve_input(item.input, gold_path)
        if path is None:
            report.problems.append(f"{item.input}: not found")
            continue
        published = item.published if item.published_source == "given" else None
        found = [a for a in read_paths([path], published=published)
                 if isinstance(a, Article) and a.meta.input_line == item.line]
        if not found:
            report.problems.append(f"{item.input}:{item.line}: not read")
        elif found[0].id != item.article_id:
            report.problems.append(f"{item.input}:{item.line}: text changed (id {found[0].id})")
        else:
            pairs.append((item, found[0]))
    return pairs


# --- the pipeline -------------------------------------------------------------------


def times_stage():
    from ..pipeline import Stage
    from ..times import VERSION, extract_times, load

    load()
    return Stage("times", VERSION, needs=("sentences",), sets=("times", "meta.published"),
                 run=extract_times)


def times_pipeline(models=None, batch_size: int = 32):
    """The default pipeline with the time stage at its end."""
    from ..pipeline import Pipeline, default_pipeline

    default = default_pipeline(models, batch_size=batch_size)
    return Pipeline(default.stages + [times_stage()], batch_size=default.batch_size)


# --- scoring ------------------------------------------------------------------------


def overlap_pairs(gold: list[dict], predicted) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs sharing characters, largest first."""
    candidates = []
    for g, item in enumerate(gold):
        for p, time in enumerate(predicted):
            shared = min(item["end"], time.end) - max(item["start"], time.start)
            if shared > 0:
                candidates.append((-shared, g, p))
    pairs, used_gold, used_predicted = [], set(), set()
    for _, g, p in sorted(candidates):
        if g not in used_gold and p not in used_predicted:
            pairs.append((g, p))
            used_gold.add(g)
            used_predicted.add(p)
    return pairs


def score_article(item: GoldArticle, article: Article, report: TimesReport) -> None:
    gold, predicted = item.times, article.times
    pairs = overlap_pairs(gold, predicted)
    report.documents += 1
    report.chars += len(article.text)
    report.gold_times += len(gold)
    report.predicted_times += len(predicted)
    report.overlap += Counts(len(pairs), len(predicted) - len(pairs), len(gold) - len(pairs))
    exact = sum(1 for g, p in pairs if (gold[g]["start"], gold[g]["end"]) == (predicted[p].start, predicted[p].end))
    report.exact += Counts(exact, len(predicted) - exact, len(gold) - exact)
    where = f"{item.input}" + (f":{item.line}" if item.line else "")
    for g, p in pairs:
        expected, got = gold[g], predicted[p]
        report.values_right += expected["value"] == got.value
        report.mods_right += expected.get("mod") == got.mod
        if expected["value"] != got.value or expected.get("mod") != got.mod:
            report.errors.append({"where": where, "kind": "value", "text": expected["text"],
                                  "expected": [expected["value"], expected.get("mod")],
                                  "got": [got.value, got.mod], "got_text": got.text, "rule": got.rule})
    matched_gold, matched_predicted = {g for g, _ in pairs}, {p for _, p in pairs}
    for g, expected in enumerate(gold):
        if g not in matched_gold:
            report.errors.append({"where": where, "kind": "missed", "text": expected["text"],
                                  "expected": [expected["value"], expected.get("mod")]})
    for p, got in enumerate(predicted):
        if p not in matched_predicted:
            report.errors.append({"where": where, "kind": "false", "text": got.text,
                                  "got": [got.value, got.mod], "rule": got.rule})
    score_published(item, article, report, where)


def score_published(item: GoldArticle, article: Article, report: TimesReport, where: str) -> None:
    if item.published_source not in ("text", "none"):
        return
    report.published_checked += 1
    if article.meta.published == item.published:
        report.published_right += 1
    else:
        report.errors.append({"where": where, "kind": "published", "expected": item.published,
                              "got": article.meta.published})


def evaluate_times(gold_path: str | Path = DEFAULT_GOLD, models=None, pipeline=None) -> TimesReport:
    """Run letopis over the gold's articles and score its time expressions."""
    gold_path = Path(gold_path)
    report = TimesReport(str(gold_path))
    pairs = read_gold_articles(read_gold(gold_path), gold_path, report)
    pipeline = pipeline or times_pipeline(models)
    processed = list(pipeline.run([article for _, article in pairs]))
    for (item, _), result in zip(pairs, processed):
        if isinstance(result, Article):
            score_article(item, result, report)
        else:
            report.problems.append(f"{item.input}:{item.line}: failed ({result.reason})")
            report.gold_times += len(item.times)
            report.overlap += Counts(0, 0, len(item.times))
            report.exact += Counts(0, 0, len(item.times))
    report.seconds = dict(pipeline.stats)
    return report


# --- the command ----------------------------------------------------------------------


def add_times_eval(eval_subparsers) -> None:
    """Adds ``letopis eval times [--gold PATH] [--errors] [--json]``."""
    parser = eval_subparsers.add_parser(
        "times", help="time expressions against the dev gold (tests/gold/times.jsonl) or NEREL DATE/TIME",
        description="Run letopis over the articles of a time gold file and print recognition "
                    "precision, recall and F1, value accuracy and the time stage's cost. "
                    "See docs/gold-times.md.")
    parser.add_argument("path", nargs="?", metavar="PATH", help="with --format nerel: NEREL-v1.1/dev")
    parser.add_argument("--gold", default=str(DEFAULT_GOLD), metavar="PATH",
                        help="the gold file (default: tests/gold/times.jsonl)")
    parser.add_argument("--format", choices=["gold", "nerel"], default="gold",
                        help="gold: the team's gold file; nerel: NEREL DATE/TIME mentions (default: gold)")
    parser.add_argument("--limit", type=int, metavar="N", help="nerel: only the first N documents")
    parser.add_argument("--errors", action="store_true", help="also list misses, false alarms and wrong values")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(func=run_eval_times)


def run_eval_times(args) -> int:
    if args.format == "nerel":
        return run_eval_nerel_times(args)
    try:
        report = evaluate_times(args.gold)
    except (OSError, ValueError) as error:
        print(f"letopis eval: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_times_report(report, errors=args.errors))
    return 0


def run_eval_nerel_times(args) -> int:
    from .datasets import DatasetError
    from .nerel import evaluate_nerel, render_times

    if not args.path:
        print("letopis eval times: --format nerel needs the NEREL folder", file=sys.stderr)
        return 2
    try:
        report = evaluate_nerel(args.path, limit=args.limit)
    except (OSError, ValueError, DatasetError) as error:
        print(f"letopis eval: {error}", file=sys.stderr)
        return 1
    text = render_times(report, args.errors)
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if args.json else text)
    return 0


def render_times_report(report: TimesReport, errors: bool = False) -> str:
    o, e = report.overlap, report.exact
    lines = [
        f"letopis eval times: {report.gold_path}, {report.documents} articles, {report.chars:,} chars, "
        f"{report.gold_times} gold / {report.predicted_times} predicted expressions",
        f"recognition (overlap): P {o.precision:.3f}  R {o.recall:.3f}  F1 {o.f1:.3f}  (TP {o.tp} FP {o.fp} FN {o.fn})",
        f"recognition (exact):   P {e.precision:.3f}  R {e.recall:.3f}  F1 {e.f1:.3f}",
        f"value accuracy on matched: {report.value_accuracy:.3f} ({report.values_right}/{o.tp}); "
        f"mod accuracy: {report.mod_accuracy:.3f}",
        f"publication date from the text: {report.published_right}/{report.published_checked} right",
    ]
    if report.cost_share is not None:
        lines.append(f"time stage: {report.seconds.get('times', 0):.3f} s = {100 * report.cost_share:.1f}% "
                     f"of the nlp stage ({report.seconds['nlp']:.2f} s)")
    lines += [f"problem: {problem}" for problem in report.problems]
    if errors:
        lines += ["", "errors:"] + [json.dumps(error, ensure_ascii=False) for error in report.errors]
    return "\n".join(lines)
