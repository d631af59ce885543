"""Clusters and the gazetteer: linking, merging by link, countries, role holders.

Every function works without a gazetteer (``None``): then nothing is linked and
nothing is inferred.
"""

from __future__ import annotations

from datetime import date

from .cluster import Cluster
from .lexicon import lexicon

COMPATIBLE = {"PER": {"PER"}, "ORG": {"ORG"}, "LOC": {"GPE", "LOC"}, "GPE": {"GPE", "LOC"}, "MISC": set()}


def link_clusters(clusters: list[Cluster], gazetteer, published: str | None = None) -> None:
    if gazetteer is None:
        return
    for cluster in clusters:
        entry = unique_entry(cluster, gazetteer)
        if entry is not None:
            apply_entry(cluster, entry)
            cluster.role_keys |= gazetteer_role_keys(entry, published)
            for mention in cluster.mentions:
                if mention.link == "same_name" and (mention.normal or "").lower() != entry_name(entry).lower():
                    mention.link = "alias"


def unique_entry(cluster: Cluster, gazetteer):
    """The one gazetteer entry of a compatible type that one of the cluster's names
    matches exactly (longest names first); surnames alone link only persons, and only
    when one person bears that surname."""
    wanted = COMPATIBLE.get(cluster.type, set())
    names = sorted(cluster.key_names(), key=len, reverse=True)
    for name in names:
        entries = [e for e in gazetteer.by_name(name) if e.type in wanted]
        if len({e.id for e in entries}) == 1:
            return entries[0]
        if entries:
            return None  # ambiguous: precision first
    if cluster.type == "PER":
        for name in names:
            if " " not in name:
                entries = [e for e in gazetteer.by_surname(name) if e.type == "PER"]
                if len({e.id for e in entries}) == 1:
                    return entries[0]
    return None


def entry_name(entry) -> str:
    return entry.name("ru") if callable(getattr(entry, "name", None)) else entry.name


def apply_entry(cluster: Cluster, entry) -> None:
    cluster.kb_id = entry.id
    cluster.name = entry_name(entry)
    cluster.type = entry.type if entry.type in ("PER", "ORG", "GPE", "LOC") else cluster.type
    cluster.country = getattr(entry, "country", None) or cluster.country
    cluster.gender = getattr(entry, "gender", None) or cluster.gender


def gazetteer_role_keys(entry, published: str | None) -> set[tuple[str, str | None, str | None]]:
    """The roles a linked person held on the publication date (without a date: the
    roles held now), so that "министр" finds Лавров when the article never says he is one."""
    keys = set()
    for tenure in getattr(entry, "roles", []):
        held = tenure.possible_on(date.fromisoformat(published[:10])) if published else tenure.end is None
        if held:
            keys.add((tenure.role, tenure.country, tenure.org))
    return keys


def merge_linked(clusters: list[Cluster]) -> list[Cluster]:
    """Clusters linked to the same gazetteer entry become one."""
    by_id: dict[str, Cluster] = {}
    merged = []
    for cluster in clusters:
        if cluster.kb_id and cluster.kb_id in by_id:
            by_id[cluster.kb_id].absorb(cluster)
            continue
        if cluster.kb_id:
            by_id[cluster.kb_id] = cluster
        merged.append(cluster)
    return merged


def join_weak_aliases(clusters: list[Cluster]) -> list[Cluster]:
    """"Альянс" joins NATO's cluster when the article names NATO plainly, else stays."""
    aliases = lexicon().weak_aliases
    kept = []
    for cluster in clusters:
        names = cluster.key_names()
        plain = {aliases[n] for n in names if n in aliases}
        if len(plain) == 1 and names <= set(aliases):
            wanted = plain.pop()
            target = next((c for c in clusters if c is not cluster and wanted in c.key_names()), None)
            if target is not None:
                for mention in cluster.mentions:
                    mention.link = "weak_alias"
                target.absorb(cluster)
                continue
        kept.append(cluster)
    return kept


def country_cluster(clusters: list[Cluster], country: str, gazetteer) -> Cluster | None:
    """The article's cluster for a country (ISO alpha-3); created from the gazetteer
    when the article does not name the country itself."""
    for cluster in clusters:
        if cluster.type == "GPE" and cluster.country == country and is_country(cluster, gazetteer):
            return cluster
    if gazetteer is None:
        return None
    entry = gazetteer.country(country)
    if entry is None:
        return None
    cluster = Cluster("GPE")
    apply_entry(cluster, entry)
    clusters.append(cluster)
    return cluster


def is_country(cluster: Cluster, gazetteer) -> bool:
    if gazetteer is None or cluster.kb_id is None:
        return False
    entry = gazetteer.get(cluster.kb_id)
    return entry is not None and entry.is_country


def head_gender(span, sentence) -> str | None:
    from .roles import role_head_of

    head = sentence.tokens[span.head]
    lexicon_gender = role_head_of(head).gender
    if lexicon_gender:
        return lexicon_gender
    return None  # "президент", "министр" are said of women too


def role_holder_cluster(clusters: list[Cluster], span, published: str | None, gazetteer) -> Cluster | None:
    """The cluster of the gazetteer's one holder of the role on the publication date."""
    if gazetteer is None or not published:
        return None
    on = date.fromisoformat(published[:10])
    holders = gazetteer.holders(span.role, country=span.country, org=span.org, on=on)
    if len({h.id for h in holders}) != 1:
        return None
    entry = holders[0]
    for cluster in clusters:
        if cluster.kb_id == entry.id:
            return cluster
    cluster = Cluster("PER")
    apply_entry(cluster, entry)
    clusters.append(cluster)
    return cluster
