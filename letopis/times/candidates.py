"""Cheap candidate search: which token positions may start a time expression.

A sentence is worth matching only where it holds a word of the time lexicons or a
number (``lexicon.trigger_words``); the rules are then tried at those tokens and at
the few before them (a preposition, a modifier: "в начале нового года").
"""

from __future__ import annotations

import dataclasses

from .lexicon import fold, trigger_words, word_list
from .terms import Words

LOOKBACK = 5  # tokens before a trigger where an expression may start


def trigger_positions(tokens, lang: str) -> list[int]:
    """Positions of the tokens that are lexicon words (in lower case, with their ё and
    ’ spellings: no folding needed here) or numbers."""
    triggers = trigger_words(lang, spellings=True)
    return [i for i, token in enumerate(tokens)
            if token.text[:1].isdigit() or token.text.lower() in triggers]


def candidate_starts(words: Words, triggers: list[int]) -> list[int]:
    starts: set[int] = set()
    for i in triggers:
        starts.update(range(max(0, i - LOOKBACK), i + 1))
    return sorted(starts)


def token_runs(sentences, lang: str):
    """The tokens of each sentence, but a sentence that razdel ended on a month
    abbreviation ("on Feb." | "24.") is joined to the next (heads shifted to match)."""
    abbreviations = word_list("month_abbreviations", lang).entries
    pending = None
    for sentence in sentences:
        tokens = sentence.tokens
        if pending is not None:
            if tokens and tokens[0].text.isdigit() and tokens[0].start - pending[-1].end <= 2:
                offset = len(pending)
                tokens = pending + [dataclasses.replace(t, head=t.head + offset if t.head else 0) for t in tokens]
            else:
                yield pending
            pending = None
        if len(tokens) >= 2 and tokens[-1].text == "." and (fold(tokens[-2].text),) in abbreviations:
            pending = tokens
            continue
        yield tokens
    if pending is not None:
        yield pending
