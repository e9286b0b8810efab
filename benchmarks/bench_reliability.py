"""The figures of RELIABILITY.md: fuzzed inputs, kill -9 during ingest, the largest
article, and Datasette pages on a large store.

usage: python benchmarks/bench_reliability.py fuzz [--n 10000] [--seed 7]
       python benchmarks/bench_reliability.py kill [--copies 60 | --distinct 2000] [--kills 5]
       python benchmarks/bench_reliability.py big [--mb 5]
       python benchmarks/bench_reliability.py views [--events 20000]

`kill` and `big` need ../shared/gold/dev/articles.jsonl (the dev articles, repeated
with new ids); `views` needs datasette (`pip install '.[test]'`).
"""
from __future__ import annotations

import argparse
import json
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEV = HERE.parents[1] / "shared" / "gold" / "dev" / "articles.jsonl"
sys.path.insert(0, str(HERE))


def dev_records() -> list[dict]:
    if not DEV.exists():
        sys.exit(f"{DEV} is absent: these benchmarks repeat the shared dev articles")
    return [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


def fuzz(args) -> None:
    import fuzz_inputs
    import fuzz_run
    from aliansi.pipeline import Pipeline

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        tally = fuzz_run.run(fuzz_inputs.cases(args.n, seed=args.seed), Path(tmp),
                             pipeline=Pipeline())
    print(f"inputs tried: {tally.inputs} ({len(tally.kinds)} kinds), crashes: {tally.crashes}, "
          f"good records lost: {tally.lost}, errors reported: {tally.reported}, "
          f"{time.perf_counter() - started:.0f} s")
    print("kinds:", ", ".join(f"{k} {n}" for k, n in sorted(tally.kinds.items())))
    for example in tally.examples:
        print("  ", example)


def snapshot(db: Path) -> dict:
    """What a store holds, to compare two runs: articles, events and clusters."""
    c = sqlite3.connect(db)
    groups: dict[str, set] = {}
    for event, cluster in c.execute("SELECT event_id, cluster_id FROM event_clusters"):
        groups.setdefault(cluster, set()).add(event)
    return {"integrity": c.execute("PRAGMA integrity_check").fetchone()[0],
            "articles": sorted(c.execute("SELECT id, content_hash FROM articles")),
            "events": sorted(r[0] for r in c.execute("SELECT id FROM events")),
            "readable": c.execute("SELECT COUNT(*) FROM events_readable").fetchone()[0],
            "clusters": sorted(sorted(g) for g in groups.values())}


def _clustered(db: Path) -> int:
    """How many events the store has placed in clusters (0 when it cannot tell)."""
    try:
        c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
        n = c.execute("SELECT COUNT(*) FROM event_clusters").fetchone()[0]
        c.close()
        return n
    except sqlite3.Error:
        return 0


def kill(args) -> None:
    records = dev_records()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = tmp / "batch.jsonl"
        with source.open("w", encoding="utf-8") as out:
            if args.distinct:
                from bench_feedback import distinct_articles
                out.writelines(json.dumps(r, ensure_ascii=False) + "\n"
                               for r in distinct_articles(args.distinct))
            for i in range(0 if args.distinct else args.copies):
                for r in records:
                    # a different 60% of the sentences in each copy: distinct articles (else
                    # the fingerprint keeps them as one) that report the same occurrences
                    sentences = r["text"].replace("\n", "\n ").split(". ")
                    kept = sorted(rng.sample(range(len(sentences)), max(1, len(sentences) * 3 // 5)))
                    text = ". ".join(sentences[k] for k in kept).replace("\n ", "\n")
                    out.write(json.dumps(dict(r, id=f"{r['id']}~{i}", text=text,
                                              outlet=f"Outlet {i % 7}"), ensure_ascii=False) + "\n")
        command = [sys.executable, "-m", "aliansi", "ingest", str(source), "--silent", "--db"]
        started = time.perf_counter()
        subprocess.run(command + [str(tmp / "clean.db")], check=True, capture_output=True)
        clean_seconds = time.perf_counter() - started
        clean = snapshot(tmp / "clean.db")
        print(f"clean run: {len(clean['articles'])} articles, {len(clean['events'])} events, "
              f"{len(clean['clusters'])} clusters, {clean_seconds:.0f} s")
        killed = tmp / "killed.db"
        for k in range(args.kills):
            before = _clustered(killed)
            run = subprocess.Popen(command + [str(killed)], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
            if k % 2:       # while it clusters: as soon as it has committed a step
                at = time.perf_counter()
                while run.poll() is None and _clustered(killed) <= before:
                    time.sleep(0.2)
                at = time.perf_counter() - at
            else:           # at a random moment
                at = rng.uniform(0.15, 0.95) * clean_seconds
                time.sleep(at)
            run.send_signal(signal.SIGKILL)
            run.wait()
            state = snapshot(killed) if killed.exists() else None
            print(f"kill {k + 1} at {at:.0f} s: " + (
                f"{len(state['articles'])} articles, {sum(map(len, state['clusters']))} events "
                f"clustered, integrity {state['integrity']}" if state else "no database yet"))
        started = time.perf_counter()
        subprocess.run(command + [str(killed)], check=True, capture_output=True)
        resumed = snapshot(killed)
        same = {key: resumed[key] == clean[key] for key in clean}
        print(f"final run: {time.perf_counter() - started:.0f} s; equal to the clean run: {same}")


def big(args) -> None:
    records = dev_records()
    text, i = [], 0
    while sum(map(len, text)) < args.mb * 1_000_000:
        text.append(records[i % len(records)]["text"])
        i += 1
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.jsonl"
        path.write_text(json.dumps({"id": "big", "text": "\n".join(text)}) + "\n", encoding="utf-8")
        out = Path(tmp) / "out.jsonl"
        started = time.perf_counter()
        run = subprocess.Popen([sys.executable, "-m", "aliansi", "extract", str(path), "-o",
                                str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak = 0
        while run.poll() is None:       # the memory of the process and its children
            peak = max(peak, _tree_pss(run.pid))
            time.sleep(0.25)
        seconds = time.perf_counter() - started
        events = len(json.loads(out.read_text())["events"]) if run.returncode == 0 else None
    print(f"article of {args.mb:g} MB ({sum(map(len, text)):,} characters): {seconds:.1f} s, "
          f"peak memory {peak / 1024:.0f} MiB (PSS of the process and its children), "
          f"exit {run.returncode}, {events} events")


def _tree_pss(root: int) -> int:
    """The proportional set size (KiB) of a process and its descendants, from /proc."""
    parent = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parent[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, grown = {root}, True
    while grown:
        more = {pid for pid, ppid in parent.items() if ppid in tree} - tree
        tree |= more
        grown = bool(more)
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def views(args) -> None:
    import asyncio

    from datasette.app import Datasette

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "views.db"
        subprocess.run([sys.executable, "-m", "aliansi", "ingest", str(DEV), "--silent", "--db",
                        str(db)], check=True, capture_output=True)
        c = sqlite3.connect(db, isolation_level=None)
        base = c.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        tables = ("articles", "events", "event_actors", "events_readable", "dyad_events")
        columns = {t: [r[1] for r in c.execute(f"PRAGMA table_info({t})")] for t in tables}
        keys = {"articles": "id", "events": "id", "event_actors": "event_id",
                "events_readable": "event_id", "dyad_events": "event_id"}
        c.execute("BEGIN")
        for i in range(1, args.events // base):
            for t in tables:        # copies under new ids, as if more articles were stored
                cols = [f"{col} || '~{i}'" if col in (keys[t], "article_id") else f'"{col}"'
                        for col in columns[t]]
                c.execute(f"INSERT INTO {t} SELECT {', '.join(cols)} FROM {t} "
                          f"WHERE {keys[t]} NOT LIKE '%~%'")
        c.execute("COMMIT")
        events = c.execute("SELECT COUNT(*) FROM events").fetchone()[0]

        async def pages():
            ds = Datasette([str(db)])
            await ds.invoke_startup()
            for page in ("events_readable", "dyad_events", "clusters_readable"):
                times = []
                for _ in range(10):
                    started = time.perf_counter()
                    response = await ds.client.get(f"/views/{page}")
                    times.append(time.perf_counter() - started)
                print(f"{page}: HTTP {response.status_code}, median {statistics.median(times):.3f} s, "
                      f"max {max(times):.3f} s ({events} events)")
        asyncio.run(pages())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("fuzz")
    p.add_argument("--n", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(run=fuzz)
    p = sub.add_parser("kill")
    p.add_argument("--copies", type=int, default=60)
    p.add_argument("--distinct", type=int, help="N articles of bench_feedback's generator "
                   "instead of the dev copies (enough for clusters placed during the ingest)")
    p.add_argument("--kills", type=int, default=5)
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(run=kill)
    p = sub.add_parser("big")
    p.add_argument("--mb", type=float, default=5)
    p.set_defaults(run=big)
    p = sub.add_parser("views")
    p.add_argument("--events", type=int, default=20_000)
    p.set_defaults(run=views)
    args = ap.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
