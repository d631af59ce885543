"""The web application: the JSON API under /api, the HTML pages, the static assets,
security headers, a body limit and errors as JSON (API) or friendly pages (UI)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..store import StoreError, open_store
from ..store.query import Ambiguous, NotFound
from .deps import Cache, Store
from .processing import BadRequest, ProcessingTimeout, Processor
from .security import BodyLimit, BodyTooLarge, SecurityHeaders

STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 5_000_000
PROCESS_TIMEOUT_S = 60.0


def create_app(db_target: str, pipeline_factory: Callable | None = None, max_body_bytes: int = MAX_BODY_BYTES,
               process_timeout_s: float = PROCESS_TIMEOUT_S, max_batch: int = 100, cache_size: int = 256) -> FastAPI:
    """The app over the store at DB_TARGET (created and migrated if need be).
    ``pipeline_factory()`` makes the pipeline for pasted articles (default: the
    shipped models, loaded on the first paste)."""
    open_store(db_target).close()  # create or migrate before the read-only connections open
    store = Store(db_target)
    processor = Processor(db_target, pipeline_factory, timeout_s=process_timeout_s, max_articles=max_batch)

    @asynccontextmanager
    async def lifespan(app):
        from starlette.concurrency import run_in_threadpool

        await run_in_threadpool(warm_up)
        yield
        processor.close()
        store.close()

    app = FastAPI(title="letopis", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="The chronicle of news articles: articles, entities, quotes, events, search. "
                              "Every fact carries its article id and character span.")
    app.state.store = store
    app.state.processor = processor
    app.state.cache = Cache(size=cache_size)
    app.state.db_target = db_target
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    add_error_handlers(app)
    from . import api, pages, watch

    app.include_router(api.router)
    app.include_router(watch.router)
    app.include_router(pages.router)
    return app


def warm_up() -> None:
    """Load the search's morphology dictionaries now rather than on the first search."""
    from ..store.search import parse_query

    parse_query("встреча")


# -- errors ---------------------------------------------------------------------------------

def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.query_params.get("format") == "json"


def error_response(request: Request, status: int, message: str, **extra):
    if wants_json(request):
        return JSONResponse({"error": {"status": status, "message": message, **extra}}, status_code=status)
    from .pages import error_page

    return error_page(request, status, message, extra.get("candidates"))


def add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(request, error):
        return error_response(request, 404, str(error))

    @app.exception_handler(Ambiguous)
    async def ambiguous(request, error):
        candidates = [{key: c.get(key) for key in ("id", "name", "type", "articles")} for c in error.candidates]
        return error_response(request, 400, str(error), candidates=candidates)

    @app.exception_handler(RequestValidationError)
    async def invalid(request, error):
        problems = [f"{'.'.join(str(p) for p in e['loc'] if p not in ('query', 'body', 'path'))}: {e['msg']}"
                    for e in error.errors()]
        return error_response(request, 422, "invalid request: " + "; ".join(problems),
                              details=[{"loc": list(e["loc"]), "msg": e["msg"]} for e in error.errors()])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request, error):
        message = error.detail if isinstance(error.detail, str) else "error"
        if error.status_code == 404 and message == "Not Found":
            message = f"no page at {request.url.path}"
        return error_response(request, error.status_code, message)

    @app.exception_handler(BadRequest)
    async def bad_paste(request, error):
        return error_response(request, 400, str(error))

    @app.exception_handler(ProcessingTimeout)
    async def too_slow(request, error):
        return error_response(request, 504, str(error))

    @app.exception_handler(BodyTooLarge)
    async def too_large(request, error):
        return error_response(request, 413, "the request body is larger than the limit")

    @app.exception_handler(StoreError)
    async def store_error(request, error):
        return error_response(request, 503, str(error))
