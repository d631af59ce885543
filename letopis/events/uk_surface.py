"""Ukrainian read by the Russian models: where the tree is too rough, the words around a
trigger are read instead (``ukrainian_surface``, the last of the argument rules in
``participants``).

- a joint trigger: "з X" right after it is the partner ("провів телефонну розмову з
  Блінкеном", "з союзниками по НАТО та партнерами з G7"); the genitive list after a noun
  ("переговорів США та Росії", "переговори делегацій України та Росії"); the names right
  before a verb, or before the verbs a noun depends on ("США та Україна домовилися",
  "Кулеба провів розмову", "домовилися підтримувати контакт"); "Ми з X" (the speaker and
  X); the other side of a meeting "з X" and the side of a setting ("у результаті обміну"):
  the name before the nearest verb to the left;
- a directed verb: the names before it, over "готова й надалі" and "X та союзники", are the
  source; the name right after it the target ("допомагати Україні").

Within the clause only (no comma, colon or quote between), people before organizations
on the comitative side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .doc import Doc, Sent
from .lexicon import is_light_verb
from .triggers import Match

if TYPE_CHECKING:
    from .participants import Args

UK_COMITATIVE = ("з", "із", "зі")
UK_AND = ("і", "й", "та", "и")
UK_STOPS = (",", ".", ":", ";", "—", "–", "«", "»", "„", "“", "\"", "(", ")")
UK_WINDOW = 8  # words searched on either side of the trigger


def ukrainian_surface(doc: Doc, match: Match, args: Args) -> None:
    """Ukrainian, parsed by the Russian models: the tree is too rough to read, so where it
    gave nothing, the words around the trigger are read instead: "з X" right after a joint
    trigger is the partner ("провів телефонну розмову з Блінкеном"); the names right before
    a verb trigger, or a light verb and its noun ("США та Україна домовилися", "Кулеба
    провів розмову"), are the agent. Within the clause only (no comma, colon or quote
    between), people before organizations on the comitative side."""
    if doc.article.meta.lang != "uk":
        return
    if match.pattern.frame == "directed" and match.pattern.pos == "VERB":
        ukrainian_directed(doc, match, args)
    if match.pattern.frame != "joint":
        return
    sent = match.sent
    if not args.partner:
        after = match.last + 1
        if after < len(sent.tokens) and sent.tokens[after].text.lower() in UK_COMITATIVE:
            found = surface_names(doc, sent, range(after + 1, min(len(sent.tokens), after + 1 + 2 * UK_WINDOW)),
                                  lead=instrumental)
            people = [f for f in found if doc.entities[f].type == "PER"]
            args.add("partner", people or found, "uk_comitative")
    if args.partner and not args.agent and match.pattern.pos == "NOUN":
        args.add("agent", [a for a in clause_speaker(doc, sent, match.first) if a not in args.partner],
                 "uk_clause_subject")
    if not (args.partner or args.agent) and match.pattern.pos == "NOUN" and uk_setting(sent, match.first):
        args.add("agent", clause_speaker(doc, sent, match.first), "uk_situation_subject")
    start = match.last + 1  # over "делегацій", "міністрів закордонних справ": the genitive of whose
    while start < len(sent.tokens) and start - match.last <= 3 and doc.entity_of(sent, start) is None \
            and sent.tokens[start].text[:1].islower() and genitive_word(sent, start):
        start += 1
    genitive_after = match.pattern.pos == "NOUN" and start < len(sent.tokens) \
        and doc.entity_of(sent, start) is not None
    if genitive_after:  # "переговорів США та Росії", "зустріч Путіна і Зеленського": the genitive
        names = surface_names(doc, sent, range(start, min(len(sent.tokens), start + UK_WINDOW)), adjacent=True)
        if set(args.agent) < set(names):  # the tree found a part of the list
            args.agent = []
        if not args.agent:
            args.add("agent", names, "uk_genitive")
        return
    if not args.agent or match.pattern.pos != "NOUN":  # a verb: the names before it beat the rough tree
        first = match.first
        before = first - 1
        if match.pattern.pos == "NOUN":  # "провів телефонну розмову", "домовилися підтримувати контакт"
            verb = verbs_before(sent, first)
            if verb is None:
                return
            before = verb - 1
        names = we_with(doc, sent, before) or \
            surface_names(doc, sent, range(before, max(-1, before - UK_WINDOW), -1), adjacent=True)
        if names and args.agent and match.pattern.pos != "NOUN":
            args.agent = []
        args.add("agent", names, "uk_subject")


UK_CHAIN = ("VERB", "INFN", "ADVB", "ADJS", "PRCL")
UK_CHAIN_WORDS = {"готова", "готовий", "готові", "готове", "надалі", "також", "й", "і", "та", "ще", "вже", "не"}


def ukrainian_directed(doc: Doc, match: Match, args: Args) -> None:
    """A Ukrainian directed verb: the names right before it, over the verbs, adverbs and
    "готова" it depends on ("Анкара готова й надалі сприяти"), are the source where the
    tree gave none; a name right after it the target ("допомагати Україні")."""
    sent = match.sent
    if not args.agent:
        k = match.first - 1
        while k >= 0 and doc.entity_of(sent, k) is None and sent.tokens[k].text not in UK_STOPS and \
                (uk_pos(sent, k) in UK_CHAIN or sent.tokens[k].text.lower() in UK_CHAIN_WORDS):
            k -= 1
        if k >= 2 and doc.entity_of(sent, k) is None and sent.tokens[k - 1].text.lower() in UK_AND \
                and sent.tokens[k].text[:1].islower():
            k -= 2  # "США та союзники продовжать допомагати": the side the text names
        if k >= 0:
            args.add("agent", surface_names(doc, sent, range(k, max(-1, k - UK_WINDOW), -1), adjacent=True),
                     "uk_subject")
    after = match.last + 1
    if not args.patient and after < len(sent.tokens):
        args.add("patient", surface_names(doc, sent, range(after, min(len(sent.tokens), after + UK_WINDOW)),
                                          adjacent=True), "uk_object")


UK_SETTINGS = ("у результаті", "в результаті", "під час", "після", "за підсумками", "на")


def uk_setting(sent: Sent, first: int) -> bool:
    """"у результаті обміну", "під час зустрічі": the trigger is the setting of its clause."""
    words = [t.text.lower() for t in sent.tokens[max(0, first - 2):first]]
    return any(" ".join(words[-n:]) in UK_SETTINGS for n in (1, 2) if len(words) >= n)


def clause_speaker(doc: Doc, sent: Sent, first: int) -> list[str]:
    """"Зеленський заявив про готовність до зустрічі з Путіним", "Зеленський заявив, що
    готовий до зустрічі з ...": a meeting with someone, its other side unnamed, is the one
    of the name right before the nearest verb to its left."""
    for k in range(first - 1, 0, -1):
        if uk_pos(sent, k) != "VERB":
            continue
        j = k - 1  # over "також", "раніше": "Блінкен також поінформував"
        while j > 0 and doc.entity_of(sent, j) is None and (uk_pos(sent, j) == "ADVB" or sent.tokens[j].text.lower()
                                                              in UK_CHAIN_WORDS):
            j -= 1
        if doc.entity_of(sent, j):
            return surface_names(doc, sent, range(j, max(-1, j - UK_WINDOW), -1), adjacent=True)
    return []


def we_with(doc: Doc, sent: Sent, before: int) -> list[str]:
    """"Ми з Ентоні Блінкеном скоординували": the speaker and the partner."""
    from .actors import first_person

    k = before
    while k > 0 and (doc.entity_of(sent, k) or sent.tokens[k].text[:1].isupper()):
        k -= 1
    if k < 1 or k == before or sent.tokens[k].text.lower() not in UK_COMITATIVE:
        return []
    return first_person(doc, sent, k - 1) if sent.tokens[k - 1].text.lower() == "ми" else []


def uk_pos(sent: Sent, k: int) -> str | None:
    from ..times.tense import ukrainian_parse

    parsed = ukrainian_parse(sent.tokens[k].text.lower())
    return parsed.tag.POS if parsed is not None else None


def verbs_before(sent: Sent, first: int) -> int | None:
    """The first of the verbs right before a noun, over its adjectives ("провів телефонну
    розмову", "домовилися підтримувати постійний контакт"), or None."""
    k = first - 1
    while k >= 0 and first - k <= 3 and uk_pos(sent, k) in ("ADJF", "ADJS"):
        k -= 1
    verb = None
    while k >= 0 and (is_light_verb(sent.tokens[k]) or uk_pos(sent, k) in ("VERB", "INFN")):
        verb, k = k, k - 1
    return verb


def genitive_word(sent: Sent, k: int) -> bool:
    from ..times.tense import ukrainian_parse

    parsed = ukrainian_parse(sent.tokens[k].text.lower())
    return parsed is not None and parsed.tag.case == "gent"


def instrumental(sent: Sent, k: int) -> bool:
    """A word of a comitative phrase before its name ("з державним секретарем США", "з
    радником президента Франції", "з союзниками по НАТО")."""
    from ..times.tense import ukrainian_parse

    if sent.tokens[k].text.lower() in ("по", "з", "із", "зі"):
        return True
    parsed = ukrainian_parse(sent.tokens[k].text.lower())
    return parsed is not None and parsed.tag.case in ("ablt", "gent")


def surface_names(doc: Doc, sent: Sent, positions, adjacent: bool = False, lead=None) -> list[str]:
    """The entities named at ``positions`` (in that order) up to a stop. A run of name
    words is one name, its last entity in text order ("України Дмитро Кулеба": Кулеба).
    With ``adjacent``, only names joined by "і"/"та" to one right at the first position;
    with ``lead``, a word before the first name that fails it is a stop."""
    from .actors import actor_entities

    groups, run, joined = [], [], False
    for k in positions:
        token = sent.tokens[k]
        entity = doc.entity_of(sent, k)
        if token.text in UK_STOPS:
            break
        if lead is not None and not groups and not run and entity is None and not lead(sent, k):
            break
        if entity is not None and usable(doc, doc.entities[entity]):
            run.append((k, entity))
            continue
        if run:
            groups.append(max(run)[1])
            run = []
        if groups and not joined and token.text.lower() not in UK_AND:
            break  # a name, then a word that is no "і"/"та": the list is over
        joined = token.text.lower() in UK_AND or (joined and lead is not None and lead(sent, k))  # "та партнерами з"
        if adjacent and not joined:
            break
    if run:
        groups.append(max(run)[1])
    if adjacent and groups and doc.entity_of(sent, positions[0]) is None:
        return []
    return list(dict.fromkeys(a for g in groups for a in actor_entities(doc, g)))


def usable(doc: Doc, entity) -> bool:
    """Not a one-word "person" only ever at a sentence start, a common word the recognizer
    took for a name there ("Розмова", "Нагадаємо", "Міністр"); a country it took for a
    person stays."""
    from .actors import normal
    from .lexicon import lexicon

    if entity.type != "PER" or " " in entity.name.strip() or normal(entity.name) in lexicon().countries:
        return True
    starts = doc.notes.get("sentence_starts")
    if starts is None:
        starts = doc.notes["sentence_starts"] = {s.tokens[0].start for s in doc.sents}
    return any(m.start not in starts for m in entity.mentions)
