"""The alliance network: actors as nodes, cooperation, conflict and membership as edges.

    graph = build_network(store.events(), since="2025-01")
    communities(graph)              # blocs: greedy modularity on the cooperation graph
    bridges(graph)                  # actors between blocs, by betweenness
    write_network(graph, "net.graphml")     # or .gexf, .json (node-link, for the web)

`build_network` returns a `networkx.MultiDiGraph`. Nodes are actor codes with `name`
and `kind` ("state", "org" or "unknown") from the knowledge base. Between two actors
there is at most one edge of each kind, directed source -> target:

- kind "cooperation": events with a positive PLOVER value;
- kind "conflict": events with a negative value;
- kind "neutral": events valued 0 (REQUEST);
- kind "member": member -> organisation, from the knowledge base (`memberships=True`).

Event edges carry `count` (events), `score` (summed PLOVER values, signed), `weight`
(the same as a magnitude, so conflict edges weigh more the worse they are) and `types`
("ASSAULT=2;COERCE=1"). Membership edges have weight 1, count 0, score 0. An event
with several sources or targets adds to every source -> target pair (not to a pair
of the same actor). Flagged events never count.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from aliansi.dyads import EventLike, PloverScores, date_range, occurrences
from aliansi.errors import ConfigError
from aliansi.outputs import output_file

if TYPE_CHECKING:       # imported where a graph is made: counting edges does not need it
    import networkx as nx

log = logging.getLogger(__name__)

EDGE_KINDS = ("cooperation", "conflict", "neutral", "member")
FORMATS = ("graphml", "gexf", "json")


def _when(event: Any) -> str | None:
    return getattr(event, "date", None) or getattr(event, "published", None)


def in_window(value: str | None, since: str | None, until: str | None) -> bool:
    """Whether a (partial) date lies in [since, until], compared at the coarser precision
    like `Store.events`: "2025-12" is inside since="2025-12-05". No date: only when no bound."""
    if since is None and until is None:
        return True
    if value is None:
        return False
    start, end, _ = date_range(value)
    if since is not None and end < date_range(since)[0]:
        return False
    if until is not None and start > date_range(until)[1]:
        return False
    return True


def _check_bound(name: str, value: str | None) -> None:
    if value is not None:
        try:
            date_range(value)
        except ValueError as exc:
            raise ConfigError(f"{name}: {exc}") from exc


def build_network(events: Iterable[EventLike], *, since: str | None = None,
                  until: str | None = None, kb: Any = None, memberships: bool = True,
                  members: Mapping[str, Iterable[str]] | None = None,
                  scores: PloverScores | None = None,
                  cluster_of: Mapping[str, str] | None = None) -> nx.MultiDiGraph:
    """The network of the `events` dated (or, undated, published) in [since, until].

    An edge's `count` is the number of occurrences (the reports of one event in one
    cluster of `cluster_of` count once), `reports` the articles behind them.

    Names, kinds and memberships come from `kb` (the knowledge base, loaded when None).
    Memberships are those on `until` (today when no `until`), for every organisation
    with at least one member in the graph; `members` replaces them with a fixed mapping
    (organisation -> member codes).
    """
    _check_bound("since", since)
    _check_bound("until", until)
    return network_from_counts(occurrence_counts(events, cluster_of, since, until),
                               since=since, until=until, kb=kb, memberships=memberships,
                               members=members, scores=scores)


def occurrence_counts(events: Iterable[EventLike], cluster_of: Mapping[str, str] | None = None,
                      since: str | None = None, until: str | None = None
                      ) -> list[tuple[str, str, str, str | None, int, int]]:
    """(source, target, type, mode, occurrences, reports) of `events`, each occurrence
    (`aliansi.dyads.occurrences`) counted once as its lead report states it, if that is
    unflagged and in [since, until]: what `Store.network_counts` counts in SQL."""
    return pair_counts((lead.source, lead.target, lead.type, lead.mode, 1,
                        len({getattr(e, "article_id", id(e)) for e in reports}))
                       for reports in occurrences(events, cluster_of)
                       for lead in reports[:1]
                       if not (lead.hypothetical or lead.negated)
                       and in_window(_when(lead), since, until))


def pair_counts(leads: Iterable[tuple[Sequence[str], Sequence[str], str, str | None, int, int]]
                ) -> list[tuple[str, str, str, str | None, int, int]]:
    """(source, target, type, mode, occurrences, reports) per pair of a source and another
    target, from the (source, target, type, mode, occurrences, reports) of occurrences
    whose leads state the same (one each, or counted together)."""
    counts: Counter = Counter()
    reports_of: Counter = Counter()
    for source, target, type, mode, n, reports in leads:
        for s, t in {(s, t) for s in source for t in target if s != t}:
            counts[(s, t, type, mode)] += n
            reports_of[(s, t, type, mode)] += reports
    return [(*key, n, reports_of[key]) for key, n in counts.items()]


def edge_totals(counts: Iterable[tuple[str, str, str, str | None, int, int]],
                scores: PloverScores) -> dict[tuple[str, str, str], dict[str, Any]]:
    """{(source, target, kind): {"count", "reports", "score", "types"}} of the event edges
    `network_from_counts` draws from `counts` (kind by the sign of the PLOVER value;
    `score` summed, signed, unrounded; `types` a Counter)."""
    totals: dict[tuple[str, str, str], dict[str, Any]] = {}
    for s, t, type, mode, count, reports in counts:
        value = scores.score(type, mode)
        kind = "cooperation" if value > 0 else "conflict" if value < 0 else "neutral"
        edge = totals.setdefault((s, t, kind), {"count": 0, "reports": 0, "score": 0.0,
                                                "types": Counter()})
        edge["count"] += count
        edge["reports"] += reports
        edge["score"] += value * count
        edge["types"][type] += count
    return totals


def network_from_counts(counts: Iterable[tuple[str, str, str, str | None, int, int]], *,
                        since: str | None = None, until: str | None = None, kb: Any = None,
                        memberships: bool = True,
                        members: Mapping[str, Iterable[str]] | None = None,
                        scores: PloverScores | None = None) -> nx.MultiDiGraph:
    """`build_network` from counts a store made (`Store.network_counts`): (source, target,
    type, mode, occurrences, reports) per pair, type and mode, of the occurrences in
    [since, until]. The same graph, without holding the events."""
    _check_bound("since", since)
    _check_bound("until", until)
    if kb is None:
        from aliansi.kb import KnowledgeBase
        kb = KnowledgeBase.load()
    import networkx as nx

    graph = nx.MultiDiGraph(since=since or "", until=until or "")
    totals = edge_totals(counts, scores or PloverScores.load())
    for (s, t, kind), edge in sorted(totals.items()):
        for code in (s, t):
            _add_node(graph, code, kb)
        graph.add_edge(s, t, key=kind, kind=kind, count=edge["count"], reports=edge["reports"],
                       score=round(edge["score"], 3), weight=round(abs(edge["score"]), 3),
                       types=";".join(f"{k}={v}" for k, v in sorted(edge["types"].items())))
    if memberships:
        _add_memberships(graph, kb, members, until)
    log.info("network: %d actors, %d edges", graph.number_of_nodes(), graph.number_of_edges())
    return graph


def _add_node(graph: nx.MultiDiGraph, code: str, kb: Any) -> None:
    if code in graph:
        return
    try:
        name, kind = kb.name(code), kb.kind(code)
    except KeyError:
        name, kind = code, "unknown"
    graph.add_node(code, name=name, kind=kind)


def _add_memberships(graph: nx.MultiDiGraph, kb: Any,
                     members: Mapping[str, Iterable[str]] | None, until: str | None) -> None:
    if members is not None:
        table = {org: set(codes) for org, codes in members.items()}
    else:
        day = date_range(until)[1] if until else dt.date.today()
        table = {org: kb.members(org, on=day) for org, o in kb.organisations.items() if o.members}
    actors = set(graph.nodes)
    for org, codes in sorted(table.items()):
        present = sorted((codes & actors) - {org})
        if not present:
            continue
        _add_node(graph, org, kb)
        for code in present:
            graph.add_edge(code, org, key="member", kind="member", count=0, score=0.0,
                           weight=1.0, types="")


# --- analysis ----------------------------------------------------------------------------

def _projection(graph: nx.MultiDiGraph, kinds: Iterable[str]) -> nx.Graph:
    """An undirected simple graph of the chosen edge kinds, weights summed."""
    import networkx as nx

    kinds = set(kinds)
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes(data=True))
    for u, v, data in graph.edges(data=True):
        if data.get("kind") not in kinds or u == v:
            continue
        if simple.has_edge(u, v):
            simple[u][v]["weight"] += data["weight"]
        else:
            simple.add_edge(u, v, weight=data["weight"])
    return simple


def cooperation_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """Undirected: actors linked by cooperation, weight = summed cooperation score."""
    return _projection(graph, ["cooperation"])


def centrality(graph: nx.MultiDiGraph) -> dict[str, dict[str, float]]:
    """Degree and betweenness centrality of each actor over all links (any kind),
    unweighted and undirected: who is connected, and who lies between others."""
    import networkx as nx

    simple = _projection(graph, EDGE_KINDS)
    degree = nx.degree_centrality(simple) if len(simple) > 1 else {n: 0.0 for n in simple}
    between = nx.betweenness_centrality(simple)
    return {n: {"degree": round(degree[n], 4), "betweenness": round(between[n], 4)}
            for n in simple}


def communities(graph: nx.MultiDiGraph) -> list[set[str]]:
    """Blocs: greedy modularity communities of the cooperation graph, largest first.
    Actors without any cooperation edge are in none."""
    import networkx as nx

    coop = cooperation_graph(graph)
    coop.remove_nodes_from([n for n in list(coop) if coop.degree(n) == 0])
    if coop.number_of_edges() == 0:
        return []
    found = nx.community.greedy_modularity_communities(coop, weight="weight")
    return sorted((set(c) for c in found), key=lambda c: (-len(c), sorted(c)))


def bridges(graph: nx.MultiDiGraph, top: int = 5) -> list[dict[str, Any]]:
    """Actors between blocs: the `top` actors by betweenness whose neighbours (any
    kind of link) lie in two or more communities."""
    blocs = communities(graph)
    bloc_of = {code: i for i, bloc in enumerate(blocs) for code in bloc}
    simple = _projection(graph, EDGE_KINDS)
    scores = centrality(graph)
    found = []
    for code, values in sorted(scores.items(), key=lambda kv: (-kv[1]["betweenness"], kv[0])):
        touched = sorted({bloc_of[n] for n in [code, *simple.neighbors(code)] if n in bloc_of})
        if len(touched) >= 2 and values["betweenness"] > 0:
            found.append({"actor": code, "betweenness": values["betweenness"],
                          "communities": touched})
        if len(found) >= top:
            break
    return found


# --- export ------------------------------------------------------------------------------

def _writer_safe(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes GraphML and GEXF can write: no None, lists joined."""
    import networkx as nx

    def clean(data: Mapping[str, Any]) -> dict[str, Any]:
        out = {}
        for key, value in data.items():
            if value is None:
                continue
            if isinstance(value, (list, tuple, set, frozenset)):
                value = ";".join(str(v) for v in value)
            elif not isinstance(value, (str, int, float, bool)):
                value = str(value)
            out[key] = value
        return out
    safe = nx.MultiDiGraph(**clean(graph.graph))
    safe.add_nodes_from((n, clean(d)) for n, d in graph.nodes(data=True))
    safe.add_edges_from((u, v, k, clean(d)) for u, v, k, d in graph.edges(keys=True, data=True))
    return safe


def network_json(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The node-link form (`nodes`, `links`) for the web."""
    import networkx as nx

    return nx.node_link_data(_writer_safe(graph), edges="links")


def write_network(graph: nx.MultiDiGraph, path: str | Path, format: str | None = None, *,
                  database: str | Path | None = None) -> Path:
    """Write the graph as GraphML, GEXF or node-link JSON (format from the suffix
    when not given); never onto `database`."""
    path = Path(path)
    format = (format or path.suffix.lstrip(".")).lower()
    if format not in FORMATS:
        raise ConfigError(f"cannot write a network as {format!r}: use one of {', '.join(FORMATS)}")
    import networkx as nx

    safe = _writer_safe(graph)
    with output_file(path, database=database) as temporary:
        if format == "graphml":
            nx.write_graphml(safe, temporary)
        elif format == "gexf":
            nx.write_gexf(safe, temporary)
        else:
            temporary.write_text(json.dumps(network_json(graph), ensure_ascii=False, indent=1),
                                 encoding="utf-8")
    log.info("network written to %s (%s)", path, format)
    return path
