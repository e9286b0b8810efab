"""Run fuzzed inputs through `aliansi.api.ingest` and count what went wrong.

`run(cases, folder)` writes the cases as files into `folder`, ingests them into a
SQLite file there in batches, and returns a Tally: inputs tried, crashes (an
exception that escaped, or an internal error in a stage), good records lost (a
good record's id not stored), errors reported (bad records and files, each named).
"""
from __future__ import annotations

import shutil
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from aliansi import api
from aliansi.errors import AliansiError, StageError


@dataclass
class Tally:
    inputs: int = 0
    crashes: int = 0
    lost: int = 0
    reported: int = 0
    kinds: dict = field(default_factory=dict)
    examples: list = field(default_factory=list)

    def problem(self, what: str) -> None:
        if len(self.examples) < 20:
            self.examples.append(what)


def run(cases: Iterable, folder: Path, *, batch: int = 200, pipeline=None) -> Tally:
    tally = Tally()
    pending: list = []

    def flush():
        db = folder / f"fuzz-{tally.inputs}.db"    # a store per batch: its size stays small
        inputs = folder / "in"
        shutil.rmtree(inputs, ignore_errors=True)
        inputs.mkdir(parents=True)
        for case in pending:
            (inputs / case.name).write_bytes(case.data)
        errors: list[AliansiError] = []
        try:
            api.ingest([inputs], db, on_error=errors.append, pipeline=pipeline)
        except Exception as exc:       # anything escaping is a crash
            tally.crashes += 1
            tally.problem(f"crash: {type(exc).__name__}: {exc}\n{traceback.format_exc()[-600:]}")
        for error in errors:
            tally.reported += 1
            if isinstance(error, StageError):
                tally.crashes += 1
                tally.problem(f"stage error: {error}")
        with api.open(db, read_only=True) as database:
            stored = {row["id"] for row in database.store._rows("SELECT id FROM articles", [])}
        for case in pending:
            missing = [g for g in case.good if g not in stored]
            tally.lost += len(missing)
            if missing:
                tally.problem(f"lost {missing} of {case.kind} ({case.name})")
        pending.clear()
        for path in folder.glob(db.name + "*"):
            path.unlink()

    for case in cases:
        tally.inputs += 1
        tally.kinds[case.kind] = tally.kinds.get(case.kind, 0) + 1
        pending.append(case)
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    return tally
