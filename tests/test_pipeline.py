"""The runner: stage order checks, failure isolation, stage versions on records."""

import pytest

from letopis.errors import DocumentError
from letopis.pipeline import Pipeline, Stage
from letopis.record import Meta, new_article


def mark(name):
    def run(article):
        article.meta.title = (article.meta.title or "") + name
    return run


def explode_on(word):
    def run(article):
        if word in article.text:
            raise RuntimeError(f"cannot handle {word}")
    return run


def explode_batch_on(word):
    def run_batch(articles):
        if any(word in a.text for a in articles):
            raise ValueError("batch broke")
        for a in articles:
            a.meta.author = "batched"
    return run_batch


def articles(*texts):
    return [new_article(t, Meta(input=f"doc{i}.txt")) for i, t in enumerate(texts)]


def test_stages_run_in_order_and_record_their_versions():
    pipeline = Pipeline([Stage("a", "1", (), ("x",), run=mark("a")),
                         Stage("b", "2", ("x",), (), run=mark("b"))])
    out = list(pipeline.run(articles("one", "two")))
    assert [a.meta.title for a in out] == ["ab", "ab"]
    assert out[0].stages == {"a": "1", "b": "2"}


def test_a_stage_that_needs_what_nobody_sets_is_refused():
    with pytest.raises(ValueError, match="needs \\['zones'\\]"):
        Pipeline([Stage("nlp", "1", ("zones",), (), run=mark("n"))])


def test_a_failing_document_becomes_an_error_naming_the_stage_and_the_rest_go_on():
    pipeline = Pipeline([Stage("clean", "1", (), (), run=explode_on("BAD")),
                         Stage("after", "1", (), (), run=mark("!"))], batch_size=2)
    out = list(pipeline.run(articles("good one", "BAD one", "good two")))
    assert [type(x).__name__ for x in out] == ["Article", "DocumentError", "Article"]
    error = out[1]
    assert error.stage == "clean@1" and error.reason == "stage_failed"
    assert error.input == "doc1.txt" and "cannot handle BAD" in error.detail
    assert out[0].meta.title == "!" and out[2].meta.title == "!"


def test_a_failing_batch_is_retried_one_by_one():
    pipeline = Pipeline([Stage("nlp", "1", (), (), run_batch=explode_batch_on("BAD"))], batch_size=8)
    out = list(pipeline.run(articles("a", "b BAD", "c")))
    assert [getattr(x, "meta", None) and x.meta.author for x in out] == ["batched", None, "batched"]
    assert isinstance(out[1], DocumentError)


def test_errors_from_reading_pass_through_untouched():
    error = DocumentError(input="x.bin", reason="binary")
    pipeline = Pipeline([Stage("a", "1", (), (), run=mark("a"))])
    out = list(pipeline.run([error, *articles("ok")]))
    assert out[0] is error and out[1].meta.title == "a"


def test_check_turns_an_invalid_record_into_an_error():
    from letopis.record import Zone

    def bad_zones(article):
        article.zones = [Zone("body", 0, 10_000)]

    pipeline = Pipeline([Stage("clean", "1", (), (), run=bad_zones)], check=True)
    [out] = pipeline.run(articles("short"))
    assert isinstance(out, DocumentError) and out.stage == "validate"
