"""Throughput of `extract` and `ingest` with one process and with worker processes.

usage: python benchmarks/bench_jobs.py [--n 1000] [--jobs 1 2] [--runs 1]

N distinct articles (bench_feedback.distinct_articles: dev sentences recombined, so
that ingest stores every one) go through `aliansi extract -o` and `aliansi ingest`
into a new SQLite file, each a fresh process, once per `--jobs` value; articles per
second of wall time (start-up included), the median of --runs runs (the jobs values
taking turns), with the median load average of the machine before them. Checks on
the way that every jobs value gives the same output file and the same stored
articles, events and clusters as the first.
The runs share one PYTHONHASHSEED: the placement of events in clusters depends on
the hash order of strings, so that two runs with different seeds may differ.
"""
from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_feedback import distinct_articles

# what ingest stores, but the times it stored it
TABLES = {"articles": "id, content_hash, url, outlet, published, article_json", "events": "*",
          "event_evidence": "*", "event_clusters": "event_id, cluster_id", "article_sources":
          "article_id, source_key"}


ENV = {**os.environ, "PYTHONHASHSEED": "0"}


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=ENV)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"bench_jobs: {' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return elapsed


def stored(db: Path) -> dict[str, list]:
    with sqlite3.connect(db) as connection:
        return {table: sorted(map(repr, connection.execute(f"SELECT {columns} FROM {table}")))
                for table, columns in TABLES.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()

    aliansi = [sys.executable, "-m", "aliansi"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        batch = tmp / "batch.jsonl"
        with batch.open("w", encoding="utf-8") as handle:
            for record in distinct_articles(args.n):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        timed([*aliansi, "extract", str(next(Path(__file__).parents[1].joinpath("samples")
                                              .glob("*.txt"))), "-o", str(tmp / "warm.jsonl")])
        print(f"{args.n} distinct articles, {os.cpu_count()} CPUs")
        print("| command | jobs | seconds | articles/s | vs jobs 1 | load before |")
        print("|---|---:|---:|---:|---:|---:|")
        first: dict[str, object] = {}
        for kind in ("extract", "ingest"):
            times: dict[int, list[float]] = {jobs: [] for jobs in args.jobs}
            loads: dict[int, list[float]] = {jobs: [] for jobs in args.jobs}
            for run in range(args.runs):        # jobs values in turn: the same load for each
                for jobs in args.jobs:
                    out = tmp / f"{kind}-{jobs}-{run}"
                    loads[jobs].append(os.getloadavg()[0])
                    target = ["-o", str(out.with_suffix(".jsonl"))] if kind == "extract" else \
                        ["--db", str(out.with_suffix(".db")), "--silent"]
                    times[jobs].append(timed([*aliansi, kind, str(batch), "--jobs", str(jobs), *target]))
                    result = out.with_suffix(".jsonl").read_bytes() if kind == "extract" else \
                        stored(out.with_suffix(".db"))
                    if first.setdefault(kind, result) != result:
                        sys.exit(f"bench_jobs: {kind} --jobs {jobs} differs from --jobs {args.jobs[0]}")
                    out.with_suffix(".db").unlink(missing_ok=True)
            base = statistics.median(times[args.jobs[0]])
            for jobs in args.jobs:
                seconds = statistics.median(times[jobs])
                print(f"| {kind} | {jobs} | {seconds:.1f} | {args.n / seconds:.1f} | "
                      f"{base / seconds:.2f}x | {statistics.median(loads[jobs]):.2f} |", flush=True)
        print("outputs identical across jobs values")


if __name__ == "__main__":
    main()
