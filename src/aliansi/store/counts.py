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
        until] that `events()` returns, counted in the database: each occurrence (a
        cluster's reports in the window, or an unclustered event) once, as its lead report
        (the most precisely dated, then the earliest published) states it, with the
        articles behind it; a pair of one actor with itself is no pair. The occurrences
        with a corrected report are counted here in Python from their corrected rows."""
        if since is None and until is None:
            return self._network_from_occurrences()
        filters = {"since": since, "until": until}
        corrected = self._corrected_events(frozenset({"corrected"}), {**filters, "include_flagged": True})
        apart = sorted({c for c in self.cluster_ids(e.id for e in corrected).values()}
                       | {e.id for e in corrected})
        where, params = self._where(filters)
        where.append(review_clause(review_states(None)))
        if apart:
            where.append(f"COALESCE(c.cluster_id, e.id) NOT IN ({', '.join('?' * len(apart))})")
            params = [*params, *apart]
        sql = f"""
        WITH reports AS (
            SELECT e.id, e.article_id, e.type, e.mode,
                   COALESCE(c.cluster_id, e.id) AS occurrence,
                   ROW_NUMBER() OVER (PARTITION BY COALESCE(c.cluster_id, e.id)
                       ORDER BY length(COALESCE(e.date, '')) DESC, COALESCE(a.published, '9999'),
                                e.article_id, e.id) AS rank
              {_FROM}
             WHERE {' AND '.join(where)}),
        articles_of AS (
            SELECT occurrence, COUNT(DISTINCT article_id) AS n FROM reports GROUP BY occurrence)
        SELECT s.actor, t.actor, r.type, r.mode, COUNT(*), SUM(n.n)
          FROM reports r
          JOIN articles_of n ON n.occurrence = r.occurrence
          JOIN event_actors s ON s.event_id = r.id AND s.role = 'source'
          JOIN event_actors t ON t.event_id = r.id AND t.role = 'target' AND t.actor <> s.actor
         WHERE r.rank = 1
         GROUP BY s.actor, t.actor, r.type, r.mode"""
        counts = [(r[0], r[1], r[2], r[3], int(r[4]), int(r[5]))
                  for r in self._db.execute(sql, params).fetchall()]
        if apart:
            from aliansi.network import occurrence_counts

            rows = [r for r in self.event_rows(**filters) if (r.cluster_id or r.id) in set(apart)]
            counts += occurrence_counts(rows, {r.id: r.cluster_id for r in rows if r.cluster_id})
        return counts

    def _network_from_occurrences(self) -> list[tuple[str, str, str, str | None, int, int]]:
        """`network_counts()` of the whole store from the `occurrences` table; the
        occurrences with a reviewed report counted from their reports."""
        from aliansi.network import occurrence_counts, pair_counts

        codes = _decoder(json.loads)       # the occurrence tables hold JSON as text
        found = pair_counts((codes(source), codes(target), type, mode, int(n), int(reports))
                            for type, mode, source, target, n, reports in self._db.execute(
                                "SELECT type, mode, source, target, COUNT(*), SUM(reports) "
                                f"FROM occurrences WHERE occurrence NOT IN ({_REVIEWED}) "
                                "GROUP BY type, mode, source, target").fetchall())
        apart = self.reviewed_occurrences()
        if apart:
            rows = self.event_rows(ids=self.occurrence_members(apart))
            found += occurrence_counts(rows, {r.id: r.cluster_id for r in rows if r.cluster_id})
        return found

    def dyad_occurrences(self, a: str, b: str | None = None
                         ) -> list[tuple[Any, int, int]]:
        """(lead report, articles, outlets) of every occurrence among the reports of
        `event_rows(dyad=(a, b))` (or `actor=a`), read from the occurrence tables:
        `aliansi.dyads.counted` of those rows. The occurrences with a reviewed report
        are counted from their reports."""
        from aliansi.dyads import counted

        if b is None:
            sql, params = "SELECT * FROM occurrence_actors WHERE actor = ?", [a]
        else:
            sql, params = ("SELECT * FROM occurrence_dyads WHERE a = ? AND b = ?",
                           [min(a, b), max(a, b)])
        apart = self.reviewed_occurrences()
        codes = _decoder(json.loads)
        found = [(Lead(r["type"], r["mode"], r["date"], codes(r["source"]), codes(r["target"])),
                  r["reports"], r["outlets"])
                 for r in self._db.execute(sql, params).fetchall()
                 if r["occurrence"] not in apart]
        if apart:
            filters = {"dyad": (a, b)} if b is not None else {"actor": a}
            rows = self.event_rows(ids=self.occurrence_members(apart), **filters)
            found += counted(rows, {r.id: r.cluster_id for r in rows if r.cluster_id})
        return found

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

    def actor_rows(self, actor: str) -> list[tuple[str, str, str | None, list[str]]]:
        """(article id, type, mode, partners) of each event that `event_rows(actor=actor)`
        returns, in no order: from `actor_events` (`aliansi.store.actor_events`), the
        events reviewed wrong left out and the corrected ones as corrected."""
        reviewed = {r[0] for r in self._db.execute(
            "SELECT event_id FROM reviews WHERE verdict IN ('wrong', 'corrected')").fetchall()}
        codes = _decoder(json.loads)
        found = [(r[1], r[2], r[3], codes(r[4])) for r in self._db.execute(
            "SELECT event_id, article_id, type, mode, partners FROM actor_events "
            "WHERE actor = ?", [actor]).fetchall() if r[0] not in reviewed]
        fixed = self._corrected_events(review_states(None), {"actor": actor})
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
