"""`letopis serve`: the API and the web page over a store, with uvicorn."""

from __future__ import annotations

import os
import sys

from ..store.db import DEFAULT_DB


def add_web_parser(commands) -> None:
    serve = commands.add_parser(
        "serve", help="serve the JSON API and the web page over the store",
        description="Serve the chronicle: the web page at http://HOST:PORT/ and the JSON API under /api "
                    "(described at /docs). Binds to localhost unless told otherwise.")
    serve.add_argument("--db", default=os.environ.get("LETOPIS_DB", DEFAULT_DB), metavar="DB",
                       help=f"the store: an SQLite file (default: $LETOPIS_DB or {DEFAULT_DB}) or postgresql://...")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--max-body", type=int, default=5_000_000, metavar="BYTES",
                       help="largest request body accepted (default 5000000)")
    serve.add_argument("--process-timeout", type=float, default=60.0, metavar="SECONDS",
                       help="longest a request waits for one pasted article to be processed (default 60)")
    serve.add_argument("--cache-size", type=int, default=256, metavar="N",
                       help="results kept in memory (stats, entity profiles, timelines), dropped when the store "
                            "changes; 0: off (default 256)")
    serve.set_defaults(func=run_serve)


def run_serve(args) -> int:
    import uvicorn

    from ..store import StoreError
    from .app import create_app

    try:
        app = create_app(args.db, max_body_bytes=args.max_body, process_timeout_s=args.process_timeout,
                         cache_size=args.cache_size)
    except StoreError as error:
        print(f"letopis: {error}", file=sys.stderr)
        return 1
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"letopis: serving on {args.host}: anyone who can reach it can read the store and add articles",
              file=sys.stderr)
    print(f"letopis: serving {args.db} at http://{args.host}:{args.port}/ (API: /api, docs: /docs); Ctrl-C stops",
          file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    return 0
