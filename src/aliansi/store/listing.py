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
- RECORD: the dict of `StoredEvent.to_dict` each (JSON lines, CSV);
- EXPORTED: the rows of `aliansi export`: RECORD's with each side's agents and sectors
  as lists of text, and the event's occurrence (cluster).

Corrected events (few) are read in full, as `Store.iter_events` reads them, and made
into items of the same kind.
"""
from __future__ import annotations

import itertools
from operator import itemgetter
from typing import Any, Callable, Iterable, NamedTuple, Sequence

from aliansi.store.reviews import _Desc

SEEN_MOST = 20_000      # the most values a listing keeps made to share (`Listing.made`)

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
    source: tuple[tuple[str, str | None], ...]
    target: tuple[tuple[str, str | None], ...]
    hypothetical: bool
    negated: bool
    evidence: str
    order: str | None       # the date it is listed by: its date, else its article's published


class Listing:
    """One kind of listed item: its SQL columns (the row's last three are the event's
    sort date, article and id, by which a list goes on after a page), how rows become
    items (`items(rows, decode, seen)`, with `seen` a dict kept through one listing for
    what its items may share), and how a corrected StoredEvent becomes one."""

    def __init__(self, name: str, columns: Callable[[str], str], joins_articles: bool,
                 items: Callable[[list[tuple], Callable], list],
                 of_event: Callable[[Any], Any], key: Callable[[Any], tuple]):
        self.name, self.columns, self.joins_articles = name, columns, joins_articles
        self.items, self.of_event, self.key = items, of_event, key

    def sql(self, backend: str, where: list[str], order: str, join: str = "") -> str:
        articles = " JOIN articles a ON a.id = e.article_id" if self.joins_articles else ""
        return (f"SELECT {self.columns(backend)}, e.sort_date, e.article_id, e.id "
                f"FROM events e{join}{articles}"
                f"{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY {order}")

    def made(self, rows: list[tuple], decode: Callable, seen: dict) -> list:
        """`items` of `rows`, `seen` emptied first when it holds SEEN_MOST values (so
        that memory stays flat however long the listing)."""
        if len(seen) > SEEN_MOST:
            seen.clear()
        return self.items(rows, decode, seen)

    @staticmethod
    def after(row: tuple) -> tuple:
        """(sort date, article, id) of a row."""
        return row[-3], row[-2], row[-1]


# --- TABLE ---------------------------------------------------------------------------

def _table_columns(backend: str) -> str:
    t = _TEXT[backend]
    return (f"e.date, e.type, e.source{t}, e.target{t}, e.hypothetical, e.negated, "
            f"e.evidence, e.agents{t}")


def _table_items(rows: list[tuple], decode: Callable, seen: dict) -> list[ListedEvent]:
    items = []
    for date, type_, source, target, hypothetical, negated, evidence, agents, order, \
            article, id in rows:
        # (a listing's events share a few thousand pairs of sides: each made once)
        sides = seen.get((source, target, agents))
        if sides is None:
            sides = seen[source, target, agents] = _sides(decode(source), decode(target),
                                                          agents and decode(agents))
        items.append(ListedEvent(id, article, date, type_, *sides, bool(hypothetical),
                                 bool(negated), evidence, order))
    return items


def _sides(source: list[str], target: list[str], agents: list | None) -> tuple[tuple, tuple]:
    named = {(role, actor): sector for role, actor, _, sector in agents or ()}
    return (tuple((code, named.get(("source", code))) for code in source),
            tuple((code, named.get(("target", code))) for code in target))


def _table_item(e: Any) -> ListedEvent:
    return ListedEvent(e.id, e.article_id, e.date, e.type,
                       tuple((a["actor"], a["sector"]) for a in e.source_agents),
                       tuple((a["actor"], a["sector"]) for a in e.target_agents),
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


def _record_items(rows: list[tuple], decode: Callable, seen: dict) -> list[dict]:
    items = []
    for row in rows:
        d = dict(zip(_RECORD_KEYS, row))
        source = d["source"] = decode(d["source"])
        target = d["target"] = decode(d["target"])
        d["context"] = decode(d["context"])
        spans = d["evidence_spans"]
        d["evidence_spans"] = [] if spans is None else decode(spans)
        d["hypothetical"], d["negated"] = bool(d["hypothetical"]), bool(d["negated"])
        agents = d["source_agents"]
        named = _named(() if agents is None else decode(agents))
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


# --- EXPORTED: a row of `aliansi export` ---------------------------------------------

_OCCURRENCE = "(SELECT c.cluster_id FROM event_clusters c WHERE c.event_id = e.id)"


def _exported_items(rows: list[tuple], decode: Callable, seen: dict) -> list[dict]:
    """RECORD's dicts as exported: each side's agents and sectors as two lists of text
    aligned with its actors ("" where the text named the state itself), and
    "occurrence", the event's cluster (None when it is not clustered yet). Lists are
    shared between rows (a listing's events share a few thousand sides and contexts):
    a writer replaces a value, never changes it."""
    items = []
    for row in rows:
        d = dict(zip(_RECORD_KEYS, row))
        key = (d["source"], d["target"], d["source_agents"])
        sides = seen.get(key)
        if sides is None:
            source, target = decode(d["source"]), decode(d["target"])
            agents = _named(decode(d["source_agents"]) if d["source_agents"] else ())
            sides = seen[key] = (source, target, _agent_columns(source, target, agents))
        d["source"], d["target"], agent_columns = sides
        context = d["context"]
        d["context"] = seen.get(context)
        if d["context"] is None:
            d["context"] = seen[context] = decode(context)
        spans = d["evidence_spans"]
        d["evidence_spans"] = [] if spans is None else decode(spans)
        d["hypothetical"], d["negated"] = bool(d["hypothetical"]), bool(d["negated"])
        del d["source_agents"], d["target_agents"]
        d.update(agent_columns)
        d["occurrence"] = row[-4]
        items.append(d)
    return items


def _named(agents: Iterable[Sequence]) -> dict[tuple[str, str], dict]:
    return {(role, actor): {"actor": actor, "agent": agent, "sector": sector}
            for role, actor, agent, sector in agents}


def _agent_columns(source: list[str], target: list[str], named: dict) -> dict[str, list[str]]:
    columns = {}
    for role, codes in (("source", source), ("target", target)):
        found = [named.get((role, code)) or {} for code in codes]
        columns[f"{role}_agents"] = [a.get("agent") or "" for a in found]
        columns[f"{role}_sectors"] = [a.get("sector") or "" for a in found]
    return columns


def _exported(d: dict) -> dict:
    """A dict of `StoredEvent.to_dict` as `_exported_items` makes rows (occurrence None)."""
    named = {(role, a["actor"]): a for role in ("source", "target") for a in d[f"{role}_agents"]}
    del d["source_agents"], d["target_agents"]
    d.update(_agent_columns(d["source"], d["target"], named))
    d["occurrence"] = None
    return d


EXPORTED = Listing("exported", lambda backend: f"{_record_columns(backend)}, {_OCCURRENCE}",
                   True, _exported_items, lambda e: _exported(e.to_dict()), _record_key)

KINDS = {listing.name: listing for listing in (TABLE, RECORD, EXPORTED)}


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


def cluster_reports(db: Any, clusters: list[str]) -> tuple[str, list[Any]]:
    """The query (SQL, parameters) of the reports of these clusters (at most 500),
    whose rows `listed_clusters` takes."""
    where, params = db.one_of("c.cluster_id", clusters)
    postgres = db.name == "postgresql"
    return (_CLUSTER_REPORTS.format(where=where, text="::text" if postgres else "",
                                    c=' COLLATE "C"' if postgres else ""), params)


def listed_clusters(rows: list[tuple], summaries: dict[str, tuple[int, str | None]]
                    ) -> dict[str, ListedCluster]:
    """The clusters of `summaries` ({cluster: (outlets, date)} of `cluster_summary`) as
    listed, from the rows of their `cluster_reports` query; a cluster left without
    reports (re-ingested meanwhile) is left out."""
    from aliansi.store.base import decode_json

    found = {}
    for cluster, reports in itertools.groupby(rows, key=itemgetter(0)):  # ordered by cluster
        _, article, evidence, type_, source, target = first = next(reports)
        outlets, date = summaries[cluster]
        found[cluster] = ListedCluster(date, type_, list(decode_json(source)),
                                       list(decode_json(target)), outlets,
                                       [first[1:3], *map(itemgetter(1, 2), reports)])
    return found


def listed_cluster(cluster: Any) -> ListedCluster:
    """An `aliansi.dedup.EventCluster` as listed."""
    return ListedCluster(cluster.date, cluster.type, cluster.source, cluster.target,
                         cluster.corroboration,
                         [(m.article_id, m.evidence) for m in cluster.members])
