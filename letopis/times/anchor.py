"""The anchor of relative and partial expressions, and the calendar arithmetic on it.

The anchor is the publication date (``meta.published``, whatever its source). A
dateline without a year ("ЖЕНЕВА, 21 янв") gives only a month and a day: enough for
"сегодня" (XXXX-01-21), not for a year or a week.

Which year a partial date or month falls in (``choose_year``):
- past tense: the latest occurrence that began on or before the anchor
  ("15 декабря обнародовала", published 2022-01-14 -> 2021-12-15);
- future tense: the earliest that has not ended before the anchor
  ("в январе проведут", published 2021-12-22 -> 2022-01);
- otherwise: the occurrence nearest to the anchor.
Weekdays follow the same logic (``resolve_weekday``).
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from .tense import FUTURE, PAST

SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}  # WI of Y: Dec Y-1 .. Feb Y


@dataclass(frozen=True)
class Anchor:
    date: date | None = None  # the publication date
    month_day: tuple[int, int] | None = None  # a dateline's day when its year is unknown

    @classmethod
    def from_published(cls, published: str | None, month_day=None) -> "Anchor":
        if published:
            try:
                return cls(date.fromisoformat(published[:10]))
            except ValueError:
                pass
        return cls(None, month_day)


def span_of_month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, monthrange(year, month)[1])


def span_of_season(year: int, season: str) -> tuple[date, date]:
    first, last = SEASON_MONTHS[season]
    start_year = year - 1 if first > last else year
    return date(start_year, first, 1), span_of_month(year, last)[1]


def span_of_day(year: int, month: int, day: int) -> tuple[date, date] | None:
    if day > monthrange(year, month)[1]:
        return None  # 29 February in a common year
    one = date(year, month, day)
    return one, one


def choose_year(anchor: date, span_in, tense: str | None) -> int | None:
    """The year Y for which ``span_in(Y)`` (a (first, last) pair) fits the tense best;
    None when no year near the anchor has it (29 February)."""
    spans = [(year, span_in(year)) for year in (anchor.year - 1, anchor.year, anchor.year + 1)]
    spans = [(year, span) for year, span in spans if span is not None]
    if not spans:
        return None
    if tense == PAST:
        began = [year for year, (first, _) in spans if first <= anchor]
        if began:
            return max(began)
    if tense == FUTURE:
        open_ = [year for year, (_, last) in spans if last >= anchor]
        if open_:
            return min(open_)
    return min(spans, key=lambda item: (distance(anchor, item[1]), item[0] != anchor.year))[0]


def distance(day: date, span: tuple[date, date]) -> int:
    first, last = span
    if first <= day <= last:
        return 0
    return (first - day).days if day < first else (day - last).days


def resolve_weekday(anchor: date, weekday: int, tense: str | None) -> date:
    """The date of ``weekday`` (1 = Monday) nearest the anchor in the tense's direction;
    the anchor's own day counts for both."""
    back = (anchor.isoweekday() - weekday) % 7
    ahead = (weekday - anchor.isoweekday()) % 7
    if tense == PAST:
        return anchor - timedelta(days=back)
    if tense == FUTURE:
        return anchor + timedelta(days=ahead)
    return anchor - timedelta(days=back) if back <= ahead else anchor + timedelta(days=ahead)


def shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_of_month(year: int, month: int, ordinal: int) -> str:
    """ISO week of the n-th week of a month: the week holding its day 7(n-1)+1;
    the last week holds its last day."""
    day = monthrange(year, month)[1] if ordinal < 0 else min(7 * (ordinal - 1) + 1, 28)
    return iso_week(date(year, month, day))
