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
import time
from array import array
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from typing import Any, Callable, ContextManager, Iterable, Iterator, Sequence

from aliansi.errors import InputError, StoreError
from aliansi.model import EVENT_TYPES, Article, Event
from aliansi.store import actor_events, cluster_summary, listing, occurrences
from aliansi.store.counts import CountsMixin
from aliansi.store.readable import refresh as refresh_readable
from aliansi.store.reviews import (_ACTOR_CLAUSE, ReviewsMixin, corrected, order_key,
                                   review_clause, review_states)

logger = logging.getLogger(__name__)

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


_DECODER = json.JSONDecoder()
_scan_json = _DECODER.scan_once


def decode_json(text: str) -> Any:
    """json.loads without its checks of a value's type and encoding and of white space
    around the value (three a listed event): the C scanner alone, on what json.dumps
    wrote; anything else goes through the full decoder (and its errors)."""
    try:
        value, end = _scan_json(text, 0)
    except StopIteration:
        return _DECODER.decode(text)
    return value if end == len(text) else _DECODER.decode(text)
# the event `e` is marked wrong by a review
_WRONG = "SELECT 1 FROM reviews r WHERE r.event_id = e.id AND r.verdict = 'wrong'"


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

    def stream(self, sql: str, params: Sequence[Any] = (), size: int = 1000, *,
               tuples: bool = False, apart: bool = False, walked: bool = False
               ) -> Iterator[list[Any]]:
        """The rows of a query, `size` at a time, without holding them all; with
        `tuples`, as plain tuples (read in C: for long listings that read by position);
        with `apart` too, read by another process where the backend can, while the
        caller uses the rows before (`store.apart`); `walked`: the query is written to
        read its rows in their order through an index (planned so, where the backend
        plans)."""
        cursor = self.tuples(sql, params) if tuples else self.execute(sql, params)
        while rows := cursor.fetchmany(size):
            yield rows

    def results(self, queries: Sequence[tuple[str, Sequence[Any]]]) -> Iterator[list[tuple]]:
        """All the rows of each query in turn, as plain tuples (one list a query); read
        by another process where the backend can, while the caller uses the list
        before (`store.apart`)."""
        for sql, params in queries:
            yield self.tuples(sql, params).fetchall()

    def tuples(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """`execute`, with a cursor whose rows are plain tuples."""
        raise NotImplementedError

    def one_of(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """The condition that `column` is one of `values`, and its parameters."""
        return f"{column} IN ({', '.join('?' * len(values))})", list(values)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Around a long run of writes (ingest, clustering): the backend's settings for
        them. May be nested."""
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
        if isinstance(value, str):
            return decode_json(value)
        return json.loads(value) if isinstance(value, bytes) else value

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
    # an analyst's verdict (aliansi.store.reviews): "right", "corrected" (the values
    # above are the corrected ones), "wrong", or None when unreviewed
    review: str | None = None

    def to_dict(self) -> dict[str, Any]:
        # as dataclasses.asdict, its lists and dicts copied one by one (the cost of a
        # long listing's each line)
        data = {name: getattr(self, name) for name in _STORED_EVENT_FIELDS}
        for key in ("source", "target", "context"):
            data[key] = list(data[key])
        data["evidence_spans"] = [list(s) for s in self.evidence_spans]
        for key in ("source_agents", "target_agents"):
            data[key] = [dict(a) for a in data[key]]
        return data


_STORED_EVENT_FIELDS = tuple(f.name for f in fields(StoredEvent))


@dataclass
class ClusterRow:
    """One row of `event_clusters` with what orders a cluster's members."""
    event_id: str
    cluster_id: str
    assigned_at: str
    article_id: str
    published: str | None


@dataclass
class ClusterEvent:
    """An event as clustering compares it (`aliansi.dedup`): what a cluster member
    holds, its actors, and its cluster when it has one."""
    id: str
    article_id: str
    type: str
    source: list[str]
    target: list[str]
    evidence: str
    date: str | None = None
    published: str | None = None
    location: str | None = None
    location_country: str | None = None
    outlet: str | None = None
    url: str | None = None
    hypothetical: bool = False
    negated: bool = False
    cluster_id: str | None = None
    assigned_at: str | None = None


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


class _RolledBack(Exception):
    """Leaves a transaction of `Store._write_batch` so that it is rolled back."""


_Failure = tuple[BaseException, "BaseException | None"]     # the error and its cause


class IdCollision(Exception):
    """An article id already stored for a different text."""


def _jaccard(grams: set[int], other: array) -> float:
    """`fingerprint.similarity` of a set and distinct trigrams kept in an array."""
    shared = len(grams.intersection(other))
    union = len(grams) + len(other) - shared
    return shared / union if union else 1.0


def _same_article(stored: Any, article: Article, grams: set[int]) -> bool:
    """Whether `article` (its word trigrams `grams`) is the stored article again, edited or
    re-annotated: the same text, the same URL, or most of the same wording."""
    if stored["text"] == article.text or (article.url and stored["url"] == article.url):
        return True
    from aliansi.fingerprint import shingles    # where articles are written: readers need not

    old, new = shingles(stored["text"]), grams
    return len(old & new) / max(min(len(old), len(new)), 1) >= 0.5


def article_hash(article: Article, data: dict | None = None) -> str:
    """A hash of an article's text and every annotation on it (`data`: its to_dict())."""
    data = json.dumps(data if data is not None else article.to_dict(), ensure_ascii=False,
                      sort_keys=True, default=list)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


@dataclass
class Prepared:
    """What storing an article computes from the article alone (`prepare`): its JSON
    form (`text`, None when it has none) and hash, its word trigrams and fingerprint
    bands. `Store.ingest` takes these in place of Articles from whoever made them
    beforehand (batch mode's workers), and makes them itself otherwise."""
    article: Article
    data: dict[str, Any]
    text: str | None
    digest: str
    grams: set[int] | None = None       # None: not computed yet (`fingerprint`)
    bands: list[str] | None = None

    def fingerprint(self) -> tuple[set[int], list[str]]:
        """The text's trigrams and distinct fingerprint bands, computed once."""
        if self.grams is None or self.bands is None:
            from aliansi.fingerprint import bands, shingles

            self.grams = shingles(self.article.text)
            self.bands = list(dict.fromkeys(bands(self.grams)))
        return self.grams, self.bands


def prepare(article: Article, *, fingerprint: bool = True) -> Prepared:
    """An article as `Store.ingest` writes it; its fingerprint is left for later
    without `fingerprint` (an article stored unchanged needs none)."""
    data = article.to_dict(copy=False)      # read by the JSON encoder only
    try:        # the JSON text hashed is the one SQLite stores: written once
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    except TypeError:
        text = None
    digest = article_hash(article, data) if text is None else \
        hashlib.sha256(text.encode("utf-8")).hexdigest()
    prepared = Prepared(article, data, text, digest)
    if fingerprint:
        prepared.fingerprint()
    return prepared


def event_id(article_id: str, event: Event) -> str:
    """A stable id: a hash of (article, type, sorted actors, date, evidence spans)."""
    key = [article_id, event.type, sorted(event.source), sorted(event.target),
           event.date, sorted([int(a), int(b)] for a, b in event.evidence_spans)]
    return hashlib.sha256(json.dumps(key).encode("utf-8")).hexdigest()[:20]


def event_ids(article_id: str, events: Iterable[Event]) -> list[str]:
    """The stored ids of an article's events, in order: the same event listed twice in
    one article keeps both, the second as "<id>-2"."""
    seen: dict[str, int] = {}
    ids = []
    for event in events:
        eid = event_id(article_id, event)
        seen[eid] = seen.get(eid, 0) + 1
        ids.append(eid if seen[eid] == 1 else f"{eid}-{seen[eid]}")
    return ids


# The order of every event list: newest first by the event's date (else its article's
# published date: `events.sort_date`, migration 12), undated last.
_ORDER = "e.sort_date DESC NULLS LAST, e.article_id, e.id"
FIRST_PAGE = 100        # the events a long list reads first, walking the list when it pays
_SECTOR_CLAUSE = "e.id IN (SELECT x.event_id FROM event_actors x WHERE x.sector = ?)"
_SECTOR_ACTOR_CLAUSE = ("e.id IN (SELECT x.event_id FROM event_actors x "
                        "WHERE x.sector = ? AND x.actor = ?)")
# A whole list of an actor's or a sector's events, read in list order through
# event_actors' (actor, sort_date) and (sector, sort_date) indexes (migrations 15, 23):
# the condition on the joined rows in place of the subquery (the same parameters)
_WALKS = {_ACTOR_CLAUSE: "x.actor = ?", _SECTOR_CLAUSE: "x.sector = ?",
          _SECTOR_ACTOR_CLAUSE: "x.sector = ? AND x.actor = ?"}
_WALK_JOIN = " JOIN event_actors x ON x.event_id = e.id"
_WALK_ORDER = "x.sort_date DESC NULLS LAST, e.article_id, e.id"


def _filters(*, actor: str | None = None, dyad: tuple[str, str] | None = None,
             type: str | Sequence[str] | None = None, since: str | None = None,
             until: str | None = None, include_flagged: bool = False,
             sector: str | None = None) -> tuple[list[str], list[Any]]:
    """The WHERE clauses and parameters of `Store.events`' filters (see there), written
    so that the indexes serve them: actors and sectors through `event_actors`, dates
    through `events.sort_date`."""
    _check_date("since", since)
    _check_date("until", until)
    where: list[str] = []
    params: list[Any] = []
    if sector is not None:
        from aliansi.kb import SECTORS

        if sector not in SECTORS:
            raise StoreError(f"unknown sector {sector!r}; one of {', '.join(SECTORS)}")
        where.append(_SECTOR_ACTOR_CLAUSE if actor is not None else _SECTOR_CLAUSE)
        params.extend([sector, actor] if actor is not None else [sector])
    if actor is not None:
        where.append(_ACTOR_CLAUSE)
        params.append(actor)
    if dyad is not None:
        if len(dyad) != 2:
            raise StoreError(f"dyad must be a pair of actor codes, not {dyad!r}")
        # one on either side of the other (source and target, or target and source):
        # unflagged events through dyad_events' (source, target) index, a direct lookup
        if include_flagged:
            where.append("e.id IN (SELECT x.event_id FROM event_actors x JOIN event_actors y "
                         "ON y.event_id = x.event_id AND y.role <> x.role "
                         "WHERE x.actor = ? AND y.actor = ?)")
            params.extend([dyad[0], dyad[1]])
        else:
            where.append("e.id IN (SELECT d.event_id FROM dyad_events d WHERE "
                         "((d.source = ? AND d.target = ?) OR (d.source = ? AND d.target = ?)))")
            params.extend([dyad[0], dyad[1], dyad[1], dyad[0]])
    if type is not None:
        types = [type] if isinstance(type, str) else list(type)
        unknown = [t for t in types if t not in EVENT_TYPES]
        if unknown:
            raise StoreError(f"unknown event type {unknown[0]!r}; "
                             f"one of {', '.join(EVENT_TYPES)}")
        where.append(f"e.type IN ({', '.join('?' * len(types))})")
        params.extend(types)
    dated, bounds = date_clauses("e.sort_date", since, until)
    where += dated
    params += bounds
    if not include_flagged:
        where.append("e.hypothetical = ? AND e.negated = ?")
        params.extend([False, False])
    return where, params


# conditions that test an event as it is read (the others may find fewer events faster)
_ROW_TESTS = ("e.hypothetical = ?", "e.confidence >= ?", "e.location_country = ?",
              "NOT EXISTS (SELECT 1 FROM reviews r ", "EXISTS (SELECT 1 FROM reviews r ")


def _walked(where: list[str]) -> list[str] | None:
    """`where` for a list read in order through `_WALK_JOIN`: when it holds an actor's or
    a sector's condition and, besides it, only tests of each event read (a dyad, a
    type, dates or a search find their events by their own index instead). None
    otherwise."""
    at = next((i for i, w in enumerate(where) if w in _WALKS), None)
    if at is None or not all(w.startswith(_ROW_TESTS) for i, w in enumerate(where) if i != at):
        return None
    return [_WALKS[w] if i == at else w for i, w in enumerate(where)]


def _distinct(batches: Iterator[list[tuple]]) -> Iterator[list[tuple]]:
    """Rows read through `_WALK_JOIN` without the second row of an event that has two
    (two actors of the sector, or the actor on both sides): the id is a row's last
    column, and an event's rows come one after the other."""
    last = None
    for rows in batches:
        kept = []
        for row in rows:
            if row[-1] != last:
                kept.append(row)
                last = row[-1]
        if kept:
            yield kept


def date_clauses(column: str, since: str | None, until: str | None
                 ) -> tuple[list[str], list[Any]]:
    """WHERE clauses and parameters: the sort date in `column` within [since, until].
    Compared at the coarser precision: the date cut to the bound's length against the
    bound cut to the date's length; the year range before it lets an index on the
    column find the candidates."""
    where: list[str] = []
    params: list[Any] = []
    if since is not None:
        where.append(f"{column} >= ? AND substr({column}, 1, ?) >= "
                     f"substr(?, 1, length({column}))")
        params.extend([since[:4], len(since), since])
    if until is not None:
        where.append(f"{column} < ? AND substr({column}, 1, ?) <= "
                     f"substr(?, 1, length({column}))")
        params.extend([f"{int(until[:4]) + 1:04d}", len(until), until])
    return where, params


def _after(day: str | None, article: str, id: str) -> tuple[str, list[Any]]:
    """The condition of the events after the event of this sort date, article and id in
    list order (`_ORDER`), and its parameters."""
    later = "(e.article_id > ? OR (e.article_id = ? AND e.id > ?))"
    if day is None:
        return f"(e.sort_date IS NULL AND {later})", [article, article, id]
    return (f"(e.sort_date < ? OR e.sort_date IS NULL OR (e.sort_date = ? AND {later}))",
            [day, day, article, article, id])


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
    "negated", "confidence", "rule", "trigger", "evidence", "date_basis", "sort_date",
    "agents", "spans",
)
_ARTICLE_COLUMNS = (
    "id", "content_hash", "url", "outlet", "title", "published", "published_source",
    "language", "origin", "byline", "text", "ingested_at", "article_json",
)
# Child tables of an article; events cascade to event_actors and event_evidence.
_CHILD_TABLES = ("sentences", "mentions", "persons", "events", "article_bands")


class Store(ReviewsMixin, CountsMixin):
    """Articles and their events in a database. Open with `open_store()`.

    One Store owns one connection; use it from one thread. With SQLite, other
    threads or processes read through their own `open_store(..., read_only=True)`.
    """

    def __init__(self, dialect: Dialect):
        from aliansi.store.migrations import migrate

        self._db = dialect
        self._grams: dict[tuple[str, str], array] = {}     # see _remember
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

    def writing(self) -> ContextManager[None]:
        """Around a long run of writes: the backend's settings for them (SQLite: a larger
        page cache, statement journals in memory)."""
        return self._db.writing()

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

    def _rows(self, sql: str, params: Sequence[Any] = (), *, tuples: bool = False
              ) -> list[Any]:
        try:
            if tuples:
                return self._db.tuples(sql, params).fetchall()
            return self._db.execute(sql, params).fetchall()
        except self._db.errors as exc:
            raise StoreError(f"{self.location}: query failed: {exc}") from exc

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self._rows(sql, params)
        return rows[0][0] if rows else None

    # --- writing -------------------------------------------------------------------

    def ingest(self, articles: Iterable[Article | Prepared], *,
               progress: Callable[[str, str], None] | None = None,
               on_error: Callable[[InputError], None] | None = None,
               after_batch: Callable[[IngestReport], None] | None = None) -> IngestReport:
        """Store articles with their annotations; returns what changed.

        An article already stored with the same content hash is left alone
        ("unchanged"); one whose content changed has its own sentences, mentions,
        persons and events replaced ("replaced"). Articles are written several to a
        transaction (at most `BATCH`, or those received within `BATCH_SECONDS`): an
        error stops the run with a StoreError naming the article, and the articles
        before it stay stored. `progress(article_id, outcome)` is
        called for each article once it is committed.

        Every source of a text is kept (`article_sources`): the same text from another
        outlet, URL or file is "unchanged" with one more source. An id already stored
        for a different text (not an edit of it: same URL, or most of its wording) is
        "refused": an InputError names both, handed to `on_error` (raised without it),
        and the stored article stays as it was.

        An item may be an Article already `prepare`d (batch mode does that on its
        workers): the same article is stored the same way. `after_batch(report)` is
        called after each batch is committed (the last call may follow an empty batch,
        when the stream ends; `Database.ingest` places the new events in clusters there).
        """
        if self._db.read_only:
            raise StoreError(f"{self.location} is open read-only; cannot ingest")
        report = IngestReport()
        stream = iter(articles)
        more = True
        with self._db.writing():
            while more:
                more = self._ingest_batch(stream, report, progress, on_error)
                if after_batch is not None:
                    after_batch(report)
        return report

    # A commit writes every index page its transaction touched, and ingest's keys
    # (hashes, dates, actors) fall all over the indexes: in a store of 10,000 articles
    # storing cost 8.9 ms an article in transactions of 64, 6.5 in transactions of 512
    # (the worker processes extract meanwhile: `pipeline.IN_FLIGHT_PER_JOB`).
    BATCH = 256             # articles written in one transaction at most
    BATCH_SECONDS = 4.0     # ... or those received within this time

    def _ingest_batch(self, stream: Iterator[Article | Prepared], report: IngestReport,
                      progress: Callable[[str, str], None] | None,
                      on_error: Callable[[InputError], None] | None) -> bool:
        """Take up to BATCH articles from `stream` (those received within BATCH_SECONDS
        of the first), then write them in one transaction, each in a savepoint, and count
        and report them in order; returns whether the stream may have more. No lock is
        held while the stream is waited for (extraction may take a while; `aliansi serve`
        writes reviews to the same store). The first error ends the batch, after the
        articles before it are committed; so does an error of the stream itself."""
        db = self._db
        batch: list[Article | Prepared] = []
        stream_failure: BaseException | None = None
        more, started = True, 0.0
        while len(batch) < self.BATCH and (not batch or
                                           time.monotonic() - started < self.BATCH_SECONDS):
            try:
                item = next(stream)
            except StopIteration:
                more = False
                break
            except BaseException as exc:    # the stream failed: what came before is kept
                stream_failure = exc
                break
            if not batch:
                started = time.monotonic()
            batch.append(item)
        if not batch:
            if stream_failure is not None:
                raise stream_failure
            return False
        done, failure = self._write_batch(batch, on_error)
        if failure is not None:
            # What the failed article wrote went with the whole transaction; the articles
            # before it are written again (each wrote the same the first time).
            done, failure_again = self._write_batch(batch[:len(done)], on_error)
            failure = failure_again or failure
        for article, outcome, n_events in done:
            if outcome == "refused":
                report.refused += 1
                error = InputError(str(n_events), origin=article.origin or article.url)
                if on_error is None:
                    raise error from None
                on_error(error)
                continue
            setattr(report, outcome, getattr(report, outcome) + 1)
            report.events += n_events
            logger.info("article %s %s (%d events)", article.id, outcome, n_events)
            if progress is not None:
                progress(article.id, outcome)
        if failure is not None:
            if failure[1] is None:
                raise failure[0]
            raise failure[0] from failure[1]
        if stream_failure is not None:
            raise stream_failure
        return more

    def _write_batch(self, batch: list[Article | Prepared],
                     on_error: Callable[[InputError], None] | None
                     ) -> tuple[list[tuple[Article, str, Any]], _Failure | None]:
        """Write the articles of `batch` in one transaction, in order, up to the first
        that fails: ([(article, outcome, events or the IdCollision)], None) when it is
        committed, ([...of those before it], the failure) when it was rolled back.

        No savepoint an article: one makes SQLite copy every page an article changes
        (a few hundred, the keys being hashes) to a journal, which cost about a quarter
        of storing. An error rolls the whole batch back instead, and the caller writes
        again the articles before the one that failed."""
        db = self._db
        done: list[tuple[Article, str, Any]] = []
        failure: _Failure | None = None
        try:
            with db.transaction():
                for item in batch:
                    if not isinstance(item, (Article, Prepared)):
                        failure = StoreError(f"ingest expects Article objects, "
                                             f"got {type(item).__name__}"), None
                        raise _RolledBack
                    article = item.article if isinstance(item, Prepared) else item
                    try:
                        outcome, n_events = self._ingest_one(item)
                    except IdCollision as exc:      # found before the article writes
                        done.append((article, "refused", exc))
                        if on_error is None:
                            break
                        continue
                    except db.errors as exc:
                        failure = (StoreError(f"article {article.id}: cannot store it: {exc}"),
                                   exc)
                    except (TypeError, ValueError) as exc:
                        failure = (StoreError(f"article {article.id}: cannot encode it: {exc}"),
                                   exc)
                    except BaseException as exc:    # interrupted
                        failure = exc, None
                    if failure is not None:
                        raise _RolledBack
                    done.append((article, outcome, n_events))
        except _RolledBack:
            pass
        return done, failure

    def _ingest_one(self, item: Article | Prepared) -> tuple[str, int]:
        """Write one article inside the caller's transaction."""
        prepared = item if isinstance(item, Prepared) else prepare(item, fingerprint=False)
        article, data, text, digest = prepared.article, prepared.data, prepared.text, prepared.digest
        db = self._db
        row = db.execute("SELECT content_hash, text, url, outlet, origin FROM articles "
                         "WHERE id = ?", [article.id]).fetchone()
        old = None if row is None else row[0]
        if row is not None and row["text"] == article.text:
            self._add_source(article)
            primary = (row["url"], row["outlet"], row["origin"]) == \
                (article.url, article.outlet, article.origin)
            if old == digest or not primary:     # the same text again, or from elsewhere
                return "unchanged", 0
        grams, fingerprint = prepared.fingerprint()
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
                  text if text is not None and db.name == "sqlite" else db.dump_json(data)]
        updates = ", ".join(f"{c} = excluded.{c}" for c in _ARTICLE_COLUMNS[1:])
        # The upsert also locks the article's row (PostgreSQL) before the deletes.
        db.execute(f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}) "
                   f"VALUES ({', '.join('?' * len(values))}) "
                   f"ON CONFLICT (id) DO UPDATE SET {updates}", values)
        touched = occurrences.of_article(db, article.id)
        # Clusters that lose a report may need a new id (`Database.update_clusters`).
        db.execute("INSERT INTO cluster_shrunk (cluster_id) SELECT DISTINCT c.cluster_id "
                   "FROM event_clusters c JOIN events e ON e.id = c.event_id "
                   "WHERE e.article_id = ? ON CONFLICT (cluster_id) DO NOTHING",
                   [article.id])
        # Always clear: a concurrent writer may have stored this id meanwhile.
        for table in _CHILD_TABLES:
            db.execute(f"DELETE FROM {table} WHERE article_id = ?", [article.id])
        ids = event_ids(article.id, article.events)
        self._insert_children(article, ids)
        occurrences.refresh(db, touched | set(ids))
        cluster_summary.refresh(db, touched)        # the clusters that lost its old events
        db.executemany("INSERT INTO article_bands (article_id, band) VALUES (?, ?)",
                       [(article.id, band) for band in fingerprint])
        self._remember(article.id, digest, grams)
        refresh_readable(db, article.id)
        self._add_source(article)
        return ("added" if old is None else "replaced"), len(article.events)

    def _same_text(self, grams: set[int], keys: list[str]) -> str | None:
        """The stored article whose text is (nearly) this one, found through shared
        fingerprint bands and values (`keys`: its bands) and confirmed by the overlap of
        word trigrams."""
        from aliansi.fingerprint import (_WORD, SAME_TEXT, SHARED_BANDS, SHARED_VALUES,
                                         shared_values, shingles)

        if not keys:
            return None
        candidates = self._db.execute(
            f"SELECT b.article_id, a.content_hash FROM article_bands b JOIN articles a "
            f"ON a.id = b.article_id WHERE b.band IN ({', '.join('?' * len(keys))}) "
            f"GROUP BY b.article_id, a.content_hash HAVING COUNT(*) >= ?",
            [*keys, SHARED_BANDS]).fetchall()
        fingerprints: dict[str, list[str]] = {}
        ids = [r["article_id"] for r in candidates]
        for i in range(0, len(ids), 500):
            where, params = self._db.one_of("article_id", ids[i:i + 500])
            for r in self._db.execute(f"SELECT article_id, band FROM article_bands "
                                      f"WHERE {where}", params):
                fingerprints.setdefault(r["article_id"], []).append(r["band"])
        known = {r["article_id"]: self._grams.get((r["article_id"], r["content_hash"]))
                 for r in candidates
                 if shared_values(keys, fingerprints.get(r["article_id"], [])) >= SHARED_VALUES}
        missing = [aid for aid, found in known.items() if found is None]
        for i in range(0, len(missing), 500):
            where, params = self._db.one_of("id", missing[i:i + 500])
            for r in self._db.execute(f"SELECT id, content_hash, text FROM articles "
                                      f"WHERE {where}", params).fetchall():
                # a text of too few words has too few trigrams to be this one: not read
                words = len(_WORD.findall(r["text"].lower()))
                if max(words - 2, 1) >= SAME_TEXT * len(grams):
                    known[r["id"]] = self._remember(r["id"], r["content_hash"],
                                                    shingles(r["text"]))
        # Jaccard is at most the ratio of the sizes: only texts of about this size count
        best = max(((_jaccard(grams, found), aid) for aid, found in known.items()
                    if found is not None and min(len(found), len(grams))
                    >= SAME_TEXT * max(len(found), len(grams))), default=(0.0, None))
        return best[1] if best[0] >= SAME_TEXT else None

    GRAMS_KEPT = 20_000     # articles whose trigrams a writing Store keeps in memory

    def _remember(self, article_id: str, content_hash: str, grams: set[int]) -> array:
        """Keep an article's trigrams (keyed by its content hash, so a changed text is
        never mistaken for the old one) for the fingerprint lookups that follow."""
        if len(self._grams) >= self.GRAMS_KEPT:
            del self._grams[next(iter(self._grams))]
        kept = self._grams[(article_id, content_hash)] = array("Q", grams)
        return kept

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

    def _insert_children(self, article: Article, ids: list[str]) -> None:
        """Write the rows of an article's parts (`ids`: its events' `event_ids`)."""
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
        for event, eid in zip(article.events, ids):
            sort_date = event.date or article.published
            own = []
            for role, codes, agents in (("source", event.source, event.source_agents),
                                        ("target", event.target, event.target_agents)):
                named = {a["actor"]: a for a in reversed(agents)}    # the first naming wins
                own.extend((eid, role, code, named.get(code, {}).get("agent"),
                            named.get(code, {}).get("sector"), sort_date)
                           for code in dict.fromkeys(codes))
            actors.extend(own)
            # on the event's row too (migration 22), as the migration writes them
            agents_on_row = sorted([role, code, agent, sector] for _, role, code, agent, sector, _
                                   in own if agent is not None or sector is not None)
            spans = [[int(a), int(b)] for a, b in event.evidence_spans]
            events.append((
                eid, aid, event.type, event.mode, db.dump_json(list(event.context)),
                db.dump_json(list(event.source)), db.dump_json(list(event.target)),
                event.date, event.date_precision, event.date_text, event.location,
                event.location_country, bool(event.hypothetical), bool(event.negated),
                float(event.confidence), event.rule, event.trigger, event.evidence,
                event.date_basis, sort_date,
                db.dump_json(agents_on_row) if agents_on_row else None,
                db.dump_json(spans) if spans else None))
            evidence.extend((eid, i, a, b, article.text[a:b]) for i, (a, b) in enumerate(spans))
        db.executemany(f"INSERT INTO events ({', '.join(_EVENT_COLUMNS)}) "
                       f"VALUES ({', '.join('?' * len(_EVENT_COLUMNS))})", events)
        # every event but a flagged one waits to be placed in a cluster
        db.executemany("INSERT INTO cluster_queue (event_id) VALUES (?)",
                       [(e[0],) for e in events if not e[12] and not e[13]])
        db.executemany("INSERT INTO event_actors (event_id, role, actor, agent, sector, "
                       "sort_date) VALUES (?, ?, ?, ?, ?, ?)", actors)
        actor_events.insert(db, [
            row for event, eid in zip(article.events, ids)
            if not event.hypothetical and not event.negated
            for row in actor_events.rows(eid, aid, event.type, event.mode,
                                         list(event.source), list(event.target))])
        db.executemany('INSERT INTO event_evidence (event_id, idx, "start", "end", text) '
                       "VALUES (?, ?, ?, ?, ?)", evidence)

    # --- reading -------------------------------------------------------------------

    def events(self, *, actor: str | None = None, dyad: tuple[str, str] | None = None,
               type: str | Sequence[str] | None = None, since: str | None = None,
               until: str | None = None, include_flagged: bool = False,
               sector: str | None = None, limit: int | None = None, q: str | None = None,
               review: str | Sequence[str] | None = None, offset: int = 0,
               **search: Any) -> list[StoredEvent]:
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
        - `q`: words that must all be in the evidence (full text; `word*` for a prefix).
        - `review`: the review states kept (`aliansi.store.reviews`): by default every
          event but those marked wrong; an event corrected by a review has its
          corrected values, and the filters apply to them.
        - `search`: more filters of the web API (`store.reviews.SEARCH_FILTERS`: context,
          country, language, article, person, min_confidence, min_sources).
        - `limit` and `offset`: one page of the result, in its order.
        """
        filters = dict(actor=actor, dyad=dyad, type=type, since=since, until=until,
                       include_flagged=include_flagged, sector=sector, q=q, **search)
        states = review_states(review)
        where, params = self._where(filters)
        fixed = self._corrected_events(states, filters)
        clause = review_clause(states)
        if clause is None:
            fixed = fixed[offset:]
            return fixed if limit is None else fixed[:limit]
        where.append(clause)
        if not fixed:
            return self._select_events(where, params, limit=limit, offset=offset)
        # corrected events (few) merged into the page in the same order
        start = max(0, offset - len(fixed))
        fetch = None if limit is None else limit + len(fixed)
        rows = self._select_events(where, params, limit=fetch, offset=start)
        if start and not rows:          # past the last stored row: count what came before
            start, rows = 0, self._select_events(where, params, limit=None if limit is None
                                                 else offset + limit)
        first = order_key(rows[0]) if rows else None
        before = {e.id for e in fixed if first is not None and order_key(e) < first} \
            if start else set()
        after = [e for e in fixed if e.id not in before]
        merged = sorted(rows + after, key=order_key)
        skip = offset - (start + len(before))
        merged = merged[skip:]
        return merged if limit is None else merged[:limit]

    def iter_events(self, *, review: str | Sequence[str] | None = None, batch: int = 1000,
                    **filters: Any) -> Iterator[list[StoredEvent]]:
        """`events(**filters)` (no limit, offset) in its order, in lists of about `batch`
        events read as they are needed: memory stays flat however long the list."""
        return self._listed(None, review, batch, filters)

    def iter_listed(self, kind: str, *, review: str | Sequence[str] | None = None,
                    batch: int = 1000, **filters: Any) -> Iterator[list[Any]]:
        """`iter_events`' lists with each event as an item of a lean kind
        (`store.listing`): "table" (`ListedEvent`) or "record" (`StoredEvent.to_dict`)."""
        return self._listed(listing.KINDS[kind], review, batch, filters)

    def _listed(self, kind: listing.Listing | None, review: str | Sequence[str] | None,
                batch: int, filters: dict[str, Any]) -> Iterator[list[Any]]:
        states = review_states(review)
        where, params = self._where(filters)
        fixed = self._corrected_events(states, filters)
        key = order_key
        if kind is not None:
            fixed, key = [kind.of_event(e) for e in fixed], kind.key
        clause = review_clause(states)
        if clause is None:
            for start in range(0, len(fixed), batch):
                yield fixed[start:start + batch]
            return
        where.append(clause)
        for found in self._event_batches(where, params, batch, kind):
            if fixed:       # corrected events (few) merged in the same order
                last = key(found[-1])
                found, fixed = (sorted(found + [e for e in fixed if key(e) < last], key=key),
                                [e for e in fixed if not key(e) < last])
            yield found
        if fixed:
            yield fixed

    def _event_batches(self, where: list[str], params: list[Any], batch: int,
                       kind: listing.Listing | None = None) -> Iterator[list[Any]]:
        """The events of `where` in list order, `batch` at a time (StoredEvents, or the
        items of a `kind` of `store.listing`): the first FIRST_PAGE read as a page
        (`in_order`: walking the list in order when that is cheaper than sorting every
        match, so that a long list starts at once), then those after it."""
        if kind is None:
            sql, build, tuples = self._events_sql, self._stored_events, False
            position = lambda row: (row["sort_date"], row["article_id"], row["id"])  # noqa: E731
        else:
            backend = self.backend
            sql = lambda w: kind.sql(backend, w, _ORDER)        # noqa: E731
            seen: dict = {}
            build = lambda rows: kind.made(rows, decode_json, seen)  # noqa: E731
            tuples, position = True, kind.after
        walked = _walked(where) if kind is not None else None
        if walked is not None:
            found = self._db.stream(kind.sql(self.backend, walked, _WALK_ORDER, _WALK_JOIN),
                                    params, batch, tuples=True, apart=True, walked=True)
            for rows in _distinct(found):
                yield build(rows)
            return
        first = min(batch, FIRST_PAGE)
        page, values = self.in_order(where, params, first)
        # the matches found by index, then sorted: one query (PostgreSQL plans the first
        # page apart, for its first rows, and the rest for all of them: `Dialect.stream`)
        if page == where and not self.backend.startswith("postgres"):
            for found in self._db.stream(sql(where), params, batch, tuples=tuples,
                                         apart=tuples):
                yield build(found)
            return
        rows = self._rows(sql(page) + " LIMIT ?", [*values, first], tuples=tuples)
        if rows:
            yield build(rows)
        if len(rows) < first:
            return
        after, values = _after(*position(rows[-1]))
        for found in self._db.stream(sql([*where, after]), [*params, *values], batch,
                                     tuples=tuples, apart=tuples):
            yield build(found)

    def _select_events(self, where: list[str], params: list[Any], *,
                       limit: int | None = None, offset: int = 0) -> list[StoredEvent]:
        if limit is not None:       # one page: walk the list in order when that is cheaper
            where, params = self.in_order(where, params, int(limit) + int(offset))
        sql = self._events_sql(where)
        if limit is not None:
            sql += " LIMIT ?"
            params = [*params, int(limit)]
        if offset:
            sql += (" LIMIT -1" if limit is None and not self.backend.startswith("postgres")
                    else "") + " OFFSET ?"
            params = [*params, int(offset)]
        return self._stored_events(self._rows(sql, params))

    @staticmethod
    def _events_sql(where: list[str]) -> str:
        return (f"SELECT e.*, a.url, a.outlet, a.title, a.published, "
                f"(SELECT r.verdict FROM reviews r WHERE r.event_id = e.id) AS review "
                f"FROM events e JOIN articles a ON a.id = e.article_id"
                f"{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY {_ORDER}")

    def _stored_events(self, rows: list[Any]) -> list[StoredEvent]:
        spans = self._evidence_spans([row["id"] for row in rows])
        agents = self._agents([row["id"] for row in rows])
        reviewed = bool(rows) and "review" in rows[0].keys()
        return [self._stored_event(row, spans.get(row["id"], []), agents, reviewed)
                for row in rows]

    # --- event clusters (written by aliansi.database.Database.update_clusters) ----------

    def events_by_id(self, ids: Iterable[str], *, corrections: bool = True) -> list[StoredEvent]:
        """The stored events with these ids (flagged ones and those reviewed wrong too),
        in `events()` order; with their reviews' corrections unless `corrections=False`."""
        ids = list(dict.fromkeys(ids))
        found: list[StoredEvent] = []
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            found += self._select_events([f"e.id IN ({', '.join('?' * len(chunk))})"], chunk)
        fixes = self._corrections(e.id for e in found if e.review == "corrected") \
            if corrections else {}
        return [corrected(e, fixes[e.id]) if e.id in fixes else e for e in found]

    def cluster_ids(self, event_ids: Iterable[str]) -> dict[str, str]:
        """{event id: cluster id} of those of the events that are clustered."""
        ids, found = list(dict.fromkeys(event_ids)), {}
        for i in range(0, len(ids), 500):
            where, params = self._db.one_of("event_id", ids[i:i + 500])
            found.update(self._rows(f"SELECT event_id, cluster_id FROM event_clusters "
                                    f"WHERE {where}", params, tuples=True))
        return found

    _CLUSTER_EVENT = ("SELECT e.id, e.article_id, e.type, e.source, e.target, e.evidence, "
                      "e.date, e.location, e.location_country, e.hypothetical, e.negated, "
                      "a.outlet, a.url, a.published")

    def _cluster_event(self, row: Any, clustered: bool = False) -> ClusterEvent:
        load = self._db.load_json
        return ClusterEvent(
            id=row["id"], article_id=row["article_id"], type=row["type"],
            source=load(row["source"]), target=load(row["target"]),
            evidence=row["evidence"] or "", date=row["date"], published=row["published"],
            location=row["location"], location_country=row["location_country"],
            outlet=row["outlet"], url=row["url"], hypothetical=bool(row["hypothetical"]),
            negated=bool(row["negated"]),
            cluster_id=row["cluster_id"] if clustered else None,
            assigned_at=row["assigned_at"] if clustered else None)

    def cluster_events(self, ids: Iterable[str]) -> list[ClusterEvent]:
        """The events with these ids as clustering compares them (flagged ones too)."""
        ids, found = list(dict.fromkeys(ids)), []
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            found += [self._cluster_event(r) for r in self._rows(
                f"{self._CLUSTER_EVENT} FROM events e JOIN articles a ON a.id = e.article_id "
                f"WHERE e.id IN ({', '.join('?' * len(chunk))})", chunk)]
        return found

    def cluster_members(self, cluster_ids: Iterable[str], *, listed: bool = False
                        ) -> list[ClusterEvent]:
        """The events of these clusters, each with its cluster and `assigned_at`; with
        `listed`, those a list of clusters shows: not the reports marked wrong."""
        ids, found = list(dict.fromkeys(cluster_ids)), []
        shown = f" AND NOT EXISTS ({_WRONG})" if listed else ""
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            found += [self._cluster_event(r, clustered=True) for r in self._rows(
                f"{self._CLUSTER_EVENT}, c.cluster_id, c.assigned_at FROM event_clusters c "
                f"JOIN events e ON e.id = c.event_id JOIN articles a ON a.id = e.article_id "
                f"WHERE c.cluster_id IN ({', '.join('?' * len(chunk))}){shown}", chunk)]
        return found

    def cluster_reports(self, cluster_ids: Sequence[str]) -> list[tuple]:
        """(cluster_id, event_id, article_id, evidence, date, published, location,
        location_country, outlet, url) of the reports of these clusters, as stored
        (reviews not applied): what a list of clusters shows of each report, read from
        indexes but for the event's own row (`event_clusters_members`,
        `articles_listed`, migration 20)."""
        found: list[tuple] = []
        for i in range(0, len(cluster_ids), 500):
            chunk = list(cluster_ids[i:i + 500])
            found += self._rows(
                f"SELECT c.cluster_id, e.id, e.article_id, e.evidence, e.date, a.published, "
                f"e.location, e.location_country, a.outlet, a.url "
                f"FROM event_clusters c JOIN events e ON e.id = c.event_id "
                f"JOIN articles a ON a.id = e.article_id "
                f"WHERE c.cluster_id IN ({', '.join('?' * len(chunk))})", chunk)
        return found

    def cluster_order(self, *, min_outlets: int = 1, **filters: Any) -> list[tuple]:
        """(cluster_id, outlets, date, first_published, first_article, first_event) of
        `cluster_summary` for the clusters of at least `min_outlets` outlets with an
        event that `events(**filters)` returns (all clusters without filters), but
        those with a report reviewed wrong or corrected, whose summary a review changes
        (`cluster_member_rows(reviewed=True)` gives their reports)."""
        sql = (f"SELECT {cluster_summary.COLUMNS} FROM cluster_summary s WHERE s.outlets >= ? "
               f"AND s.cluster_id NOT IN ({cluster_summary.REVIEWED})")
        params: list[Any] = [int(min_outlets)]
        named = {k for k, v in filters.items() if v is not None}
        if named == {"actor"}:      # the clusters that name it: `occurrence_actors`' rows
            sql += " AND s.cluster_id IN (SELECT o.occurrence FROM occurrence_actors o " \
                   "WHERE o.actor = ?)"
            params.append(filters["actor"])
        elif named:
            where, more = self._where(filters)
            where.append(review_clause(review_states(None)))
            sql += (f" AND s.cluster_id IN (SELECT c.cluster_id FROM event_clusters c "
                    f"JOIN events e ON e.id = c.event_id JOIN articles a ON a.id = e.article_id "
                    f"WHERE {' AND '.join(where)})")
            params += more
        return [tuple(r) for r in self._rows(sql, params)]

    def cluster_member_rows(self, *, reviewed: bool = False, **filters: Any
                            ) -> Iterator[list[tuple]]:
        """(cluster_id, event_id, article_id, outlet, published, date) of every report
        not marked wrong of the clusters with an event that `events(**filters)` returns
        (all clusters without filters), a batch at a time: what ordering and counting
        clusters needs, without their evidence. With `reviewed`, of those clusters only
        the ones with a report reviewed wrong or corrected."""
        members = ("SELECT m.cluster_id, e.id, e.article_id, a.outlet, a.published, e.date "
                   "FROM event_clusters m JOIN events e ON e.id = m.event_id "
                   f"JOIN articles a ON a.id = e.article_id WHERE NOT EXISTS ({_WRONG})")
        if reviewed:
            members += f" AND m.cluster_id IN ({cluster_summary.REVIEWED})"
        if not any(v is not None for v in filters.values()):
            yield from self._db.stream(members, [], 5000)
            return
        states = review_states(None)
        where, params = self._where(filters)
        where.append(review_clause(states))
        fixed = [e.id for e in self._corrected_events(states, filters)]
        wanted = (f"SELECT c.cluster_id FROM event_clusters c JOIN events e ON e.id = c.event_id "
                  f"JOIN articles a ON a.id = e.article_id WHERE {' AND '.join(where)}")
        if fixed:
            wanted += (f" UNION SELECT cluster_id FROM event_clusters WHERE event_id IN "
                       f"({', '.join('?' * len(fixed))})")
            params = [*params, *fixed]
        yield from self._db.stream(f"{members} AND m.cluster_id IN ({wanted})", params, 5000)

    def clusters_near(self, ranges: Iterable[tuple[str, int, str, str, str]]) -> set[str]:
        """The clusters with an event in one of `ranges`: (block, span, low, high,
        floor) for events of that block and span whose first day is in [low, high] and
        whose last day is on or after floor (`event_clusters_block`, migration 11)."""
        ranges, found = list(ranges), set()
        value = "(CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS TEXT), CAST(? AS TEXT), " \
                "CAST(? AS TEXT))"
        for i in range(0, len(ranges), 100):
            chunk = ranges[i:i + 100]
            found.update(r["cluster_id"] for r in self._rows(
                f"WITH r (block, span, low, high, floor) AS "
                f"(VALUES {', '.join([value] * len(chunk))}) "
                f"SELECT DISTINCT c.cluster_id FROM r JOIN event_clusters c "
                f"ON c.block = r.block AND c.span = r.span AND c.lo >= r.low "
                f"AND c.lo <= r.high AND c.hi >= r.floor",
                [v for row in chunk for v in row]))
        return found

    def cluster_queue(self) -> list[tuple[str, str, str]]:
        """(published or "9999", article id, event id) of every event waiting to be
        placed in a cluster (`cluster_queue`, migration 11; flagged events never wait)."""
        # the queue read alone first: joined, SQLite's planner scanned every article to
        # find an empty queue's events (0.8 s at 1M events)
        ids = [r["event_id"] for r in self._rows(
            "SELECT q.event_id FROM cluster_queue q WHERE NOT EXISTS "
            "(SELECT 1 FROM event_clusters c WHERE c.event_id = q.event_id)")]
        return [(e.published or "9999", e.article_id, e.id) for e in self.cluster_events(ids)]

    def shrunk_clusters(self) -> list[str]:
        """The clusters that lost an event to a re-ingest since the last update."""
        return [r["cluster_id"] for r in self._rows("SELECT cluster_id FROM cluster_shrunk")]

    def settle_shrunk_clusters(self, cluster_ids: Iterable[str]) -> None:
        """Forget that these clusters shrank (their rows are up to date)."""
        ids = [(c,) for c in cluster_ids]
        if not ids:
            return
        if self._db.read_only:
            raise StoreError(f"{self.location} is open read-only; cannot write clusters")
        try:
            with self._db.transaction():
                self._db.executemany("DELETE FROM cluster_shrunk WHERE cluster_id = ?", ids)
        except self._db.errors as exc:
            raise StoreError(f"{self.location}: cannot write event clusters: {exc}") from exc

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

    def write_cluster_rows(self, rows: Iterable[tuple]) -> None:
        """Write (event_id, cluster_id, assigned_at) rows in one transaction, each
        optionally followed by the event's (block, lo, hi, span) (`aliansi.dedup`
        block_key and date_span, by which `clusters_near` finds the cluster; computed
        here when left out; `Database.update_clusters` gives them for the earliest
        event of each cluster only, None for the others). An event already in a
        cluster moves to `cluster_id` (with the keys given) and keeps its `assigned_at`;
        an event deleted meanwhile (its article re-ingested) is skipped."""
        if self._db.read_only:
            raise StoreError(f"{self.location} is open read-only; cannot write clusters")
        rows = [tuple(row) for row in rows]
        short = [row[0] for row in rows if len(row) == 3]
        if short:
            from aliansi.dedup import block_key, date_span

            keys = {e.id: (block_key(e.type, e.source, e.target),
                           *(date_span(e.date, e.published) or (None, None, None)))
                    for e in self.cluster_events(short)}
            rows = [row if len(row) == 7 else (*row, *keys.get(row[0], (None,) * 4))
                    for row in rows]
        try:
            with self._db.transaction():
                touched = occurrences.of_events(self._db, [row[0] for row in rows])
                self._db.executemany(
                    "INSERT INTO event_clusters (event_id, cluster_id, assigned_at, block, "
                    "lo, hi, span) SELECT ?, ?, ?, ?, ?, ?, CAST(? AS INTEGER) WHERE EXISTS "
                    "(SELECT 1 FROM events WHERE id = ?) "
                    "ON CONFLICT (event_id) DO UPDATE SET cluster_id = excluded.cluster_id, "
                    "block = excluded.block, lo = excluded.lo, hi = excluded.hi, "
                    "span = excluded.span",
                    [(*row, row[0]) for row in rows])
                self._db.executemany("DELETE FROM cluster_queue WHERE event_id = ?",
                                     [(row[0],) for row in rows])
                occurrences.refresh(self._db, touched | {row[1] for row in rows})
                cluster_summary.refresh(self._db, touched | {row[1] for row in rows})
        except self._db.errors as exc:
            raise StoreError(f"{self.location}: cannot write event clusters: {exc}") from exc

    def _agents(self, ids: list[str]) -> dict[tuple[str, str], list[dict]]:
        """{(event id, role): [{actor, agent, sector}]} for the events named."""
        agents: dict[tuple[str, str], list[dict]] = {}
        for i in range(0, len(ids), 500):
            where, params = self._db.one_of("event_id", ids[i:i + 500])
            for event, role, actor, agent, sector in self._rows(
                    f"SELECT event_id, role, actor, agent, sector FROM event_actors "
                    f"WHERE {where}", params, tuples=True):
                agents.setdefault((event, role), []).append(
                    {"actor": actor, "agent": agent, "sector": sector})
        return agents

    def _evidence_spans(self, ids: list[str]) -> dict[str, list[tuple[int, int]]]:
        spans: dict[str, list[tuple[int, int]]] = {}
        for i in range(0, len(ids), 500):
            where, params = self._db.one_of("event_id", ids[i:i + 500])
            for event, start, end in self._rows(
                    f'SELECT event_id, "start", "end" FROM event_evidence WHERE {where} '
                    f"ORDER BY event_id, idx", params, tuples=True):
                spans.setdefault(event, []).append((start, end))
        return spans

    def _stored_event(self, row: Any, spans: list[tuple[int, int]],
                      agents: dict[tuple[str, str], list[dict]], reviewed: bool) -> StoredEvent:
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
            target_agents=side("target", target),
            review=row["review"] if reviewed else None)

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
               "JOIN events e ON e.id = x.event_id WHERE NOT EXISTS (SELECT 1 FROM reviews r "
               "WHERE r.event_id = e.id AND r.verdict IN ('wrong', 'corrected'))")
        params: list[Any] = []
        if not include_flagged:
            sql += " AND e.hypothetical = ? AND e.negated = ?"
            params.extend([False, False])
        sql += " GROUP BY x.actor ORDER BY n DESC, x.actor"
        counts = {r["actor"]: int(r["n"]) for r in self._rows(sql, params)}
        # reviews: events marked wrong name nobody; corrected ones their corrected actors
        for e in self._corrected_events(frozenset({"corrected"}),
                                        {"include_flagged": include_flagged}):
            for code in set(e.source) | set(e.target):
                counts[code] = counts.get(code, 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

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
