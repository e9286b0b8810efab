"""Every yardstick side by side: the shared dev articles, the PLOVER sentences and
the two halves of the real-news corpus, with a breakdown of the errors.

usage: python benchmarks/score_all.py [--json] [--errors tune|dev|plover] [--lexicons en,id]

Runs the extractor in-process (the code path of `aliansi explain`, which is
`aliansi extract` plus what each sentence's triggers did), scores each set with
aliansi's scorer (held equal to ../shared/eval/score.py by a test) and sorts the
errors by cause:

  missed events   flagged      the event was found but flagged hypothetical/negated
                  wrong date   found with its actors, at a date that contradicts gold
                  wrong actors an event of its type stands in its sentence, other actors
                  other type   its actors stand in an event of another type there
                  no argument  a trigger of its type fired in the sentence, no event made
                  no trigger   no trigger of its type in the sentence (vocabulary)
  false alarms    duplicate    a second event for one gold event
                  misdated     the gold event is there, at another date
                  wrong actors the sentence has a gold event of the type, other actors
                  type the text lacks   no gold event of the type in the sentence

realnews-check is the headline figure. Its errors are never listed: `--errors`
takes tune, dev or plover only; look at the check half's texts and errors never.
A set whose files are missing is skipped with the reason.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REALNEWS = ROOT / "benchmarks" / "realnews"
sys.path.insert(0, str(REALNEWS))

MISS_CAUSES = ("flagged", "wrong date", "wrong actors", "other type", "no argument", "no trigger")
FALSE_CAUSES = ("duplicate", "misdated", "wrong actors", "type the text lacks")


def sets() -> list[tuple[str, Path | None, Path | None, str]]:
    """(name, articles, gold, why missing)."""
    dev, gsr = SHARED / "gold" / "dev", SHARED / "gold" / "plover-gsr"
    out = [("dev", dev / "articles.jsonl", dev, "../shared/gold/dev"),
           ("plover", gsr / "articles.jsonl", gsr / "gold.jsonl", "../shared/gold/plover-gsr")]
    for half in ("tune", "check"):
        out.append((f"realnews-{half}", REALNEWS / "build" / f"articles-{half}.jsonl",
                    REALNEWS / "build" / f"gold-{half}.jsonl", "benchmarks/realnews texts"))
    return out


def build_realnews() -> str | None:
    """Rebuild the real-news files from the texts; the reason when that cannot be done."""
    import realnews

    if not (REALNEWS / "INDEX.tsv").exists():
        return "no benchmarks/realnews/INDEX.tsv"
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = realnews.main(["--root", str(REALNEWS), "build"])
    if status:
        problems = out.getvalue().splitlines()
        return (f"{len(problems)} problems in the real-news corpus (first: {problems[0]}); "
                "run benchmarks/realnews/realnews.py check")
    return None


def spans(text: str, evidence: str) -> tuple[int, int] | None:
    """Where the evidence sentence stands in the text (its first 60 characters found)."""
    if not evidence:
        return None
    at = text.find(evidence)
    if at < 0:
        at = text.find(evidence[:60])
    return (at, at + len(evidence)) if at >= 0 else None


def overlaps(a, b) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def diagnose(gold_doc: dict, system_doc: dict, report: list[dict], text: str) -> tuple[list, list]:
    """The missed gold events and the false alarms of one document, each with its cause."""
    from aliansi.scoring import (EVENT_TYPES, _event_counts, same_actors, same_dyad,
                                 same_event, same_occurrence)

    gold = [e for e in gold_doc.get("events", []) if e.get("type") in EVENT_TYPES]
    made = system_doc.get("events") or []
    flagged = [e for e in made if e.get("hypothetical") or e.get("negated")]
    system = [e for e in made if e not in flagged]
    _, pairs = _event_counts(gold, system, same_event)
    hit_gold, hit_sys = {i for i, _ in pairs}, {j for _, j in pairs}
    gold_span = [spans(text, g.get("evidence") or "") for g in gold]
    sys_span = [tuple(s["evidence_spans"][0]) if s.get("evidence_spans") else spans(text, s["evidence"])
                for s in system]

    def in_sentence(g_at, s) -> bool:
        at = tuple(s["evidence_spans"][0]) if s.get("evidence_spans") else spans(text, s["evidence"])
        return overlaps(g_at, at)

    missed = []
    for i, g in enumerate(gold):
        if i in hit_gold or g.get("optional"):
            continue
        at = gold_span[i]
        triggers = [n for sentence in report if overlaps(at, (sentence["start"], sentence["start"]
                                                             + len(sentence["sentence"])))
                    for n in sentence["not_events"] if n["type"] == g["type"]]
        if any(same_event(g, s) and same_occurrence(g, s) for s in flagged):
            cause = "flagged"
        elif any(same_event(g, s) for s in system):
            cause = "wrong date"
        elif any(s["type"] == g["type"] and in_sentence(at, s) for s in system):
            cause = "wrong actors"
        elif any(same_dyad(g, s) and in_sentence(at, s) for s in system):
            cause = "other type"
        elif triggers:
            cause = "no argument"
        else:
            cause = "no trigger"
        missed.append((cause, g, triggers))
    false = []
    for j, s in enumerate(system):
        if j in hit_sys or any(g.get("optional") and same_event(g, s) and same_occurrence(g, s)
                               for g in gold):
            continue
        if any(same_event(g, s) and same_occurrence(g, s) for g in gold):
            cause = "duplicate"
        elif any(same_event(g, s) for g in gold):
            cause = "misdated"
        elif any(g["type"] == s["type"] and overlaps(gold_span[i], sys_span[j])
                 for i, g in enumerate(gold)):
            cause = "wrong actors"
        else:
            cause = "type the text lacks"
        false.append((cause, s))
    return missed, false


def run_set(name: str, articles: Path, gold_path: Path, pipeline) -> dict:
    from aliansi.api import explain
    from aliansi.scoring import load_documents, score

    gold = load_documents(gold_path)
    system, details = {}, {}
    started = time.perf_counter()
    for article, report in explain([articles], pipeline=pipeline):
        output = article.to_output()
        if article.id in system:  # one id on two records: their findings add up, as score.py adds them
            for key in ("events", "actors", "persons"):
                system[article.id][key] += output[key]
        else:
            system[article.id] = output
            details[article.id] = (report, article.text)
    seconds = time.perf_counter() - started
    result, _ = score(gold, system)
    missed, false = [], []
    for doc_id, gold_doc in gold.items():
        report, text = details.get(doc_id, ([], ""))
        m, f = diagnose(gold_doc, system.get(doc_id, {}), report, text)
        missed += [(doc_id, *x) for x in m]
        false += [(doc_id, *x) for x in f]
    result.update(name=name, seconds=round(seconds, 1),
                  missed=dict(Counter(c for _, c, *_ in missed)),
                  false=dict(Counter(c for _, c, *_ in false)))
    result["_errors"] = (missed, false)
    return result


def table(results: list[dict]) -> list[str]:
    def f(x):
        return "—" if x is None else f"{x:.3f}"

    lines = [f"{'set':16s} {'docs':>4s}  {'event P / R / F1':19s}  {'dyad F1':>7s}  {'actor F1':>8s}"
             f"  {'person P / R / F1':19s}  {'date':>5s}  {'mode':>5s}"]
    for r in results:
        e, p = r["event"], r["person"]
        person = f"{f(p['precision'])} / {f(p['recall'])} / {f(p['f1'])}" if p["tp"] + p["fn"] else "—"
        lines.append(f"{r['name']:16s} {r['documents']:4d}  {f(e['precision'])} / {f(e['recall'])} / "
                     f"{f(e['f1'])}  {f(r['dyad']['f1']):>7s}  {f(r['actor']['f1']):>8s}  {person:19s}"
                     f"  {f(r['date_accuracy']):>5s}  {f(r['mode_accuracy']):>5s}")
    lines.append("")
    lines.append("missed events by cause (share of the set's misses):")
    lines += breakdown(results, "missed", MISS_CAUSES)
    lines.append("false alarms by cause (share of the set's false alarms):")
    lines += breakdown(results, "false", FALSE_CAUSES)
    return lines


def breakdown(results: list[dict], key: str, causes: tuple[str, ...]) -> list[str]:
    lines = [f"  {'':20s}" + "".join(f"{r['name']:>18s}" for r in results)]
    for cause in causes:
        row = f"  {cause:20s}"
        for r in results:
            n, total = r[key].get(cause, 0), sum(r[key].values())
            row += f"{n:>10d} ({n / total:4.0%})" if total else f"{0:>10d}       "
        lines.append(row)
    return lines


def list_errors(result: dict) -> list[str]:
    missed, false = result["_errors"]
    lines = [f"== missed events in {result['name']}"]
    for doc_id, cause, g, triggers in sorted(missed, key=lambda x: (x[1], x[0])):
        fired = "; ".join(f"{t['trigger']!r}: {t['why']}" for t in triggers)
        lines.append(f"[{cause}] {doc_id} {g['type']} {g.get('source')}->{g.get('target')} "
                     f"{g.get('date')} | {g.get('evidence')}" + (f" || {fired}" if fired else ""))
    lines.append(f"== false alarms in {result['name']}")
    for doc_id, cause, s in sorted(false, key=lambda x: (x[1], x[0])):
        lines.append(f"[{cause}] {doc_id} {s['type']} {s['source']}->{s['target']} {s['date']} "
                     f"({s['trigger']}) | {s['evidence']}")
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--lexicons", metavar="LANGS",
                    help="built lexicons to use instead of the default, e.g. en,id (or none)")
    ap.add_argument("--errors", choices=["tune", "dev", "plover"],
                    help="list every error of one set (never of the check half)")
    args = ap.parse_args(argv)
    import logging

    logging.getLogger("aliansi").setLevel(logging.ERROR)    # the figures, not per-article notes
    from aliansi.pipeline import Pipeline

    why_not = build_realnews()
    config = {}
    if args.lexicons is not None:
        langs = [lang for lang in args.lexicons.split(",") if lang and lang != "none"]
        config = {"events": {"lexicons": langs}}
    pipeline = Pipeline(config=config)
    results, skipped = [], []
    for name, articles, gold, source in sets():
        if name.startswith("realnews") and why_not:
            skipped.append(f"{name}: skipped, {why_not}")
        elif not articles.exists() or not gold.exists():
            skipped.append(f"{name}: skipped, {source} is absent")
        else:
            results.append(run_set(name, articles, gold, pipeline))
    if args.json:
        print(json.dumps([{k: v for k, v in r.items() if not k.startswith("_")} for r in results],
                         indent=1))
    else:
        print("\n".join(table(results)) if results else "no set could be scored")
        for line in skipped:
            print(line)
    if args.errors:
        wanted = {"tune": "realnews-tune"}.get(args.errors, args.errors)
        for r in results:
            if r["name"] == wanted:
                print("\n".join(list_errors(r)))
    return 0 if results else 1


if __name__ == "__main__":
    sys.exit(main())
