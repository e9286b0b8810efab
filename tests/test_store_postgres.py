"""PostgreSQL specifics; the shared store tests in test_store.py run here too."""
from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

import pytest

from aliansi.errors import StoreError
from aliansi.model import Article, Event, Mention, Sentence
from aliansi.store import open_store
from aliansi.store.migrations import MIGRATIONS

psycopg = pytest.importorskip("psycopg", reason="psycopg not installed: pip install 'psycopg[binary]'")
START_POSTGRES = Path(__file__).resolve().parents[1] / "scripts" / "start-postgres.sh"


def jakarta_canberra(id: str = "kompas-20251203", text_suffix: str = "") -> Article:
    text = ("Menteri Pertahanan Indonesia Sjafrie Sjamsoeddin bertemu Menteri Pertahanan "
            "Australia Richard Marles di Jakarta pada Rabu (3/12)." + text_suffix)
    return Article(
        text=text, id=id, published="2025-12-03", language="id",
        sentences=[Sentence(0, len(text), text)],
        mentions=[Mention(0, 28, text[:28], "org", "IDN", "Indonesia"),
                  Mention(text.index("Menteri Pertahanan Australia"),
                          text.index("Menteri Pertahanan Australia") + 28,
                          "Menteri Pertahanan Australia", "org", "AUS", "Australia")],
        events=[Event("CONSULT", ["IDN"], ["AUS"], text, [(0, len(text))], mode="visit",
                      context=["military"], date="2025-12-03", date_precision="day",
                      location="Jakarta", location_country="IDN")])


def test_store_postgres_json_columns_are_jsonb(postgres_location):
    with open_store(postgres_location) as store:
        store.ingest([jakarta_canberra()])
        assert store.backend == "postgresql"
    with psycopg.connect(postgres_location) as raw:
        row = raw.execute("SELECT source ->> 0, target ->> 0, jsonb_typeof(context), "
                          "article_json ->> 'language' FROM events "
                          "JOIN articles ON articles.id = events.article_id").fetchone()
    assert row == ("IDN", "AUS", "array", "id")


def test_store_postgres_location_hides_the_password(postgres_dsn, postgres_location):
    # The test server trusts local connections, so any password is accepted.
    dsn = postgres_location.replace("postgres@", "postgres:s3cret-pw@", 1)
    assert "s3cret-pw" in dsn
    with open_store(dsn) as store:
        assert "s3cret-pw" not in store.location + repr(store)
        assert store.location.startswith("postgresql://postgres@127.0.0.1:")


def test_store_postgres_unreachable_server_is_a_clear_error():
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL at "
                       "postgresql://aliansi@127.0.0.1:1/events") as info:
        open_store("postgresql://aliansi:hunter22@127.0.0.1:1/events?connect_timeout=3")
    assert "hunter22" not in str(info.value)


def test_store_postgres_schema_of_another_application(postgres_location):
    with psycopg.connect(postgres_location, autocommit=True) as raw:
        raw.execute("CREATE TABLE invoices (id SERIAL PRIMARY KEY, total NUMERIC)")
    with pytest.raises(StoreError, match="not an aliansi database .*invoices"):
        open_store(postgres_location)


def test_store_postgres_concurrent_opens_migrate_once(postgres_location):
    outcomes, barrier = [], threading.Barrier(4)

    def open_one():
        barrier.wait()
        with open_store(postgres_location) as store:
            outcomes.append(store.applied_migrations())

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 4 and all(o == outcomes[0] for o in outcomes)
    assert [version for version, _, _ in outcomes[0]] == sorted(MIGRATIONS)


def test_store_postgres_nul_character_fails_that_article_only(postgres_location):
    # PostgreSQL text cannot hold U+0000; SQLite can. The error names the article.
    broken = jakarta_canberra("bad-scrape")
    broken.outlet = "Kabar \x00"       # (its text is a known article's: kept as a source)
    with open_store(postgres_location) as store:
        with pytest.raises(StoreError, match="article bad-scrape"):
            store.ingest([jakarta_canberra(), broken])
        assert "kompas-20251203" in store and "bad-scrape" not in store
        assert store.stats().events == 1


def test_store_postgres_two_writers_share_one_database(postgres_location):
    with open_store(postgres_location) as one, open_store(postgres_location) as two:
        assert one.ingest([jakarta_canberra()]).added == 1
        assert two.ingest([jakarta_canberra()]).unchanged == 1
        assert [e.id for e in two.events(dyad=("AUS", "IDN"))] == \
            [e.id for e in one.events(actor="IDN")]


def test_store_postgres_start_script_without_binaries(tmp_path):
    result = subprocess.run(["bash", str(START_POSTGRES), str(tmp_path / "cluster")],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PG_BIN": str(tmp_path)})
    assert result.returncode == 3
    assert "PostgreSQL server binaries not found" in result.stderr
    assert "apt-get install postgresql" in result.stderr
