"""`letopis eval entities`: the scores on hand-built cases, the gold it reads, one run end to end."""

import json
from pathlib import Path

import pytest

from letopis.cli import main
from letopis.eval.datasets import GoldDoc, GoldMention, inflection_of, read_dataset
from letopis.eval.entities import (Item, Predicted, align, bcubed, cross_document_pairs, lea, normal_agrees,
                                   pair_counts, person_merge_pairs, person_merges, score_clusters)

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SLAVICNER = DATA / "slavicner"
FACTRU = DATA / "factRuEval-2016" / "devset"

# One document: gold A = {a1, a2, a3}, B = {b1}; predicted p = {a1, a2}, q = {a3, b1}.
LABELS = [("A", "p"), ("A", "p"), ("A", "q"), ("B", "q")]


# --- the scores, computed by hand -------------------------------------------------


def test_bcubed_by_hand():
    # precision per mention: a1 2/2, a2 2/2, a3 1/2, b1 1/2 -> 3/4
    # recall per mention:    a1 2/3, a2 2/3, a3 1/3, b1 1/1 -> (8/3)/4 = 2/3
    precision, recall, n = bcubed(LABELS)
    assert n == 4
    assert precision / n == pytest.approx(3 / 4)
    assert recall / n == pytest.approx(2 / 3)


def test_bcubed_of_perfect_and_of_all_merged():
    perfect = [("A", "x"), ("A", "x"), ("B", "y")]
    p, r, n = bcubed(perfect)
    assert (p / n, r / n) == (1.0, 1.0)
    merged = [("A", "x"), ("A", "x"), ("B", "x")]  # B wrongly merged into A
    p, r, n = bcubed(merged)
    assert p / n == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3) and r / n == 1.0


def test_lea_by_hand():
    # recall: A has 3 links, 1 found (a1-a2): 3 * 1/3 = 1; B, a singleton, is not one in the
    # response: 0 -> 1 / 4. precision: p has 1 link, found: 2 * 1 = 2; q's link is wrong: 0 -> 2 / 4.
    p_num, p_den, r_num, r_den = lea(LABELS)
    assert (p_num / p_den, r_num / r_den) == (pytest.approx(0.5), pytest.approx(0.25))


def test_merge_precision_counts_pairs():
    right, predicted, gold = pair_counts(LABELS)
    assert (right, predicted, gold) == (1, 2, 3)  # a1-a2 right; a3-b1 wrong; a1-a3, a2-a3 missed


def item(doc, text, type_, gold, cluster, lang="ru", link="same_name"):
    return Item(doc, lang, text, type_, None, gold, cluster={"letopis": cluster}, key={"letopis": cluster}, link=link)


def test_wrong_person_merges_are_counted_and_listed():
    items = [item("d1", "Путин", "PER", "PER-Putin", "e1"),
             item("d1", "Путина", "PER", "PER-Putina", "e1", link="surname"),
             item("d1", "Путину", "PER", "PER-Putin", "e1"),
             item("d1", "России", "LOC", "GPE-Russia", "e1"),
             item("d2", "Путин", "PER", "PER-Putin", "e1"),
             item("d2", "Путина", "PER", "PER-Putina", "e2")]
    assert person_merge_pairs(items, "letopis") == 2  # Путина with each of the two Путин mentions of d1
    merges = person_merges(items, "letopis")
    assert len(merges) == 1 and merges[0]["doc"] == "d1"
    assert {merges[0]["a_gold"], merges[0]["b_gold"]} == {"PER-Putin", "PER-Putina"}
    clusters = score_clusters(items, "letopis")
    assert clusters["merges"]["wrong"] == 6 - 1  # d1: 6 predicted pairs, 1 right (Путин-Путину); d2: none
    assert clusters["merges"]["wrong_person_pairs"] == 2


def test_wrong_merges_through_metonymy_are_counted_apart():
    items = [item("d1", "Турции", "GPE", "gpe-turkey", "e1"), item("d1", "Турция", "GPE", "gpe-turkey", "e1"),
             item("d1", "Анкарой", "GPE", "gpe-ankara", "e1", link="metonymy")]
    merges = score_clusters(items, "letopis")["merges"]
    assert (merges["right"], merges["wrong"], merges["wrong_with_metonymy"]) == (1, 2, 2)


def test_mentions_of_unknown_gold_entity_are_left_out_of_clusters():
    items = [item("d1", "Кан", "PER", None, "e1"), item("d1", "Оливер Кан", "PER", "1461", "e1")]
    assert score_clusters(items, "letopis")["mentions"] == 1


def test_cross_document_pairs_are_counted_exactly():
    units = [("d1", "ru", "A", "k1"), ("d1", "ru", "A", "k1"),
             ("d2", "ru", "A", "k1"), ("d2", "ru", "B", "k2"),
             ("d3", "uk", "A", "k3")]
    pairs = cross_document_pairs(units)
    assert list(pairs) == ["ru", "uk", "ru-uk"]
    assert pairs["ru"] == (2, 2, 2)  # d1's two A with d2's A: same id, same key; pairs within d1 not counted
    assert pairs["ru-uk"] == (0, 0, 3)  # the three Russian A with the Ukrainian A: other key
    assert pairs["uk"] == (0, 0, 0)


def test_normal_forms_compare_with_and_without_case():
    assert normal_agrees("Ёлкин", "Елкин") == (True, True)  # ё = е
    assert normal_agrees("мэрия Москвы", "Мэрия Москвы") == (False, True)
    assert normal_agrees("«Газпром»", "Газпром") == (True, True)  # edges trimmed as spans are
    assert normal_agrees("Северный  поток", "Северный поток") == (True, True)
    assert normal_agrees("Байдена", "Байден") == (False, False)
    assert normal_agrees(None, "Байден") == (False, False)


# --- alignment --------------------------------------------------------------------


def predicted(start, end, type_, entity="e1"):
    return Predicted(start, end, type_, None, type_, "same_name", entity, "", entity)


def test_alignment_is_exact_after_trimming_and_one_to_one():
    text = "«Газпром» и движение «Солидарность» с Лавровым"
    doc = GoldDoc("d", text, entities=[
        GoldMention(0, 9, "ORG", "Газпром", "g1"),
        GoldMention(12, 35, "ORG", "движение Солидарность", "g2", alternatives=((21, 35, "Солидарность"),)),
        GoldMention(38, 46, "PER", "Лавров", "g3"),
    ])
    pairs = align(doc, [predicted(1, 8, "ORG"), predicted(22, 34, "ORG"), predicted(38, 44, "PER")])
    assert [(index, lemma) for index, lemma, _ in pairs] == [(0, "Газпром"), (1, "Солидарность")]


def test_alignment_prefers_the_gold_mention_of_the_predicted_type():
    doc = GoldDoc("d", "Москва", entities=[GoldMention(0, 6, "ORG", "Москва", "club"),
                                           GoldMention(0, 6, "LOC", "Москва", "city")])
    [(index, _, _)] = align(doc, [predicted(0, 6, "LOC")])
    assert doc.entities[index].entity == "city"


# --- the gold ---------------------------------------------------------------------


def test_inflection_of():
    assert inflection_of("Юрию Долгорукому", "Юрий Долгорукий")
    assert inflection_of("Орла", "Орёл") and inflection_of("Москвы", "Москва")
    assert not inflection_of("России", "РФ") and not inflection_of("Китая", "КНР")
    assert not inflection_of("США", "Соединённые Штаты")
    assert not inflection_of("российской сборной", "сборная России")


@pytest.mark.skipif(not FACTRU.is_dir(), reason=f"factRuEval is not at {FACTRU}")
def test_factru_gold_has_base_forms_and_coref_groups():
    doc = next(d for d in read_dataset("factru", FACTRU) if d.id == "book_100")
    found = {doc.text[m.start:m.end]: m for m in doc.entities}
    assert found["Юрия Лужкова"].lemma == "Юрий Лужков"  # .coref firstname + lastname
    assert found["Мосгордумы"].lemma == "Мосгордума" and found["мэрии Москвы"].lemma == "мэрия Москвы"
    assert len([m for m in doc.entities if m.entity == found["Юрия Лужкова"].entity]) == 2
    # the object runs from "движения" to the name; the name span alone is an alternative extent
    assert [(doc.text[s:e], lemma) for s, e, lemma in found["движения «Солидарность"].alternatives] == [
        ("Солидарность", "Солидарность")]


@pytest.mark.skipif(not SLAVICNER.is_dir(), reason=f"SlavicNER is not at {SLAVICNER}")
def test_slavicner_gold_keeps_lemmas_and_ids():
    doc = read_dataset("slavicner", SLAVICNER / "raw" / "brexit", lang="ru", limit=1)[0]
    assert len(doc.entities) >= len(doc.mentions)
    for mention in doc.entities:
        assert mention.lemma and mention.entity
    assert any(m.type == "EVT" for m in doc.entities)  # all types kept for entities


# --- end to end -------------------------------------------------------------------


def test_eval_lists_the_entities_task(capsys):
    assert main(["eval"]) == 2
    assert "entities" in capsys.readouterr().out


def test_factru_has_no_ukrainian(capsys):
    assert main(["eval", "entities", "--format", "factru", "--lang", "uk", str(FACTRU)]) == 2


@pytest.mark.models
@pytest.mark.skipif(not SLAVICNER.is_dir(), reason=f"SlavicNER is not at {SLAVICNER}")
def test_eval_entities_slavicner_prints_the_tables_and_json(capsys):
    args = ["eval", "entities", "--format", "slavicner", "--limit", "3", "--no-progress", str(SLAVICNER)]
    assert main(args + ["--errors", "3"]) == 0
    out = capsys.readouterr().out
    assert "3 documents" in out
    for line in ("normal forms", "ru PER", "ru total", "clusters", "ru letopis", "ru natasha (baseline)",
                 "links across documents", "normal-form errors", "aligned (ru)"):
        assert line in out

    assert main(args + ["--json", "--baseline", "none", "--lang", "all", "--limit", "2"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["documents"] == 4 and list(report["systems"]) == ["letopis"]
    letopis = report["systems"]["letopis"]
    assert 0 < letopis["normal"]["ru"]["total"]["accuracy"] <= 1
    assert 0 < letopis["clusters"]["ru"]["bcubed"]["f1"] <= 1
    assert set(letopis["links"]) == {"ru", "uk", "ru-uk"}


def test_the_gazetteer_switch_is_offered_where_the_gazetteer_exists(capsys):
    from letopis.eval.entities import gazetteer_available

    with pytest.raises(SystemExit):
        main(["eval", "entities", "--help"])
    assert ("--gazetteer" in capsys.readouterr().out) == gazetteer_available()
