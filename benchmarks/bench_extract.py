"""Throughput and peak memory of extraction, plus the dev-set scores.

usage: python benchmarks/bench_extract.py [--sizes 100 1000 10000] [--articles FILE]

Each size runs in a fresh process: N articles made by repeating the dev articles
(../shared/gold/dev/articles.jsonl, or --articles) with new ids, extracted by the
same code path as `aliansi extract`. Prints articles/s and peak RSS per size,
then the scores of ../shared/eval/score.py on both dev sets.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def run_one(articles: Path, n: int) -> dict:
    from aliansi.api import extract
    from aliansi.pipeline import Pipeline

    records = [json.loads(line) for line in articles.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch.jsonl"
        with batch.open("w", encoding="utf-8") as out:
            for i in range(n):
                record = dict(records[i % len(records)], id=f"bench-{i}")
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        started = time.perf_counter()
        pipeline = Pipeline()
        loaded = time.perf_counter()
        events = sum(len(a.events) for a in extract([batch], pipeline=pipeline))
        finished = time.perf_counter()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"articles": n, "events": events, "load_s": round(loaded - started, 2),
            "extract_s": round(finished - loaded, 2),
            "articles_per_s": round(n / (finished - loaded), 1), "peak_rss_mib": round(peak_mib)}


def scores() -> list[str]:
    lines = []
    for name in ("dev", "plover-gsr"):
        gold = SHARED / "gold" / name
        articles = gold / "articles.jsonl"
        gold_arg = gold / "gold.jsonl" if (gold / "gold.jsonl").exists() else gold
        out = subprocess.run([sys.executable, "-m", "aliansi", "extract", str(articles)],
                             capture_output=True, text=True)
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as tmp:
            tmp.write(out.stdout)
        report = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(gold_arg), tmp.name],
                                capture_output=True, text=True).stdout
        lines.append(f"== {name}\n{report}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--articles", type=Path, default=SHARED / "gold" / "dev" / "articles.jsonl")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--no-scores", action="store_true")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.articles, args.one)))
        return
    if not args.articles.exists():
        sys.exit(f"{args.articles}: not found (pass --articles FILE)")
    print("| articles | events | load s | extract s | articles/s | peak RSS MiB |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--articles", str(args.articles)],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"| {r['articles']} | {r['events']} | {r['load_s']} | {r['extract_s']} | "
              f"{r['articles_per_s']} | {r['peak_rss_mib']} |", flush=True)
    if not args.no_scores and (SHARED / "eval" / "score.py").exists():
        print()
        for block in scores():
            print(block)


if __name__ == "__main__":
    main()
