"""The start-up cache: the same inputs give the same tables, from disk; a changed
input, a damaged entry or an unwritable directory never gives wrong ones."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from aliansi import cache
from aliansi.language import LanguageStage
from aliansi.extraction.places import PlaceResolver
from aliansi.extraction.triggers import find_triggers, load_triggers


@pytest.fixture
def cache_in(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIANSI_CACHE", str(tmp_path))
    return tmp_path


def test_an_entry_is_built_once_then_read(cache_in):
    calls = []

    def build():
        calls.append(1)
        return {"built": len(calls)}

    assert cache.cached("thing", ["a", 1], build) == {"built": 1}
    assert cache.cached("thing", ["a", 1], build) == {"built": 1}
    assert len(calls) == 1
    assert cache.cached("thing", ["a", 2], build) == {"built": 2}   # another input
    assert len(calls) == 2


def test_a_changed_file_is_a_new_entry(cache_in, tmp_path):
    source = tmp_path / "data.txt"
    source.write_text("one")
    assert cache.cached("file", [source], source.read_text) == "one"
    source.write_text("two")
    assert cache.cached("file", [source], source.read_text) == "two"


def test_a_damaged_entry_is_rebuilt(cache_in):
    cache.cached("thing", ["x"], lambda: [1, 2, 3])
    (entry,) = cache_in.glob("thing-*.pickle")
    entry.write_bytes(b"\x80\x05garbage")
    assert cache.cached("thing", ["x"], lambda: [4]) == [4]
    assert cache.cached("thing", ["x"], lambda: [5]) == [4]


def test_off_or_unwritable_builds_in_memory(tmp_path, monkeypatch):
    monkeypatch.setenv("ALIANSI_CACHE", "off")
    assert cache.cached("thing", ["x"], lambda: 7) == 7
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("ALIANSI_CACHE", str(blocked / "cache"))
    assert cache.cached("thing", ["x"], lambda: 8) == 8


def test_cached_gazetteer_resolves_as_a_fresh_one(cache_in, monkeypatch):
    names = ["Jakarta", "Den Haag", "Brussels", "Laut Natuna Utara", "Amerika Serikat",
             "Kim", "Springfield", "Manila", "São Paulo", "Kyiv", "Zzyzxland"]
    monkeypatch.setenv("ALIANSI_CACHE", "off")
    fresh = PlaceResolver()
    monkeypatch.setenv("ALIANSI_CACHE", str(cache_in))
    PlaceResolver()                 # writes the entry
    from_disk = PlaceResolver()     # reads it
    assert list(cache_in.glob("places-*.pickle"))
    for name in names:
        for context in ((), ("USA",), ("PHL",)):
            assert from_disk.resolve(name, context) == fresh.resolve(name, context), name


def test_cached_lexicon_finds_the_same_triggers(cache_in, monkeypatch):
    sentences = ["Menteri Luar Negeri memanggil duta besar Tiongkok untuk memprotes insiden itu.",
                 "Kedua negara menandatangani nota kesepahaman kerja sama pertahanan.",
                 "Russia launched missiles at Kyiv overnight, officials said."]
    monkeypatch.setenv("ALIANSI_CACHE", "off")
    fresh = load_triggers(lexicons=("id",))
    monkeypatch.setenv("ALIANSI_CACHE", str(cache_in))
    load_triggers(lexicons=("id",))
    from_disk = load_triggers(lexicons=("id",))
    for text in sentences:
        got = [(h.trigger.type, h.start, h.end) for h in find_triggers(text, from_disk)]
        assert got == [(h.trigger.type, h.start, h.end) for h in find_triggers(text, fresh)]
        assert got or "Russia" in text


def test_cached_language_model_identifies_the_same(cache_in):
    texts = {"id": "Pemerintah Indonesia menyatakan akan memperkuat kerja sama pertahanan.",
             "en": "The government said it would strengthen defence cooperation."}
    LanguageStage()
    stage = LanguageStage()
    assert list(cache_in.glob("langid-*.pickle"))
    assert {lang: stage.detect(text) for lang, text in texts.items()} == \
        {lang: lang for lang in texts}


def test_cache_is_shared_by_processes(cache_in):
    """A second process reads what the first wrote: the point of the cache."""
    code = ("from aliansi.extraction.places import PlaceResolver; "
            "print(PlaceResolver().resolve('Surabaya').country)")
    env = {**os.environ, "ALIANSI_CACHE": str(cache_in)}
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    written = {p.name: p.stat().st_mtime_ns for p in cache_in.glob("places-*.pickle")}
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert first.stdout.strip() == second.stdout.strip() == "IDN"
    assert written and written == {p.name: p.stat().st_mtime_ns
                                   for p in cache_in.glob("places-*.pickle")}
