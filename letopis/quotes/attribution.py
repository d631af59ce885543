"""Attributions that are not a cue verb with a complement.

- ``parenthetical``: "По словам X, …", "…, по его словам, …", "Как сообщил X, …",
  "как говорится в заявлении X", "За словами X", "як зазначив X": the content is the
  host clause (its first conjunct when the attribution opens the sentence: an
  attribution's scope is the clause it stands in; precision first).
- ``inverted``: "<content>, сообщили в Минобороны России." / "…, повідомив X".
- ``topic_clause``: "О том, что <content>, сообщил X." / "Про те, що <content>, заявив X".
"""

from __future__ import annotations

from typing import Iterator

from .doc import DASHES, POSSESSIVES, Doc, Found, word
from .indirect import QUOTE_MARKS, RELATIVES, TOPIC_OPENERS, complement_start, cue_tokens, infinitive
from .speaker import speaker_of, surface_after

CONNECTIVES = {"при", "этом", "также", "тем", "вместе", "с", "между", "кроме", "того", "однако", "но", "и",
               "а", "цьому", "також", "водночас", "тим", "часом", "крім", "напомним", "нагадаємо"}
COORDINATORS = {"и", "а", "но", "однако", "і", "й", "та", "але", "проте"}
HOW = {"как", "як"}
GERUNDS = ("ючи", "учи", "вши", "вшись")


def parenthetical(doc: Doc) -> Iterator[Found]:
    for si, sentence in enumerate(doc.sentences):
        tokens = sentence.tokens
        for ti in range(len(tokens) - 1):
            if doc.mark_around(tokens[ti].start) is not None:
                continue
            item = phrase_attribution(doc, si, ti) or how_attribution(doc, si, ti)
            if item is not None:
                yield item


def phrase_attribution(doc: Doc, si: int, ti: int) -> Found | None:
    """"по словам X" / "по его словам" / "за словами X"."""
    tokens = doc.tokens(si)
    words = [t.text.lower() for t in tokens[ti:ti + 3]]
    if tuple(words[:2]) in doc.lex.phrases:
        cls, cue_last, speaker_first = doc.lex.phrases[tuple(words[:2])], ti + 1, ti + 2
        speaker_last = noun_phrase_end(doc, si, speaker_first)
    elif len(words) == 3 and words[1] in POSSESSIVES and (words[0], words[2]) in doc.lex.phrases:
        cls, cue_last, speaker_first = doc.lex.phrases[(words[0], words[2])], ti + 2, ti + 1
        speaker_last = ti + 1
    else:
        return None
    if speaker_last is None or speaker_last < speaker_first:
        return None
    speaker = (tokens[speaker_first].start, tokens[speaker_last].end, tokens[speaker_first].start)
    if doc.is_not_speaker(speaker[0], speaker[1]):
        return None
    return host(doc, si, ti, max(cue_last, speaker_last), "parenthetical_phrase", cls,
                (tokens[ti].start, tokens[cue_last].end), speaker)


def how_attribution(doc: Doc, si: int, ti: int) -> Found | None:
    """"Как сообщил министр, …", "как заявили в Кремле", "як зазначив Єрмак"."""
    tokens = doc.tokens(si)
    if tokens[ti].text.lower() not in HOW or (ti > 0 and tokens[ti - 1].text != ","):
        return None
    match = doc.cue_at(si, ti + 1)
    if match is None or match.verb != ti + 1 or complement_start(doc, si, match) is not None \
            or tokens[ti + 1].text.lower() in doc.lex.provenance:
        return None
    last = noun_phrase_end(doc, si, match.last + 1)
    if last is None:
        return None
    span = (tokens[ti].start, tokens[last].end)
    speaker = speaker_of(doc, si, match.verb, match.cue.frame, None, after=True) \
        or surface_after(doc, si, match.verb, None)
    if speaker is None or not (span[0] <= speaker[0] < span[1]) or doc.is_not_speaker(speaker[0], speaker[1]):
        return None
    return host(doc, si, ti, last, f"parenthetical_{tokens[ti].text.lower()}", match.cue.cls,
                doc.span(si, match.first, match.last), speaker)


def noun_phrase_end(doc: Doc, si: int, first: int) -> int | None:
    """The last token before the comma (or sentence end) that closes an attribution."""
    tokens = doc.tokens(si)
    j = first
    while j < len(tokens) and tokens[j].text not in (",", ".", ";", ":", "!", "?", *QUOTE_MARKS):
        j += 1
    if j == first or j - first > 9:
        return None
    return j - 1


def host(doc: Doc, si: int, first: int, last: int, rule: str, cls: str, cue, speaker) -> Found | None:
    """The quote whose content is the clause hosting the attribution tokens ``first..last``."""
    tokens = doc.tokens(si)
    start = clause_start(doc, si, first)
    lead = [t for t in tokens[start:first] if t.text not in (",", *DASHES)]
    if all(t.text.lower() in CONNECTIVES for t in lead):
        begin = last + 1
        while begin < len(tokens) and tokens[begin].text in (",", *DASHES):
            begin += 1
        end = first_conjunct_end(doc, si, begin)
    elif not any(word(t) for t in tokens[last + 1:]):
        begin, end = start, first - 1  # the attribution closes the sentence: "…, по словам Рябкова."
    else:
        begin, end = start, first_conjunct_end(doc, si, last + 1)
    while end >= begin and (tokens[end].text in ",.;:!?…" or tokens[end].text in DASHES):
        end -= 1
    if end - begin < 1:
        return None
    content = (tokens[begin].start, tokens[end].end)
    skip = [(tokens[first].start, tokens[last].end)] if begin < first else []
    return Found(f"{rule}:{cls}", "indirect", *content, si, cue=cue, cue_class=cls, speaker=speaker,
                 first_sentence=si, last_sentence=si, skip=skip)


def clause_start(doc: Doc, si: int, before: int) -> int:
    tokens = doc.tokens(si)
    start = 0
    for j in range(before):
        if tokens[j].text in (":", ";"):
            start = j + 1
        elif tokens[j].text == "," and j + 1 < before and tokens[j + 1].text.lower() in COORDINATORS:
            start = j + 2
    return start


def first_conjunct_end(doc: Doc, si: int, begin: int) -> int:
    """The last token before ", и/а/но/однако <clause>", or of the sentence."""
    tokens = doc.tokens(si)
    for j in range(begin + 1, len(tokens) - 1):
        if tokens[j].text == "," and tokens[j + 1].text.lower() in COORDINATORS \
                and doc.mark_around(tokens[j].start) is None:
            return j - 1
        if tokens[j].text == ";":
            return j - 1
    return len(tokens) - 1


# --- "О том, что <content>, сообщил X" ------------------------------------------------


def topic_clause(doc: Doc) -> Iterator[Found]:
    for si, sentence in enumerate(doc.sentences):
        tokens = sentence.tokens
        if len(tokens) < 6 or (tokens[0].text.lower(), tokens[1].text.lower()) not in TOPIC_OPENERS \
                or tokens[2].text != "," or tokens[3].text.lower() not in ("что", "що"):
            continue
        for ti in range(5, len(tokens)):
            match = doc.cue_at(si, ti) if tokens[ti - 1].text == "," else None
            if match is None or match.verb != ti or doc.mark_around(tokens[ti].start) is not None:
                continue
            content = (tokens[4].start, tokens[ti - 2].end)
            speaker = speaker_of(doc, si, match.verb, match.cue.frame, content, after=True)
            if speaker is not None and doc.is_not_speaker(speaker[0], speaker[1]):
                break
            yield Found(f"topic_clause:{match.cue.cls}", "indirect", *content, si, cue=doc.span(si, ti, match.last),
                        cue_class=match.cue.cls, speaker=speaker, first_sentence=si, last_sentence=si)
            break


# --- inverted: "<content>, сообщили в Минобороны России." ------------------------------


def inverted(doc: Doc) -> Iterator[Found]:
    for si, match in cue_tokens(doc, ("clause", "impersonal", "inf")):
        tokens = doc.tokens(si)
        comma = match.first - 1
        while comma > 0 and tokens[comma].text in DASHES:
            comma -= 1
        if comma < 3 or tokens[comma].text != "," or tokens[comma - 1].text.lower() in HOW \
                or tokens[match.verb].text.lower() in doc.lex.provenance:
            continue  # "…, сообщает BBC": where the news comes from
        if complement_start(doc, si, match) is not None or \
                any(infinitive(t, doc.lang) for t in tokens[match.last + 1:match.last + 4]):
            continue
        item = inverted_quote(doc, si, match, comma)
        if item is not None:
            yield item


def inverted_quote(doc: Doc, si: int, match, comma: int) -> Found | None:
    tokens = doc.tokens(si)
    end = comma - 1
    content = (tokens[0].start, tokens[end].end)
    quoted = any(m.start <= content[0] and m.end >= content[1] for m in doc.marks_within(*content))
    opener = (tokens[0].text.lower(), tokens[1].text.lower())
    if quoted or opener in TOPIC_OPENERS or any(doc.cue_at(si, j) is not None for j in range(0, comma)):
        return None  # a report of a report ("Об этом он сказал …, сообщает Depo.ua"), or direct speech
    speaker = speaker_of(doc, si, match.verb, match.cue.frame, content, after=True)
    if speaker is None or speaker[0] < tokens[match.last].end or doc.is_not_speaker(speaker[0], speaker[1]):
        return None
    cue = doc.span(si, match.first, match.last)
    rule = f"inverted:{match.cue.cls}"
    rest = [t for t in tokens if t.start >= speaker[1] and word(t)]
    if rest and not appended(doc, rest[0]):  # "…, однако сейчас, подчеркнул адвокат, он надеется …"
        last = len(tokens) - 1
        while last > 0 and not word(tokens[last]) and tokens[last].text not in QUOTE_MARKS:
            last -= 1
        content, rule = (tokens[0].start, tokens[last].end), f"inverted_inside:{match.cue.cls}"
        return Found(rule, "indirect", *content, si, cue=cue, cue_class=match.cue.cls, speaker=speaker,
                     first_sentence=si, last_sentence=si, skip=[(tokens[comma].start, speaker[1])])
    return Found(rule, "indirect", *content, si, cue=cue, cue_class=match.cue.cls, speaker=speaker,
                 first_sentence=si, last_sentence=si)


def appended(doc: Doc, token) -> bool:
    """Words after the speaker that describe the speaker, not a clause of the content:
    "…, которая председательствует", "…, выступая в Совете", "…, сообщает BBC"."""
    text = token.text.lower()
    return text.startswith(RELATIVES) or text in doc.lex.provenance or text.endswith(GERUNDS) \
        or token.feats.get("VerbForm") in ("Conv", "Part") and doc.lang == "ru"
