"""aliansi: security and diplomacy events (PLOVER) from Indonesian and English news.

The public surface; everything else is private to its module.
"""
from .api import DEFAULT_DB, evaluate, events, extract, ingest, read
from .errors import AliansiError, ConfigError, InputError, StageError, StoreError
from .model import Article, Event, Mention, Person, Place, Sentence, TimeExpression
from .pipeline import Pipeline

__all__ = [
    "DEFAULT_DB", "evaluate", "events", "extract", "ingest", "read",
    "AliansiError", "ConfigError", "InputError", "StageError", "StoreError",
    "Article", "Event", "Mention", "Person", "Place", "Sentence", "TimeExpression",
    "Pipeline",
]
