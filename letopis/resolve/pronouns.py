"""Pronouns that act as speakers or actors ("Он подчеркнул", "Об этом он сказал").

Only a subject pronoun (он / она, nominative, `nsubj`) outside quotation marks is
considered. Its antecedent is sought in the same sentence before it, then in up to
two sentences back: the nearest sentence that names any person decides, and the
pronoun is linked only if exactly one person there agrees in gender. Otherwise it
stays unlinked: precision first.
"""

from __future__ import annotations

from ..record import Mention, Sentence
from .cluster import Cluster

PRONOUN_GENDER = {"он": "m", "она": "f"}
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


def link_pronouns(text: str, sentences: list[Sentence], clusters: list[Cluster]) -> None:
    for index, sentence in enumerate(sentences):
        for token in sentence.tokens:
            gender = PRONOUN_GENDER.get(token.text.lower())
            if (gender is None or token.feats.get("Case") != "Nom" or not (token.rel or "").startswith("nsubj")
                    or inside_quotation(text, sentence, token.start)):
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
