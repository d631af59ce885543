"""Pattern lexicons for zoning, kept as data files in ``letopis/data/zones/``.

A lexicon file holds one regular expression per line. Blank lines and lines starting
with ``#`` are ignored; a line ``[group]`` starts a named group of patterns (before
the first one the group is ``default``). Patterns are compiled once (case-insensitive
unless the caller says otherwise) and cached; a pattern that does not compile raises ``LexiconError`` naming the file
and the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

FLAGS = re.IGNORECASE
_GROUP = re.compile(r"\[(\w+)\]$")
_NAMED = re.compile(r"\(\?P<\w+>")
_CACHE: dict[tuple[str, int], "Lexicon"] = {}


class LexiconError(ValueError):
    """A lexicon file holds a pattern that does not compile."""


@dataclass(frozen=True)
class Pattern:
    group: str
    regex: re.Pattern
    line: int  # where the pattern sits in its file (1-based)


class Lexicon:
    def __init__(self, name: str, patterns: list[Pattern], flags: int = FLAGS):
        self.name = name
        self.patterns = patterns
        self.groups: dict[str | None, list[Pattern]] = {None: patterns}
        for pattern in patterns:
            self.groups.setdefault(pattern.group, []).append(pattern)
        self._any = {group: combine(items, flags) for group, items in self.groups.items()}

    def match(self, text: str, group: str | None = None) -> re.Match | None:
        """The first pattern (of ``group``, or of any group) that matches at the start of ``text``."""
        quick = self._any.get(group)
        if quick is not None and not quick.match(text):
            return None
        for pattern in self.groups.get(group, ()):
            found = pattern.regex.match(text)
            if found:
                return found
        return None


def combine(patterns: list[Pattern], flags: int) -> re.Pattern | None:
    """One regex that matches where any of ``patterns`` does: a quick way to say no."""
    source = "|".join(f"(?:{_NAMED.sub('(?:', p.regex.pattern)})" for p in patterns)
    try:
        return re.compile(source, flags)
    except re.error:  # e.g. a back-reference to a named group: go pattern by pattern
        return None


def read_lexicon(path: str | Path, flags: int = FLAGS) -> Lexicon:
    path = Path(path)
    patterns, group = [], "default"
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = _GROUP.match(line)
        if header:
            group = header.group(1)
            continue
        try:
            patterns.append(Pattern(group, re.compile(line, flags), number))
        except re.error as error:
            raise LexiconError(f"{path}:{number}: bad pattern {line!r}: {error}") from None
    return Lexicon(path.stem, patterns, flags)


def lexicon(name: str, flags: int = FLAGS) -> Lexicon:
    """The package lexicon ``letopis/data/zones/<name>.txt``, loaded once."""
    key = (name, flags)
    if key not in _CACHE:
        path = resources.files("letopis.data") / "zones" / f"{name}.txt"
        _CACHE[key] = read_lexicon(Path(str(path)), flags)
    return _CACHE[key]
