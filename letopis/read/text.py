"""Plain-text articles, and the ISO date check every reader shares."""

from __future__ import annotations

from datetime import date, datetime

from letopis.read.decode import check_text, decode
from letopis.record import Article, Meta, new_article


def read_text(data: bytes, meta: Meta) -> Article:
    """An article from the bytes of a text file; sets ``meta.encoding``."""
    text, meta.encoding = decode(data)
    return text_article(text, meta)


def text_article(text: str, meta: Meta) -> Article:
    """An article whose ``text`` is ``text`` as is (newlines normalized)."""
    check_text(text)
    return new_article(text, meta)


def with_title(title: str | None, text: str) -> str:
    """``text`` led by ``title`` and a blank line, unless it already starts with it."""
    if not title or text.lstrip().startswith(title):
        return text
    return f"{title}\n\n{text}"


def iso_date(value: str | None) -> str | None:
    """``YYYY-MM-DD`` or a full ISO date-time, normalized; None when not ISO 8601."""
    value = (value or "").strip()
    if len(value) == 10:
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(value).isoformat()
    except ValueError:
        return None
