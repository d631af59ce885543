"""Where and when: the place (an entity id) and the time (a TimeExpr id) of an event.

Place: a LOC/GPE name in a locative phrase of the trigger or of the words it depends on
("переговоры в Женеве", "встретились в турецкой Анталье", "эскалация возле границы
Украины"), or the object of a visit ("посетит Пекин"). A capital acting as an actor is
no place. Time: the time expression of the trigger's clause nearest to it; else the
nearest one of the sentence; else, for a statement (an accusation, a rejection, a
threat made in a quote), the time of the quote or of the speaker's earlier quote.
"""

from __future__ import annotations

from .doc import Doc, Sent
from .triggers import Match

PLACE_PREPOSITIONS = ("в", "во", "на", "у", "возле", "около", "под", "до", "к", "у")
AREA_NOUNS = ("граница", "территория", "район", "регион", "окрестность", "восток", "запад", "север",
              "юг", "побережье", "столица", "полигон")
STATEMENT_TYPES = ("ACCUSE", "REJECT", "THREATEN", "REQUEST")


def place_of(doc: Doc, sent: Sent, match: Match, governors: list[int], actors: set[str]) -> str | None:
    candidates = []
    for node in governors:
        for k in sent.kids[node]:
            if k in match.tokens or not sent.rel(k).startswith(("obl", "nmod", "obj")):
                continue
            if sent.rel(k) == "obj" and not (node == match.head and match.pattern.subtype == "visit"):
                continue
            if sent.rel(k) != "obj" and sent.preposition(k) not in PLACE_PREPOSITIONS:
                continue
            candidates.append(k)
        if sent.tokens[node].pos in ("VERB", "AUX"):
            break
    for k in candidates:
        found = place_entity(doc, sent, k, actors)
        if found is None and sent.lemma(k) in AREA_NOUNS:
            found = next((p for c in sent.children(k, "nmod") if (p := place_entity(doc, sent, c, actors))), None)
        if found:
            return found
    return None


def place_entity(doc: Doc, sent: Sent, k: int, actors: set[str]) -> str | None:
    entity = doc.entity_of(sent, k)
    mention = doc.mention_of(sent, k)
    if entity is None or mention.kind != "name" or entity in actors:
        return None
    return entity if doc.entities[entity].type in ("LOC", "GPE") else None


def clause_tokens(sent: Sent, top: int) -> set[int]:
    """The clause headed by ``top``, without the clauses nested in it."""
    found, stack = set(), [top]
    while stack:
        k = stack.pop()
        if k in found:
            continue
        found.add(k)
        for child in sent.kids[k]:
            if not sent.rel(child).startswith(("ccomp", "advcl", "acl:relcl", "parataxis")):
                stack.append(child)
    return found


def times_in(doc: Doc, sent: Sent, tokens: set[int]) -> list:
    if "times" not in sent.memo:
        sent.memo["times"] = [t for t in doc.times if t.start < sent.sentence.end and sent.sentence.start < t.end]
    spans = [(sent.tokens[i].start, sent.tokens[i].end) for i in tokens]
    return [t for t in sent.memo["times"] if any(s < t.end and t.start < e for s, e in spans)]


def time_of(doc: Doc, sent: Sent, match: Match, governors: list[int], event_type: str) -> tuple[str | None, str | None]:
    """(time id, how it was found)."""
    local = times_in(doc, sent, clause_tokens(sent, governors[-1]))
    if local:
        return nearest(local, match).id, "clause"
    everywhere = times_in(doc, sent, set(range(len(sent.tokens))))
    if everywhere:
        return nearest(everywhere, match).id, "sentence"
    if event_type in STATEMENT_TYPES:
        return quote_time(doc, match), "quote"
    return None, None


def nearest(times: list, match: Match):
    return min(times, key=lambda t: min(abs(t.start - match.end), abs(match.start - t.end)))


def quote_time(doc: Doc, match: Match) -> str | None:
    quote = doc.quote_at(match.start)
    if quote is None:
        return None
    if quote.time:
        return quote.time
    earlier = [q for q in doc.quotes if q.speaker and q.speaker == quote.speaker and q.end <= quote.start and q.time]
    return earlier[-1].time if earlier else None
