"""Speakers: the words that point to who speaks, and the entity they name.

The words come from the dependency parse where it can be trusted (Russian): the
subject of the cue verb, "в Кремле" (an organization as the place where something
was said), the agent of a passive, the object of "цитирует"; the subject of the
verb a gerund or a coordinated cue hangs on. Otherwise (Ukrainian, a failed parse)
from the surface: the noun phrase opening the clause before the cue, or following a
cue placed after the quote.

Which entity the words name is ``entity.entity_for``'s business.
"""

from __future__ import annotations

from .doc import DASHES, PUNCT, Doc

Speaker = tuple[int, int, "int | None"]  # start, end, offset of the head word

PREPOSITIONS = {"в", "во", "у", "на", "под", "після", "после", "з", "із", "зі", "за", "до", "по", "для",
                "від", "от", "про", "о", "об", "при", "через", "перед", "під", "над", "с", "со", "к"}
PLACE_PREPOSITIONS = {"в", "во", "у"}
ADVERBS = {"также", "тоже", "ранее", "еще", "ещё", "уже", "вчера", "сегодня", "накануне", "позже", "затем",
           "також", "раніше", "ще", "вже", "вчора", "сьогодні", "напередодні", "пізніше", "тим", "часом",
           "тогда", "впервые", "неоднократно", "неодноразово", "при", "этом", "цьому", "публично", "прямо"}
CONJUNCTIONS = {"и", "і", "й", "та"}
OPENERS = {("об", "этом"), ("о", "том"), ("про", "це")}
MONTHS = {"янв", "фев", "мар", "апр", "мая", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек",
          "сiч", "січ", "лют", "бер", "кві", "тра", "чер", "лип", "сер", "вер", "жов", "лис", "гру"}
PRONOUN_WORDS = {"он", "она", "они", "він", "вона", "вони"}
NAME_PARTICLES = {"фон", "дер", "де", "ван", "ди", "да", "ла", "ле"}
WORD_OF = {"слово", "слова", "заявление", "высказывание", "слова"}


def speaker_of(doc: Doc, si: int, verb: int, frame: str, content: tuple[int, int],
               after: bool) -> Speaker | None:
    """The speaker words of the cue ``verb``; ``after``: the cue follows its quote."""
    if doc.parsed:
        found = parsed_speaker(doc, si, verb, frame, content, depth=0)
        if found is not None:
            return found
    return surface_after(doc, si, verb, content) if after else surface_before(doc, si, verb, content)


# --- from the parse ------------------------------------------------------------------


def parsed_speaker(doc: Doc, si: int, verb: int, frame: str, content, depth: int) -> Speaker | None:
    tokens = doc.tokens(si)
    kids = [k for k in doc.children(si, verb) if not inside(tokens[k].start, content)]
    if frame == "direct":
        for kid in kids:
            if tokens[kid].rel == "obj" and not doc.is_not_speaker(tokens[kid].start, tokens[kid].end):
                return object_speaker(doc, si, kid, content, verb)
    for kid in kids:
        if (tokens[kid].rel or "").startswith("nsubj"):
            return phrase(doc, si, kid, content, verb)
    for kid in kids:
        if tokens[kid].rel in ("obl", "obl:agent") and place_or_agent(doc, si, kid):
            return phrase(doc, si, kid, content, verb)
    stray = stray_subject(doc, si, verb, content)
    if stray is not None:
        return phrase(doc, si, stray, content, verb)
    head = doc.head_of(si, verb)
    if depth < 2 and head is not None and tokens[verb].rel in ("conj", "advcl", "xcomp") \
            and tokens[head].pos in ("VERB", "ADJ"):
        return parsed_speaker(doc, si, head, "clause", content, depth + 1)
    return None


def stray_subject(doc: Doc, si: int, verb: int, content) -> int | None:
    """A nominative subject opening the cue's clause that the parser hung elsewhere
    ("помощница … Карен Донфрид сообщила, что …" with "помощница" under the complement)."""
    tokens = doc.tokens(si)
    for ti in range(clause_start(doc, si, verb), verb):
        token = tokens[ti]
        if (token.rel or "").startswith("nsubj") and not inside(token.start, content) \
                and (doc.head_of(si, ti) or 0) > verb and token.feats.get("Case") == "Nom":
            return ti
    return None


def place_or_agent(doc: Doc, si: int, ti: int) -> bool:
    """"в Кремле", "у Кремлі", "в заявлении МИД" or the agent of a passive ("Кремлем")."""
    token = doc.tokens(si)[ti]
    if token.rel == "obl:agent":
        return True
    cases = [doc.word(si, k) for k in doc.children(si, ti) if doc.tokens(si)[k].rel == "case"]
    return bool(cases) and cases[0] in PLACE_PREPOSITIONS and token.feats.get("Case") in ("Loc", None)


def object_speaker(doc: Doc, si: int, ti: int, content, verb: int) -> Speaker:
    """"цитирует агентство главу МИД" -> "главу МИД"; "передает слова источника" -> "источника"."""
    token = doc.tokens(si)[ti]
    if (token.lemma or "").lower() in WORD_OF:
        for kid in doc.children(si, ti):
            if doc.tokens(si)[kid].rel == "nmod":
                return phrase(doc, si, kid, content, verb)
    return phrase(doc, si, ti, content, verb)


def phrase(doc: Doc, si: int, head: int, content, verb: int | None = None) -> Speaker:
    """The noun phrase of ``head``: its subtree, cut at commas, dashes, the content and the cue."""
    tokens = doc.tokens(si)
    lo, hi = doc.subtree(si, head)
    if verb is not None:
        lo, hi = (lo, min(hi, verb - 1)) if head < verb else (max(lo, verb + 1), hi)
    first = last = head
    while first - 1 >= lo and keeps(tokens[first - 1], content):
        first -= 1
    while last + 1 <= hi and keeps(tokens[last + 1], content):
        last += 1
    while first < head and tokens[first].pos in ("ADV", "CCONJ", "PART", "SCONJ"):
        first += 1
    return tokens[first].start, tokens[last].end, tokens[head].start


def keeps(token, content) -> bool:
    return token.text not in (",", ":", ";", "(", ")", *DASHES) and not inside(token.start, content)


def inside(offset: int, span) -> bool:
    return span is not None and span[0] <= offset < span[1]


# --- from the surface ----------------------------------------------------------------


def surface_after(doc: Doc, si: int, verb: int, content) -> Speaker | None:
    """"– наголосив Кулеба", "повідомив керівник Офісу президента Андрій Єрмак", "– сказав він":
    a pronoun; else the words up to the end of the last person's name among them; else
    a title and the capitalized name that follows it ("замглавы МИД")."""
    tokens = doc.tokens(si)
    index = verb + 1
    while index < len(tokens) and tokens[index].text.lower() in ADVERBS:
        index += 1
    first = index
    if index + 1 < len(tokens) and tokens[index].text.lower() in PLACE_PREPOSITIONS:
        index += 1
    if index < len(tokens) and tokens[index].text.lower() in PRONOUN_WORDS:
        return tokens[index].start, tokens[index].end, None
    while index < len(tokens) and nominal(tokens[index]) and not inside(tokens[index].start, content):
        index += 1
    if index == first:
        return None
    start, end = tokens[first].start, tokens[index - 1].end
    person_end = last_person_before(doc, start, end)
    if person_end is not None:
        return start, person_end, None
    last, capital_seen = first, False
    while last < index:
        capital = tokens[last].text[:1].isupper()
        if capital_seen and not capital and tokens[last].text.lower() not in NAME_PARTICLES:
            break
        capital_seen = capital_seen or capital
        last += 1
    return start, tokens[last - 1].end, None


def surface_before(doc: Doc, si: int, verb: int, content) -> Speaker | None:
    """The noun phrase opening the clause of the cue: "Речник МЗС України Олег Ніколенко раніше заявив"."""
    tokens = doc.tokens(si)
    start = clause_start(doc, si, verb)
    if start + 1 < verb and (tokens[start].text.lower(), tokens[start + 1].text.lower()) in OPENERS:
        start += 2  # "Об этом он сказал"
    while start < verb and (tokens[start].text.lower() in ADVERBS or tokens[start].text.isdigit()
                            or tokens[start].text.lower()[:3] in MONTHS):
        start += 1  # "Накануне", "21 декабря"
    index = start
    if index + 1 < verb and tokens[index].text.lower() in PLACE_PREPOSITIONS:
        index += 1  # "У Кремлі заявили", "В заявлении МИД говорится"
    while index < verb and nominal(tokens[index]) and not inside(tokens[index].start, content):
        index += 1
    last = index - 1
    person_end = last_person_before(doc, tokens[start].start, tokens[verb].start)
    if person_end is not None and "," not in doc.text[tokens[start].start:person_end]:
        while last + 1 < verb and tokens[last + 1].end <= person_end:
            last += 1
    if last < start:
        return None
    return tokens[start].start, tokens[last].end, None


def clause_start(doc: Doc, si: int, verb: int) -> int:
    """After the nearest comma, colon or dash before ``verb`` that closes no parenthetical
    ("Голова ради Шарль Мішель, у свою чергу, повідомив" starts at "Голова")."""
    tokens = doc.tokens(si)
    bounds = [i for i in range(verb) if tokens[i].text in (",", ":", ";", *DASHES) or tokens[i].text in "«»\"„“"]
    while len(bounds) >= 2 and tokens[bounds[-1]].text == "," and tokens[bounds[-2]].text == "," \
            and bounds[-1] - bounds[-2] <= 5 and verb_start(tokens, bounds[-1], verb) == verb:
        bounds = bounds[:-2]  # skip a ", у свою чергу," parenthetical right before the cue
    start = bounds[-1] + 1 if bounds else 0
    while start < verb and tokens[start].text.lower() in ("напомним", "нагадаємо", "и", "і", "а", "но", "але"):
        start += 1
    return start


def verb_start(tokens, comma: int, verb: int) -> int:
    """Where the cue's words begin after ``comma``: adverbs like "раніше" may come first."""
    index = comma + 1
    while index < verb and tokens[index].text.lower() in ADVERBS:
        index += 1
    return index if index == verb else -1


def last_person_before(doc: Doc, start: int, end: int) -> int | None:
    ends = [m.end for m, e in doc.mentions_in(start, end) if e.type == "PER" and m.kind == "name" and m.end <= end]
    return max(ends) if ends else None


def nominal(token) -> bool:
    word = token.text.lower()
    if token.text in PUNCT or word in PREPOSITIONS or word in ADVERBS or word in ("не", "ні"):
        return False
    return word in CONJUNCTIONS or token.text[:1].isupper() or token.text[:1].isalpha() or token.text.isdigit()
