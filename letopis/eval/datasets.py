"""Readers for annotated NER data: each turns one format into ``GoldDoc`` records.

A ``GoldDoc`` holds the document text exactly as the offsets count it (UTF-8, a BOM
dropped, CR LF folded to LF with the offsets moved along) and two lists of spans:

- ``mentions``: the gold that is scored, ``(start, end, type)`` with type PER, ORG or
  LOC, each the outermost of its kind (natasha and letopis tag flat spans);
- ``ignored``: annotations that are neither credited nor penalised: other types
  (``"PRO"``, ``"FACILITY"``) and mapped mentions nested inside another mapped
  mention (``"nested LOC"``). A prediction exactly on one of them is not counted.

For ``letopis eval entities`` the SlavicNER and factRuEval readers also fill
``GoldDoc.entities``: every gold mention (nested ones and all types included) as a
``GoldMention`` with its base form and its gold entity (SlavicNER's cross-lingual id;
factRuEval's ``.coref`` group).

The mapping of each dataset's types and the reasons are in docs/eval.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

Span = tuple[int, int, str]  # start, end (exclusive), type or label

TYPES = ("PER", "ORG", "LOC")
FORMATS = ("factru", "slavicner", "nerel")

# factRuEval-2016 objects; LocOrg merged into LOC as in the official "LocOrg as LOC" setting.
FACTRU_TYPES = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}
# In the "name" variant (natasha's naeval protocol) these span types make an object's names.
FACTRU_NAME_SPANS = {"Org": ("org_name",), "Location": ("loc_name",), "LocOrg": ("loc_name",)}
SLAVICNER_TYPES = {"PER": "PER", "ORG": "ORG", "LOC": "LOC"}  # PRO and EVT are ignored
NEREL_TYPES = {
    "PERSON": "PER", "ORGANIZATION": "ORG", "COUNTRY": "LOC", "CITY": "LOC",
    "STATE_OR_PROVINCE": "LOC", "LOCATION": "LOC", "DISTRICT": "LOC",
}


class DatasetError(Exception):
    """The path does not hold the format asked for, or an annotation is broken."""


Extent = tuple[int, int, str | None]  # start, end, the base form of the text there (None: unknown)


@dataclass
class GoldMention:
    """A gold mention for the entity eval: extent, type, base form and entity."""

    start: int
    end: int
    type: str  # PER, ORG, LOC, or the dataset's own label where unmapped (PRO, EVT, Project)
    lemma: str | None  # the base form of text[start:end] where the gold gives one
    entity: str | None  # gold entity: SlavicNER's cross-lingual id, factRuEval "doc:coref id"
    alternatives: tuple[Extent, ...] = ()  # other extents naming it (factRuEval name spans)

    def extents(self) -> list[Extent]:
        return [(self.start, self.end, self.lemma), *self.alternatives]


@dataclass
class GoldDoc:
    id: str
    text: str
    mentions: list[Span] = field(default_factory=list)
    ignored: list[Span] = field(default_factory=list)
    lang: str = "ru"
    entities: list[GoldMention] = field(default_factory=list)  # slavicner, factru: for eval entities


def read_dataset(format: str, path: str | Path, lang: str = "ru", limit: int | None = None,
                 factru_spans: str = "object") -> list[GoldDoc]:
    """The documents of a dataset, in a stable order, at most ``limit`` of them."""
    path = Path(path)
    if not path.exists():
        raise DatasetError(f"{path} does not exist")
    if format == "factru":
        docs = read_factru(path, limit, factru_spans)
    elif format == "slavicner":
        docs = read_slavicner(path, lang, limit)
    elif format == "nerel":
        docs = read_nerel(path, limit)
    else:
        raise DatasetError(f"unknown format {format!r}; one of {', '.join(FORMATS)}")
    if not docs:
        raise DatasetError(f"no {format} documents found under {path}")
    return docs


# --- shared helpers ---------------------------------------------------------------


def natural_key(path: Path) -> list:
    """book_2 before book_10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", str(path))]


def read_text(path: Path) -> str:
    """UTF-8 as stored: a BOM dropped, line ends kept (offsets count them)."""
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return stream.read()


def fold_newlines(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """CR LF -> LF (lone CR -> LF) with every offset moved to match.

    letopis normalizes line ends on input, so offsets counted over CR LF would
    drift by one per line; this keeps gold and text in step.
    """
    if "\r" not in text:
        return text, spans
    removed = removed_before(text)
    moved = [(start - removed[start], end - removed[end], label) for start, end, label in spans]
    return text.replace("\r\n", "\n").replace("\r", "\n"), moved


def removed_before(text: str) -> list[int]:
    """For each offset of ``text`` (and its end), the CRs of CR LF before it."""
    removed, shift = [], 0
    for i, char in enumerate(text):
        removed.append(shift)
        if char == "\r" and text[i + 1:i + 2] == "\n":
            shift += 1
    removed.append(shift)
    return removed


def fold_gold_mentions(text: str, mentions: list[GoldMention]) -> list[GoldMention]:
    """``fold_newlines`` for entity-eval mentions (``text`` before folding)."""
    if "\r" not in text:
        return mentions
    removed = removed_before(text)
    move = lambda extent: (extent[0] - removed[extent[0]], extent[1] - removed[extent[1]], extent[2])  # noqa: E731
    return [replace(m, start=m.start - removed[m.start], end=m.end - removed[m.end],
                    alternatives=tuple(move(a) for a in m.alternatives)) for m in mentions]


def split_gold(annotations: list[Span], types: dict[str, str]) -> tuple[list[Span], list[Span]]:
    """(scored mentions, ignored spans): mapped types, outermost only; the rest ignored."""
    mapped = sorted({(start, end, types[label]) for start, end, label in annotations if label in types})
    outer = [span for span in mapped if not nested(span, mapped)]
    inner = [(start, end, f"nested {type_}") for start, end, type_ in mapped if nested((start, end, type_), mapped)]
    others = sorted({span for span in annotations if span[2] not in types})
    return outer, others + inner


def nested(span: Span, spans: list[Span]) -> bool:
    """Strictly inside another span of the list (a same-extent span does not count)."""
    start, end = span[0], span[1]
    return any(o_start <= start and end <= o_end and (o_start, o_end) != (start, end)
               for o_start, o_end, _ in spans)


def make_doc(id: str, text: str, annotations: list[Span], types: dict[str, str],
             lang: str = "ru", entities: list[GoldMention] = ()) -> GoldDoc:
    entities = fold_gold_mentions(text, list(entities))
    text, annotations = fold_newlines(text, annotations)
    extents = annotations + [(s, e, m.type) for m in entities for s, e, _ in m.extents()]
    for start, end, label in extents:
        if not 0 <= start < end <= len(text):
            raise DatasetError(f"{id}: span [{start}, {end}) {label} outside a text of {len(text)} chars")
    mentions, ignored = split_gold(annotations, types)
    return GoldDoc(id, text, mentions, ignored, lang, entities)


# --- factRuEval-2016 --------------------------------------------------------------


def read_factru(path: Path, limit: int | None = None, spans: str = "object") -> list[GoldDoc]:
    """``devset/`` (or its parent): ``X.txt`` + ``X.spans`` + ``X.objects``.

    ``spans="object"``: a mention runs from its object's first span to its last
    (descriptors included: "мэрии Москвы" is an Org). ``spans="name"``: Person as
    above, Org only its org_name spans, Location and LocOrg their loc_name spans.
    """
    if (path / "devset").is_dir() and not list(path.glob("*.objects")):
        path = path / "devset"
    docs = []
    for objects_path in sorted(path.glob("*.objects"), key=natural_key)[:limit]:
        stem = objects_path.with_suffix("")
        text = read_text(stem.with_suffix(".txt"))
        span_table = read_factru_spans(stem.with_suffix(".spans"))
        annotations = list(factru_mentions(objects_path, span_table, spans))
        entities = factru_gold_mentions(stem, span_table, text)
        docs.append(make_doc(stem.name, text, annotations, FACTRU_TYPES, entities=entities))
    return docs


def read_factru_spans(path: Path) -> dict[str, tuple[str, int, int]]:
    """span id -> (span type, start, end)."""
    table = {}
    for line in read_text(path).splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 4:
            span_id, type_, start, length = fields[:4]
            table[span_id] = (type_, int(start), int(start) + int(length))
    return table


def factru_mentions(path: Path, span_table: dict, mode: str):
    for line in read_text(path).splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) < 3:
            continue
        type_, parts = fields[1], [span_table[span_id] for span_id in fields[2:]]
        if mode == "name" and type_ in FACTRU_NAME_SPANS:
            for kind, start, end in parts:
                if kind in FACTRU_NAME_SPANS[type_]:
                    yield start, end, type_
        else:
            yield min(p[1] for p in parts), max(p[2] for p in parts), type_


# Person name parts: span type in .spans -> key in .coref ("surname" per the README, "lastname" in the data)
FACTRU_PERSON_PARTS = {"name": ("firstname",), "surname": ("lastname", "surname"),
                       "patronymic": ("patronymic",), "nickname": ("nickname",)}


def factru_gold_mentions(stem: Path, span_table: dict, text: str) -> list[GoldMention]:
    """Every object of ``X.objects`` with its ``.coref`` group and base form.

    The extent is the object's (first span to last); an Org, Location or LocOrg also
    has its name spans as an alternative extent ("Солидарность" of "движения
    Солидарность"). Base forms come from ``.coref``, which names entities, not
    mentions: a Person mention takes the parts its spans hold (name -> firstname,
    surname -> lastname, …: "Лужкова" -> "Лужков", "Юрия Лужкова" -> "Юрий Лужков");
    any other mention takes the ``name`` of its entity that is an inflection of its
    own words (``inflection_of``), so "США" gets no base form from an entity named
    "Соединённые Штаты". Where none fits, the base form is None (not scored). The
    six objects of the devset that no ``.coref`` group lists have entity None.
    """
    groups = read_factru_coref(stem.with_suffix(".coref"))
    mentions = []
    for line in read_text(stem.with_suffix(".objects")).splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) < 3:
            continue
        object_id, label, parts = fields[0], fields[1], [span_table[i] for i in fields[2:]]
        group_id, names = groups.get(object_id, (None, {}))  # a few objects are in no group: unknown
        start, end = min(p[1] for p in parts), max(p[2] for p in parts)
        if label == "Person":
            lemma = person_base_form(text, start, end, parts, names)
            alternatives = ()
        else:
            lemma = fitting_name(text[start:end], names.get("name", []))
            kinds = FACTRU_NAME_SPANS.get(label, ())
            named = [p for p in parts if p[0] in kinds]
            alternatives = ()
            if named and (min(p[1] for p in named), max(p[2] for p in named)) != (start, end):
                n_start, n_end = min(p[1] for p in named), max(p[2] for p in named)
                alternatives = ((n_start, n_end, fitting_name(text[n_start:n_end], names.get("name", []))),)
        mentions.append(GoldMention(start, end, FACTRU_TYPES.get(label, label), lemma,
                                    f"{stem.name}:{group_id}" if group_id else None, alternatives))
    return mentions


def read_factru_coref(path: Path) -> dict[str, tuple[str, dict[str, list[str]]]]:
    """object id -> (group id, {key: [values]}) from ``X.coref``."""
    groups = {}
    if not path.exists():
        return groups
    for record in re.split(r"\n\s*\n", read_text(path).strip()):
        lines = [line.strip() for line in record.strip().splitlines() if line.strip()]
        if not lines:
            continue
        head = lines[0].split()
        names: dict[str, list[str]] = {}
        for line in lines[1:]:
            key, _, value = line.partition(" ")
            if value.strip():
                names.setdefault(key, []).append(value.strip())
        for object_id in head[1:]:
            groups[object_id] = (head[0], names)
    return groups


def person_base_form(text: str, start: int, end: int, parts: list, names: dict) -> str | None:
    """The coref name parts of the mention's spans, in text order, each an inflection
    of its span's words (a part may have a Latin and a Cyrillic value); None for
    two-part keys (firstname1) or where a part has no fitting value. A part may take
    another key's value ("Ху Цзиньтао": the span of "Цзиньтао" is typed surname)."""
    if any(key[-1].isdigit() for key in names):
        return None
    words = []
    for kind, part_start, part_end in sorted(parts, key=lambda p: p[1]):
        own = [v for key in FACTRU_PERSON_PARTS.get(kind, ()) for v in names.get(key, [])]
        values = own + [v for keys in FACTRU_PERSON_PARTS.values() for key in keys for v in names.get(key, [])]
        value = fitting_name(text[part_start:part_end], values)  # "Пишетсридер", not "Pischetsrieder"
        if value is None:
            return None
        words.append(value)
    lemma = " ".join(words)
    return lemma if inflection_of(text[start:end], lemma) else None


def fitting_name(surface: str, names: list[str]) -> str | None:
    """The name that is most likely the base form of ``surface`` (the longest stems in
    common), among those that are an inflection of it at all."""
    fits = [name for name in names if inflection_of(surface, name)]
    return max(fits, key=lambda name: stem_overlap(surface, name), default=None)


def fold_case(word: str) -> str:
    return word.lower().replace("ё", "е")


def common_prefix(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def stem_overlap(surface: str, lemma: str) -> int:
    return sum(common_prefix(fold_case(w), fold_case(b)) for w, b in zip(surface.split(), lemma.split()))


def inflection_of(surface: str, lemma: str) -> bool:
    """Could ``lemma`` be the base form of ``surface``, word by word? The same number
    of words, each pair equal or sharing a stem: a common prefix of at least half the
    shorter word and at most three letters short of it, an abbreviation only with
    itself. "Юрию Долгорукому" / "Юрий Долгорукий", "Орла" / "Орёл"; not "США" /
    "Соединённые Штаты", "Китая" / "КНР", "России" / "РФ"."""
    words, bases = surface.split(), lemma.split()
    if len(words) != len(bases):
        return False
    for word, base in zip(words, bases):
        if word == base:
            continue
        if abbreviation(word) or abbreviation(base):
            return False
        word, base = fold_case(word), fold_case(base)
        shorter, common = min(len(word), len(base)), common_prefix(word, base)
        if word != base and (2 * common < shorter or common < shorter - 3):
            return False
    return True


def abbreviation(word: str) -> bool:
    """"РФ", "КНР", "США": two or more capitals and nothing in lower case."""
    return sum(c.isupper() for c in word) >= 2 and not any(c.islower() for c in word)


# --- SlavicNER (BSNLP) ------------------------------------------------------------


def slavicner_root(path: Path) -> tuple[Path, list[str] | None]:
    """(the folder with raw/ and ner/, the topics asked for or None for all)."""
    if (path / "raw").is_dir() and (path / "ner").is_dir():
        return path, None
    if path.parent.name in ("raw", "ner"):  # slavicner/raw/brexit
        return path.parent.parent, [path.name]
    raise DatasetError(f"{path} is neither a SlavicNER folder (raw/ and ner/) nor a topic in it")


def read_slavicner(path: Path, lang: str = "ru", limit: int | None = None) -> list[GoldDoc]:
    """``raw/<topic>/<lang>/X.txt`` with ``ner/<topic>/<lang>/X.tsv`` (offsets into X.txt)."""
    root, topics = slavicner_root(path)
    topics = topics or sorted(p.name for p in (root / "raw").iterdir() if p.is_dir())
    docs = []
    for topic in topics:
        for raw in sorted((root / "raw" / topic / lang).glob("*.txt"), key=natural_key):
            tsv = root / "ner" / topic / lang / (raw.stem + ".tsv")
            if tsv.exists():
                entities = read_slavicner_mentions(tsv)
                spans = [(m.start, m.end, m.type) for m in entities]
                docs.append(make_doc(f"{topic}/{lang}/{raw.stem}", read_text(raw),
                                     spans, SLAVICNER_TYPES, lang, entities))
            if limit is not None and len(docs) >= limit:
                return docs[:limit]
    return docs[:limit]


def read_slavicner_tsv(path: Path) -> list[Span]:
    return [(m.start, m.end, m.type) for m in read_slavicner_mentions(path)]


def read_slavicner_mentions(path: Path) -> list[GoldMention]:
    """``start end surface lemma type id`` rows; the type kept as given (PER … EVT)."""
    mentions = []
    for line in read_text(path).splitlines():
        fields = line.split("\t")
        if len(fields) >= 5 and fields[0].isdigit():
            lemma = fields[3].strip() or None
            entity = fields[5].strip() if len(fields) > 5 and fields[5].strip() else None
            mentions.append(GoldMention(int(fields[0]), int(fields[1]), fields[4], lemma, entity))
    return mentions


# --- NEREL (brat standoff) --------------------------------------------------------


def read_nerel(path: Path, limit: int | None = None) -> list[GoldDoc]:
    """``X.txt`` + ``X.ann``; ``NEREL-v1.1/`` means its ``dev/``. Discontinuous spans are skipped."""
    docs = []
    for ann in nerel_files(path, limit):
        text = read_text(ann.with_suffix(".txt"))
        docs.append(make_doc(ann.stem, text, read_brat(ann), NEREL_TYPES))
    return docs


def nerel_files(path: Path, limit: int | None = None) -> list[Path]:
    """The ``.ann`` files of a NEREL folder in natural order; ``NEREL-v1.1/`` means its ``dev/``."""
    path = Path(path)
    if (path / "dev").is_dir() and not list(path.glob("*.ann")):
        path = path / "dev"
    if not path.is_dir():
        raise DatasetError(f"{path}: not a folder")
    return sorted(path.glob("*.ann"), key=natural_key)[:limit]


def read_brat(path: Path) -> list[Span]:
    """Text-bound annotations ``T1<TAB>TYPE start end<TAB>surface``, continuous ones only."""
    return list(read_brat_ann(path)[0].values())


def read_brat_ann(path: Path) -> tuple[dict[str, Span], list[tuple[str, str, str]]]:
    """(text-bound annotations by id, continuous ones only; relations ``(TYPE, Arg1 id, Arg2 id)``).

    ``R1<TAB>TYPE Arg1:T1 Arg2:T2``; the eval of events (nerel.py) needs the ids and relations.
    """
    spans, relations = {}, []
    for line in read_text(path).splitlines():
        fields = line.split("\t")
        if len(fields) < 2:
            continue
        if line.startswith("T") and ";" not in fields[1]:  # "TYPE 0 5;7 10": discontinuous
            type_, start, end = fields[1].split()
            spans[fields[0]] = (int(start), int(end), type_)
        elif line.startswith("R"):
            type_, *args = fields[1].split()
            found = dict(arg.split(":", 1) for arg in args if ":" in arg)
            if "Arg1" in found and "Arg2" in found:
                relations.append((type_, found["Arg1"], found["Arg2"]))
    return spans, relations
