"""Ukrainian morphology with pymorphy3's Ukrainian dictionaries.

natasha's models and dictionaries are Russian; on Ukrainian text their normal forms
keep oblique cases ("Німеччині", "України"). Names in Ukrainian articles are put in
the nominative here, word by word, preferring the readings that fit the entity type
(surnames and first names for persons, place names for places).
"""

from __future__ import annotations

from functools import lru_cache

PERSON_TAGS = ("Surn", "Name", "Patr")


def fits(parse, type_: str) -> bool:
    """A reading that fits the entity type: persons are names and surnames; places and
    organizations are inanimate and no person's name (the dictionary has no place tag)."""
    tag = str(parse.tag)
    if type_ == "PER":
        return any(t in tag for t in PERSON_TAGS)
    return "inan" in tag and not any(t in tag for t in PERSON_TAGS)


@lru_cache(maxsize=1)
def ukrainian_analyzer():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="uk")


@lru_cache(maxsize=50_000)
def nominative_word(word: str, type_: str) -> tuple[str, bool]:
    """(the word in the nominative, whether it is a noun); the word itself when
    no reading inflects."""
    if not word[:1].isalpha() or (word.isupper() and len(word) > 1):
        return word, False
    parses = ukrainian_analyzer().parse(word)
    preferred = [p for p in parses if fits(p, type_)]
    parse = (preferred or parses)[0]
    is_noun = parse.tag.POS == "NOUN"
    if parse.tag.case in (None, "nomn"):
        return word, is_noun
    grammemes = {"nomn"} | ({"sing"} if parse.tag.number == "sing" else set())
    inflected = parse.inflect(grammemes)
    if inflected is None:
        return word, is_noun
    form = inflected.word
    return (form[:1].upper() + form[1:] if word[:1].isupper() else form), is_noun


def ukrainian_normal(text: str, type_: str) -> str:
    """A name in the nominative: every word of a person's or place's name; an
    organization's words up to its head noun ("Верховної Ради України" -> "Верховна Рада України")."""
    words = text.split(" ")
    result = []
    for index, word in enumerate(words):
        nominative, is_noun = nominative_word(word, type_)
        result.append(nominative)
        if type_ == "ORG" and is_noun:
            result.extend(words[index + 1:])
            break
    return " ".join(result)
