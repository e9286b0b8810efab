"""Stored event clusters, updated incrementally as articles are ingested and re-ingested,
on real SQLite files and PostgreSQL schemas."""
from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import pytest

from aliansi import database
from aliansi.errors import StoreError
from aliansi.store import open_store
from builders import article_with_events


def _article(id, outlet, published, language, items):
    return article_with_events(id, published, language, items, outlet=outlet,
                               url=f"https://{outlet.lower().replace(' ', '')}.example/{id}")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEV_ARTICLES = SHARED / "gold" / "dev" / "articles.jsonl"


WATER_CANNON = dict(type="COERCE", source=["CHN"], target=["PHL"], date="2025-12-07")

INQUIRER = _article("inquirer-1", "Inquirer", "2025-12-07", "en", [
    ("A China Coast Guard ship fired water cannon at the Philippine fisheries vessel BRP "
     "Teresa Magbanua near Scarborough Shoal on Sunday, the Philippine Coast Guard said.",
     [dict(WATER_CANNON, location="Scarborough Shoal")]),
])
ANTARA = _article("antara-1", "Antara", "2025-12-08", "id", [
    ("Kapal Penjaga Pantai China menembakkan meriam air ke arah kapal Filipina BRP Teresa "
     "Magbanua di dekat Beting Scarborough pada Minggu (7/12).",
     [dict(WATER_CANNON, location="Beting Scarborough")]),
    ("Departemen Luar Negeri Filipina mengajukan protes diplomatik kepada China pada Senin (8/12).",
     [dict(type="PROTEST", source=["PHL"], target=["CHN"], date="2025-12-08")]),
])
KOMPAS = _article("kompas-1", "Kompas", "2025-12-10", "id", [
    ("China membela tindakan penjaga pantainya yang menembakkan meriam air ke kapal BRP Teresa "
     "Magbanua milik Filipina di Scarborough pada 7 Desember.",
     [dict(WATER_CANNON, location="Scarborough")]),
])
VIETNAM = _article("tuoitre-1", "Tuoi Tre", "2025-11-21", "en", [
    ("Chinese coast guard vessels fired water cannon at Vietnamese fishing boats near the "
     "Paracel Islands on Thursday.",
     [dict(type="COERCE", source=["CHN"], target=["VNM"], date="2025-11-20",
           location="Paracel Islands")]),
])
SEPTEMBER = _article("rappler-1", "Rappler", "2025-09-16", "en", [
    ("A China Coast Guard ship used water cannon on the Philippine vessel BRP Datu Gumbay "
     "Piang near Scarborough Shoal on Tuesday, injuring a crew member.",
     [dict(type="COERCE", source=["CHN"], target=["PHL"], date="2025-09-16",
           location="Scarborough Shoal")]),
])
HYPOTHETICAL = _article("detik-1", "Detik", "2025-12-09", "id", [
    ("Filipina akan mengerahkan kapal tambahan ke Scarborough jika China terus menembakkan "
     "meriam air.",
     [dict(type="MOBILIZE", source=["PHL"], target=["CHN"], hypothetical=True)]),
])


@pytest.fixture(scope="module")
def kb():
    from aliansi.kb import KnowledgeBase
    return KnowledgeBase.load()


def _ingest(location, *articles):
    with open_store(location) as store:
        return store.ingest(articles)


def _rows(db):
    return {r.event_id: (r.cluster_id, r.assigned_at, r.article_id)
            for r in db.store.cluster_rows()}


def _cluster_with(clusters, article_id, type="COERCE"):
    found = [c for c in clusters if c.type == type and article_id in c.articles]
    assert len(found) == 1, [c.to_dict() for c in clusters]
    return found[0]


def _age_rows(db):
    """Stamp every stored row with an old assigned_at, to see which rows get rewritten."""
    with db.store._db.transaction():
        db.store._db.execute("UPDATE event_clusters SET assigned_at = ?",
                             ["2000-01-01T00:00:00+00:00"])


def test_clusters_two_outlets_one_occurrence(store_location, kb):
    _ingest(store_location, INQUIRER, ANTARA)
    with database.open(store_location, kb=kb) as db:
        update = db.update_clusters()
        assert (update.assigned, update.created, update.grown) == (3, 2, 0)
        cluster = _cluster_with(db.clusters(), "antara-1")
        assert cluster.corroboration == 2 and cluster.date == "2025-12-07"
        assert [(m.article_id, m.outlet) for m in cluster.members] == [
            ("inquirer-1", "Inquirer"), ("antara-1", "Antara")]    # earliest report first
        assert cluster.members[1].url == "https://antara.example/antara-1"
        assert cluster.members[1].evidence.startswith("Kapal Penjaga Pantai China menembakkan")
        for member in cluster.members:
            assert db.corroboration(member.event_id) == 2
        protest = _cluster_with(db.clusters(), "antara-1", "PROTEST")
        assert db.corroboration(protest.members[0].event_id) == 1
        assert db.update_clusters().to_dict() == {"assigned": 0, "created": 0, "grown": 0,
                                                  "renamed": 0}


def test_clusters_two_stories_of_one_outlet_corroborate_nothing(store_location, kb):
    """Corroboration counts outlets: a second Inquirer story of the same incident is a
    second report, not a second source."""
    second = _article("inquirer-2", "Inquirer", "2025-12-08", "en", [
        ("Philippine officials said on Monday that China Coast Guard ships had fired water "
         "cannon at the fisheries vessel BRP Teresa Magbanua near Scarborough Shoal on Sunday.",
         [dict(WATER_CANNON, location="Scarborough Shoal")]),
    ])
    _ingest(store_location, INQUIRER, second, ANTARA)
    with database.open(store_location, kb=kb) as db:
        db.update_clusters()
        cluster = _cluster_with(db.clusters(), "inquirer-2")
        assert set(cluster.articles) == {"inquirer-1", "inquirer-2", "antara-1"}
        assert (cluster.reports, cluster.corroboration) == (3, 2)
        assert db.corroboration(cluster.members[0].event_id) == 2
        row = db.store._db.execute("SELECT corroboration, reports FROM clusters_readable "
                                   "WHERE cluster_id = ?", [cluster.id]).fetchone()
        assert (row["corroboration"], row["reports"]) == (2, 3)


def test_clusters_later_article_joins_incrementally(store_location, kb):
    _ingest(store_location, INQUIRER, ANTARA)
    with database.open(store_location, kb=kb) as db:
        db.update_clusters()
        _age_rows(db)
        before = _rows(db)
        _ingest(store_location, KOMPAS)
        update = db.update_clusters()
        assert (update.assigned, update.created, update.grown, update.renamed) == (1, 0, 1, 0)
        after = _rows(db)
        assert {k: v for k, v in after.items() if k in before} == before    # not rewritten
        cluster = _cluster_with(db.clusters(), "kompas-1")
        assert cluster.articles == ["inquirer-1", "antara-1", "kompas-1"]
        assert cluster.corroboration == 3 and cluster.id == before[cluster.members[0].event_id][0]


def test_clusters_earlier_article_renames_the_cluster(store_location, kb):
    _ingest(store_location, ANTARA, KOMPAS)
    with database.open(store_location, kb=kb) as db:
        db.update_clusters()
        _age_rows(db)
        old_id = _cluster_with(db.clusters(), "antara-1").id
        _ingest(store_location, INQUIRER)       # published a day before the others
        update = db.update_clusters()
        assert (update.assigned, update.grown, update.renamed) == (1, 1, 1)
        cluster = _cluster_with(db.clusters(), "inquirer-1")
        assert cluster.id != old_id and cluster.articles[0] == "inquirer-1"
        rows = _rows(db)
        assert {rows[m.event_id][0] for m in cluster.members} == {cluster.id}
        # the rows that moved keep the time they were first assigned
        assert [rows[m.event_id][1].startswith("2000-01-01") for m in cluster.members] == [
            False, True, True]


@pytest.mark.parametrize("prefix", [
    "",                                             # same spans: the event keeps its id
    "MANILA — Ketegangan di Laut China Selatan kembali meningkat. ",   # spans move: new id
], ids=["same-spans", "spans-moved"])
def test_clusters_reingested_article_joins_again(store_location, kb, prefix):
    _ingest(store_location, INQUIRER, ANTARA, KOMPAS)
    with database.open(store_location, kb=kb) as db:
        db.update_clusters()
        old_event = _cluster_with(db.clusters(), "antara-1").members[1].event_id
        changed = _article("antara-1", "Antara", "2025-12-08", "id", [
            *([(prefix.strip(), [])] if prefix else []),
            ("Kapal Penjaga Pantai China menembakkan meriam air ke arah kapal Filipina BRP "
             "Teresa Magbanua di dekat Beting Scarborough pada Minggu (7/12).",
             [dict(WATER_CANNON, location="Beting Scarborough")]),
            ("Insiden itu melukai sedikitnya tiga awak kapal, kata Penjaga Pantai Filipina.", []),
        ])
        assert _ingest(store_location, changed).replaced == 1
        assert old_event not in _rows(db)          # its rows went with its events
        assert {r[2] for r in _rows(db).values()} == {"inquirer-1", "kompas-1"}
        update = db.update_clusters()
        assert (update.assigned, update.created, update.grown) == (1, 0, 1)
        cluster = _cluster_with(db.clusters(), "antara-1")
        assert cluster.articles == ["inquirer-1", "antara-1", "kompas-1"]
        assert (cluster.members[1].event_id == old_event) == (not prefix)
        assert "melukai" not in cluster.members[1].evidence


@pytest.mark.parametrize("other", [VIETNAM, SEPTEMBER], ids=["other-target", "months-before"])
def test_clusters_distinct_event_stays_separate(store_location, kb, other):
    _ingest(store_location, INQUIRER, other, ANTARA)
    with database.open(store_location, kb=kb) as db:
        db.update_clusters()
        clusters = db.clusters(type="COERCE")
        assert sorted(c.corroboration for c in clusters) == [1, 2]
        assert _cluster_with(clusters, other.id).articles == [other.id]


def test_clusters_emptied_cluster_disappears(store_location, kb):
    _ingest(store_location, INQUIRER, VIETNAM)
    with database.open(store_location, kb=kb) as db:
        db.update_clusters()
        assert len(db.clusters()) == 2
        quiet = _article("tuoitre-1", "Tuoi Tre", "2025-11-21", "en", [
            ("Vietnam's fishermen returned to port on Thursday.", [])])
        _ingest(store_location, quiet)
        assert db.update_clusters().assigned == 0
        assert [c.articles for c in db.clusters()] == [["inquirer-1"]]


UNDATED = _article("tempo-1", "Tempo", "2025-12-10", "id", [
    ("Penjaga Pantai China menembakkan meriam air ke kapal Filipina BRP Teresa Magbanua di "
     "dekat Scarborough, menurut Manila.",
     [dict(type="COERCE", source=["CHN"], target=["PHL"], location="Scarborough")]),
])


def test_clusters_filters_and_flagged_events(store_location, kb):
    _ingest(store_location, INQUIRER, ANTARA, VIETNAM, HYPOTHETICAL, UNDATED)
    with database.open(store_location, kb=kb) as db:
        assert [c.articles for c in db.clusters(actor="VNM")] == [["tuoitre-1"]]
        december = db.clusters(since="2025-12")
        assert sorted(c.type for c in december) == ["COERCE", "PROTEST"]   # no flagged event
        # a filter picks clusters; each keeps all its reports, also those outside it
        assert [e.article_id for e in db.events(since="2025-12-10")] == ["tempo-1"]
        early = db.clusters(until="2025-12-07", type="COERCE")
        assert [c.articles for c in early] == [["tuoitre-1"], ["inquirer-1", "antara-1", "tempo-1"]]
        assert db.clusters(since="2025-12-10") == early[1:]
        flagged = db.events(include_flagged=True, type="MOBILIZE")[0]
        assert db.corroboration(flagged.id) == 1 and flagged.id not in _rows(db)
        with pytest.raises(StoreError, match="no event"):
            db.corroboration("no-such-event")


def test_clusters_read_only_store_places_new_events_in_memory(store_location, kb):
    _ingest(store_location, INQUIRER)
    with database.open(store_location, kb=kb) as db:
        db.update_clusters()
    _ingest(store_location, ANTARA)
    with database.open(store_location, read_only=True, kb=kb) as db:
        assert _cluster_with(db.clusters(), "antara-1").corroboration == 2
        assert {r[2] for r in _rows(db).values()} == {"inquirer-1"}    # nothing written
        with pytest.raises(StoreError, match="read-only"):
            db.update_clusters()


def test_clusters_readable_view(store_location, kb):
    _ingest(store_location, INQUIRER, ANTARA, VIETNAM)
    with database.open(store_location, kb=kb) as db:
        db.update_clusters()
        rows = db.store._db.execute(
            "SELECT cluster_id, type, source, target, date, location, corroboration, sources "
            "FROM clusters_readable ORDER BY corroboration DESC, cluster_id").fetchall()
        expected = {c.id: c for c in db.clusters()}
    assert len(rows) == 3
    top = rows[0]
    assert (top["type"], top["source"], top["target"], top["date"], top["corroboration"]) == (
        "COERCE", "CHN", "PHL", "2025-12-07", 2)
    assert top["sources"] == ("Inquirer https://inquirer.example/inquirer-1 | "
                              "Antara https://antara.example/antara-1")
    for row in rows:     # the view agrees with dedup's reading of each cluster
        cluster = expected[row["cluster_id"]]
        assert (row["date"], row["location"], row["corroboration"]) == (
            cluster.date, cluster.location, cluster.corroboration)


def test_clusters_readable_in_datasette(tmp_path, kb):
    datasette_app = pytest.importorskip("datasette.app", reason="datasette is not installed")
    path = tmp_path / "c.db"
    _ingest(path, INQUIRER, KOMPAS)
    with database.open(path, kb=kb) as db:
        db.update_clusters()
    ds = datasette_app.Datasette([str(path)])

    async def fetch():
        await ds.invoke_startup()
        clusters = await ds.client.get("/c/clusters_readable.json?_shape=array")
        members = await ds.client.get("/c/cluster_members.json?_shape=array")
        return clusters, members

    clusters, members = asyncio.run(fetch())
    assert clusters.status_code == 200 and members.status_code == 200
    assert [(r["type"], r["corroboration"]) for r in clusters.json()] == [("COERCE", 2)]
    assert {r["outlet"] for r in members.json()} == {"Inquirer", "Kompas"}


def test_clusters_dev_articles_through_the_pipeline(store_location, kb, tmp_path):
    if not DEV_ARTICLES.exists():
        pytest.skip(f"{DEV_ARTICLES} is absent: the shared dev set sits beside the repo only "
                    f"for developers and CI")
    from aliansi import api

    lines = DEV_ARTICLES.read_text(encoding="utf-8").splitlines(keepends=True)
    parts = [tmp_path / "odd.jsonl", tmp_path / "even.jsonl"]   # two batches, interleaved
    parts[0].write_text("".join(lines[::2]), encoding="utf-8")
    parts[1].write_text("".join(lines[1::2]), encoding="utf-8")

    # each ingest places its new events in clusters (api.ingest runs the update)
    first = api.ingest([parts[0]], store_location)
    second = api.ingest([parts[1]], store_location)
    with database.open(store_location, kb=kb) as db:
        assert db.update_clusters().assigned == 0          # nothing left to place
        clusters = db.clusters()
        events = db.events()
    update = second.clusters
    assert first.clusters.assigned > 0 and update.assigned > 0
    assert sum(c.corroboration for c in clusters) <= len(events)
    assert {m.event_id for c in clusters for m in c.members} == {e.id for e in events}
    for cluster in clusters:
        docs = [m.article_id for m in cluster.members]
        assert len(docs) == len(set(docs)), f"two events of one article merged: {cluster.to_dict()}"
    # each pair of articles the gold says report one story shares a cluster
    multi = [set(c.articles) for c in clusters if c.corroboration > 1]
    pairs = [line.split("\t")[:2] for line in (SHARED / "gold" / "dev" / "SAME_EVENT.tsv")
             .read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    for a, b in pairs:
        assert any({a, b} <= docs for docs in multi), (a, b)
    assert all(len(docs) <= 3 for docs in multi)
    assert not any(set(p) <= docs for p in itertools.combinations(
        ["dev_en_02", "dev_id_02", "dev_en_05"], 2) for docs in multi)   # different stories


def _dev_store(location):
    if not DEV_ARTICLES.exists():
        pytest.skip(f"{DEV_ARTICLES} is absent: the shared dev set sits beside the repo only "
                    f"for developers and CI")
    from aliansi import api
    with open_store(location) as store:
        store.ingest(api.extract([DEV_ARTICLES]))


def _grouping(db):
    """The clusters as sets of events (ids of clusters aside)."""
    groups = {}
    for r in db.store.cluster_rows():
        groups.setdefault(r.cluster_id, set()).add(r.event_id)
    return sorted(sorted(g) for g in groups.values())


def test_clusters_placed_in_steps_as_in_one(tmp_path, kb, monkeypatch):
    whole, steps = tmp_path / "whole.db", tmp_path / "steps.db"
    for location in (whole, steps):
        _dev_store(location)
    with database.open(whole, kb=kb) as db:
        db.update_clusters()
        expected = _grouping(db)
    monkeypatch.setattr(database, "CLUSTER_STEP", 7)
    with database.open(steps, kb=kb) as db:
        update = db.update_clusters()
        assert _grouping(db) == expected
        assert update.assigned == sum(len(g) for g in expected)


def test_clusters_a_killed_update_resumes_where_it_stopped(tmp_path, kb, monkeypatch):
    """The steps written before a crash stay; the next update places only the rest
    and ends with the clusters of a run that was never interrupted."""
    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    for location in (clean, killed):
        _dev_store(location)
    with database.open(clean, kb=kb) as db:
        db.update_clusters()
        expected = _grouping(db)
    monkeypatch.setattr(database, "CLUSTER_STEP", 10)
    written = []
    original = database.Store.write_cluster_rows

    def dies_after_two_steps(store, rows):
        if len(written) == 2:
            raise KeyboardInterrupt     # as a kill between two commits
        written.append(len(rows))
        original(store, rows)

    monkeypatch.setattr(database.Store, "write_cluster_rows", dies_after_two_steps)
    with database.open(killed, kb=kb) as db:
        with pytest.raises(KeyboardInterrupt):
            db.update_clusters()
        kept = len(db.store.cluster_rows())
    assert kept == sum(written) > 0
    monkeypatch.setattr(database.Store, "write_cluster_rows", original)
    with database.open(killed, kb=kb) as db:
        resumed = db.update_clusters()
        assert _grouping(db) == expected
    assert resumed.assigned == sum(len(g) for g in expected) - kept


def _cluster_ids_follow_their_earliest_report(db):
    """Every cluster's id is its earliest report's (`dedup.EventCluster._refresh`)."""
    import hashlib

    members = {}
    for r in db.store.cluster_rows():
        members.setdefault(r.cluster_id, []).append(r.event_id)
    assert members
    for cluster_id, ids in members.items():
        events = db.store.cluster_events(ids)
        first = min(events, key=lambda e: (e.published or "9999", e.article_id, e.id))
        assert cluster_id == "ev-" + hashlib.sha256(first.id.encode()).hexdigest()[:16]


def test_ingest_places_the_events_while_the_articles_come(store_location, kb, monkeypatch):
    """`Database.ingest` clusters as it stores: when the next article is asked for, the
    events of those before it are placed; the clusters are those of one update after."""
    monkeypatch.setattr(database, "CLUSTER_EVERY", 1)
    monkeypatch.setattr(database.Store, "BATCH", 1)
    articles = [SEPTEMBER, INQUIRER, ANTARA, KOMPAS, VIETNAM, HYPOTHETICAL]
    waiting = []

    def stream():
        for article in articles:
            with open_store(store_location, read_only=True) as reader:
                waiting.append((len(reader.cluster_queue()), len(reader.cluster_rows())))
            yield article

    with database.open(store_location, kb=kb) as db:
        report = db.ingest(stream())
        grouping = _grouping(db)
        _cluster_ids_follow_their_earliest_report(db)
    # nothing left waiting when the next article is asked for; placed one by one
    assert [queued for queued, _ in waiting] == [0] * len(articles)
    assert [placed for _, placed in waiting] == [0, 1, 2, 4, 5, 6]
    assert (report.added, report.clusters.assigned) == (6, 6)
    with open_store(store_location) as store:
        store._db.execute("DELETE FROM event_clusters")
    with database.open(store_location, kb=kb) as db:
        db.store._db.execute("INSERT INTO cluster_queue (event_id) SELECT id FROM events "
                             "WHERE NOT hypothetical AND NOT negated ON CONFLICT DO NOTHING")
        assert db.update_clusters().assigned == 6
        assert _grouping(db) == grouping


def test_ingest_replacing_a_clustered_article_within_one_run(store_location, kb, monkeypatch):
    """An article stored, clustered, then replaced later in the same run (a newer
    version, now published after the other report): its cluster is read again, and ends
    as a fresh store's would, named after its new earliest report."""
    monkeypatch.setattr(database, "CLUSTER_EVERY", 1)
    monkeypatch.setattr(database.Store, "BATCH", 1)
    newer = _article("inquirer-1", "Inquirer", "2025-12-09", "en", [
        ("A China Coast Guard ship fired water cannon at the Philippine fisheries vessel "
         "BRP Teresa Magbanua near Scarborough Shoal on Sunday, the coast guard said.",
         [dict(WATER_CANNON, location="Scarborough Shoal")]),
    ])
    with database.open(store_location, kb=kb) as db:
        report = db.ingest([INQUIRER, ANTARA, newer])
        assert (report.added, report.replaced) == (2, 1)
        grouping = _grouping(db)
        _cluster_ids_follow_their_earliest_report(db)
        assert not db.store.cluster_queue()
        cannon = _cluster_with(db.clusters(), "antara-1")
        assert cannon.articles == ["antara-1", "inquirer-1"]
    with open_store(store_location) as store:
        with store._db.transaction():
            for table in ("event_clusters", "cluster_queue", "articles"):
                store._db.execute(f"DELETE FROM {table}")
    with database.open(store_location, kb=kb) as db:
        db.store.ingest([ANTARA, newer])
        db.update_clusters()
        assert _grouping(db) == grouping


@pytest.fixture(scope="module")
def dev_articles():
    if not DEV_ARTICLES.exists():
        pytest.skip(f"{DEV_ARTICLES} is absent: the shared dev set sits beside the repo only "
                    f"for developers and CI")
    from aliansi import api
    return list(api.extract([DEV_ARTICLES]))


def _pairs(location):
    with open_store(location, read_only=True) as store:
        return sorted((r.event_id, r.cluster_id) for r in store.cluster_rows())


def _three_reports():
    """Three reports of one water cannon incident whose clusters depend on the order
    they are placed in: the first two agree, the third agrees with the first only (its
    date is four days from the second's, the window is three). Placed together (in the
    order of publication: third, first, second), the third and the first make a cluster
    and the second one of its own; the first two placed before the third, they make one
    and the third its own."""
    sentence = ("A China Coast Guard ship fired water cannon at the Philippine fisheries "
                "vessel BRP Teresa Magbanua near Scarborough Shoal{}, the coast guard said.")
    return [_article(id, outlet, published, "en", [
        (sentence.format(when), [dict(WATER_CANNON, date=date, location="Scarborough Shoal")])])
        for id, outlet, published, date, when in (
            ("order-a", "Inquirer", "2025-12-07", "2025-12-07", " on Sunday"),
            ("order-b", "Rappler", "2025-12-10", "2025-12-09", " on Tuesday"),
            ("order-c", "Manila Times", "2025-12-05", "2025-12-04", " on Thursday"))]


def _input(dev_articles):
    """The dev articles with the three reports at positions 3, 4 and 5."""
    return [*dev_articles[:3], *_three_reports(), *dev_articles[3:], SEPTEMBER, KOMPAS]


def test_ingest_clusters_depend_on_the_input_not_on_its_batches(tmp_path, kb, dev_articles,
                                                                monkeypatch):
    """Updates every few articles of the input: the same clusters whether the articles
    come one to a transaction or seven (what the time a batch waits can change), though
    a transaction of seven holds the three reports whose clusters depend on the order
    they are placed in: each update places the events of its articles only."""
    monkeypatch.setattr(database, "CLUSTER_EVERY", 5)
    monkeypatch.setattr(database, "CLUSTER_STEP", 7)
    articles = _input(dev_articles)
    found = []
    for batch in (1, 7):
        monkeypatch.setattr(database.Store, "BATCH", batch)
        with database.open(tmp_path / f"batch{batch}.db", kb=kb) as db:
            update = db.ingest(articles)
        found.append((_pairs(tmp_path / f"batch{batch}.db"), update.clusters.to_dict()))
    assert found[0] == found[1]
    assert found[0][1]["grown"] > 0 and len(found[0][0]) > 100
    with database.open(tmp_path / "batch7.db", kb=kb) as db:
        first = _cluster_with(db.clusters(), "order-a")
        assert "order-b" in first.articles and "order-c" not in first.articles


@pytest.mark.parametrize("dies", ["while storing", "while clustering"])
def test_ingest_interrupted_and_run_again_ends_as_a_clean_run(tmp_path, kb, dev_articles,
                                                              monkeypatch, dies):
    monkeypatch.setattr(database, "CLUSTER_EVERY", 5)
    monkeypatch.setattr(database, "CLUSTER_STEP", 7)
    monkeypatch.setattr(database.Store, "BATCH", 3)
    articles = _input(dev_articles)
    with database.open(tmp_path / "clean.db", kb=kb) as db:
        db.ingest(articles)

    def until_killed():
        for i, article in enumerate(articles):
            if i == 7 and dies == "while storing":
                raise KeyboardInterrupt     # as a kill: stored articles 5 and 6 wait
            yield article

    original, written = database.Store.write_cluster_rows, []

    def dies_in_the_fourth_step(store, rows):
        if len(written) == 3 and dies == "while clustering":
            raise KeyboardInterrupt
        written.append(len(rows))
        original(store, rows)

    monkeypatch.setattr(database.Store, "write_cluster_rows", dies_in_the_fourth_step)
    with database.open(tmp_path / "killed.db", kb=kb) as db:
        with pytest.raises(KeyboardInterrupt):
            db.ingest(until_killed())
    monkeypatch.setattr(database.Store, "write_cluster_rows", original)
    kept = _pairs(tmp_path / "killed.db")
    assert kept and len(kept) < len(_pairs(tmp_path / "clean.db"))
    with database.open(tmp_path / "killed.db", kb=kb) as db:
        db.ingest(articles)
    assert _pairs(tmp_path / "killed.db") == _pairs(tmp_path / "clean.db")
