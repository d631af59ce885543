"""The canonical seed article end to end: zones, metadata and named entities.

What must come out is in ../shared/seeds/000_79ae6ed39590c044.expected.json. Quotes,
events, times, roles and role/pronoun mentions belong to later stages and are tested
there; this file holds the foundation's part.
"""

import json

import pytest

from letopis.pipeline import default_pipeline
from letopis.record import Article, Meta, new_article, validate

from .conftest import SEED, SEED_EXPECTED

pytestmark = pytest.mark.models


@pytest.fixture(scope="module")
def expected():
    return json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed(models, seed_text) -> Article:
    article = new_article(seed_text, Meta(input=str(SEED), input_format="txt"))
    [result] = default_pipeline(models, check=True).run([article])
    assert isinstance(result, Article), result
    return result


def texts_of(article, kind):
    """Zone texts; expected.json writes NBSP as a plain space."""
    return [article.zone_text(z).replace("\u00a0", " ") for z in article.zones if z.kind == kind]


@pytest.mark.parametrize("kind", ["title", "lead", "byline", "photo_credit"])
def test_single_zones(seed, expected, kind):
    assert texts_of(seed, kind) == [expected["zones"][kind]]


def test_body_is_one_zone_from_first_to_last_words(seed, expected):
    [body] = texts_of(seed, "body")
    assert body.startswith(expected["zones"]["body_first_words"])
    assert body.endswith(expected["zones"]["body_last_words"])


def test_related_and_boilerplate(seed, expected):
    assert texts_of(seed, "related") == expected["zones"]["related"]
    assert texts_of(seed, "boilerplate") == expected["zones"]["boilerplate"]


def test_meta(seed, expected):
    assert seed.meta.lang == expected["meta"]["lang"]
    assert seed.meta.outlet == expected["meta"]["outlet"]
    assert seed.meta.author == expected["meta"]["author"]
    assert seed.meta.published is None and seed.meta.published_source == "none"


def test_named_entities_with_nominative_names(seed):
    names = {(e.type, e.name) for e in seed.entities}
    for person in ["Энтони Блинкен", "Джо Байден", "Владимир Путин", "Карен Донфрид", "Йенс Столтенберг"]:
        assert ("PER", person) in names
    assert ("ORG", "НАТО") in names
    assert any(name == "Женева" for _, name in names)


def test_name_mentions_of_expected_entities(seed, expected):
    by_name = {e.name: {m.text for m in e.mentions} for e in seed.entities}
    assert {"Байдена", "Джо Байдена", "Байден"} <= by_name["Джо Байден"]
    assert {"Путиным", "Владимира Путина", "Владимиром Путиным", "Путин", "Владимир Путин"} <= by_name["Владимир Путин"]
    assert {"Энтони Блинкен", "Блинкен"} <= by_name["Энтони Блинкен"]


def test_nothing_from_boilerplate(seed, expected):
    boilerplate = [z for z in seed.zones if z.kind in ("boilerplate", "related", "photo_credit", "byline")]
    for entity in seed.entities:
        assert entity.name not in expected["not_entities"]
        for mention in entity.mentions:
            assert not any(z.start <= mention.start < z.end for z in boilerplate), mention


def test_record_is_valid_and_every_mention_points_into_text(seed):
    assert validate(seed) == []
    assert seed.stages.keys() == {"clean", "langid", "nlp", "times", "quotes", "events"}


@pytest.mark.parametrize("index", range(12))
def test_every_expected_entity_with_type_roles_and_mentions(seed, expected, index):
    """The whole `entities` part of expected.json, with the shipped gazetteer."""
    wanted = expected["entities"][index]
    by_name = {e.name: e for e in seed.entities}
    assert wanted["name"] in by_name, f"{wanted['name']} not among {sorted(by_name)}"
    entity = by_name[wanted["name"]]
    assert entity.type == wanted["type"]
    assert [r.text for r in entity.roles] == wanted.get("roles", [])
    texts = {m.text for m in entity.mentions}
    assert set(wanted.get("mentions_include", [])) <= texts
