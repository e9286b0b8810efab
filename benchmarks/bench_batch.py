"""Throughput of batch mode (`aliansi.batch.extract` on Dask) against in-process extraction.

usage: python benchmarks/bench_batch.py [--n 2000] [--workers 1 2] [--partition-size 200] [--articles FILE]

N articles are made by repeating the dev articles (../shared/gold/dev/articles.jsonl,
or --articles) with new ids, as bench_extract.py does. Each row runs in a fresh
process:

- in-process: `aliansi.api.extract` with a pipeline loaded beforehand;
- workers=W, cold: `batch.extract(workers=W)`, timed from the call to the last
  article, so it includes starting the cluster and loading a pipeline per worker;
- workers=W, warm: the same on a cluster started and warmed up beforehand
  (`scheduler=` its address), so only extraction and transport are timed.

Prints a markdown table (speed-up: articles/s over in-process articles/s) and the
load average before the first run: on a shared machine other processes take cores,
so the CPU seconds are given too (in process: the whole process; warm: the workers'
sum, and the client's reading, scheduling and decoding apart).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def make_batch(articles: Path, n: int, folder: Path) -> Path:
    records = [json.loads(line) for line in articles.read_text(encoding="utf-8").splitlines() if line.strip()]
    path = folder / "batch.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            out.write(json.dumps(dict(records[i % len(records)], id=f"bench-{i}"), ensure_ascii=False) + "\n")
    return path


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def in_process(path: Path) -> dict:
    from aliansi.api import extract
    from aliansi.pipeline import Pipeline

    pipeline = Pipeline()
    cpu, started = cpu_seconds(), time.perf_counter()
    events = sum(len(a.events) for a in extract([path], pipeline=pipeline))
    return {"events": events, "seconds": time.perf_counter() - started, "cpu": cpu_seconds() - cpu}


def cold(path: Path, workers: int, partition_size: int) -> dict:
    from aliansi import batch

    started = time.perf_counter()
    events = sum(len(a.events) for a in batch.extract([path], workers=workers, partition_size=partition_size))
    return {"events": events, "seconds": time.perf_counter() - started}


def warm(path: Path, workers: int, partition_size: int) -> dict:
    import distributed

    from aliansi import batch

    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  scheduler_kwargs=batch.QUIET_SCHEDULER) as cluster, \
            distributed.Client(cluster, set_as_default=False) as client:
        address = cluster.scheduler_address
        # one small partition per worker and then some: every worker loads its pipeline
        warmup = path.parent / "warmup.jsonl"
        warmup.write_text("".join(path.read_text(encoding="utf-8").splitlines(True)[:4 * workers]),
                          encoding="utf-8")
        list(batch.extract([warmup], scheduler=address, partition_size=1))
        before = sum(client.run(cpu_seconds).values())
        cpu, started = cpu_seconds(), time.perf_counter()
        events = sum(len(a.events) for a in batch.extract([path], scheduler=address,
                                                          partition_size=partition_size))
        seconds = time.perf_counter() - started
        return {"events": events, "seconds": seconds, "client_cpu": cpu_seconds() - cpu,
                "cpu": sum(client.run(cpu_seconds).values()) - before}


def run_one(mode: str, workers: int, articles: Path, n: int, partition_size: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = make_batch(articles, n, Path(tmp))
        if mode == "in-process":
            result = in_process(path)
        elif mode == "cold":
            result = cold(path, workers, partition_size)
        else:
            result = warm(path, workers, partition_size)
    return {**result, "mode": mode, "workers": workers, "articles": n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--partition-size", type=int, default=200)
    parser.add_argument("--articles", type=Path, default=SHARED / "gold" / "dev" / "articles.jsonl")
    parser.add_argument("--one", nargs=2, metavar=("MODE", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one[0], int(args.one[1]), args.articles, args.n, args.partition_size)))
        return
    if not args.articles.exists():
        sys.exit(f"{args.articles}: not found (pass --articles FILE)")
    print(f"{args.n} articles, partitions of {args.partition_size}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f} before the first run\n")
    print("| mode | workers | events | seconds | articles/s | speed-up | worker CPU s | client CPU s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    runs = [("in-process", 0)] + [(mode, w) for w in args.workers for mode in ("cold", "warm")]
    base = None
    for mode, workers in runs:
        out = subprocess.run([sys.executable, __file__, "--one", mode, str(workers), "--n", str(args.n),
                              "--partition-size", str(args.partition_size), "--articles", str(args.articles)],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        rate = r["articles"] / r["seconds"]
        base = base or rate
        print(f"| {mode} | {workers or '-'} | {r['events']} | {r['seconds']:.1f} | {rate:.1f} | "
              f"{rate / base:.2f}x | {_cpu(r, 'cpu')} | {_cpu(r, 'client_cpu')} |", flush=True)


def _cpu(result: dict, key: str) -> str:
    return f"{result[key]:.1f}" if key in result else "-"


if __name__ == "__main__":
    main()
