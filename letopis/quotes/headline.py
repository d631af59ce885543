"""Headline attribution, in a title or subtitle: "<content>, – Госдеп США" (the source
after a dash, as Russian and Ukrainian news write it) and "Рябков: <content>" (a
person, or an organization, then a colon). A place after ", –" speaks for its country
("…, – Анкара"); a place before a colon is a section heading ("Женева: восемь часов…").
"""

from __future__ import annotations

from typing import Iterator

from .doc import DASHES, Doc, Found
from .speaker import PREPOSITIONS


def headline(doc: Doc) -> Iterator[Found]:
    for si, sentence in enumerate(doc.sentences):
        if sentence.zone not in ("title", "lead") or not sentence_opens_paragraph(doc, sentence):
            continue
        item = headline_colon(doc, si) or (headline_dash(doc, si) if sentence.zone == "title" else None)
        if item is not None:
            yield item


def sentence_opens_paragraph(doc: Doc, sentence) -> bool:
    return sentence.start == 0 or doc.text[sentence.start - 1] == "\n"


def headline_colon(doc: Doc, si: int) -> Found | None:
    """"Рябков: …", "Макрон после переговоров с Путиным: …" (a person, then at most a
    prepositional phrase); a person the recognizer missed must be a surname of the article."""
    tokens = doc.tokens(si)
    colon = next((j for j, t in enumerate(tokens[:8]) if t.text == ":"), None)
    if colon is None or colon == 0 or colon + 2 >= len(tokens):
        return None
    name_end = person_at_start(doc, si, colon)
    if name_end is None:
        return None
    after_name = next((j for j, t in enumerate(tokens) if t.start >= name_end), colon)
    if after_name < colon and tokens[after_name].text.lower() not in PREPOSITIONS:
        return None  # "Кулеба провів розмову з Блінкеном: …" is a summary, not an attribution
    last = len(tokens) - 1
    while last > colon and tokens[last].text in ".!?…":
        last -= 1
    speaker = (tokens[0].start, name_end, tokens[0].start)
    return Found("headline_colon", "indirect", tokens[colon + 1].start, tokens[last].end, si,
                 cue=(tokens[colon].start, tokens[colon].end), cue_class="statement", speaker=speaker,
                 first_sentence=si, last_sentence=si)


def person_at_start(doc: Doc, si: int, colon: int) -> int | None:
    """The end of the person's name opening the sentence, if one does."""
    tokens = doc.tokens(si)
    opening = [(m, e) for m, e in doc.mentions_in(tokens[0].start, tokens[colon].start) if m.start == tokens[0].start]
    if opening:
        mention, entity = opening[0]
        if entity.type == "PER" and all(w[:1].isupper() for w in mention.text.split()) \
                or (entity.type == "ORG" and mention.end >= tokens[colon - 1].end):
            return mention.end  # a person, or an organization that is all there is before the colon
        return None
    words = [t.text for t in tokens[:colon]]
    surnames = {e.name.split()[-1].lower() for e in doc.article.entities if e.type == "PER" and e.name}
    if 1 <= len(words) <= 2 and all(w[:1].isupper() for w in words) and words[-1].lower() in surnames:
        return tokens[colon - 1].end
    return None


def headline_dash(doc: Doc, si: int) -> Found | None:
    tokens = doc.tokens(si)
    last = len(tokens) - 1
    while last > 0 and tokens[last].text in ".!?…":
        last -= 1
    dash = next((j for j in range(last - 1, max(last - 7, 2), -1) if tokens[j].text in DASHES), None)
    if dash is None:
        return None
    tail = (tokens[dash + 1].start, tokens[last].end)
    comma = tokens[dash - 1].text == ","
    names = [(m, e) for m, e in doc.mentions_in(*tail) if e.type in ("PER", "ORG")
             or (comma and m.start == tail[0] and m.end >= tail[1])]  # "…, – Анкара": a place speaking
    if not names or not tokens[dash + 1].text[:1].isupper() or doc.is_not_speaker(*tail) or any(t.pos == "VERB" for t in tokens[dash + 1:last + 1]):
        return None
    end = dash - 1
    while end > 0 and tokens[end].text in (",", *DASHES):
        end -= 1
    if end < 2:
        return None
    return Found("headline_dash", "indirect", tokens[0].start, tokens[end].end, si,
                 cue=(tokens[dash].start, tokens[dash].end), cue_class="statement",
                 speaker=(tail[0], tail[1], names[0][0].start), first_sentence=si, last_sentence=si)
