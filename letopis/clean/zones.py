"""Zoning: what each line of an article is (title, lead, byline, photo credit, body,
related link or boilerplate).

The text is split into lines with offsets, and each non-blank line is decided by
``RULES``, an ordered list of small named functions ``rule(line, ctx) -> kind | None``:
the first that returns a kind wins and its name goes into ``Zone.rule`` (``--explain``).
The rules look at line features (position, length, punctuation, capitals, repeats of
the title); phrases come from the lexicons in ``letopis/data/zones/`` (lexicon.py).
Consecutive body lines become one body zone; any other line becomes a zone of its own.
"""

from __future__ import annotations

import re

from ..record import Article, Zone
from .lexicon import lexicon
from .outlet import find_outlet

VERSION = "1.0"

TITLE, LEAD, BYLINE, PHOTO, BODY, RELATED, BOILERPLATE = (
    "title", "lead", "byline", "photo_credit", "body", "related", "boilerplate")

FOOTER_MAX_WORDS = 30  # a footer, menu or share line is short ...
LEGAL_MAX_WORDS = 80  # ... legal and cookie notices may run longer
BYLINE_MAX_WORDS = 12
CREDIT_MAX_WORDS = 40
RELATED_MAX_WORDS = 40  # "Читайте также: <headline>"; a longer line is a paragraph glued to it
CREDIT_SOURCE_MAX_WORDS = 6  # "Фото из открытых источников", not "Фото с места событий опубликовали ..."
HEADLINE_MAX_WORDS = 20  # a headline-like line: short, not ending in a period
JUNK_MAX_WORDS = 2
TRAILING_TEXT_LINES = 2  # lines of text under a footer phrase that still belong to the footer
TRAILING_TEXT_MAX_WORDS = 40
TRAILING_TEXT_FOOTERS = ("social", "more_news", "share", "legal", "cookies")
LEAD_MIN_WORDS = 5
LEAD_MAX_WORDS = 50  # a lead that stands alone: one or two sentences
LEAD_MAX_WORDS_BEFORE_HEADER = 80  # a lead followed by a byline or credit may be longer
LEAD_MAX_SENTENCES = 2

_SPACE = re.compile(r"\s+")
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_CLOSERS = "»\"”’')]"
_ELLIPSIS = ("…", "...")
_SENTENCE_BREAK = re.compile(r"[.!?…]+[»\"”)]*\s+(?=[«\"„“(]?[A-ZА-ЯЁІЇЄҐ0-9])")
_DIRECT_SPEECH = tuple("«\"„“—–-")
_ATTRIBUTION = re.compile(r"[»\"”]\s*,?\s*[–—-]\s+\w")  # «...», – сказал


class Line:
    """A non-blank line: its span in the text without surrounding white space."""

    __slots__ = ("index", "start", "end", "text", "words")

    def __init__(self, index: int, start: int, text: str):
        self.index, self.start, self.end, self.text = index, start, start + len(text), text
        self.words = len(text.split())


def split_lines(text: str) -> list[Line]:
    lines, position = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip().strip(_INVISIBLE).strip()
        if stripped:
            lines.append(Line(len(lines), position + raw.index(stripped), stripped))
        position += len(raw) + 1
    return lines


def fold(text: str) -> str:
    return _SPACE.sub(" ", text.casefold()).strip()


def ends_with_ellipsis(line: Line) -> bool:
    return line.text.rstrip(_CLOSERS).endswith(_ELLIPSIS)


def ends_with_period(line: Line) -> bool:
    return line.text.rstrip(_CLOSERS).endswith(".") and not ends_with_ellipsis(line)


def has_terminal(line: Line) -> bool:
    return line.text.rstrip(_CLOSERS)[-1:] in (".", "!", "?", "…", ":", ";")


def headline_like(line: Line) -> bool:
    return line.words <= HEADLINE_MAX_WORDS and not ends_with_period(line)


def is_junk(line: Line) -> bool:
    """"deneme", "test", "1", "Loading...": one or two words, no sentence end."""
    return line.words <= JUNK_MAX_WORDS and (not has_terminal(line) or ends_with_ellipsis(line))


def is_teaser(line: Line, title: Line) -> bool:
    """The title cut short with "…" (a teaser block repeating the headline)."""
    if not ends_with_ellipsis(line):
        return False
    stem = fold(line.text.rstrip(_CLOSERS).rstrip(".…"))
    return len(stem.split()) >= 2 and fold(title.text).startswith(stem)


def same_title(line: str, title: str) -> bool:
    line, title = fold(line), fold(title)
    shorter = min(len(line), len(title))
    return line == title or (shorter >= 10 and (title.startswith(line) or line.startswith(title)))


def sentence_count(text: str) -> int:
    return len(_SENTENCE_BREAK.findall(text)) + 1


def match(name: str, line: Line, group: str | None = None):
    return lexicon(name).match(line.text, group)


def footer_match(line: Line, group: str | None = None):
    limit = LEGAL_MAX_WORDS if group in ("legal", "cookies") else FOOTER_MAX_WORDS
    return line.words <= limit and match("boilerplate", line, group)


def is_related(line: Line) -> bool:
    """"Читайте также: <a headline>"; a long paragraph glued on by the scraper is body."""
    return line.words <= RELATED_MAX_WORDS and bool(match("related", line))


def is_footer(line: Line) -> bool:
    return bool(is_related(line) or footer_match(line) or footer_match(line, "legal")
                or footer_match(line, "cookies"))


def find_tail(lines: list[Line]) -> int:
    """Where the footer block at the end starts (len(lines) when there is none).

    The block is the run of footer-like lines at the end (footer phrases, related
    links, headline-like and junk lines, and a line or two of text right under a footer
    phrase, such as a disclaimer) from its first footer or related line on; without
    one, only the junk lines at the very end.
    """
    start = len(lines)
    while start > 1:
        if footer_like(lines[start - 1]):
            start -= 1
        elif text_under_footer(lines, start) < start:
            start = text_under_footer(lines, start)
        else:
            break
    for index in range(start, len(lines)):
        if is_footer(lines[index]):
            return index
    start = len(lines)
    while start > 1 and is_junk(lines[start - 1]):
        start -= 1
    return start


def footer_like(line: Line) -> bool:
    return bool(is_footer(line) or headline_like(line) or match("byline", line, "label")
                or match("photo_credit", line))


def text_under_footer(lines: list[Line], end: int) -> int:
    """Where the short text lines ending at ``end`` start, when a footer phrase stands
    right above them (not an ad or a related link: those also sit inside the body)."""
    for start in range(end - 1, max(end - 1 - TRAILING_TEXT_LINES, 1), -1):
        if lines[start].words > TRAILING_TEXT_MAX_WORDS:
            break
        above = lines[start - 1]
        if footer_like(above):
            if any(footer_match(above, group) for group in TRAILING_TEXT_FOOTERS):
                return start
            break
    return end


class Context:
    """Where a rule stands: the lines, the current one, and what was decided so far."""

    def __init__(self, lines: list[Line], meta_title: str | None = None):
        self.lines = lines
        self.meta_title = meta_title
        self.tail = find_tail(lines)
        self.index = 0
        self.title: Line | None = None
        self.lead: Line | None = None
        self.body_started = False
        self.previous: tuple[Line, str, str] | None = None  # line, kind, rule

    @property
    def in_head(self) -> bool:
        """Under the title, before the body and the footer."""
        return self.title is not None and not self.body_started and self.index < self.tail

    @property
    def in_tail(self) -> bool:
        return self.index >= self.tail

    def next_line(self) -> Line | None:
        following = self.index + 1
        return self.lines[following] if following < len(self.lines) else None


# --- the rules, in order -------------------------------------------------------------


def metadata_title(line, ctx):
    if ctx.title is None and ctx.meta_title and same_title(line.text, ctx.meta_title):
        return TITLE


def menu_before_title(line, ctx):
    if ctx.title is None and (footer_match(line) or footer_match(line, "legal")):
        return BOILERPLATE


def byline_date(line, ctx):
    if (ctx.title is None or ctx.in_head) and match("byline", line, "date"):
        return BYLINE


def first_line_title(line, ctx):
    if ctx.title is None:
        return TITLE


def title_repeated(line, ctx):
    if line.words == ctx.title.words and fold(line.text) == fold(ctx.title.text):
        return BOILERPLATE


def teaser_truncated_title(line, ctx):
    if is_teaser(line, ctx.title):
        return BOILERPLATE


def related_prefix(line, ctx):
    if is_related(line):
        return RELATED


def related_list(line, ctx):
    """Headlines listed under a bare "Читайте также:" line."""
    if ctx.previous and headline_like(line):
        previous, kind, rule = ctx.previous
        if rule == "related_list" or (rule == "related_prefix" and is_bare_related(previous)):
            return RELATED


def is_bare_related(line: Line) -> bool:
    found = match("related", line)
    return bool(found) and not found.groupdict().get("text")


def photo_credit_prefix(line, ctx):
    if line.words <= CREDIT_MAX_WORDS and match("photo_credit", line, "prefix"):
        return PHOTO


def photo_credit_source(line, ctx):
    if line.words <= CREDIT_SOURCE_MAX_WORDS and match("photo_credit", line, "source"):
        return PHOTO


def photo_credit_agency(line, ctx):
    if match("photo_credit", line, "agency"):
        return PHOTO


def byline_label(line, ctx):
    if line.words <= BYLINE_MAX_WORDS and match("byline", line, "label"):
        return BYLINE


def footer_rule(group: str):
    """The rule for one group of boilerplate.txt: footer_social, footer_legal, ..."""
    def rule(line, ctx):
        if footer_match(line, group):
            return BOILERPLATE
    rule.__name__ = f"footer_{group}"
    return rule


FOOTER_GROUPS = ("social", "more_news", "share", "ads", "legal", "cookies", "menu", "embed")
FOOTER_RULES = [footer_rule(group) for group in FOOTER_GROUPS]


def byline_name_under_title(line, ctx):
    """A name alone under the title is the author's, unless the article talks about
    that person (the name recurs below: a photo caption on Wikinews-style pages)."""
    if ctx.in_head and match("byline", line, "name") and not named_later(line, ctx):
        return BYLINE


def named_later(line: Line, ctx) -> bool:
    surname = line.text.split()[-1].casefold()
    stem = surname[:max(4, len(surname) - 2)]  # "Песков" recurs as "Пескова"
    return any(stem in later.text.casefold() for later in ctx.lines[ctx.index + 1:ctx.tail])


def junk_short_line_at_end(line, ctx):
    if ctx.in_tail and is_junk(line):
        return BOILERPLATE


def after_footer(line, ctx):
    if ctx.in_tail:
        return BOILERPLATE


def lead_before_header(line, ctx):
    """A paragraph right under the title, followed by a byline, credit or teaser."""
    following = ctx.next_line()
    if (lead_open(line, ctx, LEAD_MAX_WORDS_BEFORE_HEADER) and following is not None
            and any(rule(following, ctx) for rule in HEADER_RULES)):
        return LEAD


def lead_short_paragraph(line, ctx):
    """A paragraph right under the title of one or two sentences."""
    if lead_open(line, ctx, LEAD_MAX_WORDS) and sentence_count(line.text) <= LEAD_MAX_SENTENCES:
        return LEAD


def lead_open(line: Line, ctx: Context, max_words: int) -> bool:
    return (ctx.in_head and ctx.lead is None and LEAD_MIN_WORDS <= line.words <= max_words
            and not line.text.startswith(_DIRECT_SPEECH) and not _ATTRIBUTION.search(line.text))


def body_text(line, ctx):
    return BODY


HEADER_RULES = [teaser_truncated_title, photo_credit_prefix, photo_credit_source,
                photo_credit_agency, byline_label, byline_name_under_title, byline_date]

RULES = [
    metadata_title,
    menu_before_title,
    byline_date,
    first_line_title,
    title_repeated,
    teaser_truncated_title,
    related_prefix,
    photo_credit_prefix,
    photo_credit_source,
    photo_credit_agency,
    byline_label,
    *FOOTER_RULES,  # footer_social, footer_more_news, ... (groups of boilerplate.txt)
    related_list,
    byline_name_under_title,
    junk_short_line_at_end,
    after_footer,
    lead_before_header,
    lead_short_paragraph,
    body_text,
]


# --- putting it together ---------------------------------------------------------------


def decide(line: Line, ctx: Context) -> tuple[str, str]:
    for rule in RULES:
        kind = rule(line, ctx)
        if kind:
            return kind, rule.__name__
    raise AssertionError("body_text always decides")


def content_span(line: Line, kind: str) -> tuple[int, int]:
    """The part of the line the zone covers: after "Фото: " or "Читайте также: "."""
    if kind in (PHOTO, RELATED):
        found = match(kind, line)
        if found and found.groupdict().get("text"):
            return line.start + found.start("text"), line.start + found.end("text")
    return line.start, line.end


def zone_lines(text: str, meta_title: str | None = None) -> list[Zone]:
    """The zones of ``text``, in text order."""
    lines = split_lines(text)
    ctx = Context(lines, meta_title)
    zones: list[Zone] = []
    for line in lines:
        ctx.index = line.index
        kind, rule = decide(line, ctx)
        if kind == TITLE:
            ctx.title = line
        elif kind == LEAD:
            ctx.lead = line
        elif kind == BODY:
            ctx.body_started = True
        ctx.previous = (line, kind, rule)
        if kind == BODY and zones and zones[-1].kind == BODY:
            zones[-1].end = line.end
        else:
            zones.append(Zone(kind, *content_span(line, kind), rule))
    return lead_without_body(zones)


def lead_without_body(zones: list[Zone]) -> list[Zone]:
    """An article whose only paragraph looked like a lead: that paragraph is its body."""
    if not any(zone.kind == BODY for zone in zones):
        for zone in zones:
            if zone.kind == LEAD:
                zone.kind, zone.rule = BODY, "lead_without_body"
    return zones


def zone_article(article: Article) -> None:
    """Set ``article.zones``, and ``meta.outlet`` when the text names it and metadata did not."""
    article.zones = zone_lines(article.text, article.meta.title)
    if not article.meta.outlet:
        outlet = find_outlet(article)
        if outlet:
            article.meta.outlet, article.meta.outlet_source = outlet, "text"
