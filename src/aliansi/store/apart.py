"""Long reads of a SQLite store in other processes, so that both cores work.

A listing of 100,000 events at 1M spends about as long in SQLite (finding each row,
in C) as in Python (making the rows into lines), and Python's threads cannot overlap
the two: each row read hands the GIL back and forth. So the rows are read by another
process (`store.reader_process`, a fresh interpreter on its own read-only connection)
and come over a pipe in `marshal` batches while this process makes the ones before
into lines. SQLite's values (text, numbers, bytes, NULL) are all marshal's.

Used where `available()`: a file store, no transaction open on the connection (the
reading process would not see its writes), and a Python interpreter to start.
Elsewhere the same rows are read in this process. (On PostgreSQL the server is the
other process: `PostgresDialect.stream` fetches the next batches in a thread instead.)
`ENABLED = False` turns both off: the tests compare the two ways.
"""
from __future__ import annotations

import marshal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator, Sequence

from aliansi.errors import StoreError
from aliansi.store import reader_process
from aliansi.store.reader_process import END, ERROR, HEADER

ENABLED = True
READERS = 2         # reading processes that share a list of queries (`results`)
PIPE_BYTES = 1 << 20    # the most Linux gives an unprivileged pipe by default

Query = tuple[str, Sequence[Any]]


def available(location: str, connection: sqlite3.Connection) -> bool:
    """Whether this store's reads can go to other processes now (and this process runs
    in a Python interpreter that can start one: not a frozen application, not an
    embedding program such as a web server's)."""
    return (ENABLED and location != ":memory:" and not connection.in_transaction
            and _INTERPRETER)


_INTERPRETER = (not getattr(sys, "frozen", False) and bool(sys.executable)
                and Path(sys.executable).name.lower().startswith("python"))


def stream(location: str, sql: str, params: Sequence[Any], size: int) -> Iterator[list[tuple]]:
    """The rows of one query, `size` at a time, read by another process."""
    with _Reader(location, [(sql, params)], size) as reader:
        for done, rows in reader.frames():
            if not done:
                yield rows


def results(location: str, queries: Sequence[Query], size: int = 5000
            ) -> Iterator[list[tuple]]:
    """All the rows of each query in turn (one list a query), read by READERS other
    processes taking the queries in turn: they go on to the next queries while this
    one's rows are used."""
    readers: list[_Reader] = []
    try:
        for k in range(min(READERS, len(queries))):
            readers.append(_Reader(location, queries[k::READERS], size))
        parts = [reader.results() for reader in readers]
        for i in range(len(queries)):
            yield next(parts[i % len(parts)])
    finally:
        for reader in readers:
            reader.stop()


class _Reader:
    """A reading process that runs `queries` in turn and sends their rows, started at
    once."""

    def __init__(self, location: str, queries: Sequence[Query], size: int):
        self.location, self.left = location, len(queries)
        try:
            self.process: subprocess.Popen | None = subprocess.Popen(
                [sys.executable, "-I", "-S", reader_process.__file__],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError as exc:
            raise StoreError(f"reading {location}: cannot start a reading process: "
                             f"{exc.strerror}") from exc
        _widen(self.process.stdout)
        try:
            self.process.stdin.write(marshal.dumps(
                (str(Path(location).resolve()), [(sql, list(params)) for sql, params in queries],
                 size)))
            self.process.stdin.close()
        except OSError:         # it ended at once: `frames` says so
            pass

    def __enter__(self) -> _Reader:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def frames(self) -> Iterator[tuple[bool, list[tuple]]]:
        """(False, rows) for each batch of rows, (True, []) at the end of each query."""
        pipe = self.process.stdout
        while self.left:
            header = pipe.read(HEADER.size)
            if len(header) < HEADER.size:
                raise StoreError(f"reading {self.location}: the reading process ended "
                                 f"early (exit status {self.process.wait()})")
            kind, length = HEADER.unpack(header)
            payload = marshal.loads(pipe.read(length)) if length else None
            if kind == ERROR:
                raise StoreError(f"reading {self.location}: {payload}")
            if kind == END:
                self.left -= 1
                yield True, []
            else:
                yield False, payload

    def results(self) -> Iterator[list[tuple]]:
        rows: list[tuple] = []
        for done, batch in self.frames():
            if done:
                yield rows
                rows = []
            else:
                rows += batch

    def stop(self) -> None:
        """Ends the reading process (at once if its rows are no longer wanted)."""
        if self.process is None:
            return
        if self.left:
            self.process.kill()
        self.process.stdout.close()
        self.process.wait()
        self.process = None


def _widen(pipe: Any) -> None:
    """A pipe that holds PIPE_BYTES (Linux; 64 KiB by default): the reading process may
    read that far ahead while this one makes lines, instead of waiting for each batch
    to be taken (0.94 s against 0.79 s for a listing of 130,140 events at 1M)."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass
