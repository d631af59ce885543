"""Actors: from an argument's words to entity ids, and actor coding (country, sector).

An argument's word stands for an actor when it lies in an entity mention ("Путиным"), is
a role or a side with a country ("лидеров России и США", "американская делегация",
"с американцами"), or is "мы"/"я" inside a quote (the speaker's side, the speaker).
Capitals acting as governments stand for their country ("переговоры с Вашингтоном");
a city that stands for one of several organizations ("Брюссель": NATO or the EU) does so
only when the article names exactly one of them; a bilateral council ("Совет Россия –
НАТО") stands for both of its sides.
"""

from __future__ import annotations

import re

from ..record import Entity
from ..resolve.lexicon import lexicon as resolve_lexicon
from .doc import Doc, Sent
from .lexicon import lexicon

MAX_DEPTH = 2  # genitive levels searched below a role or side ("министров иностранных дел ЕС")
FIRST_PERSON = {"мы": "side", "я": "self", "ми": "side"}
THIRD_PERSON = {"он": "m", "его": "m", "него": "m", "ему": "m", "нему": "m", "им": "m", "ним": "m",
                "она": "f", "ее": "f", "её": "f", "нее": "f", "неё": "f", "ей": "f", "ней": "f"}
DASHES = re.compile(r"\s*[–—-]\s*")
GENERIC_BODIES = {"мид", "минобороны", "министерство", "правительство", "мзс", "кабмин"}


def normal(text: str) -> str:
    return text.lower().replace("ё", "е").strip()


# --- countries and organizations of entities -----------------------------------------


def entity_names(entity: Entity) -> list[str]:
    names = [normal(entity.name)]
    names += [normal(m.normal or m.text) for m in entity.mentions if m.kind in ("name", "metonymy")]
    return list(dict.fromkeys(names))


def entity_country(entity: Entity) -> str | None:
    """ISO alpha-3 of a country entity (by one of its names), else None."""
    if entity.type not in ("GPE", "LOC"):
        return None
    countries = lexicon().countries
    return next((countries[n] for n in entity_names(entity) if n in countries), None)


def country_entity(doc: Doc, code: str) -> str | None:
    """The article's entity for a country: the one of its names with most mentions."""
    cache = doc.notes.setdefault("country_entity", {})
    if code not in cache:
        fits = [e for e in doc.entities.values() if entity_country(e) == code]
        cache[code] = max(fits, key=lambda e: len(e.mentions)).id if fits else None
    return cache[code]


def organization_entity(doc: Doc, names: tuple[str, ...]) -> str | None:
    """The entity of the article named by one of ``names``; where several are, they must
    name one organization ("ЕС", "Евросоюз": the one with most mentions), else None."""
    rows = lexicon().organization_rows
    found = [e for e in doc.entities.values() if set(entity_names(e)) & set(names)]
    kinds = {rows.get(n, n) for e in found for n in set(entity_names(e)) & set(names)}
    if not found or len(kinds) != 1:
        return None
    return max(found, key=lambda e: len(e.mentions)).id


def actor_entities(doc: Doc, entity_id: str) -> list[str]:
    """What an entity stands for as an actor: a capital its country, a council its sides."""
    entity = doc.entities[entity_id]
    names = entity_names(entity)
    if entity.type in ("GPE", "LOC"):
        code = entity_country(entity)
        if code:
            return [country_entity(doc, code) or entity_id]
        for name in names:
            country = resolve_lexicon().metonymy.get(name)
            if country and country_entity(doc, country):
                return [country_entity(doc, country)]
            organizations = lexicon().city_organizations.get(name)
            if organizations and organization_entity(doc, organizations):
                return [organization_entity(doc, organizations)]
    if entity.type == "ORG":
        sides = council_sides(doc, entity)
        if sides:
            return sides
    return [entity_id]


def council_sides(doc: Doc, entity: Entity) -> list[str]:
    """"Совет Россия – НАТО": the entities of both sides, when the article has them."""
    words = entity.name.split(maxsplit=1)
    if len(words) < 2 or not DASHES.search(words[1]):
        return []
    sides = []
    for part in DASHES.split(words[1]):
        found = [e.id for e in doc.entities.values() if e.id != entity.id and normal(part) in entity_names(e)]
        if not found:
            return []
        sides.extend(actor_entities(doc, found[0]))
    return sides if len(sides) >= 2 else []


# --- the actors of an argument's words ------------------------------------------------


def members(sent: Sent, i: int) -> list[int]:
    """A word and the words coordinated with it ("Путиным и Зеленским")."""
    head = sent.heads[i]
    if sent.rel(i) == "conj" and 0 <= head < i and sent.tokens[head].pos in ("NOUN", "PROPN") \
            and sent.tokens[head].feats.get("Case") == sent.tokens[i].feats.get("Case"):
        i = head  # "предложил Путину и Байдену" with "Байдену" taken for the subject: both
    found, stack = [], [i]
    while stack:
        k = stack.pop()
        if k not in found:
            found.append(k)
            for j in [k, *sent.children(k, "appos", "flat")]:
                stack.extend(c for c in sent.children(j, "conj") if sent.tokens[c].pos != "VERB")
    return sorted(found)


def actors(doc: Doc, sent: Sent, i: int, coordinated: bool = True) -> list[str]:
    """Entity ids the argument headed by token i stands for (with the words coordinated
    with it unless ``coordinated`` is False)."""
    found = []
    for k in members(sent, i) if coordinated else [i]:
        found += member_actors(doc, sent, k, 0)
    found = list(dict.fromkeys(found))
    people = [f for f in found if doc.entities[f].type == "PER"]
    if people and doc.entity_of(sent, i) is None:
        return people  # "президента США и России Джо Байдена и Владимира Путина": the people
    specific = [f for f in found if normal(doc.entities[f].name) not in GENERIC_BODIES]
    return specific or found


def member_actors(doc: Doc, sent: Sent, k: int, depth: int) -> list[str]:
    for rule in MEMBER_RULES:
        found = rule(doc, sent, k)
        if found:
            return found
    if depth < MAX_DEPTH and sent.tokens[k].pos in ("NOUN", "PROPN"):
        found = []
        for child in sent.children(k, "nmod"):
            if sent.preposition(child) is None and sent.tokens[child].feats.get("Case") in ("Gen", None):
                for member in members(sent, child):
                    found += member_actors(doc, sent, member, depth + 1)
        return found
    return []


def named(doc: Doc, sent: Sent, k: int) -> list[str]:
    """The word, or its name parts and appositions (two levels: "председатель ОБСЕ,
    министр ... Збигнев Рау"), lies in an entity mention."""
    entity = doc.entity_of(sent, k)
    if entity is not None:
        return actor_entities(doc, entity)
    if sent.tokens[k].text.lower() in FIRST_PERSON:  # "Ми з Ентоні Блінкеном": read by first_person
        return []
    found = []  # every named apposition: the parser hangs "и министр ... Сергей Лавров" on the first
    for j in appositions(sent, k):
        entity = doc.entity_of(sent, j)
        if entity is not None and doc.mention_of(sent, j).kind != "pronoun":
            found += actor_entities(doc, entity)
    return list(dict.fromkeys(found)) or holder_after(doc, sent, k)


def holder_after(doc: Doc, sent: Sent, k: int) -> list[str]:
    """"с госсекретарем США Энтони Блинкеном" with the name hung elsewhere by the parser:
    the person named right after a role noun and its country or organization."""
    if sent.lemma(k) not in resolve_lexicon().role_heads:
        return []
    for j in range(k + 1, min(k + 6, len(sent.tokens))):
        entity = doc.entity_of(sent, j)
        if entity is not None and doc.entities[entity].type == "PER":
            return [entity]
        if entity is None and not (sent.tokens[j].feats.get("Case") == "Gen" and sent.tokens[j].text[:1].islower()):
            return []
    return []


def appositions(sent: Sent, k: int) -> list[int]:
    first = sent.children(k, "flat", "appos")
    return first + [g for j in first if sent.rel(j) == "appos" for g in sent.children(j, "appos")]


def first_person(doc: Doc, sent: Sent, k: int) -> list[str]:
    """"мы" / "я" in a quote: the speaker's side (country or organization), the speaker."""
    kind = FIRST_PERSON.get(sent.tokens[k].text.lower())
    quote = doc.quote_at(sent.tokens[k].start) if kind else None
    if quote is None or quote.speaker not in doc.entities:
        return []
    partner = comitative_after(doc, sent, k)
    if kind == "side" and partner is not None:  # "мы с Блинкеном", "ми з Блінкеном": the speaker and him
        return list(dict.fromkeys([quote.speaker, *actors(doc, sent, partner)]))
    if kind == "side":
        side = speaker_side(doc, doc.entities[quote.speaker])
        if side:
            return [side]
    return [quote.speaker]


def comitative_after(doc: Doc, sent: Sent, k: int) -> int | None:
    """The noun of a comitative right after token k ("мы с Блинкеном": "Блинкеном")."""
    after = k + 1
    if after >= len(sent.tokens) or sent.tokens[after].text.lower() not in ("с", "со", "з", "із", "зі"):
        return None
    head = sent.heads[after]
    if head > after and sent.tokens[head].pos in ("NOUN", "PROPN"):
        return head
    return next((j for j in range(after + 1, min(after + 4, len(sent.tokens))) if doc.entity_of(sent, j)), None)


def speaker_side(doc: Doc, speaker: Entity) -> str | None:
    """The country or organization a speaker speaks for, from their role."""
    if speaker.type != "PER":
        return body_country(doc, speaker) or actor_entities(doc, speaker.id)[0]
    for role in speaker.roles:
        if role.org:
            org = organization_entity(doc, (normal(role.org),))
            if org:
                return org
        if role.country and country_entity(doc, role.country):
            return country_entity(doc, role.country)
    for role in speaker.roles:
        code = country_in_text(role.text)
        if code and country_entity(doc, code):
            return country_entity(doc, code)
        org = organization_in_text(doc, role.text)
        if org:
            return org
    return None


def body_country(doc: Doc, body: Entity) -> str | None:
    """A generic body ("МИД", "Минобороны") stands for the country of the article's one named
    body of that kind ("МИД России": Russia)."""
    name = normal(body.name)
    if name not in GENERIC_BODIES:
        return None
    codes = {e.country for e in doc.entities.values()
             if e.id != body.id and e.country and normal(e.name).startswith(name + " ")}
    return country_entity(doc, codes.pop()) if len(codes) == 1 else None


def country_in_text(text: str) -> str | None:
    words = normal(text).split()
    for name, code in lexicon().countries.items():
        stem = name[:-1] if len(name) > 4 else name
        if " " not in name and any(w.startswith(stem) for w in words):
            return code
    return None


def organization_in_text(doc: Doc, text: str) -> str | None:
    """An organization of the article named in a text ("представитель Евросоюза")."""
    words = normal(text).split()
    for entity in doc.entities.values():
        for name in entity_names(entity) if entity.type in ("ORG", "LOC", "GPE") else ():
            if name in lexicon().organizations and " " not in name:
                stem = name[:-1] if len(name) > 4 else name
                if any(w == name or (len(name) > 4 and w.startswith(stem)) for w in words):
                    return entity.id
    return None


def third_person(doc: Doc, sent: Sent, k: int) -> list[str]:
    """An object pronoun ("у него") whose one antecedent of its gender is in the sentence."""
    gender = THIRD_PERSON.get(sent.tokens[k].text.lower())
    if gender is None or sent.tokens[k].pos not in ("PRON", "DET"):
        return []
    people = people_before(doc, sent, k, gender)
    if people:
        return [people[-1]] if len(set(people)) == 1 else []
    earlier = [j for j in range(k) if THIRD_PERSON.get(sent.tokens[j].text.lower()) == gender
               and sent.tokens[j].pos in ("PRON", "DET")]
    if earlier:  # "Он не исключил, что ... его разговор": the same person as "он"
        return third_person(doc, sent, earlier[0])
    previous = [s for s in doc.sents if s.number == sent.number - 1]
    if not previous:
        return []
    people = people_before(doc, previous[0], len(previous[0].tokens), gender)
    if len(set(people)) > 1:  # "Лавров добавил, что решение примет глава государства. Он ...": the subject
        people = [p for p in people if p in main_subjects(doc, previous[0])]
    return [people[-1]] if len(set(people)) == 1 else []


def main_subjects(doc: Doc, sent: Sent) -> list[str]:
    """The entities of the subject of a sentence's root."""
    roots = [i for i, head in enumerate(sent.heads) if head < 0]
    return [doc.entity_of(sent, c) for r in roots for c in sent.children(r, "nsubj") if doc.entity_of(sent, c)]


def people_before(doc: Doc, sent: Sent, k: int, gender: str) -> list[str]:
    people = []
    for j in range(k):
        entity = doc.entity_of(sent, j)
        if entity and doc.entities[entity].type == "PER" and token_gender(sent, j) == gender:
            people.append(entity)
    return people


def token_gender(sent: Sent, j: int) -> str | None:
    gender = sent.tokens[j].feats.get("Gender")
    return {"Masc": "m", "Fem": "f"}.get(gender)


def side_word(doc: Doc, sent: Sent, k: int) -> list[str]:
    """"американская делегация", "российская сторона", "с американцами", "российско-американские";
    "французского президента": the one person of the article who is president of France."""
    codes = word_countries(sent.lemma(k))
    for child in sent.children(k, "amod"):  # "российской и украинской делегаций": both
        for adjective in [child, *sent.children(child, "conj")]:
            codes += word_countries(sent.lemma(adjective))
    if len(codes) == 1 and sent.lemma(k) in resolve_lexicon().role_heads:
        holder = role_holder(doc, sent.lemma(k), codes[0])
        if holder:
            return [holder]
    found = [country_entity(doc, code) for code in codes]
    return [f for f in dict.fromkeys(found) if f]


def role_holder(doc: Doc, head: str, code: str) -> str | None:
    holders = [e.id for e in doc.entities.values() if e.type == "PER" and any(
        normal(r.text).split()[0].startswith(head[:5]) and (r.country or country_in_text(r.text)) == code
        for r in e.roles if r.text.strip())]
    return holders[0] if len(holders) == 1 else None


def word_countries(lemma: str) -> list[str]:
    words = lexicon().actor_words
    if lemma in words:
        return [words[lemma]]
    if "-" in lemma:
        return [words[part] for part in lemma.split("-") if part in words]
    return []


def role_word(doc: Doc, sent: Sent, k: int) -> list[str]:
    """"министр", "президент" with no country and no name: the one person of the article
    who holds a role of that head ("Как сообщил министр, ...": Lavrov, where he is the
    article's only minister)."""
    lemma = sent.lemma(k)
    if sent.tokens[k].pos != "NOUN" or sent.tokens[k].feats.get("Number") != "Sing" \
            or lemma not in resolve_lexicon().role_heads or sent.children(k, "amod", "nmod"):
        return []
    holders = [e.id for e in doc.entities.values() if e.type == "PER" and any(
        normal(r.text).split()[:1] and normal(r.text).split()[0].startswith(lemma[:5]) for r in e.roles)]
    return holders if len(holders) == 1 else []


MEMBER_RULES = (named, first_person, third_person, side_word, role_word)


# --- actor coding ---------------------------------------------------------------------


def entity_code(doc: Doc, entity: Entity) -> tuple[str | None, str | None]:
    """(country or organization code, sector) of an entity, where known."""
    lex = lexicon()
    names = entity_names(entity)
    if entity.type in ("GPE", "LOC"):
        code = entity_country(entity)
        return (code, "government") if code else (None, None)
    country = next((lex.countries[n] for n in names if n in lex.countries), None)
    if country:  # a country the recognizer took for a person or organization ("Росія")
        return country, "government"
    if entity.type == "ORG":
        for name in names:
            if name in lex.organizations:
                return lex.organizations[name]
        words = entity.name.split(maxsplit=1)
        if len(words) == 2 and DASHES.search(words[1]):  # "Совет Россия – НАТО": a body of two sides
            return None, "igo"
        return country_in_text(entity.name), sector_of(entity.name)
    for role in entity.roles:
        code = role.country or country_in_text(role.text)
        org = organization_in_text(doc, role.text)
        org_code, org_sector = lex.organizations.get(normal(doc.entities[org].name), (None, None)) if org else (None, None)
        if org_sector == "igo" and not code:  # "Генеральный секретарь НАТО": NATO, igo
            return org_code, "igo"
        return code or org_code, sector_of(role.text) or org_sector
    return None, None


def sector_of(text: str) -> str | None:
    """The sector of a role or a name by its words (sectors.tsv; a word of five letters
    or more matches any ending: "обороны" by "оборона")."""
    words = normal(text).replace("-", " - ").split()
    for word, sector in lexicon().sectors:
        stem = word[:-1] if len(word) > 4 else word
        if any(w.startswith(stem) for w in words):
            return sector
    return None


def kb_code(entity: Entity) -> tuple[str | None, str | None]:
    """(country, sector) from the gazetteer entry of ``entity.kb_id``, where it has one."""
    if not entity.kb_id:
        return None, None
    from ..gazetteer import shared_gazetteer

    try:
        entry = shared_gazetteer().get(entity.kb_id)
    except Exception:  # a gazetteer that does not load codes nothing; the resolver reports it
        return None, None
    if entry is None:
        return None, None
    kind = entry.kind or ("country" if entry.type == "GPE" and getattr(entry, "is_country", False) else None)
    sector = lexicon().kb_sectors.get(kind) if kind else None
    return entry.country, sector


def code_entities(doc: Doc) -> None:
    """Set ``country`` and ``sector`` of every entity of the article where known: from its
    roles and names (``entity_code``), the gaps from its gazetteer entry."""
    for entity in doc.entities.values():
        code, sector = entity_code(doc, entity)
        if code is None or sector is None:
            kb_country, kb_sector = kb_code(entity)
            code, sector = code or kb_country, sector or kb_sector
        entity.country, entity.sector = code, sector


def actor_codes(article, event) -> list[dict]:
    """Each actor of an event with its country (ISO 3166 alpha-3, or an organization code
    such as NATO) and sector (government, military, igo, ...) where known, for rolling
    events up to dyads (USA–RUS)."""
    from .doc import make_doc

    doc = make_doc(article)
    found = []
    for slot in ("source", "target", "participants"):
        for entity_id in getattr(event, slot):
            entity = doc.entities.get(entity_id)
            if entity is None:
                continue
            code, sector = (entity.country, entity.sector) if entity.country or entity.sector \
                else entity_code(doc, entity)
            found.append({"slot": slot, "entity": entity_id, "name": entity.name, "country": code, "sector": sector})
    return found
