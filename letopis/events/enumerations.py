"""Enumerations: one mention, several events.

- Items after a dash: "две встречи с Путиным – личная в Женеве летом и по видеосвязи
  недавно" gives two meetings (triggers "личная", "по видеосвязи"), each with the place
  and the time of its item; the counted noun itself is no event.
- Comitatives each with its own preposition: "провели переговоры с США в Женеве, с
  союзниками по НАТО в Брюсселе и с ... ОБСЕ в Вене" gives one event per partner, each
  with the place that follows it.
- A plural count noun with coordinated partners: "в телефонных разговорах с Путиным и
  Зеленским" gives one call with each.
- A visit to coordinated places: "посетила Киев и Москву" gives one visit to each.
- Formats named by their sides: "раундов переговоров в форматах Россия – США и Россия –
  НАТО" gives one event per pair.
"""

from __future__ import annotations

from .actors import actors, members
from .doc import Doc, Sent
from .draft import Draft
from .lexicon import lexicon
from .participants import COMITATIVE
from .setting import PLACE_PREPOSITIONS, place_entity

DASHES = ("–", "—", "-", ":")
COUNTED = ("два", "две", "три", "оба", "обе", "несколько")
ITEMIZED = ("разговор", "встреча", "визит", "беседа")  # count nouns a coordination splits


def split(doc: Doc, draft: Draft) -> list[Draft]:
    for rule in (dash_items, comitative_runs, plural_partners, visited_places, format_pairs):
        found = rule(doc, draft)
        if found:
            return found
    return [draft]


# --- items after a dash ---------------------------------------------------------------


def dash_items(doc: Doc, draft: Draft) -> list[Draft]:
    sent, head = draft.sent, draft.match.head
    if not any(sent.lemma(k) in COUNTED for k in sent.children(head, "nummod")):
        return []
    dash = next((k for k in range(head + 1, len(sent.tokens)) if sent.tokens[k].text in DASHES), None)
    if dash is None:
        return []
    found = []
    for first, last in item_spans(sent, dash + 1):
        item = item_draft(doc, draft, first, last)
        if item is not None:
            found.append(item)
    return found if len(found) >= 2 else []


def item_spans(sent: Sent, start: int) -> list[tuple[int, int]]:
    spans, first = [], start
    for k in range(start, len(sent.tokens)):
        word = sent.tokens[k].text.lower()
        if word in ("и", ",", ";", "а также") or k == len(sent.tokens) - 1:
            last = k - 1 if word in ("и", ",", ";", ".") else k
            if last >= first:
                spans.append((first, last))
            first = k + 1
    return spans


def item_draft(doc: Doc, draft: Draft, first: int, last: int) -> Draft | None:
    sent = draft.sent
    items = lexicon().enumeration_items
    marker = next((k for k in range(first, last + 1) if sent.lemma(k) in items), None)
    if marker is None:
        return None
    start_token = marker - 1 if marker > first and sent.tokens[marker - 1].pos == "ADP" else marker
    tokens = set(range(first, last + 1))
    item = draft.copy(start=sent.tokens[start_token].start, end=sent.tokens[marker].end,
                      subtype=items[sent.lemma(marker)], place=None, time=None)
    item.rules.append("enumeration:dash_item")
    item.place = next((p for k in sorted(tokens) if (p := place_entity(doc, sent, k, item.actors))), None)
    spans = [(sent.tokens[k].start, sent.tokens[k].end) for k in tokens]
    times = [t for t in doc.times if any(s < t.end and t.start < e for s, e in spans)]
    item.time = times[0].id if times else None
    return item


# --- one event per comitative -----------------------------------------------------------


def comitative_heads(draft: Draft) -> list[int]:
    sent, match = draft.sent, draft.match
    heads = [match.head]
    if sent.heads[match.head] >= 0 and sent.rel(match.head) in ("obj", "obl"):
        heads.append(sent.heads[match.head])
    found = []
    for h in heads:
        for k in sent.kids[h]:
            if sent.rel(k).startswith(("obl", "nmod", "conj")) and sent.preposition(k) in COMITATIVE:
                found.append(k)
    return sorted(set(found))


def comitative_runs(doc: Doc, draft: Draft) -> list[Draft]:
    """Several "с X" phrases, each with its own preposition: one event each."""
    sent = draft.sent
    heads = all_comitatives(sent, comitative_heads(draft))
    if draft.match.pattern.frame != "joint":
        return []
    if len(heads) < 2:
        return surface_runs(doc, draft)
    agent = [a for a in draft.args.agent if a not in draft.args.partner]
    found = []
    for n, k in enumerate(heads):
        partners = actors(doc, sent, k, coordinated=False)
        if not partners:
            return []
        end = heads[n + 1] - 1 if n + 1 < len(heads) else len(sent.tokens) - 1
        item = draft.copy(participants=list(dict.fromkeys(agent + partners)))
        item.place = run_place(doc, sent, k, end, item.actors) or draft.place
        item.rules.append("enumeration:comitative")
        found.append(item)
    return found


def surface_runs(doc: Doc, draft: Draft) -> list[Draft]:
    """The same read from the words where the tree tangles the runs ("провели переговоры с
    США в Женеве, с союзниками по НАТО в Брюсселе и с государствами – участниками ОБСЕ в
    Вене"): after the trigger, runs that each open with "с" right after a comma or "и";
    a run's partner is the entity it names outside its place ("по НАТО", "участниками ОБСЕ")."""
    sent, tokens = draft.sent, draft.sent.tokens
    after = draft.match.last + 1
    if after >= len(tokens) or tokens[after].text.lower() not in COMITATIVE:
        return []
    starts = [after] + [k for k in range(after + 1, len(tokens)) if tokens[k].text.lower() in COMITATIVE
                        and tokens[k - 1].text.lower() in (",", "и", "а")]
    if len(starts) < 2 or any(tokens[j].pos == "VERB" for j in range(after, len(tokens))):
        return []
    agent = [a for a in draft.args.agent if a not in draft.args.partner]
    found = []
    for n, start in enumerate(starts):
        end = starts[n + 1] - 1 if n + 1 < len(starts) else len(tokens) - 1
        places = {j for j in range(start, end + 1) if j > 0 and tokens[j - 1].text.lower() in PLACE_PREPOSITIONS}
        partners = list(dict.fromkeys(a for j in range(start + 1, end + 1) if j not in places
                                      and doc.entity_of(sent, j) for a in actors(doc, sent, j, coordinated=False)))
        if len(partners) != 1:
            return []
        item = draft.copy(participants=list(dict.fromkeys(agent + partners)))
        item.place = run_place(doc, sent, start, end, item.actors) or draft.place
        item.rules.append("enumeration:comitative_words")
        found.append(item)
    return found


def all_comitatives(sent: Sent, heads: list[int]) -> list[int]:
    """The comitative phrases, following "с X, с Y и с Z" chains the parser makes conj."""
    found = list(heads)
    for k in heads:
        for member in members(sent, k):
            if member not in found and sent.preposition(member) in COMITATIVE:
                found.append(member)
    found.sort()
    kept = found[:1]
    for k in found[1:]:  # no verb between two runs: "с X в Женеве, с Y в Брюсселе"
        if any(sent.tokens[j].pos == "VERB" for j in range(kept[-1], k)):
            break
        kept.append(k)
    return kept


def run_place(doc: Doc, sent: Sent, start: int, end: int, actors_: set[str]) -> str | None:
    for k in range(start, end + 1):
        if sent.preposition(k) in PLACE_PREPOSITIONS:
            found = place_entity(doc, sent, k, actors_)
            if found:
                return found
    return None


# --- a plural count noun with coordinated partners --------------------------------------


def plural_partners(doc: Doc, draft: Draft) -> list[Draft]:
    sent, head = draft.sent, draft.match.head
    if sent.lemma(head) not in ITEMIZED or sent.tokens[head].feats.get("Number") != "Plur":
        return []
    heads = comitative_heads(draft)
    if len(heads) != 1 or len(members(sent, heads[0])) < 2:
        return []
    agent = [a for a in draft.args.agent if a not in draft.args.partner]
    found = []
    for member in members(sent, heads[0]):
        partners = actors(doc, sent, member, coordinated=False)
        if partners:
            item = draft.copy(participants=list(dict.fromkeys(agent + partners)))
            item.rules.append("enumeration:plural_partners")
            found.append(item)
    return found if len(found) >= 2 else []


# --- a visit to coordinated places -------------------------------------------------------


def visited_places(doc: Doc, draft: Draft) -> list[Draft]:
    sent, head = draft.sent, draft.match.head
    if draft.subtype != "visit" or sent.tokens[head].pos not in ("VERB",):
        return []
    objects = sent.children(head, "obj")
    if len(objects) != 1 or len(members(sent, objects[0])) < 2:
        return []
    found = []
    for member in members(sent, objects[0]):
        place = place_entity(doc, sent, member, set())
        if place:
            found.append(draft.copy(place=place))
            found[-1].participants = [p for p in draft.participants if p != place]
            found[-1].rules.append("enumeration:visited_places")
    return found if len(found) >= 2 else []


# --- formats named by their sides ----------------------------------------------------------


def format_pairs(doc: Doc, draft: Draft) -> list[Draft]:
    """"переговоры в форматах Россия – США и Россия – НАТО": one event per pair of sides."""
    sent = draft.sent
    if draft.participants or draft.match.pattern.frame != "joint":
        return []
    formats = [k for k in sent.children(draft.match.head, "nmod", "obl")
               if sent.lemma(k) == "формат" and sent.preposition(k) in ("в", "во", "у")]
    if not formats:
        return []
    found = []
    for pair in dash_pairs(doc, sent, formats[0] + 1):
        item = draft.copy(participants=pair)
        item.rules.append("enumeration:format_pairs")
        found.append(item)
    return found


def dash_pairs(doc: Doc, sent: Sent, start: int) -> list[list[str]]:
    """Pairs of names joined by a dash from ``start``, up to a word that is none of them."""
    tokens, pairs, k = sent.tokens, [], start
    while k + 2 < len(tokens) and doc.entity_of(sent, k) and tokens[k + 1].text in DASHES[:3] \
            and doc.entity_of(sent, k + 2):
        pair = list(dict.fromkeys(a for j in (k, k + 2) for a in actors(doc, sent, j, coordinated=False)))
        if len(pair) == 2:
            pairs.append(pair)
        k += 3
        if k < len(tokens) and tokens[k].text.lower() in ("и", ",", "та", "і"):
            k += 1
    return pairs
