"""The store, run against SQLite and PostgreSQL alike (fixture `store_location`)."""
from __future__ import annotations

import re
import sqlite3
from contextlib import closing

import pytest

from aliansi.errors import StoreError
from aliansi.model import Article, Event, Mention, Person, Sentence
from aliansi.store import IngestReport, StoredEvent, event_id, open_store
from aliansi.store.migrations import MIGRATIONS


def _article(id, text, *, published, language, mentions, events, persons=()):
    sentences = [Sentence(m.start(), m.end(), m.group())
                 for m in re.finditer(r"\S[^.!?]*[.!?]", text)]
    found = []
    for surface, kind, actor, name in mentions:
        start = text.index(surface)
        found.append(Mention(start, start + len(surface), surface, kind, actor, name,
                             rule="test-gazetteer"))
    built = []
    for spec in events:
        spec = dict(spec)
        sentence = sentences[spec.pop("sentence")]
        built.append(Event(evidence=sentence.text,
                           evidence_spans=[(sentence.start, sentence.end)], **spec))
    return Article(text=text, id=id, published=published, language=language,
                   url=f"https://news.example/{id}", outlet=id.split("-")[0],
                   title=sentences[0].text[:60], published_source="given",
                   sentences=sentences, mentions=found, events=built,
                   persons=list(persons), actors=sorted({m[2] for m in mentions if m[2]}),
                   stages=["sentences", "actors", "dates", "events"])


def japan_usa() -> Article:
    return _article(
        "kyodo-20251028",
        "Japanese Prime Minister Sanae Takaichi met US President Donald Trump in Tokyo "
        "on Tuesday. The two leaders signed an agreement on critical minerals and rare "
        "earths. Takaichi said Japan would consider sending minesweepers if the United "
        "States asked.",
        published="2025-10-28", language="en",
        mentions=[("Japanese Prime Minister Sanae Takaichi", "person", "JPN", "Sanae Takaichi"),
                  ("US President Donald Trump", "person", "USA", "Donald Trump"),
                  ("Tokyo", "place", None, "Tokyo")],
        persons=[Person("Sanae Takaichi", "JPN", "Prime Minister"),
                 Person("Donald Trump", "USA", "President")],
        events=[
            dict(type="CONSULT", source=["USA"], target=["JPN"], sentence=0, mode="visit",
                 context=["diplomatic"], date="2025-10-28", date_precision="day",
                 date_text="on Tuesday", location="Tokyo", location_country="JPN",
                 confidence=0.9, trigger="met", rule="consult-meet"),
            dict(type="AGREE", source=["JPN"], target=["USA"], sentence=1,
                 context=["economic"], date="2025-10-28", date_precision="day",
                 confidence=0.8, trigger="signed", rule="agree-sign"),
            dict(type="AID", source=["JPN"], target=["USA"], sentence=2,
                 hypothetical=True, trigger="sending", rule="aid-send"),
        ])


def china_philippines() -> Article:
    return _article(
        "antara-20251117",
        "Kapal penjaga pantai Tiongkok menembakkan meriam air ke kapal pemasok Filipina di "
        "dekat Second Thomas Shoal pada Sabtu (16/11). Kementerian Luar Negeri Filipina "
        "memanggil duta besar Tiongkok di Manila untuk menyampaikan protes. Beijing "
        "membantah telah bertindak agresif. Manila menegaskan tidak akan menarik "
        "pasukannya dari BRP Sierra Madre.",
        published="2025-11-17", language="id",
        mentions=[("Kapal penjaga pantai Tiongkok", "org", "CHN", "China Coast Guard"),
                  ("kapal pemasok Filipina", "org", "PHL", "Philippines"),
                  ("Kementerian Luar Negeri Filipina", "org", "PHL", "Philippines"),
                  ("duta besar Tiongkok", "person", "CHN", "China"),
                  ("Beijing", "state", "CHN", "China"),
                  ("Manila menegaskan", "state", "PHL", "Philippines")],
        events=[
            dict(type="COERCE", source=["CHN"], target=["PHL"], sentence=0,
                 context=["territory", "military"], date="2025-11-16", date_precision="day",
                 date_text="Sabtu (16/11)", location="Second Thomas Shoal",
                 location_country="PHL", confidence=0.85, trigger="menembakkan meriam air"),
            dict(type="PROTEST", source=["PHL"], target=["CHN"], sentence=1,
                 context=["diplomatic"], trigger="memanggil duta besar"),
            dict(type="REJECT", source=["CHN"], target=["PHL"], sentence=2,
                 trigger="membantah"),
            dict(type="RETREAT", source=["PHL"], target=[], sentence=3, mode="withdraw",
                 negated=True, trigger="menarik pasukannya"),
        ])


def shoal_2024() -> Article:
    return _article(
        "reuters-20240619",
        "Chinese coast guard personnel boarded two Philippine navy boats near Second "
        "Thomas Shoal on June 17, 2024, seizing rifles. In June the Philippines accused "
        "China of piracy.",
        published="2024-06-19", language="en",
        mentions=[("Chinese coast guard", "org", "CHN", "China Coast Guard"),
                  ("Philippine navy", "org", "PHL", "Philippines"),
                  ("the Philippines", "state", "PHL", "Philippines"),
                  ("China of piracy", "state", "CHN", "China")],
        events=[
            dict(type="COERCE", source=["CHN"], target=["PHL"], sentence=0, mode="seize",
                 date="2024-06-17", date_precision="day", trigger="boarded"),
            dict(type="ACCUSE", source=["PHL"], target=["CHN"], sentence=1,
                 date="2024-06", date_precision="month", trigger="accused"),
        ])


ALL = (japan_usa, china_philippines, shoal_2024)


@pytest.fixture
def store(store_location):
    with open_store(store_location) as store:
        store.ingest(make() for make in ALL)
        yield store


def keys(events: list[StoredEvent]) -> set[tuple[str, str]]:
    return {(e.type, e.article_id.split("-")[0]) for e in events}


# --- ingest ----------------------------------------------------------------------------

def test_store_ingest_same_article_twice_is_stored_once(store_location):
    with open_store(store_location) as store:
        first = store.ingest([china_philippines(), china_philippines()])
        second = store.ingest([china_philippines()])
        stats = store.stats()
    assert first == IngestReport(added=1, replaced=0, unchanged=1, events=4)
    assert second == IngestReport(added=0, replaced=0, unchanged=1, events=0)
    assert (stats.articles, stats.sentences, stats.mentions, stats.events) == (1, 4, 6, 4)


def test_store_changed_article_replaces_only_its_own_rows(store):
    untouched_before = store.events(actor="USA", include_flagged=True)
    old_2024 = store.events(type="ACCUSE")
    protest_id = store.events(type="PROTEST")[0].id
    changed = china_philippines()
    # A re-run of the pipeline drops the REJECT event and dates the PROTEST.
    changed.events = [e for e in changed.events if e.type != "REJECT"]
    changed.events[1].date = "2025-11-17"
    report = store.ingest(make() if make is not china_philippines else changed
                          for make in ALL)
    assert report == IngestReport(added=0, replaced=1, unchanged=2, events=3)
    assert store.events(actor="USA", include_flagged=True) == untouched_before
    assert store.events(type="ACCUSE") == old_2024
    assert store.events(type="REJECT") == []
    assert store.events(type="PROTEST")[0].date == "2025-11-17"
    assert store.events(type="PROTEST")[0].id != protest_id      # its date is in the id
    assert store.article("antara-20251117").to_dict() == changed.to_dict()
    assert dict(store.actors_seen())["CHN"] == 4                 # was 5: no stale rows
    stats = store.stats()
    assert (stats.articles, stats.events, stats.flagged_events) == (3, 8, 2)


def evidence_words(e) -> set[str]:
    """The words of four letters or more of an event's evidence, as a search takes them."""
    return set(re.findall(r"\b[^\W\d_]{4,}\b", e.evidence.casefold()))


def test_store_full_text_search_follows_replaced_events(store):
    """The full-text rows (keyed by date and event on SQLite) follow a replaced article:
    a dropped event is no longer found, a redated one is found under its new id."""
    reject = store.events(type="REJECT", include_flagged=True)[0]
    others = set().union(*(evidence_words(e) for e in store.events(include_flagged=True)
                           if e.evidence != reject.evidence))
    only_reject = sorted(evidence_words(reject) - others)
    assert only_reject and store.events(q=only_reject[0], include_flagged=True) == [reject]
    changed = china_philippines()
    changed.events = [e for e in changed.events if e.type != "REJECT"]
    changed.events[1].date = "2025-11-17"
    store.ingest(make() if make is not china_philippines else changed for make in ALL)
    assert store.events(q=only_reject[0], include_flagged=True) == []
    stored = store.events(include_flagged=True)
    for e in stored:
        words = " ".join(sorted(evidence_words(e)))
        assert e.id in {x.id for x in store.events(q=words, include_flagged=True)}
    if store.backend == "sqlite":
        rows = store._one("SELECT COUNT(*) FROM events_fts_docsize")
        assert rows == len(stored)      # no row left behind by a delete


def test_store_full_text_rows_of_an_event_replaced_before_its_commit(store_location):
    """An article written and replaced in one transaction: the full-text rows of its first
    events (waiting for the commit on SQLite) go with them, and after the commit every
    stored event is found, none twice and nothing left waiting."""
    changed = china_philippines()
    changed.events = [e for e in changed.events if e.type != "REJECT"]
    rejected = next(e for e in china_philippines().events if e.type == "REJECT")
    with open_store(store_location) as store:
        report = store.ingest([china_philippines(), changed])
        assert (report.added, report.replaced) == (1, 1)
        stored = store.events(include_flagged=True)
        only_rejected = evidence_words(rejected) - set().union(*map(evidence_words, stored))
        assert only_rejected
        assert store.events(q=sorted(only_rejected)[0], include_flagged=True) == []
        for e in stored:
            found = store.events(q=" ".join(sorted(evidence_words(e))), include_flagged=True)
            assert [x.id for x in found if x.id == e.id] == [e.id]
        if store.backend == "sqlite":
            assert store._one("SELECT COUNT(*) FROM events_fts_docsize") == len(stored)
            assert store._one("SELECT COUNT(*) FROM events_fts_pending") == 0


def test_store_iter_events_is_events_read_in_batches(store):
    """The streamed list is the list, in its order, corrected reviews merged in."""
    reviewed = store.events(type="PROTEST")[0]
    store.review(reviewed.id, "corrected", reviewer="ana", correction={"date": "2020-01-01"})
    store.review(store.events(type="ACCUSE")[0].id, "wrong", reviewer="ana")
    for filters in ({}, {"include_flagged": True}, {"actor": "CHN"}, {"review": "all"},
                    {"review": "corrected"}, {"type": "AGREE"}):
        expected = store.events(**filters)
        for size in (1, 2, 1000):
            batches = list(store.iter_events(batch=size, **filters))
            assert [e for b in batches for e in b] == expected, (filters, size)
            assert all(batches) and all(len(b) <= size + 1 for b in batches)
    dates = {e.id: e.date for b in store.iter_events(batch=1) for e in b}
    assert dates[reviewed.id] == "2020-01-01"


def test_store_iter_events_goes_on_after_a_walked_first_page(store, monkeypatch):
    """A list whose first batch is read as a page walked in order (as `in_order` does
    on a large store) goes on after that page's last row: the list, in its order, with
    its undated events (no date, no published date: last) and corrected reviews."""
    store.ingest([_article(
        "memo-undated", "Malaysia held talks with China on the strait. Malaysia protested "
        "the patrols of China.", published=None, language="en",
        mentions=[("Malaysia held", "state", "MYS", "Malaysia"),
                  ("China on", "state", "CHN", "China")],
        events=[dict(type="CONSULT", source=["MYS"], target=["CHN"], sentence=0, trigger="talks"),
                dict(type="PROTEST", source=["MYS"], target=["CHN"], sentence=1,
                     trigger="protested")])])
    store.review(store.events(type="COERCE")[0].id, "corrected", reviewer="ana",
                 correction={"date": "2020-01-01"})
    walked = []
    monkeypatch.setattr(store, "in_order", lambda where, params, needed: (
        walked.append(needed) or [*where, "1 = 1"], params))
    for filters in ({}, {"include_flagged": True}, {"actor": "CHN"}, {"type": "PROTEST"}):
        expected = store.events(**filters)
        assert sum(e.date is None and e.published is None for e in expected) >= 1
        for size in (1, 2, 3):
            assert [e for b in store.iter_events(batch=size, **filters) for e in b] == expected
    assert walked


def test_store_event_ids_are_stable_across_stores(store_location, tmp_path):
    with open_store(store_location) as store:
        store.ingest([shoal_2024()])
        ids = [e.id for e in store.events()]
    with open_store(tmp_path / "other.db") as other:
        other.ingest([shoal_2024()])
        assert sorted(e.id for e in other.events()) == sorted(ids)
    article = shoal_2024()
    assert sorted(ids) == sorted(event_id(article.id, e) for e in article.events)


def test_store_error_in_one_article_keeps_those_before(store_location):
    broken = japan_usa()
    broken.events[0].evidence_spans = [(0, None)]      # a stage forgot the end offset
    with open_store(store_location) as store:
        with pytest.raises(StoreError, match="kyodo-20251028"):
            store.ingest([shoal_2024(), broken, china_philippines()])
        assert "reuters-20240619" in store
        assert "kyodo-20251028" not in store
        stats = store.stats()
    # Nothing of the broken article was written, not even its sentences.
    assert (stats.articles, stats.sentences, stats.events) == (1, 2, 2)


def test_store_error_after_others_in_its_batch_reports_each_of_them_once(store_location):
    """The failed article's batch is rolled back whole and the articles before it are
    written again: each is stored, and reported, once, as it was the first time (a
    second source, a refused id)."""
    broken = japan_usa()
    broken.events[0].evidence_spans = [(0, None)]
    seen, errors = [], []
    first = _news(TALKS, outlet="Antara", origin="a.jsonl", url="https://antara.example/1")
    second = _news(TALKS, outlet="Tempo", origin="b.jsonl", url="https://tempo.example/9")
    taken = _news(VISIT, origin="c.jsonl")         # id x1 again, another text
    with open_store(store_location) as store:
        with pytest.raises(StoreError, match="kyodo-20251028"):
            store.ingest([first, second, taken, broken, shoal_2024()],
                         progress=lambda article_id, outcome: seen.append((article_id, outcome)),
                         on_error=errors.append)
        sources = [s["outlet"] for s in store.sources("x1")]
        stats = store.stats()
        texts = [r["text"] for r in store._db.execute("SELECT text FROM articles")]
    assert seen == [("x1", "added"), ("x1", "unchanged")]
    assert [str(e).split(":")[0] for e in errors] == ["c.jsonl"]
    assert sources == ["Antara", "Tempo"] and texts == [TALKS]
    assert stats.articles == 1


def test_store_sqlite_writes_statement_journals_in_memory_while_ingesting(tmp_path):
    """Only while it writes: afterwards a reader's large sort may go to disk again."""
    during = []
    with open_store(tmp_path / "events.db") as store:
        connection = store._db.connection
        store.ingest([shoal_2024(), japan_usa()], after_batch=lambda report: during.append(
            connection.execute("PRAGMA temp_store").fetchone()[0]))
        after = connection.execute("PRAGMA temp_store").fetchone()[0]
    assert set(during) == {2} and after == 0       # MEMORY, then DEFAULT


def test_store_failing_stream_keeps_the_articles_before_it(store_location):
    """An error of the stream itself (a reader, a worker) ends the run after the
    articles already received are committed and reported."""
    seen = []

    def stream():
        yield shoal_2024()
        yield japan_usa()
        raise RuntimeError("the feed broke")

    with open_store(store_location) as store:
        with pytest.raises(RuntimeError, match="the feed broke"):
            store.ingest(stream(), progress=lambda article_id, outcome: seen.append(article_id))
        assert "reuters-20240619" in store and "kyodo-20251028" in store
    assert seen == ["reuters-20240619", "kyodo-20251028"]


def test_store_ingest_holds_no_lock_while_it_waits_for_articles(tmp_path):
    """While the articles are extracted (the stream is waited for), another writer of the
    file (`aliansi serve` saving a review) is not locked out."""
    location = tmp_path / "events.db"
    with open_store(location) as store:
        others = []

        def stream():
            for make in ALL:
                with closing(sqlite3.connect(location, timeout=0)) as other:
                    other.execute("BEGIN IMMEDIATE")        # "database is locked" if held
                    other.execute("ROLLBACK")
                others.append(make.__name__)
                yield make()

        assert store.ingest(stream()).added == len(ALL)
    assert others == [make.__name__ for make in ALL]


def test_store_ingest_reports_progress(store_location):
    seen = []
    with open_store(store_location) as store:
        store.ingest([shoal_2024(), japan_usa(), shoal_2024()],
                     progress=lambda article_id, outcome: seen.append((article_id, outcome)))
    assert seen == [("reuters-20240619", "added"), ("kyodo-20251028", "added"),
                    ("reuters-20240619", "unchanged")]


def test_store_ingest_rejects_what_is_not_an_article(store_location):
    with open_store(store_location) as store, pytest.raises(StoreError, match="Article"):
        store.ingest([japan_usa().to_dict()])


# --- queries ---------------------------------------------------------------------------

@pytest.mark.parametrize("actor, include_flagged, expected", [
    ("USA", False, {("CONSULT", "kyodo"), ("AGREE", "kyodo")}),
    ("JPN", True, {("CONSULT", "kyodo"), ("AGREE", "kyodo"), ("AID", "kyodo")}),
    ("PHL", False, {("COERCE", "antara"), ("PROTEST", "antara"), ("REJECT", "antara"),
                    ("COERCE", "reuters"), ("ACCUSE", "reuters")}),
    ("PHL", True, {("COERCE", "antara"), ("PROTEST", "antara"), ("REJECT", "antara"),
                   ("RETREAT", "antara"), ("COERCE", "reuters"), ("ACCUSE", "reuters")}),
    ("IDN", True, set()),
])
def test_store_events_by_actor(store, actor, include_flagged, expected):
    assert keys(store.events(actor=actor, include_flagged=include_flagged)) == expected


@pytest.mark.parametrize("dyad, expected", [
    (("CHN", "PHL"), {("COERCE", "antara"), ("PROTEST", "antara"), ("REJECT", "antara"),
                      ("COERCE", "reuters"), ("ACCUSE", "reuters")}),
    (("PHL", "CHN"), {("COERCE", "antara"), ("PROTEST", "antara"), ("REJECT", "antara"),
                      ("COERCE", "reuters"), ("ACCUSE", "reuters")}),
    (("JPN", "USA"), {("CONSULT", "kyodo"), ("AGREE", "kyodo")}),
    (("USA", "CHN"), set()),
])
def test_store_events_by_dyad_in_either_direction(store, dyad, expected):
    assert keys(store.events(dyad=dyad)) == expected


@pytest.mark.parametrize("type, expected", [
    ("COERCE", {("COERCE", "antara"), ("COERCE", "reuters")}),
    (["PROTEST", "ACCUSE"], {("PROTEST", "antara"), ("ACCUSE", "reuters")}),
    ("ASSAULT", set()),
])
def test_store_events_by_type(store, type, expected):
    assert keys(store.events(type=type)) == expected


@pytest.mark.parametrize("since, until, expected", [
    ("2025", None, {("CONSULT", "kyodo"), ("AGREE", "kyodo"), ("COERCE", "antara"),
                    ("PROTEST", "antara"), ("REJECT", "antara")}),
    (None, "2024", {("COERCE", "reuters"), ("ACCUSE", "reuters")}),
    ("2025-11", "2025-11", {("COERCE", "antara"), ("PROTEST", "antara"),
                            ("REJECT", "antara")}),
    # Undated events fall back to the article's published date (2025-11-17).
    ("2025-11-17", None, {("PROTEST", "antara"), ("REJECT", "antara")}),
    (None, "2025-11-16", {("CONSULT", "kyodo"), ("AGREE", "kyodo"), ("COERCE", "antara"),
                          ("COERCE", "reuters"), ("ACCUSE", "reuters")}),
    # A month-precise event (2024-06) is inside a day range of that month.
    ("2024-06-18", "2024-06-30", {("ACCUSE", "reuters")}),
    ("2024-07", "2025-10-27", set()),
])
def test_store_events_since_until(store, since, until, expected):
    assert keys(store.events(since=since, until=until)) == expected


def test_store_events_combine_filters_and_limit(store):
    events = store.events(dyad=("PHL", "CHN"), type="COERCE", since="2025")
    assert [(e.date, e.location, e.outlet) for e in events] == [
        ("2025-11-16", "Second Thomas Shoal", "antara")]
    newest = store.events(limit=2)
    assert keys(newest) == {("PROTEST", "antara"), ("REJECT", "antara")}
    dates = [e.date or e.published for e in store.events()]
    assert dates == sorted(dates, reverse=True)


def test_store_flagged_events_are_left_out_by_default(store):
    flagged = [e for e in store.events(include_flagged=True) if e not in store.events()]
    assert {(e.type, e.hypothetical, e.negated) for e in flagged} == {
        ("AID", True, False), ("RETREAT", False, True)}


def test_store_stored_event_keeps_the_event_fields(store):
    (event,) = store.events(type="CONSULT")
    data = event.to_dict()
    assert data["source"] == ["USA"] and data["target"] == ["JPN"]
    assert data["evidence"].startswith("Japanese Prime Minister Sanae Takaichi met")
    assert data["evidence_spans"] == [[0, len(data["evidence"])]]
    assert (data["mode"], data["context"], data["date_text"]) == (
        "visit", ["diplomatic"], "on Tuesday")
    assert (data["url"], data["published"], data["confidence"]) == (
        "https://news.example/kyodo-20251028", "2025-10-28", 0.9)


@pytest.mark.parametrize("kwargs, message", [
    ({"since": "17/11/2025"}, "since must be"),
    ({"until": "2025-1"}, "until must be"),
    ({"type": "FIGHT"}, "unknown event type"),
    ({"dyad": ("CHN",)}, "dyad must be a pair"),
])
def test_store_events_bad_query_raises(store, kwargs, message):
    with pytest.raises(StoreError, match=message):
        store.events(**kwargs)


def test_store_actors_seen_and_articles(store):
    assert store.actors_seen() == [("CHN", 5), ("PHL", 5), ("JPN", 2), ("USA", 2)]
    assert dict(store.actors_seen(include_flagged=True))["PHL"] == 6
    assert [(a.id, a.events) for a in store.articles()] == [
        ("antara-20251117", 4), ("kyodo-20251028", 3), ("reuters-20240619", 2)]


@pytest.mark.parametrize("make", ALL)
def test_store_article_round_trips(store, make):
    article = make()
    stored = store.article(article.id)
    assert stored == article
    assert stored.to_dict() == article.to_dict()


def test_store_unknown_article_raises(store):
    with pytest.raises(StoreError, match="no article 'missing'"):
        store.article("missing")


# --- schema ----------------------------------------------------------------------------

def test_store_migrations_recorded_and_reopen_is_a_no_op(store_location):
    with open_store(store_location) as store:
        applied = store.applied_migrations()
        store.ingest([japan_usa()])
    assert [(version, name) for version, name, _ in applied] == [
        (version, name) for version, (name, _) in sorted(MIGRATIONS.items())]
    with open_store(store_location) as store:
        assert store.applied_migrations() == applied
        assert store.schema_version == max(MIGRATIONS)
        assert store.stats().events == 3


def test_store_new_migration_applies_and_older_code_refuses(store_location, monkeypatch):
    with open_store(store_location) as store:
        store.ingest([shoal_2024()])
    latest = max(MIGRATIONS)

    def add_notes(db):
        db.execute("ALTER TABLE articles ADD COLUMN notes TEXT")

    monkeypatch.setitem(MIGRATIONS, latest + 1, ("article notes", add_notes))
    with open_store(store_location) as store:
        assert store.schema_version == latest + 1
        assert store.applied_migrations()[-1][:2] == (latest + 1, "article notes")
        assert store.stats().events == 2
    monkeypatch.delitem(MIGRATIONS, latest + 1)
    with pytest.raises(StoreError, match=f"schema version {latest + 1}, newer"):
        open_store(store_location)


def test_store_migration_of_a_large_store_says_so_first(store_location, monkeypatch, caplog):
    from aliansi.store import migrations

    with open_store(store_location) as store:
        store.ingest([shoal_2024()])
    monkeypatch.setitem(MIGRATIONS, max(MIGRATIONS) + 1, ("nothing", lambda db: None))
    monkeypatch.setattr(migrations, "LARGE_STORE", 3)          # 2 events: not large
    with caplog.at_level("WARNING"), open_store(store_location):
        assert not caplog.records
    monkeypatch.setitem(MIGRATIONS, max(MIGRATIONS) + 1, ("nothing again", lambda db: None))
    monkeypatch.setattr(migrations, "LARGE_STORE", 2)
    with caplog.at_level("WARNING"), open_store(store_location):
        assert "migrating 2 events" in caplog.text and "takes a minute" in caplog.text


def test_store_read_only_reader_next_to_writer(store_location):
    with open_store(store_location) as writer:
        writer.ingest([japan_usa()])
        with open_store(store_location, read_only=True) as reader:
            assert keys(reader.events()) == {("CONSULT", "kyodo"), ("AGREE", "kyodo")}
            with pytest.raises(StoreError, match="read-only"):
                reader.ingest([shoal_2024()])
            writer.ingest([shoal_2024()])
            assert len(reader.events(type="COERCE")) == 1


# --- SQLite specifics --------------------------------------------------------------------

def test_store_sqlite_file_is_wal_with_foreign_keys(tmp_path):
    path = tmp_path / "events.db"
    with open_store(f"sqlite:///{path}") as store:
        store.ingest([japan_usa()])
        assert store.backend == "sqlite" and store.location == str(path)
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("SELECT COUNT(*) FROM event_actors").fetchone()[0] == 6
    raw.close()


def test_store_sqlite_relative_url(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///relative.db") as store:
        store.ingest([shoal_2024()])
    assert (tmp_path / "relative.db").is_file()


def test_store_sqlite_in_memory():
    with open_store(":memory:") as store:
        assert store.ingest([shoal_2024()]).added == 1


@pytest.mark.parametrize("setup, location, message", [
    (None, "missing-dir/events.db", "does not exist"),
    (None, "mysql://user@host/db", "unknown scheme 'mysql'"),
    (None, "sqlite://events.db", "sqlite:///relative/path"),
    ("text", "notes.db", "not an aliansi database \\(not a SQLite file\\)"),
    ("other-app", "app.db", "not an aliansi database \\(it has tables users"),
    (None, "absent.db?ro", "no such file"),
])
def test_store_sqlite_open_errors(tmp_path, monkeypatch, setup, location, message):
    monkeypatch.chdir(tmp_path)
    read_only = location.endswith("?ro")
    location = location.removesuffix("?ro")
    if setup == "text":
        (tmp_path / location).write_text("Kapal Tiongkok menembakkan meriam air.\n" * 50)
    elif setup == "other-app":
        raw = sqlite3.connect(tmp_path / location)
        raw.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)")
        raw.commit()
        raw.close()
    with pytest.raises(StoreError, match=message):
        open_store(location, read_only=read_only)


def test_store_public_names_are_exported():
    import aliansi.store as store_module

    for name in store_module.__all__:
        assert getattr(store_module, name) is not None, name
    assert {"open_store", "Store", "StoredEvent", "IngestReport"} <= set(store_module.__all__)


# --- one text, many sources; one id, one text ----------------------------------------

TALKS = "Menlu Sugiono bertemu Menlu Malaysia Mohamad Hasan di Jakarta pada Senin (1/12)."
VISIT = "Presiden Prancis Emmanuel Macron mengunjungi Beijing pada Rabu (3/12)."


def _news(text, id="x1", **fields):
    return Article(text=text, id=id, language="id", **fields)


def test_store_the_same_text_from_two_outlets_is_one_article_with_two_sources(store_location):
    first = _news(TALKS, outlet="Antara", origin="a.jsonl", url="https://antara.example/1")
    second = _news(TALKS, outlet="Tempo", origin="b.jsonl", url="https://tempo.example/9")
    with open_store(store_location) as store:
        report = store.ingest([first, second, second, first])
        sources = store.sources("x1")
        (stored,) = store.articles()
    assert (report.added, report.unchanged, report.replaced) == (1, 3, 0)
    assert [s["outlet"] for s in sources] == ["Antara", "Tempo"]
    assert stored.outlet == "Antara"          # the first source stays the article's own


def test_store_an_id_taken_by_another_text_is_refused_and_named(store_location):
    errors = []
    with open_store(store_location) as store:
        store.ingest([_news(TALKS, origin="a.jsonl")])
        report = store.ingest([_news(VISIT, origin="b.jsonl"), _news(VISIT, id="x2")],
                              on_error=errors.append)
        texts = {r["id"]: r["text"] for r in store._db.execute("SELECT id, text FROM articles")}
    assert (report.refused, report.added) == (1, 1)
    assert texts == {"x1": TALKS, "x2": VISIT}
    (error,) = errors
    assert str(error) == ("b.jsonl: id 'x1' is already taken by another article (stored from "
                          "a.jsonl); this one was not stored: give it an id of its own")


def test_store_an_edited_article_replaces_itself(store_location):
    edited = TALKS.replace("Senin (1/12)", "Senin (1/12) sore")
    with open_store(store_location) as store:
        store.ingest([_news(TALKS, url="https://antara.example/1")])
        report = store.ingest([_news(edited, url="https://antara.example/1")])
        texts = [r["text"] for r in store._db.execute("SELECT text FROM articles")]
    assert report.replaced == 1 and texts == [edited]


def test_store_a_near_identical_text_under_another_id_is_one_more_source(store_location):
    wire = ("JAKARTA (Wire) - " + TALKS + " Keduanya membahas kerja sama maritim, perdagangan dan "
            "perlindungan pekerja migran di kawasan perbatasan kedua negara. Menurut Sugiono, "
            "kedua negara sepakat mempercepat perundingan batas laut di Laut Sulawesi dan Selat "
            "Malaka yang telah berlangsung lebih dari satu dekade. Mohamad Hasan mengatakan "
            "Malaysia menghargai dukungan Indonesia bagi keketuaan Malaysia di ASEAN tahun ini, "
            "termasuk dalam isu Myanmar dan Laut China Selatan. Pertemuan itu juga membahas "
            "rencana kunjungan Perdana Menteri Anwar Ibrahim ke Jakarta awal tahun depan.")
    copy = wire.replace("JAKARTA (Wire) - ", "Kabar Harian, Jakarta - ") + "\nBaca juga: cuaca hari ini."
    other = ("Menlu Sugiono bertemu Menlu Singapura Vivian Balakrishnan di Singapura pada Selasa "
             "(2/12). Keduanya membahas ekstradisi dan latihan militer bersama.")
    with open_store(store_location) as store:
        report = store.ingest([_news(wire, id="wire-1", outlet="Wire"),
                               _news(copy, id="harian-7", outlet="Kabar Harian"),
                               _news(other, id="wire-2", outlet="Wire")])
        ids = sorted(a.id for a in store.articles())
        sources = [s["outlet"] for s in store.sources("wire-1")]
    assert (report.added, report.duplicates) == (2, 1)
    assert ids == ["wire-1", "wire-2"] and sorted(sources) == ["Kabar Harian", "Wire"]
