"""Role phrases: "Государственный секретарь США Энтони Блинкен", "глава Госдепартамента".

A role phrase starts at a role head word (lexicon `role_heads.tsv`), with the
adjectives before it ("Генеральный секретарь"), and runs right over its complements:
country and organization mentions, genitive nouns ("министр иностранных дел"), and
"по ..." phrases ("по вопросам Европы и Евразии"). A role head that is itself the
complement of another ("помощница госсекретаря") is part of the bigger phrase.

- Followed by a person's name, the role is that person's (`attach_roles`).
- Standing alone, it is a role-only mention (`role_mentions`), linked later to the
  person in the article who holds that role, or left unlinked.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..record import Mention, Role, Sentence, Token
from .lexicon import lexicon

COMPLEMENT_CASES = {"Gen"}


@dataclass
class RoleSpan:
    first: int  # token indices within the sentence, [first, last]
    last: int
    head: int
    role: str  # role key
    country: str | None
    org: str | None  # an org cluster's kb id or normal name


def role_head_of(token: Token):
    heads = lexicon().role_heads
    return heads.get((token.lemma or "").lower()) or heads.get(token.text.lower())


def find_role_spans(sentence: Sentence, mention_at: dict[int, Mention], country_of) -> list[RoleSpan]:
    """Role phrases of a sentence. ``mention_at`` maps a token's start offset to the
    name mention it lies in; ``country_of(mention)`` gives a GPE mention's country code
    (or None) and ``org_of`` is folded into it for ORG mentions."""
    tokens = sentence.tokens
    spans = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        head = role_head_of(token)
        if not head or token.pos not in ("NOUN", "PROPN") or token.start in mention_at:
            i += 1
            continue
        first = i
        while first > 0 and tokens[first - 1].pos == "ADJ" and tokens[first - 1].head == i + 1:
            first -= 1
        last = extend_right(tokens, i, mention_at)
        role, country, org = classify(tokens, first, i, last, mention_at, country_of)
        spans.append(RoleSpan(first, last, i, role, country, org))
        i = last + 1
    return spans


def extend_right(tokens: list[Token], head: int, mention_at: dict[int, Mention]) -> int:
    """The last token of the role phrase that starts with the head at ``head``."""
    last = head
    j = head + 1
    in_po = False  # inside "по вопросам ..."
    while j < len(tokens):
        token = tokens[j]
        mention = mention_at.get(token.start)
        if mention is not None:
            if mention.ner_type == "PER":
                break
            last = j
        elif token.pos in ("NOUN", "ADJ", "PROPN") and (token.feats.get("Case") in COMPLEMENT_CASES
                                                       or (in_po and token.feats.get("Case") == "Dat")):
            last = j
        elif token.pos == "ADP" and token.text.lower() == "по":
            in_po = True
        elif token.pos == "CCONJ" and token.text.lower() == "и" and j + 1 < len(tokens) \
                and continues_complement(tokens[j + 1], mention_at):
            pass
        else:
            break
        j += 1
    return last


def continues_complement(token: Token, mention_at) -> bool:
    mention = mention_at.get(token.start)
    if mention is not None:
        return mention.ner_type != "PER"
    return token.pos in ("NOUN", "PROPN") and token.feats.get("Case") in COMPLEMENT_CASES


def classify(tokens, first, head, last, mention_at, country_of):
    """(role key, country, org) of a role phrase."""
    lex = lexicon()
    role_head = role_head_of(tokens[head])
    country = role_head.country
    org = None
    lemmas = []
    for token in tokens[first:last + 1]:
        lemma = (token.lemma or token.text).lower()
        if lemma in lex.country_adjectives:
            country = country or lex.country_adjectives[lemma]
            continue
        mention = mention_at.get(token.start)
        if mention is not None:
            found_country, found_org = country_of(mention)
            country = country or found_country
            org = org or found_org
        lemmas.append(lemma)
    role = role_head.role
    for phrase in lex.role_phrases:
        if tuple(lemmas[:len(phrase.lemmas)]) == phrase.lemmas:
            role = phrase.role
            country = phrase.country or country
            org = phrase.org or org
            break
    return role, country, org


def role_record(sentence: Sentence, span: RoleSpan, normal: str) -> Role:
    start = sentence.tokens[span.first].start
    end = sentence.tokens[span.last].end
    return Role(text=normal, start=start, end=end, org=span.org, country=span.country)


def holder_after(sentence: Sentence, span: RoleSpan, mention_at: dict[int, Mention]) -> Mention | None:
    """The person named right after the role ("... США Энтони Блинкен")."""
    following = span.last + 1
    if following < len(sentence.tokens):
        mention = mention_at.get(sentence.tokens[following].start)
        if mention is not None and mention.ner_type == "PER":
            return mention
    return None


def holder_before(sentence: Sentence, span: RoleSpan, mention_at: dict[int, Mention]) -> Mention | None:
    """The person named right before the role, in apposition ("Лавров, глава МИД России, ...")."""
    tokens = sentence.tokens
    if span.first >= 2 and tokens[span.first - 1].text == ",":
        mention = mention_at.get(tokens[span.first - 2].start)
        after = tokens[span.last + 1].text if span.last + 1 < len(tokens) else ","
        if mention is not None and mention.ner_type == "PER" and after in (",", ".", "–", "—", "-"):
            return mention
    return None
