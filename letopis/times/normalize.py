"""From ``Parsed`` to a TimeML-style value and what it was anchored on.

``normalize(parsed, context) -> (value, anchor)``. Anchors: ``published`` (computed
from the publication date), ``text`` (from a date the text gives: the last date before
it, an explicit year earlier in the paragraph, a dateline's day), ``none`` (it needed an
anchor and had none), or None (absolute values, durations and vague references need none).

Without an anchor nothing is guessed: a named month, day or season keeps its name and
the year is XXXX (``XXXX-12-21``, ``XXXX-SU``); a weekday is ``XXXX-WXX-3``; a pure offset
from an unknown now ("вчера", "на прошлой неделе", "в следующем году") keeps only its
direction: PAST_REF, PRESENT_REF or FUTURE_REF.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from .anchor import (Anchor, choose_year, iso_week, resolve_weekday, shift_month,
                     span_of_day, span_of_month, span_of_season, week_of_month)
from .parsed import Parsed
from .tense import FUTURE, PAST

PUBLISHED, TEXT, NONE = "published", "text", "none"
DURATION_UNITS = {"D": "D", "W": "W", "M": "M", "Q": "Q", "Y": "Y", "DE": "DE", "H": "TH", "MIN": "TM"}
QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}


@dataclass
class Context:
    anchor: Anchor
    tense: Callable[[], str | None]  # the clause's tense, computed on demand
    last_date: tuple[int | None, int, int] | None = None  # (year or None, month, day)
    text_year: int | None = None  # an explicit year earlier in the paragraph


def normalize(parsed: Parsed, context: Context) -> tuple[str | None, str | None]:
    return NORMALIZERS[parsed.kind](parsed, context)


def ref(offset) -> str:
    if offset == "NEW" or (isinstance(offset, int) and offset > 0):
        return "FUTURE_REF"
    return "PAST_REF" if offset < 0 else "PRESENT_REF"


def ymd(year: int | None, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"XXXX-{month:02d}-{day:02d}"


def with_part(value: str, part: str | None, time: str | None = None) -> str:
    return f"{value}T{time or part}" if time or part else value


def year_for(parsed: Parsed, context: Context, span_in) -> tuple[int | None, str | None]:
    """The year of a partial date, month or season, and what it was anchored on."""
    if parsed.year:
        return parsed.year, None
    anchor = context.anchor.date
    if isinstance(parsed.offset, int) or parsed.offset == "NEW":
        return (anchor.year + year_offset(parsed.offset, anchor), PUBLISHED) if anchor else (None, NONE)
    if anchor:
        year = choose_year(anchor, span_in, context.tense())
        return (year, PUBLISHED) if year else (None, NONE)  # 29 February and no leap year near
    if context.text_year:
        return context.text_year, TEXT
    return None, NONE


def year_offset(offset, anchor: date) -> int:
    """"новый год" is next year late in the year (from October), else this one."""
    if offset == "NEW":
        return 1 if anchor.month >= 10 else 0
    return offset


def normalize_date(parsed: Parsed, context: Context):
    year, anchor = year_for(parsed, context, lambda y: span_of_day(y, parsed.month, parsed.day))
    return with_part(ymd(year, parsed.month, parsed.day), parsed.part, parsed.time), anchor


def normalize_month(parsed: Parsed, context: Context):
    year, anchor = year_for(parsed, context, lambda y: span_of_month(y, parsed.month))
    if parsed.week is not None and year:
        return week_of_month(year, parsed.month, parsed.week), anchor
    return (f"{year:04d}-{parsed.month:02d}" if year else f"XXXX-{parsed.month:02d}"), anchor


def normalize_year(parsed: Parsed, context: Context):
    if parsed.year:
        return str(parsed.year), None
    anchor = context.anchor.date
    if not anchor:
        return ref(parsed.offset), NONE
    return str(anchor.year + year_offset(parsed.offset, anchor)), PUBLISHED


def normalize_season(parsed: Parsed, context: Context):
    offset = parsed.offset
    if isinstance(offset, str) and offset.startswith("S"):  # "прошлым летом": by seasons
        return season_by_offset(parsed.season, int(offset[1:]), context)
    year, anchor = year_for(parsed, context, lambda y: span_of_season(y, parsed.season))
    return f"{year:04d}-{parsed.season}" if year else f"XXXX-{parsed.season}", anchor


def season_by_offset(season: str, offset: int, context: Context):
    anchor = context.anchor.date
    if not anchor:
        return f"XXXX-{season}", NONE
    tense = {-1: PAST, 1: FUTURE}.get(offset)
    year = choose_year(anchor, lambda y: span_of_season(y, season), tense)
    first, last = span_of_season(year, season)
    if offset < 0 and last >= anchor:
        year -= 1  # the last summer that is over
    if offset > 0 and first <= anchor:
        year += 1
    return f"{year:04d}-{season}", PUBLISHED


def normalize_quarter(parsed: Parsed, context: Context):
    first, last = QUARTER_MONTHS[parsed.quarter]
    year, anchor = year_for(parsed, context, lambda y: (span_of_month(y, first)[0], span_of_month(y, last)[1]))
    return f"{year:04d}-Q{parsed.quarter}" if year else f"XXXX-Q{parsed.quarter}", anchor


def normalize_week(parsed: Parsed, context: Context):
    anchor = context.anchor.date
    if not anchor:
        return ref(parsed.offset), NONE
    return iso_week(anchor + timedelta(weeks=parsed.offset)), PUBLISHED


def normalize_weekend(parsed: Parsed, context: Context):
    anchor = context.anchor.date
    if not anchor:
        return "XXXX-WXX-WE", NONE
    offset = parsed.offset
    if offset is None:  # the last weekend in a past clause (this one once it has begun)
        offset = -1 if context.tense() == PAST and anchor.isoweekday() < 6 else 0
    return iso_week(anchor + timedelta(weeks=offset)) + "-WE", PUBLISHED


def normalize_month_relative(parsed: Parsed, context: Context):
    anchor = context.anchor.date
    if not anchor:
        return ref(parsed.offset), NONE
    year, month = shift_month(anchor.year, anchor.month, parsed.offset)
    return f"{year:04d}-{month:02d}", PUBLISHED


def normalize_weekday(parsed: Parsed, context: Context):
    anchor = context.anchor.date
    if not anchor:
        return f"XXXX-WXX-{parsed.weekday}", NONE
    if parsed.offset is None:
        day = resolve_weekday(anchor, parsed.weekday, context.tense())
    elif parsed.offset == 0:  # "в эту пятницу": in the anchor's week
        day = anchor + timedelta(days=parsed.weekday - anchor.isoweekday())
    else:  # "в прошлую пятницу", "next Friday": the nearest one before or after the anchor day
        step = parsed.offset // abs(parsed.offset)
        day = resolve_weekday(anchor + timedelta(days=step), parsed.weekday, PAST if step < 0 else FUTURE)
    return with_part(day.isoformat(), parsed.part), PUBLISHED


def normalize_day(parsed: Parsed, context: Context):
    anchor = context.anchor
    if anchor.date:
        return with_part((anchor.date + timedelta(days=parsed.offset)).isoformat(), parsed.part), PUBLISHED
    if anchor.month_day and 1 <= anchor.month_day[1] + parsed.offset <= 28:
        month, day = anchor.month_day
        return with_part(ymd(None, month, day + parsed.offset), parsed.part), TEXT
    return ref(parsed.offset), NONE


def normalize_part(parsed: Parsed, context: Context):
    value, anchor = normalize_day(Parsed("day", offset=0), context)
    if anchor == NONE:
        return f"XXXX-XX-XXT{parsed.part}", NONE
    return with_part(value, parsed.part), anchor


def normalize_anaphora(parsed: Parsed, context: Context):
    if context.last_date:
        year, month, day = context.last_date
        shifted = date(year or 2000, month, day) + timedelta(days=parsed.offset)  # 2000: leap, has 29 Feb
        return ymd(year and shifted.year, shifted.month, shifted.day), TEXT
    if parsed.offset == -1 and context.anchor.date:
        return (context.anchor.date - timedelta(days=1)).isoformat(), PUBLISHED
    return None, NONE  # "на следующий день после консультаций": no date to count from


def normalize_shift(parsed: Parsed, context: Context):
    """"через две недели", "два дня назад": from the publication date; "через" in a
    past clause counts from the last full date of the text, or stays PAST_REF."""
    amount = int(parsed.quantity) * parsed.direction
    base, anchor = context.anchor.date, PUBLISHED
    if amount > 0 and context.tense() == PAST:
        last = context.last_date
        if not (last and last[0]):
            return "PAST_REF", NONE  # "Спустя неделю стороны встретились": after what?
        base, anchor = date(*last), TEXT  # "15.12.2021 передал ... Через два дня опубликовали"
    if base is None:
        return ref(amount), NONE
    if parsed.unit == "D":
        return (base + timedelta(days=amount)).isoformat(), anchor
    if parsed.unit == "W":
        return iso_week(base + timedelta(weeks=amount)), anchor
    if parsed.unit == "M":
        return "%04d-%02d" % shift_month(base.year, base.month, amount), anchor
    return str(base.year + amount), anchor


def normalize_duration(parsed: Parsed, context: Context):
    unit = DURATION_UNITS[parsed.unit]
    if unit.startswith("T"):
        return f"PT{parsed.quantity}{unit[1:]}", None
    return f"P{parsed.quantity}{unit}", None


def normalize_ref(parsed: Parsed, context: Context):
    if parsed.ref == "TENSE":
        return ("PAST_REF" if context.tense() == PAST else "FUTURE_REF"), None
    return parsed.ref, None


def normalize_range(parsed: Parsed, context: Context):
    end_value, anchor = normalize(parsed.end, context)
    start = parsed.start
    if start.year is None and end_value[:4].isdigit():
        end_year = int(end_value[:4])
        start = Parsed(start.kind, year=end_year - (start.month > parsed.end.month), month=start.month,
                       day=start.day)
    start_value, _ = normalize(start, context)
    return f"{start_value}/{end_value}", anchor


NORMALIZERS = {
    "date": normalize_date, "month": normalize_month, "year": normalize_year,
    "season": normalize_season, "quarter": normalize_quarter, "week": normalize_week,
    "weekend": normalize_weekend, "month_rel": normalize_month_relative,
    "weekday": normalize_weekday, "day": normalize_day, "part": normalize_part,
    "anaphora": normalize_anaphora, "shift": normalize_shift, "duration": normalize_duration,
    "ref": normalize_ref, "range": normalize_range,
}
