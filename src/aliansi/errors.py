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
