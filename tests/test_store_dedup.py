"""Near-duplicate detection (letopis.store.dedup). The texts are written for these tests."""

import struct

import pytest

from letopis.clean.zones import zone_article
from letopis.record import Article, Zone, new_article
from letopis.store import dedup
from tests.conftest import CORPUS

TITLE = "Минфин представил проект бюджета на три года"

PARAGRAPHS = [
    "Министерство финансов внесло в правительство проект федерального бюджета на 2022 год "
    "и плановый период 2023 и 2024 годов, сообщил в среду министр финансов Антон Силуанов.",
    "«Бюджет остается социально ориентированным. Почти треть всех расходов пойдет на "
    "поддержку семей с детьми, пенсионеров и на здравоохранение», — сказал Силуанов на "
    "совещании в правительстве.",
    "По его словам, доходы бюджета в следующем году составят 23,7 трлн рублей, расходы — "
    "23,6 трлн рублей. Впервые за три года ведомство закладывает небольшой профицит. "
    "Министр уточнил, что нефтегазовые доходы рассчитаны исходя из цены нефти 62 доллара "
    "за баррель.",
    "Дефицит бюджета в 2023 году, как ожидается, не превысит 0,5% ВВП. Расходы на "
    "национальную экономику вырастут на 8%, на образование — на 6%. Отдельной строкой в "
    "проекте выделены средства на строительство дорог в регионах и на обновление "
    "общественного транспорта.",
    "Заместитель министра Владимир Колычев добавил, что прогноз инфляции на следующий год "
    "составляет 4%. «Мы исходим из того, что Центробанк удержит инфляцию вблизи цели», — "
    "отметил он.",
    "Отдельное внимание в проекте уделено регионам. Объем межбюджетных трансфертов "
    "увеличится почти на 200 млрд рублей, а часть коммерческих кредитов субъектов "
    "федерации будет заменена бюджетными кредитами под 3% годовых. Как пояснил Колычев, "
    "это позволит регионам сэкономить на процентах и направить средства на социальные "
    "программы.",
    "Расходы на оборону и безопасность в реальном выражении почти не изменятся. В "
    "ведомстве подчеркнули, что основные приоритеты бюджета — выполнение национальных "
    "целей развития и поддержка занятости после пандемии.",
    "Экономисты в целом одобрили проект, назвав его консервативным. Аналитики отмечают, "
    "что цена нефти на мировом рынке сейчас заметно выше заложенной в расчеты, поэтому "
    "реальные доходы казны могут оказаться выше плана.",
    "Проект бюджета должен быть внесен в Государственную думу до 1 октября. Первое чтение "
    "запланировано на конец октября, сообщил председатель комитета по бюджету Андрей "
    "Макаров.",
]

ORIGINAL = "\n\n".join([
    TITLE,
    "Автор: Ольга Смирнова\nФото: пресс-служба Минфина",
    *PARAGRAPHS,
    "Читайте также: Центробанк сохранил ключевую ставку на уровне 6,75%",
    "Больше новостей читайте на «Экономическом обозрении»\n\nПоделиться\n\nКомментарии",
]) + "\n"


def republish(paragraphs: list[str]) -> str:
    """The same report on another site: no byline or photo credit, straight quotes and
    hyphens, the first two paragraphs joined, a line break inside another, another
    "Читайте также" line in the middle and at the end, other footers."""
    plain = [p.replace("«", '"').replace("»", '"').replace(" — ", " - ") for p in paragraphs]
    plain[2] = plain[2].replace(". Впервые", ".\nВпервые")
    return "\n\n".join([
        TITLE,
        plain[0] + " " + plain[1],
        "Читайте также: Госдума одобрила поправки в Налоговый кодекс",
        *plain[2:],
        "Читайте также: Правительство продлило льготную ипотеку до лета",
        "Источник: Деловой курьер\nПодписывайтесь на наш Telegram-канал",
    ]) + "\n"


COPY = republish(PARAGRAPHS)

# Another outlet's own story on the same news: one paragraph taken over word for word.
REWRITE = """Профицит вместо дефицита: что заложено в новый бюджет

Правительство получило от Минфина трехлетний бюджет, в котором впервые с 2019 года доходы превышают расходы. Эксперты называют прогноз ведомства осторожным и напоминают, что цена нефти в последние месяцы заметно выше заложенной.

Дефицит бюджета в 2023 году, как ожидается, не превысит 0,5% ВВП. Расходы на национальную экономику вырастут на 8%, на образование — на 6%. Отдельной строкой в проекте выделены средства на строительство дорог в регионах и на обновление общественного транспорта.

Главный экономист одного из крупных банков считает, что реальные доходы казны окажутся выше плана: «При нынешних ценах на сырье дополнительные поступления могут составить триллион рублей». Аналитики также ждут, что часть этих денег пойдет в Фонд национального благосостояния.

Депутаты начнут обсуждать документ в октябре. В профильном комитете Госдумы уже пообещали внимательно рассмотреть статьи о поддержке регионов и о расходах на здравоохранение.
"""

SHORT = "Доллар подешевел до 73 рублей"


def estimate(a: str, b: str) -> float:
    return dedup.similarity(dedup.signature(a), dedup.signature(b))


def true_jaccard(a: str, b: str) -> float:
    sa, sb = dedup.shingles(a), dedup.shingles(b)
    return len(sa & sb) / len(sa | sb)


@pytest.mark.parametrize("text, expected", [
    ("«Лёд тронулся», — заявил он.", "лед тронулся заявил он"),
    ("Северный\u00a0поток\u00a0—\u00a02 и «Газпром»", "северный поток 2 и газпром"),
    ("ГОСДУ\u0301МА\n\n\tприняла  закон_о бюджете", "госдума приняла закон о бюджете"),
    ("рост на 0,5% за 2021 год", "рост на 0 5 за 2021 год"),
    ("", ""),
])
def test_normalize(text, expected):
    assert dedup.normalize(text) == expected


def test_shingles_are_word_five_grams():
    grams = dedup.shingles("один два три четыре пять шесть семь")
    assert grams == {"один два три четыре пять", "два три четыре пять шесть", "три четыре пять шесть семь"}
    assert dedup.shingles("один два три", size=2) == {"один два", "два три"}


def test_identical_texts():
    sig = dedup.signature(ORIGINAL)
    assert len(sig) == dedup.SIGNATURE_BYTES == 512
    assert sig == dedup.signature(ORIGINAL)
    assert dedup.similarity(sig, sig) == 1.0
    assert dedup.band_keys(sig) == dedup.band_keys(dedup.signature(ORIGINAL))


def test_republished_copy_is_a_duplicate_and_a_candidate():
    assert true_jaccard(ORIGINAL, COPY) >= 0.8
    a, b = dedup.signature(ORIGINAL), dedup.signature(COPY)
    assert dedup.similarity(a, b) >= dedup.DUPLICATE_THRESHOLD
    assert dedup.is_duplicate(a, b)
    assert set(dedup.band_keys(a)) & set(dedup.band_keys(b))


def test_rewrite_sharing_one_paragraph_is_not_a_duplicate():
    assert true_jaccard(ORIGINAL, REWRITE) < 0.2
    a, b = dedup.signature(ORIGINAL), dedup.signature(REWRITE)
    assert dedup.similarity(a, b) < 0.5
    assert not dedup.is_duplicate(a, b)


def test_unrelated_texts():
    assert estimate(ORIGINAL, SHORT) < 0.1


def test_short_texts_get_a_signature():
    sig = dedup.signature(SHORT)
    assert dedup.shingles(SHORT) == {"доллар подешевел до 73 рублей"}
    assert dedup.shingles("Доллар подешевел") == {"доллар подешевел"}
    assert not dedup.is_empty(sig)
    assert len(dedup.band_keys(sig)) == dedup.BANDS
    assert estimate(SHORT, "ДОЛЛАР\nподешевел до 73 рублей!") == 1.0
    assert estimate(SHORT, "Евро подешевел до 85 рублей") < 0.5
    assert estimate("Срочно", "срочно.") == 1.0


@pytest.mark.parametrize("text", ["", "   \n\t", "«» — …"])
def test_empty_texts(text):
    sig = dedup.signature(text)
    assert len(sig) == 512
    assert dedup.is_empty(sig)
    assert dedup.band_keys(sig) == []
    assert dedup.similarity(sig, sig) == 0.0
    assert dedup.similarity(sig, dedup.signature(ORIGINAL)) == 0.0


def test_signature_is_pinned():
    """A change of seed, scheme, hash function or normalization breaks this on purpose:
    every stored signature and band key would have to be recomputed."""
    sig = dedup.signature("Министр финансов Антон Силуанов представил проект бюджета")
    assert struct.unpack("<4I", sig[:16]) == PINNED_VALUES
    assert dedup.band_keys(sig)[0] == PINNED_KEY


def test_the_shingles_are_hashed_as_datasketch_hashes_them():
    from datasketch.hashfunc import sha1_hash32

    grams = ["министр финансов антон силуанов представил", "ёж", "a b c d e", "", "слово " * 40]
    assert dedup.hash32(grams) == [sha1_hash32(gram.encode("utf-8")) for gram in grams]


def test_the_signature_is_datasketchs_minhash_of_the_shingles():
    # signature() applies datasketch's permutations itself (faster): the same values as
    # datasketch's own MinHash of the same hashes, for texts long, short and mixed
    from datasketch import MinHash

    for text in (ORIGINAL, COPY, REWRITE, SHORT, "ёлка Ёлка 2021 года", "слово " * 3 + "Word",
                 " ".join(f"w{number}" for number in range(2000))):
        reference = MinHash(num_perm=dedup.NUM_PERM, seed=dedup.SEED, scheme=dedup.SCHEME, hashfunc=int)
        reference.update_batch(dedup.hash32(dedup.shingles(text)))
        assert dedup.signature(text) == reference.hashvalues.astype("<u4").tobytes()


PINNED_VALUES = (105531087, 875990685, 427271815, 358835041)
PINNED_KEY = 4476270865757481956


def test_band_keys_fit_signed_64_bit():
    for text in (ORIGINAL, COPY, REWRITE, SHORT):
        keys = dedup.band_keys(dedup.signature(text))
        assert len(keys) == dedup.BANDS == 19
        assert all(isinstance(key, int) and 0 <= key < 2 ** 63 for key in keys)
        assert len(set(keys)) == len(keys)


def test_band_keys_mix_in_the_band_index():
    """Equal hash values in two bands still give two keys."""
    sig = bytes(dedup.SIGNATURE_BYTES)
    keys = dedup.band_keys(sig, bands=16)
    assert len(set(keys)) == 16


def test_bands_meet_the_candidate_bounds():
    assert dedup.band_rows() == [7] * 14 + [6] * 5
    assert sum(dedup.band_rows()) == dedup.NUM_PERM
    assert dedup.candidate_probability(0.8) > 0.99
    assert dedup.candidate_probability(0.3) < 0.01
    assert dedup.candidate_probability(0.8, bands=16) < 0.99  # why not 16 x 8


def test_similarity_rejects_a_foreign_signature():
    with pytest.raises(ValueError):
        dedup.similarity(b"\x00" * 256, dedup.signature(ORIGINAL))


def test_content_text_leaves_title_and_footers_out():
    text = "Заголовок\n\nПервый абзац.\n\nВторой абзац.\n\nПоделиться"
    article = Article(id="x", text=text, zones=[
        Zone("title", 0, 9), Zone("lead", 11, 24), Zone("body", 26, 39), Zone("boilerplate", 41, 51)])
    assert dedup.content_text(article) == "Первый абзац.\n\nВторой абзац."
    assert dedup.content_text(Article(id="y", text=text)) == text


def zoned(text: str) -> Article:
    article = new_article(text)
    zone_article(article)
    return article


def test_content_text_of_a_copy_is_the_same():
    """Bylines, "Читайте также" lines and footers fall into their own zones."""
    assert dedup.content_text(zoned(COPY)) != COPY
    a = dedup.signature(dedup.content_text(zoned(ORIGINAL)))
    b = dedup.signature(dedup.content_text(zoned(COPY)))
    assert dedup.similarity(a, b) == 1.0


def test_sample_corpus_syndicated_pair():
    """ru_020 is ru_019 re-published with seven edited words, another title, byline,
    "Читайте также" line and footers (examples/README.md): an edited copy, below the
    threshold on the whole text; its lead and body, which the store signs, are at the
    threshold and share a band key. Same-event reports by other outlets are nowhere near."""
    folder = CORPUS / "txt"
    original, copy, other = (zoned((folder / name).read_text(encoding="utf-8")) for name in (
        "ru_019_lavrov_us_response.txt", "ru_020_lavrov_us_response_syndicated.txt",
        "ru_002_ryabkov_geneva_consultations.txt"))
    whole = estimate(original.text, copy.text)
    assert 0.45 < whole < dedup.DUPLICATE_THRESHOLD
    a, b = (dedup.signature(dedup.content_text(x)) for x in (original, copy))
    assert dedup.DUPLICATE_THRESHOLD <= dedup.similarity(a, b) < 0.8
    assert set(dedup.band_keys(a)) & set(dedup.band_keys(b))
    assert estimate(original.text, other.text) < 0.1


def test_similarities_at_once_equal_one_by_one():
    texts = ["Президент России Владимир Путин провел встречу с министрами в Кремле во вторник утром.",
             "Президент России Владимир Путин провел встречу с министрами в Кремле в среду утром.",
             "Совсем другой текст о погоде в Москве и о снеге на дорогах области.", ""]
    signatures = [dedup.signature(text) for text in texts]
    for sig in signatures:
        assert dedup.similarities(sig, signatures) == [dedup.similarity(sig, other) for other in signatures]
    assert dedup.similarities(signatures[0], []) == []
