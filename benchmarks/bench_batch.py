"""Batch mode (Dask) against one process: `aliansi extract` and `aliansi ingest`.

usage: python benchmarks/bench_batch.py [--n 2000] [--workers 2] [--runs 1]

N distinct articles (bench_feedback.distinct_articles: dev sentences recombined, so
that ingest stores every one) go through the CLI, each run a fresh process:

- in process: `--jobs 1`;
- Dask, cold: `--workers W`, a local cluster started by the command (its start and
  the loading of a pipeline per worker are timed);
- Dask, warm: `--scheduler ADDRESS` of a local cluster of W workers started and
  warmed up beforehand, as a running (multi-machine) cluster would be.

Articles per second of wall time and the speed-up over in process, the median of
--runs runs (the modes taking turns), with the load average before each. Checks that
every mode writes the same extract output and the same store (articles, events,
evidence, clusters, sources) as in process. All runs share one PYTHONHASHSEED (the
placement of events in clusters depends on the hash order of strings).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

from bench_feedback import distinct_articles
from bench_jobs import stored, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()

    import distributed

    from aliansi import batch

    aliansi = [sys.executable, "-m", "aliansi"]
    with tempfile.TemporaryDirectory() as tmp, \
            distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                                     scheduler_kwargs=batch.QUIET_SCHEDULER) as cluster:
        tmp = Path(tmp)
        articles = tmp / "articles.jsonl"
        with articles.open("w", encoding="utf-8") as handle:
            for record in distinct_articles(args.n):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        sample = str(next(Path(__file__).parents[1].joinpath("samples").glob("*.txt")))
        timed([*aliansi, "extract", sample, "-o", str(tmp / "warm.jsonl")])      # the start-up cache
        timed([*aliansi, "extract", str(articles), "-o", str(tmp / "warm.jsonl"),   # every worker's pipeline
               "--scheduler", cluster.scheduler_address])
        modes = {"in process (--jobs 1)": ["--jobs", "1"],
                 f"Dask, cold (--workers {args.workers})": ["--workers", str(args.workers)],
                 f"Dask, warm (--scheduler, {args.workers} workers)":
                     ["--scheduler", cluster.scheduler_address]}
        print(f"{args.n} distinct articles, {os.cpu_count()} CPUs, partitions of "
              f"{batch.PARTITION_SIZE}")
        print("| command | mode | seconds | articles/s | speed-up | load before |")
        print("|---|---|---:|---:|---:|---:|")
        for kind in ("extract", "ingest"):
            times: dict[str, list[float]] = {mode: [] for mode in modes}
            loads: dict[str, list[float]] = {mode: [] for mode in modes}
            first = None
            for run in range(args.runs):        # the modes in turn: the same load for each
                for i, (mode, options) in enumerate(modes.items()):
                    out = tmp / f"{kind}-{i}-{run}"
                    target = ["-o", f"{out}.jsonl"] if kind == "extract" else ["--db", f"{out}.db"]
                    loads[mode].append(os.getloadavg()[0])
                    times[mode].append(timed([*aliansi, kind, str(articles), *target, *options]))
                    result = Path(f"{out}.jsonl").read_bytes() if kind == "extract" \
                        else stored(Path(f"{out}.db"))
                    first = result if first is None else first
                    if result != first:
                        sys.exit(f"bench_batch: {kind} {mode} differs from in process")
            base = statistics.median(times[next(iter(modes))])
            for mode in modes:
                seconds = statistics.median(times[mode])
                print(f"| `{kind}` | {mode} | {seconds:.1f} | {args.n / seconds:.1f} | "
                      f"{base / seconds:.2f}x | {statistics.median(loads[mode]):.2f} |", flush=True)
        print(f"\nthe same output and store in every mode (load after: {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
