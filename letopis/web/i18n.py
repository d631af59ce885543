"""UI strings in Russian and English, from the data files in ``i18n/``.

The language comes from ``?lang=`` (remembered in a cookie), else the cookie, else
the browser's Accept-Language, else Russian. A missing key shows the key's last part,
so an untranslated event type reads as its code ("CONSULT")."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("ru", "en")
DEFAULT = "ru"
FOLDER = Path(__file__).parent / "i18n"


@lru_cache(maxsize=None)
def strings(lang: str) -> dict[str, str]:
    return json.loads((FOLDER / f"{lang}.json").read_text(encoding="utf-8"))


def translator(lang: str):
    table = strings(lang if lang in LANGUAGES else DEFAULT)

    def t(key: str, **values) -> str:
        text = table.get(key)
        if text is None:
            text = key.rsplit(".", 1)[-1].replace("_", " ")
        return text.format(**values) if values else text

    return t


def choose_language(query: str | None, cookie: str | None, accept: str | None) -> str:
    for value in (query, cookie):
        if value in LANGUAGES:
            return value
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT
