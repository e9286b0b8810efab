"""Event detection on hand-built articles: the actor mentions and times are made
here, so these tests exercise the event rules alone."""
import re

import pytest

from aliansi.extraction.events import EventStage
from aliansi.extraction.merge import MergeStage
from aliansi.model import Article, Mention, Place, TimeExpression
from aliansi.sentences import split

ACTORS = {
    "Jepang": "JPN", "Amerika Serikat": "USA", "AS": "USA", "Tiongkok": "CHN", "China": "CHN",
    "Filipina": "PHL", "Israel": "ISR", "Gaza": "PSE", "Hamas": "PSE", "Indonesia": "IDN",
    "Malaysia": "MYS", "Thailand": "THA", "Kamboja": "KHM", "Rusia": "RUS", "Ukraina": "UKR",
    "Japan": "JPN", "United States": "USA", "Beijing": "CHN", "Manila": "PHL", "Russia": "RUS",
    "Ukraine": "UKR", "Britain": "GBR", "Jordan": "JOR", "Kremlin": "RUS", "Polandia": "POL",
    "Prabowo": "IDN", "Anwar Ibrahim": "MYS", "Vietnam": "VNM", "Bakamla": "IDN",
    "Thailand": "THA", "Cambodia": "KHM",
}
TIMES = {"Senin (1/12)": "2025-12-01", "15 Januari": "2026-01-15", "pada 2022": "2022",
         "on Wednesday": "2026-01-21", "Kamis (22/1)": "2026-01-22", "Rabu (12/11)": "2025-11-12"}


def article(text: str, language: str = "id") -> Article:
    a = Article(text=text, language=language, published="2026-01-23")
    a.sentences = split(text)
    for name, code in ACTORS.items():
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            kind = "person" if name in ("Prabowo", "Anwar Ibrahim") else "state"
            a.mentions.append(Mention(m.start(), m.end(), name, kind, code, name))
    a.mentions.sort(key=lambda m: m.start)
    for expr, value in TIMES.items():
        for m in re.finditer(re.escape(expr), text):
            precision = {10: "day", 7: "month", 4: "year"}[len(value)]
            a.times.append(TimeExpression(m.start(), m.end(), expr, value, precision))
    for m in re.finditer("[Pp]ada hari yang sama", text):
        a.times.append(TimeExpression(m.start(), m.end(), m.group(), None, None, rule="event_offset:0d"))
    a.times.sort(key=lambda t: t.start)
    return a


def events_of(text: str, language: str = "id", merge: bool = True):
    a = EventStage()(article(text, language))
    if merge:
        a = MergeStage()(a)
    return [(e.type, e.source, e.target, e.hypothetical, e.negated) for e in a.events], a


@pytest.mark.parametrize("text,language,expected", [
    ("Jepang dan Amerika Serikat sepakat memperluas kerja sama pertahanan.", "id",
     ("AGREE", {"JPN", "USA"})),
    ("Jordan and Britain have agreed to undertake joint military exercises.", "en",
     ("AGREE", {"JOR", "GBR"})),
    ("Presiden Prabowo menerima kunjungan Perdana Menteri Malaysia Anwar Ibrahim di Bogor.", "id",
     ("CONSULT", {"IDN", "MYS"})),
])
def test_events_symmetric_types_take_both_sides(text, language, expected):
    found, _ = events_of(text, language)
    real = [(t, set(s) | set(g)) for t, s, g, h, n in found if not h and not n]
    assert expected in real


def test_events_visit_received_puts_the_visitor_in_source():
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
def test_events_direction_from_structure(text, language, source, target):
    found, _ = events_of(text, language)
    assert any(source in s and target in g for _, s, g, h, n in found), found


@pytest.mark.parametrize("text,language,event_type,flag", [
    ("Jepang akan menggelar latihan militer bersama dengan Amerika Serikat.", "id", "COOPERATE", "hypothetical"),
    ("Jika Tiongkok menyerang Filipina, Jepang akan bertindak.", "id", "ASSAULT", "hypothetical"),
    ("Rusia membantah menyerang Ukraina.", "id", "ASSAULT", "negated"),
    ("Thailand tidak menarik pasukan dari Kamboja.", "id", "RETREAT", "negated"),
    ("Russia will attack Ukraine if talks fail.", "en", "ASSAULT", "hypothetical"),
    ("Russia did not attack Ukraine, the Kremlin said.", "en", "ASSAULT", "negated"),
    ("Jepang berencana menggelar latihan militer bersama dengan Filipina.", "id", "COOPERATE", "hypothetical"),
    ("Jepang dijadwalkan bertemu Filipina pekan depan.", "id", "CONSULT", "hypothetical"),
    ("Tiongkok kemungkinan menyerang Filipina.", "id", "ASSAULT", "hypothetical"),
    ("Thailand belum menarik pasukan dari Kamboja.", "id", "RETREAT", "negated"),
    ("Japan plans to hold joint exercises with the United States.", "en", "COOPERATE", "hypothetical"),
    ("Japan is scheduled to meet the United States next week.", "en", "CONSULT", "hypothetical"),
    ("Russia might attack Ukraine.", "en", "ASSAULT", "hypothetical"),
    ("Russia denied attacking Ukraine.", "en", "ASSAULT", "negated"),
    ("Thailand has not withdrawn from Cambodia.", "en", "RETREAT", "negated"),
])
def test_events_plans_conditions_and_denials_are_flagged(text, language, event_type, flag):
    found, _ = events_of(text, language)
    flagged = [f for f in found if f[0] == event_type]
    assert flagged, found
    assert all(f[3 if flag == "hypothetical" else 4] for f in flagged)


def test_events_agreement_to_act_is_agree_and_the_act_a_plan():
    found, _ = events_of("Jepang dan Amerika Serikat sepakat menggelar latihan bersama tahun depan.")
    types = {(t, h) for t, s, g, h, n in found}
    assert ("AGREE", False) in types
    assert ("COOPERATE", True) in types


def test_events_date_from_own_sentence_never_from_publication():
    found, a = events_of("Tiongkok menjatuhkan sanksi terhadap Jepang. "
                         "Jepang memprotes Tiongkok pada Senin (1/12).")
    by_type = {e.type: e for e in a.events}
    assert by_type["SANCTION"].date is None
    assert by_type["PROTEST"].date == "2025-12-01" and by_type["PROTEST"].date_precision == "day"


def test_events_same_day_refers_to_the_last_date():
    _, a = events_of("Bakamla menangkap kapal Vietnam pada Rabu (12/11).\n"
                     "Pada hari yang sama, Vietnam memprotes Indonesia.")
    protest = next(e for e in a.events if e.type == "PROTEST")
    assert protest.date == "2025-11-12" and protest.date_basis == "anaphoric"


def test_events_repeated_statement_merges_with_all_evidence():
    found, a = events_of("Jepang dan Amerika Serikat sepakat memperluas kerja sama. "
                         "Jepang dan Amerika Serikat menyepakati langkah strategis pada 15 Januari.")
    agrees = [e for e in a.events if e.type == "AGREE"]
    assert len(agrees) == 1
    assert agrees[0].date == "2026-01-15" and len(agrees[0].evidence_spans) == 2


def test_events_no_actor_pair_no_symmetric_event():
    found, _ = events_of("Jepang sepakat memperluas kerja sama.")
    assert not [f for f in found if f[0] == "AGREE"]


def test_events_evidence_is_the_verbatim_sentence():
    text = "Pembukaan.\nIndonesia mengecam serangan udara Israel ke Gaza pada Senin (1/12)."
    _, a = events_of(text)
    for e in a.events:
        start, end = e.evidence_spans[0]
        assert text[start:end] == e.evidence


def test_events_reciprocal_each_gives_both_directions():
    _, a = events_of("Russia and Ukraine each freed 157 prisoners of war on Wednesday.", "en")
    concede = {(tuple(e.source), tuple(e.target)) for e in a.events if e.type == "CONCEDE"}
    assert concede == {(("RUS",), ("UKR",)), (("UKR",), ("RUS",))}


def test_events_verb_after_an_object_takes_it_as_agent():
    _, a = events_of("Thailand menuduh pasukan Kamboja menembakkan roket ke Thailand.")
    assault = next(e for e in a.events if e.type == "ASSAULT")
    accuse = next(e for e in a.events if e.type == "ACCUSE")
    assert assault.source == ["KHM"] and accuse.source == ["THA"] and accuse.target == ["KHM"]


def test_events_condemning_that_attack_targets_its_agent():
    _, a = events_of("Rusia menyerang Ukraina pada Senin (1/12). Polandia mengecam serangan itu.")
    accuse = next(e for e in a.events if e.type == "ACCUSE")
    assert accuse.source == ["POL"] and accuse.target == ["RUS"]
    assert not [e for e in a.events if e.type == "ASSAULT" and e.source == ["POL"]]


def test_events_a_denial_answers_the_accuser():
    _, a = events_of("Filipina menuduh China melanggar hukum. China membantah tuduhan tersebut.")
    reject = next(e for e in a.events if e.type == "REJECT")
    assert reject.source == ["CHN"] and reject.target == ["PHL"]


def test_events_mediator_joins_the_talks_as_third_party():
    _, a = events_of("Thailand dan Kamboja menggelar perundingan yang dimediasi Malaysia pada Senin (1/12).")
    consult = [e for e in a.events if e.type == "CONSULT"]
    assert len(consult) == 1
    assert consult[0].mode == "third-party" and consult[0].source == ["MYS"]
    assert set(consult[0].target) == {"THA", "KHM"}


def test_events_promise_is_an_agreement_now():
    _, a = events_of("Jordan will give Britain military aid next year.", "en")
    assert any(e.type == "AGREE" and not e.hypothetical for e in a.events)
    assert all(e.hypothetical for e in a.events if e.type == "AID")


@pytest.mark.parametrize("text,language,expected", [
    ("Israel lifted a blockade on Gaza on Wednesday.", "en", "RETREAT"),
    ("Israel mencabut blokade atas Gaza pada Senin (1/12).", "id", "RETREAT"),
    ("Israel lifted a curfew in Gaza on Wednesday.", "en", "CONCEDE"),
])
def test_events_lifting_a_restriction_is_not_the_restriction(text, language, expected):
    # PLOVER: easing a military blockade is a RETREAT, easing a political restriction a CONCEDE
    _, a = events_of(text, language)
    assert {e.type for e in a.events} == {expected}


@pytest.mark.parametrize("text,language", [
    ("Kunjungan tersebut berlangsung di tengah ketegangan antara Jepang dan Tiongkok.", "id"),
    ("China and the United States welcomed the agreement.", "en"),
])
def test_events_a_noun_that_refers_back_is_no_new_event(text, language):
    found, _ = events_of(text, language)
    assert not [f for f in found if f[0] in ("CONSULT", "AGREE")]


def test_events_they_agreed_are_those_who_met():
    _, a = events_of("Presiden Prabowo menerima kunjungan Perdana Menteri Malaysia Anwar Ibrahim pada Kamis (22/1). "
                     "Mereka sepakat memperkuat kerja sama maritim.")
    agree = next(e for e in a.events if e.type == "AGREE")
    assert set(agree.source + agree.target) == {"IDN", "MYS"}
    assert agree.date == "2026-01-22"


def test_events_a_comma_alone_makes_no_list_of_actors():
    _, a = events_of("Karena tidak memiliki hubungan dengan Israel, Indonesia menyampaikan protes melalui PBB. ")
    assert not [e for e in a.events if "ISR" in e.source]


def test_events_withdrawal_from_a_place_targets_it():
    _, a = events_of("Militer Israel telah menarik pasukannya dari Gaza pada Senin (1/12).")
    retreat = next(e for e in a.events if e.type == "RETREAT")
    assert retreat.source == ["ISR"] and retreat.target == ["PSE"] and retreat.date == "2025-12-01"


def test_events_handing_over_ships_is_aid():
    _, a = events_of("Jepang menyerahkan tiga kapal patroli kepada Indonesia pada 2022.")
    aid = next(e for e in a.events if e.type == "AID")
    assert aid.source == ["JPN"] and aid.target == ["IDN"] and aid.date == "2022"


def test_events_an_announced_sanction_is_a_threat_now():
    _, a = events_of("Britain will impose sanctions on Russia next month.", "en")
    types = {(e.type, e.hypothetical) for e in a.events}
    assert ("THREATEN", False) in types and ("SANCTION", True) in types


def test_events_a_plan_to_discuss_sanctions_is_no_threat():
    _, a = events_of("Menurut dia, Polandia akan membahas paket sanksi baru terhadap Rusia.")
    assert not [e for e in a.events if e.type == "THREATEN"]


def test_events_a_trigger_word_inside_a_name_is_part_of_the_name():
    a = article("Tentara Pembebasan Rakyat menggelar latihan militer di sekitar Filipina.")
    a.mentions.append(Mention(0, 25, "Tentara Pembebasan Rakyat", "state", "CHN", "People's Liberation Army"))
    a.mentions.sort(key=lambda m: m.start)
    a = MergeStage()(EventStage()(a))
    assert [(e.type, e.source, e.target) for e in a.events] == [("MOBILIZE", ["CHN"], ["PHL"])]


@pytest.mark.parametrize("text,language,event_type,expected", [
    # the strike told after "a day after" came a day before the sentence's own day
    ("Jordan and Britain met on Wednesday, a day after Russia struck Ukraine.", "en", "ASSAULT", "2026-01-20"),
    # an opening "a day before X" dates the main clause against the day the text last named
    ("Thailand menyerang Kamboja pada Rabu (12/11).\nSehari sebelum serangan itu, Malaysia bertemu Thailand.",
     "id", "CONSULT", "2025-11-11"),
])
def test_events_dates_told_relative_to_another_event(text, language, event_type, expected):
    a = article(text, language)
    for m in re.finditer(r"a day after|Sehari sebelum", text):
        sign = "+" if "after" in m.group() else "-"
        a.times.append(TimeExpression(m.start(), m.end(), m.group(), None, None, rule=f"event_offset:{sign}1d"))
    a.times.sort(key=lambda t: t.start)
    a = EventStage()(a)
    event = next(e for e in a.events if e.type == event_type)
    assert event.date == expected


@pytest.mark.parametrize("text,language", [
    ("Takaichi menyebut serangan terhadap Taiwan dapat menjadi ancaman bagi Jepang.", "id"),
    ("Takaichi said a Chinese attack on Taiwan could trigger a Japanese response.", "en"),
])
def test_events_an_act_named_with_a_modal_after_it_is_hypothetical(text, language):
    a = article(text, language)
    a.mentions.append(Mention(text.index("Taiwan"), text.index("Taiwan") + 6, "Taiwan", "state", "TWN", "Taiwan"))
    if language == "en":
        a.mentions.append(Mention(text.index("Chinese"), text.index("Chinese") + 7, "Chinese", "state", "CHN", "China"))
    a.mentions.sort(key=lambda m: m.start)
    a = EventStage()(a)
    assert all(e.hypothetical for e in a.events if e.type == "ASSAULT")


def test_events_a_request_refused_in_the_passive_answers_its_maker():
    _, a = events_of("Vietnam meminta Indonesia melepaskan kapal-kapal itu. Permintaan tersebut ditolak.")
    reject = next(e for e in a.events if e.type == "REJECT")
    assert reject.source == ["IDN"] and reject.target == ["VNM"] and not reject.hypothetical


def test_events_welcoming_the_agreement_supports_both_parties():
    _, a = events_of("Thailand and Cambodia agreed on Wednesday to extend the ceasefire. "
                     "Japan welcomed the agreement.", "en")
    support = next(e for e in a.events if e.type == "SUPPORT")
    assert support.source == ["JPN"] and set(support.target) == {"THA", "KHM"}


def test_events_acts_inside_a_described_plan_are_hypothetical():
    _, a = events_of("Langkah kunci itu adalah rencana untuk memastikan dukungan Amerika Serikat bagi Jepang.")
    assert all(e.hypothetical for e in a.events if e.type == "SUPPORT")


@pytest.mark.parametrize("text,language,threat", [
    ("Jepang memperingatkan bahwa aktivitas militer Tiongkok terus meningkat.", "id", False),
    ("Rusia memperingatkan Polandia akan mengambil tindakan balasan.", "id", True),
    ("Russia warned Ukraine of retaliation.", "en", True),
])
def test_events_a_warning_is_a_threat_only_when_it_threatens(text, language, threat):
    _, a = events_of(text, language)
    assert any(e.type == "THREATEN" for e in a.events) is threat


@pytest.mark.parametrize("text,language,event_type,mode", [
    ("Rusia menyerang Ukraina dengan rudal dan artileri pada Senin (1/12).", "id", "ASSAULT", "heavy-weapons"),
    ("Russia attacked Ukraine with drones on Wednesday.", "en", "ASSAULT", "drone"),
    ("Bakamla menangkap kapal Vietnam pada Rabu (12/11).", "id", "COERCE", "arrest"),
    ("Polandia mengusir diplomat Rusia.", "id", "SANCTION", "expel"),
    ("Indonesia mengecam serangan udara Israel ke Gaza.", "id", "ACCUSE", "disapprove"),
    ("Thailand dan Malaysia bertemu di Jakarta bersama Indonesia.", "id", "CONSULT", "multilateral"),
])
def test_events_plover_modes(text, language, event_type, mode):
    _, a = events_of(text, language)
    assert next(e for e in a.events if e.type == event_type).mode == mode


def test_events_a_meeting_on_one_partys_ground_is_a_visit():
    a = article("Prabowo bertemu Anwar Ibrahim di Kuala Lumpur pada Kamis (22/1).")
    start = a.text.index("Kuala Lumpur")
    a.places.append(Place(start, start + 12, "Kuala Lumpur", "Kuala Lumpur", country="MYS"))
    a = EventStage()(a)
    consult = next(e for e in a.events if e.type == "CONSULT")
    assert consult.mode == "visit" and consult.source == ["IDN"] and consult.target == ["MYS"]


def test_events_an_alliance_deploying_to_a_members_ground_does_not_target_it():
    a = article("NATO mengerahkan dua skuadron jet tempur ke Polandia pada Senin (1/12).")
    a.mentions.append(Mention(0, 4, "NATO", "org", "NATO", "NATO"))
    a.mentions.sort(key=lambda m: m.start)
    a = EventStage()(a)
    assert not [e for e in a.events if e.type == "MOBILIZE" and "POL" in e.target]


def test_events_a_partner_named_by_title_first():
    a = article("Prabowo berbicara melalui telepon dengan Presiden Mesir Abdel Fattah el-Sisi pada Senin (1/12).")
    start = a.text.index("Mesir")
    a.mentions.append(Mention(start, start + 5, "Mesir", "state", "EGY", "Egypt"))
    a.mentions.sort(key=lambda m: m.start)
    a = EventStage()(a)
    consult = next(e for e in a.events if e.type == "CONSULT")
    assert set(consult.source + consult.target) == {"IDN", "EGY"} and consult.mode == "phone"


def test_events_a_condition_governs_its_whole_clause():
    found, _ = events_of("Korea Utara mengancam akan menggelar uji coba yang lebih besar jika Amerika Serikat "
                         "dan Jepang melanjutkan latihan militer gabungan.")
    assert all(h for t, s, g, h, n in found if t == "COOPERATE")


def test_events_condemning_that_launch_targets_the_launcher():
    a = article("Korea Utara meluncurkan dua rudal balistik ke laut pada Selasa (6/1). "
                "Jepang mengecam peluncuran itu.")
    a.mentions.append(Mention(0, 11, "Korea Utara", "state", "PRK", "North Korea"))
    a.mentions.sort(key=lambda m: m.start)
    a = EventStage()(a)
    accuse = next(e for e in a.events if e.type == "ACCUSE")
    assert accuse.source == ["JPN"] and accuse.target == ["PRK"]


def test_events_reported_coercion_with_would_is_a_threat():
    found, _ = events_of("Britain said it would blockade Russia from Monday.", "en")
    assert ("THREATEN", ["GBR"], ["RUS"], False, False) in found


@pytest.mark.parametrize("text,language,source,target", [
    ("Islamic fundamentalists continued their hunger strike to demand the resignation of the Jordan "
     "government.", "en", ["JOR"], ["JOR"]),
    ("Para demonstran berunjuk rasa di depan kantor pemerintah Thailand.", "id", ["THA"], ["THA"]),
])
def test_events_an_unnamed_group_takes_the_only_state_named(text, language, source, target):
    found, _ = events_of(text, language)
    assert ("PROTEST", source, target, False, False) in found


def test_events_an_unnamed_agent_takes_no_state_when_two_are_named():
    found, _ = events_of("Rebels attacked a convoy near the border between Thailand and Cambodia.", "en")
    assert not [f for f in found if f[0] == "ASSAULT"]


@pytest.mark.parametrize("text,language", [
    ("Protesters staged a demonstration outside the Japan embassy to demand an apology.", "en"),
    ("Ratusan mahasiswa berunjuk rasa menuntut Israel menghentikan serangan.", "id"),
])
def test_events_the_demand_of_a_protest_is_no_separate_request(text, language):
    found, _ = events_of(text, language)
    assert [f for f in found if f[0] == "PROTEST"]
    assert not [f for f in found if f[0] == "REQUEST"]


@pytest.mark.parametrize("text,source,target", [
    ("The United States declared on Wednesday that China must drop barriers to trade.", ["USA"], ["CHN"]),
    ("Russia said Ukraine must withdraw its troops, the Kremlin said.", ["RUS"], ["UKR"]),
])
def test_events_who_must_act_is_asked_by_the_speaker(text, source, target):
    found, _ = events_of(text, "en")
    requests = [f for f in found if f[0] == "REQUEST"]
    assert requests == [("REQUEST", source, target, False, False)]


def test_events_what_a_speaker_says_it_must_do_itself_is_no_request():
    found, _ = events_of("Japan said it must strengthen its defences.", "en")
    assert not [f for f in found if f[0] == "REQUEST"]


def test_events_an_amount_after_by_is_no_agent():
    _, a = events_of("Jordan on Wednesday shortened by one hour the curfew imposed in Jordan.", "en")
    assert [(e.type, e.source) for e in a.events] == [("CONCEDE", ["JOR"])]


@pytest.mark.parametrize("text,language", [
    ("The leaders of Japan and China sought to ease tensions on Wednesday.", "en"),
    ("Jepang berusaha mencabut sanksi terhadap Tiongkok.", "id"),
])
def test_events_an_aim_is_no_request_and_no_act(text, language):
    found, _ = events_of(text, language)
    assert not [f for f in found if f[0] == "REQUEST"]
    assert all(h for t, s, g, h, n in found)


@pytest.mark.parametrize("text,language", [
    ("The United States will provide nearly 25,000 tons of emergency food aid to Jordan.", "en"),
    ("Jepang akan memberikan 25.000 ton bantuan pangan darurat kepada Filipina.", "id"),
])
def test_events_a_noun_shares_its_verbs_mood(text, language):
    _, a = events_of(text, language)
    assert a.events and all(e.hypothetical for e in a.events if e.type == "AID")
    assert [e for e in a.events if e.type == "AGREE" and not e.hypothetical]


def test_events_said_it_would_allow_is_a_promise():
    _, a = events_of("Russia said it would allow the return of Ukraine's inspectors.", "en")
    agree = [e for e in a.events if e.type == "AGREE" and not e.hypothetical]
    assert agree and agree[0].source == ["RUS"] and agree[0].target == ["UKR"]


def test_events_own_people_are_the_target():
    _, a = events_of("Thailand will allow Thailand's refugees who have lived in Cambodia for a decade to "
                     "return home.", "en")
    conceded = next(e for e in a.events if e.type == "CONCEDE")
    assert conceded.source == ["THA"] and conceded.hypothetical


@pytest.mark.parametrize("text,language,threat", [
    ("The opposition in Thailand said it will boycott the elections unless the government resigns.", "en", True),
    ("The opposition in Thailand said it will boycott the elections.", "en", False),
])
def test_events_a_protest_with_an_ultimatum_is_a_threat(text, language, threat):
    found, _ = events_of(text, language)
    assert bool([f for f in found if f[0] == "THREATEN" and not f[3]]) == threat


def test_events_a_sanction_announced_as_decided_is_a_sanction():
    _, a = events_of("The United States announced Wednesday it would prohibit all aid to Russia.", "en")
    assert [(e.type, e.source, e.target) for e in a.events if not e.hypothetical] == \
        [("SANCTION", ["USA"], ["RUS"])]


def test_events_several_actors_acting_together_target_no_one():
    _, a = events_of("Jordan and Britain have upgraded their diplomatic ties.", "en")
    support = next(e for e in a.events if e.type == "SUPPORT")
    assert set(support.source) == {"JOR", "GBR"} and support.target == []


def test_events_a_leaders_arrival_is_a_visit_to_the_host():
    a = article("Prabowo tiba di Tokyo untuk kunjungan kenegaraan.")
    start = a.text.index("Tokyo")
    a.places.append(Place(start, start + 5, "Tokyo", "Tokyo", "JPN"))
    a = EventStage()(a)
    assert [(e.type, e.mode, e.source, e.target) for e in a.events] == [("CONSULT", "visit", ["IDN"], ["JPN"])]


def test_events_troops_arriving_make_no_visit():
    a = article("Japan troops arrived in Manila on Wednesday.", "en")
    start = a.text.index("Manila")
    a.places.append(Place(start, start + 6, "Manila", "Manila", "PHL"))
    a = EventStage()(a)
    assert not [e for e in a.events if e.type == "CONSULT"]


@pytest.mark.parametrize("text,language", [
    ("Israel reimposed blockades on Gaza following the shooting deaths of two Jordan soldiers.", "en"),
    ("Israel menutup perbatasan menyusul serangan roket terhadap Jordan pada Senin (1/12).", "id"),
])
def test_events_the_subject_did_not_do_what_it_reacts_to(text, language):
    found, _ = events_of(text, language)
    assert not [f for f in found if f[0] == "ASSAULT"]


def test_events_an_event_noun_in_a_relative_clause_is_not_the_subjects():
    found, _ = events_of("Jordan condemned the damage to its embassy which was caused by a missile attack "
                         "on Wednesday.", "en")
    assert not [f for f in found if f[0] == "ASSAULT"]


@pytest.mark.parametrize("text,language", [
    ("Jordan police used tear gas to disperse demonstrators on Wednesday.", "en"),
    ("Polisi Thailand menangkap demonstran pada Senin (1/12).", "id"),
])
def test_events_dispersed_protesters_are_not_the_police(text, language):
    found, a = events_of(text, language)
    assert [f for f in found if f[0] == "COERCE"]
    assert not [f for f in found if f[0] == "PROTEST"]


def test_events_a_complaint_to_a_forum_is_aimed_at_its_subject():
    a = article("Jordan complained to the UN on Wednesday over two Israel air raids.", "en")
    start = a.text.index("UN")
    a.mentions.append(Mention(start, start + 2, "UN", "org", "UN", "United Nations"))
    a.mentions.sort(key=lambda m: m.start)
    a = EventStage()(a)
    accuse = next(e for e in a.events if e.type == "ACCUSE")
    assert accuse.source == ["JOR"] and accuse.target == ["ISR"]


def test_events_its_own_act_told_before_keeps_its_target():
    _, a = events_of("Jepang menggugat Tiongkok di mahkamah internasional. "
                     "Jepang mengajukan gugatan tersebut pada 2022 dengan dukungan Filipina.")
    accusations = [e for e in a.events if e.type == "ACCUSE"]
    assert accusations and all(e.target == ["CHN"] for e in accusations)


@pytest.mark.parametrize("text,language", [
    ("Jepang menyampaikan protes melalui Kedutaan Besar Filipina pada Senin (1/12).", "id"),
    ("Japan conveyed a protest through the Manila embassy on Wednesday.", "en"),
])
def test_events_the_channel_of_a_message_is_not_its_target(text, language):
    found, _ = events_of(text, language)
    assert not [f for f in found if "PHL" in f[2]]


def test_events_what_is_ordered_is_an_act_not_an_actor():
    found, _ = events_of("Polandia memerintahkan penutupan konsulat Rusia di Gdansk.")
    assert not [f for f in found if f[0] == "REQUEST"]
    found, _ = events_of("Polandia memerintahkan Rusia menutup konsulatnya di Gdansk.")
    assert [f for f in found if f[0] == "REQUEST" and f[1] == ["POL"] and f[2] == ["RUS"]]


def test_events_a_word_the_verb_acts_on_does_not_block_its_date():
    # "yang disepakati" only qualifies the line withdrawn to; the date is the withdrawal's
    _, a = events_of("Militer Israel telah menarik pasukannya ke garis yang disepakati di dalam Gaza "
                     "pada Senin (1/12).")
    retreat = next(e for e in a.events if e.type == "RETREAT")
    assert retreat.date == "2025-12-01"


@pytest.mark.parametrize("text,language", [
    ("Jordan will visit Thailand and Cambodia to mediate in their border dispute.", "en"),
    ("Malaysia mengunjungi Thailand dan Kamboja untuk memediasi sengketa perbatasan.", "id"),
])
def test_events_a_purpose_is_the_main_subjects(text, language):
    # the visited parties are not the mediators of their own dispute
    found, _ = events_of(text, language)
    assert found and all(f[1] in (["JOR"], ["MYS"]) for f in found)


def test_events_the_object_asked_to_act_is_its_agent():
    found, _ = events_of("Japan urged China to stop the drills near Taiwan.", "en")
    assert ("REQUEST", ["JPN"], ["CHN"], False, False) in found


@pytest.mark.parametrize("text,language", [
    ("Japan banned imports of China seafood on Wednesday.", "en"),
    ("Jepang melarang impor produk laut Tiongkok pada Senin (1/12).", "id"),
])
def test_events_a_ban_on_imports_is_a_sanction(text, language):
    found, _ = events_of(text, language)
    assert ("SANCTION", ["JPN"], ["CHN"], False, False) in found
