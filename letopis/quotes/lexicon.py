"""The quotes stage's data files (letopis/data/quotes/*), loaded once on first use."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources


class QuotesDataError(ValueError):
    """A data file line that does not parse; the message names the file and line."""


@dataclass(frozen=True)
class Cue:
    lang: str
    words: tuple[str, ...]  # the lemma, or its words for a multi-word cue ("не исключить")
    cls: str  # statement, emphasis, belief, ...
    frame: str  # clause, inf, accuse, naming, impersonal, direct
    head: int  # index in `words` of the verb the token must match


@dataclass
class Lexicon:
    by_lemma: dict[str, list[Cue]] = field(default_factory=dict)  # ru: lemma of the cue verb
    by_form: dict[str, list[Cue]] = field(default_factory=dict)  # uk and irregular ru: word forms
    phrases: dict[tuple[str, str], str] = field(default_factory=dict)  # ("по", "словам") -> class
    not_speakers: set[str] = field(default_factory=set)
    not_quotes: re.Pattern | None = None
    name_nouns: tuple[str, ...] = ()
    voices: set[str] = field(default_factory=set)
    scare: tuple[str, ...] = ()
    provenance: set[str] = field(default_factory=set)
    not_cues: set[str] = field(default_factory=set)  # forms of cue verbs that report nothing  # "сообщает", "пише": the news' source


def read_lines(name: str) -> list[tuple[int, str]]:
    text = resources.files("letopis.data").joinpath("quotes", name).read_text(encoding="utf-8")
    return [(n, line.rstrip()) for n, line in enumerate(text.splitlines(), 1)
            if line.strip() and not line.startswith("#")]


def parse_cue(name: str, number: int, line: str) -> tuple[Cue, list[str]]:
    cells = [c.strip() for c in line.split("\t")]
    if len(cells) < 4 or len(cells) > 5:
        raise QuotesDataError(f"letopis/data/quotes/{name}:{number}: expected 4 or 5 tab-separated columns")
    lang, words, cls, frame = cells[:4]
    forms = [f.strip() for f in cells[4].split(",")] if len(cells) == 5 and cells[4] else []
    parts = tuple(words.split())
    head = 1 if parts[0] == "не" else 0
    return Cue(lang, parts, cls, frame, head), forms


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    lex = Lexicon()
    for number, line in read_lines("cues.tsv"):
        cue, forms = parse_cue("cues.tsv", number, line)
        if cue.lang == "ru":
            lex.by_lemma.setdefault(cue.words[cue.head], []).append(cue)
        for form in forms:
            lex.by_form.setdefault(form.lower(), []).append(cue)
    for number, line in read_lines("phrases.tsv"):
        cells = line.split("\t")
        if len(cells) != 3 or len(cells[1].split()) != 2:
            raise QuotesDataError(f"letopis/data/quotes/phrases.tsv:{number}: expected lang, two words, class")
        lex.phrases[tuple(cells[1].split())] = cells[2].strip()
    lex.not_speakers = {line.strip().lower() for _, line in read_lines("not_speakers.txt")}
    patterns = [line.strip() for _, line in read_lines("not_quotes.txt")]
    lex.not_quotes = re.compile("|".join(f"(?:{p})" for p in patterns))
    lex.name_nouns = tuple(line.strip().lower() for _, line in read_lines("name_nouns.txt"))
    lex.voices = {line.strip().lower() for _, line in read_lines("voices.txt")}
    lex.scare = tuple(line.strip().lower() for _, line in read_lines("scare_markers.txt"))
    lex.not_cues = {line.strip().lower() for _, line in read_lines("not_cues.txt")}
    lex.provenance = {line.strip().lower() for _, line in read_lines("provenance_cues.txt")}
    return lex
