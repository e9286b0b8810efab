"""SQLite: one file, WAL mode, foreign keys on. The default store."""
from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from aliansi.errors import StoreError
from aliansi.store import apart as read_apart
from aliansi.store.base import Dialect


WRITER_CACHE_KIB = 256 * 1024     # page cache of a connection that writes


class SQLiteDialect(Dialect):
    name = "sqlite"
    types = {"json": "TEXT", "bool": "INTEGER", "float": "REAL"}
    errors = (sqlite3.Error,)
    _writing = 0        # how many `writing()` blocks are open

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.connection.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.connection.executemany(sql, rows)

    def tuples(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        cursor = self.connection.cursor()
        cursor.row_factory = None
        return cursor.execute(sql, params)

    def stream(self, sql: str, params: Sequence[Any] = (), size: int = 1000, *,
               tuples: bool = False, apart: bool = False, walked: bool = False
               ) -> Iterator[list[Any]]:
        if tuples and apart and read_apart.available(self.location, self.connection):
            return read_apart.stream(self.location, sql, params, size)
        return super().stream(sql, params, size, tuples=tuples)

    def results(self, queries: Sequence[tuple[str, Sequence[Any]]]) -> Iterator[list[tuple]]:
        if read_apart.available(self.location, self.connection):
            return read_apart.results(self.location, queries)
        return super().results(queries)

    @contextmanager
    def writing(self) -> Iterator[None]:
        # Ingest inserts rows under hashed keys all over the indexes: with SQLite's
        # default 2 MiB of page cache, every insert into a store of some size waits on
        # a page read; the cache grows to this as needed (and stays). Readers keep the
        # default, so that a long listing does not hold the pages it has read.
        # A statement that may fail half-way (the events triggers, INSERT ... SELECT)
        # first copies each page it changes to a statement journal, a temporary file
        # by default: 19 s of system time in storing 10,000 articles. In memory while
        # writing (a statement's pages only); the default again after, so that a
        # reader's large sort still goes to disk.
        self.connection.execute(f"PRAGMA cache_size = {-WRITER_CACHE_KIB}")
        self._writing += 1
        if self._writing == 1:
            self.connection.execute("PRAGMA temp_store = MEMORY")
        try:
            yield
        finally:
            self._writing -= 1
            if self._writing == 0:
                self.connection.execute("PRAGMA temp_store = DEFAULT")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock at once, so a concurrent writer waits
        # (busy_timeout) instead of failing half-way.
        self.connection.execute("BEGIN IMMEDIATE")
        try:
            yield
            flush_search_index(self.connection)
        except BaseException:
            self.connection.execute("ROLLBACK")
            raise
        self.connection.execute("COMMIT")

    def table_names(self) -> set[str]:
        rows = self.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                            "AND name NOT LIKE 'sqlite_%'").fetchall()
        return {row["name"] for row in rows}

    def column_names(self, table: str) -> set[str]:
        return {row["name"] for row in self.execute(f"PRAGMA table_info({table})").fetchall()}


def flush_search_index(connection: sqlite3.Connection) -> None:
    """Move the full-text rows the events triggers wrote in this transaction into the
    full-text index, in rowid order (migration 21 says why); before each commit."""
    if connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                          "AND name = 'events_fts_pending'").fetchone() is None:
        return
    connection.execute("INSERT INTO events_fts (rowid, evidence) "
                       "SELECT rowid, evidence FROM events_fts_pending ORDER BY rowid")
    connection.execute("DELETE FROM events_fts_pending")


def connect_sqlite(path: str | Path, *, read_only: bool = False) -> SQLiteDialect:
    """Open (or create) a SQLite store file; ":memory:" gives a throwaway one."""
    memory = str(path) == ":memory:"
    location = ":memory:" if memory else str(Path(path).expanduser())
    if not memory:
        file = Path(location)
        if file.is_dir():
            raise StoreError(f"cannot open store {location}: it is a directory")
        if not file.parent.is_dir():
            raise StoreError(f"cannot open store {location}: "
                             f"directory {file.parent} does not exist")
        if read_only and not file.exists():
            raise StoreError(f"cannot open store {location}: no such file")
    connection = None
    if not memory and not read_only and not Path(location).exists():
        # article texts are kept in the store: readable by its owner only (SQLite gives
        # its -wal and -shm files the same mode)
        try:
            os.close(os.open(location, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            pass
        except OSError as exc:
            raise StoreError(f"cannot create store {location}: {exc.strerror}") from exc
    try:
        if read_only and not memory:
            uri = f"{Path(location).resolve().as_uri()}?mode=ro"   # the path %-encoded
            connection = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
        else:
            connection = sqlite3.connect(location, isolation_level=None, timeout=30)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA foreign_keys = ON")
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        if tables and "migrations" not in tables:
            # refused before anything is changed (WAL mode included)
            connection.close()
            raise StoreError(f"{location} is not an aliansi database (it has tables "
                             f"{', '.join(sorted(tables)[:5])} but no migrations table)")
        if not memory and not read_only:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        if connection is not None:
            connection.close()
        if "not a database" in str(exc):
            raise StoreError(f"{location} is not an aliansi database "
                             f"(not a SQLite file)") from exc
        raise StoreError(f"cannot open store {location}: {exc}") from exc
    return SQLiteDialect(connection, location=location, read_only=read_only)
