"""Pronouns that act as speakers or actors ("Он подчеркнул", "Об этом он сказал",
"по его словам").

Only a subject pronoun (он / она / він / вона, nominative) and a possessive one right
before a word of speech ("по его словам", "за її словами"), outside quotation marks,
are considered (lexicons: ``pronouns.tsv``, ``speech_nouns.txt``). Its antecedent is sought in the same sentence before it, then in up to
two sentences back: the nearest sentence that names any person decides, and the
pronoun is linked only if exactly one person there agrees in gender. Otherwise it
stays unlinked: precision first.
"""

from __future__ import annotations

from ..record import Mention, Sentence
from .cluster import Cluster
from .lexicon import lexicon

QUOTE_OPENERS = "«\"„“"
LOOK_BACK = 2


def inside_quotation(text: str, sentence: Sentence, offset: int) -> bool:
    """Whether ``offset`` lies inside quotation marks opened in the same paragraph."""
    paragraph_start = text.rfind("\n", 0, offset) + 1
    before = text[paragraph_start:offset]
    opened = before.count("«") - before.count("»")
    straight = before.count('"') % 2
    low = before.count("„") - before.count("“")
    return opened > 0 or straight == 1 or low > 0


def person_clusters_in(start: int, end: int, clusters: list[Cluster]) -> list[Cluster]:
    return [c for c in clusters if c.type == "PER"
            and any(start <= m.start < end and m.kind in ("name", "role") for m in c.mentions)]


def pronoun_gender(tokens, position: int) -> str | None:
    """The gender of a pronoun that may name a speaker or actor, else None."""
    lex = lexicon()
    token = tokens[position]
    found = lex.pronouns.get(token.text.lower())
    if found is None:
        return None
    gender, use = found
    if use == "subject":
        return gender  # он, она, він, вона are nominative forms: no parse needed
    following = tokens[position + 1].text.lower() if position + 1 < len(tokens) else ""
    return gender if following in lex.speech_nouns else None


def link_pronouns(text: str, sentences: list[Sentence], clusters: list[Cluster]) -> None:
    for index, sentence in enumerate(sentences):
        for position, token in enumerate(sentence.tokens):
            gender = pronoun_gender(sentence.tokens, position)
            if gender is None or inside_quotation(text, sentence, token.start):
                continue
            antecedent = find_antecedent(sentences, index, token.start, gender, clusters)
            if antecedent is not None:
                antecedent.mentions.append(Mention(
                    token.start, token.end, token.text, normal=token.text.lower(),
                    kind="pronoun", link="pronoun_antecedent"))


def find_antecedent(sentences, index, offset, gender, clusters) -> Cluster | None:
    windows = [(sentences[index].start, offset)]
    windows += [(sentences[i].start, sentences[i].end) for i in range(index - 1, max(index - 1 - LOOK_BACK, -1), -1)]
    for start, end in windows:
        persons = person_clusters_in(start, end, clusters)
        if persons:
            agreeing = [c for c in persons if c.gender in (gender, None)]
            return agreeing[0] if len(agreeing) == 1 else None
    return None
