"""`letopis serve`: the JSON API (FastAPI, described at /docs and /openapi.json) and the
web page over the chronicle store, in one process.

- ``app``: ``create_app(db_target)``, middleware and error handling;
- ``api``: the JSON routes under /api;
- ``pages``: the HTML pages (each with a JSON twin, ``?format=json``);
- ``highlight``: an article's text as HTML from its spans;
- ``chart``: the timeline chart as server-side SVG;
- ``processing``: pasted articles processed by one lazily made pipeline;
- ``queries``: the few queries the store's query layer lacks;
- ``i18n``: Russian and English UI strings (``i18n/*.json``).

docs/web.md describes the routes and the security choices.
"""

from .app import create_app

__all__ = ["create_app"]
