"""The working cluster of the resolver, and how it becomes a record ``Entity``."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..record import Entity, Mention, Role


@dataclass
class Cluster:
    type: str  # PER, ORG, GPE, LOC, MISC
    mentions: list[Mention] = field(default_factory=list)
    name: str | None = None  # canonical name when known better than the mentions (gazetteer)
    kb_id: str | None = None
    country: str | None = None  # ISO alpha-3, for GPE entities and roles
    gender: str | None = None  # m, f
    roles: list[Role] = field(default_factory=list)
    role_keys: set[tuple[str, str | None, str | None]] = field(default_factory=set)  # (role, country, org)

    def key_names(self) -> set[str]:
        return {(m.normal or m.text).lower() for m in self.mentions if m.kind == "name"}

    def absorb(self, other: "Cluster") -> None:
        self.mentions.extend(other.mentions)
        self.roles.extend(r for r in other.roles if r not in self.roles)
        self.role_keys |= other.role_keys
        self.name = self.name or other.name
        self.kb_id = self.kb_id or other.kb_id
        self.country = self.country or other.country
        self.gender = self.gender or other.gender


def canonical_name(cluster: Cluster) -> str:
    """The gazetteer's name, else the longest normal form of a name mention
    (ties: most frequent, then first); role-only clusters take their role."""
    if cluster.name:
        return cluster.name
    counts: dict[str, int] = {}
    for mention in cluster.mentions:
        if mention.kind in ("name", "metonymy"):
            name = mention.normal or mention.text
            counts[name] = counts.get(name, 0) + 1
    if not counts:
        return cluster.mentions[0].normal or cluster.mentions[0].text
    order = list(counts)
    return max(counts, key=lambda name: (len(name.split()), counts[name], -order.index(name)))


def entity_key(type_: str, name: str, kb_id: str | None) -> str:
    """A stable id across articles: the gazetteer id, else type and lower-case name."""
    return kb_id or f"{type_}:{name.lower().replace('ё', 'е')}"


def to_entities(clusters: list[Cluster], stage: str) -> list[Entity]:
    clusters = [c for c in clusters if c.mentions]
    clusters.sort(key=lambda c: min(m.start for m in c.mentions))
    entities = []
    for number, cluster in enumerate(clusters, 1):
        name = canonical_name(cluster)
        entities.append(Entity(
            id=f"e{number}", type=cluster.type, name=name,
            mentions=sorted(cluster.mentions, key=lambda m: (m.start, m.end)),
            roles=cluster.roles, kb_id=cluster.kb_id,
            key=entity_key(cluster.type, name, cluster.kb_id), stage=stage,
        ))
    return entities
