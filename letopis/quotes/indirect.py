"""Indirect speech: a cue verb with its content in the same sentence.

- ``cue_complement``: заявил, что …; считает, что …; не исключил, что …; опроверг
  информацию о том, что …; "X заявил: <clause>"; говорится в заявлении …, что …
- ``cue_infinitive``: призвал все стороны сохранять …; пообещал ввести …
- ``cue_accusation``: обвинил западные страны в …
- ``cue_naming``: назвал разговор «откровенным»; назвали преждевременными разговоры …

The content runs to the end of the sentence, or to the next speech act of the same
speaker (", и напомнил, что …"), or to a coordinated clause the cue's subject governs
(", и предложил начать …"), or to a clause with its own attribution ("…, однако
сроки визита, по его словам, пока не согласованы").
"""

from __future__ import annotations

from typing import Iterator

from .doc import CLAUSE_MARKERS, DASHES, Doc, Found, word
from .fragments import is_quotation
from .speaker import speaker_of

WINDOW = 8  # tokens between the cue and its "что"
NOT_PREDICATES = ("acl", "acl:relcl", "amod", "nmod", "obj", "nsubj", "obl", "case", "det")
JOINERS = {"и", "а", "но", "однако", "хотя", "і", "й", "та", "але", "проте", "хоча", "также", "також", "не", "ні"}
CONTRAST = {"а", "но", "однако", "але", "проте", "хотя", "хоча", "и", "і", "й"}
ATTRIBUTION_WORDS = {"словам", "словами", "данным", "даними", "мнению", "оценке", "думку"}
QUOTE_MARKS = "«»\"„“”"
TOPIC_OPENERS = {("об", "этом"), ("о", "том"), ("про", "це"), ("про", "те")}  # "Об этом сообщили в …"
RELATIVES = ("котор", "який", "яка", "яке", "які", "яку", "якої", "яких", "якого", "якому", "яким")
FUNCTION_WORDS = {"і", "й", "та", "а", "але", "від", "з", "із", "у", "в", "на", "до", "для", "за", "через", "після",
                  "серед", "під", "над", "при", "про", "як", "ніж", "и", "от", "с", "со", "после", "среди"}
INSTRUMENTAL = ("ым", "им", "ыми", "ими", "ой", "ей", "ою", "ім", "ною")


def cue_tokens(doc: Doc, frames: tuple[str, ...]):
    """(sentence, cue match) for every cue verb of the given frames outside quotation marks."""
    if doc.free_cues is None:
        doc.free_cues = list(free_cues(doc))
    return [(si, match) for si, match in doc.free_cues if match.cue.frame in frames]


def free_cues(doc: Doc):
    for si, sentence in enumerate(doc.sentences):
        for ti, token in enumerate(sentence.tokens):
            if not word(token) or doc.mark_around(token.start) is not None:
                continue
            match = doc.cue_at(si, ti)
            if match is None or match.verb != ti:
                continue
            if doc.parsed and token.rel in NOT_PREDICATES and token.feats.get("VerbForm") != "Conv":
                continue
            if doc.lang == "ru" and token.feats.get("VerbForm") == "Part" and token.text.lower() not in doc.lex.by_form:
                continue  # "так называемые", "была признана виновной": no one speaks; "было заявлено" reports
            if opens_with_topic(doc, si):
                continue  # "Об этом сообщили в …": the follow-up step reads these sentences
            if relative(doc, si, match.first):
                continue
            yield si, match


def opens_with_topic(doc: Doc, si: int) -> bool:
    tokens = doc.tokens(si)
    return len(tokens) > 1 and (tokens[0].text.lower(), tokens[1].text.lower()) in TOPIC_OPENERS


def relative(doc: Doc, si: int, cue: int) -> bool:
    """"которую … называли «неделей дипломатии»": a cue in a relative clause reports no quote."""
    for token in reversed(doc.tokens(si)[:cue]):
        if token.text in (",", ";", ":", *DASHES):
            return False
        if token.text.lower().startswith(RELATIVES):
            return True
    return False


def found(doc: Doc, rule: str, si: int, match, first: int) -> Found | None:
    tokens = doc.tokens(si)
    last = content_end(doc, si, first, match)
    if last < first:
        return None
    content = (tokens[first].start, tokens[last].end)
    speaker = speaker_of(doc, si, match.verb, match.cue.frame, content, after=False)
    if speaker is not None and doc.is_not_speaker(speaker[0], speaker[1]):
        return None
    if tokens[match.verb].text.lower() in doc.lex.provenance and not names_person(doc, speaker):
        return None  # "BBC сообщает, что …": where the news comes from
    return Found(f"{rule}:{match.cue.cls}", "indirect", content[0], content[1], si,
                 cue=doc.span(si, match.first, match.last), cue_class=match.cue.cls, speaker=speaker,
                 first_sentence=si, last_sentence=si)


def names_person(doc: Doc, speaker) -> bool:
    return speaker is not None and any(e.type == "PER" for _, e in doc.mentions_in(speaker[0], speaker[1]))


def cue_complement(doc: Doc) -> Iterator[Found]:
    for si, match in cue_tokens(doc, ("clause", "impersonal", "inf")):
        first = complement_start(doc, si, match)
        if first is not None:
            item = found(doc, "cue_complement", si, match, first)
            if item is not None:
                yield item


def cue_infinitive(doc: Doc) -> Iterator[Found]:
    for si, match in cue_tokens(doc, ("inf",)):
        tokens = doc.tokens(si)
        window = range(match.last + 1, min(match.last + 5, len(tokens)))
        if any(infinitive(tokens[j], doc.lang) for j in window) and not stops(tokens, match.last + 1):
            item = found(doc, "cue_infinitive", si, match, match.last + 1)
            if item is not None:
                yield item


def cue_accusation(doc: Doc) -> Iterator[Found]:
    for si, match in cue_tokens(doc, ("accuse",)):
        tokens = doc.tokens(si)
        window = [tokens[j].text.lower() for j in range(match.last + 1, min(match.last + 7, len(tokens)))]
        if ("в" in window or "у" in window) and not stops(tokens, match.last + 1):
            item = found(doc, "cue_accusation", si, match, match.last + 1)
            if item is not None:
                yield item


def cue_naming(doc: Doc) -> Iterator[Found]:
    for si, match in cue_tokens(doc, ("naming",)):
        tokens = doc.tokens(si)
        window = list(range(match.last + 1, min(match.last + 13, len(tokens))))
        comma = next((j for j in window if tokens[j].text == "," and doc.mark_around(tokens[j].start) is None), None)
        window = [j for j in window if comma is None or j < comma]  # "назвал X Y": Y in the first clause
        if any(predicative(tokens, j, doc.lang) and (not doc.parsed or tokens[j].pos == "ADJ"
                                                     or doc.head_of(si, j) == match.verb) for j in window) and not stops(tokens, match.last + 1):
            item = found(doc, "cue_naming", si, match, match.last + 1)
            if item is not None:
                yield item


# --- where the content starts and ends ------------------------------------------------


def complement_start(doc: Doc, si: int, match) -> int | None:
    """The first token after "что" (or after a colon) following the cue, if any."""
    tokens = doc.tokens(si)
    for j in range(match.last + 1, min(match.last + 1 + WINDOW, len(tokens) - 1)):
        text = tokens[j].text
        if text == "," and tokens[j + 1].text.lower() in CLAUSE_MARKERS - {"ли", "чи"}:
            return j + 2 if j + 2 < len(tokens) else None
        if text == ":" and j == match.last + 1 and tokens[j + 1].text not in QUOTE_MARKS:
            return j + 1  # "заявил: Россия …" (not "отметили три сферы: политическую, …")
        if text in (".", ";", ":", *QUOTE_MARKS) or doc.cue_at(si, j) is not None:
            return None
        if doc.parsed and tokens[j].feats.get("VerbForm") == "Fin" and tokens[j].pos in ("VERB", "AUX"):
            return None
    return None


def content_end(doc: Doc, si: int, first: int, match) -> int:
    tokens = doc.tokens(si)
    last = len(tokens) - 1
    gerund = tokens[match.verb].feats.get("VerbForm") == "Conv" and doc.parsed
    for j in range(first, len(tokens)):
        if gerund and tokens[j].text == "," and doc.mark_around(tokens[j].start) is None:
            last = j - 1  # "Называя Vestas «лидером», Марк назвал …": the gerund's phrase ends
            break
        if tokens[j].text == ";":
            last = j - 1
            break
        if tokens[j].text == "," and j > first and boundary(doc, si, j, match):
            last = j - 1
            break
        if tokens[j].text.lower() in ("и", "і", "й", "та") and j > first and next_cue(doc, si, j + 1):
            last = j - 1  # "назвав рішення історичним і закликав …": the speaker's next act
            break
    while last >= first and not word(tokens[last]) and tokens[last].text not in QUOTE_MARKS:
        last -= 1
    return last


def boundary(doc: Doc, si: int, comma: int, match) -> bool:
    """Whether the clause after ``comma`` is no longer the cue's content."""
    tokens = doc.tokens(si)
    j = comma + 1
    while j < len(tokens) - 1 and j < comma + 4 and tokens[j].text.lower() in JOINERS:
        j += 1
    if j < len(tokens) and doc.mark_around(tokens[j].start) is None and doc.cue_at(si, j) is not None:
        return True  # a new speech act: ", и напомнил, что", ", хотя и признал"
    if doc.parsed and any(tokens[k].rel == "conj" and doc.head_of(si, k) == match.verb
                          for k in range(comma + 1, min(comma + 4, len(tokens)))):
        return True  # ", и предложил начать …": the speaker's next act, not content
    return comma + 1 < len(tokens) and tokens[comma + 1].text.lower() in CONTRAST \
        and own_attribution(doc, si, comma + 1)


def next_cue(doc: Doc, si: int, j: int) -> bool:
    tokens = doc.tokens(si)
    if j < len(tokens) and tokens[j].text.lower() in ("не", "ні", "также", "також"):
        j += 1
    return j < len(tokens) and doc.mark_around(tokens[j].start) is None and doc.cue_at(si, j) is not None


def own_attribution(doc: Doc, si: int, start: int) -> bool:
    """"…, однако сроки визита, по его словам, пока не согласованы": the clause has its own source."""
    tokens = doc.tokens(si)
    for k in range(start, len(tokens)):
        if tokens[k].text == "," and k > start and tokens[k - 1].text.lower() in CONTRAST:
            continue
        if tokens[k].text.lower() in ATTRIBUTION_WORDS:
            return True
    return False


def stops(tokens, index: int) -> bool:
    return index >= len(tokens) or tokens[index].text in (".", ",", ";", ":", "!", "?")


def infinitive(token, lang: str) -> bool:
    if token.feats.get("VerbForm") == "Inf":
        return True
    return lang == "uk" and token.text.lower().endswith(("ти", "тися", "тись"))


def predicative(tokens, j: int, lang: str) -> bool:
    """"назвал X неудовлетворительными / крупнейшей / «важным шагом»": an instrumental
    complement (an adjective ending as one, not followed by its noun), or quotation marks."""
    token = tokens[j]
    if token.text in QUOTE_MARKS:
        return True
    if lang == "ru" and token.feats.get("Case") == "Ins" and token.pos in ("ADJ", "NOUN", "DET"):
        return True
    following = tokens[j + 1] if j + 1 < len(tokens) else None
    noun_next = following is not None and (following.pos in ("NOUN", "PROPN") if lang == "ru" else
                                           following.text[:1].isalpha() and following.text.lower() not in FUNCTION_WORDS)
    return token.text.lower().endswith(INSTRUMENTAL) and (token.pos == "ADJ" or lang != "ru") and not noun_next


def cue_fragment(doc: Doc) -> Iterator[Found]:
    """"выразил надежду на «конструктивные переговоры»", "підтвердив „непохитну підтримку“":
    a cue whose words that follow hold a quotation (the kind becomes mixed)."""
    for si, match in cue_tokens(doc, ("clause", "inf", "naming", "accuse")):
        tokens = doc.tokens(si)
        if stops(tokens, match.last + 1) or complement_start(doc, si, match) is not None:
            continue
        last = content_end(doc, si, match.last + 1, match)
        if last <= match.last:
            continue
        marks = doc.marks_within(tokens[match.last + 1].start, tokens[last].end)
        if any(is_quotation(doc, mark) for mark in marks):
            item = found(doc, "cue_fragment", si, match, match.last + 1)
            if item is not None:
                yield item
