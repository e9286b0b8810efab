"""The arguments of the read commands, checked before any query: every query
answers or says why.

- an actor is a code in any case ("idn", "IDN") or a name in Indonesian or
  English ("Indonesia", "Amerika Serikat", "Tiongkok", "United States"); an unknown
  one fails with the closest names the knowledge base knows;
- a type is one of the 16 PLOVER types, in any case;
- a date bound is YYYY, YYYY-MM or YYYY-MM-DD, and a real day;
- a SQLite database must exist: a read command never creates one.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from pathlib import Path
from typing import Any, Iterable

from .errors import QueryError
from .model import EVENT_TYPES

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold()
                    .replace(".", " ").split())


class ActorNames:
    """Codes and names of the knowledge base's states and organisations."""

    def __init__(self, kb: Any, extra_codes: Iterable[str] = (), store: Any = None):
        """`extra_codes`: codes the knowledge base does not know that are accepted too;
        `store`: a Store whose actors are accepted (looked up one by one, when asked)."""
        self.names: dict[str, str] = {}
        self.label: dict[str, str] = {}
        self.store = store
        for table in (kb.states, kb.organisations):
            for code, entry in table.items():
                self.label[code] = entry.name
                for name in [code, entry.name, *entry.names]:
                    self.names.setdefault(_fold(name), code)
        self._add(extra_codes)

    def _add(self, codes: Iterable[str]) -> None:
        for code in codes:
            self.label.setdefault(code, code)
            self.names.setdefault(_fold(code), code)

    def code(self, value: str, what: str = "actor") -> str:
        key = _fold(str(value))
        if key in self.names:
            return self.names[key]
        if self.store is not None:
            if self.store.has_actor(str(value).strip().upper()):
                return str(value).strip().upper()
            self._add(self.store.actor_codes())   # for the suggestions
        close = difflib.get_close_matches(key, list(self.names), n=4, cutoff=0.6)
        hint = ", ".join(dict.fromkeys(f"{self.names[c]} ({self.label[self.names[c]]})"
                                       for c in close))
        raise QueryError(f"unknown {what} {value!r}" + (f"; did you mean {hint}?" if hint else
                         "; `aliansi actors` lists the codes and names"))


def actor_codes(names: ActorNames, *values: str | None) -> list[str | None]:
    return [None if v is None else names.code(v) for v in values]


def date_bound(value: str | None, what: str) -> str | None:
    """A date bound as given, when it is a real year, month or day."""
    if value is None:
        return None
    match = _DATE.match(str(value).strip())
    try:
        if not match:
            raise ValueError
        year, month, day = (int(g) if g else 1 for g in match.groups())
        dt.date(year, month, day)
    except ValueError:
        raise QueryError(f"{what} {value!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"
                         ) from None
    return str(value).strip()


def event_type(value: str | None) -> str | None:
    if value is None:
        return None
    kind = str(value).strip().upper()
    if kind not in EVENT_TYPES:
        close = difflib.get_close_matches(kind, EVENT_TYPES, n=3)
        raise QueryError(f"unknown event type {value!r}; "
                         + (f"did you mean {', '.join(close)}? " if close else "")
                         + f"the PLOVER types are {', '.join(EVENT_TYPES)}")
    return kind


def sector(value: str | None) -> str | None:
    """A sector of `kb.SECTORS`, in any case, with spaces or hyphens for underscores."""
    from .kb import SECTORS

    if value is None:
        return None
    name = "_".join(str(value).strip().lower().replace("-", " ").split())
    if name not in SECTORS:
        close = difflib.get_close_matches(name, SECTORS, n=3)
        raise QueryError(f"unknown sector {value!r}; "
                         + (f"did you mean {', '.join(close)}? " if close else "")
                         + f"the sectors are {', '.join(SECTORS)}")
    return name


def existing_store(db: str | Path) -> str | Path:
    """The database, when it exists (a PostgreSQL URL is taken as it is)."""
    text = str(db)
    if "://" in text and not text.startswith("sqlite:"):
        return db
    path = Path(text[len("sqlite:///"):] if text.startswith("sqlite:///") else text)
    if text != ":memory:" and not path.is_file():
        raise QueryError(f"no database at {path}: store articles there first "
                         f"(aliansi ingest ARTICLES --db {path})")
    return db
