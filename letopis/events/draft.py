"""A draft event: what the rules build before it becomes a record ``Event``."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..record import Event
from .participants import Args
from .status import Cues
from .triggers import Match


@dataclass
class Draft:
    match: Match
    type: str
    subtype: str | None
    start: int
    end: int
    args: Args
    cues: Cues
    source: list[str] = field(default_factory=list)
    target: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    place: str | None = None
    time: str | None = None
    status: str | None = None
    reported_by: str | None = None
    rules: list[str] = field(default_factory=list)
    we_side: bool = False  # the one participant is "мы" of a quote (rules.inherit_participants)

    @property
    def sent(self):
        return self.match.sent

    @property
    def actors(self) -> set[str]:
        return set(self.source) | set(self.target) | set(self.participants)

    def copy(self, **changes) -> "Draft":
        fresh = {"source": list(self.source), "target": list(self.target),
                 "participants": list(self.participants), "rules": list(self.rules)}
        return replace(self, **{**fresh, **changes})

    def to_event(self, text: str, number: int, stage: str) -> Event:
        return Event(
            id=f"v{number}", type=self.type, trigger_start=self.start, trigger_end=self.end,
            trigger=text[self.start:self.end], subtype=self.subtype, source=self.source,
            target=self.target, participants=self.participants, place=self.place, time=self.time,
            status=self.status, reported_by=self.reported_by, rule=";".join(self.rules), stage=stage,
        )
