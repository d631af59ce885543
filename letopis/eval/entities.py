"""``letopis eval entities``: normal forms, clusters and cross-document links of
letopis's entities against SlavicNER and factRuEval-2016 (docs/eval.md).

- letopis: ``default_pipeline(models)`` over the documents, as in ``eval ner``; its
  named mentions (kinds ``name`` and ``metonymy``) are aligned one to one with the
  gold mentions of the same trimmed extent (``align``).
- natasha (the baseline): the classic natasha pipeline over each whole document
  (segment, morphology, syntax) and ``DocSpan.normalize(MorphVocab)`` on the very
  spans that were aligned; its clusters and cross-document links are "the same
  normal form and type is the same entity", as a natasha user would group them.

Scores, all over aligned mentions (both systems on the same mentions):

- normal forms: ``Mention.normal`` against the gold base form (``normal_agrees``);
- clusters within a document: B-cubed, LEA and pairwise merge precision and recall
  (``bcubed``, ``lea``, ``pair_counts``), wrong merges of two gold persons listed;
- cross-document links: pairs of mentions in two documents, "same ``Entity.key``"
  against "same gold id", counted exactly (``cross_document_pairs``), for ru, uk and
  ru-uk pairs (SlavicNER ids are shared across documents and languages).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from .. import __version__
from ..record import Article
from .datasets import DatasetError, GoldDoc, read_dataset
from .ner import PREDICTED_TYPES, doc_article, mention_type
from .score import STRIP, strip_span

Progress = Callable[[str, int], object]
ENTITY_FORMATS = ("slavicner", "factru")
SYSTEMS = ("letopis", "natasha")
SYSTEM_TITLES = {"letopis": "letopis", "natasha": "natasha (baseline)"}
NAMED_KINDS = ("name", "metonymy")  # role and pronoun mentions have no gold here
EXAMPLES = 200  # error examples kept in the report, per kind


# --- aligned mentions -------------------------------------------------------------


@dataclass
class Item:
    """A gold mention with the letopis mention aligned to it (the unit of every score)."""

    doc: str
    lang: str
    text: str  # the gold surface
    type: str  # the gold type (PER, ORG, LOC, or PRO, EVT, Project)
    lemma: str | None  # the gold base form of this extent
    gold: str | None  # the gold entity (None: unknown, left out of clusters and links)
    normal: dict[str, str | None] = field(default_factory=dict)  # system -> normal form
    cluster: dict[str, str] = field(default_factory=dict)  # system -> cluster within the document
    key: dict[str, str] = field(default_factory=dict)  # system -> key across documents
    link: str | None = None  # letopis: Mention.link
    ner_type: str | None = None  # letopis: the recognizer's type
    start: int = 0
    end: int = 0


@dataclass
class Predicted:
    start: int  # trimmed
    end: int
    type: str | None  # PER, ORG, LOC (GPE as LOC)
    normal: str | None
    ner_type: str | None
    link: str | None
    entity: str  # Entity.id
    name: str  # Entity.name
    key: str  # Entity.key


def predicted_mentions(article: Article) -> list[Predicted]:
    """letopis's named mentions, trimmed as in ``eval ner``; one per extent."""
    found: dict[tuple[int, int], Predicted] = {}
    for entity in article.entities:
        for mention in entity.mentions:
            if mention.kind not in NAMED_KINDS:
                continue
            start, end = strip_span(article.text, mention.start, mention.end)
            found.setdefault((start, end), Predicted(
                start, end, PREDICTED_TYPES.get(mention_type(entity, mention) or ""), mention.normal,
                mention.ner_type, mention.link, entity.id, entity.name, entity.key or entity.name))
    return sorted(found.values(), key=lambda p: (p.start, p.end))


def align(doc: GoldDoc, predicted: list[Predicted]) -> list[tuple[int, str | None, Predicted]]:
    """(gold index, gold base form of the extent, prediction), one to one.

    A prediction aligns with a gold mention whose trimmed extent is its own: the
    mention's extent first, then its alternatives (factRuEval name spans); a gold
    mention of the prediction's type first.
    """
    at: dict[tuple[int, int], list[tuple[int, int, str | None]]] = defaultdict(list)
    for index, mention in enumerate(doc.entities):
        for rank, (start, end, lemma) in enumerate(mention.extents()):
            at[strip_span(doc.text, start, end)].append((min(rank, 1), index, lemma))
    taken: set[int] = set()
    pairs = []
    for prediction in predicted:
        candidates = sorted(
            (rank, doc.entities[index].type != prediction.type, index, lemma)
            for rank, index, lemma in at.get((prediction.start, prediction.end), []) if index not in taken)
        if candidates:
            _, _, index, lemma = candidates[0]
            taken.add(index)
            pairs.append((index, lemma, prediction))
    return sorted(pairs, key=lambda pair: pair[0])


def make_items(doc: GoldDoc, predicted: list[Predicted]) -> list[Item]:
    items = []
    for index, lemma, p in align(doc, predicted):
        gold = doc.entities[index]
        items.append(Item(
            doc.id, doc.lang, doc.text[gold.start:gold.end], gold.type, lemma, gold_id(gold.entity),
            normal={"letopis": p.normal}, cluster={"letopis": p.entity}, key={"letopis": p.key},
            link=p.link, ner_type=p.ner_type, start=p.start, end=p.end))
    return items


def gold_id(entity: str | None) -> str | None:
    """Gold ids compared in lower case: SlavicNER spells some ids two ways within one
    document ("GPE-Irkutsk-region", "GPE-Irkutsk-Region")."""
    return entity.lower() if entity else None


# --- the scores (pure functions) --------------------------------------------------


def fold_form(text: str | None, case: bool = True) -> str:
    """A form as compared: edges trimmed as spans are, typography folded, ё = е,
    white space collapsed; lower case unless ``case``."""
    from ..nlp import fold_typography

    text = " ".join(fold_typography(text or "").strip(STRIP).split()).replace("ё", "е").replace("Ё", "Е")
    return text if case else text.lower()


def normal_agrees(predicted: str | None, gold: str) -> tuple[bool, bool]:
    """(same form, same form ignoring case); ё = е in both."""
    if predicted is None:
        return False, False
    return (fold_form(predicted) == fold_form(gold),
            fold_form(predicted, case=False) == fold_form(gold, case=False))


def cluster_key(type_: str | None, normal: str | None) -> str:
    """The baseline's entity: type and normal form (lower case, ё = е)."""
    return f"{type_}:{fold_form(normal, case=False)}"


Labels = list[tuple[str, str]]  # (gold entity, predicted cluster) per mention of one document


def bcubed(labels: Labels) -> tuple[float, float, int]:
    """(sum of per-mention precisions, sum of recalls, mentions) for one document.

    Precision of a mention: the share of its predicted cluster in its gold cluster;
    recall: the share of its gold cluster in its predicted cluster. Sum over documents
    and divide by the mentions for the micro average."""
    gold_size = Counter(g for g, _ in labels)
    predicted_size = Counter(p for _, p in labels)
    both = Counter(labels)
    precision = sum(both[(g, p)] / predicted_size[p] for g, p in labels)
    recall = sum(both[(g, p)] / gold_size[g] for g, p in labels)
    return precision, recall, len(labels)


def lea(labels: Labels) -> tuple[float, int, float, int]:
    """LEA (Moosavi and Strube 2016), with singletons: (precision numerator,
    denominator, recall numerator, denominator) for one document.

    An entity of n mentions has n(n-1)/2 links and weighs n; its resolution is the
    share of its links found in the other side's clusters. A singleton has one
    self-link, found when the other side has it as a singleton too."""
    return (*lea_side(labels, flip=True), *lea_side(labels, flip=False))


def lea_side(labels: Labels, flip: bool) -> tuple[float, int]:
    pairs = [(p, g) for g, p in labels] if flip else labels
    key_size = Counter(k for k, _ in pairs)
    response_size = Counter(r for _, r in pairs)
    both = Counter(pairs)
    numerator = 0.0
    for key, size in key_size.items():
        if size == 1:
            response = next(r for k, r in pairs if k == key)
            numerator += 1.0 if response_size[response] == 1 else 0.0
        else:
            found = sum(links(n) for (k, _), n in both.items() if k == key)
            numerator += size * found / links(size)
    return numerator, len(pairs)


def links(n: int) -> int:
    return n * (n - 1) // 2


def pair_counts(labels: Labels) -> tuple[int, int, int]:
    """(pairs in one predicted and one gold cluster, pairs in one predicted cluster,
    pairs in one gold cluster) for one document. Merge precision is the first over
    the second; merge recall the first over the third."""
    return (sum(links(n) for n in Counter(labels).values()),
            sum(links(n) for n in Counter(p for _, p in labels).values()),
            sum(links(n) for n in Counter(g for g, _ in labels).values()))


Unit = tuple[str, str, str, str]  # (document, language, gold entity, predicted key)


def cross_document_pairs(units: list[Unit]) -> dict[str, tuple[int, int, int]]:
    """Pairs of mentions in two different documents, by languages ("ru", "uk",
    "ru-uk"): (pairs with the same key and the same gold id, pairs with the same
    key, pairs with the same gold id). Counted exactly from the cells of the
    contingency table: all pairs, no sampling."""
    cells = {"both": Counter(), "key": Counter(), "gold": Counter()}
    for doc, lang, gold, key in units:
        for name, cell in (("both", (gold, key)), ("key", key), ("gold", gold)):
            cells[name][(cell, lang, doc)] += 1
    langs = sorted({lang for _, lang, _, _ in units})
    scopes = [(a, a) for a in langs] + [(a, b) for i, a in enumerate(langs) for b in langs[i + 1:]]
    result = {}
    for a, b in scopes:
        name = a if a == b else f"{a}-{b}"
        result[name] = tuple(pairs_across(cells[kind], a, b) for kind in ("both", "key", "gold"))
    return result


def pairs_across(cells: Counter, a: str, b: str) -> int:
    """Pairs within each cell whose two mentions are in two documents, one in
    language ``a`` and one in ``b``."""
    total: dict[tuple, Counter] = defaultdict(Counter)  # cell -> language -> mentions
    same_doc: dict[tuple, int] = defaultdict(int)  # cell -> pairs within one document of language a
    for (cell, lang, _), n in cells.items():
        total[cell][lang] += n
        if lang == a:
            same_doc[cell] += links(n)
    if a == b:
        return sum(links(by_lang[a]) - same_doc[cell] for cell, by_lang in total.items())
    return sum(by_lang[a] * by_lang[b] for by_lang in total.values())


def person_merges(items: list[Item], system: str) -> list[dict]:
    """Wrong merges of two people: pairs of mentions of two gold persons in one
    predicted cluster, one example per pair of gold entities and document."""
    seen, found = set(), []
    clusters: dict[tuple[str, str], list[Item]] = defaultdict(list)
    for item in items:
        if item.gold is not None:
            clusters[(item.doc, item.cluster[system])].append(item)
    for (doc, cluster), members in clusters.items():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if a.type == b.type == "PER" and a.gold != b.gold:
                    pair = (doc, *sorted((a.gold, b.gold)))
                    if pair not in seen:
                        seen.add(pair)
                        found.append({"doc": doc, "cluster": cluster, "a": a.text, "a_gold": a.gold,
                                      "a_link": a.link, "b": b.text, "b_gold": b.gold, "b_link": b.link})
    return found


def person_merge_pairs(items: list[Item], system: str) -> int:
    """How many pairs of mentions of two different gold persons share a predicted cluster."""
    count = 0
    clusters: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for item in items:
        if item.gold is not None and item.type == "PER":
            clusters[(item.doc, item.cluster[system])][item.gold] += 1
    for counter in clusters.values():
        total = sum(counter.values())
        count += links(total) - sum(links(n) for n in counter.values())
    return count


# --- scoring the items ------------------------------------------------------------


def ratio(a: float, b: float) -> float:
    return a / b if b else 0.0


def f_beta(p: float, r: float, beta: float = 1.0) -> float:
    b2 = beta * beta
    return (1 + b2) * p * r / (b2 * p + r) if p + r else 0.0


def score_normals(items: list[Item], system: str) -> dict:
    """Normal-form accuracy over aligned mentions with a gold base form, by type."""
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for item in items:
        if item.lemma is None:
            continue
        same, same_ignoring_case = normal_agrees(item.normal.get(system), item.lemma)
        for type_ in (item.type, "total"):
            by_type[type_][0] += 1
            by_type[type_][1] += same
            by_type[type_][2] += same_ignoring_case
    order = [t for t in ("PER", "ORG", "LOC") if t in by_type] + sorted(set(by_type) - {"PER", "ORG", "LOC", "total"})
    return {t: {"mentions": by_type[t][0], "accuracy": round(ratio(by_type[t][1], by_type[t][0]), 4),
                "accuracy_ignoring_case": round(ratio(by_type[t][2], by_type[t][0]), 4)}
            for t in [*order, "total"] if t in by_type}


def score_clusters(items: list[Item], system: str) -> dict:
    """B-cubed, LEA and pairwise merge scores, micro-averaged over documents.

    ``wrong_with_metonymy``: the wrong pairs that hold a letopis metonymy mention
    ("Анкарой" moved to Turkey): the gold annotates a capital as itself."""
    by_doc: dict[str, Labels] = defaultdict(list)
    plain: dict[str, Labels] = defaultdict(list)  # without metonymy mentions ("Москвой" as Russia)
    for item in items:
        if item.gold is not None:
            by_doc[item.doc].append((item.gold, item.cluster[system]))
            if item.link != "metonymy" or system != "letopis":
                plain[item.doc].append((item.gold, item.cluster[system]))
    b3 = [0.0, 0.0, 0]
    lea_sums = [0.0, 0, 0.0, 0]
    pairs = [0, 0, 0]
    for labels in by_doc.values():
        b3 = [x + y for x, y in zip(b3, bcubed(labels))]
        lea_sums = [x + y for x, y in zip(lea_sums, lea(labels))]
        pairs = [x + y for x, y in zip(pairs, pair_counts(labels))]
    plain_pairs = [sum(x) for x in zip(*(pair_counts(labels) for labels in plain.values()))] or [0, 0, 0]
    b3_p, b3_r = ratio(b3[0], b3[2]), ratio(b3[1], b3[2])
    lea_p, lea_r = ratio(lea_sums[0], lea_sums[1]), ratio(lea_sums[2], lea_sums[3])
    merge_p, merge_r = ratio(pairs[0], pairs[1]), ratio(pairs[0], pairs[2])
    return {
        "mentions": b3[2], "documents": len(by_doc),
        "bcubed": {"precision": round(b3_p, 4), "recall": round(b3_r, 4), "f1": round(f_beta(b3_p, b3_r), 4)},
        "lea": {"precision": round(lea_p, 4), "recall": round(lea_r, 4), "f1": round(f_beta(lea_p, lea_r), 4)},
        "merges": {"precision": round(merge_p, 4), "recall": round(merge_r, 4),
                   "f1": round(f_beta(merge_p, merge_r), 4), "f0.5": round(f_beta(merge_p, merge_r, 0.5), 4),
                   "right": pairs[0], "predicted": pairs[1], "gold": pairs[2], "wrong": pairs[1] - pairs[0],
                   "wrong_with_metonymy": pairs[1] - pairs[0] - (plain_pairs[1] - plain_pairs[0]),
                   "wrong_person_pairs": person_merge_pairs(items, system)},
    }


def score_links(items: list[Item], system: str) -> dict:
    units = [(i.doc, i.lang, i.gold, i.key[system]) for i in items if i.gold is not None]
    result = {}
    for scope, (right, predicted, gold) in cross_document_pairs(units).items():
        p, r = ratio(right, predicted), ratio(right, gold)
        result[scope] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f_beta(p, r), 4),
                         "right": right, "predicted": predicted, "gold": gold}
    return result


# --- running ----------------------------------------------------------------------


@dataclass
class EntitiesReport:
    dataset: str
    path: str
    lang: str
    documents: int
    chars: int
    gold: dict  # mentions by type, with a base form, with an entity
    aligned: dict  # gold and predicted mentions aligned
    systems: dict  # system -> {"normal": {scope: ...}, "clusters": {scope: ...}, "links": {...}}
    seconds: dict  # system -> seconds
    stages: dict = field(default_factory=dict)
    versions: dict = field(default_factory=dict)
    failed: dict = field(default_factory=dict)
    gazetteer: bool = False
    errors: dict = field(default_factory=dict)  # examples for inspection
    measured: str = field(default_factory=lambda: datetime.now().isoformat(timespec="seconds"))

    def to_dict(self) -> dict:
        return {"task": "entities", "measured": self.measured, "letopis": __version__,
                "dataset": self.dataset, "path": self.path, "lang": self.lang,
                "documents": self.documents, "chars": self.chars, "gazetteer": self.gazetteer,
                "gold": self.gold, "aligned": self.aligned, "systems": self.systems,
                "seconds": {k: round(v, 2) for k, v in self.seconds.items()},
                "stages": {k: round(v, 2) for k, v in self.stages.items()}, "versions": self.versions,
                "failed": self.failed, "errors": self.errors}


def run_letopis(docs: list[GoldDoc], models, batch_size: int = 32, gazetteer=None,
                progress: Progress | None = None):
    """(items per document, seconds, failures, stage seconds, versions, predicted mentions)."""
    from ..pipeline import default_pipeline

    pipeline = default_pipeline(models, batch_size=batch_size, gazetteer=gazetteer)
    bar = progress("letopis", len(docs)) if progress else None
    items, failed, predicted_total = [], {}, Counter()
    started = time.perf_counter()
    for doc, result in zip(docs, pipeline.run(doc_article(doc) for doc in docs)):
        predicted = predicted_mentions(result) if isinstance(result, Article) else []
        if not isinstance(result, Article):
            failed[doc.id] = f"{result.stage}: {result.detail}"
        predicted_total[doc.lang] += len(predicted)
        items.append(make_items(doc, predicted))
        if bar:
            bar.update(1)
    seconds = time.perf_counter() - started
    if bar:
        bar.close()
    versions = {stage.name: stage.version for stage in pipeline.stages}
    return items, seconds, failed, dict(pipeline.stats), versions, predicted_total


def run_natasha(docs: list[GoldDoc], items: list[list[Item]], models, progress: Progress | None = None) -> float:
    """natasha's normal forms of the aligned spans, from its classic pipeline over each
    document; the baseline's clusters and keys are its type and normal form."""
    from natasha import Doc, Segmenter
    from natasha.doc import DocSpan

    segmenter = Segmenter()
    bar = progress("natasha", len(docs)) if progress else None
    started = time.perf_counter()
    for doc, doc_items in zip(docs, items):
        if doc_items:
            natasha_doc = Doc(doc.text)
            natasha_doc.segment(segmenter)
            natasha_doc.tag_morph(models.morph)
            natasha_doc.parse_syntax(models.syntax)
            for item in doc_items:
                tokens = [t for t in natasha_doc.tokens if item.start <= t.start and t.stop <= item.end]
                span = DocSpan(item.start, item.end, item.ner_type, doc.text[item.start:item.end], tokens=tokens)
                item.normal["natasha"] = natasha_normal(span, models.vocab)
        for item in doc_items:
            key = cluster_key(item.ner_type, item.normal.get("natasha"))
            item.cluster["natasha"] = item.key["natasha"] = key
        if bar:
            bar.update(1)
    if bar:
        bar.close()
    return time.perf_counter() - started


def natasha_normal(span, vocab) -> str:
    if not span.tokens:
        return span.text
    try:
        span.normalize(vocab)
        return span.normal
    except Exception:  # noqa: BLE001 - natasha fails on odd shapes; a natasha user keeps the text
        return span.text


def gold_summary(docs: list[GoldDoc]) -> dict:
    mentions, with_lemma, with_entity = Counter(), Counter(), Counter()
    for doc in docs:
        for m in doc.entities:
            mentions[m.type] += 1
            with_lemma[m.type] += any(lemma is not None for _, _, lemma in m.extents())
            with_entity[m.type] += m.entity is not None
    return {"mentions": dict(mentions), "with_base_form": dict(with_lemma), "with_entity": dict(with_entity)}


def alignment_summary(docs: list[GoldDoc], items: list[list[Item]], predicted: Counter) -> dict:
    gold, aligned = Counter(), Counter()
    for doc, doc_items in zip(docs, items):
        for m in doc.entities:
            gold[(doc.lang, m.type)] += 1
        for item in doc_items:
            aligned[(item.lang, item.type)] += 1
    result = {}
    for lang in sorted({lang for lang, _ in gold}):
        types = {t: {"gold": gold[(lang, t)], "aligned": aligned[(lang, t)],
                     "share": round(ratio(aligned[(lang, t)], gold[(lang, t)]), 4)}
                 for t in sorted({t for l, t in gold if l == lang})}
        total_gold = sum(gold[(lang, t)] for t in types)
        total_aligned = sum(aligned[(lang, t)] for t in types)
        result[lang] = {"types": types, "gold": total_gold, "aligned": total_aligned,
                        "share_of_gold": round(ratio(total_aligned, total_gold), 4),
                        "predicted": predicted[lang],
                        "share_of_predicted": round(ratio(total_aligned, predicted[lang]), 4)}
    return result


def scopes(items: list[Item]) -> dict[str, list[Item]]:
    """Per language, and all together when there are two."""
    by_lang: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_lang[item.lang].append(item)
    return {**dict(sorted(by_lang.items())), **({"all": items} if len(by_lang) > 1 else {})}


def score_system(items: list[Item], system: str, linking: bool) -> dict:
    return {
        "normal": {scope: score_normals(part, system) for scope, part in scopes(items).items()},
        "clusters": {scope: score_clusters(part, system) for scope, part in scopes(items).items()},
        "links": score_links(items, system) if linking else {},
    }


def error_examples(items: list[Item], systems: list[str]) -> dict:
    normal = [{"doc": i.doc, "type": i.type, "text": i.text, "gold": i.lemma,
               **{s: i.normal.get(s) for s in systems}, "link": i.link}
              for i in items if i.lemma is not None and not normal_agrees(i.normal.get("letopis"), i.lemma)[1]]
    return {"normal": normal[:EXAMPLES], "person_merges": person_merges(items, "letopis")[:EXAMPLES]}


def evaluate_entities(docs: list[GoldDoc], dataset: str, path: str = "", lang: str = "ru", models=None,
                      baseline: str = "natasha", batch_size: int = 32, gazetteer=None,
                      progress: Progress | None = None) -> EntitiesReport:
    """Run letopis (and natasha) over the documents and score the entities of both."""
    from ..nlp import shared_models

    models = models or shared_models()
    per_doc, seconds, failed, stages, versions, predicted = run_letopis(docs, models, batch_size, gazetteer, progress)
    timings = {"letopis": seconds}
    systems = ["letopis"]
    if baseline == "natasha":
        timings["natasha"] = run_natasha(docs, per_doc, models, progress)
        systems.append("natasha")
    items = [item for doc_items in per_doc for item in doc_items]
    linking = dataset == "slavicner"  # factRuEval's .coref groups are per document
    return EntitiesReport(
        dataset, path, lang, len(docs), sum(len(d.text) for d in docs), gold_summary(docs),
        alignment_summary(docs, per_doc, predicted), {s: score_system(items, s, linking) for s in systems},
        timings, stages, versions, failed, gazetteer is not None, error_examples(items, systems))


# --- the command ------------------------------------------------------------------


def add_entities_parser(tasks) -> None:
    parser = tasks.add_parser(
        "entities", help="normal forms, clusters and cross-document links: letopis vs natasha",
        description="Run the letopis pipeline over SlavicNER or factRuEval-2016 and score its entities' "
                    "normal forms, clusters (B-cubed, LEA, merge precision) and cross-document links "
                    "beside natasha's normal forms. See docs/eval.md.")
    parser.add_argument("path", metavar="PATH", nargs="?",
                        help="the dataset folder (default: ../shared/data/slavicner or "
                             "../shared/data/factRuEval-2016/devset)")
    parser.add_argument("--format", required=True, choices=ENTITY_FORMATS, help="the dataset's format")
    parser.add_argument("--lang", choices=["ru", "uk", "all"], default="ru",
                        help="slavicner documents: ru, uk, or all (both, and ru-uk links); default: ru")
    parser.add_argument("--limit", type=int, metavar="N",
                        help="only the first N documents (of each language with --lang all)")
    parser.add_argument("--baseline", choices=["natasha", "none"], default="natasha",
                        help="also score natasha's own normal forms of the same spans (default: natasha)")
    if gazetteer_available():
        parser.add_argument("--gazetteer", action=argparse.BooleanOptionalAction, default=False,
                            help="run the resolver with the gazetteer (default: without)")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="also print N examples of normal-form errors and of wrong person merges")
    parser.add_argument("--batch-size", type=int, default=32, metavar="N",
                        help="articles the pipeline analyses together (default: 32)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON (examples included)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    parser.set_defaults(func=run_eval_entities)


def gazetteer_available() -> bool:
    """The resolver's gazetteer (letopis.gazetteer), where this checkout has one."""
    import importlib.util

    try:
        return importlib.util.find_spec("letopis.gazetteer") is not None
    except (ImportError, ValueError):
        return False


def load_gazetteer():
    from .. import gazetteer  # type: ignore[attr-defined]

    for name in ("shared_gazetteer", "load_gazetteer"):  # the shipped entries, loaded once
        if callable(getattr(gazetteer, name, None)):
            return getattr(gazetteer, name)()
    raise DatasetError("letopis.gazetteer has no loader (shared_gazetteer, load_gazetteer)")


DEFAULT_PATHS = {"slavicner": "../shared/data/slavicner", "factru": "../shared/data/factRuEval-2016/devset"}


def read_entity_docs(args) -> list[GoldDoc]:
    path = args.path or DEFAULT_PATHS[args.format]
    langs = ["ru", "uk"] if args.lang == "all" else [args.lang]
    return [doc for lang in langs for doc in read_dataset(args.format, path, lang=lang, limit=args.limit)]


def run_eval_entities(args) -> int:
    from .cli import progress_factory

    if args.lang != "ru" and args.format != "slavicner":
        print(f"letopis eval: {args.format} is Russian only; --lang applies to slavicner", file=sys.stderr)
        return 2
    try:
        docs = read_entity_docs(args)
        gazetteer = load_gazetteer() if getattr(args, "gazetteer", False) else None
    except DatasetError as error:
        print(f"letopis eval: {error}", file=sys.stderr)
        return 1
    report = evaluate_entities(docs, args.format, str(args.path or DEFAULT_PATHS[args.format]), args.lang,
                               baseline=args.baseline, batch_size=args.batch_size, gazetteer=gazetteer,
                               progress=progress_factory(args))
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_entities_report(report, args.errors))
    return 0


# --- the tables -------------------------------------------------------------------


def render_entities_report(report: EntitiesReport, errors: int = 0) -> str:
    systems = list(report.systems)
    gold = ", ".join(f"{t} {n:,}" for t, n in report.gold["mentions"].items())
    lines = [
        f"letopis eval entities: {report.dataset} {report.path} ({report.lang}), {report.documents:,} documents, "
        f"{report.chars:,} chars, gazetteer {'on' if report.gazetteer else 'off'}",
        f"gold mentions: {gold}",
    ]
    for lang, a in report.aligned.items():
        lines.append(f"aligned ({lang}): {a['aligned']:,} of {a['gold']:,} gold mentions ({a['share_of_gold']:.1%}), "
                     f"of {a['predicted']:,} letopis named mentions ({a['share_of_predicted']:.1%}); by type: "
                     + ", ".join(f"{t} {v['share']:.1%}" for t, v in a["types"].items()))
    head = " | ".join(f"{SYSTEM_TITLES[s]:<22}" for s in systems)
    lines += ["", f"{'normal forms':<16}{'n':>7}  {head}",
              f"{'':<16}{'':>7}  " + " | ".join(f"{'exact':>10} {'any case':>11}" for _ in systems)]
    first = report.systems[systems[0]]["normal"]
    for scope, by_type in first.items():
        for type_, row in by_type.items():
            cells = [report.systems[s]["normal"][scope].get(type_, {}) for s in systems]
            lines.append(f"{scope + ' ' + type_:<16}{row['mentions']:>7,}  " + " | ".join(
                f"{c.get('accuracy', 0):>10.3f} {c.get('accuracy_ignoring_case', 0):>11.3f}" for c in cells))
    lines += ["", f"{'clusters':<28}{'n':>7}  {'B3 P':>6} {'R':>6} {'F1':>6}  {'LEA P':>6} {'R':>6} {'F1':>6}  "
                  f"{'merge P':>7} {'R':>6} {'F0.5':>6}  {'wrong':>6} {'meton.':>6} {'PER-PER':>7}"]
    for scope in first_clusters(report):
        for s in systems:
            c = report.systems[s]["clusters"][scope]
            b, l, m = c["bcubed"], c["lea"], c["merges"]
            lines.append(f"{scope + ' ' + SYSTEM_TITLES[s]:<28}{c['mentions']:>7,}  {prf(b)}  {prf(l)}  "
                         f"{m['precision']:>7.3f} {m['recall']:>6.3f} {m['f0.5']:>6.3f}  {m['wrong']:>6,} "
                         f"{m['wrong_with_metonymy']:>6,} {m['wrong_person_pairs']:>7,}")
    links = report.systems[systems[0]]["links"]
    if links:
        lines += ["", f"{'links across documents':<28}{'gold pairs':>14}  {'P':>6} {'R':>6} {'F1':>6}"]
        for scope, row in links.items():
            for s in systems:
                lines.append(f"{scope + ' ' + SYSTEM_TITLES[s]:<28}{row['gold']:>14,}  "
                             f"{prf(report.systems[s]['links'][scope])}")
    lines.append("")
    lines.append(", ".join(f"{SYSTEM_TITLES[s]}: {report.seconds[s]:.1f} s" for s in systems)
                 + f"; {len(report.failed)} documents failed in letopis")
    if report.stages:
        lines.append("letopis time by stage: " + ", ".join(
            f"{name}@{report.versions.get(name, '?')} {s:.1f} s" for name, s in report.stages.items()))
    if errors:
        lines += render_errors(report, errors)
    return "\n".join(lines)


def prf(c: dict) -> str:
    return f"{c['precision']:>6.3f} {c['recall']:>6.3f} {c['f1']:>6.3f}"


def first_clusters(report: EntitiesReport) -> dict:
    return next(iter(report.systems.values()))["clusters"]


def render_errors(report: EntitiesReport, n: int) -> list[str]:
    lines = ["", f"normal-form errors of letopis (first {n}): text -> letopis | gold | natasha [link]"]
    for e in report.errors["normal"][:n]:
        lines.append(f"  {e['doc']} {e['type']}: {e['text']} -> {e['letopis']} | {e['gold']} | "
                     f"{e.get('natasha')} [{e['link']}]")
    lines.append(f"wrong merges of two persons by letopis (first {n}): a [link] + b [link]")
    for e in report.errors["person_merges"][:n]:
        lines.append(f"  {e['doc']}: {e['a']} ({e['a_gold']}) [{e['a_link']}] + {e['b']} ({e['b_gold']}) "
                     f"[{e['b_link']}]")
    return lines
