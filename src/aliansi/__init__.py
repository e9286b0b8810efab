"""aliansi: security and diplomacy events (PLOVER) from Indonesian and English news.

The public surface; everything else is private to its module. The command line
mirrors `aliansi.api` one to one; the names below are the ones that do not
collide with a module of the package (`aliansi.network`, `aliansi.brief`) or with
the event stage (`aliansi.extraction.events`): the stored events are
`aliansi.open(db).events()` or `aliansi.api.events(db)`.
"""
from .api import DEFAULT_DB, actor, dyad, evaluate, evaluate_ner, explain, export, extract, ingest, open, read
from .errors import AliansiError, ConfigError, InputError, StageError, StoreError
from .model import Article, Event, Mention, Person, Place, Sentence, TimeExpression
from .pipeline import Pipeline

__all__ = [
    "DEFAULT_DB", "actor", "dyad", "evaluate", "evaluate_ner", "explain", "export", "extract",
    "ingest", "open", "read",
    "AliansiError", "ConfigError", "InputError", "StageError", "StoreError",
    "Article", "Event", "Mention", "Person", "Place", "Sentence", "TimeExpression",
    "Pipeline",
]
