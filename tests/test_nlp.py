"""The NLP layer: what the models see, offsets, normal forms, boilerplate kept out."""

import pytest

from letopis import nlp, resolve
from letopis.record import Meta, Zone, new_article


def zoned(text, *zones, lang="ru"):
    """An article with zones given as (kind, substring) pairs."""
    article = new_article(text, Meta(lang=lang))
    for kind, part in zones:
        start = article.text.index(part)
        article.zones.append(Zone(kind, start, start + len(part)))
    return article


def test_fold_typography_keeps_length_and_folds_spaces_and_quotes():
    text = "21\u00a0декабря „Газпром“ ‘так’\u2009–"
    folded = nlp.fold_typography(text)
    assert len(folded) == len(text)
    assert folded == '21 декабря "Газпром" \'так\' –'


def test_units_are_paragraphs_of_title_lead_body_only():
    text = "Заголовок\n\nЛид статьи.\n\nПервый абзац.\nВторой абзац.\n\nПодписывайтесь на Telegram"
    article = zoned(text, ("title", "Заголовок"), ("lead", "Лид статьи."),
                    ("body", "Первый абзац.\nВторой абзац."), ("boilerplate", "Подписывайтесь на Telegram"))
    units = nlp.paragraph_units(article, 0)
    assert [(u.zone, u.text) for u in units] == [
        ("title", "Заголовок"), ("lead", "Лид статьи."),
        ("body", "Первый абзац."), ("body", "Второй абзац.")]
    for unit in units:
        assert article.text[unit.start:unit.start + len(unit.text)] == unit.text


@pytest.mark.models
def test_sentences_do_not_cross_lines_and_offsets_point_into_text(models):
    text = "Встреча не планируется\n\nГосдеп\u00a0США сообщил об этом в среду. Блинкен добавил детали."
    article = zoned(text, ("title", "Встреча не планируется"),
                    ("body", "Госдеп\u00a0США сообщил об этом в среду. Блинкен добавил детали."))
    nlp.analyse_articles([article], models)
    assert [article.text[s.start:s.end] for s in article.sentences] == [
        "Встреча не планируется", "Госдеп\u00a0США сообщил об этом в среду.", "Блинкен добавил детали."]
    for sentence in article.sentences:
        for token in sentence.tokens:
            assert article.text[token.start:token.end] == token.text
            assert token.pos and token.lemma is not None
        heads = [t.head for t in sentence.tokens]
        assert heads.count(0) >= 1 and max(heads) <= len(sentence.tokens)


@pytest.mark.models
def test_mentions_get_nominative_normal_forms(models):
    text = "Встреча Байдена с Путиным\n\nПереговоры с Владимиром Путиным и Джо Байденом прошли в Женеве."
    article = zoned(text, ("title", "Встреча Байдена с Путиным"),
                    ("body", "Переговоры с Владимиром Путиным и Джо Байденом прошли в Женеве."))
    [mentions] = nlp.analyse_articles([article], models)
    normals = {m.text: m.normal for m in mentions}
    assert normals["Байдена"] == "Байден"
    assert normals["Владимиром Путиным"] == "Владимир Путин"
    assert normals["Женеве"] == "Женева"
    resolve.resolve_entities(article, mentions)
    names = {e.name: sorted(m.text for m in e.mentions) for e in article.entities}
    assert names["Владимир Путин"] == ["Владимиром Путиным", "Путиным"]
    assert names["Джо Байден"] == ["Байдена", "Джо Байденом"]


@pytest.mark.models
def test_boilerplate_never_reaches_ner(models):
    text = "Новость о НАТО\n\nСледите за новостями в Телеграм\n\nПодписывайтесь на нашу страницу Facebook"
    article = zoned(text, ("title", "Новость о НАТО"),
                    ("boilerplate", "Следите за новостями в Телеграм"),
                    ("boilerplate", "Подписывайтесь на нашу страницу Facebook"))
    [mentions] = nlp.analyse_articles([article], models)
    assert [m.text for m in mentions] == ["НАТО"]


@pytest.mark.models
def test_english_gets_sentences_but_no_russian_models(models):
    article = zoned("Blinken met Lavrov in Geneva. They talked.", ("body", "Blinken met Lavrov in Geneva. They talked."), lang="en")
    [mentions] = nlp.analyse_articles([article], models)
    assert len(article.sentences) == 2 and mentions == []
    assert article.sentences[0].tokens[0].pos is None


@pytest.mark.models
def test_batching_gives_the_same_result_as_one_at_a_time(models):
    texts = ["Лавров встретился с Блинкеном в Женеве.", "Столтенберг заявил, что НАТО не уступит.",
             "Зеленский провел переговоры с Шольцем в Киеве. Они обсудили газ."]
    alone = []
    for text in texts:
        article = zoned(text, ("body", text))
        [mentions] = nlp.analyse_articles([article], models)
        alone.append((mentions, article.sentences))
    batch = [zoned(text, ("body", text)) for text in texts]
    together = nlp.analyse_articles(batch, models)
    assert together == [mentions for mentions, _ in alone]
    assert [a.sentences for a in batch] == [sentences for _, sentences in alone]
