"""The article as the event rules see it: sentences with a dependency tree (0-based
indices, children lists), the entity mention at each token, the quote each offset
lies in, and the time expressions."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..record import NLP_ZONE_KINDS, Article, Entity, Mention, Quote, Sentence, TimeExpr

CLAUSE_RELS = ("root", "ccomp", "advcl", "acl:relcl", "parataxis", "csubj")


@dataclass
class Sent:
    """One sentence: tokens, heads (0-based, -1 for the root) and children."""

    sentence: Sentence
    number: int  # index in article.sentences
    heads: list[int]
    kids: list[list[int]]
    lemmas: list[str] = field(default_factory=list)  # lower case, the word where no lemma
    memo: dict = field(default_factory=dict)  # per-sentence results the rules reuse
    lang: str = "ru"
    rels: list[str] = field(default_factory=list)  # dependency relations, "" where none

    @property
    def tokens(self):
        return self.sentence.tokens

    def lemma(self, i: int) -> str:
        return self.lemmas[i]

    def rel(self, i: int) -> str:
        return self.rels[i]

    def children(self, i: int, *rels: str) -> list[int]:
        """Children of token i, those whose relation starts with one of ``rels`` if given."""
        return [k for k in self.kids[i] if not rels or self.rel(k).startswith(rels)]

    def ancestors(self, i: int) -> list[int]:
        found, seen = [], {i}
        while self.heads[i] >= 0 and self.heads[i] not in seen:
            i = self.heads[i]
            seen.add(i)
            found.append(i)
        return found

    def subtree(self, i: int) -> list[int]:
        found, stack = [], [i]
        while stack:
            k = stack.pop()
            if k in found:
                continue
            found.append(k)
            stack.extend(self.kids[k])
        return sorted(found)

    def preposition(self, i: int) -> str | None:
        """The preposition of a nominal ("с" in "с Путиным"), lower case, or None."""
        cases = [k for k in self.kids[i] if self.rel(k) == "case" and k < i]
        words = [k for c in cases for k in [c, *self.children(c, "fixed")]]
        return " ".join(self.tokens[k].text.lower() for k in sorted(words)) if words else None

    def clause_head(self, i: int) -> int:
        """The nearest token at or above i that heads a clause."""
        for k in [i, *self.ancestors(i)]:
            if self.rel(k) in CLAUSE_RELS or self.heads[k] < 0:
                return k
        return i

    def index_at(self, offset: int) -> int | None:
        for i, token in enumerate(self.tokens):
            if token.start <= offset < token.end:
                return i
        return None


@dataclass
class Doc:
    article: Article
    sents: list[Sent]
    entities: dict[str, Entity]
    mention_at: dict[int, tuple[str, Mention]]  # token start -> (entity id, mention)
    quotes: list[Quote]
    times: list[TimeExpr]
    notes: dict = field(default_factory=dict)  # per-article state the rules share

    def entity_of(self, sent: Sent, i: int) -> str | None:
        found = self.mention_at.get(sent.tokens[i].start)
        return found[0] if found else None

    def mention_of(self, sent: Sent, i: int) -> Mention | None:
        found = self.mention_at.get(sent.tokens[i].start)
        return found[1] if found else None

    def quote_at(self, offset: int) -> Quote | None:
        for quote in self.quotes:
            if quote.start <= offset < quote.end:
                return quote
        return None


def make_sent(sentence: Sentence, number: int, lang: str = "ru") -> Sent:
    size = len(sentence.tokens)
    heads = [t.head - 1 if 0 < t.head <= size else -1 for t in sentence.tokens]
    kids: list[list[int]] = [[] for _ in range(size)]
    for i, head in enumerate(heads):
        if head >= 0 and head != i:
            kids[head].append(i)
    lemmas = [(t.lemma or t.text).lower() for t in sentence.tokens]
    return Sent(sentence, number, heads, kids, lemmas, lang=lang or "ru",
                rels=[t.rel or "" for t in sentence.tokens])


def make_doc(article: Article) -> Doc:
    sents = [make_sent(s, n, article.meta.lang) for n, s in enumerate(article.sentences)
             if s.zone in NLP_ZONE_KINDS and s.tokens and s.tokens[0].pos is not None]
    mention_at = {}
    starts = sorted({t.start for s in sents for t in s.tokens})
    for entity in article.entities:
        for mention in entity.mentions:
            for start in token_starts_in(starts, mention.start, mention.end):
                mention_at.setdefault(start, (entity.id, mention))
    if article.meta.lang == "uk":
        from .uk_names import mend_mentions

        mend_mentions(article, sents, mention_at)
    return Doc(article, sents, {e.id: e for e in article.entities}, mention_at,
               list(article.quotes), list(article.times))


def token_starts_in(starts: list[int], start: int, end: int) -> list[int]:
    from bisect import bisect_left

    i = bisect_left(starts, start)
    found = []
    while i < len(starts) and starts[i] < end:
        found.append(starts[i])
        i += 1
    return found
