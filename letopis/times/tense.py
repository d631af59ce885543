"""The tense of the clause around a time expression: past, present, future or None.

It decides which year a partial date falls in ("15 декабря" in a past-tense sentence
published in January is last year's) and which way a weekday points.

- Russian: up the syntax tree from the expression to the first verb with a tense (an
  auxiliary "будет"/"был" decides for its verb); else the nearest verb of the sentence.
- Ukrainian: the slovnet models are Russian, so the nearest verb's tense comes from
  pymorphy3's Ukrainian dictionary (loaded on first use, ~0.1 s).
- English: the nearest cue word ("will", "expected", "said", "-ed").

Lemmas that point forward whatever their form ("запланировано на 20 января") are in
``letopis/data/times/tense_cues.tsv``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import word_list
from .terms import Words

PAST, PRESENT, FUTURE = "past", "present", "future"
FUTURE_BE = {"будет", "будут", "буду", "будем", "будете", "будешь", "буде", "будуть"}
_UD_TENSES = {"Past": PAST, "Pres": PRESENT, "Fut": FUTURE}
_PYMORPHY_TENSES = {"past": PAST, "pres": PRESENT, "futr": FUTURE}
_ENGLISH_PAST = re.compile(r"[a-z]{3,}ed$")
MAX_STEPS = 8


def clause_tense(words: Words, start: int, end: int, lang: str) -> str | None:
    if lang == "en":
        return nearest(words, start, end, english_tense)
    if lang == "uk":
        return nearest(words, start, end, pymorphy_tense)
    if words.tokens and words.tokens[0].pos is not None:  # Russian, analysed by the models
        return syntax_tense(words, start, end) or nearest(words, start, end, russian_tense)
    return None


def nearest(words: Words, start: int, end: int, tense_at) -> str | None:
    """The tense of the closest word outside [start, end) that has one."""
    for distance in range(1, len(words)):
        for i in (start - distance, end - 1 + distance):
            if 0 <= i < len(words):
                tense = tense_at(words, i)
                if tense:
                    return tense
    return None


# --- Russian: syntax and UD features --------------------------------------------------


def syntax_tense(words: Words, start: int, end: int) -> str | None:
    tokens = words.tokens
    heads = [i for i in range(start, end) if not start < tokens[i].head <= end]
    current = tokens[heads[0]].head - 1 if heads else -1
    for _ in range(MAX_STEPS):
        if current < 0:
            return None
        tense = russian_tense(words, current)
        if tense:
            return tense
        current = tokens[current].head - 1
    return None


def russian_tense(words: Words, i: int) -> str | None:
    token = words.tokens[i]
    if token.pos not in ("VERB", "AUX"):
        return None
    if token.lemma in future_cues("ru"):
        return FUTURE
    for child in words.tokens:
        if child.head == i + 1 and child.rel in ("aux", "aux:pass") and child.lemma == "быть":
            if child.feats.get("VerbForm") == "Inf" or child.text.lower() == "быть":
                return None  # "может быть введено": the tense is further up
            return FUTURE if child.text.lower() in FUTURE_BE else PAST
    if token.text.lower() in FUTURE_BE:
        return FUTURE
    return _UD_TENSES.get(token.feats.get("Tense"))


# --- Ukrainian: pymorphy3 ---------------------------------


@lru_cache(maxsize=1)
def ukrainian_analyzer():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="uk")


@lru_cache(maxsize=50_000)
def ukrainian_parse(word: str):
    if not word[:1].isalpha():
        return None
    parses = ukrainian_analyzer().parse(word)
    return parses[0] if parses else None


def pymorphy_tense(words: Words, i: int) -> str | None:
    parsed = ukrainian_parse(words.folded[i])
    if parsed is None or parsed.tag.POS not in ("VERB", "PRTF", "PRTS"):
        return None
    if parsed.normal_form in future_cues("uk") or words.folded[i] in future_cues("uk"):
        return FUTURE
    if words.folded[i] in FUTURE_BE:
        return FUTURE
    return _PYMORPHY_TENSES.get(parsed.tag.tense)


# --- English: cue words ---------------------------------------------------------------


def english_tense(words: Words, i: int) -> str | None:
    word = words.folded[i]
    if word in future_cues("en"):
        return FUTURE
    if word in past_cues("en") or _ENGLISH_PAST.match(word):
        return PAST
    return None


@lru_cache(maxsize=None)
def future_cues(lang: str) -> frozenset[str]:
    return cues("FUTURE", lang)


@lru_cache(maxsize=None)
def past_cues(lang: str) -> frozenset[str]:
    return cues("PAST", lang)


def cues(kind: str, lang: str) -> frozenset[str]:
    return frozenset(key[0] for key, value in word_list("tense_cues", lang).entries.items() if value == kind)
