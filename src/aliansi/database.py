"""The database API: a thin layer over the Store for the system view.

    import aliansi
    with aliansi.open("events.db") as db:
        db.events(dyad=("CHN", "PHL"), since="2025-12")      # Store.events
        db.dyad("JPN", "CHN", by="month").to_rows()          # aliansi.dyads
        db.actor("JPN").to_dict()                             # profile of one actor
        db.network(since="2025-01")                           # aliansi.network
        db.clusters(since="2025-12")                          # aliansi.dedup
        db.export("events.parquet")                           # jsonl csv parquet graphml gexf json

Each method fetches events from the store and hands them to one function of
`dyads`, `network` or `dedup`; the CLI mirrors these methods one to one. The
knowledge base (names, kinds, memberships) is loaded on first use, or given.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import logging
from collections import Counter
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Iterable, Sequence

import networkx as nx

from aliansi.dedup import EventCluster, Similarity, cluster_events
from aliansi.dyads import DyadTable, PloverScores, dyad
from aliansi.errors import ConfigError
from aliansi.model import EVENT_TYPES
from aliansi.network import FORMATS as NETWORK_FORMATS, build_network, write_network
from aliansi.store import Store, StoredEvent, open_store

log = logging.getLogger(__name__)

EVENT_FORMATS = ("jsonl", "csv", "parquet")
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


class Database:
    """Events, dyads, actors, the network and event clusters of one store."""

    def __init__(self, store: Store, *, kb: Any = None):
        self.store = store
        self._kb = kb
        self._scores: PloverScores | None = None

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
               limit: int | None = None) -> list[StoredEvent]:
        """Stored events, newest first: `Store.events` with the same filters."""
        return self.store.events(actor=actor, dyad=dyad, type=type, since=since, until=until,
                                 include_flagged=include_flagged, limit=limit)

    def dyad(self, a: str, b: str | None = None, *, by: str = "month",
             rollup: Iterable[str] | None = None, since: str | None = None,
             until: str | None = None) -> DyadTable:
        """Counts and PLOVER scores between `a` and `b` (or `a` and everyone) per week,
        month or year; `rollup={"NATO"}` counts members' events as NATO's. Undated
        events are in the row "undated" (see `aliansi.dyads`)."""
        if rollup:   # members act under their own codes: the store cannot filter by pair
            events = self.store.events(since=since, until=until)
        elif b is not None:
            events = self.store.events(dyad=(a, b), since=since, until=until)
        else:
            events = self.store.events(actor=a, since=since, until=until)
        return dyad(events, a, b, by=by, rollup=rollup, kb=self.kb if rollup else None,
                    scores=self.scores)

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
        events = self.store.events(actor=code, since=since, until=until)
        counts = Counter(e.type for e in events)
        coop = conf = 0.0
        partners: dict[str, dict[str, Any]] = {}
        for e in events:
            value = self.scores.score(e.type, e.mode)
            coop, conf = coop + max(value, 0.0), conf + max(-value, 0.0)
            others = ((set(e.target) if code in e.source else set())
                      | (set(e.source) if code in e.target else set())) - {code}
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
            persons=self._persons(code, {e.article_id for e in events}))

    def _persons(self, code: str, article_ids: set[str]) -> list[dict[str, Any]]:
        # One article read per article id; a persons query in the Store would be faster.
        seen: dict[tuple[str, str | None], set[str]] = {}
        for aid in sorted(article_ids):
            for person in self.store.article(aid).persons:
                if person.actor == code:
                    seen.setdefault((person.name, person.role), set()).add(aid)
        return [{"name": n, "role": r, "articles": len(a)}
                for (n, r), a in sorted(seen.items(), key=lambda kv: (-len(kv[1]), kv[0][0]))]

    def network(self, since: str | None = None, until: str | None = None, *,
                memberships: bool = True) -> nx.MultiDiGraph:
        """The actor network of the events in [since, until] (see `aliansi.network`)."""
        return build_network(self.store.events(since=since, until=until), since=since,
                             until=until, kb=self.kb, memberships=memberships,
                             scores=self.scores)

    def clusters(self, *, actor: str | None = None, type: str | Sequence[str] | None = None,
                 since: str | None = None, until: str | None = None, window_days: int = 3,
                 similarity: Similarity | None = None) -> list[EventCluster]:
        """Events reported by several articles grouped into one (see `aliansi.dedup`)."""
        events = self.store.events(actor=actor, type=type, since=since, until=until)
        if similarity is None:
            from aliansi.dedup import LexicalSimilarity
            similarity = LexicalSimilarity.from_kb(self.kb)
        return cluster_events(events, window_days=window_days, similarity=similarity)

    # --- export ----------------------------------------------------------------------------

    def export(self, path: str | Path, format: str | None = None, *,
               since: str | None = None, until: str | None = None, actor: str | None = None,
               type: str | Sequence[str] | None = None,
               include_flagged: bool = False) -> Path:
        """Write events (jsonl, csv, parquet) or the network (graphml, gexf, json) to
        `path`; the format defaults to the file's suffix. Returns the path."""
        path = Path(path)
        suffix = path.suffix.lstrip(".").lower()
        format = (format or _SUFFIXES.get(suffix, suffix)).lower()
        if format not in EXPORT_FORMATS:
            raise ConfigError(f"cannot export as {format!r}: use one of {', '.join(EXPORT_FORMATS)}")
        if format in NETWORK_FORMATS:
            if actor is not None or type is not None or include_flagged:
                raise ConfigError("a network export takes only since and until")
            return write_network(self.network(since, until), path, format)
        events = self.store.events(actor=actor, type=type, since=since, until=until,
                                   include_flagged=include_flagged)
        {"jsonl": _write_jsonl, "csv": _write_csv, "parquet": _write_parquet}[format](events, path)
        log.info("exported %d events to %s (%s)", len(events), path, format)
        return path


_COLUMNS = [f.name for f in fields(StoredEvent)]
_LIST_COLUMNS = ("source", "target", "context")


def _write_jsonl(events: list[StoredEvent], path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for e in events:
            out.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")


def _write_csv(events: list[StoredEvent], path: Path) -> None:
    """One row per event; source, target and context joined with ";", evidence_spans
    as JSON."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=_COLUMNS)
        writer.writeheader()
        for e in events:
            row = e.to_dict()
            for key in _LIST_COLUMNS:
                row[key] = ";".join(row[key])
            row["evidence_spans"] = json.dumps(row["evidence_spans"])
            writer.writerow(row)


def _write_parquet(events: list[StoredEvent], path: Path) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ConfigError("parquet export needs pyarrow: pip install pyarrow") from exc
    text, flag = pa.string(), pa.bool_()
    types = {"source": pa.list_(text), "target": pa.list_(text), "context": pa.list_(text),
             "evidence_spans": pa.list_(pa.list_(pa.int64())), "hypothetical": flag,
             "negated": flag, "confidence": pa.float64()}
    schema = pa.schema([(name, types.get(name, text)) for name in _COLUMNS])
    pq.write_table(pa.Table.from_pylist([e.to_dict() for e in events], schema=schema), path)


def open(db: str | Path, *, read_only: bool = False, kb: Any = None) -> Database:  # noqa: A001
    """Open the store at `db` (a path, sqlite:///path or postgresql://...) as a Database."""
    return Database(open_store(db, read_only=read_only), kb=kb)
