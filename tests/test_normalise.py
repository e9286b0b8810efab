"""The normalise stage: characters, markdown, bylines, images, publication date."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from aliansi.model import Article
from aliansi.normalise import Normaliser, find_dates, parse_date
from aliansi.readers import read

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="module")
def normalise():
    return Normaliser()


def fixture_article(name: str) -> Article:
    (article,) = read([FIXTURES / name])
    return article


@pytest.mark.parametrize("raw, clean", [
    ("Menlu\u00a0Sugiono bertemu\u202fMenlu Motegi.", "Menlu Sugiono bertemu Menlu Motegi."),
    ("Kerja\u200b sama pertahanan\ufeff Jepang–AS.", "Kerja sama pertahanan Jepang–AS."),
    ("Paragraf satu.\r\nParagraf dua.\rParagraf tiga.", "Paragraf satu.\nParagraf dua.\nParagraf tiga."),
    ("Jean-Noe\u0308l Barrot", "Jean-Noël Barrot"),                   # NFD -> NFC
    ("Satu.  \n\n\n\n  Dua   kalimat.\t", "Satu.\n\nDua kalimat."),
    ("“Aliansi Jepang–AS tetap tak tergoyahkan” — kata Koizumi.",
     "“Aliansi Jepang–AS tetap tak tergoyahkan” — kata Koizumi."),    # quotes, dashes kept
])
def test_normalise_characters(normalise, raw, clean):
    article = normalise(Article(text=raw))
    assert article.text == clean
    assert article.stages == ["normalise"]


@pytest.mark.parametrize("raw, plain", [
    ("## Ketegangan Tiongkok–Jepang", "Ketegangan Tiongkok–Jepang"),
    ("- keamanan maritim dan anti-piracy,", "keamanan maritim dan anti-piracy,"),
    ("* pertahanan siber", "pertahanan siber"),
    ("> “Kami tidak akan mundur,” kata Tarriela.", "“Kami tidak akan mundur,” kata Tarriela."),
    ("Jepang dan **NATO** menyepakati program __ITPP__.", "Jepang dan NATO menyepakati program ITPP."),
    ("Kapal *BRP Teresa Magbanua* disemprot meriam air.", "Kapal BRP Teresa Magbanua disemprot meriam air."),
    ("Lihat [pernyataan Kemlu](https://kemlu.go.id/a_(b)) soal ini.", "Lihat pernyataan Kemlu soal ini."),
    ("Sistem `SM-3 Block 2A` diproduksi bersama.", "Sistem SM-3 Block 2A diproduksi bersama."),
    # not markdown: left alone
    ("Kode operasi snake_case_name dan 5 * 3 * 2 tetap.", "Kode operasi snake_case_name dan 5 * 3 * 2 tetap."),
    ("-5 derajat Celsius di Kyiv.", "-5 derajat Celsius di Kyiv."),
])
def test_normalise_markdown_made_plain(normalise, raw, plain):
    assert normalise(Article(text=raw)).text == plain


def test_normalise_markdown_rule_line_dropped(normalise):
    article = normalise(Article(text="Paragraf satu.\n---\nParagraf dua."))
    assert article.text == "Paragraf satu.\nParagraf dua."


def test_normalise_seed_byline_and_images(normalise):
    article = normalise(fixture_article("seed_byline_image.txt"))
    assert article.byline == "Oleh Wu Qiaoxi"
    assert article.text.startswith("Menteri Pertahanan Jepang Shinjiro Koizumi pekan lalu")
    assert "![" not in article.text and "/gc9/images" not in article.text
    assert [image["src"] for image in article.images] == [
        "/gc9/images/2026/01/23/53625-diplomacy-370_237.webp",
        "/gc9/images/2026/01/23/53626-afp__20260115__92ve8m2__v1__highres__uspoliticshegsethjapan-370_237.webp"]
    assert article.images[0]["alt"].endswith("latihan gabungan. [Shinjiro Koizumi/X]")
    assert article.text.endswith("“Semua langkah ini dimaksudkan untuk menjamin perdamaian melalui kekuatan,” kata Hegseth.")
    assert (article.published, article.published_source) == ("2026-01-23", "image-path")


def test_normalise_seed_dateline_list_and_credit(normalise):
    article = normalise(fixture_article("seed_dateline_list.txt"))
    assert "\r" not in article.text
    assert article.byline == "Pewarta : Setiawan Wibisono"
    assert "Pewarta" not in article.text
    # the dateline gives the date and stays in the text
    assert article.text.startswith("RI News Portal. Istambul, 2 Desember 2025 – Perdana Menteri Jepang")
    assert (article.published, article.published_source) == ("2025-12-02", "dateline")
    lines = article.text.split("\n")
    assert "keamanan maritim dan anti-piracy," in lines
    assert "ketahanan ruang angkasa (space resilience)," in lines


def test_normalise_english_wire(normalise):
    article = normalise(fixture_article("wire_en.md"))
    assert article.byline == "By Kenji Harada; Reporting by Nadia Rahim; Editing by Tom Ellery"
    assert article.text.startswith(
        "UNITED NATIONS, Nov. 18, 2025 (Meridian Wire) - The U.N. Security Council on Monday "
        "endorsed a U.S.-drafted plan for Gaza")
    assert "Read more" not in article.text and "Hamas rejects" not in article.text
    assert "U.S. Ambassador Mike Waltz called the vote \"historic\"" in article.text
    assert (article.published, article.published_source) == ("2025-11-18", "dateline")


def test_normalise_related_links_kept_when_asked():
    article = Normaliser(drop_related=False)(fixture_article("dateline_id.txt"))
    assert "Baca juga: Indonesia Dukung Gugatan Gambia" in article.text
    assert article.byline == "Pewarta: Laras Anindita; Editor: Bambang Sutejo"


@pytest.mark.parametrize("raw, byline, text", [
    ("Oleh Wu Qiaoxi | Menteri Pertahanan Jepang Shinjiro Koizumi tiba di Washington.",
     "Oleh Wu Qiaoxi", "Menteri Pertahanan Jepang Shinjiro Koizumi tiba di Washington."),
    ("By Jane Doe and John Roe, Meridian Wire\nBritain imposed sanctions on 40 tankers.",
     "By Jane Doe and John Roe, Meridian Wire", "Britain imposed sanctions on 40 tankers."),
    ("Polandia mengusir tiga diplomat Rusia.\nReporter: Ayu Lestari | Editor: Dedi Kurnia",
     "Reporter: Ayu Lestari | Editor: Dedi Kurnia", "Polandia mengusir tiga diplomat Rusia."),
    ("Penulis: Yohana Sitorus\nFilipina kembali memprotes China.",
     "Penulis: Yohana Sitorus", "Filipina kembali memprotes China."),
    ("Russia and China abstained, diplomats said. (Reporting by Nadia Rahim; Additional "
     "reporting by Tom Ellery in Geneva; Editing by Mark Heinrich)",
     "Reporting by Nadia Rahim; Additional reporting by Tom Ellery in Geneva; Editing by Mark Heinrich",
     "Russia and China abstained, diplomats said."),
    ("Bakamla menangkap tiga kapal ikan Vietnam.\n(ant/ipk)", "(ant/ipk)",
     "Bakamla menangkap tiga kapal ikan Vietnam."),
    # sentences that only look like credits stay
    ("By Tuesday, troops had withdrawn from the border.", None,
     "By Tuesday, troops had withdrawn from the border."),
    ("Oleh karena itu, Indonesia menolak klaim tersebut.", None,
     "Oleh karena itu, Indonesia menolak klaim tersebut."),
    ("Sumber: pemerintah menyatakan pasukan akan ditarik dari perbatasan dalam dua pekan ke depan sesuai kesepakatan.",
     None,
     "Sumber: pemerintah menyatakan pasukan akan ditarik dari perbatasan dalam dua pekan ke depan sesuai kesepakatan."),
    ("Menlu Sugiono bertemu Menlu Motegi.\nMenlu Sugiono bertemu Menlu Motegi.\nMenlu Sugiono tiba.\n"
     "By Kenji Harada", None,
     "Menlu Sugiono bertemu Menlu Motegi.\nMenlu Sugiono bertemu Menlu Motegi.\nMenlu Sugiono tiba.\nBy Kenji Harada"),
])
def test_normalise_byline_lines(normalise, raw, byline, text):
    article = normalise(Article(text=raw))
    assert (article.byline, article.text) == (byline, text)


def test_normalise_byline_from_reader_kept(normalise):
    article = normalise(Article(text="Pewarta: Dimas Prasetyo\nMenlu Sugiono tiba di Tokyo.",
                                byline="Dimas Prasetyo"))
    assert article.byline == "Dimas Prasetyo; Pewarta: Dimas Prasetyo"


@pytest.mark.parametrize("text, url, published, source", [
    ("Kabar Global. Den Haag, 13 Januari 2026 – Mahkamah Internasional (ICJ) mulai menggelar sidang.",
     None, "2026-01-13", "dateline"),
    ("JAKARTA, 5 Desember 2025\nPresiden Prabowo Subianto menerima kunjungan PM Malaysia.",
     None, "2025-12-05", "dateline"),
    ("UNITED NATIONS, Nov. 18, 2025 (Meridian Wire) - The U.N. Security Council endorsed a plan.",
     None, "2025-11-18", "dateline"),
    ("WASHINGTON, Sept. 3, 2024 /PRNewswire/ -- The Pentagon announced a new arms package.",
     None, "2024-09-03", "dateline"),
    ("Jakarta, Senin, 1 Agt 2025 – Menhan menerima kunjungan Menhan Australia.",
     None, "2025-08-01", "dateline"),
    ("Warta Dunia – Menlu Sugiono bertemu Menlu Motegi.\n"
     "![Menlu Sugiono dan Menlu Motegi](/foto/2025/12/05/sugiono-motegi-tokyo.jpg)",
     None, "2025-12-05", "image-path"),
    ("Lintas Kabar – Thailand dan Kamboja sepakat memperpanjang gencatan senjata.",
     "https://lintaskabar.example/2026/01/19/gencatan-senjata", "2026-01-19", "url"),
    ("Perjanjian itu ditandatangani pada 17 Agustus 2024 dan diperbarui pada 3 Maret 2025, "
     "setelah perundingan sejak 12 Januari 2023.", None, "2025-03-03", "text"),
    ("Di Jakarta, 5 Desember 2025, Presiden Prabowo menerima kunjungan PM Malaysia.",
     None, "2025-12-05", "text"),
    # a dateline without a year gives nothing; neither does an impossible date
    ("MANILA, Jan 22 (Harbor Wire) - The Philippines, the United States and Japan held a joint patrol.",
     None, None, None),
    ("Dokumen itu bertanggal 31 Februari 2025 menurut kantor berita.", None, None, None),
    ("Zelensky dan Trump bertemu pada Rabu (11/2) di Gedung Putih.", None, None, None),
])
def test_normalise_published_inferred_with_source(normalise, text, url, published, source):
    article = normalise(Article(text=text, url=url))
    assert (article.published, article.published_source) == (published, source)
    if source == "dateline":
        assert article.text.startswith(text.split(",")[0])


def test_normalise_given_published_wins(normalise):
    article = Article(text="Kabar Global. Den Haag, 13 Januari 2026 – ICJ mulai menggelar sidang.",
                      published="2026-01-14")
    normalise(article)
    assert (article.published, article.published_source) == ("2026-01-14", "given")


def test_normalise_inference_can_be_switched_off():
    article = Normaliser(infer_published=False)(Article(text="JAKARTA, 5 Desember 2025 - Presiden tiba."))
    assert (article.published, article.published_source) == (None, None)


@pytest.mark.parametrize("value, date", [
    ("2 Desember 2025", "2025-12-02"),
    ("13 JANUARI 2026", "2026-01-13"),
    ("Nov. 18, 2025", "2025-11-18"),
    ("November 18th, 2025", "2025-11-18"),
    ("5 Mei 2024", "2024-05-05"),
    ("17 Agt 2024", "2024-08-17"),
    ("1 Okt 2025", "2025-10-01"),
    ("9 Des 2025", "2025-12-09"),
    ("2025-12-02T08:00:00+07:00", "2025-12-02"),
    ("Tue, 02 Dec 2025 10:00:00 +0700", "2025-12-02"),
    ("31 Februari 2025", None),
    ("pekan lalu", None),
    ("Desember 2025", None),
])
def test_normalise_parse_date(value, date):
    assert parse_date(value) == date


def test_normalise_find_dates_in_order():
    text = "Pada 15 Januari 2026 dan Jan. 13, 2026, serta (1/12) dan Desember 2025."
    assert find_dates(text) == ["2026-01-15", "2026-01-13"]


def test_normalise_gold_dev_articles(normalise):
    gold_dir = SHARED / "gold" / "dev"
    if not (gold_dir / "articles.jsonl").exists():
        pytest.skip(f"shared gold data not found at {gold_dir}")
    checked = 0
    for article in read([gold_dir / "articles.jsonl"]):
        gold = json.loads((gold_dir / f"{article.id}.json").read_text(encoding="utf-8"))
        normalise(article)
        # every gold evidence sentence is still verbatim in the cleaned text
        for event in gold["events"]:
            assert event["evidence"] in article.text, (article.id, event["evidence"])
        assert "Baca juga" not in article.text and "Pewarta" not in article.text
        assert article.published == gold["published"], article.id
        checked += article.published_source in ("dateline",)
    assert checked == 2      # dev_id_22 and dev_en_07 come without a date
