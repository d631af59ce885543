"""Span scoring on hand-built cases: exact and overlap, types, ignored spans, empties."""

import pytest

from letopis.eval.score import Counts, add_counts, count, drop_ignored, micro, strip_span, strip_spans

TEXT = "Сергей Лавров прилетел в Женеву, где его ждал «Газпром»."
LAVROV, GENEVA, GAZPROM = (0, 13, "PER"), (25, 31, "LOC"), (47, 54, "ORG")


def test_spans_point_at_their_words():
    assert [TEXT[s:e] for s, e, _ in (LAVROV, GENEVA, GAZPROM)] == ["Сергей Лавров", "Женеву", "Газпром"]


@pytest.mark.parametrize("mode", ["exact", "overlap"])
def test_perfect_prediction(mode):
    gold = [LAVROV, GENEVA, GAZPROM]
    counts = count(gold, list(gold), mode)
    assert counts == {"PER": Counts(1, 0, 0), "LOC": Counts(1, 0, 0), "ORG": Counts(1, 0, 0)}
    assert micro(counts).f1 == 1.0


def test_exact_needs_both_boundaries():
    counts = count([LAVROV], [(7, 13, "PER")], "exact")  # "Лавров" only
    assert counts == {"PER": Counts(tp=0, fp=1, fn=1)}


def test_overlap_credits_a_partial_span():
    assert count([LAVROV], [(7, 13, "PER")], "overlap") == {"PER": Counts(tp=1, fp=0, fn=0)}


@pytest.mark.parametrize("mode", ["exact", "overlap"])
def test_type_must_agree(mode):
    counts = count([GAZPROM], [(47, 54, "LOC")], mode)
    assert counts == {"ORG": Counts(fn=1), "LOC": Counts(fp=1)}


def test_overlap_is_one_to_one():
    # two predictions inside one gold mention: one is credited, the other is a false positive
    counts = count([LAVROV], [(0, 6, "PER"), (7, 13, "PER")], "overlap")
    assert counts == {"PER": Counts(tp=1, fp=1, fn=0)}


@pytest.mark.parametrize("mode", ["exact", "overlap"])
def test_empty_gold_and_empty_prediction(mode):
    assert count([], [], mode) == {}
    assert count([], [GENEVA], mode) == {"LOC": Counts(fp=1)}
    assert count([GENEVA], [], mode) == {"LOC": Counts(fn=1)}


def test_counts_arithmetic():
    c = Counts(tp=3, fp=1, fn=2)
    assert c.precision == 0.75 and c.recall == 0.6 and round(c.f1, 4) == 0.6667
    assert Counts().precision == Counts().recall == Counts().f1 == 0.0
    total = add_counts({"PER": Counts(1, 0, 0)}, {"PER": Counts(0, 1, 0), "ORG": Counts(0, 0, 1)})
    assert total == {"PER": Counts(1, 1, 0), "ORG": Counts(0, 0, 1)}
    assert micro(total) == Counts(1, 1, 1)
    assert micro(total, ("ORG",)) == Counts(0, 0, 1)
    assert c.to_dict() == {"tp": 3, "fp": 1, "fn": 2, "precision": 0.75, "recall": 0.6, "f1": 0.6667}


@pytest.mark.parametrize("span, stripped", [
    ((46, 55, "ORG"), "Газпром"),    # «Газпром» with its quotes and the full stop
    ((24, 32, "LOC"), "Женеву"),     # " Женеву,"
    ((0, 13, "PER"), "Сергей Лавров"),
])
def test_strip_span(span, stripped):
    start, end = strip_span(TEXT, span[0], span[1])
    assert TEXT[start:end] == stripped


def test_strip_keeps_a_span_that_would_vanish():
    assert strip_span("«»", 0, 2) == (0, 2)
    assert strip_spans(TEXT, [(46, 55, "ORG"), GAZPROM]) == [GAZPROM]


def test_predictions_on_ignored_spans_are_set_aside():
    ignored = [(47, 54, "PRO"), (25, 31, "nested LOC")]
    predicted = [(47, 54, "ORG"), (25, 31, "LOC"), LAVROV]
    kept, dropped = drop_ignored(predicted, [LAVROV], ignored)
    assert kept == [LAVROV] and dropped == 2


def test_a_span_both_scored_and_ignored_is_scored():
    kept, dropped = drop_ignored([GENEVA], [GENEVA], [(25, 31, "FACILITY")])
    assert kept == [GENEVA] and dropped == 0
