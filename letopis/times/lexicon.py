"""The time lexicons: word lists in ``letopis/data/times/`` (format: its README.md).

``word_list(name, lang)`` gives a ``WordList`` that finds the longest entry starting at a
token; ``trigger_words(lang)`` is every content word of the lists, which is how candidate
sentences are found cheaply. Lists are read once and cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

LANGS = ("ru", "uk", "en")
# lists whose words make a sentence worth matching (prepositions, numbers and modifiers
# alone never make a time expression)
TRIGGER_LISTS = ("months", "month_abbreviations", "weekdays", "weekends", "seasons", "units",
                 "year_words", "relative_days", "vague", "anaphora", "parts_of_day")
_FOLD = str.maketrans({"ё": "е", "Ё": "е", "’": "'", "ʼ": "'", "‘": "'"})


def fold(word: str) -> str:
    """The form words are looked up in: lower case, ё as е, one apostrophe."""
    return word.translate(_FOLD).lower()


@dataclass(frozen=True)
class WordList:
    name: str
    entries: dict[tuple[str, ...], str]  # folded words -> value
    sizes: dict[str, tuple[int, ...]]  # first word -> lengths of its entries, longest first

    def lookup(self, words: list[str], i: int) -> tuple[int, str] | None:
        """(words taken, value) of the longest entry starting at ``words[i]``."""
        sizes = self.sizes.get(words[i])
        if sizes is None:
            return None
        if sizes == (1,):
            return 1, self.entries[(words[i],)]
        for size in sizes:
            value = self.entries.get(tuple(words[i:i + size]))
            if value is not None:
                return size, value
        return None


@lru_cache(maxsize=None)
def read_rows(name: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(value, lang, entries) rows of ``letopis/data/times/NAME.tsv``."""
    text = resources.files("letopis.data").joinpath("times", f"{name}.tsv").read_text(encoding="utf-8")
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise ValueError(f"letopis/data/times/{name}.tsv:{number}: expected VALUE<TAB>LANG<TAB>entries")
        value, lang, entries = parts
        rows.append((value, lang, tuple(e.strip() for e in entries.split("|") if e.strip())))
    return tuple(rows)


@lru_cache(maxsize=None)
def word_list(name: str, lang: str, only: str | None = None) -> WordList:
    """The entries of one list for one language (all languages for any other ``lang``),
    and only those of value ``only`` when given (a word may have several roles)."""
    entries: dict[tuple[str, ...], str] = {}
    for value, row_lang, items in read_rows(name):
        if (row_lang == lang or lang not in LANGS) and only in (None, value):
            for item in items:
                entries.setdefault(tuple(fold(item).split()), value)
    sizes: dict[str, set[int]] = {}
    for key in entries:
        sizes.setdefault(key[0], set()).add(len(key))
    return WordList(name, entries, {word: tuple(sorted(found, reverse=True)) for word, found in sizes.items()})


@lru_cache(maxsize=None)
def trigger_words(lang: str, spellings: bool = False) -> frozenset[str]:
    """Content words of the lexicons (folded); with ``spellings``, also as they may be
    written in lower case: each е as ё ("днём"), ' as ’ or ʼ ("п’ятницю")."""
    small = {word for key in word_list("prepositions", lang).entries for word in key}
    words = set()
    for name in TRIGGER_LISTS:
        for key in word_list(name, lang).entries:
            words.update(word for word in key if word not in small and len(word) > 2)
    if spellings:
        words |= {variant for word in words for variant in spelling_variants(word)}
    return frozenset(words)


def spelling_variants(word: str):
    for i, char in enumerate(word):
        if char == "е":
            yield word[:i] + "ё" + word[i + 1:]
    for apostrophe in "’ʼ‘":
        if "'" in word:
            yield word.replace("'", apostrophe)
