"""The real-news yardstick: the corpus tools (benchmarks/realnews/realnews.py) and
the error breakdown of benchmarks/score_all.py."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS / "realnews"))
sys.path.insert(0, str(BENCHMARKS))

import realnews  # noqa: E402
import score_all  # noqa: E402

TEXT = ("JAKARTA - Menteri Luar Negeri Retno Marsudi memanggil Duta Besar Brasil di Jakarta, "
        "Jumat (20/2/2015).\nIa menyampaikan nota protes keras kepada pemerintah Brasil. Menurut dia, "
        "penolakan surat kepercayaan duta besar Indonesia oleh Presiden Brasil tidak dapat diterima.\n")
PART = "id_0000aaaa\tid\tKoran Satu\thttps://koran.example/a\t2015-02-24\ttext\tnews\tall\tnota protes\n"


def corpus(tmp_path: Path, gold_events: list[dict] | None = None, text: str | None = TEXT) -> Path:
    (tmp_path / "parts").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "text").mkdir()
    (tmp_path / "parts" / "A.tsv").write_text(PART, encoding="utf-8")
    if text is not None:
        (tmp_path / "text" / "id_0000aaaa.txt").write_text(text, encoding="utf-8")
    events = gold_events if gold_events is not None else [
        {"type": "PROTEST", "mode": None, "context": ["diplomatic"], "source": ["IDN"],
         "target": ["BRA"], "date": "2015-02-20", "location": "Jakarta",
         "evidence": "memanggil Duta Besar Brasil"}]
    gold = {"doc_id": "id_0000aaaa", "language": "id", "published": "2015-02-24",
            "actors": ["IDN", "BRA"],
            "persons": [{"name": "Retno Marsudi", "actor": "IDN", "role": "Menteri Luar Negeri"}],
            "events": events}
    (tmp_path / "gold" / "id_0000aaaa.json").write_text(json.dumps(gold), encoding="utf-8")
    return tmp_path


def run(root: Path, *args: str) -> int:
    return realnews.main(["--root", str(root), *args])


def test_realnews_check_passes_a_good_corpus(tmp_path, capsys):
    assert run(corpus(tmp_path), "check") == 0
    assert "1 articles checked, 0 problems" in capsys.readouterr().err


@pytest.mark.parametrize("event, message", [
    ({"type": "ATTACK"}, "type 'ATTACK' is not one of the 16 PLOVER types"),
    ({"mode": "phone"}, "mode 'phone' is not a PROTEST mode"),
    ({"context": ["war"]}, "context 'war' is not a PLOVER context"),
    ({"target": ["BRZ"]}, "target: unknown actor code 'BRZ'"),
    ({"source": "IDN"}, "source must be a list of actor codes"),
    ({"date": "20/2/2015"}, "date '20/2/2015' is not YYYY-MM-DD"),
    ({"evidence": "memanggil Dubes Brasil"}, "evidence cue 'memanggil Dubes Brasil' is not in the text"),
])
def test_realnews_check_names_the_gold_file_and_the_fault(tmp_path, capsys, event, message):
    good = {"type": "PROTEST", "mode": None, "context": [], "source": ["IDN"], "target": ["BRA"],
            "date": None, "evidence": "memanggil Duta Besar Brasil"}
    assert run(corpus(tmp_path, [good | event]), "check") == 1
    out = capsys.readouterr().out
    assert f"gold/id_0000aaaa.json: event 1: {message}" in out


def test_score_all_skips_the_realnews_sets_with_the_reason(tmp_path, monkeypatch):
    root = corpus(tmp_path, [{"type": "ATTACK", "source": ["IDN"], "target": [],
                              "evidence": "memanggil Duta Besar Brasil"}])
    run(root, "split")
    monkeypatch.setattr(score_all, "REALNEWS", root)
    why = score_all.build_realnews()
    assert "1 problems in the real-news corpus" in why and "type 'ATTACK'" in why


def test_realnews_check_reports_a_missing_text(tmp_path, capsys):
    assert run(corpus(tmp_path, text=None), "check") == 1
    out = capsys.readouterr().out
    assert "text/id_0000aaaa.txt: text missing" in out


def test_realnews_check_reports_a_bad_index_line(tmp_path, capsys):
    root = corpus(tmp_path)
    (root / "parts" / "A.tsv").write_text(PART + "id_x\tid\tonly four columns\n", encoding="utf-8")
    assert run(root, "check") == 1
    assert "A.tsv:2: 3 columns, expected 9" in capsys.readouterr().out


def test_realnews_build_widens_the_cue_to_its_sentence(tmp_path):
    root = corpus(tmp_path)
    assert run(root, "split") == 0
    assert run(root, "build") == 0
    half = realnews.read_tsv(root / "INDEX.tsv", realnews.COLUMNS, realnews.Problems())[0]["half"]
    (gold,) = [json.loads(line) for line in (root / "build" / f"gold-{half}.jsonl").open()]
    assert gold["events"][0]["evidence"] == ("JAKARTA - Menteri Luar Negeri Retno Marsudi memanggil "
                                             "Duta Besar Brasil di Jakarta, Jumat (20/2/2015).")
    (record,) = [json.loads(line) for line in (root / "articles.jsonl").open()]
    assert record["text"] == TEXT and record["published"] == "2015-02-24"


def test_realnews_split_is_fixed_and_keeps_publishers_together(tmp_path, capsys):
    root = corpus(tmp_path)
    lines = [PART]
    for n, outlet in enumerate(["Tribunnews", "Pos Kupang", "Kompas", "Kompas TV", "Antara", "DW"]):
        lines.append(f"id_1{n:07d}\tid\t{outlet}\thttps://{n}.example/\t\tnone\tnews\tall\tq\n")
    (root / "parts" / "A.tsv").write_text("".join(lines), encoding="utf-8")
    assert run(root, "split") == 0
    rows = realnews.read_tsv(root / "INDEX.tsv", realnews.COLUMNS, realnews.Problems())
    half = {r["outlet"]: r["half"] for r in rows}
    assert half["Tribunnews"] == half["Pos Kupang"] and half["Kompas"] == half["Kompas TV"]
    assert {r["half"] for r in rows} == {"tune", "check"}
    with pytest.raises(SystemExit, match="the halves are fixed"):
        run(root, "split")


def test_realnews_restore_checks_the_text(tmp_path, capsys):
    root = corpus(tmp_path)
    run(root, "split")
    saved = tmp_path / "excerpt.txt"
    saved.write_text(TEXT.replace('"', "“"), encoding="utf-8")     # a hand copy: same words
    assert run(root, "restore", "id_0000aaaa", str(saved)) == 0
    saved.write_text("Another page altogether.", encoding="utf-8")
    with pytest.raises(SystemExit, match="checksum differs"):
        run(root, "restore", "id_0000aaaa", str(saved))


def test_realnews_keep_lines():
    assert realnews.keep_lines("a\nb\nc\nd", "1,3-4") == "a\nc\nd"
    assert realnews.keep_lines("a\nb", "all") == "a\nb"


def test_realnews_corpus_is_complete():
    """The committed corpus: every text restored, every cue found (skips without texts)."""
    texts = BENCHMARKS / "realnews" / "text"
    if not texts.is_dir() or not any(texts.glob("*.txt")):
        pytest.skip("the real-news texts are absent: restore them (benchmarks/realnews/README.md)")
    assert realnews.main(["check"]) == 0
    rows = realnews.read_tsv(BENCHMARKS / "realnews" / "INDEX.tsv", realnews.COLUMNS,
                             realnews.Problems())
    groups = {}
    for r in rows:
        groups.setdefault(realnews.outlet_group(r["outlet"]), set()).add(r["half"])
    assert all(len(halves) == 1 for halves in groups.values())
    assert len(rows) >= 150 and len(groups) >= 40
    assert sum(r["language"] == "id" for r in rows) >= 100
    assert sum(r["language"] == "en" for r in rows) >= 40


# --- the error breakdown ----------------------------------------------------------

SENTENCE = "Indonesia memanggil duta besar Brasil pada Jumat."


def event(kind="PROTEST", source=("IDN",), target=("BRA",), date="2015-02-20", **extra):
    return {"type": kind, "source": list(source), "target": list(target), "date": date,
            "evidence": SENTENCE, "evidence_spans": [[0, len(SENTENCE)]], "trigger": "x",
            "hypothetical": False, "negated": False} | extra


@pytest.mark.parametrize("system, fired, cause", [
    ([event(hypothetical=True)], [], "flagged"),
    ([event(date="2015-03-20", evidence="Sebulan kemudian Jakarta mengulanginya.")], [],
     "wrong date"),
    ([event(target=["USA"])], [], "wrong actors"),
    ([event(kind="ACCUSE")], [], "other type"),
    ([], [{"trigger": "memanggil", "type": "PROTEST", "why": "no target"}], "no argument"),
    ([], [], "no trigger"),
])
def test_score_all_names_why_an_event_was_missed(system, fired, cause):
    gold = {"events": [event()]}
    report = [{"sentence": SENTENCE, "start": 0, "not_events": fired}]
    missed, _ = score_all.diagnose(gold, {"events": system}, report, SENTENCE)
    assert [m[0] for m in missed] == [cause]


@pytest.mark.parametrize("system, cause", [
    ([event(), event()], "duplicate"),
    ([event(), event(date="2016-01-01", evidence="Setahun kemudian Indonesia memanggilnya lagi.")],
     "misdated"),
    ([event(), event(target=["USA"])], "wrong actors"),
    ([event(), event(kind="ASSAULT")], "type the text lacks"),
])
def test_score_all_names_why_an_event_is_a_false_alarm(system, cause):
    gold = {"events": [event()]}
    report = [{"sentence": SENTENCE, "start": 0, "not_events": []}]
    missed, false = score_all.diagnose(gold, {"events": system}, report, SENTENCE)
    assert missed == [] and [f[0] for f in false] == [cause]


def test_score_all_never_lists_the_check_half():
    with pytest.raises(SystemExit):
        score_all.main(["--errors", "check"])
