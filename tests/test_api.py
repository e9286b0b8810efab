"""The public surface: what `aliansi` exports, and the CLI mirroring it."""
import aliansi
from aliansi import api
from aliansi.cli import cli

# command -> the function of `aliansi` it calls
COMMANDS = {"extract": "extract", "ingest": "ingest", "events": "events", "eval": "evaluate",
            "explain": "explain", "dyad": "dyad", "actor": "actor", "actors": "actors",
            "network": "network", "export": "export", "brief": "brief", "clusters": "clusters",
            "serve": "serve", "review": "review"}


def test_api_all_names_exist():
    for name in aliansi.__all__:
        assert hasattr(aliansi, name), name
    assert len(set(aliansi.__all__)) == len(aliansi.__all__)


def test_api_every_command_has_a_python_function():
    assert set(cli.commands) == set(COMMANDS)
    for command, function in COMMANDS.items():
        assert callable(getattr(api, function)), command


def test_api_top_level_names_survive_loading_the_pipeline():
    from aliansi.pipeline import Pipeline

    Pipeline()      # imports every stage module
    for name in aliansi.__all__:
        assert not type(getattr(aliansi, name)).__name__ == "module", name
