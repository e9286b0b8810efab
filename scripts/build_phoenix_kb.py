#!/usr/bin/env python3
"""Build the phoenix_*.yaml knowledge-base files from the PETRARCH2 Phoenix dictionaries.

    .venv/bin/python scripts/build_phoenix_kb.py [--source DIR] [--out DIR] [--allow-bad N]

(the dictionaries at commit 676801cd have 62 unreadable lines: `--allow-bad 62`)

Reads, from ../shared/data/petrarch2 (openeventdata/petrarch2, MIT):

  Phoenix.Countries.actors.txt      dated office holders from 1945 on: persons with a dated
                                    government, military, judicial, legislative, police or
                                    intelligence code (USAGOV, RUSMIL ...) -> phoenix_officials.yaml
  Phoenix.International.actors.txt  international organisations whose Phoenix code maps to a code
                                    of shared/spec/EVENTS.md §3 (IGOWSTNAT -> NATO), or else keeps
                                    its Phoenix code when kb.py accepts it, and their officials
                                    -> phoenix_organisations.yaml
  Phoenix.MilNonState.actors.txt    armed non-state groups, coded by the state they are based in
                                    -> phoenix_groups.yaml (bodies, kind: group)
  Phoenix.agents.txt                generic agents (English nouns) with their CAMEO sector
                                    -> phoenix_agents.yaml (generic.en and generic.en_sectors)

Output is deterministic: same inputs, same bytes. Nothing is dropped silently:
  - a line the script cannot parse is printed as `FILE:LINE: what is wrong` and counted;
    the run fails (exit 1, nothing written) when there are more than --allow-bad such lines;
  - an entry left out on purpose (not a person, no state, a category code ...) is counted
    by reason in the summary;
  - a conflict with the hand-written knowledge base (the packaged files that are not
    phoenix_*.yaml) is printed as `conflict: ...` and counted; the hand entry wins and the
    line says whether the Phoenix entry was left out or kept without the conflicting form.
Everything is printed to stdout; no report file is written.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
KB_DIR = ROOT / "src" / "aliansi" / "data" / "kb"
SOURCE = ROOT.parent / "shared" / "data" / "petrarch2"
UPSTREAM = "openeventdata/petrarch2"
UPSTREAM_PATH = "petrarch2/data/dictionaries/"

COUNTRIES = "Phoenix.Countries.actors.txt"
INTERNATIONAL = "Phoenix.International.actors.txt"
GROUPS = "Phoenix.MilNonState.actors.txt"
AGENTS = "Phoenix.agents.txt"
OUTPUTS = {COUNTRIES: "phoenix_officials.yaml", INTERNATIONAL: "phoenix_organisations.yaml",
           GROUPS: "phoenix_groups.yaml", AGENTS: "phoenix_agents.yaml"}

EARLIEST = dt.date(1945, 1, 1)        # office terms that end before this are left out
AS_OF = dt.date(2014, 12, 31)         # the dictionaries' vintage: an open term counts to here
                                      # when choosing a person's actor (never written out)
KB_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,11}$")      # aliansi.kb._CODE

# CAMEO country codes that are not ISO 3166-1 alpha-3, mapped as the hand knowledge base
# does (officials_historical.yaml: Soviet offices RUS, Yugoslav SRB, Czechoslovak CZE).
CAMEO_STATES = {
    "USR": "RUS", "SUN": "RUS", "YUG": "SRB", "FRY": "SRB", "SCG": "SRB", "CSK": "CZE",
    "DDR": "DEU", "KSV": "XKX", "TMP": "TLS", "ROM": "ROU", "ZAR": "COD", "ANG": "AGO",
    "SRP": "BIH",
}
# CAMEO role (sector) codes of state offices and the generic role each becomes.
OFFICE_ROLES = {"GOV": "Government official", "MIL": "Military officer", "JUD": "Judicial official",
                "LEG": "Legislator", "COP": "Police official", "SPY": "Intelligence official"}
IGO_ROLE = "International official"
# CAMEO sector codes (the three letters after a country) and their English sector names.
SECTORS = {
    "GOV": "government", "MIL": "military", "COP": "police", "JUD": "judiciary",
    "LEG": "legislature", "SPY": "intelligence", "REB": "rebels", "INS": "insurgents",
    "SEP": "separatists", "UAF": "armed groups", "OPP": "opposition", "PTY": "party",
    "BUS": "business", "MNC": "business", "MED": "media", "EDU": "education", "HLH": "health",
    "AGR": "agriculture", "LAB": "labour", "CVL": "civilians", "PPL": "civilians",
    "CRM": "criminals", "REF": "refugees", "ELI": "elites", "RAD": "radicals", "HRI": "human rights",
    "ENV": "environment", "DEV": "development", "NGO": "ngo", "NGM": "ngo", "IGO": "igo",
    "IMG": "armed groups", "REL": "religion", "MUS": "religion", "CHR": "religion",
    "JEW": "religion", "BUD": "religion", "HIN": "religion", "CTH": "religion", "PRO": "religion",
    "SHI": "religion", "SUN": "religion", "SFI": "religion", "ATH": "religion", "JAN": "religion",
    "OCC": "occupation", "UNR": "unrecognised", "MOD": "moderates", "SET": "settlers",
}
# CAMEO region codes: an IGO code made only of these and sectors names a kind of
# organisation ("IGOAFR", an African IGO), not one organisation.
REGIONS = {
    "AFR", "ASA", "BLK", "BLN", "CAF", "CAM", "CAS", "CAU", "CFR", "CRB", "EAF", "EEU", "EIN",
    "EUR", "LAM", "MEA", "MDT", "NAF", "NAM", "NMR", "PGS", "SAF", "SAM", "SAS", "SCN", "SEA",
    "WAF", "WEU", "WST", "ARB", "INT", "UNO",
}
# Phoenix IGO codes (longest prefix wins) -> codes of shared/spec/EVENTS.md §3.
IGO_CODES = {
    "IGOUNO": "UN", "IGOUNOIAE": "IAEA", "IGOUNOHLHWHO": "WHO", "IGOUNODEVWBK": "WB",
    "IGOUNOWBK": "WB", "IGOUNOJUDICJ": "ICJ", "IGOWSTNAT": "NATO", "IGOEUREEC": "EU",
    "IGOEURSCE": "OSCE", "IGOSEAASN": "ASEAN", "IGOAFRAFU": "AU", "IGOAFROAU": "AU",
    "IGOBUSOPC": "OPEC", "IGOOPC": "OPEC", "IGOBUSIMF": "IMF", "IGOBUSWTO": "WTO",
    "IGOJUDICC": "ICC", "IGOMEAARL": "ARAB_LEAGUE", "IGOMOSOIC": "OIC", "IGOWAFWAS": "ECOWAS",
    "IGOWAFBUSWAS": "ECOWAS", "IGOCOPITP": "INTERPOL", "IGOGOS": "G7", "IGOMEAGCC": "GCC",
    "IGOASAAPC": "APEC",
}
# Words that make a phrase a body or a title, not a person's name.
NOT_NAME_WORDS = {
    "THE", "OF", "FOR", "AND", "ON", "IN", "TO", "UN", "U.N.", "UNITED", "NATIONS", "COUNCIL",
    "COMMISSION", "COMMITTEE", "AGENCY", "ORGANIZATION", "ORGANISATION", "FUND", "BANK", "PROGRAM",
    "PROGRAMME", "OFFICE", "SECRETARIAT", "ASSEMBLY", "PARLIAMENT", "COURT", "TRIBUNAL", "MISSION",
    "FORCE", "FORCES", "ARMY", "PARTY", "MINISTRY", "MINISTERS", "GOVERNMENT", "CONGRESS", "SENATE",
    "INSTITUTE", "CENTER", "CENTRE", "UNION", "ASSOCIATION", "FEDERATION", "LEAGUE", "COMMUNITY",
    "CORPS", "POLICE", "BOARD", "PANEL", "CONFERENCE", "FORUM", "INITIATIVE", "PROJECT",
    "DEPARTMENT", "DIVISION", "AUTHORITY", "SERVICE", "SERVICES", "GROUP", "BODIES", "COUNTRIES",
    "STATES", "CONTINGENT", "PEACEKEEPER", "PEACEKEEPERS", "MONITOR", "MONITORS", "ENVOY",
    "RESIDENT", "REPRESENTATIVE", "RAPPORTEUR", "SPOKESMAN", "OFFICIAL", "OFFICIALS", "STAFF",
    "DATABASE", "NETWORK", "TREATY", "ALLIANCE", "FRONT", "MOVEMENT", "REPUBLIC", "KINGDOM",
    "NATIONAL", "INTERNATIONAL", "SOVIET", "SUPREME", "HIGH", "PEOPLE'S", "CABINET", "JUNTA",
    "MILITARY", "NAVY", "GUARD", "REGIME", "ADMINISTRATION", "EMBASSY", "DELEGATION", "SECURITY",
    "INC", "CORP", "CORPORATION", "COMPANY", "LTD", "FOUNDATION", "TRUST", "SOCIETY", "CHURCH",
}
# Honorifics and ranks that may open a person's phrase besides the roles of roles.yaml.
TITLE_WORDS = {
    "acting", "former", "deputy", "vice", "foreign", "defense", "defence", "interior", "finance",
    "secretary-general", "secretary", "general", "gen.", "gen", "col.", "colonel", "lt.",
    "lieutenant", "maj.", "major", "capt.", "captain", "adm.", "admiral", "marshal", "field",
    "brig.", "brigadier", "mr.", "mrs.", "ms.", "dr.", "sir", "lord", "baron", "president",
    "pres.", "prime", "minister", "premier", "chancellor", "king", "queen", "prince", "emir",
    "sultan", "ambassador", "envoy", "chairman", "chief", "commander", "senator", "sen.",
    "governor", "mayor", "un", "u.n.", "united", "nations", "nato", "eu", "world", "bank",
    "director", "executive", "high", "commissioner", "special", "representative", "of", "the",
}
# Lower-case particles inside a name ("Javier Perez de Cuellar", "Army of God").
PARTICLES = {"of", "the", "and", "for", "in", "on", "at", "to", "a", "an", "de", "del", "della",
             "da", "das", "do", "dos", "du", "la", "le", "les", "van", "von", "der", "den", "y",
             "bin", "ibn", "bint", "al", "el", "ul", "ud", "wal"}
_VOWELS = set("AEIOUY")
_ROMAN = re.compile(r"^(?:II|III|IV|VI|VII|VIII|IX|XI|XII)$")


# ---- reading the dictionaries ----------------------------------------------------------
@dataclass
class Code:
    code: str
    start: dt.date | None = None
    end: dt.date | None = None
    dated: bool = False
    line: int = 0


@dataclass
class Entry:
    phrase: str
    line: int
    synonyms: list[tuple[str, int]] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    null: bool = False          # carries the null code [---]


@dataclass
class Report:
    bad: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)

    def bad_line(self, where: str, what: str) -> None:
        self.bad.append(f"{where}: {what}")

    def conflict(self, what: str) -> None:
        self.conflicts.append(f"conflict: {what}")


def _mis_encoded(text: str) -> bool:
    """UTF-8 read as Windows-1252 once ('PÃŠBLICAS')."""
    if text.isascii():
        return False
    try:
        return text.encode("cp1252").decode("utf-8") != text
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False


def _date(text: str) -> dt.date:
    """A PETRARCH date: YYMMDD (00-30 is 20YY, else 19YY) or YYYYMMDD."""
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        return dt.date(year, int(text[2:4]), int(text[4:6]))
    if len(text) == 8:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    raise ValueError(f"date {text!r} has {len(text)} digits (YYMMDD or YYYYMMDD)")


_BRACKET = re.compile(r"\[([^\[\]]*)\]")
_CODE_TOKEN = re.compile(r"^[A-Z][A-Z0-9]*$")


def parse_codes(text: str, where: str, report: Report) -> tuple[list[Code], bool] | None:
    """The bracketed codes of a line ('[USAGOV 981022-010811] [IGOUNO >070201]');
    None (and a bad line) when anything in it cannot be read."""
    leftover = _BRACKET.sub(" ", text).strip()
    if leftover:
        report.bad_line(where, f"text outside the [code] brackets: {leftover!r}")
        return None
    codes, null = [], False
    for m in _BRACKET.finditer(text):
        parts = m.group(1).split(None, 1)
        if not parts:
            report.bad_line(where, "empty brackets []")
            return None
        code = parts[0]
        if code == "---":
            null = True
            continue
        if not _CODE_TOKEN.match(code):
            report.bad_line(where, f"not a CAMEO code: {code!r}")
            return None
        c = Code(code)
        if len(parts) > 1:
            spec = parts[1].strip()
            try:
                if rng := re.fullmatch(r"(\d+)-(\d+)", spec):
                    c.start, c.end = _date(rng[1]), _date(rng[2])
                elif lim := re.fullmatch(r"([<>])\s*(\d+)", spec):
                    day = _date(lim[2])
                    c.start, c.end = (day, None) if lim[1] == ">" else (None, day)
                else:
                    raise ValueError(f"date restriction {spec!r} is not A-B, >A or <A")
            except ValueError as exc:
                report.bad_line(where, f"[{m.group(1)}]: {exc}")
                return None
            if c.start and c.end and c.end < c.start:
                report.bad_line(where, f"[{m.group(1)}]: ends before it starts")
                return None
            c.dated = True
        codes.append(c)
    return codes, null


def _check_phrase(phrase: str, where: str, report: Report) -> str | None:
    phrase = phrase.strip()
    if not phrase:
        report.bad_line(where, "no phrase before the code")
    elif re.search(r"[_\s]\+|\+_", phrase):
        report.bad_line(where, f"'+' inside a phrase (two synonyms on one line?): {phrase!r}")
    elif any(ch in phrase for ch in "[]{}~"):
        report.bad_line(where, f"unexpected bracket or marker in an actor phrase: {phrase!r}")
    elif _mis_encoded(phrase):
        report.bad_line(where, f"mis-encoded text (UTF-8 read as Windows-1252): {phrase!r}")
    else:
        return phrase
    return None


def _lines(path: Path, report: Report):
    """(line number, text) of the lines PETRARCH reads: no comments, no blank lines."""
    in_comment = False
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw
        if in_comment:
            if "-->" in line:
                in_comment = False
            continue
        if line.lstrip().startswith("<!"):
            in_comment = "-->" not in line
            continue
        if line.lstrip().startswith("#"):
            continue
        line = line.split("#", 1)[0].strip()        # PETRARCH drops all after '#'
        if line:
            yield n, line


def read_actors(path: Path, report: Report, label: str | None = None) -> list[Entry]:
    """The entries of a PETRARCH actor dictionary: a phrase, its `+` synonyms and its
    `[CODE date]` codes (on the phrase's line or on lines of their own)."""
    label = label or path.name
    entries: list[Entry] = []
    current: Entry | None = None

    def close() -> None:
        if current is not None:
            if current.codes or current.null:
                entries.append(current)
            else:
                report.bad_line(f"{label}:{current.line}", f"entry {current.phrase!r} has no [code] "
                                                           f"(a synonym without its '+'?)")

    for n, line in _lines(path, report):
        where = f"{label}:{n}"
        if line.startswith("["):
            if current is None:
                report.bad_line(where, "a [code] line before any entry")
                continue
            parsed = parse_codes(line, where, report)
            if parsed:
                for c in parsed[0]:
                    c.line = n
                current.codes += parsed[0]
                current.null |= parsed[1]
            continue
        text, codes_text = (line[:line.index("[")], line[line.index("["):]) if "[" in line else (line, "")
        if line.startswith("+"):
            if current is None:
                report.bad_line(where, "a +synonym before any entry")
                continue
            phrase = _check_phrase(text[1:], where, report)
            if phrase is not None:
                current.synonyms.append((phrase, n))
            if codes_text:
                parsed = parse_codes(codes_text, where, report)
                if parsed:
                    for c in parsed[0]:
                        c.line = n
                    current.codes += parsed[0]
                    current.null |= parsed[1]
            continue
        close()
        current = None
        phrase = _check_phrase(text, where, report)
        if phrase is None:
            continue
        current = Entry(phrase, n)
        if codes_text:
            parsed = parse_codes(codes_text, where, report)
            if parsed:
                for c in parsed[0]:
                    c.line = n
                current.codes += parsed[0]
                current.null |= parsed[1]
    close()
    return entries


@dataclass
class Agent:
    forms: list[str]
    code: str
    line: int


_IRREGULAR = {"MAN": "MEN", "WOMAN": "WOMEN", "CHILD": "CHILDREN", "PERSON": "PEOPLE"}
_NO_PLURAL = {"PEOPLE", "POLICE", "PERSONNEL", "STAFF", "CLERGY", "MILITARY", "PUBLIC", "YOUTH", "FOLK"}


def _plural(phrase: str) -> str | None:
    """The plural of the last word ('TROOP' -> 'TROOPS', 'MILITIA' -> 'MILITIAS',
    'CHAIRMAN' -> 'CHAIRMEN'); None when the phrase is plural already ('ARMED_MEN',
    'MILITANTS') or has none ('POLICE')."""
    last = re.split(r"[_ ]", phrase)[-1]
    head = phrase[:len(phrase) - len(last)]
    if last in _NO_PLURAL or last.endswith("MEN") or last in _IRREGULAR.values():
        return None
    for one, many in _IRREGULAR.items():
        if last.endswith(one):
            return head + last[:-len(one)] + many
    if last.endswith("S") and not last.endswith(("SS", "US", "IS")):
        return None
    if last.endswith("Y") and len(last) > 1 and last[-2] not in "AEIOU":
        return head + last[:-1] + "IES"
    if last.endswith(("S", "X", "Z", "CH", "SH")):
        return head + last + "ES"
    return head + last + "S"


def read_agents(path: Path, report: Report, label: str | None = None) -> list[Agent]:
    """The agents of a PETRARCH agent dictionary: `PHRASE {PLURAL} [~CODE]` with
    `!MARKER! = A, B` substitution sets. Plurals are formed as PETRARCH does (`{}`: none)
    but by English rules: no 'MILITANTSES' for a plural phrase, 'CHAIRMEN' not 'CHAIRMANS'."""
    label = label or path.name
    markers: dict[str, list[str]] = {}
    agents: list[Agent] = []
    for n, line in _lines(path, report):
        where = f"{label}:{n}"
        if "!" in line and "=" in line and "[" not in line:
            m = re.fullmatch(r"!([A-Z]+)!\s*=\s*(.+)", line)
            if not m:
                report.bad_line(where, f"substitution marker not of the form !NAME! = A, B: {line!r}")
                continue
            markers[m[1]] = [w.strip() for w in m[2].split(",") if w.strip()]
            continue
        m = re.fullmatch(r"([^\[\]{}]+?)\s*(?:\{([^{}\[\]]*)\})?\s*\[(~?[A-Z]+~?)\]", line)
        if not m:
            if "[" not in line:
                what = "no [code]"
            elif "]" not in line:
                what = "unclosed [code"
            elif line.count("{") != line.count("}"):
                what = "unbalanced {plural}"
            else:
                what = "not PHRASE {PLURAL} [CODE]"
            report.bad_line(where, f"{what}: {line!r}")
            continue
        phrase, plural, code = m[1].strip(), m[2], m[3]
        if code.count("~") != 1:
            report.bad_line(where, f"agent code needs one '~' (before or after): {code!r}")
            continue
        if _mis_encoded(phrase):
            report.bad_line(where, f"mis-encoded text (UTF-8 read as Windows-1252): {phrase!r}")
            continue
        singulars = [phrase]
        if mk := re.search(r"!([A-Z]+)!", phrase):
            if mk[1] not in markers:
                report.bad_line(where, f"substitution marker !{mk[1]}! is not defined")
                continue
            singulars = [phrase[:mk.start()] + s + phrase[mk.end():] for s in markers[mk[1]]]
            plural = ""                  # the set holds every form
        forms = []
        for s in singulars:
            forms.append(s)
            if plural is None:
                if (p := _plural(s)) is not None:
                    forms.append(p)
            elif plural.strip():
                forms.append(plural.strip())
        agents.append(Agent([_agent_form(f) for f in forms], code.strip("~"), n))
    return agents


def _agent_form(phrase: str) -> str:
    words = phrase.replace("_", " ").split()
    return " ".join(words).lower()


# ---- names ------------------------------------------------------------------------------
ACRONYMS: set[str] = set()     # upper-case words of the hand KB ("UN", "EU", "ASEAN"); set by build()


def _cap(word: str, first: bool, last: bool, person: bool) -> str:
    low = word.lower()
    if not first and not last and low in PARTICLES:
        return low
    if _ROMAN.match(word) or (not person and word.isalpha() and (
            word in ACRONYMS or (len(word) > 1 and not set(word) & _VOWELS))):
        return word                         # "III", "PKK", "UN"
    parts = re.split(r"([-'’./])", low)
    out = []
    for i, part in enumerate(parts):
        if not part or part in "-'’./":
            out.append(part)
            continue
        prev = parts[i - 1] if i else ""
        if prev in ("'", "’") and not (i >= 2 and len(parts[i - 2]) == 1):
            out.append(part)                # "people's", but "O'Neill", "D'Alema"
            continue
        if i == 2 and prev == "-" and parts[0] in ("al", "el") and not first:
            out.append(part.capitalize())   # "al-Assad"
            continue
        if part.startswith("mc") and len(part) > 3:
            out.append("Mc" + part[2:].capitalize())
            continue
        out.append(part.capitalize())
    text = "".join(out)
    if not first and re.match(r"^(?:al|el)-", low):
        text = low[:3] + text[3:]
    return text


def render(phrase: str, *, person: bool) -> str:
    """'HAMID_KARZAI_' -> 'Hamid Karzai', 'ARMY_OF_GOD_' -> 'Army of God'."""
    words = phrase.replace("_", " ").split()
    if not person and len(words) == 1 and len(words[0]) <= 5 and words[0].isalpha():
        return words[0]                     # "UNITA", "FARC": an acronym
    if not person and len(words) > 1 and words[0].upper() == "THE":
        words = words[1:]                   # "THE_EUROPEAN_UNION": the article is not the name
    return " ".join(_cap(w, i == 0, i == len(words) - 1, person) for i, w in enumerate(words))


def holds_role(name: str, hand: "HandIndex") -> bool:
    """A name with a role phrase in it ('UN Secretary General') would hide the role from
    the role reader ('UN Secretary General Antonio Guterres')."""
    words = name.casefold().split()
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + 4) + 1):
            phrase = " ".join(words[i:j])
            if phrase in hand.roles or (phrase.endswith("s") and phrase[:-1] in hand.roles):
                return True     # "opposition leaders", "presidents"
    return False


def _words(phrase: str) -> list[str]:
    return phrase.replace("_", " ").split()


# ---- the hand knowledge base ------------------------------------------------------------
def fold(text: str) -> str:
    """A form for comparing names: no accents, no case, hyphens and dots as spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[-.’']", " ", text).casefold().split())


def same_name(a: list[str], b: list[str]) -> bool:
    """Folded names of one person: equal, or the same first name (or its initial) and
    surname with middle names only in one ('Kofi Atta Annan', 'K. Annan', 'Kofi Annan')."""
    if a == b:
        return True
    if len(a) < 2 or len(b) < 2 or a[-1] != b[-1]:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if not (short[0] == long_[0] or (len(short[0]) == 1 and long_[0].startswith(short[0]))):
        return False
    it = iter(long_[1:-1])
    return all(w in it for w in short[1:-1])


@dataclass
class HandIndex:
    officials: dict[str, tuple[str, str]]            # folded form -> (official, actor)
    people: dict[str, list[tuple[list[str], str, str]]]   # surname -> [(folded words, official, actor)]
    named: dict[str, set[tuple[str, str]]]           # casefolded form -> {(category, actor)}
    roles: set[str]                                  # casefolded role phrases
    generic: set[str]                                # casefolded generic nouns
    org_codes: set[str]
    states: dict[str, str | None]                    # code -> territory_of
    acronyms: set[str]                               # upper-case words of its names ("UN", "ASEAN")


def hand_index(kb) -> HandIndex:
    officials: dict[str, tuple[str, str]] = {}
    people: dict[str, list[tuple[list[str], str, str]]] = defaultdict(list)
    for o in kb.officials.values():
        for form in [o.name, *o.aliases]:
            officials.setdefault(fold(form), (o.name, o.actor))
            words = fold(form).split()
            if len(words) > 1:
                people[words[-1]].append((words, o.name, o.actor))
    named: dict[str, set[tuple[str, str]]] = defaultdict(set)
    roles, generic, acronyms = set(), set(), set()
    for f in kb.surface_forms():
        key = f.text.casefold()
        if f.category in ("state", "org", "body", "group"):
            acronyms.update(w for w in f.text.split() if len(w) > 1 and w.isalpha() and w.isupper())
        if f.category == "role":
            roles.add(key)
        elif f.category == "generic":
            generic.add(key)
        elif f.category in ("state", "adjective", "seat", "territory", "org", "body", "group"):
            named[key].add((f.category, f.actor))
        elif f.category == "place":
            named[key].add(("place", ""))
    return HandIndex(officials, dict(people), dict(named), roles, generic, set(kb.organisations),
                     {c: s.territory_of for c, s in kb.states.items()}, acronyms)


def load_hand_kb():
    """The packaged knowledge base without the phoenix_*.yaml files."""
    sys.path.insert(0, str(ROOT / "src"))
    from importlib import resources

    from aliansi.kb import DEFAULT_FILES, KnowledgeBase

    kb = KnowledgeBase()
    folder = resources.files("aliansi") / "data" / "kb"
    for name in DEFAULT_FILES:
        if not name.startswith("phoenix_"):
            kb._read(folder / name, name)
    kb._check()
    return kb


# ---- conversion -------------------------------------------------------------------------
def _state(code3: str, hand: HandIndex) -> str | None:
    code = CAMEO_STATES.get(code3, code3)
    if code not in hand.states:
        return None
    return hand.states[code] or code          # a territory stands for its state


def _chunks(code: str) -> list[str]:
    return [code[i:i + 3] for i in range(0, len(code), 3)]


def igo_code(code: str, hand: HandIndex) -> tuple[str | None, str]:
    """(aliansi organisation code or None, why) for a Phoenix IGO code."""
    best = max((p for p in IGO_CODES if code.startswith(p)), key=len, default=None)
    if best is not None:
        return IGO_CODES[best], "mapped"
    chunks = _chunks(code)[1:]
    if all(c in REGIONS or c in SECTORS for c in chunks):
        return None, "a category code (IGO + region/sector), not one organisation"
    if not KB_CODE.match(code):
        return None, "Phoenix code not accepted by kb.py's code rule"
    return code, "own Phoenix code"


def office_term(c: Code, hand: HandIndex) -> tuple[str, str] | None:
    """(actor, role) of a state or IGO office code; None for other codes."""
    chunks = _chunks(c.code)
    if chunks[0] == "IGO":
        org, _ = igo_code(c.code, hand)
        return (org, IGO_ROLE) if org else None
    actor = _state(chunks[0], hand)
    sector = next((ch for ch in chunks[1:] if ch in SECTORS), None)
    if actor is None or sector not in OFFICE_ROLES:
        return None
    return actor, OFFICE_ROLES[sector]


def looks_like_person(words: list[str], hand: HandIndex) -> bool:
    if not 2 <= len(words) <= 6:
        return False
    for w in words:
        if w.upper() in NOT_NAME_WORDS or not re.fullmatch(r"[A-Z][A-Z.'’-]*", w.upper()):
            return False
        if (w.casefold() in hand.named and len(w) > 2) or w.casefold() in hand.roles:
            return False
    return True


def strip_title(words: list[str], hand: HandIndex) -> list[str]:
    """Leading titles off a person's phrase: 'PRESIDENT_KARZAI' -> ['KARZAI']."""
    out = list(words)
    while out:
        for k in range(min(4, len(out)), 0, -1):
            head = " ".join(out[:k]).casefold()
            if head in hand.roles or (k == 1 and head in TITLE_WORDS):
                out = out[k:]
                break
        else:
            break
    return out


@dataclass
class Person:
    name: str
    actor: str
    aliases: list[str]
    terms: list[dict]
    line: str            # FILE:LINE of the entry


def convert_person(e: Entry, label: str, hand: HandIndex, report: Report, *,
                   dated_only: bool) -> Person | None:
    """A person from an entry, or None (counted). Terms come from dated office codes only;
    `dated_only`: an entry without one is no office holder (the Countries file)."""
    where = f"{label}:{e.line}"
    terms: dict[str, list[tuple[Code, str]]] = defaultdict(list)
    for c in e.codes:
        if not c.dated:
            continue
        office = office_term(c, hand)
        if office is None:
            continue
        if c.end is not None and c.end < EARLIEST:
            report.notes["terms ending before 1945 left out"] += 1
            continue
        terms[office[0]].append((c, office[1]))
    if dated_only and not terms:
        report.skipped[f"{label}: no dated office term from 1945 on (places, bodies, elites, "
                       f"opposition, pre-1945 or unmapped codes)"] += 1
        return None

    def held(items):    # days in office; an open term counts to the dictionaries' date
        return sum(((c.end or AS_OF) - (c.start or c.end or AS_OF)).days + 1 for c, _ in items)

    actor = max(sorted(terms), default=None,
                key=lambda a: (held(terms[a]), max(c.start or dt.date.min for c, _ in terms[a])))
    for other in sorted(terms):
        if other != actor:
            report.notes["terms under a second actor left out (one actor per person)"] += len(terms[other])
    forms = []
    for phrase in [e.phrase] + [s for s, _ in e.synonyms]:
        words = strip_title(_words(phrase), hand)
        if len(words) < len(_words(phrase)):
            report.notes["title-prefixed phrases shortened ('PRESIDENT_KARZAI' -> 'Karzai')"] += 1
        if words:
            forms.append(" ".join(words))
    multi = [f for f in forms if len(f.split()) > 1]
    if not multi:
        report.skipped[f"{label}: no name of two words or more (one-word bodies and names)"] += 1
        return None
    words = multi[0].split()
    if len(words) > 6 or {w.upper() for w in words} & NOT_NAME_WORDS \
            or not (terms or looks_like_person(words, hand)):
        report.skipped[f"{label}: names a body or a title, not a person"] += 1
        return None
    name = render(multi[0], person=True)
    aliases = []
    for f in forms:
        r = render(f, person=True)
        if r != name and r not in aliases:
            aliases.append(r)
    out_terms = []
    if actor is not None:
        for c, role in sorted(terms[actor], key=lambda t: (t[0].start or dt.date.min,
                                                            t[0].end or dt.date.max, t[0].code)):
            t = {"role": role, "cameo": c.code, "start": c.start, "end": c.end}
            if t not in out_terms:
                out_terms.append(t)
    return Person(name, actor, aliases, out_terms, where)


def _forms_of(p: Person) -> list[str]:
    return [p.name, *p.aliases]


def resolve_people(people: list[Person], label: str, hand: HandIndex, report: Report) -> list[Person]:
    """Merge repeats, settle clashes among Phoenix persons and against the hand KB."""
    # the same name twice: merge when one actor, leave out when two
    by_name: dict[str, list[Person]] = defaultdict(list)
    for p in people:
        by_name[p.name.casefold()].append(p)
    merged: list[Person] = []
    for key in sorted(by_name, key=lambda k: by_name[k][0].line):
        group = by_name[key]
        actors = {p.actor for p in group}
        if len(actors) > 1:
            report.skipped[f"{label}: a name given to persons of different actors (left out)"] += len(group)
            continue
        first = group[0]
        for p in group[1:]:
            first.aliases += [a for a in p.aliases if a not in first.aliases and a != first.name]
            first.terms += [t for t in p.terms if t not in first.terms]
            report.notes[f"{label}: repeated entries merged"] += 1
        first.terms.sort(key=lambda t: (t["start"] or dt.date.min, t["end"] or dt.date.max, t["cameo"]))
        merged.append(first)
    # against the hand KB
    kept: list[Person] = []
    for p in merged:
        same = None         # the same person: a full name of the hand KB, or its first name
        for form in _forms_of(p):     # (or initial) and surname ("Kofi Atta Annan", "K. Annan")
            words = fold(form).split()
            hit = next(((name, actor) for other, name, actor in hand.people.get(words[-1], [])
                        if len(words) > 1 and same_name(words, other)), None)
            if hit:
                same = hit
                break
        if same is not None:
            if same[1] != p.actor:
                report.conflict(f"{p.line}: person {p.name!r} ({p.actor}) is {same[0]!r} of the hand KB "
                                f"coded {same[1]}: Phoenix entry left out")
            else:
                report.skipped[f"{label}: person already in the hand KB (left out)"] += 1
            continue
        named = [n for n in (p.name,) if n.casefold() in hand.named]
        if named:
            report.conflict(f"{p.line}: person {p.name!r} ({p.actor}) has the name of "
                            f"{_describe(hand.named[p.name.casefold()])} in the hand KB: Phoenix entry left out")
            continue
        aliases = []
        for a in p.aliases:
            key = a.casefold()
            if fold(a) in hand.officials:
                other = hand.officials[fold(a)]
                report.conflict(f"{p.line}: alias {a!r} of {p.name!r} ({p.actor}) names {other[0]!r} "
                                f"({other[1]}) in the hand KB: Phoenix entry kept without the alias")
            elif key in hand.named:
                report.conflict(f"{p.line}: alias {a!r} of {p.name!r} ({p.actor}) names "
                                f"{_describe(hand.named[key])} in the hand KB: Phoenix entry kept without the alias")
            elif key in hand.roles or key in hand.generic:
                report.notes["aliases that are role or generic nouns left out"] += 1
            else:
                aliases.append(a)
        p.aliases = aliases
        kept.append(p)
    # a form (alias) shared by Phoenix persons of different actors names nobody for sure
    owners: dict[str, set[str]] = defaultdict(set)
    for p in kept:
        for f in _forms_of(p):
            owners[f.casefold()].add(p.name)
    for p in kept:
        shared = [a for a in p.aliases if len(owners[a.casefold()]) > 1]
        if shared:
            report.notes["aliases shared by two Phoenix persons left out"] += len(shared)
            p.aliases = [a for a in p.aliases if a not in shared]
    return kept


def _describe(hits: set[tuple[str, str]]) -> str:
    return ", ".join(f"{cat} {actor}".strip() for cat, actor in sorted(hits))


def build_officials(entries: list[Entry], label: str, hand: HandIndex, report: Report) -> list[Person]:
    people = []
    for e in entries:
        p = convert_person(e, label, hand, report, dated_only=True)
        if p is not None:
            people.append(p)
    return resolve_people(people, label, hand, report)


@dataclass
class Org:
    code: str
    name: str | None
    names: list[str]
    line: str


def build_organisations(entries: list[Entry], label: str, hand: HandIndex,
                        report: Report) -> tuple[list[Org], list[Person]]:
    orgs: dict[str, Org] = {}
    people: list[Person] = []
    for e in entries:
        where = f"{label}:{e.line}"
        igo = [c for c in e.codes if c.code.startswith("IGO")]
        if not igo:
            kind = e.codes[0].code[:3] if e.codes else "---"
            what = {"MNC": "companies (MNC)", "NGO": "non-governmental organisations (NGO)"}.get(
                kind, "other codes (media, elites, religious, null)")
            report.skipped[f"{label}: not an international organisation: {what}"] += 1
            continue
        code, why = None, ""
        for c in igo:
            code, why = igo_code(c.code, hand)
            if code:
                break
        if code is None:
            report.skipped[f"{label}: IGO entry skipped, {why}"] += 1
            continue
        words = strip_title(_words(e.phrase), hand)
        dated = any(c.dated and office_term(c, hand) for c in e.codes)
        if dated or looks_like_person(words, hand):
            p = convert_person(e, label, hand, report, dated_only=False)
            if p is not None:
                if p.actor is None:
                    p.actor = code
                people.append(p)
            continue
        org = orgs.setdefault(code, Org(code, None, [], where))
        forms = [e.phrase] + [s for s, _ in e.synonyms]
        for f in forms:
            r = render(f, person=False)
            if len(r) <= 2:
                report.notes[f"{label}: names of two letters or less left out ('WB')"] += 1
                continue
            if org.name is None:
                org.name = r
            if r not in org.names:
                org.names.append(r)
        if why == "own Phoenix code":
            report.notes[f"{label}: entries kept under their own Phoenix code"] += 1
    # names against the hand KB
    out: list[Org] = []
    for code in sorted(orgs):
        org = orgs[code]
        names = names_free_of_hand_kb(org.names, code, "organisation", "Phoenix entry", org.line,
                                      label, hand, report, role_note=" ('UN Secretary General')")
        if code in hand.org_codes:
            org.name = None                 # the hand KB names it
            if not names:
                continue
        elif not names:
            report.skipped[f"{label}: own-code organisation left without names"] += 1
            continue
        elif org.name not in names:
            org.name = names[0]
        org.names = names
        out.append(org)
    known = hand.org_codes | {o.code for o in out} | set(hand.states)
    for p in people:
        if p.actor not in known:
            report.skipped[f"{label}: official of an organisation left out (no names)"] += 1
    people = [p for p in people if p.actor in known]
    return out, resolve_people(people, label, hand, report)


def names_free_of_hand_kb(names: list[str], code: str, what: str, entry: str, where: str,
                          label: str, hand: HandIndex, report: Report, role_note: str = "") -> list[str]:
    """The names the hand KB leaves free: a name it gives to another actor or a person is a
    conflict (reported, left out); one it already has, a role phrase or a role or generic
    noun is left out quietly (counted)."""
    kept = []
    for n in names:
        key = n.casefold()
        hits = hand.named.get(key, set())
        if holds_role(n, hand):
            report.notes[f"{label}: names holding a role phrase left out{role_note}"] += 1
        elif hits and all(actor == code for _, actor in hits):
            report.notes[f"{label}: names already in the hand KB"] += 1
        elif hits:
            report.conflict(f"{where}: {what} name {n!r} ({code}) names {_describe(hits)} "
                            f"in the hand KB: {entry} kept without the name")
        elif fold(n) in hand.officials:
            report.conflict(f"{where}: {what} name {n!r} ({code}) names the person "
                            f"{hand.officials[fold(n)][0]!r} in the hand KB: kept without the name")
        elif key in hand.roles or key in hand.generic:
            report.notes[f"{label}: names that are role or generic nouns left out"] += 1
        else:
            kept.append(n)
    return kept


@dataclass
class Group:
    actor: str
    names: list[str]
    line: str


def build_groups(entries: list[Entry], label: str, hand: HandIndex, report: Report) -> list[Group]:
    groups: list[Group] = []
    for e in entries:
        where = f"{label}:{e.line}"
        code = e.codes[0].code if e.codes else ""
        actor = _state(code[:3], hand) if code else None
        if actor is None:
            report.skipped[f"{label}: group not based in one state ({code[:3] or '---'}: "
                           f"transnational, regional or unknown code)"] += 1
            continue
        if len({c.code[:3] for c in e.codes}) > 1:
            report.notes[f"{label}: groups with codes of several states (first used)"] += 1
        names: list[str] = []
        for phrase in [e.phrase] + [s for s, _ in e.synonyms]:
            for form in _group_forms(phrase, hand):
                if form not in names:
                    names.append(form)
        kept = names_free_of_hand_kb(names, actor, "group", "Phoenix group", where, label, hand,
                                     report)
        if not kept:
            if names:
                report.skipped[f"{label}: group whose names the hand KB already has or disputes (left out)"] += 1
            continue
        groups.append(Group(actor, kept, where))
    # a name given to groups of two states names neither
    owners: dict[str, set[str]] = defaultdict(set)
    for g in groups:
        for n in g.names:
            owners[n.casefold()].add(g.actor)
    out = []
    for g in groups:
        names = [n for n in g.names if len(owners[n.casefold()]) == 1]
        if len(names) < len(g.names):
            report.notes[f"{label}: names shared by groups of two states left out"] += len(g.names) - len(names)
        if names:
            g.names = names
            out.append(g)
        else:
            report.skipped[f"{label}: group whose every name is shared across states (left out)"] += 1
    return out


def _group_forms(phrase: str, hand: HandIndex) -> list[str]:
    """'ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_' -> ['Aden Abyan Islamic Army', 'AAIA'];
    a parenthesised state name or a several-word note is dropped."""
    text = phrase.replace("_", " ")
    out = []
    for inner in re.findall(r"\(([^()]*)\)", text):
        inner = inner.strip()
        if (len(inner.split()) == 1 and 3 <= len(inner) <= 8 and inner.isalpha()
                and inner.casefold() not in hand.named):
            out.append(inner)
    base = re.sub(r"\([^()]*\)", " ", text)
    base = " ".join(base.split())
    if base and not (len(base.split()) == 1 and len(base) <= 2):
        out.insert(0, render(base, person=False))
    return out


def build_agents(agents: list[Agent], label: str, hand: HandIndex,
                 report: Report) -> dict[str, list[str]]:
    by_sector: dict[str, list[str]] = defaultdict(list)
    seen: dict[str, str] = {}
    for a in agents:
        sector = SECTORS.get(a.code[:3])
        if sector is None:
            report.bad_line(f"{label}:{a.line}", f"unknown CAMEO sector {a.code[:3]!r} in [{a.code}]")
            continue
        for form in a.forms:
            variants = [form]
            if " " in form:
                variants.append(" ".join(w if w in PARTICLES else w.capitalize() for w in form.split()))
            for v in variants:
                key = v.casefold()
                if key in seen:
                    if seen[key] != sector:
                        report.notes[f"{label}: forms listed under two sectors (first kept)"] += 1
                    continue
                if key in hand.roles:
                    report.skipped[f"{label}: agent form that is a role in roles.yaml (left to the role reader)"] += 1
                elif holds_role(v, hand):
                    report.skipped[f"{label}: agent form holding a role ('opposition leader': left to the "
                                   f"role reader)"] += 1
                elif key in hand.named:
                    report.conflict(f"{label}:{a.line}: agent {v!r} names {_describe(hand.named[key])} "
                                    f"in the hand KB: left out")
                elif fold(v) in hand.officials:
                    report.conflict(f"{label}:{a.line}: agent {v!r} names the person "
                                    f"{hand.officials[fold(v)][0]!r} in the hand KB: left out")
                elif key in hand.generic:
                    report.notes[f"{label}: forms already generic in the hand KB"] += 1
                else:
                    by_sector[sector].append(v)
                seen[key] = sector
    return {s: sorted(forms) for s, forms in sorted(by_sector.items())}


# ---- writing ----------------------------------------------------------------------------
def _flow(value) -> str:
    return yaml.safe_dump(value, default_flow_style=True, width=100000, sort_keys=False,
                          allow_unicode=True).strip()


def header(source_file: str, commit: str, what: list[str]) -> str:
    lines = [
        f"# Source: generated by scripts/build_phoenix_kb.py from {source_file} of the PETRARCH2",
        f"# dictionaries ({UPSTREAM}, commit {commit}, {UPSTREAM_PATH}), MIT licence,",
        "# Copyright (c) 2014 Open Event Data Alliance (the licence text is in the LICENSE beside the",
        "# dictionaries, shared/data/petrarch2/LICENSE). Generated: do not edit by hand; re-run the",
        "# script (the hand-written files win over these where they disagree).",
    ]
    return "\n".join(lines + [f"# {w}" if w else "#" for w in what]) + "\n"


ROLE_NOTE = ["Roles are generic: the CAMEO sector of the office (GOV, MIL, JUD, LEG, COP, SPY, or an",
             "IGO code) read as a role; the full CAMEO code is kept as `cameo`. Dates are the",
             "dictionary's (YYMMDD with 00-30 read as 20YY); an open end (`>date`) is null."]


def write_officials(people: list[Person], commit: str, out: Path, source_file: str, what: list[str],
                    extra: str = "") -> None:
    roles = sorted({t["role"] for p in people for t in p.terms})
    text = header(source_file, commit, what + ROLE_NOTE) + extra
    if roles:
        text += "roles:\n" + "".join(f"- {_flow({'role': r})}\n" for r in roles)
    text += "officials:\n"
    for p in sorted(people, key=lambda p: (p.actor, p.name)):
        entry = {"name": p.name, "actor": p.actor}
        if p.aliases:
            entry["aliases"] = p.aliases
        if p.terms:
            entry["terms"] = [{k: v for k, v in t.items() if not (k == "start" and v is None)}
                              for t in p.terms]
        text += f"- {_flow(entry)}\n"
    out.write_text(text, encoding="utf-8")


def write_organisations(orgs: list[Org], people: list[Person], commit: str, out: Path) -> None:
    text = "organisations:\n"
    for o in orgs:
        entry = {"code": o.code}
        if o.name:
            entry["name"] = o.name
        entry["names"] = o.names
        text += f"- {_flow(entry)}\n"
    what = ["Organisations whose Phoenix IGO code maps to a code of shared/spec/EVENTS.md §3 add",
            "their names to it (IGOWSTNAT -> NATO, IGOUNO* -> UN); other single organisations keep",
            "their Phoenix code (IGOOAS); category codes (IGOAFR) are left out. Their officials",
            "follow, coded as the organisation (or the state they served longest)."]
    write_officials(people, commit, out, INTERNATIONAL, what, extra=text)


def write_groups(groups: list[Group], commit: str, out: Path) -> None:
    what = ["Armed non-state groups (START TOPS names), coded by the state they are based in",
            "(shared/spec/EVENTS.md §3); groups of transnational or regional codes (IMG..., INT,",
            "MEA ...) are left out."]
    text = header(GROUPS, commit, what) + "bodies:\n"
    for g in sorted(groups, key=lambda g: (g.actor, g.names[0])):
        text += f"- {_flow({'actor': g.actor, 'kind': 'group', 'names': g.names})}\n"
    out.write_text(text, encoding="utf-8")


def write_agents(by_sector: dict[str, list[str]], commit: str, out: Path) -> None:
    what = ["Generic agents: English nouns for bodies and groups that take their state from an",
            "adjacent state name ('Chinese troops'). en_sectors groups them by the CAMEO sector of",
            "their agent code (GOV government, MIL military, COP police, REB rebels, OPP opposition",
            "(protesters, activists), BUS business, MED media ...); each is also a generic `en` form.",
            "Agents that are roles of roles.yaml are left to the role reader."]
    text = header(AGENTS, commit, what) + "generic:\n  en_sectors:\n"
    for sector, forms in by_sector.items():
        text += f"    {_flow({sector: forms})[1:-1]}\n"
    out.write_text(text, encoding="utf-8")


# ---- driver -----------------------------------------------------------------------------
def upstream_commit(source: Path) -> str:
    readme = source.parent / "README.md"
    if readme.exists():
        m = re.search(r"## petrarch2/.*?\(commit ([0-9a-f]{7,40})", readme.read_text(encoding="utf-8"), re.S)
        if m:
            return m.group(1)
    return "unknown"


def build(source: Path, out: Path, hand: HandIndex, report: Report, commit: str | None = None,
          only: set[str] | None = None) -> dict[str, int]:
    """Convert every dictionary found in `source` and write the files to `out`;
    the number of entries written per output file."""
    commit = commit or upstream_commit(source)
    ACRONYMS.clear()
    ACRONYMS.update(hand.acronyms)
    counts: dict[str, int] = {}
    out.mkdir(parents=True, exist_ok=True)
    wanted = [f for f in OUTPUTS if (only is None or f in only)]
    for name in wanted:
        path = source / name
        if not path.exists():
            report.skipped[f"{name}: file absent"] += 1
            continue
        target = out / OUTPUTS[name]
        if name == COUNTRIES:
            people = build_officials(read_actors(path, report), name, hand, report)
            write_officials(people, commit, target, name,
                            ["Persons with a dated government, military, judicial, legislative, police or",
                             "intelligence code from 1945 on, coded as their state (the one they served",
                             "longest; CAMEO codes that are not ISO alpha-3 are mapped: USR RUS, YUG SRB,",
                             "CSK CZE, DDR DEU, KSV XKX, TMP TLS)."])
            counts[target.name] = len(people)
        elif name == INTERNATIONAL:
            orgs, people = build_organisations(read_actors(path, report), name, hand, report)
            write_organisations(orgs, people, commit, target)
            counts[target.name] = len(orgs) + len(people)
            report.notes[f"{name}: organisations written"] = len(orgs)
            report.notes[f"{name}: officials written"] = len(people)
        elif name == GROUPS:
            groups = build_groups(read_actors(path, report), name, hand, report)
            write_groups(groups, commit, target)
            counts[target.name] = len(groups)
        else:
            by_sector = build_agents(read_agents(path, report), name, hand, report)
            write_agents(by_sector, commit, target)
            counts[target.name] = sum(len(v) for v in by_sector.values())
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=SOURCE, help="folder of the Phoenix dictionaries")
    ap.add_argument("--out", type=Path, default=KB_DIR, help="folder to write phoenix_*.yaml to")
    ap.add_argument("--allow-bad", type=int, default=0, metavar="N",
                    help="succeed with up to N unparseable lines (default 0)")
    ap.add_argument("--commit", help="upstream commit for the headers (default: from the data README)")
    args = ap.parse_args(argv)
    if not args.source.is_dir():
        print(f"error: {args.source}: no such folder", file=sys.stderr)
        return 2
    report = Report()
    with tempfile.TemporaryDirectory() as tmp:
        counts = build(args.source, Path(tmp), hand_index(load_hand_kb()), report, commit=args.commit)
        ok = len(report.bad) <= args.allow_bad
        if ok:
            args.out.mkdir(parents=True, exist_ok=True)
            for name in counts:
                shutil.copyfile(Path(tmp) / name, args.out / name)
    for line in report.bad:
        print(line)
    for line in report.conflicts:
        print(line)
    print("\n== summary")
    for name, n in counts.items():
        print(f"{'wrote' if ok else 'not written:'} {args.out / name}: {n} entries")
    for why, n in sorted(report.skipped.items()):
        print(f"skipped {n:6d}  {why}")
    for why, n in sorted(report.notes.items()):
        print(f"note    {n:6d}  {why}")
    print(f"bad lines: {len(report.bad)}; conflicts with the hand KB: {len(report.conflicts)}; "
          f"skipped entries: {sum(report.skipped.values())}")
    if not ok:
        print(f"error: {len(report.bad)} bad lines (allowed: {args.allow_bad}); see above; nothing written",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
