"""aliansi: security and diplomacy events (PLOVER) from Indonesian and English news.

The public surface; everything else is private to its module.
"""
from .api import (DEFAULT_DB, actor, actors, brief, dyad, evaluate, evaluate_ner, events, explain,
                  export, extract, ingest, network, open, read)
from .errors import AliansiError, ConfigError, InputError, StageError, StoreError
from .model import Article, Event, Mention, Person, Place, Sentence, TimeExpression
from .pipeline import Pipeline

__all__ = [
    "DEFAULT_DB", "actor", "actors", "brief", "dyad", "evaluate", "evaluate_ner", "events", "explain",
    "export", "extract", "ingest", "network", "open", "read",
    "AliansiError", "ConfigError", "InputError", "StageError", "StoreError",
    "Article", "Event", "Mention", "Person", "Place", "Sentence", "TimeExpression",
    "Pipeline",
]
