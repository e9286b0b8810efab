#!/usr/bin/env python3
"""The real-news corpus: check it, split it, build the files the scorer reads.

usage: python benchmarks/realnews/realnews.py check [--part P]
       python benchmarks/realnews/realnews.py build
       python benchmarks/realnews/realnews.py split
       python benchmarks/realnews/realnews.py restore ID EXCERPT_FILE

The texts are the publishers': they live in text/ (git-ignored) and are restored
from the query recorded for each article in INDEX.tsv (see README.md here). What
is in git: INDEX.tsv (one line an article, with its half), gold/<id>.json (the
annotations, evidence as a short cue) and this script.

- check: every indexed article has its text (the length and checksum recorded),
  a gold file that follows EVENTS.md (types, modes, contexts, actor codes, dates)
  and evidence cues found verbatim in the text. Prints one line per problem,
  naming the file; exit status 1 when there is any.
- build: writes articles.jsonl (every article, the record of EVENTS.md §1) and
  build/{articles,gold}-{tune,check}.jsonl, the gold with each cue widened to the
  sentence that holds it, for eval/score.py.
- split: assigns each outlet to `tune` or `check` (once; the halves are fixed
  after that) and writes INDEX.tsv from the collectors' parts/*.tsv.
- restore: writes text/ID.txt from an excerpt saved from the search tool,
  keeping the lines the index names, and checks it against the recorded checksum.
Standard library and PyYAML only.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
import unicodedata
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
HERE = CORPUS       # the corpus in use; --root names another (tests)
KB = Path(__file__).resolve().parents[2] / "src" / "aliansi" / "data" / "kb"
COLUMNS = ["id", "half", "language", "outlet", "url", "published", "published_basis",
           "genre", "lines", "chars", "sha256", "query"]
PART_COLUMNS = ["id", "language", "outlet", "url", "published", "published_basis",
                "genre", "lines", "query"]

# EVENTS.md §3 and §4: the contract the gold follows.
ORGANISATIONS = set("""NATO UN EU ASEAN AU G7 G20 QUAD AUKUS IP4 SCO BRICS OPEC IAEA WHO
    WTO IMF WB ICC ICJ OSCE GCC ARAB_LEAGUE OIC APEC CSTO ECOWAS PIF INTERPOL
    RED_CROSS""".split())
MODES = {
    "CONSULT": "visit third-party multilateral phone",
    "RETREAT": "withdraw release disarm ceasefire access resign",
    "REQUEST": "assist change yield meet", "REJECT": "assist change yield meet",
    "ACCUSE": "disapprove investigate allege",
    "THREATEN": "restrict arrest relations expel territory violence",
    "PROTEST": "demo riot strike hunger boycott obstruct vandalize",
    "SANCTION": "convict expel withdraw discontinue",
    "MOBILIZE": "troops weapons police militia",
    "COERCE": "seize restrict censor curfew martial-law arrest deport withhold "
              "misinformation cyber",
    "ASSAULT": "abduct beat torture sexual targeted destroy primitive firearms explosives "
               "suicide-attack aerial drone heavy-weapons crowd-control unconventional",
    "AGREE": "", "SUPPORT": "", "CONCEDE": "", "COOPERATE": "", "AID": "",
}
MODES = {t: set(m.split()) for t, m in MODES.items()}
CONTEXTS = set("""military intelligence executive legislative election political_institutions
    pro_democracy pro_autocracy economic legal reparations human_rights rights_freedoms
    repression human_security gender lgbt religion_ethnicity inequality diplomatic
    territory peacekeeping health asylum migration disasters natural_resource environment
    technology terrorism cbrn cyber misinformation crime corruption illegal_drugs
    trafficking""".split())
# Brands of one publisher, for the split (outlet_group).
OUTLET_GROUPS = {"Pos Kupang": "Tribunnews", "Kompas TV": "Kompas", "Metro TV": "Medcom",
                 "Prokal": "Kaltim Post", "BBC Indonesia": "BBC", "RMOL Sumsel": "RMOL"}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*(?=\s|$)|\n")


class Problems(list):
    def add(self, where, what):
        self.append(f"{where}: {what}")


def state_codes() -> set[str]:
    codes = set()
    for name in ("states.yaml", "states_extra.yaml"):
        path = KB / name
        if path.exists():
            codes |= set(re.findall(r"^- code: ([A-Z]{3})\b", path.read_text(encoding="utf-8"), re.M))
    return codes


def read_tsv(path: Path, columns: list[str], problems: Problems) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for n, fields in enumerate(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE), 1):
            if not fields or fields[0] in ("", "id"):
                continue
            if len(fields) != len(columns):
                problems.add(f"{path}:{n}", f"{len(fields)} columns, expected {len(columns)} "
                             f"({' '.join(columns)})")
                continue
            rows.append(dict(zip(columns, fields)) | {"where": f"{path.name}:{n}"})
    return rows


def index_rows(problems: Problems, part: str | None = None, *,
               parts_only: bool = False) -> list[dict]:
    """The indexed articles: INDEX.tsv, else the collectors' parts (one part with --part)."""
    if (HERE / "INDEX.tsv").exists() and not part and not parts_only:
        return read_tsv(HERE / "INDEX.tsv", COLUMNS, problems)
    paths = [HERE / "parts" / f"{part}.tsv"] if part else sorted((HERE / "parts").glob("*.tsv"))
    rows = []
    for path in paths:
        if not path.exists():
            problems.add(path, "no such part file")
            continue
        rows += read_tsv(path, PART_COLUMNS, problems)
    return rows


def normalised(text: str) -> str:
    """What the checksum covers: the text with its spacing and quote style evened out,
    so that a text restored by hand from the search tool still matches."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans("“”„‘’‚`", "\"\"\"''''"))
    return " ".join(text.split())


def fingerprint(text: str) -> str:
    return hashlib.sha256(normalised(text).encode("utf-8")).hexdigest()[:16]


def keep_lines(excerpt: str, spec: str) -> str:
    if spec in ("", "all"):
        return excerpt
    lines = excerpt.split("\n")
    kept = []
    for part in spec.split(","):
        first, _, last = part.partition("-")
        kept += lines[int(first) - 1:int(last or first)]
    return "\n".join(kept)


def sentence_of(text: str, cue: str) -> str | None:
    """The sentence of `text` that holds `cue`, verbatim; None when the cue is absent."""
    at = text.find(cue)
    if at < 0:
        return None
    start = 0
    for m in SENTENCE_END.finditer(text, 0, at):
        start = m.end()
    m = SENTENCE_END.search(text, at + len(cue))
    end = m.end() if m else len(text)
    return text[start:end].strip()


def check_gold(gold: dict, text: str | None, where: str, states: set[str], problems: Problems):
    codes = states | ORGANISATIONS
    for key in ("doc_id", "actors", "persons", "events"):
        if key not in gold:
            problems.add(where, f"no '{key}'")
    if gold.get("published") and not DATE.match(str(gold["published"])):
        problems.add(where, f"published {gold['published']!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
    for code in gold.get("actors") or []:
        if code not in codes:
            problems.add(where, f"actors: unknown actor code {code!r}")
    for p in gold.get("persons") or []:
        if not isinstance(p, dict) or not p.get("name"):
            problems.add(where, f"persons: {p!r} has no name")
        elif p.get("actor") and p["actor"] not in codes:
            problems.add(where, f"person {p['name']!r}: unknown actor code {p['actor']!r}")
    for n, e in enumerate(gold.get("events") or [], 1):
        at = f"{where}: event {n}"
        kind = e.get("type")
        if kind not in MODES:
            problems.add(at, f"type {kind!r} is not one of the 16 PLOVER types")
            continue
        if e.get("mode") is not None and e["mode"] not in MODES[kind]:
            allowed = ", ".join(sorted(MODES[kind])) or "none (null)"
            problems.add(at, f"mode {e['mode']!r} is not a {kind} mode ({allowed})")
        for c in e.get("context") or []:
            if c not in CONTEXTS:
                problems.add(at, f"context {c!r} is not a PLOVER context")
        for side in ("source", "target"):
            value = e.get(side)
            if not isinstance(value, list):
                problems.add(at, f"{side} must be a list of actor codes, not {value!r}")
                continue
            for code in value:
                if code not in codes:
                    problems.add(at, f"{side}: unknown actor code {code!r}")
        if not e.get("source"):
            problems.add(at, "no source")
        if e.get("date") is not None and not DATE.match(str(e["date"])):
            problems.add(at, f"date {e['date']!r} is not YYYY-MM-DD, YYYY-MM, YYYY or null")
        cue = e.get("evidence") or ""
        if not cue.strip():
            problems.add(at, "no evidence cue")
        elif text is not None and cue not in text:
            problems.add(at, f"evidence cue {cue!r} is not in the text")


def load_gold(row: dict, problems: Problems) -> dict | None:
    path = HERE / "gold" / f"{row['id']}.json"
    if not path.exists():
        problems.add(path, "missing (every indexed article needs its gold file)")
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        problems.add(path, f"not JSON: {exc}")
        return None


def load_text(row: dict, problems: Problems) -> str | None:
    path = HERE / "text" / f"{row['id']}.txt"
    if not path.exists():
        problems.add(path, "text missing: restore it from INDEX.tsv's query (README.md here)")
        return None
    text = path.read_text(encoding="utf-8")
    if len(text.strip()) < 200:
        problems.add(path, f"only {len(text.strip())} characters of text")
    if row.get("sha256") and fingerprint(text) != row["sha256"]:
        problems.add(path, f"text differs from the indexed one ({len(text)} characters, "
                     f"{row['chars']} indexed): restore it again")
    return text


def check(args) -> int:
    problems = Problems()
    rows = index_rows(problems, args.part)
    states = state_codes()
    seen = {}
    for row in rows:
        if row["id"] in seen:
            problems.add(row["where"], f"id {row['id']} also at {seen[row['id']]}")
        seen[row["id"]] = row["where"]
        if row["language"] not in ("id", "en"):
            problems.add(row["where"], f"language {row['language']!r} (id or en)")
        if row.get("published") and not DATE.match(row["published"]):
            problems.add(row["where"], f"published {row['published']!r} is not a date")
        text = load_text(row, problems)
        gold = load_gold(row, problems)
        if gold is not None:
            check_gold(gold, text, f"gold/{row['id']}.json", states, problems)
    for line in problems:
        print(line)
    print(f"{len(rows)} articles checked, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


def outlet_group(outlet: str) -> str:
    """The publisher a brand belongs to, for the split: one network's regional papers
    and its television site share desks and copy, so they go to one half."""
    return OUTLET_GROUPS.get(outlet, outlet)


def split(args) -> int:
    """Each outlet group goes to one half; groups are taken in the order of their
    names' checksums and each joins the half that has fewer articles of its main
    language, so the split is fixed by the names alone and both halves hold both
    languages. Groups already in INDEX.tsv keep their half."""
    problems = Problems()
    old = read_tsv(HERE / "INDEX.tsv", COLUMNS, problems) if (HERE / "INDEX.tsv").exists() else []
    if old and not args.add:
        sys.exit(f"{HERE / 'INDEX.tsv'} exists: the halves are fixed (--add places new articles only)")
    known = {r["id"] for r in old}
    rows = old + [r for r in index_rows(problems, parts_only=True) if r["id"] not in known]
    half_of = {outlet_group(r["outlet"]): r["half"] for r in old}
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(outlet_group(r["outlet"]), []).append(r)
    size = {(half, lang): 0 for half in ("tune", "check") for lang in ("id", "en")}
    for r in old:
        size[(r["half"], r["language"])] += 1
    for group in sorted(groups, key=lambda g: hashlib.sha256(g.encode()).hexdigest()):
        if group in half_of:
            continue
        langs = [r["language"] for r in groups[group]]
        lang = max(set(langs), key=langs.count)
        half_of[group] = min(("tune", "check"), key=lambda h: (size[(h, lang)], h == "check"))
        for r in groups[group]:
            size[(half_of[group], r["language"])] += 1
    out = []
    for r in rows:
        if not r.get("sha256"):
            text_path = HERE / "text" / f"{r['id']}.txt"
            text = text_path.read_text(encoding="utf-8") if text_path.exists() else ""
            r = dict(r, chars=str(len(text)), sha256=fingerprint(text) if text else "")
        out.append(dict(r, half=half_of[outlet_group(r["outlet"])]))
    out.sort(key=lambda r: (r["half"], r["language"], r["id"]))
    with (HERE / "INDEX.tsv").open("w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(COLUMNS) + "\n")
        for r in out:
            fh.write("\t".join(r[c].replace("\t", " ") for c in COLUMNS) + "\n")
    for line in problems:
        print(line)
    print(f"wrote {HERE / 'INDEX.tsv'}: " + ", ".join(f"{h} {l} {n}" for (h, l), n in size.items()),
          file=sys.stderr)
    return 1 if problems else 0


def build(args) -> int:
    problems = Problems()
    rows = index_rows(problems)
    (HERE / "build").mkdir(exist_ok=True)
    files = {}
    for name in ("articles-tune", "articles-check", "gold-tune", "gold-check"):
        files[name] = (HERE / "build" / f"{name}.jsonl").open("w", encoding="utf-8")
    everything = (HERE / "articles.jsonl").open("w", encoding="utf-8")
    built = 0
    states = state_codes()
    for row in rows:
        text, gold = load_text(row, problems), load_gold(row, problems)
        if text is None or gold is None:
            continue
        check_gold(gold, text, f"gold/{row['id']}.json", states, problems)
        # a feed gives the day; a month or year known only from the text is not given
        published = row["published"] if len(row["published"]) == 10 else None
        record = {"id": row["id"], "url": row["url"], "outlet": row["outlet"],
                  "published": published, "language": row["language"], "title": None,
                  "text": text}
        line = json.dumps(record, ensure_ascii=False) + "\n"
        everything.write(line)
        files[f"articles-{row['half']}"].write(line)
        events = []
        for n, e in enumerate(gold.get("events") or [], 1):
            if e.get("hypothetical") or e.get("negated"):
                continue  # not events by EVENTS.md §4; kept in the annotation only
            sentence = sentence_of(text, e.get("evidence") or "") or e.get("evidence")
            events.append(dict(e, evidence=sentence, cue=e.get("evidence")))
        files[f"gold-{row['half']}"].write(json.dumps(dict(gold, doc_id=row["id"], events=events),
                                                      ensure_ascii=False) + "\n")
        built += 1
    for fh in [everything, *files.values()]:
        fh.close()
    for line in problems:
        print(line)
    print(f"built {built} of {len(rows)} articles", file=sys.stderr)
    return 1 if problems else 0


def restore(args) -> int:
    problems = Problems()
    row = next((r for r in index_rows(problems) if r["id"] == args.id), None)
    if row is None:
        sys.exit(f"{args.id}: not in INDEX.tsv")
    excerpt = Path(args.excerpt).read_text(encoding="utf-8")
    text = keep_lines(excerpt, row["lines"])
    if row.get("sha256") and fingerprint(text) != row["sha256"]:
        sys.exit(f"{args.excerpt}: not the indexed text of {args.id} (checksum differs): "
                 f"is it the result for {row['url']}?")
    (HERE / "text").mkdir(exist_ok=True)
    (HERE / "text" / f"{args.id}.txt").write_text(text, encoding="utf-8")
    print(f"restored text/{args.id}.txt", file=sys.stderr)
    return 0


def main(argv=None) -> int:
    global HERE
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=str(CORPUS), help="the corpus folder (default: beside this script)")
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check", help="check texts, gold files and cues")
    p.add_argument("--part", help="only the collector's part file parts/PART.tsv")
    p.set_defaults(run=check)
    sub.add_parser("build", help="write articles.jsonl and build/*.jsonl").set_defaults(run=build)
    p = sub.add_parser("split", help="assign outlets to halves and write INDEX.tsv")
    p.add_argument("--add", action="store_true",
                   help="place new articles of parts/*.tsv into the existing halves")
    p.set_defaults(run=split)
    p = sub.add_parser("restore", help="write text/ID.txt from a saved excerpt")
    p.add_argument("id")
    p.add_argument("excerpt")
    p.set_defaults(run=restore)
    args = ap.parse_args(argv)
    HERE = Path(args.root).resolve()
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
