"""Long reads of a SQLite store in other processes, so that both cores work.

A listing of 100,000 events at 1M spends about as long in SQLite (finding each row,
in C) as in Python (making the rows into lines), and Python's threads cannot overlap
the two: each row read hands the GIL back and forth. So the rows are read by a forked
child on its own read-only connection and sent over a pipe in `marshal` batches while
this process makes the ones before into lines. SQLite's values (text, numbers, bytes,
NULL) are all marshal's.

Used where `available()`: a file store, `os.fork`, one thread (a fork copies only
the thread that calls it) and no transaction open on the connection (a child would
not see its writes). Elsewhere the same rows are read in this process. (On
PostgreSQL the server is the other process: `PostgresDialect.stream` fetches the next
batches in a thread instead.) `ENABLED = False` turns both off: the tests compare the
two ways.
"""
from __future__ import annotations

import marshal
import os
import signal
import sqlite3
import struct
import threading
from pathlib import Path
from typing import Any, BinaryIO, Iterator, Sequence

from aliansi.errors import StoreError

ENABLED = True
READERS = 2         # child processes that share a list of queries (`results`)
PIPE_BYTES = 1 << 20    # the most Linux gives an unprivileged pipe by default

_HEADER = struct.Struct("<cQ")      # kind, length of the marshalled payload
_ROWS, _END, _ERROR = b"r", b"e", b"x"

Query = tuple[str, Sequence[Any]]


def available(location: str, connection: sqlite3.Connection) -> bool:
    """Whether this store's reads can go to child processes now."""
    return (ENABLED and hasattr(os, "fork") and location != ":memory:"
            and threading.active_count() == 1 and not connection.in_transaction)


def stream(location: str, sql: str, params: Sequence[Any], size: int) -> Iterator[list[tuple]]:
    """The rows of one query, `size` at a time, read by a child process."""
    with _Reader(location, [(sql, params)], size) as reader:
        for done, rows in reader.frames():
            if not done:
                yield rows


def results(location: str, queries: Sequence[Query], size: int = 5000
            ) -> Iterator[list[tuple]]:
    """All the rows of each query in turn (one list a query), read by READERS child
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
    """A child process that runs `queries` in turn and sends their rows, started at
    once."""

    def __init__(self, location: str, queries: Sequence[Query], size: int):
        self.location, self.left = location, len(queries)
        read_end, write_end = os.pipe()
        _widen(write_end)
        try:
            self.pid: int | None = os.fork()
        except OSError as exc:
            os.close(read_end)
            os.close(write_end)
            raise StoreError(f"reading {location}: cannot start a reading process: "
                             f"{exc.strerror}") from exc
        if self.pid == 0:                   # the child: never returns
            os.close(read_end)
            _child(write_end, location, queries, size)
        os.close(write_end)
        self.pipe: BinaryIO = os.fdopen(read_end, "rb")

    def __enter__(self) -> _Reader:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def frames(self) -> Iterator[tuple[bool, list[tuple]]]:
        """(False, rows) for each batch of rows, (True, []) at the end of each query."""
        while self.left:
            header = self.pipe.read(_HEADER.size)
            if len(header) < _HEADER.size:
                raise StoreError(f"reading {self.location}: the reading process ended early")
            kind, length = _HEADER.unpack(header)
            payload = marshal.loads(self.pipe.read(length)) if length else None
            if kind == _ERROR:
                raise StoreError(f"reading {self.location}: {payload}")
            if kind == _END:
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
        """Ends the child (at once if its rows are no longer wanted) and reaps it."""
        if self.pid is None:
            return
        self.pipe.close()
        if self.left:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.waitpid(self.pid, 0)
        self.pid = None


def _widen(pipe: int) -> None:
    """A pipe that holds PIPE_BYTES (Linux; 64 KiB by default): a child may read that
    far ahead while this process makes lines, instead of waiting for each batch to be
    taken."""
    try:
        import fcntl

        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass


def _child(fd: int, location: str, queries: Sequence[Query], size: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # the parent stops it
    try:
        with os.fdopen(fd, "wb") as pipe:
            try:
                uri = f"{Path(location).resolve().as_uri()}?mode=ro"
                connection = sqlite3.connect(uri, uri=True, timeout=30)
                for sql, params in queries:
                    cursor = connection.execute(sql, params)
                    while rows := cursor.fetchmany(size):
                        _send(pipe, _ROWS, marshal.dumps(rows))
                    _send(pipe, _END, b"")
            except Exception as exc:        # noqa: BLE001 - reported by the parent
                _send(pipe, _ERROR, marshal.dumps(f"{type(exc).__name__}: {exc}"))
    except BaseException:       # noqa: BLE001 - the parent went away (a broken pipe)
        pass
    finally:
        os._exit(0)             # no exit handlers, no flushing the parent's buffers


def _send(pipe: Any, kind: bytes, payload: bytes) -> None:
    pipe.write(_HEADER.pack(kind, len(payload)) + payload)
    pipe.flush()
