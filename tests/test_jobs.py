"""Worker processes (`jobs=N`, `--jobs N`): the same output, in the same order, with
the same errors, as one process; and the same store."""
import json
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from aliansi import api, pipeline
from aliansi.errors import AliansiError, ConfigError, StageError
from aliansi.model import Article
from aliansi.pipeline import Pipeline
from shared import shared_path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
BAD_RECORD = "{not json\n"
# what ingest stores, but the times it stored it
TABLES = {"articles": "id, content_hash, url, outlet, title, published, published_source, "
                      "language, origin, byline, text, article_json",
          "sentences": "*", "mentions": "*", "persons": "*", "events": "*", "event_actors": "*",
          "event_evidence": "*", "event_clusters": "event_id, cluster_id",
          "article_sources": "article_id, source_key, url, outlet, origin, published"}


@pytest.fixture(scope="module")
def run():
    return Pipeline()


@pytest.fixture
def small_chunks(monkeypatch):
    """The pool for any stream, one article at a time: two samples already go to workers."""
    monkeypatch.setattr(pipeline, "MIN_PER_JOB", 0)
    monkeypatch.setattr(pipeline, "CHUNK", 1)


def dev_records() -> list[dict]:
    path = shared_path("gold", "dev", "articles.jsonl")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def with_bad_record(tmp_path: Path, records: list[dict]) -> Path:
    """The records as JSON Lines with a line that is no JSON in the middle."""
    lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in records]
    lines.insert(len(lines) // 2, BAD_RECORD)
    path = tmp_path / "with-bad.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def extracted(inputs, jobs: int, **options) -> tuple[list[str], list[str]]:
    """The output lines and the error messages, in the order they came."""
    errors: list[str] = []
    lines = [json.dumps(a.to_output(), ensure_ascii=False)
             for a in api.extract(inputs, jobs=jobs, on_error=lambda e: errors.append(str(e)),
                                  **options)]
    return lines, errors


def stored(db: Path) -> dict[str, list]:
    with sqlite3.connect(db) as connection:
        return {table: sorted(map(repr, connection.execute(f"SELECT {columns} FROM {table}")))
                for table, columns in TABLES.items()}


def cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "aliansi", *args], input=stdin,
                          capture_output=True, timeout=600)


def test_jobs_extract_samples_as_one_process(run, small_chunks, caplog):
    caplog.set_level(logging.INFO, logger="aliansi.pipeline")
    one = extracted([SAMPLES], 1, pipeline=run)
    assert "worker processes" not in caplog.text
    two = extracted([SAMPLES], 2, pipeline=run)
    assert "2 worker processes" in caplog.text
    assert one == two and len(one[0]) == 2 and not one[1]


def test_jobs_extract_dev_with_a_bad_record_as_one_process(run, tmp_path):
    source = with_bad_record(tmp_path, dev_records())
    one = extracted([source], 1, pipeline=run)
    two = extracted([source], 2, pipeline=run)
    assert one == two
    assert len(one[0]) == 34 and len(one[1]) == 1 and f"{source}:18" in one[1][0]


def test_jobs_errors_keep_their_place_among_the_articles(run, tmp_path):
    """A reader's error and a stage's error reach on_error between the same articles
    as in one process."""
    class Explode:
        name = "explode"

        def __call__(self, article: Article) -> Article:
            if article.id == "dev_id_09":
                raise ValueError("no")
            return article

    exploding = Pipeline()
    exploding.stages.append(Explode())
    source = with_bad_record(tmp_path, dev_records())

    def events(jobs: int) -> list[str]:
        seen: list[str] = []
        for article in api.extract([source], pipeline=exploding, jobs=jobs,
                                   on_error=lambda e: seen.append(f"error {type(e).__name__}: {e}")):
            seen.append(f"article {article.id} {len(article.events)}")
        return seen

    one = events(1)
    assert one == events(2)
    failed = [line for line in one if line.startswith("error StageError")]
    assert failed == ["error StageError: article dev_id_09, stage explode: ValueError: no"]
    assert one.index(failed[0]) < one.index(next(l for l in one if l.startswith("error InputError")))
    # without on_error the first error is raised, after the same articles
    for jobs in (1, 2):
        done = []
        with pytest.raises(StageError, match="dev_id_09"):
            for article in exploding.pipe((Article.from_dict(r) for r in dev_records()), jobs=jobs):
                done.append(article.id)
        assert done == [r["id"] for r in dev_records()][:10]


def test_jobs_a_long_article_in_a_worker_is_read_in_segments(run, monkeypatch, caplog):
    monkeypatch.setattr(pipeline, "MAX_SEGMENT", 3000)
    caplog.set_level(logging.INFO, logger="aliansi.pipeline")
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    stream = lambda: [Article(text=t, id=f"pendek-{i}", language="id") for i, t in enumerate(texts)] \
        + [Article(text="\n\n".join(texts * 6), id="panjang", published="2026-01-23", language="id")] \
        + [Article(text=t, id=f"lagi-{i}", language="id") for i, t in enumerate(texts)]
    one = [a.to_output() for a in run.pipe(stream(), jobs=1)]
    caplog.clear()
    two = [a.to_output() for a in run.pipe(stream(), jobs=2)]
    assert "worker processes" in caplog.text
    assert one == two and [d["doc_id"] for d in two][2] == "panjang"


def test_jobs_read_the_input_as_they_go(run):
    """A bounded number of chunks is in flight: the input is not read whole first."""
    records = dev_records()
    pulled = []

    def articles():
        for i in range(2000):
            pulled.append(i)
            yield Article.from_dict({**records[i % len(records)], "id": f"a{i}"})

    stream = run.pipe(articles(), jobs=2)
    first = next(stream)
    assert first.id == "a0"
    ahead = pipeline.MIN_PER_JOB * 2 + (pipeline.IN_FLIGHT_PER_JOB * 2 + 1) * pipeline.CHUNK
    assert len(pulled) <= ahead
    assert [next(stream).id for _ in range(30)] == [f"a{i}" for i in range(1, 31)]
    assert len(pulled) <= 31 + ahead
    stream.close()


def test_jobs_a_worker_killed_midway_loses_nothing(run, caplog):
    """A worker that dies (the system's out-of-memory killer, say): the rest runs in
    this process, and the output is still the whole of it, in order."""
    import multiprocessing
    import signal

    articles = lambda: (Article.from_dict({**r, "id": f"{r['id']}-{copy}"})
                        for copy in range(3) for r in dev_records())
    one = [a.to_output() for a in run.pipe(articles(), jobs=1)]
    stream = run.pipe(articles(), jobs=2)
    two = [next(stream).to_output()]
    workers = multiprocessing.active_children()
    assert workers
    os.kill(workers[0].pid, signal.SIGKILL)
    two += [a.to_output() for a in stream]
    assert two == one
    assert "a worker process died" in caplog.text


def test_jobs_spawned_workers_give_the_same_output(run, small_chunks, monkeypatch):
    """Where the system cannot fork, workers are spawned and build the pipeline themselves."""
    one = extracted([SAMPLES], 1, pipeline=run)
    monkeypatch.setattr(pipeline, "START_METHOD", "spawn")
    assert extracted([SAMPLES], 2, pipeline=run) == one


def test_jobs_ingest_stores_the_same(tmp_path, run):
    source = with_bad_record(tmp_path, dev_records())
    outcomes = {}
    for jobs in (1, 2):
        # the store reports progress as it commits, several articles at a time: errors
        # and progress are each in order, but not interleaved alike from run to run
        errors: list[str] = []
        progress: list[str] = []
        report = api.ingest([source, SAMPLES, source], tmp_path / f"jobs{jobs}.db", pipeline=run,
                            jobs=jobs, on_error=lambda e: errors.append(str(e)),
                            progress=lambda article_id, outcome: progress.append(f"{article_id} {outcome}"))
        outcomes[jobs] = (report.to_dict(), errors, progress)
    assert outcomes[1] == outcomes[2]
    assert outcomes[1][0]["added"] >= 34 and outcomes[1][0]["unchanged"] == 34
    assert len(outcomes[1][1]) == 2 and len(outcomes[1][2]) == 70
    one, two = stored(tmp_path / "jobs1.db"), stored(tmp_path / "jobs2.db")
    assert one == two and one["events"] and one["event_clusters"]


def test_jobs_cli_extract_and_ingest(tmp_path):
    source = with_bad_record(tmp_path, dev_records())
    one = cli("extract", str(source), str(SAMPLES), "--jobs", "1")
    two = cli("extract", str(source), str(SAMPLES), "--jobs", "2")
    default = cli("extract", str(source), str(SAMPLES))
    assert one.returncode == two.returncode == default.returncode == 1
    assert one.stdout == two.stdout == default.stdout and len(one.stdout.splitlines()) == 36
    assert one.stderr == two.stderr and one.stderr.count(b"error:") == 1

    for jobs in ("1", "2"):
        done = cli("ingest", str(source), "--db", str(tmp_path / f"cli{jobs}.db"), "-j", jobs)
        assert done.returncode == 1 and b"added 34" in done.stderr
    assert stored(tmp_path / "cli1.db") == stored(tmp_path / "cli2.db")
    refused = cli("extract", str(source), "--jobs", "0")
    assert refused.returncode == 2 and b"--jobs" in refused.stderr


def test_jobs_progress_on_a_terminal(tmp_path):
    import pty

    source = tmp_path / "dev.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in dev_records()), encoding="utf-8")
    leader, follower = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "aliansi", "ingest", str(source), "--db",
                           str(tmp_path / "t.db"), "--jobs", "2"], stdout=subprocess.PIPE,
                          stderr=follower, timeout=600)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert done.returncode == 0
    assert b"34/34 articles" in shown and b"/s" in shown


def test_jobs_default_and_bad_values():
    assert 1 <= pipeline.default_jobs() <= pipeline.MAX_JOBS
    assert pipeline.check_jobs(None) == pipeline.default_jobs()
    for bad in (0, -1, 1.5, True, "2"):
        with pytest.raises(ConfigError, match="jobs"):
            pipeline.check_jobs(bad)
    with pytest.raises(ConfigError, match="jobs"):
        api.extract([SAMPLES], jobs=0)
    with pytest.raises(AliansiError, match="one or the other"):
        api.extract([SAMPLES], jobs=2, workers=2)
