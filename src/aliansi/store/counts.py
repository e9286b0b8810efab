"""What counting reads from a store: lean event rows and network edges counted in the
database, so that dyads, actor profiles and the network neither load every event's
evidence nor hold the whole store in memory.

Both respect reviews as `Store.events` does (`aliansi.store.reviews`): an event marked
wrong does not count, a corrected one counts with its corrected values.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, Collection, Iterable, Sequence

from aliansi.store import occurrences
from aliansi.store.actor_events import partners
from aliansi.store.reviews import order_key, review_clause, review_states


@dataclass(frozen=True, slots=True)
class Lead:
    """What an occurrence's lead report states, as the dyads count it (`occurrences`)."""
    type: str
    mode: str | None
    date: str | None
    source: list[str]
    target: list[str]
    hypothetical: bool = False
    negated: bool = False


@dataclass(slots=True)
class EventRow:
    """An event as counting needs it (`event_rows`): what dyads, the network and actor
    profiles read, without the evidence."""
    id: str
    article_id: str
    type: str
    mode: str | None
    date: str | None
    source: list[str]
    target: list[str]
    hypothetical: bool
    negated: bool
    published: str | None
    outlet: str | None
    cluster_id: str | None


def _codes(value: Any, load: Any) -> list[str]:
    """A side's actor codes as stored: JSON such as ["USA", "CHN"], read directly when it
    is that simple (the codes hold no quote or backslash), else by the JSON decoder."""
    if isinstance(value, str) and value.startswith('["') and value.endswith('"]') \
            and "\\" not in value:
        codes = value[2:-2].split('", "')
        if not any('"' in c for c in codes):
            return codes
    return load(value)


def _decoder(load: Any) -> Any:
    """`_codes` of a side, each distinct value decoded once (the same few recur)."""
    sides: dict[Any, list[str]] = {}

    def codes(value: Any) -> list[str]:
        if value not in sides:
            sides[value] = _codes(value, load)
        return sides[value]
    return codes


# The occurrences with a report marked wrong or corrected (cluster ids, and the ids of
# the reviewed events: an occurrence in no cluster is keyed by its event).
_REVIEWED = ("SELECT event_id FROM reviews WHERE verdict IN ('wrong', 'corrected') UNION "
             "SELECT c.cluster_id FROM reviews r JOIN event_clusters c ON c.event_id = r.event_id "
             "WHERE r.verdict IN ('wrong', 'corrected')")

_IDS = 5000      # event ids looked up in one query (under SQLite's limit of parameters)

_ROW_COLUMNS = ("e.id, e.article_id, e.type, e.mode, e.date, e.source, e.target, "
                "e.hypothetical, e.negated, a.published, a.outlet, c.cluster_id")
_FROM = ("FROM events e JOIN articles a ON a.id = e.article_id "
         "LEFT JOIN event_clusters c ON c.event_id = e.id")


class CountsMixin:
    """Methods of `Store` (which provides `_db`, `_where`, `_corrected_events`,
    `cluster_ids`)."""

    def event_rows(self, *, ids: Collection[str] | None = None, **filters: Any
                   ) -> list[EventRow]:
        """The events `events(**filters)` returns, as lean rows for counting (no evidence,
        spans or agents), each with its cluster (`cluster_id`, None when unclustered);
        in the same order. `ids`: only those of these events."""
        states = review_states(None)
        where, params = self._where(filters)
        where.append(review_clause(states))
        if ids is not None:
            ids = set(ids)
            where.append(f"e.id IN ({', '.join('?' * len(ids))})" if ids else "1 = 0")
            params = [*params, *sorted(ids)]
        load = self._db.load_json
        rows = [EventRow(r[0], r[1], r[2], r[3], r[4], _codes(r[5], load), _codes(r[6], load),
                         bool(r[7]), bool(r[8]), r[9], r[10], r[11])
                for r in self._db.execute(
                    f"SELECT {_ROW_COLUMNS} {_FROM} WHERE {' AND '.join(where)} "
                    "ORDER BY e.sort_date DESC NULLS LAST, e.article_id, e.id", params).fetchall()]
        fixed = [e for e in self._corrected_events(states, filters) if ids is None or e.id in ids]
        if not fixed:
            return rows
        clusters = self.cluster_ids(e.id for e in fixed)
        rows += [EventRow(e.id, e.article_id, e.type, e.mode, e.date, list(e.source),
                          list(e.target), e.hypothetical, e.negated, e.published, e.outlet,
                          clusters.get(e.id)) for e in fixed]
        return sorted(rows, key=order_key)

    def network_counts(self, *, since: str | None = None, until: str | None = None
                       ) -> list[tuple[str, str, str, str | None, int, int]]:
        """(source, target, type, mode, occurrences, reports) of the events in [since,
        until] that `events()` returns: each occurrence (a cluster's reports in the
        window, or an unclustered event) once, as its lead report (the most precisely
        dated, then the earliest published) states it, with the articles behind it; a
        pair of one actor with itself is no pair. Counted in the database from the
        `occurrences` rows whose reports are all in the window, grouped by what their
        leads state; the occurrences with only some of their reports in it, or with a
        reviewed report, from their reports."""
        from aliansi.network import occurrence_counts, pair_counts

        inside, touching, bounds = occurrences.window(since, until)
        codes = _decoder(json.loads)       # the occurrence tables hold JSON as text
        found = pair_counts((codes(source), codes(target), type, mode, int(n), int(reports))
                            for type, mode, source, target, n, reports in self._db.execute(
                                "SELECT type, mode, source, target, COUNT(*), SUM(reports) "
                                f"FROM occurrences WHERE {inside} AND occurrence NOT IN "
                                f"({_REVIEWED}) GROUP BY type, mode, source, target",
                                bounds).fetchall())
        apart = self.reviewed_occurrences()
        if since is not None or until is not None:
            apart |= {r[0] for r in self._db.execute(
                f"SELECT occurrence FROM occurrences WHERE NOT {inside} AND {touching}",
                [*bounds, *bounds]).fetchall()}
        if apart:
            rows = self.occurrence_rows(apart, since=since, until=until)
            found += occurrence_counts(rows, {r.id: r.cluster_id for r in rows if r.cluster_id})
        return found

    def dyad_occurrences(self, a: str, b: str | None = None, *, since: str | None = None,
                         until: str | None = None) -> list[tuple[Any, int, int]]:
        """(lead report, articles, outlets) of every occurrence among the reports of
        `event_rows(dyad=(a, b), since=since, until=until)` (or `actor=a`):
        `aliansi.dyads.counted` of those rows, read from the occurrence tables where all
        of an occurrence's reports are within the dates. The occurrences with only some
        of their reports within them, or with a reviewed report, are counted from their
        reports."""
        from aliansi.dyads import counted

        if b is None:
            sql, params = "FROM occurrence_actors WHERE actor = ?", [a]
        else:
            sql, params = "FROM occurrence_dyads WHERE a = ? AND b = ?", [min(a, b), max(a, b)]
        inside, touching, bounds = occurrences.window(since, until)
        apart = self.reviewed_occurrences()
        codes = _decoder(json.loads)
        found = []
        for key, type, mode, date, source, target, reports, outlets, whole in self._db.execute(
                "SELECT occurrence, type, mode, date, source, target, reports, outlets, "
                f"{inside} {sql} AND {touching}", [*bounds, *params, *bounds]).fetchall():
            if key in apart:
                continue
            if not whole:
                apart.add(key)
                continue
            found.append((Lead(type, mode, date, codes(source), codes(target)), reports, outlets))
        if apart:
            filters = {"dyad": (a, b)} if b is not None else {"actor": a}
            rows = self.occurrence_rows(apart, since=since, until=until, **filters)
            found += counted(rows, {r.id: r.cluster_id for r in rows if r.cluster_id})
        return found

    def occurrence_rows(self, keys: Iterable[str], **filters: Any) -> list[EventRow]:
        """`event_rows(**filters)` of the reports of these occurrences (cluster ids, or
        ids of events in none), looked up a chunk at a time; in the same order."""
        ids = sorted(self.occurrence_members(keys))
        rows = [row for i in range(0, len(ids), _IDS)
                for row in self.event_rows(ids=ids[i:i + _IDS], **filters)]
        return rows if len(ids) <= _IDS else sorted(rows, key=order_key)

    def listed_first(self, actors: Sequence[str]
                     ) -> tuple[Counter[tuple[tuple[str, ...], tuple[str, ...], str, str | None]],
                                set[str]]:
        """What the first report of each cluster with a report naming one of `actors`
        states, of those reports as `events(actor=...)` lists them (`occurrence_actors.
        first_*`; the first actor's where several are named): (source, target, type,
        mode) with the number of clusters that state it, counted in the database. And
        the events in no cluster that name one of `actors`. The occurrences with a
        reviewed report are in neither."""
        codes, first, alone = _decoder(json.loads), Counter(), set()
        for i, actor in enumerate(actors):
            named_before = "".join(" AND NOT EXISTS (SELECT 1 FROM occurrence_actors x WHERE "
                                   "x.actor = ? AND x.occurrence = o.occurrence)" for _ in actors[:i])
            for event, source, target, type, mode, n in self._db.execute(
                    "SELECT CASE WHEN occurrence = lead THEN occurrence END, first_source, "
                    "first_target, first_type, first_mode, COUNT(*) FROM occurrence_actors o "
                    f"WHERE actor = ?{named_before} AND occurrence NOT IN ({_REVIEWED}) "
                    "GROUP BY 1, first_source, first_target, first_type, first_mode",
                    [actor, *actors[:i]]).fetchall():
                if event is not None:       # an event in no cluster: merged by its values
                    alone.add(event)
                else:
                    first[(tuple(codes(source)), tuple(codes(target)), type, mode)] += int(n)
        return first, alone

    def actor_rows(self, actor: str, *, since: str | None = None, until: str | None = None
                   ) -> list[tuple[str, str, str | None, list[str]]]:
        """(article id, type, mode, partners) of each event that `event_rows(actor=actor,
        since=since, until=until)` returns, in no order: from `actor_events`
        (`aliansi.store.actor_events`), within dates those of the actor's `event_actors`
        rows in them (by their index), the events reviewed wrong left out and the
        corrected ones as corrected."""
        from aliansi.store.base import date_clauses      # base imports this module

        reviewed = {r[0] for r in self._db.execute(
            "SELECT event_id FROM reviews WHERE verdict IN ('wrong', 'corrected')").fetchall()}
        sql, params = ("SELECT event_id, article_id, type, mode, partners FROM actor_events "
                       "WHERE actor = ?", [actor])
        dated, bounds = date_clauses("x.sort_date", since, until)
        if dated:
            sql += (" AND event_id IN (SELECT x.event_id FROM event_actors x WHERE x.actor = ? "
                    f"AND {' AND '.join(dated)})")
            params += [actor, *bounds]
        codes = _decoder(json.loads)
        found = [(r[1], r[2], r[3], codes(r[4])) for r in self._db.execute(sql, params).fetchall()
                 if r[0] not in reviewed]
        fixed = self._corrected_events(review_states(None),
                                       {"actor": actor, "since": since, "until": until})
        return found + [(e.article_id, e.type, e.mode, partners(actor, e.source, e.target))
                        for e in fixed]

    def occurrence_members(self, keys: Iterable[str]) -> set[str]:
        """The event ids of these occurrences (cluster ids, or ids of events in none)."""
        return occurrences.members(self._db, keys)

    def reviewed_occurrences(self) -> set[str]:
        """The occurrences with a report marked wrong or corrected (flagged ones too)."""
        return {r[0] for r in self._db.execute(_REVIEWED).fetchall()}

    def has_actor(self, code: str) -> bool:
        """Whether any stored event names the actor `code`."""
        return self._db.execute("SELECT 1 FROM event_actors WHERE actor = ? LIMIT 1",
                                [code]).fetchone() is not None

    def actor_codes(self) -> list[str]:
        """Every actor code a stored event names."""
        return [r[0] for r in self._db.execute("SELECT DISTINCT actor FROM event_actors")]

    def persons_of(self, actor: str) -> list[tuple[str, str | None, str]]:
        """(name, role, article id) of every person stored for `actor`."""
        return [(r[0], r[1], r[2]) for r in self._db.execute(
            "SELECT name, role, article_id FROM persons WHERE actor = ?", [actor]).fetchall()]
