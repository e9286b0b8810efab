"""Places: found in Indonesian and English sentences, resolved offline."""
import pytest

from aliansi.model import Article, Mention
from aliansi.extraction.places import PlaceStage
from aliansi.sentences import split


@pytest.fixture(scope="module")
def stage():
    return PlaceStage()


@pytest.fixture(scope="module")
def resolver(stage):
    return stage.resolver


def places(stage, text, language, context=()):
    return [(p.text, p.name, p.country) for p in stage.find(text, context, language)]


@pytest.mark.parametrize("text,language,expected", [
    ("Dalam pembicaraan keamanan yang berlangsung di Washington pada 15 Januari, kedua menteri sepakat.",
     "id", ("Washington", "Washington", "USA")),
    ("The Ukraine Defense Contact Group met in Brussels on Thursday.", "en", ("Brussels", "Brussels", "BEL")),
    ("Mahkamah Internasional menggelar sidang di Den Haag, Senin (12/1).", "id",
     ("Den Haag", "The Hague", "NLD")),
    ("Kedua delegasi akan bertemu lagi di Jenewa bulan depan.", "id", ("Jenewa", "Geneva", "CHE")),
    ("Juru bicara Kementerian Luar Negeri China berbicara dalam jumpa pers di Beijing.", "id",
     ("Beijing", "Beijing", "CHN")),
    ("Thailand dan Kamboja berunding di Kuala Lumpur pada Sabtu (17/1).", "id",
     ("Kuala Lumpur", "Kuala Lumpur", "MYS")),
    ("Bakamla menangkap tiga kapal ikan Vietnam di Laut Natuna Utara, Rabu (12/11).", "id",
     ("Laut Natuna Utara", "North Natuna Sea", "IDN")),
    ("China's navy and air force patrolled near Scarborough Shoal on Wednesday.", "en",
     ("Scarborough Shoal", "Scarborough Shoal", None)),
    ("Kapal penjaga pantai menembakkan meriam air di dekat Beting Scarborough.", "id",
     ("Beting Scarborough", "Scarborough Shoal", None)),
    ("Dalam pidato utamanya di Honolulu Defense Forum, Hawaii, pada 13 Januari, Koizumi memperingatkan.",
     "id", ("Honolulu", "Honolulu", "USA")),
    ("Sebuah drone Israel menghantam area di dekat pos UNIFIL di Lebanon selatan.", "id",
     ("Lebanon selatan", "Lebanon", "LBN")),
    ("Houthi menyerang kapal dagang di Laut Merah.", "id", ("Laut Merah", "Red Sea", None)),
    ("Houthi rebels attacked a merchant ship in the Red Sea.", "en", ("Red Sea", "Red Sea", None)),
    ("Konfrontasi dengan kapal Filipina terjadi di Laut Tiongkok Selatan.", "id",
     ("Laut Tiongkok Selatan", "South China Sea", None)),
    ("Estonian forces boarded a tanker in the Gulf of Finland.", "en",
     ("Gulf of Finland", "Gulf of Finland", None)),
    ("Presiden menerima tamunya di Istana Kepresidenan Bogor, Jawa Barat.", "id", ("Bogor", "Bogor", "IDN")),
    ("Bantuan diberangkatkan dari Pangkalan TNI AU Halim Perdanakusuma, Jakarta.", "id",
     ("Jakarta", "Jakarta", "IDN")),
])
def test_places_found_and_resolved(stage, text, language, expected):
    assert expected in places(stage, text, language)


@pytest.mark.parametrize("text,language", [
    ("Russia's Foreign Ministry accused Washington of rushing the vote.", "en"),
    ("Thai Foreign Minister Sihasak Phuangketkeow met Prak Sokhonn and Mohamad Hasan.", "en"),
    ("NATO Secretary General Mark Rutte praised Ukraine's resilience.", "en"),
    ("Japan protested to Beijing over the incident.", "en"),
    ("Kedua negara menandatangani Konvensi Wina tentang Hubungan Konsuler.", "id"),
    ("Jepang memperkuat kerja sama keamanan di kawasan Indo-Pasifik dengan NATO.", "id"),
])
def test_places_not_from_actors_names_or_metonyms(stage, text, language):
    assert [p for p in places(stage, text, language) if p[1] not in ("Indo-Pacific",)] == []


def test_places_ambiguous_city_settled_by_context(resolver):
    assert resolver.resolve("Sabang").country == "IDN"            # the most populous
    assert resolver.resolve("Sabang", ["PHL"]).country == "PHL"   # the one in a named country
    assert resolver.resolve("Sabang", ["PH"]).country == "PHL"    # ISO2 is accepted too
    assert resolver.resolve("Sydney").country == "AUS"
    assert resolver.resolve("Sydney", ["CAN"]).country == "CAN"


@pytest.mark.parametrize("name,country,has_coordinates", [
    ("Laut Tiongkok Selatan", None, True), ("South China Sea", None, True), ("Selat Taiwan", None, True),
    ("Kepulauan Senkaku", "JPN", True), ("Tepi Barat", "PSE", True), ("Gaza", "PSE", True),
    ("Brussel", "BEL", True), ("Wina", "AUT", True), ("Kairo", "EGY", True),
    ("Filipina", "PHL", False), ("Amerika Serikat", "USA", False), ("Belgium", "BEL", False),
])
def test_places_resolver_names(resolver, name, country, has_coordinates):
    place = resolver.resolve(name)
    assert place is not None and place.country == country
    assert (place.latitude is not None) == has_coordinates


@pytest.mark.parametrize("name", ["NATO", "Senin", "Menteri", "Presiden", ""])
def test_places_resolver_refuses_non_places(resolver, name):
    assert resolver.resolve(name) is None


def test_places_stage_uses_article_countries_and_offsets(stage):
    text = ("Angkatan Laut India menghibahkan perlengkapan selam kepada TNI AL.\n"
            "Upacara penutupan patroli digelar di Sabang, Kamis.")
    article = Article(text=text, language="id",
                      mentions=[Mention(0, 5, "Filipina", "state", "PHL", "Philippines")])
    article.sentences = split(text)
    stage(article)
    (sabang,) = [p for p in article.places if p.name == "Sabang"]
    assert text[sabang.start:sabang.end] == "Sabang"
    assert sabang.country == "PHL" and sabang.rule == "locative:city_context"
    assert article.stages == ["places"]


def test_places_direction_word_joins_the_span(stage):
    assert ("eastern Poland", "Poland", "POL") in places(
        stage, "NATO deployed two more fighter squadrons in eastern Poland.", "en")
    assert ("Polandia timur", "Poland", "POL") in places(
        stage, "NATO mengerahkan dua skuadron jet tempur ke Polandia timur.", "id")


def test_places_dateline(stage):
    found = places(stage, "Den Haag, 13 Januari 2026 – Mahkamah Internasional mulai menggelar sidang.", "id")
    assert ("Den Haag", "The Hague", "NLD") in found
    found = places(stage, "BRUSSELS, Feb 13 (Meridian Wire) - Allies pledged more air defences.", "en")
    assert ("BRUSSELS", "Brussels", "BEL") in found
