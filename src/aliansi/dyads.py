"""Dyads over time: what two actors (or one actor and everyone else) did, period by period.

    scores = PloverScores.load()
    table = dyad(store.events(dyad=("JPN", "CHN")), "JPN", "CHN", by="month", scores=scores)
    table.to_rows()
    # [{"period": "2025-12", "precision": "month", "AGREE": 0, ..., "COERCE": 1, ...,
    #   "cooperation": 0.0, "conflict": 12.0, "net": -12.0, "events": 2}, ...]

Each occurrence counts once per row: the reports of one event by several articles
(one cluster, `aliansi.dedup`) count once, with the number of reports and of distinct
outlets beside it (`cluster_of`; without it each report counts). `direction` counts
what A did to B ("a->b"), B to A ("b->a") or either ("both", the default). Its
PLOVER value (`data/plover_scores.yaml`, PLOVER manual 2024; CONSULT by mode) goes to
`cooperation` when positive and to `conflict` (as a magnitude) when negative;
`net = cooperation - conflict`. REQUEST (0) is counted but scores nothing.

Events flagged hypothetical or negated never count. An event without a date goes to
the row "undated"; it is never placed at its article's publication date. An event
dated more coarsely than the buckets (a month when counting by week, a year when
counting by month) gets a row of its own labelled with its date ("2025-12", "2025"),
with `precision` saying so, rather than being spread or guessed.

`rollup={"NATO"}` counts an event of a NATO member as NATO's, with membership on the
event's date (its publication date when undated) from the knowledge base, or from a
fixed `members` mapping when given.
"""
from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Protocol

import yaml

from aliansi.errors import ConfigError
from aliansi.model import EVENT_TYPES

log = logging.getLogger(__name__)

PERIODS = ("week", "month", "year")
UNDATED = "undated"
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class EventLike(Protocol):
    type: str
    source: list[str]
    target: list[str]
    date: str | None
    mode: str | None
    hypothetical: bool
    negated: bool


# --- dates ------------------------------------------------------------------------------

def date_range(value: str) -> tuple[dt.date, dt.date, str]:
    """(first day, last day, precision) of a YYYY, YYYY-MM or YYYY-MM-DD date."""
    m = _DATE.match(value or "")
    if not m:
        raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = int(m[1]), m[2], m[3]
    if day:
        d = dt.date(year, int(month), int(day))
        return d, d, "day"
    if month:
        n = int(month)
        return dt.date(year, n, 1), dt.date(year, n, calendar.monthrange(year, n)[1]), "month"
    return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"


def period_of(value: str | None, by: str) -> tuple[str, str, dt.date | None]:
    """(label, precision, start) of the bucket a date falls in when counting `by`."""
    if by not in PERIODS:
        raise ConfigError(f"by must be one of {', '.join(PERIODS)}, not {by!r}")
    if value is None:
        return UNDATED, UNDATED, None
    start, _, precision = date_range(value)
    if _PRECISION_RANK[precision] > _PRECISION_RANK[by]:
        return value, precision, start          # coarser than the buckets: its own row
    if by == "week":
        iso = start.isocalendar()
        monday = start - dt.timedelta(days=start.weekday())
        return f"{iso.year}-W{iso.week:02d}", "week", monday
    if by == "month":
        return start.strftime("%Y-%m"), "month", start.replace(day=1)
    return str(start.year), "year", dt.date(start.year, 1, 1)


# --- scores -----------------------------------------------------------------------------

@dataclass(frozen=True)
class PloverScores:
    """PLOVER cooperation–conflict values by type, and by mode where the mode differs."""
    types: Mapping[str, float]
    modes: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "PloverScores":
        """Read `data/plover_scores.yaml` (or a file of the same form)."""
        label = str(path) if path else "aliansi/data/plover_scores.yaml"
        try:
            text = (Path(path).read_text(encoding="utf-8") if path else
                    (resources.files("aliansi") / "data" / "plover_scores.yaml")
                    .read_text(encoding="utf-8"))
            data = yaml.safe_load(text)
        except (OSError, yaml.YAMLError) as exc:
            raise ConfigError(f"{label}: cannot read PLOVER scores: {exc}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("types"), dict):
            raise ConfigError(f"{label}: expected a mapping with 'types'")
        types, modes = data["types"], data.get("modes") or {}
        missing = [t for t in EVENT_TYPES if t not in types]
        unknown = [t for t in [*types, *modes] if t not in EVENT_TYPES]
        if missing or unknown:
            raise ConfigError(f"{label}: types missing {missing}, unknown {unknown}")
        try:
            return cls(types={t: float(v) for t, v in types.items()},
                       modes={t: {m: float(v) for m, v in ms.items()} for t, ms in modes.items()})
        except (TypeError, ValueError, AttributeError) as exc:
            raise ConfigError(f"{label}: scores must be numbers: {exc}") from exc

    def score(self, type: str, mode: str | None = None) -> float:
        if type not in self.types:
            raise ConfigError(f"unknown event type {type!r}")
        return self.modes.get(type, {}).get(mode, self.types[type]) if mode else self.types[type]


# --- roll-up of members to frameworks -----------------------------------------------------

MembersOf = Callable[[str, "dt.date | None"], set]


def membership_lookup(*, kb: Any = None, members: Mapping[str, Iterable[str]] | None = None
                      ) -> MembersOf:
    """`members_of(framework, day) -> set of codes`: from a fixed mapping when given,
    else from the knowledge base (`kb`, loaded when None) on that day."""
    if members is not None:
        fixed = {k: set(v) for k, v in members.items()}
        return lambda code, day: fixed.get(code, set())
    if kb is None:
        from aliansi.kb import KnowledgeBase
        kb = KnowledgeBase.load()

    def members_of(code: str, day: dt.date | None) -> set:
        if code not in kb.organisations:
            raise ConfigError(f"cannot roll up to {code!r}: not an organisation in the "
                              f"knowledge base")
        return kb.members(code, on=day)
    return members_of


def event_day(event: Any) -> dt.date | None:
    """The day used for memberships: the event's first day, else its article's date."""
    for value in (getattr(event, "date", None), getattr(event, "published", None)):
        if value:
            try:
                return date_range(value)[0]
            except ValueError:
                continue
    return None


def rolled_sides(event: Any, rollup: frozenset[str], members_of: MembersOf | None
                 ) -> tuple[set[str], set[str]]:
    """The event's source and target codes, members replaced by their frameworks."""
    src, tgt = set(event.source), set(event.target)
    if not rollup or members_of is None:
        return src, tgt
    day = event_day(event)
    owner: dict[str, set[str]] = {}
    for framework in rollup:
        for code in members_of(framework, day):
            owner.setdefault(code, set()).add(framework)
    lift = lambda side: set().union(*(owner.get(c, {c}) for c in side)) if side else set()  # noqa: E731
    return lift(src), lift(tgt)


# --- the table --------------------------------------------------------------------------

@dataclass
class DyadRow:
    period: str
    precision: str     # the bucket ("week" | "month" | "year"), a coarser date's, or "undated"
    start: dt.date | None
    counts: Counter = field(default_factory=Counter)
    cooperation: float = 0.0
    conflict: float = 0.0
    events: int = 0        # occurrences (or reports, when counted per report)
    reports: int = 0       # the articles that report them
    outlets: int = 0       # the distinct outlets of each occurrence, summed

    @property
    def net(self) -> float:
        return self.cooperation - self.conflict

    def add(self, type: str, score: float, reports: int = 1, outlets: int = 1) -> None:
        self.counts[type] += 1
        self.events += 1
        self.reports += reports
        self.outlets += outlets
        if score > 0:
            self.cooperation += score
        else:
            self.conflict += -score

    def to_dict(self) -> dict[str, Any]:
        row: dict[str, Any] = {"period": self.period, "precision": self.precision}
        row.update({t: self.counts.get(t, 0) for t in EVENT_TYPES})
        row.update({"cooperation": round(self.cooperation, 3),
                    "conflict": round(self.conflict, 3),
                    "net": round(self.net, 3), "events": self.events,
                    "reports": self.reports, "outlets": self.outlets})
        return row


@dataclass
class DyadTable:
    """Counts and scores of a dyad (or one actor against all) per period."""
    a: str
    b: str | None
    by: str
    rollup: tuple[str, ...]
    rows: list[DyadRow]
    direction: str = "both"

    def to_rows(self) -> list[dict[str, Any]]:
        """One dict per period: the periods of the table's granularity in time order,
        then events dated more coarsely (rows of their own), then "undated". The keys are
        always the same: period, precision, the 16 types, cooperation, conflict, net,
        events, reports, outlets."""
        return [r.to_dict() for r in self.rows]

    def total(self) -> DyadRow:
        total = DyadRow(period="total", precision="total", start=None)
        for r in self.rows:
            total.counts.update(r.counts)
            total.cooperation += r.cooperation
            total.conflict += r.conflict
            total.events += r.events
            total.reports += r.reports
            total.outlets += r.outlets
        return total


DIRECTIONS = ("both", "a->b", "b->a")


def dyad(events: Iterable[EventLike], a: str, b: str | None = None, *, by: str = "month",
         rollup: Iterable[str] | None = None, kb: Any = None,
         members: Mapping[str, Iterable[str]] | None = None,
         scores: PloverScores | None = None, cluster_of: Mapping[str, str] | None = None,
         direction: str = "both") -> DyadTable:
    """Count `events` between `a` and `b` (either direction), or between `a` and anyone
    else when `b` is None, per week, month or year (`by`).

    `rollup`: frameworks whose members count as the framework (`{"NATO"}`), with
    membership from `members` (a fixed mapping) or else the knowledge base `kb`
    (loaded when None). Events inside one side only (a NATO member against another,
    rolled up) are not a dyad and are skipped. Flagged events never count.
    """
    return tabulate(counted(events, cluster_of), a, b, by=by, rollup=rollup, kb=kb,
                    members=members, scores=scores, direction=direction)


def counted(events: Iterable[EventLike], cluster_of: Mapping[str, str] | None
            ) -> list[tuple[EventLike, int, int]]:
    """(lead report, articles, outlets) of each occurrence of `events` (`occurrences`):
    the articles that report it and their distinct outlets (`outlet_key`)."""
    return [(reports[0], len({e.article_id for e in reports}),
             len({outlet_key(e) for e in reports})) for reports in occurrences(events, cluster_of)]


def tabulate(found: Iterable[tuple[EventLike, int, int]], a: str, b: str | None = None, *,
             by: str = "month", rollup: Iterable[str] | None = None, kb: Any = None,
             members: Mapping[str, Iterable[str]] | None = None,
             scores: PloverScores | None = None, direction: str = "both") -> DyadTable:
    """`dyad` of occurrences already counted: (lead report, articles, outlets) each, as
    `counted` gives them or a store keeps them (`Store.dyad_occurrences`)."""
    if not a or a == b:
        raise ConfigError(f"a dyad needs two different actors, got {a!r} and {b!r}")
    if direction not in DIRECTIONS:
        raise ConfigError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    period_of(None, by)   # checks `by`
    scores = scores or PloverScores.load()
    frameworks = frozenset(rollup or ())
    members_of = membership_lookup(kb=kb, members=members) if frameworks else None
    rows: dict[str, DyadRow] = {}
    periods: dict[str | None, tuple[str, str, dt.date | None]] = {}   # by date, read once
    for event, n_reports, n_outlets in found:
        if event.hypothetical or event.negated:
            continue
        src, tgt = rolled_sides(event, frameworks, members_of)
        a_to_b = a in src and (b in tgt if b is not None else bool(tgt - {a}))
        b_to_a = a in tgt and (b in src if b is not None else bool(src - {a}))
        if not {"both": a_to_b or b_to_a, "a->b": a_to_b, "b->a": b_to_a}[direction]:
            continue
        if event.date not in periods:
            periods[event.date] = period_of(event.date, by)
        label, precision, start = periods[event.date]
        row = rows.get(label)
        if row is None:
            row = rows[label] = DyadRow(period=label, precision=precision, start=start)
        row.add(event.type, scores.score(event.type, event.mode),
                reports=n_reports, outlets=n_outlets)
    order = sorted(rows.values(), key=lambda r: (r.start is None, r.precision != by,
                                                 r.start or dt.date.min,
                                                 _PRECISION_RANK.get(r.precision, 9)))
    log.info("dyad %s-%s by %s: %d events in %d periods", a, b or "*", by,
             sum(r.events for r in order), len(order))
    return DyadTable(a=a, b=b, by=by, rollup=tuple(sorted(frameworks)), rows=order,
                     direction=direction)


def outlet_key(report: Any) -> str:
    """What tells one source from another: the report's outlet, or its article when the
    outlet is unknown (an article without one counts as its own source)."""
    return getattr(report, "outlet", None) or f"article:{report.article_id}"


def occurrences(events: Iterable[EventLike], cluster_of: Mapping[str, str] | None
                ) -> list[list[EventLike]]:
    """The events grouped by occurrence (their cluster in `cluster_of`; an event in
    none is an occurrence of its own), each group led by its most precisely dated
    report, then the earliest published."""
    groups: dict[str, list] = {}
    for event in events:
        key = (cluster_of or {}).get(getattr(event, "id", None)) or f"event:{id(event)}"
        groups.setdefault(key, []).append(event)
    def lead(e):
        return (-len(e.date or ""), getattr(e, "published", None) or "9999",
                getattr(e, "article_id", ""), getattr(e, "id", ""))
    return [sorted(group, key=lead) for group in groups.values()]
