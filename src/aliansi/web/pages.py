"""The analyst's pages: search, event, actor, dyad, network, map; review from the event page.

Server-rendered (Jinja2, autoescaped); the only script is static/app.js, which sends
reviews to the API. Bad parameters give a page that says what is wrong.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from aliansi.errors import AliansiError, QueryError
from aliansi.model import EVENT_TYPES
from aliansi.web import api
from aliansi.web.app import NotFound, settings
from aliansi.web.svg import dyad_chart, network_svg, world_map

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
PAGE = 25
FACET_PARAMS = {"type": "type", "actor": "actor", "language": "language", "context": "context",
                "review": "review", "flag": None}


def highlight(text: str | None, q: str | None) -> Markup:
    """The text escaped, with the words of `q` marked."""
    text = text or ""
    words = [w for w in re.findall(r"\w+\*?", q or "") if w.strip("*")]
    if not words:
        return escape(text)
    pattern = "|".join(rf"\b{re.escape(w[:-1])}\w*" if w.endswith("*") else rf"\b{re.escape(w)}\b"
                       for w in words)
    out, last = [], 0
    for m in re.finditer(pattern, text, flags=re.IGNORECASE):
        out += [escape(text[last:m.start()]), Markup("<mark>"), escape(m.group()),
                Markup("</mark>")]
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def marked_article(text: str, spans: list[tuple[int, int]]) -> Markup:
    """The article text escaped, with the evidence spans marked (the first has the id
    `evidence`)."""
    out, last = [], 0
    for i, (a, b) in enumerate(sorted((int(a), int(b)) for a, b in spans)):
        if a < last:
            continue
        anchor = ' id="evidence"' if i == 0 else ""
        out += [escape(text[last:a]), Markup(f'<mark class="evidence"{anchor}>'), escape(text[a:b]),
                Markup("</mark>")]
        last = b
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    s = settings(request)
    context.setdefault("title", "aliansi")
    return templates.TemplateResponse(request, name, {"writable": s.writable, **context},
                                      status_code=status)


def _failed(request: Request, exc: AliansiError) -> HTMLResponse:
    status = 404 if isinstance(exc, NotFound) else 400 if isinstance(exc, QueryError) else 500
    return _render(request, "error.html", status=status, title="aliansi: error", message=str(exc))


def _query(request: Request, **changes: Any) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items()
              if k not in changes and k != "offset"]
    params += [(k, v) for k, v in changes.items() if v is not None]
    return "?" + urlencode(params)


@router.get("/", response_class=HTMLResponse)
def search(request: Request):
    params = request.query_params
    try:
        filters = api.event_filters(
            request, q=params.get("q"), actor=params.get("actor"), dyad=params.get("dyad"),
            type=params.getlist("type") or None, sector=params.get("sector"),
            since=params.get("since"), until=params.get("until"),
            flagged=params.get("flagged") in ("1", "true", "on"), context=params.get("context"),
            country=params.get("country"), language=params.get("language"),
            article=params.get("article"), person=params.get("person"), min_confidence=None,
            min_sources=_int(params.get("min_sources"), "min_sources"),
            review=params.get("review"))
        offset = _int(params.get("offset"), "offset") or 0
        store = settings(request).database().store
        from aliansi.store.reviews import QueryTimeout

        found = store.events(**filters, limit=PAGE, offset=offset)
        counted = api.list_total(store, filters, None if offset else found, PAGE)
        try:
            with store.time_limit(api.FACET_TIME_MS):
                facets = store.event_facets(**filters, sample=api.FACET_SAMPLE)
        except QueryTimeout:
            facets = None
    except AliansiError as exc:
        return _failed(request, exc)
    q = params.get("q")
    results = [{"event": e, "evidence": highlight(e.evidence, q)} for e in found]
    facet_links = {name: [(value, n, _query(request, **{FACET_PARAMS[name]: value})
                           if FACET_PARAMS.get(name) else None)
                          for value, n in counts.items()]
                   for name, counts in (facets or {}).items()}
    total = counted["total"]
    return _render(request, "search.html", title="aliansi: search", params=params,
                   results=results, total=total, exact=counted["total_exact"],
                   estimate=counted["total_estimate"],
                   sample=api.FACET_SAMPLE if total is None else min(total, api.FACET_SAMPLE),
                   facets_skipped=facets is None, facet_time=api.FACET_TIME_MS,
                   offset=offset, page=PAGE, facets=facet_links,
                   types=EVENT_TYPES, contexts=api.CONTEXTS,
                   newer=_query(request, offset=max(0, offset - PAGE)) if offset else None,
                   older=_query(request, offset=offset + PAGE) if len(found) == PAGE and (
                       total is None or offset + PAGE < total) else None,
                   download=_query(request, format="csv"))


def _int(value: str | None, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
        if number < 0:
            raise ValueError
        return number
    except ValueError:
        raise api.ParameterError(f"{name} must be a whole number, not {value!r}", name) from None


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str):
    s = settings(request)
    try:
        detail = api.event_detail(s, event_id)
    except AliansiError as exc:
        return _failed(request, exc)
    e = detail["event"]
    explained = None
    if request.query_params.get("explain"):
        try:
            explained = api.explain_event(s, event_id)["sentences"]
        except AliansiError as exc:
            return _failed(request, exc)
    return _render(request, "event.html", title=f"aliansi: {e['type']} event", d=detail, e=e,
                   article=marked_article(detail["article"]["text"], e["evidence_spans"]),
                   types=EVENT_TYPES, explained=explained)


@router.get("/actors/{code}", response_class=HTMLResponse)
def actor_page(request: Request, code: str):
    s = settings(request)
    try:
        code = s.code(code, "code")
        database = s.database()
        profile = database.actor(code).to_dict()
        mix = database.dyad(code, None, by="year").to_rows()
    except AliansiError as exc:
        return _failed(request, exc)
    used = [t for t in EVENT_TYPES if any(r[t] for r in mix)]
    return _render(request, "actor.html", title=f"aliansi: {profile['name']}", p=profile,
                   mix=mix, used=used)


@router.get("/dyads/{a}/{b}", response_class=HTMLResponse)
def dyad_page(request: Request, a: str, b: str):
    s = settings(request)
    params = request.query_params
    by = params.get("by") or "month"
    try:
        if by not in ("week", "month", "year"):
            raise api.ParameterError(f"by must be week, month or year, not {by!r}", "by")
        series = api.dyad_series(s, a, b, by=by, since=params.get("since") or None,
                                 until=params.get("until") or None)
        key = s.database().store.events(dyad=(series["a"], series["b"]), since=series["since"],
                                        until=series["until"], limit=50)
    except AliansiError as exc:
        return _failed(request, exc)
    names = s.names().label
    a, b = series["a"], series["b"]
    charts = [(f"{names.get(a, a)} → {names.get(b, b)}", "a-b",
               dyad_chart(series["directions"]["a->b"], title=f"{a} → {b}", by=by)),
              (f"{names.get(b, b)} → {names.get(a, a)}", "b-a",
               dyad_chart(series["directions"]["b->a"], title=f"{b} → {a}", by=by))]
    totals = {d: {k: round(sum(r[k] for r in rows), 3) for k in ("events", "cooperation",
                                                                   "conflict")}
              for d, rows in series["directions"].items()}
    return _render(request, "dyad.html", title=f"aliansi: {a} and {b}", a=a, b=b, names=names,
                   by=by, charts=[(t, i, Markup(svg)) for t, i, svg in charts], totals=totals,
                   key=key, series=series)


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request):
    s = settings(request)
    params = request.query_params
    try:
        from aliansi.queries import date_bound
        since = api._checked(lambda v: date_bound(v, "since"), params.get("since") or None, "since")
        until = api._checked(lambda v: date_bound(v, "until"), params.get("until") or None, "until")
        graph = s.database().network(since, until)
    except AliansiError as exc:
        return _failed(request, exc)
    edges = sorted(((u, v, d) for u, v, d in graph.edges(data=True) if d.get("kind") != "member"),
                   key=lambda e: (-e[2].get("count", 0), e[0], e[1]))
    return _render(request, "network.html", title="aliansi: network", since=since, until=until,
                   svg=Markup(network_svg(graph)), edges=edges[:40],
                   nodes=graph.number_of_nodes())


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request):
    s = settings(request)
    params = request.query_params
    try:
        filters = api.event_filters(
            request, q=None, actor=params.get("actor"), dyad=None, type=params.getlist("type") or None,
            sector=None, since=params.get("since"), until=params.get("until"), flagged=False,
            context=None, country=None, language=None, article=None, person=None,
            min_confidence=None, min_sources=None, review=None)
        counts = api.country_counts(s, filters)
    except AliansiError as exc:
        return _failed(request, exc)
    names = s.names().label
    return _render(request, "map.html", title="aliansi: map", params=params,
                   svg=Markup(world_map(counts)),
                   counts=[(c, names.get(c, c), n) for c, n in counts.items()])


@router.get("/reviews", response_class=HTMLResponse)
def reviews_page(request: Request):
    s = settings(request)
    verdict = request.query_params.get("verdict") or None
    try:
        if verdict not in (None, "right", "wrong", "corrected"):
            raise api.ParameterError(f"verdict must be right, wrong or corrected, not {verdict!r}",
                                     "verdict")
        found = s.database().store.reviews(verdict=verdict)
    except AliansiError as exc:
        return _failed(request, exc)
    return _render(request, "reviews.html", title="aliansi: reviews", reviews=found[:500],
                   total=len(found), verdict=verdict)
