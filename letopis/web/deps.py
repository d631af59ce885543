"""What every request needs: a store connection (one per worker thread, read-only),
pagination, the UI language, and a small cache of the heavy aggregates."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Callable

from fastapi import Query, Request

from ..store.db import Database
from ..store.query import MAX_LIMIT, Page
from .i18n import choose_language, translator
from .queries import store_mark


class Store:
    """Read-only connections, one per thread (FastAPI runs sync endpoints in a
    thread pool); closed together when the app stops."""

    def __init__(self, target: str):
        self.target = target
        self._local = threading.local()
        self._opened: list[Database] = []
        self._lock = threading.Lock()

    def connection(self) -> Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = Database(self.target, readonly=True)
            self._local.db = db
            with self._lock:
                self._opened.append(db)
        return db

    def close(self) -> None:
        with self._lock:
            for db in self._opened:
                try:
                    db.close()
                except Exception:  # a connection of a finished thread: nothing to keep
                    pass
            self._opened.clear()


class Cache:
    """Results keyed on their arguments and the store's mark (so an ingest or a paste
    drops them), each kept at most ``ttl_s`` (so entity merges show within it)."""

    def __init__(self, size: int = 256, ttl_s: float = 60.0):
        self.size, self.ttl_s = size, ttl_s
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, db: Database, key: tuple, compute: Callable[[], object]):
        if self.size <= 0:
            return compute()
        full_key = (key, store_mark(db))
        now = time.monotonic()
        with self._lock:
            found = self._items.get(full_key)
            if found and now - found[0] < self.ttl_s:
                self._items.move_to_end(full_key)
                return found[1]
        value = compute()
        with self._lock:
            self._items[full_key] = (now, value)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


def get_db(request: Request) -> Database:
    return request.app.state.store.connection()


def get_page(limit: int = Query(50, ge=1, le=MAX_LIMIT, description="at most this many items"),
             offset: int = Query(0, ge=0, le=10_000_000, description="skip this many items")) -> Page:
    return Page(limit=limit, offset=offset)


def language(request: Request) -> str:
    return choose_language(request.query_params.get("lang"), request.cookies.get("lang"),
                           request.headers.get("accept-language"))


def get_t(request: Request):
    return translator(language(request))


def same_origin(request: Request) -> bool:
    """A browser's cross-site POST is refused (the server is meant for localhost, where
    any open web page could otherwise post to it): by Sec-Fetch-Site where the browser
    sends it, else by Origin; a client sending neither (curl, scripts) passes."""
    site = request.headers.get("sec-fetch-site")
    if site:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if not origin:
        return True
    return origin.split("://", 1)[-1] == request.headers.get("host", "")
