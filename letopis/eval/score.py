"""Precision, recall and F1 over typed spans: pure functions, no models.

Spans are ``(start, end, type)``. Two ways to match a prediction with the gold:

- ``exact``: same start, same end, same type;
- ``overlap``: same type and at least one character in common, one to one
  (a gold mention is credited to at most one prediction).

Before matching, both sides are trimmed of white space, quotes and trailing
punctuation (``strip_span``), and predictions lying exactly on an ignored gold span
(another type, or a nested mention) are set aside (``drop_ignored``).
"""

from __future__ import annotations

from dataclasses import dataclass

Span = tuple[int, int, str]

STRIP = " \t\n\u00a0«»\"„“”'‘’.,;:"
MODES = ("exact", "overlap")


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def to_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without white space, quotes or punctuation at its edges.

    A span that would vanish is returned as it was.
    """
    new_start, new_end = start, end
    while new_start < new_end and text[new_start] in STRIP:
        new_start += 1
    while new_end > new_start and text[new_end - 1] in STRIP:
        new_end -= 1
    return (new_start, new_end) if new_start < new_end else (start, end)


def strip_spans(text: str, spans: list[Span]) -> list[Span]:
    return sorted({(*strip_span(text, start, end), type_) for start, end, type_ in spans})


def drop_ignored(predicted: list[Span], gold: list[Span], ignored: list[Span]) -> tuple[list[Span], int]:
    """(predictions to score, how many were set aside).

    A prediction is set aside when its extent is that of an ignored span and of no
    scored gold mention.
    """
    scored = {(start, end) for start, end, _ in gold}
    skip = {(start, end) for start, end, _ in ignored} - scored
    kept = [span for span in predicted if (span[0], span[1]) not in skip]
    return kept, len(predicted) - len(kept)


def count_exact(gold: list[Span], predicted: list[Span]) -> dict[str, Counts]:
    gold_set, predicted_set = set(gold), set(predicted)
    counts: dict[str, Counts] = {}
    for span in gold_set:
        if span in predicted_set:
            counts.setdefault(span[2], Counts()).tp += 1
        else:
            counts.setdefault(span[2], Counts()).fn += 1
    for span in predicted_set - gold_set:
        counts.setdefault(span[2], Counts()).fp += 1
    return counts


def count_overlap(gold: list[Span], predicted: list[Span]) -> dict[str, Counts]:
    counts: dict[str, Counts] = {}
    matched: set[Span] = set()
    candidates = sorted(set(gold))
    for span in sorted(set(predicted)):
        match = next((g for g in candidates if g not in matched and overlaps(g, span)), None)
        if match is None:
            counts.setdefault(span[2], Counts()).fp += 1
        else:
            matched.add(match)
            counts.setdefault(span[2], Counts()).tp += 1
    for span in set(gold) - matched:
        counts.setdefault(span[2], Counts()).fn += 1
    return counts


def overlaps(a: Span, b: Span) -> bool:
    return a[2] == b[2] and a[0] < b[1] and b[0] < a[1]


COUNTERS = {"exact": count_exact, "overlap": count_overlap}


def count(gold: list[Span], predicted: list[Span], mode: str = "exact") -> dict[str, Counts]:
    """TP/FP/FN per type for one document."""
    return COUNTERS[mode](gold, predicted)


def add_counts(total: dict[str, Counts], counts: dict[str, Counts]) -> dict[str, Counts]:
    for type_, value in counts.items():
        total[type_] = total.get(type_, Counts()) + value
    return total


def micro(counts: dict[str, Counts], types=None) -> Counts:
    """The micro average: counts summed over the types (all, or those given)."""
    total = Counts()
    for type_, value in counts.items():
        if types is None or type_ in types:
            total = total + value
    return total
