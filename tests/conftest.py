"""Shared fixtures. Store: a PostgreSQL server for the postgres-backed tests.

`postgres_dsn` uses ALIANSI_TEST_POSTGRES (a DSN) when set, else starts a
throwaway server with scripts/start-postgres.sh, else skips (or fails when
ALIANSI_REQUIRE_POSTGRES=1, for CI).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import pytest

START_POSTGRES = Path(__file__).resolve().parents[1] / "scripts" / "start-postgres.sh"


def pytest_configure(config):
    """The tests build aliansi's start-up cache (aliansi.cache) in a directory of their
    own, never in the user's, unless ALIANSI_CACHE names one."""
    if "ALIANSI_CACHE" not in os.environ:
        config._aliansi_cache = tempfile.mkdtemp(prefix="aliansi-cache-")
        os.environ["ALIANSI_CACHE"] = config._aliansi_cache


def pytest_unconfigure(config):
    directory = getattr(config, "_aliansi_cache", None)
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.environ.pop("ALIANSI_CACHE", None)


def _unavailable(reason: str) -> None:
    if os.environ.get("ALIANSI_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason} (ALIANSI_REQUIRE_POSTGRES=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_dsn():
    """A DSN of a PostgreSQL server for the whole test session."""
    if os.environ.get("ALIANSI_TEST_POSTGRES"):
        yield os.environ["ALIANSI_TEST_POSTGRES"]
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg not installed: pip install 'psycopg[binary]'")
    directory = tempfile.mkdtemp(prefix="aliansi-pg-")
    result = subprocess.run(["bash", str(START_POSTGRES), directory],
                            capture_output=True, text=True, timeout=180)
    if result.returncode != 0:
        shutil.rmtree(directory, ignore_errors=True)
        lines = result.stderr.strip().splitlines()
        _unavailable(lines[-1] if result.returncode == 3 and lines else
                     f"could not start PostgreSQL with {START_POSTGRES.name}: "
                     + " | ".join(lines[-3:]))
    try:
        yield result.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(["bash", str(START_POSTGRES), "stop", directory],
                       capture_output=True, timeout=120)


def with_search_path(dsn: str, schema: str) -> str:
    """The DSN with `options=-c search_path=<schema>` added to its query."""
    parts = urlsplit(dsn)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "options"]
    query.append(("options", f"-c search_path={schema}"))
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


@pytest.fixture
def postgres_location(postgres_dsn):
    """A DSN whose tables land in a fresh, empty schema (dropped afterwards)."""
    import psycopg

    schema = f"aliansi_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_dsn, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    yield with_search_path(postgres_dsn, schema)
    with psycopg.connect(postgres_dsn, autocommit=True) as connection:
        connection.execute("SET lock_timeout = '10s'")
        connection.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def store_location(request, tmp_path):
    """Where to open a store: a SQLite file, or an empty PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "events.db")
    return request.getfixturevalue("postgres_location")
