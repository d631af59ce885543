"""Entities: one cluster per real person, organization and place in an article.

The steps, in order (each a module of its own):

1. ``names``: the recognizer's mentions grouped by type and normal form, short names
   joined to the one full name they fit ("Байден" -> "Джо Байден").
2. ``kb``: clusters linked to the gazetteer (type GPE for states and cities, canonical
   name, gender, country); clusters linked to one gazetteer entry merge ("США",
   "Соединенные Штаты"); weak aliases ("Альянс") join only an entity named plainly.
3. ``propagate``: a name the recognizer missed on another occurrence joins its entity.
4. ``metonymy``: capitals and seats of power used as actors move to their country.
5. ``roles``: role phrases attach to the person they name ("Государственный секретарь
   США Энтони Блинкен"); role-only mentions ("глава Госдепартамента") join the one
   person of the article holding that role, else the gazetteer's one holder on the
   publication date (marked ``inferred:``), else nobody.
6. ``pronouns``: subject pronouns join a clear antecedent of the same gender.

Precision first everywhere: where two readings are possible, nothing is linked.
"""

from __future__ import annotations

from dataclasses import replace

from ..record import Article, Mention
from . import kb as kb_links
from .cluster import Cluster, to_entities
from .lexicon import lexicon
from .metonymy import acts
from .names import group_by_name, join_org_country, trim_alias_runs
from .pronouns import link_pronouns
from .propagate import propagate_names
from .roles import find_role_spans, holder_after, holder_before, role_record

VERSION = "2.0"


def resolve_entities(article: Article, mentions: list[Mention], normalize=None, gazetteer=None) -> None:
    """Set ``article.entities`` from the NER mentions of the article.

    ``normalize(sentence, start, end)`` gives a phrase's nominative form (the NLP
    layer's normalizer); ``gazetteer`` is a loaded ``letopis.gazetteer.Gazetteer`` or None.
    """
    normalize = normalize or (lambda sentence, start, end: article.text[start:end])
    case_at = {t.start: t.feats.get("Case") for s in article.sentences for t in s.tokens}
    mentions = trim_alias_runs(mentions, lexicon().weak_aliases)
    clusters = group_by_name(join_org_country(mentions, article.text, case_at))
    kb_links.link_clusters(clusters, gazetteer, article.meta.published)
    set_genders(article, clusters)
    clusters = kb_links.merge_linked(clusters)
    clusters = kb_links.join_weak_aliases(clusters)
    propagate_names(article.sentences, clusters, article.text)
    move_metonymy(article, clusters, gazetteer)
    attach_roles(article, clusters, normalize, gazetteer)
    link_pronouns(article.text, article.sentences, clusters)
    article.entities = to_entities(clusters, stage=f"resolve@{VERSION}")


# --- helpers over clusters -------------------------------------------------------


def cluster_index(clusters: list[Cluster]) -> dict[int, Cluster]:
    return {id(m): c for c in clusters for m in c.mentions}


def mention_at_tokens(sentence, clusters: list[Cluster]) -> dict[int, Mention]:
    """Token start offset -> the name mention it lies in, for one sentence."""
    found = {}
    mentions = [m for c in clusters for m in c.mentions
                if m.kind in ("name", "metonymy") and sentence.start <= m.start < sentence.end]
    for token in sentence.tokens:
        for mention in mentions:
            if mention.start <= token.start < mention.end:
                found[token.start] = mention
                break
    return found


def set_genders(article: Article, clusters: list[Cluster]) -> None:
    """A person's gender from the morphology of their name tokens, where the gazetteer gave none."""
    genders = {}
    for sentence in article.sentences:
        for token in sentence.tokens:
            if token.pos == "PROPN" and token.feats.get("Gender") in ("Masc", "Fem"):
                genders[token.start] = "m" if token.feats["Gender"] == "Masc" else "f"
    for cluster in clusters:
        if cluster.type == "PER" and cluster.gender is None:
            seen = {genders.get(m.start) for m in cluster.mentions} - {None}
            if len(seen) == 1:
                cluster.gender = seen.pop()


# --- metonymy ----------------------------------------------------------------------


def move_metonymy(article: Article, clusters: list[Cluster], gazetteer) -> None:
    table = lexicon().metonymy
    for cluster in list(clusters):
        if cluster.type not in ("LOC", "GPE", "ORG"):
            continue
        for mention in list(cluster.mentions):
            country = table.get((mention.normal or mention.text).lower())
            sentence = sentence_of(article, mention.start)
            if country is None or sentence is None or not acts(sentence, mention):
                continue
            target = kb_links.country_cluster(clusters, country, gazetteer)
            if target is None or target is cluster:
                continue
            cluster.mentions.remove(mention)
            mention.kind, mention.link = "metonymy", "metonymy"
            target.mentions.append(mention)
    clusters[:] = [c for c in clusters if c.mentions]


def sentence_of(article: Article, offset: int):
    for sentence in article.sentences:
        if sentence.start <= offset < sentence.end:
            return sentence
    return None


# --- roles -------------------------------------------------------------------------


def attach_roles(article: Article, clusters: list[Cluster], normalize, gazetteer) -> None:
    role_only = []
    for sentence in article.sentences:
        mention_at = mention_at_tokens(sentence, clusters)
        owner = cluster_index(clusters)

        def country_of(mention):
            cluster = owner.get(id(mention))
            if cluster is None:
                return None, None
            if cluster.type == "GPE":
                return cluster.country, None
            if cluster.type == "ORG":
                return cluster.country, cluster.kb_id or (mention.normal or mention.text).lower()
            return None, None

        for span in find_role_spans(sentence, mention_at, country_of):
            head = sentence.tokens[span.head]
            start, end = sentence.tokens[span.first].start, sentence.tokens[span.last].end
            holder = holder_after(sentence, span, mention_at) or holder_before(sentence, span, mention_at)
            if holder is not None:
                shared = distribute(sentence, span, holder, mention_at)
                if shared:
                    head_text = singular_head(sentence, span, normalize(sentence, start, head.end))
                    for person, country in shared:
                        code = country_of(country)[0]
                        give_role(owner[id(person)], replace(span, country=code or span.country),
                                  sentence, f"{head_text} {country.text}")
                else:
                    give_role(owner[id(holder)], span, sentence, normalize(sentence, start, end))
            elif head.feats.get("Number") != "Plur":
                role_only.append((span, Mention(start, end, article.text[start:end],
                                                normal=normalize(sentence, start, end), kind="role")))
    for span, mention in role_only:
        link_role_mention(article, clusters, span, mention, gazetteer)


def distribute(sentence, span, holder, mention_at) -> list[tuple[Mention, Mention]]:
    """"президента США и России Джо Байдена и Владимира Путина": each person takes the
    country in the same position. (person, country mention) pairs; empty when the
    phrase is not such a coordination."""
    tokens = sentence.tokens
    countries = []
    for token in tokens[span.head + 1:span.last + 1]:
        mention = mention_at.get(token.start)
        if mention is not None and mention not in countries:
            countries.append(mention)
        elif mention is None and token.text.lower() != "и":
            return []  # anything but "X и Y" between the role and the names
    people = [holder]
    index = next(i for i, t in enumerate(tokens) if t.start >= holder.end) if holder.end < sentence.end else len(tokens)
    while index + 1 < len(tokens) and tokens[index].text.lower() == "и":
        person = mention_at.get(tokens[index + 1].start)
        if person is None or person.ner_type != "PER":
            break
        people.append(person)
        index = next((i for i, t in enumerate(tokens) if t.start >= person.end), len(tokens))
    if len(countries) < 2 or len(countries) != len(people):
        return []
    return list(zip(people, countries))


def singular_head(sentence, span, normal: str) -> str:
    """"президентов США и России" shared out: each person is one "президент"."""
    if sentence.tokens[span.head].feats.get("Number") != "Plur":
        return normal
    words = [t.lemma or t.text for t in sentence.tokens[span.first:span.head + 1]]
    text = " ".join(words)
    return text[:1].upper() + text[1:] if normal[:1].isupper() else text


def give_role(cluster: Cluster, span, sentence, text: str) -> None:
    role = role_record(sentence, span, text)
    if any(r.text.lower().startswith(text.lower() + " ") for r in cluster.roles):
        return  # a bare "президент" adds nothing to "президент США"
    cluster.roles = [r for r in cluster.roles if not text.lower().startswith(r.text.lower() + " ")]
    if all(r.text.lower() != role.text.lower() for r in cluster.roles):
        cluster.roles.append(role)
    cluster.role_keys.add((span.role, span.country, span.org))
    head_gender = kb_links.head_gender(span, sentence)
    cluster.gender = cluster.gender or head_gender


def link_role_mention(article, clusters, span, mention, gazetteer) -> None:
    covered = {span.role} | lexicon().role_families.get(span.role, frozenset())
    holders = [c for c in clusters if c.type == "PER" and any(
        role in covered and (span.country is None or country in (None, span.country))
        and (span.org is None or org in (None, span.org))
        for role, country, org in c.role_keys)]
    if len(holders) == 1:
        mention.link = "role_of_named_holder"
        holders[0].mentions.append(mention)
        return
    specific = span.country is not None or span.org is not None
    if holders or not specific:
        return  # two people fit, or a bare "президент" nobody in the article holds: nobody is linked
    cluster = kb_links.role_holder_cluster(clusters, span, article.meta.published, gazetteer)
    if cluster is not None:
        mention.link = "inferred:gazetteer_role_holder"
        cluster.mentions.append(mention)
