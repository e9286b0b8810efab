"""The workbench in real headless Chromium (the Debian package) against a live server:
search → event → dyad → network → map → review, checking what each page shows; and
XSS payloads in article text, titles, URLs and query parameters stay inert."""
from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi")
import uvicorn  # noqa: E402

from aliansi.web import create_app  # noqa: E402
from browser import chromium_or_skip  # noqa: E402
from cdp import Chromium  # noqa: E402
from webcorpus import IMG, PWNED, SCRIPT, stored  # noqa: E402

TOKEN = "browser-token-456"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn serving the app in a background thread on a free port."""

    def __init__(self, app):
        self.port = _free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise TimeoutError("the server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def json(self, path: str):
        with urllib.request.urlopen(self.url(path), timeout=30) as response:
            return json.loads(response.read())


@pytest.fixture
def served(store_location):
    chromium = chromium_or_skip()
    location = stored(store_location)
    with LiveServer(create_app(location, token=TOKEN)) as server, Chromium(chromium) as browser:
        yield server, browser.page()


def test_web_browser_search_event_dyad_network_map_review(served):
    server, page = served
    # search: the words highlighted in the evidence, facets beside
    page.goto(server.url("/?q=menteri+jakarta"))
    assert page.eval("document.querySelector('#total').textContent").startswith("1 events")
    marks = page.eval("[...document.querySelectorAll('li.event mark')].map(m => m.textContent)")
    assert {m.lower() for m in marks} == {"menteri", "jakarta"}
    assert page.eval("document.querySelector('[data-facet=type] a').textContent") in (
        "CONSULT", "AGREE")
    # the event: its sentence marked inside the article
    page.goto(server.url(page.eval(
        "[...document.querySelectorAll('li.event a.type')]"
        ".find(a => a.textContent.startsWith('CONSULT')).getAttribute('href')")))
    evidence = page.eval("document.getElementById('evidence').textContent")
    assert evidence.startswith("Menteri Luar Negeri Indonesia Sugiono bertemu")
    assert evidence in page.eval("document.getElementById('article-text').textContent")
    assert page.eval("document.querySelector('a.source').href") == "https://berita.example/id-1"
    event_url = page.eval("location.href")
    event_id = event_url.rsplit("/", 1)[1]
    # the dyad: A → B and B → A apart, cooperation bars where the events are
    page.goto(page.eval("document.getElementById('dyad-link').href"))
    assert page.eval("document.getElementById('dyad-title').textContent").startswith("Japan (JPN)")
    assert page.eval("document.querySelectorAll('#dir-a-b rect.coop').length") == 1
    assert page.eval("document.querySelectorAll('#dir-a-b rect.conf').length") == 0
    assert "no dated events" in page.eval("document.getElementById('dir-b-a').textContent")
    assert page.eval("document.querySelector('#dir-a-b g.period').dataset.period") == "2025-11"
    # the network of November 2025, and of 2026 (the samples' January)
    page.goto(server.url("/network?since=2025-11&until=2025-11"))
    nodes = set(page.eval("[...document.querySelectorAll('svg.network a.node')]"
                          ".map(a => a.dataset.code)"))
    assert {"IDN", "JPN", "AUS", "MYS"} <= nodes and "USA" not in nodes
    page.goto(server.url("/network?since=2026"))
    nodes = set(page.eval("[...document.querySelectorAll('svg.network a.node')]"
                          ".map(a => a.dataset.code)"))
    assert {"JPN", "USA"} <= nodes and "IDN" not in nodes
    # the map: Malaysia shaded and linked, from the bundled shapes
    page.goto(server.url("/map"))
    assert page.eval("document.querySelectorAll('svg.map path').length") > 150
    assert page.eval("document.querySelector('svg.map a.located[data-code=MYS] path') !== null")
    assert page.eval("document.querySelector('tr[data-code=MYS] td:last-child').textContent") == "1"
    # review: without the token refused, with it saved, and the event leaves the lists
    page.goto(event_url)
    page.eval("document.getElementById('mark-wrong').click()")
    assert "not saved" in page.wait_for(
        "document.getElementById('review-status').textContent.includes('saved') && "
        "document.getElementById('review-status').textContent")
    page.eval(f"document.querySelector('input[name=token]').value = '{TOKEN}';"
              "document.querySelector('input[name=reason]').value = 'a courtesy call only';"
              "document.getElementById('mark-wrong').click()")
    assert page.wait_for("document.getElementById('review-status').textContent"
                         ".startsWith('saved') && document.getElementById('review-status')"
                         ".textContent") == "saved: wrong by web"
    assert page.eval("document.getElementById('review-state').textContent").startswith("wrong by web")
    detail = server.json(f"/api/v1/events/{event_id}")
    assert (detail["review"]["verdict"], detail["review"]["reason"]) == ("wrong",
                                                                        "a courtesy call only")
    page.goto(server.url("/?q=menteri+jakarta"))
    assert page.eval("document.querySelector('#total').textContent").startswith("0 events")
    page.goto(server.url("/dyads/JPN/IDN"))
    assert page.eval("document.querySelectorAll('#dir-a-b rect.coop').length") == 1  # AGREE
    # a correction from the page
    page.goto(event_url)
    page.eval("document.querySelector('select[name=type]').value = 'AGREE';"
              "document.querySelector('input[name=source]').value = 'IDN';"
              "document.querySelector('input[name=target]').value = 'JPN';"
              "document.getElementById('mark-corrected').click()")
    assert page.wait_for("document.getElementById('review-status').textContent"
                         ".startsWith('saved') && document.getElementById('review-status')"
                         ".textContent") == "saved: corrected by web"
    page.goto(event_url)
    assert page.eval("document.getElementById('event-title').textContent").split()[0] == "AGREE"


def _inert(page) -> None:
    """No payload ran: the title is ours, no element it would add, no image or script
    but the page's own (a 404 for a path the payload broke is JSON, with none)."""
    assert PWNED not in page.eval("document.title")
    assert page.eval(f"document.getElementById('{PWNED}')") is None
    assert page.eval("document.querySelectorAll('img').length") == 0
    assert set(page.eval("[...document.scripts].map(s => s.getAttribute('src'))")) <= {
        "/static/app.js"}
    assert page.eval("[...document.querySelectorAll('a')].filter(a => "
                     "a.href.startsWith('javascript:')).length") == 0


def test_web_browser_xss_payloads_stay_inert(served):
    server, page = served
    (event,) = server.json("/api/v1/events?dyad=IDN,MYS")["items"]
    assert SCRIPT in event["evidence"] and IMG in event["evidence"]
    paths = [f"/events/{event['id']}", "/?q=Kuala+Lumpur", "/?actor=IDN",
             f"/?q={quote(SCRIPT)}", f"/?actor={quote(IMG)}", f"/?since={quote(SCRIPT)}",
             f"/dyads/IDN/{quote(IMG, safe='')}", f"/events/{quote(SCRIPT, safe='')}",
             f"/map?actor={quote(IMG)}", f"/network?until={quote(SCRIPT)}", "/actors/IDN"]
    for path in paths:
        page.goto(server.url(path))
        time.sleep(0.2)         # give an injected handler its chance to run
        _inert(page)
    # the payloads are shown as text where they belong
    page.goto(server.url(f"/events/{event['id']}"))
    assert SCRIPT in page.eval("document.getElementById('article-text').textContent")
    assert SCRIPT in page.eval("document.querySelector('.article h2').textContent")
    assert page.eval("document.querySelector('a.source')") is None     # javascript: URL
    page.goto(server.url(f"/?actor={quote(IMG)}"))
    assert "unknown actor '<img src=x onerror=" in page.eval(
        "document.getElementById('error').textContent")
