"""The article as the quote rules see it: sentences with their dependency trees,
quotation marks, entity mentions and the lexicon, with small lookups over them.

Token indices are 0-based within a sentence (``Token.head`` is 1-based, 0 = root).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from ..nlp import fold_typography
from ..record import Article, Entity, Mention, Sentence, Token
from .lexicon import Cue, Lexicon, lexicon
from .marks import Mark, find_marks, outermost

PUNCT = set(".,;:!?…–—-()«»„“”\"‘’")
DASHES = ("–", "—", "-", "−")
CLAUSE_MARKERS = {"что", "чтобы", "будто", "якобы", "що", "щоб", "нібито", "мовляв", "ли", "чи"}
POSSESSIVES = {"его", "ее", "её", "их", "його", "її", "їх"}


@dataclass
class CueMatch:
    cue: Cue
    first: int  # token indices of the cue's words in the sentence
    last: int
    verb: int  # the token that matched the cue's verb


@dataclass
class Found:
    """A quote found by a rule, before it becomes a ``Quote``."""

    rule: str
    kind: str  # direct or indirect; indirect may become mixed later
    start: int  # the content span
    end: int
    sentence: int  # index of the sentence holding the cue (or the content)
    cue: tuple[int, int] | None = None
    cue_class: str | None = None
    speaker: tuple[int, int, int | None] | None = None  # start, end, offset of the head word
    first_sentence: int | None = None
    last_sentence: int | None = None
    time: str | None = None
    follow: int | None = None  # a later sentence attributing it ("Об этом он сказал …")
    skip: list[tuple[int, int]] = field(default_factory=list)  # spans inside the content that are not content


@dataclass
class Doc:
    article: Article
    text: str  # typography folded (same length): straight quotes, plain spaces
    lang: str
    sentences: list[Sentence]
    lex: Lexicon
    marks: list[Mark]
    top_marks: list[Mark]
    mentions: list[tuple[Mention, Entity]]
    parsed: bool  # whether the dependency parse can be trusted (ru)
    starts: list[int] = field(default_factory=list)
    kids: dict[int, list[list[int]]] = field(default_factory=dict)
    cues: dict[tuple[int, int], CueMatch | None] = field(default_factory=dict)
    mark_starts: list[int] = field(default_factory=list)
    free_cues: list[tuple[int, CueMatch]] | None = None  # cues outside quotation marks

    # --- sentences and tokens ------------------------------------------------

    def sentence_at(self, offset: int) -> int | None:
        index = bisect.bisect_right(self.starts, offset) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return index
        return None

    def token_at(self, si: int, offset: int) -> int | None:
        """The token starting at or covering ``offset``, else the next one."""
        for ti, token in enumerate(self.sentences[si].tokens):
            if token.end > offset:
                return ti
        return None

    def tokens(self, si: int) -> list[Token]:
        return self.sentences[si].tokens

    def word(self, si: int, ti: int) -> str:
        return self.sentences[si].tokens[ti].text.lower()

    def children(self, si: int, ti: int) -> list[int]:
        if si not in self.kids:
            tokens = self.sentences[si].tokens
            kids: list[list[int]] = [[] for _ in tokens]
            for index, token in enumerate(tokens):
                if 0 < token.head <= len(tokens) and token.head - 1 != index:
                    kids[token.head - 1].append(index)
            self.kids[si] = kids
        return self.kids[si][ti]

    def head_of(self, si: int, ti: int) -> int | None:
        head = self.sentences[si].tokens[ti].head
        return head - 1 if 0 < head <= len(self.sentences[si].tokens) else None

    def subtree(self, si: int, ti: int) -> tuple[int, int]:
        lo = hi = ti
        todo, seen = [ti], {ti}
        while todo:
            for child in self.children(si, todo.pop()):
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
                    lo, hi = min(lo, child), max(hi, child)
        return lo, hi

    def span(self, si: int, first: int, last: int) -> tuple[int, int]:
        tokens = self.sentences[si].tokens
        return tokens[first].start, tokens[last].end

    # --- quotation marks ------------------------------------------------------

    def mark_around(self, offset: int) -> Mark | None:
        """The outermost quotation holding ``offset`` strictly inside its marks."""
        index = bisect.bisect_left(self.mark_starts, offset) - 1
        if index >= 0 and offset < self.top_marks[index].end - 1:
            return self.top_marks[index]
        return None

    def marks_within(self, start: int, end: int) -> list[Mark]:
        return [m for m in self.top_marks if m.start < end and m.end > start]

    # --- cues -----------------------------------------------------------------

    def cue_at(self, si: int, ti: int) -> CueMatch | None:
        if (si, ti) not in self.cues:
            self.cues[si, ti] = self.find_cue(si, ti)
        return self.cues[si, ti]

    def find_cue(self, si: int, ti: int) -> CueMatch | None:
        token = self.sentences[si].tokens[ti]
        if not word(token) or first_person(token, self.lang) or token.text.lower() in self.lex.not_cues:
            return None
        if self.lang == "ru" and token.feats.get("VerbForm") == "Inf":
            return None  # "Стоит отметить, что …": the author's aside
        candidates = list(self.lex.by_form.get(token.text.lower(), ()))
        if self.lang == "ru" and token.lemma:
            candidates += self.lex.by_lemma.get(token.lemma.lower(), [])
        for cue in sorted(candidates, key=lambda c: -len(c.words)):
            match = self.match_words(si, ti, cue)
            if match is not None:
                return match
        return None

    def match_words(self, si: int, ti: int, cue: Cue) -> CueMatch | None:
        tokens = self.sentences[si].tokens
        first = last = ti
        if cue.head == 1:  # "не исключил"
            if ti == 0 or tokens[ti - 1].text.lower() not in ("не", "ні"):
                return None
            first = ti - 1
        elif ti > 0 and tokens[ti - 1].text.lower() == "не":
            return None  # a negated cue says nothing was said
        for word in cue.words[cue.head + 1:]:
            found = next((j for j in range(last + 1, min(last + 4, len(tokens)))
                          if same_word(tokens[j], word)), None)
            if found is None:
                return None
            last = found
        return CueMatch(cue, first, last, ti)

    # --- entities -------------------------------------------------------------

    def mentions_in(self, start: int, end: int) -> list[tuple[Mention, Entity]]:
        return [(m, e) for m, e in self.mentions if m.start < end and m.end > start]

    def is_not_speaker(self, start: int, end: int) -> bool:
        words = self.text[start:end].lower().replace("«", " ").replace("»", " ").split()
        outlet = (self.article.meta.outlet or "").lower()
        if outlet and outlet in self.text[start:end].lower():
            return True
        return any(w.strip('".,') in self.lex.not_speakers for w in words[:2]) or \
            " ".join(words) in self.lex.not_speakers


def word(token: Token) -> bool:
    """Whether a token is a word (the tagger calls some Ukrainian words PUNCT: go by the text)."""
    return any(c.isalnum() for c in token.text)


def same_word(token: Token, word: str) -> bool:
    text = token.text.lower()
    return text == word or (token.lemma or "").lower() == word or (len(word) > 4 and text.startswith(word[:-2]))


def first_person(token: Token, lang: str) -> bool:
    """"Напомним", "считаю", "Нагадаємо": the author or a quoted speaker, not a reported one."""
    if lang == "ru" and token.feats.get("Person") == "1":  # the Ukrainian tags come from a Russian model
        return True
    return token.text.lower() in ("напомним", "нагадаємо", "нагадаю", "вважаю", "зазначимо", "отметим")


def make_doc(article: Article) -> Doc:
    marks = find_marks(article)
    mentions = [(m, e) for e in article.entities for m in e.mentions]
    mentions.sort(key=lambda pair: (pair[0].start, -pair[0].end))
    lang = article.meta.lang or "ru"
    parsed = lang == "ru" and any(t.rel for s in article.sentences[:3] for t in s.tokens)
    doc = Doc(article, fold_typography(article.text), lang, article.sentences, lexicon(),
              marks, outermost(marks), mentions, parsed)
    doc.starts = [s.start for s in article.sentences]
    doc.mark_starts = [m.start for m in doc.top_marks]
    return doc
