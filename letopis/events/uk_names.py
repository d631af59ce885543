"""Ukrainian names as the event rules see them: the recognizer's mentions mended.

The recognizer (Russian models on Ukrainian text) misses names it finds elsewhere in
the article ("з Блінкеном:" after "Ентоні Блінкеном") and glues words to names ("Ми з
Ентоні Блінкеном", "Путіна і Зеленського", "що Україна", "Дмитро Пєсков тим"). Here,
token by token, for the events stage only (the article's entities are left as they are):

- a capitalized word outside any mention whose nominative is the surname of exactly one
  person of the article ("Блінкен також поінформував") is that person;
  one whose nominative is a country the article names is that country;
- in a glued mention, a lower-case word or a pronoun ("Ми", "Я") belongs to no entity
  (so "Ми" is read as "we" of a quote), and a word that is another person's surname
  or a country is that person or country.
"""

from __future__ import annotations

from ..record import Mention
from .lexicon import lexicon

PRONOUNS = {"ми", "я", "ви", "він", "вона", "вони"}
AND_WORDS = {"і", "й", "та", "з", "із", "зі"}


def fold(text: str) -> str:
    return text.lower().replace("ё", "е").replace("’", "'").strip()


def nominative(word: str) -> str:
    from ..ukrainian import nominative_word

    return fold(nominative_word(word, "PER")[0])


FUNCTION_WORDS = {"що", "тим", "як", "який", "яка", "які", "яке", "це", "ще", "вже"}


def glued(name: str) -> bool:
    """A name with a pronoun, "і"/"та"/"з" or a function word ("що", "тим") in it: words
    glued to a name, or two names glued together; not a role before a name ("Міністр
    оборона Україна Олексій Резніков")."""
    words = [fold(w) for w in name.split()]
    return len(words) > 1 and (words[0] in PRONOUNS or bool(set(words) & (AND_WORDS | FUNCTION_WORDS)))


def surnames(entities) -> dict[str, str]:
    """Surname -> the one person of the article it names (the one with a gazetteer link
    and most mentions where several persons, split by the recognizer, share it)."""
    found: dict[str, list] = {}
    countries = lexicon().countries
    for entity in entities:
        if entity.type != "PER" or glued(entity.name) or fold(entity.name) in countries:
            continue
        names = [entity.name] + [m.normal or m.text for m in entity.mentions if m.kind == "name"]
        for name in names:
            words = name.split()
            if words and len(words[-1]) > 2 and words[-1][:1].isupper() and fold(words[-1]) not in countries:
                found.setdefault(fold(words[-1]), []).append(entity)
    return {key: max(group, key=lambda e: (bool(e.kb_id), len(e.mentions))).id
            for key, group in found.items()}


def country_ids(entities) -> dict[str, str]:
    """Country name (nominative) -> the article's entity for that country, a place first."""
    countries = lexicon().countries
    by_code: dict[str, list] = {}
    for entity in entities:
        for name in [entity.name] + [m.normal or m.text for m in entity.mentions if m.kind == "name"]:
            if fold(name) in countries:
                by_code.setdefault(countries[fold(name)], []).append(entity)
    best = {code: max(group, key=lambda e: (e.type in ("GPE", "LOC"), len(e.mentions))).id
            for code, group in by_code.items()}
    return {name: best[code] for name, code in countries.items() if code in best}


def lookup(word: str, people: dict[str, str], places: dict[str, str]) -> str | None:
    if len(word) < 3 or not word[:1].isupper() or word.isupper():
        return None
    form = nominative(word)
    return people.get(form) or places.get(form)


def mend_mentions(article, sents, mention_at: dict) -> None:
    """Mend ``mention_at`` (token start -> (entity id, mention)) of a Ukrainian article."""
    entities = {e.id: e for e in article.entities}
    people, places = surnames(article.entities), country_ids(article.entities)
    for sent in sents:
        run: list = []  # the name words of a glued mention, up to a lower-case word
        for i, token in enumerate(sent.tokens + [None]):
            found = mention_at.get(token.start) if token is not None else None
            if found is not None and glued(entities[found[0]].name):
                if token.text[:1].islower() or fold(token.text) in PRONOUNS | AND_WORDS:
                    del mention_at[token.start]
                    mend_run(run, people, places, mention_at)
                    run = []
                else:
                    run.append(token)
                continue
            mend_run(run, people, places, mention_at)
            run = []
            if found is None and token is not None and token.text[:1].isupper():
                entity = lookup(token.text, people, places)
                if entity is not None:
                    mention_at[token.start] = (entity, name_mention(token))


def mend_run(run: list, people: dict, places: dict, mention_at: dict) -> None:
    """The name words of a glued mention name the person whose surname is the last of
    them ("Ентоні Блінкеном"), or the country one of them is ("що Україна")."""
    if not run:
        return
    entity = lookup(run[-1].text, people, places) or (lookup(run[0].text, people, places) if len(run) == 1 else None)
    if entity is not None:
        for token in run:
            mention_at[token.start] = (entity, name_mention(token))


def name_mention(token) -> Mention:
    return Mention(token.start, token.end, token.text, kind="name", link="events:uk_names")
