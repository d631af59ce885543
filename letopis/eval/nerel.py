"""Events and times of letopis against NEREL's EVENT, DATE and TIME mentions and their relations.

NEREL (brat ``X.txt`` + ``X.ann``, read with ``datasets.read_brat_ann``) annotates an
EVENT as a text-bound mention of the event's words ("встречи", "покончил с собой"),
with PARTICIPANT_IN and AGENT relations from its participants' mentions and
POINT_IN_TIME relations to a DATE or TIME mention. It has no PLOVER type, no status
and no normalized time value, so only this is scored (docs/eval.md, "NEREL"):

- triggers: a letopis event and a NEREL EVENT are paired one to one when the trigger
  span shares a character with the EVENT span (largest overlap first; types are not
  compared, NEREL has none). Recall over all EVENTs, and over the EVENTs in PLOVER
  scope (``plover_category`` of the EVENT's own words, by ``SCOPE`` below); precision
  over all letopis events (a lower bound: NEREL does not annotate every event letopis
  is built for, statements and calls in particular);
- participants, on the paired events: the Arg1 mentions of PARTICIPANT_IN and AGENT
  relations whose Arg2 is the EVENT, against the mentions (any kind: names, roles,
  pronouns) of the entities letopis gives as the event's source, target or
  participants. A gold argument is found when one of those mentions shares a
  character with it; a letopis actor is right when one of its mentions does with
  some gold argument of the EVENT. A paired EVENT without gold arguments is set
  aside (NEREL often links the participants to another mention of the same event);
- times: recognition of NEREL's outermost DATE and TIME mentions by letopis's time
  expressions (one to one, sharing a character; exact spans too, once both are
  trimmed of white space, quotes and edge punctuation as ``score.strip_span`` does). A letopis
  expression on an AGE mention (and no DATE or TIME) is set aside: NEREL types ages
  apart, letopis gives them as durations ("52 года": P52Y), as TimeML does;
- time attachment: for each POINT_IN_TIME relation from a paired EVENT, whether the
  letopis event's ``time`` shares a character with the gold DATE or TIME.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..record import Article
from .datasets import fold_newlines, nerel_files, read_brat_ann, read_text
from .score import Counts, strip_span

Span = tuple[int, int, str]
PARTICIPANT_RELATIONS = ("PARTICIPANT_IN", "AGENT")
TIME_TYPES = ("DATE", "TIME")

# NEREL EVENTs in PLOVER scope: the category whose words the EVENT mention holds
# (lower case, "ё" as "е"; first pattern that matches wins). Written from PLOVER's
# category definitions, not from letopis's trigger lexicon. FIGHT (wars, battles) is a
# PLOVER category letopis has no type for; it is kept in scope and counted apart.
SCOPE = (
    ("CONSULT", r"встреч(?!н)|встрет|переговор|саммит|визит|посет|посещ|консультац|бесед|разговор"),
    ("AGREE", r"соглашен|договор|меморандум|перемири|совместн\w* заявлен"),
    ("COOPERATE", r"сотруднич"),
    ("SUPPORT", r"поддерж|одобр"),
    ("AID", r"помощ|гуманитарн"),
    ("CONCEDE", r"уступ|помилов|освобо|на свободу|капитуля"),
    ("RETREAT", r"вывод\w* войск|отступ|отвод\w* войск"),
    ("REQUEST", r"призва|призыв|просьб|попрос|обрати\w*с"),
    ("DEMAND", r"требова|ультиматум"),
    ("REJECT", r"отказ|отклон|отверг|\bвето\b|бойкот"),
    ("ACCUSE", r"обвин|критик|осудил|осужда"),
    ("THREATEN", r"угро|пригроз"),
    ("SANCTION", r"санкц|эмбарго|запре[тщ]|выслал|высыл|разрыв\w* отношен"),
    ("MOBILIZE", r"мобилиз|\bучени[йяе]"),
    ("COERCE", r"арест|задерж|приговор|осужд[её]н|под стражу|обыск|уголовн\w* дел|депорт|экстрадиц|"
               r"\bсуд(а|е|ом|ебн\w*)?\b|штраф|признан\w* виновн|признали виновн|допрос|репресс|подав|разогна|"
               r"расправ|военн\w* положен|чрезвычайн\w* положен"),
    ("ASSAULT", r"напад|убил|(?<!само)убий|убит|взрыв|теракт|стрельб|обстрел|расстрел|избил|избиен|избит|похит|"
                r"похищ|изнасил|покушен|атак|ранил|ранени|застрел(?!ился|илась)|перестрел|открыл\w* огонь|"
                r"выстрел|обезглав|ножев|побо[ие]|драк|поджог|поджег"),
    ("FIGHT", r"\bбо[йяеюи]\b|\bбоев|\bвойн|сражен|штурм|вторжен|оккупац|столкновен|путч|переворот|"
              r"бомбардир|бомбил|свержен|вооруж\w* инцидент"),
    ("PROTEST", r"протест|митинг|демонстраци(?!он)|забастов|пикет|голодовк|беспорядк|\bмарш|майдан"),
)
SCOPE_PATTERNS = tuple((category, re.compile(pattern)) for category, pattern in SCOPE)


def plover_category(words: str) -> str | None:
    """The PLOVER category a NEREL EVENT's words fall in, or None (out of scope)."""
    folded = words.lower().replace("ё", "е")
    return next((category for category, pattern in SCOPE_PATTERNS if pattern.search(folded)), None)


# --- the gold --------------------------------------------------------------------------


@dataclass
class NerelEvent:
    id: str
    start: int
    end: int
    text: str
    category: str | None  # PLOVER scope (plover_category), None outside it
    arguments: list[Span] = field(default_factory=list)  # (start, end, relation) of PARTICIPANT_IN, AGENT
    times: list[Span] = field(default_factory=list)  # (start, end, DATE|TIME) of POINT_IN_TIME


@dataclass
class NerelDoc:
    id: str
    text: str
    events: list[NerelEvent]
    times: list[Span]  # outermost DATE and TIME mentions
    ages: list[Span] = field(default_factory=list)  # AGE mentions: a time expression there is set aside


def read_nerel_events(path: str | Path, limit: int | None = None) -> list[NerelDoc]:
    return [nerel_doc(ann.stem, read_text(ann.with_suffix(".txt")), *read_brat_ann(ann))
            for ann in nerel_files(Path(path), limit)]


def nerel_doc(id: str, text: str, spans: dict[str, Span], relations: list[tuple[str, str, str]]) -> NerelDoc:
    """A document from brat's annotations (line ends folded as letopis reads them)."""
    ids = list(spans)
    text, folded = fold_newlines(text, [spans[i] for i in ids])
    spans = dict(zip(ids, folded))
    events = {i: NerelEvent(i, s, e, text[s:e], plover_category(text[s:e]))
              for i, (s, e, label) in spans.items() if label == "EVENT"}
    for relation, arg1, arg2 in relations:
        if arg1 not in spans or arg2 not in spans:
            continue  # a discontinuous mention
        if relation in PARTICIPANT_RELATIONS and arg2 in events:
            events[arg2].arguments.append((*spans[arg1][:2], relation))
        elif relation == "POINT_IN_TIME" and arg1 in events and spans[arg2][2] in TIME_TYPES:
            events[arg1].times.append(spans[arg2])
    times = sorted({s for s in spans.values() if s[2] in TIME_TYPES})
    outer = [s for s in times if not any(o[0] <= s[0] and s[1] <= o[1] and o[:2] != s[:2] for o in times)]
    ages = sorted(s for s in spans.values() if s[2] == "AGE")
    return NerelDoc(id, text, sorted(events.values(), key=lambda e: (e.start, e.end)), outer, ages)


# --- scoring ---------------------------------------------------------------------------


@dataclass
class NerelReport:
    path: str
    documents: int = 0
    chars: int = 0
    gold_events: int = 0
    in_scope: dict[str, list[int]] = field(default_factory=dict)  # category -> [found, gold]
    predicted_events: int = 0
    triggers: Counts = field(default_factory=Counts)  # over all NEREL EVENTs
    scoped: Counts = field(default_factory=Counts)  # recall over in-scope EVENTs (fp: as triggers)
    false_by_type: dict[str, int] = field(default_factory=dict)  # unpaired letopis events per type
    arguments: Counts = field(default_factory=Counts)  # recall: gold arguments; precision: letopis actors
    by_relation: dict[str, list[int]] = field(default_factory=dict)  # relation -> [found, gold]
    events_without_arguments: int = 0  # paired EVENTs NEREL gives no participant: not scored for participants
    actors_set_aside: int = 0  # letopis actors of those
    times: Counts = field(default_factory=Counts)
    times_exact: Counts = field(default_factory=Counts)
    times_by_type: dict[str, list[int]] = field(default_factory=dict)  # DATE/TIME -> [found, gold]
    times_set_aside: int = 0  # letopis time expressions on NEREL AGE mentions ("52 года": P52Y)
    point_in_time: list[int] = field(default_factory=lambda: [0, 0, 0, 0])  # right, attached, on paired, all
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        right, attached, paired, total = self.point_in_time
        return {
            "task": "events+times", "dataset": "nerel", "path": self.path, "documents": self.documents,
            "chars": self.chars, "gold_events": self.gold_events, "predicted_events": self.predicted_events,
            "triggers": self.triggers.to_dict(), "triggers_in_scope": self.scoped.to_dict(),
            "in_scope_by_category": {k: {"found": f, "gold": g} for k, (f, g) in sorted(self.in_scope.items())},
            "unpaired_letopis_events_by_type": dict(sorted(self.false_by_type.items())),
            "participants": self.arguments.to_dict(),
            "participants_by_relation": {k: {"found": f, "gold": g} for k, (f, g) in self.by_relation.items()},
            "paired_events_without_gold_participants": self.events_without_arguments,
            "letopis_actors_set_aside": self.actors_set_aside,
            "times": {"overlap": self.times.to_dict(), "exact": self.times_exact.to_dict(),
                      "set_aside_on_age": self.times_set_aside,
                      "by_type": {k: {"found": f, "gold": g} for k, (f, g) in self.times_by_type.items()}},
            "point_in_time": {"right": right, "attached": attached, "on_paired_events": paired, "all": total},
            "seconds": round(self.seconds, 2), "problems": self.problems, "errors": self.errors,
        }


def pair_spans(gold: list[tuple[int, int]], predicted: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs sharing characters, largest overlap first."""
    candidates = sorted((-(min(g[1], p[1]) - max(g[0], p[0])), i, j)
                        for i, g in enumerate(gold) for j, p in enumerate(predicted)
                        if min(g[1], p[1]) > max(g[0], p[0]))
    pairs, used_gold, used_predicted = [], set(), set()
    for _, i, j in candidates:
        if i not in used_gold and j not in used_predicted:
            pairs.append((i, j))
            used_gold.add(i)
            used_predicted.add(j)
    return pairs


def shares(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def bump(table: dict[str, list[int]], key: str, found: bool) -> None:
    cell = table.setdefault(key, [0, 0])
    cell[0] += found
    cell[1] += 1


def score_doc(doc: NerelDoc, article: Article, report: NerelReport) -> None:
    events = article.events
    pairs = pair_spans([(e.start, e.end) for e in doc.events], [(e.trigger_start, e.trigger_end) for e in events])
    paired = dict(pairs)
    report.documents += 1
    report.chars += len(doc.text)
    report.gold_events += len(doc.events)
    report.predicted_events += len(events)
    report.triggers += Counts(len(pairs), len(events) - len(pairs), len(doc.events) - len(pairs))
    scoped = [i for i, e in enumerate(doc.events) if e.category]
    found_scoped = sum(1 for i in scoped if i in paired)
    report.scoped += Counts(found_scoped, len(events) - len(pairs), len(scoped) - found_scoped)
    for i in scoped:
        bump(report.in_scope, doc.events[i].category, i in paired)
    used = set(paired.values())
    for j, event in enumerate(events):
        if j not in used:
            report.false_by_type[event.type] = report.false_by_type.get(event.type, 0) + 1
            report.errors.append({"where": doc.id, "kind": "false", "type": event.type, "trigger": event.trigger})
    entities = {e.id: e for e in article.entities}
    times = {t.id: t for t in article.times}
    for i, gold in enumerate(doc.events):
        report.point_in_time[3] += len(gold.times)
        if i not in paired:
            report.errors.append({"where": doc.id, "kind": "missed", "event": gold.text, "category": gold.category})
            continue
        event = events[paired[i]]
        score_arguments(gold, event, entities, report, doc.id)
        score_point_in_time(gold, event, times, report)
    score_times(doc, article, report)


def score_arguments(gold: NerelEvent, event, entities: dict, report: NerelReport, where: str) -> None:
    actors = [entities[i] for i in dict.fromkeys(event.source + event.target + event.participants) if i in entities]
    extents = [[(m.start, m.end) for m in actor.mentions] for actor in actors]
    if not gold.arguments:  # nothing to judge letopis's actors by (often a repeated mention of the event)
        report.events_without_arguments += 1
        report.actors_set_aside += len(actors)
        return
    found = 0
    for start, end, relation in gold.arguments:
        hit = any(shares((start, end), extent) for actor in extents for extent in actor)
        bump(report.by_relation, relation, hit)
        found += hit
    right = sum(1 for actor in extents if any(shares((s, e), x) for s, e, _ in gold.arguments for x in actor))
    report.arguments += Counts(found, len(actors) - right, len(gold.arguments) - found)
    if found < len(gold.arguments) or right < len(actors):
        report.errors.append({"where": where, "kind": "participants", "event": gold.text, "trigger": event.trigger,
                              "gold": [s for s, _, _ in gold.arguments], "letopis": [a.name for a in actors]})


def score_point_in_time(gold: NerelEvent, event, times: dict, report: NerelReport) -> None:
    found = times.get(event.time)
    for start, end, _ in gold.times:
        report.point_in_time[2] += 1
        report.point_in_time[1] += found is not None
        report.point_in_time[0] += bool(found and shares((start, end), (found.start, found.end)))


def score_times(doc: NerelDoc, article: Article, report: NerelReport) -> None:
    expressions = [t for t in article.times if not on_age((t.start, t.end), doc)]
    report.times_set_aside += len(article.times) - len(expressions)
    predicted = [(t.start, t.end) for t in expressions]
    pairs = pair_spans([s[:2] for s in doc.times], predicted)
    report.times += Counts(len(pairs), len(predicted) - len(pairs), len(doc.times) - len(pairs))
    exact = sum(1 for i, j in pairs
                if strip_span(doc.text, *doc.times[i][:2]) == strip_span(doc.text, *predicted[j]))
    report.times_exact += Counts(exact, len(predicted) - exact, len(doc.times) - exact)
    found, used = {i for i, _ in pairs}, {j for _, j in pairs}
    for i, (start, end, label) in enumerate(doc.times):
        bump(report.times_by_type, label, i in found)
        if i not in found:
            report.errors.append({"where": doc.id, "kind": "time missed", "type": label, "text": doc.text[start:end]})
    for j, expression in enumerate(expressions):
        if j not in used:
            report.errors.append({"where": doc.id, "kind": "time false", "text": expression.text,
                                  "value": expression.value, "rule": expression.rule})


def on_age(span: tuple[int, int], doc: NerelDoc) -> bool:
    """On an AGE mention and no DATE or TIME: an age, which NEREL does not count as a time."""
    return any(shares(span, age[:2]) for age in doc.ages) and not any(shares(span, t[:2]) for t in doc.times)


def evaluate_nerel(path: str | Path, models=None, pipeline=None, limit: int | None = None) -> NerelReport:
    """Run letopis (the events pipeline, times included) over NEREL documents and score it."""
    from ..record import Meta, new_article
    from .events import events_pipeline

    docs = read_nerel_events(path, limit)
    report = NerelReport(str(path))
    articles = [new_article(doc.text, Meta(input=doc.id, lang="ru", input_format="txt")) for doc in docs]
    pipeline = pipeline or events_pipeline(models)
    started = time.perf_counter()
    results = list(pipeline.run(articles))
    report.seconds = time.perf_counter() - started
    for doc, article, result in zip(docs, articles, results):
        if article.text != doc.text:
            report.problems.append(f"{doc.id}: the text changed on input; not scored")
        elif isinstance(result, Article):
            score_doc(doc, result, report)
        else:
            report.problems.append(f"{doc.id}: failed ({getattr(result, 'reason', result)})")
            score_doc(doc, new_article(doc.text, Meta(input=doc.id, lang="ru")), report)
    return report


# --- the tables -------------------------------------------------------------------------


def prf(counts: Counts) -> str:
    return (f"P {counts.precision:.3f}  R {counts.recall:.3f}  F1 {counts.f1:.3f}  "
            f"(TP {counts.tp} FP {counts.fp} FN {counts.fn})")


def share(found: int, gold: int) -> str:
    return f"{found}/{gold} = {found / gold:.3f}" if gold else f"{found}/0"


def render_header(report: NerelReport, command: str) -> list[str]:
    return [f"letopis eval {command} --format nerel: {report.path}, {report.documents} documents, "
            f"{report.chars:,} chars, {report.seconds:.1f} s"] + [f"problem: {p}" for p in report.problems]


def render_events(report: NerelReport, errors: bool = False) -> str:
    in_scope = sum(g for _, g in report.in_scope.values())
    lines = render_header(report, "events") + [
        f"NEREL EVENT mentions: {report.gold_events}, {in_scope} in PLOVER scope; letopis events: "
        f"{report.predicted_events}",
        f"triggers, all EVENTs:      {prf(report.triggers)}",
        f"triggers, in-scope recall: {share(report.scoped.tp, report.scoped.tp + report.scoped.fn)}",
        "  by category: " + ", ".join(f"{k} {f}/{g}" for k, (f, g) in sorted(report.in_scope.items())),
        "  unpaired letopis events by type: "
        + ", ".join(f"{k} {n}" for k, n in sorted(report.false_by_type.items(), key=lambda kv: -kv[1])),
        f"participants on paired events (PARTICIPANT_IN + AGENT): {prf(report.arguments)}",
        "  recall by relation: " + ", ".join(f"{k} {share(f, g)}" for k, (f, g) in sorted(report.by_relation.items())),
        f"  paired EVENTs without gold participants, not scored: {report.events_without_arguments} "
        f"({report.actors_set_aside} letopis actors set aside)",
        render_point_in_time(report),
        "no status, no PLOVER type: NEREL annotates neither",
    ]
    return "\n".join(lines + render_errors(report, errors, time=False))


def render_point_in_time(report: NerelReport) -> str:
    right, attached, paired, total = report.point_in_time
    return (f"POINT_IN_TIME: {total} relations from EVENTs, {paired} from paired ones; letopis attaches a time "
            f"to {attached}, the gold one (overlap) {share(right, paired)}")


def render_times(report: NerelReport, errors: bool = False) -> str:
    lines = render_header(report, "times") + [
        f"outermost DATE/TIME mentions: {report.times.tp + report.times.fn}; letopis time expressions: "
        f"{report.times.tp + report.times.fp}",
        f"recognition (overlap): {prf(report.times)}",
        f"recognition (exact):   {prf(report.times_exact)}",
        f"  set aside: {report.times_set_aside} letopis expressions on AGE mentions (\"52 года\"); counted as "
        f"false, overlap P would be {raw_precision(report):.3f}",
        "  recall by type: " + ", ".join(f"{k} {share(f, g)}" for k, (f, g) in sorted(report.times_by_type.items())),
        render_point_in_time(report),
        "no value accuracy: NEREL does not normalize dates",
    ]
    return "\n".join(lines + render_errors(report, errors, time=True))


def raw_precision(report: NerelReport) -> float:
    predicted = report.times.tp + report.times.fp + report.times_set_aside
    return report.times.tp / predicted if predicted else 0.0


def render_errors(report: NerelReport, errors: bool, time: bool) -> list[str]:
    """The errors of events (time False) or of times (time True)."""
    chosen = [e for e in report.errors if e["kind"].startswith("time") == time]
    return ["", "errors:"] + [json.dumps(e, ensure_ascii=False) for e in chosen] if errors else []
