"""Long listings read lean: one SQL row an event, made into what a line shows.

`Store.iter_events` makes a `StoredEvent` of every row, its agents and evidence spans
read by further queries. A listing of 100,000 events spends most of its time there, so
the listings that print or export every event (`aliansi events`, `aliansi export`)
read `Store.iter_listed(kind, **filters)` instead: the columns of the kind only, as
plain tuples, the event's agents and evidence spans from its own row (`events.agents`,
`events.spans`, migration 22), in the order and with the filters and reviews of
`Store.events`. JSON comes as text and is decoded here (`store.base.decode_json`; on
PostgreSQL, cast from JSONB, which psycopg would decode through two more Python calls a
value). Two kinds:

- TABLE: a `ListedEvent` each, what the table of `aliansi events` shows;
- RECORD: the dict of `StoredEvent.to_dict` each (JSON lines, CSV, exports).

Corrected events (few) are read in full, as `Store.iter_events` reads them, and made
into items of the same kind.
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

from aliansi.store.reviews import _Desc

# a JSON column as text
_TEXT = {"sqlite": "", "postgresql": "::text"}
_REVIEW = "(SELECT r.verdict FROM reviews r WHERE r.event_id = e.id)"


class ListedEvent(NamedTuple):
    """An event as the table of `aliansi events` shows it: each side's actors with the
    sector each was named by (None when it was named as itself)."""
    id: str
    article_id: str
    date: str | None
    type: str
    source: list[tuple[str, str | None]]
    target: list[tuple[str, str | None]]
    hypothetical: bool
    negated: bool
    evidence: str
    order: str | None       # the date it is listed by: its date, else its article's published


class Listing:
    """One kind of listed item: its SQL columns (the row's last three are the event's
    sort date, article and id, by which a list goes on after a page), how rows become
    items, and how a corrected StoredEvent becomes one."""

    def __init__(self, name: str, columns: Callable[[str], str], joins_articles: bool,
                 items: Callable[[list[tuple], Callable], list],
                 of_event: Callable[[Any], Any], key: Callable[[Any], tuple]):
        self.name, self.columns, self.joins_articles = name, columns, joins_articles
        self.items, self.of_event, self.key = items, of_event, key

    def sql(self, backend: str, where: list[str], order: str) -> str:
        articles = " JOIN articles a ON a.id = e.article_id" if self.joins_articles else ""
        return (f"SELECT {self.columns(backend)}, e.sort_date, e.article_id, e.id "
                f"FROM events e{articles}"
                f"{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY {order}")

    @staticmethod
    def after(row: tuple) -> tuple:
        """(sort date, article, id) of a row."""
        return row[-3], row[-2], row[-1]


# --- TABLE ---------------------------------------------------------------------------

def _table_columns(backend: str) -> str:
    t = _TEXT[backend]
    return (f"e.date, e.type, e.source{t}, e.target{t}, e.hypothetical, e.negated, "
            f"e.evidence, e.agents{t}")


def _table_items(rows: list[tuple], decode: Callable) -> list[ListedEvent]:
    items = []
    for date, type_, source, target, hypothetical, negated, evidence, agents, order, \
            article, id in rows:
        source, target = decode(source), decode(target)
        if agents is None:
            sides = [(code, None) for code in source], [(code, None) for code in target]
        else:
            named = {(role, actor): sector for role, actor, _, sector in decode(agents)}
            sides = ([(code, named.get(("source", code))) for code in source],
                     [(code, named.get(("target", code))) for code in target])
        items.append(ListedEvent(id, article, date, type_, *sides, bool(hypothetical),
                                 bool(negated), evidence, order))
    return items


def _table_item(e: Any) -> ListedEvent:
    return ListedEvent(e.id, e.article_id, e.date, e.type,
                       [(a["actor"], a["sector"]) for a in e.source_agents],
                       [(a["actor"], a["sector"]) for a in e.target_agents],
                       e.hypothetical, e.negated, e.evidence, e.date or e.published)


TABLE = Listing("table", _table_columns, False, _table_items, _table_item,
                lambda e: (_Desc(e.order), e.article_id, e.id))


# --- RECORD --------------------------------------------------------------------------

# `StoredEvent.to_dict`'s keys, in its order, and the columns that give them
_RECORD_KEYS = ("id", "article_id", "type", "source", "target", "evidence", "evidence_spans",
                "mode", "context", "date", "date_precision", "date_text", "date_basis",
                "location", "location_country", "hypothetical", "negated", "confidence",
                "rule", "trigger", "url", "outlet", "title", "published", "source_agents",
                "target_agents", "review")


def _record_columns(backend: str) -> str:
    t = _TEXT[backend]
    return (f"e.id, e.article_id, e.type, e.source{t}, e.target{t}, e.evidence, "
            f"e.spans{t}, e.mode, e.context{t}, e.date, e.date_precision, e.date_text, "
            "e.date_basis, e.location, e.location_country, e.hypothetical, e.negated, "
            'e.confidence, e.rule, e."trigger", a.url, a.outlet, a.title, a.published, '
            f"e.agents{t}, NULL, {_REVIEW}")


def _record_items(rows: list[tuple], decode: Callable) -> list[dict]:
    items = []
    for row in rows:
        d = dict(zip(_RECORD_KEYS, row))
        source = d["source"] = decode(d["source"])
        target = d["target"] = decode(d["target"])
        d["context"] = decode(d["context"])
        spans = d["evidence_spans"]
        d["evidence_spans"] = [] if spans is None else decode(spans)
        d["hypothetical"], d["negated"] = bool(d["hypothetical"]), bool(d["negated"])
        named: dict[tuple[str, str], dict] = {}
        agents = d["source_agents"]
        for role, actor, agent, sector in () if agents is None else decode(agents):
            named[role, actor] = {"actor": actor, "agent": agent, "sector": sector}
        d["source_agents"] = [named.get(("source", code)) or
                              {"actor": code, "agent": None, "sector": None} for code in source]
        d["target_agents"] = [named.get(("target", code)) or
                              {"actor": code, "agent": None, "sector": None} for code in target]
        items.append(d)
    return items


def _record_key(d: dict) -> tuple:
    return (_Desc(d["date"] or d["published"]), d["article_id"], d["id"])


RECORD = Listing("record", _record_columns, True, _record_items, lambda e: e.to_dict(),
                 _record_key)

KINDS = {listing.name: listing for listing in (TABLE, RECORD)}


# --- clusters ------------------------------------------------------------------------

class ListedCluster(NamedTuple):
    """A cluster as the table of `aliansi clusters` shows it: its date, type and sides
    (its first report's), corroboration, and (article, evidence) of each report in
    the clusters' order of reports."""
    date: str | None
    type: str
    source: list[str]
    target: list[str]
    corroboration: int
    reports: list[tuple[str, str]]


# (the sides as text: on PostgreSQL, not decoded from JSONB for every report but the first)
_CLUSTER_REPORTS = (
    "SELECT c.cluster_id, e.article_id, e.evidence, e.type, e.source{text}, e.target{text} "
    "FROM event_clusters c JOIN events e ON e.id = c.event_id "
    "JOIN articles a ON a.id = e.article_id WHERE {where} "
    # the order of `aliansi.dedup`'s members: published ("9999" when unknown), article,
    # id, compared as Python compares strings (PostgreSQL: by code point, not by locale)
    "ORDER BY c.cluster_id, COALESCE(NULLIF(a.published, ''), '9999'){c}, "
    "e.article_id{c}, e.id{c}")


def listed_clusters(db: Any, summaries: dict[str, tuple[int, str | None]]
                    ) -> dict[str, ListedCluster]:
    """The clusters of `summaries` ({cluster: (outlets, date)} of `cluster_summary`) as
    listed, from their reports as stored; a cluster left without reports (re-ingested
    meanwhile) is left out."""
    from aliansi.store.base import decode_json

    ids, found = list(summaries), {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        reports: dict[str, list[tuple]] = {}
        where, params = db.one_of("c.cluster_id", chunk)
        postgres = db.name == "postgresql"
        sql = _CLUSTER_REPORTS.format(where=where, text="::text" if postgres else "",
                                      c=' COLLATE "C"' if postgres else "")
        for row in db.tuples(sql, params).fetchall():
            reports.setdefault(row[0], []).append(row)
        for cluster, rows in reports.items():
            _, _, _, type_, source, target = rows[0]
            outlets, date = summaries[cluster]
            found[cluster] = ListedCluster(date, type_, list(decode_json(source)),
                                           list(decode_json(target)), outlets,
                                           [(r[1], r[2] or "") for r in rows])
    return found


def listed_cluster(cluster: Any) -> ListedCluster:
    """An `aliansi.dedup.EventCluster` as listed."""
    return ListedCluster(cluster.date, cluster.type, cluster.source, cluster.target,
                         cluster.corroboration,
                         [(m.article_id, m.evidence) for m in cluster.members])
