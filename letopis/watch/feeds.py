"""Atom 1.0 feeds (RFC 4287): a watchlist's notifications, and an entity's latest
quotes and event reports.

Each entry links to the article page with the fact highlighted (``#q-ID`` for a
quote, ``#ev-ID`` for an event trigger), names the speaker or the participants, the
status and the time, and has a stable ``tag:`` id. The XML is written by
ElementTree (every text escaped); characters XML 1.0 cannot carry at all (control
characters, lone surrogates) are dropped from the text first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from markupsafe import escape

from .. import __version__
from ..store.db import Database
from ..store.query import article_texts, cluster_summaries, latest_event_reports
from .matching import sentence

ATOM = "http://www.w3.org/2005/Atom"
TAG = "tag:letopis,2024:"
FEED_LIMIT = 100
NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
ET.register_namespace("", ATOM)


@dataclass
class Entry:
    id: str
    title: str
    updated: str
    link: str
    content: str  # HTML (escaped into the feed)
    published: str | None = None
    author: str | None = None
    categories: list[str] = field(default_factory=list)


def clean(text) -> str:
    """TEXT without the characters XML 1.0 forbids (NUL, other C0 controls, lone surrogates)."""
    return NOT_XML.sub("", str(text)) if text is not None else ""


def rfc3339(value: str | None, fallback: str = "1970-01-01T00:00:00Z") -> str:
    """An RFC 3339 date-time from what the store holds: 2021-12-22 -> 2021-12-22T00:00:00Z;
    a date-time without a zone is taken as UTC."""
    value = (value or "").strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value + "T00:00:00Z"
    found = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", value)
    if not found:
        return fallback
    date, hours, seconds, _, zone = found.groups()
    zone = zone or "Z"
    if len(zone) == 5:  # +0300
        zone = zone[:3] + ":" + zone[3:]
    return f"{date}T{hours}{seconds or ':00'}{zone}"


def text_element(parent, tag: str, text: str | None, **attrs) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = clean(text)
    return element


def atom(feed_id: str, title: str, self_url: str, page_url: str, entries: list[Entry], updated: str,
         subtitle: str | None = None) -> bytes:
    """The feed document (UTF-8)."""
    feed = ET.Element(f"{{{ATOM}}}feed")
    text_element(feed, "id", feed_id)
    text_element(feed, "title", title)
    if subtitle:
        text_element(feed, "subtitle", subtitle)
    text_element(feed, "updated", max([updated] + [entry.updated for entry in entries]))
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "type": "application/atom+xml", "href": clean(self_url)})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": clean(page_url)})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    text_element(author, "name", "letopis")
    text_element(feed, "generator", "letopis").set("version", __version__)
    for entry in entries:
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        text_element(item, "id", entry.id)
        text_element(item, "title", entry.title)
        text_element(item, "updated", entry.updated)
        if entry.published:
            text_element(item, "published", entry.published)
        if entry.author:
            text_element(ET.SubElement(item, f"{{{ATOM}}}author"), "name", entry.author)
        ET.SubElement(item, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": clean(entry.link)})
        for term in entry.categories:
            ET.SubElement(item, f"{{{ATOM}}}category", {"term": clean(term)})
        text_element(item, "content", entry.content, type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


# -- entries ---------------------------------------------------------------------------------

def shorten(text: str, width: int = 140) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def names(entities) -> str:
    return ", ".join(entity["name"] for entity in entities if entity)


CODED = ("type.", "subtype.", "status.", "quote.kind.")


def labels(lang: str | None):
    """The feed's words: the web page's strings in LANG (ru, en), or, with no LANG, the
    codes as stored (CONSULT, not_planned) with English for the rest."""
    from ..web.i18n import translator

    if lang is not None:
        return translator(lang)
    english = translator("en")

    def t(key: str, **values) -> str:
        return key.rsplit(".", 1)[-1] if key.startswith(CODED) else english(key, **values)

    return t


def event_label(event: dict, t) -> str:
    return " ".join(filter(None, [t(f"type.{event['type']}"),
                                  t(f"subtype.{event['subtype']}") if event.get("subtype") else None]))


def status_label(status: str | None, t) -> str:
    return t(f"status.{status}") if status else "?"


def source_line(article: dict, link: str) -> str:
    when = article.get("published") or article.get("day") or ""
    title = article.get("title") or article.get("id")
    return (f'<p>{escape(article.get("outlet") or "")} {escape(when)} · '
            f'<a href="{escape(link)}">{escape(title)}</a></p>')


def quote_html(quote: dict, speaker: str, article: dict, link: str, t) -> str:
    about = names(quote.get("about") or [])
    details = [f"<b>{escape(speaker)}</b>"]
    if quote.get("cue"):
        details.append(f"({escape(quote['cue'])})")
    meta = [t(f"quote.kind.{quote['kind']}") if quote.get("kind") else ""]
    if quote.get("time"):
        meta.append(f"{t('feed.time')} {quote['time']}")
    if about:
        meta.append(f"{t('feed.about')} {about}")
    return (f"<p>{' '.join(details)}</p><blockquote>{escape(quote['text'])}</blockquote>"
            f"<p>{escape(' · '.join(filter(None, meta)))}</p>" + source_line(article, link))


def event_html(event: dict, article: dict, link: str, base: str, t) -> str:
    status = status_label(event.get("status"), t)
    if event.get("previous_status"):
        status = f"{status_label(event['previous_status'], t)} → {status}"
    rows = [f"<p><b>{escape(event_label(event, t))}</b> · {escape(status)}</p>"]
    if event.get("actors"):
        rows.append(f"<p>{escape(t('feed.participants'))}: {escape(names(event['actors']))}</p>")
    extra = []
    if event.get("place"):
        extra.append(f"{t('feed.place')}: {event['place']['name']}")
    if event.get("time"):
        extra.append(f"{t('feed.time')}: {event['time']}")
    if extra:
        rows.append(f"<p>{escape(' · '.join(extra))}</p>")
    rows.append(f"<blockquote>{sentence_html(event)}</blockquote>")
    if event.get("cluster_id") is not None:
        page = f"{base}/events/{event['cluster_id']}"
        rows.append(f'<p><a href="{escape(page)}">{escape(t("feed.event"))} #{event["cluster_id"]}</a></p>')
    return "".join(rows) + source_line(article, link)


def sentence_html(event: dict) -> str:
    """The sentence of the event's report with its trigger in <strong> (feed readers
    drop <mark>); the trigger alone when the sentence is not known."""
    sentence, trigger = event.get("sentence") or "", event.get("trigger") or ""
    at = sentence.find(trigger) if trigger else -1
    if at < 0:
        return str(escape(sentence or trigger))
    return f"{escape(sentence[:at])}<strong>{escape(trigger)}</strong>{escape(sentence[at + len(trigger):])}"


def match_entry(payload: dict, base: str, t) -> Entry:
    """An entry for one notification (a ``watch_matches`` payload)."""
    article = payload["article"]
    link = base + payload["path"]
    published = rfc3339(article.get("published"), fallback="") or None
    if payload["kind"] == "quote":
        quote = payload["quote"]
        speaker = (quote.get("speaker") or {}).get("name") or quote.get("speaker_text") or "?"
        return Entry(id=f"{TAG}quote/{article['id']}/{quote['id']}", title=f"{speaker}: «{shorten(quote['text'])}»",
                     updated=rfc3339(payload["matched_at"]), published=published, link=link,
                     author=article.get("outlet"), categories=["quote", quote.get("kind") or "quote"],
                     content=quote_html(quote, speaker, article, link, t))
    event = payload["event"]
    who = names(event.get("actors") or []) or "?"
    if payload["kind"] == "status":
        entry_id = f"{TAG}event/{event['cluster_id']}/status/{event.get('previous_status') or ''}-{event['status']}"
        title = (f"{event_label(event, t)}: {who} — {status_label(event.get('previous_status'), t)} → "
                 f"{status_label(event['status'], t)}")
    else:
        entry_id = f"{TAG}event/{event['cluster_id']}"
        title = f"{event_label(event, t)}: {who} ({status_label(event.get('status'), t)})"
    return Entry(id=entry_id, title=title, updated=rfc3339(payload["matched_at"]), published=published, link=link,
                 author=article.get("outlet"),
                 categories=[payload["kind"], event["type"], f"status:{event.get('status')}"],
                 content=event_html(event, article, link, base, t))


def watchlist_feed(db: Database, watchlist, base: str, limit: int = FEED_LIMIT, lang: str | None = None) -> bytes:
    """The watchlist's latest LIMIT notifications, newest first; its words in LANG
    (``labels``)."""
    import json

    from .watchlists import describe

    base = base.rstrip("/")
    rows = db.rows("SELECT id, payload FROM watch_matches WHERE watchlist_id = ? ORDER BY id DESC LIMIT ?",
                   (watchlist.id, limit))
    t = labels(lang)
    entries = [match_entry(json.loads(row["payload"]), base, t) for row in rows]
    return atom(f"{TAG}watchlist/{watchlist.id}/{watchlist.created_at}", f"letopis: {watchlist.name}",
                f"{base}/feeds/watchlists/{watchlist.id}.atom", f"{base}/watchlists/{watchlist.id}", entries,
                updated=rfc3339(watchlist.created_at), subtitle=describe(watchlist, t))


def entity_feed(db: Database, entity: dict, base: str, limit: int = FEED_LIMIT, lang: str | None = None) -> bytes:
    """An entity's latest LIMIT quotes (as the speaker) and LIMIT event reports (as an
    actor), by the day of their article, newest first; its words in LANG (``labels``)."""
    t = labels(lang)
    base = base.rstrip("/")
    entity_id = entity["id"]
    quotes = db.rows(
        "SELECT q.article_id, q.local_id, q.kind, q.text, q.cue, q.time_value, q.day, a.title, a.outlet, a.url, "
        "a.published, a.ingested_at FROM quotes q JOIN articles a ON a.id = q.article_id WHERE q.speaker_id = ? "
        "AND q.current = 1 AND q.first_report = 1 ORDER BY q.day DESC NULLS LAST, q.article_id DESC, q.start DESC LIMIT ?",
        (entity_id, limit))
    reports = latest_event_reports(db, entity_id, None, None, limit)
    ids = sorted({row["article_id"] for row in reports})
    articles, sentences = {}, {}
    if ids:
        marks = ",".join("?" * len(ids))
        articles = {row["id"]: row for row in db.rows(
            f"SELECT id, url, published, ingested_at FROM articles WHERE id IN ({marks})", ids)}
        texts = article_texts(db, ids)
        for row in db.rows(f"SELECT article_id, local_id, trigger_start, trigger_end FROM events WHERE article_id IN "
                           f"({marks})", ids):
            sentences[(row["article_id"], row["local_id"])] = sentence(texts.get(row["article_id"], ""),
                                                                       row["trigger_start"], row["trigger_end"])
    clusters = {}
    cluster_ids = sorted({row["cluster_id"] for row in reports if row["cluster_id"] is not None})
    if cluster_ids:
        marks = ",".join("?" * len(cluster_ids))
        clusters = {item["id"]: item for item in cluster_summaries(
            db, db.rows(f"SELECT * FROM event_clusters WHERE id IN ({marks})", cluster_ids))}
    speaker = {"id": entity_id, "name": entity["name"], "type": entity["type"]}
    entries = []
    for row in quotes:
        article = {"id": row["article_id"], "title": row["title"], "outlet": row["outlet"], "published": row["published"],
                   "day": row["day"]}
        link = f"{base}/articles/{row['article_id']}#q-{row['local_id']}"
        quote = {"id": row["local_id"], "kind": row["kind"], "text": row["text"], "cue": row["cue"],
                 "time": row["time_value"], "speaker": speaker}
        entries.append(Entry(id=f"{TAG}quote/{row['article_id']}/{row['local_id']}",
                             title=f"{entity['name']}: «{shorten(row['text'])}»", updated=rfc3339(row["ingested_at"]),
                             published=rfc3339(row["published"], fallback="") or None, link=link, author=row["outlet"],
                             categories=["quote", row["kind"]],
                             content=quote_html(quote, entity["name"], article, link, t)))
    for row in reports:
        stored = articles.get(row["article_id"], {})
        cluster = clusters.get(row["cluster_id"], {})
        article = {"id": row["article_id"], "title": row["title"], "outlet": row["outlet"],
                   "published": stored.get("published"), "day": row["day"]}
        link = f"{base}/articles/{row['article_id']}#ev-{row['local_id']}"
        event = {"type": row["type"], "subtype": row["subtype"], "status": row["status"], "trigger": row["trigger"],
                 "sentence": sentences.get((row["article_id"], row["local_id"])),
                 "time": row["time_value"] or cluster.get("time"), "actors": cluster.get("actors") or [speaker],
                 "place": cluster.get("place"), "cluster_id": row["cluster_id"]}
        entries.append(Entry(id=f"{TAG}report/{row['article_id']}/{row['local_id']}",
                             title=(f"{event_label(event, t)}: {names(event['actors'])} "
                                    f"({status_label(row['status'], t)})"),
                             updated=rfc3339(stored.get("ingested_at")), link=link, author=row["outlet"],
                             published=rfc3339(stored.get("published"), fallback="") or None,
                             categories=["event", row["type"], f"status:{row['status']}"],
                             content=event_html(event, article, link, base, t)))
    entries.sort(key=lambda entry: (entry.published or "", entry.updated, entry.id), reverse=True)
    return atom(f"{TAG}entity/{entity_id}", f"letopis: {entity['name']}", f"{base}/feeds/entities/{entity_id}.atom",
                f"{base}/entities/{entity_id}", entries, updated="1970-01-01T00:00:00Z",
                subtitle=t("feed.entity_subtitle", name=entity["name"]))
