"""scripts/build_phoenix_kb.py: the PETRARCH2 Phoenix dictionaries as knowledge-base files."""
import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest
import yaml

from aliansi.kb import KnowledgeBase
from shared import shared_path

ROOT = Path(__file__).resolve().parents[1]
KB_DIR = ROOT / "src" / "aliansi" / "data" / "kb"
PHOENIX_FILES = ("phoenix_officials.yaml", "phoenix_organisations.yaml", "phoenix_groups.yaml",
                 "phoenix_agents.yaml")


def _script():
    spec = importlib.util.spec_from_file_location("build_phoenix_kb", ROOT / "scripts" / "build_phoenix_kb.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


bp = _script()

HAND = """\
states:
- {code: AFG, name: Afghanistan, names: [Afghanistan], adjectives: [Afghan]}
- {code: USA, name: United States, names: [United States, US]}
- {code: NOR, name: Norway, names: [Norway]}
- {code: LBN, name: Lebanon, names: [Lebanon]}
- {code: YEM, name: Yemen, names: [Yemen]}
- {code: RUS, name: Russia, names: [Russia]}
organisations:
- {code: NATO, name: North Atlantic Treaty Organization, names: [NATO]}
- {code: UN, name: United Nations, names: [United Nations, UN]}
bodies:
- {actor: LBN, kind: group, names: [Hezbollah]}
generic:
  en: [troops]
roles:
- {role: President, en: [President, president]}
- {role: Leader, en: [leader, Leader]}
- {role: Minister of Foreign Affairs, en: [Foreign Minister]}
- {role: Secretary General, en: [Secretary General]}
officials:
- {name: Jens Stoltenberg, actor: NATO, aliases: [Stoltenberg], terms: [{role: Secretary General, start: 2014-10-01}]}
- {name: Hassan Nasrallah, actor: LBN, aliases: [Nasrallah]}
- {name: Hamid Karzai, actor: AFG, aliases: [Karzai]}
"""

COUNTRIES = """\
# a comment line
AFGHANISTAN_  [AFG]
+AFGHAN_
ASHRAF_GHANI_AHMADZAI_  # CountryInfo.txt
+FOREIGN_MINISTER_ASHRAF_GHANI_
+GHANI_
\t[AFGELI 19490101-020601]
\t[AFGGOVBUS 020602-041214]
\t[AFGMIL >140929]
JENS_STOLTENBERG_
\t[NORGOV 050101-131016]
ABDUL_RAHIM_WARDAK_
+KARZAI_
\t[AFGGOVMIL >050101]
IVAN_BADDATE_
\t[RUSGOV 9008223-911221]
OLD_TIMER_
\t[USAGOV 19200101-19300101]
"""

INTERNATIONAL = """\
NATO_
+NORTH_ATLANTIC_TREATY_ORGANIZATION_
\t[IGOWSTNAT]
ORGANIZATION_OF_AMERICAN_STATES_
+OAS
\t[IGOOAS]
INDIAN_OCEAN_COMMISSION_\t[IGOAFR] # a category code
UNITED_NATIONS_CHILDREN'S_FUND_\t[IGOUNOKID]
JOHN_GALVIN_\t[IGOWSTNAT 870626-920623]\t# NATO
ACME_CORP_\t[MNCUSA]
"""

GROUPS = """\
HEZBOLLAH_ [LBNREB]
+HIZBALLAH_
+HASSAN_NASRALLAH_
ABU_NIDAL_ORGANIZATION [IMGMUSALQ]
ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_ [YEMREB]
+ISLAMIC_ARMY_OF_ADEN_
"""

AGENTS = """\
!PERSON! = MAN, MEN
TROOP [~MIL]
POLICE {} [~COP]
CONGRESS!PERSON! [~LEG]
MILITIA [~UAF]
OPPOSITION_LEADER [~OPP]
PRESIDENT [~GOVPRS]
DEPARMENT_OF_ENVIRONMENT [~ENV}
"""


@pytest.fixture()
def hand(tmp_path):
    path = tmp_path / "hand.yaml"
    path.write_text(HAND, encoding="utf-8")
    kb = KnowledgeBase()
    kb._read(path, "hand.yaml")
    kb._check()
    return kb


@pytest.fixture()
def built(tmp_path, hand):
    source = tmp_path / "petrarch2"
    source.mkdir()
    for name, text in [(bp.COUNTRIES, COUNTRIES), (bp.INTERNATIONAL, INTERNATIONAL), (bp.GROUPS, GROUPS),
                       (bp.AGENTS, AGENTS)]:
        (source / name).write_text(text, encoding="utf-8")
    out = tmp_path / "kb"
    report = bp.Report()
    counts = bp.build(source, out, bp.hand_index(hand), report, commit="abc1234")
    data = {name: yaml.safe_load((out / name).read_text(encoding="utf-8")) for name in PHOENIX_FILES}
    return {"out": out, "report": report, "counts": counts, "data": data, "hand": hand}


def _official(built, file, name):
    return next((o for o in built["data"][file]["officials"] if o["name"] == name), None)


def test_dated_person_with_two_roles_and_synonyms(built):
    ghani = _official(built, "phoenix_officials.yaml", "Ashraf Ghani Ahmadzai")
    assert ghani["actor"] == "AFG"
    assert ghani["aliases"] == ["Ashraf Ghani", "Ghani"]      # the title is taken off the synonym
    assert ghani["terms"] == [
        {"role": "Government official", "cameo": "AFGGOVBUS", "start": dt.date(2002, 6, 2),
         "end": dt.date(2004, 12, 14)},
        {"role": "Military officer", "cameo": "AFGMIL", "start": dt.date(2014, 9, 29), "end": None},
    ]                                                          # the elite (ELI) code is no office
    assert {"role": "Government official"} in built["data"]["phoenix_officials.yaml"]["roles"]


def test_places_and_pre_1945_terms_are_counted_not_kept(built):
    names = {o["name"] for o in built["data"]["phoenix_officials.yaml"]["officials"]}
    assert "Old Timer" not in names and "Afghanistan" not in names
    assert any("no dated office term from 1945" in why for why in built["report"].skipped)
    assert built["report"].notes["terms ending before 1945 left out"] == 1


def test_bad_line_is_reported_with_file_and_line(built):
    bad = built["report"].bad
    assert "Phoenix.Countries.actors.txt:16: [RUSGOV 9008223-911221]: date '9008223' has 7 digits " \
           "(YYMMDD or YYYYMMDD)" in bad
    assert any(b.startswith("Phoenix.Countries.actors.txt:15: entry 'IVAN_BADDATE_' has no [code]") for b in bad)
    assert any(b.startswith("Phoenix.agents.txt:8: unclosed [code") for b in bad)
    assert len(bad) == 3


def test_conflicts_with_the_hand_kb_are_reported_and_the_hand_entry_kept(built):
    conflicts = built["report"].conflicts
    assert any("'Jens Stoltenberg' (NOR) is 'Jens Stoltenberg' of the hand KB coded NATO: "
               "Phoenix entry left out" in c for c in conflicts)
    assert any("alias 'Karzai' of 'Abdul Rahim Wardak' (AFG) names 'Hamid Karzai' (AFG) in the hand KB: "
               "Phoenix entry kept without the alias" in c for c in conflicts)
    assert any("group name 'Hassan Nasrallah' (LBN) names the person 'Hassan Nasrallah'" in c for c in conflicts)
    assert _official(built, "phoenix_officials.yaml", "Jens Stoltenberg") is None
    wardak = _official(built, "phoenix_officials.yaml", "Abdul Rahim Wardak")
    assert "aliases" not in wardak
    # loaded together, the hand KB's entries stand
    kb = built["hand"]
    for name in PHOENIX_FILES:
        kb._read(built["out"] / name, name)
    kb._check()
    assert kb.officials["Jens Stoltenberg"].actor == "NATO"
    assert kb.official("Karzai").name == "Hamid Karzai"


def test_igo_codes_map_to_the_spec_or_keep_their_own(built):
    orgs = {o["code"]: o for o in built["data"]["phoenix_organisations.yaml"]["organisations"]}
    assert orgs["NATO"]["names"] == ["North Atlantic Treaty Organization"]   # "NATO" is the hand KB's
    assert "name" not in orgs["NATO"]                                        # the hand KB names it
    assert orgs["IGOOAS"] == {"code": "IGOOAS", "name": "Organization of American States",
                              "names": ["Organization of American States", "OAS"]}
    assert orgs["UN"]["names"] == ["United Nations Children's Fund"]
    assert not any(code.startswith("IGOAFR") for code in orgs)
    skipped = built["report"].skipped
    assert skipped["Phoenix.International.actors.txt: IGO entry skipped, a category code "
                   "(IGO + region/sector), not one organisation"] == 1
    assert skipped["Phoenix.International.actors.txt: not an international organisation: companies (MNC)"] == 1
    galvin = _official(built, "phoenix_organisations.yaml", "John Galvin")
    assert galvin["actor"] == "NATO"
    assert galvin["terms"] == [{"role": "International official", "cameo": "IGOWSTNAT",
                                "start": dt.date(1987, 6, 26), "end": dt.date(1992, 6, 23)}]


def test_non_state_groups_are_coded_by_their_state(built):
    groups = built["data"]["phoenix_groups.yaml"]["bodies"]
    assert {"actor": "LBN", "kind": "group", "names": ["Hizballah"]} in groups   # Hezbollah is the hand KB's
    assert {"actor": "YEM", "kind": "group", "names": ["Aden Abyan Islamic Army", "AAIA",
                                                       "Islamic Army of Aden"]} in groups
    assert not any("Abu Nidal Organization" in g["names"] for g in groups)       # IMG: no one state


def test_agents_become_generic_nouns_with_their_sector(built):
    sectors = built["data"]["phoenix_agents.yaml"]["generic"]["en_sectors"]
    assert sectors["military"] == ["troop"]                  # "troops" is already the hand KB's
    assert sectors["police"] == ["police"]                   # {} : no plural
    assert sectors["legislature"] == ["congressman", "congressmen"]
    assert sectors["armed groups"] == ["militia", "militias"]
    assert "opposition" not in sectors                       # "opposition leader" holds a role
    assert not any("president" in forms for forms in sectors.values())
    kb = KnowledgeBase()
    kb._read(built["out"] / "phoenix_agents.yaml", "phoenix_agents.yaml")
    assert "congressmen" in kb.generic["en"] and kb.generic_sectors["congressmen"] == "legislature"
    assert kb.generic_sources["troop"] == "phoenix_agents.yaml"


def test_files_say_source_commit_licence_and_are_generated(built):
    for name in PHOENIX_FILES:
        text = (built["out"] / name).read_text(encoding="utf-8")
        head = text.split("\n\n")[0][:600]
        assert text.startswith("# Source: generated by scripts/build_phoenix_kb.py from Phoenix.")
        assert "commit abc1234" in head and "MIT licence" in head and "do not edit by hand" in head


def test_output_is_deterministic(built, tmp_path):
    again = tmp_path / "again"
    bp.build(built["out"].parent / "petrarch2", again, bp.hand_index(built["hand"]), bp.Report(),
             commit="abc1234")
    for name in PHOENIX_FILES:
        assert (again / name).read_bytes() == (built["out"] / name).read_bytes()


def test_main_fails_on_bad_lines_unless_allowed(tmp_path, capsys):
    source = tmp_path / "petrarch2"
    source.mkdir()
    (source / bp.GROUPS).write_text("GOOD_FRONT_ [AFGREB]\nBROKEN_FRONT_ [AFGREB\n", encoding="utf-8")
    args = ["--source", str(source), "--out", str(tmp_path / "kb"), "--commit", "abc1234"]
    assert bp.main(args) == 1
    out = capsys.readouterr().out
    assert "Phoenix.MilNonState.actors.txt:2: " in out and "bad lines: 2" in out
    assert not (tmp_path / "kb").exists()                     # a failed run writes nothing
    assert bp.main(args + ["--allow-bad", "2"]) == 0
    groups = yaml.safe_load((tmp_path / "kb" / "phoenix_groups.yaml").read_text(encoding="utf-8"))
    assert groups["bodies"] == [{"actor": "AFG", "kind": "group", "names": ["Good Front"]}]


def test_kb_keeps_cameo_terms_and_sources(tmp_path):
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "roles:\n- {role: Government official}\n"
        "officials:\n- {name: Budi Phoenix, actor: IDN, terms: [{role: Government official, cameo: IDNGOV, "
        "start: 2005-01-01, end: null}]}\n", encoding="utf-8")
    kb = KnowledgeBase.load(extra_paths=[extra])
    budi = kb.officials["Budi Phoenix"]
    assert budi.terms[0].cameo == "IDNGOV" and budi.sources == ["extra.yaml"]
    assert budi.title_on(dt.date(2010, 1, 1)) == "Government official"
    # the text's office says more than a CAMEO sector
    assert budi.title_on(dt.date(2010, 1, 1), "Minister of Defense") == "Minister of Defense"
    assert kb.states["IDN"].sources == ["states.yaml", "states_extra.yaml"]
    assert kb.organisations["NATO"].sources == ["organisations.yaml"]


def test_actors_listing_shows_the_source_file(tmp_path):
    from aliansi import api

    extra = tmp_path / "mine.yaml"
    extra.write_text("organisations:\n- {code: IGOOAS, name: Organization of American States, names: [OAS]}\n",
                     encoding="utf-8")
    rows = {r["code"]: r for r in api.actors(tmp_path / "none.db", kb_files=[extra])}
    assert rows["IGOOAS"]["source"] == "mine.yaml"
    assert rows["JPN"]["source"] == "states.yaml+states_extra.yaml"


# ---- the real dictionaries ----------------------------------------------------------------
@pytest.fixture(scope="module")
def real(tmp_path_factory):
    source = shared_path("data", "petrarch2")
    out = tmp_path_factory.mktemp("phoenix")
    report = bp.Report()
    counts = bp.build(source, out, bp.hand_index(bp.load_hand_kb()), report)
    return {"out": out, "report": report, "counts": counts}


def test_real_build_matches_the_packaged_files(real):
    for name in PHOENIX_FILES:
        assert (real["out"] / name).read_bytes() == (KB_DIR / name).read_bytes(), \
            f"{name} is stale: re-run .venv/bin/python scripts/build_phoenix_kb.py --allow-bad 62"


def test_real_build_known_entries(real):
    assert real["counts"]["phoenix_officials.yaml"] > 15000
    assert all(line.split(":")[0].startswith("Phoenix.") and line.split(":")[1].isdigit()
               for line in real["report"].bad)
    assert len(real["report"].bad) < 100 and real["report"].conflicts
    kb = KnowledgeBase.load(extra_paths=[real["out"] / name for name in PHOENIX_FILES])
    assert kb.officials["Tatyana Golikova"].actor == "RUS"
    assert kb.officials["Laurent Wauquiez"].terms[0].cameo == "FRAGOV"
    assert kb.officials["Dirk Stikker"].actor == "NATO"
    assert kb.officials["Trygve Lie"].actor == "UN"
    assert kb.officials["Jens Stoltenberg"].actor == "NATO"          # the hand KB's, not Norway
    assert kb.officials["Ashraf Ghani"].sources == ["officials_historical.yaml"]
    assert kb.organisations["IGOOAS"].name == "Organization of American States"
    assert "phoenix_organisations.yaml" in kb.organisations["UN"].sources
    assert any(b.actor == "ARG" and "Montoneros" in b.names and b.sources == ["phoenix_groups.yaml"]
               for b in kb.bodies)
    assert kb.generic_sectors["riot police"] == "police"
    assert kb.generic_sectors["armed insurgents"] == "rebels" and "armed insurgents" in kb.generic["en"]
