"""Copy a SQLite store into an empty PostgreSQL database, to time the read commands on
PostgreSQL at the size of a store built for SQLite (`bench_scale.py`, `multiply_store.py`).

usage:
  python benchmarks/copy_store.py STORE.db postgresql://user@host:port/dbname

The schema is the store's own: opening the target runs the migrations (it must be
empty, and the source at the same schema version). Every table the two schemas share
is copied row for row by COPY, except `migrations` (the target has its own);
SQLite's full-text tables are not (PostgreSQL searches evidence through its own
index). Foreign keys and triggers are off while copying (`session_replication_role`,
which needs a superuser); the rows are a store's, so they hold. Then ANALYZE.
"""
from __future__ import annotations

import argparse
import sqlite3
import time


def copy(source: str, target: str) -> None:
    from aliansi.store import open_store

    started = time.perf_counter()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    version = lambda rows: max(r[0] for r in rows)  # noqa: E731
    with open_store(target) as store:
        db = store._db
        theirs = version(src.execute("SELECT version FROM migrations"))
        ours = version(db.execute("SELECT version FROM migrations").fetchall())
        if theirs != ours:
            raise SystemExit(f"{source} is at schema {theirs}, {target} at {ours}: "
                             f"migrate the copy of the SQLite store first")
        if db.execute("SELECT 1 FROM events LIMIT 1").fetchone():
            raise SystemExit(f"{target} is not empty")
        tables = {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        with db.transaction():
            db.execute("SET LOCAL session_replication_role = replica")
            for table in sorted(db.table_names() & tables - {"migrations"}):
                names = sorted(db.column_names(table)
                               & {r[1] for r in src.execute(f"PRAGMA table_info({table})")})
                columns = ", ".join(f'"{n}"' for n in names)
                rows = 0
                with db.connection.cursor() as cursor, \
                        cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as out:
                    for row in src.execute(f"SELECT {columns} FROM {table}"):
                        out.write_row(row)
                        rows += 1
                print(f"{table}: {rows} rows ({time.perf_counter() - started:.0f} s)", flush=True)
        db.execute("ANALYZE")
    print(f"copied {source} to {target} in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source")
    parser.add_argument("target")
    args = parser.parse_args()
    copy(args.source, args.target)


if __name__ == "__main__":
    main()
