"""Webhooks: each match of a watchlist with a webhook URL is owed one POST of a JSON
payload. Ingest only records the delivery (in the article's transaction), so a slow
or dead endpoint never holds ingest up; `letopis watch deliver` (or
:func:`deliver_due`) sends what is due.

Delivery is at least once: a delivery is claimed for ``LEASE_S`` before it is sent,
so two delivering processes do not send it twice, and one killed while sending leaves
it to be sent again. A failure (connection, timeout, HTTP 408, 429 or 5xx) is tried
again after ``base * 2**(attempts-1)`` seconds (at most ``MAX_DELAY_S``) until
``max_attempts``, then given up (``failed``); any other 4xx is given up at once (the
endpoint refuses it). Every failure is recorded with its reason. Receivers can drop
repeats by ``delivery_id``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone

from .. import __version__
from ..store.db import Database

BASE_DELAY_S = 30.0
MAX_DELAY_S = 3600.0
MAX_ATTEMPTS = 8
TIMEOUT_S = 10.0
LEASE_S = 300.0
RETRYABLE = {408, 425, 429}


def utc(seconds: float | None = None) -> str:
    """A UTC time as the watch tables store it: fixed width, so it sorts as text."""
    moment = datetime.fromtimestamp(time.time() if seconds is None else seconds, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def backoff(attempts: int, base: float = BASE_DELAY_S, cap: float = MAX_DELAY_S) -> float:
    """Seconds to wait after the ATTEMPTS-th failure: base, 2 base, 4 base, ... up to cap."""
    return min(cap, base * 2 ** max(0, attempts - 1))


class DeliveryFailed(Exception):
    def __init__(self, reason: str, retry: bool = True):
        super().__init__(reason)
        self.reason, self.retry = reason, retry


def post_json(url: str, body: bytes, headers: dict, timeout: float = TIMEOUT_S) -> int:
    """POST BODY; the HTTP status of a 2xx answer, else DeliveryFailed with the reason."""
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - the user's own URL
            return response.status
    except urllib.error.HTTPError as error:
        retry = error.code >= 500 or error.code in RETRYABLE
        raise DeliveryFailed(f"HTTP {error.code} {error.reason}", retry=retry) from None
    except urllib.error.URLError as error:
        raise DeliveryFailed(f"cannot connect: {error.reason}") from None
    except TimeoutError:
        raise DeliveryFailed(f"no answer within {timeout:g} s") from None
    except OSError as error:
        raise DeliveryFailed(f"{type(error).__name__}: {error}") from None


def body_of(delivery: dict, base_url: str | None) -> bytes:
    payload = json.loads(delivery["payload"])
    payload["id"] = delivery["match_id"]
    if base_url:
        payload["url"] = base_url.rstrip("/") + payload["path"]
    message = {"type": "letopis.watch.match", "delivery_id": delivery["id"], "attempt": delivery["attempts"] + 1,
               "watchlist": payload["watchlist"], "notification": payload}
    return json.dumps(message, ensure_ascii=False).encode("utf-8")


def headers_of(delivery: dict, body: bytes) -> dict:
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": f"letopis/{__version__}",
               "X-Letopis-Delivery": str(delivery["id"])}
    if delivery.get("webhook_secret"):
        digest = hmac.new(delivery["webhook_secret"].encode("utf-8"), body, hashlib.sha256).hexdigest()
        headers["X-Letopis-Signature"] = f"sha256={digest}"
    return headers


@dataclass
class Outcome:
    delivered: int = 0
    retrying: int = 0
    gave_up: int = 0
    next_at: str | None = None  # the earliest retry still owed

    def line(self) -> str:
        text = f"letopis: {self.delivered} delivered, {self.retrying} to retry, {self.gave_up} given up"
        return text + (f"; next retry at {self.next_at}" if self.next_at else "")


def deliver_due(db: Database, clock=time.time, post=post_json, base_delay: float = BASE_DELAY_S,
                max_attempts: int = MAX_ATTEMPTS, base_url: str | None = None, limit: int = 500,
                timeout: float = TIMEOUT_S) -> Outcome:
    """Send every delivery due now, oldest first; after a failure, the same URL's
    other deliveries wait for the next pass (in order, and a dead endpoint is not
    hammered)."""
    outcome = Outcome()
    started = clock()
    rows = db.rows("SELECT d.id, d.match_id, d.url, d.attempts, d.next_at, m.payload, w.webhook_secret "
                   "FROM watch_deliveries d JOIN watch_matches m ON m.id = d.match_id "
                   "JOIN watchlists w ON w.id = d.watchlist_id WHERE d.state = 'pending' AND d.next_at <= ? "
                   "ORDER BY d.id LIMIT ?", (utc(started), limit))
    failing: set[str] = set()
    for delivery in rows:
        if delivery["url"] in failing or not claim(db, delivery, clock()):
            continue
        body = body_of(delivery, base_url)
        attempts = delivery["attempts"] + 1
        try:
            post(delivery["url"], body, headers_of(delivery, body), timeout)
        except DeliveryFailed as error:
            failing.add(delivery["url"])
            give_up = not error.retry or attempts >= max_attempts
            next_at = utc(clock() + backoff(attempts, base_delay))
            with db.transaction():
                db.execute("UPDATE watch_deliveries SET state = ?, attempts = ?, next_at = ?, last_error = ? WHERE id = ?",
                           ("failed" if give_up else "pending", attempts, next_at, error.reason[:500], delivery["id"]))
            if give_up:
                outcome.gave_up += 1
            else:
                outcome.retrying += 1
            continue
        with db.transaction():
            db.execute("UPDATE watch_deliveries SET state = 'delivered', attempts = ?, delivered_at = ?, last_error = NULL "
                       "WHERE id = ?", (attempts, utc(clock()), delivery["id"]))
        outcome.delivered += 1
    outcome.next_at = db.value("SELECT min(next_at) FROM watch_deliveries WHERE state = 'pending'")
    return outcome


def claim(db: Database, delivery: dict, moment: float) -> bool:
    """Take the delivery for LEASE_S (no other process sends it meanwhile)."""
    with db.transaction():
        cursor = db.execute("UPDATE watch_deliveries SET next_at = ? WHERE id = ? AND state = 'pending' AND next_at = ?",
                            (utc(moment + LEASE_S), delivery["id"], delivery["next_at"]))
        return cursor.rowcount == 1


def deliveries(db: Database, watchlist_id: int | None = None, limit: int = 50) -> list[dict]:
    """The latest deliveries (of one watchlist), with state, attempts and last error."""
    where, params = ("WHERE watchlist_id = ?", [watchlist_id]) if watchlist_id is not None else ("", [])
    return db.rows(f"SELECT id, match_id, watchlist_id, url, state, attempts, next_at, last_error, delivered_at, "
                   f"created_at FROM watch_deliveries {where} ORDER BY id DESC LIMIT ?", [*params, limit])
