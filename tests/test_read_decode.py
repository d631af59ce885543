"""Bytes to text: BOMs, UTF-16, Cyrillic code pages, binary and empty inputs."""

import random

import pytest

from letopis.read import read_paths
from letopis.read.decode import ReadFailure, decode

RU = (
    "Государственный секретарь США Энтони Блинкен считает, что проведение встречи "
    "двух президентов, когда происходит эскалация возле границы Украины, неуместно. "
    "Об этом он сказал на брифинге 21 декабря. Новая встреча пока не планируется, "
    "но стороны продолжат переговоры в январе."
)
UK = (
    "Президент України Володимир Зеленський заявив, що Україна готова до переговорів. "
    "Він підкреслив, що їхня позиція незмінна: територіальна цілісність є ґрунтовною "
    "вимогою. Міністр закордонних справ зустрівся з колегами з ЄС у Брюсселі, де "
    "обговорювали санкції проти Росії та підтримку України. Ґрунтовні зміни їм потрібні."
)
EN = (
    "The café on the corner served crème brûlée to the naïve tourists who came from "
    "Zürich. It was a façade, of course, but nobody minded the résumé of the owner."
)


@pytest.mark.parametrize("text, encoding", [
    (RU, "cp1251"), (RU, "koi8_r"), (UK, "cp1251"), (UK, "koi8_u"),
    (RU, "iso8859_5"), (RU, "cp866"), (EN, "cp1252"),
    (RU, "utf-8"), (UK, "utf-16"), (RU, "utf-16-le"), (RU, "utf-16-be"), (UK, "utf-32"),
])
def test_encodings_come_back_right(text, encoding):
    data = text.encode(encoding)
    decoded, name = decode(data)
    assert decoded == text
    assert data.decode(name) == decoded  # meta.encoding names a codec that reads the bytes


@pytest.mark.parametrize("encoding", ["cp1251", "koi8_r"])
def test_short_russian_slices_decode(encoding):
    """charset-normalizer alone mistakes some of these for other code pages."""
    for start in range(0, len(RU) - 100, 23):
        piece = RU[start:start + 100]
        assert decode(piece.encode(encoding))[0] == piece


def test_ukrainian_letters_survive_cp1251():
    text, encoding = decode(UK.encode("cp1251"))
    assert encoding == "cp1251"
    assert all(letter in text for letter in "іїєґІЇЄҐ" if letter in UK)


def test_utf8_bom_is_dropped():
    text, encoding = decode(b"\xef\xbb\xbf" + RU.encode("utf-8"))
    assert text == RU
    assert encoding == "utf-8-sig"


def test_declared_charset_wins_a_tie():
    data = "привет мир".encode("koi8_r")
    assert decode(data, declared="koi8-r") == ("привет мир", "koi8-r")


def test_declared_charset_ignored_when_bytes_disagree():
    data = RU.encode("cp1251")
    assert decode(data, declared="utf-8") == (RU, "cp1251")


def random_bytes(size, low, high):
    generator = random.Random(size + low)
    return bytes(generator.randrange(low, high) for _ in range(size))


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"  \n\t\r\n ", "empty"),
    ("  \n ".encode("utf-16"), "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary"),
    (RU.encode("utf-8") + b"\x00" + RU.encode("utf-8"), "binary"),
    (random_bytes(2000, 0, 256), "binary"),
    (b"".join(bytes([n, 0]) for n in random_bytes(2000, 1, 256)), "binary"),  # UTF-16-like
    (random_bytes(2000, 128, 256), "undecodable"),
])
def test_bad_bytes(data, reason):
    with pytest.raises(ReadFailure) as caught:
        decode(data)
    assert caught.value.reason == reason
    assert caught.value.detail


def test_files_in_each_encoding(tmp_path):
    cases = {"ru-cp1251.txt": (RU, "cp1251"), "ru-koi8.txt": (RU, "koi8_r"),
             "uk-cp1251.txt": (UK, "cp1251"), "ru-utf16.txt": (RU, "utf-16"),
             "en-latin.txt": (EN, "latin-1")}
    for name, (text, encoding) in cases.items():
        (tmp_path / name).write_bytes(text.encode(encoding))
    got = {item.meta.input.rsplit("/", 1)[1]: item for item in read_paths([tmp_path])}
    assert {name: item.text for name, item in got.items()} == {n: t for n, (t, _) in cases.items()}
    assert got["ru-koi8.txt"].meta.encoding == "koi8-r"
    assert got["uk-cp1251.txt"].meta.encoding == "cp1251"
