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
from aliansi.store.migrations import MIGRATIONS
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


# Windows that cut through clusters: reports of one occurrence on both sides of a bound,
# dated more coarsely than it ("2025-12" against since 2025-12-05), undated ones left out.
WINDOWS = [("2025-12", None), (None, "2025-11"), ("2025-12-05", "2025-12-07"),
           ("2025-10-07", "2025-12"), ("2025", "2025-12-06")]


def _assert_counts_are_the_events_counts(location, *, pairs: int = 200) -> None:
    """The network and the dyads from the tables are those of the events (`Store.events`,
    reviews applied) counted in memory; within dates too."""
    with database.open(location) as db:
        for since, until in [(None, None), *WINDOWS]:
            events = db.store.events(since=since, until=until)
            cluster_of = db.store.cluster_ids(e.id for e in events)
            expected = build_network(events, since=since, until=until, kb=db.kb,
                                     scores=db.scores, cluster_of=cluster_of)
            got = db.network(since, until)
            assert _edges(got) == _edges(expected) and _edges(got), (since, until)
            actors = sorted({c for e in events for c in [*e.source, *e.target]})
            dyads = sorted({(min(s, t), max(s, t)) for e in events for s in e.source
                            for t in e.target if s != t})
            assert actors and dyads
            n = pairs if since is None and until is None else pairs // 4
            for a, b in [*((a, None) for a in actors[:n]), *dyads[:n],
                         *((b, a) for a, b in dyads[:n // 4])]:
                mine = db.store.events(**({"actor": a} if b is None else {"dyad": (a, b)}),
                                       since=since, until=until)
                for by in ("month", "year"):
                    tables = db.dyads(a, b, by=by, since=since, until=until)
                    for direction, table in zip(DIRECTIONS, tables):
                        reference = dyad(mine, a, b, by=by, scores=db.scores, direction=direction,
                                         cluster_of=db.store.cluster_ids(e.id for e in mine))
                        assert table.to_rows() == reference.to_rows(), \
                            (a, b, by, direction, since, until)


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
        return {**_tables(db), **{table: sorted(
            tuple(r) for r in db.execute(f"SELECT * FROM {table}").fetchall())
            for table in ("actor_events", "cluster_summary")}}
    with open_store(location) as store:
        kept = tables(store._db)
        with store._db.transaction():
            _undo_migration_20(store._db)
            for table in (*occurrences.TABLES, "actor_events"):
                store._db.execute(f"DROP TABLE {table}")
            store._db.execute("DELETE FROM migrations WHERE version >= 17")
    with open_store(location) as store:
        assert [m[0] for m in store.applied_migrations() if m[0] >= 17] == \
            list(range(17, max(MIGRATIONS) + 1))
        assert tables(store._db) == kept and all(kept.values())


def _undo_migration_22(db) -> None:
    """The schema as it was before migration 22."""
    for column in ("agents", "spans"):
        db.execute(f"ALTER TABLE events DROP COLUMN {column}")
    db.execute("CREATE INDEX event_actors_listed ON event_actors "
               "(event_id, role, actor, agent, sector)")
    db.execute('CREATE INDEX event_evidence_listed ON event_evidence '
               '(event_id, idx, "start", "end")')


def _undo_migration_20(db) -> None:
    """The schema as it was before migration 20."""
    _undo_migration_22(db)
    db.execute("DROP TABLE cluster_summary")
    for index in ("event_actors_listed", "event_evidence_listed", "articles_listed",
                  "event_clusters_members"):
        db.execute(f"DROP INDEX {index}")
    db.execute("CREATE INDEX event_clusters_cluster ON event_clusters (cluster_id)")


def test_a_store_of_schema_18_gets_the_days_of_its_occurrences(store_location, articles):
    """Migration 19 makes the occurrence tables anew with the days of their reports."""
    _ingest(store_location, *articles[:30], INQUIRER, ANTARA, KOMPAS)
    _cluster(store_location)
    with open_store(store_location) as store:
        kept = _tables(store._db)
        with store._db.transaction():
            _undo_migration_20(store._db)
            for table in occurrences.TABLES:       # as schema 18 had them
                for column in ("start_min", "start_max", "end_min", "end_max"):
                    store._db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
            store._db.execute("DELETE FROM migrations WHERE version >= 19")
    with open_store(store_location) as store:
        assert [m[0] for m in store.applied_migrations() if m[0] >= 19] == \
            list(range(19, max(MIGRATIONS) + 1))
        assert _tables(store._db) == kept and all(kept.values())


def test_an_occurrence_s_days_bound_its_reports_in_every_window(store_location, articles):
    """Windows of the tests cut through occurrences (some of their reports may be inside,
    some are not), so that the dated counts above read both the rows and the reports."""
    _ingest(store_location, *articles, INQUIRER, ANTARA, KOMPAS, VIETNAM, *OTHER_SIDES)
    _cluster(store_location)
    cut = []
    with open_store(store_location) as store:
        for since, until in WINDOWS:
            inside, touching, bounds = occurrences.window(since, until)
            cut.append(store._db.execute(f"SELECT COUNT(*) FROM occurrences WHERE NOT {inside} "
                                         f"AND {touching}", [*bounds, *bounds]).fetchone()[0])
            assert store._db.execute(f"SELECT COUNT(*) FROM occurrences WHERE {inside}",
                                     bounds).fetchone()[0] > 0, (since, until)
    assert sum(map(bool, cut)) >= 2, cut


def test_the_tables_hold_an_occurrence_its_actors_and_its_dyad(store_location):
    _ingest(store_location, INQUIRER, ANTARA, KOMPAS)
    _cluster(store_location)
    with open_store(store_location) as store:
        tables = _tables(store._db)
        (cluster,) = {c for c in store.cluster_ids(e.id for e in store.events(type="COERCE"))
                      .values()}
    # (occurrence, lead, type, mode, date, source, target, reports, outlets, and the
    # least and greatest first and last days of the reports)
    (water,) = [r for r in tables["occurrences"] if r[2] == "COERCE"]
    assert water[0] == cluster and water[2:] == ("COERCE", None, "2025-12-07", '["CHN"]',
                                                 '["PHL"]', 3, 3, *["2025-12-07"] * 4)
    first = ("COERCE", None, '["CHN"]', '["PHL"]')       # the report listed first states
    assert [r for r in tables["occurrence_actors"] if r[1] == cluster] == [
        ("CHN", *water, *first), ("PHL", *water, *first)]
    assert [r for r in tables["occurrence_dyads"] if r[2] == cluster] == [("CHN", "PHL", *water)]


DATES = [None, "2024", "2025", "2026", "2025-01", "2025-02", "2025-03", "2025-02-01",
         "2025-02-14", "2025-02-28", "2025-03-01", "2024-12-31"]


def test_an_occurrence_s_days_say_what_the_store_s_date_bounds_say():
    """A sort date is within [since, until] as `Store.events` bounds it (the SQL of
    `date_clauses`) exactly when its days are as `occurrences.window` compares them."""
    import sqlite3

    from aliansi.store.base import date_clauses

    db = sqlite3.connect(":memory:")
    bounds = [b for b in DATES if b]
    for since, until in [*((b, None) for b in bounds), *((None, b) for b in bounds),
                         *((s, u) for s in bounds for u in bounds)]:
        where, params = date_clauses("d", since, until)
        inside, touching, days = occurrences.window(since, until)
        for date in DATES:        # an occurrence of one report dated `date`
            first, last = occurrences.first_day(date), occurrences.last_day(date)
            assert db.execute(
                f"SELECT COALESCE({' AND '.join(where)}, 0) = {inside} AND {inside} = {touching} "
                "FROM (SELECT ? AS d, ? AS start_min, ? AS start_max, ? AS end_min, ? AS end_max)",
                [*params, *days, *days, *days, date, first, first, last, last]).fetchone()[0], \
                (date, since, until)


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
