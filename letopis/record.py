"""The article record: the contract between stages.

Every fact points back into ``Article.text`` by character offsets ``[start, end)``.
The record is plain dataclasses with a JSON round trip (``to_dict`` / ``from_dict``)
that serves the JSON Lines output, the store and Dask alike. Field-by-field
documentation lives in ``docs/record.md``; ``tests/test_record_docs.py`` keeps it true.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, get_args, get_origin, get_type_hints

SCHEMA_VERSION = "1.0"

ZONE_KINDS = ("title", "lead", "byline", "photo_credit", "body", "related", "boilerplate")
NLP_ZONE_KINDS = ("title", "lead", "body")
PUBLISHED_SOURCES = ("metadata", "text", "inferred", "none")
ENTITY_TYPES = ("PER", "ORG", "GPE", "LOC", "MISC")
MENTION_KINDS = ("name", "role", "pronoun", "metonymy")
QUOTE_KINDS = ("direct", "indirect", "mixed")
EVENT_STATUSES = (
    "occurred", "ongoing", "planned", "possible", "not_planned",
    "denied", "demanded", "conditional",
)


@dataclass
class Zone:
    """A span of ``text`` with its kind (one of ZONE_KINDS)."""

    kind: str
    start: int
    end: int
    rule: str | None = None  # the zoning rule that decided the kind (for --explain)


@dataclass
class Meta:
    lang: str | None = None  # ru, uk, en, other; None before language identification
    lang_score: float | None = None  # the detector's confidence in `lang`, 0..1
    outlet: str | None = None
    outlet_source: str | None = None  # metadata, text
    url: str | None = None
    title: str | None = None  # the title as given by metadata (HTML <title>, JSONL `title`)
    published: str | None = None  # ISO 8601 date or date-time
    published_source: str = "none"  # one of PUBLISHED_SOURCES
    author: str | None = None
    input: str | None = None  # where the article came from: a path, "-" for stdin
    input_line: int | None = None  # the line number within a JSON Lines input
    input_id: str | None = None  # the input's own id (JSONL `id`), kept as given
    input_format: str | None = None  # txt, html, jsonl
    encoding: str | None = None  # the detected encoding of the input bytes


@dataclass
class Token:
    """A word or punctuation mark with its morphology and dependency link."""

    start: int
    end: int
    text: str
    lemma: str | None = None
    pos: str | None = None  # Universal Dependencies part of speech
    feats: dict[str, str] = field(default_factory=dict)  # UD features: {"Case": "Nom"}
    head: int = 0  # 1-based index of the head token in the sentence; 0 for the root
    rel: str | None = None  # UD dependency relation


@dataclass
class Sentence:
    start: int
    end: int
    zone: str  # the kind of zone the sentence lies in (title, lead, body)
    tokens: list[Token] = field(default_factory=list)


@dataclass
class Mention:
    """One place in the text where an entity is named or referred to."""

    start: int
    end: int
    text: str
    normal: str | None = None  # this mention's own nominative form ("Байдена" -> "Байден")
    kind: str = "name"  # one of MENTION_KINDS
    ner_type: str | None = None  # the recognizer's own label (PER, LOC, ORG)
    link: str | None = None  # how it was attached to its entity (a resolver rule); "inferred:..." when guessed


@dataclass
class Role:
    text: str
    start: int | None = None
    end: int | None = None
    org: str | None = None
    country: str | None = None


@dataclass
class Entity:
    """A cluster of mentions of one real thing within the article."""

    id: str  # unique within the article: "e1", "e2", ...
    type: str  # one of ENTITY_TYPES
    name: str  # canonical, nominative
    mentions: list[Mention] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    kb_id: str | None = None  # a gazetteer id when known
    key: str | None = None  # stable across articles: kb_id, else "TYPE:lower-case name"
    stage: str | None = None  # "name@version" of the stage that made it
    country: str | None = None  # actor coding: ISO 3166 alpha-3, or an organization code (NATO, EU)
    sector: str | None = None  # actor coding: government, military, legislature, igo, business, media, ...


@dataclass
class TimeExpr:
    id: str
    start: int
    end: int
    text: str
    value: str | None = None  # ISO-TimeML style: 2021-12-21, 2022-01, 2021-SU, XXXX-12-21, PAST_REF
    mod: str | None = None  # START, END, MID, APPROX
    anchor: str | None = None  # what the value was anchored on: published, text, none
    rule: str | None = None
    stage: str | None = None


@dataclass
class Quote:
    id: str
    kind: str  # one of QUOTE_KINDS
    start: int  # the content span
    end: int
    speaker: str | None = None  # an entity id, or None where nothing resolves
    speaker_text: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    sentence_start: int | None = None
    sentence_end: int | None = None
    time: str | None = None  # a TimeExpr id
    rule: str | None = None
    stage: str | None = None


@dataclass
class Event:
    id: str
    type: str  # PLOVER category: CONSULT, THREATEN, ACCUSE, ...
    trigger_start: int
    trigger_end: int
    trigger: str
    subtype: str | None = None
    source: list[str] = field(default_factory=list)  # entity ids
    target: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    place: str | None = None  # an entity id
    time: str | None = None  # a TimeExpr id
    status: str | None = None  # one of EVENT_STATUSES
    reported_by: str | None = None  # an entity id (the speaker of the quote it sits in)
    rule: str | None = None
    stage: str | None = None


@dataclass
class Article:
    id: str
    text: str
    schema: str = SCHEMA_VERSION
    meta: Meta = field(default_factory=Meta)
    zones: list[Zone] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    stages: dict[str, str] = field(default_factory=dict)  # stage name -> version that ran

    def zone_text(self, zone: Zone) -> str:
        return self.text[zone.start:zone.end]

    def zones_of(self, *kinds: str) -> list[Zone]:
        return [zone for zone in self.zones if zone.kind in kinds]

    def to_dict(self) -> dict[str, Any]:
        return to_plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Article":
        return _from_dict(cls, data)


def normalize_newlines(text: str) -> str:
    """\\r\\n and lone \\r become \\n; nothing else changes."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


_SPACES = re.compile(r"\s+")


def article_id(text: str) -> str:
    """A stable id: the first 16 hex digits of SHA-256 over the normalized text.

    Normalized = Unicode NFC, runs of white space folded to one space, stripped,
    so the same article scraped with other line breaks or spacing gets the same id.
    """
    normalized = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:16]


def new_article(text: str, meta: Meta | None = None) -> Article:
    text = normalize_newlines(text)
    return Article(id=article_id(text), text=text, meta=meta or Meta())


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def to_plain(value):
    """Dataclasses to dicts, recursively: ``dataclasses.asdict`` without its deep copies
    (it was a tenth of the run time on the sample corpus)."""
    cls = type(value)
    if cls in (str, int, float, bool) or value is None:
        return value
    if cls is list:
        return [to_plain(item) for item in value]
    if cls is dict:
        return {key: to_plain(item) for key, item in value.items()}
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(value))
    return {name: to_plain(getattr(value, name)) for name in names}


def _from_dict(cls, data):
    return _decoder(cls)(data)


_DECODERS: dict = {}


def _decoder(hint):
    """A function turning plain JSON values into HINT (a dataclass, a list of them, an
    optional...), built once per type: ``get_type_hints`` per object was nine tenths of
    reading a record back."""
    try:
        return _DECODERS[hint]
    except (KeyError, TypeError):
        pass
    origin = get_origin(hint)
    args = [arg for arg in get_args(hint) if arg is not type(None)]
    if origin is list:
        item = _decoder(args[0])
        decode = (lambda value: None if value is None else [item(v) for v in value]) if item is not _same else _same
    elif origin is dict:
        decode = lambda value: None if value is None else dict(value)  # noqa: E731
    elif dataclasses.is_dataclass(hint):
        hints = get_type_hints(hint)
        plan = [(item.name, _decoder(hints[item.name])) for item in dataclasses.fields(hint)]

        def decode(value, cls=hint, plan=plan):
            if value is None:
                return None
            values = {}
            for name, convert in plan:
                if name in value:
                    raw = value[name]
                    values[name] = raw if convert is _same or raw is None else convert(raw)
            return cls(**values)
    elif args and len(args) == 1 and (dataclasses.is_dataclass(args[0]) or get_origin(args[0]) in (list, dict)):
        decode = _decoder(args[0])
    else:
        decode = _same
    try:
        _DECODERS[hint] = decode
    except TypeError:
        pass
    return decode


def _same(value):
    return value


def spans_of(article: Article):
    """Every (what, start, end) span in the record, for validation."""
    for zone in article.zones:
        yield "zone", zone.start, zone.end
    for sentence in article.sentences:
        yield "sentence", sentence.start, sentence.end
        for token in sentence.tokens:
            yield "token", token.start, token.end
    for entity in article.entities:
        for mention in entity.mentions:
            yield "mention", mention.start, mention.end
        for role in entity.roles:
            if role.start is not None:
                yield "role", role.start, role.end
    for quote in article.quotes:
        yield "quote", quote.start, quote.end
    for event in article.events:
        yield "event trigger", event.trigger_start, event.trigger_end
    for time in article.times:
        yield "time", time.start, time.end


def validate(article: Article) -> list[str]:
    """Problems with the record: spans out of range, unknown kinds, dangling ids."""
    problems = []
    size = len(article.text)
    for what, start, end in spans_of(article):
        if not (0 <= start <= end <= size):
            problems.append(f"{what} span [{start}, {end}) outside text of {size} chars")
    for zone in article.zones:
        if zone.kind not in ZONE_KINDS:
            problems.append(f"unknown zone kind {zone.kind!r}")
    for entity in article.entities:
        if entity.type not in ENTITY_TYPES:
            problems.append(f"unknown entity type {entity.type!r}")
        for mention in entity.mentions:
            if article.text[mention.start:mention.end] != mention.text:
                problems.append(f"mention text {mention.text!r} differs from its span")
    if article.meta.published_source not in PUBLISHED_SOURCES:
        problems.append(f"unknown published_source {article.meta.published_source!r}")
    return problems
