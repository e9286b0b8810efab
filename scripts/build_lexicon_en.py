#!/usr/bin/env python3
"""Build src/aliansi/data/lexicon/en.yaml from the PETRARCH2 CAMEO verb dictionary.

Each verb group of CAMEO.2.0.txt becomes an entry of the trigger lexicon (schema:
src/aliansi/data/lexicon/FORMAT.md): its verbs inflected, its patterns made regular
expressions, its CAMEO codes mapped to PLOVER through CAMEO2PLOVER-2021.txt, keeping
only the modes and contexts of spec/EVENTS.md.

    .venv/bin/python scripts/build_lexicon_en.py --allow-bad 11 [--dictionary PATH]
        [--table PATH] [--output PATH]

Beyond PETRARCH's reader (petrarch2/PETRreader.py, read_verb_dictionary):
- A verb with its own code ("SUMMON [040]") gets its own entry (same group, same
  patterns) whose default is that code. A form listed in two groups stays in the
  first, as in PETRARCH.
- "[A:B]": A is what the subject does. A pattern with B only ("[:173]": the subject
  undergoes it) goes to an entry with `voice: passive`; the B of a pair is ignored.
- Patterns whose code is no PLOVER type are dropped but act as vetoes: the `unless`
  of the default, and of each kept pattern they refine, finds the verb with them.
- `^` (some noun phrase) is one word; `$` and `+` are ignored; "BY/WITH" is an
  alternation; ';' starts a comment as '#' does. Transformations ("~") are reported.
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections import Counter, namedtuple
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
DICTIONARY = REPO.parent / "shared/data/petrarch2/CAMEO.2.0.txt"
TABLE = REPO.parent / "shared/data/plover/CAMEO2PLOVER-2021.txt"
OUTPUT = REPO / "src/aliansi/data/lexicon/en.yaml"
PROVENANCE = {"CAMEO.2.0.txt": "openeventdata/petrarch2 commit 676801cd, petrarch2/data/dictionaries/"
                               "CAMEO.2.0.txt; MIT licence, Open Event Data Alliance",
              "CAMEO2PLOVER-2021.txt": "openeventdata/PLOVER commit 5e0c24fb, CAMEO2PLOVER-2021.txt; "
                                       "CC BY-SA 4.0, Open Event Data Alliance"}

# spec/EVENTS.md §4: the modes of each type, and the contexts.
MODES = {t: set(m.split()) for t, m in {
    "AGREE": "", "CONSULT": "visit third-party multilateral phone", "SUPPORT": "", "CONCEDE": "",
    "COOPERATE": "", "AID": "", "RETREAT": "withdraw release disarm ceasefire access resign",
    "REQUEST": "assist change yield meet", "ACCUSE": "disapprove investigate allege",
    "REJECT": "assist change yield meet", "THREATEN": "restrict arrest relations expel territory violence",
    "PROTEST": "demo riot strike hunger boycott obstruct vandalize",
    "SANCTION": "convict expel withdraw discontinue", "MOBILIZE": "troops weapons police militia",
    "COERCE": "seize restrict censor curfew martial-law arrest deport withhold misinformation cyber",
    "ASSAULT": "abduct beat torture sexual targeted destroy primitive firearms explosives suicide-attack "
               "aerial drone heavy-weapons crowd-control unconventional"}.items()}
CONTEXTS = set("""military intelligence executive legislative election political_institutions
pro_democracy pro_autocracy economic legal reparations human_rights rights_freedoms repression
human_security gender lgbt religion_ethnicity inequality diplomatic territory peacekeeping health
asylum migration disasters natural_resource environment technology terrorism cbrn cyber
misinformation crime corruption illegal_drugs trafficking""".split())
# Table modes that EVENTS.md names otherwise, by (type, table mode).
SAME_MODE = {("RETREAT", "return"): "release", ("THREATEN", "ban"): "restrict",
             ("THREATEN", "political"): "restrict", ("COERCE", "ban"): "restrict",
             ("ASSAULT", "seize"): "destroy", ("ASSAULT", "assassinate"): "targeted"}

GAP = r"\W+(?:\w+\W+){0,3}?"       # up to 3 words (articles, adjectives) between constituents
NP_GAP = r"\W+(?:\w+\W+){0,2}?"    # inside a {noun phrase}
BEFORE_END = r"\W+(?:\w+\W+){0,3}$"
CODE = re.compile(r"^(---|\d{2,4})?(?::(---|\d{2,4})?)?$")
HEADER = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\][\s-]*$")
VERB = re.compile(r"^([A-Z0-9_+'-]+)\s*(?:\{([^{}]*)\})?\s*(?:\[([^\]]*)\])?$")
WORD = re.compile(r"^(?:&[A-Z0-9_]+|\^|[A-Z0-9][A-Z0-9_.'/-]*)$")

# before/after: constituents (parse_constituents); code: (active, passive), code strings or None.
Pattern = namedtuple("Pattern", "line before after code comment")
Group = namedtuple("Group", "name line code verbs patterns")       # verbs: (line, forms, code)
Dictionary = namedtuple("Dictionary", "synsets groups bad skipped")  # bad, skipped: (line, message)


class DictionaryError(ValueError):
    """A dictionary line that cannot be read."""


def unique(items) -> list:
    return list(dict.fromkeys(items))


def doubles_final_consonant(verb: str) -> bool | None:
    """True: stop->stopped, refer->referred; False: visit->visited; None: not known from the
    spelling (travel: traveled and travelled), so both forms are written."""
    if not re.search(r"(?:^|[^aeiou]|qu)[aeiou][^aeiouwxy]$", verb):
        return False
    if len(re.findall(r"[aeiouy]+", verb.replace("qu", "q"))) == 1 or re.search(
            r"(?:(?<!sum)(?<!li)(?<!vo)mit|pel|cur|gret|trol|quip|[^f]fer|(?<!bene)fit|bed|set|bet|drop|nap)$", verb):
        return True
    return False if re.search(r"(?:er|ur|it|en|on|or|et|ot|op|om)$", verb) else None


def regular_forms(verb: str) -> list[str]:
    """Base, -s, -ed and -ing forms of a regular English verb (lowercase)."""
    consonant_y = re.search(r"[^aeiou]y$", verb)
    third = verb + "es" if re.search(r"(?:s|x|z|ch|sh|o)$", verb) else \
        verb[:-1] + "ies" if consonant_y else verb + "s"
    if verb.endswith("e"):
        past, ing = [verb + "d"], [verb[:-2] + "ying" if verb.endswith("ie") else
                                   verb + "ing" if re.search(r"(?:ee|ye|oe)$", verb) else verb[:-1] + "ing"]
    elif consonant_y:
        past, ing = [verb[:-1] + "ied"], [verb + "ing"]
    elif verb.endswith("ic"):
        past, ing = [verb + "ked"], [verb + "king"]
    else:
        stems = {True: [verb + verb[-1]], False: [verb], None: [verb, verb + verb[-1]]}
        stems = stems[doubles_final_consonant(verb)]
        past, ing = [s + "ed" for s in stems], [s + "ing" for s in stems]
    return [verb, third, *past, *ing]


def verb_forms(spec: str, irregular: str | None) -> list[str]:
    """Written forms of a dictionary verb: "+BEEF_UP" -> beef up, beefs up, ...
    With {...} PETRARCH generates nothing: the forms listed are all the others."""
    words = spec.lower().split("_")
    marked = [i for i, w in enumerate(words) if w.startswith("+")]
    if len(words) > 1 and len(marked) != 1:
        raise DictionaryError(f"multiword verb {spec} needs one '+' on its verb")
    if irregular is not None:
        listed = [w.lower().replace("+", "").replace("_", " ") for w in re.split(r"[\s,]+", irregular) if w]
        return unique([" ".join(words).replace("+", "")] + listed)
    at = marked[0] if marked else 0
    words[at] = words[at].lstrip("+")
    return [" ".join(words[:at] + [form] + words[at + 1:]) for form in regular_forms(words[at])]


def plural_noun(noun: str) -> str | None:
    """Plural of a synset noun; None when it has none (ends in '_', already plural)."""
    if noun.endswith(("_", "men")) or (noun.endswith("s") and not re.search(r"(?:ss|us|is)$", noun)):
        return None
    if re.search(r"(?:chair|gun|police|spokes|sales|country|fisher|business|clergy)man$", noun):
        return noun[:-3] + "men"
    if noun.endswith("is"):
        return noun[:-2] + "es"
    if re.search(r"(?:ss|us|x|z|ch|sh)$", noun):
        return noun + "es"
    return noun[:-1] + "ies" if re.search(r"[^aeiou]y$", noun) else noun + "s"


def escape(text: str) -> str:
    return re.sub(r"([.^$*+?{}\[\]\\|()])", r"\\\1", text)


def phrase_regex(phrase: str) -> str:
    return r"[\s-]+".join(escape(w) for w in re.split(r"[\s_]+", phrase.strip()))


def read_plover_table(lines) -> dict:
    """CAMEO code -> (type, mode, contexts) with EVENTS.md's modes and contexts."""
    table = {}
    for text in lines:
        m = re.match(r"^(\d{3,4}):\s*([^#]*)", text)
        if m:
            kind, mode, contexts = ([f.strip() for f in m.group(2).split(",")] + ["", ""])[:3]
            if mode in CONTEXTS and mode not in MODES[kind]:      # a context in the mode column
                contexts, mode = f"{contexts};{mode}", ""
            contexts = [c.strip() for c in contexts.split(";")]
            mode = SAME_MODE.get((kind, mode), mode)
            table.setdefault(m.group(1), (kind, mode if mode in MODES[kind] else None,
                                          unique(c for c in contexts if c in CONTEXTS)))
    return table


def parse_code(text: str) -> tuple:
    m = CODE.match(text.strip())
    if not m or not text.strip():
        raise DictionaryError(f"bad code [{text}]")
    return tuple(None if c in (None, "---") else c for c in m.groups())


def parse_constituents(tokens: list[str], synsets: dict, end: str | None = None) -> list:
    """Tokens -> [("w", word) | ("np", [...]) | ("pp", [...])], consuming `tokens`."""
    items = []
    while tokens:
        token = tokens.pop(0)
        if token == end:
            return items
        if token in ")}":
            raise DictionaryError(f"unbalanced '{token}'")
        if token in "({":
            inner = parse_constituents(tokens, synsets, ")" if token == "(" else "}")
            if not inner or (token == "(" and inner[0][0] != "w"):
                raise DictionaryError("empty or preposition-less phrase")
            items.append(("pp" if token == "(" else "np", inner))
        elif token not in ("$", "+"):
            if not WORD.match(token):
                raise DictionaryError(f"unreadable word {token!r}")
            if token.startswith("&") and not synsets.get(token):
                raise DictionaryError(f"undefined or empty synset {token}")
            items.append(("w", token))
    if end:
        raise DictionaryError(f"missing '{end}'")
    return items


def parse_pattern(text: str, line: int, synsets: dict) -> Pattern:
    body, _, comment = text.partition("#")
    m = re.match(r"^-(.*)\[([^\]]*)\]$", body.split(";")[0].strip())
    if not m:
        raise DictionaryError("pattern without a [code] at its end")
    if m.group(1).count("*") != 1:
        raise DictionaryError("pattern needs exactly one '*'")
    before, after = (re.sub(r"([(){}])", r" \1 ", s).split() for s in m.group(1).split("*"))
    return Pattern(line, parse_constituents(before, synsets), parse_constituents(after, synsets),
                   parse_code(m.group(2)), comment.strip() or None)


def read_dictionary(lines) -> Dictionary:
    """Synsets, verb groups and patterns; unreadable lines go to .bad, never lost."""
    d, synset, group, in_verbs = Dictionary({}, [], [], []), None, None, False
    for number, text in enumerate(lines, 1):
        content = text.split("#")[0].split(";")[0].strip()
        try:
            if text.startswith("####### VERB PATTERNS"):
                in_verbs = True
            elif not content:
                continue
            elif not in_verbs and content.startswith("&"):
                synset = content
                d.synsets[synset] = []
            elif not in_verbs and content.startswith("+") and synset:
                member = content[1:].lower()
                plural = plural_noun(member) if not synset.endswith("_") else None
                d.synsets[synset] = unique(d.synsets[synset] + [member.rstrip("_")] + [plural] * bool(plural))
            elif not in_verbs:
                raise DictionaryError("synset line is neither &NAME nor +MEMBER")
            elif content.startswith("~"):
                d.skipped.append((number, "verb transformation not represented"))
            elif content.startswith("---"):
                if not (m := HEADER.match(content)):
                    raise DictionaryError("unreadable group header")
                group = Group(m.group(1), number, parse_code(m.group(2)), [], [])
                d.groups.append(group)
            elif group is None:
                raise DictionaryError("line before the first verb group")
            elif content.startswith("-"):
                group.patterns.append(parse_pattern(text, number, d.synsets))
            elif m := VERB.match(content):
                code = parse_code(m.group(3)) if m.group(3) is not None else None
                group.verbs.append((number, verb_forms(m.group(1), m.group(2)), code))
            else:
                raise DictionaryError("unreadable verb line")
        except DictionaryError as error:
            d.bad.append((number, str(error)))
    return d


def demands(p: Pattern) -> Counter:
    """The words a pattern asks for, by side of the verb (`^` asks for none)."""
    def flat(items):
        return [w for kind, x in items for w in (flat(x) if kind != "w" else [x]) if w != "^"]
    return Counter([("before", w) for w in flat(p.before)] + [("after", w) for w in flat(p.after)])


def unit_regex(token: str, synsets: dict) -> str:
    if token == "^":
        return r"\w+"
    if token.startswith("&"):
        members = synsets[token]
        alts = [phrase_regex(m) + "s?" if m + "s" in members else phrase_regex(m)
                for m in members if not (m.endswith("s") and m[:-1] in members)]
        return "(?:" + "|".join(unique(alts)) + ")"
    alts = [phrase_regex(t.lower()) for t in token.split("/") if t]
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def sequence_regex(items: list, synsets: dict, gap: str = GAP) -> str:
    return gap.join(unit_regex(x, synsets) if kind == "w" else
                    sequence_regex(x, synsets, NP_GAP if kind == "np" else GAP) for kind, x in items)


def after_regex(p: Pattern, synsets: dict) -> str | None:
    """Matched (re.match) on the text right after the verb."""
    return GAP + sequence_regex(p.after, synsets) + r"(?!\w)" if p.after else None


def before_core(p: Pattern, synsets: dict) -> str | None:
    """What must come before the verb; + BEFORE_END, searched on the text before it."""
    return r"\b" + sequence_regex(p.before, synsets) if p.before else None


def veto_regex(vetoes: list, words: str, synsets: dict) -> str | None:
    """Sentence regex: the verb with any of the dropped patterns around it."""
    verb, alts, afters = r"\b(?:" + words + r")", [], []
    for p in vetoes:
        after = after_regex(p, synsets) or r"(?!\w)"
        if p.before:
            alts.append(before_core(p, synsets) + GAP + verb[2:] + after)
        else:
            afters.append(after)
    if afters:
        alts.insert(0, verb + "(?:" + "|".join(unique(afters)) + ")")
    return "|".join(alts) or None


def map_code(code: str | None, table: dict, stats: dict) -> dict | None:
    """A CAMEO code as the sense fields of the lexicon; None when it is no PLOVER event."""
    sense = table.get(code)
    if sense is None and code and len(code) == 4 and code[:3] in table:
        sense = table[code[:3]]
        stats["codes mapped through their 3-digit parent"].add(code)
    return sense and {"type": sense[0], "mode": sense[1], "context": list(sense[2]), "cameo": code}


def verbs_of_group(g: Group, owner: dict, d: Dictionary) -> list:
    """The group's verbs without the forms an earlier group has (PETRARCH keeps the first)."""
    verbs = []
    for line, forms, code in g.verbs:
        taken = [f for f in forms if owner.setdefault(f, g.name) != g.name]
        if taken:
            d.skipped.append((line, f"{', '.join(taken)}: already in group {owner[taken[0]]}, kept there"))
        if len(taken) < len(forms):
            verbs.append((line, [f for f in forms if f not in taken], code))
    return verbs


def build_entries(d: Dictionary, table: dict, source_name: str, stats: dict) -> list[dict]:
    """One entry per verb group, plus one per own verb code and one for passive senses."""
    entries, owner = [], {}
    for g in d.groups:
        stats["groups"] += 1
        stats["patterns"] += len(g.patterns)
        verbs = verbs_of_group(g, owner, d)
        if not verbs:
            d.skipped.append((g.line, f"verb group {g.name} has no verbs of its own: no entry, "
                                      f"{len(g.patterns)} patterns not represented"))
            stats["patterns of groups without verbs"] += len(g.patterns)
            continue
        senses = []                        # (pattern, voice, sense or None), most specific first
        for p in sorted(g.patterns, key=lambda p: -sum(demands(p).values())):   # stable
            voice = "active" if p.code[0] or not p.code[1] else "passive"
            senses.append((p, voice, sense := map_code(p.code[0] or p.code[1], table, stats)))
            stats["patterns kept" if sense else "null code [---]" if not any(p.code) else "no PLOVER type"] += 1
        buckets = {}                       # default -> [line of its code, example, default, forms, voice]
        for line, forms, code in verbs:
            own = code is not None and code != g.code
            default = map_code((code if own else g.code)[0], table, stats)
            buckets.setdefault(repr(default), [line if own else g.line, forms[0].upper() if own else g.name,
                                               default, [], "active"])[3].extend(forms)
        if any(v == "passive" and s for _, v, s in senses) or (g.code[1] and not g.code[0]):
            buckets["passive"] = [g.line, g.name, map_code(g.code[1], table, stats),
                                  [f for _, forms, _ in verbs for f in forms], "passive"]
        for line, example, default, forms, voice in buckets.values():
            entries.append(make_entry(g, senses, voice, default, forms, d.synsets,
                                      f"{source_name}:{line}", example, source_name))
    return entries


def make_entry(g, senses, voice, default, forms, synsets, default_source, example, source_name) -> dict:
    """An entry of the lexicon; patterns not in it become the vetoes of those they refine."""
    words = "|".join(escape(f) for f in sorted(unique(forms), key=lambda f: -f.count(" ")))
    entry = {"group": g.name, "source": f"{source_name}:{g.line}", "words": words, "voice": voice,
             "nominal": False, "default": None, "patterns": []}
    vetoes = []
    for p, pvoice, sense in senses:
        if sense is None or pvoice != voice:
            vetoes.append(p)
            continue
        entry["patterns"].append({**sense, "after": after_regex(p, synsets),
                                  "before": before_core(p, synsets) + BEFORE_END if p.before else None,
                                  "unless": veto_regex([v for v in vetoes if demands(p) < demands(v)],
                                                       words, synsets),
                                  "source": f"{source_name}:{p.line}", "example": p.comment})
    if default:
        entry["default"] = {**default, "unless": veto_regex(vetoes, words, synsets),
                            "source": default_source, "example": example}
    return entry


def check_regexes(entries: list[dict]) -> None:
    """Every regex of the lexicon must compile with Python's re."""
    for e in entries:
        for sense in e["patterns"] + [e["default"] or {}]:
            for rx in [e["words"]] + [sense.get(k) for k in ("after", "before", "unless")]:
                try:
                    re.compile(rx or "")
                except re.error as error:
                    raise SystemExit(f"{sense.get('source', e['source'])}: {rx!r} does not compile: {error}")


class Quoted(str):
    """Written double-quoted (regexes, codes)."""


class Flow(list):
    """Written inline: [diplomatic]."""


class LexiconDumper(yaml.SafeDumper):
    pass


LexiconDumper.add_representer(Quoted, lambda dumper, s: dumper.represent_scalar(
    "tag:yaml.org,2002:str", str(s), style='"'))
LexiconDumper.add_representer(Flow, lambda dumper, x: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", list(x), flow_style=True))


def styled(node, key=None):
    if isinstance(node, list):
        return Flow(node) if key == "context" else [styled(x) for x in node]
    if isinstance(node, dict):
        return {k: styled(v, k) for k, v in node.items()}
    return Quoted(node) if key in ("words", "after", "before", "unless", "cameo") and node else node


def render(entries: list[dict], inputs: dict[str, bytes]) -> str:
    header = ["English trigger lexicon, GENERATED by scripts/build_lexicon_en.py: do not edit by hand,",
              "re-run the script. Schema: FORMAT.md. Derived from:"]
    for name, data in inputs.items():
        header += [f"  {name}: {PROVENANCE[name]}", f"    sha256 {hashlib.sha256(data).hexdigest()}"]
    header += ["CAMEO2PLOVER-2021.txt is CC BY-SA 4.0 (share-alike), so this derived file is under",
               "CC BY-SA 4.0 too; the PETRARCH2 dictionary's MIT notice applies to what comes from it."]
    body = yaml.dump(styled(entries), Dumper=LexiconDumper, sort_keys=False, allow_unicode=True, width=1 << 30)
    return "".join(f"# {line}\n" for line in header) + "\n" + body


def coverage(entries: list[dict]) -> dict:
    """PLOVER type -> (groups where it occurs, dictionary patterns that give it)."""
    groups, patterns = {t: set() for t in MODES}, {t: set() for t in MODES}
    for e in entries:
        for s in e["patterns"] + [e["default"]] * bool(e["default"]):
            groups[s["type"]].add(e["group"])
            patterns[s["type"]].update([s["source"]] if "after" in s else [])
    return {t: (len(groups[t]), len(patterns[t])) for t in MODES}


def build(dictionary: Path, table: Path, allow_bad: int = 0, out=None, err=None):
    """Read both files, report on them; (entries, inputs, number of bad lines)."""
    out, err = out or sys.stdout, err or sys.stderr
    inputs = {dictionary.name: dictionary.read_bytes(), table.name: table.read_bytes()}
    d = read_dictionary(inputs[dictionary.name].decode("utf-8").splitlines())
    stats = Counter(**{"codes mapped through their 3-digit parent": set()})
    entries = build_entries(d, read_plover_table(inputs[table.name].decode("utf-8").splitlines()),
                            dictionary.name, stats)
    check_regexes(entries)
    for number, message in sorted(d.bad + d.skipped):
        print(f"{dictionary.name}:{number}: {message}", file=err)
    dropped = stats["null code [---]"] + stats["no PLOVER type"]
    parents = sorted(stats["codes mapped through their 3-digit parent"])
    print(f"groups: {stats['groups']} (entries: {len(entries)})\npatterns: {stats['patterns']}\n"
          f"patterns kept: {stats['patterns kept']}\ndropped (unmapped): {dropped} (null code [---]: "
          f"{stats['null code [---]']}, code with no PLOVER type: {stats['no PLOVER type']})\n"
          f"patterns of groups without verbs of their own: {stats['patterns of groups without verbs']}\n"
          f"bad lines: {len(d.bad)} (allowed: {allow_bad})\nread but not represented: {len(d.skipped)}\n"
          f"codes mapped through their 3-digit parent: {len(parents)} {' '.join(parents)}\n"
          "coverage per PLOVER type (groups, patterns):", file=out)
    for kind, (groups, patterns) in coverage(entries).items():
        print(f"  {kind:<10} {groups:4d} {patterns:5d}", file=out)
    return entries, inputs, len(d.bad)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dictionary", type=Path, default=DICTIONARY)
    ap.add_argument("--table", type=Path, default=TABLE)
    ap.add_argument("--output", type=Path, default=OUTPUT)
    ap.add_argument("--allow-bad", type=int, default=0, metavar="N", help="number of bad lines expected")
    args = ap.parse_args(argv)
    entries, inputs, bad = build(args.dictionary, args.table, args.allow_bad)
    if bad > args.allow_bad:
        print(f"{bad} bad lines, {args.allow_bad} allowed (--allow-bad): nothing written", file=sys.stderr)
        return 1
    args.output.write_text(render(entries, inputs), encoding="utf-8")
    print(f"wrote {args.output} ({args.output.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
