"""The database API: a thin layer over the Store for the system view.

    import aliansi
    with aliansi.open("events.db") as db:
        db.events(dyad=("CHN", "PHL"), since="2025-12")      # Store.events
        db.dyad("JPN", "CHN", by="month").to_rows()          # aliansi.dyads
        db.actor("JPN").to_dict()                             # profile of one actor
        db.network(since="2025-01")                           # aliansi.network
        db.ingest(articles)                                   # Store.ingest, clusters as it goes
        db.update_clusters()                                  # incremental, stored
        db.clusters(since="2025-12")                          # aliansi.dedup
        db.export("events.parquet")                           # jsonl csv parquet graphml gexf json

Each method fetches events from the store and hands them to one function of
`dyads`, `network` or `dedup`; the CLI mirrors these methods one to one. The
knowledge base (names, kinds, memberships) is loaded on first use, or given.

Event clusters (one occurrence reported by several articles) are stored in the table
`event_clusters` and kept up to date incrementally by `update_clusters` (which `ingest`
runs every `CLUSTER_EVERY` articles): each new event joins an existing cluster or
starts its own, and rows already written stay as they are. An event's row goes with it
when its article is re-ingested, so the new version is placed again on the next update.
"""
from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import logging
from collections import Counter
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from aliansi.dedup import (NARROW_SPAN, WIDE_SPAN, ClusterMember, EventCluster, Similarity,
                           assign, block_key, cluster_date, date_span, event_order)
from aliansi.dyads import (DIRECTIONS, DyadTable, PloverScores, counted, outlet_key,
                           tabulate)
from aliansi.errors import ConfigError, StoreError
from aliansi.model import EVENT_TYPES
from aliansi.outputs import check_output, output_file
from aliansi.store import Store, StoredEvent, open_store
from aliansi.store import listing
from aliansi.store.base import ClusterEvent, ClusterRow, IngestReport
from aliansi.store.listing import ListedCluster

if TYPE_CHECKING:
    import networkx as nx

log = logging.getLogger(__name__)

EVENT_FORMATS = ("jsonl", "csv", "parquet")
# aliansi.network.FORMATS, named here: reading events and dyads does not import networkx
NETWORK_FORMATS = ("graphml", "gexf", "json")
EXPORT_FORMATS = EVENT_FORMATS + NETWORK_FORMATS
_SUFFIXES = {"ndjson": "jsonl", "pq": "parquet", "xml": "graphml"}


@dataclass
class ActorProfile:
    """What the store knows of one actor (events that are not flagged)."""
    code: str
    name: str
    kind: str                       # "state" | "org" | "unknown"
    memberships: list[str]          # organisations it belongs to today
    members: list[str]              # for an organisation: its members today
    events: int
    counts: dict[str, int]          # by type, all 16 keys
    cooperation: float
    conflict: float
    partners: list[dict[str, Any]]  # [{"actor", "events", "cooperation", "conflict"}]
    persons: list[dict[str, Any]]   # [{"name", "role", "articles"}]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# events placed and committed at a time by update_clusters. Each step recomputes the
# occurrence rows of every cluster it touched from all its reports, so a big cluster
# costs its size once per step it grows in: 500 made a 10,000-article ingest's clustering
# 2.8 times slower than 5,000 (BENCHMARKS.md); a killed run redoes at most one step.
CLUSTER_STEP = 5000
CLUSTER_EVERY = 500     # articles of an ingest's input between two updates (`Database.ingest`)
CLUSTER_BATCH = 200     # clusters read with their evidence at a time (`iter_clusters`)


@dataclass
class ClusterUpdate:
    """What `Database.update_clusters` did: events placed in a cluster, clusters
    started, existing clusters that took new events, and existing clusters whose id
    changed (their earliest report changed: an earlier article joined, or the
    earliest left on re-ingest)."""
    assigned: int = 0
    created: int = 0
    grown: int = 0
    renamed: int = 0

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


class Database:
    """Events, dyads, actors, the network and event clusters of one store."""

    def __init__(self, store: Store, *, kb: Any = None):
        self.store = store
        self._kb = kb
        self._scores: PloverScores | None = None
        self._similarity: Similarity | None = None

    def __repr__(self) -> str:
        return f"<Database {self.store.backend} {self.store.location}>"

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    @property
    def kb(self) -> Any:
        if self._kb is None:
            from aliansi.kb import KnowledgeBase
            self._kb = KnowledgeBase.load()
        return self._kb

    @property
    def scores(self) -> PloverScores:
        if self._scores is None:
            self._scores = PloverScores.load()
        return self._scores

    # --- queries ---------------------------------------------------------------------------

    def events(self, *, actor: str | None = None, dyad: tuple[str, str] | None = None,
               type: str | Sequence[str] | None = None, since: str | None = None,
               until: str | None = None, include_flagged: bool = False,
               sector: str | None = None, limit: int | None = None) -> list[StoredEvent]:
        """Stored events, newest first: `Store.events` with the same filters."""
        return self.store.events(actor=actor, dyad=dyad, type=type, since=since, until=until,
                                 include_flagged=include_flagged, sector=sector, limit=limit)

    def iter_events(self, **filters: Any) -> Iterator[StoredEvent]:
        """`events(**filters)` (no limit) one at a time, read from the store in batches:
        for lists too long to hold (`Store.iter_events`)."""
        for batch in self.store.iter_events(**filters):
            yield from batch

    def iter_listed(self, kind: str, **filters: Any) -> Iterator[Any]:
        """`iter_events` with each event as a lean item, for long listings
        (`Store.iter_listed`: "table" or "record")."""
        for batch in self.store.iter_listed(kind, **filters):
            yield from batch

    def dyad(self, a: str, b: str | None = None, *, by: str = "month",
             rollup: Iterable[str] | None = None, since: str | None = None,
             until: str | None = None, direction: str = "both",
             per_report: bool = False) -> DyadTable:
        """Counts and PLOVER scores between `a` and `b` (or `a` and everyone) per week,
        month or year: occurrences (an event reported by several articles counts once,
        with its reports and outlets beside it), or each report with `per_report`.
        `direction`: "a->b", "b->a" or "both". `rollup={"NATO"}` counts members' events
        as NATO's. Undated events are in the row "undated" (see `aliansi.dyads`)."""
        return self.dyads(a, b, by=by, rollup=rollup, since=since, until=until,
                          directions=(direction,), per_report=per_report)[0]

    def dyads(self, a: str, b: str | None = None, *, by: str = "month",
              rollup: Iterable[str] | None = None, since: str | None = None,
              until: str | None = None, directions: Sequence[str] = DIRECTIONS,
              per_report: bool = False) -> list[DyadTable]:
        """`dyad` in each of `directions`, from one reading of the store. The
        occurrences come from the store's occurrence tables (`Store.dyad_occurrences`,
        within dates too); rolled up or per report, from the reports."""
        if not rollup and not per_report:
            found = self.store.dyad_occurrences(a, b, since=since, until=until)
        else:
            if rollup:   # members act under their own codes: the store cannot filter by pair
                events = self.store.event_rows(since=since, until=until)
            elif b is not None:
                events = self.store.event_rows(dyad=(a, b), since=since, until=until)
            else:
                events = self.store.event_rows(actor=a, since=since, until=until)
            found = counted(events, None if per_report else _clusters_of(events))
        return [tabulate(found, a, b, by=by, rollup=rollup, kb=self.kb if rollup else None,
                         scores=self.scores, direction=direction) for direction in directions]

    def actor(self, code: str, *, since: str | None = None, until: str | None = None,
              top: int = 10) -> ActorProfile:
        """Name, kind, memberships, counts by type, top partners and persons seen."""
        kb = self.kb
        try:
            name, kind = kb.name(code), kb.kind(code)
        except KeyError:
            name, kind = code, "unknown"
        today = dt.date.today()
        memberships = sorted(org for org, o in kb.organisations.items()
                             if o.members and code in kb.members(org, on=today))
        members = sorted(kb.members(code, on=today)) if kind == "org" else []
        events = self.store.actor_rows(code, since=since, until=until)
        counts = Counter(event_type for _, event_type, _, _ in events)
        coop = conf = 0.0
        partners: dict[str, dict[str, Any]] = {}
        for _, event_type, mode, others in events:
            value = self.scores.score(event_type, mode)
            coop, conf = coop + max(value, 0.0), conf + max(-value, 0.0)
            for other in others:
                p = partners.setdefault(other, {"actor": other, "events": 0,
                                                "cooperation": 0.0, "conflict": 0.0})
                p["events"] += 1
                p["cooperation"] += max(value, 0.0)
                p["conflict"] += max(-value, 0.0)
        top_partners = sorted(partners.values(), key=lambda p: (-p["events"], p["actor"]))[:top]
        return ActorProfile(
            code=code, name=name, kind=kind, memberships=memberships, members=members,
            events=len(events), counts={t: counts.get(t, 0) for t in EVENT_TYPES},
            cooperation=round(coop, 3), conflict=round(conf, 3),
            partners=[{**p, "cooperation": round(p["cooperation"], 3),
                       "conflict": round(p["conflict"], 3)} for p in top_partners],
            persons=self._persons(code, {article for article, *_ in events}))

    def _persons(self, code: str, article_ids: set[str]) -> list[dict[str, Any]]:
        seen: dict[tuple[str, str | None], set[str]] = {}
        for name, role, aid in self.store.persons_of(code):
            if aid in article_ids:
                seen.setdefault((name, role), set()).add(aid)
        return [{"name": n, "role": r, "articles": len(a)}
                for (n, r), a in sorted(seen.items(), key=lambda kv: (-len(kv[1]), kv[0][0]))]

    def network(self, since: str | None = None, until: str | None = None, *,
                memberships: bool = True) -> nx.MultiDiGraph:
        """The actor network of the events in [since, until] (see `aliansi.network`)."""
        from aliansi.network import network_from_counts

        return network_from_counts(self.store.network_counts(since=since, until=until),
                                   since=since, until=until, kb=self.kb,
                                   memberships=memberships, scores=self.scores)

    # --- event clusters -------------------------------------------------------------------

    def update_clusters(self, *, window_days: int = 3,
                        similarity: Similarity | None = None) -> ClusterUpdate:
        """Place the events that are in no cluster yet (stored, not flagged) and store
        the result in `event_clusters`.

        Only the stored clusters that could take them are read, looked up by index
        (`Store.clusters_near`): those with an event of the same actors
        (`aliansi.dedup.block_key`) whose date (or, undated, published day) is within
        `window_days` of a new event's. Each new event joins the one it matches best
        (`aliansi.dedup.assign`) or starts its own, in the order of their reports, in
        steps of `CLUSTER_STEP` events, each committed. Rows already written keep their
        cluster and `assigned_at`, unless the cluster's id changes (its earliest
        report changed: an earlier one joined, or it left on re-ingest). `window_days`
        and `similarity` apply to the events placed now; clusters already stored are
        not re-examined.
        """
        if self.store.read_only:
            raise StoreError(f"{self.store.location} is open read-only; cannot update clusters")
        if window_days < 0:
            raise ConfigError(f"window_days must be >= 0, not {window_days}")
        return self._update_clusters(window_days, similarity, _Known())

    def _update_clusters(self, window_days: int, similarity: Similarity | None,
                         known: "_Known", waiting: Callable[[str], bool] | None = None
                         ) -> ClusterUpdate:
        """`update_clusters` with the clusters read so far (`known`), placing only the
        queued events whose article `waiting(article_id)` says is due (all without)."""
        update, tried = ClusterUpdate(), set()
        shrunk = self.store.shrunk_clusters()
        known.forget(shrunk)    # they lost reports since they were read: read again
        while True:     # the queue again: events stored meanwhile by another writer
            queue = [key for key in sorted(self.store.cluster_queue()) if key[2] not in tried
                     and (waiting is None or waiting(key[1]))]
            if not queue and not shrunk:
                break
            step = max(CLUSTER_STEP, 1)
            with self.store.writing():
                for start in range(0, max(len(queue), 1), step):
                    ids = [event for _, _, event in queue[start:start + step]]
                    tried.update(ids)
                    done, rows = self._place(ids, shrunk, window_days, similarity, known)
                    # in steps, each committed: a killed run resumes where it stopped
                    if rows:
                        self.store.write_cluster_rows(rows)
                    if shrunk:
                        self.store.settle_shrunk_clusters(shrunk)
                        shrunk = []
                    for key, value in done.to_dict().items():
                        setattr(update, key, getattr(update, key) + value)
                    if start + step < len(queue):
                        log.info("clusters: %d events placed so far", update.assigned)
        log.info("clusters: %d events assigned, %d clusters created, %d grown, %d renamed",
                 update.assigned, update.created, update.grown, update.renamed)
        return update

    def ingest(self, articles: Iterable[Any], *, progress: Callable[[str, str], None] | None = None,
               on_error: Callable[[Any], None] | None = None, window_days: int = 3,
               similarity: Similarity | None = None) -> IngestReport:
        """`Store.ingest`, placing the new events in clusters as it goes
        (`update_clusters`), while the articles after them are still being extracted
        (the worker processes go on): each time `CLUSTER_EVERY` more articles of the
        input are stored, the events of those articles, and at the end the rest. The
        report's `clusters` sums what the updates did; the clusters read are kept in
        memory from one update to the next.

        What each update places depends on the input alone (its articles by position),
        not on how the articles were batched or how long they took: the same input
        gives the same clusters whatever the jobs, and a run killed and run again ends
        with the clusters of a run never interrupted (the events of a stored article
        wait in the queue for the update of its position)."""
        if window_days < 0:
            raise ConfigError(f"window_days must be >= 0, not {window_days}")
        known, total = _Known(), ClusterUpdate()
        every = max(CLUSTER_EVERY, 1)
        position: dict[str, int] = {}   # article id -> its last position in the input
        taken = [0]                     # articles taken from the input so far
        due = [every]                   # the position up to which the next update places

        def numbered() -> Iterator[Any]:
            for item in articles:
                article = getattr(item, "article", item)     # an Article or a Prepared
                position[getattr(article, "id", None)] = taken[0]
                taken[0] += 1
                yield item

        def place(waiting: Callable[[str], bool] | None) -> None:
            done = self._update_clusters(window_days, similarity, known, waiting)
            for key, value in done.to_dict().items():
                setattr(total, key, getattr(total, key) + value)

        def after_batch(report: IngestReport) -> None:
            # every article taken is stored: the batch took them all before writing
            while taken[0] >= due[0]:
                bound = due[0]
                place(lambda article_id: position.get(article_id, bound) < bound)
                for article_id in [a for a, at in position.items() if at < bound]:
                    del position[article_id]        # placed: forgotten
                due[0] += every

        report = self.store.ingest(numbered(), progress=progress, on_error=on_error,
                                   after_batch=after_batch)
        place(None)
        report.clusters = total
        return report

    def clusters(self, *, actor: str | None = None, type: str | Sequence[str] | None = None,
                 since: str | None = None, until: str | None = None, window_days: int = 3,
                 similarity: Similarity | None = None) -> list[EventCluster]:
        """The stored event clusters, brought up to date first (`update_clusters`; on a
        store open read-only the new events are placed in memory, not written).

        With filters, the clusters with at least one event that passes them (as in
        `events()`), each with all its members. Single reports are clusters too (of
        corroboration 1). In the order of their earliest report.
        """
        return list(self.iter_clusters(actor=actor, type=type, since=since, until=until,
                                       window_days=window_days, similarity=similarity))

    def iter_clusters(self, *, actor: str | None = None, type: str | Sequence[str] | None = None,
                      since: str | None = None, until: str | None = None,
                      min_sources: int = 1, by_corroboration: bool = False,
                      window_days: int = 3, similarity: Similarity | None = None,
                      lean: bool = False) -> Iterator[EventCluster | ListedCluster]:
        """`clusters()` one at a time, those of at least `min_sources` outlets; in the
        order of their earliest report, or the most corroborated first (then by date)
        with `by_corroboration`. Ordered from a row a cluster (`cluster_summary`; the
        clusters with a report reviewed wrong or corrected from their reports), then
        read with their reports CLUSTER_BATCH clusters at a time: memory holds the
        order, not the clusters. With `lean`, each as a `ListedCluster` (what the table
        of `aliansi clusters` shows), read in one query a batch."""
        filters = dict(actor=actor, type=type, since=since, until=until)
        if self.store.read_only and self._plan(window_days, similarity)[1]:
            # events not yet clustered, placed in memory only: all of it in memory
            found = self._clusters_in_memory(filters, min_sources, by_corroboration,
                                             window_days, similarity)
            yield from (map(listing.listed_cluster, found) if lean else found)
            return
        if not self.store.read_only:
            self.update_clusters(window_days=window_days, similarity=similarity)
        summaries: dict[str, tuple[int, str | None]] = {}
        order = []
        for cluster, outlets, date, *first in self.store.cluster_order(min_outlets=min_sources,
                                                                       **filters):
            order.append((((-outlets, date or "", tuple(first)) if by_corroboration
                           else tuple(first)), cluster, False))
            if lean:
                summaries[cluster] = (outlets, date)
        corrections = self.store._corrections()
        order += self._reviewed_order(filters, min_sources, by_corroboration, corrections)
        order.sort()
        chunks = [order[start:start + CLUSTER_BATCH]
                  for start in range(0, len(order), CLUSTER_BATCH)]
        if lean:    # each batch's reports in one query, the next read while this one is used
            db = self.store._db
            queries = [listing.cluster_reports(db, [c for _, c, reviewed in chunk if not reviewed])
                       for chunk in chunks]
            for chunk, rows in zip(chunks, db.results(queries)):
                yield from self._listed_clusters(chunk, summaries, corrections, rows)
            return
        for chunk in chunks:
            reports: dict[str, list] = {cluster: [] for _, cluster, _ in chunk}
            for row in self.store.cluster_reports([c for _, c, reviewed in chunk if not reviewed]):
                reports[row[0]].append(row)
            # clusters with a report reviewed wrong or corrected: as reviewed
            as_reviewed = [cluster for _, cluster, reviewed in chunk if reviewed]
            for e in self.store.cluster_members(as_reviewed, listed=True):
                reports[e.cluster_id].append(e)
            fixed = {e.id: e for e in self.store.events_by_id(
                e.id for c in as_reviewed for e in reports[c] if e.id in corrections)}
            # the others' type and actors: their first report's
            firsts = {c: min(reports[c], key=_row_order)[1] for _, c, reviewed in chunk
                      if not reviewed and reports[c]}
            first = {e.id: e for e in self.store.cluster_events(firsts.values())}
            for _, cluster, reviewed in chunk:
                if not reports[cluster] or (not reviewed and firsts[cluster] not in first):
                    continue        # its reports left meanwhile (another writer re-ingested)
                yield (_load_cluster(cluster, [fixed.get(e.id, e) for e in reports[cluster]])
                       if reviewed else _listed_cluster(cluster, reports[cluster],
                                                        first[firsts[cluster]]))

    def _listed_clusters(self, chunk: list[tuple], summaries: dict[str, tuple],
                         corrections: dict[str, dict], rows: list[tuple]
                         ) -> Iterator[ListedCluster]:
        """The clusters of one batch of `iter_clusters`' order as listed: from the rows
        of their reports' query (`listing.cluster_reports`), but those with a report
        reviewed wrong or corrected (from their reports as reviewed, as `iter_clusters`
        reads them)."""
        listed = listing.listed_clusters(rows, {c: summaries[c] for _, c, reviewed in chunk
                                                if not reviewed})
        as_reviewed = [cluster for _, cluster, reviewed in chunk if reviewed]
        reports: dict[str, list] = {}
        for e in self.store.cluster_members(as_reviewed, listed=True):
            reports.setdefault(e.cluster_id, []).append(e)
        fixed = {e.id: e for e in self.store.events_by_id(
            e.id for c in as_reviewed for e in reports.get(c, ()) if e.id in corrections)}
        for _, cluster, reviewed in chunk:
            if reviewed and reports.get(cluster):
                yield listing.listed_cluster(
                    _load_cluster(cluster, [fixed.get(e.id, e) for e in reports[cluster]]))
            elif cluster in listed:     # else its reports left meanwhile (re-ingested)
                yield listed[cluster]

    def _reviewed_order(self, filters: dict, min_sources: int, by_corroboration: bool,
                        corrections: dict[str, dict]) -> list[tuple]:
        """(order key, cluster, True) of the clusters with a report reviewed wrong or corrected,
        from their reports as reviewed (`cluster_summary` counts every report as
        extracted)."""
        fixes = {k: v["date"] for k, v in corrections.items() if "date" in v}
        groups: dict[str, list[tuple]] = {}
        for rows in self.store.cluster_member_rows(reviewed=True, **filters):
            for cluster, event, article, outlet, published, date in rows:
                groups.setdefault(cluster, []).append(
                    ((published or "9999", article, event), outlet or f"article:{article}", date))
        order = []
        for cluster, members in groups.items():
            members.sort()
            sources = len({m[1] for m in members})
            if sources < min_sources:
                continue
            if by_corroboration:
                dates = [fixes.get(m[0][2], m[2]) for m in members]
                key = (-sources, cluster_date(dates) or "", members[0][0])
            else:
                key = members[0][0]
            order.append((key, cluster, True))
        return order

    def _clusters_in_memory(self, filters: dict, min_sources: int, by_corroboration: bool,
                            window_days: int, similarity: Similarity | None
                            ) -> list[EventCluster]:
        cluster_of = self._cluster_map(window_days, similarity)
        if all(v is None for v in filters.values()):
            wanted = set(cluster_of.values())
        else:
            wanted = {cluster_of[e.id] for e in self.store.events(**filters)
                      if e.id in cluster_of}
        ids = [event for event, cluster in cluster_of.items() if cluster in wanted]
        groups: dict[str, list[StoredEvent]] = {}
        for event in self.store.events_by_id(ids):
            if event.review != "wrong":         # a report marked wrong corroborates nothing
                groups.setdefault(cluster_of[event.id], []).append(event)
        clusters = [_load_cluster(cid, events) for cid, events in groups.items()]
        clusters = sorted((c for c in clusters if c.corroboration >= min_sources),
                          key=lambda c: _order(c.members[0]))
        if by_corroboration:
            clusters.sort(key=lambda c: (-c.corroboration, c.date or ""))
        return clusters

    def corroboration(self, event_id: str, *, window_days: int = 3,
                      similarity: Similarity | None = None) -> int:
        """The number of distinct outlets that report the event `event_id`, as
        `EventCluster.corroboration` counts them (1 for a flagged event: flagged events
        are never clustered). StoreError if there is no such event."""
        if not self.store.read_only:
            self.update_clusters(window_days=window_days, similarity=similarity)
            members = [r.event_id for r in self.store.cluster_rows(of_event=event_id)]
        else:
            cluster_of = self._cluster_map(window_days, similarity)
            cluster = cluster_of.get(event_id)
            members = [e for e, c in cluster_of.items() if c == cluster] if cluster else []
        if members:
            return len({outlet_key(e) for e in self.store.events_by_id(members)
                        if e.review != "wrong" or e.id == event_id})
        if not self.store.events_by_id([event_id]):
            raise StoreError(f"no event {event_id!r} in {self.store.location}")
        return 1

    def _cluster_map(self, window_days: int, similarity: Similarity | None) -> dict[str, str]:
        """{event id: cluster id} of every clustered event, after an update (written,
        or only in memory when the store is read-only)."""
        if self.store.read_only:
            _, pending, _ = self._plan(window_days, similarity)
        else:
            self.update_clusters(window_days=window_days, similarity=similarity)
            pending = []
        cluster_of = {r.event_id: r.cluster_id for r in self.store.cluster_rows()}
        cluster_of.update((event, cluster) for event, cluster, *_ in pending)
        return cluster_of

    def _plan(self, window_days: int, similarity: Similarity | None, *, step: int | None = None
              ) -> tuple[ClusterUpdate, list[tuple], bool]:
        """What an update would do, the rows it would write ((event_id, cluster_id,
        assigned_at, block, lo, hi, span): `Store.write_cluster_rows`), and whether
        events beyond the first `step` (in the order `assign` takes them) are left for
        another step."""
        if window_days < 0:
            raise ConfigError(f"window_days must be >= 0, not {window_days}")
        queue = sorted(self.store.cluster_queue())
        more = step is not None and len(queue) > step
        ids = [event for _, _, event in (queue[:step] if step is not None else queue)]
        update, rows = self._place(ids, self.store.shrunk_clusters(), window_days, similarity)
        return update, rows, more

    def _place(self, ids: list[str], shrunk: list[str], window_days: int,
               similarity: Similarity | None, known: "_Known | None" = None
               ) -> tuple[ClusterUpdate, list[tuple]]:
        """Place the events `ids` (in the order `assign` takes them) among the stored
        clusters that could take them, and give the clusters in `shrunk` (which lost a
        report) the id of their earliest report; what that did and the rows to write.
        `known`: the clusters read and written so far by this update, kept in memory
        from one step to the next (each is read from the store once)."""
        known = known if known is not None else _Known()
        pending = [e for e in sorted(self.store.cluster_events(ids), key=event_order)
                   if not e.hypothetical and not e.negated]
        keys = {e.id: _keys(e) for e in pending}
        wanted = set(shrunk)
        if pending:
            wanted |= self.store.clusters_near(_ranges(pending, keys, window_days))
        known.load(self.store, [cid for cid in wanted if cid not in known.clusters])
        loaded = {cid: known.clusters[cid] for cid in sorted(wanted) if cid in known.clusters}
        if not pending and not loaded:
            return ClusterUpdate(), []
        stored_id = {id(cluster): cid for cid, cluster in loaded.items()}
        size = {id(cluster): len(cluster.members) for cluster in loaded.values()}
        clusters = list(loaded.values())
        if pending:
            clusters = assign(pending, clusters, window_days=window_days,
                              similarity=similarity or self._default_similarity())

        update, now, write = ClusterUpdate(), _now(), []
        for cluster in clusters:
            was = stored_id.get(id(cluster))
            if was is not None and cluster.id == was and len(cluster.members) == size[id(cluster)]:
                continue        # neither grown nor renamed
            new = [m.event_id for m in cluster.members if m.event_id not in known.rows]
            update.assigned += len(new)
            if was is None:
                update.created += 1
            elif new:
                update.grown += 1
            # the cluster is found through its earliest report (its id's): only its row
            # carries the block and days (`Store.clusters_near`)
            first = cluster.members[0]
            if was is not None and was != cluster.id:
                update.renamed += 1
                write += [(m.event_id, cluster.id, known.rows[m.event_id][1],
                           *(_member_keys(cluster, m) if m is first else _NO_KEYS))
                          for m in cluster.members if m.event_id in known.rows]
            write += [(event, cluster.id, now, *(keys[event] if event == first.event_id
                                                  else _NO_KEYS)) for event in new]
            known.placed(cluster, was)
        known.rows.update((row[0], (row[1], row[2])) for row in write)
        return update, write

    def _default_similarity(self) -> Similarity:
        if self._similarity is None:
            from aliansi.dedup import LexicalSimilarity
            self._similarity = LexicalSimilarity.from_kb(self.kb)
        return self._similarity

    # --- export ----------------------------------------------------------------------------

    def export(self, path: str | Path, format: str | None = None, *,
               since: str | None = None, until: str | None = None, actor: str | None = None,
               type: str | Sequence[str] | None = None, sector: str | None = None,
               include_flagged: bool = False) -> Path:
        """Write events (jsonl, csv, parquet) or the network (graphml, gexf, json) to
        `path`; the format defaults to the file's suffix. Returns the path."""
        path = check_output(path, database=self.store.location)
        suffix = path.suffix.lstrip(".").lower()
        format = (format or _SUFFIXES.get(suffix, suffix)).lower()
        if format not in EXPORT_FORMATS:
            raise ConfigError(f"cannot export as {format!r}: use one of {', '.join(EXPORT_FORMATS)}")
        if format in NETWORK_FORMATS:
            if actor is not None or type is not None or sector is not None or include_flagged:
                raise ConfigError("a network export takes only since and until")
            from aliansi.network import write_network

            return write_network(self.network(since, until), path, format,
                                 database=self.store.location)
        batches = self.store.iter_listed("exported", actor=actor, type=type, since=since,
                                         until=until, sector=sector,
                                         include_flagged=include_flagged)
        counted = [0]

        def rows() -> Iterator[dict]:
            for events in batches:      # read and written a batch at a time
                counted[0] += len(events)
                # a corrected event's occurrence (read apart), or an unclustered one's
                yield from _rows(events, self.store.cluster_ids(
                    e["id"] for e in events if e["occurrence"] is None))

        with output_file(path, database=self.store.location) as temporary:
            {"jsonl": _write_jsonl, "csv": _write_csv, "parquet": _write_parquet}[format](
                rows(), temporary)
        log.info("exported %d events to %s (%s)", counted[0], path, format)
        return path


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _clusters_of(rows: Sequence[Any]) -> dict[str, str]:
    """{event id: cluster id} of the lean rows that are clustered."""
    return {r.id: r.cluster_id for r in rows if r.cluster_id}


def _order(m: ClusterMember | ClusterRow) -> tuple:
    """The order of a cluster's reports: earliest published, then article, then event
    (as `aliansi.dedup` orders members)."""
    return (m.published or "9999", m.article_id, m.event_id)


def _row_order(row: tuple) -> tuple:
    """The order of a cluster's reports (`aliansi.dedup`) for rows of
    `Store.cluster_reports`: published, article, event."""
    return (row[5] or "9999", row[2], row[1])


def _listed_cluster(cluster_id: str, reports: list[tuple], first: ClusterEvent) -> EventCluster:
    """A cluster from its reports' rows (`Store.cluster_reports`) and its first report,
    as `_load_cluster` makes it from events."""
    members = [ClusterMember(event_id=r[1], article_id=r[2], evidence=r[3] or "", date=r[4],
                             published=r[5], location=r[6], location_country=r[7],
                             outlet=r[8], url=r[9]) for r in reports]
    cluster = EventCluster(id=cluster_id, type=first.type, source=list(first.source),
                           target=list(first.target), date=None, location=None,
                           members=members)
    cluster._refresh()
    return cluster


def _load_cluster(cluster_id: str, events: Sequence[StoredEvent | ClusterEvent]) -> EventCluster:
    """A stored cluster as an EventCluster (its id, date and place recomputed from
    its members, as `dedup` computes them)."""
    first = min(events, key=lambda e: (e.published or "9999", e.article_id, e.id))
    members = [ClusterMember(
        event_id=e.id, article_id=e.article_id, evidence=e.evidence or "", date=e.date,
        published=e.published, location=e.location, location_country=e.location_country,
        outlet=e.outlet, url=e.url) for e in events]
    cluster = EventCluster(id=cluster_id, type=first.type, source=list(first.source),
                           target=list(first.target), date=None, location=None,
                           members=members)
    cluster._refresh()
    return cluster


_NO_KEYS = (None, None, None, None)


def _member_keys(cluster: EventCluster, m: ClusterMember) -> tuple:
    """`_keys` of a member of the cluster (all share its block)."""
    return (block_key(cluster.type, cluster.source, cluster.target),
            *(date_span(m.date, m.published) or (None, None, None)))


def _keys(event: ClusterEvent) -> tuple:
    """(block, lo, hi, span) of an event, as `event_clusters` keeps them (migration 11)
    for the earliest report of each cluster."""
    return (block_key(event.type, event.source, event.target),
            *(date_span(event.date, event.published) or (None, None, None)))


class _Known:
    """The clusters one update has read or written, by id, with the stored row
    (cluster id, assigned_at) of each of their events: read from the store once, then
    kept as the update changes them. Forgotten past `LIMIT` events (read again)."""
    LIMIT = 1_000_000

    def __init__(self) -> None:
        self.clusters: dict[str, EventCluster] = {}
        self.rows: dict[str, tuple[str, str]] = {}

    def load(self, store: Store, cluster_ids: list[str]) -> None:
        if len(self.rows) > self.LIMIT:
            self.clusters.clear()
            self.rows.clear()
        groups: dict[str, list[ClusterEvent]] = {}
        for member in store.cluster_members(cluster_ids):
            groups.setdefault(member.cluster_id, []).append(member)
            self.rows[member.id] = (member.cluster_id, member.assigned_at)
        for cid, group in groups.items():
            self.clusters[cid] = _load_cluster(cid, group)

    def forget(self, cluster_ids: Iterable[str]) -> None:
        """Clusters changed in the store since they were read: read again when wanted."""
        for cid in cluster_ids:
            cluster = self.clusters.pop(cid, None)
            for m in cluster.members if cluster is not None else ():
                self.rows.pop(m.event_id, None)

    def placed(self, cluster: EventCluster, was: str | None) -> None:
        """The cluster is stored under its id (it was under `was`)."""
        if was is not None and was != cluster.id:
            self.clusters.pop(was, None)
        self.clusters[cluster.id] = cluster


def _ranges(events: list[ClusterEvent], keys: dict[str, tuple], window_days: int
            ) -> list[tuple[str, int, str, str, str]]:
    """What `Store.clusters_near` looks up for the clusters `events` could join: by
    block, the days within `window_days` of theirs (dates compared as `dedup` does: a
    date's whole range widened by the window; an undated event by its published day),
    merged where they overlap, for events of a narrow and of a wide (year) date."""
    window = dt.timedelta(days=window_days)
    spans: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for e in events:
        block, lo, hi, _ = keys[e.id]
        if lo is None:
            continue    # undated and unpublished (it can match nothing), or not a date
        spans.setdefault(block, []).append(
            (dt.date.fromisoformat(lo) - window, dt.date.fromisoformat(hi) + window))
    ranges = []
    for block, days in spans.items():
        days.sort()
        merged = [list(days[0])]
        for low, high in days[1:]:
            if low <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], high)
            else:
                merged.append([low, high])
        for low, high in merged:      # a stored event's [lo, hi] meets [low, high]
            for span, longest in ((0, NARROW_SPAN), (1, WIDE_SPAN)):
                ranges.append((block, span, (low - dt.timedelta(days=longest)).isoformat(),
                               high.isoformat(), low.isoformat()))
    return ranges


# every report, with the occurrence (cluster) it belongs to: count occurrences with
# a group-by on `occurrence` (an unclustered report is an occurrence of its own)
# and, aligned with source and target, the body, group or office each side's actor was
# named by and its sector ("" where the text named the state itself)
_AGENT_COLUMNS = ["source_agents", "source_sectors", "target_agents", "target_sectors"]
_COLUMNS = [f.name for f in fields(StoredEvent) if f.name not in ("source_agents", "target_agents")] \
    + _AGENT_COLUMNS + ["occurrence"]
_LIST_COLUMNS = ("source", "target", "context", *_AGENT_COLUMNS)


def _rows(events: list[dict], cluster_of: dict[str, str]) -> Iterator[dict]:
    """Exported rows (`store.listing.EXPORTED`), each with its occurrence: its cluster,
    else itself."""
    for row in events:
        row["occurrence"] = row["occurrence"] or cluster_of.get(row["id"], row["id"])
        yield row


def _write_jsonl(rows: Iterable[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _write_csv(rows: Iterable[dict], path: Path) -> None:
    """One row per event; source, target and context joined with ";", evidence_spans
    as JSON."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(_COLUMNS)
        for row in rows:
            for key in _LIST_COLUMNS:
                row[key] = ";".join(row[key])
            row["evidence_spans"] = json.dumps(row["evidence_spans"])
            writer.writerow([row[key] for key in _COLUMNS])


def _write_parquet(rows: Iterable[dict], path: Path, group: int = 10_000) -> None:
    """Row groups of `group` rows, written as they come."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ConfigError("parquet export needs pyarrow: pip install pyarrow") from exc
    text, flag = pa.string(), pa.bool_()
    types = {**{name: pa.list_(text) for name in _LIST_COLUMNS},
             "evidence_spans": pa.list_(pa.list_(pa.int64())), "hypothetical": flag,
             "negated": flag, "confidence": pa.float64()}
    schema = pa.schema([(name, types.get(name, text)) for name in _COLUMNS])
    with pq.ParquetWriter(path, schema) as writer:
        rows = iter(rows)
        while chunk := list(itertools.islice(rows, group)):
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))


def open(db: str | Path, *, read_only: bool = False, kb: Any = None) -> Database:  # noqa: A001
    """Open the store at `db` (a path, sqlite:///path or postgresql://...) as a Database."""
    return Database(open_store(db, read_only=read_only), kb=kb)
