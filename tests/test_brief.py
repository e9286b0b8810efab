"""Briefs: self-contained HTML dossiers on a dyad or one actor, from a real SQLite store."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from aliansi.brief import build_brief, write_brief
from aliansi.database import Database
from aliansi.errors import AliansiError, InputError
from aliansi.kb import KnowledgeBase
from aliansi.model import Article, Event, Sentence
from aliansi.store import open_store
from browser import chromium_or_skip, png_colours, render

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}
COOPERATION_GREEN, CONFLICT_RED = (26, 127, 55), (198, 40, 40)


# --- articles made by hand ----------------------------------------------------------

def _article(id, text, *, published, language, events, url=None, outlet=None, title=None):
    sentences = [Sentence(m.start(), m.end(), m.group())
                 for m in re.finditer(r"\S[^.!?]*[.!?]", text)]
    built = []
    for spec in events:
        spec = dict(spec)
        sentence = sentences[spec.pop("sentence")]
        built.append(Event(evidence=sentence.text,
                           evidence_spans=[(sentence.start, sentence.end)], **spec))
    return Article(text=text, id=id, published=published, language=language,
                   url=url if url is not None else f"https://news.example/{id}",
                   outlet=outlet or id.split("-")[0], title=title or sentences[0].text[:70],
                   published_source="given", sentences=sentences, events=built,
                   stages=["sentences", "actors", "dates", "events"])


def articles() -> list[Article]:
    return [
        _article(
            "antara-20251202",
            "Perdana Menteri Jepang Sanae Takaichi pada Senin (1/12) menggelar percakapan "
            "telepon perdana dengan Sekretaris Jenderal NATO Mark Rutte. Kedua pihak sepakat "
            "memperkuat kerja sama di bidang keamanan siber dan industri pertahanan. Takaichi "
            "mengatakan Jepang akan mempertimbangkan bergabung dalam latihan NATO tahun depan.",
            published="2025-12-02", language="id",
            events=[
                dict(type="CONSULT", mode="phone", source=["JPN"], target=["NATO"], sentence=0,
                     date="2025-12-01", date_precision="day", date_text="Senin (1/12)",
                     confidence=0.9),
                dict(type="AGREE", source=["JPN"], target=["NATO"], sentence=1,
                     date="2025-12-01", date_precision="day", confidence=0.8),
                dict(type="COOPERATE", source=["JPN"], target=["NATO"], sentence=2,
                     hypothetical=True),
            ]),
        _article(
            "kyodo-20251201",
            "Japanese Prime Minister Sanae Takaichi held a phone call with NATO Secretary "
            "General Mark Rutte on Monday. The two discussed the security of the Indo-Pacific.",
            published="2025-12-01", language="en",
            events=[dict(type="CONSULT", mode="phone", source=["JPN"], target=["NATO"],
                         sentence=0, date="2025-12-01", date_precision="day")]),
        _article(
            "reuters-20260116",
            "Japan opened its first independent diplomatic mission to NATO in Brussels on "
            "January 15, 2026. The mission will be headed by an ambassador.",
            published="2026-01-16", language="en",
            events=[dict(type="COOPERATE", source=["JPN"], target=["NATO"], sentence=0,
                         date="2026-01-15", date_precision="day", location="Brussels",
                         location_country="BEL")]),
        _article(
            "nhk-20251104",
            "Chinese coast guard ships blocked a Japanese fishing boat near the Senkaku Islands "
            "on November 3, 2025. Tokyo lodged a strong protest with Beijing through "
            "diplomatic channels.",
            published="2025-11-04", language="en",
            events=[
                dict(type="COERCE", source=["CHN"], target=["JPN"], sentence=0,
                     date="2025-11-03", date_precision="day", location="Senkaku Islands"),
                dict(type="PROTEST", source=["JPN"], target=["CHN"], sentence=1),
            ]),
        # A scraped page with markup left in its text, and a link that is not http(s).
        _article(
            "feed-20251210",
            "NATO praised Japan's support for Ukraine <script>alert('x')</script> in a "
            "statement. Officials gave no date for the meeting.",
            published="2025-12-10", language="en", url="javascript:alert(document.cookie)",
            title="NATO & Japan: <b>praise</b>",
            events=[dict(type="SUPPORT", source=["NATO"], target=["JPN"], sentence=0)]),
    ]


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


@pytest.fixture
def db_path(tmp_path) -> Path:
    path = tmp_path / "events.db"
    with open_store(path) as store:
        store.ingest(articles())
    return path


@pytest.fixture
def db(db_path, kb):
    """The store as an aliansi.database.Database, sharing one knowledge base."""
    with Database(open_store(db_path, read_only=True), kb=kb) as database:
        yield database


# --- reading the HTML back ------------------------------------------------------------

class Page(HTMLParser):
    """Checks that tags nest properly and keeps the text of every element with an id,
    the rows of every table (by its class) and every element's attributes."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []
        self.text: dict[str, str] = {}
        self.elements: list[tuple[str, dict]] = []
        self.tables: dict[str, list[list[str]]] = {}
        self._table: list[str] = []
        self._cells: list[list[str]] | None = None
        self.feed(text)
        self.close()
        assert not self.stack, f"unclosed tags: {self.stack}"

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag in VOID:
            return
        self.stack.append((tag, attrs.get("id")))
        if attrs.get("id"):
            self.text[attrs["id"]] = ""
        if tag == "table":
            self._table.append(attrs.get("class", ""))
            self.tables.setdefault(attrs.get("class", ""), [])
        elif tag == "tr":
            self._cells = []
        elif tag in ("td", "th") and self._cells is not None:
            self._cells.append([])

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.stack and self.stack[-1][0] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()
        if tag == "tr" and self._cells is not None:
            self.tables[self._table[-1]].append([" ".join("".join(c).split()) for c in self._cells])
            self._cells = None
        elif tag == "table":
            self._table.pop()

    def handle_data(self, data):
        for _, id in self.stack:
            if id:
                self.text[id] += data
        if self._cells:
            self._cells[-1].append(data)

    def words(self, id: str) -> str:
        return " ".join(self.text[id].split())

    def attrs(self, tag: str) -> list[dict]:
        return [a for t, a in self.elements if t == tag]


def sources_by_number(page: Page) -> dict[int, str]:
    return {int(id[4:]): page.words(id) for id in page.text if id.startswith("src-")}


# --- the brief's content --------------------------------------------------------------

@pytest.mark.parametrize("b", ["NATO", None])
def test_brief_parses_and_has_every_section(db, b):
    page = Page(build_brief(db, "JPN", b))
    for section in ("timeline", "chart", "key-events", "network", "sources"):
        assert section in page.text and page.words(f"{section}-h"), section
    assert ("partners" in page.text) == (b is None)
    svgs = page.attrs("svg")
    assert {s["class"] for s in svgs} == {"chart", "network"}
    for svg in svgs:           # labelled for screen readers by its own <title> and <desc>
        assert svg["role"] == "img"
        for label in svg["aria-labelledby"].split():
            assert page.words(label)
    assert not page.attrs("script") and not page.attrs("link")
    assert not [a for t, a in page.elements if re.match(r"https?:", a.get("src", ""))]


def test_brief_heading_names_actors_window_and_counts(db):
    html = build_brief(db, "JPN", "NATO", since="2025-06", until="2026-06",
                       generated="2026-02-01")
    head = " ".join(re.sub(r"<[^>]+>", " ", html.split('<nav class="toc"')[0]).split())
    assert "Japan ( JPN ) and North Atlantic Treaty Organization ( NATO )" in head
    assert "2025-06 to 2026-06" in head and "Generated 2026-02-01" in head
    # Phone call (two reports), agreement, mission, undated praise: 4 events, 5 reports.
    for count in ("Events 4", "Reports 5", "Sources 4", "Undated 1", "Conflictual 0"):
        assert count in head


def test_brief_cites_every_source_with_its_evidence_sentence(db):
    page = Page(build_brief(db, "JPN", "NATO"))
    sources = sources_by_number(page)
    events = db.events(dyad=("JPN", "NATO"))
    assert len(events) == 5
    for event in events:
        cited = [text for text in sources.values() if event.article_id in text]
        assert len(cited) == 1, event.article_id
        assert " ".join(event.evidence.split()) in cited[0]
    # Every citation link points at a listed source, and every source is cited.
    targets = {a["href"] for a in page.attrs("a") if a.get("href", "").startswith("#src-")}
    assert targets == {f"#src-{n}" for n in sources}


def test_brief_escapes_markup_from_the_news(db):
    html = build_brief(db, "JPN", "NATO")
    assert "<script" not in html.lower() and "<b>praise" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    page = Page(html)
    assert "<script>alert('x')</script>" in page.words("key-events")
    assert "NATO & Japan: <b>praise</b>" in page.words("sources")
    # A javascript: URL is shown as text, never made a link.
    assert not [a for a in page.attrs("a") if "javascript" in a.get("href", "").lower()]


@pytest.mark.parametrize("sentence", [
    "On 1 December 2025 Japan (JPN) held a phone call with North Atlantic Treaty Organization (NATO).",
    "On 1 December 2025 Japan (JPN) reached an agreement with North Atlantic Treaty Organization (NATO).",
    "On 15 January 2026 Japan (JPN) took joint action with North Atlantic Treaty Organization (NATO) in Brussels.",
    "At a date the reports do not give, North Atlantic Treaty Organization (NATO) expressed support "
    "for Japan (JPN) (reported 10 December 2025).",
])
def test_brief_tells_key_events_in_words(db, sentence):
    page = Page(build_brief(db, "JPN", "NATO"))
    assert sentence in page.words("key-events")


def test_brief_merges_one_event_reported_twice_into_one_entry_with_two_citations(db):
    page = Page(build_brief(db, "JPN", "NATO"))
    sources = sources_by_number(page)
    rows = [r for r in page.tables["timeline"] if r[1].startswith("CONSULT")]
    assert len(rows) == 1 and rows[0][0] == "2025-12-01"
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", rows[0][4])}
    assert {sources[n].split(",")[0] for n in cited} == {"antara", "kyodo"}


def test_brief_lists_undated_events_as_undated(db):
    page = Page(build_brief(db, "JPN"))
    rows = {r[1]: r for r in page.tables["timeline"][1:]}
    assert rows["SUPPORT"][0] == "undated" and rows["PROTEST"][0] == "undated"
    assert [r[0] for r in page.tables["timeline"][1:]] == [
        "2025-11-03", "2025-12-01", "2025-12-01", "2026-01-15", "undated", "undated"]
    # Not in the chart at their publication month either: December holds only
    # the phone call (+1.5) and the agreement (+2.5), not the praise (+5).
    months = {r[0]: r[1:] for r in page.tables[""] if r and re.match(r"\d{4}-\d{2}$", r[0])}
    assert months == {"2025-11": ["0", "−7", "−7"], "2025-12": ["+4", "0", "+4"],
                      "2026-01": ["+9.5", "0", "+9.5"]}
    assert ("2 events dated only to the year, undated or outside the busiest 36 months are "
            "not in the chart") in page.words("chart")


@pytest.mark.parametrize("include_flagged, rows, marked", [(False, 4, False), (True, 5, True)])
def test_brief_leaves_out_hypothetical_events_unless_asked(db, include_flagged, rows, marked):
    page = Page(build_brief(db, "JPN", "NATO", include_flagged=include_flagged))
    assert len(page.tables["timeline"]) - 1 == rows
    assert ("[hypothetical]" in page.words("timeline")) == marked
    assert ("mempertimbangkan bergabung" in page.words("sources")) == marked


@pytest.mark.parametrize("since, until, types", [
    ("2026", None, ["COOPERATE"]),
    ("2025-12", "2025-12", ["CONSULT", "AGREE", "SUPPORT"]),   # undated: by its article's date
    ("2024", "2024", []),
])
def test_brief_keeps_to_its_window(db, since, until, types):
    page = Page(build_brief(db, "JPN", "NATO", since=since, until=until))
    found = [r[1].split()[0] for r in page.tables.get("timeline", [])[1:]]
    assert found == types
    if not types:
        assert "No events in this window" in page.words("timeline")


def test_brief_of_one_actor_ranks_partners_and_colours_the_network(db):
    html = build_brief(db, "JPN")
    page = Page(html)
    partners = page.tables["partners"][1:]
    assert [r[0] for r in partners] == ["North Atlantic Treaty Organization (NATO)", "China (CHN)"]
    assert partners[0][1:] == ["4", "+18.5", "0", "+18.5"]
    assert partners[1][1:] == ["2", "0", "−12", "−12"]          # COERCE −7, PROTEST −5
    network = html.split('<svg class="network"')[1].split("</svg>")[0]
    lines = re.findall(r'<line [^>]*stroke="(#[0-9a-f]{6})"[^>]*><title>([^<]*)</title>', network)
    assert sorted(lines) == [("#1a7f37", "JPN – NATO: 4 events, net +18.5"),
                             ("#c62828", "CHN – JPN: 2 events, net −12")]


def test_brief_of_a_dyad_draws_both_actors_and_their_partners(db):
    page = Page(build_brief(db, "JPN", "NATO"))
    nodes = [t for t in page.words("net-desc").split(": ", 1)[1].split(". ")[0].split(", ")]
    assert nodes == ["China (CHN)"]
    assert "Network neighbourhood of Japan (JPN) and North Atlantic Treaty Organization (NATO)" \
        == page.words("net-title")


@pytest.mark.parametrize("a, b", [("", None), ("JPN", "jpn"), (None, "NATO")])
def test_brief_rejects_bad_actor_codes(db, a, b):
    with pytest.raises(InputError, match="actor|two different"):
        build_brief(db, a, b)


def test_brief_write_brief_writes_utf8_file(db_path, tmp_path):
    path = write_brief(db_path, "jpn", "nato", path=tmp_path / "brief.html")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "↔" in text and 'charset="utf-8"' in text


# --- in a real browser ----------------------------------------------------------------

@pytest.mark.parametrize("b", ["NATO", None])
def test_brief_renders_in_headless_chromium(db, tmp_path, b):
    chromium = chromium_or_skip()
    path = write_brief(db, "JPN", b, path=tmp_path / f"brief-{b or 'JPN'}.html")
    page = render(chromium, path, tmp_path)
    dom = Page(page.dom)
    assert dom.attrs("svg") and {s["class"] for s in dom.attrs("svg")} == {"chart", "network"}
    assert len(dom.attrs("rect")) >= 3                   # the chart's bars were built
    assert "[1]" in dom.words("key-events") and "src-4" in dom.text
    assert "held a phone call with" in dom.words("key-events")
    assert page.png.stat().st_size > 20_000
    colours = png_colours(page.png)
    assert len(colours) > 200                            # text, not a blank page
    # The chart's bars were painted: solid cooperation green, and conflict red only
    # for JPN against all (JPN–NATO has no conflict: red only in the two legends).
    assert colours[COOPERATION_GREEN] > 1000
    assert (colours[CONFLICT_RED] > 1000) == (b is None)


# --- the real pipeline on the shared dev articles --------------------------------------

def test_brief_from_the_dev_articles_through_the_pipeline(tmp_path, kb):
    articles = SHARED / "gold" / "dev" / "articles.jsonl"
    if not articles.exists():
        pytest.skip(f"{articles} is absent: the shared dev data sits beside the repo only "
                    "for developers and CI")
    import aliansi.api

    path = tmp_path / "dev.db"
    aliansi.api.ingest([articles], path)
    with open_store(path) as store:
        events = store.events(dyad=("JPN", "NATO"))
    if not events:
        pytest.skip("the pipeline stored no JPN–NATO event from the dev articles yet")
    page = Page(build_brief(path, "JPN", "NATO", kb=kb))
    sources = sources_by_number(page)
    for event in events:
        assert any(" ".join(event.evidence.split()) in text for text in sources.values())
        if event.date is None:
            assert "undated" in [r[0] for r in page.tables["timeline"][1:]]
    assert len(page.tables["timeline"]) > 1
    Page(build_brief(path, "JPN", kb=kb))         # the actor brief of the same store parses too


def test_brief_is_the_same_from_a_path_a_store_or_a_database(db_path, db, kb):
    pages = [build_brief(db_path, "JPN", "NATO", kb=kb, generated="2026-02-01"),
             build_brief(db.store, "JPN", "NATO", kb=kb, generated="2026-02-01"),
             build_brief(db, "JPN", "NATO", generated="2026-02-01")]
    assert pages[0] == pages[1] == pages[2]
    with pytest.raises(InputError, match="database path"):
        build_brief({"events": []}, "JPN")


def test_brief_write_brief_reports_an_unwritable_path(db):
    with pytest.raises(AliansiError, match="brief.html: the folder /nonexistent-dir does not exist"):
        write_brief(db, "JPN", path=Path("/nonexistent-dir/brief.html"))
