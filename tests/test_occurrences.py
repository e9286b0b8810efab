"""One occurrence, one count: dyads, briefs and clusters count occurrences, with their
reports and outlets beside them; re-ingesting under new ids changes no count; A → B
and B → A apart; one granularity per table; a brief's chart where the events are."""
import copy
import re
from pathlib import Path

import pytest

from aliansi import api, database
from aliansi.brief import build_brief
from aliansi.store import open_store
from test_clusters import ANTARA, INQUIRER, KOMPAS, _article

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "dev" / "articles.jsonl"


def _store(location, *articles):
    with open_store(location) as store:
        store.ingest(articles)
    with database.open(location) as db:
        db.update_clusters()
    return location


def test_occurrences_three_reports_count_once(store_location):
    _store(store_location, INQUIRER, ANTARA, KOMPAS)
    (cluster,) = [c for c in api.clusters(store_location) if c.type == "COERCE"]
    assert (cluster.corroboration, cluster.reports) == (3, 3)
    table = api.dyad(store_location, "CHN", "PHL", direction="a->b")   # the water cannon only
    (row,) = table.to_rows()
    assert (row["COERCE"], row["events"], row["reports"], row["outlets"]) == (1, 1, 3, 3)
    per_report = api.dyad(store_location, "CHN", "PHL", per_report=True)
    assert sum(r["COERCE"] for r in per_report.to_rows()) == 3


def test_occurrences_brief_dyad_and_clusters_agree(store_location):
    _store(store_location, INQUIRER, ANTARA, KOMPAS)
    total = api.dyad(store_location, "CHN", "PHL").total()
    clusters = [c for c in api.clusters(store_location) if {"CHN", "PHL"} <= set(c.source + c.target)]
    with database.open(store_location) as db:
        page = build_brief(db, "CHN", "PHL")
    counts = dict(re.findall(r"<dt>(\w[\w ]*)</dt><dd>([^<]+)</dd>", page))
    assert total.events == len(clusters) == int(counts["Events"])
    assert total.reports == sum(c.reports for c in clusters) == int(counts["Reports"])


def test_occurrences_directions_apart(store_location):
    _store(store_location, INQUIRER, ANTARA)
    both, chn_phl, phl_chn = (api.dyad(store_location, "CHN", "PHL", direction=d).total()
                              for d in ("both", "a->b", "b->a"))
    assert (chn_phl.counts["COERCE"], phl_chn.counts["COERCE"]) == (1, 0)
    assert (chn_phl.counts["PROTEST"], phl_chn.counts["PROTEST"]) == (0, 1)
    assert both.events == chn_phl.events + phl_chn.events


def test_occurrences_one_granularity_then_coarser_rows(store_location):
    year_only = _article("tahun-1", "Tempo", "2025-12-20", "id", [
        ("Sepanjang 2025 kapal China berulang kali menembakkan meriam air ke kapal Filipina.",
         [dict(type="COERCE", source=["CHN"], target=["PHL"], date="2025")])])
    _store(store_location, INQUIRER, year_only)
    rows = api.dyad(store_location, "CHN", "PHL", by="month").to_rows()
    assert [(r["period"], r["precision"]) for r in rows] == [("2025-12", "month"), ("2025", "year")]


def test_occurrences_reingested_under_new_ids_change_no_count(store_location):
    if not DEV.exists():
        pytest.skip(f"{DEV} is absent: the shared dev set sits beside the repo only for developers and CI")
    articles = list(api.extract([DEV]))
    _store(store_location, *articles)
    before = {pair: api.dyad(store_location, *pair).to_rows() for pair in [("RUS", "UKR"), ("JPN", "CHN")]}
    copies = []
    for n in range(30):
        for article in articles:
            again = copy.deepcopy(article)
            again.id, again.outlet = f"{article.id}~{n}", f"Mirror {n}"
            copies.append(again)
    with open_store(store_location) as store:
        report = store.ingest(copies)
    assert (report.added, report.duplicates) == (0, len(copies))
    with database.open(store_location) as db:
        db.update_clusters()
    after = {pair: api.dyad(store_location, *pair).to_rows() for pair in before}
    assert after == before and sum(r["events"] for r in before[("RUS", "UKR")]) > 0


def test_occurrences_the_brief_chart_shows_where_the_events_are(tmp_path):
    old = _article("lama-1", "Kompas", "2015-03-02", "id", [
        ("Pada Maret 2015 kapal China menembakkan meriam air ke kapal nelayan Filipina.",
         [dict(type="COERCE", source=["CHN"], target=["PHL"], date="2015-03")])])
    location = _store(tmp_path / "a.db", old, INQUIRER, ANTARA)
    with database.open(location) as db:
        page = build_brief(db, "CHN", "PHL")
    figures = page[page.index("The figures as a table"):]
    months = re.findall(r"<t[hd][^>]*>(\d{4}-\d{2})</t[hd]>", figures[:figures.index("</table>")])
    assert months and min(months) >= "2023-01"        # not ten years of empty months
    assert "outside the busiest 36 months" in page


def test_occurrences_network_edges_count_occurrences(store_location, tmp_path):
    import json as json_

    _store(store_location, INQUIRER, ANTARA, KOMPAS)
    api.network(store_location, tmp_path / "n.json")
    links = json_.loads((tmp_path / "n.json").read_text(encoding="utf-8"))["links"]
    (coerce,) = [link for link in links if link["source"] == "CHN" and link["target"] == "PHL"
                 and "COERCE" in link["types"]]
    assert (coerce["count"], coerce["reports"]) == (1, 3)


def test_occurrences_exports_name_each_report_s_occurrence(store_location, tmp_path):
    import csv

    _store(store_location, INQUIRER, ANTARA, KOMPAS)
    api.export(store_location, tmp_path / "e.csv")
    rows = list(csv.DictReader((tmp_path / "e.csv").open(encoding="utf-8")))
    coerce = {r["occurrence"] for r in rows if r["type"] == "COERCE"}
    assert len([r for r in rows if r["type"] == "COERCE"]) == 3 and len(coerce) == 1
    assert len({r["occurrence"] for r in rows}) == len(api.clusters(store_location))


def test_occurrences_a_sample_and_its_json_lines_copy_are_one_article(store_location, tmp_path):
    """The bundled sample as a text file and as a JSON Lines record: one article with two
    sources, and no occurrence corroborated by its own copy."""
    import json

    sample = sorted((Path(__file__).resolve().parents[1] / "samples").glob("*.txt"))[0]
    copy_file = tmp_path / "copy.jsonl"
    copy_file.write_text(json.dumps({"id": "copy-1", "text": sample.read_text(encoding="utf-8"),
                                     "outlet": "Mirror"}, ensure_ascii=False) + "\n", encoding="utf-8")
    report = api.ingest([sample, copy_file], store_location)
    assert (report.added, report.duplicates) == (1, 1)
    with open_store(store_location, read_only=True) as store:
        (article,) = store.articles()
        assert len(store.sources(article.id)) == 2
    clusters = api.clusters(store_location)
    assert clusters and all(c.corroboration == 1 and c.reports == 1 for c in clusters)
