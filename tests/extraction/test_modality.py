"""Plans, denials, promises, threats and modes (aliansi.extraction.modality), through
the event stage on hand-built articles (tests/extraction/event_articles.py)."""
import pytest

from aliansi.extraction.events import EventStage
from aliansi.model import Mention, Place
from event_articles import article, events_of


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
    ("Amerika Serikat menyerang Taliban untuk mendukung pasukan Afghanistan.", "id", "SUPPORT", "hypothetical"),
    ("Jepang mengerahkan kapal perang guna membantu Filipina.", "id", "AID", "hypothetical"),
    ("Japan sent ships in order to support the Philippines.", "en", "SUPPORT", "hypothetical"),
    ("Russia accused Ukraine of attacking Jordan.", "en", "ASSAULT", "hypothetical"),
    ("Jepang menuduh Tiongkok menyerang kapal Filipina.", "id", "ASSAULT", "hypothetical"),
    ("Vietnam meminta Tiongkok menyelidiki insiden itu, mengembalikan kapal Vietnam, dan membebaskan "
     "nelayan Vietnam.", "id", "CONCEDE", "hypothetical"),
    ("Russia urged Ukraine to stop the shelling and release the prisoners of Jordan.", "en", "CONCEDE",
     "hypothetical"),
    # the act a directive verb asks for, past a long addressee with an apposition between commas
    ("Indonesia meminta Malaysia dan Thailand, sebagai anggota ASEAN, membebaskan nelayan Kamboja.", "id",
     "CONCEDE", "hypothetical"),
    ("Filipina mendesak Jepang dan Amerika Serikat, dua sekutu utamanya, mengirim kapal perang ke Laut "
     "China Selatan.", "id", "MOBILIZE", "hypothetical"),
    ("Ukraine urged Britain and Jordan, its partners in the coalition, to send troops to Russia.", "en",
     "AID", "hypothetical"),
    ("Ukraine urged Britain, which hosts the talks in London this week, to send troops to Jordan.", "en",
     "AID", "hypothetical"),
    # deontic modals: an obligation is not an act done
    ("Indonesia harus mendukung Filipina.", "id", "SUPPORT", "hypothetical"),
    ("Malaysia wajib mendukung Thailand.", "id", "SUPPORT", "hypothetical"),
    ("Japan must support the Philippines.", "en", "SUPPORT", "hypothetical"),
])
def test_modality_plans_conditions_and_denials_are_flagged(text, language, event_type, flag):
    found, _ = events_of(text, language)
    flagged = [f for f in found if f[0] == event_type]
    assert flagged, found
    assert all(f[3 if flag == "hypothetical" else 4] for f in flagged)


def test_modality_the_act_of_a_purpose_clause_is_a_plan_but_the_main_act_happened():
    found, _ = events_of("Amerika Serikat menyerang Taliban untuk mendukung pasukan Afghanistan.")
    assert ("ASSAULT", False) in {(t, h) for t, s, g, h, n in found}


def test_modality_a_clause_with_its_own_subject_is_no_conjunct():
    found, _ = events_of("Tiongkok menyita kapal Vietnam, dan Vietnam mengecam Tiongkok.")
    assert ("ACCUSE", ["VNM"], ["CHN"], False, False) in found


def test_modality_pantang_denies_its_verb():
    # "pantang menyerah": never giving up is no surrender
    found, _ = events_of("Jepang pantang menyerah kepada Tiongkok.")
    assert ("RETREAT", ["JPN"], ["CHN"], False, True) in found


def test_modality_a_decided_act_is_no_plan():
    for text in ("Jepang memutuskan untuk mengusir duta besar Tiongkok.",
                 "Jepang memutuskan untuk menarik pasukannya dari Filipina."):
        found, _ = events_of(text)
        assert found and not any(h for t, s, g, h, n in found), found


def test_modality_agreement_to_act_is_agree_and_the_act_a_plan():
    found, _ = events_of("Jepang dan Amerika Serikat sepakat menggelar latihan bersama tahun depan.")
    types = {(t, h) for t, s, g, h, n in found}
    assert ("AGREE", False) in types
    assert ("COOPERATE", True) in types


def test_modality_promise_is_an_agreement_now():
    _, a = events_of("Jordan will give Britain military aid next year.", "en")
    assert any(e.type == "AGREE" and not e.hypothetical for e in a.events)
    assert all(e.hypothetical for e in a.events if e.type == "AID")


def test_modality_an_announced_sanction_is_a_threat_now():
    _, a = events_of("Britain will impose sanctions on Russia next month.", "en")
    types = {(e.type, e.hypothetical) for e in a.events}
    assert ("THREATEN", False) in types and ("SANCTION", True) in types


def test_modality_a_plan_to_discuss_sanctions_is_no_threat():
    _, a = events_of("Menurut dia, Polandia akan membahas paket sanksi baru terhadap Rusia.")
    assert not [e for e in a.events if e.type == "THREATEN"]


@pytest.mark.parametrize("text,language", [
    ("Takaichi menyebut serangan terhadap Taiwan dapat menjadi ancaman bagi Jepang.", "id"),
    ("Takaichi said a Chinese attack on Taiwan could trigger a Japanese response.", "en"),
])
def test_modality_an_act_named_with_a_modal_after_it_is_hypothetical(text, language):
    a = article(text, language)
    a.mentions.append(Mention(text.index("Taiwan"), text.index("Taiwan") + 6, "Taiwan", "state", "TWN", "Taiwan"))
    if language == "en":
        a.mentions.append(Mention(text.index("Chinese"), text.index("Chinese") + 7, "Chinese", "state", "CHN", "China"))
    a.mentions.sort(key=lambda m: m.start)
    a = EventStage()(a)
    assert all(e.hypothetical for e in a.events if e.type == "ASSAULT")


def test_modality_acts_inside_a_described_plan_are_hypothetical():
    _, a = events_of("Langkah kunci itu adalah rencana untuk memastikan dukungan Amerika Serikat bagi Jepang.")
    assert all(e.hypothetical for e in a.events if e.type == "SUPPORT")


@pytest.mark.parametrize("text,language,threat", [
    ("Jepang memperingatkan bahwa aktivitas militer Tiongkok terus meningkat.", "id", False),
    ("Rusia memperingatkan Polandia akan mengambil tindakan balasan.", "id", True),
    ("Russia warned Ukraine of retaliation.", "en", True),
    ("Britain warned Russia that it was ready to impose sanctions.", "en", True),
    ("Rusia memperingatkan intervensi militer terhadap Ukraina.", "id", True),
])
def test_modality_a_warning_is_a_threat_only_when_it_threatens(text, language, threat):
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
def test_modality_plover_modes(text, language, event_type, mode):
    _, a = events_of(text, language)
    assert next(e for e in a.events if e.type == event_type).mode == mode


def test_modality_a_meeting_on_one_partys_ground_is_a_visit():
    a = article("Prabowo bertemu Anwar Ibrahim di Kuala Lumpur pada Kamis (22/1).")
    start = a.text.index("Kuala Lumpur")
    a.places.append(Place(start, start + 12, "Kuala Lumpur", "Kuala Lumpur", country="MYS"))
    a = EventStage()(a)
    consult = next(e for e in a.events if e.type == "CONSULT")
    assert consult.mode == "visit" and consult.source == ["IDN"] and consult.target == ["MYS"]


def test_modality_a_condition_governs_its_whole_clause():
    found, _ = events_of("Korea Utara mengancam akan menggelar uji coba yang lebih besar jika Amerika Serikat "
                         "dan Jepang melanjutkan latihan militer gabungan.")
    assert all(h for t, s, g, h, n in found if t == "COOPERATE")


def test_modality_reported_coercion_with_would_is_a_threat():
    found, _ = events_of("Britain said it would blockade Russia from Monday.", "en")
    assert ("THREATEN", ["GBR"], ["RUS"], False, False) in found


@pytest.mark.parametrize("text,language", [
    ("The United States will provide nearly 25,000 tons of emergency food aid to Jordan.", "en"),
    ("Jepang akan memberikan 25.000 ton bantuan pangan darurat kepada Filipina.", "id"),
])
def test_modality_a_noun_shares_its_verbs_mood(text, language):
    _, a = events_of(text, language)
    assert a.events and all(e.hypothetical for e in a.events if e.type == "AID")
    assert [e for e in a.events if e.type == "AGREE" and not e.hypothetical]


def test_modality_said_it_would_allow_is_a_promise():
    _, a = events_of("Russia said it would allow the return of Ukraine's inspectors.", "en")
    agree = [e for e in a.events if e.type == "AGREE" and not e.hypothetical]
    assert agree and agree[0].source == ["RUS"] and agree[0].target == ["UKR"]


@pytest.mark.parametrize("text,language,threat", [
    ("The opposition in Thailand said it will boycott the elections unless the government resigns.", "en", True),
    ("The opposition in Thailand said it will boycott the elections.", "en", False),
])
def test_modality_a_protest_with_an_ultimatum_is_a_threat(text, language, threat):
    found, _ = events_of(text, language)
    assert bool([f for f in found if f[0] == "THREATEN" and not f[3]]) == threat


def test_modality_a_sanction_announced_as_decided_is_a_sanction():
    _, a = events_of("The United States announced Wednesday it would prohibit all aid to Russia.", "en")
    assert [(e.type, e.source, e.target) for e in a.events if not e.hypothetical] == \
        [("SANCTION", ["USA"], ["RUS"])]


def test_modality_a_request_ends_where_a_new_subject_acts():
    # "..., dan Malaysia membebaskan": the second clause has its own subject and is done
    found, _ = events_of("Indonesia meminta Malaysia membebaskan nelayan, dan Malaysia membebaskan nelayan "
                         "Indonesia.")
    assert ("CONCEDE", ["MYS"], ["IDN"], False, False) in found
    assert ("CONCEDE", ["MYS"], ["IDN"], True, False) in found


def test_modality_a_reason_given_for_a_request_is_a_fact():
    # "karena ...": the cause of the request happened
    found, _ = events_of("Indonesia mendesak Malaysia menahan diri karena kapal Malaysia menangkap nelayan "
                         "Indonesia.")
    assert ("COERCE", ["MYS"], ["IDN"], False, False) in found
    assert ("REQUEST", ["IDN"], ["MYS"], False, False) in found
