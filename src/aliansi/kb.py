"""The actor knowledge base: states, organisations, bodies, roles, officials and places.

Facts live as YAML under ``aliansi/data/kb`` (each file says where its facts come from);
users add files of the same schema with ``KnowledgeBase.load(extra_paths=[...])``.
Every file may hold any of these top-level sections:

    states         code, name, names, adjectives, seats, territory_of
    organisations  code, name, names, members: [{code, since, until}]
    bodies         actor, names, kind (state | group), salient, sector
    sectors        {sector: {id: [...], en: [...]}}  head words that tell a body's or
                   office's sector from its name (aliansi.sectors)
    generic        id: [...], en: [...]   body nouns that take an adjacent state;
                   en_sectors: {sector: [...]}  English ones grouped by sector
    roles          role, id, en, rank, single
    officials      name, actor, aliases, terms: [{role, title, cameo, start, end}]
    places         lists of place names that contain actor names

Entries with the same key (a state's or organisation's code, an official's name, a
role) are merged: lists are joined and scalars from later files win. Each entry keeps
the files it came from (`sources`; a generic noun its first file in `generic_sources`).
"""
from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterator, Sequence

import yaml

from aliansi.errors import ConfigError

log = logging.getLogger(__name__)

DEFAULT_FILES = ("states.yaml", "states_extra.yaml", "organisations.yaml", "bodies.yaml",
                 "roles.yaml", "officials.yaml", "officials_historical.yaml", "places.yaml",
                 "sectors.yaml")
# phoenix_*.yaml (PETRARCH2 Phoenix dictionaries, scripts/build_phoenix_kb.py) are packaged but
# not loaded by default: they lowered realnews-check and phoenix_officials.yaml adds ~3.5 s
# and ~55 MB to start-up. Load them with `aliansi --kb src/aliansi/data/kb/phoenix_....yaml`.
SECTIONS = ("states", "organisations", "bodies", "generic", "roles", "officials", "places", "sectors")
# Who inside a state an actor is: the agent types of the CAMEO/Phoenix dictionaries
# (phoenix_agents.yaml), plus protesters and international bodies.
SECTORS = ("government", "military", "police", "intelligence", "legislature", "judiciary", "party",
           "opposition", "rebels", "armed_groups", "business", "media", "civilians", "labour",
           "education", "health", "religion", "ngo", "human_rights", "refugees", "criminals",
           "radicals", "elites", "agriculture", "environment", "protesters", "igo")
_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,11}$")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)    # libyaml when PyYAML has it: 5x faster


@dataclass(frozen=True)
class Term:
    role: str
    start: dt.date | None
    end: dt.date | None
    title: str | None = None
    cameo: str | None = None        # the CAMEO code a generated term was read from


    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass
class Official:
    name: str
    actor: str
    aliases: list[str] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def term_on(self, day: dt.date | None, role: str | None = None) -> Term | None:
        """The term held on `day` (of `role` when given; the first listed when several);
        the latest term when no day is given."""
        terms = [t for t in self.terms if role is None or t.role == role]
        if day is None:
            return max(terms, key=lambda t: t.start or dt.date.min) if terms else None
        return next((t for t in terms if t.covers(day)), None)

    def title_on(self, day: dt.date | None, role: str | None = None) -> str | None:
        """The English title held on `day`, preferring `role` when the official held it."""
        term = (role and self.term_on(day, role)) or self.term_on(day) or self.term_on(None)
        if term is not None and role and term.role != role and term.cameo:
            return role         # a CAMEO sector ("Government official") says less than the text
        return (term.title or term.role) if term else None


@dataclass
class State:
    code: str
    name: str
    names: list[str] = field(default_factory=list)
    adjectives: list[str] = field(default_factory=list)
    seats: list[str] = field(default_factory=list)
    territory_of: str | None = None
    sources: list[str] = field(default_factory=list)


@dataclass
class Membership:
    code: str
    since: dt.date | None
    until: dt.date | None


@dataclass
class Organisation:
    code: str
    name: str
    names: list[str] = field(default_factory=list)
    members: list[Membership] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


@dataclass
class Body:
    actor: str
    names: list[str]
    kind: str = "state"       # "state" | "group"
    salient: bool = True
    sources: list[str] = field(default_factory=list)
    sector: str | None = None   # one of SECTORS


@dataclass
class Role:
    role: str
    id: list[str] = field(default_factory=list)
    en: list[str] = field(default_factory=list)
    rank: bool = False
    single: bool = False
    sources: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SurfaceForm:
    """One string the gazetteer looks for and what it names.

    category: state | adjective | seat | territory | org | body | group | generic |
    role | official | place.
    """
    text: str
    category: str
    actor: str | None
    name: str
    salient: bool = True
    language: str | None = None    # "id" | "en" | None for both


def _as_date(value: Any, *, end: bool, where: str) -> dt.date | None:
    """YAML dates: a date, a year (int) or 'YYYY-MM'; a partial end date means its last day."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value)
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if not m:
        raise ConfigError(f"{where}: not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = int(m[1]), m[2], m[3]
    if day:
        return dt.date(year, int(month), int(day))
    if month:
        month_n = int(month)
        return dt.date(year, month_n, calendar.monthrange(year, month_n)[1] if end else 1)
    return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)


def _strings(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{where}: expected a list of non-empty strings, got {value!r}")
    return [v.strip() for v in value]


def _code(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _CODE.match(value):
        raise ConfigError(f"{where}: not an actor code: {value!r}")
    return value


def _merge_list(old: list, new: list) -> list:
    return old + [x for x in new if x not in old]


class KnowledgeBase:
    """States, organisations, bodies, roles, officials and places, loaded from YAML."""

    def __init__(self) -> None:
        self.states: dict[str, State] = {}
        self.organisations: dict[str, Organisation] = {}
        self.bodies: list[Body] = []
        self.generic: dict[str, list[str]] = {"id": [], "en": []}
        self.generic_sectors: dict[str, str] = {}     # English generic noun -> its sector
        self.generic_sources: dict[str, str] = {}     # generic noun -> the file that gave it
        self.roles: dict[str, Role] = {}
        self.officials: dict[str, Official] = {}
        self.places: list[str] = []
        self.sectors: dict[str, dict[str, list[str]]] = {}   # sector -> language -> head words
        self._alias: dict[str, Official] = {}

    # ---- loading -------------------------------------------------------------------
    @classmethod
    def load(cls, extra_paths: Sequence[Path] = ()) -> "KnowledgeBase":
        """The packaged files, then `extra_paths` over them; read from the disk cache
        (aliansi.cache) when the same files were read before."""
        from aliansi import cache

        folder = resources.files("aliansi") / "data" / "kb"
        extra = [Path(p) for p in extra_paths]
        for path in extra:
            if not path.is_file():
                raise ConfigError(f"{path}: knowledge-base file not found")
        inputs = [Path(__file__), cache.version("pyyaml"), *(folder / n for n in DEFAULT_FILES),
                  *(item for p in extra for item in (str(p), p))]
        kb = cache.cached("kb", inputs, lambda: cls._load(folder, extra))
        log.info("knowledge base: %d states, %d organisations, %d officials",
                 len(kb.states), len(kb.organisations), len(kb.officials))
        return kb

    @classmethod
    def _load(cls, folder: Any, extra: Sequence[Path]) -> "KnowledgeBase":
        kb = cls()
        for name in DEFAULT_FILES:
            kb._read(folder / name, name)
        for path in extra:
            kb._read(path, str(path))
        kb._check()
        return kb

    def _read(self, path: Any, label: str) -> None:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        except yaml.YAMLError as exc:
            raise ConfigError(f"{label}: not valid YAML: {exc}") from exc
        if data is None:
            return
        source = Path(label).name
        if not isinstance(data, dict) or not set(data) <= set(SECTIONS):
            unknown = sorted(set(data) - set(SECTIONS)) if isinstance(data, dict) else data
            raise ConfigError(f"{label}: top level must be a mapping of {', '.join(SECTIONS)}; "
                              f"unknown: {unknown!r}")
        for section in SECTIONS:
            entries = data.get(section)
            if entries is None:
                continue
            if section == "generic":
                self._read_generic(entries, label, source)
                continue
            if section == "sectors":
                self._read_sectors(entries, label)
                continue
            if not isinstance(entries, list):
                raise ConfigError(f"{label}: '{section}' must be a list")
            for i, entry in enumerate(entries):
                where = f"{label}: {section}[{i}]"
                if section == "places":
                    self.places = _merge_list(self.places, _strings(entry, where))
                    continue
                if not isinstance(entry, dict):
                    raise ConfigError(f"{where}: expected a mapping, got {entry!r}")
                getattr(self, f"_read_{section}")(entry, where, source)

    def _read_states(self, e: dict, where: str, source: str) -> None:
        code = _code(e.get("code"), where)
        where = f"{where} ({code})"
        state = self.states.get(code)
        if state is None:
            if not isinstance(e.get("name"), str):
                raise ConfigError(f"{where}: a new state needs a name")
            state = self.states[code] = State(code=code, name=e["name"])
        elif isinstance(e.get("name"), str):
            state.name = e["name"]
        state.names = _merge_list(state.names, _strings(e.get("names"), f"{where}.names"))
        state.adjectives = _merge_list(state.adjectives, _strings(e.get("adjectives"), f"{where}.adjectives"))
        state.seats = _merge_list(state.seats, _strings(e.get("seats"), f"{where}.seats"))
        if "territory_of" in e:
            state.territory_of = e["territory_of"]
        state.sources = _merge_list(state.sources, [source])

    def _read_organisations(self, e: dict, where: str, source: str) -> None:
        code = _code(e.get("code"), where)
        where = f"{where} ({code})"
        org = self.organisations.get(code)
        if org is None:
            if not isinstance(e.get("name"), str):
                raise ConfigError(f"{where}: a new organisation needs a name")
            org = self.organisations[code] = Organisation(code=code, name=e["name"])
        org.names = _merge_list(org.names, _strings(e.get("names"), f"{where}.names"))
        org.sources = _merge_list(org.sources, [source])
        for j, m in enumerate(e.get("members") or []):
            mw = f"{where}.members[{j}]"
            if not isinstance(m, dict):
                raise ConfigError(f"{mw}: expected a mapping, got {m!r}")
            org.members.append(Membership(code=_code(m.get("code"), mw),
                                          since=_as_date(m.get("since"), end=False, where=mw),
                                          until=_as_date(m.get("until"), end=True, where=mw)))

    def _read_bodies(self, e: dict, where: str, source: str) -> None:
        kind = e.get("kind", "state")
        if kind not in ("state", "group"):
            raise ConfigError(f"{where}: kind must be 'state' or 'group', got {kind!r}")
        names = _strings(e.get("names"), f"{where}.names")
        if not names:
            raise ConfigError(f"{where}: a body needs names")
        sector = e.get("sector")
        if sector is not None and sector not in SECTORS:
            raise ConfigError(f"{where}: unknown sector {sector!r}; known: {', '.join(SECTORS)}")
        self.bodies.append(Body(actor=_code(e.get("actor"), where), names=names, kind=kind,
                                salient=bool(e.get("salient", True)), sources=[source],
                                sector=sector))

    def _read_sectors(self, e: Any, label: str) -> None:
        if not isinstance(e, dict):
            raise ConfigError(f"{label}: 'sectors' must map sectors to {{id: [...], en: [...]}}")
        for sector, words in e.items():
            where = f"{label}: sectors.{sector}"
            if sector not in SECTORS:
                raise ConfigError(f"{where}: unknown sector; known: {', '.join(SECTORS)}")
            if not isinstance(words, dict) or not set(words) <= {"id", "en"}:
                raise ConfigError(f"{where}: must map 'id' and/or 'en' to lists")
            merged = self.sectors.setdefault(sector, {"id": [], "en": []})
            for lang, forms in words.items():
                merged[lang] = _merge_list(merged[lang], _strings(forms, f"{where}.{lang}"))

    def _read_generic(self, e: Any, label: str, source: str) -> None:
        if not isinstance(e, dict) or not set(e) <= {"id", "en", "en_sectors"}:
            raise ConfigError(f"{label}: 'generic' must map 'id', 'en' and/or 'en_sectors' to lists")
        sectors = e.get("en_sectors") or {}
        if not isinstance(sectors, dict):
            raise ConfigError(f"{label}: 'generic.en_sectors' must map sectors to lists")
        pairs = [(lang, e[lang], None) for lang in ("id", "en") if lang in e]
        pairs += [("en", forms, sector) for sector, forms in sectors.items()]
        for lang, forms, sector in pairs:
            forms = _strings(forms, f"{label}: generic.{'en_sectors.' + str(sector) if sector else lang}")
            self.generic[lang] = _merge_list(self.generic[lang], forms)
            for form in forms:
                self.generic_sources.setdefault(form, source)
                if sector is not None:
                    self.generic_sectors.setdefault(form, str(sector))

    def _read_roles(self, e: dict, where: str, source: str) -> None:
        if not isinstance(e.get("role"), str):
            raise ConfigError(f"{where}: a role needs 'role'")
        role = self.roles.setdefault(e["role"], Role(role=e["role"]))
        role.id = _merge_list(role.id, _strings(e.get("id"), f"{where}.id"))
        role.en = _merge_list(role.en, _strings(e.get("en"), f"{where}.en"))
        role.rank = bool(e.get("rank", role.rank))
        role.single = bool(e.get("single", role.single))
        role.sources = _merge_list(role.sources, [source])

    def _read_officials(self, e: dict, where: str, source: str) -> None:
        name = e.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{where}: an official needs a name")
        where = f"{where} ({name})"
        actor = _code(e.get("actor"), where)
        official = self.officials.get(name)
        if official is None:
            official = self.officials[name] = Official(name=name, actor=actor)
        official.actor = actor
        official.sources = _merge_list(official.sources, [source])
        official.aliases = _merge_list(official.aliases, _strings(e.get("aliases"), f"{where}.aliases"))
        terms = e.get("terms") or []
        if not isinstance(terms, list):
            raise ConfigError(f"{where}: terms must be a list")
        for j, t in enumerate(terms):
            tw = f"{where}.terms[{j}]"
            if not isinstance(t, dict) or not isinstance(t.get("role"), str):
                raise ConfigError(f"{tw}: a term needs a role")
            unknown = set(t) - {"role", "title", "cameo", "start", "end"}
            if unknown:
                raise ConfigError(f"{tw}: unknown keys {sorted(map(str, unknown))} (quote titles that hold a comma)")
            term = Term(role=t["role"], title=t.get("title"), cameo=t.get("cameo"),
                        start=_as_date(t.get("start"), end=False, where=tw),
                        end=_as_date(t.get("end"), end=True, where=tw))
            if term.start and term.end and term.end < term.start:
                raise ConfigError(f"{tw}: ends before it starts")
            official.terms.append(term)

    def _check(self) -> None:
        """Cross-file checks: every code a body, member or official uses is known."""
        known = set(self.states) | set(self.organisations)
        for org in self.organisations.values():
            for m in org.members:
                if m.code not in known:
                    raise ConfigError(f"organisation {org.code}: unknown member code {m.code}")
        for body in self.bodies:
            if body.actor not in known:
                raise ConfigError(f"body {body.names[0]!r}: unknown actor code {body.actor}")
        for official in self.officials.values():
            if official.actor not in known:
                raise ConfigError(f"official {official.name!r}: unknown actor code {official.actor}")
            for term in official.terms:
                if term.role not in self.roles:
                    raise ConfigError(f"official {official.name!r}: role {term.role!r} is not in roles")
        self._alias = {}
        for official in self.officials.values():
            for form in [official.name, *official.aliases]:
                self._alias.setdefault(form.casefold(), official)

    # ---- queries -------------------------------------------------------------------
    def kind(self, code: str) -> str:
        if code in self.states:
            return "state"
        if code in self.organisations:
            return "org"
        raise KeyError(code)

    def name(self, code: str) -> str:
        if code in self.states:
            return self.states[code].name
        if code in self.organisations:
            return self.organisations[code].name
        raise KeyError(code)

    def members(self, org_code: str, on: dt.date | None = None) -> set[str]:
        """Members of an organisation on a day (all members ever when `on` is None)."""
        org = self.organisations[org_code]
        return {m.code for m in org.members
                if on is None or ((m.since is None or m.since <= on) and (m.until is None or on <= m.until))}

    def official(self, name: str) -> Official | None:
        """An official by full name or alias, case-insensitive."""
        return self._alias.get(name.strip().casefold())

    def holder(self, actor: str, role: str, on: dt.date) -> Official | None:
        """Who held `role` for `actor` on a day; None when unknown or ambiguous."""
        found = [o for o in self.officials.values()
                 if o.actor == actor and o.term_on(on, role) is not None]
        return found[0] if len(found) == 1 else None

    def surface_forms(self) -> Iterator[SurfaceForm]:
        """Every string the gazetteer should find, with what it names."""
        for s in self.states.values():
            if s.territory_of is not None:
                for n in s.names:
                    yield SurfaceForm(n, "territory", s.territory_of, s.name, salient=False)
                continue
            for n in s.names:
                lang = "id" if n == "AS" else ("en" if n in ("US", "the States") else None)
                yield SurfaceForm(n, "state", s.code, s.name, language=lang)
            for n in s.adjectives:
                yield SurfaceForm(n, "adjective", s.code, s.name, language="en")
            for n in s.seats:
                yield SurfaceForm(n, "seat", s.code, s.name)
        for o in self.organisations.values():
            for n in o.names:
                yield SurfaceForm(n, "org", o.code, o.name)
        for b in self.bodies:
            label = b.names[0] if b.kind == "group" else self.name(b.actor)
            for n in b.names:
                yield SurfaceForm(n, "group" if b.kind == "group" else "body", b.actor, label,
                                  salient=b.salient)
        for lang, forms in self.generic.items():
            for n in forms:
                yield SurfaceForm(n, "generic", None, n, language=lang)
        for r in self.roles.values():
            for lang in ("id", "en"):
                for n in getattr(r, lang):
                    yield SurfaceForm(n, "role", None, r.role, language=lang)
        for o in self.officials.values():
            for n in [o.name, *o.aliases]:
                yield SurfaceForm(n, "official", o.actor, o.name)
        for n in self.places:
            yield SurfaceForm(n, "place", None, n, salient=False)
