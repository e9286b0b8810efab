"""The occurrence tables (migration 17) stay what a rebuild from the reports gives after
every write (ingest, clustering, re-ingest of a changed article, a renamed cluster,
reviews), and the network and dyads counted from them are those counted from the
events themselves, reviews applied; on SQLite and PostgreSQL."""
from __future__ import annotations

from pathlib import Path

import pytest

from aliansi import api, database
from aliansi.dyads import DIRECTIONS, dyad
from aliansi.network import build_network
from aliansi.store import occurrences, open_store
from test_clusters import ANTARA, INQUIRER, KOMPAS, SEPTEMBER, VIETNAM, WATER_CANNON, _article

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "dev" / "articles.jsonl"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def articles():
    return list(api.extract([DEV] if DEV.exists() else [SAMPLES]))


def _ingest(location, *articles):
    with open_store(location) as store:
        store.ingest(articles)


def _cluster(location):
    with database.open(location) as db:
        db.update_clusters()


def _tables(db) -> dict[str, list[tuple]]:
    return {table: sorted(tuple(r) for r in db.execute(f"SELECT * FROM {table}").fetchall())
            for table in occurrences.TABLES}


def _assert_current(location) -> None:
    """The tables as the writes left them are those rebuilt from the reports."""
    with open_store(location) as store:
        kept = _tables(store._db)
        with store._db.transaction():
            for table in occurrences.TABLES:
                store._db.execute(f"DELETE FROM {table}")
            occurrences.rebuild(store._db)
        assert _tables(store._db) == kept
        assert kept["occurrences"]


def _edges(graph):
    return {(u, v, k): d for u, v, k, d in graph.edges(keys=True, data=True)}


def _assert_counts_are_the_events_counts(location, *, pairs: int = 200) -> None:
    """The network and the dyads from the tables are those of the events (`Store.events`,
    reviews applied) counted in memory."""
    with database.open(location) as db:
        events = db.store.events()
        cluster_of = db.store.cluster_ids(e.id for e in events)
        expected = build_network(events, kb=db.kb, scores=db.scores, cluster_of=cluster_of)
        got = db.network()
        assert _edges(got) == _edges(expected) and _edges(got)
        actors = sorted({c for e in events for c in [*e.source, *e.target]})
        dyads = sorted({(min(s, t), max(s, t)) for e in events for s in e.source
                        for t in e.target if s != t})
        assert actors and dyads
        for a, b in [*((a, None) for a in actors[:pairs]), *dyads[:pairs],
                     *((b, a) for a, b in dyads[:pairs // 4])]:
            mine = db.store.events(actor=a) if b is None else db.store.events(dyad=(a, b))
            for by in ("month", "year"):
                tables = db.dyads(a, b, by=by)
                for direction, table in zip(DIRECTIONS, tables):
                    reference = dyad(mine, a, b, by=by, scores=db.scores, direction=direction,
                                     cluster_of=db.store.cluster_ids(e.id for e in mine))
                    assert table.to_rows() == reference.to_rows(), (a, b, by, direction)


def test_tables_follow_ingest_clustering_and_a_renamed_cluster(store_location, articles):
    _ingest(store_location, *articles, ANTARA, KOMPAS)
    _assert_current(store_location)             # every event its own occurrence
    _cluster(store_location)
    _assert_current(store_location)
    _ingest(store_location, INQUIRER, VIETNAM, SEPTEMBER)   # the earliest report: a new id
    _cluster(store_location)
    with database.open(store_location) as db:
        (cluster,) = [c for c in db.clusters() if "inquirer-1" in c.articles]
        assert cluster.articles[0] == "inquirer-1" and "antara-1" in cluster.articles
    _assert_current(store_location)
    _assert_counts_are_the_events_counts(store_location)


def test_tables_follow_the_re_ingest_of_a_changed_article(store_location, articles):
    _ingest(store_location, *articles, INQUIRER, ANTARA, KOMPAS)
    _cluster(store_location)
    changed = _article("antara-1", "Antara Baru", "2025-12-06", "id", [
        ("Ketegangan di Laut China Selatan kembali meningkat.", []),
        ("Kapal Penjaga Pantai China menembakkan meriam air ke arah kapal Filipina BRP "
         "Teresa Magbanua di dekat Beting Scarborough pada Minggu (7/12).",
         [dict(WATER_CANNON, location="Beting Scarborough")]),
    ])
    _ingest(store_location, changed)
    _assert_current(store_location)             # the cluster lost a report, not yet placed
    _assert_counts_are_the_events_counts(store_location, pairs=10)
    _cluster(store_location)
    _assert_current(store_location)
    _assert_counts_are_the_events_counts(store_location)


def test_counts_follow_reviews(store_location, articles):
    _ingest(store_location, *articles, INQUIRER, ANTARA, KOMPAS)
    _cluster(store_location)
    with database.open(store_location) as db:
        clusters = [c for c in db.clusters() if c.corroboration > 1]
        events = db.store.events()
        # the lead of a cluster wrong, another report moved to other actors, a date fixed
        db.store.review(clusters[0].members[0].event_id, "wrong", reviewer="ana")
        db.store.review(clusters[-1].members[-1].event_id, "corrected", reviewer="ana",
                        correction={"source": ["IDN"], "target": ["PHL"]})
        db.store.review(events[5].id, "corrected", reviewer="ana",
                        correction={"date": "2019-01", "type": "ASSAULT"})
        flagged = db.store.events(include_flagged=True)
        unflag = next(e for e in flagged if e.hypothetical or e.negated)
        db.store.review(unflag.id, "corrected", reviewer="ana",
                        correction={"hypothetical": False, "negated": False})
    _assert_current(store_location)             # reviews leave the tables alone
    _assert_counts_are_the_events_counts(store_location)


def test_reports_of_one_occurrence_with_other_actors_each_count_where_they_belong(
        store_location, articles):
    """A cluster whose reports name different actors (written by hand: clustering keeps
    one block of actors together) counts, for a dyad or an actor, the reports that name
    them, led by the first of those; an event with one side only counts nowhere."""
    _ingest(store_location, *articles, INQUIRER, ANTARA, KOMPAS, VIETNAM, SEPTEMBER, ONE_SIDED)
    _cluster(store_location)
    with open_store(store_location) as store:
        events = store.events()
        groups = [events[i:i + 3] for i in range(0, 30, 3)]
        store.write_cluster_rows((e.id, f"mixed-{n}", "2000-01-01T00:00:00+00:00")
                                 for n, group in enumerate(groups) for e in group)
        mixed = [r for r in store._db.execute(
            "SELECT occurrence FROM occurrence_actors GROUP BY occurrence "
            "HAVING COUNT(*) > 3").fetchall()]
        assert mixed
    _assert_current(store_location)
    _assert_counts_are_the_events_counts(store_location)


def test_a_store_of_schema_16_is_filled_by_the_migrations(store_location, articles):
    location = store_location
    _ingest(location, *articles[:30], INQUIRER, ANTARA, KOMPAS)
    _cluster(location)

    def tables(db):
        return {**_tables(db), "actor_events": sorted(
            tuple(r) for r in db.execute("SELECT * FROM actor_events").fetchall())}
    with open_store(location) as store:
        kept = tables(store._db)
        with store._db.transaction():
            for table in (*occurrences.TABLES, "actor_events"):
                store._db.execute(f"DROP TABLE {table}")
            store._db.execute("DELETE FROM migrations WHERE version >= 17")
    with open_store(location) as store:
        assert [m[0] for m in store.applied_migrations()][-2:] == [17, 18]
        assert tables(store._db) == kept and all(kept.values())


def test_the_tables_hold_an_occurrence_its_actors_and_its_dyad(store_location):
    _ingest(store_location, INQUIRER, ANTARA, KOMPAS)
    _cluster(store_location)
    with open_store(store_location) as store:
        tables = _tables(store._db)
        (cluster,) = {c for c in store.cluster_ids(e.id for e in store.events(type="COERCE"))
                      .values()}
    # (occurrence, lead, type, mode, date, source, target, reports, outlets)
    (water,) = [r for r in tables["occurrences"] if r[2] == "COERCE"]
    assert water[0] == cluster and water[2:] == ("COERCE", None, "2025-12-07", '["CHN"]',
                                                 '["PHL"]', 3, 3)
    first = ("COERCE", None, '["CHN"]', '["PHL"]')       # the report listed first states
    assert [r for r in tables["occurrence_actors"] if r[1] == cluster] == [
        ("CHN", *water, *first), ("PHL", *water, *first)]
    assert [r for r in tables["occurrence_dyads"] if r[2] == cluster] == [("CHN", "PHL", *water)]


def _one_event(id, published, sentence, **event):
    return _article(id, "Outlet " + id, published, "en", [(sentence, [event])])


# one cluster of reports naming other actors (written by hand), two reports of one day
# in one cluster, two reports of one event in no cluster
OTHER_SIDES = [_one_event("p-1", "2025-10-01", "Russian forces shelled Kharkiv.",
                          type="ASSAULT", source=["RUS"], target=["UKR"], date="2025-10-01"),
               _one_event("p-2", "2025-10-02", "Belarus shelled Ukraine.",
                          type="ASSAULT", source=["BLR"], target=["UKR"], date="2025-10-01")]
ONE_DAY = [_one_event("q-1", "2025-10-05", "China coerced Japan.",
                      type="COERCE", source=["CHN"], target=["JPN"], date="2025-10-05"),
           _one_event("q-2", "2025-10-05", "China coerced Korea.",
                      type="COERCE", source=["CHN"], target=["KOR"], date="2025-10-05")]
UNCLUSTERED = [_one_event(f"r-{n}", "2025-10-08", sentence, type="PROTEST", source=["PHL"],
                          target=["CHN"], date="2025-10-07")
               for n, sentence in ((1, "Manila protested to Beijing on Tuesday."),
                                   (2, "The Philippines lodged a diplomatic protest with China."))]


ONE_SIDED = _one_event("s-1", "2025-12-08", "Vietnam mobilised its coast guard.",
                       type="MOBILIZE", source=["VNM"], target=[], date="2025-12-08")


@pytest.mark.parametrize("filters", [{}, {"include_flagged": True}, {"since": "2025-12"}])
def test_a_brief_s_neighbourhood_is_the_first_report_of_each_of_its_items(
        store_location, articles, filters):
    """`build_brief` counts a dyad's neighbourhood from the occurrence tables and lean
    rows: what the first report of each unflagged item merged from the stored events of
    both actors states (sides in their stored order), counted, with reviews, events in
    no cluster and clusters whose reports name other actors."""
    from aliansi.brief import _edges as _brief_edges, _merge, _neighbourhood, _stated

    _ingest(store_location, *articles, INQUIRER, ANTARA, KOMPAS, VIETNAM, *OTHER_SIDES, *ONE_DAY)
    with database.open(store_location) as db:
        db.update_clusters()
        events = db.store.events()
        db.store.write_cluster_rows((e.id, f"mixed-{n // 3}", "2000-01-01T00:00:00+00:00")
                                    for n, e in enumerate(events[10:40]))
        for cluster, ids in (("sides", ["p-1", "p-2"]), ("day", ["q-1", "q-2"])):
            db.store.write_cluster_rows((e.id, cluster, "2000-01-01T00:00:00+00:00")
                                        for e in events if e.article_id in ids)
        _ingest(store_location, SEPTEMBER, *UNCLUSTERED)    # waiting for clustering
        db.store.review(events[0].id, "wrong", reviewer="ana")
        db.store.review(events[2].id, "corrected", reviewer="ana",
                        correction={"source": ["USA"], "target": ["CHN"], "negated": True})
        db.store.review(events[12].id, "corrected", reviewer="ana",
                        correction={"source": ["JPN"], "target": ["USA"]})
        for a, b in (("CHN", "PHL"), ("USA", "CHN"), ("JPN", "USA"), ("CHN", "USA"),
                     ("RUS", "BLR"), ("BLR", "RUS"), ("CHN", "KOR"), ("PHL", "VNM")):
            around = {e.id: e for code in (a, b) for e in db.store.events(actor=code, **filters)}
            items = _merge(around.values(), db.scores, db.store.cluster_ids(around))
            expected = [i.reports[0] for i in items if not i.flagged]
            got = _neighbourhood(db.store, (a, b), filters)
            assert got == _stated(expected) and expected, (a, b)
            assert _brief_edges(got, db.scores) == _drawn(build_network(
                expected, kb=db.kb, memberships=False, scores=db.scores)), (a, b)


def _drawn(graph):
    """A brief's edges as it drew them from the network's graph (before they were
    counted without networkx): {pair: [events, cooperation, conflict]}."""
    edges = {}
    for x, y, data in graph.edges(data=True):
        edge = edges.setdefault(frozenset((x, y)), [0, 0.0, 0.0])
        edge[0] += data["count"]
        edge[1 if data["score"] > 0 else 2] += data["score"]
    return edges
