"""Watchlists and feeds (docs/watch.md): what an analyst follows, matched at ingest.

- ``watchlists``: watchlists in the store (add, list, remove; names resolved);
- ``matching``: the ingest hook: new quotes, events and status changes against them;
- ``feeds``: Atom feeds of a watchlist's matches and of an entity's chronicle;
- ``digest``: a watchlist's matches as plain text, Markdown or HTML;
- ``webhooks``: POSTs of the matches to the URL a watchlist gives, retried with backoff;
- ``cli``: `letopis watch ...`.
"""
