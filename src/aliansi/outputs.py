"""Files aliansi writes: checked before any work, written whole or not at all.

`output_file(path, inputs=..., database=...)` refuses a path that is a folder,
lies in a missing folder, is one of the run's inputs, is the database the run
reads or is any SQLite database; it yields a temporary path beside the target
and renames it over the target only when the writer finished, so that a failed
or interrupted run leaves the old file as it was. Devices and pipes (/dev/stdout,
/dev/full) are written directly. Every failure is an OutputError naming the file.
"""
from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from .errors import OutputError

SQLITE_HEADER = b"SQLite format 3\x00"


def is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(16) == SQLITE_HEADER
    except OSError:
        return False


def _same(a: Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_output(path: str | Path, *, inputs: Iterable[str | Path] = (),
                 database: str | Path | None = None) -> Path:
    """The path, when aliansi may write there; else an OutputError saying why."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; name a file to write")
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(f"{path}: the folder {folder} does not exist")
    if path.exists():
        if any(_same(path, i) for i in inputs if str(i) != "-"):
            raise OutputError(f"{path}: is an input of this run; write the output elsewhere")
        if database is not None and _same(path, database):
            raise OutputError(f"{path}: is the database this command reads")
        if is_sqlite_file(path):
            raise OutputError(f"{path}: is a SQLite database; refusing to overwrite it")
    elif not os.access(folder, os.W_OK):
        raise OutputError(f"{path}: cannot write in {folder}: permission denied")
    return path


@contextlib.contextmanager
def output_file(path: str | Path, *, inputs: Iterable[str | Path] = (),
                database: str | Path | None = None) -> Iterator[Path]:
    """A temporary path to write; renamed to `path` when the block ends without error."""
    path = check_output(path, inputs=inputs, database=database)
    if path.exists() and not stat.S_ISREG(path.stat().st_mode):
        try:
            yield path          # a device or a pipe: nothing to rename
        except OSError as exc:
            raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
        return
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        if path.exists():
            os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    finally:
        temporary.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
