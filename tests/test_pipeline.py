"""The pipeline: stages in order, and long articles read in segments."""
import json
import logging
from pathlib import Path

import pytest

from aliansi import pipeline
from aliansi.model import Article
from aliansi.pipeline import Pipeline, segments

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def run():
    return Pipeline()


def long_article() -> Article:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    return Article(text="\n\n".join(texts * 6), id="panjang", published="2026-01-23",
                   language="id")


def test_pipeline_segments_cut_at_paragraph_ends():
    article = long_article()
    parts = list(segments(article, size=3000))
    assert "".join(p.text for p in parts) == article.text
    assert all(len(p.text) <= 3000 for p in parts)
    assert all(p.text.endswith("\n") for p in parts[:-1])
    assert all(p.id == "panjang" and p.published == "2026-01-23" for p in parts)


def test_pipeline_a_long_article_is_read_in_segments(run, monkeypatch, caplog):
    monkeypatch.setattr(pipeline, "MAX_SEGMENT", 3000)
    article = run(long_article())
    assert "characters read in" in caplog.text and "segments" in caplog.text
    text = article.text
    assert article.events and article.persons and article.actors
    assert all(text[s.start:s.end] == s.text for s in article.sentences)
    assert all(text[m.start:m.end] == m.text for m in article.mentions)
    assert all(text[t.start:t.end] == t.text for t in article.times)
    for event in article.events:
        assert any(text[a:b] == event.evidence for a, b in event.evidence_spans)
    # the same occurrence told in several segments is one event, as in one piece
    keys = [(e.type, tuple(e.source), tuple(e.target), e.date, e.hypothetical, e.negated)
            for e in article.events]
    assert len(keys) == len(set(keys))
    # most of what the article says in one piece it says in segments (what a segment
    # cannot see is the date or the actors told in the one before)
    monkeypatch.setattr(pipeline, "MAX_SEGMENT", 10 ** 9)
    whole = run(long_article())
    pairs = [{(e.type, tuple(e.source), tuple(e.target)) for e in a.events} for a in (article, whole)]
    assert len(pairs[0] & pairs[1]) >= 0.8 * len(pairs[1])
    assert [p.name for p in article.persons] == list(dict.fromkeys(p.name for p in article.persons))


def test_pipeline_a_short_article_is_one_piece(run, caplog):
    caplog.set_level(logging.WARNING)
    run(Article(text=SAMPLES.joinpath("000_e93b908289675d51.txt").read_text(encoding="utf-8"),
                id="pendek", language="id"))
    assert "segments" not in caplog.text


@pytest.mark.parametrize("text, language, source, target", [
    ("Tiga kapal nelayan Vietnam ditangkap di perairan Natuna, Indonesia, Selasa lalu.", "id", ["IDN"], ["VNM"]),
    ("Dua anggota marinir Indonesia yang ditangkap di Singapura diadili pekan ini.", "id", ["SGP"], ["IDN"]),
    ("Empat warga asal Turki yang ditahan di Poso akan dideportasi.", "id", ["IDN"], ["TUR"]),
])
def test_pipeline_an_arrest_without_its_agent_is_by_the_state_where_it_happened(run, text, language, source,
                                                                               target):
    article = run(Article(text=text, language=language, published="2024-03-11", id="held"))
    coerced = [(e.source, e.target) for e in article.events if e.type == "COERCE"]
    assert (source, target) in coerced, [(e.type, e.source, e.target, e.rule) for e in article.events]
    assert any(e.rule.endswith(":place-authority") for e in article.events if e.type == "COERCE")


def test_pipeline_a_host_or_mediator_named_as_such_brings_the_sides_together(run):
    # "dengan X sebagai tuan rumah dan penengah": X brings the two others together, and
    # "kedua pihak" afterwards are those two, not the mediator
    text = ("Pertemuan itu mempertemukan Menteri Luar Negeri Vietnam Bui Thanh Son dan Menteri Luar "
            "Negeri Filipina Enrique Manalo, dengan Menteri Luar Negeri Indonesia Sugiono sebagai tuan "
            "rumah dan penengah. Dalam pernyataan bersama, kedua pihak menyetujui penarikan kapal dari "
            "perairan itu.")
    article = run(Article(text=text, language="id", published="2024-03-11", id="mediated"))
    found = [(e.type, e.source, sorted(e.target), e.rule) for e in article.events]
    consult = [(s, t) for kind, s, t, _ in found if kind == "CONSULT"]
    assert consult == [(["IDN"], ["PHL", "VNM"])], found
    agree = [sorted(e.source + e.target) for e in article.events if e.type == "AGREE"]
    assert agree and all(sides == ["PHL", "VNM"] for sides in agree), found
