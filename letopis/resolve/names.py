"""Name mentions into clusters: same type and normal form, then short names into long.

"Байдена", "Байдену" share the normal form "Байден"; "Байден" then joins "Джо Байден"
when exactly one longer name of the type ends with it. A short name that fits two
longer names ("Путин" with "Владимир Путин" and "Людмила Путина") stays on its own:
precision first.
"""

from __future__ import annotations

from ..record import Mention
from .cluster import Cluster

NER_TYPES = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}


def join_org_country(mentions: list[Mention], text: str, case_at: dict[int, str]) -> list[Mention]:
    """"Госдеп" + "США", "МИД" + "России": an organization directly followed by a
    place in the genitive (or an indeclinable abbreviation) is one name, "Госдеп США"."""
    joined: list[Mention] = []
    for mention in mentions:
        previous = joined[-1] if joined else None
        if (previous is not None and previous.ner_type == "ORG" and mention.ner_type == "LOC"
                and text[previous.end:mention.start] == " "
                and (case_at.get(mention.start) == "Gen" or mention.text.isupper())):
            joined[-1] = Mention(previous.start, mention.end, text[previous.start:mention.end],
                                 normal=f"{previous.normal or previous.text} {mention.text}",
                                 kind="name", ner_type="ORG", link="org_with_country")
            continue
        joined.append(mention)
    return joined


def trim_alias_runs(mentions: list[Mention], aliases: dict[str, str]) -> list[Mention]:
    """"Альянса новых стран-членов" tagged as one ORG: a known alias followed only by
    lower-case words is the alias alone."""
    trimmed = []
    for mention in mentions:
        words = mention.text.split(" ")
        normal_words = (mention.normal or mention.text).split(" ")
        if (mention.ner_type == "ORG" and len(words) > 1 and normal_words[0].lower() in aliases
                and all(w[:1].islower() for w in words[1:])):
            mention = Mention(mention.start, mention.start + len(words[0]), words[0],
                              normal=normal_words[0], kind="name", ner_type="ORG", link="trimmed_alias")
        trimmed.append(mention)
    return trimmed


def name_key(mention: Mention) -> str:
    return (mention.normal or mention.text).lower().replace("ё", "е")


def group_by_name(mentions: list[Mention]) -> list[Cluster]:
    groups: dict[tuple[str, str], Cluster] = {}
    for mention in mentions:
        type_ = NER_TYPES.get(mention.ner_type or "", "MISC")
        mention.link = mention.link or "same_name"
        cluster = groups.setdefault((type_, name_key(mention)), Cluster(type_))
        cluster.mentions.append(mention)
    attach_short_names(groups)
    return list(groups.values())


def attach_short_names(groups: dict[tuple[str, str], Cluster]) -> None:
    for key in list(groups):
        type_, name = key
        if type_ != "PER" or " " in name or key not in groups:
            continue
        longer = [k for k in groups if k[0] == type_ and k != key and k[1].endswith(" " + name)]
        if len(longer) == 1:
            moved = groups.pop(key)
            for mention in moved.mentions:
                mention.link = "surname"
            groups[longer[0]].absorb(moved)
