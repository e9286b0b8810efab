"""Storage of articles and events: SQLite by default, PostgreSQL for teams.

    with open_store("events.db") as store:            # or "sqlite:///events.db"
        report = store.ingest(articles)                # idempotent
        for event in store.events(dyad=("CHN", "PHL"), since="2025-01"):
            ...

    open_store("postgresql://user:pass@host/db")      # same interface

Ids are content hashes: ingesting an article again changes nothing, a changed
article replaces only its own rows. The schema is kept by numbered migrations
(`aliansi.store.migrations`), applied when a store is opened for writing.
"""
from __future__ import annotations

from pathlib import Path

from aliansi.errors import StoreError
from aliansi.store.base import (
    IngestReport, Store, StoredArticle, StoredEvent, StoreStats, article_hash, event_id,
)

__all__ = [
    "IngestReport", "Store", "StoreError", "StoreStats", "StoredArticle", "StoredEvent",
    "article_hash", "event_id", "open_store",
]


def open_store(location: str | Path, *, read_only: bool = False) -> Store:
    """Open the store at `location`, creating or migrating its schema.

    `location` is a file path or `sqlite:///path` (SQLite; `sqlite:////abs/path`
    for an absolute path, ":memory:" for a throwaway store) or a
    `postgresql://` / `postgres://` DSN. `read_only` opens without writing or
    migrating (for extra readers next to one writer).
    """
    text = str(location)
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme in ("postgresql", "postgres"):
        from aliansi.store.postgres import connect_postgres
        dialect = connect_postgres(text, read_only=read_only)
    elif scheme in ("", "sqlite"):
        from aliansi.store.sqlite import connect_sqlite
        path = text[len("sqlite:///"):] if scheme else text
        if scheme and not text.startswith("sqlite:///"):
            raise StoreError(f"cannot open store {text}: write sqlite:///relative/path "
                             f"or sqlite:////absolute/path")
        if not path:
            raise StoreError("cannot open store: empty path")
        dialect = connect_sqlite(path, read_only=read_only)
    else:
        raise StoreError(f"cannot open store {text}: unknown scheme {scheme!r} "
                         f"(use a path, sqlite:///path or postgresql://...)")
    try:
        return Store(dialect)
    except BaseException:
        dialect.close()
        raise
