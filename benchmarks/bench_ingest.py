"""Ingest against extract: is storing and clustering as cheap as extracting?

usage: python benchmarks/bench_ingest.py [--n 1000 10000] [--jobs N] [--more 200]
                                         [--block B] [--src DIR] [--keep DIR]

For each N: N distinct articles (`bench_feedback.distinct_articles`: sentences of the
dev articles recombined, so that ingest stores every one) go through
`aliansi extract -o` and `aliansi ingest` into a new SQLite file, each a fresh process;
articles per second of wall time (start-up included) and CPU seconds of the process
and its children, and the ratio ingest / extract (the goal: 0.8 or more). Then:

- clustering: `Database.update_clusters` of every event of the store again (its rows
  cleared, a copy of the file), timed in this process: what the ingest spent placing
  events;
- cost per article in the store's size: `--more` further distinct articles ingested
  into (a copy of) the store of N, in ms of wall time per article, extraction
  included; flat when it does not grow with N.

`--block B` moves each block of B articles back a year, counted from the last
(`bench_feedback.distinct_articles`): an occurrence is then reported by the articles of
one block, not by every article that drew its sentence, and the `--more` articles fall
in the newest block, beside the last stored ones. `--jobs N` is passed to both
commands (default: theirs). `--src DIR` runs another
checkout's code (its `src` folder; e.g. `git archive <commit> src | tar -x -C DIR`),
which is how the figures before a change are taken; the clustering is then timed
with that code too. `--keep DIR` keeps the input and store files there.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_feedback import distinct_articles  # noqa: E402

# Run aliansi from `src` even though the package is installed in editable mode (its
# import hook comes before PYTHONPATH).
BOOT = ("import sys; sys.meta_path = [f for f in sys.meta_path if 'editable' not in "
        "repr(f).lower()]; sys.path.insert(0, {src!r}); ")

CLUSTER = """
import sqlite3, sys, time
db_path = sys.argv[1]
c = sqlite3.connect(db_path)
c.execute("DELETE FROM event_clusters")
tables = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
if "cluster_queue" in tables:
    c.execute("DELETE FROM cluster_shrunk")
    c.execute("INSERT OR IGNORE INTO cluster_queue (event_id) SELECT id FROM events "
              "WHERE NOT hypothetical AND NOT negated")
c.commit(); c.close()
from aliansi import database
db = database.open(db_path)
db._default_similarity()        # the knowledge base loaded before the clock starts
started, cpu = time.perf_counter(), time.process_time()
update = db.update_clusters()
print(time.perf_counter() - started, time.process_time() - cpu, update.assigned)
"""


def run(command: list[str], env: dict) -> tuple[float, float, str]:
    """Wall and CPU seconds (the child and its children) of a command, and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"bench_ingest: {' '.join(command[:4])} ... failed:\n{result.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result.stdout


def write(records: list[dict], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--more", type=int, default=200)
    parser.add_argument("--block", type=int, help="articles a year (default: all in one)")
    parser.add_argument("--src", type=Path, help="another checkout's src folder")
    parser.add_argument("--keep", type=Path, help="keep the files in this folder")
    args = parser.parse_args()

    boot = BOOT.format(src=str(args.src.resolve())) if args.src else ""
    aliansi = [sys.executable, "-c", boot + "from aliansi.cli import main; main()"]
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    print(f"code: {args.src or 'this checkout'}; jobs: {args.jobs or 'default'}; "
          f"block: {args.block or 'none'}; "
          f"{os.cpu_count()} CPUs; load {os.getloadavg()[0]:.2f}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for n in args.n:
            records = distinct_articles(n + args.more, block=args.block)
            batch = write(records[:n], folder / f"articles-{n}.jsonl")
            extra = write(records[n:], folder / f"more-{n}.jsonl")
            db = folder / f"ingest-{n}.db"
            for path in folder.glob(f"ingest-{n}.db*"):
                path.unlink()
            extract_wall, extract_cpu, _ = run(
                [*aliansi, "extract", str(batch), "-o", str(folder / f"out-{n}.jsonl"), *jobs], env)
            ingest_wall, ingest_cpu, _ = run(
                [*aliansi, "ingest", str(batch), "--db", str(db), "--silent", *jobs], env)
            with sqlite3.connect(db) as c:
                events = c.execute("SELECT COUNT(*) FROM events").fetchone()[0]
            print(f"{n} articles ({events} events), load {os.getloadavg()[0]:.2f}")
            print(f"  extract {extract_wall:7.1f} s  {n / extract_wall:6.1f} articles/s  "
                  f"CPU {extract_cpu:7.1f} s")
            print(f"  ingest  {ingest_wall:7.1f} s  {n / ingest_wall:6.1f} articles/s  "
                  f"CPU {ingest_cpu:7.1f} s   ratio {extract_wall / ingest_wall:.2f}x extract "
                  f"(CPU {extract_cpu / ingest_cpu:.2f}x)", flush=True)

            copy = folder / f"cluster-{n}.db"
            shutil.copyfile(db, copy)
            _, _, out = run([sys.executable, "-c", boot + CLUSTER, str(copy)], env)
            seconds, cpu, placed = out.split()
            print(f"  clusters: {int(placed)} events placed in {float(seconds):.1f} s "
                  f"(CPU {float(cpu):.1f} s)", flush=True)
            copy.unlink()

            grown = folder / f"more-{n}.db"
            shutil.copyfile(db, grown)
            more_wall, more_cpu, _ = run(
                [*aliansi, "ingest", str(extra), "--db", str(grown), "--silent", *jobs], env)
            print(f"  {args.more} more articles into this store: {1000 * more_wall / args.more:.0f} "
                  f"ms/article ({1000 * more_cpu / args.more:.0f} ms CPU)", flush=True)
            if not args.keep:
                grown.unlink()


if __name__ == "__main__":
    main()
