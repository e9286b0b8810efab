"""Who did it to whom from the clause (aliansi.extraction.arguments), through the event
stage on hand-built articles (tests/extraction/event_articles.py)."""
import pytest

from aliansi.extraction.events import EventStage
from aliansi.model import Mention, Place
from event_articles import article, events_of


@pytest.mark.parametrize("text,language,expected", [
    ("Jepang dan Amerika Serikat sepakat memperluas kerja sama pertahanan.", "id",
     ("AGREE", {"JPN", "USA"})),
    ("Jordan and Britain have agreed to undertake joint military exercises.", "en",
     ("AGREE", {"JOR", "GBR"})),
    ("Presiden Prabowo menerima kunjungan Perdana Menteri Malaysia Anwar Ibrahim di Bogor.", "id",
     ("CONSULT", {"IDN", "MYS"})),
])
def test_arguments_symmetric_types_take_both_sides(text, language, expected):
    found, _ = events_of(text, language)
    real = [(t, set(s) | set(g)) for t, s, g, h, n in found if not h and not n]
    assert expected in real


def test_arguments_visit_received_puts_the_visitor_in_source():
    found, a = events_of("Presiden Prabowo menerima kunjungan Perdana Menteri Malaysia Anwar Ibrahim di Bogor.")
    consult = next(e for e in a.events if e.type == "CONSULT")
    assert consult.source == ["MYS"] and consult.target == ["IDN"] and consult.mode == "visit"


@pytest.mark.parametrize("text,language,source,target", [
    ("Tiongkok menjatuhkan sanksi terhadap perusahaan pertahanan Amerika Serikat.", "id", "CHN", "USA"),
    ("Kapal Filipina diserang oleh Tiongkok di dekat beting itu.", "id", "CHN", "PHL"),
    ("Indonesia mengecam serangan udara Israel ke Gaza.", "id", "ISR", "PSE"),
    ("Russia struck Ukraine with hundreds of drones.", "en", "RUS", "UKR"),
    ("Manila accused Beijing of aggression.", "en", "PHL", "CHN"),
])
def test_arguments_direction_from_structure(text, language, source, target):
    found, _ = events_of(text, language)
    assert any(source in s and target in g for _, s, g, h, n in found), found


def test_arguments_no_actor_pair_no_symmetric_event():
    found, _ = events_of("Jepang sepakat memperluas kerja sama.")
    assert not [f for f in found if f[0] == "AGREE"]


def test_arguments_reciprocal_each_gives_both_directions():
    _, a = events_of("Russia and Ukraine each freed 157 prisoners of war on Wednesday.", "en")
    concede = {(tuple(e.source), tuple(e.target)) for e in a.events if e.type == "CONCEDE"}
    assert concede == {(("RUS",), ("UKR",)), (("UKR",), ("RUS",))}


def test_arguments_withdrawal_from_a_place_targets_it():
    _, a = events_of("Militer Israel telah menarik pasukannya dari Gaza pada Senin (1/12).")
    retreat = next(e for e in a.events if e.type == "RETREAT")
    assert retreat.source == ["ISR"] and retreat.target == ["PSE"] and retreat.date == "2025-12-01"


def test_arguments_an_alliance_deploying_to_a_members_ground_does_not_target_it():
    a = article("NATO mengerahkan dua skuadron jet tempur ke Polandia pada Senin (1/12).")
    a.mentions.append(Mention(0, 4, "NATO", "org", "NATO", "NATO"))
    a.mentions.sort(key=lambda m: m.start)
    a = EventStage()(a)
    assert not [e for e in a.events if e.type == "MOBILIZE" and "POL" in e.target]


def test_arguments_a_partner_named_by_title_first():
    a = article("Prabowo berbicara melalui telepon dengan Presiden Mesir Abdel Fattah el-Sisi pada Senin (1/12).")
    start = a.text.index("Mesir")
    a.mentions.append(Mention(start, start + 5, "Mesir", "state", "EGY", "Egypt"))
    a.mentions.sort(key=lambda m: m.start)
    a = EventStage()(a)
    consult = next(e for e in a.events if e.type == "CONSULT")
    assert set(consult.source + consult.target) == {"IDN", "EGY"} and consult.mode == "phone"


@pytest.mark.parametrize("text,language,source,target", [
    ("Islamic fundamentalists continued their hunger strike to demand the resignation of the Jordan "
     "government.", "en", ["JOR"], ["JOR"]),
    ("Para demonstran berunjuk rasa di depan kantor pemerintah Thailand.", "id", ["THA"], ["THA"]),
])
def test_arguments_an_unnamed_group_takes_the_only_state_named(text, language, source, target):
    found, _ = events_of(text, language)
    assert ("PROTEST", source, target, False, False) in found


def test_arguments_an_unnamed_agent_takes_no_state_when_two_are_named():
    found, _ = events_of("Rebels attacked a convoy near the border between Thailand and Cambodia.", "en")
    assert not [f for f in found if f[0] == "ASSAULT"]


@pytest.mark.parametrize("text,language", [
    ("Protesters staged a demonstration outside the Japan embassy to demand an apology.", "en"),
    ("Ratusan mahasiswa berunjuk rasa menuntut Israel menghentikan serangan.", "id"),
])
def test_arguments_the_demand_of_a_protest_is_no_separate_request(text, language):
    found, _ = events_of(text, language)
    assert [f for f in found if f[0] == "PROTEST"]
    assert not [f for f in found if f[0] == "REQUEST"]


@pytest.mark.parametrize("text,source,target", [
    ("The United States declared on Wednesday that China must drop barriers to trade.", ["USA"], ["CHN"]),
    ("Russia said Ukraine must withdraw its troops, the Kremlin said.", ["RUS"], ["UKR"]),
])
def test_arguments_who_must_act_is_asked_by_the_speaker(text, source, target):
    found, _ = events_of(text, "en")
    requests = [f for f in found if f[0] == "REQUEST"]
    assert requests == [("REQUEST", source, target, False, False)]


def test_arguments_what_a_speaker_says_it_must_do_itself_is_no_request():
    found, _ = events_of("Japan said it must strengthen its defences.", "en")
    assert not [f for f in found if f[0] == "REQUEST"]


def test_arguments_an_amount_after_by_is_no_agent():
    _, a = events_of("Jordan on Wednesday shortened by one hour the curfew imposed in Jordan.", "en")
    assert [(e.type, e.source) for e in a.events] == [("CONCEDE", ["JOR"])]


@pytest.mark.parametrize("text,language", [
    ("The leaders of Japan and China sought to ease tensions on Wednesday.", "en"),
    ("Jepang berusaha mencabut sanksi terhadap Tiongkok.", "id"),
])
def test_arguments_an_aim_is_no_request_and_no_act(text, language):
    found, _ = events_of(text, language)
    assert not [f for f in found if f[0] == "REQUEST"]
    assert all(h for t, s, g, h, n in found)


def test_arguments_own_people_are_the_target():
    _, a = events_of("Thailand will allow Thailand's refugees who have lived in Cambodia for a decade to "
                     "return home.", "en")
    conceded = next(e for e in a.events if e.type == "CONCEDE")
    assert conceded.source == ["THA"] and conceded.hypothetical


def test_arguments_several_actors_acting_together_target_no_one():
    _, a = events_of("Jordan and Britain have upgraded their diplomatic ties.", "en")
    support = next(e for e in a.events if e.type == "SUPPORT")
    assert set(support.source) == {"JOR", "GBR"} and support.target == []


def test_arguments_a_leaders_arrival_is_a_visit_to_the_host():
    a = article("Prabowo tiba di Tokyo untuk kunjungan kenegaraan.")
    start = a.text.index("Tokyo")
    a.places.append(Place(start, start + 5, "Tokyo", "Tokyo", "JPN"))
    a = EventStage()(a)
    assert [(e.type, e.mode, e.source, e.target) for e in a.events] == [("CONSULT", "visit", ["IDN"], ["JPN"])]


def test_arguments_troops_arriving_make_no_visit():
    a = article("Japan troops arrived in Manila on Wednesday.", "en")
    start = a.text.index("Manila")
    a.places.append(Place(start, start + 6, "Manila", "Manila", "PHL"))
    a = EventStage()(a)
    assert not [e for e in a.events if e.type == "CONSULT"]


@pytest.mark.parametrize("text,language", [
    ("Israel reimposed blockades on Gaza following the shooting deaths of two Jordan soldiers.", "en"),
    ("Israel menutup perbatasan menyusul serangan roket terhadap Jordan pada Senin (1/12).", "id"),
])
def test_arguments_the_subject_did_not_do_what_it_reacts_to(text, language):
    found, _ = events_of(text, language)
    assert not [f for f in found if f[0] == "ASSAULT"]


def test_arguments_an_event_noun_in_a_relative_clause_is_not_the_subjects():
    found, _ = events_of("Jordan condemned the damage to its embassy which was caused by a missile attack "
                         "on Wednesday.", "en")
    assert not [f for f in found if f[0] == "ASSAULT"]


@pytest.mark.parametrize("text,language", [
    ("Jordan police used tear gas to disperse demonstrators on Wednesday.", "en"),
    ("Polisi Thailand menangkap demonstran pada Senin (1/12).", "id"),
])
def test_arguments_dispersed_protesters_are_not_the_police(text, language):
    found, a = events_of(text, language)
    assert [f for f in found if f[0] == "COERCE"]
    assert not [f for f in found if f[0] == "PROTEST"]


def test_arguments_a_complaint_to_a_forum_is_aimed_at_its_subject():
    a = article("Jordan complained to the UN on Wednesday over two Israel air raids.", "en")
    start = a.text.index("UN")
    a.mentions.append(Mention(start, start + 2, "UN", "org", "UN", "United Nations"))
    a.mentions.sort(key=lambda m: m.start)
    a = EventStage()(a)
    accuse = next(e for e in a.events if e.type == "ACCUSE")
    assert accuse.source == ["JOR"] and accuse.target == ["ISR"]


@pytest.mark.parametrize("text,language", [
    ("Jepang menyampaikan protes melalui Kedutaan Besar Filipina pada Senin (1/12).", "id"),
    ("Japan conveyed a protest through the Manila embassy on Wednesday.", "en"),
])
def test_arguments_the_channel_of_a_message_is_not_its_target(text, language):
    found, _ = events_of(text, language)
    assert not [f for f in found if "PHL" in f[2]]


def test_arguments_what_is_ordered_is_an_act_not_an_actor():
    found, _ = events_of("Polandia memerintahkan penutupan konsulat Rusia di Gdansk.")
    assert not [f for f in found if f[0] == "REQUEST"]
    found, _ = events_of("Polandia memerintahkan Rusia menutup konsulatnya di Gdansk.")
    assert [f for f in found if f[0] == "REQUEST" and f[1] == ["POL"] and f[2] == ["RUS"]]


@pytest.mark.parametrize("text,language", [
    ("Jordan will visit Thailand and Cambodia to mediate in their border dispute.", "en"),
    ("Malaysia mengunjungi Thailand dan Kamboja untuk memediasi sengketa perbatasan.", "id"),
])
def test_arguments_a_purpose_is_the_main_subjects(text, language):
    # the visited parties are not the mediators of their own dispute
    found, _ = events_of(text, language)
    assert found and all(f[1] in (["JOR"], ["MYS"]) for f in found)


def test_arguments_the_object_asked_to_act_is_its_agent():
    found, _ = events_of("Japan urged China to stop the drills near Taiwan.", "en")
    assert ("REQUEST", ["JPN"], ["CHN"], False, False) in found


@pytest.mark.parametrize("text,language,speaker,expected", [
    ("Jordan agreed to share intelligence on Wednesday, the Kremlin said.", "en", "RUS", None),
    ("Jordan protested the incursion on Wednesday, said a Kremlin spokesman.", "en", "RUS", None),
    ("Vietnam menuntut Tiongkok membebaskan para nelayan, kata Bakamla.", "id", "IDN", ("VNM", "CHN")),
])
def test_arguments_who_reports_an_act_is_no_party_to_it(text, language, speaker, expected):
    # the attribution clause's subject is the source of the report, not the act's target
    found, _ = events_of(text, language)
    assert not any(speaker in s or speaker in g for _, s, g, h, n in found), found
    if expected:
        assert any(expected[0] in s and expected[1] in g for _, s, g, h, n in found), found


@pytest.mark.parametrize("text,language", [
    ("Indonesia mengecam keras serangan terhadap warga sipil Palestina di Gaza.", "id"),
    ("Malaysia menentang tindakan kekerasan terhadap nelayan Filipina di perairan itu.", "id"),
])
def test_arguments_who_condemns_an_act_did_not_do_it(text, language):
    # the condemned act has no agent named: no attack by the condemner
    found, _ = events_of(text, language)
    assert not [e for e in found if e[0] == "ASSAULT"], found
    # with its genitive the act has its agent
    found, _ = events_of("Indonesia mengecam keras serangan Israel terhadap warga sipil di Gaza.", "id")
    assert any(t == "ASSAULT" and s == ["ISR"] for t, s, *_ in found), found


@pytest.mark.parametrize("text,language", [
    ("Jepang menuduh Rusia melanggar wilayah udaranya. Anggota parlemen Rusia mendesak pemerintah keluar "
     "dari perjanjian itu.", "id"),
    ("Japan accused Russia of violating its airspace. Russia's lawmakers urged the government to leave the treaty.",
     "en"),
])
def test_arguments_a_demand_on_ones_own_government_is_no_international_event(text, language):
    # "pemerintah"/"the government" with no state named is the agent's own: not the
    # counterpart of the last act told (Japan)
    stage = EventStage()
    a = stage.explain(article(text, language))
    requests = [e for row in a for e in row["events"] if e.type == "REQUEST"]
    assert not requests
    assert any("government of RUS itself" in n["why"] for row in a for n in row["not_events"])


def test_arguments_a_demand_on_a_named_government_keeps_its_state():
    found, _ = events_of("Jepang mendesak pemerintah Rusia menarik pasukannya.")
    assert ("REQUEST", ["JPN"], ["RUS"]) in [(t, s, g) for t, s, g, h, n in found]

