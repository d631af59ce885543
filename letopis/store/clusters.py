"""Event clustering: event frames from different articles that describe one real-world
event become one cluster, with its reports, its status history and its first report.

Two frames are the same event when (all of):
- same PLOVER type, and the same subtype when both have one (a call is not a summit);
- their actors overlap: at least two registry entities shared, or both have exactly
  one actor and it is the same one with the same event date;
- their times are compatible: when both give a calendar value (2021-12-21, 2022-01,
  2021-W51), one contains the other; when either lacks one, the reports are at most
  ``NEAR_DAYS`` days apart;
- their places do not contradict (same registry entity, or one unknown);
- they are not two frames of one article (an article that tells of two meetings tells
  of two events: "Новая встреча ... не планируется" next to "две встречи ... летом");
- a forward-looking report (planned, possible, not planned, demanded, conditional) does
  not join an event whose calendar time ended before that report was published, nor an
  event known only from forward-looking reports join a report of one that ended before
  them: a meeting "not planned" in December is not the one held in the summer.

The cluster's status is the latest report's status (by publication day), so "planned"
then "occurred" reads as held, and "planned" then "not_planned" as called off.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from .db import Database

NEAR_DAYS = 10  # reports without a calendar time at most this far apart may be one event
WINDOW_DAYS = 60  # clusters older than this (by their last report) are not candidates
CANDIDATES = 50  # clusters read and checked per frame, the likeliest first
FIRST_READ = 8  # of them read at first; the rest only when none of those is the frame's event
PAIRED_ACTORS = 12  # a cluster with more actors keeps no actor pairs (migration 0005 says why)

CALENDAR = re.compile(r"^\d{4}(-\d{2}(-\d{2})?|-W\d{2}|-SU|-SP|-FA|-WI)?$")
WIDE = re.compile(r"^\d{4}(-\d{2})?$")  # a year or a month: the calendar values that others lie within
FORWARD = {"planned", "possible", "not_planned", "demanded", "conditional"}
SEASON_END = {"SP": "05-31", "SU": "08-31", "FA": "11-30", "WI": "02-28"}  # winter: the one starting in December


@dataclass
class Frame:
    """An event frame as the store sees it: registry ids, the article's day."""

    type: str
    subtype: str | None
    actors: set[int]
    time_value: str | None
    place_id: int | None
    day: str | None
    status: str | None
    article_id: str


def calendar_value(value: str | None) -> str | None:
    return value if value and CALENDAR.match(value) else None


def times_compatible(a: str | None, b: str | None) -> bool | None:
    """True/False when both are calendar values, None when either is not."""
    a, b = calendar_value(a), calendar_value(b)
    if not a or not b:
        return None
    return a.startswith(b) or b.startswith(a)


def calendar_end(value: str | None) -> str | None:
    """The last day (ISO) a calendar value covers: 2021-SU -> 2021-08-31."""
    value = calendar_value(value)
    if not value:
        return None
    year = int(value[:4])
    if len(value) == 4:
        return f"{year}-12-31"
    tail = value[5:]
    if tail in SEASON_END:
        return f"{year + 1 if tail == 'WI' else year}-{SEASON_END[tail]}"
    if tail.startswith("W"):
        return date.fromisocalendar(year, int(tail[1:]), 7).isoformat()
    if len(value) == 7:
        month = int(tail)
        following = date(year + month // 12, month % 12 + 1, 1)
        return (following - timedelta(days=1)).isoformat()
    return value


def ended_before(value: str | None, day: str | None) -> bool:
    """True when the calendar value ended before the day (both known)."""
    end = calendar_end(value)
    return bool(end and day and end < day[:10])


def days_apart(a: str | None, b: str | None) -> int | None:
    first, second = day_number(a), day_number(b)
    return None if first is None or second is None else abs(first - second)


@lru_cache(maxsize=4096)
def day_number(day: str | None) -> int | None:
    """The day's ordinal (days since year 1), None when it is not an ISO date; kept for
    the days a store sees again and again (event clustering compares hundreds a frame)."""
    try:
        return date.fromisoformat(day[:10]).toordinal()
    except (TypeError, ValueError):
        return None


def same_event(frame: Frame, cluster: dict, shared: int) -> bool:
    """SHARED: how many of the frame's actors are the cluster's (``cluster["actor_count"]``:
    how many it has)."""
    if frame.type != cluster["type"]:
        return False
    if frame.subtype and cluster["subtype"] and frame.subtype != cluster["subtype"]:
        return False
    if frame.place_id and cluster["place_id"] and frame.place_id != cluster["place_id"]:
        return False
    if frame.status in FORWARD and ended_before(cluster["time_value"], frame.day):
        return False
    if cluster["status"] in FORWARD and ended_before(frame.time_value, cluster["first_day"]) \
            and frame.status not in FORWARD:
        return False
    compatible = times_compatible(frame.time_value, cluster["time_value"])
    if shared < 2:
        single = len(frame.actors) == 1 and cluster["actor_count"] == 1 and shared == 1
        exact_day = calendar_value(frame.time_value) and frame.time_value == cluster["time_value"] \
            and len(frame.time_value) == 10
        if not (single and exact_day):
            return False
    if compatible is False:
        return False
    if compatible is None:
        apart = days_apart(frame.day, cluster["last_day"])
        if apart is None or apart > NEAR_DAYS:
            return False
    return True


@dataclass
class StartedClusters:
    """The clusters an article's frames start, with their actors and pairs, sent together
    when its frames are all placed (``send``): three statements an article instead of
    three a new cluster (7.8 new clusters an article of the synthetic corpus at 100,000
    articles). Storing 4,096 records into a copy of that store, the actors and pairs sent
    so (and the candidates read eight first): 3.44 -> 3.19 ms per article; the clusters'
    own rows too, on PostgreSQL (one round trip for the article's ids instead of one
    per cluster): 7.0-7.2 -> 5.9-6.4 ms at 6,000 articles. Its own later frames do not
    need them: they may not join a cluster of the article. A new cluster's id is known
    at once (``new_id``)."""

    expected: int = 1  # clusters the article may start: ids PostgreSQL reserves at once
    clusters: list[tuple] = field(default_factory=list)
    actors: list[tuple] = field(default_factory=list)
    pairs: list[tuple] = field(default_factory=list)
    reserved: list[int] = field(default_factory=list)

    def new_id(self, db: Database) -> int:
        """An id for a new cluster. SQLite: the next after the largest, as SQLite gives
        one (counted by this writer, which holds the write lock: ``Database.memo``, which
        a rollback or another connection's commit forgets). PostgreSQL: the identity's
        sequence, the article's ids in one round trip (those it does not use are skipped)."""
        if db.dialect == "postgres":
            if not self.reserved:
                self.reserved = [row[0] for row in db.execute(
                    "SELECT nextval(pg_get_serial_sequence('event_clusters', 'id')) FROM generate_series(1, ?)",
                    (max(1, self.expected),)).fetchall()]
            return self.reserved.pop(0)
        next_id = db.memo.get("next_cluster_id")
        if next_id is None:
            next_id = db.value("SELECT COALESCE(max(id), 0) + 1 FROM event_clusters")
        db.memo["next_cluster_id"] = next_id + 1
        return next_id

    def send(self, db: Database) -> None:
        db.executemany(f"INSERT INTO event_clusters ({CLUSTER_COLUMNS}) VALUES ({', '.join('?' * 12)})",
                       self.clusters)
        db.executemany(f"INSERT INTO cluster_actors ({ACTOR_COLUMNS}) VALUES ({', '.join('?' * 6)}) "
                       f"ON CONFLICT DO NOTHING", self.actors)
        db.executemany(f"INSERT INTO cluster_pairs ({PAIR_COLUMNS}) VALUES ({', '.join('?' * 9)}) "
                       f"ON CONFLICT DO NOTHING", self.pairs)
        self.clusters.clear()
        self.actors.clear()
        self.pairs.clear()


CLUSTER_COLUMNS = ("id, type, subtype, status, day, time_value, place_id, first_article, first_day, last_day, "
                   "reports, actor_count")
ACTOR_COLUMNS = "cluster_id, entity_id, type, last_day, time_value, many"
PAIR_COLUMNS = "cluster_id, low_id, high_id, type, last_day, time_value, subtype, place_id, first_day"


def assign_cluster(db: Database, frame: Frame, taken: set[int] = frozenset(),
                   started: StartedClusters | None = None) -> int:
    """The id of the cluster this frame joins (a new one when none fits); ``taken``:
    the clusters the article's other frames are in, which this one may not join.
    STARTED: where a new cluster waits for the article's end (else it is stored at once)."""
    cluster = find_cluster(db, frame, taken) if frame.actors else None
    if cluster is None:
        waiting = started if started is not None else StartedClusters()
        cluster_id = waiting.new_id(db)
        waiting.clusters.append((
            cluster_id, frame.type, frame.subtype, frame.status, event_day(frame), calendar_value(frame.time_value),
            frame.place_id, frame.article_id, frame.day, frame.day, 1, len(frame.actors)))
        add_actors(db, cluster_id, frame.type, frame.actors, frame.day, calendar_value(frame.time_value),
                   where=(frame.subtype, frame.place_id, frame.day), rows=waiting)
        if started is None:
            waiting.send(db)
        return cluster_id
    update_cluster(db, cluster, frame)
    return cluster["id"]


def add_actors(db: Database, cluster_id: int, type_: str, actors: set[int], last_day: str | None,
               time_value: str | None, known: set[int] = frozenset(), many: bool = False,
               where: tuple[str | None, int | None, str | None] = (None, None, None),
               rows: StartedClusters | None = None) -> None:
    """ACTORS of the cluster (KNOWN: those it had; MANY: it has more than PAIRED_ACTORS,
    and KNOWN need only hold those of ACTORS), with the pairs each new one makes while
    the cluster has at most PAIRED_ACTORS, which carry its subtype, place and first
    report day (WHERE). ROWS: a cluster nothing of which is stored yet, whose rows wait
    there; else they are stored now, one statement per table."""
    new = sorted(actors - known)
    if not new:
        return
    everyone = sorted(actors | known)
    if not many and len(everyone) > PAIRED_ACTORS:  # it grows past the limit now: its pairs go
        many = True
        if rows is None:
            db.execute("DELETE FROM cluster_pairs WHERE cluster_id = ?", (cluster_id,))
            db.execute("UPDATE cluster_actors SET many = 1 WHERE cluster_id = ?", (cluster_id,))
        many_actors(db).update(everyone)
    elif many:
        many_actors(db).update(new)
    waiting = rows if rows is not None else StartedClusters()
    waiting.actors += [(cluster_id, actor, type_, last_day, time_value, int(many)) for actor in new]
    if not many:
        waiting.pairs += [(cluster_id, low, high, type_, last_day, time_value, *where)
                          for at, low in enumerate(everyone) for high in everyone[at + 1:]
                          if low in new or high in new]
    if rows is None:
        waiting.send(db)


def rebuild_pairs(db: Database, entity_id: int) -> None:
    """The actor counts, actor pairs (and ``many`` marks) of every cluster ENTITY_ID is
    an actor of, from cluster_actors (after an entity merge)."""
    clusters = "SELECT cluster_id FROM cluster_actors WHERE entity_id = ?"
    db.execute(f"UPDATE event_clusters SET actor_count = (SELECT count(*) FROM cluster_actors a "
               f"WHERE a.cluster_id = event_clusters.id) WHERE id IN ({clusters})", (entity_id,))
    db.execute(f"DELETE FROM cluster_pairs WHERE cluster_id IN ({clusters})", (entity_id,))
    db.execute(f"UPDATE cluster_actors SET many = CASE WHEN (SELECT count(*) FROM cluster_actors b "
               f"WHERE b.cluster_id = cluster_actors.cluster_id) > {PAIRED_ACTORS} THEN 1 ELSE 0 END "
               f"WHERE cluster_id IN ({clusters})", (entity_id,))
    db.execute(f"INSERT INTO cluster_pairs (cluster_id, low_id, high_id, type, last_day, time_value, subtype, place_id, "
               f"first_day) SELECT a.cluster_id, a.entity_id, b.entity_id, a.type, a.last_day, a.time_value, "
               f"c.subtype, c.place_id, c.first_day "
               f"FROM cluster_actors a JOIN cluster_actors b ON b.cluster_id = a.cluster_id AND a.entity_id < b.entity_id "
               f"JOIN event_clusters c ON c.id = a.cluster_id "
               f"WHERE a.many = 0 AND a.cluster_id IN ({clusters})", (entity_id,))


def many_actors(db: Database) -> set[int]:
    """The entities that are actors of a cluster of many (more than PAIRED_ACTORS, found
    through ``cluster_actors_many*``, not pairs), read once and kept by this connection's
    writer (``Database.memo``): ``add_actors`` adds those it marks, and ``Database``
    forgets them with the registry's keys (a rollback, another connection's commit, a
    merge or split). A frame with fewer than two of them can share two actors with no
    such cluster and skips that half of the lookup (seven frames in ten of the synthetic
    corpus at 40,000 articles; 873 entities of 44,000 are such actors)."""
    known = db.memo.get("many_actors")
    if known is None:
        known = db.memo["many_actors"] = {row[0] for row in db.execute(
            f"SELECT DISTINCT entity_id FROM cluster_actors{db.indexed_by('cluster_actors_many')} WHERE many = 1")}
    return known


def candidate_ranges(frame: Frame) -> list[tuple[str, list, bool]]:
    """The index ranges of cluster_actors and cluster_pairs (after actor and type) that
    hold every cluster ``same_event`` could accept for FRAME, as (condition, values,
    by_day); none: nothing can. ``by_day``: a range of last report days alone, read
    through the indexes by day (``*_day``, ``cluster_actors_many``); the others fix
    the time value first (``*_time``). Each is a seek: a range an index cannot seek
    reads every cluster of the pair, and the busiest pairs have thousands.

    A frame without a calendar time matches clusters last reported within NEAR_DAYS of
    its day. A frame with one matches clusters whose time contains it or is contained in
    it (2021, 2021-12 and 2021-12-21 for 2021-12-21; every 2022-01-.. for 2022-01), last
    reported at most WINDOW_DAYS before it, and clusters without a calendar time reported
    within NEAR_DAYS of it.

    A forward-looking report joins no cluster whose calendar time ended before it was
    published (``same_event``): the values that ended before its day are not read (a plan
    for 21 December reported in May; on the synthetic corpus, whose articles keep the
    sample corpus's event dates under new publication days, one pair and day held
    thousands of such clusters: the slowest lookups at 100,000 articles).
    """
    value = calendar_value(frame.time_value)
    day = date.fromisoformat(frame.day[:10]) if frame.day else None
    near = [(day - timedelta(days=NEAR_DAYS)).isoformat(), (day + timedelta(days=NEAR_DAYS)).isoformat()] \
        if day else None
    if not value:
        return [("last_day >= ? AND last_day <= ?", near, True)] if near else []
    recent, low = "", []
    if day:
        recent, low = " AND last_day >= ?", [(day - timedelta(days=WINDOW_DAYS)).isoformat()]
    forward = frame.status in FORWARD

    def ended(part: str, last: str | None = None) -> bool:  # a value (or all within it, ending by LAST) ended
        return forward and ended_before(last or part, frame.day)

    if len(frame.actors) == 1:  # one actor: the same exact day only
        return [] if ended(value) else [("time_value = ?" + recent, [value, *low], False)]
    within = sorted({value[:size] for size in range(4, len(value) + 1) if calendar_value(value[:size])})
    ranges = [("time_value = ?" + recent, [part, *low], False)  # one seek each, not an IN
              for part in within if not ended(part)]
    # the values within a year or a month (2021-12, 2021-W51; 2021-12-21): below ~; a year's
    # winter ends in the next February, the latest of them
    if WIDE.match(value) and not ended(value, f"{value}-WI" if len(value) == 4 else None):
        ranges.append((f"time_value > ? AND time_value < ?{recent}", [value, value + "~", *low], False))
    if near:
        ranges.append(("time_value IS NULL AND last_day >= ? AND last_day <= ?", near, False))
    return ranges


def find_cluster(db: Database, frame: Frame, taken: set[int] = frozenset()) -> dict | None:
    """The stored cluster (its row) the frame is a report of, or None."""
    exact_day = bool(calendar_value(frame.time_value)) and len(frame.time_value) == 10
    if len(frame.actors) < 2 and not exact_day:
        return None  # one actor and no exact day: never enough to call it the same event
    ranges = candidate_ranges(frame)
    if not ranges:
        return None
    high = None
    if frame.day and calendar_value(frame.time_value):
        high = (date.fromisoformat(frame.day[:10]) + timedelta(days=WINDOW_DAYS)).isoformat()
    # a frame with one actor: that actor's clusters; with more: the clusters holding a
    # pair of them (two shared actors at least), each found as often as it has pairs,
    # and the clusters of many actors (no pairs kept) holding two of them
    ours = sorted(frame.actors)
    many = sorted(frame.actors & many_actors(db)) if len(ours) > 1 else []
    if len(many) < 2:
        many = []  # no cluster of many actors can share two of them
    marks = ",".join("?" * len(many))
    pairs = [(low, high) for at, low in enumerate(ours) for high in ours[at + 1:]]
    either_pair = " OR ".join(["(low_id = ? AND high_id = ?)"] * len(pairs))  # a seek per pair, not n x n
    pair_values = [value for pair in pairs for value in pair]
    # the subtype, place and first report day that rule a cluster out: left out by the
    # pairs' index itself (migration 0010), then by the candidates' query
    fits, fits_params = "", []
    if frame.subtype:
        fits += " AND (subtype IS NULL OR subtype = '' OR subtype = ?)"  # as same_event: an empty one is none
        fits_params.append(frame.subtype)
    if frame.place_id:
        fits += " AND (place_id IS NULL OR place_id = ?)"
        fits_params.append(frame.place_id)
    if high:  # clusters first reported more than WINDOW_DAYS after the frame's day are not it
        fits += " AND (first_day IS NULL OR first_day <= ?)"
        fits_params.append(high)
    lookups, params = [], []
    # (each through the index that holds its range, pinned: db.indexed_by)
    for condition, values, by_day in ranges:
        if len(ours) == 1:
            lookups.append(f"SELECT cluster_id, last_day, 1 AS many FROM cluster_actors"
                           f"{db.indexed_by('cluster_actors_time')} WHERE entity_id = ? AND type = ? AND {condition}")
            params += [*ours, frame.type, *values]
        else:
            pair_index, many_index = ("cluster_pairs_day", "cluster_actors_many") if by_day \
                else ("cluster_pairs_time", "cluster_actors_many_time")
            lookups.append(f"SELECT cluster_id, last_day, 0 AS many FROM cluster_pairs{db.indexed_by(pair_index)} "
                           f"WHERE ({either_pair}) AND type = ? AND {condition}{fits}")
            params += [*pair_values, frame.type, *values, *fits_params]
            if many:
                lookups.append(f"SELECT cluster_id, last_day, 1 AS many FROM cluster_actors{db.indexed_by(many_index)} "
                               f"WHERE many = 1 AND entity_id IN ({marks}) AND type = ? AND {condition}")
                params += [*many, frame.type, *values]
    found = db.execute(f"SELECT cluster_id, count(*) AS found, max(last_day) AS last_day, max(many) AS many FROM "
                       f"({' UNION ALL '.join(lookups)}) found GROUP BY cluster_id", params).fetchall()
    # (cluster, shared actors, days apart): found once per shared actor, or once per pair,
    # and n actors make n(n-1)/2 pairs
    shared = []
    for cluster_id, times, last_day, many in found:
        count = times if many else (1 + math.isqrt(1 + 8 * times)) // 2
        if (count >= 2 or len(ours) == 1) and cluster_id not in taken:
            shared.append((cluster_id, count, days_apart(frame.day, last_day) or 0))
    # the CANDIDATES best (most actors shared, then the nearest last report, then the
    # newest: in a busy window there can be hundreds) are checked in that order, read by
    # a query that leaves out those whose subtype, place (those found by one actor or
    # among many) or first report day rules them out (read ten at a time and checked
    # here, they were a fifth of storing an event); the first that is the same event is
    # the best one. The first FIRST_READ are read alone, the rest only if none of them is
    # the event: with what the query leaves out, few candidates are refused (storing 4,096
    # records into a 100,000-article store: 12,285 checked, 2,412 refused), and reading
    # all of them at once read 66,000 clusters, most never checked (34,000 now)
    shared.sort(key=lambda candidate: (-candidate[1], candidate[2], -candidate[0]))
    best = [(cluster_id, count) for cluster_id, count, _ in shared[:CANDIDATES]]
    for chunk in (best[:FIRST_READ], best[FIRST_READ:]):
        if not chunk:
            break
        clusters = {row["id"]: row for row in db.rows(
            f"SELECT * FROM event_clusters WHERE id IN ({','.join('?' * len(chunk))}){fits}",
            [*(cluster_id for cluster_id, _ in chunk), *fits_params])}
        for cluster_id, count in chunk:
            cluster = clusters.get(cluster_id)
            if cluster is not None and same_event(frame, cluster, count):
                # which of the frame's actors it has, for the one joined only (update_cluster)
                cluster["shared_actors"] = actors_among(db, [cluster_id], ours)[cluster_id]
                return cluster
    return None


def actors_among(db: Database, cluster_ids: list[int], entity_ids: list[int]) -> dict[int, set[int]]:
    """Which of ENTITY_IDS each cluster has. Read by cluster (``+entity_id`` keeps the
    entity's index out: SQLite's statistics, averages, may prefer it, and for a country
    it holds tens of thousands of clusters)."""
    actors: dict[int, set[int]] = {cluster_id: set() for cluster_id in cluster_ids}
    if not cluster_ids or not entity_ids:
        return actors
    for row in db.rows(f"SELECT cluster_id, entity_id FROM cluster_actors WHERE cluster_id IN "
                       f"({','.join('?' * len(cluster_ids))}) AND +entity_id IN ({','.join('?' * len(entity_ids))})",
                       [*cluster_ids, *entity_ids]):
        actors[row["cluster_id"]].add(row["entity_id"])
    return actors


def update_cluster(db: Database, cluster: dict, frame: Frame) -> None:
    """A new report of CLUSTER (its row as ``find_cluster`` read it, with its actor count
    and the frame's actors it has)."""
    cluster_id = cluster["id"]
    later = frame.day and (not cluster["last_day"] or frame.day >= cluster["last_day"])
    earlier = frame.day and (not cluster["first_day"] or frame.day < cluster["first_day"])
    time_value = cluster["time_value"]
    new_value = calendar_value(frame.time_value)
    if new_value and (not time_value or len(new_value) > len(time_value)):
        time_value = new_value  # the most precise date any report gives
    joining = frame.actors - cluster["shared_actors"]  # actors new to the cluster
    db.execute(
        "UPDATE event_clusters SET reports = reports + 1, status = ?, last_day = ?, first_day = ?, first_article = ?, "
        "subtype = COALESCE(subtype, ?), place_id = COALESCE(place_id, ?), time_value = ?, day = ?, "
        "actor_count = actor_count + ? WHERE id = ?",
        (frame.status if later and frame.status else cluster["status"],
         frame.day if later else cluster["last_day"],
         frame.day if earlier else cluster["first_day"],
         frame.article_id if earlier else cluster["first_article"],
         frame.subtype, frame.place_id, time_value,
         time_value if time_value and len(time_value) == 10 else (cluster["day"] or frame.day), len(joining),
         cluster_id))
    last_day = frame.day if later else cluster["last_day"]
    first_day = frame.day if earlier else cluster["first_day"]
    subtype = cluster["subtype"] if cluster["subtype"] is not None else frame.subtype  # as the COALESCE above
    place_id = cluster["place_id"] if cluster["place_id"] is not None else frame.place_id
    moved = last_day != cluster["last_day"] or time_value != cluster["time_value"]
    if moved:
        db.execute("UPDATE cluster_actors SET last_day = ?, time_value = ? WHERE cluster_id = ?",
                   (last_day, time_value, cluster_id))
    if cluster["actor_count"] <= PAIRED_ACTORS and (moved or (subtype, place_id, first_day) != (
            cluster["subtype"], cluster["place_id"], cluster["first_day"])):
        db.execute("UPDATE cluster_pairs SET last_day = ?, time_value = ?, subtype = ?, place_id = ?, first_day = ? "
                   "WHERE cluster_id = ?", (last_day, time_value, subtype, place_id, first_day, cluster_id))
    if joining:
        if cluster["actor_count"] <= PAIRED_ACTORS:  # the new actors' pairs need all of them
            known = {row["entity_id"] for row in db.rows("SELECT entity_id FROM cluster_actors WHERE cluster_id = ?",
                                                         (cluster_id,))}
            add_actors(db, cluster_id, cluster["type"], frame.actors, last_day, time_value, known=known,
                       where=(subtype, place_id, first_day))
        else:
            add_actors(db, cluster_id, cluster["type"], frame.actors, last_day, time_value,
                       known=cluster["shared_actors"], many=True)


def event_day(frame: Frame) -> str | None:
    value = calendar_value(frame.time_value)
    if value and len(value) == 10:
        return value
    return frame.day
