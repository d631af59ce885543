"""Watchlists on the web (docs/watch.md): the JSON API under /api/watchlists, Atom
feeds under /feeds/, and the pages /watchlists (a list and a form) and
/watchlists/ID, with the watch forms of the entity and event pages posting to
/watchlists. Writes go through a short-lived writable connection; a POST or DELETE
from a page of another site is refused."""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from ..record import EVENT_STATUSES
from ..store.db import Database
from ..store.query import Ambiguous, NotFound
from ..watch import digest, feeds
from ..watch.watchlists import EVENT_TYPES, Conflict, WatchedName, WatchError, Watchlist, add_watchlist, \
    get_watchlist, list_watchlists, remove_watchlist
from ..watch.webhooks import deliveries
from .deps import get_db, language, same_origin

router = APIRouter()
ATOM_TYPE = "application/atom+xml; charset=utf-8"


@contextmanager
def writable(request: Request):
    from ..store import open_store

    db = open_store(request.app.state.db_target)
    try:
        yield db
    finally:
        db.close()


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def described(request: Request, watchlist: Watchlist) -> dict:
    data = watchlist.to_dict()
    data["feed"] = f"{base_url(request)}/feeds/watchlists/{watchlist.id}.atom"
    data["page"] = f"/watchlists/{watchlist.id}"
    data["matches_url"] = f"/api/watchlists/{watchlist.id}/matches"
    return data


class WatchlistIn(BaseModel):
    name: str = Field(..., min_length=1, max_length=100)
    entities: list[str] = Field([], max_length=20, description="speakers or actors (names, aliases or #ID)")
    about: list[str] = Field([], max_length=20, description="named in the quote, or another actor or the place")
    quotes: bool | None = Field(None, description="follow quotes (default: yes, unless only events are asked for)")
    events: bool | None = Field(None, description="follow events (default: yes, unless only quotes are asked for)")
    event_types: list[str] = Field([], max_length=20, description="PLOVER types; none: any")
    statuses: list[str] = Field([], max_length=10, description="statuses of the first report; none: any")
    webhook_url: str | None = Field(None, max_length=2000)
    webhook_secret: str | None = Field(None, max_length=200)
    allow_new: bool = Field(False, description="watch names not in the store yet")

    def watchlist(self) -> Watchlist:
        wants_events = self.events if self.events is not None else \
            bool(self.event_types or self.statuses) or not self.quotes
        wants_quotes = self.quotes if self.quotes is not None else not (self.event_types or self.statuses or self.events)
        names = [WatchedName("entity", name) for name in self.entities] + \
                [WatchedName("about", name) for name in self.about]
        return Watchlist(name=self.name, names=names, quotes=wants_quotes, events=wants_events,
                         event_types=self.event_types, statuses=self.statuses, webhook_url=self.webhook_url,
                         webhook_secret=self.webhook_secret)


def create(request: Request, spec: Watchlist, allow_new: bool) -> Watchlist:
    """Add; WatchError as HTTP 400 (409 for a taken name); Ambiguous and NotFound go to
    the app's handlers (400 with candidates, 404)."""
    try:
        with writable(request) as db:
            return add_watchlist(db, spec, allow_new=allow_new)
    except Conflict as error:
        raise HTTPException(409, str(error))
    except WatchError as error:
        raise HTTPException(400, str(error))


# -- the API ---------------------------------------------------------------------------------

@router.get("/api/watchlists", summary="the watchlists, with what each follows and its number of matches")
def api_list(request: Request, db: Database = Depends(get_db)) -> dict:
    return {"items": [described(request, item) for item in list_watchlists(db)]}


@router.post("/api/watchlists", status_code=201, summary="add a watchlist",
             description="JSON: name, entities and/or about (names, aliases or #ID), quotes, events, event_types, "
                         "statuses, webhook_url, webhook_secret, allow_new. An ambiguous name answers 400 with the "
                         "candidates; an unknown one 404 (unless allow_new); a taken name 409.")
def api_add(request: Request, body: WatchlistIn) -> dict:
    if not same_origin(request):
        raise HTTPException(403, "a page of another site cannot add watchlists here")
    return described(request, create(request, body.watchlist(), body.allow_new))


@router.get("/api/watchlists/{key}", summary="one watchlist (by id or name)")
def api_get(request: Request, key: str, db: Database = Depends(get_db)) -> dict:
    watchlist = get_watchlist(db, key)
    data = described(request, watchlist)
    if watchlist.webhook_url:
        data["deliveries"] = deliveries(db, watchlist.id, limit=20)
    return data


@router.delete("/api/watchlists/{key}", summary="remove a watchlist with its matches")
def api_remove(request: Request, key: str) -> dict:
    if not same_origin(request):
        raise HTTPException(403, "a page of another site cannot remove watchlists here")
    with writable(request) as db:
        removed = remove_watchlist(db, key)
    return {"removed": removed.to_dict()}


@router.get("/api/watchlists/{key}/matches", summary="a watchlist's notifications, oldest first",
            description="since/until: when they were matched (ingested), a date or a date-time (UTC).")
def api_matches(request: Request, key: str, since: str | None = Query(None, max_length=40),
                until: str | None = Query(None, max_length=40), limit: int = Query(100, ge=1, le=1000),
                offset: int = Query(0, ge=0), db: Database = Depends(get_db)) -> dict:
    watchlist = get_watchlist(db, key)
    try:
        start, end = digest.parse_since(since), digest.parse_since(until)
    except ValueError as error:
        raise HTTPException(400, str(error))
    items = digest.matches(db, watchlist, since=start, until=end, limit=limit, offset=offset)
    for item in items:
        item["url"] = base_url(request) + item["path"]
    return {"watchlist": {"id": watchlist.id, "name": watchlist.name}, "items": items, "limit": limit,
            "offset": offset, "next": str(request.url.include_query_params(offset=offset + limit))
            if len(items) >= limit else None}


# -- feeds -----------------------------------------------------------------------------------

def atom_key(key: str) -> str:
    if not key.endswith(".atom"):
        raise NotFound(f"no feed at {key!r}: feeds end in .atom")
    return key[:-len(".atom")]


def atom_response(request: Request, body: bytes) -> Response:
    """The feed, or 304 when the reader's copy (If-None-Match) is the same."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=ATOM_TYPE, headers=headers)


@router.get("/feeds/watchlists/{key}", summary="a watchlist's Atom feed (/feeds/watchlists/ID.atom)",
            response_class=Response)
def watchlist_feed(request: Request, key: str, db: Database = Depends(get_db)) -> Response:
    watchlist = get_watchlist(db, atom_key(key))
    return atom_response(request, feeds.watchlist_feed(db, watchlist, base_url(request), lang=language(request)))


@router.get("/feeds/entities/{key}", summary="an entity's Atom feed: its quotes and events (/feeds/entities/ID.atom)",
            response_class=Response)
def entity_feed(request: Request, key: str, db: Database = Depends(get_db)) -> Response:
    number = atom_key(key)
    entity = db.row("SELECT id, name, type FROM entities WHERE id = ?", (int(number),)) if number.isdigit() else None
    if not entity:
        raise NotFound(f"no entity #{number}")
    return atom_response(request, feeds.entity_feed(db, entity, base_url(request), lang=language(request)))


# -- pages -------------------------------------------------------------------------------------

def lines(values: list[str]) -> list[str]:
    return [line.strip() for value in values for line in value.replace(",", "\n").splitlines() if line.strip()]


def form_spec(form) -> tuple[Watchlist, bool]:
    names = [WatchedName("entity", name) for name in lines(form.getlist("entity"))] + \
            [WatchedName("about", name) for name in lines(form.getlist("about"))]
    return Watchlist(name=str(form.get("name") or "").strip(), names=names, quotes=bool(form.get("quotes")),
                     events=bool(form.get("events")), event_types=[str(v) for v in form.getlist("types")],
                     statuses=[str(v) for v in form.getlist("statuses")],
                     webhook_url=str(form.get("webhook_url") or "").strip() or None), bool(form.get("allow_new"))


def list_page(request: Request, db: Database, form: dict | None = None, error: dict | None = None, status: int = 200):
    from .pages import render

    data = {"watchlists": [described(request, item) for item in list_watchlists(db)], "form": form or {},
            "error": error, "types": EVENT_TYPES, "statuses": EVENT_STATUSES}
    return render(request, "watchlists.html", data, status=status)


@router.get("/watchlists", include_in_schema=False)
def watchlists_page(request: Request, db: Database = Depends(get_db)):
    return list_page(request, db)


@router.post("/watchlists", include_in_schema=False)
async def watchlists_add(request: Request, db: Database = Depends(get_db)):
    from starlette.concurrency import run_in_threadpool

    from .pages import error_page

    if not same_origin(request):
        return error_page(request, 403, "a form from another site cannot post here")
    form = await request.form()
    spec, allow_new = form_spec(form)
    shown = {"name": spec.name, "entity": "\n".join(lines(form.getlist("entity"))),
             "about": "\n".join(lines(form.getlist("about"))), "quotes": spec.quotes, "events": spec.events,
             "types": spec.event_types, "statuses": spec.statuses, "webhook_url": spec.webhook_url or "",
             "allow_new": allow_new}
    try:
        added = await run_in_threadpool(create, request, spec, allow_new)
    except HTTPException as error:
        return list_page(request, db, shown, {"message": error.detail, "candidates": []}, status=error.status_code)
    except Ambiguous as error:
        candidates = [{key: c.get(key) for key in ("id", "name", "type", "articles")} for c in error.candidates]
        return list_page(request, db, shown, {"message": str(error), "candidates": candidates}, status=400)
    except NotFound as error:
        return list_page(request, db, shown, {"message": str(error), "candidates": []}, status=404)
    return RedirectResponse(f"/watchlists/{added.id}", status_code=303)


@router.get("/watchlists/{key}", include_in_schema=False)
def watchlist_page(request: Request, key: str, db: Database = Depends(get_db)):
    from .pages import render

    watchlist = get_watchlist(db, key)
    rows = db.rows("SELECT id, payload FROM watch_matches WHERE watchlist_id = ? ORDER BY id DESC LIMIT 100",
                   (watchlist.id,))
    items = [dict(json.loads(row["payload"]), id=row["id"]) for row in rows]
    data = {"watchlist": described(request, watchlist), "items": items,
            "deliveries": deliveries(db, watchlist.id, limit=20) if watchlist.webhook_url else []}
    return render(request, "watchlist.html", data)


@router.post("/watchlists/{key}/remove", include_in_schema=False)
def watchlist_remove(request: Request, key: str):
    from .pages import error_page

    if not same_origin(request):
        return error_page(request, 403, "a form from another site cannot post here")
    with writable(request) as db:
        remove_watchlist(db, key)
    return RedirectResponse("/watchlists", status_code=303)

