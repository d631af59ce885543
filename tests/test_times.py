"""The time stage: golden tables per construction (ru, uk, en), anchoring, no anchor,
publication date from the text, the seed end to end, the dev gold and its eval.

Rows are ``(published, sentence, expected text, expected value, expected mod)``. Each
sentence becomes an article under a neutral title and goes through the default
pipeline plus the time stage, all rows of a table in one batch.
"""

import json
from datetime import date
from pathlib import Path

import pytest

from letopis.clean.zones import zone_article
from letopis.record import Article, Meta, new_article
from letopis.times import VERSION, explain_times, infer_published
from letopis.times.anchor import choose_year, resolve_weekday, span_of_day, span_of_month
from letopis.times.grammar import parse_slots
from letopis.times.lexicon import trigger_words, word_list
from letopis.times.rules import RULES
from letopis.times.terms import terms_for

from .conftest import ROOT, SEED

GOLD = ROOT / "tests" / "gold" / "times.jsonl"
TITLES = {"ru": "Министры обсудили ситуацию в регионе", "uk": "Міністри обговорили ситуацію в регіоні",
          "en": "Ministers discussed the situation in the region"}

RU = [
    # explicit and partial dates
    ("2021-12-22", "Об этом он сказал на брифинге 21 декабря.", "21 декабря", "2021-12-21", None),
    ("2022-01-14", "МИД России опубликовал свои предложения 17 декабря.", "17 декабря", "2021-12-17", None),
    ("2021-12-22", "Переговоры пройдут 10 января в Женеве.", "10 января", "2022-01-10", None),
    ("2022-01-14", "Проекты были переданы 15.12.2021 в Москве.", "15.12.2021", "2021-12-15", None),
    ("2022-01-14", "Документ подписан 23 декабря 2021 года.", "23 декабря 2021 года", "2021-12-23", None),
    # months, years, seasons
    ("2021-12-22", "Стороны могут в январе провести переговоры.", "в январе", "2022-01", None),
    ("2022-01-14", "Совет собирался в декабре 2021 года.", "в декабре 2021 года", "2021-12", None),
    ("2022-01-14", "Заседание совета прошло впервые с июля 2019 года.", "июля 2019 года", "2019-07", None),
    ("2022-01-14", "Учения пройдут в 2023 году.", "в 2023 году", "2023", None),
    ("2022-01-14", "В прошлом году стороны не встречались.", "В прошлом году", "2021", None),
    ("2021-12-22", "Встреча прошла летом в Женеве.", "летом", "2021-SU", None),
    ("2022-01-14", "Президенты встретились летом прошлого года.", "летом прошлого года", "2021-SU", None),
    # weekdays, relative days, parts of day
    ("2022-01-14", "Заседание прошло в среду в Брюсселе.", "в среду", "2022-01-12", None),
    ("2022-01-14", "Лавров проведет переговоры во вторник.", "во вторник", "2022-01-18", None),
    ("2022-01-14", "Вчера министр провел переговоры.", "Вчера", "2022-01-13", None),
    ("2022-01-14", "Сегодня Лавров проведет пресс-конференцию.", "Сегодня", "2022-01-14", None),
    ("2022-01-14", "Министр выступит сегодня вечером.", "сегодня вечером", "2022-01-14TEV", None),
    # weeks, months, shifts
    ("2022-01-14", "На прошлой неделе Блинкен позвонил Лаврову.", "На прошлой неделе", "2022-W01", None),
    ("2022-01-14", "Ответ передадут на следующей неделе.", "на следующей неделе", "2022-W03", None),
    ("2022-01-14", "В прошлом месяце стороны обменялись письмами.", "В прошлом месяце", "2021-12", None),
    ("2022-01-14", "Ответ будет готов через две недели.", "через две недели", "2022-W04", None),
    # parts of units, ranges, durations, vague references
    ("2021-12-22", "Стороны увидят результат в начале нового года.", "в начале нового года", "2022", "START"),
    ("2021-12-22", "Договор подпишут в конце года.", "в конце года", "2021", "END"),
    ("2022-01-14", "Ответ передадут в конце января.", "в конце января", "2022-01", "END"),
    ("2022-01-14", "Советники встретятся во второй половине января.", "во второй половине января", "2022-01", "END"),
    ("2022-01-14", "Учения пройдут с 10 по 20 февраля.", "с 10 по 20 февраля", "2022-02-10/2022-02-20", None),
    ("2022-01-14", "Разговор продолжался около двух часов.", "около двух часов", "PT2H", "APPROX"),
    ("2022-01-14", "Риск войны самый высокий за последние 30 лет.", "последние 30 лет", "P30Y", None),
    ("2021-12-22", "Президенты недавно говорили по видеосвязи.", "недавно", "PAST_REF", None),
    ("2021-12-22", "Россия ждет ответа в ближайшее время.", "в ближайшее время", "FUTURE_REF", None),
    # more shapes: time of day, quarters, weekends, parts of day, shifts, "может быть введено"
    ("2022-03-10", "Заседание начнется 12 марта в 15:00.", "12 марта в 15:00", "2022-03-12T15:00", None),
    ("2022-03-10", "Утром 24 февраля начались обстрелы.", "Утром 24 февраля", "2022-02-24TMO", None),
    ("2022-03-10", "Минувшей ночью в Киеве было неспокойно.", "Минувшей ночью", "2022-03-09TNI", None),
    ("2022-03-10", "В первом квартале 2022 года ВВП вырос.", "В первом квартале 2022 года", "2022-Q1", None),
    ("2022-03-10", "В минувшие выходные прошли акции протеста.", "В минувшие выходные", "2022-W09-WE", None),
    ("2022-03-10", "В прошлую пятницу президент провел совещание.", "В прошлую пятницу", "2022-03-04", None),
    ("2022-03-10", "Три дня назад министр посетил Варшаву.", "Три дня назад", "2022-03-07", None),
    ("2022-03-10", "Несколько дней назад Песков опроверг эти сообщения.", "Несколько дней назад", "PAST_REF", None),
    ("2022-03-10", "Спустя неделю стороны снова встретились.", "Спустя неделю", "PAST_REF", None),
    ("2022-03-10", "Эмбарго может быть введено в апреле.", "в апреле", "2022-04", None),
    ("2022-03-10", "Переговоры пройдут в конце месяца.", "в конце месяца", "2022-03", "END"),
    ("2022-03-10", "За последние сутки обстрелам подверглись десять городов.", "последние сутки", "P1D", None),
    ("2022-03-10", "Переговоры длились более трех часов.", "более трех часов", "PT3H", "MORE_THAN"),
    ("2022-03-10", "Визит запланирован на осень.", "на осень", "2022-FA", None),
]

UK = [
    ("2021-12-22", "Зустріч відбулася 21 грудня у Женеві.", "21 грудня", "2021-12-21", None),
    ("2022-06-23", "Україна подала заявку 28 лютого.", "28 лютого", "2022-02-28", None),
    ("2021-12-22", "Переговори можуть відбутися в січні.", "в січні", "2022-01", None),
    ("2022-01-14", "Вчора міністр провів переговори.", "Вчора", "2022-01-13", None),
    ("2022-01-14", "Сьогодні відбудеться засідання ради.", "Сьогодні", "2022-01-14", None),
    ("2022-01-14", "Кулеба говорив із Блінкеном минулого тижня.", "минулого тижня", "2022-W01", None),
    ("2021-12-22", "Лідери зустрілися влітку в Женеві.", "влітку", "2021-SU", None),
    ("2021-12-22", "Вони нещодавно говорили телефоном.", "нещодавно", "PAST_REF", None),
    ("2022-01-14", "Обмін полоненими відбувся в суботу.", "в суботу", "2022-01-08", None),
    ("2021-12-22", "Радники зустрінуться на початку наступного року.", "на початку наступного року", "2022", "START"),
    ("2022-01-14", "Навчання пройдуть з 10 по 20 лютого.", "з 10 по 20 лютого", "2022-02-10/2022-02-20", None),
    ("2022-04-26", "Наступне засідання заплановано на травень.", "на травень", "2022-05", None),
    ("2022-03-10", "Минулої суботи відбувся обмін полоненими.", "Минулої суботи", "2022-03-05", None),
    ("2022-03-10", "Візит заплановано на кінець квітня.", "на кінець квітня", "2022-04", "END"),
    ("2022-03-10", "Переговори відбулися у середу ввечері.", "у середу ввечері", "2022-03-09TEV", None),
    ("2022-03-10", "24 лютого 2022 року Росія розпочала вторгнення.", "24 лютого 2022 року", "2022-02-24", None),
    ("2022-03-10", "Кілька днів тому президент підписав указ.", "Кілька днів тому", "PAST_REF", None),
    ("2022-03-10", "Документ має бути підписаний до кінця року.", "до кінця року", "2022", "END"),
]

EN = [
    ("2021-12-22", "Blinken spoke to reporters on December 21.", "on December 21", "2021-12-21", None),
    ("2022-04-26", "He is expected to meet Zelensky on Thursday.", "on Thursday", "2022-04-28", None),
    ("2022-04-26", "The centre began work last week.", "last week", "2022-W16", None),
    ("2021-12-22", "Talks could take place in January.", "in January", "2022-01", None),
    ("2022-04-26", "The UN said yesterday that talks would continue.", "yesterday", "2022-04-25", None),
    ("2022-04-26", "The meeting lasted about an hour.", "about an hour", "PT1H", "APPROX"),
    ("2022-03-10", "Russia invaded Ukraine on Feb. 24.", "on Feb. 24", "2022-02-24", None),
    ("2022-03-10", "Prices have doubled since February.", "February", "2022-02", None),
    ("2022-03-10", "The sanctions took effect on March 1, 2022.", "on March 1, 2022", "2022-03-01", None),
    ("2022-03-10", "The agreement expires at the end of 2022.", "at the end of 2022", "2022", "END"),
    ("2022-03-10", "The talks will resume in two weeks.", "in two weeks", "2022-W12", None),
    ("2022-03-10", "Earlier this month the ministers met in Geneva.", "Earlier this month", "2022-03", None),
]

# No publication date: named units keep their names with an unknown year; pure
# offsets keep only their direction; absolute values need no anchor.
NO_ANCHOR = [
    ("ru", "Об этом он сказал на брифинге 21 декабря.", "21 декабря", "XXXX-12-21", "none"),
    ("ru", "Стороны могут в январе провести переговоры.", "в январе", "XXXX-01", "none"),
    ("ru", "Встреча прошла летом в Женеве.", "летом", "XXXX-SU", "none"),
    ("ru", "Заседание прошло в среду в Брюсселе.", "в среду", "XXXX-WXX-3", "none"),
    ("ru", "Вчера министр провел переговоры.", "Вчера", "PAST_REF", "none"),
    ("ru", "Ответ будет готов через две недели.", "через две недели", "FUTURE_REF", "none"),
    ("ru", "Проекты были переданы 15.12.2021 в Москве.", "15.12.2021", "2021-12-15", None),
    ("uk", "Зустріч відбулася 21 грудня у Женеві.", "21 грудня", "XXXX-12-21", "none"),
    ("en", "The centre began work last week.", "last week", "PAST_REF", "none"),
]

# Whole little articles: what the text itself anchors.
ANCHORED = [
    ("2022-02-16", "Встреча прошла в понедельник, 14 февраля, в Кремле.", "в понедельник", "2022-02-14", "text"),
    ("2022-01-18", "Переговоры прошли во вторник, 18 января. Накануне Бербок побывала в Киеве.",
     "Накануне", "2022-01-17", "text"),
    (None, "Переговоры прошли во вторник, 18 января. Накануне Бербок побывала в Киеве.",
     "Накануне", "XXXX-01-17", "text"),
    ("2022-02-14", "Встреча прошла 14 февраля. Шойгу в тот же день доложил президенту.",
     "в тот же день", "2022-02-14", "text"),
    (None, "Проекты переданы 15.12.2021. Через два дня тексты были опубликованы.",
     "Через два дня", "2021-12-17", "text"),
    (None, "Газопровод был завершен в сентябре 2021 года. Сертификацию приостановили в ноябре.",
     "в ноябре", "2021-11", "text"),
    ("2021-12-22", "Встреча прошла 21 декабря в Женеве.", "21 декабря", "2021-12-21", "published"),
]


def make_article(sentence: str, published: str | None, lang: str) -> Article:
    meta = Meta(lang=lang, published=published, published_source="metadata" if published else "none")
    return new_article(f"{TITLES[lang]}\n\n{sentence}\n", meta)


def run_rows(pipeline, rows, lang=None):
    articles = [make_article(row[1], row[0], lang or row[0]) for row in rows]
    return list(pipeline.run(articles))


def find_time(article: Article, text: str):
    found = [time for time in article.times if time.text == text]
    assert found, f"{text!r} not found in {[t.text for t in article.times]}"
    return found[0]


@pytest.fixture(scope="module")
def pipeline(models):
    from letopis.eval.times import times_pipeline

    return times_pipeline(models)


@pytest.mark.models
@pytest.mark.parametrize("lang,table", [("ru", RU), ("uk", UK), ("en", EN)])
def test_golden_tables(pipeline, lang, table):
    results = run_rows(pipeline, table, lang)
    failures = []
    for (published, sentence, text, value, mod), article in zip(table, results):
        assert isinstance(article, Article), article
        got = [(t.text, t.value, t.mod) for t in article.times]
        if (text, value, mod) not in got:
            failures.append(f"{sentence!r} ({published}): expected {(text, value, mod)}, got {got}")
    assert not failures, "\n".join(failures)


@pytest.mark.models
def test_no_anchor_keeps_the_year_unknown(pipeline):
    articles = [make_article(sentence, None, lang) for lang, sentence, *_ in NO_ANCHOR]
    for (lang, sentence, text, value, anchor), article in zip(NO_ANCHOR, pipeline.run(articles)):
        time = find_time(article, text)
        assert (time.value, time.anchor) == (value, anchor), sentence
        assert article.meta.published is None


@pytest.mark.models
def test_the_text_anchors_what_follows(pipeline):
    articles = [make_article(sentence, published, "ru") for published, sentence, *_ in ANCHORED]
    for (published, sentence, text, value, anchor), article in zip(ANCHORED, pipeline.run(articles)):
        time = find_time(article, text)
        assert (time.value, time.anchor) == (value, anchor), sentence


@pytest.mark.models
def test_time_records(pipeline):
    article = run_rows(pipeline, [RU[0]], "ru")[0]
    time = find_time(article, "21 декабря")
    assert time.id == "t1" and time.stage == f"times@{VERSION}" and time.rule == "date"
    assert article.text[time.start:time.end] == time.text
    assert article.stages["times"] == VERSION
    lines = explain_times(article)
    assert any("date" in line and "2021-12-21" in line for line in lines)


# --- the seed ---------------------------------------------------------------------------


@pytest.mark.models
def test_seed_with_published(pipeline, seed_text):
    from letopis.read import read_paths

    expected = json.loads(SEED.with_suffix(".expected.json").read_text(encoding="utf-8"))
    article = next(iter(pipeline.run(read_paths([SEED], published="2021-12-22"))))
    got = [(t.text, t.value, t.mod) for t in article.times]
    for item in expected["times_with_published_2021_12_22"]:
        assert (item["text"], item["value"], item.get("mod")) in got, (item, got)
    assert all(t.anchor in ("published", None) for t in article.times)


@pytest.mark.models
def test_seed_without_published_guesses_no_year(pipeline, seed_text):
    from letopis.read import read_paths

    article = next(iter(pipeline.run(read_paths([SEED]))))
    values = {t.text: (t.value, t.anchor) for t in article.times}
    assert article.meta.published is None and article.meta.published_source == "none"
    assert values["21 декабря"] == ("XXXX-12-21", "none")
    assert values["в январе"] == ("XXXX-01", "none")
    assert values["летом"] == ("XXXX-SU", "none")
    assert values["в начале нового года"] == ("FUTURE_REF", "none")
    assert not any(value and value[:4].isdigit() for value, _ in values.values())


# --- publication date from the text (zoning only, no models) --------------------------


@pytest.mark.parametrize("text,published,returned", [
    ("Министры обсудили ситуацию в регионе\n\n22 декабря 2021, 10:15\n\n"
     "Министр иностранных дел заявил, что переговоры будут продолжены.\n", "2021-12-22T10:15", None),
    ("Министры обсудили ситуацию в регионе\n\nАнна Ковальчук\n12.01.2022 19:05\n\n"
     "Министр иностранных дел заявил, что переговоры будут продолжены.\n", "2022-01-12T19:05", None),
    ("Turkey drops objection to Finland joining NATO\n\nJune 28, 2022\n\n"
     "Turkey agreed on Tuesday to back the bids of Finland and Sweden to join NATO.\n", "2022-06-28", None),
    ("Министры обсудили ситуацию в регионе\n\nКиев, 22 декабря 2021 – РИА Новости. Министр иностранных "
     "дел заявил, что переговоры будут продолжены.\n", "2021-12-22", None),
    ("Міністри обговорили ситуацію в регіоні\n\nКиїв, 23 грудня – Укрінформ. Президент України заявив, "
     "що готовий до зустрічі.\n", None, (12, 23)),
    ("Министры обсудили ситуацию в регионе\n\nМинистр иностранных дел заявил 21 декабря 2021 года, "
     "что переговоры будут продолжены.\n", None, None),
])
def test_publication_date_from_the_text(text, published, returned):
    article = new_article(text)
    zone_article(article)
    assert infer_published(article) == returned
    assert article.meta.published == published
    assert article.meta.published_source == ("text" if published else "none")


def test_metadata_date_is_kept():
    article = new_article("Заголовок новости дня\n\n22 декабря 2021, 10:15\n\nТекст.\n",
                          Meta(published="2021-12-20", published_source="metadata"))
    zone_article(article)
    assert infer_published(article) is None
    assert (article.meta.published, article.meta.published_source) == ("2021-12-20", "metadata")


# --- anchoring arithmetic ---------------------------------------------------------------


@pytest.mark.parametrize("anchor,month,day,tense,year", [
    ("2021-12-22", 1, None, "future", 2022),  # "в январе" after a December anchor: next January
    ("2021-12-22", 1, None, None, 2022),
    ("2021-12-22", 12, 30, "past", 2020),  # later than the anchor in a past sentence: last year
    ("2021-12-22", 12, 15, "past", 2021),
    ("2022-01-14", 12, 17, None, 2021),
    ("2022-01-14", 2, None, "future", 2022),
])
def test_choose_year(anchor, month, day, tense, year):
    anchor = date.fromisoformat(anchor)
    span = (lambda y: span_of_day(y, month, day)) if day else (lambda y: span_of_month(y, month))
    assert choose_year(anchor, span, tense) == year


@pytest.mark.parametrize("weekday,tense,expected", [
    (3, "past", "2022-01-12"), (2, "future", "2022-01-18"), (5, "past", "2022-01-14"),
    (5, "future", "2022-01-14"), (4, None, "2022-01-13"), (1, None, "2022-01-17"),
])
def test_resolve_weekday(weekday, tense, expected):
    assert resolve_weekday(date(2022, 1, 14), weekday, tense).isoformat() == expected


# --- rules and data files ---------------------------------------------------------------


def test_rules_use_known_terms():
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    for lang in ("ru", "uk", "en"):
        terms = terms_for(lang)
        for rule in RULES:
            for slot in parse_slots(rule):
                assert set(slot.names) <= set(terms), (rule.name, slot.names)


def test_lexicons_cover_every_month_and_weekday():
    for lang in ("ru", "uk", "en"):
        assert sorted(set(map(int, word_list("months", lang).entries.values()))) == list(range(1, 13))
        assert sorted(set(map(int, word_list("weekdays", lang).entries.values()))) == list(range(1, 8))
        assert "в" not in trigger_words(lang) and "на" not in trigger_words(lang)


# --- the dev gold ---------------------------------------------------------------------------


def gold_rows():
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_gold_spans_match_the_articles():
    from letopis.eval.times import resolve_input
    from letopis.read import read_paths

    rows = gold_rows()
    assert sum(len(row["times"]) for row in rows) >= 150
    for row in rows:
        path = resolve_input(row["input"], GOLD)
        if path is None:
            assert "shared" in row["input"], row["input"]  # only the seed may live outside
            continue
        article = next(a for a in read_paths([path]) if a.meta.input_line == row["line"])
        assert article.id == row["article_id"], row["input"]
        for time in row["times"]:
            assert article.text[time["start"]:time["end"]] == time["text"], (row["input"], time)
            assert time["value"] and set(time) == {"start", "end", "text", "value", "mod"}


@pytest.mark.models
def test_eval_meets_the_floors(models):
    from letopis.eval.times import evaluate_times, times_pipeline

    pipeline = times_pipeline(models)
    report = evaluate_times(GOLD, pipeline=pipeline)
    assert report.gold_times >= 150
    assert report.overlap.f1 >= 0.90, report.errors
    assert report.value_accuracy >= 0.90, report.errors
    assert report.published_right == report.published_checked, report.errors
    # the stage's share of processing is measured by bench/throughput.py (stages_s), never here:
    # a timed assertion fails on a busy machine (CI, 2026-11-29: 0.30 s against 0.25 x 0.73 s)
    assert set(report.seconds) >= {"times", "nlp"} and report.seconds["times"] > 0


def test_eval_command_is_added():
    import argparse

    from letopis.eval.times import add_times_eval

    parser = argparse.ArgumentParser()
    add_times_eval(parser.add_subparsers())
    args = parser.parse_args(["times", "--gold", str(GOLD), "--errors"])
    assert args.gold == str(GOLD) and args.errors and callable(args.func)
    assert Path(args.gold).exists()
