"""The README documents every command and every SQL view (as datasette's test_docs does)."""
import re
import sqlite3
from pathlib import Path

from aliansi.cli import cli
from aliansi.store import open_store

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_docs_every_command_is_in_the_readme():
    for name in cli.commands:
        assert f"aliansi {name}" in README, f"`aliansi {name}` is not documented in README.md"


def test_docs_every_view_is_in_the_readme(tmp_path):
    path = tmp_path / "docs.db"
    open_store(path).close()
    readable = "type = 'view' OR name IN ('events_readable', 'dyad_events')"
    views = [row[0] for row in sqlite3.connect(path).execute(
        f"SELECT name FROM sqlite_master WHERE {readable}")]
    assert {"events_readable", "dyad_events", "clusters_readable"} <= set(views)
    for view in views:
        assert re.search(rf"`{view}`", README), f"view {view} is not documented in README.md"


def test_docs_readme_has_exactly_two_setup_commands():
    setup = README.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    assert setup.count("```sh") == 2
