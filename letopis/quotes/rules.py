"""The rules in order, and the steps that turn what they find into ``Quote`` records.

Each rule is a function ``rule(doc) -> Iterable[Found]``. Earlier rules win: a quote
whose content overlaps one already taken is dropped, so direct speech comes first,
then cues with a complement, then attributions standing apart. After the rules:

- ``follow_ups``: "Об этом он сказал на брифинге 21 декабря." gives the quotes of the
  sentence before it their time (and speaker, when they had none), or, where that
  sentence holds no quote, makes it one;
- the kind of indirect speech holding a quoted fragment becomes ``mixed``;
- the time: a time expression of the attribution, outside every quote's content.
"""

from __future__ import annotations

from ..record import Quote
from .attribution import inverted, parenthetical, topic_clause
from .direct import direct_after, direct_before, direct_split
from .doc import Doc, Found
from .entity import entity_for
from .fragments import is_quotation
from .headline import headline
from .indirect import (JOINERS, complement_start, cue_accusation, cue_complement, cue_fragment,
                       cue_infinitive, cue_naming)
from .speaker import speaker_of, surface_after

RULES = [
    direct_split,
    direct_after,
    direct_before,
    headline,
    cue_complement,
    cue_infinitive,
    cue_accusation,
    cue_naming,
    cue_fragment,
    parenthetical,
    topic_clause,
    inverted,
]

FOLLOW_OPENERS = {("об", "этом"), ("о", "том"), ("про", "це"), ("об", "этом,")}


def find(doc: Doc) -> list[Found]:
    taken: list[Found] = []
    for rule in RULES:
        for item in rule(doc):
            if not clashes(item, taken):
                taken.append(item)
    follow_ups(doc, taken)
    share_speakers(doc, taken)
    for item in taken:
        settle_kind(doc, item)
    for item in taken:
        item.time = time_of(doc, item, taken)
    return sorted(taken, key=lambda item: item.start)


def clashes(item: Found, taken: list[Found]) -> bool:
    return any(item.start < other.end and other.start < item.end for other in taken)


def share_speakers(doc: Doc, taken: list[Found]) -> None:
    """A coordinated cue (", и напомнил, что …", "і висловив сподівання") speaks with the
    voice of the cue before it; speaker words inside another quote's content are no speaker."""
    ordered = sorted(taken, key=lambda item: item.cue[0] if item.cue else item.start)
    for index, item in enumerate(ordered):
        inside = item.speaker is not None and any(
            other is not item and other.start <= item.speaker[0] < other.end for other in taken)
        if item.speaker is not None and not inside:
            continue
        previous = ordered[index - 1] if index else None
        if previous is not None and previous.sentence == item.sentence and coordinated(doc, item):
            item.speaker = previous.speaker
        elif inside:
            item.speaker = None


def coordinated(doc: Doc, item: Found) -> bool:
    if item.cue is None:
        return False
    before = doc.text[max(0, item.cue[0] - 25):item.cue[0]].lower().replace(",", " , ").split()
    words = []
    for word in reversed(before):
        if word not in JOINERS:
            break
        words.append(word)
    return bool(words) and len(before) > len(words) and before[-len(words) - 1] == ","


def follow_ups(doc: Doc, taken: list[Found]) -> None:
    for si in range(1, len(doc.sentences)):
        tokens = doc.tokens(si)
        if len(tokens) < 3 or (tokens[0].text.lower(), tokens[1].text.lower()) not in FOLLOW_OPENERS \
                or tokens[2].text == ",":  # "О том, что …, сообщил X" is a quote of its own
            continue
        match = next((m for m in (doc.cue_at(si, j) for j in range(2, len(tokens)))
                      if m is not None and m.cue.frame != "direct"), None)
        if match is None or complement_start(doc, si, match) is not None \
                or tokens[match.verb].text.lower() in doc.lex.provenance:
            continue  # "Об этом сообщает BBC": the news' source
        previous = doc.sentences[si - 1]
        before = [q for q in taken if q.start < previous.end and q.end > previous.start]
        speaker = speaker_of(doc, si, match.verb, match.cue.frame, None, after=False) \
            or surface_after(doc, si, match.verb, None)  # "Об этом заявил X"
        if speaker is not None and doc.is_not_speaker(speaker[0], speaker[1]):
            continue  # "Об этом сообщает ТАСС": the news' source, not the speaker's
        if before:
            for quote in before:
                quote.follow = si
                quote.last_sentence = max(quote.last_sentence or si, si)
                quote.speaker = quote.speaker or speaker
        elif not clashes(Found("", "", previous.start, previous.end, si), taken):
            taken.append(previous_as_quote(doc, si, match, speaker))


def previous_as_quote(doc: Doc, si: int, match, speaker) -> Found:
    previous = doc.sentences[si - 1]
    start, end = previous.start, previous.end
    while end > start and doc.text[end - 1] in ".!?… ":
        end -= 1
    quoted = [m for m in doc.top_marks if m.start <= start and m.end >= end]
    if quoted:
        start, end = quoted[0].inner
    return Found(f"follow_up:{match.cue.cls}", "direct" if quoted else "indirect", start, end, si,
                 cue=doc.span(si, match.first, match.last), cue_class=match.cue.cls, speaker=speaker,
                 first_sentence=si - 1, last_sentence=si)


def settle_kind(doc: Doc, item: Found) -> None:
    if item.kind != "indirect":
        return
    for mark in doc.marks_within(item.start, item.end):
        if any(start <= mark.start < end for start, end in item.skip):
            continue
        if is_quotation(doc, mark):
            item.kind = "mixed"
            return


def time_of(doc: Doc, item: Found, taken: list[Found]) -> str | None:
    """A time expression of the attribution: before the content when the cue leads
    ("21 декабря Путин заявил, что …"), after it when the cue follows ("…», – сказал
    Боррель 14 января"), in the sentence that attributes it ("Об этом он сказал на
    брифинге 21 декабря"); never one inside a quote's content."""
    if not doc.article.times:
        return None
    cue = item.cue[0] if item.cue else item.start
    regions = [attribution_region(doc, item)]
    if item.follow is not None:
        regions.append((doc.sentences[item.follow].start, doc.sentences[item.follow].end))
    for start, end in regions:
        candidates = [t for t in doc.article.times if start <= t.start and t.end <= end
                      and not any(q.start <= t.start < q.end for q in taken)
                      and not (item.speaker and item.speaker[0] <= t.start < item.speaker[1])]
        if candidates:
            return min(candidates, key=lambda t: abs(t.start - cue)).id
    return None


def attribution_region(doc: Doc, item: Found) -> tuple[int, int]:
    sentence = doc.sentences[item.sentence]
    if item.skip and item.cue and item.start <= item.cue[0] < item.end:
        return item.skip[0]  # "…, по словам Пескова, …": the parenthetical itself
    if item.cue and item.cue[0] < item.start:
        return sentence.start, item.start
    return item.end, sentence.end


def to_quote(doc: Doc, item: Found, number: int, stage: str) -> Quote:
    text = doc.article.text
    entity = entity_for(doc, item.speaker) if item.speaker else None
    sentences = [i for i in (item.first_sentence, item.last_sentence, item.sentence,
                             doc.sentence_at(item.start), doc.sentence_at(max(item.start, item.end - 1)))
                 if i is not None]
    first, last = doc.sentences[min(sentences)], doc.sentences[max(sentences)]
    speaker_start, speaker_end = (item.speaker[0], item.speaker[1]) if item.speaker else (None, None)
    cue_start, cue_end = item.cue if item.cue else (None, None)
    return Quote(
        id=f"q{number}", kind=item.kind, start=item.start, end=item.end,
        speaker=entity.id if entity else None,
        speaker_text=text[speaker_start:speaker_end] if item.speaker else None,
        speaker_start=speaker_start, speaker_end=speaker_end,
        cue=text[cue_start:cue_end] if item.cue else None, cue_start=cue_start, cue_end=cue_end,
        sentence_start=first.start, sentence_end=last.end, time=item.time, rule=item.rule, stage=stage,
    )
