"""The readable tables for Datasette and SQL users, kept current by ingest.

`events_readable` (one row per event with its actors, date, evidence and source
article) and `dyad_events` (one row per source–target pair of an unflagged event)
were views; on large stores every page of a view recomputed each row's actors and
Datasette's facet suggestions scanned the join. They are tables now (migration 5),
indexed on the columns people filter and facet on, filled for each article as it is
stored (`refresh`) and emptied with its events (ON DELETE CASCADE).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aliansi.store.base import Dialect


def concat(db: Dialect, separator: str = " "):
    """The SQL that joins a column's values with `separator`, per dialect."""
    if db.name.startswith("postgres"):
        return lambda col: f"string_agg({col}, '{separator}' ORDER BY {col})"
    return lambda col: f"group_concat({col}, '{separator}')"


def _flag(db: Dialect) -> str:
    return "FALSE" if db.name.startswith("postgres") else "0"


def events_readable_select(db: Dialect, *, date_basis: bool = True, agents: bool = True,
                           review: bool = True) -> str:
    """`agents`: with the sectors and agents of each side (the columns of migration 9);
    `review`: with the event's review verdict (migration 16)."""
    concat_ = concat(db)
    basis = "e.date_basis, " if date_basis else ""
    sides = ""
    if agents:
        sides = "".join(
            f""",
           (SELECT {how("v")} FROM (SELECT DISTINCT a.{column} AS v FROM event_actors a
             WHERE a.event_id = e.id AND a.role = '{role}') AS d) AS {role}_{column}s"""
            for column, how in (("sector", concat(db)), ("agent", concat(db, " | ")))
            for role in ("source", "target"))
    verdict = (",\n           (SELECT r.verdict FROM reviews r WHERE r.event_id = e.id) AS review"
               if review else "")
    return f"""
    SELECT e.id AS event_id,
           e.date, e.date_precision, {basis}e.type, e.mode,
           (SELECT {concat_("a.actor")} FROM event_actors a
             WHERE a.event_id = e.id AND a.role = 'source') AS source,
           (SELECT {concat_("a.actor")} FROM event_actors a
             WHERE a.event_id = e.id AND a.role = 'target') AS target,
           e.location, e.location_country, e.confidence,
           e.hypothetical, e.negated,
           e.evidence, e."trigger", e.rule,
           ar.id AS article_id, ar.published, ar.outlet, ar.title, ar.url{sides}{verdict}
      FROM events e JOIN articles ar ON ar.id = e.article_id"""


def dyad_events_select(db: Dialect, *, agents: bool = True) -> str:
    flag = _flag(db)
    sectors = ", s.sector AS source_sector, t.sector AS target_sector" if agents else ""
    return f"""
    SELECT s.actor AS source, t.actor AS target, e.type, e.mode, e.date, e.id AS event_id,
           e.article_id, e.evidence{sectors}
      FROM events e
      JOIN event_actors s ON s.event_id = e.id AND s.role = 'source'
      JOIN event_actors t ON t.event_id = e.id AND t.role = 'target'
     WHERE e.hypothetical = {flag} AND e.negated = {flag}"""


EVENTS_READABLE_TABLE = """
    CREATE TABLE events_readable (
        event_id TEXT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
        date TEXT, date_precision TEXT, date_basis TEXT, type TEXT NOT NULL, mode TEXT,
        source TEXT, target TEXT, location TEXT, location_country TEXT, confidence {float},
        hypothetical {bool}, negated {bool}, evidence TEXT, "trigger" TEXT, rule TEXT,
        article_id TEXT NOT NULL, published TEXT, outlet TEXT, title TEXT, url TEXT
    )"""
DYAD_EVENTS_TABLE = """
    CREATE TABLE dyad_events (
        source TEXT NOT NULL, target TEXT NOT NULL, type TEXT NOT NULL, mode TEXT, date TEXT,
        event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
        article_id TEXT NOT NULL, evidence TEXT,
        PRIMARY KEY (event_id, source, target)
    )"""
# the columns Datasette suggests facets on, and people filter by
INDEXED = {
    "events_readable": ("date", "date_precision", "date_basis", "type", "mode", "source", "target",
                        "location", "location_country", "confidence", "hypothetical", "negated",
                        "rule", "article_id", "published", "outlet"),
    "dyad_events": ("source, target", "target", "type", "mode", "date", "article_id"),
}


def create(db: Dialect, *, agents: bool = True) -> None:
    """Replace the views by tables, fill them from the stored events and index them
    (`agents`: as `events_readable_select`)."""
    db.execute("DROP VIEW IF EXISTS events_readable")
    db.execute("DROP VIEW IF EXISTS dyad_events")
    db.execute(EVENTS_READABLE_TABLE.format(**db.types))
    db.execute(DYAD_EVENTS_TABLE.format(**db.types))
    db.execute(f"INSERT INTO events_readable "
               f"{events_readable_select(db, agents=agents, review=False)}")
    db.execute(f"INSERT INTO dyad_events {dyad_events_select(db, agents=agents)}")
    for table, columns in INDEXED.items():
        for columns_sql in columns:
            name = f"{table}_{columns_sql.replace(', ', '_')}"
            quoted = ", ".join(f'"{c}"' for c in columns_sql.split(", "))
            db.execute(f"CREATE INDEX {name} ON {table} ({quoted})")


def refresh(db: Dialect, article_id: str) -> None:
    """Write the readable rows of one stored article's events."""
    db.execute(f"INSERT INTO events_readable {events_readable_select(db)} "
               f"WHERE e.article_id = ?", [article_id])
    db.execute(f"INSERT INTO dyad_events {dyad_events_select(db)} AND e.article_id = ?",
               [article_id])
