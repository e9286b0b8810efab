"""Dyads over time, on events ingested into a real SQLite store."""
from __future__ import annotations

import pytest

from aliansi.dyads import PloverScores, date_range, dyad, period_of
from aliansi.errors import ConfigError
from aliansi.model import EVENT_TYPES
from aliansi.store import open_store
from builders import article_with_events as _article


ARTICLES = [
    _article("antara-20251208", "2025-12-08", "id", [
        ("Kapal Penjaga Pantai China menembakkan meriam air ke kapal Filipina di dekat "
         "Beting Scarborough pada Minggu (7/12).",
         [dict(type="COERCE", source=["CHN"], target=["PHL"], date="2025-12-07")]),
        ("Filipina mengajukan protes diplomatik kepada China pada Senin (8/12).",
         [dict(type="PROTEST", source=["PHL"], target=["CHN"], date="2025-12-08")]),
        ("China akan mengerahkan lebih banyak kapal jika Filipina terus melakukan provokasi.",
         [dict(type="MOBILIZE", source=["CHN"], target=["PHL"], date="2025-12-08",
               hypothetical=True)]),
    ]),
    _article("reuters-20260115", "2026-01-15", "en", [
        ("Philippine and Chinese diplomats met in Xiamen on Wednesday to discuss the "
         "South China Sea.",
         [dict(type="CONSULT", mode="visit", source=["PHL"], target=["CHN"],
               date="2026-01-14")]),
        ("China denied that it had ever blocked Philippine resupply missions.",
         [dict(type="REJECT", source=["CHN"], target=["PHL"])]),
        ("Manila did not sign the proposed code of conduct with Beijing.",
         [dict(type="AGREE", source=["PHL"], target=["CHN"], date="2026-01-14",
               negated=True)]),
    ]),
    _article("kompas-20251220", "2025-12-20", "id", [
        ("Amerika Serikat menyerahkan dua kapal patroli kepada Filipina pada 18 Desember.",
         [dict(type="AID", source=["USA"], target=["PHL"], date="2025-12-18")]),
        ("Jerman dan Filipina menggelar latihan bersama di Laut Filipina Barat pada "
         "Desember 2025.",
         [dict(type="COOPERATE", source=["DEU"], target=["PHL"], date="2025-12")]),
        ("China menuduh Amerika Serikat memprovokasi ketegangan pada 19 Desember.",
         [dict(type="ACCUSE", source=["CHN"], target=["USA"], date="2025-12-19")]),
        ("Pada pertemuan 19 Desember, Amerika Serikat dan Jerman sepakat memperluas "
         "latihan bersama.",
         [dict(type="AGREE", source=["USA"], target=["DEU"], date="2025-12-19")]),
    ]),
]
NATO = {"NATO": {"USA", "DEU", "FRA", "GBR"}}


@pytest.fixture
def events(tmp_path):
    """Every stored event, flagged ones included, so that `dyad` itself must drop them."""
    with open_store(tmp_path / "events.db") as store:
        store.ingest(ARTICLES)
        return store.events(include_flagged=True)


def _rows(table):
    return {row["period"]: row for row in table.to_rows()}


def test_dyads_pair_by_month_counts_and_scores(events):
    rows = _rows(dyad(events, "CHN", "PHL", by="month"))
    assert list(rows) == ["2025-12", "2026-01", "undated"]
    # 2025-12: COERCE -7 + PROTEST -5 -> conflict 12, net -12 (hypothetical MOBILIZE left out)
    assert (rows["2025-12"]["COERCE"], rows["2025-12"]["PROTEST"], rows["2025-12"]["MOBILIZE"]) == (1, 1, 0)
    assert (rows["2025-12"]["cooperation"], rows["2025-12"]["conflict"],
            rows["2025-12"]["net"], rows["2025-12"]["events"]) == (0.0, 12.0, -12.0, 2)
    # 2026-01: CONSULT in mode visit +4 (not the type's 2.5); the negated AGREE left out
    assert (rows["2026-01"]["CONSULT"], rows["2026-01"]["AGREE"]) == (1, 0)
    assert (rows["2026-01"]["cooperation"], rows["2026-01"]["net"]) == (4.0, 4.0)
    # undated: REJECT -2, kept apart (its article was published 2026-01-15)
    assert (rows["undated"]["REJECT"], rows["undated"]["conflict"], rows["undated"]["precision"]) == (1, 2.0, "undated")


@pytest.mark.parametrize("by,expected", [
    # 2025-12-07 is a Sunday (ISO week 49), 2025-12-08 a Monday (week 50)
    ("week", {"2025-W49": -7.0, "2025-W50": -5.0, "2026-W03": 4.0, "undated": -2.0}),
    ("month", {"2025-12": -12.0, "2026-01": 4.0, "undated": -2.0}),
    ("year", {"2025": -12.0, "2026": 4.0, "undated": -2.0}),
])
def test_dyads_buckets_by_week_month_year(events, by, expected):
    table = dyad(events, "PHL", "CHN", by=by)
    assert {row["period"]: row["net"] for row in table.to_rows()} == expected


def test_dyads_one_actor_against_all(events):
    rows = _rows(dyad(events, "PHL", by="year"))
    # 2025: COERCE -7, PROTEST -5, AID +10, COOPERATE +9.5 -> 19.5 - 12 = 7.5
    assert (rows["2025"]["cooperation"], rows["2025"]["conflict"], rows["2025"]["net"],
            rows["2025"]["events"]) == (19.5, 12.0, 7.5, 4)
    assert rows["2026"]["net"] == 4.0 and rows["undated"]["net"] == -2.0
    # CHN's accusation of the USA does not involve the Philippines
    assert sum(row["ACCUSE"] for row in rows.values()) == 0


def test_dyads_rollup_counts_members_as_framework(events):
    rows = _rows(dyad(events, "NATO", "PHL", by="month", rollup={"NATO"}, members=NATO))
    # USA AID +10 and DEU COOPERATE +9.5 become NATO's; the USA-DEU AGREE is inside NATO
    assert (rows["2025-12"]["AID"], rows["2025-12"]["COOPERATE"], rows["2025-12"]["cooperation"]) == (1, 1, 19.5)
    against_china = _rows(dyad(events, "CHN", "NATO", by="month", rollup={"NATO"}, members=NATO))
    assert against_china["2025-12"]["ACCUSE"] == 1 and against_china["2025-12"]["conflict"] == 3.0
    alone = _rows(dyad(events, "NATO", by="month", rollup={"NATO"}, members=NATO))
    assert alone["2025-12"]["AGREE"] == 0 and alone["2025-12"]["events"] == 3
    assert dyad(events, "NATO", "PHL", by="month").to_rows() == []   # no rollup, no NATO


def test_dyads_rollup_uses_knowledge_base_membership_on_event_date(events):
    # From the knowledge base: the USA and Germany were NATO members in December 2025.
    rows = _rows(dyad(events, "NATO", "PHL", by="month", rollup={"NATO"}))
    assert rows["2025-12"]["cooperation"] == 19.5
    with pytest.raises(ConfigError, match="JPN"):
        dyad(events, "JPN", "PHL", rollup={"JPN"})


def test_dyads_coarse_date_gets_its_own_row(events):
    rows = _rows(dyad(events, "NATO", "PHL", by="week", rollup={"NATO"}, members=NATO))
    # AID on 2025-12-18 (Thursday, ISO week 51); COOPERATE dated only "2025-12"
    assert rows["2025-W51"]["AID"] == 1
    assert rows["2025-12"]["precision"] == "month" and rows["2025-12"]["COOPERATE"] == 1


def test_dyads_rows_have_fixed_keys(events):
    for row in dyad(events, "CHN", "PHL").to_rows():
        assert list(row) == ["period", "precision", *EVENT_TYPES,
                             "cooperation", "conflict", "net", "events", "reports", "outlets"]


def test_dyads_total_sums_rows(events):
    total = dyad(events, "CHN", "PHL").total()
    assert (total.events, total.cooperation, total.conflict, total.net) == (4, 4.0, 14.0, -10.0)


@pytest.mark.parametrize("type,mode,value", [
    ("AGREE", None, 2.5), ("CONSULT", None, 2.5), ("CONSULT", "visit", 4.0),
    ("CONSULT", "multilateral", 4.0), ("CONSULT", "phone", 1.5), ("CONSULT", "third-party", 1.0),
    ("AID", None, 10.0), ("REQUEST", None, 0.0), ("ASSAULT", "aerial", -9.0),
    ("MOBILIZE", None, -5.5), ("RETREAT", "ceasefire", 6.5),
])
def test_dyads_plover_scores(type, mode, value):
    assert PloverScores.load().score(type, mode) == value


def test_dyads_scores_file_checked(tmp_path):
    bad = tmp_path / "scores.yaml"
    bad.write_text("types: {AGREE: 2.5}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="missing"):
        PloverScores.load(bad)


@pytest.mark.parametrize("value,by,expected", [
    ("2025-12-31", "week", ("2026-W01", "week")),
    ("2025-12-31", "month", ("2025-12", "month")),
    ("2025-12", "week", ("2025-12", "month")),
    ("2025", "month", ("2025", "year")),
    (None, "year", ("undated", "undated")),
])
def test_dyads_period_of(value, by, expected):
    assert period_of(value, by)[:2] == expected


@pytest.mark.parametrize("bad", [dict(by="day"), dict(b="CHN")])
def test_dyads_bad_arguments(events, bad):
    with pytest.raises(ConfigError):
        dyad(events, "CHN", **{"b": "PHL", **bad})


def test_dyads_date_range_rejects_bad_dates():
    assert date_range("2024-02")[1].day == 29
    with pytest.raises(ValueError):
        date_range("7 Desember 2025")
