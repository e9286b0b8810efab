"""Outputs: never onto an input or a database, whole or not at all, clear errors."""
import json
import os
import sqlite3
import stat
import subprocess
import sys
from types import SimpleNamespace

import pytest

from aliansi.errors import OutputError, StoreError
from aliansi.outputs import check_output, output_file
from aliansi.store import open_store

ARTICLE = {"id": "a1", "published": "2025-12-02", "language": "id",
           "text": "Menteri Luar Negeri Indonesia Sugiono bertemu Menteri Luar Negeri Malaysia "
                   "Mohamad Hasan di Jakarta pada Senin (1/12)."}


@pytest.fixture
def stored(tmp_path):
    source = tmp_path / "berita.jsonl"
    source.write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    db = tmp_path / "a.db"
    result = run("ingest", str(source), "--db", str(db))
    assert result.exit_code == 0, result.output
    return source, db


def run(*args):
    """The command as a user runs it: exit code, and stdout and stderr together."""
    done = subprocess.run([sys.executable, "-m", "aliansi", *args], capture_output=True, text=True)
    return SimpleNamespace(exit_code=done.returncode, output=done.stdout + done.stderr)


def test_outputs_extract_never_writes_onto_its_input(stored):
    source, _ = stored
    before = source.read_bytes()
    result = run("extract", str(source), "-o", str(source))
    assert result.exit_code == 2
    assert f"{source}: is an input of this run" in result.output
    assert source.read_bytes() == before


@pytest.mark.parametrize("command", [
    ["brief", "IDN", "MYS"], ["export", "--format", "csv"], ["network"]])
def test_outputs_a_command_never_writes_onto_the_database(stored, command):
    _, db = stored
    before = db.read_bytes()
    result = run(*command, "--db", str(db), "-o", str(db))
    assert result.exit_code == 2 and "is the database this command reads" in result.output
    assert db.read_bytes() == before


def test_outputs_never_onto_another_database(stored, tmp_path):
    _, db = stored
    other = tmp_path / "lain.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    result = run("export", "--db", str(db), "-o", str(other), "--format", "csv")
    assert result.exit_code == 2 and "is a SQLite database; refusing to overwrite it" in result.output


@pytest.mark.parametrize("target, message", [
    ("tidak-ada/x.csv", "the folder {tmp}/tidak-ada does not exist"),
    ("", "is a folder; name a file to write"),
])
def test_outputs_bad_paths_are_named(stored, tmp_path, target, message):
    _, db = stored
    result = run("export", "--db", str(db), "-o", str(tmp_path / target), "--format", "csv")
    assert result.exit_code == 2
    assert message.format(tmp=tmp_path) in result.output
    assert "internal error" not in result.output


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_outputs_a_full_device_is_an_error_not_a_crash(stored):
    source, db = stored
    for args in (["export", "--db", str(db), "-o", "/dev/full", "--format", "csv"],
                 ["extract", str(source), "-o", "/dev/full"]):
        result = run(*args)
        assert result.exit_code == 2 and "/dev/full: cannot write: No space left on device" \
            in result.output


def test_outputs_a_failed_writer_leaves_the_old_file(tmp_path):
    target = tmp_path / "hasil.csv"
    target.write_text("lama\n")
    with pytest.raises(RuntimeError):
        with output_file(target) as temporary:
            temporary.write_text("baru, setengah")
            raise RuntimeError("writer failed")
    assert target.read_text() == "lama\n"
    assert [p.name for p in tmp_path.iterdir()] == ["hasil.csv"]


def test_outputs_check_output_refuses_inputs(tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("x")
    with pytest.raises(OutputError, match="is an input of this run"):
        check_output(tmp_path / "." / "a.txt", inputs=[source])


def test_outputs_database_files_are_private(tmp_path):
    with open_store(tmp_path / "baru.db"):
        pass
    assert stat.S_IMODE((tmp_path / "baru.db").stat().st_mode) == 0o600


def test_outputs_a_foreign_database_is_refused_before_any_change(tmp_path):
    path = tmp_path / "lain.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE catatan (x)")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="is not an aliansi database"):
        open_store(path)
    assert path.read_bytes() == before
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_outputs_terminal_control_characters_never_reach_the_terminal(tmp_path):
    source = tmp_path / "escape.jsonl"
    record = dict(ARTICLE, id="esc\u001b[2J\u009b31m", outlet="x\u001b]0;pwned\u0007")
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = tmp_path / "e.db"
    assert run("ingest", str(source), "--db", str(db)).exit_code == 0
    for args in (["events", "--db", str(db)], ["clusters", "--db", str(db)],
                 ["events", "--db", str(db), "--format", "jsonl"], ["extract", str(source)]):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert not any(c in result.output for c in "\u001b\u009b\u0007"), args
    jsonl = run("events", "--db", str(db), "--format", "jsonl").output
    assert json.loads(jsonl.splitlines()[0])["article_id"] == "esc\u001b[2J\u009b31m"
