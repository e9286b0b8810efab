"""Who inside the state: each side of an event keeps the body, group or office that
the sentence names and its sector, from the knowledge base or the head of the name;
stores keep them, filters and exports carry them."""
from __future__ import annotations

import csv

import pytest

from aliansi import api
from aliansi.errors import AliansiError
from aliansi.kb import SECTORS, KnowledgeBase
from aliansi.model import Article
from aliansi.pipeline import Pipeline
from aliansi.sectors import Sectors
from aliansi.store import open_store


@pytest.fixture(scope="module")
def sectors():
    return Sectors(KnowledgeBase.load())


@pytest.fixture(scope="module")
def pipeline():
    return Pipeline()


@pytest.mark.parametrize("name, lang, sector", [
    # Indonesian: the head comes first
    ("Kementerian Pertahanan", "id", "government"),
    ("Kepala Kepolisian Daerah", "id", "police"),
    ("Angkatan Laut Tiongkok", "id", "military"),
    ("Penjaga Pantai Filipina", "id", "military"),
    ("Dewan Perwakilan Rakyat", "id", "legislature"),
    # English: the head comes last, before "of"/"for"
    ("Defense Ministry", "en", "government"),
    ("Ministry of Defence", "en", "government"),
    ("Chief of the National Police", "en", "police"),
    ("Chinese Coast Guard", "en", "military"),
    ("Minister of Defense", "en", "government"),
    ("Commander of the Indonesian National Armed Forces", "en", "military"),
])
def test_a_name_tells_its_sector_by_its_head(sectors, name, lang, sector):
    assert sectors.of_name(name, lang) == sector


def test_the_knowledge_base_names_sectors_head_words_cannot(sectors):
    assert {sectors.named[name.casefold()] for name in ("TNI", "Kopassus")} == {"military"}
    assert sectors.named["hamas"] in ("armed_groups", "rebels")
    assert sectors.of_name("Kelurahan Sukamaju", "id") is None     # no head word: no sector
    assert set(sectors.named.values()) <= set(SECTORS)


def _events(pipeline, text, language):
    article = pipeline(Article(text=text, id="t", language=language, published="2025-12-03"))
    return article.events


def _sides(event):
    return ([(a["actor"], a["sector"]) for a in event.source_agents],
            [(a["actor"], a["sector"]) for a in event.target_agents])


def test_two_bodies_of_one_state_stay_apart(pipeline):
    events = _events(pipeline, "Hamas menembakkan roket ke Israel pada Senin (1/12). "
                               "Otoritas Palestina mengecam Israel pada Selasa (2/12).", "id")
    by_type = {e.type: e for e in events}
    assert _sides(by_type["ASSAULT"])[0] == [("PSE", by_type["ASSAULT"].source_agents[0]["sector"])]
    hamas, authority = by_type["ASSAULT"].source_agents[0], by_type["ACCUSE"].source_agents[0]
    assert hamas["agent"] == "Hamas" and hamas["sector"] in ("armed_groups", "rebels")
    assert authority["sector"] == "government"
    assert hamas["actor"] == authority["actor"] == "PSE"


def test_offices_and_bodies_on_each_side(pipeline):
    (event,) = [e for e in _events(
        pipeline, "Penjaga Pantai Tiongkok menembakkan meriam air ke kapal Filipina pada Senin (2/12).",
        "id") if e.type == "COERCE"]
    assert event.source_agents == [{"actor": "CHN", "agent": "Penjaga Pantai Tiongkok",
                                    "sector": "military"}]
    (event,) = [e for e in _events(
        pipeline, "Israeli troops attacked Palestinian militants in Gaza on Monday, the army said.",
        "en") if e.type == "ASSAULT"]
    assert _sides(event)[0] == [("ISR", "military")]
    consult = [e for e in _events(
        pipeline, "Menteri Pertahanan Jepang Shinjiro Koizumi bertemu Menteri Pertahanan AS "
                  "Pete Hegseth di Washington pada 15 Januari 2026.", "id") if e.type == "CONSULT"]
    agents = {a["actor"]: a for e in consult for a in e.source_agents + e.target_agents}
    assert {agents["JPN"]["sector"], agents["USA"]["sector"]} == {"government"}
    assert agents["JPN"]["agent"] == "Minister of Defense"


def test_a_state_named_as_such_has_no_sector(pipeline):
    (event,) = [e for e in _events(pipeline, "Indonesia mengecam Israel pada Senin (1/12).", "id")
                if e.type == "ACCUSE"]
    assert event.source_agents == [{"actor": "IDN", "agent": None, "sector": None}]


ARTICLES = [
    Article(id="hamas", text="Hamas menembakkan roket ke Israel pada Senin (1/12).",
            language="id", published="2025-12-02", outlet="A"),
    Article(id="pa", text="Otoritas Palestina mengecam Israel pada Selasa (2/12).",
            language="id", published="2025-12-03", outlet="B"),
    Article(id="idf", text="Militer Israel menyerang Hamas di Gaza pada Rabu (3/12).",
            language="id", published="2025-12-04", outlet="C"),
]


def test_stores_keep_sectors_and_filter_by_them(store_location, pipeline, tmp_path):
    with open_store(store_location) as store:
        store.ingest([pipeline(Article(**a.to_dict())) for a in ARTICLES])
    armed = api.events(store_location, sector="armed_groups")
    assert {e.article_id for e in armed} == {"hamas", "idf"}       # as agent or as target
    assert {e.article_id for e in api.events(store_location, actor="PSE", sector="government")} == {"pa"}
    assert {e.article_id for e in api.events(store_location, actor="Israel", sector="military")} == {"idf"}
    assert {e.article_id for e in api.events(store_location, sector="Armed Groups")} == {"hamas", "idf"}
    with pytest.raises(AliansiError, match="unknown sector 'militer'; did you mean military"):
        api.events(store_location, sector="militer")

    out = tmp_path / "events.csv"
    api.export(store_location, out, sector="armed_groups")
    rows = {r["article_id"]: r for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert set(rows) == {"hamas", "idf"}
    assert rows["hamas"]["source_agents"] == "Hamas"
    assert rows["idf"]["source_sectors"] == "military" and rows["idf"]["target_agents"] == "Hamas"

    with open_store(store_location, read_only=True) as store:
        readable = {r["article_id"]: r for r in store._rows(
            "SELECT article_id, source_sectors, target_sectors, source_agents FROM events_readable")}
        dyads = store._rows("SELECT source_sector, target_sector FROM dyad_events "
                            "WHERE article_id = 'idf'")
    assert readable["pa"]["source_sectors"] == "government"
    assert readable["idf"]["target_sectors"] in ("armed_groups", "rebels")
    assert [(r["source_sector"], r["target_sector"]) for r in dyads] == \
        [("military", readable["idf"]["target_sectors"])]


def test_unknown_sector_in_a_user_kb_is_named(tmp_path):
    from aliansi.errors import ConfigError

    bad = tmp_path / "mine.yaml"
    bad.write_text("bodies:\n- {actor: IDN, names: [Satpol PP], sector: satpol}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mine.yaml: bodies\[0\]: unknown sector 'satpol'"):
        KnowledgeBase.load([bad])
