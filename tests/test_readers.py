"""Readers: every input format, and bad input that must not stop a batch."""
from __future__ import annotations

import functools
import http.server
import io
import os
import json
import shutil
import sys
import threading
from pathlib import Path

import pytest

from aliansi.errors import InputError
from aliansi.model import content_id
from aliansi.readers import read, sniff_format, sniff_text

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def read_all(inputs):
    errors: list[InputError] = []
    articles = list(read(inputs, on_error=errors.append))
    return articles, errors


# --- JSON Lines --------------------------------------------------------------

def test_readers_jsonl_records():
    articles, errors = read_all([FIXTURES / "articles.jsonl"])
    assert errors == []
    assert [a.id for a in articles[:2]] == ["dev_id_22", "dev_id_11"]
    first, second, third = articles
    assert first.title.startswith("ICJ Mulai Sidang")
    assert (first.published, first.published_source) == (None, None)
    assert (first.language, first.language_source) == ("id", "given")
    # a full timestamp keeps its calendar date
    assert (second.published, second.published_source) == ("2026-01-13", "given")
    assert second.url == "https://cakrawala.example/2026/01/13/china-sanksi"
    assert not hasattr(second, "section")
    # no id: the content hash
    assert third.id == content_id(third.text)
    assert (third.language, third.language_source) == (None, None)
    assert all(a.origin == str(FIXTURES / "articles.jsonl") for a in articles)


def test_readers_json_array():
    articles, errors = read_all([FIXTURES / "array.json"])
    assert errors == []
    assert [(a.id, a.published, a.outlet) for a in articles] == [
        ("dev_en_05", "2025-12-07", "Harbor Wire"), ("dev_en_06", "2025-12-08", "Global Dispatch")]


@pytest.mark.parametrize("line, message", [
    (2, "no 'text'"),
    (3, "not JSON"),
    (4, "not an object"),
    (5, "'text' is empty"),
    (6, "'text' is a int"),
    (7, "'published' is not a date"),
])
def test_readers_bad_record_names_file_and_line(line, message):
    path = FIXTURES / "bad_records.jsonl"
    articles, errors = read_all([path])
    assert [a.id for a in articles] == ["ok_1", "ok_2"]
    error = {e.record: e for e in errors}[line]
    assert error.origin == str(path)
    assert str(error).startswith(f"{path}:{line}: ")
    assert message in str(error)


def test_readers_bad_array_item_named(tmp_path):
    path = tmp_path / "batch.json"
    path.write_text('[{"text": "Iran menolak resolusi IAEA."}, "Thailand membebaskan 18 tentara."]',
                    encoding="utf-8")
    articles, errors = read_all([path])
    assert len(articles) == 1
    (error,) = errors
    assert str(error) == f"{path}:item 2: record is a JSON str, not an object"


def test_readers_bad_record_raises_without_handler():
    reader = read([FIXTURES / "bad_records.jsonl"])
    assert next(reader).id == "ok_1"
    with pytest.raises(InputError, match=r"bad_records\.jsonl:2: record has no 'text'"):
        next(reader)


# --- text, markdown, HTML, feeds ---------------------------------------------

def test_readers_text_file_has_no_guessed_title():
    path = FIXTURES / "seed_byline_image.txt"
    (article,), errors = read_all([path])
    assert errors == []
    assert article.title is None
    assert article.text.startswith("Oleh Wu Qiaoxi |\nMenteri Pertahanan Jepang")
    assert article.id == content_id(article.text)
    assert article.origin == str(path)


def test_readers_markdown_heading_is_title():
    (article,), _ = read_all([FIXTURES / "wire_en.md"])
    assert article.title == "U.N. Security Council backs U.S. plan for Gaza stabilization force"
    assert article.text.lstrip().startswith("By Kenji Harada")
    assert "# U.N." not in article.text


def test_readers_html_page():
    (article,), errors = read_all([FIXTURES / "page.html"])
    assert errors == []
    assert article.title == "Menlu RI dan Menlu Jepang Bahas Keamanan Maritim"
    assert article.outlet == "Warta Dunia"
    assert (article.published, article.published_source) == ("2025-12-05", "given")
    assert (article.language, article.language_source) == ("id", "given")
    assert article.url == "https://wartadunia.example/2025/12/05/menlu-ri-jepang-maritim"
    assert article.byline == "Dimas Prasetyo"
    assert article.text.startswith("Menteri Luar Negeri RI Sugiono bertemu")
    assert "hibah dua kapal patroli" in article.text
    for boilerplate in ("Beranda", "Terpopuler", "Harga emas", "Hak cipta"):
        assert boilerplate not in article.text


def test_readers_rss_feed_one_article_per_entry():
    path = FIXTURES / "feed.xml"
    articles, errors = read_all([path])
    assert [a.title for a in articles] == [
        "Kapal Penjaga Pantai China Semprotkan Meriam Air ke Kapal Filipina",
        "Polandia Usir Diplomat Rusia dan Tutup Konsulat di Gdansk"]
    first = articles[0]
    assert first.outlet == "Kabar Samudra"
    assert first.url == "https://kabarsamudra.example/2025/12/08/meriam-air-scarborough"
    # 06:15 +0700 is still 8 December where it was written (UTC would say the 7th)
    assert (first.published, first.published_source) == ("2025-12-08", "given")
    assert first.language == "id-ID"
    # content:encoded wins over the short description; HTML is stripped, paragraphs kept
    assert first.text.split("\n")[1] == (
        "Juru bicara PCG, Jay Tarriela, mengatakan tidak ada awak yang terluka dalam insiden tersebut.")
    assert "<" not in first.text
    (error,) = errors
    assert (error.origin, error.record) == (str(path), "entry 3")


def test_readers_atom_feed():
    (article,), errors = read_all([FIXTURES / "atom.atom"])
    assert errors == []
    assert article.outlet == "Meridian Wire"
    assert article.published == "2026-01-18"
    assert article.language == "en"
    assert article.text.startswith("Thailand and Cambodia agreed on Saturday")


def test_readers_feed_sniffed_without_extension(tmp_path):
    path = tmp_path / "rss"
    shutil.copy(FIXTURES / "feed.xml", path)
    assert sniff_format(path) == "feed"
    articles, _ = read_all([path])
    assert len(articles) == 2


@pytest.mark.parametrize("text, kind", [
    ('{"id": "a", "text": "Iran menolak resolusi IAEA."}\n', "jsonl"),
    ('  [{"text": "Iran menolak resolusi IAEA."}]', "jsonl"),
    ((FIXTURES / "feed.xml").read_text(encoding="utf-8"), "feed"),
    ((FIXTURES / "atom.atom").read_text(encoding="utf-8"), "feed"),
    ((FIXTURES / "page.html").read_text(encoding="utf-8"), "html"),
    ("<p>Polandia mengusir tiga diplomat Rusia.</p>", "html"),
    ("<<Catatan redaksi>> Polandia mengusir tiga diplomat Rusia.", "text"),
    ("[Foto] Polandia mengusir tiga diplomat Rusia.", "text"),
    ("JAKARTA, 5 Desember 2025 - Presiden Prabowo menerima kunjungan PM Malaysia.", "text"),
])
def test_readers_sniff_text(text, kind):
    assert sniff_text(text) == kind


# --- folders, stdin, URLs --------------------------------------------------------

def test_readers_folder_recursive_sorted(tmp_path, caplog):
    shutil.copy(FIXTURES / "seed_byline_image.txt", tmp_path / "b.txt")
    (tmp_path / "a").mkdir()
    shutil.copy(FIXTURES / "array.json", tmp_path / "a" / "z.json")
    shutil.copy(FIXTURES / "feed.xml", tmp_path / "a" / "feed.rss")
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4 not an article")
    (tmp_path / ".hidden.txt").write_text("Catatan pribadi, bukan berita.", encoding="utf-8")
    with caplog.at_level("DEBUG", logger="aliansi.readers"):
        articles, errors = read_all([tmp_path])
    origins = [Path(a.origin).relative_to(tmp_path).as_posix() for a in articles]
    assert origins == ["a/feed.rss", "a/feed.rss", "a/z.json", "a/z.json", "b.txt"]
    assert [e.record for e in errors] == ["entry 3"]
    assert "c.pdf" in caplog.text and ".hidden.txt" in caplog.text


@pytest.mark.parametrize("fixture, count, first_text", [
    ("articles.jsonl", 3, "Kabar Global. Den Haag"),
    ("page.html", 1, "Menteri Luar Negeri RI Sugiono"),
    ("feed.xml", 2, "Kapal Penjaga Pantai China"),
    ("seed_dateline_list.txt", 1, "RI News Portal. Istambul"),
])
def test_readers_stdin_sniffed(monkeypatch, fixture, count, first_text):
    data = (FIXTURES / fixture).read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    articles, _ = read_all(["-"])
    assert len(articles) == count
    assert articles[0].text.startswith(first_text)
    assert articles[0].origin == "<stdin>"


def test_readers_stdin_text_stream_without_buffer(monkeypatch):
    text = (FIXTURES / "dateline_id.txt").read_text(encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    (article,), _ = read_all(["-"])
    assert article.text == text


@pytest.fixture
def served():
    """The fixtures folder over HTTP on 127.0.0.1; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(FIXTURES))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_readers_url_feed_and_page(served):
    articles, errors = read_all([f"{served}/feed.xml", f"{served}/page.html"])
    assert [e.record for e in errors] == ["entry 3"]
    assert [a.origin for a in articles] == [f"{served}/feed.xml"] * 2 + [f"{served}/page.html"]
    assert articles[0].outlet == "Kabar Samudra"
    page = articles[2]
    assert page.title == "Menlu RI dan Menlu Jepang Bahas Keamanan Maritim"
    assert page.published == "2025-12-05"


def test_readers_url_not_found_goes_on(served):
    missing = f"{served}/hilang.html"
    articles, errors = read_all([missing, FIXTURES / "array.json"])
    assert len(articles) == 2
    (error,) = errors
    assert error.origin == missing
    assert "HTTP 404" in str(error)


# --- bad inputs ----------------------------------------------------------------

def _missing(tmp_path):
    return tmp_path / "tidak-ada.jsonl"


def _binary(tmp_path):
    path = tmp_path / "gambar.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    return path


def _undecodable(tmp_path):
    path = tmp_path / "rusak.txt"
    path.write_bytes("Menteri Luar Negeri ".encode() + b"\x81\x8d\x90\x9d kabur")
    return path


def _empty(tmp_path):
    path = tmp_path / "kosong.jsonl"
    path.write_bytes(b"")
    return path


def _blank(tmp_path):
    path = tmp_path / "spasi.txt"
    path.write_text(" \n\n \t\n", encoding="utf-8")
    return path


def _unknown_extension(tmp_path):
    path = tmp_path / "laporan.docx"
    path.write_bytes(b"PK\x03\x04 word document")
    return path


def _page_without_article(tmp_path):
    path = tmp_path / "app.html"       # a page rendered by JavaScript: nothing to read
    path.write_text('<!DOCTYPE html><html lang="id"><head><title>Memuat</title>'
                    '<script src="/app.js"></script></head><body><div id="app"></div></body></html>',
                    encoding="utf-8")
    return path


def _xml_not_a_feed(tmp_path):
    path = tmp_path / "sitemap.xml"
    path.write_text('<?xml version="1.0"?><urlset><url><loc>https://a.example/</loc></url></urlset>',
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("make, message", [
    (_page_without_article, "no article text"),
    (_xml_not_a_feed, "not an RSS/Atom feed"),
    (_missing, "no such file"),
    (_binary, "binary"),
    (_undecodable, "undecodable"),
    (_empty, "empty"),
    (_blank, "empty"),
    (_unknown_extension, "unknown file type '.docx'"),
])
def test_readers_bad_input_named_and_batch_goes_on(tmp_path, make, message):
    bad = make(tmp_path)
    articles, errors = read_all([bad, FIXTURES / "seed_byline_image.txt"])
    assert len(articles) == 1
    (error,) = errors
    assert error.origin == str(bad)
    assert str(error).startswith(f"{bad}: ")
    assert message in str(error)


def test_readers_bad_input_raises_without_handler(tmp_path):
    with pytest.raises(InputError, match="binary"):
        list(read([_binary(tmp_path)]))


@pytest.mark.parametrize("data, expected", [
    ("Menteri Luar Negeri Prancis Jean-Noël Barrot tiba di Jakarta.".encode("cp1252"),
     "Jean-Noël Barrot"),
    ("\ufeffMenlu Sugiono bertemu Menlu Motegi di Tokyo.".encode("utf-8"), "Menlu Sugiono"),
    ("Kata dia: “tidak dapat dipisahkan lagi”.".encode("cp1252"), "“tidak dapat dipisahkan lagi”"),
    ("Menlu Sugiono bertemu Menlu Motegi di Tokyo.".encode("utf-16"), "Menlu Sugiono"),
])
def test_readers_decodes_legacy_encodings(tmp_path, data, expected):
    path = tmp_path / "berita.txt"
    path.write_bytes(data)
    (article,), errors = read_all([path])
    assert errors == []
    assert expected in article.text
    assert "\ufeff" not in article.text


def test_readers_gold_dev_articles():
    path = SHARED / "gold" / "dev" / "articles.jsonl"
    if not path.exists():
        pytest.skip(f"shared gold data not found at {path}")
    articles, errors = read_all([path])
    assert errors == []
    assert len(articles) == 34
    assert len({a.id for a in articles}) == 34
    undated = {a.id for a in articles if a.published is None}
    assert undated == {"dev_id_22", "dev_en_07"}


# --- record-level faults in JSON Lines (each costs its record, never the file) ----

GOOD = '{"id": "baik-%d", "text": "Menteri Luar Negeri Prancis Jean-Noël Barrot tiba di Jakarta."}'


@pytest.mark.parametrize("bad_line, message", [
    (b'{"id": "dalam", "text": ' + b"[" * 1000 + b"]" * 1000 + b"}", "nested too deeply"),
    (b'{"id": "angka", "text": "x", "n": ' + b"9" * 5000 + b"}", "more than 4,300 digits"),
    (b'{"id": "\\ud800", "text": "Menlu tiba."}', "'id' holds a lone surrogate"),
    (b'{"id": "t", "title": "\\udfff", "text": "Menlu tiba."}', "'title' holds a lone surrogate"),
    (b'{"id": "o", "outlet": "a\\ud800b", "text": "Menlu tiba."}', "'outlet' holds a lone surrogate"),
    (b'{"id": "rusak", "text": "Menlu', "not JSON"),
])
def test_readers_bad_record_costs_only_itself(tmp_path, bad_line, message):
    path = tmp_path / "campur.jsonl"
    good = [(GOOD % n).encode() for n in range(3)]
    path.write_bytes(b"\n".join([good[0], bad_line, good[1], good[2]]) + b"\n")
    articles, errors = read_all([path])
    assert [a.id for a in articles] == ["baik-0", "baik-1", "baik-2"]
    assert all("Jean-Noël Barrot" in a.text for a in articles)
    (error,) = errors
    assert str(error).startswith(f"{path}:2: ") and message in str(error)


@pytest.mark.parametrize("stray", [b"\x81", b"\xeb", b"\x7f"])
def test_readers_stray_byte_decided_per_record(tmp_path, stray):
    """A byte that is not UTF-8 (or a DEL) in one record neither rejects the file
    nor garbles the other records."""
    path = tmp_path / "byte.jsonl"
    bad = b'{"id": "latin", "text": "Jean-No' + stray + b'l Barrot tiba di Jakarta."}'
    path.write_bytes(b"\n".join([(GOOD % 0).encode(), bad, (GOOD % 1).encode()]))
    articles, errors = read_all([path])
    assert [a.id for a in articles] == ["baik-0", "latin", "baik-1"]
    assert "Jean-Noël Barrot" in articles[0].text and "Jean-Noël Barrot" in articles[2].text
    assert "\x7f" not in articles[1].text
    if stray == b"\x7f":
        assert errors == []         # valid UTF-8: the DEL is dropped from the text
    else:
        (error,) = errors
        assert str(error).startswith(f"{path}:2: ") and "read as cp1252" in str(error)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_readers_unicode_line_separators_stay_in_their_record(tmp_path, separator):
    path = tmp_path / "pemisah.jsonl"
    text = f"Menlu Sugiono tiba di Tokyo.{separator}Ia bertemu Menlu Motegi."
    path.write_text(json.dumps({"id": "a", "text": text}, ensure_ascii=False) + "\n"
                    + "{rusak\n", encoding="utf-8")
    articles, errors = read_all([path])
    assert [a.id for a in articles] == ["a"] and "Motegi" in articles[0].text
    (error,) = errors
    assert str(error).startswith(f"{path}:2: ")


class DripHandler(http.server.BaseHTTPRequestHandler):
    """Sends a page one byte at a time, a byte every 0.2 s."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(200):
                self.wfile.write(b"<")
                self.wfile.flush()
                threading.Event().wait(0.2)
        except OSError:
            pass

    def log_message(self, *args):
        pass


def test_readers_url_has_a_deadline_for_the_whole_download():
    from aliansi.readers import read_url

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), DripHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/slow"
    try:
        with pytest.raises(InputError, match=r"gave up after 1 s: the server sends too slowly"):
            list(read_url(url, report=lambda e: None, timeout=5, deadline=1))
    finally:
        server.shutdown()
        server.server_close()


def test_readers_an_empty_folder_is_reported(tmp_path):
    (tmp_path / "kosong").mkdir()
    (tmp_path / "kosong" / "catatan.pdf").write_bytes(b"%PDF")
    articles, errors = read_all([tmp_path / "kosong", FIXTURES / "seed_byline_image.txt"])
    assert len(articles) == 1
    (error,) = errors
    assert str(error).startswith(f"{tmp_path / 'kosong'}: no article files here")


def test_readers_an_unreadable_subfolder_is_reported(tmp_path, monkeypatch):
    """(As root every folder is readable, so the refusal is the operating system's
    answer played back: os.scandir raising PermissionError for one subfolder.)"""
    shutil.copy(FIXTURES / "seed_byline_image.txt", tmp_path / "a.txt")
    (tmp_path / "rahasia").mkdir()
    shutil.copy(FIXTURES / "seed_byline_image.txt", tmp_path / "rahasia" / "b.txt")
    scandir = os.scandir

    def refuse(path="."):
        if Path(path).name == "rahasia":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    articles, errors = read_all([tmp_path])
    assert [Path(a.origin).name for a in articles] == ["a.txt"]
    (error,) = errors
    assert str(error) == f"{tmp_path / 'rahasia'}: cannot read this folder: Permission denied"
