"""Quotes scored against the team's gold set (tests/gold/quotes.jsonl, docs/gold-quotes.md).

- detection: a predicted quote matches a gold quote when their content spans, trimmed
  of white space, quotation marks and end punctuation, overlap by at least half of the
  shorter span; pairs are made one to one, largest overlap first;
- quote + speaker: a matched pair whose speaker is right: the predicted entity's
  canonical name, or the normal form of one of its name mentions, is one of the gold
  names (case and ё/е aside); a gold null speaker wants a null prediction. A quote
  whose speaker is left unresolved (null) where the gold names one is a miss, not a
  false alarm: precision counts the speakers letopis asserts (precision first), recall
  counts every gold quote.

Recall is counted by the gold quote's kind, precision by the predicted quote's kind;
"all" sums them. A document the pipeline fails on keeps its gold: all of it is missed.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..record import Article, Entity, QUOTE_KINDS
from .score import Counts, strip_span

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_GOLD = ROOT / "tests" / "gold" / "quotes.jsonl"
MODES = ("detection", "speaker")
MIN_OVERLAP = 0.5


@dataclass
class GoldQuote:
    kind: str
    start: int
    end: int
    speaker: list[str] | None  # acceptable canonical names; None: no speaker entity
    cue: str | None = None
    starts: str | None = None


@dataclass
class GoldDoc:
    source: str  # a path (relative to the repository, or to the working directory), or inline:NAME
    line: int | None  # the line of a JSON Lines input
    article: str  # the article id letopis gives it: the offsets hold for that text only
    lang: str | None
    quotes: list[GoldQuote]
    set: str = "corpus"  # corpus, seed, fresh (texts written for the gold, kept in the file)
    text: str | None = None  # the text itself, for inline documents


@dataclass
class Miss:
    """A gold quote not found, or found with another speaker, or a false alarm."""

    what: str  # missed, wrong_speaker, false_alarm
    source: str
    text: str
    gold_speaker: list[str] | None = None
    speaker: str | None = None
    rule: str | None = None


@dataclass
class QuotesReport:
    gold_path: str
    documents: int
    skipped: dict[str, str]  # source -> why it was not scored
    counts: dict[str, dict[str, Counts]]  # mode -> kind (and "all") -> counts
    by_lang: dict[str, dict[str, Counts]]  # mode -> "lang ru", "set fresh", ... -> counts
    kind_agreement: tuple[int, int]  # matched pairs with the gold kind, matched pairs
    seconds: dict[str, float]  # per pipeline stage
    misses: list[Miss] = field(default_factory=list)

    @property
    def stage_share(self) -> float:
        total = sum(self.seconds.values())
        return self.seconds.get("quotes", 0.0) / total if total else 0.0

    def to_dict(self) -> dict:
        return {
            "task": "quotes", "gold": self.gold_path, "documents": self.documents, "skipped": self.skipped,
            "min_overlap": MIN_OVERLAP,
            **{mode: {kind: c.to_dict() for kind, c in self.counts[mode].items()} for mode in MODES},
            "groups": {mode: {group: c.to_dict() for group, c in self.by_lang[mode].items()} for mode in MODES},
            "kind_agreement": {"same": self.kind_agreement[0], "matched": self.kind_agreement[1]},
            "seconds": {name: round(s, 3) for name, s in self.seconds.items()},
            "quotes_share": round(self.stage_share, 4),
        }


# --- reading the gold ----------------------------------------------------------------


def read_gold(path: str | Path = DEFAULT_GOLD) -> list[GoldDoc]:
    docs = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            quotes = [GoldQuote(q["kind"], q["start"], q["end"], names(q.get("speaker")), q.get("cue"),
                                q.get("starts")) for q in data["quotes"]]
            docs.append(GoldDoc(data["source"], data.get("line"), data["article"], data.get("lang"), quotes,
                                data.get("set", "corpus"), data.get("text")))
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"{path}:{number}: not a gold document ({error})") from error
    return docs


def names(value) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def source_path(source: str) -> Path | None:
    for base in (Path.cwd(), ROOT):
        path = (base / source).resolve()
        if path.exists():
            return path
    return None


def read_articles(docs: list[GoldDoc]) -> tuple[list[Article | None], dict[str, str]]:
    """The articles of the gold documents, read as letopis reads them (offsets must agree)."""
    from ..read import read_paths
    from ..record import Meta, new_article

    articles: list[Article | None] = []
    skipped: dict[str, str] = {}
    for doc in docs:
        label = doc.source + (f":{doc.line}" if doc.line else "")
        path = source_path(doc.source) if doc.text is None else None
        found = new_article(doc.text, Meta(input=doc.source, input_format="txt")) if doc.text is not None else None
        if path is not None:
            for item in read_paths([str(path)]):
                if isinstance(item, Article) and (doc.line is None or item.meta.input_line == doc.line):
                    found = item
                    break
        if found is None:
            skipped[label] = "not found"
        elif found.id != doc.article:
            skipped[label] = f"the text changed: article id {found.id}, gold {doc.article}"
            found = None
        articles.append(found)
    return articles, skipped


# --- matching ------------------------------------------------------------------------


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    return strip_span(text, start, end)


def overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    shared = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shared / shorter if shared > 0 and shorter > 0 else 0.0


def match(text: str, gold: list, predicted: list) -> list[tuple[int, int]]:
    """(gold index, predicted index) pairs: overlap of at least MIN_OVERLAP, one to one."""
    spans_g = [trimmed(text, g.start, g.end) for g in gold]
    spans_p = [trimmed(text, p.start, p.end) for p in predicted]
    scored = sorted(((overlap(g, p), i, j) for i, g in enumerate(spans_g) for j, p in enumerate(spans_p)),
                    reverse=True)
    pairs, used_g, used_p = [], set(), set()
    for share, i, j in scored:
        if share < MIN_OVERLAP:
            break
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def fold(name: str) -> str:
    return " ".join(name.lower().replace("ё", "е").split())


def speaker_right(gold: GoldQuote, entity: Entity | None) -> bool:
    if gold.speaker is None or entity is None:
        return gold.speaker is None and entity is None
    known = {fold(entity.name)} | {fold(m.normal or m.text) for m in entity.mentions if m.kind == "name"}
    return any(fold(name) in known or (" " in name and contains(known, fold(name))) for name in gold.speaker)


def contains(known: set[str], name: str) -> bool:
    """A full name inside a longer canonical name ("України Володимир Зеленський"): the
    resolver's Ukrainian names sometimes keep a neighbouring word; the entity is right."""
    return any(f" {name} " in f" {other} " for other in known)


# --- scoring -------------------------------------------------------------------------


def score_document(doc: GoldDoc, article: Article | None, counts, by_lang, misses, agreement) -> None:
    lang = (article.meta.lang if article is not None else None) or doc.lang or "?"
    groups = (f"lang {lang}", f"set {doc.set}")
    label = doc.source + (f":{doc.line}" if doc.line else "")
    predicted = article.quotes if article is not None else []
    entities = {e.id: e for e in article.entities} if article is not None else {}
    pairs = match(article.text, doc.quotes, predicted) if article is not None else []
    matched_g = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}
    for i, gold in enumerate(doc.quotes):
        if i not in matched_g:
            add(counts, by_lang, gold.kind, groups, "fn", MODES)
            text = article.text[gold.start:gold.end] if article is not None else gold.starts or ""
            misses.append(Miss("missed", label, text, gold.speaker))
    for j, quote in enumerate(predicted):
        if j not in matched_p:
            add(counts, by_lang, quote.kind, groups, "fp", MODES)
            misses.append(Miss("false_alarm", label, article.text[quote.start:quote.end], None,
                               speaker_name(entities, quote), quote.rule))
    for i, j in pairs:
        gold, quote = doc.quotes[i], predicted[j]
        agreement[0] += gold.kind == quote.kind
        agreement[1] += 1
        add(counts, by_lang, gold.kind, groups, "tp", ("detection",))
        if speaker_right(gold, entities.get(quote.speaker)):
            add(counts, by_lang, gold.kind, groups, "tp", ("speaker",))
        else:
            add(counts, by_lang, gold.kind, groups, "fn", ("speaker",))
            if quote.speaker is not None:  # a wrong entity; an unresolved speaker is only a miss
                add(counts, by_lang, quote.kind, groups, "fp", ("speaker",))
            misses.append(Miss("wrong_speaker", label, article.text[quote.start:quote.end], gold.speaker,
                               speaker_name(entities, quote) or f"None ({quote.speaker_text!r})", quote.rule))


def speaker_name(entities: dict, quote) -> str | None:
    entity = entities.get(quote.speaker)
    return entity.name if entity is not None else None


def add(counts, by_lang, kind: str, groups, field_name: str, modes) -> None:
    for mode in modes:
        keys = [(kind, counts[mode]), ("all", counts[mode])] + [(group, by_lang[mode]) for group in groups]
        for key, table in keys:
            counter = table.setdefault(key, Counts())
            setattr(counter, field_name, getattr(counter, field_name) + 1)


def quotes_pipeline(models=None, batch_size: int = 32):
    """The default pipeline, with the quotes stage at its end if it is not there yet."""
    from ..pipeline import Pipeline, Stage, default_pipeline
    from ..quotes import VERSION, extract_quotes

    pipeline = default_pipeline(models, batch_size=batch_size)
    if not any(stage.name == "quotes" for stage in pipeline.stages):
        pipeline = Pipeline(pipeline.stages + [Stage("quotes", VERSION, needs=("sentences", "entities"),
                                                      sets=("quotes",), run=extract_quotes)],
                            batch_size=batch_size)
    return pipeline


def evaluate_quotes(gold_path: str | Path = DEFAULT_GOLD, pipeline=None, models=None,
                    batch_size: int = 32) -> QuotesReport:
    docs = read_gold(gold_path)
    articles, skipped = read_articles(docs)
    pipeline = pipeline or quotes_pipeline(models, batch_size)
    live = [a for a in articles if a is not None]
    started = time.perf_counter()
    results = {id(a): r for a, r in zip(live, pipeline.run(live))}
    seconds = dict(pipeline.stats) or {"total": time.perf_counter() - started}
    counts = {mode: {kind: Counts() for kind in (*QUOTE_KINDS, "all")} for mode in MODES}
    by_lang: dict[str, dict[str, Counts]] = {mode: {} for mode in MODES}
    misses: list[Miss] = []
    agreement = [0, 0]
    for doc, article in zip(docs, articles):
        label = doc.source + (f":{doc.line}" if doc.line else "")
        if article is None:
            continue
        result = results.get(id(article))
        if not isinstance(result, Article):
            skipped[label] = f"failed: {getattr(result, 'detail', result)}"
            result = None
        score_document(doc, result, counts, by_lang, misses, agreement)
    return QuotesReport(str(gold_path), len(docs), skipped, counts, by_lang, tuple(agreement), seconds, misses)


# --- the command ---------------------------------------------------------------------


def add_quotes_eval(tasks) -> None:
    """``letopis eval quotes [--gold PATH]``: add the sub-command to ``letopis eval``."""
    parser = tasks.add_parser(
        "quotes", help="quotes and their speakers against the team's gold set",
        description="Run letopis over the documents of a quotes gold file and print precision, "
                    "recall and F1 for quote detection (content overlap of at least half the "
                    "shorter span) and for quote + speaker, by kind. See docs/gold-quotes.md.")
    parser.add_argument("--gold", default=str(DEFAULT_GOLD), metavar="PATH",
                        help="the gold file (default: tests/gold/quotes.jsonl)")
    parser.add_argument("--batch-size", type=int, default=32, metavar="N",
                        help="articles the pipeline analyses together (default: 32)")
    parser.add_argument("--errors", action="store_true",
                        help="also list missed quotes, wrong speakers and false alarms")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.set_defaults(func=run_eval_quotes)


def run_eval_quotes(args) -> int:
    import sys

    try:
        report = evaluate_quotes(args.gold, batch_size=args.batch_size)
    except (OSError, ValueError) as error:
        print(f"letopis eval quotes: {error}", file=sys.stderr)
        return 1
    if args.json:
        data = report.to_dict()
        if args.errors:
            data["errors"] = [vars(m) for m in report.misses]
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(render_report(report, errors=args.errors))
    return 0


def render_report(report: QuotesReport, errors: bool = False) -> str:
    scored = report.documents - len(report.skipped)
    lines = [f"letopis eval quotes: {report.gold_path}, {scored} of {report.documents} documents scored",
             f"a match: content spans overlapping by at least {MIN_OVERLAP:.0%} of the shorter one"]
    for label, why in report.skipped.items():
        lines.append(f"  skipped {label}: {why}")
    row = "{:<22}{:>7}{:>7}{:>7}{:>6}{:>6}{:>6}"
    for mode, title in (("detection", "quote detection"), ("speaker", "quote + speaker")):
        lines += ["", row.format(title, "P", "R", "F1", "TP", "FP", "FN")]
        table = report.counts[mode]
        for key in (*QUOTE_KINDS, "all"):
            c = table.get(key, Counts())
            lines.append(row.format(key, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", c.tp, c.fp, c.fn))
        for group, c in sorted(report.by_lang[mode].items()):
            lines.append(row.format(f"  {group}", f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}",
                                    c.tp, c.fp, c.fn))
    same, matched = report.kind_agreement
    lines += ["", f"kind agrees with the gold on {same} of {matched} matched quotes",
              "seconds per stage: " + ", ".join(f"{n} {s:.2f}" for n, s in report.seconds.items())
              + f"; quotes {report.stage_share:.1%} of the pipeline"]
    if errors:
        lines.append("")
        for miss in report.misses:
            detail = f" gold={miss.gold_speaker} got={miss.speaker}" if miss.what != "missed" or miss.gold_speaker else ""
            rule = f" [{miss.rule}]" if miss.rule else ""
            lines.append(f"{miss.what:<13} {miss.source}{rule}{detail}: {miss.text[:110]!r}")
    return "\n".join(lines)
