"""PostgreSQL through psycopg 3, for stores shared by a team."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterable, Iterator, Sequence

from aliansi.errors import StoreError
from aliansi.store import apart as read_apart
from aliansi.store.base import Dialect, decode_json


class _Row:
    """A result row readable by position or by column name, like sqlite3.Row."""
    __slots__ = ("_names", "_values")

    def __init__(self, names: dict[str, int], values: Sequence[Any]):
        self._names, self._values = names, values

    def __getitem__(self, key: int | str) -> Any:
        return self._values[key if isinstance(key, int) else self._names[key]]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def keys(self) -> list[str]:
        return list(self._names)


PREFETCHED = 4      # batches a stream's thread may fetch ahead


def _prefetched(batches: Iterator[list[Any]]) -> Iterator[list[Any]]:
    """`batches` read by a thread, PREFETCHED ahead of the caller; the thread stops
    (and the batches' generator is closed, in that thread) when the caller stops."""
    import queue
    import threading

    found: queue.Queue = queue.Queue(PREFETCHED)
    stop = threading.Event()
    done = object()

    def put(item: Any) -> bool:
        """Whether `item` was queued before the caller stopped."""
        while not stop.is_set():
            try:
                found.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def fetch() -> None:
        outcome: Any = done
        try:
            for batch in batches:
                if not put(batch):
                    break
        except BaseException as exc:       # noqa: BLE001 - raised again by the caller
            outcome = exc
        try:
            batches.close()     # (the cursor and its transaction end in this thread)
        except BaseException as exc:       # noqa: BLE001
            outcome = exc if outcome is done else outcome
        put(outcome)

    thread = threading.Thread(target=fetch, name="aliansi-prefetch", daemon=True)
    thread.start()
    try:
        while (item := found.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def _row_factory(cursor: Any) -> Any:
    names = {column.name: i for i, column in enumerate(cursor.description or [])}
    return lambda values: _Row(names, values)


class PostgresDialect(Dialect):
    name = "postgresql"
    types = {"json": "JSONB", "bool": "BOOLEAN", "float": "DOUBLE PRECISION"}

    def __init__(self, connection: Any, *, location: str, read_only: bool = False):
        import psycopg
        from psycopg.types.json import Jsonb

        super().__init__(connection, location=location, read_only=read_only)
        self.errors = (psycopg.Error,)
        self._jsonb = Jsonb

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        # Our SQL has no '?' or '%' except as placeholders.
        if params:
            return self.connection.execute(sql.replace("?", "%s"), params)
        return self.connection.execute(sql)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            with self.connection.cursor() as cursor:
                cursor.executemany(sql.replace("?", "%s"), rows)

    def one_of(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        # one array parameter: psycopg parses and adapts one value, not 500 placeholders
        return f"{column} = ANY(?)", [list(values)]

    def tuples(self, sql: str, params: Sequence[Any] = ()) -> Any:
        from psycopg.rows import tuple_row

        cursor = self.connection.cursor(row_factory=tuple_row)
        return cursor.execute(sql.replace("?", "%s"), params or None)

    def stream(self, sql: str, params: Sequence[Any] = (), size: int = 1000, *,
               tuples: bool = False, apart: bool = False, walked: bool = False
               ) -> Iterator[list[Any]]:
        """A server-side cursor, so that the client holds `size` rows at a time; planned
        for reading every row (PostgreSQL plans a cursor for its first tenth by default:
        nested loops in list order that took twice as long over a long list at 1M) but
        a `walked` query (for its first rows: the index in list order, not a hash join
        and a sort that give no row before the last is found), without JIT compilation
        (0.4-2 s of a 2-4 s listing at 1M, for nothing) and with room to sort a long
        list in memory (64 MB, not the default 4 MB on disk). With `apart`, the next
        batches are fetched by a thread while the caller uses this one: the server works
        on them meanwhile (a thread waiting on the server does not hold the GIL)."""
        batches = self._fetched(sql, params, size, tuples, 0.1 if walked else 1.0)
        return _prefetched(batches) if apart and read_apart.ENABLED else batches

    def results(self, queries: Sequence[tuple[str, Sequence[Any]]]) -> Iterator[list[tuple]]:
        """(The next queries run by a thread, as `stream`'s batches are fetched.)"""
        found = super().results(queries)
        return _prefetched(found) if read_apart.ENABLED else found

    def _fetched(self, sql: str, params: Sequence[Any], size: int, tuples: bool,
                 fraction: float) -> Iterator[list[Any]]:
        import uuid

        with self.connection.transaction():
            self.connection.execute(f"SET LOCAL cursor_tuple_fraction = {fraction}")
            self.connection.execute("SET LOCAL jit = off")
            self.connection.execute("SET LOCAL work_mem = '64MB'")
            from psycopg.rows import tuple_row

            with self.connection.cursor(name=f"aliansi_{uuid.uuid4().hex}",
                                        row_factory=tuple_row if tuples else _row_factory
                                        ) as cursor:
                cursor.execute(sql.replace("?", "%s"), params or None)
                while rows := cursor.fetchmany(size):
                    yield rows

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.connection.transaction():
            yield

    def lock_for_migrations(self) -> None:
        self.execute("SELECT pg_advisory_xact_lock(hashtext('aliansi migrations'))")

    def table_names(self) -> set[str]:
        rows = self.execute("SELECT table_name FROM information_schema.tables "
                            "WHERE table_schema = current_schema()").fetchall()
        return {row[0] for row in rows}

    def column_names(self, table: str) -> set[str]:
        rows = self.execute("SELECT column_name FROM information_schema.columns "
                            "WHERE table_schema = current_schema() AND table_name = ?",
                            [table]).fetchall()
        return {row[0] for row in rows}

    def dump_json(self, value: Any) -> Any:
        return self._jsonb(value)

    def load_json(self, value: Any) -> Any:
        return value    # psycopg has already decoded the JSONB


def _safe_location(dsn: str) -> str:
    """The DSN without its password, for messages."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        info = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError:
        return "postgresql://<unparsable DSN>"
    user = f"{info['user']}@" if info.get("user") else ""
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{user}{info.get('host') or ''}{port}/{info.get('dbname') or ''}"


def connect_postgres(dsn: str, *, read_only: bool = False) -> PostgresDialect:
    """Connect to a PostgreSQL database given as a postgresql:// DSN."""
    try:
        import psycopg
    except ImportError as exc:
        raise StoreError("a PostgreSQL store needs psycopg 3: "
                         "pip install 'psycopg[binary]'") from exc
    location = _safe_location(dsn)
    try:
        connection = psycopg.connect(dsn, autocommit=True, row_factory=_row_factory,
                                     connect_timeout=10)
    except psycopg.Error as exc:
        raise StoreError(f"cannot connect to PostgreSQL at {location}: "
                         f"{str(exc).strip()}") from exc
    if read_only:
        connection.read_only = True
    # JSONB columns decoded without json.loads' checks of the bytes' encoding (three a
    # listed event, as `Dialect.load_json` does for SQLite)
    from psycopg.types.json import set_json_loads

    set_json_loads(_load_json, connection)
    return PostgresDialect(connection, location=location, read_only=read_only)


def _load_json(data: bytes) -> Any:
    return decode_json(data.decode("utf-8"))
