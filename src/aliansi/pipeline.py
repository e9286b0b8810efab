"""Stages composed by name: normalise → language → sentences → actors → dates →
places → events → merge. Each stage is a callable `Article -> Article`."""
from __future__ import annotations

import importlib
import logging
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
        for stage in self.stages:
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
        log.info("article %s: %d events", article.id, len(article.events))
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
