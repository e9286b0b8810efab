"""Occurrences as counting sees them, one row each, kept current by the writers.

An occurrence is a cluster's unflagged reports, or an unflagged event in no cluster
(`aliansi.dyads.occurrences`). Its row tells what its lead report (the most precisely
dated, then the earliest published) states (type, mode, date, source, target) and how
many articles and distinct outlets report it:

- `occurrences`: over all its reports (what the network counts);
- `occurrence_actors`: over its reports that name `actor` (what `dyad(a)` counts), and
  what the first of them in list order states (`first_*`: the newest sort date, then
  article and id, as `Store.events` lists them; what a brief's neighbourhood counts);
- `occurrence_dyads`: over its reports with `a` on one side and `b` on the other,
  `a` < `b` (what `dyad(a, b)` counts).

The reports of one occurrence mostly agree on their actors, but need not: each filter
has its own lead. The network and the dyads count these rows instead of every report
(migration 17).

Reviews are not applied here: a reader puts apart the occurrences with a report marked
wrong or corrected and counts them from their reports as before. Every write that
changes what an occurrence holds (ingest and re-ingest of an article,
`Store.write_cluster_rows`) calls `refresh` with the occurrences it touched, inside its
transaction.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Iterable, Iterator

if TYPE_CHECKING:
    from aliansi.store.base import Dialect

_SUMMARY = """lead TEXT NOT NULL, type TEXT NOT NULL, mode TEXT, date TEXT,
    source TEXT NOT NULL, target TEXT NOT NULL, reports INTEGER NOT NULL,
    outlets INTEGER NOT NULL, start_min TEXT NOT NULL, start_max TEXT NOT NULL,
    end_min TEXT NOT NULL, end_max TEXT NOT NULL"""
_COLUMNS = ("lead, type, mode, date, source, target, reports, outlets, "
            "start_min, start_max, end_min, end_max")
DDL = f"""
CREATE TABLE occurrences (occurrence TEXT PRIMARY KEY, {_SUMMARY});
CREATE TABLE occurrence_actors (
    actor TEXT NOT NULL, occurrence TEXT NOT NULL, {_SUMMARY},
    first_type TEXT NOT NULL, first_mode TEXT, first_source TEXT NOT NULL,
    first_target TEXT NOT NULL,
    PRIMARY KEY (actor, occurrence)){{clustered}};
CREATE INDEX occurrence_actors_occurrence ON occurrence_actors (occurrence);
CREATE TABLE occurrence_dyads (
    a TEXT NOT NULL, b TEXT NOT NULL, occurrence TEXT NOT NULL, {_SUMMARY},
    PRIMARY KEY (a, b, occurrence)){{clustered}};
CREATE INDEX occurrence_dyads_occurrence ON occurrence_dyads (occurrence)
"""
TABLES = ("occurrences", "occurrence_actors", "occurrence_dyads")

_REPORT = ("e.id, e.article_id, e.type, e.mode, e.date, e.source, e.target, "
           "a.published, a.outlet, e.sort_date")
_CHUNK = 500


def create(db: Dialect) -> None:
    # SQLite keeps an actor's or a dyad's rows together, in the order of their key
    clustered = " WITHOUT ROWID" if db.name == "sqlite" else ""
    for statement in DDL.split(";"):
        db.execute(statement.format(clustered=clustered))


def rebuild(db: Dialect) -> None:
    """Fill the tables from every stored report (the migration)."""
    rows = db.stream(f"SELECT COALESCE(c.cluster_id, e.id) AS occurrence, {_REPORT} "
                     f"FROM events e JOIN articles a ON a.id = e.article_id "
                     f"LEFT JOIN event_clusters c ON c.event_id = e.id "
                     f"WHERE e.hypothetical = ? AND e.negated = ? ORDER BY 1",
                     [False, False], 5000)
    done: list[tuple] = []
    for group in runs(rows):
        done.append(_summary(db, group))
        if len(done) >= 5000:
            _write(db, done)
            done = []
    _write(db, done)


def runs(batches: Iterable[list]) -> Iterator[list]:
    """The rows of a stream of batches, sorted by their first column, in runs of one
    value of it (one occurrence's or cluster's reports)."""
    group: list[Any] = []
    for batch in batches:
        for row in batch:
            if group and row[0] != group[0][0]:
                yield group
                group = []
            group.append(row)
    if group:
        yield group


def of_article(db: Dialect, article_id: str) -> set[str]:
    """The occurrences the events of an article belong to."""
    return {r[0] for r in db.execute(
        "SELECT COALESCE(c.cluster_id, e.id) FROM events e "
        "LEFT JOIN event_clusters c ON c.event_id = e.id WHERE e.article_id = ?",
        [article_id]).fetchall()}


def of_events(db: Dialect, ids: Iterable[str]) -> set[str]:
    """The occurrences these events belong to now (an event in no cluster: its own)."""
    return _with_clusters(db, ids, "cluster_id", "event_id")


def refresh(db: Dialect, keys: Iterable[str]) -> None:
    """Recompute the rows of these occurrences (cluster ids or event ids) from their
    reports as stored now; an occurrence left without unflagged reports loses its row."""
    for chunk in _chunks(sorted(set(keys))):
        marks = ", ".join("?" * len(chunk))
        for table in TABLES:
            db.execute(f"DELETE FROM {table} WHERE occurrence IN ({marks})", chunk)
        rows = db.execute(
            f"SELECT c.cluster_id, {_REPORT} FROM event_clusters c "
            f"JOIN events e ON e.id = c.event_id JOIN articles a ON a.id = e.article_id "
            f"WHERE c.cluster_id IN ({marks}) AND e.hypothetical = ? AND e.negated = ? "
            f"UNION ALL SELECT e.id, {_REPORT} FROM events e "
            f"JOIN articles a ON a.id = e.article_id WHERE e.id IN ({marks}) "
            f"AND e.hypothetical = ? AND e.negated = ? "
            f"AND NOT EXISTS (SELECT 1 FROM event_clusters c WHERE c.event_id = e.id)",
            [*chunk, False, False, *chunk, False, False]).fetchall()
        groups: dict[str, list[Any]] = {}
        for row in rows:
            groups.setdefault(row[0], []).append(row)
        _write(db, [_summary(db, group) for group in groups.values()])


def members(db: Dialect, keys: Iterable[str]) -> set[str]:
    """The event ids of these occurrences (a key that is no cluster: that event)."""
    return _with_clusters(db, keys, "event_id", "cluster_id")


def _with_clusters(db: Dialect, keys: Iterable[str], wanted: str, given: str) -> set[str]:
    """`keys` and the `wanted` column of the `event_clusters` rows whose `given` column
    is one of them."""
    keys = list(dict.fromkeys(keys))
    found = set(keys)
    for chunk in _chunks(keys):
        found.update(r[0] for r in db.execute(
            f"SELECT {wanted} FROM event_clusters WHERE {given} IN "
            f"({', '.join('?' * len(chunk))})", chunk).fetchall())
    return found


def _summary(db: Dialect, group: list[Any]) -> tuple[tuple, list[tuple], list[tuple]]:
    """The rows of one occurrence from its reports (occurrence, id, article_id, type,
    mode, date, source, target, published, outlet, sort_date), as `aliansi.dyads` counts them: its
    own, one per actor and one per pair of actors on either side."""
    reports = [(r, set(_load(db, r[6])), set(_load(db, r[7]))) for r in group]
    actors = sorted(set().union(*(src | tgt for _, src, tgt in reports)))
    pairs = sorted({(min(s, t), max(s, t)) for _, src, tgt in reports
                    for s in src for t in tgt if s != t})
    by_actor = []
    for x in actors:
        naming = [r for r, src, tgt in reports if x in src or x in tgt]
        by_actor.append((x, *_counted(naming), *_listed_first(naming)))
    return (_counted([r for r, _, _ in reports]), by_actor,
            [(a, b, *_counted([r for r, src, tgt in reports
                               if (a in src and b in tgt) or (b in src and a in tgt)]))
             for a, b in pairs])


def _counted(reports: list[Any]) -> tuple:
    """(occurrence, lead, type, mode, date, source, target, articles, outlets, and the
    least and greatest `first_day` and `last_day` of the reports' sort dates)."""
    lead = min(reports, key=lambda r: (-len(r[5] or ""), r[8] or "9999", r[2], r[1]))
    starts, ends = [first_day(r[10]) for r in reports], [last_day(r[10]) for r in reports]
    return (lead[0], lead[1], lead[3], lead[4], lead[5], _dump(lead[6]), _dump(lead[7]),
            len({r[2] for r in reports}), len({r[9] or f"article:{r[2]}" for r in reports}),
            min(starts), max(starts), min(ends), max(ends))


# A report is within [since, until] (`Store.events`: dates compared at the coarser
# precision) when the last day of its sort date is on or after the first day of
# `since` and the first day of its sort date on or before the last day of `until`;
# written as text ("2025" is 2025-01-01 to 2025-12-31, "2025-02" 2025-02-01 to
# 2025-02-31, which sorts as the month's last day would). An undated report (no sort
# date) is in no window: its first day sorts after every date, its last before.

def first_day(date: str | None) -> str:
    return "~" if date is None else date[:10] + {4: "-01-01", 7: "-01"}.get(len(date[:10]), "")


def last_day(date: str | None) -> str:
    return "" if date is None else date[:10] + {4: "-12-31", 7: "-31"}.get(len(date[:10]), "")


def window(since: str | None, until: str | None) -> tuple[str, str, list[str]]:
    """SQL conditions on an occurrence row: every report within [since, until], at
    least one may be (the others are not), and the parameters of each."""
    start, end = first_day(since) if since else "", last_day(until) if until else "~"
    return ("(end_min >= ? AND start_max <= ?)", "(end_max >= ? AND start_min <= ?)",
            [start, end])


def _listed_first(reports: list[Any]) -> tuple:
    """(type, mode, source, target) of the report listed first: the newest sort date
    (undated last), then article and id."""
    newest = max((r[10] for r in reports if r[10] is not None), default=None)
    first = min((r for r in reports if r[10] == newest), key=lambda r: (r[2], r[1]))
    return first[3], first[4], _dump(first[6]), _dump(first[7])


def _write(db: Dialect, rows: list[tuple]) -> None:
    marks = ", ".join("?" * 13)
    db.executemany(f"INSERT INTO occurrences (occurrence, {_COLUMNS}) VALUES ({marks})",
                   [own for own, _, _ in rows])
    db.executemany(f"INSERT INTO occurrence_actors (actor, occurrence, {_COLUMNS}, first_type, "
                   f"first_mode, first_source, first_target) VALUES (?, {marks}, ?, ?, ?, ?)",
                   [row for _, of, _ in rows for row in of])
    db.executemany(f"INSERT INTO occurrence_dyads (a, b, occurrence, {_COLUMNS}) "
                   f"VALUES (?, ?, {marks})", [row for _, _, of in rows for row in of])


def _dump(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(list(value))


def _load(db: Dialect, value: Any) -> list[str]:
    return list(db.load_json(value))


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]
