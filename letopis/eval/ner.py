"""Entity recognition of letopis, and of slovnet alone, scored against gold documents.

- letopis: ``default_pipeline(models)`` over all the documents at once (it batches
  across them); its predictions are the named mentions of its entities: a ``name``
  mention with its entity's type (the resolver may retype it from the gazetteer), a
  ``metonymy`` mention ("Кремль" standing for Russia) with the recognizer's own type,
  GPE scored as LOC. Role and pronoun mentions are not named entities.
- slovnet alone (the baseline): natasha's ``NewsNERTagger`` — the very
  ``models.ner`` letopis uses — on each document's whole raw text, as natasha users
  call it.

A document that fails in letopis keeps its gold: all of it counts as missed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from .. import __version__
from ..record import Article, Entity, Mention, Meta, new_article
from .datasets import TYPES, GoldDoc
from .score import MODES, Counts, add_counts, count, drop_ignored, micro, strip_spans

Span = tuple[int, int, str]
PREDICTED_TYPES = {"PER": "PER", "ORG": "ORG", "LOC": "LOC", "GPE": "LOC"}

Progress = Callable[[str, int], object]  # (description, total) -> an object with update(n), close()


@dataclass
class Predictions:
    system: str
    spans: list[list[Span]]  # per document, in the order of the documents
    seconds: float
    failed: dict[str, str] = field(default_factory=dict)  # document id -> reason
    stages: dict[str, float] = field(default_factory=dict)  # seconds per pipeline stage
    versions: dict[str, str] = field(default_factory=dict)  # pipeline stage -> version


@dataclass
class SystemScore:
    system: str
    counts: dict[str, dict[str, Counts]]  # mode -> type -> counts
    seconds: float
    chars: int
    ignored: int = 0  # predictions set aside on ignored gold spans
    failed: dict[str, str] = field(default_factory=dict)
    stages: dict[str, float] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)

    @property
    def chars_per_second(self) -> float:
        return self.chars / self.seconds if self.seconds else 0.0

    def overall(self, mode: str = "exact") -> Counts:
        return micro(self.counts[mode], TYPES)

    def to_dict(self) -> dict:
        return {
            "seconds": round(self.seconds, 2), "chars_per_second": round(self.chars_per_second),
            "failed": self.failed, "ignored_predictions": self.ignored,
            "stages": {name: round(s, 2) for name, s in self.stages.items()},
            "versions": self.versions,
            **{mode: {**{t: self.counts[mode].get(t, Counts()).to_dict() for t in TYPES},
                      "overall": self.overall(mode).to_dict()} for mode in MODES},
        }


@dataclass
class NerReport:
    dataset: str
    path: str
    lang: str
    documents: int
    chars: int
    gold: dict  # scored mentions per type, ignored spans per label
    systems: list[SystemScore]
    measured: str = field(default_factory=lambda: datetime.now().isoformat(timespec="seconds"))

    def to_dict(self) -> dict:
        return {"task": "ner", "measured": self.measured, "letopis": __version__,
                "dataset": self.dataset, "path": self.path, "lang": self.lang,
                "documents": self.documents, "chars": self.chars, "gold": self.gold,
                "systems": {s.system: s.to_dict() for s in self.systems}}


# --- running the systems ----------------------------------------------------------


def article_mentions(article: Article) -> list[Span]:
    """letopis's named mentions of PER, ORG, LOC (GPE counted as LOC)."""
    spans = set()
    for entity in article.entities:
        for mention in entity.mentions:
            type_ = PREDICTED_TYPES.get(mention_type(entity, mention))
            if type_:
                spans.add((mention.start, mention.end, type_))
    return sorted(spans)


def mention_type(entity: Entity, mention: Mention) -> str | None:
    if mention.kind == "name":
        return entity.type
    if mention.kind == "metonymy":  # "Кремль" in Russia's entity is still an ORG or LOC name
        return mention.ner_type
    return None  # role, pronoun


def run_letopis(docs: list[GoldDoc], models, batch_size: int = 32,
                progress: Progress | None = None) -> Predictions:
    from ..pipeline import default_pipeline

    pipeline = default_pipeline(models, batch_size=batch_size)
    bar = progress("letopis", len(docs)) if progress else None
    articles = (doc_article(doc) for doc in docs)
    spans, failed = [], {}
    started = time.perf_counter()
    for doc, item in zip(docs, pipeline.run(articles)):
        if isinstance(item, Article):
            spans.append(article_mentions(item))
        else:
            spans.append([])
            failed[doc.id] = f"{item.stage}: {item.detail}"
        if bar:
            bar.update(1)
    seconds = time.perf_counter() - started
    if bar:
        bar.close()
    versions = {stage.name: stage.version for stage in pipeline.stages}
    return Predictions("letopis", spans, seconds, failed, dict(pipeline.stats), versions)


def doc_article(doc: GoldDoc) -> Article:
    article = new_article(doc.text, Meta(lang=doc.lang, input=doc.id, input_format="txt"))
    if article.text != doc.text:  # the readers fold line ends; offsets must hold
        raise ValueError(f"{doc.id}: the text changed on input; gold offsets would not line up")
    return article


def run_slovnet(docs: list[GoldDoc], models, progress: Progress | None = None) -> Predictions:
    """natasha's NER on each whole raw text (``models.ner.map``, batched as slovnet does)."""
    bar = progress("slovnet", len(docs)) if progress else None
    spans, failed = [], {}
    started = time.perf_counter()
    for doc, markup in zip(docs, tag_texts(models.ner, [doc.text for doc in docs])):
        if isinstance(markup, Exception):
            spans.append([])
            failed[doc.id] = f"slovnet: {markup}"
        else:
            spans.append(sorted((s.start, s.stop, s.type) for s in markup.spans if s.type in TYPES))
        if bar:
            bar.update(1)
    seconds = time.perf_counter() - started
    if bar:
        bar.close()
    return Predictions("slovnet", spans, seconds, failed)


def tag_texts(tagger, texts: list[str]):
    """Markups in order; where a batch fails, its texts again one by one (an error for each failure)."""
    size = getattr(tagger, "batch_size", 8)
    for first in range(0, len(texts), size):
        chunk = texts[first:first + size]
        try:
            yield from list(tagger.map(chunk))
        except Exception:
            for text in chunk:
                try:
                    yield tagger(text)
                except Exception as error:  # noqa: BLE001 - recorded as the document's failure
                    yield error


# --- scoring ----------------------------------------------------------------------


def score_predictions(docs: list[GoldDoc], predictions: Predictions) -> SystemScore:
    counts = {mode: {} for mode in MODES}
    ignored = 0
    for doc, predicted in zip(docs, predictions.spans):
        gold = strip_spans(doc.text, doc.mentions)
        kept, dropped = drop_ignored(strip_spans(doc.text, predicted), gold, strip_spans(doc.text, doc.ignored))
        ignored += dropped
        for mode in MODES:
            add_counts(counts[mode], count(gold, kept, mode))
    chars = sum(len(doc.text) for doc in docs)
    return SystemScore(predictions.system, counts, predictions.seconds, chars, ignored,
                       predictions.failed, predictions.stages, predictions.versions)


def gold_summary(docs: list[GoldDoc]) -> dict:
    mentions = {type_: 0 for type_ in TYPES}
    ignored: dict[str, int] = {}
    for doc in docs:
        for _, _, type_ in doc.mentions:
            mentions[type_] += 1
        for _, _, label in doc.ignored:
            ignored[label] = ignored.get(label, 0) + 1
    return {"mentions": mentions, "ignored": dict(sorted(ignored.items(), key=lambda kv: -kv[1]))}


def evaluate_ner(docs: list[GoldDoc], dataset: str, path: str = "", lang: str = "ru",
                 models=None, baseline: str = "slovnet", batch_size: int = 32,
                 progress: Progress | None = None) -> NerReport:
    """Run letopis (and the baseline) over the documents and score both."""
    from ..nlp import shared_models

    models = models or shared_models()
    runs = [run_letopis(docs, models, batch_size, progress)]
    if baseline == "slovnet":
        runs.append(run_slovnet(docs, models, progress))
    return NerReport(dataset, path, lang, len(docs), sum(len(d.text) for d in docs),
                     gold_summary(docs), [score_predictions(docs, run) for run in runs])
