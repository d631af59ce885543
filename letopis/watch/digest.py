"""A watchlist's notifications as a digest to read: plain text for a terminal,
Markdown, or an HTML document for e-mail (every value escaped)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from html import escape

from ..store.db import Database
from .watchlists import Watchlist, describe

FORMATS = ("text", "markdown", "html")
SECTIONS = (("quote", "Statements"), ("event", "Events"), ("status", "Status changes"))


def parse_since(value: str | None, clock: datetime | None = None) -> str | None:
    """``2021-12-01``, ``2021-12-01T08:00``, or a span back from now: ``24h``, ``7d``, ``90m``."""
    if not value:
        return None
    value = value.strip()
    span = re.fullmatch(r"(\d+)\s*([mhdw])", value)
    if span:
        unit = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[span.group(2)]
        moment = (clock or datetime.now(timezone.utc)) - timedelta(**{unit: int(span.group(1))})
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{value!r} is not a time: give 2021-12-01, 2021-12-01T08:00 or a span such as 24h or 7d")
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if "T" in value or " " in value else value[:10]


def matches(db: Database, watchlist: Watchlist, since: str | None = None, until: str | None = None,
            limit: int = 500, offset: int = 0) -> list[dict]:
    """The watchlist's notifications matched in [since, until), oldest first (each a
    payload, with its match id)."""
    where, params = "WHERE watchlist_id = ?", [watchlist.id]
    if since:
        where += " AND matched_at >= ?"
        params.append(since)
    if until:
        where += " AND matched_at < ?"
        params.append(until)
    rows = db.rows(f"SELECT id, payload FROM watch_matches {where} ORDER BY id LIMIT ? OFFSET ?",
                   [*params, limit, offset])
    found = []
    for row in rows:
        payload = json.loads(row["payload"])
        payload["id"] = row["id"]
        found.append(payload)
    return found


def link(payload: dict, base_url: str | None) -> str:
    return (base_url.rstrip("/") if base_url else "") + payload["path"]


def when(payload: dict) -> str:
    return payload["article"].get("day") or "undated"


def who(payload: dict) -> str:
    if payload["kind"] == "quote":
        quote = payload["quote"]
        return (quote.get("speaker") or {}).get("name") or quote.get("speaker_text") or "speaker unresolved"
    return ", ".join(actor["name"] for actor in payload["event"].get("actors") or []) or "participants unresolved"


def what(payload: dict) -> str:
    """The fact in one line, without the speaker or participants."""
    if payload["kind"] == "quote":
        return "«" + " ".join(payload["quote"]["text"].split()) + "»"
    event = payload["event"]
    label = " ".join(filter(None, [event["type"], event.get("subtype")]))
    status = event.get("status") or "?"
    if payload["kind"] == "status":
        status = f"{event.get('previous_status') or '?'} → {status}"
    extra = [f"time {event['time']}"] if event.get("time") else []
    if event.get("place"):
        extra.append(f"in {event['place']['name']}")
    said = " ".join((event.get("sentence") or event.get("trigger") or "").split())
    return f"{label} · {status}" + (" · " + " · ".join(extra) if extra else "") + f": «{said}»"


def source(payload: dict) -> str:
    article = payload["article"]
    return " — ".join(filter(None, [article.get("outlet"), article.get("title")]))


def heading(watchlist: Watchlist, items: list[dict], since: str | None, until: str | None) -> tuple[str, str]:
    span = " ".join(filter(None, [f"since {since}" if since else "", f"until {until}" if until else ""]))
    counts = ", ".join(f"{sum(item['kind'] == kind for item in items)} {title.lower()}"
                       for kind, title in SECTIONS if any(item["kind"] == kind for item in items))
    summary = f"{len(items)} notification{'s' if len(items) != 1 else ''}" + (f" {span}" if span else "") + \
              (f": {counts}" if counts else "")
    return f"Watchlist «{watchlist.name}» — {describe(watchlist)}", summary


def render(watchlist: Watchlist, items: list[dict], fmt: str = "text", base_url: str | None = None,
           since: str | None = None, until: str | None = None) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    return {"text": render_text, "markdown": render_markdown, "html": render_html}[fmt](
        watchlist, items, base_url, *heading(watchlist, items, since, until))


def sections(items: list[dict]):
    for kind, title in SECTIONS:
        chosen = [item for item in items if item["kind"] == kind]
        if chosen:
            yield title, chosen


def render_text(watchlist, items, base_url, title, summary) -> str:
    lines = [title, summary]
    for name, chosen in sections(items):
        lines += ["", name, "-" * len(name)]
        for item in chosen:
            lines.append(f"{when(item):<10}  {who(item)}: {what(item)}")
            lines.append(f"{'':<10}  {source(item)}  {link(item, base_url)}")
    if not items:
        lines += ["", "Nothing new."]
    return "\n".join(lines) + "\n"


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def md(text: str) -> str:
    """TEXT with Markdown's special characters escaped and line breaks flattened."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def render_markdown(watchlist, items, base_url, title, summary) -> str:
    lines = [f"# {md(title)}", "", md(summary)]
    for name, chosen in sections(items):
        lines += ["", f"## {name}", ""]
        for item in chosen:
            target = link(item, base_url).replace(")", "%29").replace(" ", "%20")
            lines.append(f"- **{md(when(item))}** {md(who(item))}: {md(what(item))}  ")
            lines.append(f"  [{md(source(item)) or 'article'}](<{target}>)")
    if not items:
        lines += ["", "Nothing new."]
    return "\n".join(lines) + "\n"


def render_html(watchlist, items, base_url, title, summary) -> str:
    parts = ["<!doctype html>", '<html><head><meta charset="utf-8">', f"<title>{escape(title)}</title></head>",
             '<body style="font-family: sans-serif; max-width: 50em">', f"<h1>{escape(title)}</h1>",
             f"<p>{escape(summary)}</p>"]
    for name, chosen in sections(items):
        parts.append(f"<h2>{escape(name)}</h2><ul>")
        for item in chosen:
            parts.append(f"<li><b>{escape(when(item))}</b> {escape(who(item))}: {escape(what(item))}<br>"
                         f'<a href="{escape(link(item, base_url))}">{escape(source(item) or "article")}</a></li>')
        parts.append("</ul>")
    if not items:
        parts.append("<p>Nothing new.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
