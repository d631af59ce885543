"""The gazetteer of actors: countries, capitals, organizations and people, with their
names in Russian, Ukrainian and English, Wikidata ids and dated roles.

Data, not code: JSON Lines files in ``letopis/data/gazetteer/`` (format in
``docs/gazetteer.md``). ``load_gazetteer(extra_paths)`` reads the shipped files, then the
user's files, whose entries add to or replace (same id) the shipped ones, validates the
whole and builds the indexes. Nothing is loaded at import; ``shared_gazetteer()`` loads
the shipped set once per process.

Lookups: ``by_name`` (normalised: case, ё, apostrophes, dashes; then a ru/uk letter
folding when the exact form is unknown), ``by_surname``, ``holders`` (who held a role on
a date: the caller links only when exactly one), ``roles_for_title``.
"""

from __future__ import annotations

import calendar
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path

SHIPPED_FILES = ("countries.jsonl", "organizations.jsonl", "persons.jsonl")
ROLES_FILE = "roles.jsonl"
LETTERS_FILE = "ru_uk_letters.tsv"

ID_PREFIXES = {"PER": "per", "ORG": "org", "GPE": "gpe", "LOC": "loc"}
KINDS = {
    "GPE": {"country", "city", "region"},
    "LOC": {"region", "place", "facility"},
    "ORG": {"international", "government", "parliament", "military", "security_service",
            "company", "party", "media", "other"},
    "PER": set(),
}
COMMON_FIELDS = {"id", "type", "name", "aliases", "wikidata", "country", "kind", "note",
                 "metonymy_for", "part_of"}
TYPE_FIELDS = {
    "GPE": COMMON_FIELDS | {"capital", "capital_of", "adjectives"},
    "LOC": COMMON_FIELDS,
    "ORG": COMMON_FIELDS,
    "PER": COMMON_FIELDS | {"gender", "surname", "roles"},
}
ROLE_FIELDS = {"role", "title", "org", "country", "from", "to", "acting", "note"}
ROLE_DEF_FIELDS = {"role", "description", "heads_org", "generic", "needs_org", "many_holders", "titles",
                   "country_titles", "org_titles"}

ID_RE = re.compile(r"^(per|org|gpe|loc):[A-Za-z0-9_.\-]+$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")
WIKIDATA_RE = re.compile(r"^Q[1-9][0-9]*$")
COUNTRY_RE = re.compile(r"^[A-Z]{3}$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
ROMAN_RE = re.compile(r"^[IVXLC]+$")


class GazetteerError(ValueError):
    """Invalid gazetteer data. ``problems`` lists each as "file:line: what is wrong"."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid gazetteer:\n" + "\n".join(problems))


# --- records -------------------------------------------------------------------------


@dataclass(frozen=True)
class Tenure:
    """One role held over a period. Dates are ISO with year, month or day precision;
    ``end`` None: still held (as far as the data knows)."""

    role: str
    start: str
    end: str | None = None
    title: dict[str, str] = field(default_factory=dict)
    org: str | None = None
    country: str | None = None
    acting: bool = False
    note: str | None = None

    def possible_on(self, on: date) -> bool:
        """Held on ``on`` as far as the precision of the dates allows."""
        return first_day(self.start) <= on and (self.end is None or on <= last_day(self.end))


@dataclass
class Entry:
    id: str
    type: str  # PER, ORG, GPE, LOC
    names: dict[str, str]  # language -> canonical name
    aliases: dict[str, list[str]] = field(default_factory=dict)
    wikidata: str | None = None
    country: str | None = None  # ISO 3166 alpha-3
    kind: str | None = None
    gender: str | None = None  # m, f
    surnames: dict[str, list[str]] = field(default_factory=dict)  # explicit; else derived
    roles: list[Tenure] = field(default_factory=list)
    capital: str | None = None
    capital_of: str | None = None
    adjectives: dict[str, list[str]] = field(default_factory=dict)
    metonymy_for: list[str] = field(default_factory=list)
    part_of: str | None = None
    note: str | None = None
    source: str = ""  # "file:line" it came from

    def name(self, lang: str = "ru") -> str:
        """The canonical name in ``lang``, else in ru, en, uk, else any."""
        for key in (lang, "ru", "en", "uk"):
            if key in self.names:
                return self.names[key]
        return next(iter(self.names.values()))

    def all_names(self, lang: str | None = None) -> list[str]:
        langs = [lang] if lang else list(dict.fromkeys([*self.names, *self.aliases]))
        found = []
        for key in langs:
            found += ([self.names[key]] if key in self.names else []) + self.aliases.get(key, [])
        return found

    def surname_forms(self) -> dict[str, list[str]]:
        """Surnames by language: the explicit ``surname`` field, else the last word of
        each canonical name (none for one-word names and regnal numbers: "Карл III")."""
        if self.surnames:
            return self.surnames
        forms = {}
        for lang, name in self.names.items():
            words = name.split()
            if len(words) > 1 and not ROMAN_RE.match(words[-1]):
                forms[lang] = [words[-1]]
        return forms

    @property
    def is_country(self) -> bool:
        return self.type == "GPE" and self.kind == "country"


@dataclass(frozen=True)
class RoleDef:
    """A role key with the title words that name it (roles.jsonl)."""

    key: str
    description: str = ""
    heads_org: bool = False  # the holder heads the role's organization
    generic: bool = False  # with an organization: whoever heads it
    needs_org: bool = False  # resolvable only with an organization ("представитель" alone is anyone's)
    many_holders: bool = False  # several at once in one country: the gazetteer never lists them all
    titles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    country_titles: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    org_titles: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)


@dataclass(frozen=True)
class TitleMatch:
    role: str
    country: str | None = None  # implied by a country-specific title ("госсекретарь" -> USA)
    org: str | None = None  # implied by an organization-specific title


# --- normalisation -------------------------------------------------------------------

_APOSTROPHES = dict.fromkeys(map(ord, "’ʼ`′‘ʹ"), "'")
_DASHES = re.compile(r"\s*[\u2010-\u2015\u2212-]\s*")
_QUOTES = re.compile(r"[«»“”„\"]")
_SPACES = re.compile(r"\s+")


def normalize_name(text: str) -> str:
    """Lower case, ё -> е, one apostrophe, one unspaced hyphen, no quotes, single spaces."""
    text = unicodedata.normalize("NFC", text).lower().replace("ё", "е").translate(_APOSTROPHES)
    text = _DASHES.sub("-", _QUOTES.sub("", text))
    return _SPACES.sub(" ", text).strip()


def load_letters() -> dict[int, str]:
    """The ru/uk letter folding table (ru_uk_letters.tsv) for ``str.translate``."""
    table = {}
    for line in _data_text(LETTERS_FILE).splitlines():
        if line.strip() and not line.startswith("#"):
            letter, _, replacement = line.partition("\t")
            table[ord(letter)] = replacement
    return table


# --- dates ---------------------------------------------------------------------------


def first_day(value: str) -> date:
    year, month, day = _date_parts(value)
    return date(year, month or 1, day or 1)


def last_day(value: str) -> date:
    year, month, day = _date_parts(value)
    month = month or 12
    return date(year, month, day or calendar.monthrange(year, month)[1])


def _date_parts(value: str) -> tuple[int, int | None, int | None]:
    match = DATE_RE.match(value)
    year, month, day = match.groups()
    return int(year), int(month) if month else None, int(day) if day else None


def is_iso_date(value) -> bool:
    if not isinstance(value, str) or not DATE_RE.match(value):
        return False
    try:
        first_day(value), last_day(value)
    except ValueError:
        return False
    return True


def as_date(on) -> date:
    if isinstance(on, datetime):
        return on.date()
    if isinstance(on, date):
        return on
    return date.fromisoformat(str(on)[:10])


# --- the gazetteer -------------------------------------------------------------------


class Gazetteer:
    """Entries by id with name, surname, country and role indexes built once."""

    def __init__(self, entries: dict[str, Entry], role_defs: dict[str, RoleDef],
                 letters: dict[int, str], sources: list[str]):
        self.entries = entries
        self.role_defs = role_defs
        self.sources = sources
        self._letters = letters
        self._names = _index(((n, e.id, lang) for e in entries.values()
                              for lang in _langs(e) for n in e.all_names(lang)), normalize_name)
        self._skeletons = _index(((n, i, lang) for n, rows in self._names.items()
                                  for i, lang in rows), self._skeleton)
        self._surnames = _index(((s, e.id, lang) for e in entries.values() if e.type == "PER"
                                 for lang, forms in e.surname_forms().items() for s in forms), normalize_name)
        self._surname_skeletons = _index(((n, i, lang) for n, rows in self._surnames.items()
                                          for i, lang in rows), self._skeleton)
        self._countries = {e.country: e for e in entries.values() if e.is_country}
        self._tenures: dict[str, list[tuple[Entry, Tenure]]] = {}
        for entry in entries.values():
            for tenure in entry.roles:
                self._tenures.setdefault(tenure.role, []).append((entry, tenure))
        self._titles = self._title_index()

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries.values())

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    def country(self, code: str) -> Entry | None:
        """The country entry for an ISO alpha-3 code."""
        return self._countries.get(code)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self.entries.values():
            counts[entry.type] = counts.get(entry.type, 0) + 1
        return counts

    # --- names ---

    def by_name(self, name: str, lang: str | None = None) -> list[Entry]:
        """Entries with this name or alias (normalised), preferring ``lang``'s names. A
        single word that is no name is tried as a person's surname ("Блинкен"). Where
        nothing matches exactly, Russian and Ukrainian spellings are folded together
        (Блинкен / Блінкен, Зеленский / Зеленський)."""
        key = normalize_name(name)
        one_word = " " not in key
        tiers = [(self._names, False), (self._surnames, False) if one_word else None,
                 (self._skeletons, True), (self._surname_skeletons, True) if one_word else None]
        return self._lookup(key, lang, [t for t in tiers if t])

    def by_surname(self, surname: str, lang: str | None = None) -> list[Entry]:
        """Persons with this surname (nominative: inflected forms are the resolver's job)."""
        key = normalize_name(surname)
        return self._lookup(key, lang, [(self._surnames, False), (self._surname_skeletons, True)])

    def _lookup(self, key: str, lang, tiers) -> list[Entry]:
        rows = []
        for index, folded in tiers:
            rows = index.get(self._skeleton(key) if folded else key, [])
            if rows:
                break
        preferred = [i for i, row_lang in rows if row_lang == lang] if lang else []
        ids = preferred or [i for i, _ in rows]
        return [self.entries[i] for i in dict.fromkeys(ids)]

    def _skeleton(self, normal: str) -> str:
        return normal.translate(self._letters)

    # --- roles ---

    def holders(self, role_key: str, country: str | None = None, org: str | None = None,
                on=None, known: bool = False) -> list[Entry]:
        """Everyone who may have held the role on ``on`` (a date or ISO string; None: at
        any time), in ``country`` and ``org`` when given. ``org`` is an id or a name of
        an organization, and takes in the bodies that are part of it; with a generic key
        ("head", "chair", "head_of_state") it also finds whoever heads that organization
        itself. Several results: the caller links none.

        Nobody is returned for a role that needs an organization when none is given
        ("представитель России"), nor for a role that many hold at once (deputies,
        assistants, ambassadors): the gazetteer cannot list them all. ``known=True``
        returns the holders it knows even then."""
        definition = self.role_defs.get(role_key)
        if definition is None:
            return []
        if not known and (definition.many_holders or (definition.needs_org and org is None)):
            return []
        if org is not None:
            org = self._org_id(org)
            if org is None:
                return []  # an organization we cannot identify: nobody, precision first
        day = as_date(on) if on is not None else None
        found = [entry for entry, tenure in self._candidates(role_key, org)
                 if (country is None or tenure.country == country)
                 and (day is None or tenure.possible_on(day))]
        return list({entry.id: entry for entry in found}.values())

    def _candidates(self, role_key: str, org: str | None):
        """Tenures of the role (at ``org`` or a body that is part of it: "пресс-секретарь
        Кремля"); with a generic key, the role or any head of ``org`` itself ("глава
        МАГАТЭ", while "глава ЕС" finds nobody)."""
        definition = self.role_defs.get(role_key)
        generic = definition is not None and definition.generic
        for entry, tenure in self._tenures.get(role_key, []):
            if org is None or org == tenure.org or (not generic and org in self._ancestors(tenure.org)):
                yield entry, tenure
        if org is None or not generic:
            return
        for key, tenures in self._tenures.items():
            if key != role_key and self.role_defs[key].heads_org:
                yield from ((e, t) for e, t in tenures if t.org == org)

    def _ancestors(self, org_id: str | None) -> list[str]:
        """The organizations ``org_id`` is part of, nearest first."""
        found: list[str] = []
        entry = self.entries.get(org_id) if org_id else None
        while entry is not None and entry.part_of and entry.part_of not in found:
            found.append(entry.part_of)
            entry = self.entries.get(entry.part_of)
        return found

    def _org_id(self, org: str) -> str | None:
        if org in self.entries:
            return org
        matches = [e.id for e in self.by_name(org) if e.type == "ORG"]
        return matches[0] if len(matches) == 1 else None

    def roles_for_title(self, title: str, country: str | None = None) -> list[TitleMatch]:
        """Role keys whose title words are ``title`` ("госсекретарь" -> foreign_minister
        in USA). Country-specific titles match only that country when one is given."""
        found = self._titles.get(normalize_name(title), [])
        return [m for m in found if country is None or m.country in (None, country)]

    def _title_index(self) -> dict[str, list[TitleMatch]]:
        index: dict[str, list[TitleMatch]] = {}
        for key, definition in self.role_defs.items():
            pairs = [(t, TitleMatch(key)) for ts in definition.titles.values() for t in ts]
            pairs += [(t, TitleMatch(key, country=c)) for c, by_lang in definition.country_titles.items()
                      for ts in by_lang.values() for t in ts]
            pairs += [(t, TitleMatch(key, org=o)) for o, by_lang in definition.org_titles.items()
                      for ts in by_lang.values() for t in ts]
            for text, match in pairs:
                bucket = index.setdefault(normalize_name(text), [])
                if match not in bucket:
                    bucket.append(match)
        return index


def _langs(entry: Entry) -> list[str]:
    return list(dict.fromkeys([*entry.names, *entry.aliases]))


def _index(rows, key) -> dict[str, list[tuple[str, str]]]:
    index: dict[str, list[tuple[str, str]]] = {}
    for text, entry_id, lang in rows:
        bucket = index.setdefault(key(text), [])
        if (entry_id, lang) not in bucket:
            bucket.append((entry_id, lang))
    return index


# --- loading -------------------------------------------------------------------------


def load_gazetteer(extra_paths=()) -> Gazetteer:
    """The shipped gazetteer, then each user file in order: an entry whose id is already
    known replaces it, others are added. Raises GazetteerError listing every problem."""
    role_defs, shipped, shipped_problems = _shipped_layer()
    problems = list(shipped_problems)
    entries = dict(shipped)
    for path in extra_paths:
        _merge(entries, _read_jsonl(str(path), _read_user_file(path, problems), problems),
               problems, role_defs)
    _check_references(entries, role_defs, problems)
    if problems:
        raise GazetteerError(problems)
    sources = [_shipped_label(name) for name in SHIPPED_FILES] + [str(path) for path in extra_paths]
    return Gazetteer({i: _to_entry(row, where) for i, (row, where) in entries.items()}, role_defs,
                     load_letters(), sources)


@lru_cache(maxsize=1)
def _shipped_layer() -> tuple[dict[str, RoleDef], dict[str, tuple[dict, str]], tuple[str, ...]]:
    """The role keys and the shipped entries, read and checked once per process."""
    problems: list[str] = []
    role_defs = _load_role_defs(problems)
    entries: dict[str, tuple[dict, str]] = {}
    rows = [row for name in SHIPPED_FILES
            for row in _read_jsonl(_shipped_label(name), _data_text(name), problems)]
    _merge(entries, rows, problems, role_defs)
    return role_defs, entries, tuple(problems)


def _shipped_label(name: str) -> str:
    return f"letopis/data/gazetteer/{name}"


@lru_cache(maxsize=8)
def shared_gazetteer(extra_paths: tuple = ()) -> Gazetteer:
    """The gazetteer (shipped + ``extra_paths``), loaded once per process."""
    return load_gazetteer(extra_paths)


def _data_text(name: str) -> str:
    return resources.files("letopis.data").joinpath("gazetteer", name).read_text(encoding="utf-8")


def _read_user_file(path, problems: list[str]) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(f"{path}: cannot read: {error}")
        return ""


def _read_jsonl(label: str, text: str, problems: list[str]) -> list[tuple[dict, str]]:
    """(object, "file:line") for each non-blank, non-comment line; bad lines are reported."""
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        where = f"{label}:{number}"
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"{where}: bad JSON: {error.msg} (column {error.colno})")
            continue
        if not isinstance(value, dict):
            problems.append(f"{where}: expected a JSON object, got {type(value).__name__}")
            continue
        rows.append((value, where))
    return rows


def _merge(entries: dict[str, tuple[dict, str]], rows, problems: list[str], role_defs) -> None:
    """Validates each row; within one layer (the shipped files, or one user file) an id
    may appear once; across layers the later one replaces the earlier."""
    seen: dict[str, str] = {}
    for row, where in rows:
        found = check_entry(row, role_defs)
        problems += [f"{where}: {problem}" for problem in found]
        if found:
            continue
        entry_id = row["id"]
        if entry_id in seen:
            problems.append(f"{where}: duplicate id {entry_id!r} (first at {seen[entry_id]})")
            continue
        seen[entry_id] = where
        entries[entry_id] = (row, where)


# --- validation ----------------------------------------------------------------------


def check_entry(row: dict, role_defs: dict[str, RoleDef]) -> list[str]:
    """Problems with one entry on its own (references are checked after merging)."""
    entry_id, type_ = row.get("id"), row.get("type")
    if not isinstance(entry_id, str) or not entry_id:
        return ["missing id"]
    if not ID_RE.match(entry_id):
        return [f"bad id {entry_id!r} (expected per:, org:, gpe: or loc: and letters, digits, _ . -)"]
    if type_ not in ID_PREFIXES:
        return [f"{entry_id}: missing type" if type_ is None else
                f"{entry_id}: unknown type {type_!r} (expected one of {', '.join(ID_PREFIXES)})"]
    problems = _check_shape(row, type_)
    if not entry_id.startswith(ID_PREFIXES[type_] + ":"):
        problems.append(f"id {entry_id!r} does not match type {type_} (expected {ID_PREFIXES[type_]}:...)")
    for number, role in enumerate(row.get("roles") or [], 1):
        problems += [f"role {number}: {p}" for p in check_tenure(role, role_defs)]
    return [f"{entry_id}: {problem}" for problem in problems]


def _check_shape(row: dict, type_: str) -> list[str]:
    problems = [f"unknown field {name!r} (allowed for {type_}: {', '.join(sorted(TYPE_FIELDS[type_]))})"
                for name in row if name not in TYPE_FIELDS[type_]]
    problems += _check_names(row)
    problems += _check_fields(row, type_)
    return problems


def _check_names(row: dict) -> list[str]:
    names = row.get("name")
    if not isinstance(names, dict) or not names:
        return ['missing name (an object of language -> name, e.g. {"ru": "...", "en": "..."})']
    problems = [f"name in {lang!r}: expected a language code and a non-empty string"
                for lang, value in names.items() if not LANG_RE.match(lang) or not _text(value)]
    for field_name in ("aliases", "adjectives", "surname"):
        value = row.get(field_name)
        if value is not None and not _lang_lists(value):
            problems.append(f"{field_name}: expected an object of language -> list of strings")
    return problems


def _check_fields(row: dict, type_: str) -> list[str]:
    problems = []
    if row.get("wikidata") is not None and not WIKIDATA_RE.match(str(row["wikidata"])):
        problems.append(f"bad wikidata id {row['wikidata']!r} (expected Q and digits, or null)")
    if row.get("country") is not None and not COUNTRY_RE.match(str(row["country"])):
        problems.append(f"bad country {row['country']!r} (expected ISO 3166 alpha-3, e.g. USA)")
    if row.get("gender") not in (None, "m", "f"):
        problems.append(f"bad gender {row['gender']!r} (expected m or f)")
    kind = row.get("kind")
    if kind is not None and kind not in KINDS[type_]:
        problems.append(f"unknown kind {kind!r} for {type_} (expected one of {', '.join(sorted(KINDS[type_]))})")
    if type_ == "GPE" and kind is None:
        problems.append("missing kind (country, city or region)")
    if kind == "country" and row.get("country") is None:
        problems.append("a country needs its ISO alpha-3 code in 'country'")
    for name in ("capital", "capital_of", "part_of"):
        if row.get(name) is not None and not _is_id(row[name]):
            problems.append(f"{name}: expected an entry id, got {row[name]!r}")
    links = row.get("metonymy_for")
    if links is not None and (not isinstance(links, list) or not all(_is_id(x) for x in links)):
        problems.append("metonymy_for: expected a list of entry ids")
    if row.get("roles") is not None and not isinstance(row["roles"], list):
        problems.append("roles: expected a list")
    return problems


def check_tenure(role, role_defs: dict[str, RoleDef]) -> list[str]:
    if not isinstance(role, dict):
        return ["expected an object"]
    problems = [f"unknown field {name!r} (allowed: {', '.join(sorted(ROLE_FIELDS))})"
                for name in role if name not in ROLE_FIELDS]
    key = role.get("role")
    if key is None:
        problems.append("missing role key")
    elif key not in role_defs:
        problems.append(f"unknown role key {key!r} (see roles.jsonl)")
    title = role.get("title")
    if title is not None and (not isinstance(title, dict) or not all(_text(v) for v in title.values())):
        problems.append("title: expected an object of language -> string")
    if role.get("org") is not None and not _is_id(role["org"]):
        problems.append(f"org: expected an entry id, got {role['org']!r}")
    if role.get("country") is not None and not COUNTRY_RE.match(str(role["country"])):
        problems.append(f"bad country {role['country']!r} (expected ISO 3166 alpha-3)")
    if not isinstance(role.get("acting", False), bool):
        problems.append("acting: expected true or false")
    return problems + _check_period(role.get("from"), role.get("to"))


def _check_period(start, end) -> list[str]:
    problems = []
    if start is None:
        problems.append("missing 'from' date")
    elif not is_iso_date(start):
        problems.append(f"'from' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {start!r}")
    if end is not None and not is_iso_date(end):
        problems.append(f"'to' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {end!r}")
    if not problems and end is not None and first_day(start) > last_day(end):
        problems.append(f"'from' {start} is after 'to' {end}")
    return problems


def _check_references(entries: dict[str, tuple[dict, str]], role_defs, problems: list[str]) -> None:
    countries = {row["country"] for row, _ in entries.values() if row.get("kind") == "country"}
    for entry_id, (row, where) in entries.items():
        for what, target in _references(row):
            if target not in entries:
                problems.append(f"{where}: {entry_id}: {what}: unknown id {target!r}")
        for what, code in _country_codes(row):
            if code not in countries:
                problems.append(f"{where}: {entry_id}: {what}: unknown country {code!r}")
    for definition in role_defs.values():
        for code in definition.country_titles:
            if code not in countries:
                problems.append(f"{ROLES_FILE}: {definition.key}: country_titles: unknown country {code!r}")
        for org in definition.org_titles:
            if org not in entries:
                problems.append(f"{ROLES_FILE}: {definition.key}: org_titles: unknown id {org!r}")


def _references(row: dict):
    for name in ("capital", "capital_of", "part_of"):
        if row.get(name):
            yield name, row[name]
    for target in row.get("metonymy_for") or []:
        yield "metonymy_for", target
    for number, role in enumerate(row.get("roles") or [], 1):
        if role.get("org"):
            yield f"role {number}: org", role["org"]


def _country_codes(row: dict):
    if row.get("country"):
        yield "country", row["country"]
    for number, role in enumerate(row.get("roles") or [], 1):
        if role.get("country"):
            yield f"role {number}: country", role["country"]


def _is_id(value) -> bool:
    return isinstance(value, str) and bool(ID_RE.match(value))


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _lang_lists(value) -> bool:
    return isinstance(value, dict) and all(
        LANG_RE.match(lang) and (_text(items) or (isinstance(items, list) and all(_text(i) for i in items)))
        for lang, items in value.items())


# --- conversion ----------------------------------------------------------------------


def _to_entry(row: dict, source: str) -> Entry:
    return Entry(
        id=row["id"], type=row["type"], names=dict(row["name"]),
        aliases=_lists(row.get("aliases")), wikidata=row.get("wikidata"),
        country=row.get("country"), kind=row.get("kind"), gender=row.get("gender"),
        surnames=_lists(row.get("surname")), roles=[_to_tenure(r) for r in row.get("roles") or []],
        capital=row.get("capital"), capital_of=row.get("capital_of"),
        adjectives=_lists(row.get("adjectives")), metonymy_for=list(row.get("metonymy_for") or []),
        part_of=row.get("part_of"), note=row.get("note"), source=source,
    )


def _to_tenure(role: dict) -> Tenure:
    return Tenure(role=role["role"], start=role["from"], end=role.get("to"),
                  title=dict(role.get("title") or {}), org=role.get("org"),
                  country=role.get("country"), acting=role.get("acting", False), note=role.get("note"))


def _lists(value) -> dict[str, list[str]]:
    return {lang: [items] if isinstance(items, str) else list(items) for lang, items in (value or {}).items()}


def _load_role_defs(problems: list[str]) -> dict[str, RoleDef]:
    definitions: dict[str, RoleDef] = {}
    for row, where in _read_jsonl(_shipped_label(ROLES_FILE), _data_text(ROLES_FILE), problems):
        found = _check_role_def(row)
        if found or row["role"] in definitions:
            problems += [f"{where}: {p}" for p in found or [f"duplicate role key {row['role']!r}"]]
            continue
        definitions[row["role"]] = RoleDef(
            key=row["role"], description=row.get("description", ""),
            heads_org=row.get("heads_org", False), generic=row.get("generic", False),
            needs_org=row.get("needs_org", False), many_holders=row.get("many_holders", False),
            titles=_tuples(row.get("titles")),
            country_titles={c: _tuples(t) for c, t in (row.get("country_titles") or {}).items()},
            org_titles={o: _tuples(t) for o, t in (row.get("org_titles") or {}).items()},
        )
    return definitions


def _check_role_def(row: dict) -> list[str]:
    if not isinstance(row.get("role"), str) or not re.match(r"^[a-z_]+$", row["role"]):
        return ["missing or bad role key (lower case letters and _)"]
    problems = [f"unknown field {name!r}" for name in row if name not in ROLE_DEF_FIELDS]
    if not _lang_lists(row.get("titles") or {}):
        problems.append("titles: expected an object of language -> list of strings")
    return [f"{row['role']}: {p}" for p in problems]


def _tuples(value) -> dict[str, tuple[str, ...]]:
    return {lang: tuple(items) for lang, items in (value or {}).items()}
