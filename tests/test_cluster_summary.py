"""`cluster_summary` (migration 20) stays what the clusters' reports say, on real SQLite
files and PostgreSQL schemas: after ingest and clustering, after the same articles
again, after an article whose event moves, after a review; and `iter_clusters`, which
orders clusters from it, gives the clusters of the in-memory reference in its order."""
from __future__ import annotations

import pytest

from aliansi import database
from aliansi.dedup import cluster_date
from aliansi.store import cluster_summary, open_store
from test_clusters import (ANTARA, HYPOTHETICAL, INQUIRER, KOMPAS, SEPTEMBER, UNDATED,
                           VIETNAM, WATER_CANNON, _article)

ALL = (INQUIRER, ANTARA, KOMPAS, VIETNAM, SEPTEMBER, HYPOTHETICAL, UNDATED)
NO_FILTERS = {"actor": None, "type": None, "since": None, "until": None}


@pytest.fixture(scope="module")
def kb():
    from aliansi.kb import KnowledgeBase
    return KnowledgeBase.load()


def _ingest(location, *articles):
    with open_store(location) as store:
        return store.ingest(articles)


def _stored(db) -> dict[str, tuple]:
    return {r[0]: tuple(r)[1:] for r in db.store._rows(
        f"SELECT {cluster_summary.COLUMNS} FROM cluster_summary")}


def _expected(db) -> dict[str, tuple]:
    """Each stored cluster's row as its reports give it (reviews not applied)."""
    groups: dict[str, list] = {}
    for row in db.store.cluster_rows():
        groups.setdefault(row.cluster_id, []).append(row.event_id)
    expected = {}
    for cluster, ids in groups.items():
        events = sorted(db.store.events_by_id(ids, corrections=False),
                        key=lambda e: (e.published or "9999", e.article_id, e.id))
        expected[cluster] = (len({e.outlet or f"article:{e.article_id}" for e in events}),
                             cluster_date([e.date for e in events]),
                             events[0].published or "9999", events[0].article_id, events[0].id)
    return expected


def _same_as_in_memory(db, **filters):
    """`iter_clusters` gives the clusters `_clusters_in_memory` builds from every event,
    in its order, for every order and threshold."""
    for by_corroboration, min_sources in ((False, 1), (True, 1), (True, 2)):
        streamed = [c.to_dict() for c in db.iter_clusters(
            **filters, by_corroboration=by_corroboration, min_sources=min_sources)]
        in_memory = [c.to_dict() for c in db._clusters_in_memory(
            {**NO_FILTERS, **filters}, min_sources, by_corroboration, 3, None)]
        assert streamed == in_memory


def test_cluster_summary_follows_ingest_clustering_and_reingest(store_location, kb):
    _ingest(store_location, *ALL)
    with database.open(store_location, kb=kb) as db:
        db.update_clusters()
        stored = _stored(db)
        assert stored == _expected(db) and len(stored) == 4
        assert stored[next(c.id for c in db.clusters() if "antara-1" in c.articles
                           and c.type == "COERCE")][:2] == (4, "2025-12-07")
        # the same articles again: nothing changes, nothing is doubled
        assert _ingest(store_location, *ALL).unchanged == len(ALL)
        db.update_clusters()
        assert _stored(db) == stored
        for filters in ({}, {"actor": "PHL"}, {"type": "COERCE"}, {"since": "2025-12"},
                        {"actor": "CHN", "until": "2025-12-07"}):
            _same_as_in_memory(db, **filters)


def test_cluster_summary_follows_an_event_that_moves(store_location, kb):
    """The earliest report's article changes: its event leaves the cluster (the cluster
    is renamed after its next report), then joins again as its first report."""
    _ingest(store_location, INQUIRER, ANTARA, KOMPAS)
    with database.open(store_location, kb=kb) as db:
        db.update_clusters()
        moved = _article("inquirer-1", "Inquirer", "2025-12-07", "en", [
            ("MANILA — Tensions rose again.", []),
            (INQUIRER.sentences[0].text, [dict(WATER_CANNON, location="Scarborough Shoal")]),
        ])
        assert _ingest(store_location, moved).replaced == 1
        assert _stored(db) == _expected(db)         # before clustering: the cluster shrank
        db.update_clusters()
        assert _stored(db) == _expected(db)
        cluster = next(c for c in db.clusters() if c.type == "COERCE")
        assert cluster.articles == ["inquirer-1", "antara-1", "kompas-1"]
        assert _stored(db)[cluster.id][2:4] == ("2025-12-07", "inquirer-1")
        _same_as_in_memory(db)
        _same_as_in_memory(db, actor="CHN")


def test_cluster_summary_and_reviews(store_location, kb):
    """A review changes no summary (it holds the reports as extracted); the clusters with
    a report marked wrong or corrected are ordered from their reports as reviewed."""
    _ingest(store_location, *ALL)
    with database.open(store_location, kb=kb) as db:
        db.update_clusters()
        stored = _stored(db)
        cluster = next(c for c in db.clusters() if c.corroboration == 4)
        db.store.review(cluster.members[0].event_id, "corrected", reviewer="ana",
                        correction={"date": "2025-11-01", "source": ["VNM"]})
        db.store.review(cluster.members[1].event_id, "wrong", reviewer="ana")
        assert _stored(db) == stored == _expected(db)
        for filters in ({}, {"actor": "VNM"}, {"actor": "PHL"}, {"since": "2025-11",
                                                                   "until": "2025-11"}):
            _same_as_in_memory(db, **filters)
        reviewed = next(c for c in db.iter_clusters(by_corroboration=True)
                        if c.id == cluster.id)
        assert reviewed.corroboration == 3 and len(reviewed.members) == 3


def test_cluster_summary_rebuilt_by_the_migration_is_the_kept_one(store_location, kb):
    _ingest(store_location, *ALL)
    with database.open(store_location, kb=kb) as db:
        db.update_clusters()
        kept = _stored(db)
        with db.store._db.transaction():
            db.store._db.execute("DELETE FROM cluster_summary")
            cluster_summary.rebuild(db.store._db)
        assert _stored(db) == kept
