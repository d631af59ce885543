"""The record: JSON round trip, ids, validation, and docs that cannot drift."""

import dataclasses
import json
import re
from pathlib import Path

import pytest

from letopis import record
from letopis.record import (Article, Entity, Event, Meta, Mention, Quote, Role, Sentence,
                            TimeExpr, Token, Zone, article_id, new_article, validate)

DOCS = Path(__file__).resolve().parents[1] / "docs" / "record.md"


def full_article() -> Article:
    text = "Блинкен заявил: «Мы готовы».\nЧитайте также: новости"
    article = new_article(text, Meta(lang="ru", published="2021-12-22", published_source="metadata"))
    article.zones = [Zone("body", 0, 28, "rule_a"), Zone("related", 44, 51)]
    article.sentences = [Sentence(0, 28, "body", [Token(0, 7, "Блинкен", "блинкен", "PROPN", {"Case": "Nom"}, 2, "nsubj")])]
    article.entities = [Entity("e1", "PER", "Энтони Блинкен", [Mention(0, 7, "Блинкен", "Блинкен")],
                               [Role("госсекретарь", None, None, "Госдеп", "USA")], kb_id="Q7173")]
    article.quotes = [Quote("q1", "direct", 17, 26, speaker="e1", cue="заявил", cue_start=8, cue_end=14)]
    article.events = [Event("v1", "CONSULT", 0, 7, "Блинкен", participants=["e1"], status="planned")]
    article.times = [TimeExpr("t1", 0, 7, "Блинкен", value="2021-12-21")]
    article.stages = {"clean": "1.0"}
    return article


def test_json_round_trip_keeps_every_field():
    article = full_article()
    data = json.loads(json.dumps(article.to_dict(), ensure_ascii=False))
    assert Article.from_dict(data) == article


def test_id_is_stable_under_newline_and_spacing_changes():
    assert article_id("Один  два\r\nтри") == article_id("Один два\nтри ")
    assert article_id("Один два") != article_id("Один три")
    assert re.fullmatch(r"[0-9a-f]{16}", article_id("x"))


def test_new_article_normalizes_newlines_only():
    article = new_article("a\r\nb\rc\u00a0d")
    assert article.text == "a\nb\nc\u00a0d"


def test_validate_finds_spans_outside_text_and_wrong_mention_text():
    article = full_article()
    assert validate(article) == []
    article.zones.append(Zone("body", 10, 999))
    article.entities[0].mentions.append(Mention(0, 3, "XYZ"))
    article.zones.append(Zone("sidebar", 0, 1))
    problems = validate(article)
    assert any("outside text" in p for p in problems)
    assert any("differs from its span" in p for p in problems)
    assert any("unknown zone kind" in p for p in problems)


def documented_fields() -> dict[str, set[str]]:
    """Field names per class as written in docs/record.md tables."""
    found: dict[str, set[str]] = {}
    section = None
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        elif line.startswith("| `") and section:
            for name in re.findall(r"`([A-Za-z_.]+)`", line.split("|")[1]):
                owner, _, field = name.rpartition(".")
                found.setdefault(owner or section, set()).add(field)
    return found


SECTIONS = {
    Article: "Article", Meta: "Meta", Zone: "Zone", Sentence: "Sentence", Token: "Token",
    Entity: "Entity", Mention: "Mention", Role: "Role", TimeExpr: "TimeExpr", Quote: "Quote",
    Event: "Event",
}


@pytest.mark.parametrize("cls", list(SECTIONS), ids=lambda c: c.__name__)
def test_every_record_field_is_documented_and_nothing_else(cls):
    documented = documented_fields().get(SECTIONS[cls], set())
    actual = {f.name for f in dataclasses.fields(cls)}
    assert documented == actual, f"docs/record.md and {cls.__name__} differ"


def test_docs_name_the_current_schema_version():
    assert f"schema {record.SCHEMA_VERSION}" in DOCS.read_text(encoding="utf-8")


def test_every_error_reason_is_documented():
    from letopis.errors import REASONS

    documented = set(re.findall(r"^\| `([a-z_]+)` \|", (DOCS.parent / "errors.md").read_text(encoding="utf-8"), re.M))
    assert documented == set(REASONS)
