"""A small token-pattern grammar: rules are sequences of named terms.

A pattern is written as text, ``"IN? POSITION MONTH|MONTH_ABBR YEAR?"``: slots
separated by spaces, alternatives joined by ``|``, ``?`` for an optional slot. Matching
is greedy with backtracking, over the terms of ``terms.py``. ``find_matches`` tries every
rule at the start positions it is given and keeps the longest non-overlapping matches.

Why not yargy: on the sample corpus yargy's DatesExtractor took as long as the whole NLP
layer over full texts, and still 36% of it over 329 short windows (~2 ms a call), against
a budget of 7%; these patterns run at a few microseconds a try.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .terms import Words


@dataclass(frozen=True)
class Slot:
    names: tuple[str, ...]
    optional: bool


def parse_pattern(pattern: str) -> tuple[Slot, ...]:
    slots = []
    for item in pattern.split():
        optional = item.endswith("?")
        slots.append(Slot(tuple(item.rstrip("?").split("|")), optional))
    if all(slot.optional for slot in slots):
        raise ValueError(f"pattern {pattern!r} can match nothing")
    return tuple(slots)


@dataclass
class Match:
    rule: "Rule"
    start: int  # token indices in the sentence, [start, end)
    end: int
    captures: list[tuple[str, int, int, object]] = field(default_factory=list)  # (term, start, end, value)
    parsed: object = None  # what the rule built from it

    def get(self, name: str, default=None):
        for term, _, _, value in self.captures:
            if term == name:
                return value
        return default

    def all(self, name: str) -> list:
        return [value for term, _, _, value in self.captures if term == name]

    def has(self, name: str) -> bool:
        return any(term == name for term, _, _, _ in self.captures)


@dataclass(frozen=True)
class Rule:
    """A named pattern and ``build(match, words, lang)``, which turns a match into a
    ``Parsed`` (or None when the match turns out not to be a time expression)."""

    name: str
    pattern: str
    build: Callable
    langs: tuple[str, ...] = ()  # empty: every language


def match_at(rule: Rule, slots: tuple[Slot, ...], words: Words, start: int) -> Match | None:
    captures: list = []

    def walk(k: int, i: int) -> int | None:
        if k == len(slots):
            return i
        slot = slots[k]
        if i < words.size:
            for name in slot.names:
                found = words.term(name, i)
                if found:
                    captures.append((name, i, i + found[0], found[1]))
                    end = walk(k + 1, i + found[0])
                    if end is not None:
                        return end
                    captures.pop()
        return walk(k + 1, i) if slot.optional else None

    end = walk(0, start)
    if end is None or end == start:
        return None
    return Match(rule, start, end, list(captures))


def find_matches(rules: "CompiledRules", words: Words, starts) -> list[Match]:
    """The longest built matches of ``rules`` starting at ``starts``, no two
    overlapping, in text order; at equal length the earlier rule wins.

    Cheap tests first: a rule is tried only if every slot it requires has a term that
    may match somewhere in the sentence, and only where a term it may start with can."""
    possible = {start: words.possible_terms(start) for start in starts}
    present = frozenset().union(*possible.values(), *(words.possible_terms(i) for i in range(words.size)))
    found = []
    for order, (rule, slots, first, required) in enumerate(rules):
        if (rule.langs and words.lang not in rule.langs) or not all(names & present for names in required):
            continue
        for start in starts:
            if not (first & possible[start]):
                continue
            matched = match_at(rule, slots, words, start)
            if matched is not None:
                matched.parsed = rule.build(matched, words, words.lang)
                if matched.parsed is not None:
                    found.append((order, matched))
    found.sort(key=lambda item: (item[1].start - item[1].end, item[1].start, item[0]))
    taken: list[Match] = []
    for _, matched in found:
        if all(matched.end <= other.start or matched.start >= other.end for other in taken):
            taken.append(matched)
    return sorted(taken, key=lambda m: m.start)


CompiledRules = tuple  # of (rule, slots, first terms, required term sets)


def compile_rules(rules: list[Rule]) -> CompiledRules:
    """Per rule: its slots, the terms it may begin with, the term sets it requires."""
    table = []
    for rule in rules:
        slots = parse_pattern(rule.pattern)
        first: set[str] = set()
        for slot in slots:
            first.update(slot.names)
            if not slot.optional:
                break
        required = tuple(frozenset(slot.names) for slot in slots if not slot.optional)
        table.append((rule, slots, frozenset(first), required))
    return tuple(table)


def parse_slots(rule: Rule) -> tuple[Slot, ...]:
    return parse_pattern(rule.pattern)
