"""JSON Lines dumps, streamed line by line: one article (or one error) per object.

Each object has ``text`` or ``html`` and optionally ``id``, ``url``, ``title``,
``published``, ``outlet``, ``lang``, ``author``. Blank lines are skipped; every other
bad line becomes one ``DocumentError`` with its 1-based line number.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import BinaryIO, Callable, Iterator

from letopis.errors import DocumentError
from letopis.read.decode import ReadFailure, bom_encoding, decode
from letopis.read.html import html_article
from letopis.read.text import iso_date, text_article, with_title
from letopis.record import Article, Meta

SKIP_CHUNK = 1 << 20
WHOLE_JSON = re.compile(rb"(\xef\xbb\xbf|\xff\xfe|\xfe\xff)?\s*(\[|\{[ \t\r]*\n)")
STRING_FIELDS = ("url", "title", "outlet", "lang", "published")


def read_jsonl(
    stream: BinaryIO, input: str, *, max_bytes: int,
    on_line: Callable[[int], None] = lambda size: None,
) -> Iterator[Article | DocumentError]:
    """Articles and errors from a JSON Lines stream; ``on_line(size)`` after each raw line."""
    head = stream.peek(64)
    if WHOLE_JSON.match(head.translate(None, b"\x00")):
        yield DocumentError(input, "unsupported", detail=(
            "a JSON document (an array, or an object over several lines), not JSON Lines: "
            "convert it to one object per line first: jq -c '.[]' (an array) or jq -c . (objects)"))
        return
    encoding = bom_encoding(head[:4])
    if encoding in ("utf-16", "utf-32"):  # transcoded to UTF-8 lines
        stream = codecs.EncodedFile(stream, "utf-8", encoding)
    else:
        encoding = None
    for number, line, size in split_lines(stream, max_bytes):
        on_line(size)
        item = line_item(number, line, size, input, max_bytes, encoding)
        if item is not None:
            yield item


def line_item(number: int, line: bytes | None, size: int, input: str, max_bytes: int,
              encoding: str | None = None) -> Article | DocumentError | None:
    """The article or error of one line of ``split_lines`` (None for a blank line)."""
    if line is None:
        return DocumentError(input, "too_large", line=number, detail=(
            f"line {number} is {size} bytes, over the limit of {max_bytes}: "
            "split it or raise --max-bytes"))
    if not line.strip():
        return None
    meta = Meta(input=input, input_format="jsonl", input_line=number)
    try:
        return line_article(line, meta, encoding)
    except ReadFailure as failure:
        return DocumentError(input, failure.reason, line=number, detail=failure.detail)


def split_lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None, int]]:
    """(number, line, size in bytes) per line; ``line`` is None for a line over ``max_bytes``.

    Never holds more than ``max_bytes + 1`` bytes of one line.
    """
    number = 0
    while line := stream.readline(max_bytes + 1):
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            yield number, None, len(line) + skip_line(stream)
        else:
            yield number, line, len(line)


def skip_line(stream: BinaryIO) -> int:
    """Read past the rest of a line; its size in bytes."""
    size = 0
    while part := stream.readline(SKIP_CHUNK):
        size += len(part)
        if part.endswith(b"\n"):
            break
    return size


def line_article(line: bytes, meta: Meta, file_encoding: str | None = None) -> Article:
    """An article from one raw line; ``file_encoding`` names a transcoded UTF-16/32 file."""
    text, encoding = decode_line(line)
    meta.encoding = file_encoding or encoding
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ReadFailure("bad_json", f"not valid JSON ({getattr(exc, 'msg', exc)} at column "
                          f"{getattr(exc, 'colno', '?')}); fix or remove the line") from exc
    if not isinstance(value, dict):
        raise ReadFailure("not_an_object", f"the line holds a JSON {json_type(value)}, not an "
                          'object; write one object per line: {"text": "...", "title": "..."}')
    return object_article(value, meta)


def decode_line(line: bytes) -> tuple[str, str]:
    """UTF-8 as JSON requires; a line in a legacy code page is detected like a file."""
    try:
        return line.removeprefix(codecs.BOM_UTF8).decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return decode(line)


def object_article(value: dict, meta: Meta) -> Article:
    """An article from one JSON object (``meta`` gets its metadata)."""
    text, html = string_field(value, "text"), string_field(value, "html")
    if text is None and html is None:
        raise ReadFailure("no_text", f"the object has neither `text` nor `html` (its fields: "
                          f"{', '.join(value) or 'none'}); add the article as one of them")
    adapt_fields(value, meta)
    if text and text.strip():
        return text_article(with_title(meta.title, text), meta)
    if html and html.strip():
        return html_article(html, meta)
    raise ReadFailure("empty", "`text` is empty (or only white space); drop the line or fill it")


def adapt_fields(value: dict, meta: Meta) -> None:
    url, title, outlet, lang, published = (string_field(value, name) for name in STRING_FIELDS)
    meta.input_id = id_field(value)
    meta.url, meta.title, meta.author = clean(url), clean(title), author_field(value)
    meta.lang = clean(lang).lower() if clean(lang) and clean(lang) != "auto" else None
    if clean(outlet):
        meta.outlet, meta.outlet_source = clean(outlet), "metadata"
    if iso_date(published):
        meta.published, meta.published_source = iso_date(published), "metadata"


def string_field(value: dict, name: str) -> str | None:
    field = value.get(name)
    if field is None or isinstance(field, str):
        return field
    raise ReadFailure("bad_field", f"`{name}` is a JSON {json_type(field)}, expected a string; "
                      "fix the field or drop it")


def id_field(value: dict) -> str | None:
    field = value.get("id")
    if field is None or isinstance(field, str):
        return field
    if isinstance(field, int) and not isinstance(field, bool):
        return str(field)
    raise ReadFailure("bad_field", f"`id` is a JSON {json_type(field)}, expected a string or an "
                      "integer; fix the field or drop it")


def author_field(value: dict) -> str | None:
    field = value.get("author")
    if isinstance(field, list) and all(isinstance(item, str) for item in field):
        return clean(", ".join(item.strip() for item in field if item.strip()))
    return clean(string_field(value, "author"))


def clean(value: str | None) -> str | None:
    return value.strip() or None if value else None


def json_type(value) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")
