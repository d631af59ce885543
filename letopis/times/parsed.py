"""What a rule understood from an expression, before anchoring (``normalize.py``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Parsed:
    """Fields a rule fills; ``kind`` says which of them matter.

    date (year?, month, day, part? | time?), month (year? | offset, month, week?), year (year |
    offset), season (season, year? | offset), week (offset), month_rel (offset),
    weekday (weekday, offset?, part?), day (offset days, part?), part (part of today),
    anaphora (offset days from the last date in the text), shift (quantity, unit,
    direction), duration (quantity, unit), ref (a TimeML reference), range (start, end).
    """

    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # ISO, 1 = Monday
    season: str | None = None  # SP, SU, FA, WI
    week: int | None = None  # week of the month, -1 = the last
    offset: int | str | None = None  # units from now; "NEW" for "новый год"
    unit: str | None = None  # D, W, M, Y, DE, H, MIN
    quantity: str | None = None  # "2", "1.5", "X"
    direction: int = 0  # shift: +1 "через", -1 "назад"
    part: str | None = None  # MO, AF, EV, NI
    time: str | None = None  # "15:00"
    quarter: int | None = None  # 1-4
    ref: str | None = None  # PAST_REF, PRESENT_REF, FUTURE_REF, TENSE
    mod: str | None = None  # START, END, MID, APPROX, MORE_THAN, LESS_THAN
    start: "Parsed | None" = None  # range
    end: "Parsed | None" = None
