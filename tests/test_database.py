"""The database API over a real SQLite store: events, dyads, actors, network, clusters, export."""
from __future__ import annotations

import json

import networkx as nx
import pytest

from aliansi import database
from aliansi.errors import ConfigError
from aliansi.model import EVENT_TYPES, Person
from aliansi.store import open_store
from builders import article_with_events


def _article(id, published, language, items, persons=()):
    return article_with_events(id, published, language, items, persons=persons,
                               outlet=id.split("-")[0], url=f"https://news.example/{id}")


ARTICLES = [
    _article("kyodo-20251207", "2025-12-07", "en", [
        ("Japan lodged a strong protest with China on Sunday after Chinese fighter jets locked "
         "their fire-control radar onto Japanese F-15s near Okinawa, Defence Minister Shinjiro "
         "Koizumi said.",
         [dict(type="PROTEST", source=["JPN"], target=["CHN"], date="2025-12-07"),
          dict(type="COERCE", source=["CHN"], target=["JPN"], date="2025-12-06",
               location="Okinawa")]),
        ("U.S. Ambassador George Glass said Washington stands firmly with Japan.",
         [dict(type="SUPPORT", source=["USA"], target=["JPN"])]),
    ], persons=[Person("Shinjiro Koizumi", "JPN", "Minister of Defense"),
                Person("George Glass", "USA", "Ambassador")]),
    _article("antara-20251208", "2025-12-08", "id", [
        ("Jet tempur China mengunci radar pengendali tembakan ke pesawat F-15 Jepang di dekat "
         "Okinawa pada Sabtu (6/12), kata Menteri Pertahanan Shinjiro Koizumi.",
         [dict(type="COERCE", source=["CHN"], target=["JPN"], date="2025-12-06",
               location="Okinawa")]),
        ("Perdana Menteri Jepang Sanae Takaichi dan Presiden AS Donald Trump membahas insiden "
         "itu melalui telepon pada Senin (8/12).",
         [dict(type="CONSULT", mode="phone", source=["JPN"], target=["USA"], date="2025-12-08")]),
        ("Jepang akan memperkuat patroli udara jika provokasi berlanjut.",
         [dict(type="MOBILIZE", source=["JPN"], target=["CHN"], hypothetical=True)]),
    ], persons=[Person("Shinjiro Koizumi", "JPN", "Minister of Defense"),
                Person("Sanae Takaichi", "JPN", "Prime Minister"),
                Person("Donald Trump", "USA", "President")]),
]


@pytest.fixture(scope="module")
def kb():
    from aliansi.kb import KnowledgeBase
    return KnowledgeBase.load()


@pytest.fixture
def db(tmp_path, kb):
    path = tmp_path / "events.db"
    with open_store(path) as store:
        store.ingest(ARTICLES)
    with database.open(path, kb=kb) as opened:
        yield opened


def test_database_events_delegate_to_store(db):
    assert len(db.events()) == 5
    assert len(db.events(include_flagged=True)) == 6
    assert {e.type for e in db.events(dyad=("JPN", "CHN"))} == {"PROTEST", "COERCE"}
    assert [e.type for e in db.events(type="CONSULT")] == ["CONSULT"]


def test_database_dyad(db):
    rows = {r["period"]: r for r in db.dyad("JPN", "CHN", by="month").to_rows()}
    # 2025-12: PROTEST -5 + COERCE -7 + COERCE -7 = conflict 19 over 3 events
    assert (rows["2025-12"]["events"], rows["2025-12"]["conflict"], rows["2025-12"]["COERCE"]) == (3, 19.0, 2)
    japan = {r["period"]: r for r in db.dyad("JPN", by="year").to_rows()}
    # 2025: the three above and the phone CONSULT +1.5; SUPPORT +5 is undated
    assert (japan["2025"]["cooperation"], japan["2025"]["net"]) == (1.5, -17.5)
    assert japan["undated"]["SUPPORT"] == 1
    g7 = {r["period"]: r for r in db.dyad("G7", "CHN", by="month", rollup={"G7"}).to_rows()}
    assert g7["2025-12"]["events"] == 3            # Japan is a G7 member


def test_database_actor_profile(db):
    japan = db.actor("JPN")
    assert (japan.name, japan.kind) == ("Japan", "state")
    assert {"G7", "QUAD"} <= set(japan.memberships) and japan.members == []
    assert japan.events == 5 and japan.counts["COERCE"] == 2 and japan.counts["MOBILIZE"] == 0
    assert list(japan.counts) == list(EVENT_TYPES)
    assert japan.partners[0] == {"actor": "CHN", "events": 3, "cooperation": 0.0, "conflict": 19.0}
    assert {p["actor"] for p in japan.partners} == {"CHN", "USA"}
    assert japan.persons[0] == {"name": "Shinjiro Koizumi", "role": "Minister of Defense", "articles": 2}
    assert "Donald Trump" not in {p["name"] for p in japan.persons}
    assert "JPN" in db.actor("QUAD").members
    assert json.loads(json.dumps(japan.to_dict()))["code"] == "JPN"


def test_database_network_and_clusters(db):
    graph = db.network(since="2025-12")
    # CHN -> JPN: two reports of the radar lock-on, 2 x -7
    assert graph.edges["CHN", "JPN", "conflict"]["score"] == -14.0
    assert graph.has_edge("JPN", "G7", "member")
    clusters = db.clusters()
    radar = [c for c in clusters if c.type == "COERCE"]
    assert len(radar) == 1 and radar[0].corroboration == 2 and radar[0].date == "2025-12-06"
    assert sum(c.corroboration for c in clusters) == 5


@pytest.mark.parametrize("format", ["jsonl", "csv", "parquet"])
def test_database_export_events_load_in_pandas(db, tmp_path, format):
    pd = pytest.importorskip("pandas", reason="pandas not installed")
    if format == "parquet":
        pytest.importorskip("pyarrow", reason="pyarrow not installed")
    path = db.export(tmp_path / f"events.{format}")
    frame = {"jsonl": lambda p: pd.read_json(p, lines=True), "csv": pd.read_csv,
             "parquet": pd.read_parquet}[format](path)
    assert len(frame) == 5
    assert sorted(frame["type"]) == ["COERCE", "COERCE", "CONSULT", "PROTEST", "SUPPORT"]
    assert set(frame.loc[frame["type"] == "PROTEST", "article_id"]) == {"kyodo-20251207"}
    if format == "csv":
        assert set(frame["source"]) == {"JPN", "CHN", "USA"}
    else:
        assert list(frame.loc[frame["type"] == "SUPPORT", "source"].iloc[0]) == ["USA"]


def test_database_export_filters(db, tmp_path):
    path = db.export(tmp_path / "flagged.jsonl", include_flagged=True, actor="JPN")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 6 and any(r["hypothetical"] for r in rows)


@pytest.mark.parametrize("name,format,reader", [
    ("net.graphml", None, lambda p: nx.read_graphml(p, force_multigraph=True)),
    ("net.gexf", None, nx.read_gexf),
    ("net.xml", "graphml", lambda p: nx.read_graphml(p, force_multigraph=True)),
])
def test_database_export_network(db, tmp_path, name, format, reader):
    graph = reader(db.export(tmp_path / name, format))
    assert {"JPN", "CHN", "USA"} <= set(graph.nodes)


def test_database_export_network_json(db, tmp_path):
    data = json.loads(db.export(tmp_path / "net.json").read_text(encoding="utf-8"))
    assert {"nodes", "links"} <= set(data)


@pytest.mark.parametrize("name,kwargs,match", [
    ("events.xlsx", {}, "xlsx"),
    ("events", {}, "export"),
    ("net.graphml", {"actor": "JPN"}, "since and until"),
])
def test_database_export_errors(db, tmp_path, name, kwargs, match):
    with pytest.raises(ConfigError, match=match):
        db.export(tmp_path / name, **kwargs)
