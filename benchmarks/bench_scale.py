"""Read commands on large stores: build a store of N events, then time every read command.

usage:
  python benchmarks/bench_scale.py build --db PATH|URL --events 1000000 [--base 1000]
  python benchmarks/bench_scale.py time --db PATH|URL [--runs 3] [--only NAME...]

build: N distinct base articles (`bench_feedback.distinct_articles`: sentences of the
dev articles recombined) go through the real pipeline and `aliansi ingest` (with
clustering); then copies of them are written until the store holds N events. A copy
has its own id, its states permuted (a random bijection of the state codes, the same
for the whole copy, so dyads vary), its dates moved back by whole years, its own
fingerprint bands, and the clusters of its original (each copy's occurrences are its
own). Copies are written by the store's own insert code, many articles per
transaction, without the fingerprint lookup (they are known to be distinct).

time: each read command as a user runs it (`aliansi ...` in a fresh process), the
median wall time of --runs runs, its CPU time (user + system, its child processes
included: what the command costs when other work shares the cores) and the peak RSS
(ru_maxrss of the child and its own children). aliansi's modules are compiled first, as
an installed package's are (with PYTHONDONTWRITEBYTECODE set, as on the development
machine, each command would compile them again: 0.05 s more before the first line).
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from bench_feedback import distinct_articles  # noqa: E402

COMMANDS = {
    "events --dyad USA CHN": ["events", "--dyad", "USA", "CHN"],
    "events --actor USA --type CONSULT": ["events", "--actor", "USA", "--type", "CONSULT"],
    "events --since 2020-01 --until 2020-03": ["events", "--since", "2020-01", "--until", "2020-03"],
    "events --sector military": ["events", "--sector", "military"],
    "events --dyad XYZ-none": ["events", "--dyad", "TUV", "NRU"],
    "dyad USA CHN --by month": ["dyad", "USA", "CHN", "--by", "month"],
    "dyad USA --by year": ["dyad", "USA", "--by", "year"],
    "dyad USA --by year --since 2015": ["dyad", "USA", "--by", "year", "--since", "2015"],
    "dyad USA CHN --since 2019-06 --until 2021": ["dyad", "USA", "CHN", "--since", "2019-06",
                                                  "--until", "2021"],
    "actor USA": ["actor", "USA"],
    "actor USA --since 2018": ["actor", "USA", "--since", "2018"],
    "clusters --actor USA": ["clusters", "--actor", "USA"],
    "brief USA CHN": ["brief", "USA", "CHN", "-o", "{tmp}/brief.html"],
    "network -o x.graphml": ["network", "-o", "{tmp}/network.graphml"],
    "network --since 2019 -o x.graphml": ["network", "--since", "2019", "-o",
                                          "{tmp}/network-2019.graphml"],
    "export --actor USA -o x.csv": ["export", "--actor", "USA", "-o", "{tmp}/usa.csv"],
}


def _shift(value: str | None, years: int) -> str | None:
    if not value or not value[:4].isdigit():
        return value
    year = int(value[:4]) - years
    rest = value[4:]
    if rest == "-02-29":
        rest = "-02-28"
    return f"{year:04d}{rest}"


def _copy(article, n: int, states: list[str], rng: random.Random):
    """Copy n of a stored article: new id, states permuted, dates moved back."""
    shuffled = states[:]
    rng.shuffle(shuffled)
    swap = dict(zip(states, shuffled))
    years = n % 25

    def code(c):
        return swap.get(c, c)

    a = copy.deepcopy(article)
    a.id = f"{article.id}~{n}"
    a.url = f"{article.url}~{n}" if article.url else None
    a.published = _shift(article.published, years)
    a.actors = [code(c) for c in a.actors]
    for m in a.mentions:
        m.actor = code(m.actor) if m.actor else m.actor
    for p in a.persons:
        p.actor = code(p.actor) if p.actor else p.actor
    for t in a.times:
        t.value = _shift(t.value, years)
    for e in a.events:
        e.source, e.target = [code(c) for c in e.source], [code(c) for c in e.target]
        for agent in e.source_agents + e.target_agents:
            agent["actor"] = code(agent["actor"])
        e.date = _shift(e.date, years)
    return a


def _write_copies(store, articles, cluster_of: dict[str, str], n: int) -> int:
    """Write copies as ingest would (same tables and rows), in one transaction."""
    from aliansi.store.base import _ARTICLE_COLUMNS, article_hash, event_ids
    from aliansi.store.readable import refresh as refresh_readable

    db, events, clusters, now = store._db, 0, [], time.strftime("%Y-%m-%dT%H:%M:%S+00:00")
    with db.transaction():
        for a, original in articles:
            data = a.to_dict()
            values = [a.id, article_hash(a, data), a.url, a.outlet, a.title, a.published,
                      a.published_source, a.language, a.origin, a.byline, a.text, now,
                      db.dump_json(data)]
            db.execute(f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}) "
                       f"VALUES ({', '.join('?' * len(values))})", values)
            store._insert_children(a)
            db.executemany("INSERT INTO article_bands (article_id, band) VALUES (?, ?)",
                           [(a.id, f"{band}~{n}") for band in original["bands"]])
            refresh_readable(db, a.id)
            store._add_source(a)
            for eid, base_id in zip(event_ids(a.id, a.events), original["event_ids"]):
                if base_id in cluster_of:
                    clusters.append((eid, f"{cluster_of[base_id]}~{n}", now))
            events += len(a.events)
    store.write_cluster_rows(clusters)
    return events


def build(db: str, target: int, base: int) -> None:
    from aliansi import api
    from aliansi.store import open_store
    from aliansi.store.base import event_ids

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "base.jsonl"
        with batch.open("w", encoding="utf-8") as out:
            for record in distinct_articles(base):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        report = api.ingest([batch], db)
    print(f"base: {report.added} articles, {report.events} events "
          f"({time.perf_counter() - started:.0f} s)", flush=True)
    rng = random.Random(7)
    with open_store(db) as store:
        stored = [store.article(s.id) for s in store.articles()]
        cluster_of = {r.event_id: r.cluster_id for r in store.cluster_rows()}
        originals = []
        for a in stored:
            ids = [r["id"] for r in store._rows(
                "SELECT id FROM events WHERE article_id = ? ORDER BY id", [a.id])]
            order = event_ids(a.id, a.events)    # in the order the store wrote them
            assert sorted(order) == ids, a.id
            bands = [r["band"] for r in store._rows(
                "SELECT band FROM article_bands WHERE article_id = ?", [a.id])]
            originals.append({"event_ids": order, "bands": bands})
        states = sorted({c for a in stored for c in a.actors if len(c) == 3 and c.isupper()
                         and c not in ("NATO",)})
        total = int(store._one("SELECT COUNT(*) FROM events"))
        n = 0
        while total < target:
            n += 1
            copies = [(_copy(a, n, states, rng), o) for a, o in zip(stored, originals)]
            total += _write_copies(store, copies, cluster_of, n)
            print(f"copy {n}: {total} events ({time.perf_counter() - started:.0f} s)", flush=True)
        store._db.execute("ANALYZE")
    print(f"built {db}: {total} events in {time.perf_counter() - started:.0f} s")


def time_commands(db: str, runs: int, only: list[str] | None) -> None:
    """Each command's median wall time, the time to its first line of output (what a
    user waits for before a long listing starts), its lines and its peak RSS."""
    import compileall

    import aliansi

    compileall.compile_dir(Path(aliansi.__file__).parent, quiet=1)
    env = {**os.environ}
    print(f"{db}, {runs} runs each, load {os.getloadavg()[0]:.2f}")
    print("| command | median s | first line s | CPU s | lines | max RSS MiB |\n"
          "|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in COMMANDS.items():
            if only and name not in only:
                continue
            args = [a.format(tmp=tmp) for a in args]
            times, firsts, cpus, rss, lines = [], [], [], 0, 0
            for _ in range(runs):
                started = time.perf_counter()
                with tempfile.TemporaryFile("w+") as err:
                    child = subprocess.Popen(
                        ["/usr/bin/time", "-f", "%U %S %M", sys.executable, "-m", "aliansi", *args,
                         "--db", db], env=env, stdout=subprocess.PIPE, stderr=err)
                    first = child.stdout.readline()
                    firsts.append(time.perf_counter() - started)
                    lines = (1 if first else 0) + sum(1 for _ in child.stdout)
                    child.wait()
                    times.append(time.perf_counter() - started)
                    err.seek(0)
                    stderr = err.read()
                user, system, peak = stderr.strip().splitlines()[-1].split()
                cpus.append(float(user) + float(system))
                rss = max(rss, int(peak))
                if child.returncode != 0:
                    print(f"  {name}: exit {child.returncode}: {stderr.strip()[-300:]}")
                    break
            first = f"{statistics.median(firsts):.2f}" if lines else "–"
            print(f"| `{name}` | {statistics.median(times):.2f} | {first} | "
                  f"{statistics.median(cpus):.2f} | {lines} | {rss / 1024:.0f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("--db", required=True)
    b.add_argument("--events", type=int, default=100_000)
    b.add_argument("--base", type=int, default=1000)
    t = sub.add_parser("time")
    t.add_argument("--db", required=True)
    t.add_argument("--runs", type=int, default=3)
    t.add_argument("--only", nargs="*")
    args = parser.parse_args()
    if args.command == "build":
        build(args.db, args.events, args.base)
    else:
        time_commands(args.db, args.runs, args.only)


if __name__ == "__main__":
    main()
