"""Reviews: an analyst's verdict on a stored event, kept apart from what the extractor wrote.

    store.review(event_id, "wrong", reason="the sentence is about a plan", reviewer="ana")
    store.review(event_id, "corrected", correction={"type": "AGREE", "date": "2025-12-01"},
                 reason="a signing, not a meeting", reviewer="ana")
    store.events()                  # wrong events left out, corrected ones as corrected
    store.events(review="wrong")    # only the events marked wrong

A review is a row of `reviews` (the current verdict of an event) and of `review_log`
(every verdict ever given, for who/when). Both are keyed by the event's id, a stable
hash of its article, type, actors, date and evidence spans (`store.base.event_id`), and
have no foreign key to `events`: re-ingesting an article deletes and rewrites its
events, and an event the extractor finds again gets the same id and so its review
back. Each review keeps a copy of the event as it was reviewed (`original`), so that
reviewed events can be exported as gold even when the extractor no longer finds them.

Verdicts: "right" (as extracted), "wrong" (not an event the text states: left out of
every list and count) and "corrected" (an event, with some of type, source, target,
date, hypothetical, negated replaced by `correction`; every list and count uses the
corrected values). Review states for filtering are these three and "unreviewed".
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterable

from aliansi.errors import QueryError, StoreError
from aliansi.store.migrations import FTS_ROWID_BITS, fts_day

VERDICTS = ("right", "wrong", "corrected")
STATES = ("unreviewed", "right", "wrong", "corrected")
DEFAULT_STATES = frozenset({"unreviewed", "right", "corrected"})
# filters of `Store.events` beyond the CLI's, for the web API
SEARCH_FILTERS = ("context", "country", "language", "article", "person", "min_confidence",
                  "min_sources")
CORRECTABLE = ("type", "source", "target", "date", "hypothetical", "negated")
_COLUMNS = ("event_id", "article_id", "verdict", "correction", "reason", "reviewer",
            "reviewed_at", "original")


class QueryTimeout(StoreError):
    """A query stopped at its time limit (`ReviewsMixin.time_limit`)."""


@dataclass
class Review:
    """The current verdict on one event."""
    event_id: str
    article_id: str
    verdict: str
    correction: dict[str, Any]
    reason: str | None
    reviewer: str
    reviewed_at: str
    original: dict[str, Any]        # the event as stored when it was reviewed

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def review_states(review: str | Iterable[str] | None) -> frozenset[str]:
    """The review states an events query keeps: by default all but "wrong"; "all" for
    every state; "reviewed" for right, wrong and corrected; else one state or several."""
    if review is None:
        return DEFAULT_STATES
    values = [review] if isinstance(review, str) else list(review)
    states: set[str] = set()
    for value in values:
        value = str(value).strip().lower()
        if value == "all":
            states.update(STATES)
        elif value == "reviewed":
            states.update(VERDICTS)
        elif value in STATES:
            states.add(value)
        else:
            raise QueryError(f"unknown review state {value!r}; one of "
                             f"{', '.join(STATES)}, reviewed or all")
    return frozenset(states)


def check_correction(correction: dict[str, Any] | None) -> dict[str, Any]:
    """The correction with its values checked: a PLOVER type, lists of actor codes, a
    YYYY[-MM[-DD]] date or None, booleans for the flags."""
    from aliansi.queries import date_bound, event_type

    correction = dict(correction or {})
    unknown = sorted(set(correction) - set(CORRECTABLE))
    if unknown:
        raise QueryError(f"cannot correct {', '.join(unknown)}; a correction may set "
                         f"{', '.join(CORRECTABLE)}")
    if "type" in correction:
        correction["type"] = event_type(correction["type"])
    for side in ("source", "target"):
        if side in correction:
            codes = correction[side]
            if isinstance(codes, str):
                codes = [c for c in codes.replace(",", " ").split() if c]
            if not isinstance(codes, list) or not all(isinstance(c, str) and c for c in codes):
                raise QueryError(f"{side} must be a list of actor codes, not {codes!r}")
            correction[side] = list(dict.fromkeys(c.strip().upper() for c in codes))
    if "source" in correction and not correction["source"]:
        raise QueryError("an event needs a source: give at least one actor")
    if "date" in correction and correction["date"] not in (None, ""):
        correction["date"] = date_bound(correction["date"], "date")
    elif "date" in correction:
        correction["date"] = None
    for flag in ("hypothetical", "negated"):
        if flag in correction and not isinstance(correction[flag], bool):
            raise QueryError(f"{flag} must be true or false, not {correction[flag]!r}")
    return correction


def corrected(event: Any, correction: dict[str, Any]) -> Any:
    """A StoredEvent with the corrected values (its agents follow its actors)."""
    changes = dict(correction)
    if "date" in changes:
        date = changes["date"]
        changes["date_precision"] = None if date is None else {4: "year", 7: "month",
                                                               10: "day"}[len(date)]
        changes["date_basis"] = None if date is None else "review"
        changes["date_text"] = None
    for side in ("source", "target"):
        if side in changes:
            named = {a["actor"]: a for a in getattr(event, f"{side}_agents")}
            changes[f"{side}_agents"] = [named.get(c, {"actor": c, "agent": None, "sector": None})
                                         for c in changes[side]]
    return dataclasses.replace(event, review="corrected", **changes)


def original_of(event: Any) -> dict[str, Any]:
    """What a review keeps of the event as it was extracted."""
    keep = ("id", "article_id", "type", "mode", "source", "target", "date", "date_precision",
            "location", "evidence", "evidence_spans", "hypothetical", "negated", "confidence",
            "rule", "trigger")
    data = event.to_dict()
    return {k: data[k] for k in keep}


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


# `Store.in_order`: conditions that can drive a query (an index or a list of ids), the
# newest events sampled to tell how many the filters keep, and the most rows a page may
# walk through in order
_DRIVING = re.compile(r"^e\.(id|rowid|type) IN \(")
_MEMBERS = re.compile(r"^e\.id IN \(SELECT (\w+)\.event_id FROM (.+?) WHERE (.+)\)$", re.S)


_LOW = 2 ** FTS_ROWID_BITS - 1
_FTS_CLAUSE = (f"e.rowid IN (SELECT rowid & {_LOW} FROM events_fts WHERE events_fts MATCH ? "
               f"AND rowid >= ?)")
_FTS_WALKED = "+" + _FTS_CLAUSE
_ACTOR_CLAUSE = "e.id IN (SELECT x.event_id FROM event_actors x WHERE x.actor = ?)"
_ACTOR_SINCE = ("e.id IN (SELECT x.event_id FROM event_actors x WHERE x.actor = ? "
                "AND x.sort_date >= ?)")


def _fts_at(where: list[str]) -> int | None:
    """The position of the full-text condition (as it is, or walked) in `where`, if any."""
    return next((i for i, w in enumerate(where) if w in (_FTS_CLAUSE, _FTS_WALKED)), None)


def _apart(where: list[str], params: list[Any], at: int, count: int
           ) -> tuple[int, list[Any], str, list[Any]]:
    """The condition `where[at]` apart from the others: where its `count` parameters
    start in `params`, those parameters, the other conditions as SQL (" AND ..." each)
    and their parameters."""
    first = sum(w.count("?") for w in where[:at])
    others = "".join(f" AND {w}" for i, w in enumerate(where) if i != at)
    return (first, params[first:first + count], others,
            params[:first] + params[first + count:])


def _walkable(condition: str) -> str:
    """A condition as a test of one event: `e.id IN (SELECT x.event_id FROM t x WHERE c)`
    as a correlated EXISTS (a probe of the table's (event_id, ...) key per event); other
    `e.col IN (...)` kept from driving the query (unary +)."""
    m = _MEMBERS.match(condition)
    if m:
        alias, tables, rest = m.groups()
        return f"EXISTS (SELECT 1 FROM {tables} WHERE {alias}.event_id = e.id AND {rest})"
    return "+" + condition if _DRIVING.match(condition) else condition
SAMPLE = 2_000
DRIVER_SAMPLE = 200         # the newest matches of a search or rows of an actor an estimate tests
SCAN_BUDGET = 40_000
PROGRESS_STEPS = 1_000      # SQLite VM steps between two looks at a time limit
SAMPLE_SECONDS = 5.0        # how long a sample's count is reused
WALK_MS = 20                # how long a page walks an actor's or a search's matches in order


# --- search, order and reviews of events ---------------------------------------------

_WORD = re.compile(r"\w+\*?")


def search_query(q: str, backend: str) -> str:
    """The full-text query for `q`: every word must be in the evidence (`word*`: a
    prefix), as FTS5 MATCH text (SQLite) or a tsquery (PostgreSQL)."""
    words = _WORD.findall(str(q).casefold())
    if not words:
        raise QueryError(f"q={q!r} has no words to search for")
    if backend.startswith("postgres"):
        return " & ".join(w[:-1] + ":*" if w.endswith("*") else w for w in words)
    return " AND ".join(f'"{w[:-1]}"*' if w.endswith("*") else f'"{w}"' for w in words)


class _Desc:
    """A value sorted in reverse, None last (SQL's DESC NULLS LAST)."""
    __slots__ = ("value",)

    def __init__(self, value: str | None):
        self.value = value

    def __lt__(self, other: "_Desc") -> bool:
        if self.value is None or other.value is None:
            return self.value is not None and other.value is None
        return self.value > other.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and self.value == other.value


def order_key(e: Any) -> tuple:
    """The order of `Store.events`: newest first (date, else published), then article, id."""
    return (_Desc(e.date or e.published), e.article_id, e.id)


def review_clause(states: frozenset[str]) -> str | None:
    """The SQL condition on an event's review for the `states` kept, over the events as
    extracted (corrected events are added in Python); None when none can pass."""
    verdicts = sorted({"right", "wrong"} & states)
    if "unreviewed" in states:
        dropped = sorted({"right", "wrong", "corrected"} - set(verdicts))
        return ("NOT EXISTS (SELECT 1 FROM reviews r WHERE r.event_id = e.id AND r.verdict IN ("
                + ", ".join(f"'{v}'" for v in dropped) + "))")
    if not verdicts:
        return None
    return ("EXISTS (SELECT 1 FROM reviews r WHERE r.event_id = e.id AND r.verdict IN ("
            + ", ".join(f"'{v}'" for v in verdicts) + "))")


def _within(value: str | None, bound: str, after: bool) -> bool:
    """`Store.events`' date test: compared at the coarser of the two precisions."""
    if value is None:
        return False
    left, right = value[:len(bound)], bound[:len(value)]
    return left >= right if after else left <= right


def _passes(e: Any, filters: dict[str, Any]) -> bool:
    """Whether an event (with corrected values) passes `events()`' filters, as the SQL
    tests them (but `q`, which the caller tests)."""
    sides = set(e.source) | set(e.target)
    actor, dyad, sector = filters.get("actor"), filters.get("dyad"), filters.get("sector")
    if actor is not None and actor not in sides:
        return False
    if dyad is not None:
        a, b = dyad
        if not ((a in e.source and b in e.target) or (b in e.source and a in e.target)):
            return False
    if sector is not None and not any(
            x.get("sector") == sector and (actor is None or x["actor"] == actor)
            for x in e.source_agents + e.target_agents):
        return False
    kinds = filters.get("type")
    if kinds is not None and e.type not in ([kinds] if isinstance(kinds, str) else kinds):
        return False
    when = e.date or e.published
    if filters.get("since") is not None and not _within(when, filters["since"], True):
        return False
    if filters.get("until") is not None and not _within(when, filters["until"], False):
        return False
    if not filters.get("include_flagged") and (e.hypothetical or e.negated):
        return False
    return True


class ReviewsMixin:
    """The Store's review methods (the Store supplies `_db`, `_rows`, `events_by_id`)."""

    def review(self, event_id: str, verdict: str, *, reviewer: str,
               reason: str | None = None, correction: dict[str, Any] | None = None) -> Review:
        """Record a verdict on the stored event `event_id` ("right", "wrong" or
        "corrected" with `correction`), replacing the event's earlier verdict (the
        log keeps every one). StoreError if there is no such event."""
        if self._db.read_only:
            raise StoreError(f"{self.location} is open read-only; cannot store a review")
        if verdict not in VERDICTS:
            raise QueryError(f"unknown verdict {verdict!r}; one of {', '.join(VERDICTS)}")
        if not reviewer or not str(reviewer).strip():
            raise QueryError("a review needs a reviewer (who reviewed it)")
        correction = check_correction(correction)
        if verdict == "corrected" and not correction:
            raise QueryError("a correction needs at least one of " + ", ".join(CORRECTABLE))
        if verdict != "corrected" and correction:
            raise QueryError(f"a {verdict!r} verdict takes no correction; use 'corrected'")
        found = self.events_by_id([event_id], corrections=False)
        if not found:
            raise StoreError(f"no event {event_id!r} in {self.location}")
        event = found[0]
        db = self._db
        row = Review(event_id=event.id, article_id=event.article_id, verdict=verdict,
                     correction=correction, reason=(reason or "").strip() or None,
                     reviewer=str(reviewer).strip(), reviewed_at=_now(),
                     original=original_of(event))
        values = [row.event_id, row.article_id, row.verdict, db.dump_json(row.correction),
                  row.reason, row.reviewer, row.reviewed_at, db.dump_json(row.original)]
        updates = ", ".join(f"{c} = excluded.{c}" for c in _COLUMNS[1:])
        try:
            with db.transaction():
                db.execute(f"INSERT INTO reviews ({', '.join(_COLUMNS)}) VALUES "
                           f"({', '.join('?' * len(_COLUMNS))}) "
                           f"ON CONFLICT (event_id) DO UPDATE SET {updates}", values)
                db.execute(f"INSERT INTO review_log (id, {', '.join(_COLUMNS)}) VALUES "
                           f"({', '.join('?' * (len(_COLUMNS) + 1))})",
                           [uuid.uuid4().hex, *values])
                db.execute("UPDATE events_readable SET review = ? WHERE event_id = ?",
                           [verdict, row.event_id])
        except db.errors as exc:
            raise StoreError(f"{self.location}: cannot store the review: {exc}") from exc
        return row

    def reviews(self, *, event_ids: Iterable[str] | None = None,
                verdict: str | None = None) -> list[Review]:
        """Current reviews (of `event_ids`, or all), latest first."""
        sql, params = f"SELECT {', '.join(_COLUMNS)} FROM reviews", []
        where = []
        if event_ids is not None:
            ids = list(dict.fromkeys(event_ids))
            if not ids:
                return []
            where.append(f"event_id IN ({', '.join('?' * len(ids))})")
            params += ids
        if verdict is not None:
            where.append("verdict = ?")
            params.append(verdict)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY reviewed_at DESC, event_id"
        return [self._review(r) for r in self._rows(sql, params)]

    def review_history(self, event_id: str) -> list[Review]:
        """Every verdict given on the event, oldest first."""
        return [self._review(r) for r in self._rows(
            f"SELECT {', '.join(_COLUMNS)} FROM review_log WHERE event_id = ? "
            f"ORDER BY reviewed_at, id", [event_id])]

    def _review(self, r: Any) -> Review:
        load = self._db.load_json
        return Review(event_id=r["event_id"], article_id=r["article_id"], verdict=r["verdict"],
                      correction=load(r["correction"]) or {}, reason=r["reason"],
                      reviewer=r["reviewer"], reviewed_at=r["reviewed_at"],
                      original=load(r["original"]))

    def _corrections(self, ids: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
        """{event id: correction} of the corrected events (of `ids`, or all)."""
        sql, params = "SELECT event_id, correction FROM reviews WHERE verdict = 'corrected'", []
        if ids is not None:
            ids = list(ids)
            if not ids:
                return {}
            sql += f" AND event_id IN ({', '.join('?' * len(ids))})"
            params = ids
        return {r["event_id"]: self._db.load_json(r["correction"]) or {}
                for r in self._rows(sql, params)}

    # --- lists that respect reviews (used by Store.events) ------------------------------

    @contextmanager
    def time_limit(self, ms: int | None):
        """Queries inside stop after `ms` milliseconds with a QueryTimeout (as Datasette
        limits its facets): SQLite through a progress handler, PostgreSQL through
        statement_timeout. None: no limit. Limits nest: inside another, the earlier
        deadline holds, and the outer one is back on leaving."""
        if ms is None:
            yield
            return
        postgres = self.backend.startswith("postgres")
        deadlines = self.__dict__.setdefault("_deadlines", [])
        deadline = time.monotonic() + ms / 1000
        if deadlines:
            deadline = min(deadline, deadlines[-1])
        deadlines.append(deadline)
        self._limit_queries(deadline, postgres)
        try:
            yield
        except StoreError as exc:
            if "interrupted" in str(exc) or "statement timeout" in str(exc):
                raise QueryTimeout(f"the query took over {ms} ms") from None
            raise
        finally:
            deadlines.pop()
            self._limit_queries(deadlines[-1] if deadlines else None, postgres)

    def _limit_queries(self, deadline: float | None, postgres: bool) -> None:
        if postgres:
            left = 0 if deadline is None else max(1, int((deadline - time.monotonic()) * 1000))
            self._db.execute(f"SET statement_timeout = {left}")
        elif deadline is None:
            self._db.connection.set_progress_handler(None, 0)
        else:
            self._db.connection.set_progress_handler(
                lambda: 1 if time.monotonic() > deadline else 0, PROGRESS_STEPS)

    def estimate_events(self, **filters: Any) -> int | None:
        """About how many events `events(**filters)` returns (SQLite; None on PostgreSQL):
        with a full-text search or an actor, its matches counted from the index times the
        share of its newest DRIVER_SAMPLE that pass the other filters; else the share of
        the newest SAMPLE events that pass, times the events stored."""
        if self.backend.startswith("postgres"):
            return None
        states = review_states(filters.pop("review", None))
        filters.pop("limit", None), filters.pop("offset", None)
        where, params = self._where(filters)
        clause = review_clause(states)
        if clause is None:
            return len(self._corrected_events(states, filters))
        where.append(clause)
        walked = [_walkable(w) for w in where]
        at = _fts_at(where)
        if at is not None:
            matches = ("SELECT rowid FROM events_fts WHERE events_fts MATCH ?", "f",
                       f"e.rowid = f.rowid & {_LOW}", "rowid DESC")
            # the match and its rowid bound apart; the bound (0) is not needed here
            return self._driver_estimate(matches, *_apart(walked, params, at, 2)[1:])
        if _ACTOR_CLAUSE in where:
            rows = ("SELECT event_id FROM event_actors WHERE actor = ?", "x",
                    "e.id = x.event_id", "sort_date DESC")
            return self._driver_estimate(
                rows, *_apart(walked, params, where.index(_ACTOR_CLAUSE), 1)[1:])
        total = int(self._one("SELECT MAX(rowid) FROM events") or 0)
        return round(self._sample_hits(walked, params) / min(SAMPLE, max(total, 1)) * total)

    def _driver_estimate(self, driver: tuple[str, str, str, str], own: list[Any],
                         others: str, rest: list[Any]) -> int:
        """The rows of `driver` (a query of one table, its alias, how it joins an event,
        its newest-first order) counted by its index, times the share of its newest
        DRIVER_SAMPLE rows whose event passes the `others` conditions (`_apart`); the
        driver's query takes the first of `own`."""
        select, alias, join, newest = driver
        own = own[:1]
        rows = int(self._one(f"SELECT COUNT(*) FROM ({select}) AS {alias}", own) or 0)
        if not rows:
            return 0
        passed = int(self._one(
            f"SELECT COUNT(DISTINCT e.id) FROM ({select} ORDER BY {newest} LIMIT "
            f"{DRIVER_SAMPLE}) AS {alias} JOIN events e ON {join} "
            f"JOIN articles a ON a.id = e.article_id WHERE 1 = 1{others}", [*own, *rest]) or 0)
        return round(rows * passed / min(rows, DRIVER_SAMPLE))

    def in_order(self, where: list[str], params: list[Any], needed: int
                 ) -> tuple[list[str], list[Any]]:
        """`where` and `params` rewritten, when it pays, so that a page of `needed` rows
        is read by walking the events in list order (the sort index) and testing each
        against the filters' subqueries, instead of reading every match and sorting it:
        when the filters keep at least about needed/SCAN_BUDGET of the newest SAMPLE
        events. A filter that keeps few is left to find its matches by index. A search
        or an actor walks its own matches newest first instead (`_fts_in_order`,
        `_actor_in_order`) and reads only those from the day of the `needed`-th on.
        SQLite only (PostgreSQL's planner weighs this itself)."""
        if self.backend.startswith("postgres") or not any(_DRIVING.match(w) for w in where):
            return where, params
        walked = [_walkable(w) for w in where]
        at = _fts_at(where)
        if at is not None:
            return self._fts_in_order(where, walked, params, at, needed)
        if _ACTOR_CLAUSE in where:
            found = self._actor_in_order(where, walked, params, needed)
            if found is not None:
                return found
        try:
            hits = self._sample_hits(walked, params)
        except StoreError:          # a condition the sample cannot take: as it is
            return where, params
        if not hits or needed * SAMPLE / hits > SCAN_BUDGET:
            return where, params
        return walked, params

    def _fts_in_order(self, where: list[str], walked: list[str], params: list[Any],
                      at: int, needed: int) -> tuple[list[str], list[Any]]:
        """A full-text page: the matches walked newest first (their rowids are in list
        order) until `needed` pass the other filters, for WALK_MS at most; then the
        page is read from the matches of that day on, sorted exactly. When the other
        filters keep too few matches to find them in time, they drive the query."""
        first, (match, _), others, rest = _apart(walked, params, at, 2)
        try:
            with self.time_limit(WALK_MS):
                row = self._one(
                    f"SELECT f.rowid FROM events_fts f JOIN events e ON e.rowid = f.rowid & "
                    f"{_LOW} JOIN articles a ON a.id = e.article_id WHERE events_fts MATCH ?"
                    f"{others} ORDER BY f.rowid DESC LIMIT 1 OFFSET ?",
                    [match, *rest, int(needed) - 1])
        except QueryTimeout:
            return where, params
        # the first rowid of the day of the `needed`-th match (0: fewer match)
        lowest = 0 if row is None else (int(row) >> FTS_ROWID_BITS) << FTS_ROWID_BITS
        return ([where[i] if i == at else w for i, w in enumerate(walked)],
                [*params[:first + 1], lowest, *params[first + 2:]])

    def _actor_in_order(self, where: list[str], walked: list[str], params: list[Any],
                        needed: int) -> tuple[list[str], list[Any]] | None:
        """An actor's page: the actor's rows walked newest first (`event_actors`'
        (actor, sort_date) index) until 2 * `needed` pass the other filters (an event
        has at most two rows of one actor: a source and a target), for WALK_MS at most;
        then the page is read from the actor's events of that date on, sorted exactly.
        None when that walk did not find them (few pass, or too slowly)."""
        at = where.index(_ACTOR_CLAUSE)
        first, actor, others, rest = _apart(walked, params, at, 1)
        try:
            with self.time_limit(WALK_MS):
                lowest = self._one(
                    f"SELECT x.sort_date FROM event_actors x JOIN events e ON e.id = x.event_id "
                    f"JOIN articles a ON a.id = e.article_id WHERE x.actor = ?{others} "
                    f"ORDER BY x.sort_date DESC LIMIT 1 OFFSET ?",
                    [*actor, *rest, 2 * int(needed) - 1])
        except QueryTimeout:
            return None
        if lowest is None:
            return None
        where = [_ACTOR_SINCE if i == at else w for i, w in enumerate(walked)]
        return where, [*params[:first + 1], lowest, *params[first + 1:]]

    def _sample_hits(self, walked: list[str], params: list[Any]) -> int:
        """How many of the newest SAMPLE events pass `walked`; kept for a few seconds
        (a page asks for its plan, its estimate and its facets' plan at once)."""
        key = (tuple(walked), tuple(params))
        cache = self.__dict__.setdefault("_samples", {})
        now = time.monotonic()
        if key in cache and now - cache[key][0] < SAMPLE_SECONDS:
            return cache[key][1]
        at = _fts_at(walked)
        if at is not None:          # the full-text matches among the sample only
            first = _apart(walked, params, at, 2)[0]
            params = [*params[:first + 1], self._sample_fts_bound(), *params[first + 2:]]
        hits = int(self._one(
            f"SELECT COUNT(*) FROM (SELECT rowid AS rowid, * FROM events ORDER BY "
            f"sort_date DESC NULLS LAST, article_id, id LIMIT {SAMPLE}) AS e "
            f"WHERE {' AND '.join(walked)}", params) or 0)
        if len(cache) > 256:
            cache.clear()
        cache[key] = (now, hits)
        return hits

    def _sample_fts_bound(self) -> int:
        """The first full-text rowid of the day of the SAMPLE-th newest event."""
        row = self._one(f"SELECT {fts_day('sort_date')} FROM events ORDER BY sort_date DESC "
                        f"NULLS LAST, article_id, id LIMIT 1 OFFSET {SAMPLE - 1}")
        return 0 if row is None else int(row) << FTS_ROWID_BITS

    def count_events(self, *, cap: int | None = None, **filters: Any) -> int:
        """How many events `events(**filters)` returns (no limit, offset); with `cap`,
        counting stops past it (a result over `cap` means "more than cap")."""
        states = review_states(filters.pop("review", None))
        filters.pop("limit", None), filters.pop("offset", None)
        where, params = self._where(filters)
        clause = review_clause(states)
        count = len(self._corrected_events(states, filters))
        if clause is not None:
            where.append(clause)
            inner = ("FROM events e JOIN articles a ON a.id = e.article_id WHERE "
                     + " AND ".join(where))
            if cap is None:
                count += int(self._one(f"SELECT COUNT(*) {inner}", params))
            else:
                count += int(self._one(f"SELECT COUNT(*) FROM (SELECT 1 {inner} LIMIT ?) AS n",
                                       [*params, int(cap) + 1]))
        return count if cap is None else min(count, int(cap) + 1)

    def event_facets(self, *, sample: int | None = None, top: int = 15,
                     **filters: Any) -> dict[str, dict[str, int]]:
        """Counts of the events `events(**filters)` returns by type, language, context,
        actor (the `top` most frequent), review state and flag ("hypothetical", "negated"
        or "none"), largest first. `sample`: count over the newest `sample` of them only
        (in `events()` order), so that a facet costs the same on any size of store."""
        from aliansi.store.base import _ORDER

        states = review_states(filters.pop("review", None))
        filters.pop("limit", None), filters.pop("offset", None)
        where, params = self._where(filters)
        clause = review_clause(states)
        postgres = self.backend.startswith("postgres")
        facets: dict[str, dict[str, int]] = {k: {} for k in
                                             ("type", "actor", "language", "context", "review",
                                              "flag")}
        fixed = self._corrected_events(states, filters)
        if clause is not None:
            where.append(clause)
        if clause is not None and sample is not None:
            # the newest `sample` matches, read once and counted here
            where, params = self.in_order(where, params, sample)
            inner = (f"FROM events e JOIN articles a ON a.id = e.article_id WHERE "
                     f"{' AND '.join(where)} ORDER BY {_ORDER} LIMIT ?")
            load = self._db.load_json
            for r in self._rows(
                    "SELECT e.type, e.context, e.hypothetical, e.negated, a.language, "
                    "(SELECT r.verdict FROM reviews r WHERE r.event_id = e.id) AS review "
                    f"{inner}", [*params, int(sample)]):
                flag = "hypothetical" if r["hypothetical"] else "negated" if r["negated"] \
                    else "none"
                for name, key in (("type", r["type"]), ("language", r["language"] or "unknown"),
                                  ("review", r["review"] or "unreviewed"), ("flag", flag),
                                  *(("context", c) for c in load(r["context"]) or [])):
                    facets[name][key] = facets[name].get(key, 0) + 1
            facets["actor"] = {r["k"]: int(r["n"]) for r in self._rows(
                f"SELECT x.actor AS k, COUNT(DISTINCT x.event_id) AS n FROM event_actors x "
                f"WHERE x.event_id IN (SELECT e.id {inner}) GROUP BY 1 ORDER BY 2 DESC, 1 "
                f"LIMIT {int(top)}", [*params, int(sample)])}
            clause = None
        if clause is not None:
            joined = " FROM events e JOIN articles a ON a.id = e.article_id WHERE " + \
                " AND ".join(where)
            flag = ("CASE WHEN e.hypothetical THEN 'hypothetical' WHEN e.negated "
                    "THEN 'negated' ELSE 'none' END")
            review_sql = ("COALESCE((SELECT r.verdict FROM reviews r WHERE r.event_id = e.id), "
                          "'unreviewed')")
            context = ("jsonb_array_elements_text(e.context)" if postgres
                       else "json_each(e.context)")
            value = "c" if postgres else "c.value"
            queries = {
                "type": (f"SELECT e.type AS k, COUNT(*) AS n{joined} GROUP BY 1", params),
                "language": (f"SELECT COALESCE(a.language, 'unknown') AS k, COUNT(*) AS n{joined} "
                             f"GROUP BY 1", params),
                "review": (f"SELECT {review_sql} AS k, COUNT(*) AS n{joined} GROUP BY 1", params),
                "flag": (f"SELECT {flag} AS k, COUNT(*) AS n{joined} GROUP BY 1", params),
                "actor": (f"SELECT x.actor AS k, COUNT(DISTINCT e.id) AS n FROM events e JOIN "
                          f"articles a ON a.id = e.article_id JOIN event_actors x ON "
                          f"x.event_id = e.id WHERE {' AND '.join(where)} GROUP BY 1 "
                          f"ORDER BY 2 DESC, 1 LIMIT {int(top)}", params),
                "context": (f"SELECT {value} AS k, COUNT(*) AS n FROM events e JOIN articles a "
                            f"ON a.id = e.article_id, {context} AS c WHERE "
                            f"{' AND '.join(where)} GROUP BY 1", params),
            }
            for name, (sql, values) in queries.items():
                facets[name] = {str(r["k"]): int(r["n"]) for r in self._rows(sql, values)}
        for e in fixed:
            for name, key in (("type", e.type), ("review", "corrected"),
                              ("flag", "hypothetical" if e.hypothetical else
                               "negated" if e.negated else "none")):
                facets[name][key] = facets[name].get(key, 0) + 1
        if fixed:
            languages = {r["id"]: r["language"] or "unknown" for r in self._rows(
                f"SELECT id, language FROM articles WHERE id IN "
                f"({', '.join('?' * len(fixed))})", [e.article_id for e in fixed])}
            for e in fixed:
                key = languages.get(e.article_id, "unknown")
                facets["language"][key] = facets["language"].get(key, 0) + 1
                for c in e.context:
                    facets["context"][c] = facets["context"].get(c, 0) + 1
                for c in set(e.source) | set(e.target):
                    facets["actor"][c] = facets["actor"].get(c, 0) + 1
        return {name: dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
                for name, counts in facets.items()}

    def _where(self, filters: dict[str, Any]) -> tuple[list[str], list[Any]]:
        """The WHERE conditions of `events()` over the values as extracted: the Store's
        filters (`store.base._filters`), then full-text search and `SEARCH_FILTERS`."""
        from aliansi.store.base import _filters

        filters = dict(filters)
        search = {k: filters.pop(k) for k in list(filters) if k in ("q", *SEARCH_FILTERS)}
        where, params = _filters(**filters)
        more, values = self._search_where(search)
        return where + more, params + values

    def _search_where(self, search: dict[str, Any]) -> tuple[list[str], list[Any]]:
        """The conditions of `q` and `SEARCH_FILTERS`: on what a review cannot change."""
        unknown = sorted(set(search) - {"q", *SEARCH_FILTERS})
        if unknown:
            raise TypeError(f"events() got unknown filters {', '.join(unknown)}")
        postgres = self.backend.startswith("postgres")
        where: list[str] = []
        params: list[Any] = []
        if search.get("q") is not None:
            where.append(self._search_clause())
            params.append(search_query(search["q"], self.backend))
            if not postgres:
                params.append(0)
        if search.get("context") is not None:
            where.append("e.context @> jsonb_build_array(?::text)" if postgres else
                         "EXISTS (SELECT 1 FROM json_each(e.context) c WHERE c.value = ?)")
            params.append(search["context"])
        if search.get("country") is not None:
            where.append("e.location_country = ?")
            params.append(search["country"])
        if search.get("language") is not None:
            where.append("e.article_id IN (SELECT id FROM articles WHERE language = ?)")
            params.append(search["language"])
        if search.get("article") is not None:
            where.append("e.article_id = ?")
            params.append(search["article"])
        if search.get("person") is not None:
            where.append("e.article_id IN (SELECT p.article_id FROM persons p "
                         "WHERE lower(p.name) LIKE ?)")
            params.append("%" + str(search["person"]).lower().replace("%", "").replace("_", "")
                          + "%")
        if search.get("min_confidence") is not None:
            where.append("e.confidence >= ?")
            params.append(float(search["min_confidence"]))
        if search.get("min_sources") is not None and int(search["min_sources"]) > 1:
            # occurrences reported by at least this many outlets (as corroboration counts)
            where.append(
                "e.id IN (SELECT c.event_id FROM event_clusters c WHERE c.cluster_id IN ("
                "SELECT c2.cluster_id FROM event_clusters c2 JOIN events e2 ON e2.id = c2.event_id "
                "JOIN articles a2 ON a2.id = e2.article_id GROUP BY c2.cluster_id HAVING "
                "COUNT(DISTINCT COALESCE(a2.outlet, 'article:' || a2.id)) >= ?))")
            params.append(int(search["min_sources"]))
        return where, params

    def _search_clause(self) -> str:
        """The full-text condition; on SQLite with a lower bound on the matches' rowids
        (0: all of them) that `in_order` raises for a page."""
        if self.backend.startswith("postgres"):
            return "to_tsvector('simple', e.evidence) @@ to_tsquery('simple', ?)"
        return _FTS_CLAUSE

    def _corrected_events(self, states: frozenset[str], filters: dict[str, Any]
                          ) -> list[Any]:
        """The corrected events that pass `filters` with their corrected values, in
        `events()` order (none unless "corrected" is among the `states`)."""
        if "corrected" not in states:
            return []
        corrections = self._corrections()
        if not corrections:
            return []
        found = [corrected(e, corrections[e.id])
                 for e in self.events_by_id(corrections, corrections=False)]
        found = [e for e in found if _passes(e, filters)]
        search = {k: v for k, v in filters.items() if k in ("q", *SEARCH_FILTERS)}
        more, values = self._search_where(search)
        if found and more:
            ids = [e.id for e in found]
            matching = {r["id"] for r in self._rows(
                f"SELECT e.id FROM events e WHERE e.id IN ({', '.join('?' * len(ids))}) "
                f"AND {' AND '.join(more)}", [*ids, *values])}
            found = [e for e in found if e.id in matching]
        return sorted(found, key=order_key)

    # --- reviewed events as gold (EVENTS.md) ------------------------------------------

    def gold(self, *, complete_only: bool = False) -> list[dict[str, Any]]:
        """One EVENTS.md document per article with reviewed events: its events judged
        right (as extracted) or corrected (as corrected), in text order; events marked
        wrong are left out. `complete` says whether every stored event of the article
        was reviewed (`complete_only`: only those documents). Persons are not reviewed
        and are left empty."""
        reviews = self.reviews()
        by_article: dict[str, list[Review]] = {}
        for r in reviews:
            by_article.setdefault(r.article_id, []).append(r)
        documents = []
        for article_id in sorted(by_article):
            done = {r.event_id: r for r in by_article[article_id]}
            stored = {row["id"] for row in self._rows(
                "SELECT id FROM events WHERE article_id = ?", [article_id])}
            complete = stored <= set(done)
            if complete_only and not complete:
                continue
            events = []
            for r in sorted(done.values(), key=lambda r: (min(r.original["evidence_spans"] or
                                                              [[0, 0]]), r.event_id)):
                if r.verdict == "wrong":
                    continue
                event = {**r.original, **r.correction}
                events.append({
                    "type": event["type"], "mode": event.get("mode"),
                    "source": event["source"], "target": event["target"],
                    "date": event.get("date"), "location": event.get("location"),
                    "evidence": event["evidence"],
                    "hypothetical": bool(event.get("hypothetical")),
                    "negated": bool(event.get("negated")),
                    "review": {"verdict": r.verdict, "reviewer": r.reviewer,
                               "reviewed_at": r.reviewed_at, "reason": r.reason,
                               "event_id": r.event_id}})
            actors = sorted({c for e in events for c in e["source"] + e["target"]})
            documents.append({"doc_id": article_id, "actors": actors, "persons": [],
                              "events": events, "complete": complete})
        return documents
