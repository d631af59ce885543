"""The time stage over one article: candidates -> rules -> values -> ``TimeExpr``.

Sentences are read in text order (title, lead, body: the NLP zones). What the text
has said so far anchors what follows: the last date it gave ("в тот же день",
"накануне"), an explicit year earlier in the same paragraph, and a date right next to a
weekday ("в понедельник, 14 февраля": the weekday takes the date, anchor ``text``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..record import Article, TimeExpr
from .anchor import Anchor
from .candidates import candidate_starts, token_runs, trigger_positions
from .grammar import Match, find_matches
from .lexicon import LANGS, trigger_words, word_list
from .normalize import TEXT, Context, normalize
from .published import infer_published, month_numbers, patterns
from .rules import COMPILED_RULES
from .tense import clause_tense, ukrainian_analyzer
from .terms import TERM_LISTS, Words, first_words, terms_for

VERSION = "1.0"
DAY_VALUE = re.compile(r"(\d{4}|XXXX)-(\d\d)-(\d\d)")
DATE_KINDS = ("date", "weekday", "day")  # what later "в тот же день" may refer to
ABBREVIATIONS = ("г", "р")  # a dot after them belongs to the expression


@dataclass
class Found:
    match: Match
    start: int  # character offsets
    end: int
    value: str | None = None
    anchor: str | None = None


@dataclass
class TextState:
    last_date: tuple[int | None, int, int] | None = None
    text_year: int | None = None
    paragraph: int = -1


def extract_times(article: Article) -> None:
    """Sets ``article.times`` (and ``meta.published`` from the text when it is unset)."""
    dateline_day = infer_published(article)
    anchor = Anchor.from_published(article.meta.published, dateline_day)
    lang = article.meta.lang if article.meta.lang in LANGS else "other"
    state, found = TextState(), []
    for tokens in token_runs(article.sentences, lang):
        triggers = trigger_positions(tokens, lang)
        if triggers:
            words = Words(tokens, lang)
            found.extend(sentence_times(article, words, triggers, anchor, state))
    stage = f"times@{VERSION}"
    article.times = [
        TimeExpr(id=f"t{number}", start=item.start, end=item.end, text=article.text[item.start:item.end],
                 value=item.value, mod=item.match.parsed.mod, anchor=item.anchor,
                 rule=item.match.rule.name, stage=stage)
        for number, item in enumerate(found, 1)
    ]


def sentence_times(article, words: Words, triggers, anchor, state) -> list[Found]:
    lang = words.lang
    matches = find_matches(COMPILED_RULES, words, candidate_starts(words, triggers))
    if not matches:
        return []
    paragraph = article.text.rfind("\n", 0, words.tokens[0].start)
    if paragraph != state.paragraph:
        state.paragraph, state.text_year = paragraph, None
    found = [Found(m, *char_span(words, m)) for m in matches]
    for item in found:
        if item.match.parsed.kind != "weekday":
            resolve(item, words, lang, anchor, state)
    for position, item in enumerate(found):
        if item.match.parsed.kind == "weekday":
            resolve_weekday(item, found, position, words, lang, anchor, state)
    remember_last_date(found, state)
    return found


def resolve(item: Found, words, lang, anchor, state) -> None:
    match = item.match
    tense = lazy(lambda: clause_tense(words, match.start, match.end, lang))
    context = Context(anchor, tense, state.last_date, state.text_year)
    item.value, item.anchor = normalize(match.parsed, context)
    if match.parsed.year and match.parsed.kind in ("date", "month", "year", "season"):
        state.text_year = match.parsed.year
    if match.parsed.kind == "date":
        remember_last_date([item], state)


def resolve_weekday(item: Found, found: list[Found], position: int, words, lang, anchor, state) -> None:
    """A weekday next to a date takes the date ("во вторник, 18 января")."""
    for neighbour in (found[position - 1] if position else None,
                      found[position + 1] if position + 1 < len(found) else None):
        if neighbour and neighbour.value and DAY_VALUE.match(neighbour.value) \
                and only_punctuation_between(words, item.match, neighbour.match):
            part = item.match.parsed.part
            item.value = neighbour.value[:10] + (f"T{part}" if part else "")
            item.anchor = TEXT
            return
    resolve(item, words, lang, anchor, state)


def only_punctuation_between(words: Words, first: Match, second: Match) -> bool:
    left, right = (first, second) if first.start < second.start else (second, first)
    return all(not text[:1].isalnum() for text in words.texts[left.end:right.start])


def remember_last_date(found: list[Found], state: TextState) -> None:
    for item in found:
        day = DAY_VALUE.match(item.value or "")
        if day and item.match.parsed.kind in DATE_KINDS:
            year = None if day.group(1) == "XXXX" else int(day.group(1))
            state.last_date = (year, int(day.group(2)), int(day.group(3)))


def char_span(words: Words, match: Match) -> tuple[int, int]:
    """The expression's characters, without a sentence-final dot or a trailing comma."""
    end = match.end
    if words.texts[end - 1] == "." and end - 2 >= match.start and words.folded[end - 2] not in ABBREVIATIONS:
        end -= 1
    start, stop = words.tokens[match.start].start, words.tokens[end - 1].end
    if words.texts[end - 1].endswith(",") and len(words.texts[end - 1]) > 1:
        stop -= 1
    return start, stop


def lazy(compute):
    return lru_cache(maxsize=1)(compute)


def load() -> None:
    """Read the lexicons and the Ukrainian dictionary now rather than on first use
    (call it when building the pipeline, so that no article pays for it)."""
    for lang in (*LANGS, "other"):
        terms_for(lang)
        first_words(lang)
        trigger_words(lang, spellings=True)
        for name in TERM_LISTS.values():
            word_list(name, lang)
    ukrainian_analyzer()
    month_numbers()
    patterns()


def explain_times(article: Article) -> list[str]:
    """One line per time expression: span, rule, value, anchor (for ``--explain``)."""
    lines = [f"# times of {article.id}: published {article.meta.published or '-'} "
             f"({article.meta.published_source})"]
    for time in article.times:
        mod = f" {time.mod}" if time.mod else ""
        lines.append(f"  {time.id:<4} [{time.start}:{time.end}] {time.rule:<20} {time.value or '-'}{mod}"
                     f" (anchor {time.anchor or '-'}) {time.text!r}")
    return lines
