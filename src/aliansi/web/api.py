"""The REST API under /api/v1 (documented by its OpenAPI schema at /api/v1/openapi.json).

Lists are paged (`limit` up to MAX_PAGE, `offset`) in a stable order (newest first, then
article and event id) and downloadable whole with `format=csv` or `format=jsonl`
(up to MAX_DOWNLOAD rows). Events marked wrong by a review are left out unless
`review` asks for them; corrected ones carry their corrected values.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Iterator, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from aliansi.errors import QueryError
from aliansi.web.app import MAX_DOWNLOAD, MAX_PAGE, NotFound, ParameterError, Settings, settings

router = APIRouter(prefix="/api/v1", tags=["api"])

Format = Literal["json", "csv", "jsonl"]
COUNT_CAP = 1_000       # a list's total is counted up to here ("total_exact": false past it)
COUNT_TIME_MS = 25      # and for this long at most; then it is estimated ("total_estimate")
FACET_SAMPLE = 2_000    # facets count the newest this many matches
FACET_TIME_MS = 100     # for this long at most on the search page (then they are left out)


def list_total(store, filters: dict, first_page: list | None = None,
               limit: int | None = None) -> dict[str, Any]:
    """{"total", "total_exact", "total_estimate"} of a list: its length when
    `first_page` (the list's first `limit` items) is not full, else counted up to
    COUNT_CAP for at most COUNT_TIME_MS, else estimated from a sample of the newest
    events."""
    from aliansi.store.reviews import QueryTimeout

    if first_page is not None and limit is not None and len(first_page) < limit:
        return {"total": len(first_page), "total_exact": True, "total_estimate": None}
    estimate = store.estimate_events(**filters)
    if estimate is not None and estimate > 10 * COUNT_CAP:     # many: not worth counting
        return {"total": None, "total_exact": False, "total_estimate": estimate}
    try:
        with store.time_limit(COUNT_TIME_MS):
            total = store.count_events(**filters, cap=COUNT_CAP)
    except QueryTimeout:
        return {"total": None, "total_exact": False,
                "total_estimate": estimate if estimate is not None else
                store.estimate_events(**filters)}
    return {"total": min(total, COUNT_CAP), "total_exact": total <= COUNT_CAP,
            "total_estimate": None}
# PLOVER's contexts (EVENTS.md, "Modes and contexts")
CONTEXTS = ("military", "intelligence", "executive", "legislative", "election",
            "political_institutions", "pro_democracy", "pro_autocracy", "economic", "legal",
            "reparations", "human_rights", "rights_freedoms", "repression", "human_security",
            "gender", "lgbt", "religion_ethnicity", "inequality", "diplomatic", "territory",
            "peacekeeping", "health", "asylum", "migration", "disasters", "natural_resource",
            "environment", "technology", "terrorism", "cbrn", "cyber", "misinformation", "crime",
            "corruption", "illegal_drugs", "trafficking")


def _checked(fn, value, parameter: str):
    try:
        return fn(value)
    except QueryError as exc:
        raise ParameterError(str(exc), parameter) from None


def event_filters(
    request: Request,
    q: str | None = Query(None, max_length=500, description="Words all in the evidence "
                          "(full text, Indonesian and English; `word*` for a prefix)."),
    actor: str | None = Query(None, max_length=100, description="An actor on either side: "
                              "a code or a name in Indonesian or English."),
    dyad: str | None = Query(None, max_length=200, description="Two actors, comma-separated, "
                             "either direction: `JPN,CHN`."),
    type: list[str] | None = Query(None, description="PLOVER type(s); repeat or comma-separate."),
    sector: str | None = Query(None, max_length=50),
    since: str | None = Query(None, max_length=10, description="YYYY, YYYY-MM or YYYY-MM-DD."),
    until: str | None = Query(None, max_length=10),
    flagged: bool = Query(False, description="Include hypothetical and negated events."),
    context: str | None = Query(None, max_length=50),
    country: str | None = Query(None, max_length=100, description="Where it took place: "
                                "a state's code or name."),
    language: str | None = Query(None, max_length=10),
    article: str | None = Query(None, max_length=300),
    person: str | None = Query(None, max_length=100, description="A person named in the "
                               "event's article."),
    min_confidence: float | None = Query(None, ge=0, le=1),
    min_sources: int | None = Query(None, ge=1, le=1000, description="Minimum corroboration: "
                                    "distinct outlets reporting the occurrence."),
    review: str | None = Query(None, max_length=60, description="Review states, "
                               "comma-separated: unreviewed, right, wrong, corrected, reviewed, "
                               "all (default: all but wrong)."),
) -> dict[str, Any]:
    """The filters of an events query, checked: every bad one is a 400 naming it."""
    from aliansi.queries import date_bound, event_type, sector as check_sector
    from aliansi.store.reviews import review_states

    s: Settings = request.app.state.settings
    filters: dict[str, Any] = {"include_flagged": flagged}
    if q is not None and q.strip():
        filters["q"] = q
        from aliansi.store.reviews import search_query
        _checked(lambda v: search_query(v, "sqlite"), q, "q")
    if actor:
        filters["actor"] = s.code(actor, "actor")
    if dyad:
        parts = [p.strip() for p in dyad.split(",") if p.strip()]
        if len(parts) != 2:
            raise ParameterError(f"dyad must be two actors separated by a comma, not {dyad!r}",
                                 "dyad")
        filters["dyad"] = tuple(s.code(p, "dyad") for p in parts)
    if type:
        kinds = [t for value in type for t in value.split(",") if t.strip()]
        filters["type"] = [_checked(event_type, t, "type") for t in kinds]
    if sector:
        filters["sector"] = _checked(check_sector, sector, "sector")
    filters["since"] = _checked(lambda v: date_bound(v, "since"), since or None, "since")
    filters["until"] = _checked(lambda v: date_bound(v, "until"), until or None, "until")
    if context:
        if context not in CONTEXTS:
            raise ParameterError(f"unknown context {context!r}; one of {', '.join(CONTEXTS)}",
                                 "context")
        filters["context"] = context
    if country:
        filters["country"] = s.code(country, "country", "country")
    for name, value in (("language", language), ("article", article), ("person", person),
                        ("min_confidence", min_confidence), ("min_sources", min_sources)):
        if value not in (None, ""):
            filters[name] = value
    if review:
        filters["review"] = sorted(_checked(review_states, review.split(","), "review"))
    return filters


def page(limit: int = Query(50, ge=1, le=MAX_PAGE, description=f"At most {MAX_PAGE}."),
         offset: int = Query(0, ge=0, le=10_000_000)) -> dict[str, int]:
    return {"limit": limit, "offset": offset}


def _event(e) -> dict[str, Any]:
    data = e.to_dict()
    data["url"] = safe_url(data.get("url"))
    return data


def safe_url(url: str | None) -> str | None:
    """Only http(s) URLs are given out as links (a javascript: URL from a feed is not)."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


@router.get("/events", summary="Events, filtered, searched and paged")
def events(request: Request, filters: dict = Depends(event_filters), paging: dict = Depends(page),
           format: Format = Query("json", description="json (a page), or the whole list as "
                                  "csv or jsonl")):
    store = settings(request).database().store
    if format != "json":
        return _download(request, store, filters, format)
    items = store.events(**filters, **paging)
    counted = list_total(store, filters, None if paging["offset"] else items, paging["limit"])
    nxt = paging["offset"] + paging["limit"]
    more = len(items) == paging["limit"] and (not counted["total_exact"] or nxt < counted["total"])
    # a JSONResponse as it is: FastAPI's encoder would walk every value again
    return JSONResponse({**counted, "limit": paging["limit"], "offset": paging["offset"],
                         "next_offset": nxt if more else None,
                         "items": [_event(e) for e in items]})


@router.get("/events/facets", summary="Counts of the matching events by type, actor, language, "
            f"context, review state and flag (of the newest {FACET_SAMPLE} matches)")
def facets(request: Request, filters: dict = Depends(event_filters)):
    store = settings(request).database().store
    counted = list_total(store, filters)
    sample = FACET_SAMPLE if counted["total"] is None else min(counted["total"], FACET_SAMPLE)
    return {**counted, "sample": sample,
            "facets": store.event_facets(**filters, sample=FACET_SAMPLE)}


_CSV_COLUMNS = ["id", "date", "type", "mode", "source", "target", "location", "location_country",
                "confidence", "hypothetical", "negated", "review", "article_id", "outlet", "url",
                "published", "evidence"]


# A cell a spreadsheet would run as a formula (text from an article can start with "=")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: Any) -> Any:
    """A CSV cell as text a spreadsheet shows, not runs: a leading ' before a formula
    sign (OWASP's advice for CSV downloads); other values as they are."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA) else value


def _download(request: Request, store, filters: dict, format: str) -> StreamingResponse:
    def rows() -> Iterator[str]:
        step, done = 1000, 0
        if format == "csv":
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=_CSV_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            yield buffer.getvalue()
        while done < MAX_DOWNLOAD:
            chunk = store.events(**filters, limit=min(step, MAX_DOWNLOAD - done), offset=done)
            if not chunk:
                break
            done += len(chunk)
            buffer = io.StringIO()
            for e in chunk:
                data = _event(e)
                if format == "jsonl":
                    buffer.write(json.dumps(data, ensure_ascii=False) + "\n")
                else:
                    data.update(source=";".join(data["source"]), target=";".join(data["target"]))
                    csv.DictWriter(buffer, fieldnames=_CSV_COLUMNS, extrasaction="ignore"
                                   ).writerow({k: _inert(v) for k, v in data.items()})
            yield buffer.getvalue()
            if len(chunk) < step:
                break
    media = "text/csv" if format == "csv" else "application/x-ndjson"
    return StreamingResponse(rows(), media_type=f"{media}; charset=utf-8", headers={
        "content-disposition": f'attachment; filename="events.{format}"'})


@router.get("/events/{event_id}", summary="One event with its article, sentence offsets, "
            "review and every report of the same occurrence")
def event(request: Request, event_id: str):
    return event_detail(settings(request), event_id)


def event_detail(s: Settings, event_id: str) -> dict[str, Any]:
    store = s.database().store
    found = store.events_by_id([event_id])
    if not found:
        raise NotFound(f"no event {event_id!r}")
    e = found[0]
    article = store.article(e.article_id)
    sentences = [{"start": x.start, "end": x.end} for x in article.sentences
                 if any(x.start < b and a < x.end for a, b in e.evidence_spans)]
    rows = store.cluster_rows(of_event=e.id)
    others = [o for o in store.events_by_id(r.event_id for r in rows) if o.id != e.id]
    review = store.reviews(event_ids=[e.id])
    return {
        "event": _event(e),
        "article": {"id": article.id, "title": article.title, "url": safe_url(article.url),
                    "outlet": article.outlet, "published": article.published,
                    "language": article.language, "text": article.text,
                    "sources": [{**x, "url": safe_url(x.get("url"))}
                                for x in store.sources(article.id)]},
        "sentences": sentences,
        "occurrence": {"cluster": rows[0].cluster_id if rows else None,
                       "reports": [_event(o) for o in others],
                       "outlets": len({o.outlet or f"article:{o.article_id}"
                                       for o in [e, *others]})},
        "review": review[0].to_dict() if review else None,
        "history": [r.to_dict() for r in store.review_history(e.id)],
    }


@router.get("/events/{event_id}/explain", summary="How the extractor read the event's "
            "sentence: its actors, times, the events made and why other triggers made none")
def explain(request: Request, event_id: str):
    return explain_event(settings(request), event_id)


def explain_event(s: Settings, event_id: str) -> dict[str, Any]:
    """`aliansi explain` on the event's article, for the sentences of its evidence (the
    pipeline runs again on the stored text)."""
    from aliansi import api as aliansi_api

    store = s.database().store
    found = store.events_by_id([event_id])
    if not found:
        raise NotFound(f"no event {event_id!r}")
    e = found[0]
    stored = store.article(e.article_id)
    record = {k: getattr(stored, k) for k in ("id", "text", "published", "language", "title",
                                              "url", "outlet")}

    def run(pipeline):
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory(prefix="aliansi-explain-") as folder:
            path = Path(folder) / "article.jsonl"
            path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
            return [rows for _, rows in aliansi_api.explain([path], pipeline=pipeline)]
    (rows,) = s.run_pipeline(run)
    wanted = [r for r in rows if r["sentence"].strip() and (r["sentence"].strip() in e.evidence
                                                            or e.evidence in r["sentence"])]
    return {"event_id": e.id, "sentences": [{
        "sentence": r["sentence"],
        "actors": [{"text": t, "actor": c} for t, c in r["actors"]],
        "times": [{"text": t, "value": v} for t, v in r["times"]],
        "events": [{"type": x.type, "source": list(x.source), "target": list(x.target),
                    "date": x.date, "rule": x.rule, "trigger": x.trigger,
                    "hypothetical": x.hypothetical, "negated": x.negated} for x in r["events"]],
        "not_events": [{"type": m["type"], "trigger": m["trigger"], "why": m["why"]}
                       for m in r["not_events"]]} for r in wanted]}


@router.get("/actors", summary="Actors the knowledge base knows and the store has seen")
def actors(request: Request, q: str | None = Query(None, max_length=100,
                                                   description="Part of a code or name."),
           seen: bool = Query(False, description="Only actors with stored events."),
           paging: dict = Depends(page)):
    s = settings(request)
    kb = s.knowledge_base()
    counts = dict(s.database().store.actors_seen())
    names = s.names()
    rows = []
    for code in sorted(set(names.label) | set(counts)):
        if seen and not counts.get(code):
            continue
        label = names.label.get(code, code)
        if q and q.casefold() not in code.casefold() and q.casefold() not in label.casefold():
            continue
        try:
            kind = kb.kind(code)
        except KeyError:
            kind = "unknown"
        rows.append({"code": code, "name": label, "kind": kind, "events": counts.get(code, 0)})
    rows.sort(key=lambda r: (-r["events"], r["code"]))
    start = paging["offset"]
    return {"total": len(rows), "limit": paging["limit"], "offset": start,
            "items": rows[start:start + paging["limit"]]}


@router.get("/actors/lookup", summary="A name in Indonesian or English to its actor code")
def lookup(request: Request, name: str = Query(..., min_length=1, max_length=100)):
    s = settings(request)
    code = s.code(name, "name")
    return {"name": name, "code": code, "label": s.names().label.get(code, code)}


@router.get("/actors/{code}", summary="An actor's profile: memberships, events by type, "
            "partners, persons")
def actor(request: Request, code: str, since: str | None = None, until: str | None = None):
    from aliansi.queries import date_bound

    s = settings(request)
    code = s.code(code, "code")
    since = _checked(lambda v: date_bound(v, "since"), since, "since")
    until = _checked(lambda v: date_bound(v, "until"), until, "until")
    return s.database().actor(code, since=since, until=until).to_dict()


@router.get("/dyads/{a}/{b}", summary="A dyad's counts and cooperation–conflict scores per "
            "period: A→B, B→A and both")
def dyad(request: Request, a: str, b: str, by: Literal["week", "month", "year"] = "month",
         since: str | None = None, until: str | None = None,
         per_report: bool = False):
    return dyad_series(settings(request), a, b, by=by, since=since, until=until,
                       per_report=per_report)


def dyad_series(s: Settings, a: str, b: str, *, by: str = "month", since: str | None = None,
                until: str | None = None, per_report: bool = False) -> dict[str, Any]:
    from aliansi.queries import date_bound

    a, b = s.code(a, "a"), s.code(b, "b")
    if a == b:
        raise ParameterError(f"a dyad needs two different actors, got {a} twice", "b")
    since = _checked(lambda v: date_bound(v, "since"), since, "since")
    until = _checked(lambda v: date_bound(v, "until"), until, "until")
    from aliansi.dyads import dyad as count

    database = s.database()
    # the dyad's rows read once for the three directions (as Database.dyad reads them)
    rows = database.store.event_rows(dyad=(a, b), since=since, until=until)
    clusters = None if per_report else {r.id: r.cluster_id for r in rows if r.cluster_id}
    return {"a": a, "b": b, "by": by, "since": since, "until": until,
            "unit": "reports" if per_report else "occurrences",
            "directions": {d: count(rows, a, b, by=by, scores=database.scores, cluster_of=clusters,
                                    direction=d).to_rows()
                           for d in ("a->b", "b->a", "both")}}


@router.get("/network", summary="The actor network of a time window (node-link JSON)")
def network(request: Request, since: str | None = None, until: str | None = None,
            memberships: bool = True):
    from aliansi.network import communities, network_json
    from aliansi.queries import date_bound

    since = _checked(lambda v: date_bound(v, "since"), since, "since")
    until = _checked(lambda v: date_bound(v, "until"), until, "until")
    graph = settings(request).database().network(since, until, memberships=memberships)
    data = network_json(graph)
    data["communities"] = [sorted(c) for c in communities(graph)]
    return data


@router.get("/clusters", summary="Occurrences reported across articles, most corroborated first")
def clusters(request: Request, actor: str | None = None, type: str | None = None,
             since: str | None = None, until: str | None = None,
             min_sources: int = Query(1, ge=1), paging: dict = Depends(page)):
    from aliansi.queries import date_bound, event_type

    s = settings(request)
    filters = {"actor": s.code(actor, "actor") if actor else None,
               "type": _checked(event_type, type, "type") if type else None,
               "since": _checked(lambda v: date_bound(v, "since"), since, "since"),
               "until": _checked(lambda v: date_bound(v, "until"), until, "until")}
    found = [c for c in s.database().clusters(**filters) if c.corroboration >= min_sources]
    found.sort(key=lambda c: (-c.corroboration, c.date or "", c.id))
    start = paging["offset"]
    return {"total": len(found), "limit": paging["limit"], "offset": start,
            "items": [c.to_dict() for c in found[start:start + paging["limit"]]]}


@router.get("/articles", summary="Stored articles, newest first")
def articles(request: Request, paging: dict = Depends(page)):
    store = settings(request).database().store
    rows = store.articles(limit=paging["offset"] + paging["limit"])[paging["offset"]:]
    total = int(store._one("SELECT COUNT(*) FROM articles"))
    return {"total": total, "limit": paging["limit"], "offset": paging["offset"],
            "items": [{**r.to_dict(), "url": safe_url(r.url)} for r in rows]}


class ArticlesIn(BaseModel):
    articles: list[dict[str, Any]] = Field(..., min_length=1, max_length=50, description=
                                           "Article records (EVENTS.md §1: id, text, published, "
                                           "language, title, url, outlet; text required).")


@router.post("/articles", summary="Extract and store articles (needs the token)", status_code=201)
def ingest(request: Request, body: ArticlesIn):
    from aliansi.errors import InputError
    from aliansi.readers import article_from_record

    s = settings(request)
    s.check_token(request)
    articles = []
    for number, record in enumerate(body.articles, 1):
        try:
            articles.append(article_from_record(record, origin="POST /api/v1/articles",
                                                record_no=number))
        except InputError as exc:
            raise ParameterError(str(exc), f"articles.{number - 1}") from None
    database = s.database()
    extracted = s.run_pipeline(lambda pipeline: list(pipeline.pipe(articles)))
    return database.ingest(extracted).to_dict()


@router.get("/articles/{article_id}", summary="One article with its text and events")
def article(request: Request, article_id: str):
    store = settings(request).database().store
    if article_id not in store:
        raise NotFound(f"no article {article_id!r}")
    a = store.article(article_id)
    return {"id": a.id, "title": a.title, "url": safe_url(a.url), "outlet": a.outlet,
            "published": a.published, "language": a.language, "text": a.text,
            "events": [_event(e) for e in store.events(article=article_id, include_flagged=True,
                                                        review="all")]}


@router.get("/map", summary="Located events per country")
def located(request: Request, filters: dict = Depends(event_filters)):
    return {"countries": country_counts(settings(request), filters)}


def country_counts(s: Settings, filters: dict) -> dict[str, int]:
    store = s.database().store
    where, params = store._where({k: v for k, v in filters.items() if k != "review"})
    from aliansi.store.reviews import review_clause, review_states
    clause = review_clause(review_states(filters.get("review")))
    if clause:
        where.append(clause)
    where.append("e.location_country IS NOT NULL")
    rows = store._rows("SELECT e.location_country AS c, COUNT(*) AS n FROM events e JOIN articles a "
                       "ON a.id = e.article_id WHERE " + " AND ".join(where)
                       + " GROUP BY e.location_country ORDER BY n DESC, c", params)
    return {r["c"]: int(r["n"]) for r in rows}


class ReviewIn(BaseModel):
    event_id: str = Field(..., max_length=100)
    verdict: Literal["right", "wrong", "corrected"]
    reason: str | None = Field(None, max_length=2000)
    reviewer: str = Field("web", min_length=1, max_length=100)
    correction: dict[str, Any] | None = Field(None, description="For `corrected`: any of type, "
                                              "source, target, date, hypothetical, negated.")


@router.post("/reviews", summary="Mark an event right or wrong, or correct it (needs the token)",
             status_code=201)
def post_review(request: Request, body: ReviewIn):
    s = settings(request)
    s.check_token(request)
    correction = dict(body.correction or {})
    for side in ("source", "target"):
        if side in correction:
            codes = correction[side]
            codes = codes.replace(",", " ").split() if isinstance(codes, str) else codes
            if not isinstance(codes, list):
                raise ParameterError(f"{side} must be a list of actors", f"correction.{side}")
            correction[side] = [s.code(c, f"correction.{side}") for c in codes]
    store = s.database().store
    if not store.events_by_id([body.event_id], corrections=False):
        raise NotFound(f"no event {body.event_id!r}")
    try:
        review = store.review(body.event_id, body.verdict, reviewer=body.reviewer,
                              reason=body.reason, correction=correction or None)
    except QueryError as exc:
        raise ParameterError(str(exc), "correction") from None
    return review.to_dict()


@router.get("/reviews/gold", summary="The reviewed events as gold: one EVENTS.md document per "
            "line (JSON Lines), as `aliansi review export` writes them")
def gold(request: Request, complete_only: bool = False):
    documents = settings(request).database().store.gold(complete_only=complete_only)
    body = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents)
    return StreamingResponse(iter([body]), media_type="application/x-ndjson; charset=utf-8",
                             headers={"content-disposition": 'attachment; filename="gold.jsonl"'})


@router.get("/reviews", summary="The current reviews, latest first")
def reviews(request: Request, verdict: Literal["right", "wrong", "corrected"] | None = None,
            paging: dict = Depends(page)):
    found = settings(request).database().store.reviews(verdict=verdict)
    start = paging["offset"]
    return {"total": len(found), "limit": paging["limit"], "offset": start,
            "items": [r.to_dict() for r in found[start:start + paging["limit"]]]}
