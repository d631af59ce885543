"""Web latency: p50/p95 per page and API endpoint of `letopis serve` over a store.

    python bench/web.py --db STORE [--requests 50] [--threads 4] [--port 8765]
                        [--cache-size 256] [--json OUT]
    python bench/web.py --url http://127.0.0.1:8000 [...]   # a server already running

Starts `letopis serve --db STORE` on 127.0.0.1 (or uses --url, which must be local),
picks sample ids from the store through the API (recent articles, the most quoted
people, recent events), then sends a fixed number of GET requests per endpoint from a
few threads, cycling through the samples, and reports p50, p95 and max in
milliseconds. Bounded: requests x endpoints requests in all, nothing leaves this
machine. `--cache-size 0` turns the server's small result cache off (stats, entity
profiles and timelines), to see the uncached cost.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 150.0


def start_server(db: str, port: int, cache_size: int) -> subprocess.Popen:
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    command = [sys.executable, "-m", "letopis", "serve", "--db", db, "--host", "127.0.0.1", "--port", str(port),
               "--cache-size", str(cache_size)]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_ready(client: httpx.Client, server: subprocess.Popen | None, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise SystemExit(f"the server stopped: {server.stderr.read().decode(errors='replace')}")
        try:
            if client.get("/api/stats").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not answer within 60 s")


def samples(client: httpx.Client) -> dict:
    stats = client.get("/api/stats").json()
    articles = [a["id"] for a in client.get("/api/articles", params={"limit": 20}).json()["items"]]
    people = [p["id"] for p in stats["most_quoted"]] or [1]
    names = [p["name"] for p in stats["most_quoted"]] or ["Путин"]
    events = [e["id"] for e in client.get("/api/events", params={"limit": 20}).json()["items"]] or [1]
    return {"articles": articles or ["0"], "people": people, "names": names, "events": events,
            "words": ["встреча", "переговоры", "санкции", "заявил", "безопасность"]}


def endpoints(s: dict) -> dict:
    """Endpoint name -> function of the request number giving a path."""
    def pick(values, i):
        return values[i % len(values)]

    return {
        "page /": lambda i: "/",
        "page /search": lambda i: f"/search?q={quote(pick(s['words'], i))}",
        "page /articles/{id}": lambda i: f"/articles/{pick(s['articles'], i)}",
        "page /entities/{id}": lambda i: f"/entities/{pick(s['people'], i)}",
        "page /events": lambda i: "/events",
        "page /events?actor": lambda i: f"/events?actor={quote(pick(s['names'], i))}",
        "page /events/{id}": lambda i: f"/events/{pick(s['events'], i)}",
        "page /quotes?speaker": lambda i: f"/quotes?speaker={quote(pick(s['names'], i))}",
        "api /stats": lambda i: "/api/stats",
        "api /articles": lambda i: f"/api/articles?offset={(i % 5) * 50}",
        "api /articles/{id}": lambda i: f"/api/articles/{pick(s['articles'], i)}",
        "api /entities?q": lambda i: f"/api/entities?q={quote(pick(s['names'], i))}",
        "api /entities/{id}": lambda i: f"/api/entities/{pick(s['people'], i)}",
        "api /entities/{id}/timeline": lambda i: f"/api/entities/{pick(s['people'], i)}/timeline?by=week",
        "api /quotes?speaker": lambda i: f"/api/quotes?speaker={quote(pick(s['names'], i))}",
        "api /events": lambda i: "/api/events",
        "api /events/{id}": lambda i: f"/api/events/{pick(s['events'], i)}",
        "api /search": lambda i: f"/api/search?q={quote(pick(s['words'], i))}",
    }


def measure(base: str, path_of, requests: int, threads: int) -> dict:
    def one(i: int) -> tuple[float, int]:
        with httpx.Client(base_url=base, timeout=60) as client:
            started = time.perf_counter()
            status = client.get(path_of(i)).status_code
            return (time.perf_counter() - started) * 1000, status

    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(one, range(requests)))
    times = sorted(ms for ms, _ in results)
    failed = sum(1 for _, status in results if status >= 400)
    return {"requests": requests, "failed": failed, "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1), "max_ms": round(times[-1], 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="the store to serve (an SQLite file)")
    parser.add_argument("--url", help="a server already running on this machine")
    parser.add_argument("--requests", type=int, default=50, help="requests per endpoint (default 50)")
    parser.add_argument("--threads", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--cache-size", type=int, default=256, help="the server's result cache (0: off)")
    parser.add_argument("--json", metavar="OUT", help="also write the results as JSON")
    args = parser.parse_args(argv)
    if bool(args.db) == bool(args.url):
        parser.error("give --db STORE or --url URL")
    base = args.url or f"http://127.0.0.1:{args.port}"
    if urlsplit(base).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--url must be a server on this machine (127.0.0.1 or localhost)")
    server = start_server(args.db, args.port, args.cache_size) if args.db else None
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            wait_ready(client, server)
            routes = endpoints(samples(client))
            for path_of in routes.values():  # one warm-up request each (imports, first connections)
                client.get(path_of(0))
        results = {}
        print(f"{'endpoint':32} {'n':>5} {'fail':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for name, path_of in routes.items():
            row = results[name] = measure(base, path_of, args.requests, args.threads)
            flag = "" if row["p95_ms"] < TARGET_P95_MS else "  over the target"
            print(f"{name:32} {row['requests']:5} {row['failed']:5} {row['p50_ms']:8} {row['p95_ms']:8} "
                  f"{row['max_ms']:8}{flag}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
    worst = max(row["p95_ms"] for row in results.values())
    print(f"worst p95: {worst} ms (target {TARGET_P95_MS:.0f} ms); {args.requests} requests x "
          f"{len(results)} endpoints, {args.threads} threads")
    if args.json:
        Path(args.json).write_text(json.dumps({"db": args.db, "url": base, "threads": args.threads,
                                               "cache_size": args.cache_size, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
