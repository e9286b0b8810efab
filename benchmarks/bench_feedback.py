"""How long a user waits: one-article latency, and ingest against extract throughput.

usage: python benchmarks/bench_feedback.py [--runs 5] [--n 1000] [--src DIR]

- one article: `aliansi extract samples/<first>` and `aliansi ingest` of it into a
  new SQLite file, each a fresh process timed from start to exit; "cold" with an
  empty start-up cache (aliansi.cache: the first run on a machine), "warm" the
  median of --runs runs after it;
- throughput: N distinct articles (sentences of the dev articles recombined,
  seeded, so that no two texts are near-duplicates) through `aliansi extract -o`
  and `aliansi ingest` into a new SQLite file; articles per second of wall time.

`--src DIR` runs another checkout's code (its `src` folder first on PYTHONPATH),
which is how the figures "before" a change are taken: check out the older commit
with `git worktree add`, then pass its src folder.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def distinct_articles(n: int, seed: int = 13, *, block: int | None = None) -> list[dict]:
    """N articles of 8-14 sentences drawn from all dev articles, each with its own
    date and outlet: distinct texts reporting the same kinds of events.

    `block`: counted from the last, the articles of the k-th block of `block` are moved
    back k whole years, in their published dates and in every year their texts write
    (19xx, 20xx); otherwise the same articles (the last block as they are). A sentence
    that dates its event ("on 7 December 2025") then reports one occurrence a block, not
    one across all N articles: real reports of one event come from a bounded number of
    articles, where without it an occurrence's reports grow with N (744 at 10,000)."""
    source = SHARED / "gold" / "dev" / "articles.jsonl"
    if not source.is_file():
        sys.exit(f"bench_feedback: {source} is missing (the shared dev set)")
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line]
    pools: dict[str, list[str]] = {}
    for record in records:
        lines = [l.strip() for l in record["text"].split("\n") if len(l.strip()) > 40]
        pools.setdefault(record.get("language") or "id", []).extend(lines)
    rng = random.Random(seed)
    out = []
    for i in range(n):
        language = "en" if i % 4 == 3 else "id"
        pool = pools.get(language) or next(iter(pools.values()))
        day = 1 + i % 28
        back = (n - 1 - i) // block if block else 0
        text = "\n\n".join(rng.sample(pool, min(len(pool), rng.randint(8, 14))))
        if back:
            text = _YEAR.sub(lambda m: str(int(m.group()) - back), text)
        out.append({"id": f"synthetic-{i}", "language": language,
                    "published": f"{2026 - back}-{1 + i % 12:02d}-{day:02d}",
                    "url": f"https://outlet{i % 37}.example/{i}",
                    "title": f"Synthetic article {i}", "text": text})
    return out


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"bench_feedback: {' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--src", type=Path, help="another checkout's src folder")
    args = parser.parse_args()

    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = str(args.src.resolve())
    aliansi = [sys.executable, "-m", "aliansi"]
    sample = sorted((ROOT / "samples").iterdir())[0]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env["ALIANSI_CACHE"] = str(tmp / "cache")
        out = tmp / "out.jsonl"

        def one_article(kind: str) -> float:
            if kind == "extract":
                return timed([*aliansi, "extract", str(sample), "-o", str(out)], env)
            db = tmp / f"one-{time.monotonic_ns()}.db"
            return timed([*aliansi, "ingest", str(sample), "--db", str(db)], env)

        print(f"one article ({sample.name}), {args.runs} warm runs, load {os.getloadavg()[0]:.2f}")
        for kind in ("extract", "ingest"):
            cold = one_article(kind) if kind == "extract" else None
            warm = statistics.median(one_article(kind) for _ in range(args.runs))
            print(f"  {kind:8} cold {cold:.2f} s  warm {warm:.2f} s" if cold is not None
                  else f"  {kind:8} warm {warm:.2f} s")

        batch = tmp / "batch.jsonl"
        with batch.open("w", encoding="utf-8") as handle:
            for record in distinct_articles(args.n):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        extract_s = timed([*aliansi, "extract", str(batch), "-o", str(out)], env)
        ingest_s = timed([*aliansi, "ingest", str(batch), "--db", str(tmp / "batch.db")], env)
        print(f"{args.n} distinct articles, load {os.getloadavg()[0]:.2f}")
        print(f"  extract {extract_s:7.1f} s  {args.n / extract_s:6.1f} articles/s")
        print(f"  ingest  {ingest_s:7.1f} s  {args.n / ingest_s:6.1f} articles/s"
              f"  ({extract_s / ingest_s:.2f}x extract)")


if __name__ == "__main__":
    main()
