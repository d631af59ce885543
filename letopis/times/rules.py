"""The time rules: an ordered list of small named patterns over the terms of
``terms.py`` (pattern syntax in ``grammar.py``), each with the function of
``builders.py`` that reads its match.

The longest match wins; at equal length, the rule listed first. The rule's name is
stored in ``TimeExpr.rule`` and shown by ``--explain``.
"""

from __future__ import annotations

from .builders import (
    build_anaphora, build_date, build_date_range, build_day_range, build_duration,
    build_last_day, build_lone_month, build_month, build_month_range, build_month_relative,
    build_month_week, build_numeric_date, build_part_of_day, build_quarter, build_relative_day,
    build_season, build_shift, build_vague, build_week, build_weekday, build_weekend,
    build_year, build_year_after_preposition,
)
from .grammar import Rule, compile_rules

RULES: list[Rule] = [
    Rule("range_days", "FROM? DAY TO DAY MONTH|MONTH_ABBR YEAR? YEAR_WORD? DOT?", build_day_range),
    Rule("range_days_joined", "FROM? DAYS MONTH|MONTH_ABBR YEAR? YEAR_WORD? DOT?", build_day_range),
    Rule("range_dates", "FROM DAY MONTH|MONTH_ABBR TO DAY MONTH|MONTH_ABBR YEAR? YEAR_WORD? DOT?",
         build_date_range),
    Rule("range_months", "FROM MONTH_LC TO MONTH_LC YEAR? YEAR_WORD? DOT?", build_month_range),
    Rule("date_full", "DAY MONTH|MONTH_ABBR YEAR YEAR_WORD? DOT?", build_date),
    Rule("date_numeric", "NUMDATE YEAR_WORD? DOT?", build_numeric_date),
    Rule("date_month_first", "IN? MONTH|MONTH_ABBR DOT? DAY YEAR?", build_date, langs=("en",)),
    Rule("date_time", "DAY MONTH|MONTH_ABBR YEAR? YEAR_WORD? DOT? COMMA? IN? TIME", build_date),
    Rule("date_part_first", "PART_ALONE DAY MONTH|MONTH_ABBR YEAR? YEAR_WORD? DOT?", build_date),
    Rule("date", "DAY MONTH|MONTH_ABBR PART?", build_date),
    Rule("month_part", "IN? THE? POSITION OF? MONTH YEAR? YEAR_WORD? DOT?", build_month),
    Rule("month_half", "IN? THE? HALVES OF? MONTH YEAR? YEAR_WORD? DOT?", build_month),
    Rule("month_week", "IN? THE? ORDINAL UNIT_W OF? MONTH YEAR? YEAR_WORD? DOT?", build_month_week),
    Rule("month_year", "IN? MONTH_LC YEAR YEAR_WORD? DOT?", build_month),
    Rule("month_relative_year", "IN? MONTH_LC OFFSET UNIT_Y", build_month),
    Rule("month", "IN? MONTH_LC", build_lone_month),
    Rule("year_part", "IN? THE? POSITION|HALVES OF? YEAR YEAR_WORD? DOT?", build_year),
    Rule("year_part_relative", "IN? THE? POSITION|HALVES OF? THE|OFFSET? UNIT_Y", build_year),
    Rule("year", "IN? YEAR YEAR_WORD DOT?", build_year),
    Rule("year_en", "IN YEAR", build_year, langs=("en",)),
    Rule("year_after_preposition", "YEAR", build_year_after_preposition, langs=("en",)),
    Rule("quarter_year", "IN? THE? ORDINAL UNIT_Q OF? YEAR YEAR_WORD? DOT?", build_quarter),
    Rule("quarter_relative_year", "IN? THE? ORDINAL UNIT_Q OF? THE|OFFSET UNIT_Y", build_quarter),
    Rule("quarter", "IN? THE? ORDINAL UNIT_Q", build_quarter),
    Rule("year_relative", "IN? OFFSET UNIT_Y", build_year),
    Rule("season_relative_year", "IN? SEASON OFFSET UNIT_Y", build_season),
    Rule("season_year", "IN? SEASON YEAR YEAR_WORD? DOT?", build_season),
    Rule("season_offset", "IN? THE? OFFSET SEASON", build_season),
    Rule("season", "SEASON_ALONE", build_season),
    Rule("season_in", "IN THE? SEASON", build_season),
    Rule("week_part", "IN? THE? POSITION OF? THE|OFFSET? UNIT_W", build_week),
    Rule("week_relative", "LATER? IN? OFFSET UNIT_W", build_week),
    Rule("month_part_relative", "IN? THE? POSITION|HALVES OF? THE|OFFSET? UNIT_M", build_month_relative),
    Rule("month_relative", "LATER? IN? OFFSET UNIT_M", build_month_relative),
    Rule("weekend", "IN? THE? WEEKEND", build_weekend),
    Rule("weekday", "IN? OFFSET? WEEKDAY PART?", build_weekday),
    Rule("weekday_part_first", "PART_ALONE IN? OFFSET? WEEKDAY", build_weekday),
    Rule("relative_day", "REL_DAY PART?", build_relative_day),
    Rule("part_of_day", "IN? THE? OFFSET? PART_ALONE|PART", build_part_of_day),
    Rule("anaphora", "IN? ANAPHORA", build_anaphora),
    Rule("shift_forward", "THROUGH QUANT? HALF? UNIT", build_shift(+1)),
    Rule("shift_back", "QUANT? HALF? UNIT AGO", build_shift(-1)),
    Rule("duration", "APPROX? THE? LAST? QUANT HALF? UNIT", build_duration),
    Rule("duration_approx", "APPROX UNIT", build_duration),
    Rule("duration_last_day", "LAST UNIT", build_last_day, langs=("ru", "uk")),
    Rule("vague", "VAGUE", build_vague),
]

COMPILED_RULES = compile_rules(RULES)
