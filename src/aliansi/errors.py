"""Errors aliansi raises on purpose.

    AliansiError                 base: every known failure, shown to users without a traceback
    ├── InputError               an input file or record cannot be read (names the file and record)
    ├── ConfigError              a setting or a knowledge-base file is wrong
    ├── StoreError               the database cannot be opened, migrated or written
    ├── OutputError              an output file cannot or must not be written (names the file)
    ├── QueryError               a read command's argument is wrong (unknown actor, bad date, ...)
    └── StageError               a pipeline stage failed on one article (names the article and stage)
"""
from __future__ import annotations

import importlib
from typing import Any


class AliansiError(Exception):
    """Base of every error aliansi raises on purpose."""


class InputError(AliansiError):
    def __init__(self, message: str, *, origin: str | None = None, record: str | int | None = None):
        self.origin, self.record = origin, record
        where = origin or "<input>"
        if record is not None:
            where += f":{record}"
        super().__init__(f"{where}: {message}")


class ConfigError(AliansiError):
    pass


class StoreError(AliansiError):
    pass


class OutputError(AliansiError):
    pass


class QueryError(AliansiError):
    pass


class StageError(AliansiError):
    def __init__(self, message: str, *, article_id: str, stage: str):
        self.article_id, self.stage = article_id, stage
        super().__init__(f"article {article_id}, stage {stage}: {message}")


def error_payload(exc: AliansiError, *, article_id: str | None = None) -> dict[str, Any]:
    """An error as plain data to cross to another process: its class, message and
    simple attributes (never a pickled exception: the classes' own __init__ differ)."""
    attrs = {k: v for k, v in vars(exc).items() if isinstance(v, (str, int, float, bool, type(None)))}
    if article_id and attrs.get("article_id") is None:
        attrs["article_id"] = article_id
    cls = type(exc)
    return {"class": f"{cls.__module__}:{cls.__qualname__}", "message": str(exc), "attrs": attrs}


def error_from_payload(payload: dict[str, Any]) -> AliansiError:
    """The error of `error_payload` again, of its own class when that is an
    AliansiError we can import."""
    module, _, name = payload["class"].partition(":")
    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        cls = None
    if not (isinstance(cls, type) and issubclass(cls, AliansiError)):
        return AliansiError(f"{name}: {payload['message']}")
    exc = cls.__new__(cls)      # not __init__: the message is already formatted
    exc.args = (payload["message"],)
    vars(exc).update(payload["attrs"])
    return exc
