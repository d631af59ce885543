"""Entity resolution: golden sentences with the clusters they must give.

Each case is a short text (a title line, a blank line, a body) and, per entity that
must come out, its canonical name with mention texts that must be in it. `absent`
lists mentions that must *not* join a named entity (precision first).
"""

import pytest

from letopis.pipeline import Pipeline, clean_stage, langid_stage, nlp_stage
from letopis.record import Mention, Meta, new_article
from letopis.resolve.cluster import Cluster, canonical_name, entity_key
from letopis.resolve.lexicon import lexicon
from letopis.resolve.names import group_by_name


def m(text, normal, ner_type="PER", start=0):
    return Mention(start, start + len(text), text, normal, ner_type=ner_type)


# --- no models -------------------------------------------------------------------------


def test_same_normal_form_groups_and_surname_joins_the_one_full_name():
    clusters = group_by_name([m("Байдена", "Байден"), m("Джо Байдена", "Джо Байден"),
                              m("Байден", "Байден"), m("Путина", "Путин")])
    names = sorted((canonical_name(c), len(c.mentions)) for c in clusters)
    assert names == [("Джо Байден", 3), ("Путин", 1)]


def test_a_surname_that_fits_two_full_names_stays_alone():
    clusters = group_by_name([m("Путин", "Путин"), m("Владимир Путин", "Владимир Путин"),
                              m("Людмила Путина", "Людмила Путин")])
    assert sorted(canonical_name(c) for c in clusters) == ["Владимир Путин", "Людмила Путин", "Путин"]


def test_types_never_merge():
    clusters = group_by_name([m("Вашингтон", "Вашингтон", "PER"), m("Вашингтон", "Вашингтон", "LOC")])
    assert len(clusters) == 2


def test_entity_key_is_stable_and_prefers_the_gazetteer():
    assert entity_key("PER", "Карен Донфрид", None) == "PER:карен донфрид"
    assert entity_key("PER", "Ёлкин", None) == "PER:елкин"
    assert entity_key("PER", "Энтони Блинкен", "per:blinken_antony") == "per:blinken_antony"


def test_lexicon_files_load():
    lex = lexicon()
    assert lex.role_heads["госсекретарь"].country == "USA"
    assert lex.role_phrases[0].lemmas and all(
        len(a.lemmas) >= len(b.lemmas) for a, b in zip(lex.role_phrases, lex.role_phrases[1:]))
    assert lex.metonymy["кремль"] == "RUS"


# --- with models -----------------------------------------------------------------------

CASES = [
    ("role before name, role-only mention, pronoun",
     "Блинкен провел брифинг\n\nГосударственный секретарь США Энтони Блинкен заявил, что диалог возможен. "
     "Он подчеркнул, что США готовы к переговорам. По словам госсекретаря, решение за Москвой.",
     {"Энтони Блинкен": ["Государственный секретарь США Энтони Блинкен"[30:], "Блинкен", "Он", "госсекретаря"]},
     {"Энтони Блинкен": ["Государственный секретарь США"]}, []),
    ("appositive role after the name",
     "Лавров ответил на вопросы\n\nСергей Лавров, глава МИД России, заявил, что ответ получен. "
     "Глава МИД России добавил, что изучит документ.",
     {"Сергей Лавров": ["Сергей Лавров", "Глава МИД России"]}, {"Сергей Лавров": ["глава МИД России"]}, []),
    ("two people fit a bare role: nobody is linked",
     "Встреча министров\n\nМинистр иностранных дел России Сергей Лавров и министр иностранных дел Франции "
     "Жан-Ив Ле Дриан встретились в Париже. Министр заявил, что разговор был полезным.",
     {"Сергей Лавров": ["Сергей Лавров"]}, {}, ["Министр"]),
    ("a woman's role and a pronoun of the wrong gender",
     "Новость\n\nПомощница госсекретаря США Карен Донфрид сообщила о переговорах. "
     "Он ничего не добавил.",
     {"Карен Донфрид": ["Карен Донфрид"]},
     {"Карен Донфрид": ["Помощница госсекретаря США"]}, ["Он"]),
    ("coordinated roles are shared out",
     "Саммит\n\nВстреча президентов США и России Джо Байдена и Владимира Путина прошла в Женеве.",
     {"Джо Байден": ["Джо Байдена"], "Владимир Путин": ["Владимира Путина"]},
     {}, []),
    ("a pronoun inside quotation marks is not linked",
     "Заявление\n\nЛавров сказал: «Он знает, что мы готовы».",
     {"Лавров": ["Лавров"]}, {}, ["Он"]),
]


@pytest.fixture(scope="module")
def resolve(models):
    pipeline = Pipeline([clean_stage(), langid_stage(), nlp_stage(models, None)])

    def run(text, published=None):
        [article] = pipeline.run([new_article(text, Meta(lang="ru", published=published))])
        return article

    return run


@pytest.mark.models
@pytest.mark.parametrize("label,text,mentions,roles,absent", CASES, ids=[c[0] for c in CASES])
def test_golden_clusters(resolve, label, text, mentions, roles, absent):
    article = resolve(text)
    by_name = {e.name: e for e in article.entities}
    for name, expected in mentions.items():
        assert name in by_name, f"{name} not among {list(by_name)}"
        got = [mention.text for mention in by_name[name].mentions]
        for text_ in expected:
            assert text_ in got, f"{text_!r} not in {name}: {got}"
    for name, expected in roles.items():
        assert [r.text for r in by_name[name].roles] == expected
    linked = {mention.text for e in article.entities for mention in e.mentions}
    for text_ in absent:
        assert text_ not in linked


@pytest.mark.models
def test_coordinated_roles_give_each_person_their_country(resolve):
    article = resolve("Саммит\n\nВстреча президентов США и России Джо Байдена и Владимира Путина прошла в Женеве. "
                      "Президент США Джо Байден уехал.")
    roles = {e.name: [r.text for r in e.roles] for e in article.entities if e.type == "PER"}
    assert roles["Джо Байден"] == ["президент США"]


@pytest.mark.models
def test_possessive_pronoun_before_a_word_of_speech_names_the_speaker(resolve):
    article = resolve("Новость\n\nДмитрий Песков прокомментировал переговоры. По его словам, Кремль ждет ответа. "
                      "Его машина стояла у входа.")
    [peskov] = [e for e in article.entities if e.name == "Дмитрий Песков"]
    pronouns = [m.text for m in peskov.mentions if m.kind == "pronoun"]
    assert pronouns == ["его"]  # "Его машина" is no speech


@pytest.mark.models
def test_a_bare_role_word_finds_the_one_person_holding_such_a_role(resolve):
    article = resolve("Переговоры\n\nЗаместитель министра иностранных дел России Сергей Рябков провел консультации. "
                      "Дипломат подчеркнул, что Москва ждет ответа.")
    [ryabkov] = [e for e in article.entities if e.name == "Сергей Рябков"]
    assert "Дипломат" in [m.text for m in ryabkov.mentions if m.kind == "role"]
