"""The quotes stage: every attributed statement of title, lead and body.

``extract_quotes(article)`` sets ``article.quotes``: direct, indirect and mixed speech
with the content span, the cue, the speaker words and — through the entity clusters
the resolver made — the speaker's entity id, the sentence span and the time said.
It needs sentences with tokens, morphology and syntax (the nlp stage) and entities;
``article.times``, when the time stage ran before, gives ``Quote.time``.

Modules: ``marks`` (quotation spans), ``doc`` (the article as the rules see it),
``direct``, ``indirect``, ``attribution``, ``headline`` (the rules), ``speaker`` (the
words that point to the speaker), ``entity`` (the entity they name), ``fragments``
(names and scare quotes in marks), ``rules`` (the ordered list and the steps after
it), ``lexicon`` (letopis/data/quotes/*). ``Quote.rule`` is "rule:cue class"
("cue_complement:emphasis"), for ``--explain``. Russian and Ukrainian; other
languages get no quotes.
"""

from __future__ import annotations

from ..record import Article
from .doc import make_doc
from .rules import RULES, find, to_quote

VERSION = "1.0"
LANGS = ("ru", "uk")

__all__ = ["VERSION", "RULES", "extract_quotes"]


def extract_quotes(article: Article) -> None:
    """Set ``article.quotes`` (ids q1, q2, … in text order)."""
    if article.meta.lang not in LANGS or not article.sentences:
        article.quotes = []
        return
    doc = make_doc(article)
    stage = f"quotes@{VERSION}"
    article.quotes = [to_quote(doc, item, number, stage) for number, item in enumerate(find(doc), 1)]
