"""Latency of `aliansi serve`: p50 and p95 of the API's list and dyad endpoints and of the
search page, over a live server (uvicorn in this process, one keep-alive HTTP connection).

usage:
  python benchmarks/bench_serve.py                         # builds a small store first
  python benchmarks/bench_serve.py --db big.db --runs 50   # a store of your own (or a URL)
  python benchmarks/bench_serve.py --events 100000 --base 200 --keep small.db

Without --db a store of --events events is built by benchmarks/bench_scale.py's builder
(base articles through the real pipeline, then permuted copies) in a temporary folder,
or at --keep. The issue's targets: list and dyad p95 < 50 ms, search page p95 < 300 ms,
on 1,000,000 events.
"""
from __future__ import annotations

import argparse
import http.client
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

# Requests whose parameter changes at every run ({word}, {actor}, {pair}), so that
# nothing a page keeps for a few seconds (the sample that picks its plan) is reused.
WORDS = ("menteri presiden militer rudal latihan sanksi perjanjian kunjungan bantuan "
         "pertahanan keamanan kerja sama bertemu mengecam serangan pasukan kapal "
         "minister president military missile exercise sanctions agreement visit aid "
         "defence security talks met condemned attack troops ship said called signed "
         "menandatangani perbatasan wilayah").split()
ACTORS = ("USA CHN JPN RUS IDN KOR PRK IND AUS GBR FRA DEU PHL VNM MYS SGP THA ISR IRN "
          "UKR TUR PAK SAU EGY NATO ASEAN EU UN CAN BRA MEX ZAF NGA").split()
VARIED = {
    "GET /api/v1/events?q={word} (a new word each run)": "/api/v1/events?q={word}&limit=50",
    "GET /api/v1/events?actor={actor} (a new actor each run)": "/api/v1/events?actor={actor}&limit=50",
    "GET /api/v1/dyads/{pair} (a new pair each run)": "/api/v1/dyads/{pair}",
    "GET /?q={word} (search page, a new word each run)": "/?q={word}",
}

REQUESTS = {
    "GET /api/v1/events (first page)": "/api/v1/events?limit=50",
    "GET /api/v1/events?actor=USA": "/api/v1/events?actor=USA&limit=50",
    "GET /api/v1/events?type=CONSULT&since=2020": "/api/v1/events?type=CONSULT&since=2020&limit=50",
    "GET /api/v1/events?q=menteri": "/api/v1/events?q=menteri&limit=50",
    "GET /api/v1/events?offset=5000": "/api/v1/events?limit=50&offset=5000",
    "GET /api/v1/dyads/USA/CHN": "/api/v1/dyads/USA/CHN",
    "GET /api/v1/dyads/JPN/NATO?by=year": "/api/v1/dyads/JPN/NATO?by=year",
    "GET / (search page)": "/",
    "GET /?q=menteri (search page)": "/?q=menteri",
    "GET /?actor=CHN&type=ACCUSE (search page)": "/?actor=CHN&type=ACCUSE",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(db: str, runs: int, warmup: int) -> list[tuple[str, float, float, float, int]]:
    import uvicorn

    from aliansi.web import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    results = []
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        for name, path in [*REQUESTS.items(), *VARIED.items()]:
            times, status = [], 0
            for i in range(warmup + runs):
                started = time.perf_counter()
                connection.request("GET", path.format(
                    word=WORDS[i % len(WORDS)], actor=ACTORS[i % len(ACTORS)],
                    pair=f"{ACTORS[i % len(ACTORS)]}/{ACTORS[(i * 7 + 4) % len(ACTORS)]}"))
                response = connection.getresponse()
                response.read()
                elapsed = (time.perf_counter() - started) * 1000
                status = response.status
                if i >= warmup:
                    times.append(elapsed)
            times.sort()
            p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
            results.append((name, statistics.median(times), p95, times[-1], status))
            print(f"{name:45s} p50 {statistics.median(times):8.1f} ms  p95 {p95:8.1f} ms  "
                  f"max {times[-1]:8.1f} ms  (HTTP {status})", flush=True)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="A store (path or postgresql:// URL); default: build one.")
    parser.add_argument("--events", type=int, default=20_000, help="Events of the built store.")
    parser.add_argument("--base", type=int, default=40, help="Base articles of the built store.")
    parser.add_argument("--keep", help="Build the store here (kept) instead of a temporary folder.")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    if args.db:
        db = args.db
        from aliansi.store import open_store
        with open_store(db) as store:     # migrated once, as `aliansi serve` does
            events = store.count_events(review="all", include_flagged=True)
        print(f"store {db}: {events} events", flush=True)
        measure(db, args.runs, args.warmup)
        return
    from bench_scale import build

    with tempfile.TemporaryDirectory() as tmp:
        db = args.keep or str(Path(tmp) / "serve.db")
        build(db, args.events, args.base)
        measure(db, args.runs, args.warmup)


if __name__ == "__main__":
    main()
