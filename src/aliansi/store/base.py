"""The Store: one interface over SQLite and PostgreSQL.

All SQL lives here and in `migrations.py`, written once with `?` placeholders;
the few things the two databases do differently (placeholders, JSON and boolean
columns, locking, error classes) are kept in a small `Dialect` object
(`sqlite.py`, `postgres.py`).

Ids are content hashes, so ingesting the same article again changes nothing and
re-running the pipeline gives the same event ids.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Iterator, Sequence

from aliansi.errors import InputError, StoreError
from aliansi.fingerprint import SAME_TEXT, bands, shingles, similarity
from aliansi.model import EVENT_TYPES, Article, Event
from aliansi.store.readable import refresh as refresh_readable

logger = logging.getLogger(__name__)

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class Dialect:
    """What differs between databases. Subclasses own the connection.

    SQL is written with `?` placeholders; `execute` translates them.
    """

    name = "base"
    # Column types used by the migrations' DDL.
    types: dict[str, str] = {"json": "TEXT", "bool": "INTEGER", "float": "REAL"}
    errors: tuple[type[BaseException], ...] = ()

    def __init__(self, connection: Any, *, location: str, read_only: bool = False):
        self.connection = connection
        self.location = location
        self.read_only = read_only

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[None]:
        raise NotImplementedError
        yield

    def lock_for_migrations(self) -> None:
        """Called first inside the migration transaction to keep out other writers."""

    def table_names(self) -> set[str]:
        raise NotImplementedError

    def column_names(self, table: str) -> set[str]:
        raise NotImplementedError

    def dump_json(self, value: Any) -> Any:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def load_json(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, (str, bytes)) else value

    def close(self) -> None:
        self.connection.close()


# --- records returned by the store -------------------------------------------------

@dataclass
class IngestReport:
    """What `Store.ingest` did: articles added, replaced (changed) or unchanged,
    and the number of events written for added and replaced articles."""
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    refused: int = 0          # an id already taken by another text: not stored
    duplicates: int = 0       # the text of a stored article (near-identical): one more source
    events: int = 0
    clusters: Any = None      # what the cluster update did, when the caller ran one

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.clusters is None:
            data.pop("clusters")
        elif hasattr(self.clusters, "to_dict"):
            data["clusters"] = self.clusters.to_dict()
        return data


@dataclass
class StoredEvent:
    """An event as stored, with its id and the article it came from."""
    id: str
    article_id: str
    type: str
    source: list[str]
    target: list[str]
    evidence: str
    evidence_spans: list[tuple[int, int]]
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    date: str | None = None
    date_precision: str | None = None
    date_text: str | None = None
    date_basis: str | None = None
    location: str | None = None
    location_country: str | None = None
    hypothetical: bool = False
    negated: bool = False
    confidence: float = 0.5
    rule: str = ""
    trigger: str = ""
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: str | None = None
    # per actor of each side: {"actor", "agent", "sector"} (aliansi.sectors)
    source_agents: list[dict] = field(default_factory=list)
    target_agents: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["evidence_spans"] = [list(s) for s in self.evidence_spans]
        return data


@dataclass
class ClusterRow:
    """One row of `event_clusters` with what orders a cluster's members."""
    event_id: str
    cluster_id: str
    assigned_at: str
    article_id: str
    published: str | None


@dataclass
class StoredArticle:
    """One row of `Store.articles()`: an article's metadata, not its text."""
    id: str
    url: str | None
    outlet: str | None
    title: str | None
    published: str | None
    language: str | None
    ingested_at: str
    events: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class StoreStats:
    backend: str
    location: str
    schema_version: int
    articles: int
    sentences: int
    mentions: int
    events: int
    flagged_events: int
    actors: int
    first_date: str | None
    last_date: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- hashes --------------------------------------------------------------------------

def _source_key(article: Article) -> str:
    return "|".join(v or "" for v in (article.url, article.outlet, article.origin))


class IdCollision(Exception):
    """An article id already stored for a different text."""


def _same_article(stored: Any, article: Article, grams: set[int]) -> bool:
    """Whether `article` (its word trigrams `grams`) is the stored article again, edited or
    re-annotated: the same text, the same URL, or most of the same wording."""
    if stored["text"] == article.text or (article.url and stored["url"] == article.url):
        return True
    old, new = shingles(stored["text"]), grams
    return len(old & new) / max(min(len(old), len(new)), 1) >= 0.5


def article_hash(article: Article, data: dict | None = None) -> str:
    """A hash of an article's text and every annotation on it (`data`: its to_dict())."""
    data = json.dumps(data if data is not None else article.to_dict(), ensure_ascii=False,
                      sort_keys=True, default=list)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def event_id(article_id: str, event: Event) -> str:
    """A stable id: a hash of (article, type, sorted actors, date, evidence spans)."""
    key = [article_id, event.type, sorted(event.source), sorted(event.target),
           event.date, sorted([int(a), int(b)] for a, b in event.evidence_spans)]
    return hashlib.sha256(json.dumps(key).encode("utf-8")).hexdigest()[:20]


def _check_date(name: str, value: str | None) -> str | None:
    if value is not None and not _DATE.match(value):
        raise StoreError(f"{name} must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    return value


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# --- the store ---------------------------------------------------------------------

_EVENT_COLUMNS = (
    "id", "article_id", "type", "mode", "context", "source", "target", "date",
    "date_precision", "date_text", "location", "location_country", "hypothetical",
    "negated", "confidence", "rule", "trigger", "evidence", "date_basis",
)
_ARTICLE_COLUMNS = (
    "id", "content_hash", "url", "outlet", "title", "published", "published_source",
    "language", "origin", "byline", "text", "ingested_at", "article_json",
)
# Child tables of an article; events cascade to event_actors and event_evidence.
_CHILD_TABLES = ("sentences", "mentions", "persons", "events", "article_bands")


class Store:
    """Articles and their events in a database. Open with `open_store()`.

    One Store owns one connection; use it from one thread. With SQLite, other
    threads or processes read through their own `open_store(..., read_only=True)`.
    """

    def __init__(self, dialect: Dialect):
        from aliansi.store.migrations import migrate

        self._db = dialect
        try:
            self.schema_version = migrate(dialect)
        except dialect.errors as exc:
            raise StoreError(f"cannot open store {dialect.location}: {exc}") from exc

    @property
    def backend(self) -> str:
        return self._db.name

    @property
    def location(self) -> str:
        """Where the store lives (never with a password)."""
        return self._db.location

    @property
    def read_only(self) -> bool:
        return self._db.read_only

    def __repr__(self) -> str:
        return f"<Store {self.backend} {self.location}>"

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def applied_migrations(self) -> list[tuple[int, str, str]]:
        """(version, name, applied_at) of every schema migration, in order."""
        rows = self._rows("SELECT version, name, applied_at FROM migrations ORDER BY version")
        return [(int(r["version"]), r["name"], r["applied_at"]) for r in rows]

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        try:
            return self._db.execute(sql, params).fetchall()
        except self._db.errors as exc:
            raise StoreError(f"{self.location}: query failed: {exc}") from exc

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self._rows(sql, params)
        return rows[0][0] if rows else None

    # --- writing -------------------------------------------------------------------

    def ingest(self, articles: Iterable[Article], *,
               progress: Callable[[str, str], None] | None = None,
               on_error: Callable[[InputError], None] | None = None) -> IngestReport:
        """Store articles with their annotations; returns what changed.

        Each article is written in its own transaction: an article already stored
        with the same content hash is left alone ("unchanged"); one whose content
        changed has its own sentences, mentions, persons and events replaced
        ("replaced"). An error stops the run with a StoreError naming the article;
        articles stored before it stay stored. `progress(article_id, outcome)` is
        called after each article.

        Every source of a text is kept (`article_sources`): the same text from another
        outlet, URL or file is "unchanged" with one more source. An id already stored
        for a different text (not an edit of it: same URL, or most of its wording) is
        "refused": an InputError names both, handed to `on_error` (raised without it),
        and the stored article stays as it was.
        """
        if self._db.read_only:
            raise StoreError(f"{self.location} is open read-only; cannot ingest")
        report = IngestReport()
        for article in articles:
            if not isinstance(article, Article):
                raise StoreError(f"ingest expects Article objects, got {type(article).__name__}")
            try:
                outcome, n_events = self._ingest_one(article)
            except IdCollision as exc:
                report.refused += 1
                error = InputError(str(exc), origin=article.origin or article.url)
                if on_error is None:
                    raise error from None
                on_error(error)
                continue
            except self._db.errors as exc:
                raise StoreError(f"article {article.id}: cannot store it: {exc}") from exc
            except (TypeError, ValueError) as exc:
                raise StoreError(f"article {article.id}: cannot encode it: {exc}") from exc
            setattr(report, outcome, getattr(report, outcome) + 1)
            report.events += n_events
            logger.info("article %s %s (%d events)", article.id, outcome, n_events)
            if progress is not None:
                progress(article.id, outcome)
        return report

    def _ingest_one(self, article: Article) -> tuple[str, int]:
        data = article.to_dict()
        digest = article_hash(article, data)
        db = self._db
        with db.transaction():
            row = db.execute("SELECT content_hash, text, url, outlet, origin FROM articles "
                             "WHERE id = ?", [article.id]).fetchone()
            old = None if row is None else row[0]
            if row is not None and row["text"] == article.text:
                self._add_source(article)
                primary = (row["url"], row["outlet"], row["origin"]) == \
                    (article.url, article.outlet, article.origin)
                if old == digest or not primary:     # the same text again, or from elsewhere
                    return "unchanged", 0
            grams = shingles(article.text)
            fingerprint = list(dict.fromkeys(bands(grams)))
            if row is None:
                twin = self._same_text(grams, fingerprint)
                if twin is not None:
                    self._add_source(article, twin)
                    logger.info("article %s: the text of article %s, kept as one more source",
                                article.id, twin)
                    return "duplicates", 0
            if row is not None and not _same_article(row, article, grams):
                raise IdCollision(f"id {article.id!r} is already taken by another article "
                                  f"(stored from {row['origin'] or row['url'] or 'an earlier run'}); "
                                  f"this one was not stored: give it an id of its own")
            values = [article.id, digest, article.url, article.outlet, article.title,
                      article.published, article.published_source, article.language,
                      article.origin, article.byline, article.text, _now(),
                      db.dump_json(data)]
            updates = ", ".join(f"{c} = excluded.{c}" for c in _ARTICLE_COLUMNS[1:])
            # The upsert also locks the article's row (PostgreSQL) before the deletes.
            db.execute(f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}) "
                       f"VALUES ({', '.join('?' * len(values))}) "
                       f"ON CONFLICT (id) DO UPDATE SET {updates}", values)
            # Always clear: a concurrent writer may have stored this id meanwhile.
            for table in _CHILD_TABLES:
                db.execute(f"DELETE FROM {table} WHERE article_id = ?", [article.id])
            self._insert_children(article)
            db.executemany("INSERT INTO article_bands (article_id, band) VALUES (?, ?)",
                           [(article.id, band) for band in fingerprint])
            refresh_readable(db, article.id)
            self._add_source(article)
        return ("added" if old is None else "replaced"), len(article.events)

    def _same_text(self, grams: set[int], keys: list[str]) -> str | None:
        """The stored article whose text is (nearly) this one, found through shared
        fingerprint bands (`keys`) and confirmed by the overlap of word trigrams."""
        if not keys:
            return None
        candidates = self._db.execute(
            f"SELECT DISTINCT b.article_id, a.text FROM article_bands b JOIN articles a "
            f"ON a.id = b.article_id WHERE b.band IN ({', '.join('?' * len(keys))})", keys
        ).fetchall()
        best = max(((similarity(grams, shingles(r["text"])), r["article_id"]) for r in candidates),
                   default=(0.0, None))
        return best[1] if best[0] >= SAME_TEXT else None

    def _add_source(self, article: Article, article_id: str | None = None) -> None:
        """Record where `article` came from, as a source of `article_id` (its own id)."""
        target = article_id or article.id
        self._db.execute(
            "INSERT INTO article_sources (article_id, source_key, url, outlet, origin, published, "
            "first_seen) SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS "
            "(SELECT 1 FROM articles WHERE id = ?) ON CONFLICT (article_id, source_key) DO NOTHING",
            [target, _source_key(article), article.url, article.outlet, article.origin,
             article.published, datetime.now(timezone.utc).isoformat(), target])

    def sources(self, article_id: str) -> list[dict[str, Any]]:
        """Where the article's text came from, first seen first."""
        return [dict(r) for r in self._rows(
            "SELECT url, outlet, origin, published, first_seen FROM article_sources "
            "WHERE article_id = ? ORDER BY first_seen, source_key", [article_id])]

    def _insert_children(self, article: Article) -> None:
        db, aid = self._db, article.id
        db.executemany(
            'INSERT INTO sentences (article_id, idx, "start", "end", text, paragraph) '
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(aid, i, s.start, s.end, s.text, s.paragraph)
             for i, s in enumerate(article.sentences)])
        db.executemany(
            'INSERT INTO mentions (article_id, idx, "start", "end", text, kind, actor, '
            "name, role, rule, salient, sector) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(aid, i, m.start, m.end, m.text, m.kind, m.actor, m.name, m.role, m.rule,
              bool(m.salient), m.sector) for i, m in enumerate(article.mentions)])
        db.executemany(
            "INSERT INTO persons (article_id, idx, name, actor, role) VALUES (?, ?, ?, ?, ?)",
            [(aid, i, p.name, p.actor, p.role) for i, p in enumerate(article.persons)])

        events, actors, evidence = [], [], []
        seen: dict[str, int] = {}
        for event in article.events:
            eid = event_id(aid, event)
            # The same event listed twice in one article keeps both, in order.
            seen[eid] = seen.get(eid, 0) + 1
            if seen[eid] > 1:
                eid = f"{eid}-{seen[eid]}"
            events.append((
                eid, aid, event.type, event.mode, db.dump_json(list(event.context)),
                db.dump_json(list(event.source)), db.dump_json(list(event.target)),
                event.date, event.date_precision, event.date_text, event.location,
                event.location_country, bool(event.hypothetical), bool(event.negated),
                float(event.confidence), event.rule, event.trigger, event.evidence,
                event.date_basis))
            for role, codes, agents in (("source", event.source, event.source_agents),
                                        ("target", event.target, event.target_agents)):
                named = {a["actor"]: a for a in reversed(agents)}    # the first naming wins
                actors.extend((eid, role, code, named.get(code, {}).get("agent"),
                               named.get(code, {}).get("sector")) for code in dict.fromkeys(codes))
            evidence.extend((eid, i, int(a), int(b), article.text[int(a):int(b)])
                            for i, (a, b) in enumerate(event.evidence_spans))
        db.executemany(f"INSERT INTO events ({', '.join(_EVENT_COLUMNS)}) "
                       f"VALUES ({', '.join('?' * len(_EVENT_COLUMNS))})", events)
        db.executemany("INSERT INTO event_actors (event_id, role, actor, agent, sector) "
                       "VALUES (?, ?, ?, ?, ?)", actors)
        db.executemany('INSERT INTO event_evidence (event_id, idx, "start", "end", text) '
                       "VALUES (?, ?, ?, ?, ?)", evidence)

    # --- reading -------------------------------------------------------------------

    def events(self, *, actor: str | None = None, dyad: tuple[str, str] | None = None,
               type: str | Sequence[str] | None = None, since: str | None = None,
               until: str | None = None, include_flagged: bool = False,
               sector: str | None = None, limit: int | None = None) -> list[StoredEvent]:
        """Stored events, newest first (events without any date last).

        - `actor`: the code is a source or a target.
        - `sector`: a side's actor was named as a body, group or office of this
          sector (`kb.SECTORS`); with `actor`, that actor was.
        - `dyad`: (a, b): a on one side and b on the other, in either direction.
        - `type`: one PLOVER type or several.
        - `since` / `until` (YYYY, YYYY-MM or YYYY-MM-DD, inclusive) compare at the
          coarser of the two precisions: an event dated "2025-12" is inside
          since="2025-12-05", and one dated "2025" is inside until="2025-03".
          An event without a date is filtered by its article's published date
          instead (for filtering only: its `date` stays None).
        - Events flagged hypothetical or negated are left out unless
          `include_flagged`.
        """
        _check_date("since", since)
        _check_date("until", until)
        where, params = [], []
        if sector is not None:
            from aliansi.kb import SECTORS

            if sector not in SECTORS:
                raise StoreError(f"unknown sector {sector!r}; one of {', '.join(SECTORS)}")
            where.append("EXISTS (SELECT 1 FROM event_actors x WHERE x.event_id = e.id "
                         "AND x.sector = ?" + (" AND x.actor = ?)" if actor is not None else ")"))
            params.extend([sector, actor] if actor is not None else [sector])
        if actor is not None:
            where.append("EXISTS (SELECT 1 FROM event_actors x "
                         "WHERE x.event_id = e.id AND x.actor = ?)")
            params.append(actor)
        if dyad is not None:
            if len(dyad) != 2:
                raise StoreError(f"dyad must be a pair of actor codes, not {dyad!r}")
            one_way = ("(EXISTS (SELECT 1 FROM event_actors x WHERE x.event_id = e.id "
                       "AND x.role = 'source' AND x.actor = ?) AND EXISTS (SELECT 1 FROM "
                       "event_actors y WHERE y.event_id = e.id AND y.role = 'target' "
                       "AND y.actor = ?))")
            where.append(f"({one_way} OR {one_way})")
            params.extend([dyad[0], dyad[1], dyad[1], dyad[0]])
        if type is not None:
            types = [type] if isinstance(type, str) else list(type)
            unknown = [t for t in types if t not in EVENT_TYPES]
            if unknown:
                raise StoreError(f"unknown event type {unknown[0]!r}; "
                                 f"one of {', '.join(EVENT_TYPES)}")
            where.append(f"e.type IN ({', '.join('?' * len(types))})")
            params.extend(types)
        when = "COALESCE(e.date, a.published)"
        # Compare at the coarser precision: the event date cut to the bound's length
        # against the bound cut to the event date's length.
        for bound, op in ((since, ">="), (until, "<=")):
            if bound is not None:
                where.append(f"substr({when}, 1, ?) {op} substr(?, 1, length({when}))")
                params.extend([len(bound), bound])
        if not include_flagged:
            where.append("e.hypothetical = ? AND e.negated = ?")
            params.extend([False, False])
        return self._select_events(where, params, limit=limit)

    def _select_events(self, where: list[str], params: list[Any], *,
                       limit: int | None = None) -> list[StoredEvent]:
        when = "COALESCE(e.date, a.published)"
        sql = (f"SELECT e.*, a.url, a.outlet, a.title, a.published "
               f"FROM events e JOIN articles a ON a.id = e.article_id"
               f"{' WHERE ' + ' AND '.join(where) if where else ''} "
               f"ORDER BY {when} DESC NULLS LAST, e.article_id, e.id")
        if limit is not None:
            sql += " LIMIT ?"
            params = [*params, int(limit)]
        rows = self._rows(sql, params)
        spans = self._evidence_spans([row["id"] for row in rows])
        agents = self._agents([row["id"] for row in rows])
        return [self._stored_event(row, spans.get(row["id"], []), agents) for row in rows]

    # --- event clusters (written by aliansi.database.Database.update_clusters) ----------

    def events_by_id(self, ids: Iterable[str]) -> list[StoredEvent]:
        """The stored events with these ids (flagged ones too), in `events()` order."""
        ids = list(dict.fromkeys(ids))
        found: list[StoredEvent] = []
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            found += self._select_events([f"e.id IN ({', '.join('?' * len(chunk))})"], chunk)
        return found

    def cluster_ids(self, event_ids: Iterable[str]) -> dict[str, str]:
        """{event id: cluster id} of those of the events that are clustered."""
        ids, found = list(dict.fromkeys(event_ids)), {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            found.update((r["event_id"], r["cluster_id"]) for r in self._rows(
                f"SELECT event_id, cluster_id FROM event_clusters "
                f"WHERE event_id IN ({', '.join('?' * len(chunk))})", chunk))
        return found

    def unclustered_events(self) -> list[StoredEvent]:
        """Events that are not flagged and have no row in `event_clusters` yet."""
        return self._select_events(
            ["e.hypothetical = ? AND e.negated = ?",
             "NOT EXISTS (SELECT 1 FROM event_clusters c WHERE c.event_id = e.id)"],
            [False, False])

    def cluster_rows(self, *, of_event: str | None = None) -> list[ClusterRow]:
        """Rows of `event_clusters` (all, or those of the cluster holding `of_event`)."""
        sql = ("SELECT c.event_id, c.cluster_id, c.assigned_at, e.article_id, a.published "
               "FROM event_clusters c JOIN events e ON e.id = c.event_id "
               "JOIN articles a ON a.id = e.article_id")
        params: list[Any] = []
        if of_event is not None:
            sql += (" WHERE c.cluster_id IN "
                    "(SELECT cluster_id FROM event_clusters WHERE event_id = ?)")
            params.append(of_event)
        sql += " ORDER BY c.cluster_id, c.event_id"
        return [ClusterRow(event_id=r["event_id"], cluster_id=r["cluster_id"],
                           assigned_at=r["assigned_at"], article_id=r["article_id"],
                           published=r["published"]) for r in self._rows(sql, params)]

    def write_cluster_rows(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """Write (event_id, cluster_id, assigned_at) rows in one transaction. An event
        already in a cluster moves to `cluster_id` and keeps its `assigned_at`; an
        event deleted meanwhile (its article re-ingested) is skipped."""
        if self._db.read_only:
            raise StoreError(f"{self.location} is open read-only; cannot write clusters")
        try:
            with self._db.transaction():
                self._db.executemany(
                    "INSERT INTO event_clusters (event_id, cluster_id, assigned_at) "
                    "SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM events WHERE id = ?) "
                    "ON CONFLICT (event_id) DO UPDATE SET cluster_id = excluded.cluster_id",
                    [(event, cluster, at, event) for event, cluster, at in rows])
        except self._db.errors as exc:
            raise StoreError(f"{self.location}: cannot write event clusters: {exc}") from exc

    def _agents(self, ids: list[str]) -> dict[tuple[str, str], list[dict]]:
        """{(event id, role): [{actor, agent, sector}]} for the events named."""
        agents: dict[tuple[str, str], list[dict]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for row in self._rows(
                    f"SELECT event_id, role, actor, agent, sector FROM event_actors "
                    f"WHERE event_id IN ({', '.join('?' * len(chunk))})", chunk):
                agents.setdefault((row["event_id"], row["role"]), []).append(
                    {"actor": row["actor"], "agent": row["agent"], "sector": row["sector"]})
        return agents

    def _evidence_spans(self, ids: list[str]) -> dict[str, list[tuple[int, int]]]:
        spans: dict[str, list[tuple[int, int]]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows = self._rows(
                f'SELECT event_id, "start", "end" FROM event_evidence '
                f"WHERE event_id IN ({', '.join('?' * len(chunk))}) ORDER BY event_id, idx",
                chunk)
            for row in rows:
                spans.setdefault(row["event_id"], []).append((row["start"], row["end"]))
        return spans

    def _stored_event(self, row: Any, spans: list[tuple[int, int]],
                      agents: dict[tuple[str, str], list[dict]]) -> StoredEvent:
        load = self._db.load_json
        source, target = load(row["source"]), load(row["target"])

        def side(role: str, codes: list[str]) -> list[dict]:
            named = {a["actor"]: a for a in agents.get((row["id"], role), [])}
            return [named.get(code, {"actor": code, "agent": None, "sector": None}) for code in codes]

        return StoredEvent(
            id=row["id"], article_id=row["article_id"], type=row["type"],
            source=source, target=target,
            evidence=row["evidence"], evidence_spans=spans, mode=row["mode"],
            context=load(row["context"]), date=row["date"],
            date_precision=row["date_precision"], date_text=row["date_text"],
            date_basis=row["date_basis"],
            location=row["location"], location_country=row["location_country"],
            hypothetical=bool(row["hypothetical"]), negated=bool(row["negated"]),
            confidence=row["confidence"], rule=row["rule"], trigger=row["trigger"],
            url=row["url"], outlet=row["outlet"], title=row["title"],
            published=row["published"], source_agents=side("source", source),
            target_agents=side("target", target))

    def articles(self, *, limit: int | None = None) -> list[StoredArticle]:
        """Stored articles (metadata and event counts), newest published first."""
        sql = ("SELECT a.id, a.url, a.outlet, a.title, a.published, a.language, "
               "a.ingested_at, (SELECT COUNT(*) FROM events e WHERE e.article_id = a.id) "
               "AS n_events FROM articles a ORDER BY a.published DESC NULLS LAST, a.id")
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [StoredArticle(id=r["id"], url=r["url"], outlet=r["outlet"], title=r["title"],
                              published=r["published"], language=r["language"],
                              ingested_at=r["ingested_at"], events=int(r["n_events"]))
                for r in self._rows(sql, params)]

    def article(self, id: str) -> Article:
        """The stored Article, as it was ingested. StoreError if there is none."""
        value = self._one("SELECT article_json FROM articles WHERE id = ?", [id])
        if value is None:
            raise StoreError(f"no article {id!r} in {self.location}")
        return Article.from_dict(self._db.load_json(value))

    def __contains__(self, article_id: object) -> bool:
        return self._one("SELECT 1 FROM articles WHERE id = ?", [article_id]) is not None

    def actors_seen(self, *, include_flagged: bool = False) -> list[tuple[str, int]]:
        """(actor code, number of events it takes part in), most frequent first."""
        sql = ("SELECT x.actor, COUNT(DISTINCT x.event_id) AS n FROM event_actors x "
               "JOIN events e ON e.id = x.event_id")
        params: list[Any] = []
        if not include_flagged:
            sql += " WHERE e.hypothetical = ? AND e.negated = ?"
            params.extend([False, False])
        sql += " GROUP BY x.actor ORDER BY n DESC, x.actor"
        return [(r["actor"], int(r["n"])) for r in self._rows(sql, params)]

    def stats(self) -> StoreStats:
        count = lambda table: int(self._one(f"SELECT COUNT(*) FROM {table}"))  # noqa: E731
        flagged = self._one("SELECT COUNT(*) FROM events WHERE hypothetical = ? OR negated = ?",
                            [True, True])
        dates = self._rows("SELECT MIN(date) AS first, MAX(date) AS last FROM events")[0]
        return StoreStats(
            backend=self.backend, location=self.location,
            schema_version=self.schema_version, articles=count("articles"),
            sentences=count("sentences"), mentions=count("mentions"),
            events=count("events"), flagged_events=int(flagged),
            actors=int(self._one("SELECT COUNT(DISTINCT actor) FROM event_actors")),
            first_date=dates["first"], last_date=dates["last"])
