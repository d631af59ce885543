"""Direct speech: a quotation in marks, attributed by a cue around it.

- ``direct_split``: «…, – сказал он, – …» (the attribution inside the marks);
- ``direct_after``: «…», – сказал X. / "…" – заявил X (hyphen, en or em dash);
- ``direct_before``: X заявил: «…» / X сказал журналистам: «…» / X: «…».
"""

from __future__ import annotations

import re
from typing import Iterator

from .doc import Doc, Found
from .marks import Mark
from .speaker import speaker_of

DASH_AFTER = re.compile(r"[ \u00a0\t]*,?[ \u00a0\t]*[-–—−]+[ \u00a0\t]*")
SPLIT = re.compile(r"[,.!?…][ \u00a0\t]*[-–—−]+[ \u00a0\t]*")
REOPEN = re.compile(r"[,.!?…][ \u00a0\t]*[-–—−]+[ \u00a0\t]*")
COLON_BEFORE = re.compile(r":[ \u00a0\t]*\n?[ \u00a0\t]*$")
SKIPPABLE = {"также", "уверенно", "затем", "тогда", "ещё", "еще", "також", "ще"}


def content_of(mark: Mark) -> tuple[int, int]:
    return mark.inner


def cue_after(doc: Doc, offset: int):
    """(sentence, cue match) for a cue verb starting at ``offset`` (an adverb may come first)."""
    si = doc.sentence_at(offset)
    if si is None:
        return None
    ti = doc.token_at(si, offset)
    tokens = doc.tokens(si)
    while ti is not None and ti < len(tokens) and tokens[ti].text.lower() in SKIPPABLE:
        ti += 1
    if ti is None or ti >= len(tokens):
        return None
    match = doc.cue_at(si, ti)
    return (si, match) if match is not None else None


def make(doc: Doc, rule: str, content, si: int, match, after: bool, around=None) -> Found | None:
    """``around``: the part of the content the speaker may not lie in (all of it, but for a split quote)."""
    speaker = speaker_of(doc, si, match.verb, match.cue.frame, around or content, after)
    if speaker is not None and doc.is_not_speaker(speaker[0], speaker[1]):
        if match.cue.frame != "direct":
            return None
        speaker = None  # "цитирует агентство …": the agency relays, the speaker is unnamed
    first = doc.sentence_at(content[0])
    return Found(rule, "direct", content[0], content[1], si, cue=doc.span(si, match.first, match.last),
                 cue_class=match.cue.cls, speaker=speaker,
                 first_sentence=min(si, first if first is not None else si), last_sentence=si)


def direct_split(doc: Doc) -> Iterator[Found]:
    for mark in doc.top_marks:
        start, end = mark.inner
        for hit in SPLIT.finditer(doc.text, start, end):
            found = cue_after(doc, hit.end())
            if found is None:
                continue
            si, match = found
            cue_end = doc.tokens(si)[match.last].end
            back = REOPEN.search(doc.text, cue_end, end)
            if back is None or "\n" in doc.text[cue_end:back.start()]:
                continue
            item = make(doc, "direct_split", (start, end), si, match, after=True, around=(start, hit.start()))
            if item is not None:
                item.skip.append((hit.start() + 1, back.end()))
                yield item
            break


def direct_after(doc: Doc) -> Iterator[Found]:
    for mark in doc.top_marks:
        hit = DASH_AFTER.match(doc.text, mark.end)
        if hit is None:
            continue
        found = cue_after(doc, hit.end())
        if found is None:
            continue
        si, match = found
        item = make(doc, "direct_after", content_of(mark), si, match, after=True)
        if item is not None:
            yield item


def direct_before(doc: Doc) -> Iterator[Found]:
    for mark in doc.top_marks:
        before = doc.text[max(0, mark.start - 40):mark.start]
        hit = COLON_BEFORE.search(before)
        if hit is None:
            continue
        colon = mark.start - len(before) + hit.start()
        si = doc.sentence_at(colon)
        if si is None:
            continue
        item = colon_cue(doc, si, colon, mark) or colon_name(doc, si, colon, mark)
        if item is not None:
            yield item


def colon_cue(doc: Doc, si: int, colon: int, mark: Mark) -> Found | None:
    """"Эрдоган заявил: «…»": the nearest cue before the colon, in the same clause."""
    tokens = doc.tokens(si)
    for ti in range(len(tokens) - 1, -1, -1):
        token = tokens[ti]
        if token.start >= colon or doc.mark_around(token.start) is not None:
            continue
        if token.text in ("«", "»", '"', ";") or (token.text == ":" and token.start < colon):
            return None
        match = doc.cue_at(si, ti)
        if match is not None:
            return make(doc, "direct_before", content_of(mark), si, match, after=False)
    return None


def colon_name(doc: Doc, si: int, colon: int, mark: Mark) -> Found | None:
    """"Лавров: «…»", "Министр обороны Турции Хулуси Акар: «…»": a person or organization
    named right before the colon, nothing but their title before it."""
    start = max(doc.sentences[si].start, doc.text.rfind("\n", 0, colon) + 1)
    tokens = [t for t in doc.tokens(si) if start <= t.start < colon]
    if not tokens or len(tokens) > 9 or any(t.pos in ("VERB", "AUX") or t.text in ",;()" for t in tokens):
        return None
    names = [(m, e) for m, e in doc.mentions_in(start, colon) if e.type in ("PER", "ORG")]
    if not names or doc.text[names[-1][0].end:colon].strip():
        return None
    speaker = (tokens[0].start, names[-1][0].end, names[-1][0].start)
    if doc.is_not_speaker(*speaker[:2]):
        return None
    return Found("direct_colon_name", "direct", *content_of(mark), si, cue=(colon, colon + 1),
                 cue_class="statement", speaker=speaker, first_sentence=si, last_sentence=doc.sentence_at(mark.end - 1))
