"""The quotes stage: golden tables of marked-up sentences, Russian and Ukrainian.

Markup: ``[words]`` is a mention of an entity, ``[words=Canonical Name]`` says which;
the entity is a person unless its name is in ``TYPES``; a mention starting in lower
case is a role ("глава МИД"), "он", "его", "він", … a pronoun: the resolver's work is
written by hand, so these tests check the quote rules alone. A case is (lang, zone,
text, expected quotes); a quote is (kind, content, speaker's canonical name or None,
cue). The zone "title" makes the first line a title, the rest body.

The tables run without models (tokens from razdel, lemmas and morphology from the
pymorphy3 dictionaries, no syntax: the rules' surface path) and again with the natasha
models (``-m models``: the parse path), entities still by hand. The seed article runs
end to end through the whole pipeline.
"""

import json
import re
from functools import lru_cache

import pytest

from letopis.eval import quotes as quote_eval
from letopis.nlp import paragraph_units, segment_unit
from letopis.pipeline import Pipeline, Stage
from letopis.quotes import VERSION, extract_quotes
from letopis.quotes.lexicon import lexicon, read_lines
from letopis.quotes.marks import find_marks
from letopis.record import Article, Entity, Mention, Meta, TimeExpr, Zone, new_article

from .conftest import ROOT, SEED, SEED_EXPECTED

TYPES = {"Кремль": "ORG", "МИД России": "ORG", "Государственный департамент США": "ORG", "Женева": "GPE",
         "Газпром": "ORG", "Офіс президента": "ORG", "Германия": "GPE"}
PRONOUNS = {"он", "она", "его", "ее", "её", "він", "вона", "його", "її"}
MENTION = re.compile(r"\[([^\]=]+)(?:=([^\]]+))?\]")

# --- Russian -------------------------------------------------------------------------

RU_DIRECT = [
    ("body", "«Мы готовы к диалогу», — сказал [Лавров=Сергей Лавров] журналистам.",
     [("direct", "Мы готовы к диалогу", "Сергей Лавров", "сказал")]),
    ("body", '"Ситуация под контролем" – заявил [Песков=Дмитрий Песков].',
     [("direct", "Ситуация под контролем", "Дмитрий Песков", "заявил")]),
    ("body", '"Решений пока нет", - сказал [Ушаков=Юрий Ушаков].',
     [("direct", "Решений пока нет", "Юрий Ушаков", "сказал")]),
    ("body", "„Мы ждем ответа“, – подчеркнула [Захарова=Мария Захарова].",
     [("direct", "Мы ждем ответа", "Мария Захарова", "подчеркнула")]),
    ("body", "«Мы обсудили «Северный поток — 2» и газ», — сказал [Шольц=Олаф Шольц].",
     [("direct", "Мы обсудили «Северный поток — 2» и газ", "Олаф Шольц", "сказал")]),
    ("body", "«Это красная линия. Мы не отступим», – заявил [замглавы МИД=Сергей Рябков].",
     [("direct", "Это красная линия. Мы не отступим", "Сергей Рябков", "заявил")]),
    ("body", "[Эрдоган=Реджеп Тайип Эрдоган] заявил: «Мы надеемся на мир».",
     [("direct", "Мы надеемся на мир", "Реджеп Тайип Эрдоган", "заявил")]),
    ("body", "Посол США [Майкл Карпентер] сказал журналистам: «Мы готовимся к любому развитию событий».",
     [("direct", "Мы готовимся к любому развитию событий", "Майкл Карпентер", "сказал")]),
    ("body", "[Лавров=Сергей Лавров]: «Разговор был полезным».",
     [("direct", "Разговор был полезным", "Сергей Лавров", ":")]),
    ("body", "«Если будет смысл, мы встретимся снова, — отметил [Блинкен=Энтони Блинкен]. — "
             "В том числе на высшем уровне».",
     [("direct", "Если будет смысл, мы встретимся снова, — отметил Блинкен. — В том числе на высшем уровне",
       "Энтони Блинкен", "отметил")]),
    ("body", "«Переговоры трудные, – сказал [он=Сергей Рябков], – но деловые».",
     [("direct", "Переговоры трудные, – сказал он, – но деловые", "Сергей Рябков", "сказал")]),
    ("body", "[Небензя=Василий Небензя] заявил:\n«Мы слышим одни и те же обвинения.\n«Мы готовы к диалогу».",
     [("direct", "Мы слышим одни и те же обвинения.\n«Мы готовы к диалогу", "Василий Небензя", "заявил")]),
    ("body", "«Мы не будем ждать бесконечно». Об этом [он=Сергей Рябков] сказал в интервью.",
     [("direct", "Мы не будем ждать бесконечно", "Сергей Рябков", "сказал")]),
    ("body", "«Это информационная кампания», - заявила [она=Мария Захарова].",
     [("direct", "Это информационная кампания", "Мария Захарова", "заявила")]),
]

RU_INDIRECT = [
    ("body", "[Лавров=Сергей Лавров] заявил, что Москва ждет ответа.",
     [("indirect", "Москва ждет ответа", "Сергей Лавров", "заявил")]),
    ("body", "Министр иностранных дел России [Сергей Лавров] заявил журналистам в пятницу, что Москва ждет ответа.",
     [("indirect", "Москва ждет ответа", "Сергей Лавров", "заявил")]),
    ("body", "[Глава Госдепартамента=Энтони Блинкен] считает, что встреча неуместна.",
     [("indirect", "встреча неуместна", "Энтони Блинкен", "считает")]),
    ("body", "[Гутерриш=Антониу Гутерриш] уверен, что сделку удастся сохранить.",
     [("indirect", "сделку удастся сохранить", "Антониу Гутерриш", "уверен")]),
    ("body", "[Ушаков=Юрий Ушаков] не исключил, что Макрон посетит Москву.",
     [("indirect", "Макрон посетит Москву", "Юрий Ушаков", "не исключил")]),
    ("body", "[Песков=Дмитрий Песков] опроверг информацию о том, что встреча уже согласована.",
     [("indirect", "встреча уже согласована", "Дмитрий Песков", "опроверг")]),
    ("body", "[Небензя=Василий Небензя] подчеркнул, что Москва открыта для диалога, и напомнил, "
             "что переговоры продолжаются.",
     [("indirect", "Москва открыта для диалога", "Василий Небензя", "подчеркнул"),
      ("indirect", "переговоры продолжаются", "Василий Небензя", "напомнил")]),
    ("body", "По словам [министра=Сергей Лавров], переговоры будут продолжены.",
     [("indirect", "переговоры будут продолжены", "Сергей Лавров", "По словам")]),
    ("body", "По [его=Сергей Лавров] словам, ответ будет дан в январе.",
     [("indirect", "ответ будет дан в январе", "Сергей Лавров", "По его словам")]),
    ("body", "Подготовка к встрече, по словам [Пескова=Дмитрий Песков], идет в рабочем порядке.",
     [("indirect", "Подготовка к встрече, по словам Пескова, идет в рабочем порядке", "Дмитрий Песков",
       "по словам")]),
    ("body", "Новый раунд консультаций пока не назначен, по словам [Рябкова=Сергей Рябков].",
     [("indirect", "Новый раунд консультаций пока не назначен", "Сергей Рябков", "по словам")]),
    ("body", "По словам [госсекретаря=Энтони Блинкен], стороны готовы к диалогу, и в январе можно будет "
             "увидеть, смогут ли они \"устранить разногласия\".",
     [("indirect", "стороны готовы к диалогу", "Энтони Блинкен", "По словам")]),
    ("body", "Как сообщил [Макей=Владимир Макей], учения начнутся в феврале.",
     [("indirect", "учения начнутся в феврале", "Владимир Макей", "сообщил")]),
    ("body", "Россия, как уточнил [Столтенберг=Йенс Столтенберг], пока не дала согласия.",
     [("indirect", "Россия, как уточнил Столтенберг, пока не дала согласия", "Йенс Столтенберг", "уточнил")]),
    ("body", "Как заявили в [Кремле=Кремль], визит не планируется.",
     [("indirect", "визит не планируется", "Кремль", "заявили")]),
    ("body", "В [Кремле=Кремль] заявили, что решение не будет способствовать стабильности.",
     [("indirect", "решение не будет способствовать стабильности", "Кремль", "заявили")]),
    ("body", "В заявлении [МИД России] говорится, что Москва не видит оснований для продления.",
     [("indirect", "Москва не видит оснований для продления", "МИД России", "говорится")]),
    ("body", "На брифинге было заявлено, что переговоры продолжатся.",
     [("indirect", "переговоры продолжатся", None, "заявлено")]),
    ("body", "Германия остановила сертификацию газопровода, заявил [канцлер ФРГ=Олаф Шольц].",
     [("indirect", "Германия остановила сертификацию газопровода", "Олаф Шольц", "заявил")]),
    ("body", "Приговор оставили в силе, однако сейчас, подчеркнул [адвокат=Саиф уль-Малук], он надеется на "
             "решение.",
     [("indirect", "Приговор оставили в силе, однако сейчас, подчеркнул адвокат, он надеется на решение",
       "Саиф уль-Малук", "подчеркнул")]),
    ("body", "Новое заседание пока не планируется, сообщили в [Кремле=Кремль].",
     [("indirect", "Новое заседание пока не планируется", "Кремль", "сообщили")]),
    ("body", "О том, что визит не планируется, сообщил [Песков=Дмитрий Песков].",
     [("indirect", "визит не планируется", "Дмитрий Песков", "сообщил")]),
    ("body", "США готовы начать переговоры в январе. Об этом [Салливан=Джейк Салливан] сказал в пятницу.",
     [("indirect", "США готовы начать переговоры в январе", "Джейк Салливан", "сказал")]),
    ("body", "[Небензя=Василий Небензя] обвинил западные страны в раздувании напряженности.",
     [("indirect", "западные страны в раздувании напряженности", "Василий Небензя", "обвинил")]),
    ("body", "[Ван И] призвал все стороны сохранять спокойствие.",
     [("indirect", "все стороны сохранять спокойствие", "Ван И", "призвал")]),
    ("body", "[Томас-Гринфилд=Линда Томас-Гринфилд] пообещала продолжить дипломатические усилия.",
     [("indirect", "продолжить дипломатические усилия", "Линда Томас-Гринфилд", "пообещала")]),
    ("body", "[Захарова=Мария Захарова] пригрозила принять ответные меры.",
     [("indirect", "принять ответные меры", "Мария Захарова", "пригрозила")]),
    ("body", "[Песков=Дмитрий Песков] назвал итоги переговоров неудовлетворительными.",
     [("indirect", "итоги переговоров неудовлетворительными", "Дмитрий Песков", "назвал")]),
    ("body", "[Шольц=Олаф Шольц] заявил, что сертификация газопровода «Северный поток — 2» приостановлена.",
     [("indirect", "сертификация газопровода «Северный поток — 2» приостановлена", "Олаф Шольц", "заявил")]),
    ("body", "Госсекретарь заявил, что диалог продолжится.",
     [("indirect", "диалог продолжится", None, "заявил")]),
    ("body", "Дипломаты, знакомые с ходом подготовки, не исключают, что ответ будет передан в конце января.",
     [("indirect", "ответ будет передан в конце января", None, "не исключают")]),
]

RU_MIXED = [
    ("body", "[Блинкен=Энтони Блинкен] добавил, что есть \"значительно лучший путь\" – дипломатия.",
     [("mixed", "есть \"значительно лучший путь\" – дипломатия", "Энтони Блинкен", "добавил")]),
    ("body", "[Шерман=Венди Шерман] сообщила, что США «никому не позволят закрыть политику открытых дверей».",
     [("mixed", "США «никому не позволят закрыть политику открытых дверей»", "Венди Шерман", "сообщила")]),
    ("body", "[Ушаков=Юрий Ушаков] назвал разговор «откровенным и деловым».",
     [("mixed", "разговор «откровенным и деловым»", "Юрий Ушаков", "назвал")]),
    ("body", "[Путин=Владимир Путин] выразил надежду на «конструктивные переговоры» с Вашингтоном.",
     [("mixed", "на «конструктивные переговоры» с Вашингтоном", "Владимир Путин", "выразил надежду")]),
    ("body", "По [ее=Мария Захарова] словам, Москва готова начать переговоры \"хоть завтра\".",
     [("mixed", "Москва готова начать переговоры \"хоть завтра\"", "Мария Захарова", "По ее словам")]),
]

RU_HEADLINES = [
    ("title", "Новая встреча пока не планируется, – [Госдеп США=Государственный департамент США]\n\n"
              "Текст статьи.",
     [("indirect", "Новая встреча пока не планируется", "Государственный департамент США", "–")]),
    ("title", "[Рябков=Сергей Рябков]: переговоры были трудными, но деловыми\n\nТекст статьи.",
     [("indirect", "переговоры были трудными, но деловыми", "Сергей Рябков", ":")]),
    ("title", "[Столтенберг=Йенс Столтенберг]: у НАТО и России остаются «значительные разногласия»\n\nТекст.",
     [("mixed", "у НАТО и России остаются «значительные разногласия»", "Йенс Столтенберг", ":")]),
    ("title", "[Макей=Владимир Макей]: учения «Союзная решимость» не направлены против соседей\n\nТекст.",
     [("indirect", "учения «Союзная решимость» не направлены против соседей", "Владимир Макей", ":")]),
]

RU_NOT_QUOTES = [
    ("body", "В этом отношении США работают \"в очень тесной координации с союзниками\".", []),
    ("body", "«Газпром» подтвердил заявки на транзит газа.", []),
    ("body", "Фильм «Жизнь и судьба» получил приз на фестивале.", []),
    ("body", "В соцсетях распространяются слухи о том, что встреча перенесена.", []),
    ("body", "Напомним, переговоры прошли в Женеве.", []),
    ("body", "Разговор состоялся 27 января, сообщает агентство Синьхуа.", []),
    ("body", "Как сообщает Интерфакс, договоренности рассчитаны на 120 дней.", []),
    ("body", "Стороны договорились, что встреча пройдет в Вене.", []),
    ("body", "Серия встреч, которую называли «неделей дипломатии», завершилась в Вене.", []),
    ("body", "Лавров, как ожидается, подведет итоги недели.", []),
    ("body", "О планах новых контактов стороны не сообщили.", []),
    ("body", "Россия обнародовала свои предложения по так называемым «гарантиям безопасности».", []),
    ("body", "Лавров прокомментировал сообщения о санкциях.", []),
    ("body", "Стоит отметить, что сборная потеряла два очка.", []),
    ("body", "Не исключено, что открытие приведет к появлению новых устройств.", []),
    ("body", "Судейский комитет назвал имена арбитров, которые будут обслуживать матчи летом.", []),
    ("title", "[Женева=Женева]: восемь часов за закрытыми дверями\n\nТекст.", []),
    ("title", "Неделя большой дипломатии: чем закончились переговоры\n\nТекст.", []),
]

# --- Ukrainian -----------------------------------------------------------------------

UK = [
    ("body", "„Ми скоординували позиції“, – наголосив [Кулеба=Дмитро Кулеба].",
     [("direct", "Ми скоординували позиції", "Дмитро Кулеба", "наголосив")]),
    ("body", "„Кожен обмін – це результат переговорів, – зазначив [Лубінець=Дмитро Лубінець]. – "
             "Ми вдячні посередникам“.",
     [("direct", "Кожен обмін – це результат переговорів, – зазначив Лубінець. – Ми вдячні посередникам",
       "Дмитро Лубінець", "зазначив")]),
    ("body", "„Ми будемо рухатися вперед“, – сказав [він=Ллойд Остін].",
     [("direct", "Ми будемо рухатися вперед", "Ллойд Остін", "сказав")]),
    ("body", "[Резніков=Олексій Резніков] заявив, що наступна зустріч відбудеться в травні.",
     [("indirect", "наступна зустріч відбудеться в травні", "Олексій Резніков", "заявив")]),
    ("body", "Речник МЗС України [Олег Ніколенко] раніше заявив, що Київ очікує брифінгу.",
     [("indirect", "Київ очікує брифінгу", "Олег Ніколенко", "заявив")]),
    ("body", "За словами [міністра=Олексій Резніков], засідання заплановано на травень.",
     [("indirect", "засідання заплановано на травень", "Олексій Резніков", "За словами")]),
    ("body", "За [його=Олексій Резніков] словами, дату ще узгоджують.",
     [("indirect", "дату ще узгоджують", "Олексій Резніков", "За його словами")]),
    ("body", "Сторони, як зазначив [Єрмак=Андрій Єрмак], обговорили можливі дати.",
     [("indirect", "Сторони, як зазначив Єрмак, обговорили можливі дати", "Андрій Єрмак", "зазначив")]),
    ("body", "У [Кремлі=Кремль] заявили, що зустріч наразі не планується.",
     [("indirect", "зустріч наразі не планується", "Кремль", "заявили")]),
    ("body", "[Зеленський=Володимир Зеленський] назвав рішення „великим кроком для Європи“.",
     [("mixed", "рішення „великим кроком для Європи“", "Володимир Зеленський", "назвав")]),
    ("body", "Про те, що обмін відбувся, повідомив [Єрмак=Андрій Єрмак].",
     [("indirect", "обмін відбувся", "Андрій Єрмак", "повідомив")]),
    ("body", "[Кулеба=Дмитро Кулеба] закликав не зупинятися на досягнутому.",
     [("indirect", "не зупинятися на досягнутому", "Дмитро Кулеба", "закликав")]),
    ("body", "Україна повернула додому ще одну групу військових, повідомив керівник Офісу президента "
             "[Андрій Єрмак].",
     [("indirect", "Україна повернула додому ще одну групу військових", "Андрій Єрмак", "повідомив")]),
    ("body", "[Пєсков=Дмитро Пєсков] заявив, що постачання „не сприяють“ переговорам.",
     [("mixed", "постачання „не сприяють“ переговорам", "Дмитро Пєсков", "заявив")]),
    ("body", "[Президент=Володимир Зеленський] наголосив, що Україна виконує домовленості, і висловив "
             "сподівання, що радники проведуть нову зустріч.",
     [("indirect", "Україна виконує домовленості", "Володимир Зеленський", "наголосив"),
      ("indirect", "радники проведуть нову зустріч", "Володимир Зеленський", "висловив сподівання")]),
    ("title", "[Резніков=Олексій Резніков]: наступна зустріч відбудеться в травні\n\nТекст.",
     [("indirect", "наступна зустріч відбудеться в травні", "Олексій Резніков", ":")]),
]

UK_NOT_QUOTES = [
    ("body", "Нагадаємо, 15 грудня Росія передала США проєкти документів про так звані „гарантії безпеки“.", []),
    ("body", "Розмова відбулася у вівторок, як повідомляє Укрінформ.", []),
    ("body", "Раніше в мережі з'явилися чутки, що постачання можуть затримати.", []),
    ("body", "Зустріч у форматі «Рамштайн» відбулася у вівторок.", []),
]

RU_CASES = RU_DIRECT + RU_INDIRECT + RU_MIXED + RU_HEADLINES + RU_NOT_QUOTES
UK_CASES = UK + UK_NOT_QUOTES
CASES = [("ru", *case) for case in RU_CASES] + [("uk", *case) for case in UK_CASES]


# --- building articles by hand -------------------------------------------------------


def parse_markup(text: str):
    """The plain text and its mentions: (start, end, words, canonical name)."""
    plain, spans, position = "", [], 0
    for match in MENTION.finditer(text):
        plain += text[position:match.start()]
        start = len(plain)
        plain += match.group(1)
        spans.append((start, len(plain), match.group(1), match.group(2) or match.group(1)))
        position = match.end()
    return plain + text[position:], spans


def hand_entities(spans) -> list[Entity]:
    entities: dict[str, Entity] = {}
    for start, end, words, name in spans:
        entity = entities.setdefault(name, Entity(f"e{len(entities) + 1}", TYPES.get(name, "PER"), name))
        kind = "pronoun" if words.lower() in PRONOUNS else "role" if words[0].islower() else "name"
        normal = words if f" {words} " in f" {name} " else name
        entity.mentions.append(Mention(start, end, words, normal=normal, kind=kind))
    return list(entities.values())


def zones_of(text: str, zone: str) -> list[Zone]:
    if zone != "title":
        return [Zone("body", 0, len(text))]
    title_end = text.index("\n")
    body_start = len(text) - len(text[title_end:].lstrip())
    return [Zone("title", 0, title_end), Zone("body", body_start, len(text))]


@lru_cache(maxsize=2)
def analyzer(lang: str):
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


POS = {"VERB": "VERB", "INFN": "VERB", "GRND": "VERB", "PRTF": "VERB", "PRTS": "VERB", "ADJF": "ADJ",
       "ADJS": "ADJ", "NOUN": "NOUN", "NPRO": "PRON", "PREP": "ADP", "CONJ": "CCONJ", "PRCL": "PART",
       "ADVB": "ADV", "NUMR": "NUM", "COMP": "ADV", "PRED": "ADV"}


def tag(token, lang: str) -> None:
    """Lemma, part of speech and a few features from the pymorphy3 dictionaries."""
    if not any(c.isalpha() for c in token.text):
        token.pos, token.lemma = "PUNCT", token.text
        return
    parse = analyzer(lang).parse(token.text)[0]
    token.lemma, token.pos = parse.normal_form, POS.get(parse.tag.POS, "X")
    feats = {"INFN": {"VerbForm": "Inf"}, "GRND": {"VerbForm": "Conv"}, "PRTF": {"VerbForm": "Part"},
             "PRTS": {"VerbForm": "Part", "Variant": "Short"}}.get(parse.tag.POS, {})
    feats = dict(feats)
    if parse.tag.person:
        feats["Person"] = parse.tag.person[0]
    if parse.tag.case in ("ablt", "nomn"):
        feats["Case"] = {"ablt": "Ins", "nomn": "Nom"}[parse.tag.case]
    token.feats = feats


def hand_article(lang: str, zone: str, text: str, times=()) -> Article:
    plain, spans = parse_markup(text)
    article = new_article(plain, Meta(lang=lang, outlet="Depo.ua"))
    article.zones = zones_of(plain, zone)
    article.sentences = [s for unit in paragraph_units(article, 0) for s in segment_unit(unit, article)]
    for sentence in article.sentences:
        for token in sentence.tokens:
            tag(token, lang)
    article.entities = hand_entities(spans)
    article.times = [TimeExpr(f"t{i}", plain.index(t), plain.index(t) + len(t), t) for i, t in enumerate(times, 1)]
    return article


def shown(article: Article):
    names = {e.id: e.name for e in article.entities}
    return [(q.kind, article.text[q.start:q.end], names.get(q.speaker), q.cue) for q in article.quotes]


# --- the tables ----------------------------------------------------------------------


@pytest.mark.parametrize("lang, zone, text, expected", CASES, ids=[c[2][:40] for c in CASES])
def test_golden(lang, zone, text, expected):
    article = hand_article(lang, zone, text)
    extract_quotes(article)
    assert shown(article) == expected


@pytest.mark.models
@pytest.mark.parametrize("lang, zone, text, expected", CASES, ids=[c[2][:40] for c in CASES])
def test_golden_with_syntax(models, lang, zone, text, expected):
    from letopis.nlp import analyse_articles

    article = hand_article(lang, zone, text)
    entities = article.entities
    analyse_articles([article], models)
    article.entities = entities
    extract_quotes(article)
    assert shown(article) == expected


PARSE_ONLY = [
    ("ru", "body", "«Есть и другие вопросы», – добавил советник [Байдена=Джо Байден].",
     [("direct", "Есть и другие вопросы", None, "добавил")]),
    ("ru", "body", "«Безопасность неделима», — цитирует агентство [главу МИД КНР=Ван И].",
     [("direct", "Безопасность неделима", "Ван И", "цитирует")]),
    ("ru", "body", "Напомним, ранее помощница госсекретаря США [Карен Донфрид] сообщила, что переговоры "
                   "могут пройти в январе.",
     [("indirect", "переговоры могут пройти в январе", "Карен Донфрид", "сообщила")]),
]


@pytest.mark.models
@pytest.mark.parametrize("lang, zone, text, expected", PARSE_ONLY, ids=[c[2][:40] for c in PARSE_ONLY])
def test_speaker_from_the_parse(models, lang, zone, text, expected):
    from letopis.nlp import analyse_articles

    article = hand_article(lang, zone, text)
    entities = article.entities
    analyse_articles([article], models)
    article.entities = entities
    extract_quotes(article)
    assert shown(article) == expected


def test_rule_names_say_what_fired():
    article = hand_article("ru", "body", "[Лавров=Сергей Лавров] заявил, что Москва ждет ответа. "
                                         "«Мы готовы», – сказал [он=Сергей Лавров].")
    extract_quotes(article)
    assert [q.rule for q in article.quotes] == ["cue_complement:statement", "direct_after"]
    assert all(q.stage == f"quotes@{VERSION}" for q in article.quotes)
    assert [q.id for q in article.quotes] == ["q1", "q2"]


def test_speaker_words_are_kept_when_nothing_resolves():
    article = hand_article("ru", "body", "Госсекретарь заявил, что диалог продолжится.")
    extract_quotes(article)
    [quote] = article.quotes
    assert quote.speaker is None
    assert (quote.speaker_text, article.text[quote.speaker_start:quote.speaker_end]) == ("Госсекретарь",) * 2


def test_spans_sentence_and_cue_offsets():
    article = hand_article("ru", "body", "Вступление. «Мы готовы», – сказал [Лавров=Сергей Лавров]. Конец.")
    extract_quotes(article)
    [quote] = article.quotes
    assert article.text[quote.sentence_start:quote.sentence_end] == "«Мы готовы», – сказал Лавров."
    assert article.text[quote.cue_start:quote.cue_end] == quote.cue == "сказал"


# --- the time said -------------------------------------------------------------------


def test_time_from_the_attribution_not_the_content():
    article = hand_article("ru", "body", "21 декабря [Путин=Владимир Путин] заявил, что надеется на "
                                         "переговоры в январе.", times=["21 декабря", "в январе"])
    extract_quotes(article)
    assert [q.time for q in article.quotes] == ["t1"]


def test_time_from_the_next_sentence():
    article = hand_article("ru", "body", "[Блинкен=Энтони Блинкен] считает, что встреча неуместна. "
                                         "Об этом [он=Энтони Блинкен] сказал на брифинге 21 декабря, "
                                         "сообщает Depo.ua.", times=["21 декабря"])
    extract_quotes(article)
    assert shown(article) == [("indirect", "встреча неуместна", "Энтони Блинкен", "считает")]
    assert article.quotes[0].time == "t1"
    assert article.text[:article.quotes[0].sentence_end].endswith("сообщает Depo.ua.")  # the attributing sentence


def test_time_from_the_next_sentence_uk():
    article = hand_article("uk", "body", "[Зеленський=Володимир Зеленський] заявив, що готовий до зустрічі. "
                                         "Про це [він=Володимир Зеленський] сказав у четвер.", times=["у четвер"])
    extract_quotes(article)
    assert [(q.kind, q.cue, q.time) for q in article.quotes] == [("indirect", "заявив", "t1")]


def test_no_times_no_time():
    article = hand_article("ru", "body", "21 декабря [Путин=Владимир Путин] заявил, что надеется на переговоры.")
    extract_quotes(article)
    assert article.quotes[0].time is None


def test_other_languages_get_no_quotes():
    article = hand_article("ru", "body", '"We are ready," Lavrov said.')
    article.meta.lang = "en"
    extract_quotes(article)
    assert article.quotes == []


# --- quotation marks -----------------------------------------------------------------

MARKS = [
    ("a «b «c» d» e", ["b «c» d", "c"]),
    ("„a“ and “b” and \"c\"", ["a", "b", "c"]),
    ("‘a’ зобов’язальні", ["a"]),
    ("«a\n«b» c", ["a\n«b"]),
    ("«a\nb» c", []),
    ('x " y', []),
    ("«a, – сказал он, – b»", ["a, – сказал он, – b"]),
]


@pytest.mark.parametrize("text, inner", MARKS)
def test_quotation_marks(text, inner):
    article = new_article(text)
    article.zones = [Zone("body", 0, len(text))]
    assert [text[m.start + 1:m.end - 1] for m in find_marks(article)] == inner


# --- the data files ------------------------------------------------------------------

CLASSES = {"statement", "emphasis", "addition", "reminder", "belief", "promise", "threat", "accusation",
           "denial", "call", "report", "naming", "question"}
FRAMES = {"clause", "inf", "accuse", "naming", "impersonal", "direct"}


def test_cue_lexicon_parses_with_known_classes_and_frames():
    lex = lexicon()
    cues = [c for group in (*lex.by_lemma.values(), *lex.by_form.values()) for c in group]
    assert {c.cls for c in cues} <= CLASSES and {c.frame for c in cues} <= FRAMES
    assert {c.lang for c in cues} == {"ru", "uk"}
    assert {"заявить", "сказать", "сообщить", "подчеркнуть", "считать", "пообещать", "обвинить",
            "опровергнуть", "призвать", "признать"} <= set(lex.by_lemma)
    assert {"заявив", "сказав", "наголосив", "зазначив", "додав"} <= set(lex.by_form)
    assert {("по", "словам"), ("за", "словами")} <= set(lex.phrases)
    assert read_lines("not_quotes.txt")


# --- the gold set and its scoring ----------------------------------------------------

GOLD = ROOT / "tests" / "gold" / "quotes.jsonl"


def test_gold_offsets_agree_with_the_texts_letopis_reads():
    docs = quote_eval.read_gold(GOLD)
    assert sum(len(d.quotes) for d in docs) >= 150
    articles, skipped = quote_eval.read_articles(docs)
    assert set(skipped) <= {d.source for d in docs if d.set == "seed"}  # the seed lies outside the repo
    for doc, article in zip(docs, articles):
        if article is None:
            continue
        text = article.text.replace("\u00a0", " ")
        for quote in doc.quotes:
            assert quote.kind in ("direct", "indirect", "mixed")
            assert text[quote.start:quote.end].startswith(quote.starts), (doc.source, quote.starts)
            assert quote.speaker is None or all(isinstance(name, str) for name in quote.speaker)


def gold(kind, start, end, speaker):
    return quote_eval.GoldQuote(kind, start, end, speaker)


def test_match_needs_half_of_the_shorter_span():
    text = "0123456789" * 10
    golds = [gold("direct", 0, 40, None), gold("indirect", 50, 60, None)]
    predicted = [gold("direct", 10, 30, None), gold("indirect", 56, 90, None)]
    assert quote_eval.match(text, golds, predicted) == [(0, 0)]


def test_speaker_matches_canonical_name_or_a_name_mention():
    entity = Entity("e1", "PER", "Сергей Лавров", [Mention(0, 6, "Лавров", normal="Лавров")])
    assert quote_eval.speaker_right(gold("direct", 0, 1, ["сергей лавров"]), entity)
    assert quote_eval.speaker_right(gold("direct", 0, 1, ["Лавров"]), entity)
    assert not quote_eval.speaker_right(gold("direct", 0, 1, ["Дмитрий Песков"]), entity)
    assert quote_eval.speaker_right(gold("direct", 0, 1, None), None)
    assert not quote_eval.speaker_right(gold("direct", 0, 1, None), entity)


def test_evaluate_inline_documents(tmp_path):
    article = hand_article("ru", "body", "[Лавров=Сергей Лавров] заявил, что Москва ждет ответа. "
                                         "Госсекретарь сказал, что диалог продолжится.")
    start = article.text.index("Москва")
    line = {"source": "inline:t", "set": "fresh", "article": article.id, "lang": "ru", "text": article.text,
            "quotes": [{"kind": "indirect", "start": start, "end": start + 18, "speaker": "Сергей Лавров"},
                       {"kind": "indirect", "start": 0, "end": 6, "speaker": "Энтони Блинкен"}]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")

    def run(items):
        for item in items:
            done = hand_article("ru", "body", "[Лавров=Сергей Лавров] заявил, что Москва ждет ответа. "
                                              "Госсекретарь сказал, что диалог продолжится.")
            extract_quotes(done)
            yield done

    report = quote_eval.evaluate_quotes(path, pipeline=type("P", (), {"run": staticmethod(run), "stats": {}})())
    detection, speaker = report.counts["detection"]["all"], report.counts["speaker"]["all"]
    assert (detection.tp, detection.fp, detection.fn) == (1, 1, 1)
    assert (speaker.tp, speaker.fp, speaker.fn) == (1, 1, 1)
    assert "quote detection" in quote_eval.render_report(report)


# --- the seed, end to end ------------------------------------------------------------

SEED_SPEAKER_WORDS = ["Госдеп США", "Государственный секретарь США Энтони Блинкен", "Блинкен", "Он",
                      "глава Госдепартамента", "Блинкен", "госсекретаря", "госсекретарь США",
                      "помощница госсекретаря США по вопросам Европы\u00a0и Евразии Карен Донфрид",
                      "президент России Владимир Путин", "Генеральный секретарь НАТО Йенс Столтенберг",
                      "генсек НАТО"]


@pytest.fixture(scope="module")
def seed_quotes(models, seed_text):
    from letopis.pipeline import default_pipeline

    pipeline = default_pipeline(models, check=True)
    [article] = pipeline.run([new_article(seed_text, Meta(input=str(SEED), input_format="txt"))])
    assert isinstance(article, Article), article
    return article


@pytest.fixture(scope="module")
def seed_expected():
    return json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))["quotes"]


@pytest.mark.models
def test_seed_has_the_twelve_quotes_and_nothing_else(seed_quotes, seed_expected):
    text = seed_quotes.text.replace("\u00a0", " ")
    got = [(q.kind, q.cue, text[q.start:q.end]) for q in seed_quotes.quotes]
    assert len(got) == len(seed_expected) == 12
    for (kind, cue, content), expected in zip(got, seed_expected):
        assert (kind, cue) == (expected["kind"], expected["cue"])
        assert content.startswith(expected["starts"])
    assert seed_quotes.quotes[0].sentence_start == 0  # the title's headline attribution
    assert seed_quotes.stages["quotes"] == VERSION


@pytest.mark.models
@pytest.mark.parametrize("index", range(12))
def test_seed_speaker_words(seed_quotes, index):
    assert seed_quotes.quotes[index].speaker_text == SEED_SPEAKER_WORDS[index]


@pytest.mark.models
@pytest.mark.parametrize("index", range(12))
def test_seed_speakers(seed_quotes, seed_expected, index):
    """Every speaker of the seed: names, roles ("глава Госдепартамента"), pronouns
    ("Он подчеркнул") and the headline's organization, through the resolver and gazetteer."""
    names = {e.id: e.name for e in seed_quotes.entities}
    assert names.get(seed_quotes.quotes[index].speaker) == seed_expected[index]["speaker"]


def test_eval_quotes_command_parses_its_options():
    import argparse

    parser = argparse.ArgumentParser()
    quote_eval.add_quotes_eval(parser.add_subparsers())
    args = parser.parse_args(["quotes", "--gold", "g.jsonl", "--errors", "--json"])
    assert (args.gold, args.errors, args.json, args.func) == ("g.jsonl", True, True, quote_eval.run_eval_quotes)
    assert parser.parse_args(["quotes"]).gold == str(GOLD)


def test_a_parse_with_cycles_does_not_hang():
    article = hand_article("ru", "title", "[Лавров=Сергей Лавров]: Москва ждет ответа\n\n"
                                          "«Мы готовы», – сказал министр [Лавров=Сергей Лавров].")
    for sentence in article.sentences:
        size = len(sentence.tokens)
        for index, token in enumerate(sentence.tokens):
            token.head, token.rel = (index + 1) % size + 1, "appos"  # every token heads the next: a cycle
    extract_quotes(article)
    assert [q.kind for q in article.quotes] == ["indirect", "direct"]


@pytest.mark.parametrize("text", [
    "Супруг Биби просит Великобританию предоставить убежище его семье, сообщает BBC.",
    "Как передает ТАСС, переговоры продолжатся.",
    "Лидеры двух стран отметили три сферы для диалога: политическую и гуманитарную.",
])
def test_provenance_and_lists_are_not_quotes(text):
    article = hand_article("ru", "body", text)
    extract_quotes(article)
    assert shown(article) == []
