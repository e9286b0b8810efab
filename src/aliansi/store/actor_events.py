"""An actor's events read together: each unflagged event once for each actor it names,
with the actors on the other side (`partners`), in `actor_events` (migration 18),
clustered by actor on SQLite. An actor's profile (`Database.actor`) counts reports from
these rows in one range instead of looking up each event. Rows are written with their
event (`Store._insert_children`) and deleted with it (ON DELETE CASCADE). Reviews are
not applied here: a reader leaves out the reviewed events and adds the corrected ones.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aliansi.store.base import Dialect

DDL = """
CREATE TABLE actor_events (
    actor TEXT NOT NULL,
    event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    article_id TEXT NOT NULL, type TEXT NOT NULL, mode TEXT, partners TEXT NOT NULL,
    PRIMARY KEY (actor, event_id)){clustered};
CREATE INDEX actor_events_event ON actor_events (event_id)
"""


def partners(actor: str, source: list[str], target: list[str]) -> list[str]:
    """The actors an event puts on the other side of `actor` (as `Database.actor` counts)."""
    return sorted(((set(target) if actor in source else set())
                   | (set(source) if actor in target else set())) - {actor})


def rows(event_id: str, article_id: str, type: str, mode: str | None,
         source: list[str], target: list[str]) -> list[tuple]:
    """The `actor_events` rows of one unflagged event."""
    return [(actor, event_id, article_id, type, mode,
             json.dumps(partners(actor, source, target)))
            for actor in sorted(set(source) | set(target))]


def insert(db: Dialect, values: list[tuple]) -> None:
    db.executemany("INSERT INTO actor_events (actor, event_id, article_id, type, mode, "
                   "partners) VALUES (?, ?, ?, ?, ?, ?)", values)


def create(db: Dialect) -> None:
    """The table, filled from every stored unflagged event (the migration)."""
    for statement in DDL.split(";"):
        db.execute(statement.format(clustered=" WITHOUT ROWID" if db.name == "sqlite" else ""))
    for batch in db.stream("SELECT id, article_id, type, mode, source, target FROM events "
                           "WHERE hypothetical = ? AND negated = ?", [False, False], 5000):
        insert(db, [row for r in batch for row in rows(
            r[0], r[1], r[2], r[3], _codes(db, r[4]), _codes(db, r[5]))])


def _codes(db: Dialect, value: Any) -> list[str]:
    return list(db.load_json(value))
