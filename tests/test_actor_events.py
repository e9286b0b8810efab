"""An actor's profile counted from `actor_events` (migration 18) is the one counted from
its stored events, within dates too, after ingest, the re-ingest of a changed article
and reviews; the table is what a rebuild from the events gives; on SQLite and
PostgreSQL."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from aliansi import api, database
from aliansi.model import EVENT_TYPES
from aliansi.store import actor_events, open_store
from test_clusters import ANTARA, INQUIRER, KOMPAS, WATER_CANNON, _article
from test_occurrence_tables import WINDOWS

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "dev" / "articles.jsonl"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def articles():
    return list(api.extract([DEV] if DEV.exists() else [SAMPLES]))


def _table(db) -> list[tuple]:
    return sorted(tuple(r) for r in db.execute("SELECT * FROM actor_events").fetchall())


def _expected(db, code: str, since: str | None = None, until: str | None = None) -> dict:
    """The profile's counts from the events themselves (`Store.events`, reviews applied)."""
    events = db.store.events(actor=code, since=since, until=until)
    coop = conf = 0.0
    partners: dict = {}
    for e in events:
        value = db.scores.score(e.type, e.mode)
        coop, conf = coop + max(value, 0.0), conf + max(-value, 0.0)
        others = ((set(e.target) if code in e.source else set())
                  | (set(e.source) if code in e.target else set())) - {code}
        for other in others:
            p = partners.setdefault(other, [0, 0.0, 0.0])
            p[0] += 1
            p[1] += max(value, 0.0)
            p[2] += max(-value, 0.0)
    articles = {e.article_id for e in events}
    persons: dict = {}
    for name, role, article in db.store.persons_of(code):
        if article in articles:
            persons.setdefault((name, role), set()).add(article)
    counts = Counter(e.type for e in events)
    return {"events": len(events), "counts": {t: counts.get(t, 0) for t in EVENT_TYPES},
            "cooperation": round(coop, 3), "conflict": round(conf, 3),
            "partners": sorted([{"actor": a, "events": n, "cooperation": round(c, 3),
                                 "conflict": round(k, 3)} for a, (n, c, k) in partners.items()],
                               key=lambda p: (-p["events"], p["actor"]))[:10],
            "persons": [{"name": n, "role": r, "articles": len(a)} for (n, r), a in
                        sorted(persons.items(), key=lambda kv: (-len(kv[1]), kv[0][0]))]}


def _assert_profiles(location) -> None:
    with open_store(location) as store:
        kept = _table(store._db)
        with store._db.transaction():
            store._db.execute("DROP TABLE actor_events")
            actor_events.create(store._db)
        assert _table(store._db) == kept and kept
    with database.open(location) as db:
        codes = sorted({c for e in db.store.events() for c in [*e.source, *e.target]})
        assert len(codes) > 5
        for code in codes:
            for since, until in [(None, None), *WINDOWS]:
                profile = db.actor(code, since=since, until=until).to_dict()
                expected = _expected(db, code, since, until)
                assert {k: profile[k] for k in expected} == expected, (code, since, until)


def test_an_actor_s_profile_follows_ingest_re_ingest_and_reviews(store_location, articles):
    with open_store(store_location) as store:
        store.ingest([*articles, INQUIRER, ANTARA, KOMPAS])
    _assert_profiles(store_location)
    changed = _article("antara-1", "Antara", "2025-12-08", "id", [
        ("Kapal Penjaga Pantai China menembakkan meriam air ke arah kapal Filipina BRP "
         "Teresa Magbanua di dekat Beting Scarborough pada Minggu (7/12).",
         [dict(WATER_CANNON, source=["CHN", "VNM"], location="Beting Scarborough")]),
    ])
    with open_store(store_location) as store:
        assert store.ingest([changed]).replaced == 1
    _assert_profiles(store_location)
    with database.open(store_location) as db:
        events = db.store.events()
        db.store.review(events[0].id, "wrong", reviewer="ana")
        db.store.review(events[1].id, "corrected", reviewer="ana",
                        correction={"source": ["JPN", "AUS"], "target": ["CHN"], "type": "ACCUSE"})
        flagged = next(e for e in db.store.events(include_flagged=True)
                       if e.hypothetical or e.negated)
        db.store.review(flagged.id, "corrected", reviewer="ana",
                        correction={"hypothetical": False, "negated": False})
        db.store.review(events[2].id, "corrected", reviewer="ana", correction={"negated": True})
        db.store.review(events[3].id, "corrected", reviewer="ana", correction={"date": "2019-01"})
    _assert_profiles(store_location)
