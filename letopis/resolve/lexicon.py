"""The resolver's data files (letopis/data/resolve/*.tsv), loaded once on first use."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


class ResolveDataError(ValueError):
    """A data file line that does not parse; the message names the file and line."""


def read_tsv(name: str, columns: int) -> list[tuple[int, list[str]]]:
    text = resources.files("letopis.data").joinpath("resolve", name).read_text(encoding="utf-8")
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) > columns or not cells[0].strip():
            raise ResolveDataError(f"letopis/data/resolve/{name}:{number}: expected {columns} tab-separated columns")
        rows.append((number, [c.strip() for c in cells] + [""] * (columns - len(cells))))
    return rows


@dataclass(frozen=True)
class RoleHead:
    role: str
    country: str | None
    gender: str | None


@dataclass(frozen=True)
class RolePhrase:
    lemmas: tuple[str, ...]
    role: str
    country: str | None
    org: str | None


@dataclass(frozen=True)
class Lexicon:
    role_heads: dict[str, RoleHead]
    role_phrases: tuple[RolePhrase, ...]  # longest first
    country_adjectives: dict[str, str]
    weak_aliases: dict[str, str]
    metonymy: dict[str, str]
    pronouns: dict[str, tuple[str, str]]  # word -> (gender, use)
    speech_nouns: frozenset[str]
    role_families: dict[str, frozenset[str]]  # generic role key -> specific keys it covers


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    heads = {cells[0]: RoleHead(cells[1], cells[2] or None, cells[3] or None)
             for _, cells in read_tsv("role_heads.tsv", 4)}
    phrases = [RolePhrase(tuple(cells[0].split()), cells[1], cells[2] or None, cells[3] or None)
               for _, cells in read_tsv("role_phrases.tsv", 4)]
    phrases.sort(key=lambda p: -len(p.lemmas))
    return Lexicon(
        role_heads=heads,
        role_phrases=tuple(phrases),
        country_adjectives={c[0]: c[1] for _, c in read_tsv("country_adjectives.tsv", 2)},
        weak_aliases={c[0]: c[1] for _, c in read_tsv("weak_aliases.tsv", 2)},
        metonymy={c[0]: c[1] for _, c in read_tsv("metonymy.tsv", 2)},
        pronouns={c[0]: (c[1], c[2]) for _, c in read_tsv("pronouns.tsv", 3)},
        speech_nouns=frozenset(c[0] for _, c in read_tsv("speech_nouns.txt", 1)),
        role_families={c[0]: frozenset(c[1].split()) for _, c in read_tsv("role_families.tsv", 2)},
    )
