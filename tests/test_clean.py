"""The clean stage: zones and the outlet named in the text.

Golden cases are tables: a short hand-written article and the (kind, text) of each of
its zones in order; body zones are given by their text, blank lines folded to " / ".
"""

import json
import re
from pathlib import Path
from textwrap import dedent

import pytest

from letopis.clean import LexiconError, read_lexicon, zone_article
from letopis.clean.zones import is_footer, split_lines
from letopis.record import Meta, ZONE_KINDS, new_article

SEEDS = Path(__file__).parents[2] / "shared" / "seeds"
SEED = SEEDS / "000_79ae6ed39590c044.txt"
CORPUS = Path(__file__).parents[1] / "examples" / "corpus" / "txt"


def zoned(text, meta=None):
    article = new_article(dedent(text).strip("\n"), meta)
    zone_article(article)
    return article


def shown(article):
    """(kind, text) per zone, with the blank lines of a body zone folded to " / "."""
    return [(zone.kind, re.sub(r"\s*\n\s*\n\s*", " / ", article.zone_text(zone)))
            for zone in article.zones]


def check_invariants(article):
    """Zones are in text order, inside the text, do not overlap, and cover every line."""
    text = article.text
    previous_end = 0
    for zone in article.zones:
        assert zone.kind in ZONE_KINDS and zone.rule
        assert previous_end <= zone.start < zone.end <= len(text), zone
        assert article.zone_text(zone) == article.zone_text(zone).strip()
        previous_end = zone.end
    for line in split_lines(text):
        assert any(z.start < line.end and line.start < z.end for z in article.zones), line.text


# --- golden articles -----------------------------------------------------------------

RU_RELATED_IN_BODY = """
    Лавров и Блинкен встретятся в Женеве

    Министр иностранных дел России Сергей Лавров проведет переговоры с госсекретарем США

    Фото: Reuters

    Встреча пройдет в пятницу в одном из отелей Женевы. Об этом сообщили в МИД России.

    Стороны обсудят гарантии безопасности.

    Читайте также: Рябков назвал итоги консультаций в Женеве

    Ранее Лавров заявил, что Москва ждет письменного ответа на свои предложения.

    Подписывайтесь на наш Telegram-канал
"""

RU_NO_LEAD = """
    Песков: саммит Путина и Байдена не планируется

    "Пока никаких конкретных планов по организации такой встречи нет", – сказал Дмитрий Песков журналистам.

    Он добавил, что контакты на уровне экспертов продолжаются.

    Все новости на одном канале в Google News
"""

RU_MENU_FIRST = """
    Главная / Новости / Политика

    Совбез ООН соберется на экстренное заседание

    Заседание запросили постоянные члены Совета Безопасности.

    Иван Петров

    Дипломаты ожидают жесткой дискуссии. Решение пока не принято.

    Читайте также:
    Небензя выступил в Совбезе ООН
    Постпреды обсудили ситуацию в регионе

    © 2022 Все права защищены
    1
"""

RU_DATELINE = """
    Рябков: консультации в Женеве были трудными

    22 декабря 2021, 14:35

    Женева, 10 января – РИА Новости. Консультации России и США были трудными, но деловыми, заявил Сергей Рябков.

    По его словам, Москва не видит оснований для оптимизма. Следующий раунд пока не назначен.

    Поделиться
"""

EN_ARTICLE = """
    Blinken and Lavrov hold talks in Geneva

    US Secretary of State Antony Blinken met Russian Foreign Minister Sergei Lavrov on Friday.

    By John Smith

    GENEVA, Jan 21 (Reuters) - The talks lasted about ninety minutes, officials said.

    "We did not expect a breakthrough," Blinken told reporters after the meeting.

    Read more: Russia demands security guarantees from NATO

    He said the two sides agreed to keep talking.

    Follow us on Twitter

    All rights reserved.
"""

UK_ARTICLE = """
    Зеленський провів розмову з Байденом

    Президент України Володимир Зеленський провів телефонну розмову з президентом США Джо Байденом.

    Ілюстративне фото

    Сторони обговорили безпекову ситуацію. Про це йдеться у повідомленні Офісу президента.

    Дивіться також: Блінкен заявив про готовність до діалогу з Росією

    Підписуйтесь на наш Telegram

    test
"""

RU_FOOTER_BLOCK = """
    22.12.2021 14:35
    Блинкен: встреча не планируется
    Блинкен: встреча не планируется

    Он сказал это журналистам в Вашингтоне. Журналисты ждали этого заявления долго. И вот оно прозвучало.

    Читайте также: Путин заявил о гарантиях

    Коротко: встреча не состоится.

    Подписывайтесь на наш Telegram

    Материалы с пометкой «Реклама» публикуются на правах рекламы.

    Популярное
    Зеленский провел переговоры
    Теги: Блинкен, США
"""

RU_ONE_PARAGRAPH = """
    Лавров прибыл в Женеву

    Министр иностранных дел России прибыл в Женеву на переговоры с госсекретарем США.
"""

GOLDEN = [
    (RU_RELATED_IN_BODY, [
        ("title", "Лавров и Блинкен встретятся в Женеве"),
        ("lead", "Министр иностранных дел России Сергей Лавров проведет переговоры с госсекретарем США"),
        ("photo_credit", "Reuters"),
        ("body", "Встреча пройдет в пятницу в одном из отелей Женевы. Об этом сообщили в МИД России."
                 " / Стороны обсудят гарантии безопасности."),
        ("related", "Рябков назвал итоги консультаций в Женеве"),
        ("body", "Ранее Лавров заявил, что Москва ждет письменного ответа на свои предложения."),
        ("boilerplate", "Подписывайтесь на наш Telegram-канал"),
    ]),
    (RU_NO_LEAD, [
        ("title", "Песков: саммит Путина и Байдена не планируется"),
        ("body", '"Пока никаких конкретных планов по организации такой встречи нет", – сказал'
                 " Дмитрий Песков журналистам. / Он добавил, что контакты на уровне экспертов продолжаются."),
        ("boilerplate", "Все новости на одном канале в Google News"),
    ]),
    (RU_MENU_FIRST, [
        ("boilerplate", "Главная / Новости / Политика"),
        ("title", "Совбез ООН соберется на экстренное заседание"),
        ("lead", "Заседание запросили постоянные члены Совета Безопасности."),
        ("byline", "Иван Петров"),
        ("body", "Дипломаты ожидают жесткой дискуссии. Решение пока не принято."),
        ("related", "Читайте также:"),
        ("related", "Небензя выступил в Совбезе ООН"),
        ("related", "Постпреды обсудили ситуацию в регионе"),
        ("boilerplate", "© 2022 Все права защищены"),
        ("boilerplate", "1"),
    ]),
    (RU_DATELINE, [
        ("title", "Рябков: консультации в Женеве были трудными"),
        ("byline", "22 декабря 2021, 14:35"),
        ("lead", "Женева, 10 января – РИА Новости. Консультации России и США были трудными,"
                 " но деловыми, заявил Сергей Рябков."),
        ("body", "По его словам, Москва не видит оснований для оптимизма. Следующий раунд пока не назначен."),
        ("boilerplate", "Поделиться"),
    ]),
    (EN_ARTICLE, [
        ("title", "Blinken and Lavrov hold talks in Geneva"),
        ("lead", "US Secretary of State Antony Blinken met Russian Foreign Minister Sergei Lavrov on Friday."),
        ("byline", "By John Smith"),
        ("body", "GENEVA, Jan 21 (Reuters) - The talks lasted about ninety minutes, officials said."
                 ' / "We did not expect a breakthrough," Blinken told reporters after the meeting.'),
        ("related", "Russia demands security guarantees from NATO"),
        ("body", "He said the two sides agreed to keep talking."),
        ("boilerplate", "Follow us on Twitter"),
        ("boilerplate", "All rights reserved."),
    ]),
    (UK_ARTICLE, [
        ("title", "Зеленський провів розмову з Байденом"),
        ("lead", "Президент України Володимир Зеленський провів телефонну розмову з президентом США Джо Байденом."),
        ("photo_credit", "Ілюстративне фото"),
        ("body", "Сторони обговорили безпекову ситуацію. Про це йдеться у повідомленні Офісу президента."),
        ("related", "Блінкен заявив про готовність до діалогу з Росією"),
        ("boilerplate", "Підписуйтесь на наш Telegram"),
        ("boilerplate", "test"),
    ]),
    (RU_FOOTER_BLOCK, [
        ("byline", "22.12.2021 14:35"),
        ("title", "Блинкен: встреча не планируется"),
        ("boilerplate", "Блинкен: встреча не планируется"),
        ("body", "Он сказал это журналистам в Вашингтоне. Журналисты ждали этого заявления долго."
                 " И вот оно прозвучало."),
        ("related", "Путин заявил о гарантиях"),
        ("body", "Коротко: встреча не состоится."),
        ("boilerplate", "Подписывайтесь на наш Telegram"),
        ("boilerplate", "Материалы с пометкой «Реклама» публикуются на правах рекламы."),
        ("boilerplate", "Популярное"),
        ("boilerplate", "Зеленский провел переговоры"),
        ("boilerplate", "Теги: Блинкен, США"),
    ]),
    (RU_ONE_PARAGRAPH, [
        ("title", "Лавров прибыл в Женеву"),
        ("body", "Министр иностранных дел России прибыл в Женеву на переговоры с госсекретарем США."),
    ]),
]


@pytest.mark.parametrize("text, expected", GOLDEN, ids=[
    "ru_related_in_body", "ru_no_lead", "ru_menu_first", "ru_dateline", "en", "uk",
    "ru_footer_block", "ru_one_paragraph"])
def test_golden(text, expected):
    article = zoned(text)
    assert shown(article) == expected
    check_invariants(article)


# Lines that open like a footer, credit or byline but are body text.
BODY_LINES = [
    "Telegram заблокировал десятки каналов, сообщили в компании.",
    "Реклама алкоголя будет запрещена с 1 марта, заявили в Госдуме.",
    "Фото с места событий опубликовали в соцсетях очевидцы.",
    "Корреспондент РИА Новости сообщил о взрыве.",
    "Поделиться опытом приехали эксперты из десяти стран.",
    "Комментарии экспертов разделились.",
    "By Friday, NATO will decide on the response.",
    "Read more widely, the minister advised students.",
    "Підписання угоди відклали на тиждень.",
]


@pytest.mark.parametrize("line", BODY_LINES)
def test_body_lines(line):
    article = zoned(f"Заголовок статьи\n\n{'Первый абзац длинный. ' * 30}\n\n{line}\n\nПоследний абзац.")
    assert [zone.kind for zone in article.zones] == ["title", "body"]


def test_metadata_title():
    article = zoned("""
        Лавров прибыл в Женеву

        Министр прибыл на переговоры с госсекретарем США.

        Переговоры начнутся в пятницу.
    """, Meta(title="Лавров прибыл в Женеву – Новости мира"))
    assert [(z.kind, z.rule) for z in article.zones] == [
        ("title", "metadata_title"), ("lead", "lead_short_paragraph"), ("body", "body_text")]


def test_empty_text():
    assert zoned(" \n\n ").zones == []


# --- the seed article --------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed():
    if not SEED.exists():
        pytest.skip(f"the seed article is not at {SEED}")
    article = new_article(SEED.read_text(encoding="utf-8"))
    zone_article(article)
    return article


def test_seed_zones(seed):
    expected = json.loads(SEED.with_suffix(".expected.json").read_text(encoding="utf-8"))["zones"]
    texts = {kind: [seed.zone_text(z) for z in seed.zones_of(kind)] for kind in ZONE_KINDS}
    assert texts["title"] == [expected["title"]]
    assert texts["lead"] == [expected["lead"]]
    assert texts["byline"] == [expected["byline"]]
    assert texts["photo_credit"] == [expected["photo_credit"]]
    assert len(texts["body"]) == 1
    assert texts["body"][0].startswith(expected["body_first_words"])
    assert texts["body"][0].endswith(expected["body_last_words"])
    assert texts["related"] == expected["related"]
    assert [t.replace("\xa0", " ") for t in texts["boilerplate"]] == expected["boilerplate"]
    check_invariants(seed)


def test_seed_rules(seed):
    assert [(z.kind, z.rule) for z in seed.zones] == [
        ("title", "first_line_title"),
        ("lead", "lead_before_header"),
        ("byline", "byline_label"),
        ("boilerplate", "teaser_truncated_title"),
        ("photo_credit", "photo_credit_prefix"),
        ("body", "body_text"),
        ("related", "related_prefix"),
        ("boilerplate", "footer_more_news"),
        ("boilerplate", "footer_more_news"),
        ("boilerplate", "footer_social"),
        ("boilerplate", "footer_social"),
        ("boilerplate", "junk_short_line_at_end"),
    ]


def test_seed_outlet(seed):
    assert (seed.meta.outlet, seed.meta.outlet_source) == ("Depo.ua", "text")


# --- outlet detection ---------------------------------------------------------------------

TITLE = "Блинкен: встреча Байдена и Путина не планируется\n\n"

OUTLETS = [
    (TITLE + "Об этом он сказал на брифинге, сообщает Depo.ua.", "Depo.ua"),
    (TITLE + "Об этом он сказал на брифинге, передает УНИАН.\n\nБольше новостей на сайте УНИАН", "УНИАН"),
    (TITLE + "Про це він сказав на брифінгу, як повідомляє Укрінформ.\n\nПідписуйтесь на Укрінформ у Telegram",
     "Укрінформ"),
    (TITLE + "Москва, 22 декабря – РИА Новости. Песков прокомментировал заявление.", "РИА Новости"),
    ("Talks end\n\nGENEVA, Jan 21 (Reuters) - The talks lasted about ninety minutes.", "Reuters"),
    # a source, not the outlet: taken only when the footer names it too
    (TITLE + "Об этом он сказал на брифинге, сообщает Reuters.", None),
    (TITLE + "Об этом он сказал на брифинге, сообщает издание со ссылкой на Reuters.", None),
    (TITLE + "Об этом пишет Блинкен в своем Twitter.", None),
    (TITLE + "Об этом сказано в заявлении Госдепа.", None),
]


@pytest.mark.parametrize("text, outlet", OUTLETS)
def test_outlet(text, outlet):
    article = zoned(text)
    assert article.meta.outlet == outlet
    assert article.meta.outlet_source == ("text" if outlet else None)


def test_outlet_from_metadata_is_kept():
    article = zoned(OUTLETS[0][0], Meta(outlet="depo.ua", outlet_source="metadata"))
    assert (article.meta.outlet, article.meta.outlet_source) == ("depo.ua", "metadata")


# --- lexicons ------------------------------------------------------------------------------


def test_bad_pattern_names_file_and_line(tmp_path):
    path = tmp_path / "related.txt"
    path.write_text("# comment\n[prefix]\nЧитайте также\nСм\\. (также\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"related\.txt:4: bad pattern"):
        read_lexicon(path)


def test_lexicon_groups(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("a\n[second]\nb\n", encoding="utf-8")
    lexicon = read_lexicon(path)
    assert [(p.group, p.line) for p in lexicon.patterns] == [("default", 1), ("second", 3)]
    assert lexicon.match("B", "second") and not lexicon.match("b", "default")


# --- the sample corpus ----------------------------------------------------------------------


def read_corpus_file(path):
    data = path.read_bytes()
    name = path.stem
    encoding = "cp1251" if "_cp1251" in name else "koi8-r" if "_koi8r" in name else "utf-8-sig"
    return data.decode(encoding)


CORPUS_FILES = sorted(CORPUS.glob("*.txt")) if CORPUS.exists() else []


@pytest.mark.skipif(not CORPUS_FILES, reason="no sample corpus in examples/corpus/txt")
@pytest.mark.parametrize("path", CORPUS_FILES, ids=[p.name for p in CORPUS_FILES])
def test_corpus(path):
    article = new_article(read_corpus_file(path))
    zone_article(article)
    check_invariants(article)
    kinds = [zone.kind for zone in article.zones]
    assert kinds.count("title") == 1
    assert "body" in kinds
    for zone in article.zones_of("body"):
        for line in split_lines(article.zone_text(zone)):
            assert not is_footer(line), line.text


# --- found by the NER evaluation (docs/eval.md) -----------------------------------------


def test_a_name_under_the_title_that_the_article_is_about_is_not_a_byline():
    text = ("Песков прокомментировал переговоры\n\nДмитрий Песков\n\n"
            "Пресс-секретарь президента России Дмитрий Песков заявил журналистам, что Кремль ждет ответа. "
            "По словам Пескова, сроки пока не определены.")
    article = new_article(text)
    zone_article(article)
    assert "byline" not in [z.kind for z in article.zones]


def test_a_long_paragraph_glued_to_read_also_stays_body():
    glued = ("Читайте также: Лавров заявил, что ответ США и НАТО не учитывает главных озабоченностей России, "
             "а министр добавил, что Москва изучит документ и в ближайшие дни даст свою оценку предложениям, "
             "которые касаются ограничения военных учений, размещения ракет и мер доверия в Европе, "
             "после чего доклад будет представлен президенту.")
    text = "Заголовок новости о переговорах\n\nПервый абзац новости с фактами и цитатами участников.\n\n" + glued
    article = new_article(text)
    zone_article(article)
    assert [z.kind for z in article.zones if glued.startswith(article.zone_text(z)[:20])] == ["body"]
