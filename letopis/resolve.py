"""Entity clusters within an article.

This first version groups the recognizer's mentions that share a type and a normal
form ("Байдена", "Байдену" -> "Байден"), and attaches a short name to a longer one
of the same type that ends with it ("Байден" -> "Джо Байден"). It never merges across
types, and a short name that fits two longer names ("Путин" with "Владимир Путин"
and "Людмила Путина") stays on its own: precision first.
"""

from __future__ import annotations

from .record import Article, Entity, Mention

VERSION = "1.0"

NER_TYPES = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}


def mention_key(mention: Mention) -> tuple[str, str]:
    return NER_TYPES.get(mention.ner_type or "", "MISC"), (mention.normal or mention.text).lower()


def group_mentions(article: Article, mentions: list[Mention], stage: str = f"resolve@{VERSION}") -> None:
    """Set ``article.entities`` from the NER mentions of the article."""
    groups: dict[tuple[str, str], list[Mention]] = {}
    for mention in mentions:
        groups.setdefault(mention_key(mention), []).append(mention)

    merged = attach_short_names(groups)
    entities = []
    for (type_, _), group in merged.items():
        entities.append(Entity(
            id=f"e{len(entities) + 1}", type=type_, name=canonical_name(group),
            mentions=sorted(group, key=lambda m: m.start), stage=stage,
        ))
    article.entities = entities


def attach_short_names(groups):
    """Move "Байден" into "Джо Байден" when exactly one longer name of the type ends with it."""
    keys = list(groups)
    for key in keys:
        type_, name = key
        if type_ != "PER" or " " in name:
            continue
        longer = [k for k in keys if k in groups and k[0] == type_ and k != key
                  and k[1].endswith(" " + name)]
        if len(longer) == 1:
            groups[longer[0]].extend(groups.pop(key))
    return groups


def canonical_name(group: list[Mention]) -> str:
    """The longest normal form, ties broken by frequency then first appearance."""
    counts: dict[str, int] = {}
    for mention in group:
        name = mention.normal or mention.text
        counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda name: (len(name.split()), counts[name], -list(counts).index(name)))
