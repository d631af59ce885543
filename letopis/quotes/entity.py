"""The speaker's entity: the cluster (made by the resolver) whose mention the speaker
words hold.

The entity is the one whose name is the head word or stands in apposition to it
("Государственный секретарь США Энтони Блинкен"); else the one whose mention covers the
head word (a role "глава Госдепартамента", a pronoun "он", an organization "в Кремле");
else, for "пресс-служба Кремля", "в постпредстве Норвегии", the organization named
after such a word; else nobody: "советник Байдена" is not Байден, and an unresolved
speaker is better than a wrong one. Without a parse (Ukrainian): the person whose name
in the nominative closes the phrase, or the one mention that is the whole phrase.
"""

from __future__ import annotations

from ..record import Entity
from .doc import Doc
from .speaker import PREPOSITIONS, Speaker


def entity_for(doc: Doc, speaker: Speaker) -> Entity | None:
    """The speaker's entity: a name on the head word or in apposition to it
    ("Государственный секретарь США Энтони Блинкен"); else any mention on the head
    (a role, a pronoun, an organization); else, for "пресс-служба Кремля", the
    organization after the head; else nobody ("советник Байдена" is not Байден)."""
    start, end, head = speaker
    found = doc.mentions_in(start, end)
    if not found:
        return None
    if head is None:
        return surface_entity(doc, found, start, end)
    names = {e.id: e for m, e in found if m.kind == "name" and e.type == "PER" and apposed(doc, m, head)}
    if len(names) == 1:
        return next(iter(names.values()))
    for mention, entity in found:
        if mention.start <= head < mention.end:
            return entity
    if head_word(doc, head) in doc.lex.voices:
        after = [e for m, e in found if m.start > head and e.type != "PER"]
        return after[0] if after else None
    return None


def surface_entity(doc: Doc, found, start: int, end: int) -> Entity | None:
    """Without a parse: the person whose name closes the phrase ("Речник МЗС України Олег
    Ніколенко"), else the one mention that is the whole phrase ("У Кремлі", "Кулеба")."""
    closing = {e.id: e for m, e in found if e.type == "PER" and m.kind == "name" and m.end >= end - 1
               and (m.normal or m.text).lower() == m.text.lower()}  # nominative: not "советник Байдена"
    if len(closing) == 1:
        return next(iter(closing.values()))
    head = first_word(doc, start, end)
    if head_word(doc, head) in doc.lex.voices or doc.text[head:end].split()[0].lower() in doc.lex.voices:
        after = [e for m, e in found if m.start > head and e.type != "PER"]
        return after[0] if after else None
    whole = {e.id: e for m, e in found if m.start <= head and m.end >= end - 1}
    return next(iter(whole.values())) if len(whole) == 1 else None


def apposed(doc: Doc, mention, head: int) -> bool:
    """A name standing for the phrase: on its head word, or in apposition to it."""
    if mention.start <= head < mention.end:
        return True
    si = doc.sentence_at(mention.start)
    if si is None or not doc.parsed:
        return False
    head_ti, ti = doc.token_at(si, head), doc.token_at(si, mention.start)
    seen = set()
    while ti is not None and ti != head_ti and ti not in seen:  # a bad parse may loop
        seen.add(ti)
        token = doc.tokens(si)[ti]
        if token.rel not in ("appos", "flat:name", "flat", "nsubj") and not (token.rel or "").startswith("flat"):
            return False
        ti = doc.head_of(si, ti)
    return ti == head_ti


def first_word(doc: Doc, start: int, end: int) -> int:
    """The first word of a phrase after a preposition ("У Кремлі" -> "Кремлі")."""
    words = doc.text[start:end].split()
    if len(words) > 1 and words[0].lower() in PREPOSITIONS:
        return doc.text.index(words[1], start)
    return start


def head_word(doc: Doc, offset: int) -> str:
    si = doc.sentence_at(offset)
    if si is None:
        return ""
    ti = doc.token_at(si, offset)
    token = doc.tokens(si)[ti]
    return (token.lemma or token.text).lower()
