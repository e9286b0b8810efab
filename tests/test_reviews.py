"""Reviews: kept apart from extraction output, surviving re-ingest, respected by every list
and count (events, dyads, network, actor profiles, briefs, exports), identical on SQLite
and PostgreSQL; the CLI marks, corrects, lists and exports gold."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from aliansi import api, database
from aliansi.brief import build_brief
from aliansi.errors import QueryError, StoreError
from aliansi.store import open_store
from webcorpus import corpus, stored


def _event(location, **filters):
    with open_store(location) as store:
        return store.events(**filters)


def _consult_jpn_idn(location):
    (event,) = [e for e in _event(location, dyad=("JPN", "IDN")) if e.type == "CONSULT"]
    return event


def test_reviews_wrong_event_leaves_every_count(store_location):
    location = stored(store_location)
    event = _consult_jpn_idn(location)
    before = api.dyad(location, "JPN", "IDN").total()
    with database.open(location) as db:
        edges_before = db.network().number_of_edges()
        profile_before = db.actor("IDN").events
    api.review(location, event.id, "wrong", reviewer="ana", reason="a plan, not a meeting")

    assert event.id not in {e.id for e in _event(location)}
    assert [e.id for e in _event(location, review="wrong")] == [event.id]
    assert _event(location, review="wrong")[0].review == "wrong"
    after = api.dyad(location, "JPN", "IDN").total()
    assert (before.counts["CONSULT"], after.counts["CONSULT"]) == (1, 0)
    with database.open(location) as db:
        assert db.actor("IDN").events == profile_before - 1
        graph = db.network()
        assert not any(d["types"].startswith("CONSULT") for u, v, d in graph.edges(data=True)
                       if {u, v} == {"JPN", "IDN"})
        assert graph.number_of_edges() <= edges_before
        page = build_brief(db, "JPN", "IDN")
    assert "bertemu dengan Menteri Luar Negeri Jepang" not in page


def test_reviews_correction_counts_as_corrected(store_location, tmp_path):
    location = stored(store_location)
    event = _consult_jpn_idn(location)
    api.review(location, event.id, "corrected", reviewer="ana", reason="Indonesia hosted it",
               correction={"source": ["Indonesia"], "target": ["Jepang"], "date": "2025-11-20"})
    (fixed,) = [e for e in _event(location, dyad=("IDN", "JPN")) if e.id == event.id]
    assert (fixed.source, fixed.target, fixed.review) == (["IDN"], ["JPN"], "corrected")
    assert api.dyad(location, "IDN", "JPN", direction="a->b").total().counts["CONSULT"] == 1
    assert api.dyad(location, "IDN", "JPN", direction="b->a").total().counts["CONSULT"] == 0
    # a type correction moves the event between type filters
    api.review(location, event.id, "corrected", reviewer="ana", correction={"type": "ASSAULT"})
    assert event.id in {e.id for e in _event(location, type="ASSAULT")}
    assert event.id not in {e.id for e in _event(location, type="CONSULT")}
    out = api.export(location, tmp_path / "events.jsonl")
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    (row,) = [r for r in rows if r["id"] == event.id]
    assert (row["type"], row["review"]) == ("ASSAULT", "corrected")


def test_reviews_pages_in_one_order_with_corrections(store_location):
    location = stored(store_location)
    every = _event(location)
    with open_store(location) as store:
        store.review(every[3].id, "corrected", reviewer="ana", correction={"date": "2019-01-01"})
        store.review(every[0].id, "corrected", reviewer="ana", correction={"date": "2027"})
        everything = store.events()
        assert store.count_events() == len(everything) == len(every)
        assert everything[0].id == every[0].id and everything[-1].id == every[3].id
        for size in (1, 4, 7):
            paged = [e.id for offset in range(0, len(everything), size)
                     for e in store.events(limit=size, offset=offset)]
            assert paged == [e.id for e in everything]


def test_reviews_survive_reingest(store_location):
    location = stored(store_location)
    event = _consult_jpn_idn(location)
    api.review(location, event.id, "wrong", reviewer="ana")
    changed = [a for a in corpus() if a.id == "test-id-1"][0]
    changed = type(changed).from_dict({**changed.to_dict(), "title": "Judul baru"})
    with open_store(location) as store:
        report = store.ingest([changed])
        assert report.replaced == 1
        assert [r.event_id for r in store.reviews()] == [event.id]
        assert event.id not in {e.id for e in store.events()}
        assert store.events(review="wrong")[0].title == "Judul baru"


def test_reviews_log_keeps_who_when_why(store_location):
    location = stored(store_location)
    event = _consult_jpn_idn(location)
    api.review(location, event.id, "wrong", reviewer="ana", reason="first look")
    api.review(location, event.id, "right", reviewer="budi", reason="second look")
    with open_store(location) as store:
        (current,) = store.reviews()
        history = store.review_history(event.id)
    assert (current.verdict, current.reviewer, current.reason) == ("right", "budi", "second look")
    assert [(h.verdict, h.reviewer) for h in history] == [("wrong", "ana"), ("right", "budi")]
    assert history[0].reviewed_at < history[1].reviewed_at
    assert current.original["type"] == "CONSULT"


@pytest.mark.parametrize("verdict, correction, message", [
    ("maybe", None, "unknown verdict"),
    ("corrected", None, "a correction needs"),
    ("wrong", {"type": "AGREE"}, "takes no correction"),
    ("corrected", {"type": "HUG"}, "unknown event type"),
    ("corrected", {"date": "2025-02-30"}, "is not a date"),
    ("corrected", {"colour": "red"}, "cannot correct colour"),
    ("corrected", {"source": []}, "needs a source"),
])
def test_reviews_bad_review_is_refused(tmp_path, verdict, correction, message):
    location = stored(str(tmp_path / "events.db"))
    event = _consult_jpn_idn(location)
    with pytest.raises(QueryError, match=message):
        api.review(location, event.id, verdict, reviewer="ana", correction=correction)
    with pytest.raises(StoreError, match="no event"):
        api.review(location, "nope", "wrong", reviewer="ana")


def test_reviews_cli_marks_corrects_and_exports_gold(tmp_path):
    location = stored(str(tmp_path / "events.db"))
    event = _consult_jpn_idn(location)
    agree = [e for e in _event(location, dyad=("JPN", "IDN")) if e.type == "AGREE"][0]
    cli = [sys.executable, "-m", "aliansi"]
    run = lambda *args: subprocess.run([*cli, *args, "--db", location], capture_output=True,  # noqa: E731
                                       text=True)
    assert run("review", "wrong", event.id, "--reason", "no meeting").returncode == 0
    done = run("review", "correct", agree.id, "--source", "Indonesia", "--target", "Japan",
               "--no-date", "--reviewer", "budi")
    assert done.returncode == 0, done.stderr
    listed = run("review", "list", "--format", "jsonl")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert {(r["event_id"], r["verdict"]) for r in rows} == {(event.id, "wrong"),
                                                              (agree.id, "corrected")}
    bad = run("review", "correct", agree.id, "--type", "HUG")
    assert bad.returncode == 2 and "unknown event type 'HUG'" in bad.stderr
    gold = tmp_path / "gold.jsonl"
    assert run("review", "export", "-o", str(gold)).returncode == 0
    (document,) = [json.loads(line) for line in gold.read_text().splitlines()]
    assert document["doc_id"] == "test-id-1" and document["complete"] is True
    (gold_event,) = document["events"]
    assert (gold_event["type"], gold_event["source"], gold_event["target"], gold_event["date"]) == (
        "AGREE", ["IDN"], ["JPN"], None)
    assert gold_event["evidence"] == agree.evidence
    # the gold file scores with aliansi eval (the EVENTS.md format)
    from aliansi.scoring import load_documents
    assert "test-id-1" in load_documents(gold)


def test_reviews_clusters_and_actor_counts_respect_reviews(store_location):
    location = stored(store_location)
    event = _consult_jpn_idn(location)
    seen = {r["code"]: r["events"] for r in api.actors(location) if r["events"]}
    assert any(c.members[0].event_id == event.id for c in api.clusters(location))
    api.review(location, event.id, "wrong", reviewer="ana")
    assert not any(m.event_id == event.id for c in api.clusters(location) for m in c.members)
    after = {r["code"]: r["events"] for r in api.actors(location) if r["events"]}
    assert after["IDN"] == seen["IDN"] - 1 and after["JPN"] == seen["JPN"] - 1
    agree = [e for e in _event(location, dyad=("JPN", "IDN")) if e.type == "AGREE"][0]
    api.review(location, agree.id, "corrected", reviewer="ana", correction={"target": ["AUS"]})
    again = {r["code"]: r["events"] for r in api.actors(location) if r["events"]}
    assert again["IDN"] == seen["IDN"] - 2 and again["AUS"] == seen["AUS"] + 1


def test_reviews_serve_command_binds_localhost_read_only(tmp_path):
    import os
    import socket
    import time
    import urllib.error
    import urllib.request

    pytest.importorskip("fastapi")
    location = stored(str(tmp_path / "events.db"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "ALIANSI_TOKEN"}
    server = subprocess.Popen([sys.executable, "-m", "aliansi", "serve", "--db", location,
                               "--port", str(port)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/events?limit=1",
                                            timeout=5) as response:
                    assert json.loads(response.read())["total"] > 0
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None and time.monotonic() < deadline, server.stderr.read()
                time.sleep(0.3)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/reviews", method="POST",
                                         data=b'{"event_id": "x", "verdict": "wrong"}',
                                         headers={"content-type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 403
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert f"serving {location} on http://127.0.0.1:{port} (read-only)" in server.stderr.read()


# filters of every kind that drive a list: an actor, a pair, types, a search, sectors...
FILTERS = [
    {"actor": "JPN"}, {"dyad": ("JPN", "USA")}, {"type": ["CONSULT", "AGREE"]},
    {"q": "menteri"}, {"actor": "IDN", "type": "AGREE"}, {"sector": "government"},
    {"min_sources": 2}, {"actor": "NATO", "since": "2025-12", "until": "2025-12"},
    {"q": "menteri", "actor": "JPN"}, {"q": "di", "type": "CONSULT"},
    {"actor": "JPN", "include_flagged": True}, {"actor": "USA", "sector": "government"},
]


@pytest.mark.parametrize("filters", FILTERS)
def test_reviews_estimates_are_exact_when_the_sample_holds_every_match(tmp_path, filters):
    """An estimate tests the newest matches of its search or actor (or the newest
    events): on a store smaller than its sample it is the count."""
    location = stored(str(tmp_path / "events.db"))
    with open_store(location, read_only=True) as store:
        assert store.estimate_events(**filters) == store.count_events(**filters)


@pytest.mark.parametrize("filters", FILTERS)
def test_reviews_pages_walked_in_order_equal_pages_found_by_index(tmp_path, monkeypatch, filters):
    """Store.in_order (a page read by walking the list in order, an actor's rows or the
    full-text matches newest first) changes the plan only."""
    from aliansi.store import reviews

    location = stored(str(tmp_path / "events.db"))
    with open_store(location) as store:
        store.review(_consult_jpn_idn(location).id, "corrected", reviewer="ana",
                     correction={"target": ["USA"]})
        whole = [e.id for e in store.events(**filters)]
        pages = {}
        for walk in (False, True):
            monkeypatch.setattr(reviews, "SCAN_BUDGET", 10 ** 9 if walk else 0)
            monkeypatch.setattr(reviews, "WALK_MS", 10 ** 6 if walk else 0)
            monkeypatch.setattr(reviews, "PROGRESS_STEPS", 1000 if walk else 1)
            pages[walk] = ([[e.id for e in store.events(**filters, limit=3, offset=offset)]
                            for offset in (0, 1, 2, 5, 20)],
                           [e.id for e in store.events(**filters, limit=50)],
                           store.event_facets(**filters, sample=4))
        assert pages[False] == pages[True]
        assert pages[True][0] == [whole[o:o + 3] for o in (0, 1, 2, 5, 20)]
        assert pages[True][1] == whole[:50]
