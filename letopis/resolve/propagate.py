"""Names the recognizer missed on a second occurrence.

slovnet sometimes tags "Блинкен" in the body and not in the title "Блинкен провел
брифинг". Within one article a name keeps its sense, so a capitalized token whose
lemma is the surname of a person already found (or a token sequence equal to an
organization's or place's mention) becomes a mention of that entity too
(``link="name_repeated"``). A surname shared by two persons of the article is not
propagated.
"""

from __future__ import annotations

from ..record import Mention
from .cluster import Cluster


def surname_keys(cluster: Cluster) -> set[str]:
    keys = set()
    for mention in cluster.mentions:
        if mention.kind == "name" and mention.normal:
            keys.add(mention.normal.split()[-1].lower())
    return keys


def name_start(sentence, token) -> int:
    """Where the full name ends by this surname begins: first names and initials
    written before it ("Ван Цзюнь", "Б. Обама", "Б.Обама") are part of the mention."""
    tokens = sentence.tokens
    index = tokens.index(token)
    start = token.start
    while index > 0:
        previous = tokens[index - 1]
        is_initial = previous.text == "." and index > 1 and len(tokens[index - 2].text) == 1 \
            and tokens[index - 2].text.isupper()
        if is_initial:
            start, index = tokens[index - 2].start, index - 2
        elif previous.pos == "PROPN" and previous.text[:1].isupper():
            start, index = previous.start, index - 1
        else:
            break
    return start


def propagate_names(sentences, clusters: list[Cluster], article_text: str) -> None:
    covered = {(m.start, m.end) for c in clusters for m in c.mentions}
    starts = sorted((m.start, m.end) for c in clusters for m in c.mentions)
    owners: dict[str, Cluster | None] = {}
    for cluster in clusters:
        if cluster.type == "PER":
            for key in surname_keys(cluster):
                owners[key] = None if key in owners and owners[key] is not cluster else cluster
    surfaces = {m.text: (c, m.normal or m.text) for c in clusters if c.type in ("ORG", "GPE", "LOC")
                for m in c.mentions if m.kind == "name" and m.text[:1].isupper() and len(m.text) > 2}
    for sentence in sentences:
        for token in sentence.tokens:
            if not token.text[:1].isupper() or inside(starts, token.start, token.end):
                continue
            cluster, normal = None, token.text
            if token.pos in ("PROPN", "NOUN", "X"):
                for key in ((token.lemma or "").lower(), token.text.lower()):  # "Рябков" is lemmatized "рябок"
                    if owners.get(key) is not None:
                        cluster, normal = owners[key], key.capitalize()
                        break
            is_person = cluster is not None
            if cluster is None and token.text in surfaces:
                cluster, normal = surfaces[token.text]  # the normal form of the mention it repeats
            if cluster is None or (token.start, token.end) in covered:
                continue
            start = name_start(sentence, token) if is_person else token.start
            if start != token.start:
                normal = f"{article_text[start:token.start]}{normal}"
            cluster.mentions.append(Mention(start, token.end, article_text[start:token.end], normal=normal,
                                            kind="name", link="name_repeated"))


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)
