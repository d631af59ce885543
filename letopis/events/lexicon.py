"""The events stage's data files (letopis/data/events/*), loaded once on first use."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

FRAMES = ("joint", "directed", "speaker", "threat")
FLAGS = ("demanded_only", "ongoing_only", "per_subject", "no_condition", "singular_only", "made", "negated_act")


class EventsDataError(ValueError):
    """A data file line that does not parse; the message names the file and line."""


@dataclass(frozen=True)
class Pattern:
    """One trigger of ``triggers.tsv``."""

    words: tuple[str, ...]  # lemmas in order, or one "~stem"
    pos: str  # NOUN, VERB, ADJ or *
    type: str
    subtype: str | None
    frame: str
    flags: frozenset[str]
    dependent: tuple[str, frozenset[str]] | None = None  # (relation, lemmas) of "head>rel:a|b"

    @property
    def head(self) -> str:
        return self.words[0]

    @property
    def size(self) -> int:
        return len(self.words) + (1 if self.dependent else 0)


@dataclass
class Lexicon:
    by_lemma: dict[str, list[Pattern]] = field(default_factory=dict)  # first lemma -> patterns
    stems: list[Pattern] = field(default_factory=list)  # "~stem" patterns
    cues: dict[str, set[str]] = field(default_factory=dict)  # lemma -> kinds
    cue_stems: list[tuple[str, str]] = field(default_factory=list)  # (stem, kind)
    cue_forms: dict[str, set[str]] = field(default_factory=dict)  # exact word form -> kinds
    light_verbs: set[str] = field(default_factory=set)
    light_stems: tuple[str, ...] = ()
    countries: dict[str, str] = field(default_factory=dict)  # name -> ISO alpha-3
    organizations: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (code, sector)
    organization_rows: dict[str, str] = field(default_factory=dict)  # name -> first name of its row
    city_organizations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    actor_words: dict[str, str] = field(default_factory=dict)  # lemma -> ISO alpha-3
    sectors: list[tuple[str, str]] = field(default_factory=list)
    kb_sectors: dict[str, str] = field(default_factory=dict)  # gazetteer kind -> sector
    enumeration_items: dict[str, str] = field(default_factory=dict)
    subtype_modifiers: dict[str, str] = field(default_factory=dict)
    subtype_stems: list[tuple[str, str]] = field(default_factory=list)
    not_triggers: set[tuple[str, str]] = field(default_factory=set)  # (words before, lemma)


def read_rows(name: str, columns: int, folder: str = "events") -> list[tuple[int, list[str]]]:
    text = resources.files("letopis.data").joinpath(folder, name).read_text(encoding="utf-8")
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) > columns or not cells[0]:
            raise EventsDataError(f"letopis/data/{folder}/{name}:{number}: expected at most {columns} tab-separated columns")
        rows.append((number, cells + [""] * (columns - len(cells))))
    return rows


def parse_pattern(number: int, cells: list[str]) -> Pattern:
    text, pos, type_, subtype, frame, flags = cells
    where = f"letopis/data/events/triggers.tsv:{number}"
    if frame not in FRAMES or pos not in ("NOUN", "VERB", "ADJ", "*") or not type_:
        raise EventsDataError(f"{where}: bad pos, type or frame")
    flag_set = frozenset(f.strip() for f in flags.split(",") if f.strip())
    if flag_set - set(FLAGS):
        raise EventsDataError(f"{where}: unknown flags {sorted(flag_set - set(FLAGS))}")
    dependent = None
    if ">" in text:
        text, _, rest = text.partition(">")
        relation, _, lemmas = rest.partition(":")
        dependent = (relation, frozenset(lemmas.split("|")))
    return Pattern(tuple(text.split()), pos, type_, subtype or None, frame, flag_set, dependent)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    lex = Lexicon()
    for number, cells in read_rows("triggers.tsv", 6):
        pattern = parse_pattern(number, cells)
        if pattern.head.startswith("~"):
            lex.stems.append(pattern)
        else:
            lex.by_lemma.setdefault(pattern.head, []).append(pattern)
    for _, (cue, kind) in read_rows("status_cues.tsv", 2):
        if cue.startswith("~"):
            lex.cue_stems.append((cue[1:], kind))
        elif cue.startswith("="):
            lex.cue_forms.setdefault(cue[1:], set()).add(kind)
        else:
            lex.cues.setdefault(cue, set()).add(kind)
    light = [cells[0] for _, cells in read_rows("light_verbs.txt", 1)]
    lex.light_verbs = {w for w in light if not w.startswith("~")}
    lex.light_stems = tuple(w[1:] for w in light if w.startswith("~"))
    for _, (code, names) in read_rows("countries.tsv", 2):
        for name in names.split("|"):
            lex.countries[name] = code
    for _, (names, code, sector) in read_rows("organizations.tsv", 3):
        for name in names.split("|"):
            lex.organizations[name] = (code, sector)
            lex.organization_rows[name] = "org:" + names.split("|")[0]
    lex.city_organizations = {c[0]: tuple(c[1].split("|")) for _, c in read_rows("city_organizations.tsv", 2)}
    lex.actor_words = {c[0]: c[1] for _, c in read_rows("country_adjectives.tsv", 2, "resolve")}
    lex.actor_words.update({c[0]: c[1] for _, c in read_rows("actor_words.tsv", 2)})
    lex.sectors = [(c[0], c[1]) for _, c in read_rows("sectors.tsv", 2)]
    lex.kb_sectors = {c[0]: c[1] for _, c in read_rows("kb_sectors.tsv", 2)}
    lex.enumeration_items = {c[0]: c[1] for _, c in read_rows("enumeration_items.tsv", 2)}
    for _, (word, subtype) in read_rows("subtype_modifiers.tsv", 2):
        if word.startswith("~"):
            lex.subtype_stems.append((word[1:], subtype))
        else:
            lex.subtype_modifiers[word] = subtype
    lex.not_triggers = {(c[0], c[1]) for _, c in read_rows("not_triggers.tsv", 2)}
    return lex


def cue_kinds(token) -> set[str]:
    """The status cue kinds of a token (by lemma, or by word form for "~stem" cues)."""
    lex = lexicon()
    kinds = set(lex.cues.get((token.lemma or "").lower(), ()))
    form = token.text.lower()
    kinds.update(lex.cue_forms.get(form, ()))
    kinds.update(kind for stem, kind in lex.cue_stems if form.startswith(stem))
    return kinds


def is_light_verb(token) -> bool:
    lex = lexicon()
    return (token.lemma or "").lower() in lex.light_verbs or token.text.lower().startswith(lex.light_stems)
