"""`letopis watch ...`: add, list, remove watchlists; their digest, feed and webhook
deliveries (docs/watch.md)."""

from __future__ import annotations

import json
import os
import sys
import time

from ..store.db import DEFAULT_DB


def add_watch_parser(commands) -> None:
    watch = commands.add_parser(
        "watch", help="watchlists: be told of new statements and events about people, organizations, countries",
        description="Watchlists are matched at ingest: each new quote or event (and each status change of a "
                    "followed event) that fits one is recorded once. Read them as a digest, an Atom feed "
                    "(also served by `letopis serve` under /feeds/), or have them POSTed to a webhook.")
    actions = watch.add_subparsers(title="actions", metavar="ACTION")

    def with_db(parser):
        parser.add_argument("--db", default=os.environ.get("LETOPIS_DB", DEFAULT_DB), metavar="DB",
                            help=f"the store: an SQLite file (default: $LETOPIS_DB or {DEFAULT_DB}) or postgresql://...")
        return parser

    add = with_db(actions.add_parser(
        "add", help="add a watchlist",
        description="Follow quotes and/or events of entities. Without --quotes, --events or --status: both "
                    "quotes and events of any type. Names are resolved as `letopis quotes --speaker` does "
                    "(#ID works); an ambiguous name lists the candidates."))
    add.add_argument("name", help="the watchlist's name")
    add.add_argument("--entity", action="append", default=[], metavar="NAME",
                     help="a speaker or actor to watch (repeatable: any of them)")
    add.add_argument("--about", action="append", default=[], metavar="NAME",
                     help="named inside the quote, or another actor or the place of the event (repeatable: any)")
    add.add_argument("--quotes", action="store_true", help="follow quotes")
    add.add_argument("--events", nargs="?", const="", default=None, metavar="TYPES",
                     help="follow events, of these PLOVER types (comma-separated; none given: any type)")
    add.add_argument("--status", metavar="STATUSES",
                     help="events first reported with one of these statuses (planned,not_planned,...); once "
                          "followed, every status change of the event is told")
    add.add_argument("--new", action="store_true", dest="allow_new",
                     help="watch names not in the store yet (resolved when an article brings them)")
    add.add_argument("--webhook", metavar="URL", help="POST each match as JSON to this URL (`letopis watch deliver`)")
    add.add_argument("--webhook-secret", metavar="SECRET",
                     help="sign the POSTs: X-Letopis-Signature: sha256=HMAC(secret, body)")
    add.add_argument("--json", action="store_true", help="print the watchlist as JSON")
    add.set_defaults(func=watch_command(run_add))

    listing = with_db(actions.add_parser("list", help="list the watchlists"))
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=watch_command(run_list))

    remove = with_db(actions.add_parser("remove", help="remove a watchlist (with its matches)"))
    remove.add_argument("name", help="name or #ID")
    remove.set_defaults(func=watch_command(run_remove))

    digest = with_db(actions.add_parser(
        "digest", help="what a watchlist matched, to read",
        description="The notifications of a watchlist matched since a time (when they were ingested), "
                    "grouped: statements, events, status changes."))
    digest.add_argument("name", help="name or #ID")
    digest.add_argument("--since", metavar="TIME", help="2021-12-01, 2021-12-01T08:00, or back from now: 24h, 7d")
    digest.add_argument("--until", metavar="TIME", help="up to this time (exclusive)")
    digest.add_argument("--format", choices=["text", "markdown", "html", "json"], default="text")
    digest.add_argument("--base-url", metavar="URL", help="make links absolute: the address of `letopis serve`")
    digest.add_argument("--limit", type=int, default=500, metavar="N", help="at most N notifications (default 500)")
    digest.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    digest.set_defaults(func=watch_command(run_digest))

    feed = with_db(actions.add_parser("feed", help="a watchlist's Atom feed (as `letopis serve` serves it)"))
    feed.add_argument("name", help="name or #ID")
    feed.add_argument("--base-url", default="http://127.0.0.1:8000", metavar="URL",
                      help="the address of `letopis serve`, for the links (default http://127.0.0.1:8000)")
    feed.add_argument("--lang", choices=["ru", "en"],
                      help="event types and statuses in words of this language (default: their codes)")
    feed.add_argument("-o", "--output", metavar="FILE")
    feed.set_defaults(func=watch_command(run_feed))

    deliver = with_db(actions.add_parser(
        "deliver", help="POST the matches owed to webhooks",
        description="Send every webhook delivery that is due; failures are retried with exponential backoff "
                    "and recorded. Run it after each ingest, from cron, or with --loop as a service."))
    deliver.add_argument("--loop", action="store_true",
                         help="keep running: send new and retried deliveries as they fall due")
    deliver.add_argument("--poll", type=float, default=5.0, metavar="SECONDS",
                         help="with --loop: look this often (default 5)")
    deliver.add_argument("--retry-base", type=float, default=30.0, metavar="SECONDS",
                         help="first retry after this long, doubling each time up to an hour (default 30)")
    deliver.add_argument("--max-attempts", type=int, default=8, metavar="N", help="give up after N attempts (default 8)")
    deliver.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="per POST (default 10)")
    deliver.add_argument("--base-url", metavar="URL", help="add absolute links (`url`) to the payloads")
    deliver.add_argument("--status", action="store_true", help="list the latest deliveries and their state instead")
    deliver.set_defaults(func=watch_command(run_deliver))
    watch.set_defaults(func=lambda args: (watch.print_help(), 2)[1])


def watch_command(function):
    """``store_command``, with a watchlist's own errors (a duplicate name, a bad filter)
    told as clearly as an unknown name."""
    from ..store.cli import store_command
    from .watchlists import WatchError

    return store_command(function, user_errors=(WatchError,))


def run_add(db, args) -> int:
    from .watchlists import WatchedName, Watchlist, add_watchlist, describe

    follows_events = args.events is not None or args.status is not None
    watchlist = Watchlist(
        name=args.name, names=[WatchedName("entity", name) for name in args.entity] +
                              [WatchedName("about", name) for name in args.about],
        quotes=args.quotes or not follows_events, events=follows_events or not args.quotes,
        event_types=args.events or [], statuses=args.status or [], webhook_url=args.webhook,
        webhook_secret=args.webhook_secret)
    added = add_watchlist(db, watchlist, allow_new=args.allow_new)
    if args.json:
        print(json.dumps(added.to_dict(), ensure_ascii=False, indent=2))
        return 0
    print(f"letopis: watchlist #{added.id} «{added.name}» added: {describe(added)}", file=sys.stderr)
    for item in added.names:
        if item.entity_id is None:
            print(f"letopis: {item.name!r} is not in the store yet: watched by name until an article brings it",
                  file=sys.stderr)
    return 0


def run_list(db, args) -> int:
    from .watchlists import describe, list_watchlists

    found = list_watchlists(db)
    if args.json:
        print(json.dumps([item.to_dict() for item in found], ensure_ascii=False, indent=2))
        return 0
    if not found:
        print("letopis: no watchlists yet: `letopis watch add NAME --entity NAME`", file=sys.stderr)
        return 0
    for item in found:
        hook = f" → {item.webhook_url}" if item.webhook_url else ""
        print(f"#{item.id}\t{item.name}\t{item.matches} matches\t{describe(item)}{hook}")
    return 0


def run_remove(db, args) -> int:
    from .watchlists import remove_watchlist

    removed = remove_watchlist(db, args.name)
    print(f"letopis: watchlist #{removed.id} «{removed.name}» removed, with its {removed.matches} matches",
          file=sys.stderr)
    return 0


def write(text: str | bytes, output: str | None) -> None:
    if output:
        mode = "wb" if isinstance(text, bytes) else "w"
        with open(output, mode, **({} if isinstance(text, bytes) else {"encoding": "utf-8"})) as stream:
            stream.write(text)
    elif isinstance(text, bytes):
        sys.stdout.buffer.write(text)
        sys.stdout.flush()
    else:
        sys.stdout.write(text)


def run_digest(db, args) -> int:
    from .digest import matches, parse_since, render
    from .watchlists import get_watchlist

    watchlist = get_watchlist(db, args.name)
    since, until = parse_since(args.since), parse_since(args.until)
    items = matches(db, watchlist, since=since, until=until, limit=args.limit)
    if args.format == "json":
        text = json.dumps({"watchlist": watchlist.to_dict(), "since": since, "until": until, "items": items},
                          ensure_ascii=False, indent=2) + "\n"
    else:
        text = render(watchlist, items, args.format, base_url=args.base_url, since=args.since, until=args.until)
        if args.format == "html" and not args.base_url:
            print("letopis: the links are relative: give --base-url (the address of `letopis serve`) for an e-mail",
                  file=sys.stderr)
    write(text, args.output)
    return 0


def run_feed(db, args) -> int:
    from .feeds import watchlist_feed
    from .watchlists import get_watchlist

    write(watchlist_feed(db, get_watchlist(db, args.name), args.base_url, lang=args.lang), args.output)
    return 0


def run_deliver(db, args) -> int:
    from .webhooks import deliver_due, deliveries

    if args.status:
        for row in deliveries(db, limit=50):
            print(f"#{row['id']}\tmatch {row['match_id']}\t{row['state']}\t{row['attempts']} attempts\t{row['url']}"
                  + (f"\t{row['last_error']}" if row["last_error"] else ""))
        return 0
    while True:
        outcome = deliver_due(db, base_delay=args.retry_base, max_attempts=args.max_attempts,
                              base_url=args.base_url, timeout=args.timeout)
        if outcome.delivered or outcome.retrying or outcome.gave_up or not args.loop:
            print(outcome.line(), file=sys.stderr)
        if not args.loop:
            return 0 if not outcome.gave_up else 1
        time.sleep(max(0.1, args.poll))
