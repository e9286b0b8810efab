"""The readable SQL views, on both backends, and the SQLite file in Datasette."""
import asyncio

import pytest

from aliansi.model import Article, Event, Sentence
from aliansi.store import open_store

TEXT = ("Jepang dan NATO menyepakati program kemitraan pada 2023. "
        "Tiongkok mengumumkan pembatasan ekspor ke Jepang.")


def _article():
    first, second = TEXT.index("Tiongkok"), len(TEXT)
    a = Article(text=TEXT, id="views-1", published="2026-01-23", language="id", outlet="Kabar", title="T")
    a.sentences = [Sentence(0, first - 1, TEXT[:first - 1]), Sentence(first, second, TEXT[first:])]
    a.events = [
        Event("AGREE", ["JPN"], ["NATO"], TEXT[:first - 1], [(0, first - 1)], date="2023"),
        Event("SANCTION", ["CHN"], ["JPN"], TEXT[first:], [(first, second)]),
        Event("ASSAULT", ["CHN"], ["JPN"], TEXT[first:], [(first, second)], hypothetical=True),
    ]
    return a


def test_views_events_readable_and_dyads(store_location):
    with open_store(store_location) as store:
        store.ingest([_article()])
        rows = store._db.execute(
            "SELECT type, source, target, date, outlet, evidence FROM events_readable ORDER BY type").fetchall()
    by_type = {r["type"]: r for r in rows}
    assert by_type["AGREE"]["source"] == "JPN" and by_type["AGREE"]["target"] == "NATO"
    assert by_type["AGREE"]["date"] == "2023" and by_type["SANCTION"]["outlet"] == "Kabar"
    assert by_type["SANCTION"]["evidence"].startswith("Tiongkok")
    assert set(by_type) == {"AGREE", "SANCTION", "ASSAULT"}


def test_views_events_readable_shows_each_review_through_re_ingest(store_location):
    """Datasette and SQL users see the verdict every aliansi count applies, kept as the
    article is stored again."""
    def verdicts(store):
        return dict(store._db.execute("SELECT type, review FROM events_readable").fetchall())

    with open_store(store_location) as store:
        store.ingest([_article()])
        agree = store.events(type="AGREE")[0]
        sanction = store.events(type="SANCTION")[0]
        assert set(verdicts(store).values()) == {None}
        store.review(agree.id, "wrong", reviewer="ana", reason="a plan")
        store.review(sanction.id, "corrected", reviewer="ana", correction={"date": "2024"})
        assert verdicts(store) == {"AGREE": "wrong", "SANCTION": "corrected", "ASSAULT": None}
        store.review(agree.id, "right", reviewer="ben")
        edited = _article()
        edited.title = "Judul baru"          # stored again: its readable rows are rewritten
        assert store.ingest([edited]).replaced == 1
        assert verdicts(store) == {"AGREE": "right", "SANCTION": "corrected", "ASSAULT": None}


def test_views_dyad_events_leave_out_flagged(tmp_path):
    path = tmp_path / "v.db"
    with open_store(path) as store:
        store.ingest([_article()])
    import sqlite3

    rows = sqlite3.connect(path).execute("SELECT source, target, type FROM dyad_events ORDER BY type").fetchall()
    assert rows == [("JPN", "NATO", "AGREE"), ("CHN", "JPN", "SANCTION")]


def test_views_open_cleanly_in_datasette(tmp_path):
    datasette_app = pytest.importorskip("datasette.app", reason="datasette is not installed")
    path = tmp_path / "v.db"
    with open_store(path) as store:
        store.ingest([_article()])
    ds = datasette_app.Datasette([str(path)])

    async def fetch():
        await ds.invoke_startup()
        tables = await ds.client.get("/v.json")
        view = await ds.client.get("/v/events_readable.json?_shape=array")
        return tables, view

    tables, view = asyncio.run(fetch())
    assert tables.status_code == 200 and view.status_code == 200
    names = {t["name"] for t in tables.json()["tables"]}
    assert {"events_readable", "dyad_events"} <= names
    assert {r["type"] for r in view.json()} == {"AGREE", "SANCTION", "ASSAULT"}


def test_views_events_readable_says_how_each_date_was_found(tmp_path):
    path = tmp_path / "v.db"
    article = _article()
    article.events[0].date_basis = "sentence"
    article.events[1].date, article.events[1].date_basis = "2026-01-20", "context"
    with open_store(path) as store:
        store.ingest([article])
        stored = {e.type: e for e in store.events(include_flagged=True)}
    import sqlite3

    rows = dict(sqlite3.connect(path).execute("SELECT type, date_basis FROM events_readable").fetchall())
    assert rows["AGREE"] == "sentence" and rows["SANCTION"] == "context" and rows["ASSAULT"] is None
    assert stored["SANCTION"].date_basis == "context"


def test_views_readable_tables_follow_a_reingested_article(store_location):
    article = _article()
    with open_store(store_location) as store:
        store.ingest([article])
        article.events = article.events[1:]          # the extractor now finds less
        article.title = "T2"
        store.ingest([article])
        rows = store._db.execute("SELECT type, title FROM events_readable ORDER BY type").fetchall()
        dyads = store._db.execute("SELECT type FROM dyad_events").fetchall()
    assert [(r["type"], r["title"]) for r in rows] == [("ASSAULT", "T2"), ("SANCTION", "T2")]
    assert [r["type"] for r in dyads] == ["SANCTION"]


def test_views_an_older_store_gets_its_readable_tables_filled(tmp_path):
    """Migration 5 on a store that still has the views: the tables hold what the views showed."""
    from aliansi.store import readable

    with open_store(tmp_path / "lama.db") as store:
        store.ingest([_article()])
        db = store._db
        with db.transaction():      # back to the views of schema 4
            db.execute("DROP TABLE events_readable")
            db.execute("DROP TABLE dyad_events")
            db.execute("CREATE VIEW events_readable AS "
                       + readable.events_readable_select(db, agents=False, review=False))
            db.execute(f"CREATE VIEW dyad_events AS {readable.dyad_events_select(db, agents=False)}")
        before = [dict(r) for r in db.execute("SELECT * FROM events_readable ORDER BY event_id")]
        dyads = [dict(r) for r in db.execute("SELECT * FROM dyad_events ORDER BY event_id")]
        with db.transaction():
            readable.create(db, agents=False)      # as migration 5 does, before migration 9
        after = [dict(r) for r in db.execute("SELECT * FROM events_readable ORDER BY event_id")]
        kinds = dict(db.execute("SELECT name, type FROM sqlite_master WHERE name IN "
                                "('events_readable', 'dyad_events')").fetchall())
        assert dyads == [dict(r) for r in db.execute("SELECT * FROM dyad_events ORDER BY event_id")]
    assert after == before and len(after) == 3
    assert kinds == {"events_readable": "table", "dyad_events": "table"}
