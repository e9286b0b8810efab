#!/usr/bin/env python3
"""Build src/aliansi/data/lexicon/id.yaml (schema: FORMAT.md) from id_roots.yaml.

Writes every affixed form of each root by Indonesian morphophonemics, groups a root's
forms by voice, nominal use and the senses that apply, compiles every regex, checks
that every example reads as its own sense and every CAMEO code against the
CAMEO→PLOVER table. A bad entry is reported as `id_roots.yaml:LINE: problem` and the
script exits 1 (nothing is dropped silently); else it prints coverage per PLOVER type.

    .venv/bin/python scripts/build_lexicon_id.py [--check: exit 1 if id.yaml is stale]
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
LEXICON = REPO / "src" / "aliansi" / "data" / "lexicon"
ROOTS, OUT = LEXICON / "id_roots.yaml", LEXICON / "id.yaml"
# the shared dev data sits beside the repo (../shared) for developers and CI
TABLE = REPO.parent / "shared" / "data" / "plover" / "CAMEO2PLOVER-2021.txt"

# spec/EVENTS.md §4 (PLOVER manual, 2024): the types in PLOVER order, the modes each allows.
MODES = {
    "AGREE": set(), "CONSULT": {"visit", "third-party", "multilateral", "phone"}, "SUPPORT": set(),
    "CONCEDE": set(), "COOPERATE": set(), "AID": set(),
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
               "misinformation", "cyber"},
    "ASSAULT": {"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms",
                "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control",
                "unconventional"},
}
CONTEXTS = set("""military intelligence executive legislative election political_institutions
pro_democracy pro_autocracy economic legal reparations human_rights rights_freedoms repression
human_security gender lgbt religion_ethnicity inequality diplomatic territory peacekeeping health
asylum migration disasters natural_resource environment technology terrorism cbrn cyber
misinformation crime corruption illegal_drugs trafficking""".split())

# Affix tags by what they make. A tag is prefix-suffix (meN-kan, peN-an, -an); R-meN,
# ber-R and R-an reduplicate (see form()); bare and noun are the root itself.
ACTIVE = "bare meN meN-kan meN-i N N-kan ber ber-kan memper memper-kan memper-i R-meN ber-R".split()
PASSIVE = "di di-kan di-i diper diper-kan diper-i ter ter-kan".split()   # the patient comes first
NOMINAL = "noun peN-an per-an ke-an -an R-an".split()
TAGS = {t: ("passive" if t in PASSIVE else "active", t in NOMINAL) for t in ACTIVE + PASSIVE + NOMINAL}
TOP_KEYS = {"classes", "sets", "roots"}          # `sets` only holds YAML anchors of shared senses
ROOT_KEYS = {"root", "gloss", "affixes", "also", "default", "senses"}
SENSE_KEYS = {"type", "mode", "context", "cameo", "object", "after", "before", "unless", "only",
              "example", "why"}
VOWELS = "aeiou"
CLASS_REF = re.compile(r"&([A-Z][A-Z0-9_]*)")


# --- morphology -------------------------------------------------------------------------

def nasal(head: str, root: str) -> str:
    """meN-/peN-/N- + root: the nasal assimilates, and an initial p/t/k/s before a vowel
    drops (pukul→memukul, tembak→menembak, kirim→mengirim, serang→menyerang); a cluster
    keeps its consonant (protes→memprotes, kritik→mengkritik); a monosyllable takes
    nge- (bom→mengebom). A final ai/au/oi is one syllable (a medial one is not: naik)."""
    if sum(c in VOWELS for c in root) - bool(re.search("(?:ai|au|oi)$", root)) == 1:
        return head + "nge" + root
    first, drop = root[0], len(root) > 1 and root[0] in "ptks" and root[1] in VOWELS
    rest = root[1:] if drop else root
    if first in "bpfv":
        nas = "m"
    elif first in "dtcjz" or (first == "s" and not drop):
        nas = "n"
    elif first == "s":
        nas = "ny"
    elif first in "gkh" or first in VOWELS:
        nas = "ng"
    else:                                   # l m n r w y: no nasal (colloquial N- says nge-)
        return head + root if head else "nge" + root
    return head + nas + rest


def prefixed(prefix: str, root: str) -> str:
    if prefix in ("meN", "peN"):
        return nasal(prefix[:2], root)
    if prefix == "N":
        return nasal("", root)
    if prefix == "ber":   # be- before r and a first syllable in -er (bekerja); bel- in belajar
        if root == "ajar":
            return "bel" + root
        return ("be" if root[0] == "r" or re.match(f"[^{VOWELS}]er[^{VOWELS}]", root) else "ber") + root
    if prefix in ("ter", "per"):                              # te-/pe- before r: perundingan
        return (prefix[:2] if root[0] == "r" else prefix) + root
    if prefix in ("memper", "diper"):
        return prefix[:-3] + prefixed("per", root)
    return prefix + root                                      # di-, ke-, none


def form(tag: str, root: str) -> str:
    """The written form of `root` with the affixes of `tag`. In a compound the prefix
    goes on the first word and the suffix on the last, and a circumfix joins the words
    (tanda tangan → bertanda tangan, menandatangani, penandatanganan)."""
    if tag == "R-meN":
        return f"{root}-{nasal('me', root)}"
    if tag == "ber-R":
        return f"{prefixed('ber', root)}-{root}"
    if tag == "R-an":
        return f"{root}-{root}an"
    prefix, _, suffix = ("" if tag in ("bare", "noun") else tag).partition("-")
    words = root.split()
    if prefix and suffix:
        return prefixed(prefix, "".join(words)) + suffix
    if prefix:
        return " ".join([prefixed(prefix, words[0])] + words[1:])
    return " ".join(words[:-1] + [words[-1] + suffix])


def words_regex(forms: list[str]) -> str:
    """A regex alternation of written forms, longest first; a space or hyphen matches either."""
    alts = sorted(forms, key=lambda f: (-len(f), f))
    return "|".join(re.escape(f).replace(r"\ ", r"\s+").replace(r"\-", r"[-\s]?") for f in alts)


# --- loading with line numbers ----------------------------------------------------------

class Node(dict):
    """A YAML mapping that knows its line and the line of each key's value."""


def load(node, problems: list) -> object:
    """Python values from a composed YAML node; mappings become Nodes; a repeated key
    (which PyYAML would silently overwrite) is a problem."""
    if isinstance(node, yaml.MappingNode):
        out = Node()
        out.line, out.lines = node.start_mark.line + 1, {}
        for key, value in node.value:
            if key.value in out:
                problems.append((key.start_mark.line + 1, f"duplicate key {key.value!r}"))
            out[key.value], out.lines[key.value] = load(value, problems), value.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [load(item, problems) for item in node.value]
    return yaml.constructor.SafeConstructor().construct_object(node)


def load_table(path: Path) -> dict[str, str]:
    """CAMEO code → PLOVER type from CAMEO2PLOVER-2021.txt (`173: COERCE, arrest, legal # ...`)."""
    table = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"(\d{3,4}):\s*([A-Z]+)\s*,", line):
            table.setdefault(m.group(1), m.group(2))
    return table


# --- building ---------------------------------------------------------------------------

class Builder:
    def __init__(self, roots_path: Path, table: dict[str, str]):
        self.name, self.table, self.problems, self.seen = roots_path.name, table, [], {}
        try:
            doc = load(yaml.compose(roots_path.read_text(encoding="utf-8")), self.problems)
            if not isinstance(doc, Node) or not isinstance(doc.get("roots"), list):
                self.bad(1, "the file must be a mapping with `classes` and a `roots` list")
                doc = Node()
        except yaml.MarkedYAMLError as e:
            self.bad(e.problem_mark.line + 1, f"not YAML: {e.problem}")
            doc = Node()
        for key in set(doc) - TOP_KEYS:
            self.bad(doc.lines[key], f"unknown top-level key {key!r}")
        self.classes, self.roots = doc.get("classes") or {}, doc.get("roots") or []

    def bad(self, line: int, message: str) -> None:
        self.problems.append((line, message))

    def expand(self, regex, line: int, depth: int = 0) -> str | None:
        """Replace each &CLASS by its alternation, and compile the result."""
        if regex is None:
            return None
        if not isinstance(regex, str) or not regex:
            return self.bad(line, f"a regex must be a non-empty string, not {regex!r}")
        def sub(m):
            if m.group(1) not in self.classes or depth > 5:
                self.bad(line, f"unknown (or circular) class &{m.group(1)}")
                return "(?!)"
            return f"(?:{self.expand(self.classes[m.group(1)], line, depth + 1)})"
        out = CLASS_REF.sub(sub, regex)
        try:
            return re.compile(out, re.I).pattern
        except re.error as e:                # reported; the build goes on to find other problems
            return self.bad(line, f"regex {regex!r} does not compile: {e}") or "(?!)"

    def sense(self, s, tags: set) -> dict | None:
        if not isinstance(s, Node):
            return self.bad(getattr(s, "line", 1), f"a sense must be a mapping, not {s!r}")
        at = lambda key: s.lines.get(key, s.line)
        for key in set(s) - SENSE_KEYS:
            self.bad(at(key), f"unknown sense field {key!r}")
        kind, mode = s.get("type"), s.get("mode")
        if kind not in MODES:
            return self.bad(at("type"), f"type {kind!r} is not one of the 16 PLOVER types")
        if mode is not None and mode not in MODES[kind]:
            self.bad(at("mode"), f"mode {mode!r} is not a mode of {kind} in EVENTS.md")
        context = s.get("context") or []
        if not isinstance(context, list) or set(context) - CONTEXTS:
            self.bad(at("context"), f"context must list PLOVER contexts, got {context!r}")
        codes = s.get("cameo") if isinstance(s.get("cameo"), list) else [s.get("cameo")]
        others = []
        for code in codes:
            if not isinstance(code, str):
                self.bad(at("cameo"), f"CAMEO code {code!r} must be a quoted string (\"030\", not 030)")
            elif code not in self.table:
                self.bad(at("cameo"), f"CAMEO code {code} is not in the CAMEO→PLOVER table")
            elif self.table[code] != kind:
                others.append(f"{code} is {self.table[code]}")
        if others and not s.get("why"):
            self.bad(s.line, f"{kind} differs from the table ({', '.join(others)}): say `why`")
        if s.get("why") and not others:
            self.bad(at("why"), "`why` given but the table agrees with the type")
        if s.get("object") and (s.get("after") or s.get("before")):
            self.bad(at("object"), "give `object` or `after`/`before`, not both")
        only = s.get("only")
        if only is not None and (not isinstance(only, list) or not set(only) <= tags):
            self.bad(at("only"), f"`only` must list affixes of this entry, got {only!r}")
        out = {"type": kind, "mode": mode, "context": list(context) if isinstance(context, list) else [],
               "cameo": " ".join(map(str, codes)), "line": s.line, "example": s.get("example"),
               "only": set(only) if isinstance(only, list) else tags}
        for key in ("object", "after", "before", "unless"):
            out[key] = self.expand(s.get(key), at(key))
        out["constrained"] = bool(out["object"] or out["after"] or out["before"])
        return out

    def root(self, r) -> list[tuple[dict, list[str]]]:
        """The groups of one entry, each with its written forms."""
        if not isinstance(r, Node) or not isinstance(r.get("root"), str) or not r["root"].strip():
            self.bad(getattr(r, "line", 1), "an entry needs `root`: the root or idiom as written")
            return []
        at = lambda key: r.lines.get(key, r.line)
        for key in set(r) - ROOT_KEYS:
            self.bad(at(key), f"unknown field {key!r}")
        affixes, also = r.get("affixes") or [], r.get("also") or {}
        if not isinstance(affixes, list) or not isinstance(also, dict):
            self.bad(r.line, "`affixes` is a list of affix tags, `also` a mapping tag → forms")
            return []
        for tag in [t for t in affixes + list(also) if t not in TAGS]:
            self.bad(at("affixes"), f"unknown affix {tag!r} (one of {', '.join(TAGS)})")
        if len(set(affixes)) != len(affixes):
            self.bad(at("affixes"), "an affix is listed twice")
        tags = [t for t in dict.fromkeys(affixes + list(also)) if t in TAGS]
        if not tags:
            self.bad(r.line, "no affixes and no `also` forms: the entry writes nothing")
        flat = []
        for item in r.get("senses") or []:       # a list inside senses is a shared set (YAML alias)
            flat.extend(item if isinstance(item, list) else [item])
        senses = [s for s in (self.sense(s, set(tags)) for s in flat) if s]
        if not flat:
            self.bad(r.line, "no senses")
        free = [s for s in senses if not s["constrained"]]
        if "default" in r and (r["default"] is not None or free):
            self.bad(at("default"), "`default: null` only on an entry whose senses are all constrained")
        if senses and not free and "default" not in r:
            self.bad(r.line, "every sense is constrained: write `default: null` to say so")
        groups: dict[tuple, dict] = {}
        for tag in tags:
            applies = [s for s in senses if tag in s["only"]]
            key = (*TAGS[tag], tuple(id(s) for s in applies))
            g = groups.setdefault(key, {"voice": key[0], "nominal": key[1], "forms": [], "senses": applies})
            for w in ([form(tag, r["root"])] if tag in affixes else []) + list(also.get(tag) or []):
                if not isinstance(w, str) or w != w.strip().lower():
                    self.bad(at("also"), f"written form {w!r} must be a lower-case string")
                elif w in self.seen:
                    self.bad(r.line, f"form {w!r} is already written by the entry at line {self.seen[w]}")
                else:
                    self.seen[w] = r.line
                    g["forms"].append(w)
        built = [self.group(r, g) for g in groups.values() if g["forms"]]
        for s in senses:                 # an example must be read as its own sense in some group
            if s["example"] and not any(self.winner(p["example"], pairs, words) == id(s)
                                        for _, words, pairs, _ in built for sid, p in pairs if sid == id(s)):
                self.bad(s["line"], f"example {s['example']!r} is not read as this sense in {r['root']!r} "
                                    f"(line {r.line}): it does not fit, or an earlier sense takes it")
        return [(out, written) for out, _, _, written in built]

    def group(self, r, g):
        defaults = [s for s in g["senses"] if not s["constrained"]]
        if len(defaults) > 1:
            self.bad(defaults[1]["line"], f"two unconstrained senses apply to {g['forms'][0]!r}: "
                                          "constrain one or give them different `only`")
        patterns = [s for s in g["senses"] if s["constrained"]]
        if not defaults and not patterns:
            self.bad(r.line, f"forms {', '.join(g['forms'])} have no sense: they never make an event")
        pairs = [(id(s), self.render(s, g)) for s in defaults[:1] + patterns]
        words = words_regex(g["forms"])
        compiled = re.compile(rf"\b(?:{words})\b", re.I)
        for w in [w for w in g["forms"] if not compiled.fullmatch(w)]:
            self.bad(r.line, f"the words regex does not match its own form {w!r}")
        out = {"group": r["root"], "source": f"{self.name}:{r.line}", "words": words,
               "voice": g["voice"], "nominal": g["nominal"],
               "default": pairs[0][1] if defaults else None,
               "patterns": [p for _, p in pairs[1 if defaults else 0:]]}
        return out, compiled, pairs, g["forms"]

    def render(self, s, g) -> dict:
        """A sense as a FORMAT.md pattern (or default) of group g. An `object` follows an
        active verb or a noun (after &OBJGAP) and precedes a passive verb (before &PGAP)."""
        after, before = s["after"], s["before"]
        if s["object"]:
            if g["voice"] == "passive":
                before = f"(?:{s['object']}){self.expand('&PGAP', s['line'])}"
            else:
                after = f"{self.expand('&OBJGAP', s['line'])}(?:{s['object']})"
        out = {"type": s["type"], "mode": s["mode"], "context": s["context"], "cameo": Code(s["cameo"])}
        if s["constrained"]:
            out.update(after=after, before=before)
        out.update(unless=s["unless"], source=f"{self.name}:{s['line']}",
                   example=(s["example"] or "~").replace("~", g["forms"][0]))
        return out

    def winner(self, text: str, pairs: list, words: re.Pattern):
        """The sense a group gives `text`: the first pattern that fits, else the default."""
        ordered = [x for x in pairs if "after" in x[1]] + [x for x in pairs if "after" not in x[1]]
        return next((sid for sid, p in ordered if self.fits(text, p, words)), None)

    @staticmethod
    def fits(text: str, p: dict, words: re.Pattern) -> bool:
        """As the engine reads FORMAT.md: a form on word boundaries, `after` matched on what
        follows it, `before` ending where it starts, `unless` nowhere in the sentence."""
        if p["unless"] and re.search(p["unless"], text, re.I):
            return False
        return any((not p.get("after") or re.match(p["after"], text[m.end():], re.I))
                   and (not p.get("before") or re.search(f"(?:{p['before']})$", text[:m.start()], re.I))
                   for m in words.finditer(text))


def coverage(built: list[tuple[dict, list[str]]], table: dict[str, str], entries: int) -> str:
    """Per PLOVER type: entries and written forms with a sense of that type, and the CAMEO
    codes the table maps to the type that some sense renders (in brackets: how many of
    them only under another type, as EVENTS.md wants; each such sense says `why`)."""
    roots, forms, codes, same = (defaultdict(set) for _ in range(4))
    for g, written in built:
        for p in ([g["default"]] if g["default"] else []) + g["patterns"]:
            roots[p["type"]].add(g["source"])
            forms[p["type"]].update(written)
            for code in p["cameo"].split():
                codes[table[code]].add(code)
                if table[code] == p["type"]:
                    same[p["type"]].add(code)
    lines = [f"{'type':<10} {'entries':>7} {'forms':>6}  {'CAMEO codes':<17} missing"]
    for kind in MODES:
        mapped = {code for code, t in table.items() if t == kind}
        missing = " ".join(sorted(mapped - codes[kind])) or "-"
        other = len(codes[kind] - same[kind])
        lines.append(f"{kind:<10} {len(roots[kind]):>7} {len(forms[kind]):>6}  "
                     f"{len(codes[kind]):>3}/{len(mapped):<3} ({other} other)  {missing}")
    lines.append(f"{'all':<10} {entries:>7} {sum(len(f) for _, f in built):>6}  ({len(built)} groups in id.yaml)")
    return "\n".join(lines)


class Code(str):
    """A CAMEO code, always written quoted: "090" must not read as a number."""


class Dumper(yaml.SafeDumper):
    """Writes a Code quoted."""


Dumper.add_representer(Code, lambda d, code: d.represent_scalar("tag:yaml.org,2002:str", code, style="'"))

HEADER = """\
# GENERATED by scripts/build_lexicon_id.py from id_roots.yaml: do not edit; edit the roots
# and re-run. Schema: FORMAT.md. One group per Indonesian root, voice, nominal use and set
# of senses; `source` gives the id_roots.yaml line of the entry and of each sense, and
# `cameo` the CAMEO codes a sense renders (space-separated when several).
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--roots", type=Path, default=ROOTS)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--table", type=Path, default=TABLE, help="CAMEO2PLOVER-2021.txt")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if --out is stale")
    ap.add_argument("--quiet", action="store_true", help="no coverage table")
    args = ap.parse_args(argv)
    if not args.table.is_file():
        print(f"error: no CAMEO→PLOVER table at {args.table} (give --table)", file=sys.stderr)
        return 2
    table = load_table(args.table)
    builder = Builder(args.roots, table)
    built = [pair for r in builder.roots for pair in builder.root(r)]
    if builder.problems:
        for line, message in sorted(set(builder.problems)):
            print(f"{args.roots.name}:{line}: {message}", file=sys.stderr)
        print(f"{len(set(builder.problems))} problem(s); {args.out.name} not written", file=sys.stderr)
        return 1
    text = HEADER + yaml.dump([g for g, _ in built], Dumper=Dumper, sort_keys=False, allow_unicode=True,
                              width=100000)
    if args.check:
        if not args.out.is_file() or args.out.read_text(encoding="utf-8") != text:
            print(f"{args.out} is stale: re-run scripts/build_lexicon_id.py", file=sys.stderr)
            return 1
    else:
        args.out.write_text(text, encoding="utf-8")
    if not args.quiet:
        print(coverage(built, table, len(builder.roots)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
