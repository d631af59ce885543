"""Readers for annotated NER data: each turns one format into ``GoldDoc`` records.

A ``GoldDoc`` holds the document text exactly as the offsets count it (UTF-8, a BOM
dropped, CR LF folded to LF with the offsets moved along) and two lists of spans:

- ``mentions``: the gold that is scored, ``(start, end, type)`` with type PER, ORG or
  LOC, each the outermost of its kind (natasha and letopis tag flat spans);
- ``ignored``: annotations that are neither credited nor penalised: other types
  (``"PRO"``, ``"FACILITY"``) and mapped mentions nested inside another mapped
  mention (``"nested LOC"``). A prediction exactly on one of them is not counted.

The mapping of each dataset's types and the reasons are in docs/eval.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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


@dataclass
class GoldDoc:
    id: str
    text: str
    mentions: list[Span] = field(default_factory=list)
    ignored: list[Span] = field(default_factory=list)
    lang: str = "ru"


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
    removed, shift = [], 0
    for i, char in enumerate(text):
        removed.append(shift)
        if char == "\r" and text[i + 1:i + 2] == "\n":
            shift += 1
    removed.append(shift)
    moved = [(start - removed[start], end - removed[end], label) for start, end, label in spans]
    return text.replace("\r\n", "\n").replace("\r", "\n"), moved


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
             lang: str = "ru") -> GoldDoc:
    text, annotations = fold_newlines(text, annotations)
    for start, end, label in annotations:
        if not 0 <= start < end <= len(text):
            raise DatasetError(f"{id}: span [{start}, {end}) {label} outside a text of {len(text)} chars")
    mentions, ignored = split_gold(annotations, types)
    return GoldDoc(id, text, mentions, ignored, lang)


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
        docs.append(make_doc(stem.name, text, annotations, FACTRU_TYPES))
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
                docs.append(make_doc(f"{topic}/{lang}/{raw.stem}", read_text(raw),
                                     read_slavicner_tsv(tsv), SLAVICNER_TYPES, lang))
    return docs[:limit]


def read_slavicner_tsv(path: Path) -> list[Span]:
    spans = []
    for line in read_text(path).splitlines():
        fields = line.split("\t")
        if len(fields) >= 5 and fields[0].isdigit():
            spans.append((int(fields[0]), int(fields[1]), fields[4]))
    return spans


# --- NEREL (brat standoff) --------------------------------------------------------


def read_nerel(path: Path, limit: int | None = None) -> list[GoldDoc]:
    """``X.txt`` + ``X.ann``; ``NEREL-v1.1/`` means its ``dev/``. Discontinuous spans are skipped."""
    if (path / "dev").is_dir() and not list(path.glob("*.ann")):
        path = path / "dev"
    docs = []
    for ann in sorted(path.glob("*.ann"), key=natural_key)[:limit]:
        text = read_text(ann.with_suffix(".txt"))
        docs.append(make_doc(ann.stem, text, read_brat(ann), NEREL_TYPES))
    return docs


def read_brat(path: Path) -> list[Span]:
    """Text-bound annotations ``T1<TAB>TYPE start end<TAB>surface``, continuous ones only."""
    spans = []
    for line in read_text(path).splitlines():
        if not line.startswith("T"):
            continue
        fields = line.split("\t")
        if len(fields) < 2 or ";" in fields[1]:  # "TYPE 0 5;7 10": discontinuous
            continue
        type_, start, end = fields[1].split()
        spans.append((int(start), int(end), type_))
    return spans
