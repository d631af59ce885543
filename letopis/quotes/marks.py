"""Quotation marks: the spans they enclose, with nesting, in every typographic form.

- «…» (Russian), „…“ (Ukrainian, and Russian inner quotes), “…” (English style),
  straight "…", and ‘…’ (an apostrophe between letters is not a mark).
- Marks pair within a paragraph. A quote left open at a paragraph's end continues
  when the next paragraph opens with the same mark (the Russian convention for a
  quote running over several paragraphs); otherwise the open mark pairs with nothing.
- Only title, lead and body zones are scanned; a span never crosses a zone.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..record import NLP_ZONE_KINDS, Article

OPENERS = "«„“\"‘”"


@dataclass(frozen=True)
class Mark:
    start: int  # offset of the opening mark
    end: int  # offset just after the closing mark
    depth: int  # 0 for an outermost quotation

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end - 1


def find_marks(article: Article) -> list[Mark]:
    marks: list[Mark] = []
    for zone in article.zones_of(*NLP_ZONE_KINDS):
        marks.extend(scan(article.text, zone.start, zone.end))
    return sorted(marks, key=lambda m: (m.start, -m.end))


def scan(text: str, start: int, end: int) -> list[Mark]:
    found: list[Mark] = []
    stack: list[tuple[str, int]] = []
    position = start
    while position < end:
        char = text[position]
        if char == "\n":
            position = paragraph_break(text, position, end, stack)
            continue
        if char in "«„“”\"‘’»":
            step(text, position, char, stack, found)
        position += 1
    return found


def paragraph_break(text: str, position: int, end: int, stack: list) -> int:
    """Past the line break; an open outer quote continues if the next paragraph reopens it."""
    following = position
    while following < end and text[following] in " \t\n\u00a0":
        following += 1
    if stack and following < end and text[following] == stack[0][0]:
        del stack[1:]
        return following + 1  # the reopening mark is not a new quote
    stack.clear()
    return position + 1


def step(text: str, position: int, char: str, stack: list, found: list) -> None:
    top = stack[-1][0] if stack else None
    before = text[position - 1] if position > 0 else " "
    after = text[position + 1] if position + 1 < len(text) else " "
    if char == "«":
        stack.append((char, position))
    elif char == "»":
        close(stack, "«", position, found)
    elif char == "„":
        stack.append((char, position))
    elif char == "“":
        if top == "„":
            close(stack, "„", position, found)
        elif not after.isspace():
            stack.append((char, position))
    elif char == "”":
        if top in ("„", "“", "”"):
            close(stack, top, position, found)
        elif not after.isspace() and not before.isalnum():
            stack.append((char, position))
    elif char == '"':
        if any(opener == '"' for opener, _ in stack):
            close(stack, '"', position, found)
        elif not after.isspace():
            stack.append((char, position))
    elif char == "‘":
        if not before.isalpha():
            stack.append((char, position))
    elif char == "’":
        if top == "‘" and not after.isalpha():
            close(stack, "‘", position, found)


def close(stack: list, opener: str, position: int, found: list) -> None:
    """Pair with the innermost open ``opener``; marks opened inside it and left open pair with nothing."""
    for index in range(len(stack) - 1, -1, -1):
        if stack[index][0] == opener:
            start = stack[index][1]
            del stack[index:]
            found.append(Mark(start, position + 1, len(stack)))
            return


def outermost(marks: list[Mark]) -> list[Mark]:
    return [m for m in marks if m.depth == 0]
