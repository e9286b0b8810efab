"""Long reads in other processes (`store.apart`, `store.reader_process`) and
PostgreSQL's prefetching thread (`store.postgres._prefetched`): the same rows as a read
in this process, errors that name the store, and no process or thread left behind when
the reader stops early."""
from __future__ import annotations

import os
import sqlite3
import threading

import pytest

from aliansi.errors import StoreError
from aliansi.store import apart
from aliansi.store.postgres import _prefetched
from aliansi.store.sqlite import SQLiteDialect


@pytest.fixture
def location(tmp_path):
    """A SQLite file of 12,000 rows of text, numbers, bytes and NULLs."""
    path = tmp_path / "rows.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (n INTEGER, x REAL, s TEXT, b BLOB)")
        connection.executemany("INSERT INTO t VALUES (?, ?, ?, ?)",
                               [(n, n / 7, f"«{n}» ü" * (n % 5) or None, bytes([n % 256]))
                                for n in range(12_000)])
    return str(path)


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _in_process(location: str, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(location) as connection:
        return connection.execute(sql, params).fetchall()


def test_apart_stream_gives_the_rows_of_the_query_in_order(location):
    sql = "SELECT n, x, s, b FROM t WHERE n % ? = 0 ORDER BY s, n DESC"
    batches = list(apart.stream(location, sql, [3], 1000))
    assert [len(b) for b in batches] == [1000, 1000, 1000, 1000]
    assert [row for b in batches for row in b] == _in_process(location, sql, [3])
    assert _no_children_left()


def test_apart_results_give_each_query_whole_in_turn(location):
    queries = [("SELECT n, s FROM t WHERE n < ? ORDER BY n", [n]) for n in (10, 0, 7000, 3, 1)]
    queries.append(("SELECT COUNT(*), SUM(x) FROM t", []))
    found = list(apart.results(location, queries, size=500))
    assert found == [_in_process(location, sql, params) for sql, params in queries]
    assert found[1] == [] and len(found[2]) == 7000
    assert list(apart.results(location, [])) == []
    assert _no_children_left()


def test_apart_error_names_the_store_and_the_fault(location):
    with pytest.raises(StoreError, match=r"reading .*rows\.db: OperationalError: no such table"):
        list(apart.stream(location, "SELECT * FROM missing", [], 100))
    queries = [("SELECT n FROM t", []), ("SELECT gone FROM t", [])]
    with pytest.raises(StoreError, match="no such column: gone"):
        list(apart.results(location, queries))
    assert _no_children_left()


def test_apart_reader_stopped_early_is_ended_and_reaped(location):
    sql = "SELECT a.n, b.n FROM t a JOIN t b"      # 144 million rows: never read whole
    rows = apart.stream(location, sql, [], 1000)
    assert len(next(rows)) == 1000
    rows.close()
    assert _no_children_left()
    queries = [(sql, [])] * 3
    results = apart.results(location, [("SELECT n FROM t", [])] + queries)
    assert len(next(results)) == 12_000
    results.close()
    assert _no_children_left()


def test_apart_is_used_only_where_the_reading_process_sees_what_this_one_does(
        location, monkeypatch):
    dialect = SQLiteDialect(sqlite3.connect(location, isolation_level=None), location=location)
    assert apart.available(dialect.location, dialect.connection)
    assert not apart.available(":memory:", dialect.connection)
    with monkeypatch.context() as patched:      # run by a program that is no interpreter
        patched.setattr(apart, "_INTERPRETER", False)
        assert not apart.available(dialect.location, dialect.connection)
    dialect.connection.execute("BEGIN")
    assert not apart.available(dialect.location, dialect.connection)  # its writes unseen
    dialect.connection.execute("ROLLBACK")
    # another thread (a web server's, a notebook's) changes nothing: a fresh process
    waiting = threading.Event()
    thread = threading.Thread(target=waiting.wait)
    thread.start()
    try:
        assert apart.available(dialect.location, dialect.connection)
        assert [r for b in dialect.stream("SELECT n FROM t", (), 5000, tuples=True, apart=True)
                for r in b] == _in_process(location, "SELECT n FROM t")
    finally:
        waiting.set()
        thread.join()
    # and when it is not, the same rows are read in this process
    sql = "SELECT n, s FROM t ORDER BY n"
    dialect.connection.execute("BEGIN")
    assert [r for b in dialect.stream(sql, (), 5000, tuples=True, apart=True) for r in b] == \
        _in_process(location, sql)
    assert list(dialect.results([(sql, ())])) == [_in_process(location, sql)]
    dialect.connection.execute("ROLLBACK")
    dialect.connection.close()


def test_prefetched_batches_come_in_order_and_the_thread_ends_with_the_reader():
    closed = threading.Event()

    def batches(n):
        try:
            for i in range(n):
                yield [i]
        finally:
            closed.set()

    assert list(_prefetched(batches(50))) == [[i] for i in range(50)]
    assert closed.is_set()
    closed.clear()
    early = _prefetched(batches(10_000))
    assert next(early) == [0]
    early.close()
    assert closed.is_set()
    assert not any(t.name == "aliansi-prefetch" for t in threading.enumerate())


def test_prefetched_raises_the_error_of_the_fetching_thread():
    def failing():
        yield [1]
        raise StoreError("the server went away")

    found = _prefetched(failing())
    assert next(found) == [1]
    with pytest.raises(StoreError, match="the server went away"):
        next(found)
    assert not any(t.name == "aliansi-prefetch" for t in threading.enumerate())
