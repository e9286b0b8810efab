"""Make a large SQLite store quickly from a smaller one: K copies of every article and
its events, by SQL (minutes for a million events, where `bench_scale.py build` takes an
hour on a busy machine).

usage:
  python benchmarks/multiply_store.py SMALL.db BIG.db --times 10

Copy k of an article has the id `<id>@k`, its dates (published, event dates, sort
dates) moved back k years (29 February becomes the 28th) and its own clusters
(`<cluster>@k`); actors are unchanged, so every actor and dyad has K times its events:
a worst case for lists and dyads of busy actors. Full-text rows are written by the
store's triggers (and moved into the index before each commit); `dyad_events` is copied (`events --dyad` reads it) and the occurrence
tables (migration 17) and `cluster_summary` (20) are rebuilt from the copies, `actor_events` (18) copied. Sentences, mentions, fingerprint
bands and `events_readable` are not copied: `aliansi serve` and the read commands do
not read them (an article's sentences come from its stored JSON). Reviews are not
copied.
"""
from __future__ import annotations

import argparse
import sqlite3
import time

from aliansi.store.sqlite import flush_search_index


def _shift(column: str, k: int) -> str:
    return (f"CASE WHEN {column} IS NULL OR length({column}) < 4 THEN {column} ELSE "
            f"printf('%04d', CAST(substr({column}, 1, 4) AS INTEGER) - {k}) || "
            f"CASE WHEN substr({column}, 5) = '-02-29' THEN '-02-28' ELSE substr({column}, 5) END "
            f"END")


def multiply(source: str, target: str, times: int) -> None:
    started = time.perf_counter()
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src, \
            sqlite3.connect(target) as dst:
        src.backup(dst)
    db = sqlite3.connect(target, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    columns = lambda table: [r[1] for r in db.execute(f"PRAGMA table_info({table})")]  # noqa: E731
    for k in range(1, times):
        suffix = f"'@{k}'"
        db.execute("BEGIN")
        copy = {
            "articles": {"id": f"id || {suffix}", "published": _shift("published", k)},
            "events": {"id": f"id || {suffix}", "article_id": f"article_id || {suffix}",
                       "date": _shift("date", k), "sort_date": _shift("sort_date", k)},
            "event_actors": {"event_id": f"event_id || {suffix}",
                             "sort_date": _shift("sort_date", k)},
            "event_evidence": {"event_id": f"event_id || {suffix}"},
            "event_clusters": {"event_id": f"event_id || {suffix}",
                               "cluster_id": f"cluster_id || {suffix}"},
            "persons": {"article_id": f"article_id || {suffix}"},
            "actor_events": {"event_id": f"event_id || {suffix}",
                             "article_id": f"article_id || {suffix}"},
            "dyad_events": {"event_id": f"event_id || {suffix}",
                            "article_id": f"article_id || {suffix}", "date": _shift("date", k)},
            "article_sources": {"article_id": f"article_id || {suffix}",
                                "published": _shift("published", k)},
        }
        for table, changed in copy.items():
            names = columns(table)
            if not names:           # a table of a later schema than the store's
                continue
            key = {"articles": "id", "events": "id", "dyad_events": "event_id",
                   "actor_events": "event_id"}.get(table, names[0])
            values = ", ".join(changed.get(n, f'"{n}"') for n in names)
            db.execute(f"INSERT INTO {table} ({', '.join(chr(34) + n + chr(34) for n in names)}) "
                       f"SELECT {values} FROM {table} WHERE {key} NOT LIKE '%@%'")
        flush_search_index(db)
        db.execute("COMMIT")
        events = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        print(f"copy {k}: {events} events ({time.perf_counter() - started:.0f} s)", flush=True)
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'occurrences'").fetchone():
        _rebuild_occurrences(db, target)
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'cluster_summary'").fetchone():
        _rebuild_cluster_summary(db, target)
    db.execute("ANALYZE")
    db.close()
    print(f"built {target} in {time.perf_counter() - started:.0f} s")


def _rebuild_occurrences(db: sqlite3.Connection, target: str) -> None:
    from aliansi.store import occurrences
    from aliansi.store.sqlite import SQLiteDialect

    dialect = SQLiteDialect(db, location=target)
    db.execute("BEGIN")
    for table in occurrences.TABLES:
        db.execute(f"DELETE FROM {table}")
    occurrences.rebuild(dialect)
    db.execute("COMMIT")


def _rebuild_cluster_summary(db: sqlite3.Connection, target: str) -> None:
    from aliansi.store import cluster_summary
    from aliansi.store.sqlite import SQLiteDialect

    db.execute("BEGIN")
    db.execute("DELETE FROM cluster_summary")
    cluster_summary.rebuild(SQLiteDialect(db, location=target))
    db.execute("COMMIT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source")
    parser.add_argument("target")
    parser.add_argument("--times", type=int, default=10)
    args = parser.parse_args()
    multiply(args.source, args.target, args.times)


if __name__ == "__main__":
    main()
