"""The Python API; the CLI (`aliansi.cli`) mirrors it one to one.

    extract(inputs)            -> iterator of annotated Articles
    ingest(inputs, db)         -> IngestReport (idempotent)
    events(db, actor=...)      -> stored events
    evaluate(gold, inputs)     -> EVENTS.md §5 scores
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .errors import AliansiError
from .model import Article
from .pipeline import Pipeline

log = logging.getLogger(__name__)

DEFAULT_DB = "aliansi.db"

ErrorHandler = Callable[[AliansiError], None]


def read(inputs: Iterable[str | Path], *, on_error: ErrorHandler | None = None) -> Iterator[Article]:
    from .readers import read as read_inputs

    return read_inputs(inputs, on_error=on_error)


def extract(inputs: Iterable[str | Path], *, pipeline: Pipeline | None = None,
            on_error: ErrorHandler | None = None) -> Iterator[Article]:
    """Read the inputs and run the pipeline on every article, in input order."""
    pipeline = pipeline or Pipeline()
    return pipeline.pipe(read(inputs, on_error=on_error), on_error=on_error)


def ingest(inputs: Iterable[str | Path], db: str | Path = DEFAULT_DB, *,
           pipeline: Pipeline | None = None, on_error: ErrorHandler | None = None,
           progress: Callable[[Article], None] | None = None):
    """Extract and store; the same article twice is stored once."""
    from .store import open_store

    with open_store(db) as store:
        return store.ingest(extract(inputs, pipeline=pipeline, on_error=on_error),
                            progress=progress)


def events(db: str | Path = DEFAULT_DB, **filters):
    from .store import open_store

    with open_store(db) as store:
        return store.events(**filters)


def evaluate(gold: str | Path, inputs: Iterable[str | Path], *,
             pipeline: Pipeline | None = None, on_error: ErrorHandler | None = None) -> dict:
    """Extract from `inputs` and score against `gold` (a folder of <id>.json or JSON Lines)."""
    from .scoring import load_documents, score

    system = {a.id: a.to_output() for a in extract(inputs, pipeline=pipeline, on_error=on_error)}
    result, per_doc = score(load_documents(gold), system)
    result["per_doc"] = per_doc
    return result


def explain(inputs: Iterable[str | Path], *, pipeline: Pipeline | None = None,
            on_error: ErrorHandler | None = None) -> Iterator[tuple[Article, list[dict]]]:
    """For each article, sentence by sentence: actors, times, the events made and
    the triggers that made none, with the reason."""
    from .events import EventStage

    pipeline = pipeline or Pipeline()
    names = pipeline.stage_names
    cut = names.index("events")
    before, events_stage, after = pipeline.stages[:cut], pipeline.stages[cut], pipeline.stages[cut + 1:]
    if not isinstance(events_stage, EventStage):
        raise TypeError("the pipeline's events stage is not an EventStage")
    for article in read(inputs, on_error=on_error):
        for stage in before:
            article = stage(article)
        report = events_stage.explain(article)
        for stage in after:
            article = stage(article)
        yield article, report


def evaluate_ner(conll: str | Path) -> dict:
    """Entity-level precision, recall and F1 (PER, ORG, LOC, overall) of the
    packaged Indonesian NER model on a CoNLL file."""
    from .errors import InputError
    from .ner import NerTagger, evaluate as evaluate_tagger

    if not Path(conll).is_file():
        raise InputError("no such file", origin=str(conll))
    return evaluate_tagger(NerTagger.load(), conll)
