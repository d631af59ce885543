"""Places that act: "предложения Москвы", "переговоры с Вашингтоном", "в Кремле заявили".

A capital or a seat of power (lexicon `metonymy.tsv`) used as an actor stands for its
country's government: the mention moves to the country's entity with kind
`metonymy`. Used as a place ("в Москве", "из Вашингтона") it stays a place, except
where it is where something was *said* by nobody named ("в Кремле заявили").
"""

from __future__ import annotations

from ..record import Mention, Sentence, Token

PLACE_PREPOSITIONS = {"в", "во", "из", "до", "под", "около", "возле", "через", "на", "у", "по", "к", "ко"}


def tokens_of(sentence: Sentence, mention: Mention) -> list[tuple[int, Token]]:
    return [(i, t) for i, t in enumerate(sentence.tokens, 1) if mention.start <= t.start < mention.end]


def acts(sentence: Sentence, mention: Mention) -> bool:
    """Whether the place in ``mention`` is an actor in its sentence."""
    inside = tokens_of(sentence, mention)
    if not inside:
        return False
    numbers = {i for i, _ in inside}
    head_number, head = next(((i, t) for i, t in inside if t.head not in numbers), inside[0])
    prepositions = [t for t in sentence.tokens if t.head == head_number and t.rel == "case"]
    if not prepositions and head.feats.get("Case") != "Loc":
        return True  # subject, possessor ("предложения Москвы"), agent ("поднятых Кремлем")
    if prepositions and prepositions[0].text.lower() == "с" and head.feats.get("Case") == "Ins":
        return True  # "переговоры с Вашингтоном"
    return impersonal_report(sentence, head)


def impersonal_report(sentence: Sentence, head: Token) -> bool:
    """"в Кремле заявили": the place governs a plural verb that has no subject."""
    if not head.head:
        return False
    verb = sentence.tokens[head.head - 1]
    if verb.pos != "VERB" or verb.feats.get("Number") != "Plur":
        return False
    verb_number = head.head
    return not any(t.head == verb_number and (t.rel or "").startswith("nsubj") for t in sentence.tokens)
