"""The functions that read a rule's match into a ``Parsed`` value (``rules.py`` lists
the rules). Each may return None: the match is not a time expression after all
("29 февраля 2023", "накануне визита", "may" in English).
"""

from __future__ import annotations

from calendar import monthrange

from .grammar import Match
from .parsed import Parsed
from .terms import Words


def valid_day(year: int | None, month: int, day: int) -> bool:
    return 1 <= day <= monthrange(year or 2000, month)[1]  # 2000: a leap year


def month_of(match: Match) -> int | None:
    return match.get("MONTH") or match.get("MONTH_ABBR") or match.get("MONTH_LC")


def position_mod(match: Match) -> str | None:
    return match.get("POSITION") or match.get("HALVES")


# --- dates and ranges -------------------------------------------------------------


def build_date(match: Match, words: Words, lang: str) -> Parsed | None:
    month, day, year = month_of(match), match.get("DAY"), match.get("YEAR")
    if not valid_day(year, month, day):
        return None
    time = match.get("TIME")
    return Parsed("date", year=year, month=month, day=day, part=match.get("PART") or match.get("PART_ALONE"),
                  time=time and "%02d:%02d" % time)


def build_numeric_date(match: Match, words: Words, lang: str) -> Parsed:
    value = match.get("NUMDATE")
    return Parsed("date", year=value.year, month=value.month, day=value.day)


def build_day_range(match: Match, words: Words, lang: str) -> Parsed | None:
    month, year = month_of(match), match.get("YEAR")
    first, last = match.get("DAYS") or tuple(match.all("DAY"))
    if not (first < last and valid_day(year, month, last)):
        return None
    return Parsed("range", start=Parsed("date", year=year, month=month, day=first),
                  end=Parsed("date", year=year, month=month, day=last))


def build_date_range(match: Match, words: Words, lang: str) -> Parsed | None:
    (first_day, last_day), year = match.all("DAY"), match.get("YEAR")
    first_month, last_month = match.all("MONTH") + match.all("MONTH_ABBR")
    if not (valid_day(year, first_month, first_day) and valid_day(year, last_month, last_day)):
        return None
    first_year = year - 1 if year and first_month > last_month else year
    return Parsed("range", start=Parsed("date", year=first_year, month=first_month, day=first_day),
                  end=Parsed("date", year=year, month=last_month, day=last_day))


def build_month_range(match: Match, words: Words, lang: str) -> Parsed | None:
    first, last = match.all("MONTH_LC")
    year = match.get("YEAR")
    if first == last:
        return None
    first_year = year - 1 if year and first > last else year
    return Parsed("range", start=Parsed("month", year=first_year, month=first),
                  end=Parsed("month", year=year, month=last))


# --- months, years, seasons, weeks ----------------------------------------------------


def build_month(match: Match, words: Words, lang: str) -> Parsed:
    offset = parse_offset(match.get("OFFSET")) if match.has("UNIT_Y") else None
    return Parsed("month", year=match.get("YEAR"), month=month_of(match), offset=offset,
                  mod=position_mod(match))


def build_lone_month(match: Match, words: Words, lang: str) -> Parsed | None:
    if lang == "en" and not (match.has("IN") or after_year_preposition(match, words)):
        return None  # "May", "March" alone are too often something else
    return build_month(match, words, lang)


def after_year_preposition(match: Match, words: Words) -> bool:
    """"since February", "until 2024": a preposition that takes a bare month or year."""
    return match.start > 0 and bool(words.term("YEAR_BEFORE", match.start - 1))


def build_month_week(match: Match, words: Words, lang: str) -> Parsed:
    return Parsed("month", year=match.get("YEAR"), month=month_of(match), week=match.get("ORDINAL"))


def build_year_after_preposition(match: Match, words: Words, lang: str) -> Parsed | None:
    """A bare year in English only after "since", "until", "of"...: "since 2014"."""
    return build_year(match, words, lang) if after_year_preposition(match, words) else None


def build_quarter(match: Match, words: Words, lang: str) -> Parsed | None:
    quarter = match.get("ORDINAL")
    if quarter not in (1, 2, 3, 4):
        return None
    offset = parse_offset(match.get("OFFSET", "0")) if match.has("UNIT_Y") else None
    return Parsed("quarter", quarter=quarter, year=match.get("YEAR"), offset=offset)


def build_year(match: Match, words: Words, lang: str) -> Parsed:
    offset = None if match.has("YEAR") else parse_offset(match.get("OFFSET", "0"))
    return Parsed("year", year=match.get("YEAR"), offset=offset, mod=position_mod(match))


def parse_offset(value: str) -> int | str:
    return value if value == "NEW" else int(value)


def build_season(match: Match, words: Words, lang: str) -> Parsed:
    season = match.get("SEASON") or match.get("SEASON_ALONE")
    offset = parse_offset(match.get("OFFSET")) if match.has("OFFSET") else None
    if offset is not None and not match.has("UNIT_Y"):
        offset = f"S{offset}"  # "прошлым летом": the last summer, not last year's
    return Parsed("season", season=season, year=match.get("YEAR"), offset=offset)


def build_week(match: Match, words: Words, lang: str) -> Parsed:
    offset = parse_offset(match.get("OFFSET", "0"))
    return None if offset == "NEW" else Parsed("week", offset=offset, mod=position_mod(match))


def build_month_relative(match: Match, words: Words, lang: str) -> Parsed | None:
    offset = parse_offset(match.get("OFFSET", "0"))
    return None if offset == "NEW" else Parsed("month_rel", offset=offset, mod=position_mod(match))


def build_weekend(match: Match, words: Words, lang: str) -> Parsed:
    value = match.get("WEEKEND")
    return Parsed("weekend", offset=None if value == "T" else int(value))


# --- days -------------------------------------------------------------------------


def build_weekday(match: Match, words: Words, lang: str) -> Parsed | None:
    if lang != "en" and not (match.has("IN") or match.has("OFFSET")):
        return None
    offset = parse_offset(match.get("OFFSET")) if match.has("OFFSET") else None
    if offset == "NEW":
        return None
    return Parsed("weekday", weekday=match.get("WEEKDAY"), offset=offset,
                  part=match.get("PART") or match.get("PART_ALONE"))


def build_relative_day(match: Match, words: Words, lang: str) -> Parsed:
    return Parsed("day", offset=match.get("REL_DAY"), part=match.get("PART"))


def build_part_of_day(match: Match, words: Words, lang: str) -> Parsed | None:
    if match.has("PART") and not match.has("OFFSET"):
        return None  # "днем" alone is too often "с каждым днем"
    offset = parse_offset(match.get("OFFSET", "0"))
    part = match.get("PART") or match.get("PART_ALONE")
    if offset == "NEW":
        return None
    if offset:  # "прошлой ночью": the night before today
        return Parsed("day", offset=offset, part=part)
    return Parsed("part", part=part)


def build_anaphora(match: Match, words: Words, lang: str) -> Parsed | None:
    if governs_genitive(words, match.end):
        return None  # "накануне визита", "напередодні зустрічей": a preposition here
    return Parsed("anaphora", offset=match.get("ANAPHORA"))


def governs_genitive(words: Words, i: int) -> bool:
    """Whether the word after "накануне" is a genitive it governs."""
    if i >= len(words) or not words.texts[i][:1].isalpha():
        return False
    token = words.tokens[i]
    if token.feats:
        return token.feats.get("Case") == "Gen" and token.pos in ("NOUN", "ADJ", "DET", "PROPN", "NUM")
    from .tense import ukrainian_parse

    parsed = ukrainian_parse(words.folded[i])
    return parsed is not None and "gent" in parsed.tag and parsed.tag.POS in ("NOUN", "ADJF", "NPRO", "NUMR")


# --- shifts, durations, vague references ---------------------------------------------


def quantity_of(match: Match) -> str | None:
    quantity = match.get("QUANT")
    if quantity is None:
        return None
    half = match.get("HALF")
    if half and quantity != "X":
        return format_number(float(quantity) + half)
    return quantity


def format_number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def build_shift(direction: int):
    def build(match: Match, words: Words, lang: str) -> Parsed | None:
        quantity = quantity_of(match)
        if quantity is None and lang == "en":
            return None  # "in days"
        if quantity == "X":  # "через несколько дней", "several days ago"
            return Parsed("ref", ref="FUTURE_REF" if direction > 0 else "PAST_REF")
        if quantity is not None and float(quantity) != int(float(quantity)):
            return None
        unit = match.get("UNIT")
        if unit not in ("D", "W", "M", "Y"):
            return None
        return Parsed("shift", quantity=quantity or "1", unit=unit, direction=direction)
    return build


def build_duration(match: Match, words: Words, lang: str) -> Parsed | None:
    quantity = quantity_of(match) or "1"
    return Parsed("duration", quantity=quantity, unit=match.get("UNIT"), mod=match.get("APPROX"))


def build_last_day(match: Match, words: Words, lang: str) -> Parsed | None:
    """"за последние сутки": one day; "последних дней" (no count) stays vague."""
    if words.folded[match.end - 1] not in DAY_AS_ONE:
        return None
    return Parsed("duration", quantity="1", unit="D")


DAY_AS_ONE = {"сутки", "суток", "доба", "добу", "доби"}  # plural-only nouns that mean one day


def build_vague(match: Match, words: Words, lang: str) -> Parsed:
    return Parsed("ref", ref=match.get("VAGUE"))
