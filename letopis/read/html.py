"""HTML pages: the main text and metadata through trafilatura.

The article ``text`` is the title line, a blank line, then the main text with
paragraphs separated by blank lines. Only letopis records leave this module.
"""

from __future__ import annotations

import re

import trafilatura
from trafilatura.xml import xmltotxt

from letopis.read.decode import ReadFailure, decode
from letopis.read.text import iso_date, text_article, with_title
from letopis.record import Article, Meta

MIN_TEXT_CHARS = 100
CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)
DATE_PARAMS = {"extensive_search": False, "original_date": True}  # markup only, no guesses
NOT_PROSE = ("list", "head")  # an index page is all link lists and headings
ERROR_PAGE = re.compile(
    r"^\W*(?:404|403|410)\W*$|(?:error|ошибка|помилка)\s*40[34]|404 not found|page not found"
    r"|страница не найдена|страницы не существует|сторінк[иау] не (?:знайдено|існує)",
    re.IGNORECASE,
)


def read_html(data: bytes, meta: Meta) -> Article:
    """An article from the bytes of an HTML page; sets ``meta.encoding``."""
    text, meta.encoding = decode(data, declared=declared_charset(data))
    return html_article(text, meta)


def declared_charset(data: bytes) -> str | None:
    """The charset named by ``<meta charset>``, ``http-equiv`` or an XML declaration."""
    found = CHARSET.search(data[:4096])
    return (found.group(1) or found.group(2)).decode("ascii", "replace") if found else None


def html_article(html: str, meta: Meta) -> Article:
    """An article from a decoded page; values already in ``meta`` (from JSONL) win."""
    document = extract(html, meta.url)
    blocks = paragraphs(document)
    check_article(document.title, blocks)
    adapt_metadata(document, meta)
    body = "\n\n".join(text for _, text in blocks)
    return text_article(with_title(meta.title, body), meta)


def check_article(title: str | None, blocks: list[tuple[str, str]]) -> None:
    """Raise for an error page, or a page without ``MIN_TEXT_CHARS`` of prose."""
    first = blocks[0][1] if blocks else ""
    if any(ERROR_PAGE.search(text) for text in (title or "", first)):
        raise ReadFailure("no_article", f"an error page ({first or title!r}), not an article; "
                          "fetch the page again or drop it")
    prose = sum(len(text) for tag, text in blocks if tag not in NOT_PROSE)
    if prose < MIN_TEXT_CHARS:
        raise ReadFailure("no_article", f"the page holds {prose} characters of prose (under "
                          f"{MIN_TEXT_CHARS}) besides headings and lists: probably an index, a "
                          "login or an error page; pass article pages, or their text as .txt")


def extract(html: str, url: str | None):
    try:
        document = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, favor_precision=True,
            date_extraction_params=DATE_PARAMS,
        )
    except Exception as exc:  # a crash inside trafilatura is this document's failure only
        raise ReadFailure("stage_failed", f"trafilatura failed on this page ({type(exc).__name__}: "
                          f"{exc}); pass its text as .txt instead") from exc
    if document is None:
        raise ReadFailure("no_article", "trafilatura found no main text in the page; pass article "
                          "pages, or their text as .txt")
    return document


def paragraphs(document) -> list[tuple[str, str]]:
    """The main text's blocks (paragraphs, headings, lists, tables): (tag, plain text)."""
    blocks = [(element.tag, xmltotxt(element, include_formatting=False).strip())
              for element in document.body]
    return [(tag, text) for tag, text in blocks if text]


def adapt_metadata(document, meta: Meta) -> None:
    """Copy trafilatura's metadata into ``meta`` (values already there are kept)."""
    meta.title = meta.title or clean(document.title)
    meta.author = meta.author or clean(document.author)
    meta.url = meta.url or clean(document.url)
    if not meta.outlet and clean(document.sitename):
        meta.outlet, meta.outlet_source = clean(document.sitename), "metadata"
    if not meta.published and iso_date(document.date):
        meta.published, meta.published_source = iso_date(document.date), "metadata"


def clean(value: str | None) -> str | None:
    return " ".join(value.split()) if value else None
