"""Schema changes, as registered and numbered functions.

Opening a store applies the ones it has not seen, each in its own transaction,
and records them in the `migrations` table. To change the schema, add a function:

    @migration(2, "what it does")
    def _add_something(db: Dialect) -> None:
        db.execute("ALTER TABLE ...")

DDL may use `{json}`, `{bool}` and `{float}` for the column types that differ
between SQLite and PostgreSQL (`Dialect.types`).
"""
from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Callable

from aliansi.errors import StoreError
from aliansi.store import actor_events, cluster_summary, occurrences, readable
if TYPE_CHECKING:
    from aliansi.store.base import Dialect

logger = logging.getLogger(__name__)

MIGRATIONS: dict[int, tuple[str, Callable[[Dialect], None]]] = {}
_MIGRATIONS_COLUMNS = {"version", "name", "applied_at"}


def migration(version: int, name: str) -> Callable:
    """Register a function as schema migration number `version`."""
    def register(fn: Callable[[Dialect], None]) -> Callable[[Dialect], None]:
        if version in MIGRATIONS:
            raise ValueError(f"migration {version} registered twice")
        MIGRATIONS[version] = (name, fn)
        return fn
    return register


def _run(db: Dialect, statements: str) -> None:
    for statement in statements.split(";"):
        if statement.strip():
            db.execute(statement.format(**db.types))


_concat = readable.concat


@migration(1, "articles, annotations and events")
def _initial(db: Dialect) -> None:
    _run(db, """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        content_hash TEXT NOT NULL,
        url TEXT, outlet TEXT, title TEXT, published TEXT, published_source TEXT,
        language TEXT, origin TEXT, byline TEXT,
        text TEXT NOT NULL,
        ingested_at TEXT NOT NULL,
        article_json {json} NOT NULL
    );
    CREATE TABLE sentences (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        "start" INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
        paragraph INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (article_id, idx)
    );
    CREATE TABLE mentions (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        "start" INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
        kind TEXT NOT NULL, actor TEXT, name TEXT NOT NULL, role TEXT,
        rule TEXT NOT NULL, salient {bool} NOT NULL,
        PRIMARY KEY (article_id, idx)
    );
    CREATE TABLE persons (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        name TEXT NOT NULL, actor TEXT, role TEXT,
        PRIMARY KEY (article_id, idx)
    );
    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        type TEXT NOT NULL, mode TEXT,
        context {json} NOT NULL, source {json} NOT NULL, target {json} NOT NULL,
        date TEXT, date_precision TEXT, date_text TEXT,
        location TEXT, location_country TEXT,
        hypothetical {bool} NOT NULL, negated {bool} NOT NULL,
        confidence {float} NOT NULL,
        rule TEXT NOT NULL, "trigger" TEXT NOT NULL, evidence TEXT NOT NULL
    );
    CREATE TABLE event_actors (
        event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('source', 'target')),
        actor TEXT NOT NULL,
        PRIMARY KEY (event_id, role, actor)
    );
    CREATE TABLE event_evidence (
        event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        "start" INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
        PRIMARY KEY (event_id, idx)
    );
    CREATE INDEX event_actors_actor ON event_actors (actor, role);
    CREATE INDEX events_article ON events (article_id);
    CREATE INDEX events_type ON events (type);
    CREATE INDEX events_date ON events (date);
    CREATE INDEX mentions_actor ON mentions (actor);
    CREATE INDEX articles_published ON articles (published)
    """)


@migration(2, "readable views for Datasette and SQL users")
def _views(db: Dialect) -> None:
    """`events_readable`: one row per event with its actors, date, evidence and
    source article; `dyad_events`: one row per (source actor, target actor)
    pair of an event, for dyad queries in plain SQL (tables since migration 5)."""
    _run(db, _events_readable(db, date_basis=False)
         + f"; CREATE VIEW dyad_events AS {readable.dyad_events_select(db, agents=False)}")


def _events_readable(db: Dialect, *, date_basis: bool) -> str:
    """The view of one row per event with its actors, date, evidence and source article."""
    return ("CREATE VIEW events_readable AS "
            + readable.events_readable_select(db, date_basis=date_basis, agents=False,
                                              review=False))


@migration(3, "event clusters: mentions of one occurrence across articles")
def _event_clusters(db: Dialect) -> None:
    """`event_clusters`: the cluster of each clustered event (written by
    `Database.update_clusters`; an event's row goes with it when its article is
    re-ingested). `cluster_members`: one row per clustered event with its article and
    sentence. `clusters_readable`: one row per cluster with the type, actors, date and
    place as `aliansi.dedup.EventCluster` gives them, its corroboration (distinct
    articles) and its sources (outlet and url, or article id, earliest first)."""
    _run(db, """
    CREATE TABLE event_clusters (
        event_id TEXT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
        cluster_id TEXT NOT NULL,
        assigned_at TEXT NOT NULL
    );
    CREATE INDEX event_clusters_cluster ON event_clusters (cluster_id);
    CREATE VIEW cluster_members AS
    SELECT c.cluster_id, c.event_id, e.article_id, ar.outlet, ar.url, ar.published,
           e.type, e.date, e.location, e.evidence, c.assigned_at
      FROM event_clusters c
      JOIN events e ON e.id = c.event_id
      JOIN articles ar ON ar.id = e.article_id;
    """ + _clusters_readable(db, "COUNT(DISTINCT e.article_id)"))


def _clusters_readable(db: Dialect, corroboration: str) -> str:
    """The view of one row per cluster (see `_event_clusters`); `corroboration` is the
    SQL that counts a cluster's sources."""
    postgres = db.name.startswith("postgres")
    concat = _concat(db)
    sources = "string_agg(s.source, ' | ' ORDER BY s.first, s.source)" if postgres \
        else "group_concat(s.source, ' | ')"
    first_member = """(SELECT m.event_id FROM cluster_members m
                        WHERE m.cluster_id = c.cluster_id
                        ORDER BY COALESCE(m.published, '9999'), m.article_id, m.event_id
                        LIMIT 1)"""

    def most_frequent(col: str, finest_first: bool = False) -> str:
        """The most frequent value among the members (of the most precise dates),
        the earliest member's on a tie: what EventCluster._refresh computes."""
        precision = "length(m.date) DESC, " if finest_first else ""
        return f"""(SELECT m.{col} FROM cluster_members m
                     WHERE m.cluster_id = c.cluster_id AND m.{col} IS NOT NULL
                     ORDER BY {precision}(SELECT COUNT(*) FROM cluster_members n
                                           WHERE n.cluster_id = m.cluster_id
                                             AND n.{col} = m.{col}) DESC,
                              COALESCE(m.published, '9999'), m.article_id, m.event_id
                     LIMIT 1)"""
    return f"""
    CREATE VIEW clusters_readable AS
    SELECT c.cluster_id,
           MIN(e.type) AS type,
           (SELECT {concat("x.actor")} FROM event_actors x
             WHERE x.event_id = {first_member} AND x.role = 'source') AS source,
           (SELECT {concat("x.actor")} FROM event_actors x
             WHERE x.event_id = {first_member} AND x.role = 'target') AS target,
           {most_frequent("date", finest_first=True)} AS date,
           {most_frequent("location")} AS location,
           {corroboration} AS corroboration,
           COUNT(DISTINCT e.article_id) AS reports,
           COUNT(*) AS mentions,
           (SELECT {sources} FROM (
                SELECT COALESCE(m.outlet || ' ', '') || COALESCE(m.url, m.article_id) AS source,
                       MIN(COALESCE(m.published, '9999') || m.article_id) AS first
                  FROM cluster_members m WHERE m.cluster_id = c.cluster_id
                 GROUP BY m.article_id, m.outlet, m.url
                 ORDER BY first) s) AS sources,
           MIN(c.assigned_at) AS first_assigned_at,
           MAX(c.assigned_at) AS last_assigned_at
      FROM event_clusters c JOIN events e ON e.id = c.event_id
      JOIN articles ar ON ar.id = e.article_id
     GROUP BY c.cluster_id
    """


@migration(4, "how each event's date was found (date_basis)")
def _date_basis(db: Dialect) -> None:
    """`events.date_basis`: "sentence", "anaphoric", "relative", "context" or null,
    so that a reader can tell a date the sentence states from one taken from the
    text around it; `events_readable` shows it."""
    _run(db, "ALTER TABLE events ADD COLUMN date_basis TEXT; DROP VIEW events_readable; "
             + _events_readable(db, date_basis=True))


@migration(5, "readable tables kept current by ingest, instead of slow views")
def _readable_tables(db: Dialect) -> None:
    readable.create(db, agents=False)


@migration(6, "every source of an article's text")
def _article_sources(db: Dialect) -> None:
    """`article_sources`: each place an article's text came from (URL, outlet, file),
    so that the same text from two outlets or files is one article with two
    sources; filled from the articles stored so far."""
    _run(db, """
    CREATE TABLE article_sources (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        source_key TEXT NOT NULL,
        url TEXT, outlet TEXT, origin TEXT, published TEXT,
        first_seen TEXT NOT NULL,
        PRIMARY KEY (article_id, source_key)
    );
    CREATE INDEX article_sources_outlet ON article_sources (outlet);
    INSERT INTO article_sources (article_id, source_key, url, outlet, origin, published, first_seen)
    SELECT id, COALESCE(url, '') || '|' || COALESCE(outlet, '') || '|' || COALESCE(origin, ''),
           url, outlet, origin, published, ingested_at
      FROM articles
    """)


@migration(7, "text fingerprints: the same article from elsewhere is one article")
def _article_bands(db: Dialect) -> None:
    """`article_bands`: the MinHash bands of each article's text
    (`aliansi.fingerprint`), looked up on ingest to find a stored article with the
    same text; filled for the articles stored so far."""
    from aliansi.fingerprint import bands, shingles

    _run(db, """
    CREATE TABLE article_bands (
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        band TEXT NOT NULL,
        PRIMARY KEY (article_id, band)
    );
    CREATE INDEX article_bands_band ON article_bands (band)
    """)
    rows = [(r["id"], band) for r in db.execute("SELECT id, text FROM articles").fetchall()
            for band in dict.fromkeys(bands(shingles(r["text"])))]
    db.executemany("INSERT INTO article_bands (article_id, band) VALUES (?, ?)", rows)


@migration(8, "corroboration counts distinct outlets")
def _corroboration_by_outlet(db: Dialect) -> None:
    """`clusters_readable.corroboration`: distinct outlets (an article without one
    counts as its own), as `EventCluster.corroboration`; `reports`: distinct articles.
    (`cluster_members` gains nothing: it already names each article's outlet.)"""
    db.execute("DROP VIEW clusters_readable")
    _run(db, _clusters_readable(db, "COUNT(DISTINCT COALESCE(ar.outlet, 'article:' || ar.id))"))


@migration(9, "who inside the state: each side's named body or office and its sector")
def _agents(db: Dialect) -> None:
    """`event_actors.agent` and `.sector`: the body, group or office a side's actor was
    named by and its sector (aliansi.sectors); `mentions.sector` likewise; the readable
    tables gain the sectors and agents of each side. Events stored before stay without
    (NULL): ingest their articles again to fill them."""
    _run(db, """
    ALTER TABLE mentions ADD COLUMN sector TEXT;
    ALTER TABLE event_actors ADD COLUMN agent TEXT;
    ALTER TABLE event_actors ADD COLUMN sector TEXT;
    CREATE INDEX event_actors_sector ON event_actors (sector, actor);
    ALTER TABLE events_readable ADD COLUMN source_sectors TEXT;
    ALTER TABLE events_readable ADD COLUMN target_sectors TEXT;
    ALTER TABLE events_readable ADD COLUMN source_agents TEXT;
    ALTER TABLE events_readable ADD COLUMN target_agents TEXT;
    ALTER TABLE dyad_events ADD COLUMN source_sector TEXT;
    ALTER TABLE dyad_events ADD COLUMN target_sector TEXT;
    CREATE INDEX events_readable_source_sectors ON events_readable (source_sectors);
    CREATE INDEX events_readable_target_sectors ON events_readable (target_sectors);
    CREATE INDEX dyad_events_sectors ON dyad_events (source_sector, target_sector)
    """)


@migration(10, "reviews apart from extraction output; full-text search over evidence")
def _reviews_and_search(db: Dialect) -> None:
    """`reviews`: an analyst's current verdict on an event (right, wrong, corrected with
    the corrected values), who gave it, when and why; `review_log`: every verdict ever
    given. Keyed by event id with no foreign key, so that a review outlives the
    re-ingest of its article (`aliansi.store.reviews`). Full-text search over the
    evidence: an FTS5 table kept by triggers (SQLite) or a GIN index on its tsvector
    (PostgreSQL), both with the `simple` word rules (no stemming: Indonesian and English
    alike)."""
    columns = """
        event_id TEXT NOT NULL, article_id TEXT NOT NULL,
        verdict TEXT NOT NULL CHECK (verdict IN ('right', 'wrong', 'corrected')),
        correction {json} NOT NULL, reason TEXT, reviewer TEXT NOT NULL,
        reviewed_at TEXT NOT NULL, original {json} NOT NULL"""
    _run(db, f"""
    CREATE TABLE reviews ({columns}, PRIMARY KEY (event_id));
    CREATE INDEX reviews_verdict ON reviews (verdict);
    CREATE INDEX reviews_article ON reviews (article_id);
    CREATE TABLE review_log (id TEXT PRIMARY KEY, {columns});
    CREATE INDEX review_log_event ON review_log (event_id, reviewed_at)
    """)
    if db.name.startswith("postgres"):
        db.execute("CREATE INDEX events_evidence_search ON events "
                   "USING GIN (to_tsvector('simple', evidence))")
        return
    db.execute("CREATE VIRTUAL TABLE events_fts USING fts5(evidence, content='events', "
               "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')")
    db.execute("INSERT INTO events_fts (events_fts) VALUES ('rebuild')")
    db.execute("CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN "
               "INSERT INTO events_fts (rowid, evidence) VALUES (new.rowid, new.evidence); END")
    db.execute("CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN "
               "INSERT INTO events_fts (events_fts, rowid, evidence) "
               "VALUES ('delete', old.rowid, old.evidence); END")
    db.execute("CREATE TRIGGER events_fts_update AFTER UPDATE OF evidence ON events BEGIN "
               "INSERT INTO events_fts (events_fts, rowid, evidence) "
               "VALUES ('delete', old.rowid, old.evidence); "
               "INSERT INTO events_fts (rowid, evidence) VALUES (new.rowid, new.evidence); END")


@migration(11, "clusters looked up by index: blocks, the events to place, shrunk clusters")
def _cluster_blocks(db: Dialect) -> None:
    """What keeps `Database.update_clusters` near-linear in the size of the store:

    - `event_clusters.block`, `.lo`, `.hi`, `.span`, on the row of each cluster's
      earliest event (NULL on the others): its actors (`aliansi.dedup.block_key`: only
      events of equal keys can be one occurrence) and the days its date (else its
      article's published date) covers, 1 in `span` for a year; indexed, so that the
      clusters a new event could join are found by lookup (it must agree with every
      report of a cluster, the earliest among them);
    - `cluster_queue`: the events not yet placed in a cluster (flagged ones never are),
      filled by ingest, emptied as they are placed;
    - `cluster_shrunk`: the clusters that lost a report to a re-ingest, whose id may
      have to change (it is that of the earliest report).

    Filled here for what the store holds."""
    from aliansi.dedup import block_key, date_span

    _run(db, """
    ALTER TABLE event_clusters ADD COLUMN block TEXT;
    ALTER TABLE event_clusters ADD COLUMN lo TEXT;
    ALTER TABLE event_clusters ADD COLUMN hi TEXT;
    ALTER TABLE event_clusters ADD COLUMN span INTEGER;
    CREATE INDEX event_clusters_block ON event_clusters (block, span, lo);
    CREATE TABLE cluster_queue (
        event_id TEXT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE
    );
    CREATE TABLE cluster_shrunk (cluster_id TEXT PRIMARY KEY)
    """)
    rows = db.execute("SELECT c.event_id, c.cluster_id, e.article_id, e.type, e.source, "
                      "e.target, e.date, a.published FROM event_clusters c "
                      "JOIN events e ON e.id = c.event_id "
                      "JOIN articles a ON a.id = e.article_id").fetchall()
    first: dict[str, tuple] = {}
    for r in rows:
        order = (r["published"] or "9999", r["article_id"], r["event_id"], r)
        if r["cluster_id"] not in first or order[:3] < first[r["cluster_id"]][:3]:
            first[r["cluster_id"]] = order
    keys = [(block_key(r["type"], db.load_json(r["source"]), db.load_json(r["target"])),
             *(date_span(r["date"], r["published"]) or (None, None, None)), r["event_id"])
            for *_, r in first.values()]
    db.executemany("UPDATE event_clusters SET block = ?, lo = ?, hi = ?, span = ? "
                   "WHERE event_id = ?", keys)
    # clusters whose earliest report is gone already (re-ingested before this migration)
    shrunk = [(cluster,) for cluster, order in first.items() if cluster != "ev-" + hashlib.sha256(
        order[2].encode("utf-8")).hexdigest()[:16]]
    db.executemany("INSERT INTO cluster_shrunk (cluster_id) VALUES (?)", shrunk)
    db.execute("INSERT INTO cluster_queue (event_id) SELECT e.id FROM events e "
               "WHERE e.hypothetical = ? AND e.negated = ? AND NOT EXISTS "
               "(SELECT 1 FROM event_clusters c WHERE c.event_id = e.id)", [False, False])


@migration(12, "events sorted and filtered by date through an index")
def _sort_date(db: Dialect) -> None:
    """`events.sort_date`: the event's date, else its article's published date, the
    date every event list is ordered and bounded by (`Store.events`); stored and
    indexed, where it used to be computed for every event of every query."""
    postgres = db.name.startswith("postgres")
    _run(db, f"""
    ALTER TABLE events ADD COLUMN sort_date TEXT;
    UPDATE events SET sort_date = COALESCE(date, (SELECT a.published FROM articles a
                                                  WHERE a.id = events.article_id));
    CREATE INDEX events_sort_date ON events
        (sort_date DESC{' NULLS LAST' if postgres else ''}, article_id, id);
    CREATE INDEX persons_actor ON persons (actor)
    """)
    db.execute("ANALYZE")


@migration(13, "an actor's events found without reading their rows")
def _covering_actor_indexes(db: Dialect) -> None:
    """Indexes on `event_actors` that hold the event id, so that an actor's or a
    sector's events are found from the index alone (SQLite's old (actor, role) index
    made a busy actor's dyad read 57,000 rows one by one at 1M events)."""
    _run(db, """
    DROP INDEX event_actors_actor;
    CREATE INDEX event_actors_actor ON event_actors (actor, role, event_id);
    DROP INDEX event_actors_sector;
    CREATE INDEX event_actors_sector ON event_actors (sector, actor, event_id)
    """)
    db.execute("ANALYZE")


# The full-text row of an event (SQLite): its day (`fts_day`) times 2**32 plus its rowid,
# so that the full-text matches come out in the order of every event list (newest day
# first) and a page reads only the newest of them (`Store.in_order`). A sort date not
# of the form YYYY[-MM[-DD]] gets the largest day: its event is always among the
# candidates a page sorts exactly.
FTS_ROWID_BITS = 32


def fts_day(column: str) -> str:
    """SQL for the day part of a full-text rowid: YYYYMMDD of the sort date `column`
    (month and day 0 when missing), 0 when it is NULL (undated events list last)."""
    return (f"(CASE WHEN {column} IS NULL THEN 0 "
            f"WHEN {column} GLOB '[0-9][0-9][0-9][0-9]' OR {column} GLOB "
            f"'[0-9][0-9][0-9][0-9]-[0-9][0-9]' OR {column} GLOB "
            f"'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*' THEN "
            f"CAST(substr({column}, 1, 4) AS INTEGER) * 10000 + "
            f"CAST(substr({column}, 6, 2) AS INTEGER) * 100 + "
            f"CAST(substr({column}, 9, 2) AS INTEGER) ELSE 99999999 END)")


def fts_rowid(row: str) -> str:
    """SQL for the full-text rowid of the events row `row` (new, old, events)."""
    return f"({fts_day(row + '.sort_date')} * {2 ** FTS_ROWID_BITS} + {row}.rowid)"


@migration(14, "full-text matches in list order")
def _fts_in_list_order(db: Dialect) -> None:
    """SQLite's full-text table keyed by `fts_rowid` (day and event), contentless: a
    search reads its newest matches first instead of every match (95,000 rowids for a
    common word at 1M events). PostgreSQL keeps its GIN index."""
    if db.name.startswith("postgres"):
        return
    _run(db, """
    DROP TRIGGER events_fts_insert;
    DROP TRIGGER events_fts_delete;
    DROP TRIGGER events_fts_update;
    DROP TABLE events_fts
    """)
    db.execute("CREATE VIRTUAL TABLE events_fts USING fts5(evidence, content='', "
               "tokenize='unicode61 remove_diacritics 2')")
    db.execute(f"INSERT INTO events_fts (rowid, evidence) SELECT {fts_rowid('events')}, "
               f"evidence FROM events")
    delete = (f"INSERT INTO events_fts (events_fts, rowid, evidence) "
              f"VALUES ('delete', {fts_rowid('old')}, old.evidence);")
    insert = f"INSERT INTO events_fts (rowid, evidence) VALUES ({fts_rowid('new')}, new.evidence);"
    db.execute(f"CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN {insert} END")
    db.execute(f"CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN {delete} END")
    db.execute(f"CREATE TRIGGER events_fts_update AFTER UPDATE OF evidence, sort_date ON events "
               f"BEGIN {delete} {insert} END")


@migration(15, "an actor's events read newest first")
def _actor_dates(db: Dialect) -> None:
    """`event_actors.sort_date`, a copy of its event's, and an index on (actor,
    sort_date): a page of an actor's events reads that actor's newest rows, not all of
    them (`Store.in_order`)."""
    _run(db, f"""
    ALTER TABLE event_actors ADD COLUMN sort_date TEXT;
    UPDATE event_actors SET sort_date = (SELECT e.sort_date FROM events e
                                         WHERE e.id = event_actors.event_id);
    CREATE INDEX event_actors_actor_date ON event_actors
        (actor, sort_date DESC{' NULLS LAST' if db.name.startswith('postgres') else ''}, event_id)
    """)
    db.execute("ANALYZE")


@migration(16, "the review verdict in events_readable")
def _readable_review(db: Dialect) -> None:
    """`events_readable.review`: right, wrong, corrected or NULL, kept current by
    `Store.review`, so that Datasette and SQL users see (and facet on) the verdicts that
    every list and count of aliansi applies."""
    _run(db, """
    ALTER TABLE events_readable ADD COLUMN review TEXT;
    UPDATE events_readable SET review = (SELECT r.verdict FROM reviews r
                                         WHERE r.event_id = events_readable.event_id);
    CREATE INDEX events_readable_review ON events_readable (review)
    """)


@migration(17, "one row per occurrence for counting, kept by ingest and clustering")
def _occurrences(db: Dialect) -> None:
    """`occurrences` and `occurrence_actors` (`aliansi.store.occurrences`): what each
    occurrence's lead report states and how many articles and outlets report it, so
    that the network and the dyads count occurrences instead of reading every report.
    Filled here from what the store holds."""
    occurrences.create(db)
    occurrences.rebuild(db)
    db.execute("ANALYZE")


@migration(18, "an actor's events read together for its profile")
def _actor_events(db: Dialect) -> None:
    """`actor_events` (`aliansi.store.actor_events`): each unflagged event once for each
    actor it names, with the actors on the other side, clustered by actor (SQLite), so
    that an actor's profile reads its rows in one range instead of looking up each
    event. Filled here from what the store holds."""
    actor_events.create(db)
    db.execute("ANALYZE")


@migration(19, "the first and last days of each occurrence's reports, for dated counts")
def _occurrence_days(db: Dialect) -> None:
    """The occurrence tables with the least and greatest first and last day of the sort
    dates of each row's reports (`aliansi.store.occurrences.window`), so that counting
    within dates reads the rows whose reports are all inside, and only the others'
    reports. Made anew and filled from what the store holds (unless migration 17 just
    made them so)."""
    if "start_min" in db.column_names("occurrences"):
        return
    for table in occurrences.TABLES:
        db.execute(f"DROP TABLE {table}")
    _occurrences(db)


@migration(20, "clusters ordered from a row each; a listed event's agents and spans from indexes")
def _cluster_summary(db: Dialect) -> None:
    """`cluster_summary` (`aliansi.store.cluster_summary`): each cluster's distinct
    outlets, date and first report, so that a list of clusters is ordered without
    reading every report; filled here from what the store holds. Covering indexes for
    what a listed event or report reads besides its own row, so that each is read from
    an index alone: its agents and evidence spans (`Store._agents`,
    `Store._evidence_spans`), its article's date, outlet, url and title, and a
    cluster's reports (`Store.cluster_reports`)."""
    cluster_summary.create(db)
    cluster_summary.rebuild(db)
    _run(db, """
    CREATE INDEX event_actors_listed ON event_actors (event_id, role, actor, agent, sector);
    CREATE INDEX event_evidence_listed ON event_evidence (event_id, idx, "start", "end");
    CREATE INDEX articles_listed ON articles (id, published, outlet, url, title);
    DROP INDEX event_clusters_cluster;
    CREATE INDEX event_clusters_members ON event_clusters (cluster_id, event_id)
    """)
    db.execute("ANALYZE")


@migration(21, "full-text rows written in rowid order")
def _fts_pending(db: Dialect) -> None:
    """The events triggers write full-text rows to `events_fts_pending`; each commit
    moves them into `events_fts` in rowid order (`store.sqlite.flush_search_index`).
    FTS5 writes a segment to disk whenever a transaction's rowid comes lower than the
    one before, and ingest's rowids (day and event) come in no order: a segment for
    almost every event, merged again and again (1.6 ms an article at 10,000 articles).
    A row deleted while it waits is dropped from the waiting rows, not from the index."""
    if db.name.startswith("postgres"):
        return
    row = fts_rowid("old")
    delete = (f"INSERT INTO events_fts (events_fts, rowid, evidence) SELECT 'delete', {row}, "
              f"old.evidence WHERE NOT EXISTS (SELECT 1 FROM events_fts_pending p "
              f"WHERE p.rowid = {row}); DELETE FROM events_fts_pending WHERE rowid = {row};")
    insert = (f"INSERT INTO events_fts_pending (rowid, evidence) "
              f"VALUES ({fts_rowid('new')}, new.evidence);")
    _run(db, """
    CREATE TABLE IF NOT EXISTS events_fts_pending (rowid INTEGER PRIMARY KEY,
                                                   evidence TEXT NOT NULL);
    DROP TRIGGER IF EXISTS events_fts_insert;
    DROP TRIGGER IF EXISTS events_fts_delete;
    DROP TRIGGER IF EXISTS events_fts_update
    """)
    db.execute(f"CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN {insert} END")
    db.execute(f"CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN {delete} END")
    db.execute(f"CREATE TRIGGER events_fts_update AFTER UPDATE OF evidence, sort_date ON events "
               f"BEGIN {delete} {insert} END")


@migration(22, "a listed event's agents and evidence spans on its own row")
def _listed_on_the_row(db: Dialect) -> None:
    """`events.agents`: each of the event's `event_actors` rows that names an agent or
    a sector, as [role, actor, agent, sector] in the order of role and actor (NULL when
    none); `events.spans`: [start, end] of each evidence span, in order (NULL when none).
    Ingest writes both with the event, so that a listed event is read from its row alone
    instead of two subqueries an event (`store.listing`), and the two covering indexes
    those read (migration 20) go: two fewer indexes to update for each event stored."""
    if "agents" not in db.column_names("events"):
        _run(db, "ALTER TABLE events ADD COLUMN agents {json}; "
                 "ALTER TABLE events ADD COLUMN spans {json}")
    if db.name.startswith("postgres"):
        _run(db, """
        UPDATE events e SET agents = x.rows FROM (
            SELECT event_id, jsonb_agg(jsonb_build_array(role, actor, agent, sector)
                                       ORDER BY role, actor) AS rows
            FROM event_actors WHERE agent IS NOT NULL OR sector IS NOT NULL
            GROUP BY event_id) x WHERE x.event_id = e.id;
        UPDATE events e SET spans = v.rows FROM (
            SELECT event_id, jsonb_agg(jsonb_build_array("start", "end") ORDER BY idx) AS rows
            FROM event_evidence GROUP BY event_id) v WHERE v.event_id = e.id
        """)
    else:
        # the text json.dumps writes at ingest; the primary keys give the order
        _run(db, """
        UPDATE events SET agents = (
            SELECT '[' || group_concat('[' || json_quote(x.role) || ', ' || json_quote(x.actor)
                                       || ', ' || json_quote(x.agent) || ', '
                                       || json_quote(x.sector) || ']', ', ') || ']'
            FROM event_actors x WHERE x.event_id = events.id
            AND (x.agent IS NOT NULL OR x.sector IS NOT NULL))
        WHERE id IN (SELECT event_id FROM event_actors
                     WHERE agent IS NOT NULL OR sector IS NOT NULL);
        UPDATE events SET spans = (
            SELECT '[' || group_concat('[' || v."start" || ', ' || v."end" || ']', ', ') || ']'
            FROM event_evidence v WHERE v.event_id = events.id)
        """)
    _run(db, "DROP INDEX IF EXISTS event_actors_listed; DROP INDEX IF EXISTS event_evidence_listed")


@migration(23, "a sector's events read newest first")
def _sector_dates(db: Dialect) -> None:
    """An index on `event_actors` (sector, sort_date), of the rows named by a sector
    only (a third of them): a list of a sector's events reads them in list order
    instead of finding and sorting every one (`store.base._WALKS`), as an actor's do
    through migration 15's index."""
    nulls = " NULLS LAST" if db.name.startswith("postgres") else ""
    _run(db, f"""
    CREATE INDEX IF NOT EXISTS event_actors_sector_date
        ON event_actors (sector, sort_date DESC{nulls}, event_id) WHERE sector IS NOT NULL
    """)


def _applied(db: Dialect) -> int:
    row = db.execute("SELECT MAX(version) AS v FROM migrations").fetchone()
    return int(row["v"] or 0)


LARGE_STORE = 100_000     # events from which a migration warns that it takes a while


def migrate(db: Dialect) -> int:
    """Bring the schema up to date; returns its version.

    StoreError when the database belongs to something else, was written by a
    newer aliansi, or needs migrating but is open read-only.
    """
    latest = max(MIGRATIONS)
    tables = db.table_names()
    if "migrations" not in tables:
        if tables:
            raise StoreError(f"{db.location} is not an aliansi database "
                             f"(it has tables {', '.join(sorted(tables)[:5])} "
                             f"but no migrations table)")
        current = 0
    else:
        if not _MIGRATIONS_COLUMNS <= db.column_names("migrations"):
            raise StoreError(f"{db.location} is not an aliansi database "
                             f"(its migrations table is not aliansi's)")
        current = _applied(db)
    if current > latest:
        raise StoreError(f"{db.location} has schema version {current}, newer than this "
                         f"aliansi knows ({latest}); upgrade aliansi")
    if current == latest:
        return current
    if db.read_only:
        raise StoreError(f"{db.location} has schema version {current}, older than {latest}; "
                         f"open it once for writing to migrate it")
    if "events" in tables:
        events = db.execute("SELECT COUNT(*) AS n FROM events").fetchone()["n"]
        if events >= LARGE_STORE:      # long work says so before it starts
            logger.warning("%s: migrating %d events from schema %d to %d; on a large store "
                           "this takes a minute or more, once", db.location, events, current, latest)
    for version in sorted(MIGRATIONS):
        if version <= current:
            continue
        name, fn = MIGRATIONS[version]
        with db.transaction():
            db.lock_for_migrations()
            db.execute("CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, "
                       "name TEXT NOT NULL, applied_at TEXT NOT NULL)")
            if _applied(db) >= version:    # another process got there first
                continue
            fn(db)
            db.execute("INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                       [version, name, datetime.now(timezone.utc).isoformat(timespec="seconds")])
        logger.info("%s: applied migration %d (%s)", db.location, version, name)
    return latest
