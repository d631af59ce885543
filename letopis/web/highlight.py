"""An article's text as HTML with its facts highlighted, built from the record's spans.

The text is cut at every span boundary; each piece is escaped and wrapped, from the
outside in, in its zone, its quote, its link (an entity mention or an event trigger)
and its time expression. Where spans of one layer overlap, the shortest wins for the
piece they share. Nothing of the article's text is ever inserted unescaped.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from markupsafe import Markup, escape

LAYERS = ("zone", "quote", "link", "time")  # outermost first


@dataclass
class Mark:
    start: int
    end: int
    layer: str
    tag: str
    attrs: dict
    before: Markup | None = None  # shown once, before the span's first piece (a speaker label)

    def open(self) -> str:
        attrs = "".join(f' {name}="{escape(value)}"' for name, value in self.attrs.items() if value is not None)
        return f"<{self.tag}{attrs}>"

    def close(self) -> str:
        return f"</{self.tag}>"


def highlight(result: dict, t) -> Markup:
    """HTML of ``result["record"]["text"]`` (``result`` is ``query.article``'s answer);
    ``t`` translates UI strings (event statuses, quote kinds)."""
    record = result["record"]
    text = record["text"]
    marks = article_marks(result, t)
    return render(text, marks)


def article_marks(result: dict, t) -> list[Mark]:
    record = result["record"]
    names = {entity["id"]: entity for entity in record.get("entities", [])}
    links = result.get("entity_links", {})
    clusters = result.get("event_clusters", {})
    marks = [zone_mark(zone) for zone in record.get("zones", [])]
    marks += [quote_mark(quote, names, links, t) for quote in record.get("quotes", [])]
    for entity in record.get("entities", []):
        marks += [mention_mark(entity, mention, links.get(entity["id"])) for mention in entity.get("mentions", [])]
    marks += [event_mark(event, clusters.get(event["id"]), t) for event in record.get("events", [])]
    marks += [time_mark(time) for time in record.get("times", [])]
    return [mark for mark in marks if mark.end > mark.start]


def zone_mark(zone: dict) -> Mark:
    return Mark(zone["start"], zone["end"], "zone", "span", {"class": f"z z-{zone['kind']}", "data-zone": zone["kind"]})


def quote_mark(quote: dict, names: dict, links: dict, t) -> Mark:
    speaker = names.get(quote.get("speaker"))
    name = speaker["name"] if speaker else quote.get("speaker_text")
    entity_id = links.get(quote.get("speaker")) if speaker else None
    label = f"{name or t('quote.unknown_speaker')} · {t('quote.kind.' + quote['kind'])}"
    attrs = {"class": f"q q-{quote['kind']}", "data-quote": quote["id"], "data-speaker": name or "",
             "title": label}
    return Mark(quote["start"], quote["end"], "quote", "span", attrs, speaker_label(name, entity_id, quote["id"], t))


def speaker_label(name: str | None, entity_id: int | None, quote_id: str, t) -> Markup:
    text, quote = escape(name or t("quote.unknown_speaker")), escape(quote_id)
    if entity_id is not None:
        return Markup(f'<a class="speaker" id="q-{quote}" href="/entities/{int(entity_id)}" data-quote="{quote}">{text}</a>')
    return Markup(f'<span class="speaker unresolved" id="q-{quote}" data-quote="{quote}">{text}</span>')


def mention_mark(entity: dict, mention: dict, entity_id: int | None) -> Mark:
    attrs = {"class": f"ent ent-{entity['type']} m-{mention.get('kind') or 'name'}", "data-entity": entity["id"],
             "title": f"{entity['name']} ({entity['type']})"}
    if entity_id is not None:
        attrs["href"] = f"/entities/{int(entity_id)}"
        return Mark(mention["start"], mention["end"], "link", "a", attrs)
    return Mark(mention["start"], mention["end"], "link", "span", attrs)


def event_mark(event: dict, cluster_id: int | None, t) -> Mark:
    kind = "/".join(filter(None, [event["type"], event.get("subtype")]))
    status = event.get("status")
    attrs = {"class": "ev", "data-event": event["id"], "data-status": status or "",
             "title": f"{kind} · {t('status.' + status) if status else '?'}"}
    anchor = Markup(f'<span class="anchor" id="ev-{escape(event["id"])}"></span>')  # /articles/ID#ev-ev1 (feeds)
    if cluster_id is not None:
        attrs["href"] = f"/events/{int(cluster_id)}"
        return Mark(event["trigger_start"], event["trigger_end"], "link", "a", attrs, anchor)
    return Mark(event["trigger_start"], event["trigger_end"], "link", "span", attrs, anchor)


def time_mark(time: dict) -> Mark:
    return Mark(time["start"], time["end"], "time", "time",
                {"class": "tm", "datetime": time.get("value"), "title": time.get("value") or "?"})


def render(text: str, marks: list[Mark]) -> Markup:
    bounds = sorted({0, len(text)} | {max(0, min(len(text), p)) for m in marks for p in (m.start, m.end)})
    owners = {layer: [None] * (len(bounds) - 1) for layer in LAYERS}
    for mark in sorted(marks, key=lambda m: m.start - m.end):  # longest first: shorter spans overwrite
        first, last = bisect_left(bounds, max(0, mark.start)), bisect_left(bounds, min(len(text), mark.end))
        for index in range(first, last):
            owners[mark.layer][index] = mark
    shown_before: set[int] = set()
    pieces = []
    for index in range(len(bounds) - 1):
        html = str(escape(text[bounds[index]:bounds[index + 1]]))
        for layer in reversed(LAYERS):
            mark = owners[layer][index]
            if mark is None:
                continue
            html = mark.open() + html + mark.close()
            if mark.before is not None and id(mark) not in shown_before:
                shown_before.add(id(mark))
                html = str(mark.before) + html
        pieces.append(html)
    return Markup("".join(pieces))
