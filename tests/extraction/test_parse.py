"""The packaged dependency parsers: they load offline from the package, parse, and
leave a sentence they cannot handle to the patterns without an error."""
import json
import logging
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from aliansi.extraction import parse
from aliansi.extraction.events import EventStage
from aliansi.model import Article, Mention
from aliansi.sentences import split

pytest.importorskip("spacy")


def model_dir(lang):
    return resources.files("aliansi") / "data" / "models" / f"parser-{lang}"


def test_parser_id_ships_in_the_package_with_its_licence():
    folder = model_dir("id")
    assert parse.available("id")
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["lang"] == "id" and meta["pipeline"] == ["tok2vec", "tagger", "parser"]
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "CC BY-SA" in readme and "UAS" in readme
    size = sum(p.stat().st_size for p in resources.as_file(folder).__enter__().rglob("*") if p.is_file())
    assert size < 20 * 2 ** 20


def test_parser_loads_offline_and_parses(monkeypatch):
    # nothing is fetched: any socket use fails the test
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the parser tried to use the network")
    monkeypatch.setattr(socket, "create_connection", no_network)
    text = "Menteri Luar Negeri Jepang bertemu dengan Presiden Filipina di Manila pada Senin."
    doc = parse.parse(text, "id")
    assert doc is not None
    words = [text[s:e] for s, e in doc.user_data["spans"]]
    assert words == [t.text for t in doc]
    assert words[:3] == ["Menteri", "Luar", "Negeri"] and words[-1] == "."
    roots = [t for t in doc if t.head.i == t.i]
    assert len(roots) >= 1
    verb = next(t for t in doc if t.text == "bertemu")
    assert verb.pos_ == "VERB" or verb.tag_ == "VERB"
    assert any(c.dep_.startswith("nsubj") for c in verb.children)


def test_tokenizer_keeps_offsets_and_the_treebanks_words():
    text = "Pasukan AS (1/12) menembakkan 25.000 peluru, kata pejabat anak-anak U.S. officials' don't."
    spans = parse.tokenize(text)
    words = [text[s:e] for s, e in spans]
    assert words[:6] == ["Pasukan", "AS", "(", "1/12", ")", "menembakkan"]
    assert "25.000" in words and "anak-anak" in words and "U.S." in words
    assert words[-3:] == ["do", "n't", "."]
    assert all(text[s:e].strip() == text[s:e] and s < e for s, e in spans)


@pytest.mark.parametrize("text,reason", [
    ("Indonesia mengecam serangan itu " + "dan seterusnya " * 45 + ".", "too long"),
    ("12 / 12 / 2025 — 14.30 — 0,5 % — 1.000.000 — 3 : 1 — 99 + 1", "not prose"),
])
def test_a_sentence_the_parser_cannot_handle_is_counted_and_left(text, reason):
    before = parse.STATS[reason]
    assert parse.parse(text, "id") is None
    assert parse.STATS[reason] == before + 1


def _article(text, actors):
    a = Article(text=text, language="id", published="2026-01-23")
    a.sentences = split(text)
    for name, code in actors.items():
        start = text.find(name)
        while start >= 0:
            a.mentions.append(Mention(start, start + len(name), name, "state", code, name))
            start = text.find(name, start + 1)
    a.mentions.sort(key=lambda m: m.start)
    return a


@pytest.mark.parametrize("text", [
    # very long: the patterns decide alone
    "Indonesia mengecam serangan Israel terhadap Gaza " + "yang terus berlangsung " * 28 + ".",
    # no verb
    "Indonesia, Israel, Gaza: kecaman, serangan, korban.",
    # mixed scripts
    "Indonesia mengecam serangan Israel (إسرائيل) terhadap Gaza (غزة) dan 以色列 的 攻击.",
])
def test_extraction_falls_back_without_error(text, caplog):
    actors = {"Indonesia": "IDN", "Israel": "ISR", "Gaza": "PSE"}
    with caplog.at_level(logging.INFO, logger="aliansi.extraction.parse"):
        with_parse = EventStage(parser=True)(_article(text, actors))
    without = EventStage(parser=False)(_article(text, actors))
    for event in with_parse.events:
        assert event.rule.count("agent=") == 1
    assert len(split(text)) == 1
    if len(text) > parse.MAX_CHARS:
        assert [(e.type, e.source, e.target) for e in with_parse.events] == \
            [(e.type, e.source, e.target) for e in without.events]
        assert any("left to the patterns" in r.message for r in caplog.records)


def test_an_articles_sentences_left_to_the_patterns_are_counted(caplog):
    # -v shows, per article, how many sentences with a trigger the parser could not take
    long = "Indonesia mengecam serangan Israel terhadap Gaza " + "yang terus berlangsung " * 28 + "."
    text = "Indonesia mengecam serangan Israel terhadap Gaza. " + long
    with caplog.at_level(logging.INFO, logger="aliansi.extraction.events"):
        EventStage(parser=True)(_article(text, {"Indonesia": "IDN", "Israel": "ISR", "Gaza": "PSE"}))
    counted = [r.getMessage() for r in caplog.records if "sentences with a trigger" in r.getMessage()]
    assert counted and "1 of 2 sentences" in counted[0], counted


def test_parser_en_ships_and_parses():
    if not parse.available("en"):
        pytest.skip("no packaged English parser")
    readme = (model_dir("en") / "README.md").read_text(encoding="utf-8")
    assert "CC BY-SA" in readme and "EWT" in readme
    text = "Vietnamese fishermen were detained by China near the islands."
    doc = parse.parse(text, "en")
    assert doc is not None and [t.text for t in doc][:3] == ["Vietnamese", "fishermen", "were"]


@pytest.mark.parametrize("lang, texts", [
    ("id", ["Menteri Luar Negeri Jepang bertemu dengan Presiden Filipina di Manila pada Senin.",
            "Pemerintah Indonesia mengecam serangan Israel yang menewaskan puluhan warga sipil di Gaza.",
            "Kedua negara sepakat menggelar latihan militer gabungan di Laut Natuna tahun depan."]),
    ("en", ["Japan and the United States agreed on Tuesday to co-produce missile interceptors.",
            "The ministry summoned the Chinese ambassador after the ships entered its waters."]),
])
def test_numpy_products_give_the_trees_of_thincs_own(lang, texts):
    # parse.load runs the matrix products through numpy; the model as spaCy loads
    # it (thinc's blis) must give the same tags, heads and relations
    import spacy
    from spacy.tokens import Doc

    nlp = parse.load(lang)
    with resources.as_file(model_dir(lang)) as folder:
        plain = spacy.load(folder)
    assert type(nlp.get_pipe("parser").model.ops).__name__ != type(plain.get_pipe("parser").model.ops).__name__
    for text in texts:
        ours = parse.parse(text, lang)
        theirs = plain(Doc(plain.vocab, words=[t.text for t in ours],
                           spaces=[bool(t.whitespace_) for t in ours]))
        assert [(t.tag_, t.head.i, t.dep_) for t in ours] == [(t.tag_, t.head.i, t.dep_) for t in theirs]


@pytest.mark.parametrize("size, says", [
    ("hidden_width", "--size takes KEY=N pairs, not hidden_width"),
    ("hidden_width=wide", "--size takes KEY=N pairs, not hidden_width=wide"),
    ("heads=4", "--size: unknown heads (one of width, depth, hidden_width, maxout_pieces)"),
])
def test_train_parser_refuses_a_bad_size_before_any_work(size, says, tmp_path):
    # checked before the treebanks are looked for, so it holds on a clone without ../shared
    script = Path(__file__).resolve().parents[2] / "scripts" / "train_parser.py"
    done = subprocess.run([sys.executable, str(script), "--data", str(tmp_path), "--size", size],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert says in done.stderr and "Traceback" not in done.stderr
