"""Stages composed by name: normalise → language → sentences → actors → dates →
places → events → merge. Each stage is a callable `Article -> Article`."""
from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import Callable, Iterable, Iterator, Protocol

from .errors import AliansiError, StageError
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
    "dates": "aliansi.dates:DateStage",
    "places": "aliansi.places:PlaceStage",
    "events": "aliansi.events:EventStage",
    "merge": "aliansi.merge:MergeStage",
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
        self.stages: list[Stage] = [make_stage(name, **config.get(name, {})) for name in stages]

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
                or "fork" not in multiprocessing.get_all_start_methods():
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

    def pipe(self, articles: Iterable[Article],
             *, on_error: Callable[[AliansiError], None] | None = None) -> Iterator[Article]:
        """Process a stream; with `on_error`, a failing article is reported and skipped."""
        for article in articles:
            try:
                yield self(article)
            except AliansiError as exc:
                if on_error is None:
                    raise
                on_error(exc)


SEGMENT_WORKERS = min(2, os.cpu_count() or 1)
_FORKED: tuple | None = None     # (pipeline, stages) for the forked segment workers


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
