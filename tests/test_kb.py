import datetime as dt
from pathlib import Path

import pytest

from aliansi.errors import ConfigError
from aliansi.kb import DEFAULT_FILES, KnowledgeBase

KB_DIR = Path(__file__).resolve().parents[1] / "src" / "aliansi" / "data" / "kb"


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


@pytest.mark.parametrize("name", DEFAULT_FILES)
def test_kb_files_load_alone_and_say_their_source(name):
    path = KB_DIR / name
    assert path.read_text(encoding="utf-8").lstrip().startswith("# Source:")
    alone = KnowledgeBase()
    if name == "states_extra.yaml":        # adds to the generated states
        alone._read(KB_DIR / "states.yaml", "states.yaml")
    alone._read(path, name)                # each file parses and validates on its own


def test_kb_covers_every_iso_state(kb):
    import pycountry
    assert {c.alpha_3 for c in pycountry.countries} <= set(kb.states)
    assert {"TWN", "PSE", "XKX"} <= set(kb.states)


@pytest.mark.parametrize("form, code", [
    ("Amerika Serikat", "USA"), ("AS", "USA"), ("Tiongkok", "CHN"), ("Cina", "CHN"), ("RRT", "CHN"),
    ("Korsel", "KOR"), ("Korut", "PRK"), ("Inggris", "GBR"), ("Britania Raya", "GBR"), ("Filipina", "PHL"),
    ("RI", "IDN"), ("Gedung Putih", "USA"), ("Kremlin", "RUS"), ("Moskow", "RUS"), ("Downing Street", "GBR"),
    ("Japanese", "JPN"), ("American", "USA"), ("British", "GBR"), ("Canberra", "AUS"),
])
def test_kb_state_forms(kb, form, code):
    found = {f.actor for f in kb.surface_forms() if f.text == form and f.category in ("state", "adjective", "seat", "body")}
    assert code in found


@pytest.mark.parametrize("form, code", [
    ("PBB", "UN"), ("DK PBB", "UN"), ("UN Security Council", "UN"), ("Uni Eropa", "EU"),
    ("Pakta Pertahanan Atlantik Utara", "NATO"), ("Mahkamah Internasional", "ICJ"),
    ("Mahkamah Pidana Internasional", "ICC"), ("Quad", "QUAD"), ("IP4", "IP4"), ("Houthi", "YEM"),
    ("Hizbullah", "LBN"), ("Taliban", "AFG"), ("China Coast Guard", "CHN"), ("Bakamla", "IDN"),
])
def test_kb_organisation_and_body_forms(kb, form, code):
    assert code in {f.actor for f in kb.surface_forms() if f.text == form}


@pytest.mark.parametrize("org, day, inside, outside", [
    ("NATO", dt.date(2023, 1, 1), {"USA", "TUR"}, {"FIN", "SWE"}),
    ("NATO", dt.date(2023, 6, 1), {"FIN"}, {"SWE"}),
    ("NATO", dt.date(2024, 6, 1), {"FIN", "SWE"}, set()),
    ("ASEAN", dt.date(2025, 1, 1), {"IDN", "MMR"}, {"TLS"}),
    ("ASEAN", dt.date(2025, 11, 1), {"TLS"}, set()),
    ("EU", dt.date(2021, 1, 1), {"DEU"}, {"GBR"}),
    ("IP4", None, {"JPN", "KOR", "AUS", "NZL"}, {"USA"}),
    ("AUKUS", dt.date(2022, 1, 1), {"AUS", "GBR", "USA"}, {"JPN"}),
])
def test_kb_members_on_dates(kb, org, day, inside, outside):
    members = kb.members(org, day)
    assert inside <= members and not (outside & members)


@pytest.mark.parametrize("actor, role, day, name", [
    ("USA", "President", dt.date(2026, 1, 15), "Donald Trump"),
    ("USA", "President", dt.date(2023, 1, 15), "Joe Biden"),
    ("IDN", "Minister of Defense", dt.date(2022, 5, 1), "Prabowo Subianto"),
    ("IDN", "Minister of Defense", dt.date(2025, 5, 1), "Sjafrie Sjamsoeddin"),
    ("JPN", "Prime Minister", dt.date(2025, 1, 10), "Shigeru Ishiba"),
    ("JPN", "Prime Minister", dt.date(2025, 12, 1), "Sanae Takaichi"),
    ("NATO", "Secretary General", dt.date(2023, 3, 1), "Jens Stoltenberg"),
    ("NATO", "Secretary General", dt.date(2025, 3, 1), "Mark Rutte"),
])
def test_kb_holder_by_date(kb, actor, role, day, name):
    assert kb.holder(actor, role, day).name == name


def test_kb_official_by_alias_and_queries(kb):
    assert kb.official("koizumi").name == "Shinjiro Koizumi"
    assert kb.official("Nobody Atall") is None
    assert kb.name("CHN") == "China" and kb.kind("CHN") == "state" and kb.kind("NATO") == "org"


def test_kb_user_file_is_merged(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "officials:\n"
        "- {name: Budi Santoso, actor: IDN, aliases: [Budi], terms: [{role: Ambassador, start: 2024-01-02, end: null}]}\n"
        "states:\n- {code: JPN, names: [Negeri Matahari Terbit]}\n", encoding="utf-8")
    kb = KnowledgeBase.load(extra_paths=[extra])
    assert kb.official("Budi").actor == "IDN"
    assert "Negeri Matahari Terbit" in kb.states["JPN"].names and "Jepang" in kb.states["JPN"].names


@pytest.mark.parametrize("body, message", [
    ("officials:\n- {name: X Y, actor: ZZZ, terms: [{role: President, start: 2020}]}\n", "unknown actor code ZZZ"),
    ("officials:\n- {name: X Y, actor: IDN, terms: [{role: President, start: 20-1}]}\n", "not a date"),
    ("states:\n- {code: jp}\n", "not an actor code"),
    ("organisations:\n- {code: NEWORG, names: [New]}\n", "needs a name"),
    ("persons: []\n", "unknown"),
    ("officials:\n- {name: X Y, actor: IDN, terms: [{role: Emperor of Mars, start: 2020}]}\n", "not in roles"),
])
def test_kb_bad_file_names_file_and_entry(tmp_path, body, message):
    bad = tmp_path / "bad.yaml"
    bad.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        KnowledgeBase.load(extra_paths=[bad])


def test_kb_missing_user_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        KnowledgeBase.load(extra_paths=[tmp_path / "nope.yaml"])
