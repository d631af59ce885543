"""The events stage: who met, agreed, demanded, threatened, sanctioned whom, where and when.

``extract_events(article)`` sets ``article.events``: PLOVER event frames (CONSULT, AGREE,
COOPERATE, SUPPORT, AID, REQUEST, DEMAND, ACCUSE, REJECT, THREATEN, PROTEST, SANCTION,
MOBILIZE, COERCE, ASSAULT, RETREAT, CONCEDE) with a subtype, the trigger span, the
actors (``source``/``target`` for directed events, ``participants`` for joint ones: entity
ids), the place (an entity id), the time (a TimeExpr id), the status (occurred, ongoing,
planned, possible, not_planned, denied, demanded, conditional), the speaker who reports
it (``reported_by``: the quote's speaker) and the rules that fired (``rule``).

It needs sentences with morphology and syntax and the entities (the nlp stage); it reads
``article.quotes`` and ``article.times`` when the quotes and time stages ran before.
Russian and Ukrainian; other languages get no events.

Modules: ``lexicon`` (letopis/data/events/*), ``doc`` (the article as the rules see it;
``uk_names`` mends the Ukrainian names the recognizer misses or glues, for the rules only),
``triggers``, ``participants``, ``uk_surface`` and ``actors`` (who), ``status``, ``setting`` (where and
when), ``enumerations`` (one mention, several events), ``rules`` (the steps in order),
``draft`` (the working record). Every entity gets its actor coding, ``Entity.country``
(ISO alpha-3 or an organization code) and ``Entity.sector``, for dyads (USA–RUS);
``actor_codes(article, event)`` lists them by event slot.
"""

from __future__ import annotations

from ..record import Article
from .actors import actor_codes, code_entities
from .doc import make_doc
from .rules import draft_events

VERSION = "1.0"
LANGS = ("ru", "uk")

__all__ = ["VERSION", "actor_codes", "explain_events", "extract_events"]


def extract_events(article: Article) -> None:
    """Set ``article.events`` (ids v1, v2, … in text order), and the actor coding of every
    entity (``Entity.country``, ``Entity.sector``), in any language."""
    doc = make_doc(article)
    code_entities(doc)
    if article.meta.lang not in LANGS or not article.sentences:
        article.events = []
        return
    drafts = sorted(draft_events(doc), key=lambda d: (d.start, d.end))
    stage = f"events@{VERSION}"
    article.events = [d.to_event(article.text, n, stage) for n, d in enumerate(drafts, 1)]


def explain_events(article: Article) -> list[str]:
    """One line per event: trigger, type, status, actors by name, and the rules that fired."""
    names = {e.id: e.name for e in article.entities}
    lines = []
    for event in article.events:
        who = "; ".join(f"{slot}={'+'.join(names.get(i, i) for i in getattr(event, slot))}"
                        for slot in ("source", "target", "participants") if getattr(event, slot))
        lines.append(f"{event.id} {event.type}/{event.subtype or '-'} {event.status} "
                     f"«{event.trigger}» {who} [{event.rule}]")
    return lines
