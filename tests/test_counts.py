"""Counting in the database gives what counting the loaded events gives: the lean rows
are `events()`' rows, and the network counted by SQL is the network of the events."""
from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from aliansi import api, database
from aliansi.network import build_network
from aliansi.store import open_store
from test_clusters import ANTARA, INQUIRER, KOMPAS

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "dev" / "articles.jsonl"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture
def filled(store_location):
    articles = list(api.extract([DEV] if DEV.exists() else [SAMPLES]))
    with open_store(store_location) as store:
        store.ingest([*articles, INQUIRER, ANTARA, KOMPAS])
    with database.open(store_location) as db:
        db.update_clusters()
    return store_location


def _edges(graph: nx.MultiDiGraph) -> dict:
    return {(u, v, k): d for u, v, k, d in graph.edges(keys=True, data=True)}


@pytest.mark.parametrize("since, until", [(None, None), ("2025-12", None), (None, "2025"),
                                          ("2024-06-01", "2025-12-07")])
def test_network_counted_in_the_database_is_the_network_of_the_events(filled, since, until):
    with database.open(filled) as db:
        events = db.store.events(since=since, until=until)
        expected = build_network(events, since=since, until=until, kb=db.kb, scores=db.scores,
                                 cluster_of=db.store.cluster_ids(e.id for e in events))
        got = db.network(since, until)
    assert _edges(got) == _edges(expected) and len(_edges(got)) > 0
    assert dict(got.nodes(data=True)) == dict(expected.nodes(data=True))


def test_lean_rows_are_the_events_rows(filled):
    with open_store(filled, read_only=True) as store:
        for filters in ({}, {"actor": "CHN"}, {"dyad": ("CHN", "PHL")}, {"type": "COERCE"},
                        {"since": "2025-12", "until": "2025-12-31"}):
            events = store.events(**filters)
            rows = store.event_rows(**filters)
            assert [(r.id, r.type, r.date, r.source, r.target) for r in rows] == \
                [(e.id, e.type, e.date, e.source, e.target) for e in events]
            clusters = store.cluster_ids(e.id for e in events)
            assert {r.id: r.cluster_id for r in rows if r.cluster_id} == clusters


@pytest.mark.parametrize("filters", [{}, {"actor": "CHN"}, {"type": "CONSULT"},
                                     {"since": "2025-12", "until": "2025-12-31"}])
def test_clusters_ordered_from_lean_rows_are_the_clusters_of_the_events(filled, filters):
    """`iter_clusters` orders and counts clusters from lean rows and reads them in
    batches: the clusters, their members and their order are those built from every
    event in memory, reviews included."""
    with database.open(filled) as db:
        events = db.store.events()
        corroborated = next(c for c in db.clusters() if c.corroboration > 1)
        db.store.review(corroborated.members[-1].event_id, "wrong", reviewer="ana")
        db.store.review(events[3].id, "corrected", reviewer="ana", correction={"date": "2019-01-01"})
        for by_corroboration, min_sources in ((False, 1), (True, 1), (True, 2)):
            streamed = [c.to_dict() for c in db.iter_clusters(
                **filters, by_corroboration=by_corroboration, min_sources=min_sources)]
            in_memory = [c.to_dict() for c in db._clusters_in_memory(
                {"actor": None, "type": None, "since": None, "until": None, **filters},
                min_sources, by_corroboration, 3, None)]
            assert streamed == in_memory and streamed
        assert db.clusters(**filters) == list(db.iter_clusters(**filters))
