"""Text in quotation marks that is not a quotation: names and scare quotes.

A fragment is a name when the lexicon lists it («Газпром», «Северный поток — 2»,
«нормандской четверки»), when a noun that introduces names stands right before it
(учения «Союзная решимость», формат «Рамштайн»), or when every word of it is
capitalized («Ямал – Европа»). It is a scare quote after "так называемые", "якобы".
"""

from __future__ import annotations

import re

from .doc import Doc
from .marks import Mark

WORD = re.compile(r"[^\W\d_]{3,}")


def is_quotation(doc: Doc, mark: Mark) -> bool:
    return not (is_name(doc, mark) or is_scare(doc, mark))


def is_name(doc: Doc, mark: Mark) -> bool:
    start, end = mark.inner
    inner = doc.text[start:end].strip()
    if not inner or doc.lex.not_quotes.match(inner.lower()):
        return True
    before = doc.text[max(0, mark.start - 30):mark.start].split()
    if before and before[-1].lower().strip(",").startswith(doc.lex.name_nouns):
        return True
    words = WORD.findall(inner)
    return bool(words) and len(words) <= 4 and all(w[0].isupper() for w in words) \
        and not inner.rstrip().endswith((".", "!", "?"))


def is_scare(doc: Doc, mark: Mark) -> bool:
    before = " ".join(doc.text[max(0, mark.start - 30):mark.start].lower().split())
    return before.endswith(doc.lex.scare)
