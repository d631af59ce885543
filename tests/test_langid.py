"""Language identification: ru vs uk on short texts, en, other."""

import pytest

from letopis.langid import detect_language, identify_language
from letopis.record import Meta, Zone, new_article

CASES = [
    ("ru", "Новая встреча Байдена с Путиным пока не планируется"),
    ("uk", "Нова зустріч Байдена з Путіним поки не планується"),
    ("ru", "Лавров заявил, что Москва готова к диалогу"),
    ("uk", "Кулеба заявив, що Київ готовий до діалогу"),
    ("en", "Blinken said the United States is ready for dialogue"),
    ("other", "Лукашэнка заявіў, што Мінск гатовы да дыялогу"),  # Belarusian
    ("other", "Die Bundesregierung begrüßt die Gespräche in Genf"),
    ("other", "12:45 — 2021"),
]


@pytest.mark.parametrize("expected,text", CASES)
def test_detects_language_of_short_texts(expected, text):
    assert detect_language(text)[0] == expected


def test_given_language_is_kept():
    article = new_article("Нова зустріч", Meta(lang="ru"))
    identify_language(article)
    assert article.meta.lang == "ru" and article.meta.lang_score is None


def test_footers_in_another_language_do_not_decide():
    text = "Зеленський провів переговори з прем'єр-міністром Польщі у Варшаві\n\nFollow us on Twitter and Facebook for all the latest news and updates every single day"
    article = new_article(text)
    title_end = text.index("\n")
    article.zones = [Zone("title", 0, title_end), Zone("boilerplate", title_end + 2, len(text))]
    identify_language(article)
    assert article.meta.lang == "uk" and article.meta.lang_score > 0.5
