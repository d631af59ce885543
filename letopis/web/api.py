"""The JSON API under /api: every answer is what ``letopis.store.query`` returns, with
``next``/``previous`` links on lists. Errors: {"error": {"status", "message"}}."""

from __future__ import annotations

import json
from datetime import date as Day
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from ..store import query
from ..store.db import Database
from ..store.query import Page
from . import queries
from .deps import get_db, get_page, same_origin
from .processing import BadRequest, Pasted, PasteError

router = APIRouter(prefix="/api")
Kind = Literal["direct", "indirect", "mixed"]
EntityType = Literal["PER", "ORG", "GPE", "LOC", "MISC"]
Lang = Literal["ru", "uk", "en", "other"]
By = Literal["day", "week", "month", "year"]


def iso(day: Day | None) -> str | None:
    return day.isoformat() if day else None


def paged(request: Request, result: dict, page: Page) -> dict:
    """``next`` and ``previous`` URLs for a list answer."""
    result["next"] = str(request.url.include_query_params(offset=page.offset + page.limit)) \
        if len(result["items"]) >= page.limit else None
    result["previous"] = str(request.url.include_query_params(offset=max(0, page.offset - page.limit))) \
        if page.offset > 0 else None
    return result


def cached(request: Request, db: Database, key: tuple, compute):
    return request.app.state.cache.get(db, key, compute)


@router.get("/stats", summary="what the store holds")
def stats(request: Request, db: Database = Depends(get_db)) -> dict:
    return cached(request, db, ("stats",), lambda: query.stats(db))


@router.get("/articles", summary="articles, newest first (first reports only unless all_copies)")
def articles(request: Request, since: Day | None = None, until: Day | None = None,
             outlet: str | None = None, lang: Lang | None = None, all_copies: bool = False,
             page: Page = Depends(get_page), db: Database = Depends(get_db)) -> dict:
    result = query.articles(db, since=iso(since), until=iso(until), outlet=outlet, lang=lang, all_copies=all_copies, page=page)
    return paged(request, result, page)


@router.get("/articles/{article_id}", summary="one article: its record (zones, entities with mentions, quotes, "
                                               "events, times, all with spans) and its links into the chronicle")
def article(article_id: str, db: Database = Depends(get_db)) -> dict:
    return query.article(db, article_id)


@router.post("/articles", summary="process and store a pasted text, an HTML page or a JSON Lines batch",
             description="Send JSON {\"text\": ...} (or \"html\"), with optional title, url, outlet, published "
                         "(YYYY-MM-DD), lang, format (auto, text, html, jsonl); or a raw body with Content-Type "
                         "text/plain, text/html or application/x-ndjson. Answers the stored articles' ids.")
async def post_articles(request: Request) -> JSONResponse:
    if not same_origin(request):
        raise HTTPException(403, "a page of another site cannot post articles here")
    pasted = await pasted_from(request)
    from starlette.concurrency import run_in_threadpool

    outcome = await run_in_threadpool(request.app.state.processor.process, pasted)
    status = 201 if outcome.articles else 400
    body = {"articles": [dict(a, url=f"/api/articles/{a['id']}", page=f"/articles/{a['id']}") for a in outcome.articles],
            "errors": outcome.errors}
    if not outcome.articles:
        reasons = "; ".join(f"{e['error'].get('reason')}: {e['error'].get('detail')}" for e in outcome.errors)
        body["error"] = {"status": 400, "message": f"nothing could be processed: {reasons or 'no article'}"}
    return JSONResponse(body, status_code=status)


async def pasted_from(request: Request) -> Pasted:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PasteError("the body is not UTF-8 text")
    params = request.query_params
    if kind == "application/json":
        try:
            data = json.loads(text)
        except ValueError as error:
            raise PasteError(f"the body is not valid JSON: {error}")
        if not isinstance(data, dict):
            raise PasteError('send one JSON object: {"text": "..."} (a batch: JSON Lines as application/x-ndjson)')
        fields = {name: data.get(name) for name in ("title", "url", "outlet", "published", "lang", "format")}
        for name, value in fields.items():
            if value is not None and not isinstance(value, str):
                raise PasteError(f"`{name}` must be a string")
        body = data.get("text") if data.get("text") is not None else data.get("html")
        if not isinstance(body, str):
            raise PasteError('the object needs "text" (or "html") as a string')
        fmt = fields.pop("format") or ("html" if data.get("text") is None else "auto")
        return Pasted(text=body, format=fmt, **fields)
    formats = {"text/plain": "text", "text/html": "html", "application/x-ndjson": "jsonl",
               "application/jsonl": "jsonl", "application/jsonlines": "jsonl"}
    if kind not in formats:
        raise PasteError(f"unsupported Content-Type {kind or 'none'!r}: send application/json, text/plain, "
                         f"text/html or application/x-ndjson")
    return Pasted(text=text, format=formats[kind], title=params.get("title"), url=params.get("url"),
                  outlet=params.get("outlet"), published=params.get("published"), lang=params.get("lang"))


@router.get("/entities", summary="registry entities, most mentioned first; q matches names and aliases")
def entities(request: Request, q: str | None = Query(None, max_length=200), type: EntityType | None = None,
             page: Page = Depends(get_page), db: Database = Depends(get_db)) -> dict:
    return paged(request, queries.entities(db, name=q, type=type, page=page), page)


@router.get("/entities/resolve", summary="the one entity a name means (400 with candidates when ambiguous)")
def resolve(name: str = Query(..., min_length=1, max_length=200), db: Database = Depends(get_db)) -> dict:
    entity = query.resolve_entity(db, name)
    return {key: entity[key] for key in queries.ENTITY_COLUMNS.split(", ")}


@router.get("/entities/{entity_id}", summary="an entity's profile: names, roles over time, counts, co-occurring")
def entity(request: Request, entity_id: int, top: int = Query(10, ge=1, le=100), db: Database = Depends(get_db)) -> dict:
    return cached(request, db, ("entity", entity_id, top), lambda: query.entity_profile(db, f"#{entity_id}", top=top))


@router.get("/entities/{entity_id}/timeline", summary="an entity's quotes and events in time order, counts per period")
def timeline(request: Request, entity_id: int, by: By = "day", since: Day | None = None,
             until: Day | None = None, limit: int = Query(200, ge=1, le=1000),
             db: Database = Depends(get_db)) -> dict:
    return cached(request, db, ("timeline", entity_id, by, since, until, limit),
                  lambda: query.timeline(db, f"#{entity_id}", by=by, since=iso(since), until=iso(until), limit=limit))


@router.get("/entities/{entity_id}/cooccurring", summary="the entities named in the same articles, most often first")
def cooccurring(request: Request, entity_id: int, limit: int = Query(20, ge=1, le=100),
                db: Database = Depends(get_db)) -> dict:
    profile = cached(request, db, ("entity", entity_id, limit),
                     lambda: query.entity_profile(db, f"#{entity_id}", top=limit))
    return {"entity": profile["entity"], "items": profile["cooccurring"]}


@router.get("/quotes", summary="quotes by speaker, subject, words, kind and date, newest first")
def quotes(request: Request, speaker: str | None = Query(None, max_length=200), about: str | None = Query(None, max_length=200),
           text: str | None = Query(None, max_length=500), kind: Kind | None = None,
           since: Day | None = None, until: Day | None = None,
           all_copies: bool = False, page: Page = Depends(get_page), db: Database = Depends(get_db)) -> dict:
    result = query.quotes(db, speaker=speaker, about=about, since=iso(since), until=iso(until), text=text, kind=kind,
                          all_copies=all_copies, page=page)
    return paged(request, result, page)


@router.get("/events", summary="real-world events (each with its reports), newest first",
            description="between=A&between=B: events with both A and B among the actors.")
def events(request: Request, type: str | None = Query(None, max_length=200), status: str | None = Query(None, max_length=200),
           actor: str | None = Query(None, max_length=200), between: list[str] = Query([], max_length=2),
           since: Day | None = None, until: Day | None = None,
           page: Page = Depends(get_page), db: Database = Depends(get_db)) -> dict:
    pair = check_between(between)
    result = query.events(db, type=type, actor=actor, between=pair, status=status, since=iso(since), until=iso(until), page=page)
    return paged(request, result, page)


def check_between(between: list[str]) -> tuple[str, str] | None:
    names = [name for name in between if name.strip()]
    if len(names) == 1:
        raise BadRequest("between needs two names: between=A&between=B")
    return (names[0], names[1]) if names else None


@router.get("/events/{event_id}", summary="one real-world event with all its reports and its status history")
def event(event_id: int, db: Database = Depends(get_db)) -> dict:
    return query.event_cluster(db, event_id)


@router.get("/search", summary="full-text search (Russian and Ukrainian word forms), with snippets")
def search(request: Request, q: str = Query(..., min_length=1, max_length=500), since: Day | None = None,
           until: Day | None = None, outlet: str | None = None, lang: Lang | None = None,
           all_copies: bool = False, limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0),
           db: Database = Depends(get_db)) -> dict:
    page = Page(limit=limit, offset=offset)
    result = query.search(db, q, since=iso(since), until=iso(until), outlet=outlet, lang=lang, all_copies=all_copies, page=page)
    return paged(request, result, page)
