"""The public surface: what `aliansi` exports, and the CLI mirroring it."""
import aliansi
from aliansi.cli import cli

# command -> the function of `aliansi` it calls
COMMANDS = {"extract": "extract", "ingest": "ingest", "events": "events", "eval": "evaluate",
            "explain": "explain", "dyad": "dyad", "actor": "actor", "actors": "actors",
            "network": "network", "export": "export", "brief": "brief"}


def test_api_all_names_exist():
    for name in aliansi.__all__:
        assert hasattr(aliansi, name), name
    assert len(set(aliansi.__all__)) == len(aliansi.__all__)


def test_api_every_command_has_a_python_function():
    assert set(cli.commands) == set(COMMANDS)
    for command, function in COMMANDS.items():
        assert function in aliansi.__all__ and callable(getattr(aliansi, function)), command
