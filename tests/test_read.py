"""read_paths: files, directories, stdin, gzip, HTML, JSON Lines, limits and errors."""

import gzip
import io
import json
import os
import sys

import pytest

from letopis.errors import DocumentError
from letopis.read import files, input_size, read_paths
from letopis.record import Article

TEXT = (
    "Новая встреча Байдена с Путиным пока не планируется\n\n"
    "Государственный секретарь США Энтони Блинкен считает, что проведение встречи двух "
    "президентов, когда происходит эскалация возле границы Украины, неуместно.\n"
)
PARAGRAPHS = [
    "Государственный секретарь США Энтони Блинкен считает, что проведение встречи двух "
    "президентов, когда происходит эскалация возле границы Украины, неуместно.",
    "Об этом он сказал на брифинге 21 декабря, сообщает Depo.ua. Новая встреча двух "
    "президентов пока не планируется, но стороны продолжат переговоры.",
    "«Я считаю, что мы должны увидеть, есть ли дипломатический прогресс», – сказал Блинкен.",
]
TITLE = "Новая встреча Байдена с Путиным пока не планируется"


def page(charset="utf-8", paragraphs=PARAGRAPHS):
    body = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return f"""<!DOCTYPE html><html lang="ru"><head><meta charset="{charset}">
<title>{TITLE} | Depo.ua</title>
<meta property="og:title" content="{TITLE}">
<meta property="og:site_name" content="Depo.ua">
<meta name="author" content="Иван Петров">
<meta property="article:published_time" content="2021-12-22T09:15:00+02:00">
<link rel="canonical" href="https://www.depo.ua/rus/world/vstrecha-123.html">
</head><body><nav><a href="/">Главная</a> <a href="/news">Новости</a></nav>
<article><h1>{TITLE}</h1>
{body}
</article><footer>Подписывайтесь на нас в Facebook</footer></body></html>"""


def read(*paths, **options):
    return list(read_paths([os.fspath(path) for path in paths], **options))


def only(items):
    assert len(items) == 1, items
    return items[0]


def error(item, reason):
    assert isinstance(item, DocumentError), item
    assert item.reason == reason, item
    assert item.detail, item
    return item


# --- text files -----------------------------------------------------------------

def test_utf8_text(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    article = only(read(path))
    assert isinstance(article, Article)
    assert article.text == TEXT
    assert (article.meta.input, article.meta.input_format, article.meta.encoding) == (
        str(path), "txt", "utf-8")
    assert article.meta.published_source == "none"


def test_crlf_becomes_lf_and_nothing_else_changes(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode("utf-8") + b"  \t\r")
    assert only(read(path)).text == TEXT + "  \t\n"


@pytest.mark.parametrize("prefix, encoding, name", [
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"), (b"", "utf-16", "utf-16"), (b"", "cp1251", "cp1251"),
])
def test_encoded_text_files(tmp_path, prefix, encoding, name):
    path = tmp_path / "a.text"
    path.write_bytes(prefix + TEXT.encode(encoding))
    article = only(read(path))
    assert (article.text, article.meta.encoding) == (TEXT, name)


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"), (b" \n\n\t ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    (TEXT.encode("utf-8") + b"\x00tail", "binary"),
])
def test_bad_text_files(tmp_path, data, reason):
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    assert error(only(read(path)), reason).input == str(path)


def test_unknown_extension_given_explicitly_is_tried_as_text(tmp_path):
    (tmp_path / "notes.log").write_bytes(TEXT.encode("utf-8"))
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert only(read(tmp_path / "notes.log")).text == TEXT
    assert ".txt" in error(only(read(tmp_path / "image.png")), "binary").detail


def test_not_found(tmp_path):
    path = tmp_path / "missing.txt"
    assert error(only(read(path)), "not_found").input == str(path)


# --- size limit -----------------------------------------------------------------

def test_big_file_is_refused_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    with open(path, "wb") as out:
        out.write(TEXT.encode("utf-8"))
        out.truncate(50_000_000)  # sparse: costs no disk
    monkeypatch.setattr(files, "open", lambda *args: pytest.fail("opened"), raising=False)
    item = error(only(read(path)), "too_large")
    assert "50000000" in item.detail and "--max-bytes" in item.detail


def test_file_at_the_limit_is_read(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(TEXT.encode("utf-8"))
    size = path.stat().st_size
    assert isinstance(only(read(path, max_bytes=size)), Article)
    error(only(read(path, max_bytes=size - 1)), "too_large")


def test_gzip_member_over_the_limit(tmp_path):
    path = tmp_path / "big.txt.gz"
    path.write_bytes(gzip.compress(TEXT.encode("utf-8") * 2000))
    error(only(read(path, max_bytes=100_000)), "too_large")


def test_stdin_reads_at_most_the_limit(monkeypatch):
    stream = CountingStream(TEXT.encode("utf-8") * 10_000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stream))
    error(only(read("-", max_bytes=50_000)), "too_large")
    assert stream.bytes_read <= 50_001 + 8192  # the limit and one buffer at most


class CountingStream(io.BytesIO):
    bytes_read = 0

    def readinto(self, buffer):
        count = super().readinto(buffer)
        self.bytes_read += count
        return count

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data


# --- HTML -------------------------------------------------------------------------

def test_html_with_metadata(tmp_path):
    path = tmp_path / "a.html"
    path.write_text(page(), encoding="utf-8")
    article = only(read(path))
    assert article.text == TITLE + "\n\n" + "\n\n".join(PARAGRAPHS)
    meta = article.meta
    assert (meta.title, meta.author, meta.url) == (
        TITLE, "Иван Петров", "https://www.depo.ua/rus/world/vstrecha-123.html")
    assert (meta.published, meta.published_source) == ("2021-12-22", "metadata")
    assert (meta.outlet, meta.outlet_source) == ("Depo.ua", "metadata")
    assert (meta.input_format, meta.encoding) == ("html", "utf-8")
    assert "Подписывайтесь" not in article.text and "Главная" not in article.text


def test_windows_1251_html(tmp_path):
    path = tmp_path / "a.htm"
    path.write_bytes(page("windows-1251").encode("cp1251"))
    article = only(read(path))
    assert article.meta.encoding == "cp1251"
    assert article.text.startswith(TITLE + "\n\n" + PARAGRAPHS[0])


def test_http_equiv_charset_is_honoured(tmp_path):
    html = page().replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" '
                          'content="text/html; charset=koi8-r">')
    path = tmp_path / "a.html"
    path.write_bytes(html.replace("«", '"').replace("»", '"').replace("–", "-").encode("koi8_r"))
    assert only(read(path)).meta.encoding == "koi8-r"


def test_page_without_article(tmp_path):
    path = tmp_path / "index.html"
    path.write_text('<html><head><title>Depo.ua</title></head><body><nav><a href="/a">Политика</a>'
                    '<a href="/b">Экономика</a></nav><p>Вход</p></body></html>', encoding="utf-8")
    error(only(read(path)), "no_article")


def test_index_page_is_no_article(tmp_path):
    headlines = "".join(f'<li><a href="/p/{n}">{paragraph}</a></li>'
                        for n, paragraph in enumerate(PARAGRAPHS * 3))
    path = tmp_path / "index.html"
    path.write_text(f"<html><body><main><h2>Политика</h2><ul>{headlines}</ul><h2>В мире</h2>"
                    f"<ul>{headlines}</ul></main></body></html>", encoding="utf-8")
    assert "prose" in error(only(read(path)), "no_article").detail


def test_error_page_is_no_article(tmp_path):
    path = tmp_path / "404.html"
    notice = ("Страница не найдена. Возможно, она была удалена или вы ввели неверный адрес. "
              "Вернитесь на главную страницу сайта.")
    html = page(paragraphs=[notice] * 2).replace(TITLE, "Страница не найдена")
    path.write_text(html, encoding="utf-8")
    assert "error page" in error(only(read(path)), "no_article").detail


@pytest.mark.parametrize("cut", [0.3, 0.5, 0.7, 0.9])
def test_truncated_html_does_not_crash(tmp_path, cut):
    html = page()
    path = tmp_path / "a.html"
    path.write_text(html[:int(len(html) * cut)], encoding="utf-8")
    item = only(read(path))
    assert isinstance(item, Article) or item.reason == "no_article"


def test_broken_markup(tmp_path):
    path = tmp_path / "a.html"
    html = "<html><body><div><p></span><b>" + PARAGRAPHS[0] + "<p><<>" + PARAGRAPHS[1]
    path.write_text(html, encoding="utf-8")
    assert PARAGRAPHS[0] in only(read(path)).text


# --- JSON Lines ---------------------------------------------------------------------

GOOD = {"id": 7, "text": PARAGRAPHS[0], "title": TITLE, "url": "https://depo.ua/1",
        "published": "2021-12-22T10:00:00Z", "outlet": "Depo.ua", "lang": "RU",
        "author": ["Иван Петров", "Анна Сидорова"]}
LINES = [
    json.dumps(GOOD, ensure_ascii=False),  # 1
    "{not json",  # 2
    "",  # blank: skipped
    "[1, 2]",  # 4
    '{"id": "x", "url": "https://depo.ua/2"}',  # 5
    '{"text": 5}',  # 6
    '{"text": "  "}',  # 7
    json.dumps({"id": "b", "text": TEXT, "title": TITLE, "published": "22.12.2021"}),  # 8
    json.dumps({"html": page(), "url": "https://depo.ua/3"}),  # 9
]
EXPECTED_ERRORS = [(2, "bad_json"), (4, "not_an_object"), (5, "no_text"), (6, "bad_field"),
                   (7, "empty")]


def check_jsonl_items(items, encoding="utf-8"):
    articles = [item for item in items if isinstance(item, Article)]
    errors = [error(item, item.reason) for item in items if isinstance(item, DocumentError)]
    assert [(item.line, item.reason) for item in errors] == EXPECTED_ERRORS
    assert [article.meta.input_line for article in articles] == [1, 8, 9]
    first, second, third = articles
    assert first.text == TITLE + "\n\n" + PARAGRAPHS[0]
    meta = first.meta
    assert (meta.input_id, meta.url, meta.lang) == ("7", "https://depo.ua/1", "ru")
    assert meta.title == TITLE
    assert (meta.published, meta.published_source) == ("2021-12-22T10:00:00+00:00", "metadata")
    assert (meta.outlet, meta.outlet_source) == ("Depo.ua", "metadata")
    assert meta.author == "Иван Петров, Анна Сидорова"
    assert (meta.input_format, meta.encoding) == ("jsonl", encoding)
    assert second.text == TEXT  # already starts with its title
    assert (second.meta.published, second.meta.published_source) == (None, "none")
    assert third.meta.url == "https://depo.ua/3"  # the line's url wins over the page's
    assert third.meta.outlet == "Depo.ua" and third.text.startswith(TITLE + "\n\n")
    return articles


def test_jsonl_good_and_bad_lines(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    check_jsonl_items(read(path))


def test_gzipped_jsonl(tmp_path):
    path = tmp_path / "dump.ndjson.gz"
    path.write_bytes(gzip.compress("\n".join(LINES).encode("utf-8")))
    articles = check_jsonl_items(read(path))
    assert articles[0].meta.input == str(path)


def test_utf16_jsonl(tmp_path):
    path = tmp_path / "dump.json"
    path.write_bytes("\r\n".join(LINES).encode("utf-16"))
    check_jsonl_items(read(path), encoding="utf-16")


def test_jsonl_line_in_cp1251(tmp_path):
    path = tmp_path / "dump.jsonl"
    path.write_bytes(json.dumps({"text": TEXT}, ensure_ascii=False).encode("cp1251"))
    article = only(read(path))
    assert (article.text, article.meta.encoding) == (TEXT, "cp1251")


def test_jsonl_line_over_the_limit(tmp_path):
    path = tmp_path / "dump.jsonl"
    long_line = json.dumps({"text": "слово " * 5000}, ensure_ascii=False)
    path.write_text("\n".join([long_line, json.dumps({"text": TEXT})]), encoding="utf-8")
    items = read(path, max_bytes=10_000)
    too_big = error(items[0], "too_large")
    assert too_big.line == 1 and str(len(long_line.encode()) + 1) in too_big.detail
    assert items[1].text == TEXT and items[1].meta.input_line == 2


@pytest.mark.parametrize("line, reason", [
    ('{"text": "abc", "id": [1]}', "bad_field"),
    ('{"text": "abc", "url": 5}', "bad_field"),
    ('{"html": 5}', "bad_field"),
    ('{"text": "a\\u0000b"}', "binary"),
    ('"just a string"', "not_an_object"),
    ('{"html": "<p>short</p>"}', "no_article"),
])
def test_more_bad_lines(tmp_path, line, reason):
    path = tmp_path / "dump.jsonl"
    path.write_text(line, encoding="utf-8")
    assert error(only(read(path)), reason).line == 1


@pytest.mark.parametrize("data", [
    b'[{"text": "a"}, {"text": "b"}]',
    b'\n{\n  "text": "a"\n}\n',
    '[{"text": "a"}]'.encode("utf-16"),
])
def test_whole_json_document_is_one_error(tmp_path, data):
    path = tmp_path / "dump.json"
    path.write_bytes(data)
    assert "jq" in error(only(read(path)), "unsupported").detail


def test_corrupt_gzip(tmp_path):
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00 this is not deflate data at all")
    assert error(only(read(path)), "bad_gzip").input == str(path)


def test_truncated_gzip_keeps_the_lines_before(tmp_path):
    lines = (json.dumps({"text": f"{TEXT} {n}"}) for n in range(200))
    data = gzip.compress("\n".join(lines).encode())
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(data[:len(data) // 2])
    items = read(path)
    assert all(isinstance(item, Article) for item in items[:-1]) and len(items) > 2
    error(items[-1], "bad_gzip")


def test_plain_text_named_gz(tmp_path):
    path = tmp_path / "a.txt.gz"
    path.write_bytes(TEXT.encode("utf-8"))
    error(only(read(path)), "bad_gzip")


# --- directories, stdin, unreadable -------------------------------------------------

def make_tree(root):
    (root / "b" / "c").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "z.txt").write_text(TEXT + "z", encoding="utf-8")
    (root / "b" / "a.txt").write_text(TEXT + "ba", encoding="utf-8")
    (root / "b" / "c" / "d.txt.gz").write_bytes(gzip.compress((TEXT + "bcd").encode()))
    (root / "b" / "c" / "notes.pdf").write_bytes(b"%PDF-1.4\x00")
    (root / "b" / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    (root / ".git" / "x.txt").write_text(TEXT, encoding="utf-8")
    (root / "a.jsonl").write_text(json.dumps({"text": TEXT + "a"}), encoding="utf-8")


def test_directory_is_walked_sorted_skipping_hidden_and_unknown(tmp_path):
    make_tree(tmp_path)
    items = read(tmp_path)
    assert [item.text[len(TEXT):] for item in items] == ["a", "ba", "bcd", "z"]
    assert items[1].meta.input == os.path.join(str(tmp_path), "b", "a.txt")


def test_progress_adds_up_to_input_size(tmp_path):
    make_tree(tmp_path)
    (tmp_path / "big.txt").write_bytes(b"x" * 5000)
    (tmp_path / "bad.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00 broken")
    reports = []
    items = read(tmp_path, max_bytes=4000, on_progress=reports.append)
    assert len(items) == 6 and all(size > 0 for size in reports)
    read_files = ["a.jsonl", "b/a.txt", "b/c/d.txt.gz", "bad.jsonl.gz", "big.txt", "z.txt"]
    expected = sum((tmp_path / name).stat().st_size for name in read_files)
    assert sum(reports) == input_size([tmp_path]) == expected


def test_unreadable_file_and_directory(tmp_path, monkeypatch):
    make_tree(tmp_path)
    real_open, real_scandir = open, os.scandir

    def fake_open(path, *args):
        if str(path).endswith("a.txt"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args)

    def fake_scandir(path):
        if str(path).endswith("c"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(files, "open", fake_open, raising=False)
    monkeypatch.setattr(os, "scandir", fake_scandir)
    items = read(tmp_path)
    assert [item.reason for item in items if isinstance(item, DocumentError)] == ["unreadable"] * 2
    assert "Permission denied" in items[1].detail
    assert [item.text[len(TEXT):] for item in items if isinstance(item, Article)] == ["a", "z"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_chmod_000(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    path.chmod(0)
    try:
        error(only(read(path)), "unreadable")
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize("data, form", [
    (TEXT.encode("utf-8"), "txt"),
    (b"\n " + page().encode("utf-8"), "html"),
    ("\n".join(LINES).encode("utf-8"), "jsonl"),
])
def test_stdin_is_sniffed(monkeypatch, data, form):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    items = read("-")
    assert items[0].meta.input == "-" and items[0].meta.input_format == form
    if form == "jsonl":
        check_jsonl_items(items)


# --- the caller's lang and published ---------------------------------------------------

def test_caller_lang_and_published_override(tmp_path):
    (tmp_path / "a.html").write_text(page(), encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    items = read(tmp_path, lang="uk", published="2022-01-05")
    got = [(item.meta.lang, item.meta.published, item.meta.published_source) for item in items]
    assert got == [("uk", "2022-01-05", "metadata")] * 2
    assert only(read(tmp_path / "b.txt", lang="auto")).meta.lang is None


def test_bad_published_is_the_callers_error(tmp_path):
    with pytest.raises(ValueError):
        read(tmp_path, published="05.01.2022")
