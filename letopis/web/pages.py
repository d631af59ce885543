"""The HTML pages. Each page builds its data (plain JSON-able dicts from the query
layer), then renders a template, or answers the data itself with ``?format=json``
(every page has a JSON twin)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool

from ..store import query
from ..store.db import Database
from ..store.query import Page
from . import chart, queries
from .deps import get_db, language, same_origin
from .highlight import highlight
from .i18n import LANGUAGES, translator
from .processing import BadRequest, Pasted

router = APIRouter()
TEMPLATES = Path(__file__).parent / "templates"
ENV = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True, default_for_string=True),
                  trim_blocks=True, lstrip_blocks=True)
PAGE_SIZE = 50
EVENT_TYPES = ("CONSULT", "AGREE", "COOPERATE", "SUPPORT", "AID", "CONCEDE", "RETREAT", "REQUEST", "DEMAND",
               "REJECT", "ACCUSE", "THREATEN", "SANCTION", "MOBILIZE", "ASSAULT", "COERCE", "PROTEST")
STATUSES = ("occurred", "ongoing", "planned", "possible", "not_planned", "denied", "demanded", "conditional")
ENTITY_TYPES = ("PER", "ORG", "GPE", "LOC", "MISC")


# -- rendering --------------------------------------------------------------------------------

def render(request: Request, template: str, data: dict, extra: dict | None = None, status: int = 200):
    if request.query_params.get("format") == "json":
        return JSONResponse(data, status_code=status)
    lang = language(request)
    html = ENV.get_template(template).render(request=request, lang=lang, t=translator(lang), data=data,
                                             lang_url=lambda code: str(request.url.include_query_params(lang=code)),
                                             json_url=str(request.url.include_query_params(format="json")),
                                             **data, **(extra or {}))
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie("lang", request.query_params["lang"], max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def error_page(request: Request, status: int, message: str, candidates: list | None = None):
    return render(request, "error.html", {"error": {"status": status, "message": message,
                                                     "candidates": candidates or []}}, status=status)


def pager(request: Request, page: Page, count: int) -> dict:
    return {"next": str(request.url.include_query_params(offset=page.offset + page.limit)) if count >= page.limit else None,
            "previous": str(request.url.include_query_params(offset=max(0, page.offset - page.limit)))
            if page.offset else None, "offset": page.offset}


def param(request: Request, name: str, max_length: int = 200) -> str | None:
    """A query parameter, None when blank (forms send empty fields)."""
    value = (request.query_params.get(name) or "").strip()
    if len(value) > max_length:
        raise BadRequest(f"{name} is longer than {max_length} characters")
    return value or None


def day_param(request: Request, name: str) -> str | None:
    value = param(request, name, 10)
    if value:
        try:
            date.fromisoformat(value)
        except ValueError:
            raise BadRequest(f"{name} must be a date like 2022-01-14, not {value!r}")
    return value


def choice(request: Request, name: str, allowed) -> str | None:
    value = param(request, name)
    if value and value not in allowed:
        raise BadRequest(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def page_of(request: Request, size: int = PAGE_SIZE) -> Page:
    raw = param(request, "offset", 9) or "0"
    if not raw.isdigit():
        raise BadRequest(f"offset must be a number, not {raw!r}")
    return Page(limit=size, offset=int(raw))


def cached(request: Request, db: Database, key: tuple, compute):
    return request.app.state.cache.get(db, key, compute)


def marked(text: str, marks: list, offset: int = 0) -> Markup:
    """TEXT with the spans in MARKS (offsets into a larger text starting at OFFSET) in <mark>."""
    pieces, position = [], 0
    for start, end in sorted(marks):
        start, end = max(position, start - offset), min(len(text), end - offset)
        if start >= end:
            continue
        pieces += [str(escape(text[position:start])), f"<mark>{escape(text[start:end])}</mark>"]
        position = end
    pieces.append(str(escape(text[position:])))
    return Markup("".join(pieces))


def mark_word(text: str, word: str | None) -> Markup:
    """TEXT with the first occurrence of WORD in <mark>."""
    at = text.find(word) if word else -1
    return marked(text, [(at, at + len(word))] if at >= 0 else [])


def safe_url(url: str | None) -> str | None:
    """Only http(s) links from article metadata become links."""
    return url if url and urlsplit(url).scheme in ("http", "https") else None


ENV.globals.update(marked=marked, mark_word=mark_word, safe_url=safe_url)


# -- pages ------------------------------------------------------------------------------------

@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, db: Database = Depends(get_db)):
    stats = cached(request, db, ("stats",), lambda: query.stats(db))
    data = {"stats": stats, "recent_events": query.events(db, page=Page(limit=12))["items"],
            "recent_articles": query.articles(db, page=Page(limit=10))["items"]}
    return render(request, "home.html", data)


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search(request: Request, db: Database = Depends(get_db)):
    words = param(request, "q", 500)
    page = page_of(request, 20)
    result = query.search(db, words, page=page) if words else {"query": "", "items": []}
    found = queries.entities(db, name=words, page=Page(limit=8))["items"] if words and not page.offset else []
    data = {"query": words or "", "results": result["items"], "entities": found,
            "pager": pager(request, page, len(result["items"]))}
    return render(request, "search.html", data)


@router.get("/articles", response_class=HTMLResponse, include_in_schema=False)
def articles(request: Request, db: Database = Depends(get_db)):
    page = page_of(request)
    filters = {"since": day_param(request, "since"), "until": day_param(request, "until"),
               "outlet": param(request, "outlet"), "lang": choice(request, "lang", ("ru", "uk", "en", "other"))}
    result = query.articles(db, page=page, **filters)
    data = {"filters": filters, "articles": result["items"], "pager": pager(request, page, len(result["items"]))}
    return render(request, "articles.html", data)


@router.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
def article(request: Request, article_id: str, db: Database = Depends(get_db)):
    result = query.article(db, article_id)
    if request.query_params.get("format") == "json":
        return JSONResponse(result)
    t = translator(language(request))
    return render(request, "article.html", result, {"body": highlight(result, t), "facts": article_facts(result)})


def article_facts(result: dict) -> dict:
    """The side panel: entities by number of mentions, quotes with speakers, events, times."""
    record, links, clusters = result["record"], result["entity_links"], result["event_clusters"]
    names = {entity["id"]: entity for entity in record.get("entities", [])}
    text = record["text"]
    entities = sorted(({"id": e["id"], "name": e["name"], "type": e["type"], "mentions": len(e.get("mentions", [])),
                        "registry": links.get(e["id"])} for e in record.get("entities", [])),
                      key=lambda e: (-e["mentions"], e["name"]))
    quotes = [{"id": q["id"], "kind": q["kind"], "text": text[q["start"]:q["end"]],
               "speaker": (names.get(q.get("speaker")) or {}).get("name") or q.get("speaker_text"),
               "registry": links.get(q.get("speaker"))} for q in record.get("quotes", [])]
    events = [{"id": v["id"], "type": v["type"], "subtype": v.get("subtype"), "status": v.get("status"),
               "trigger": v["trigger"], "cluster": clusters.get(v["id"]),
               "actors": [names[a]["name"] for a in v.get("source", []) + v.get("target", []) + v.get("participants", [])
                          if a in names]} for v in record.get("events", [])]
    times = [{"text": x["text"], "value": x.get("value")} for x in record.get("times", [])]
    return {"entities": entities, "quotes": quotes, "events": events, "times": times}


@router.get("/entities", response_class=HTMLResponse, include_in_schema=False)
def entities(request: Request, db: Database = Depends(get_db)):
    page = page_of(request)
    name, kind = param(request, "q"), choice(request, "type", ENTITY_TYPES)
    result = queries.entities(db, name=name, type=kind, page=page)
    data = {"filters": {"q": name, "type": kind}, "entities": result["items"],
            "pager": pager(request, page, len(result["items"]))}
    return render(request, "entities.html", data)


ENTITY_PAGE_ITEMS = 50  # the latest quotes and event reports on an entity's page; the rest a link away


@router.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
def entity(request: Request, entity_id: int, db: Database = Depends(get_db)):
    by = choice(request, "by", ("auto", "day", "week", "month", "year")) or "auto"
    profile = cached(request, db, ("entity", entity_id, 15), lambda: query.entity_profile(db, f"#{entity_id}", top=15))
    line = cached(request, db, ("timeline", entity_id, "day", None, None, ENTITY_PAGE_ITEMS),
                  lambda: query.timeline(db, f"#{entity_id}", by="day", limit=ENTITY_PAGE_ITEMS))
    chosen = chart.auto_period(line["counts"]) if by == "auto" else by
    periods = chart.regroup(line["counts"], chosen)
    if len(periods) > 4 * chart.MAX_BARS:
        chosen = chart.auto_period(line["counts"])
        periods = chart.regroup(line["counts"], chosen)
    quotes = [item for item in line["items"] if item["kind"] == "quote"]
    events, seen = [], set()
    for item in line["items"]:
        if item["kind"] == "event" and item["cluster_id"] not in seen:
            seen.add(item["cluster_id"])
            events.append(item)
    undated = {"quotes": sum(1 for item in quotes if not item["day"]),
               "events": sum(1 for item in events if not item["day"])}
    data = {"profile": profile, "by": chosen, "periods": periods, "quotes": newest_first(quotes),
            "events": newest_first(events), "undated": undated}
    t = translator(language(request))
    labels = {name: t("chart." + name) for name in chart.SERIES}
    svg = chart.timeline_svg(periods, labels, t("entity.chart_title", name=profile["entity"]["name"]))
    return render(request, "entity.html", data, {"chart": svg})


def newest_first(items: list[dict]) -> list[dict]:
    """Dated items newest first, then the undated ones."""
    return [item for item in items if item["day"]][::-1] + [item for item in items if not item["day"]]


@router.get("/events", response_class=HTMLResponse, include_in_schema=False)
def events(request: Request, db: Database = Depends(get_db)):
    page = page_of(request)
    filters = {"type": choice(request, "type", EVENT_TYPES), "status": choice(request, "status", STATUSES),
               "actor": param(request, "actor"), "actor2": param(request, "actor2"),
               "since": day_param(request, "since"), "until": day_param(request, "until")}
    names = [name for name in (filters["actor"], filters["actor2"]) if name]
    between = tuple(names) if len(names) == 2 else None
    result = query.events(db, type=filters["type"], status=filters["status"], actor=names[0] if len(names) == 1 else None,
                          between=between, since=filters["since"], until=filters["until"], page=page)
    data = {"filters": filters, "resolved": result["filters"], "events": result["items"],
            "pager": pager(request, page, len(result["items"])), "types": EVENT_TYPES, "statuses": STATUSES}
    return render(request, "events.html", data)


@router.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
def event(request: Request, event_id: int, db: Database = Depends(get_db)):
    return render(request, "event.html", {"event": query.event_cluster(db, event_id)})


@router.get("/quotes", response_class=HTMLResponse, include_in_schema=False)
def quotes(request: Request, db: Database = Depends(get_db)):
    page = page_of(request)
    filters = {"speaker": param(request, "speaker"), "about": param(request, "about"), "text": param(request, "text", 500),
               "kind": choice(request, "kind", ("direct", "indirect", "mixed")),
               "since": day_param(request, "since"), "until": day_param(request, "until")}
    result = query.quotes(db, page=page, **filters)
    data = {"filters": filters, "resolved": result["filters"], "quotes": result["items"],
            "pager": pager(request, page, len(result["items"]))}
    return render(request, "quotes.html", data)


@router.get("/paste", response_class=HTMLResponse, include_in_schema=False)
def paste_form(request: Request):
    return render(request, "paste.html", {"form": {}, "error": None})


@router.post("/paste", response_class=HTMLResponse, include_in_schema=False)
async def paste(request: Request):
    if not same_origin(request):
        return error_page(request, 403, "a form from another site cannot post here")
    form = await request.form()
    fields = {name: str(form.get(name) or "") for name in ("text", "format", "title", "url", "outlet", "published", "lang")}
    pasted = Pasted(**{name: value or None for name, value in fields.items()})
    pasted.format = pasted.format or "auto"
    try:
        outcome = await run_in_threadpool(request.app.state.processor.process, pasted)
    except BadRequest as error:
        return render(request, "paste.html", {"form": fields, "error": str(error)}, status=400)
    if len(outcome.articles) == 1 and not outcome.errors:
        return RedirectResponse(f"/articles/{outcome.articles[0]['id']}", status_code=303)
    status = 200 if outcome.articles else 400
    return render(request, "pasted.html", {"articles": outcome.articles, "errors": outcome.errors}, status=status)


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def docs(request: Request):
    spec = request.app.openapi()
    routes = [{"method": method.upper(), "path": path, "summary": op.get("summary"), "description": op.get("description"),
               "parameters": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                               "description": p.get("description")} for p in op.get("parameters", [])]}
              for path, methods in spec["paths"].items() for method, op in methods.items()]
    return render(request, "docs.html", {"routes": routes, "version": spec["info"]["version"]})
