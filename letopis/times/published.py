"""The publication date from the text, when no metadata gave one.

Looked for, in order:
1. a line that is only a date (and maybe a time) above the body: a byline such as
   "23 декабря 2021, 13:20", "12.01.2022 19:05", "June 28, 2022", "Опубликовано: ...";
2. a dateline opening the lead or the body: "Киев, 22 декабря 2021 – РИА Новости.".
The first one with a year becomes ``meta.published`` (``published_source = "text"``),
with the time when the line gives one ("2021-12-23T13:20").

A date without a year ("ЖЕНЕВА, 21 янв — РИА Новости.") is not a publication date:
``meta.published`` stays unset and ``infer_published`` returns its (month, day), which
anchors "сегодня" and "вчера" but no year or week. Nothing is inferred from relative
clues ("published_source = inferred" is never set here).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from ..record import Article
from .lexicon import fold, read_rows

MIN_YEAR, MAX_YEAR = 1990, 2100
HEADER_KINDS = ("title", "lead", "byline", "photo_credit", "boilerplate")
DATELINE_KINDS = ("lead", "body")
_TIME = r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::\d{2})?"


@lru_cache(maxsize=1)
def month_numbers() -> dict[str, int]:
    numbers = {}
    for name in ("months", "month_abbreviations"):
        for value, _, entries in read_rows(name):
            numbers.update({fold(entry): int(value) for entry in entries})
    return numbers


@lru_cache(maxsize=1)
def patterns() -> tuple[re.Pattern, re.Pattern]:
    months = "|".join(sorted(map(re.escape, month_numbers()), key=len, reverse=True))
    day_month = rf"(?P<day>\d{{1,2}})\s+(?P<month>{months})\.?"
    month_day = rf"(?P<month2>{months})\.?\s+(?P<day2>\d{{1,2}}),?"
    written = (rf"(?:{day_month}|{month_day})\s+(?P<year>\d{{4}})(?:\s*(?:г\.?|года|р\.?|року))?")
    numeric = r"(?P<nday>\d{1,2})\.(?P<nmonth>\d{1,2})\.(?P<nyear>\d{4})"
    iso = r"(?P<iyear>\d{4})-(?P<imonth>\d{2})-(?P<iday>\d{2})"
    label = r"(?:[^\W\d]+(?:\s+[^\W\d]+)?\s*[:,]?\s+)?"
    time_after = rf"(?:\s*(?:[,|]|в|о|at|T)?\s*{_TIME})?"
    date_line = re.compile(rf"{label}(?:{written}|{numeric}|{iso}){time_after}\s*", re.IGNORECASE)
    city = r"[A-ZА-ЯЁІЇЄҐ][\w'’.\-]*(?:[ \-][A-ZА-ЯЁІЇЄҐ][\w'’.\-]*){0,3}"
    dateline = re.compile(
        rf"{city},\s+(?:{day_month}|{month_day})(?:\s+(?P<year>\d{{4}})(?:\s*(?:г\.?|года|р\.?|року))?)?"
        r"\s*(?:[—–\-]|\.(?:\s|$))", re.IGNORECASE)
    return date_line, dateline


def infer_published(article: Article) -> tuple[int, int] | None:
    """Sets ``meta.published`` from the text when metadata gave none; returns the
    (month, day) of a dateline without a year when the date stays unknown."""
    if article.meta.published:
        return None
    date_line, dateline = patterns()
    for line in header_lines(article):
        found = date_line.fullmatch(line)
        if found and set_published(article, found):
            return None
    partial = None
    for line in first_lines(article):
        found = dateline.match(line)
        if found:
            if set_published(article, found):
                return None
            partial = partial or month_and_day(found)
    return partial


def header_lines(article: Article):
    """Lines above the first body zone (and the body's first line)."""
    body = next((zone for zone in article.zones if zone.kind == "body"), None)
    limit = body.start if body else len(article.text)
    for zone in article.zones:
        if zone.start < limit and zone.kind in HEADER_KINDS:
            yield from article.zone_text(zone).split("\n")
    if body:
        yield article.zone_text(body).split("\n", 1)[0]


def first_lines(article: Article):
    for kind in DATELINE_KINDS:
        zone = next((zone for zone in article.zones if zone.kind == kind), None)
        if zone:
            yield article.zone_text(zone).split("\n", 1)[0]


def month_and_day(found: re.Match) -> tuple[int, int] | None:
    groups = found.groupdict()
    month_name = groups.get("month") or groups.get("month2")
    day = groups.get("day") or groups.get("day2")
    if month_name and day:
        return month_numbers()[fold(month_name)], int(day)
    return None


def found_date(found: re.Match) -> date | None:
    groups = found.groupdict()
    if groups.get("nyear"):
        parts = groups["nyear"], groups["nmonth"], groups["nday"]
    elif groups.get("iyear"):
        parts = groups["iyear"], groups["imonth"], groups["iday"]
    elif groups.get("year"):
        month, day = month_and_day(found)
        parts = groups["year"], month, day
    else:
        return None
    try:
        value = date(*(int(part) for part in parts))
    except ValueError:
        return None
    return value if MIN_YEAR <= value.year <= MAX_YEAR else None


def set_published(article: Article, found: re.Match) -> bool:
    value = found_date(found)
    if value is None:
        return False
    hour, minute = found.groupdict().get("hour"), found.groupdict().get("minute")
    published = value.isoformat()
    if hour is not None and int(hour) < 24 and int(minute) < 60:
        published += f"T{int(hour):02d}:{int(minute):02d}"
    article.meta.published, article.meta.published_source = published, "text"
    return True
