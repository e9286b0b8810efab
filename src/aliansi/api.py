"""The Python API; the CLI (`aliansi.cli`) mirrors it one to one.

    extract(inputs)            -> iterator of annotated Articles
    ingest(inputs, db)         -> IngestReport (idempotent)
    events(db, actor=...)      -> stored events
    evaluate(gold, inputs)     -> EVENTS.md §5 scores
"""
from __future__ import annotations

import logging
from contextlib import closing
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from .errors import AliansiError
from .model import Article
from .pipeline import Pipeline, check_jobs

log = logging.getLogger(__name__)

DEFAULT_DB = "aliansi.db"

ErrorHandler = Callable[[AliansiError], None]


def _no_pipeline_in_batch(pipeline: Pipeline | None) -> None:
    if pipeline is not None:
        from .errors import ConfigError

        raise ConfigError("a pipeline object runs in this process; batch mode builds one per worker "
                          "from pipeline_config")


def _no_jobs_in_batch(jobs: int | None) -> None:
    if jobs is not None:
        from .errors import ConfigError

        raise ConfigError("jobs= runs processes on this machine, workers= and scheduler= a Dask "
                          "cluster: give one or the other")


def pipeline_config(*, kb_files: Iterable[str | Path] = ()) -> dict | None:
    """Stage settings for the default pipeline; `kb_files` are the user's own
    knowledge-base YAML files."""
    kb_files = [str(p) for p in kb_files]
    return {"actors": {"kb_files": kb_files}} if kb_files else None


def make_pipeline(*, kb_files: Iterable[str | Path] = ()) -> Pipeline:
    """The default pipeline; `kb_files` are the user's own knowledge-base YAML files."""
    return Pipeline(config=pipeline_config(kb_files=kb_files))


def count_articles(inputs: Iterable[str | Path]) -> int | None:
    """How many articles `inputs` hold, counted cheaply (JSON Lines by their lines);
    None when that cannot be known without reading them (URLs, standard input, feeds)."""
    from .readers import count_articles as count

    return count(inputs)


def read(inputs: Iterable[str | Path], *, on_error: ErrorHandler | None = None) -> Iterator[Article]:
    from .readers import read as read_inputs

    return read_inputs(inputs, on_error=on_error)


def _read_in_place(inputs: Iterable[str | Path]) -> Iterator[Article | AliansiError]:
    """The articles of `inputs`, with each error met reading them in its place (for
    `Pipeline.pipe` to report in input order when it runs ahead of the caller)."""
    errors: list[AliansiError] = []
    for article in read(inputs, on_error=errors.append):
        yield from errors
        errors.clear()
        yield article
    yield from errors


def extract(inputs: Iterable[str | Path], *, pipeline: Pipeline | None = None,
            on_error: ErrorHandler | None = None, workers: int | None = None,
            scheduler: str | None = None, pipeline_config: dict | None = None,
            jobs: int | None = None) -> Iterator[Article]:
    """Read the inputs and run the pipeline on every article, in input order.
    `jobs=N` runs it in N processes of this machine (default: one per usable CPU;
    1: this process alone), with the same output in the same order.
    `workers=N` (a local Dask cluster) or `scheduler=ADDRESS` (a running one) runs
    the same pipeline in batch mode (aliansi.batch; the `batch` extra)."""
    if workers is not None or scheduler is not None:
        from . import batch

        _no_pipeline_in_batch(pipeline)
        _no_jobs_in_batch(jobs)
        return batch.extract(inputs, workers=workers, scheduler=scheduler, on_error=on_error,
                             pipeline_config=pipeline_config)
    jobs = check_jobs(jobs)
    pipeline = pipeline or Pipeline(config=pipeline_config)
    if jobs == 1:
        return pipeline.pipe(read(inputs, on_error=on_error), on_error=on_error)
    return pipeline.pipe(_read_in_place(inputs), on_error=on_error, jobs=jobs)


def ingest(inputs: Iterable[str | Path], db: str | Path = DEFAULT_DB, *,
           pipeline: Pipeline | None = None, on_error: ErrorHandler | None = None,
           progress: Callable[..., None] | None = None, workers: int | None = None,
           scheduler: str | None = None, pipeline_config: dict | None = None,
           jobs: int | None = None):
    """Extract and store; the same article twice is stored once. Then place the
    new events in cross-article clusters (`report.clusters` says how). `jobs` as
    for `extract`: the workers extract, this process alone stores, in input order."""
    from .database import Database
    from .store import open_store

    if workers is not None or scheduler is not None:
        from . import batch

        _no_pipeline_in_batch(pipeline)
        _no_jobs_in_batch(jobs)
        return batch.ingest(inputs, db, workers=workers, scheduler=scheduler, on_error=on_error,
                            progress=progress, pipeline_config=pipeline_config)
    with open_store(db) as store:
        # closed at once if storing fails: worker processes stop with it
        with closing(extract(inputs, pipeline=pipeline, on_error=on_error,
                             pipeline_config=pipeline_config, jobs=jobs)) as articles:
            # reports of one occurrence from several articles join one cluster,
            # incrementally, as they are stored
            return Database(store).ingest(articles, progress=progress, on_error=on_error)


def events(db: str | Path = DEFAULT_DB, **filters):
    """Stored events; `actor`, `dyad`, `type`, `sector`, `since`, `until` are checked
    first (an actor may be a name: "Amerika Serikat")."""
    with _open_checked(db) as database:
        filters = _checked(database, **filters)
        return database.store.events(**filters)


def iter_events(db: str | Path = DEFAULT_DB, **filters) -> Iterator:
    """`events` one at a time, read from the store as they are needed (memory flat in
    the list's length); the store stays open until the iterator is exhausted or closed."""
    with _open_checked(db) as database:
        filters = _checked(database, **filters)
        yield from database.iter_events(**filters)


def iter_listed(db: str | Path, kind: str, **filters) -> Iterator:
    """`iter_events` with each event as a lean item of `kind` ("table": a
    `store.listing.ListedEvent`; "record": the dict of `StoredEvent.to_dict`)."""
    with _open_checked(db) as database:
        filters = _checked(database, **filters)
        yield from database.iter_listed(kind, **filters)


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
    from .extraction.events import EventStage

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


def open(db: str | Path = DEFAULT_DB, *, read_only: bool = False):  # noqa: A001 - mirrors aliansi.open
    """The database of events as a system: `.events()`, `.dyad()`, `.actor()`,
    `.network()`, `.clusters()`, `.export()`."""
    from .database import open as open_database

    return open_database(db, read_only=read_only)


def dyad(db: str | Path, a: str, b: str | None = None, *, by: str = "month",
         rollup: Iterable[str] | None = None, since: str | None = None, until: str | None = None,
         direction: str = "both", per_report: bool = False):
    """Counts per type and PLOVER cooperation–conflict scores per period: occurrences,
    with their reports and outlets (`per_report` counts each report); `direction`
    "a->b", "b->a" or "both"."""
    return dyads(db, a, b, by=by, rollup=rollup, since=since, until=until, directions=(direction,),
                 per_report=per_report)[0]


def dyads(db: str | Path, a: str, b: str | None = None, *, by: str = "month",
          rollup: Iterable[str] | None = None, since: str | None = None,
          until: str | None = None, directions: Sequence[str] = ("both", "a->b", "b->a"),
          per_report: bool = False):
    """`dyad` in each of `directions` (a list of tables), from one reading of the store."""
    with _open_checked(db) as database:
        names = _names(database)
        a, b = names.code(a), None if b is None else names.code(b)
        rollup = [names.code(r, "organisation") for r in rollup or ()]
        since, until = _bounds(since, until)
        return database.dyads(a, b, by=by, rollup=set(rollup) if rollup else None,
                              since=since, until=until, directions=directions,
                              per_report=per_report)


def clusters(db: str | Path, *, actor: str | None = None, type: str | None = None,
             since: str | None = None, until: str | None = None, min_sources: int = 1):
    """Events as reported across articles: one cluster per occurrence, with every
    source and its sentence, most corroborated first."""
    return list(iter_clusters(db, actor=actor, type=type, since=since, until=until,
                              min_sources=min_sources))


def iter_clusters(db: str | Path, *, actor: str | None = None, type: str | None = None,
                  since: str | None = None, until: str | None = None, min_sources: int = 1,
                  lean: bool = False):
    """`clusters` one at a time, read from the store as they are needed; with `lean`, as
    `store.listing.ListedCluster`s (what a table of clusters shows)."""
    with _open_checked(db) as database:
        filters = _checked(database, actor=actor, type=type, since=since, until=until)
        yield from database.iter_clusters(**filters, min_sources=min_sources,
                                          by_corroboration=True, lean=lean)


def actor(db: str | Path, code: str, *, since: str | None = None, until: str | None = None):
    with _open_checked(db) as database:
        since, until = _bounds(since, until)
        return database.actor(_names(database).code(code), since=since, until=until)


def network(db: str | Path, path: str | Path, *, since: str | None = None,
            until: str | None = None) -> Path:
    """Write the alliance network (GraphML, GEXF or JSON, by the file's suffix)."""
    with _open_checked(db) as database:
        since, until = _bounds(since, until)
        return database.export(path, since=since, until=until)


def export(db: str | Path, path: str | Path, format: str | None = None, **filters) -> Path:
    with _open_checked(db) as database:
        return database.export(path, format, **_checked(database, **filters))


def brief(db: str | Path, a: str, b: str | None = None, *, path: str | Path,
          since: str | None = None, until: str | None = None, include_flagged: bool = False) -> Path:
    """A self-contained HTML dossier of a dyad, or of one actor against all."""
    from .brief import write_brief

    with _open_checked(db) as database:
        names = _names(database)
        a, b = names.code(a), None if b is None else names.code(b)
        since, until = _bounds(since, until)
    return write_brief(db, a, b, path=path, since=since, until=until, include_flagged=include_flagged)


# --- the arguments of read commands (aliansi.queries) ------------------------------------

def _open_checked(db: str | Path):
    """The database, which must exist: a read command never creates one."""
    from .queries import existing_store

    return open(existing_store(db))


def _names(database):
    from .queries import ActorNames

    return ActorNames(database.kb, store=database.store)


def _bounds(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    from .queries import date_bound

    return date_bound(since, "--since"), date_bound(until, "--until")


def _checked(database, **filters) -> dict:
    """Filters with actor names turned into codes, and types, sectors and dates checked."""
    from .queries import event_type, sector

    if filters.get("actor") is not None or filters.get("dyad") is not None:
        names = _names(database)
        if filters.get("actor") is not None:
            filters["actor"] = names.code(filters["actor"])
        if filters.get("dyad") is not None:
            filters["dyad"] = tuple(names.code(x) for x in filters["dyad"])
    if filters.get("type") is not None:
        types = filters["type"]
        filters["type"] = event_type(types) if isinstance(types, str) else [event_type(t)
                                                                             for t in types]
    if filters.get("sector") is not None:
        filters["sector"] = sector(filters["sector"])
    filters["since"], filters["until"] = _bounds(filters.get("since"), filters.get("until"))
    return filters


def actors(db: str | Path | None = None, *, kb_files: Iterable[str | Path] = ()) -> list[dict]:
    """Every actor the knowledge base knows (with the user's `kb_files`), how often the store
    has seen it, and `source`: the knowledge-base files it came from."""
    from .kb import KnowledgeBase

    kb = KnowledgeBase.load([Path(p) for p in kb_files])
    seen: dict[str, int] = {}
    if db is not None and ("://" in str(db) or Path(str(db)).exists()):   # a file, or a server
        from .store import open_store

        with open_store(db, read_only=True) as store:
            seen = dict(store.actors_seen())
    codes = sorted(set(kb.states) | set(kb.organisations) | set(seen))
    entries = {**kb.states, **kb.organisations}
    return [{"code": c, "name": _safe(kb.name, c), "kind": _safe(kb.kind, c), "events": seen.get(c, 0),
             "source": "+".join(entries[c].sources) if c in entries else None}
            for c in codes]


def _safe(lookup, code):
    try:
        return lookup(code)
    except KeyError:
        return None


# --- review and the workbench (issue 14) ---------------------------------------------------

def review(db: str | Path, event_id: str, verdict: str, *, reviewer: str,
           reason: str | None = None, correction: dict | None = None):
    """Mark a stored event "right" or "wrong", or "corrected" with `correction` (any of
    type, source, target, date, hypothetical, negated; actors as codes or names). Kept
    apart from the extraction output and surviving re-ingest (`aliansi.store.reviews`)."""
    with _open_checked(db) as database:
        correction = dict(correction or {})
        names = _names(database) if {"source", "target"} & set(correction) else None
        for side in ("source", "target"):
            if side in correction:
                correction[side] = [names.code(c) for c in correction[side]]
        return database.store.review(event_id, verdict, reviewer=reviewer, reason=reason,
                                     correction=correction or None)


def reviews(db: str | Path = DEFAULT_DB, *, verdict: str | None = None):
    """The current reviews, latest first."""
    with _open_checked(db) as database:
        return database.store.reviews(verdict=verdict)


def export_gold(db: str | Path, path: str | Path, *, complete_only: bool = False) -> Path:
    """Write the reviewed events as gold, one EVENTS.md document per line (JSON Lines),
    for `aliansi eval`: events judged right or corrected, those marked wrong left out."""
    import json

    from .outputs import check_output, output_file

    path = check_output(path, database=db)
    with _open_checked(db) as database:
        documents = database.store.gold(complete_only=complete_only)
    with output_file(path, database=db) as temporary:
        temporary.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents),
                             encoding="utf-8")
    return Path(path)


def os_token() -> str | None:
    """The write token `serve` takes by default: $ALIANSI_TOKEN."""
    import os

    return os.environ.get("ALIANSI_TOKEN") or None


def serve(db: str | Path = DEFAULT_DB, *, host: str = "127.0.0.1", port: int = 8000,
          token: str | None = None) -> None:
    """Serve the REST API and the web UI over the store (the `serve` extra); read-only
    unless `token` (default $ALIANSI_TOKEN) is set, and then writes need it."""
    from .queries import existing_store
    from .web import serve as run

    run(existing_store(db), host=host, port=port, token=token)
