"""Batch mode on a real Dask cluster: the same documents as in process, in order."""
from __future__ import annotations

import json
import logging
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from aliansi import api, batch
from aliansi.errors import AliansiError, ConfigError, InputError, StageError
from aliansi.model import Article
from aliansi.store import open_store

distributed = pytest.importorskip(
    "distributed", reason="dask.distributed is not installed: pip install 'aliansi[batch]'")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

NEWS = [
    ("id", "Menteri Luar Negeri Indonesia Sugiono bertemu Menteri Luar Negeri Malaysia di Jakarta "
           "pada Senin (3/3/2025). Kedua menteri sepakat memperkuat kerja sama keamanan maritim."),
    ("id", "Tentara Nasional Indonesia dan Angkatan Bersenjata Australia menggelar latihan militer "
           "bersama di Darwin pekan lalu. Latihan itu melibatkan 2.000 prajurit."),
    ("id", "Pemerintah Filipina memprotes manuver kapal penjaga pantai Tiongkok di Laut Tiongkok "
           "Selatan pada 12 Februari 2025. Manila memanggil duta besar Beijing."),
    ("id", "Presiden Prabowo Subianto menerima kunjungan Perdana Menteri Jepang di Istana Merdeka, "
           "Jakarta, Selasa. Keduanya membahas kerja sama pertahanan dan investasi."),
    ("id", "Rusia melancarkan serangan rudal ke Kyiv pada Kamis dini hari, menewaskan sedikitnya "
           "lima warga sipil, kata pejabat Ukraina."),
    ("id", "Indonesia mengirimkan bantuan kemanusiaan ke Myanmar setelah gempa bumi berkekuatan 7,7 "
           "pada 28 Maret 2025. Bantuan itu diangkut dua pesawat TNI AU."),
    ("id", "Amerika Serikat menjatuhkan sanksi terhadap sejumlah perusahaan Iran pada 10 April 2025 "
           "karena dituduh membantu program rudal balistik."),
    ("id", "Korea Utara mengancam akan membalas latihan militer gabungan Korea Selatan dan Amerika "
           "Serikat, kata kantor berita KCNA, Minggu."),
    ("id", "Menteri Pertahanan Indonesia dan Menteri Pertahanan Prancis menandatangani perjanjian "
           "pembelian 42 pesawat tempur Rafale di Paris pada 10 Februari 2022."),
    ("id", "ASEAN mendesak junta Myanmar menghentikan kekerasan terhadap warga sipil dalam pertemuan "
           "tingkat menteri di Kuala Lumpur pada Mei 2025."),
    ("en", "Indonesia and Australia signed a defence cooperation agreement in Canberra on 20 August "
           "2024, the two defence ministers said."),
    ("en", "China accused the Philippines of provoking a confrontation near Second Thomas Shoal on "
           "Monday, and its coast guard fired water cannon at a Philippine supply boat."),
    ("en", "Japanese Prime Minister Shigeru Ishiba met US President Donald Trump at the White House "
           "on February 7, 2025, to discuss trade and security."),
    ("en", "Russia launched a large drone attack on Ukrainian energy facilities overnight, Ukraine's "
           "air force said on Saturday."),
    ("en", "The United States imposed new sanctions on Russian oil companies on 10 January 2025, the "
           "Treasury Department said."),
    ("en", "Malaysia rejected China's claim to waters off the coast of Sarawak, its foreign ministry "
           "said in a statement on Tuesday."),
    ("en", "India and Indonesia agreed to deepen maritime security cooperation during talks in New "
           "Delhi on 25 January 2025."),
    ("en", "North Korea fired a ballistic missile into the sea off its east coast on Thursday, South "
           "Korea's military said."),
    ("en", "Vietnam protested Chinese military drills near the Paracel Islands and demanded that "
           "Beijing respect its sovereignty, a spokesperson said on Friday."),
    ("en", "Australia will send military aid to Ukraine, including armoured vehicles, Prime Minister "
           "Anthony Albanese announced in Canberra on Wednesday."),
]


def write_corpus(folder: Path, *, bad_lines: tuple[str, ...] = ()) -> Path:
    """The news above as JSON Lines, a few bad lines put in the middle."""
    lines = [json.dumps({"id": f"news-{i:02d}", "language": lang, "published": "2025-06-02",
                         "text": text}, ensure_ascii=False)
             for i, (lang, text) in enumerate(NEWS)]
    lines[7:7] = bad_lines
    path = folder / "news.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes, one thread each, shared by the tests of this module."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  scheduler_kwargs=batch.QUIET_SCHEDULER, silence_logs=logging.ERROR) as cluster:
        yield cluster


@pytest.fixture
def address(cluster) -> str:
    return cluster.scheduler_address


@pytest.mark.parametrize("partition_size", [1, 3, 200])
def test_batch_extract_gives_the_in_process_documents_in_order(tmp_path, address, partition_size):
    corpus = write_corpus(tmp_path)
    expected = [a.to_output() for a in api.extract([corpus])]
    parts = []
    got = [a.to_output() for a in batch.extract([corpus], scheduler=address, partition_size=partition_size,
                                                on_partition=lambda *p: parts.append(p))]
    assert got == expected
    assert [d["doc_id"] for d in got] == [f"news-{i:02d}" for i in range(len(NEWS))]
    assert sum(d["events"] != [] for d in got) >= len(NEWS) // 2    # the pipeline really ran
    assert [index for index, _, _ in parts] == list(range(-(-len(NEWS) // partition_size)))
    assert sum(n for _, n, _ in parts) == len(NEWS)


def test_batch_extract_gives_the_in_process_documents_on_the_dev_set(address):
    articles = SHARED / "gold" / "dev" / "articles.jsonl"
    if not articles.exists():
        pytest.skip(f"{articles} is absent: the shared dev data sits beside the repo only for developers and CI")
    expected = [a.to_output() for a in api.extract([articles])]
    got = [a.to_output() for a in batch.extract([articles], scheduler=address, partition_size=5)]
    assert got == expected


@pytest.mark.parametrize("bad_line, record", [
    ('{"id": "broken", "text": "Indonesia dan', 8),
    ('{"id": "no-text", "title": "Menlu bertemu"}', 8),
    ('["not", "an", "object"]', 8),
])
def test_batch_extract_reports_a_bad_record_and_goes_on(tmp_path, address, bad_line, record):
    corpus = write_corpus(tmp_path, bad_lines=(bad_line,))
    errors: list[AliansiError] = []
    got = list(batch.extract([corpus], scheduler=address, partition_size=4, on_error=errors.append))
    assert [a.id for a in got] == [f"news-{i:02d}" for i in range(len(NEWS))]
    assert len(errors) == 1 and isinstance(errors[0], InputError)
    assert errors[0].record == record and str(corpus) in str(errors[0])


def test_batch_extract_of_only_bad_records_reports_each_and_starts_nothing(tmp_path):
    corpus = tmp_path / "bad.jsonl"
    corpus.write_text('{"id": "x"}\n{"text": 3}\nnot json\n', encoding="utf-8")
    errors: list[AliansiError] = []
    assert list(batch.extract([corpus], workers=1, on_error=errors.append)) == []
    assert [e.record for e in errors] == [1, 2, 3]


def test_batch_pipe_reports_a_stage_error_with_its_article_and_stage(address):
    articles = [Article(text=text, id=f"a{i}", language=lang, published="2025-06-02")
                for i, (lang, text) in enumerate(NEWS[:6])]
    articles[2].published = "2025-13-45"        # past the reader: the dates stage refuses it
    errors: list[AliansiError] = []
    got = list(batch.pipe(articles, scheduler=address, partition_size=2, on_error=errors.append))
    assert [a.id for a in got] == ["a0", "a1", "a3", "a4", "a5"]
    assert all("events" in a.stages for a in got)
    [error] = errors
    assert isinstance(error, StageError)
    assert (error.article_id, error.stage) == ("a2", "dates")
    assert str(error).startswith("article a2, stage dates: ")


def test_batch_pipe_without_on_error_raises_the_first_error(address):
    articles = [Article(text=NEWS[0][1], id="good", published="2025-06-02"),
                Article(text=NEWS[1][1], id="bad", published="2025-02-30")]
    with pytest.raises(StageError, match="article bad, stage dates"):
        list(batch.pipe(articles, scheduler=address))


def test_batch_builds_one_pipeline_per_worker_process(tmp_path, address):
    corpus = write_corpus(tmp_path)
    loaded = lambda: {token: id(p) for token, (p, _) in  # noqa: E731 - shipped to the workers by value
                      __import__("aliansi.batch").batch._PIPELINES.items()}
    with distributed.Client(address, set_as_default=False) as client:
        list(batch.extract([corpus], scheduler=address, partition_size=2))
        first = client.run(loaded)
        list(batch.extract([corpus], scheduler=address, partition_size=3))
        assert client.run(loaded) == first
    assert len(first) == 2 and all(len(pipelines) == 1 for pipelines in first.values())


def test_batch_ingest_twice_stores_each_article_once(tmp_path, address):
    corpus = write_corpus(tmp_path)
    db = tmp_path / "events.db"
    stored: list[tuple[str, str]] = []
    first = batch.ingest([corpus], db, scheduler=address, partition_size=6,
                         progress=lambda *p: stored.append(p))
    second = batch.ingest([corpus], db, scheduler=address, partition_size=7)
    assert (first.added, first.unchanged) == (len(NEWS), 0)
    assert (second.added, second.replaced, second.unchanged, second.events) == (0, 0, len(NEWS), 0)
    assert [aid for aid, _ in stored] == [f"news-{i:02d}" for i in range(len(NEWS))]
    with open_store(db, read_only=True) as store:
        stats = store.stats()
        assert stats.articles == len(NEWS)
        assert stats.events == first.events > 0
        reference = {a.id: a.to_output() for a in api.extract([corpus])}
        assert store.article("news-11").to_output() == reference["news-11"]


def test_batch_extract_with_workers_starts_its_own_cluster(tmp_path):
    corpus = write_corpus(tmp_path)
    expected = [a.to_output() for a in api.extract([corpus])]
    got = [a.to_output() for a in batch.extract([corpus], workers=1, partition_size=8)]
    assert got == expected


@pytest.mark.parametrize("settings, message", [
    ({"workers": 2, "scheduler": "tcp://127.0.0.1:8786"}, "not both"),
    ({"workers": 0}, "workers must be"),
    ({"workers": "2"}, "workers must be"),
    ({"scheduler": ""}, "scheduler must be"),
    ({"workers": 1, "partition_size": 0}, "partition_size must be"),
])
def test_batch_extract_refuses_bad_settings_before_starting(tmp_path, settings, message):
    with pytest.raises(ConfigError, match=message):
        batch.extract([write_corpus(tmp_path)], **settings)


def test_batch_extract_refuses_an_unknown_stage(tmp_path, address):
    with pytest.raises(AliansiError, match="unknown stage 'sentiment'"):
        list(batch.extract([write_corpus(tmp_path)], scheduler=address,
                           stages=["normalise", "sentiment"]))


# Other outlets' stories of events in NEWS (clustered with them), a copy of one (a
# duplicate found by its fingerprint) and, for a second run, an edit and a new story.
RETOLD = [
    {"id": "retold-00", "language": "id", "outlet": "Harian Lain", "published": "2025-06-02",
     "text": "Sugiono, Menteri Luar Negeri Indonesia, bertemu Menteri Luar Negeri Malaysia di "
             "Jakarta pada Senin (3/3/2025). Keduanya sepakat memperkuat kerja sama keamanan maritim."},
    {"id": "retold-12", "language": "en", "outlet": "Other Wire", "published": "2025-06-03",
     "text": "US President Donald Trump hosted Japanese Prime Minister Shigeru Ishiba at the White "
             "House on February 7, 2025, and the two leaders discussed trade and security."},
    {"id": "retold-06", "language": "id", "outlet": "Harian Lain", "published": "2025-06-01",
     "text": "Amerika Serikat menjatuhkan sanksi baru terhadap perusahaan-perusahaan Iran pada 10 "
             "April 2025 atas tuduhan membantu program rudal balistik Teheran."},
    {"id": "copy-03", "language": "id", "outlet": "Kantor Berita", "url": "https://copy.example/3",
     "published": "2025-06-02", "text": NEWS[3][1]},
]
SECOND_RUN = [
    {"id": "news-01", "language": "id", "published": "2025-06-02",
     "text": NEWS[1][1] + " Latihan berakhir pada Jumat."},
    {"id": "retold-13", "language": "en", "outlet": "Third Paper", "published": "2025-06-02",
     "text": "Ukraine's air force said Russia had launched a large drone attack on Ukrainian energy "
             "facilities overnight."},
]
TIMES = {"ingested_at", "first_seen", "assigned_at", "applied_at"}    # when, not what


def stored(db: Path) -> dict[str, list[str]]:
    """Every row of every table of a SQLite store but the times it was written at (and
    the full-text index's internal pages, whose layout follows the commits)."""
    with closing(sqlite3.connect(db)) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'events_fts_%'")]
        rows = {}
        for table in tables:
            cursor = connection.execute(f"SELECT * FROM {table}")
            keep = [i for i, d in enumerate(cursor.description) if d[0] not in TIMES]
            rows[table] = sorted(repr([row[i] for i in keep]) for row in cursor)
        return rows


def test_batch_ingest_stores_what_ingest_in_process_stores(tmp_path, address):
    """Extraction, JSON form, hash and fingerprint made on the workers, duplicates and
    clusters decided on the client: the same store as `ingest --jobs 1`, row for row,
    after a first run and after a second that edits one article and adds another."""
    corpus = write_corpus(tmp_path, bad_lines=("not json",))
    with corpus.open("a", encoding="utf-8") as out:
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in RETOLD)
    second = tmp_path / "second.jsonl"
    second.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in SECOND_RUN),
                      encoding="utf-8")
    here, there = tmp_path / "here.db", tmp_path / "there.db"
    reports = []
    for run in ([corpus], [second]):
        errors_here: list[str] = []
        expected = api.ingest(run, here, jobs=1, on_error=lambda e: errors_here.append(str(e)))
        errors_there: list[str] = []
        got = batch.ingest(run, there, scheduler=address, partition_size=3,
                           on_error=lambda e: errors_there.append(str(e)))
        assert got.to_dict() == expected.to_dict()
        assert errors_there == errors_here
        assert stored(there) == stored(here)
        reports.append((expected, errors_here))
    # what is compared is there: a bad line, a duplicate, clusters of several reports, a
    # replaced article and the fingerprints of all
    (first, errors), (again, _) = reports
    assert (first.added, first.duplicates, len(errors)) == (len(NEWS) + 3, 1, 1)
    assert first.clusters.assigned > first.clusters.created > 0
    assert (again.added, again.replaced) == (1, 1)
    assert len(stored(here)["article_bands"]) > 8 * len(NEWS)


def test_api_ingest_on_a_cluster_stores_what_it_stores_in_process(tmp_path, address):
    articles = SHARED / "gold" / "dev" / "articles.jsonl"
    if not articles.exists():
        pytest.skip(f"{articles} is absent: the shared dev data sits beside the repo only for developers and CI")
    here = api.ingest([articles], tmp_path / "here.db", jobs=1)
    there = api.ingest([articles], tmp_path / "there.db", scheduler=address)
    assert there.to_dict() == here.to_dict()
    assert stored(tmp_path / "there.db") == stored(tmp_path / "here.db")


def test_batch_ingest_into_postgres_stores_what_ingest_in_process_stores(tmp_path, address,
                                                                          postgres_location):
    """The JSON form made on a worker is the one PostgreSQL stores (as JSONB) too."""
    corpus = write_corpus(tmp_path)
    with corpus.open("a", encoding="utf-8") as out:
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in RETOLD)
    expected = api.ingest([corpus], tmp_path / "here.db", jobs=1)
    got = api.ingest([corpus], postgres_location, scheduler=address)
    assert got.to_dict() == expected.to_dict()

    def contents(location) -> tuple:
        with open_store(location, read_only=True) as store:
            events = store.events(include_flagged=True)
            return ([store.article(a.id).to_dict() for a in store.articles()],
                    [e.to_dict() for e in events],
                    [{k: v for k, v in source.items() if k != "first_seen"}    # the copy's too
                     for source in store.sources("news-03")],
                    sorted((r.event_id, r.cluster_id) for r in store.cluster_rows()))
    assert contents(postgres_location) == contents(tmp_path / "here.db")
