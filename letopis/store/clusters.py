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

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .db import Database

NEAR_DAYS = 10  # reports without a calendar time at most this far apart may be one event
WINDOW_DAYS = 60  # clusters older than this (by their last report) are not candidates

CALENDAR = re.compile(r"^\d{4}(-\d{2}(-\d{2})?|-W\d{2}|-SU|-SP|-FA|-WI)?$")
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
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)
    except (TypeError, ValueError):
        return None


def same_event(frame: Frame, cluster: dict, cluster_actors: set[int]) -> bool:
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
    shared = frame.actors & cluster_actors
    compatible = times_compatible(frame.time_value, cluster["time_value"])
    if len(shared) < 2:
        single = len(frame.actors) == 1 and len(cluster_actors) == 1 and len(shared) == 1
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


def assign_cluster(db: Database, frame: Frame, taken: set[int] = frozenset()) -> int:
    """The id of the cluster this frame joins (a new one when none fits); ``taken``:
    the clusters the article's other frames are in, which this one may not join."""
    cluster = find_cluster(db, frame, taken) if frame.actors else None
    if cluster is None:
        cluster_id = db.insert_id(
            "INSERT INTO event_clusters (type, subtype, status, day, time_value, place_id, first_article, "
            "first_day, last_day, reports) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id",
            (frame.type, frame.subtype, frame.status, event_day(frame), calendar_value(frame.time_value),
             frame.place_id, frame.article_id, frame.day, frame.day))
        add_actors(db, cluster_id, frame.type, frame.actors, frame.day)
        return cluster_id
    update_cluster(db, cluster, frame)
    return cluster["id"]


def add_actors(db: Database, cluster_id: int, type_: str, actors: set[int], last_day: str | None) -> None:
    """One statement for all of a frame's actors (a round trip each on PostgreSQL)."""
    if actors:
        values = ", ".join(["(?, ?, ?, ?)"] * len(actors))
        params = [value for actor in sorted(actors) for value in (cluster_id, actor, type_, last_day)]
        db.execute(f"INSERT INTO cluster_actors (cluster_id, entity_id, type, last_day) VALUES {values} "
                   f"ON CONFLICT DO NOTHING", params)


def find_cluster(db: Database, frame: Frame, taken: set[int] = frozenset()) -> dict | None:
    """The stored cluster (its row) the frame is a report of, or None."""
    exact_day = bool(calendar_value(frame.time_value)) and len(frame.time_value) == 10
    if len(frame.actors) < 2 and not exact_day:
        return None  # one actor and no exact day: never enough to call it the same event
    marks = ",".join("?" * len(frame.actors))
    params: list = [*sorted(frame.actors), frame.type]
    window, high = "", None
    if frame.day and not calendar_value(frame.time_value):
        # no calendar time: only clusters last reported within NEAR_DAYS can be the same
        # event (same_event), so the index range is that narrow
        day = date.fromisoformat(frame.day[:10])
        window = " AND last_day >= ? AND last_day <= ?"
        params += [(day - timedelta(days=NEAR_DAYS)).isoformat(), (day + timedelta(days=NEAR_DAYS)).isoformat()]
    elif frame.day:
        # clusters whose last report is at most WINDOW_DAYS old (an index range; clusters
        # of undated articles are left out) and whose first is not too far ahead
        low = (date.fromisoformat(frame.day[:10]) - timedelta(days=WINDOW_DAYS)).isoformat()
        high = (date.fromisoformat(frame.day[:10]) + timedelta(days=WINDOW_DAYS)).isoformat()
        window = " AND last_day >= ?"
        params.append(low)
    if len(frame.actors) == 1:
        shared = db.rows(f"SELECT cluster_id, count(*) AS shared FROM cluster_actors WHERE entity_id IN ({marks}) "
                         f"AND type = ?{window} GROUP BY cluster_id ORDER BY cluster_id DESC LIMIT 50", params)
    else:
        # a cluster sharing two of the frame's actors holds one that is not the commonest of
        # them: the index ranges of the others find it (the commonest one's, the USA's say,
        # can hold thousands of clusters in a busy window), and the count is over them all
        others = sorted(frame.actors - {commonest(db, frame.actors)})
        shared = db.rows(
            f"SELECT a.cluster_id, count(*) AS shared FROM cluster_actors a WHERE a.cluster_id IN "
            f"(SELECT cluster_id FROM cluster_actors WHERE entity_id IN ({','.join('?' * len(others))}) "
            f"AND type = ?{window}) AND +a.entity_id IN ({marks}) GROUP BY a.cluster_id HAVING count(*) >= 2 "
            f"ORDER BY shared DESC, a.cluster_id DESC LIMIT 50", [*others, *params[len(frame.actors):],
                                                                  *sorted(frame.actors)])
    ids = [row["cluster_id"] for row in shared if row["cluster_id"] not in taken]
    if not ids:
        return None
    clusters: dict[int, dict] = {}
    actors: dict[int, set[int]] = {}
    for row in db.rows(f"SELECT c.*, a.entity_id AS actor FROM event_clusters c JOIN cluster_actors a "
                       f"ON a.cluster_id = c.id WHERE c.id IN ({','.join('?' * len(ids))})", ids):
        actors.setdefault(row["id"], set()).add(row.pop("actor"))
        clusters.setdefault(row["id"], row)
    candidates = [clusters[cluster_id] for cluster_id in ids if cluster_id in clusters
                  and not (high and clusters[cluster_id]["first_day"] and clusters[cluster_id]["first_day"] > high)]
    if not candidates:
        return None
    best = None
    for cluster in candidates:
        if same_event(frame, cluster, actors[cluster["id"]]):
            apart = days_apart(frame.day, cluster["last_day"]) or 0
            score = (len(frame.actors & actors[cluster["id"]]), -apart)
            if best is None or score > best[0]:
                best = (score, cluster)
    return best[1] if best else None


def commonest(db: Database, actors: set[int]) -> int:
    """The actor in the most event reports (the registry's running count)."""
    marks = ",".join("?" * len(actors))
    found = db.value(f"SELECT id FROM entities WHERE id IN ({marks}) ORDER BY events DESC, id LIMIT 1", sorted(actors))
    return found if found is not None else min(actors)


def update_cluster(db: Database, cluster: dict, frame: Frame) -> None:
    """A new report of CLUSTER (its row as ``find_cluster`` read it)."""
    cluster_id = cluster["id"]
    later = frame.day and (not cluster["last_day"] or frame.day >= cluster["last_day"])
    earlier = frame.day and (not cluster["first_day"] or frame.day < cluster["first_day"])
    time_value = cluster["time_value"]
    new_value = calendar_value(frame.time_value)
    if new_value and (not time_value or len(new_value) > len(time_value)):
        time_value = new_value  # the most precise date any report gives
    db.execute(
        "UPDATE event_clusters SET reports = reports + 1, status = ?, last_day = ?, first_day = ?, first_article = ?, "
        "subtype = COALESCE(subtype, ?), place_id = COALESCE(place_id, ?), time_value = ?, day = ? WHERE id = ?",
        (frame.status if later and frame.status else cluster["status"],
         frame.day if later else cluster["last_day"],
         frame.day if earlier else cluster["first_day"],
         frame.article_id if earlier else cluster["first_article"],
         frame.subtype, frame.place_id, time_value,
         time_value if time_value and len(time_value) == 10 else (cluster["day"] or frame.day), cluster_id))
    last_day = frame.day if later else cluster["last_day"]
    if last_day != cluster["last_day"]:
        db.execute("UPDATE cluster_actors SET last_day = ? WHERE cluster_id = ?", (last_day, cluster_id))
    add_actors(db, cluster_id, cluster["type"], frame.actors, last_day)


def event_day(frame: Frame) -> str | None:
    value = calendar_value(frame.time_value)
    if value and len(value) == 10:
        return value
    return frame.day
