"""The typed container that flows through the pipeline.

An `Article` carries its text and everything the stages add to it: sentences,
mentions of actors, time expressions and events. Every annotation keeps
character offsets into `Article.text` and the name of the stage that made it.
All classes round-trip through `to_dict` / `from_dict`.
"""
from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field, fields
from typing import Any

EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION",
    "MOBILIZE", "COERCE", "ASSAULT",
)
SYMMETRIC_TYPES = frozenset({"AGREE", "CONSULT", "COOPERATE"})


def content_id(text: str) -> str:
    """A stable id for an article that has none: a hash of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class _Record:
    """to_dict / from_dict for flat dataclasses; nested ones override."""

    def to_dict(self) -> dict[str, Any]:
        return record_dict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]):
        return cls(**{k: data[k] for k in _field_names(cls) if k in data})


def record_dict(record: Any, *, copy: bool = True) -> dict[str, Any]:
    """A dataclass's fields as a dict, its lists and dicts copied: as dataclasses.asdict
    for records of plain values, without its deep copies (a third of an ingest's time,
    most of a long listing's). `copy=False`: the values as they are."""
    names = _field_names(type(record))
    if not copy:
        return {name: getattr(record, name) for name in names}
    return {name: _copied(getattr(record, name)) for name in names}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


_PLAIN = (str, int, float, type(None))


def _copied(value: Any) -> Any:
    """A copy of lists and dicts (and the tuples in them); other values as they are."""
    if isinstance(value, _PLAIN):       # most values: one test
        return value
    if isinstance(value, list):
        return [_copied(v) for v in value]
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_copied(v) for v in value)
    return value


@dataclass
class Sentence(_Record):
    start: int
    end: int
    text: str
    paragraph: int = 0
    kind: str = "text"      # "text" | "dateline" (the place, date and outlet an article opens with)


@dataclass
class Mention(_Record):
    """A span that names an actor: a state, an organisation or a person."""
    start: int
    end: int
    text: str
    kind: str            # "state" | "org" | "person" | "group" | "place"
    actor: str | None    # actor code (EVENTS.md §3), None when unknown
    name: str            # canonical name (full name for persons)
    role: str | None = None
    stage: str = "actors"
    rule: str = ""
    # True when the mention stands as an actor (the sentence's agent/patient),
    # False for mere modifiers such as "Laut Tiongkok Selatan".
    salient: bool = True
    sector: str | None = None   # who inside the actor (aliansi.sectors); None: the state as a whole


@dataclass
class TimeExpression(_Record):
    start: int
    end: int
    text: str
    value: str | None        # YYYY-MM-DD, YYYY-MM or YYYY
    precision: str | None    # "day" | "month" | "year"
    stage: str = "dates"
    rule: str = ""


@dataclass
class Place(_Record):
    """A place named in the text, resolved offline to a country and coordinates."""
    start: int
    end: int
    text: str
    name: str
    country: str | None = None     # ISO3
    latitude: float | None = None
    longitude: float | None = None
    stage: str = "places"
    rule: str = ""


@dataclass
class Event(_Record):
    type: str
    source: list[str]
    target: list[str]
    evidence: str
    evidence_spans: list[tuple[int, int]]
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    date: str | None = None
    date_precision: str | None = None
    date_text: str | None = None
    # how the date was found: "sentence" (an expression in the evidence sentence),
    # "anaphoric" ("the same day"), "relative" ("a day after Russia struck": an
    # offset from another date), "context" (the sentence names no time; the
    # occasion the text last dated), or None when the text gives no date
    date_basis: str | None = None
    location: str | None = None
    location_country: str | None = None
    hypothetical: bool = False
    negated: bool = False
    confidence: float = 0.5
    trigger: str = ""
    stage: str = "events"
    rule: str = ""
    source_persons: list[str] = field(default_factory=list)
    target_persons: list[str] = field(default_factory=list)
    # per actor of each side, as the sentence names it: {"actor", "agent", "sector"}
    source_agents: list[dict] = field(default_factory=list)
    target_agents: list[dict] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Event":
        event = super().from_dict(data)
        event.evidence_spans = [tuple(s) for s in event.evidence_spans]
        return event

    def to_output(self) -> dict[str, Any]:
        """The EVENTS.md §2 form of this event plus aliansi's own fields."""
        return {
            "type": self.type, "mode": self.mode, "context": list(self.context),
            "source": list(self.source), "target": list(self.target),
            "date": self.date, "location": self.location,
            "evidence": self.evidence,
            "hypothetical": self.hypothetical, "negated": self.negated,
            "confidence": round(self.confidence, 3),
            "date_precision": self.date_precision, "date_text": self.date_text,
            "date_basis": self.date_basis,
            "location_country": self.location_country,
            "evidence_spans": [list(s) for s in self.evidence_spans],
            "trigger": self.trigger, "rule": self.rule,
            "source_persons": list(self.source_persons),
            "target_persons": list(self.target_persons),
            "source_agents": [dict(a) for a in self.source_agents],
            "target_agents": [dict(a) for a in self.target_agents],
        }


@dataclass
class Person(_Record):
    name: str                      # as the text writes it (its fullest form)
    actor: str | None
    role: str | None = None
    kb_name: str | None = None     # the knowledge base's official it is ("George W. Bush")


@dataclass
class Article:
    text: str
    id: str = ""
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None          # YYYY-MM-DD
    published_source: str | None = None   # "given" | "dateline" | "image-path" | "url" | "text" | None
    language: str | None = None
    language_source: str | None = None    # "given" | "detected"
    origin: str | None = None             # file path or URL it was read from
    byline: str | None = None             # author or credit line, removed from the text
    images: list[dict[str, str]] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = content_id(self.text)

    def sentence_at(self, offset: int) -> Sentence | None:
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        return None

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        return _within(self.mentions, start, end, self._starts(self.mentions))

    def times_in(self, start: int, end: int) -> list[TimeExpression]:
        return _within(self.times, start, end, self._starts(self.times))

    def _starts(self, items: list) -> list[int] | None:
        """The start offsets of a list sorted by start, for bisection (None when it
        is not sorted), kept until the list is replaced or changes length: a long
        article then costs no more per sentence than a short one."""
        cache = self.__dict__.setdefault("_start_index", {})
        kept = cache.get(id(items))
        if kept is None or kept[0] is not items or kept[1] != len(items):
            starts = [item.start for item in items]
            if any(a > b for a, b in zip(starts, starts[1:])):
                starts = None
            cache[id(items)] = kept = (items, len(items), starts)
        return kept[2]

    def to_dict(self, *, copy: bool = True) -> dict[str, Any]:
        """`copy=False`: the parts' lists and dicts as they are, not copied (what a JSON
        encoder reads and lets go; a tenth of storing an article went to the copies)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        for key, cls in _NESTED.items():
            data[key] = [item.to_dict() if copy else record_dict(item, copy=False)
                         for item in data[key]]
        data["images"] = [dict(i) for i in self.images]
        data["actors"] = list(self.actors)
        data["stages"] = list(self.stages)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Article":
        kwargs = {k: data[k] for k in _field_names(cls) if k in data}
        for key, item_cls in _NESTED.items():
            kwargs[key] = [item_cls.from_dict(x) for x in kwargs.get(key, [])]
        return cls(**kwargs)

    def to_output(self) -> dict[str, Any]:
        """One EVENTS.md §2 document."""
        return {
            "doc_id": self.id,
            "language": self.language,
            "published": self.published,
            "published_source": self.published_source,
            "actors": list(self.actors),
            "persons": [p.to_dict() for p in self.persons],
            "events": [e.to_output() for e in self.events],
        }


def _within(items: list, start: int, end: int, starts: list[int] | None) -> list:
    if starts is None or len(items) < 32:
        return [i for i in items if start <= i.start and i.end <= end]
    lo = bisect.bisect_left(starts, start)
    hi = bisect.bisect_left(starts, end, lo)
    return [i for i in items[lo:hi] if i.end <= end]


_NESTED = {"sentences": Sentence, "mentions": Mention, "times": TimeExpression,
           "places": Place, "events": Event, "persons": Person}
