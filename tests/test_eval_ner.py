"""`letopis eval ner` end to end on a few SlavicNER documents, and the pieces it joins."""

import json
from pathlib import Path

import pytest

from letopis.cli import main
from letopis.eval.datasets import GoldDoc
from letopis.eval.ner import Predictions, article_mentions, score_predictions
from letopis.record import Entity, Mention, new_article

SLAVICNER = Path(__file__).resolve().parents[2] / "shared" / "data" / "slavicner"


def test_letopis_mentions_are_names_of_per_org_loc_with_gpe_as_loc():
    article = new_article("Глава МИД России Сергей Лавров. Он приехал. Кремль ответил.")
    article.entities = [
        Entity("e1", "PER", "Сергей Лавров", [Mention(17, 30, "Сергей Лавров"), Mention(32, 34, "Он", kind="pronoun"),
                                                Mention(0, 16, "Глава МИД России", kind="role")]),
        Entity("e2", "GPE", "Россия", [Mention(10, 16, "России", ner_type="LOC"),
                                       Mention(44, 50, "Кремль", kind="metonymy", ner_type="ORG")]),
        Entity("e3", "MISC", "МИД", [Mention(6, 9, "МИД")]),
    ]
    assert article_mentions(article) == [(10, 16, "LOC"), (17, 30, "PER"), (44, 50, "ORG")]


def test_a_failed_document_counts_its_gold_as_missed():
    doc = GoldDoc("d1", "Лавров в Женеве", [(0, 6, "PER"), (9, 15, "LOC")])
    score = score_predictions([doc], Predictions("letopis", [[]], 1.0, {"d1": "nlp: boom"}))
    assert score.overall("exact").fn == 2 and score.failed == {"d1": "nlp: boom"}


def test_eval_without_a_task_prints_help(capsys):
    assert main(["eval"]) == 2
    assert "ner" in capsys.readouterr().out


@pytest.mark.models
@pytest.mark.skipif(not SLAVICNER.is_dir(), reason=f"SlavicNER is not at {SLAVICNER}")
def test_eval_ner_slavicner_prints_the_table_and_json(capsys):
    args = ["eval", "ner", "--format", "slavicner", "--lang", "ru", "--limit", "5", str(SLAVICNER)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "5 documents" in out
    for line in ("exact match", "overlap match", "PER", "ORG", "LOC", "overall (micro)", "slovnet alone"):
        assert line in out
    assert "chars/s" in out
    overall = next(line for line in out.splitlines() if line.startswith("overall"))
    assert len(overall.split("|")) == 2  # letopis | slovnet alone

    assert main(args + ["--json", "--limit", "2", "--baseline", "none"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["documents"] == 2 and list(report["systems"]) == ["letopis"]
    overall = report["systems"]["letopis"]["exact"]["overall"]
    assert overall["tp"] > 0 and 0 < overall["f1"] <= 1


def test_eval_ner_on_a_missing_dataset_says_so(tmp_path, capsys):
    assert main(["eval", "ner", "--format", "nerel", str(tmp_path / "nowhere")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["eval", "ner", "--format", "factru", "--lang", "uk", str(tmp_path)]) == 2
