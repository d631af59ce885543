"""Outlet detection: the outlet an article names itself ("..., сообщает Depo.ua.").

Phrases come from ``letopis/data/zones/outlets.txt``, searched in the lead and body;
each names a candidate in its group ``outlet``. Precision first: a candidate is taken
when it is also named in a footer, related or byline line, when it comes from a
dateline ("Киев, 22 декабря – РИА Новости."), or when it looks like a web address
("сообщает Reuters" more often names a source than the outlet itself).
"""

from __future__ import annotations

import re

from ..record import Article
from .lexicon import lexicon

_WEB_ADDRESS = re.compile(r"\w\.[a-zа-яіїєё]{2,6}$", re.IGNORECASE)
_TRAILING = " .,;:!?»\"”’')"
_LETTER = re.compile(r"[^\W\d_]")


def find_outlet(article: Article) -> str | None:
    footer = " ".join(article.zone_text(zone)
                      for zone in article.zones_of("boilerplate", "related", "byline"))
    best = None
    for order, pattern in enumerate(lexicon("outlets", re.MULTILINE).patterns):
        for zone in article.zones_of("lead", "body"):
            for found in pattern.regex.finditer(article.zone_text(zone)):
                name = found.group("outlet").strip(_TRAILING)
                rank = trust(name, pattern.group, footer)
                if rank is not None:
                    key = (rank, order, zone.start + found.start())
                    if best is None or key < best[0]:
                        best = (key, name)
    return best[1] if best else None


def trust(name: str, group: str, footer: str) -> int | None:
    """0 for a name seen in the footer, 1 for a dateline, 2 for a web address; else None."""
    if len(name) < 2 or not _LETTER.search(name):
        return None
    if re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", footer, re.IGNORECASE):
        return 0
    if group == "dateline":
        return 1
    if group == "reporting" and _WEB_ADDRESS.search(name):
        return 2
    return None
