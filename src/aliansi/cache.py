"""A disk cache for what start-up builds from package data: the gazetteer, the
trigger lexicons, the language model. Building them takes seconds; reading the
result back takes a few hundredths, which is what lets a one-article `extract`
answer at once.

An entry is a pickle named by a digest of everything it was built from (the
source of the building code, the data files, the versions of the packages
read, the parameters), so a changed input is a new entry, never a stale one.
The cache lives in `$ALIANSI_CACHE`, else `$XDG_CACHE_HOME/aliansi`, else
`~/.cache/aliansi`; `ALIANSI_CACHE=off` turns it off. A cache that cannot be
read or written is passed over silently: everything is then built in memory,
as without it.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterable

log = logging.getLogger(__name__)

CACHE_ENV = "ALIANSI_CACHE"
FORMAT = 1     # bumped when the way entries are written changes
STALE_AFTER = 30 * 86400   # an entry of other inputs older than this goes when a new one is written


def cache_dir() -> Path | None:
    value = os.environ.get(CACHE_ENV, "")
    if value.lower() in ("off", "0", "no", "false"):
        return None
    if value:
        return Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "aliansi"


def version(package: str) -> str:
    try:
        return f"{package}=={metadata.version(package)}"
    except metadata.PackageNotFoundError:
        return f"{package} absent"


def digest(inputs: Iterable[Any]) -> str:
    """A digest of the inputs: bytes and strings as they are, paths (and importlib
    resources) by their content, anything else by its repr."""
    h = hashlib.sha256(f"format {FORMAT}".encode())
    for item in inputs:
        if isinstance(item, bytes):
            data = item
        elif isinstance(item, str):
            data = item.encode()
        elif hasattr(item, "read_bytes"):
            data = item.read_bytes() if item.is_file() else b"<absent>"
        else:
            data = repr(item).encode()
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:24]


def cached(name: str, inputs: Iterable[Any], build: Callable[[], Any]) -> Any:
    """`build()`'s result, read from the cache when the same inputs built it before."""
    directory = cache_dir()
    if directory is None:
        return build()
    try:
        path = directory / f"{name}-{digest(inputs)}.pickle"
    except OSError as exc:
        log.debug("cache: cannot read an input of %s: %s", name, exc)
        return build()
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except FileNotFoundError:
        pass
    except Exception as exc:   # a truncated or foreign file: rebuild it
        log.debug("cache: %s unreadable (%s); rebuilding", path, exc)
    value = build()
    _store(directory, path, name, value)
    return value


def _store(directory: Path, path: Path, name: str, value: Any) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{name}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, path)
        finally:
            if os.path.exists(temp):
                os.unlink(temp)
        stale = time.time() - STALE_AFTER
        for old in directory.glob(f"{name}-*.pickle"):   # entries of earlier inputs
            if old != path and old.stat().st_mtime < stale:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.debug("cache: cannot write %s: %s", path, exc)
