"""Trigger candidates: the words of a sentence that name an event, from the lexicon
(letopis/data/events/triggers.tsv). Longer matches win over shorter ones on the same words
("отвечают за эскалацию" is an accusation, not an escalation)."""

from __future__ import annotations

from dataclasses import dataclass

from .doc import Doc, Sent
from .lexicon import Pattern, lexicon

NOUNISH = ("NOUN", "PROPN")
VERBISH = ("VERB", "AUX")
MAX_GAP = 2  # words allowed between the lemmas of a multi-word pattern


@dataclass
class Match:
    sent: Sent
    head: int  # the token the rules read arguments and status from
    tokens: tuple[int, ...]  # every token of the trigger
    pattern: Pattern

    @property
    def first(self) -> int:
        return min(self.tokens)

    @property
    def last(self) -> int:
        return max(self.tokens)

    @property
    def start(self) -> int:
        return self.sent.tokens[self.first].start

    @property
    def end(self) -> int:
        return self.sent.tokens[self.last].end


def pos_fits(pattern: Pattern, token) -> bool:
    if pattern.pos == "*":
        return True
    if pattern.head.startswith("~"):  # Ukrainian through Russian models: tags are rough, the stem decides
        return token.pos != "PUNCT"
    return fits_pos(pattern.pos, token.pos)


def fits_pos(wanted: str, pos: str | None) -> bool:
    if wanted == "NOUN":
        return pos in NOUNISH
    if wanted == "VERB":
        return pos in VERBISH
    return pos == wanted


def match_sequence(doc: Doc, sent: Sent, i: int, pattern: Pattern) -> Match | None:
    found = [i]
    position = i
    for lemma in pattern.words[1:]:
        nxt = next((k for k in range(position + 1, min(position + 2 + MAX_GAP, len(sent.tokens)))
                    if sent.lemma(k) == lemma), None)
        if nxt is None or any(sent.tokens[k].pos == "PUNCT" for k in range(position + 1, nxt)):
            return None
        found.append(nxt)
        position = nxt
    head = syntactic_head(sent, found)
    if len(pattern.words) == 1 and not pos_fits(pattern, sent.tokens[i]):
        return None
    return Match(sent, head, tuple(found), pattern)


def syntactic_head(sent: Sent, tokens: list[int]) -> int:
    inside = set(tokens)
    return next((k for k in tokens if sent.heads[k] not in inside), tokens[0])


def match_dependent(doc: Doc, sent: Sent, i: int, pattern: Pattern) -> Match | None:
    relation, lemmas = pattern.dependent
    if not pos_fits(pattern, sent.tokens[i]):
        return None
    for k in sent.children(i, relation):
        person = "@PER" in lemmas and any(is_person(doc, sent, j) for j in [k, *sent.children(k, "appos", "flat")])
        if sent.lemma(k) in lemmas or person:
            return Match(sent, i, tuple(sorted((i, k))), pattern)
    return None


def is_person(doc: Doc, sent: Sent, i: int) -> bool:
    entity = doc.entity_of(sent, i)
    return entity is not None and doc.entities[entity].type == "PER"


def match_stem(doc: Doc, sent: Sent, i: int, pattern: Pattern) -> Match | None:
    words = pattern.words
    forms = [t.text.lower() for t in sent.tokens[i:i + len(words)]]
    if len(forms) < len(words) or not forms[0].startswith(words[0][1:]):
        return None
    if any(not form.startswith(word) for form, word in zip(forms[1:], words[1:])):
        return None
    if not pos_fits(pattern, sent.tokens[i]):
        return None
    tokens = list(range(i, i + len(words)))
    return Match(sent, syntactic_head(sent, tokens), tuple(tokens), pattern)


def token_matches(doc: Doc, sent: Sent, i: int) -> list[Match]:
    lex = lexicon()
    found = []
    for pattern in lex.by_lemma.get(sent.lemma(i), ()):
        match = match_dependent(doc, sent, i, pattern) if pattern.dependent else match_sequence(doc, sent, i, pattern)
        if match is not None:
            found.append(match)
    if found or doc.article.meta.lang != "uk":
        return found
    form = sent.tokens[i].text.lower()
    for pattern in lex.stems:
        if form.startswith(pattern.head[1:]):
            match = match_stem(doc, sent, i, pattern)
            if match is not None:
                found.append(match)
    return found


def find_triggers(doc: Doc, sent: Sent) -> list[Match]:
    """Non-overlapping trigger matches of a sentence, in text order."""
    candidates = [m for i in range(len(sent.tokens)) for m in token_matches(doc, sent, i)]
    candidates.sort(key=lambda m: (-m.pattern.size, -stem_length(m.pattern), -(m.last - m.first), m.first))
    kept, used = [], set()
    for match in candidates:
        if used.isdisjoint(match.tokens):
            kept.append(match)
            used.update(match.tokens)
    return sorted(kept, key=lambda m: m.first)


def stem_length(pattern: Pattern) -> int:
    return len(pattern.head) if pattern.head.startswith("~") else 0
