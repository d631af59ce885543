"""Watchlists in the store: what they name and follow, added, listed, removed.

A watchlist names registry entities (``--entity``: the speaker of a quote or an actor
of an event; ``--about``: an entity named inside the quote, or another actor or the
place of the event) and says what to follow: quotes, events (of some PLOVER types and
statuses), or both. Names are resolved as ``letopis quotes --speaker`` resolves them;
a name the store does not know yet is refused unless ``allow_new`` (it is then
watched as a pending name and resolved when an ingested article brings it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..record import EVENT_STATUSES
from ..store.db import Database, now
from ..store.query import Ambiguous, NotFound, resolve_entity
from ..store.search import fold

EVENT_TYPES = ("CONSULT", "AGREE", "COOPERATE", "SUPPORT", "AID", "CONCEDE", "RETREAT", "REQUEST", "DEMAND",
               "REJECT", "ACCUSE", "THREATEN", "SANCTION", "MOBILIZE", "ASSAULT", "COERCE", "PROTEST")
ROLES = ("entity", "about")
MAX_NAME = 100


class WatchError(ValueError):
    """A watchlist request that cannot be done; the message says why and what to do."""


class Conflict(WatchError):
    """A watchlist with that name exists already."""


@dataclass
class WatchedName:
    role: str  # entity or about
    name: str  # as typed
    entity_id: int | None = None  # None: not in the store yet (pending)
    entity_name: str | None = None  # the registry's canonical name
    entity_type: str | None = None


@dataclass
class Watchlist:
    name: str
    names: list[WatchedName] = field(default_factory=list)
    quotes: bool = True
    events: bool = True
    event_types: list[str] = field(default_factory=list)  # empty: any
    statuses: list[str] = field(default_factory=list)  # empty: any
    webhook_url: str | None = None
    webhook_secret: str | None = None
    id: int | None = None
    created_at: str | None = None
    matches: int = 0

    def entity_ids(self, role: str) -> set[int]:
        return {item.entity_id for item in self.names if item.role == role and item.entity_id is not None}

    def to_dict(self) -> dict:
        data = asdict(self)
        data["webhook_secret"] = bool(self.webhook_secret)  # never shown, only whether there is one
        data["pending"] = [item.name for item in self.names if item.entity_id is None]
        return data


def split_list(value: str | list[str] | None) -> list[str]:
    """``"CONSULT, threaten"`` or ``["CONSULT", "THREATEN"]`` as a list of values."""
    if not value:
        return []
    items = value.split(",") if isinstance(value, str) else [part for item in value for part in str(item).split(",")]
    return [item.strip() for item in items if item.strip()]


def parse_types(value) -> list[str]:
    types = [item.upper() for item in split_list(value)]
    unknown = [item for item in types if item not in EVENT_TYPES]
    if unknown:
        raise WatchError(f"unknown event type {', '.join(unknown)}: use PLOVER types ({', '.join(EVENT_TYPES)})")
    return sorted(set(types), key=EVENT_TYPES.index)


def parse_statuses(value) -> list[str]:
    statuses = [item.lower().replace("-", "_").replace(" ", "_") for item in split_list(value)]
    unknown = [item for item in statuses if item not in EVENT_STATUSES]
    if unknown:
        raise WatchError(f"unknown status {', '.join(unknown)}: use {', '.join(EVENT_STATUSES)}")
    return sorted(set(statuses), key=EVENT_STATUSES.index)


def check_url(url: str | None) -> str | None:
    if not url:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise WatchError(f"a webhook URL must be http:// or https://, not {url!r}")
    return url


def resolve_name(db: Database, role: str, name: str, allow_new: bool = False) -> WatchedName:
    """The registry entity NAME means (``#ID`` works too). Ambiguous names are refused
    with their candidates; unknown ones too, unless ALLOW_NEW (then pending)."""
    name = (name or "").strip()
    if not name:
        raise WatchError("an empty name cannot be watched")
    try:
        entity = resolve_entity(db, name)
    except Ambiguous:
        raise
    except NotFound:
        if name.startswith("#") or not allow_new:
            raise NotFound(f"no entity called {name!r} in the store yet. Check the spelling (`letopis entities "
                           f"list --name {name}`), or watch it anyway as a name not yet seen (--new; API: "
                           f"\"allow_new\": true): it is resolved when an article brings it.")
        return WatchedName(role, name)
    return WatchedName(role, name, entity["id"], entity["name"], entity["type"])


def add_watchlist(db: Database, watchlist: Watchlist, allow_new: bool = False) -> Watchlist:
    """Store a new watchlist (names resolved here); WatchError, Ambiguous or NotFound
    when it cannot be."""
    from .matching import forget

    name = (watchlist.name or "").strip()
    if not name or len(name) > MAX_NAME or name.startswith("#") or name.isdigit():
        raise WatchError(f"a watchlist needs a name of 1 to {MAX_NAME} characters, not starting with # and not "
                         f"only digits (those mean ids)")
    if not any(item.role == "entity" for item in watchlist.names) and \
            not any(item.role == "about" for item in watchlist.names):
        raise WatchError("a watchlist needs at least one --entity or --about name")
    if not watchlist.quotes and not watchlist.events:
        raise WatchError("a watchlist follows quotes, events or both: not neither")
    types, statuses = parse_types(watchlist.event_types), parse_statuses(watchlist.statuses)
    url = check_url(watchlist.webhook_url)
    resolved = [resolve_name(db, item.role, item.name, allow_new) for item in watchlist.names]
    with db.transaction():
        if db.value("SELECT count(*) FROM watchlists WHERE name = ?", (name,)):
            raise Conflict(f"a watchlist called {name!r} exists already: remove it first, or choose another name")
        watchlist_id = db.insert_id(
            "INSERT INTO watchlists (name, quotes, events, event_types, statuses, webhook_url, webhook_secret, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (name, int(watchlist.quotes), int(watchlist.events), ",".join(types) or None,
             ",".join(statuses) or None, url, watchlist.webhook_secret or None, now()))
        seen = set()
        for item in resolved:
            key = (item.role, fold(item.name))
            if key in seen:
                continue
            seen.add(key)
            db.execute("INSERT INTO watch_entities (watchlist_id, role, name, name_norm, entity_id) "
                       "VALUES (?, ?, ?, ?, ?)",
                       (watchlist_id, item.role, item.name, fold(item.name), item.entity_id))
    forget(db)
    return get_watchlist(db, str(watchlist_id))


def get_watchlist(db: Database, key: str | int) -> Watchlist:
    """A watchlist by name, or by id (``12`` or ``#12``)."""
    text = str(key).strip()
    if text.lstrip("#").isdigit():
        row = db.row("SELECT * FROM watchlists WHERE id = ?", (int(text.lstrip("#")),))
    else:
        row = db.row("SELECT * FROM watchlists WHERE name = ?", (text,))
    if not row:
        raise NotFound(f"no watchlist {text!r}: `letopis watch list` shows them")
    return watchlists_of(db, [row])[0]


def list_watchlists(db: Database) -> list[Watchlist]:
    return watchlists_of(db, db.rows("SELECT * FROM watchlists ORDER BY name"))


def watchlists_of(db: Database, rows: list[dict]) -> list[Watchlist]:
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    marks = ",".join("?" * len(ids))
    names: dict[int, list[WatchedName]] = {watchlist_id: [] for watchlist_id in ids}
    for item in db.rows(f"SELECT w.watchlist_id, w.role, w.name, w.entity_id, e.name AS entity_name, "
                        f"e.type AS entity_type FROM watch_entities w LEFT JOIN entities e ON e.id = w.entity_id "
                        f"WHERE w.watchlist_id IN ({marks}) "
                        f"ORDER BY w.role DESC, w.name", ids):
        names[item["watchlist_id"]].append(WatchedName(item["role"], item["name"], item["entity_id"],
                                                       item["entity_name"], item["entity_type"]))
    counts = {row["watchlist_id"]: row["n"] for row in db.rows(
        f"SELECT watchlist_id, count(*) AS n FROM watch_matches WHERE watchlist_id IN ({marks}) GROUP BY watchlist_id",
        ids)}
    return [Watchlist(name=row["name"], names=names[row["id"]], quotes=bool(row["quotes"]), events=bool(row["events"]),
                      event_types=split_list(row["event_types"]), statuses=split_list(row["statuses"]),
                      webhook_url=row["webhook_url"], webhook_secret=row["webhook_secret"], id=row["id"],
                      created_at=row["created_at"], matches=counts.get(row["id"], 0)) for row in rows]


def remove_watchlist(db: Database, key: str | int) -> Watchlist:
    """Remove a watchlist with its matches and the deliveries it still owed."""
    from .matching import forget

    watchlist = get_watchlist(db, key)
    with db.transaction():
        for table in ("watch_deliveries", "watch_matches", "watch_entities"):
            db.execute(f"DELETE FROM {table} WHERE watchlist_id = ?", (watchlist.id,))
        db.execute("DELETE FROM watchlists WHERE id = ?", (watchlist.id,))
    forget(db)
    return watchlist


def describe(watchlist: Watchlist, t=None) -> str:
    """One line: what the watchlist follows; in English with event types and statuses as
    codes, or in the words of ``t`` (a translator of ``letopis.web.i18n``)."""
    if t is None:
        from .feeds import labels

        t = labels(None)

    def names(role):
        return ", ".join(f"{item.entity_name or item.name}"
                         + (f" (#{item.entity_id})" if item.entity_id is not None else f" ({t('feed.not_in_store')})")
                         for item in watchlist.names if item.role == role)

    parts = []
    if names("entity"):
        parts.append(names("entity"))
    if names("about"):
        parts.append(t("feed.about") + " " + names("about"))
    follows = []
    if watchlist.quotes:
        follows.append(t("feed.quotes"))
    if watchlist.events:
        detail = "/".join(t(f"type.{kind}") for kind in watchlist.event_types) if watchlist.event_types \
            else t("feed.events")
        if watchlist.statuses:
            detail += " (" + ", ".join(t(f"status.{status}") for status in watchlist.statuses) + ")"
        follows.append(detail)
    return f"{' '.join(parts)}: {(' ' + t('feed.and') + ' ').join(follows)}"
