"""The alliance network, built from events ingested into a real SQLite store."""
from __future__ import annotations

import json

import networkx as nx
import pytest

from aliansi.errors import ConfigError
from aliansi.network import (
    bridges, build_network, centrality, communities, cooperation_graph, in_window,
    network_json, write_network,
)
from aliansi.store import open_store
from builders import article_with_events as _article


ARTICLES = [
    _article("kyodo-20251028", "2025-10-28", "en", [
        ("Japanese Prime Minister Sanae Takaichi met US President Donald Trump in Tokyo on Tuesday.",
         [dict(type="CONSULT", mode="visit", source=["USA"], target=["JPN"], date="2025-10-28")]),
        ("The two leaders signed an agreement on critical minerals.",
         [dict(type="AGREE", source=["JPN"], target=["USA"], date="2025-10-28")]),
        ("Japanese and US destroyers held a joint drill off Okinawa the same day.",
         [dict(type="COOPERATE", source=["JPN"], target=["USA"], date="2025-10-28")]),
    ]),
    _article("antara-20251208", "2025-12-08", "id", [
        ("Jet tempur China mengunci radar pengendali tembakan ke pesawat Jepang di dekat "
         "Okinawa pada Sabtu (6/12).",
         [dict(type="COERCE", source=["CHN"], target=["JPN"], date="2025-12-06")]),
        ("China memperingatkan Jepang akan membalas setiap provokasi.",
         [dict(type="THREATEN", source=["CHN"], target=["JPN"], date="2025-12-07")]),
        ("Jepang mengajukan protes keras kepada China dan meminta agar insiden itu tidak "
         "terulang.",
         [dict(type="PROTEST", source=["JPN"], target=["CHN"], date="2025-12-07"),
          dict(type="REQUEST", source=["JPN"], target=["CHN"], date="2025-12-07")]),
        ("China akan menyerang Taiwan jika Taipei menyatakan kemerdekaan.",
         [dict(type="ASSAULT", source=["CHN"], target=["TWN"], hypothetical=True)]),
    ]),
    _article("inquirer-20251120", "2025-11-20", "en", [
        ("Philippine troops held joint exercises with US and Japanese forces in Luzon.",
         [dict(type="COOPERATE", source=["PHL"], target=["USA", "JPN"], date="2025-11-19")]),
        ("A Chinese coast guard ship blocked a Philippine supply boat near Second Thomas Shoal.",
         [dict(type="COERCE", source=["CHN"], target=["PHL"], date="2025-11-18")]),
        ("Chinese and Russian warships began a joint patrol in the Sea of Japan.",
         [dict(type="COOPERATE", source=["CHN"], target=["RUS"], date="2025-11-18")]),
    ]),
    _article("tass-20240512", "2024-05-12", "en", [
        ("Russian missiles struck Kharkiv overnight.",
         [dict(type="ASSAULT", source=["RUS"], target=["UKR"], date="2024-05-11")]),
    ]),
]


@pytest.fixture(scope="module")
def kb():
    from aliansi.kb import KnowledgeBase
    return KnowledgeBase.load()


@pytest.fixture
def events(tmp_path):
    with open_store(tmp_path / "events.db") as store:
        store.ingest(ARTICLES)
        return store.events(include_flagged=True)


@pytest.fixture
def graph(events, kb):
    return build_network(events, since="2025-01", memberships=False, kb=kb)


def _edge(graph, u, v, kind):
    return graph.edges[u, v, kind]


def test_network_edge_weights(graph):
    # JPN -> USA: AGREE 2.5 + COOPERATE 9.5 = 12.0 over 2 events
    e = _edge(graph, "JPN", "USA", "cooperation")
    assert (e["count"], e["score"], e["weight"], e["types"]) == (2, 12.0, 12.0, "AGREE=1;COOPERATE=1")
    # USA -> JPN: CONSULT in mode visit = 4.0
    assert _edge(graph, "USA", "JPN", "cooperation")["score"] == 4.0
    # CHN -> JPN: COERCE -7 + THREATEN -3.5 = -10.5, weight its magnitude
    e = _edge(graph, "CHN", "JPN", "conflict")
    assert (e["count"], e["score"], e["weight"]) == (2, -10.5, 10.5)
    # JPN -> CHN: PROTEST -5 is conflict; REQUEST (0) is neutral
    assert _edge(graph, "JPN", "CHN", "conflict")["score"] == -5.0
    assert _edge(graph, "JPN", "CHN", "neutral")["count"] == 1
    # one event with two targets adds to both pairs
    assert _edge(graph, "PHL", "USA", "cooperation")["score"] == 9.5
    assert _edge(graph, "PHL", "JPN", "cooperation")["score"] == 9.5


def test_network_leaves_out_flagged_and_out_of_window(graph, events, kb):
    assert "TWN" not in graph                    # hypothetical ASSAULT
    assert "UKR" not in graph                    # 2024, before since=2025-01
    assert "UKR" in build_network(events, memberships=False, kb=kb)
    assert "RUS" in graph                        # its 2025 patrol with China is inside
    assert set(build_network(events, until="2025-10", memberships=False, kb=kb)) == {"JPN", "USA", "RUS", "UKR"}


def test_network_nodes_named_from_knowledge_base(graph):
    assert graph.nodes["JPN"] == {"name": "Japan", "kind": "state"}
    assert graph.nodes["USA"]["kind"] == "state"


def test_network_membership_edges(events, kb):
    fixed = build_network(events, since="2025-01", members={"QUAD": {"JPN", "USA", "AUS", "IND"}}, kb=kb)
    assert _edge(fixed, "JPN", "QUAD", "member")["kind"] == "member"
    assert fixed.has_edge("USA", "QUAD", "member") and "AUS" not in fixed
    from_kb = build_network(events, since="2025-01", until="2025-12-31", kb=kb)
    assert from_kb.has_edge("USA", "NATO", "member")
    assert from_kb.has_edge("PHL", "ASEAN", "member")
    assert from_kb.nodes["NATO"]["kind"] == "org"
    assert not from_kb.has_edge("JPN", "NATO", "member")


def test_network_communities_and_bridges(graph):
    blocs = communities(graph)
    assert blocs == [{"JPN", "USA", "PHL"}, {"CHN", "RUS"}]
    coop = cooperation_graph(graph)
    assert coop["JPN"]["USA"]["weight"] == 16.0          # 12.0 one way + 4.0 the other
    # CHN links the Russian side to Japan and the Philippines: the top bridge
    found = bridges(graph)
    assert found[0]["actor"] == "CHN" and found[0]["communities"] == [0, 1]
    scores = centrality(graph)
    assert scores["CHN"]["betweenness"] > scores["USA"]["betweenness"]
    assert scores["JPN"]["degree"] == 0.75               # CHN, USA, PHL of 4 others


def test_network_no_cooperation_no_communities(events, kb):
    conflict_only = [e for e in events if e.type in ("COERCE", "ASSAULT")]
    assert communities(build_network(conflict_only, memberships=False, kb=kb)) == []


@pytest.mark.parametrize("suffix,reader", [
    ("graphml", lambda p: nx.read_graphml(p, force_multigraph=True)),
    ("gexf", nx.read_gexf),
])
def test_network_export_reads_back(events, tmp_path, suffix, reader, kb):
    graph = build_network(events, since="2025-01", until="2025-12-31", kb=kb)
    path = write_network(graph, tmp_path / f"net.{suffix}")
    back = reader(path)
    assert set(back.nodes) == set(graph.nodes)
    assert back.number_of_edges() == graph.number_of_edges()
    weights = sorted(d["weight"] for _, _, d in back.edges(data=True) if d["kind"] == "conflict")
    assert weights == sorted(d["weight"] for _, _, d in graph.edges(data=True) if d["kind"] == "conflict")


def test_network_json_for_the_web(graph, tmp_path):
    data = json.loads(write_network(graph, tmp_path / "net.json").read_text(encoding="utf-8"))
    assert {n["id"] for n in data["nodes"]} == set(graph.nodes)
    assert len(data["links"]) == graph.number_of_edges()
    assert network_json(graph)["links"][0].keys() >= {"source", "target", "kind", "weight"}


def test_network_bad_format_and_bounds(graph, tmp_path, events, kb):
    with pytest.raises(ConfigError, match="graphml"):
        write_network(graph, tmp_path / "net.dot")
    with pytest.raises(ConfigError, match="since"):
        build_network(events, since="Desember 2025", kb=kb)


@pytest.mark.parametrize("value,since,until,inside", [
    ("2025-12", "2025-12-05", None, True),
    ("2025", None, "2025-03", True),
    ("2025-11-30", "2025-12", None, False),
    (None, None, None, True),
    (None, "2025", None, False),
])
def test_network_in_window(value, since, until, inside):
    assert in_window(value, since, until) is inside


def test_network_formats_are_those_the_database_exports():
    """`aliansi.database` names the formats without importing networkx."""
    from aliansi import database
    from aliansi.network import FORMATS

    assert database.NETWORK_FORMATS == FORMATS
