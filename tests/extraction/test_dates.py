"""Time expressions: Indonesian and English, resolved against the publication date."""
from datetime import date
from pathlib import Path
import json

import pytest

from aliansi.extraction.dates import DateStage, find_times
from aliansi.errors import ConfigError, StageError
from aliansi.model import Article
from aliansi.sentences import split

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def values(text, published, language):
    return [(t.text, t.value, t.precision) for t in find_times(text, published, language)]


@pytest.mark.parametrize("text,published,language,expected", [
    ("Perdana Menteri Jepang Sanae Takaichi pada Senin (1/12) menggelar percakapan telepon.",
     date(2025, 12, 2), "id", ("Senin (1/12)", "2025-12-01", "day")),
    ("Presiden menerima kunjungan tamunya di Istana, Kamis (12/3).",
     date(2026, 3, 13), "id", ("Kamis (12/3)", "2026-03-12", "day")),
    ("Bantuan diberangkatkan dari Jakarta (19/11).",
     date(2025, 11, 20), "id", ("(19/11)", "2025-11-19", "day")),
    # year rollover: late December seen from early January
    ("Latihan itu digelar pada Senin (29/12) di sekitar Taiwan.",
     date(2026, 1, 5), "id", ("Senin (29/12)", "2025-12-29", "day")),
    ("Dalam pembicaraan di Washington pada 15 Januari, kedua menteri sepakat.",
     date(2026, 1, 23), "id", ("15 Januari", "2026-01-15", "day")),
    ("Misi itu dibuka pada 1 Desember 2025 di Brussels.",
     date(2026, 1, 23), "id", ("1 Desember 2025", "2025-12-01", "day")),
    ("Thailand accused Cambodian troops of firing rockets at villages on Jan. 6.",
     date(2026, 1, 18), "en", ("Jan. 6", "2026-01-06", "day")),
    ("The talks were held on January 15, 2026 in Washington.",
     None, "en", ("January 15, 2026", "2026-01-15", "day")),
    ("The exercise ran on 5-6 August near the border.",
     date(2025, 9, 1), "en", ("5-6 August", "2025-08-05", "day")),
    ("Latihan gabungan berlangsung 5–6 Agustus di Natuna.",
     date(2025, 9, 1), "id", ("5–6 Agustus", "2025-08-05", "day")),
    ("Bentrokan kembali pecah di perbatasan pada awal Januari.",
     date(2026, 1, 19), "id", ("awal Januari", "2026-01", "month")),
    ("Proyek itu ditargetkan rampung pada pertengahan 2024.",
     date(2025, 5, 1), "id", ("pertengahan 2024", "2024", "year")),
])
def test_dates_absolute_and_paren(text, published, language, expected):
    assert expected in values(text, published, language)


@pytest.mark.parametrize("text,published,language,expected", [
    ("Takaichi menyampaikan pernyataan itu pada bulan November.", date(2026, 1, 23), "id",
     ("bulan November", "2025-11", "month")),
    ("Kabinet baru Jepang terbentuk pada Oktober lalu.", date(2025, 12, 5), "id",
     ("Oktober lalu", "2025-10", "month")),
    ("Washington and Manila agreed in October to set up a joint task force.", date(2026, 1, 22), "en",
     ("October", "2025-10", "month")),
    ("The two navies last held such drills last October.", date(2026, 1, 22), "en",
     ("last October", "2025-10", "month")),
    ("Japan signed a reciprocal access agreement with the Philippines in July 2024.", date(2026, 1, 22),
     "en", ("July 2024", "2024-07", "month")),
    ("Pada 2022, Jepang diundang menghadiri KTT NATO di Madrid.", date(2025, 12, 2), "id",
     ("2022", "2022", "year")),
    ("Setahun kemudian, pada KTT Vilnius 2023, Jepang dan NATO sepakat.", date(2025, 12, 2), "id",
     ("2023", "2023", "year")),
    ("Corpat pertama kali digelar pada tahun 2002.", date(2026, 1, 30), "id", ("2002", "2002", "year")),
    ("Ukraine has been fighting since 2022.", date(2026, 1, 30), "en", ("2022", "2022", "year")),
])
def test_dates_months_and_years(text, published, language, expected):
    assert expected in values(text, published, language)


def test_dates_since_is_named_in_the_rule():
    (expr,) = find_times("Kepulauan Paracel dikuasai China sejak 1974.", date(2026, 2, 25), "id")
    assert (expr.value, expr.precision, expr.rule) == ("1974", "year", "since_year")


@pytest.mark.parametrize("text,published,language,expected", [
    ("Manila menyampaikan nota protes kepada Beijing, kemarin.", date(2025, 12, 9), "id",
     ("kemarin", "2025-12-08", "day")),
    ("The ministry said yesterday that talks would continue.", date(2025, 12, 9), "en",
     ("yesterday", "2025-12-08", "day")),
    ("Pemerintah mengumumkan paket itu hari ini.", date(2025, 12, 9), "id",
     ("hari ini", "2025-12-09", "day")),
    ("Germany delivered two launchers pekan lalu.", date(2026, 2, 12), "id",
     ("pekan lalu", "2026-02", "month")),
    ("Pasukan khusus menuntaskan latihan minggu lalu di Bandung.", date(2026, 2, 11), "id",
     ("minggu lalu", "2026-02", "month")),
    ("The special forces finished the drill last week.", date(2026, 2, 11), "en",
     ("last week", "2026-02", "month")),
    ("Britain delivered 5,000 missiles to Ukraine last month.", date(2026, 2, 13), "en",
     ("last month", "2026-01", "month")),
    ("Inggris mengirim rudal ke Ukraina bulan lalu.", date(2026, 1, 13), "id",
     ("bulan lalu", "2025-12", "month")),
    ("Jumlah kunjungan turun tajam dibanding tahun lalu.", date(2026, 1, 13), "id",
     ("tahun lalu", "2025", "year")),
    ("Kapal itu ditangkap dua hari lalu.", date(2025, 11, 14), "id", ("dua hari lalu", "2025-11-12", "day")),
    ("The tanker was seized two days ago.", date(2025, 11, 14), "en", ("two days ago", "2025-11-12", "day")),
    ("Shelling hit Sisaket province earlier this month.", date(2026, 1, 18), "en",
     ("earlier this month", "2026-01", "month")),
    ("Kedua angkatan laut berpatroli sejak awal pekan ini.", date(2026, 1, 23), "id",
     ("awal pekan ini", "2026-01", "month")),
])
def test_dates_relative_to_the_anchor(text, published, language, expected):
    assert expected in values(text, published, language)


@pytest.mark.parametrize("text,published,language,expected_value", [
    # a weekday is the latest such day on or before the anchor; the anchor's own weekday is the anchor
    ("Japan lodged a strong protest with China on Sunday.", date(2025, 12, 7), "en", "2025-12-07"),
    ("The incidents took place on Saturday afternoon.", date(2025, 12, 7), "en", "2025-12-06"),
    ("They held a joint naval patrol in the South China Sea on Wednesday.", date(2026, 1, 22), "en",
     "2026-01-21"),
    ("Angkatan Laut India menghibahkan perlengkapan selam di Sabang, Kamis.", date(2026, 1, 30), "id",
     "2026-01-29"),
    ("Menteri itu tiba di Jakarta pada Selasa.", date(2026, 1, 30), "id", "2026-01-27"),
    ("Kapal itu terlihat hari Rabu di perairan Natuna.", date(2026, 1, 30), "id", "2026-01-28"),
    ("Menteri itu bertemu mitranya Senin lalu.", date(2026, 1, 26), "id", "2026-01-19"),
    ("The minister met his counterpart last Monday.", date(2026, 1, 26), "en", "2026-01-19"),
])
def test_dates_weekdays(text, published, language, expected_value):
    found = find_times(text, published, language)
    assert [t.value for t in found] == [expected_value]
    assert found[0].precision == "day"


@pytest.mark.parametrize("text,language", [
    ("Kedua negara sepakat memperkuat kerja sama pertahanan di kawasan.", "id"),
    ("The two countries agreed to deepen defence cooperation in the region.", "en"),
    ("Japan will co-produce the Standard Missile-3 Block 2A interceptor.", "en"),
    ("The council adopted the text in a 13-0 vote with Russia and China abstaining.", "en"),
    ("Program itu mencakup 16 bidang prioritas, antara lain keamanan siber.", "id"),
    ("Inflasi naik 2,5 persen dan nilai paket mencapai Rp 2026 miliar.", "id"),
    ("Dewan Keamanan mengesahkan Resolusi 2803 tentang Gaza.", "id"),
    ("Israel melanggar Resolusi Dewan Keamanan PBB 1701.", "id"),
    ("Pemerintah mengirim hingga 2000 personel ke wilayah itu.", "id"),
    ("The army deployed 2,000 troops and 1999 tons of supplies.", "en"),
    ("Warga menunaikan salat Jumat di masjid raya.", "id"),
])
def test_dates_numbers_that_are_not_dates(text, language):
    assert [t.value for t in find_times(text, date(2026, 1, 20), language)] == []


def test_dates_minggu_lalu_is_a_week_but_minggu_paren_is_sunday():
    anchor = date(2025, 12, 9)
    assert values("Minggu lalu, kapal itu kembali berlayar.", anchor, "id") == \
        [("Minggu lalu", "2025-12", "month")]
    assert values("Insiden terjadi pada Minggu (7/12) pagi.", anchor, "id") == \
        [("Minggu (7/12)", "2025-12-07", "day")]


@pytest.mark.parametrize("text,language", [
    ("China menggelar latihan pada Senin dan mengumumkan sanksi kemarin.", "id"),
    ("Beijing announced sanctions yesterday after drills on Monday last week.", "en"),
    ("Protes itu dilayangkan pada Oktober lalu.", "id"),
])
def test_dates_without_anchor_relative_stay_unresolved(text, language):
    found = find_times(text, None, language)
    assert found and all(t.value is None and t.precision is None for t in found)


def test_dates_without_anchor_absolute_still_resolve():
    found = find_times("Gambia mengajukan gugatan pada November 2019, Senin (12/1).", None, "id")
    assert [(t.text, t.value) for t in found] == [("November 2019", "2019-11"), ("Senin (12/1)", None)]


@pytest.mark.parametrize("text,language,rule", [
    ("Sehari sebelumnya, China memanggil duta besar Jepang.", "id", "event_offset:-1d"),
    ("The announcement came two days after Estonian forces boarded a tanker.", "en", "event_offset:+2d"),
    ("Di hari yang sama, Hamas membebaskan 20 sandera.", "id", "event_offset:0d"),
    ("Pada sore harinya, ketiga menteri menggelar pembicaraan telepon.", "id", "event_offset:0d"),
    ("Later that day the minister flew to Manila.", "en", "event_offset:0d"),
])
def test_dates_event_relative_phrases_keep_no_value(text, language, rule):
    (expr,) = find_times(text, date(2026, 2, 20), language)
    assert (expr.value, expr.rule) == (None, rule)


def test_dates_future_cue_picks_the_coming_month():
    text = "Kim mengancam akan menggelar uji coba jika latihan gabungan dilanjutkan pada Maret."
    assert values(text, date(2026, 1, 7), "id") == [("Maret", "2026-03", "month")]
    assert values("Pasukan itu ditarik pada Maret.", date(2026, 1, 7), "id") == [("Maret", "2025-03", "month")]


def test_dates_stage_offsets_point_into_article_text():
    text = ("Thailand dan Kamboja sepakat memperpanjang gencatan senjata pada Sabtu (17/1).\n"
            "Militer Thailand menuduh pasukan Kamboja menembakkan roket pada 6 Januari.")
    article = Article(text=text, published="2026-01-19", language="id")
    article.sentences = split(text)
    DateStage()(article)
    assert [(text[t.start:t.end], t.value) for t in article.times] == \
        [("Sabtu (17/1)", "2026-01-17"), ("6 Januari", "2026-01-06")]
    assert article.stages == ["dates"]


def test_dates_stage_rejects_bad_config_and_bad_published():
    with pytest.raises(ConfigError):
        DateStage(languages=("fr",))
    with pytest.raises(StageError):
        DateStage()(Article(text="Senin (1/12).", published="1 Desember", language="id"))


@pytest.mark.skipif(not (SHARED / "gold" / "dev").is_dir(), reason="shared dev gold not present")
def test_dates_dev_gold_day_dates_mostly_reachable_in_their_sentence():
    articles = {}
    for line in (SHARED / "gold" / "dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        articles[record["id"]] = record
    reached = total = 0
    for path in sorted((SHARED / "gold" / "dev").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        record = articles[gold["doc_id"]]
        if not record.get("published"):
            continue
        for event in gold["events"]:
            sentence = event["evidence"]
            if not event.get("date") or len(event["date"]) != 10 or event["date"] not in sentence \
                    and not any(w in sentence for w in ("(", "Monday", "Tuesday", "Wednesday", "Thursday",
                                                        "Friday", "Saturday", "Sunday", "kemarin")):
                continue
            total += 1
            found = find_times(sentence, record["published"], record["language"])
            reached += any(t.value == event["date"] for t in found)
    assert total >= 30 and reached / total >= 0.85


@pytest.mark.parametrize("text,language,expected", [
    # ranges resolve to their start, in both languages and word orders
    ("The drills ran on August 5-6 near Natuna.", "en", ("August 5-6", "2025-08-05", "day")),
    ("The drills ran from 5 to 6 August.", "en", ("5 to 6 August", "2025-08-05", "day")),
    ("Latihan berlangsung 5 hingga 7 Agustus.", "id", ("5 hingga 7 Agustus", "2025-08-05", "day")),
    ("Latihan digelar pada 2022 di Natuna.", "id", ("2022", "2022", "year")),
    ("The exercises took place on Tuesday.", "en", ("Tuesday", "2025-09-02", "day")),
])
def test_dates_ranges_years_and_weekdays_in_both_languages(text, language, expected):
    assert values(text, date(2025, 9, 3), language) == [expected]


@pytest.mark.parametrize("published,expected", [
    (date(2018, 11, 20), "2018-11-05"),
    (date(2018, 11, 2), "2017-11-05"),     # "lalu": the last one, never the coming one
])
def test_dates_day_month_lalu_is_the_last_such_day(published, expected):
    assert values("Sanksi itu mulai berlaku pada 5 November lalu.", published, "id") == \
        [("5 November lalu", expected, "day")]


@pytest.mark.parametrize("text,language,expected", [
    ("The talks began on June 13, 2000. On June 15, the two sides issued a declaration.", "en",
     "2000-06-15"),
    ("Pada Desember 2000 mereka bertemu. Pada 5 Januari, kedua pihak sepakat.", "id", "2001-01-05"),
    # a bare year names no narrative time: the day keeps the anchor's year
    ("Perjanjian 2015 itu dibahas lagi. Pada 15 Juni, kedua pihak bertemu.", "id", "2023-06-15"),
])
def test_dates_stage_a_day_without_year_continues_the_year_just_told(text, language, expected):
    a = Article(text=text, language=language, published="2023-06-20")
    a.sentences = split(text)
    assert DateStage()(a).times[-1].value == expected


@pytest.mark.parametrize("text,language,expected", [
    ("Patroli itu melanjutkan patroli sebelumnya pada Juni dan September.", "id", ["2024-06", "2024-09"]),
    ("The hostages were released in September and October.", "en", ["2024-09", "2024-10"]),
])
def test_dates_a_bare_month_coordinated_with_a_month(text, language, expected):
    assert [v for _, v, _ in values(text, date(2024, 11, 20), language)] == expected


def test_dates_sentences_without_a_cue_skip_only_the_patterns_that_need_it(monkeypatch):
    # a family is not searched in a sentence without its cue (a digit, a year, a month's
    # name); searching every family anyway finds the same expressions, over the samples and
    # this file's sentences
    import ast

    from aliansi.extraction import dates

    root = Path(__file__).resolve().parents[2]
    texts = [p.read_text(encoding="utf-8") for p in sorted((root / "samples").glob("*.txt"))]
    texts += [node.value for node in ast.walk(ast.parse(Path(__file__).read_text(encoding="utf-8")))
              if isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value]
    sentences = [s.text for text in texts for s in split(text)]
    assert sum(not any(c.isdigit() for c in s) for s in sentences) > 20
    assert sum(not dates._CUES["month"](s) for s in sentences) > 20
    assert sum(dates._CUES["month"](s) for s in sentences) > 20
    for language in ("id", "en"):
        gated = [values(s, date(2026, 1, 23), language) for s in sentences]
        monkeypatch.setattr(dates, "_NEEDS", {})
        assert [values(s, date(2026, 1, 23), language) for s in sentences] == gated
        monkeypatch.undo()
