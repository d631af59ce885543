"""Search that understands Russian (and Ukrainian) morphology.

Neither SQLite's FTS5 nor PostgreSQL's ``simple`` text search knows that "встречи" and
"встречей" are forms of "встреча". So letopis indexes *words*: for every token of the
title, lead and body, its lemma (which the NLP stage already computed) and, where it
differs, its surface form, lower-cased with ё folded to е. A query word is expanded
to its own surface form and every lemma pymorphy3 gives it, OR-ed, and the words of a
query are AND-ed. Both backends index the same words, so they find the same articles.

Snippets are cut from the original text around the words whose lemma matched, so the
user sees the text as written, with the matches marked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..record import NLP_ZONE_KINDS, Article

WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


def fold(word: str) -> str:
    return word.lower().replace("ё", "е")


@dataclass
class Words:
    """An article's search words: its own and each quote's (in the order of
    ``article.quotes``). Worked out from the tokens when the article joins a store batch,
    so that it can wait there without them (tokens are four fifths of an article in
    memory)."""

    article: str
    quotes: list[str]


def words_of(article: Article) -> Words:
    return Words(article_words(article), [span_words(article, quote.start, quote.end) for quote in article.quotes])


def article_words(article: Article) -> str:
    """The words to index for an article: lemma and surface form of every token in
    the title, lead and body (from the NLP stage's tokens; when the record has none,
    e.g. a lean record loaded from a file, pymorphy3 lemmatizes the zones' words)."""
    words: list[str] = []
    if article.sentences:
        for sentence in article.sentences:
            for token in sentence.tokens:
                words += token_words(token.text, token.lemma)
    else:
        for zone in article.zones_of(*NLP_ZONE_KINDS) or [None]:
            text = article.text if zone is None else article.zone_text(zone)
            for match in WORD.finditer(text):
                for lemma in lemmas(match.group(0))[:1]:
                    words += token_words(match.group(0), lemma)
    return " ".join(words)


def span_words(article: Article, start: int, end: int) -> str:
    """The words to index for a span of the article (a quote)."""
    words: list[str] = []
    found = False
    for sentence in article.sentences:
        if sentence.end <= start or sentence.start >= end:
            continue
        for token in sentence.tokens:
            if token.start >= start and token.end <= end:
                found = True
                words += token_words(token.text, token.lemma)
    if not found:
        for match in WORD.finditer(article.text, start, end):
            for lemma in lemmas(match.group(0))[:1]:
                words += token_words(match.group(0), lemma)
    return " ".join(words)


@lru_cache(maxsize=50_000)
def token_words(text: str, lemma: str | None) -> tuple[str, ...]:
    """A token's search words: its lemma and, where it differs, its surface form, folded;
    none for punctuation. Cached: a news corpus repeats a small vocabulary (0.20 -> 0.09
    ms per article; 50,000 entries, with their keys, hold ~27 MB)."""
    if not WORD.fullmatch(text or ""):
        return ()
    surface = fold(text)
    if not lemma:
        return (surface,)
    lemma = fold(lemma)
    return (lemma,) if lemma == surface else (lemma, surface)


@lru_cache(maxsize=1)
def morph_analyzers():
    import pymorphy3

    analyzers = [pymorphy3.MorphAnalyzer(lang="ru")]
    try:
        analyzers.append(pymorphy3.MorphAnalyzer(lang="uk"))
    except Exception:  # the Ukrainian dictionaries are optional here
        pass
    return analyzers


@lru_cache(maxsize=50_000)
def lemmas(word: str) -> list[str]:
    """Every normal form pymorphy3 gives a word (Russian, then Ukrainian), folded."""
    found: list[str] = []
    for analyzer in morph_analyzers():
        parses = analyzer.parse(word)
        best = parses[0].score if parses else 0
        for parse in parses[:4]:
            if parse.score < best * 0.2:  # rare readings only add noise ("встреча" -> "встречий")
                continue
            form = fold(parse.normal_form)
            if form not in found:
                found.append(form)
    return found or [fold(word)]


@dataclass
class Query:
    """A parsed search query: one alternative set per query word."""

    words: list[list[str]]
    seen: dict[str, bool] = field(default_factory=dict, repr=False, compare=False)  # word -> matches

    def matches(self, word: str) -> bool:
        """Whether a word of a text is a form of a query word (remembered per query:
        the words of the hits' texts repeat, and pymorphy3 is the slow part)."""
        found = self.seen.get(word)
        if found is None:
            forms = self.all_forms()
            folded = fold(word)
            found = folded in forms or any(lemma in forms for lemma in lemmas(word)[:2])
            if len(self.seen) < 200_000:
                self.seen[word] = found
        return found

    @property
    def empty(self) -> bool:
        return not self.words

    def fts5(self) -> str:
        """An FTS5 MATCH expression: ("a" OR "b") AND ("c")."""
        return " AND ".join("(" + " OR ".join(f'"{form}"' for form in forms) + ")" for forms in self.words)

    def tsquery(self) -> str:
        """A PostgreSQL to_tsquery('simple', ...) expression."""
        return " & ".join("(" + " | ".join(quote_lexeme(form) for form in forms) + ")" for forms in self.words)

    def candidates(self) -> re.Pattern:
        """The words of a text worth a closer look: those beginning with the first three
        letters of a query form (ё or е alike, any case). Scanning for them in C and
        checking only those keeps snippets fast on long texts; a suppletive form
        ("шёл" for "идти") goes unmarked in a snippet, though the search finds it."""
        found = self.__dict__.get("_candidates")
        if found is None:
            stems = sorted({form[:3] for form in self.all_forms()}, key=len, reverse=True)
            alternatives = "|".join(re.escape(stem).replace("е", "[её]") for stem in stems)
            found = self.__dict__["_candidates"] = re.compile(
                rf"(?<![\w\-'’])(?:{alternatives})[^\W_]*(?:[-'’][^\W_]+)*", re.IGNORECASE)
        return found

    def all_forms(self) -> set[str]:
        forms = self.__dict__.get("_forms")
        if forms is None:
            forms = self.__dict__["_forms"] = {form for forms in self.words for form in forms}
        return forms


def quote_lexeme(form: str) -> str:
    return "'" + form.replace("'", "''").replace("\\", "") + "'"


def parse_query(text: str) -> Query:
    words = []
    for match in WORD.finditer(text or ""):
        word = match.group(0)
        forms = [fold(word)]
        for lemma in lemmas(word):
            if lemma not in forms:
                forms.append(lemma)
        words.append(forms)
    return Query(words)


def snippet(text: str, query: Query, width: int = 240, start: int = 0, end: int | None = None) -> dict:
    """The part of ``text[start:end]`` with the most matches, and the match spans in it
    (offsets into ``text``), for highlighting. Returns {start, end, text, marks}."""
    end = len(text) if end is None else end
    marks = [(match.start(), match.end()) for match in query.candidates().finditer(text, start, end)
             if query.matches(match.group(0))]
    if not marks:
        cut_end = min(end, start + width)
        return {"start": start, "end": cut_end, "text": text[start:cut_end], "marks": []}
    best_start, best_count = marks[0][0], 0
    for index, (mark_start, _) in enumerate(marks):
        count = sum(1 for other, _ in marks[index:] if other < mark_start + width)
        if count > best_count:
            best_start, best_count = mark_start, count
    cut_start = max(start, best_start - width // 4)
    space = text.rfind(" ", start, cut_start + 1)
    if space > cut_start - 30 and space >= start:
        cut_start = space + 1 if space + 1 <= best_start else cut_start
    cut_end = min(end, cut_start + width)
    space = text.rfind(" ", cut_start, cut_end)
    if cut_end < end and space > cut_start + width // 2:
        cut_end = space
    kept = [(a, b) for a, b in marks if a >= cut_start and b <= cut_end]
    return {"start": cut_start, "end": cut_end, "text": text[cut_start:cut_end], "marks": kept}
