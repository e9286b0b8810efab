"""Each cluster as a list of clusters orders it, one row each, kept current by the writers.

`cluster_summary` holds, per cluster of `event_clusters`:

- `outlets`: the distinct outlets that report it (its corroboration; an article without
  an outlet counts as its own), as `aliansi.dedup.EventCluster.corroboration`;
- `date`: its date as `aliansi.dedup.cluster_date` computes it from its reports' dates;
- `first_published`, `first_article`, `first_event`: its first report in the order of
  `aliansi.dedup` (published date, "9999" when unknown, then article and event id).

`Database.iter_clusters` orders the clusters from these rows and reads the reports of
one page of clusters at a time, instead of every report before the first line.

Reviews are not applied here (as in `occurrences`): a reader puts apart the clusters
with a report marked wrong or corrected (`REVIEWED`) and orders them from their
reports. Every write that changes a cluster's reports (ingest and re-ingest of an
article, `Store.write_cluster_rows`) calls `refresh` with the clusters it touched,
inside its transaction.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from .occurrences import runs

if TYPE_CHECKING:
    from aliansi.store.base import Dialect

DDL = """CREATE TABLE cluster_summary (
    cluster_id TEXT PRIMARY KEY, outlets INTEGER NOT NULL, date TEXT,
    first_published TEXT NOT NULL, first_article TEXT NOT NULL, first_event TEXT NOT NULL)"""
COLUMNS = "cluster_id, outlets, date, first_published, first_article, first_event"

# The clusters with a report reviewed wrong or corrected: their summary is not what a
# list shows (readers order them from their reports).
REVIEWED = ("SELECT c.cluster_id FROM reviews r JOIN event_clusters c ON c.event_id = r.event_id "
            "WHERE r.verdict IN ('wrong', 'corrected')")

_REPORTS = ("SELECT c.cluster_id, e.id, e.article_id, e.date, a.published, a.outlet "
            "FROM event_clusters c JOIN events e ON e.id = c.event_id "
            "JOIN articles a ON a.id = e.article_id")
_CHUNK = 500


def create(db: Dialect) -> None:
    db.execute(DDL)


def rebuild(db: Dialect) -> None:
    """Fill the table from every clustered report (the migration)."""
    done: list[tuple] = []
    for group in runs(db.stream(f"{_REPORTS} ORDER BY c.cluster_id", [], 5000)):
        done.append(summary(group))
        if len(done) >= 5000:
            _write(db, done)
            done = []
    _write(db, done)


def refresh(db: Dialect, keys: Iterable[str]) -> None:
    """Recompute the rows of these clusters from their reports as stored now; a cluster
    left without reports loses its row. Keys that are no cluster (an event's id, as
    `occurrences.refresh` takes them) change nothing."""
    keys = sorted(set(keys))
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i:i + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        db.execute(f"DELETE FROM cluster_summary WHERE cluster_id IN ({marks})", chunk)
        groups: dict[str, list[Any]] = {}
        for row in db.execute(f"{_REPORTS} WHERE c.cluster_id IN ({marks})", chunk).fetchall():
            groups.setdefault(row[0], []).append(row)
        _write(db, [summary(group) for group in groups.values()])


def summary(reports: list[Any]) -> tuple:
    """The row of one cluster from its reports (cluster_id, id, article_id, date,
    published, outlet)."""
    from aliansi.dedup import cluster_date

    reports = sorted(reports, key=lambda r: (r[4] or "9999", r[2], r[1]))
    first = reports[0]
    return (first[0], len({r[5] or f"article:{r[2]}" for r in reports}),
            cluster_date([r[3] for r in reports]), first[4] or "9999", first[2], first[1])


def _write(db: Dialect, rows: list[tuple]) -> None:
    db.executemany(f"INSERT INTO cluster_summary ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", rows)
