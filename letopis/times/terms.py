"""Terms: what one slot of a rule's pattern accepts at a token.

A term is a function ``term(words, i) -> (tokens taken, value) | None`` over a
``Words`` view of a sentence. Most terms are lexicon lookups (``letopis/data/times/``);
the rest are shapes of numbers ("21", "2021", "15.12.2021", "10–12").
``terms_for(lang)`` builds the table the rules refer to by name.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Callable

from .lexicon import fold, word_list

Term = Callable[["Words", int], "tuple[int, object] | None"]

_DAY = re.compile(r"(\d{1,2}),?$")
_YEAR = re.compile(r"((?:19|20)\d\d),?$")
_NUMERIC_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)$")
_DAYS = re.compile(r"(\d{1,2})[-–—](\d{1,2})$")
_QUANTITY = re.compile(r"\d{1,3}$")
_HOUR, _MINUTE = re.compile(r"\d{1,2}$"), re.compile(r"\d{2}$")


class Words:
    """A sentence's tokens as the terms see them (original and folded text), with
    the results of terms already tried at a token remembered."""

    __slots__ = ("tokens", "texts", "folded", "size", "lang", "terms", "memo")

    def __init__(self, tokens, lang: str, folded: list[str] | None = None):
        self.tokens = tokens
        self.texts = [token.text for token in tokens]
        self.folded = folded if folded is not None else [fold(text) for text in self.texts]
        self.size = len(self.texts)
        self.lang = lang
        self.terms = terms_for(lang)
        self.memo: dict = {}

    def __len__(self) -> int:
        return self.size

    def term(self, name: str, i: int):
        """``(tokens taken, value)`` where term ``name`` matches at ``i``, else None."""
        key = (name, i)
        if key not in self.memo:
            self.memo[key] = self.terms[name](self, i) if i < self.size else None
        return self.memo[key]

    def possible_terms(self, i: int) -> frozenset[str]:
        """Terms that may match at ``i``, judged by its first word alone."""
        word = self.folded[i]
        found = first_words(self.lang).get(word) or first_words(self.lang).get(word.rstrip("."), EMPTY)
        if self.texts[i][:1].isdigit():
            found = found | NUMBER_TERMS
        return found


def lexicon_term(name: str, lang: str, convert=str) -> Term:
    words = word_list(name, lang)

    def term(sentence: Words, i: int):
        found = words.lookup(sentence.folded, i)
        return (found[0], convert(found[1])) if found else None
    return term


def shape_term(pattern: re.Pattern, convert) -> Term:
    def term(sentence: Words, i: int):
        found = pattern.match(sentence.texts[i])
        if not found:
            return None
        value = convert(found)
        return None if value is None else (1, value)
    return term


def time_of_day(sentence: Words, i: int):
    """"15:00" (three tokens for razdel: 15, :, 00) -> (15, 0)."""
    texts = sentence.texts[i:i + 3]
    if len(texts) == 3 and texts[1] == ":" and _HOUR.match(texts[0]) and _MINUTE.match(texts[2]):
        hour, minute = int(texts[0]), int(texts[2])
        if hour < 24 and minute < 60:
            return 3, (hour, minute)
    return None


def literal_term(*texts: str) -> Term:
    def term(sentence: Words, i: int):
        return (1, sentence.texts[i]) if sentence.texts[i] in texts else None
    return term


def day_number(found: re.Match):
    value = int(found.group(1))
    return value if 1 <= value <= 31 else None


def numeric_date(found: re.Match):
    day, month, year = (int(group) for group in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def day_range(found: re.Match):
    first, last = int(found.group(1)), int(found.group(2))
    return (first, last) if 1 <= first < last <= 31 else None


def month_term(lang: str, names: str, lowercase: bool = False) -> Term:
    """Month names; in English they must be capitalised ("May", not "may"), and with
    ``lowercase`` Russian and Ukrainian ones must not be ("Марта" is a name)."""
    words = word_list(names, lang)

    def term(sentence: Words, i: int):
        first = sentence.texts[i][:1]
        if lang == "en" and not first.isupper():
            return None
        if lowercase and lang != "en" and first.isupper():
            return None
        word = sentence.folded[i]
        value = words.entries.get((word.rstrip(".") if len(word) > 2 else word,))  # "Feb.", "янв."
        return (1, int(value)) if value is not None else None
    return term


def quantity_term(lang: str) -> Term:
    words = lexicon_term("numbers", lang)

    def term(sentence: Words, i: int):
        if _QUANTITY.match(sentence.texts[i]):
            return 1, sentence.texts[i]
        return words(sentence, i)
    return term


def unit_term(lang: str, *units: str) -> Term:
    lookup = lexicon_term("units", lang)

    def term(sentence: Words, i: int):
        found = lookup(sentence, i)
        return found if found and (not units or found[1] in units) else None
    return term


def marked_term(name: str, lang: str, standalone: bool) -> Term:
    """Season and part-of-day words; codes ending in "!" may stand alone."""
    lookup = lexicon_term(name, lang)

    def term(sentence: Words, i: int):
        found = lookup(sentence, i)
        if not found or (standalone and not found[1].endswith("!")):
            return None
        return found[0], found[1].rstrip("!")
    return term


def role_term(lang: str, role: str) -> Term:
    words = word_list("prepositions", lang, only=role)

    def term(sentence: Words, i: int):
        return words.lookup(sentence.folded, i)
    return term


ROLES = ("IN", "FROM", "TO", "THROUGH", "AGO", "OF", "THE", "LATER", "YEAR_BEFORE")
EMPTY: frozenset[str] = frozenset()
NUMBER_TERMS = frozenset({"DAY", "DAYS", "YEAR", "NUMDATE", "QUANT", "TIME"})
LITERALS = {"DOT": ".", "COMMA": ","}
TERM_LISTS = {
    "MONTH": "months", "MONTH_LC": "months", "MONTH_ABBR": "month_abbreviations",
    "WEEKDAY": "weekdays", "SEASON": "seasons", "SEASON_ALONE": "seasons",
    "PART": "parts_of_day", "PART_ALONE": "parts_of_day", "UNIT": "units", "UNIT_W": "units",
    "UNIT_M": "units", "UNIT_Y": "units", "UNIT_Q": "units", "WEEKEND": "weekends",
    "YEAR_WORD": "year_words", "HALF": "and_half",
    "REL_DAY": "relative_days", "OFFSET": "offsets", "POSITION": "positions", "HALVES": "halves",
    "ORDINAL": "ordinals", "APPROX": "approx", "LAST": "last_n", "VAGUE": "vague",
    "ANAPHORA": "anaphora", "QUANT": "numbers",
}


@lru_cache(maxsize=None)
def first_words(lang: str) -> dict[str, frozenset[str]]:
    """Folded word -> the terms whose entries may start with it."""
    found: dict[str, set[str]] = {}
    sources = [(term, word_list(name, lang)) for term, name in TERM_LISTS.items()]
    sources += [(role, word_list("prepositions", lang, only=role)) for role in ROLES]
    for term, words in sources:
        for key in words.entries:
            found.setdefault(key[0], set()).add(term)
    for term, text in LITERALS.items():
        found.setdefault(text, set()).add(term)
    return {word: frozenset(terms) for word, terms in found.items()}


@lru_cache(maxsize=None)
def terms_for(lang: str) -> dict[str, Term]:
    terms = {
        "DAY": shape_term(_DAY, day_number),
        "DAYS": shape_term(_DAYS, day_range),
        "YEAR": shape_term(_YEAR, lambda found: int(found.group(1))),
        "NUMDATE": shape_term(_NUMERIC_DATE, numeric_date),
        "QUANT": quantity_term(lang),
        **{name: literal_term(text) for name, text in LITERALS.items()},
        "MONTH": month_term(lang, "months"),
        "MONTH_LC": month_term(lang, "months", lowercase=True),
        "MONTH_ABBR": month_term(lang, "month_abbreviations"),
        "WEEKDAY": lexicon_term("weekdays", lang, int),
        "SEASON": marked_term("seasons", lang, standalone=False),
        "SEASON_ALONE": marked_term("seasons", lang, standalone=True),
        "PART": marked_term("parts_of_day", lang, standalone=False),
        "PART_ALONE": marked_term("parts_of_day", lang, standalone=True),
        "UNIT": unit_term(lang),
        "UNIT_W": unit_term(lang, "W"),
        "UNIT_M": unit_term(lang, "M"),
        "UNIT_Y": unit_term(lang, "Y"),
        "UNIT_Q": unit_term(lang, "Q"),
        "WEEKEND": lexicon_term("weekends", lang),
        "TIME": time_of_day,
        "YEAR_WORD": lexicon_term("year_words", lang),
        "HALF": lexicon_term("and_half", lang, float),
        "REL_DAY": lexicon_term("relative_days", lang, int),
        "OFFSET": lexicon_term("offsets", lang),
        "POSITION": lexicon_term("positions", lang),
        "HALVES": lexicon_term("halves", lang),
        "ORDINAL": lexicon_term("ordinals", lang, int),
        "APPROX": lexicon_term("approx", lang),
        "LAST": lexicon_term("last_n", lang),
        "VAGUE": lexicon_term("vague", lang),
        "ANAPHORA": lexicon_term("anaphora", lang, int),
    }
    for role in ROLES:
        terms[role] = role_term(lang, role)
    return terms

