"""Stages composed by name: normalise → language → sentences → actors → dates →
places → events → merge. Each stage is a callable `Article -> Article`."""
from __future__ import annotations

import importlib
import itertools
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import Callable, Iterable, Iterator, Protocol

from .errors import AliansiError, ConfigError, StageError, error_from_payload, error_payload
from .model import Article

log = logging.getLogger(__name__)


class Stage(Protocol):
    name: str

    def __call__(self, article: Article) -> Article: ...


# name -> "module:Class"; imported only when a pipeline is built, never at import time
STAGES: dict[str, str] = {
    "normalise": "aliansi.normalise:Normaliser",
    "language": "aliansi.language:LanguageStage",
    "sentences": "aliansi.sentences:SentenceStage",
    "actors": "aliansi.actors:ActorStage",
    "dates": "aliansi.extraction.dates:DateStage",
    "places": "aliansi.extraction.places:PlaceStage",
    "events": "aliansi.extraction.events:EventStage",
    "merge": "aliansi.extraction.merge:MergeStage",
}
DEFAULT_STAGES = tuple(STAGES)

# An article longer than this is read in segments of about this many characters,
# cut at paragraph ends, after the stages that need the whole text: the work and
# memory of the others then grow with the length, never faster (a 5 MB page of
# text is no news article, but it must not hold a batch up).
MAX_SEGMENT = 50_000
WHOLE_TEXT_STAGES = ("normalise", "language")


def make_stage(name: str, **config) -> Stage:
    try:
        module_name, class_name = STAGES[name].split(":")
    except KeyError:
        raise AliansiError(f"unknown stage {name!r}; known: {', '.join(STAGES)}") from None
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls(**config)


class Pipeline:
    """Runs the stages in order on one article (`__call__`) or a stream (`pipe`)."""

    def __init__(self, stages: Iterable[str] = DEFAULT_STAGES,
                 *, config: dict[str, dict] | None = None):
        config = config or {}
        stages = tuple(stages)
        self.stages: list[Stage] = [make_stage(name, **config.get(name, {})) for name in stages]
        self._spec = (stages, config)     # how a spawned worker builds the same pipeline

    @property
    def stage_names(self) -> list[str]:
        return [getattr(stage, "name", type(stage).__name__) for stage in self.stages]

    def __call__(self, article: Article) -> Article:
        cut = next((i for i, name in enumerate(self.stage_names) if name not in WHOLE_TEXT_STAGES),
                   len(self.stages))
        article = self._run(article, self.stages[:cut])
        if len(article.text) <= MAX_SEGMENT or cut == len(self.stages):
            article = self._run(article, self.stages[cut:])
        else:
            parts = self._run_segments(list(segments(article)), self.stages[cut:])
            article = join_segments(article, parts, self.stages[-1] if self.stage_names[-1] == "merge"
                                    else None)
            log.warning("article %s: %d characters read in %d segments", article.id,
                        len(article.text), len(parts))
        log.info("article %s: %d events", article.id, len(article.events))
        return article

    def _run_segments(self, parts: list[Article], stages: list[Stage]) -> list[Article]:
        """The segments of one long article, on both cores where the system forks
        (the children share the loaded stages), else one after the other."""
        if len(parts) < 4 or SEGMENT_WORKERS < 2 or multiprocessing.current_process().daemon \
                or _WORKER is not None or "fork" not in multiprocessing.get_all_start_methods():
            return [self._run(part, stages) for part in parts]
        global _FORKED
        _FORKED = (self, stages)
        # this process reads the first half while one forked child reads the second:
        # two cores, and twice the memory at most (a child's copy of the stages grows
        # as Python touches them, so more children would cost a copy each)
        half = len(parts) // 2
        try:
            with ProcessPoolExecutor(SEGMENT_WORKERS - 1,
                                     mp_context=multiprocessing.get_context("fork")) as pool:
                later = pool.map(_run_forked, parts[half:])
                done = [_run_forked(part) for part in parts[:half]] + list(later)
        finally:
            _FORKED = None
        for result in done:
            if isinstance(result, tuple):       # (stage name, message) of a failure
                raise StageError(result[1], article_id=parts[0].id, stage=result[0])
        return done

    def _run(self, article: Article, stages: list[Stage]) -> Article:
        for stage in stages:
            name = getattr(stage, "name", type(stage).__name__)
            try:
                result = stage(article)
            except AliansiError:
                raise
            except Exception as exc:  # a bug in a stage must not end the batch unnamed
                raise StageError(f"{type(exc).__name__}: {exc}",
                                 article_id=article.id, stage=name) from exc
            if not isinstance(result, Article):
                raise StageError(f"returned {type(result).__name__}, not an Article",
                                 article_id=article.id, stage=name)
            article = result
        return article

    def pipe(self, articles: Iterable[Article | AliansiError],
             *, on_error: Callable[[AliansiError], None] | None = None,
             jobs: int | None = 1) -> Iterator[Article]:
        """Process a stream, in input order; with `on_error`, a failing article is
        reported and skipped. An AliansiError in the stream (a reader's, kept in its
        place) is reported there the same way.

        `jobs=N` runs the articles in N worker processes (None: one per usable CPU,
        `default_jobs()`), each with this pipeline's stages loaded once, and yields
        the same articles and errors in the same order as one process; a stream of
        fewer than MIN_PER_JOB articles per job stays in this process."""
        jobs = check_jobs(jobs)
        if jobs == 1:
            yield from self._pipe_here(articles, on_error)
            return
        articles = iter(articles)
        head: list[Article | AliansiError] = []
        wanted = MIN_PER_JOB * jobs
        while wanted > 0:
            item = next(articles, None)
            if item is None:        # a short stream: not worth starting processes
                yield from self._pipe_here(head, on_error)
                return
            head.append(item)
            wanted -= isinstance(item, Article)
        yield from self._pipe_pool(itertools.chain(head, articles), on_error, jobs)

    def _pipe_here(self, articles: Iterable[Article | AliansiError],
                   on_error: Callable[[AliansiError], None] | None) -> Iterator[Article]:
        for article in articles:
            try:
                if isinstance(article, AliansiError):
                    raise article
                yield self(article)
            except AliansiError as exc:
                if on_error is None:
                    raise
                on_error(exc)

    def _pipe_pool(self, items: Iterator[Article | AliansiError],
                   on_error: Callable[[AliansiError], None] | None, jobs: int) -> Iterator[Article]:
        """The stream through `jobs` worker processes: articles go out in chunks of
        CHUNK, at most IN_FLIGHT_PER_JOB chunks per job at a time (so the input is
        read as the results are handed out, never all at once), and come back in
        input order."""
        def report(exc: AliansiError) -> None:
            if on_error is None:
                raise exc
            on_error(exc)

        method = START_METHOD if START_METHOD in multiprocessing.get_all_start_methods() else "spawn"
        # forked workers share this process's loaded stages; spawned ones build their own
        start = self if method == "fork" else self._spec
        pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method),
                                   initializer=_start_worker, initargs=(start, os.getpid()))
        log.info("%d worker processes (%s start)", jobs, method)
        # chunks of the stream in input order, each with the future of its articles'
        # results (None for a chunk of errors only)
        queue: deque[tuple[Future | None, list[Article | AliansiError]]] = deque()

        def fill() -> None:
            while len(queue) < IN_FLIGHT_PER_JOB * jobs:
                chunk = list(itertools.islice(items, CHUNK))
                if not chunk:
                    return
                articles = [a for a in chunk if isinstance(a, Article)]
                queue.append((pool.submit(_run_chunk, articles) if articles else None, chunk))

        try:
            fill()
            while queue:
                future, chunk = queue.popleft()
                try:
                    results = iter(future.result() if future is not None else ())
                except BrokenProcessPool as exc:     # a worker died (killed, out of memory)
                    log.warning("a worker process died (%s): the rest runs in this process", exc)
                    rest = itertools.chain(chunk, *(c for _, c in queue), items)
                    queue.clear()
                    yield from self._pipe_here(rest, on_error)
                    return
                fill()      # the workers go on while the caller takes these
                for item in chunk:
                    if isinstance(item, AliansiError):
                        report(item)
                        continue
                    kind, value = next(results)
                    if kind == "article":
                        yield value
                    else:
                        report(error_from_payload(value))
        finally:
            for future, _ in queue:
                if future is not None:
                    future.cancel()
            pool.shutdown(wait=True, cancel_futures=True)


SEGMENT_WORKERS = min(2, os.cpu_count() or 1)
_FORKED: tuple | None = None     # (pipeline, stages) for the forked segment workers

# Worker processes of `Pipeline.pipe(jobs=N)`.
MAX_JOBS = 8            # the default never starts more (each worker may grow to a copy of the stages)
CHUNK = 4               # articles sent to a worker at a time
IN_FLIGHT_PER_JOB = 24  # chunks read ahead per worker: enough to keep it busy while the
                        # caller works (ingest writes up to 256 articles at a time, about
                        # 2 s in a store of 10,000), no more
MIN_PER_JOB = 2         # fewer articles than this per job stay in this process
START_METHOD = "fork"   # where the system has it; else "spawn"
_WORKER: Pipeline | None = None    # the pipeline of this worker process


def default_jobs() -> int:
    """The CPUs this process may run on (at most MAX_JOBS)."""
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):       # not on every system
        usable = os.cpu_count() or 1
    return max(1, min(usable, MAX_JOBS))


def check_jobs(jobs: int | None) -> int:
    """`jobs` as a number of processes: None is `default_jobs()`."""
    if jobs is None:
        return default_jobs()
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ConfigError(f"jobs must be a whole number of at least 1, not {jobs!r}")
    return jobs


def _start_worker(start: Pipeline | tuple, parent: int) -> None:
    """A worker's start: the parent's pipeline (forked) or one built from its spec
    (spawned). Ctrl-C is the parent's to handle; a worker whose parent is gone ends."""
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if isinstance(start, Pipeline):
        _WORKER = start
    else:
        stages, config = start
        _WORKER = Pipeline(stages, config=config)
    threading.Thread(target=_end_with_parent, args=(parent,), daemon=True).start()


def _end_with_parent(parent: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(1)


def _run_chunk(articles: list[Article]) -> list[tuple[str, object]]:
    """[("article", Article) | ("error", payload)] for a chunk, in its order."""
    out: list[tuple[str, object]] = []
    for article in articles:
        try:
            out.append(("article", _WORKER(article)))
        except AliansiError as exc:
            out.append(("error", error_payload(exc)))
    return out



def _run_forked(part: Article) -> Article | tuple[str, str]:
    pipeline, stages = _FORKED
    try:
        return pipeline._run(part, stages)
    except StageError as exc:
        return exc.stage, str(exc)
    except AliansiError as exc:
        return "segments", str(exc)


def segments(article: Article, size: int | None = None) -> Iterator[Article]:
    """The article in pieces of about `size` (default MAX_SEGMENT) characters ending at
    a paragraph end (or a space), each an Article with the same metadata."""
    size = size or MAX_SEGMENT
    text, start = article.text, 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            if cut < 0:
                cut = text.rfind(" ", start + size // 2, end)
            end = cut + 1 if cut > start else end
        yield replace(article, text=text[start:end], sentences=[], mentions=[], times=[],
                      places=[], events=[], persons=[], actors=[], stages=list(article.stages))
        start = end


def join_segments(article: Article, parts: list[Article], merge: Stage | None) -> Article:
    """One article from its processed segments: offsets moved back into the whole
    text, persons and actors in order of first appearance, events merged again
    across segments."""
    paragraphs = offset = 0
    for part in parts:          # the segments cut the text without gaps: offsets add up
        for item in (*part.sentences, *part.mentions, *part.times, *part.places):
            item.start += offset
            item.end += offset
        for sentence in part.sentences:
            sentence.paragraph += paragraphs
        paragraphs = max((s.paragraph for s in part.sentences), default=paragraphs - 1) + 1
        for event in part.events:
            event.evidence_spans = [(a + offset, b + offset) for a, b in event.evidence_spans]
        article.sentences += part.sentences
        article.mentions += part.mentions
        article.times += part.times
        article.places += part.places
        article.events += part.events
        known = {p.name for p in article.persons}
        article.persons += [p for p in part.persons if p.name not in known]
        article.actors += [a for a in part.actors if a not in article.actors]
        offset += len(part.text)
    article.stages += [s for s in parts[0].stages if s not in article.stages] if parts else []
    if merge is not None:       # once more, over the whole text
        if merge.name in article.stages:
            article.stages.remove(merge.name)
        article = merge(article)
    return article
