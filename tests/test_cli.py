"""The command line, run as a user runs it: a real process, real files."""
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from shared import shared_path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"

SEED_LIKE = ("Menteri Pertahanan Jepang Shinjiro Koizumi dan Menteri Pertahanan AS Pete Hegseth "
             "bertemu di Washington pada 15 Januari. Jepang dan Amerika Serikat sepakat memperluas "
             "kerja sama produksi rudal. Sebagai balasan, Tiongkok mengumumkan pembatasan ekspor "
             "logam tanah jarang ke Jepang.")


def run(*args, stdin=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "aliansi", *args], input=stdin, capture_output=True,
                          text=True, cwd=cwd, timeout=300)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    records = [
        {"id": "a1", "published": "2026-01-23", "language": "id", "text": SEED_LIKE},
        {"id": "a2", "published": "2025-12-08", "text":
            "Japan lodged a strong protest with China on Sunday after Chinese jets locked their "
            "fire-control radar onto Japanese aircraft. China rejected Tokyo's account."},
    ]
    (folder / "articles.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return folder


def test_cli_extract_follows_the_contract(corpus):
    result = run("extract", str(corpus / "articles.jsonl"))
    assert result.returncode == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["doc_id"] for d in docs] == ["a1", "a2"]
    first = docs[0]
    assert {"JPN", "USA", "CHN"} <= set(first["actors"])
    assert {p["name"] for p in first["persons"]} >= {"Shinjiro Koizumi", "Pete Hegseth"}
    types = {(e["type"], frozenset(e["source"] + e["target"])) for e in first["events"]}
    assert ("AGREE", frozenset({"JPN", "USA"})) in types
    assert ("SANCTION", frozenset({"CHN", "JPN"})) in types
    for event in first["events"]:
        start, end = event["evidence_spans"][0]
        assert event["evidence"] in SEED_LIKE
        assert set(event) >= {"type", "mode", "context", "source", "target", "date", "location",
                              "evidence", "hypothetical", "negated", "confidence"}
    consult = next(e for e in first["events"] if e["type"] == "CONSULT")
    assert consult["date"] == "2026-01-15"
    sanction = next(e for e in first["events"] if e["type"] == "SANCTION")
    assert sanction["date"] is None or sanction["date_basis"] == "context"


def test_cli_extract_reads_stdin_and_writes_a_file(tmp_path):
    out = tmp_path / "out.jsonl"
    result = run("extract", "-", "-o", str(out), stdin=SEED_LIKE)
    assert result.returncode == 0, result.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["language"] == "id" and doc["events"]


def test_cli_bad_input_is_named_and_the_batch_goes_on(tmp_path, corpus):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ok", "text": "Rusia menyerang Ukraina pada Senin (1/12)."}\n{not json\n'
                   '{"id": "empty", "text": ""}\n', encoding="utf-8")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x01")
    result = run("extract", str(bad), str(binary), str(tmp_path / "missing.jsonl"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{bad}:2" in result.stderr and "photo.txt" in result.stderr and "missing.jsonl" in result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["doc_id"] for d in docs] == ["ok"]


def test_cli_ingest_is_idempotent_and_events_lists_evidence(tmp_path, corpus):
    db = tmp_path / "store.db"
    first = run("ingest", str(corpus), "--db", str(db), "--silent")
    assert first.returncode == 0, first.stderr
    count = lambda table: sqlite3.connect(db).execute(f"select count(*) from {table}").fetchone()[0]
    articles, events = count("articles"), count("events")
    assert articles == 2 and events > 0
    again = run("ingest", str(corpus), "--db", str(db), "--silent")
    assert again.returncode == 0 and "unchanged 2" in again.stderr
    assert (count("articles"), count("events")) == (articles, events)

    listed = run("events", "--db", str(db), "--dyad", "CHN", "JPN", "--format", "jsonl")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert rows and all({"CHN", "JPN"} <= set(r["source"]) | set(r["target"]) for r in rows)
    assert all(r["evidence"] for r in rows)
    table = run("events", "--db", str(db), "--type", "AGREE")
    assert "AGREE" in table.stdout and "“" in table.stdout
    csv_out = run("events", "--db", str(db), "--format", "csv")
    assert csv_out.stdout.splitlines()[0].startswith("date,type,mode,source,target")


def test_cli_explain_says_why(tmp_path):
    text = "Jepang sepakat memperluas kerja sama. Rusia menyerang Ukraina pada Senin (1/12)."
    result = run("explain", "-", stdin=text)
    assert result.returncode == 0, result.stderr
    assert "ASSAULT RUS → UKR" in result.stdout
    assert "symmetric event needs two actors" in result.stdout


def test_cli_explain_shows_each_resolution_and_its_reason():
    text = "Jepang memprotes Tiongkok pada Senin (1/12). “Kami menolak tuduhan itu,” kata Tiongkok."
    result = run("explain", "-", stdin=text)
    assert result.returncode == 0, result.stderr
    assert "= “Kami” → CHN: first person in a quotation of CHN" in result.stdout


def test_cli_eval_matches_the_shared_scorer(tmp_path):
    gold = shared_path("gold", "dev")
    ours = run("eval", str(gold), str(gold / "articles.jsonl"), "--json")
    assert ours.returncode == 0, ours.stderr
    ours = json.loads(ours.stdout)
    extracted = run("extract", str(gold / "articles.jsonl"), "-o", str(tmp_path / "sys.jsonl"))
    assert extracted.returncode == 0
    reference = subprocess.run([sys.executable, str(shared_path("eval", "score.py")), str(gold),
                                str(tmp_path / "sys.jsonl"), "--json"], capture_output=True, text=True)
    assert json.loads(reference.stdout) == ours


def test_cli_main_job_on_the_samples(tmp_path):
    db = tmp_path / "aliansi.db"
    ingest = run("ingest", str(SAMPLES), "--db", str(db), "--silent")
    assert ingest.returncode == 0, ingest.stderr
    listed = run("events", "--db", str(db), "--actor", "NATO", "--format", "jsonl")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert any(r["type"] == "CONSULT" and r["date"] == "2025-12-01" for r in rows)


def test_cli_unknown_command_and_missing_db_are_clean_errors(tmp_path):
    result = run("events", "--db", str(tmp_path / "nowhere" / "x.db"))
    assert result.returncode != 0 and "Traceback" not in result.stderr and "error" in result.stderr.lower()


def test_cli_system_commands_on_a_store(tmp_path, corpus):
    import networkx as nx

    db = tmp_path / "store.db"
    assert run("ingest", str(corpus), "--db", str(db), "--silent").returncode == 0
    dyad = run("dyad", "JPN", "CHN", "--db", str(db), "--format", "jsonl")
    assert dyad.returncode == 0, dyad.stderr
    rows = [json.loads(line) for line in dyad.stdout.splitlines()]
    assert sum(r["events"] for r in rows) >= 2 and all("net" in r for r in rows)
    graph = tmp_path / "net.graphml"
    assert run("network", "--db", str(db), "-o", str(graph)).returncode == 0
    g = nx.read_graphml(graph)
    assert {"JPN", "CHN"} <= set(g.nodes)
    out = tmp_path / "events.csv"
    assert run("export", "--db", str(db), "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8").count("\n") >= 3
    html = tmp_path / "brief.html"
    made = run("brief", "JPN", "CHN", "--db", str(db), "-o", str(html))
    assert made.returncode == 0, made.stderr
    assert "Japan" in html.read_text(encoding="utf-8")
    listed = run("actors", "--db", str(db), "--seen", "--format", "csv")
    assert "JPN,Japan,state" in listed.stdout


def test_cli_users_own_knowledge_base_file(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("states:\n- {code: JPN, names: [Negeri Matahari Terbit]}\n", encoding="utf-8")
    text = "Negeri Matahari Terbit dan Amerika Serikat sepakat memperluas kerja sama pertahanan."
    without = run("extract", "-", stdin=text)
    with_kb = run("--kb", str(mine), "extract", "-", stdin=text)
    assert with_kb.returncode == 0, with_kb.stderr
    assert "JPN" not in json.loads(without.stdout)["actors"]
    assert "JPN" in json.loads(with_kb.stdout)["actors"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("states:\n- {code: jp}\n", encoding="utf-8")
    failed = run("--kb", str(bad), "extract", "-", stdin=text)
    assert failed.returncode == 2 and "bad.yaml" in failed.stderr and "Traceback" not in failed.stderr


def test_cli_batch_mode_gives_the_same_documents(corpus):
    pytest.importorskip("distributed", reason="dask.distributed is not installed: pip install 'aliansi[batch]'")
    plain = run("extract", str(corpus / "articles.jsonl"))
    batch = run("extract", str(corpus / "articles.jsonl"), "--workers", "1")
    assert batch.returncode == 0, batch.stderr
    assert batch.stdout == plain.stdout
    assert "distributed.scheduler" not in batch.stderr


def test_cli_progress_shows_total_rate_and_time_left_on_a_terminal(tmp_path):
    """On a terminal (a pseudo-terminal here) ingest shows n/total, the rate and the time
    left; piped, it shows nothing."""
    import os
    import pty

    source = tmp_path / "tiga.jsonl"
    source.write_text("".join(json.dumps({"id": f"a{i}", "text": f"Menlu Sugiono tiba di Tokyo pada "
                                          f"Senin ({i + 1}/12)."}) + "\n" for i in range(3)),
                      encoding="utf-8")
    leader, follower = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "aliansi", "ingest", str(source), "--db",
                           str(tmp_path / "t.db")], stdout=subprocess.PIPE, stderr=follower)
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
    assert b"3/3 articles" in shown and b"/s" in shown
    piped = run("ingest", str(source), "--db", str(tmp_path / "u.db"))
    assert piped.returncode == 0 and "/s" not in piped.stderr


def test_cli_progress_line():
    from aliansi.cli import progress_line

    assert progress_line(312, 1000, 6.9) == "312/1,000 articles  45.2/s  0:15 left"
    assert progress_line(5, None, 1.0) == "5 articles  5.0/s"
    assert progress_line(10, 10, 2.0) == "10/10 articles  5.0/s"


def test_cli_count_articles(tmp_path):
    from aliansi.api import count_articles

    (tmp_path / "a.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n', encoding="utf-8")
    (tmp_path / "b.txt").write_text("z", encoding="utf-8")
    assert count_articles([tmp_path]) == 3
    assert count_articles([tmp_path, "https://contoh.example/feed.xml"]) is None
