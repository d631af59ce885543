"""The pipeline runner: stages composed in order over batches of articles.

Each stage has a name, a version, what it needs and what it sets (checked when the
pipeline is built), and either a per-article function or a batch function (NLP batches
across documents for speed). A stage that raises on a document turns that document
into a ``DocumentError`` naming the stage and the reason; the others go on. When a
batch function fails, the batch is rerun one article at a time so that only the
documents that really fail are dropped.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from . import langid, nlp, resolve
from .errors import DocumentError
from .record import Article, validate

Item = Article | DocumentError


@dataclass
class Stage:
    name: str
    version: str
    needs: tuple[str, ...]  # record parts the stage reads ("text", "zones", "meta.lang", ...)
    sets: tuple[str, ...]  # record parts the stage writes
    run: Callable[[Article], None] | None = None  # one article
    run_batch: Callable[[list[Article]], None] | None = None  # many articles at once

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def apply(self, articles: list[Article]) -> None:
        if self.run_batch is not None:
            self.run_batch(articles)
        else:
            for article in articles:
                self.run(article)


@dataclass
class Pipeline:
    stages: list[Stage]
    batch_size: int = 32  # articles per batch; NLP gains from larger batches
    check: bool = False  # validate every record after the last stage (tests, --check)
    stats: dict[str, float] = field(default_factory=dict)  # seconds per stage

    def __post_init__(self):
        check_stage_order(self.stages)

    def run(self, items: Iterable[Item]) -> Iterator[Item]:
        """Articles and errors in, articles and errors out, in input order."""
        batch: list[Item] = []
        for item in items:
            batch.append(item)
            if len(batch) >= self.batch_size:
                yield from self.run_batch(batch)
                batch = []
        if batch:
            yield from self.run_batch(batch)

    def run_batch(self, items: list[Item]) -> list[Item]:
        import time

        results: list[Item] = list(items)
        for stage in self.stages:
            live = [i for i, item in enumerate(results) if isinstance(item, Article)]
            if not live:
                break
            started = time.perf_counter()
            failures = apply_stage(stage, [results[i] for i in live])
            self.stats[stage.name] = self.stats.get(stage.name, 0.0) + time.perf_counter() - started
            for position, error in failures.items():
                results[live[position]] = error
        for i, item in enumerate(results):
            if isinstance(item, Article):
                item.stages.update({s.name: s.version for s in self.stages})
                if self.check:
                    problems = validate(item)
                    if problems:
                        results[i] = stage_error(item, "validate", "; ".join(problems[:5]))
        return results


def apply_stage(stage: Stage, articles: list[Article]) -> dict[int, DocumentError]:
    """Run a stage; return the documents that failed, by position in ``articles``."""
    try:
        stage.apply(articles)
        return {}
    except Exception:
        if len(articles) == 1:
            return {0: stage_error(articles[0], stage.label, traceback.format_exc(limit=3))}
    failures = {}
    for position, article in enumerate(articles):
        try:
            stage.apply([article])
        except Exception:
            failures[position] = stage_error(article, stage.label, traceback.format_exc(limit=3))
    return failures


def stage_error(article: Article, stage: str, detail: str) -> DocumentError:
    last_line = detail.strip().splitlines()[-1] if detail.strip() else detail
    return DocumentError(
        input=article.meta.input or "?", line=article.meta.input_line, stage=stage,
        reason="stage_failed", article_id=article.id,
        detail=f"{last_line} (a bug in letopis: please report it with this input)",
    )


def check_stage_order(stages: list[Stage]) -> None:
    """Every part a stage needs must be set by the input or an earlier stage."""
    available = {"text", "meta"}
    for stage in stages:
        missing = [need for need in stage.needs if need not in available]
        if missing:
            raise ValueError(f"stage {stage.label} needs {missing}, which no earlier stage sets")
        available.update(stage.sets)


# --- the default stages ------------------------------------------------------------


def clean_stage() -> Stage:
    from .clean import zones

    return Stage("clean", zones.VERSION, needs=("text",), sets=("zones", "meta.outlet"),
                 run=zones.zone_article)


def langid_stage() -> Stage:
    langid.warm_up()
    return Stage("langid", langid.VERSION, needs=("zones",), sets=("meta.lang",),
                 run=langid.identify_language)


def nlp_stage(models: nlp.NlpModels, gazetteer=None) -> Stage:
    """NLP over a batch, then entity resolution per article (it needs the NER mentions)."""
    def analyse(articles: list[Article]) -> None:
        mentions = nlp.analyse_articles(articles, models)
        for article, found in zip(articles, mentions):
            resolve.resolve_entities(article, found, nlp.phrase_normalizer(article, models), gazetteer)

    return Stage("nlp", f"{nlp.VERSION}+resolve{resolve.VERSION}",
                 needs=("zones", "meta.lang"), sets=("sentences", "entities"),
                 run_batch=analyse)


def times_stage() -> Stage:
    from . import times

    times.load()
    return Stage("times", times.VERSION, needs=("sentences",), sets=("times", "meta.published"),
                 run=times.extract_times)


def quotes_stage() -> Stage:
    from . import quotes

    return Stage("quotes", quotes.VERSION, needs=("sentences", "entities", "times"), sets=("quotes",),
                 run=quotes.extract_quotes)


def events_stage() -> Stage:
    from . import events

    return Stage("events", events.VERSION, needs=("sentences", "entities", "times", "quotes"),
                 sets=("events",), run=events.extract_events)


def shared_gazetteer():
    from .gazetteer import shared_gazetteer as load

    return load()


def default_pipeline(models: nlp.NlpModels | None = None, batch_size: int = 32,
                     check: bool = False, gazetteer="shipped") -> Pipeline:
    """clean -> langid -> nlp (+ entities) -> times -> quotes -> events.

    Loads the models if not given; ``gazetteer`` is "shipped" (the gazetteer in the
    package, loaded once), a loaded ``Gazetteer``, or None for no linking at all."""
    models = models or nlp.shared_models()
    if gazetteer == "shipped":
        gazetteer = shared_gazetteer()
    return Pipeline([clean_stage(), langid_stage(), nlp_stage(models, gazetteer), times_stage(),
                     quotes_stage(), events_stage()], batch_size=batch_size, check=check)
