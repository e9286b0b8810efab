"""Lean listings (`store.listing`): the items of `Store.iter_listed` and lean clusters,
and the lines and files that `aliansi events`, `clusters` and `export` make of them, are
what StoredEvents and EventClusters give, on real SQLite files and PostgreSQL schemas.
The store holds the pipeline's articles (agents named by sector, clusters), a hand-built
article (unicode, several evidence spans, an event with no agents, no dates, flags) and
reviews (right, wrong, corrected)."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from aliansi import database
from aliansi.cli import EVENT_COLUMNS, cli
from aliansi.model import Article, Event, Sentence
from aliansi.store import open_store
from aliansi.store.listing import listed_cluster
from webcorpus import stored

TEXT = ("Menteri Luar Negeri Jepang bertemu Menteri Luar Negeri Indonesia di Jakarta — "
        "«pertemuan yang baik», kata Sugiono. Pasukan China menembakkan meriam air ke kapal "
        "Filipina. Vietnam a protesté auprès de la Chine à propos de l'incident ☂.")


def _unicode_article() -> Article:
    """Three events: one with two evidence spans and agents (one with a sector), one with
    no agents and no date in an article without a published date, one negated."""
    cut = [i + 1 for i, ch in enumerate(TEXT) if ch == "."][:3]
    spans = [(0, cut[0]), (cut[0] + 1, cut[1]), (cut[1] + 1, cut[2])]
    sentences = [Sentence(a, b, TEXT[a:b]) for a, b in spans]
    events = [
        Event(type="CONSULT", source=["JPN"], target=["IDN"], evidence=sentences[0].text,
              evidence_spans=[(0, 26), (35, 66)], date="2025-11-20", date_precision="day",
              context=["diplomatic"], location="Jakarta", location_country="IDN",
              source_agents=[{"actor": "JPN", "agent": "Menteri Luar Negeri Jepang",
                              "sector": "government"}],
              target_agents=[{"actor": "IDN", "agent": "Menteri Luar Negeri Indonésia",
                              "sector": None}]),
        Event(type="COERCE", source=["CHN"], target=["PHL"], evidence=sentences[1].text,
              evidence_spans=[spans[1]]),
        Event(type="PROTEST", source=["VNM"], target=["CHN"], evidence=sentences[2].text,
              evidence_spans=[spans[2]], negated=True, date="2025-11",
              date_precision="month"),
    ]
    return Article(text=TEXT, id="uji-ünicode-1", published=None, language="id",
                   outlet="Berita Ü", url="https://berita.example/ü", title="Jepang — «Indonesia»",
                   sentences=sentences, events=events)


@pytest.fixture
def location(store_location):
    stored(store_location)
    with open_store(store_location) as store:
        store.ingest([_unicode_article()])
        events = store.events(include_flagged=True)
        by_type = {}
        for e in events:
            by_type.setdefault(e.type, []).append(e)
        store.review(by_type["CONSULT"][0].id, "corrected", reviewer="ana",
                     correction={"date": "2019-05-01", "source": ["IDN", "JPN"]})
        store.review(by_type["AGREE"][0].id, "wrong", reviewer="ana")
        store.review(by_type["COERCE"][0].id, "right", reviewer="ana")
        assert any(e.source_agents and any(a["sector"] for a in e.source_agents + e.target_agents)
                   for e in events)
        assert any(len(e.evidence_spans) > 1 for e in events)
    return store_location


FILTERS = [{}, {"include_flagged": True}, {"actor": "JPN"}, {"actor": "CHN"},
           {"type": "CONSULT"}, {"sector": "government"}, {"since": "2025-11"},
           {"review": "all"}, {"review": "corrected"}]


def test_listing_records_are_stored_events_as_dicts(location):
    with open_store(location, read_only=True) as store:
        for filters in FILTERS:
            expected = [e.to_dict() for e in store.events(**filters)]
            assert expected or filters == {"review": "corrected"}
            for size in (1, 2, 1000):
                batches = list(store.iter_listed("record", batch=size, **filters))
                assert [d for b in batches for d in b] == expected, (filters, size)
                assert all(batches) and all(len(b) <= size + 1 for b in batches)


def test_listing_table_items_are_stored_events_lean(location):
    with open_store(location, read_only=True) as store:
        for filters in FILTERS:
            expected = [(e.id, e.article_id, e.date, e.type,
                         tuple((a["actor"], a["sector"]) for a in e.source_agents),
                         tuple((a["actor"], a["sector"]) for a in e.target_agents),
                         e.hypothetical, e.negated, e.evidence) for e in store.events(**filters)]
            for size in (1, 1000):
                listed = [tuple(item)[:-1] for b in store.iter_listed("table", batch=size,
                                                                       **filters) for item in b]
                assert listed == expected, (filters, size)


def _run(*args) -> tuple[str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout, result.stderr


def _side(agents):
    return ",".join(a["actor"] + (f"/{a['sector']}" if a.get("sector") else "") for a in agents)


def test_listing_events_command_prints_the_stored_events(location):
    """`aliansi events` in its three formats, as it printed StoredEvents."""
    for options, filters in (([], {}), (["--flagged"], {"include_flagged": True}),
                             (["--sector", "government"], {"sector": "government"})):
        with open_store(location, read_only=True) as store:
            events = store.events(**filters)
        table = "".join(
            f"{e.date or '????-??-??':10}  {e.type:9} {_side(e.source_agents)} → "
            f"{_side(e.target_agents)}{' (hypothetical)' if e.hypothetical else ''}"
            f"{' (negated)' if e.negated else ''}\n            “{e.evidence}”  [{e.article_id}]\n"
            for e in events)
        assert _run("events", *options, "--db", location) == (table, f"{len(events)} events\n")
        lines = "".join(json.dumps(e.to_dict(), ensure_ascii=False) + "\n" for e in events)
        assert _run("events", *options, "--format", "jsonl", "--db", location)[0] == lines
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=EVENT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for e in events:
            d = e.to_dict()
            writer.writerow({**d, "source": " ".join(d["source"]), "target": " ".join(d["target"]),
                             **{f"{role}_sectors": ";".join(a["sector"] or "" for a in d[f"{role}_agents"])
                                for role in ("source", "target")}})
        # (click's runner reads the CSV's "\r\n" as "\n")
        assert _run("events", *options, "--format", "csv", "--db", location)[0] == \
            out.getvalue().replace("\r\n", "\n")


def _exported(events, cluster_of) -> list[dict]:
    rows = []
    for e in events:
        row = e.to_dict()
        for role in ("source", "target"):
            agents = row.pop(f"{role}_agents")
            row[f"{role}_agents"] = [a.get("agent") or "" for a in agents]
            row[f"{role}_sectors"] = [a.get("sector") or "" for a in agents]
        row["occurrence"] = cluster_of.get(e.id, e.id)
        rows.append(row)
    return rows


def test_listing_export_writes_the_stored_events(location, tmp_path):
    """`aliansi export` (JSON lines, CSV) as it wrote StoredEvents with their clusters."""
    from aliansi.database import _COLUMNS, _LIST_COLUMNS

    for options, filters in (([], {}), (["--actor", "JPN"], {"actor": "JPN"}),
                             (["--flagged"], {"include_flagged": True})):
        with open_store(location, read_only=True) as store:
            events = store.events(**filters)
            cluster_of = store.cluster_ids(e.id for e in events)
        assert cluster_of
        _run("export", *options, "-o", str(tmp_path / "x.jsonl"), "--db", location)
        assert (tmp_path / "x.jsonl").read_text(encoding="utf-8") == "".join(
            json.dumps(row, ensure_ascii=False) + "\n" for row in _exported(events, cluster_of))
        _run("export", *options, "-o", str(tmp_path / "x.csv"), "--db", location)
        out = io.StringIO(newline="")
        writer = csv.DictWriter(out, fieldnames=_COLUMNS)
        writer.writeheader()
        for row in _exported(events, cluster_of):
            for key in _LIST_COLUMNS:
                row[key] = ";".join(row[key])
            row["evidence_spans"] = json.dumps(row["evidence_spans"])
            writer.writerow(row)
        with open(tmp_path / "x.csv", encoding="utf-8", newline="") as written:
            assert written.read() == out.getvalue()


def test_listing_clusters_are_the_event_clusters_lean(location):
    """Lean clusters (`iter_clusters(lean=True)`) and the table of `aliansi clusters`
    are the EventClusters, in their order, reviewed clusters included."""
    with database.open(location) as db:
        db.update_clusters()
        for filters in ({}, {"actor": "JPN"}, {"actor": "CHN"}, {"type": "CONSULT"},
                        {"since": "2025-11"}):
            for by_corroboration, min_sources in ((False, 1), (True, 1), (True, 2)):
                clusters = list(db.iter_clusters(**filters, by_corroboration=by_corroboration,
                                                 min_sources=min_sources))
                lean = list(db.iter_clusters(**filters, by_corroboration=by_corroboration,
                                             min_sources=min_sources, lean=True))
                assert lean == [listed_cluster(c) for c in clusters]
        clusters = list(db.iter_clusters(by_corroboration=True))
    assert any(len(c.members) > 1 for c in clusters)
    table = "".join(
        f"{c.date or '????-??-??':10}  {c.type:9} {','.join(c.source)} → {','.join(c.target)}"
        f"  ({c.corroboration} source{'s' if c.corroboration != 1 else ''})\n"
        + "".join(f"            [{m.article_id}] “{m.evidence}”\n" for m in c.members)
        for c in clusters)
    assert _run("clusters", "--db", location) == (table, f"{len(clusters)} clusters\n")


def test_listing_a_store_of_schema_21_gets_agents_and_spans_on_its_rows(location):
    """Migration 22 writes on each event's row the agents and spans that ingest writes
    there, and drops the two indexes the listings no longer read."""
    from test_occurrence_tables import _undo_migration_22

    query = "SELECT id, agents, spans FROM events ORDER BY id"
    with open_store(location) as store:
        kept = [tuple(r) for r in store._db.execute(query).fetchall()]
        with store._db.transaction():
            _undo_migration_22(store._db)
            store._db.execute("DELETE FROM migrations WHERE version >= 22")
    assert any(agents for _, agents, _ in kept) and any(agents is None for _, agents, _ in kept)
    assert all(spans for _, _, spans in kept)
    with open_store(location) as store:
        assert 22 in {version for version, *_ in store.applied_migrations()}
        assert [tuple(r) for r in store._db.execute(query).fetchall()] == kept
        indexes = ("SELECT name FROM sqlite_master WHERE type = 'index'"
                   if store.backend == "sqlite" else
                   "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
        names = {r[0] for r in store._db.execute(indexes).fetchall()}
        assert "event_actors_sector" in names
        assert not names & {"event_actors_listed", "event_evidence_listed"}


def _twice_named_article() -> Article:
    """Events whose actor or sector has two `event_actors` rows: two military bodies on
    either side, and one state on both sides."""
    text = ("Pasukan China dan Angkatan Laut Filipina saling menembak di Laut China Selatan. "
            "Amerika Serikat menyelidiki dirinya sendiri.")
    cut = text.index(".") + 1
    sentences = [Sentence(0, cut, text[:cut]), Sentence(cut + 1, len(text), text[cut + 1:])]
    military = [
        Event(type="ASSAULT", source=["CHN"], target=["PHL"], evidence=sentences[0].text,
              evidence_spans=[(0, cut)], date="2025-11-21", date_precision="day",
              source_agents=[{"actor": "CHN", "agent": "Pasukan China", "sector": "military"}],
              target_agents=[{"actor": "PHL", "agent": "Angkatan Laut Filipina",
                              "sector": "military"}]),
        Event(type="ACCUSE", source=["USA"], target=["USA"], evidence=sentences[1].text,
              evidence_spans=[(cut + 1, len(text))], date="2025-11-21", date_precision="day"),
    ]
    return Article(text=text, id="uji-dua-kali", published="2025-11-22", language="id",
                   outlet="Berita Dua", sentences=sentences, events=military)


@pytest.mark.parametrize("read_apart", [True, False])
def test_listing_an_event_with_two_rows_of_its_sector_or_actor_is_listed_once(
        store_location, read_apart, monkeypatch):
    from aliansi.store import apart

    monkeypatch.setattr(apart, "ENABLED", read_apart)
    with open_store(store_location) as store:
        store.ingest([_twice_named_article()])
        for filters in ({"sector": "military"}, {"actor": "USA"}):
            expected = [e.id for e in store.events(**filters)]
            assert len(expected) == len(set(expected)) == 1, filters
            for kind in ("table", "record", "exported"):
                listed = [item["id"] if isinstance(item, dict) else item.id
                          for b in store.iter_listed(kind, batch=1, **filters) for item in b]
                assert listed == expected, (filters, kind)


def test_listing_is_the_same_read_apart_or_in_this_process(location, tmp_path, monkeypatch):
    """Rows read by other processes (SQLite) or a fetching thread (PostgreSQL) give the
    items, lines and files that reading in this process gives."""
    from aliansi.store import apart

    filters = [*FILTERS, {"sector": "government", "include_flagged": True},
               {"actor": "JPN", "include_flagged": True}]
    commands = [["events", "--sector", "government"], ["events", "--actor", "JPN"],
                ["events", "--actor", "JPN", "--format", "jsonl"], ["clusters"],
                ["clusters", "--actor", "JPN"]]
    with database.open(location) as db:     # (`aliansi clusters` would place them first)
        db.update_clusters()
    found = {}
    for read_apart in (True, False):
        monkeypatch.setattr(apart, "ENABLED", read_apart)
        with open_store(location, read_only=True) as store:
            items = [list(store.iter_listed(kind, batch=2, **f))
                     for kind in ("table", "record", "exported") for f in filters]
        lines = [_run(*command, "--db", location) for command in commands]
        files = []
        for options in ([], ["--actor", "JPN"], ["--sector", "government"]):
            for suffix in ("jsonl", "csv"):
                out = tmp_path / f"{read_apart}.{suffix}"
                _run("export", *options, "-o", str(out), "--db", location)
                files.append(out.read_text(encoding="utf-8"))
        found[read_apart] = items, lines, files
    assert found[True] == found[False]
    assert all(found[True][0]) and all(files for files in found[True][2])


def test_listing_a_store_of_schema_22_gets_the_sector_index(location):
    """Migration 23: the (sector, sort_date) index of the rows named by a sector; on
    SQLite a sector's list is read through it in list order, sorted only within a day."""
    with open_store(location) as store:
        expected = [e.id for e in store.events(sector="government")]
        with store._db.transaction():
            store._db.execute("DROP INDEX event_actors_sector_date")
            store._db.execute("DELETE FROM migrations WHERE version >= 23")
    assert expected
    with open_store(location) as store:
        assert 23 in {version for version, *_ in store.applied_migrations()}
        assert [item.id for b in store.iter_listed("table", sector="government")
                for item in b] == expected
        if store.backend != "sqlite":
            return
        names = {r[0] for r in store._db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()}
        assert "event_actors_sector_date" in names
        from aliansi.store import listing
        from aliansi.store.base import _WALK_JOIN, _WALK_ORDER, _walked

        where, params = store._where({"sector": "government"})
        plan = " | ".join(r[-1] for r in store._db.execute(
            "EXPLAIN QUERY PLAN " + listing.TABLE.sql("sqlite", _walked(where), _WALK_ORDER,
                                                      _WALK_JOIN), params).fetchall())
        assert "event_actors_sector_date" in plan and "RIGHT PART OF ORDER BY" in plan, plan
