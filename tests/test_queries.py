"""Every query answers or says why: actor names in both languages, checked types and
dates, no database made by a read command; the same answers from SQLite and PostgreSQL."""
import json
from pathlib import Path

import pytest

from aliansi import api
from aliansi.errors import QueryError

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def articles():
    return list(api.extract([SAMPLES]))


@pytest.fixture
def stored(store_location, articles):
    from aliansi.database import Database
    from aliansi.store import open_store

    with open_store(store_location) as store:
        store.ingest(articles)
        Database(store).update_clusters()
    return store_location


@pytest.mark.parametrize("written", ["JPN", "jpn", "Jepang", "Japan", "japan", "JEPANG"])
def test_queries_an_actor_by_code_or_name_in_either_language(stored, written):
    found = api.events(stored, actor=written)
    assert found and all("JPN" in e.source + e.target for e in found)


@pytest.mark.parametrize("written, code", [("Amerika Serikat", "USA"), ("United States", "USA"),
                                           ("Tiongkok", "CHN"), ("china", "CHN"), ("nato", "NATO")])
def test_queries_names_resolve_to_codes(stored, written, code):
    assert {e.id for e in api.events(stored, actor=written)} == \
        {e.id for e in api.events(stored, actor=code)}


@pytest.mark.parametrize("call, message", [
    (lambda db: api.events(db, actor="Jepangg"), "unknown actor 'Jepangg'; did you mean JPN (Japan)"),
    (lambda db: api.actor(db, "XYZ"), "unknown actor 'XYZ'"),
    (lambda db: api.dyad(db, "RUS", "XYZ"), "unknown actor 'XYZ'"),
    (lambda db: api.events(db, since="2026-13"), "--since '2026-13' is not a date"),
    (lambda db: api.events(db, until="2026-02-30"), "--until '2026-02-30' is not a date"),
    (lambda db: api.events(db, type="CONSLT"), "unknown event type 'CONSLT'; did you mean CONSULT?"),
    (lambda db: api.clusters(db, type="ATTACK"), "unknown event type 'ATTACK'"),
])
def test_queries_a_bad_argument_says_why(stored, call, message):
    with pytest.raises(QueryError) as error:
        call(stored)
    assert message in str(error.value)


@pytest.mark.parametrize("call", [
    lambda db, out: api.events(db), lambda db, out: api.dyad(db, "JPN", "USA"),
    lambda db, out: api.actor(db, "JPN"), lambda db, out: api.clusters(db),
    lambda db, out: api.export(db, out / "x.csv"), lambda db, out: api.network(db, out / "x.json"),
    lambda db, out: api.brief(db, "JPN", path=out / "b.html"),
])
def test_queries_read_commands_never_create_a_database(tmp_path, call):
    missing = tmp_path / "salah-ketik.db"
    with pytest.raises(QueryError, match="no database at .*salah-ketik.db"):
        call(missing, tmp_path)
    assert not missing.exists()


def test_queries_every_read_command_answers_alike_on_both_stores(tmp_path, articles, postgres_location):
    from aliansi.database import Database
    from aliansi.store import open_store

    answers = {}
    for name, location in (("sqlite", str(tmp_path / "a.db")), ("postgres", postgres_location)):
        with open_store(location) as store:
            store.ingest(articles)
            Database(store).update_clusters()
        out = tmp_path / name
        out.mkdir()
        api.export(location, out / "events.jsonl")
        api.network(location, out / "network.json")
        answers[name] = {
            "events": sorted(e.id for e in api.events(location, actor="Jepang")),
            "dyad": api.dyad(location, "JPN", "USA").to_rows(),
            "actor": api.actor(location, "JPN").to_dict(),
            "clusters": sorted(c.to_dict()["id"] for c in api.clusters(location)),
            "actors": [(r["code"], r["events"]) for r in api.actors(location) if r["events"]],
            "export": sorted((out / "events.jsonl").read_text(encoding="utf-8").splitlines()),
            "network": json.loads((out / "network.json").read_text(encoding="utf-8"))["nodes"],
        }
    assert answers["sqlite"]["actors"]            # PostgreSQL counted too: the old bug showed 0
    for key in answers["sqlite"]:
        assert answers["sqlite"][key] == answers["postgres"][key], key
