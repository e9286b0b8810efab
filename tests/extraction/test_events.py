"""The event stage as a whole, on hand-built articles (tests/extraction/event_articles.py:
the actor mentions and times are made there, so these tests exercise the event rules alone)."""
import pytest

from aliansi.extraction.events import EventStage
from aliansi.extraction.merge import MergeStage
from aliansi.model import Mention
from event_articles import article, events_of


def test_events_evidence_is_the_verbatim_sentence():
    text = "Pembukaan.\nIndonesia mengecam serangan udara Israel ke Gaza pada Senin (1/12)."
    _, a = events_of(text)
    for e in a.events:
        start, end = e.evidence_spans[0]
        assert text[start:end] == e.evidence


@pytest.mark.parametrize("text,language,expected", [
    ("Israel lifted a blockade on Gaza on Wednesday.", "en", "RETREAT"),
    ("Israel mencabut blokade atas Gaza pada Senin (1/12).", "id", "RETREAT"),
    ("Israel lifted a curfew in Gaza on Wednesday.", "en", "CONCEDE"),
])
def test_events_lifting_a_restriction_is_not_the_restriction(text, language, expected):
    # PLOVER: easing a military blockade is a RETREAT, easing a political restriction a CONCEDE
    _, a = events_of(text, language)
    assert {e.type for e in a.events} == {expected}


def test_events_a_trigger_word_inside_a_name_is_part_of_the_name():
    a = article("Tentara Pembebasan Rakyat menggelar latihan militer di sekitar Filipina.")
    a.mentions.append(Mention(0, 25, "Tentara Pembebasan Rakyat", "state", "CHN", "People's Liberation Army"))
    a.mentions.sort(key=lambda m: m.start)
    a = MergeStage()(EventStage()(a))
    assert [(e.type, e.source, e.target) for e in a.events] == [("MOBILIZE", ["CHN"], ["PHL"])]


@pytest.mark.parametrize("text,source,target", [
    ("Russia recalled its ambassador to Ukraine on Wednesday.", "RUS", "UKR"),
    ("Japan broke off diplomatic relations with Russia on Wednesday.", "JPN", "RUS"),
    ("Britain severed ties with Russia on Wednesday.", "GBR", "RUS"),
    ("Japan confirmed the recall of its ambassador to Russia on Wednesday.", "JPN", "RUS"),
    ("Japan ordered Russia's ambassador to leave the country within 48 hours.", "JPN", "RUS"),
    ("Russia gave Japan's diplomats 72 hours to leave on Wednesday.", "RUS", "JPN"),
])
def test_events_recalling_an_envoy_or_breaking_relations_is_a_sanction(text, source, target):
    # CAMEO 161 (reduce or break diplomatic relations) and 1623 (expel diplomats) are a
    # PLOVER SANCTION; an order to an envoy to leave is an expulsion
    found, _ = events_of(text, "en")
    assert found == [("SANCTION", [source], [target], False, False)]


@pytest.mark.parametrize("text", [
    "Jepang memerintahkan duta besar Rusia meninggalkan negara itu dalam waktu 48 jam.",
    "Rusia memberi diplomat Jepang waktu 72 jam untuk pergi.",
])
def test_events_an_envoy_ordered_to_leave_is_expelled(text):
    found, _ = events_of(text)
    assert [f[0] for f in found] == ["SANCTION"] and found[0][1] != found[0][2]


@pytest.mark.parametrize("text,expected", [
    ("Tiongkok menembakkan rudal balistik ke arah Jepang pada Senin (1/12).", "MOBILIZE"),
    ("Tiongkok menembakkan rudal balistik yang melintasi Jepang pada Senin (1/12).", "MOBILIZE"),
    ("Rusia menembakkan rudal ke Ukraina pada Senin (1/12).", "ASSAULT"),
])
def test_events_a_missile_fired_over_or_toward_a_state_is_a_show_of_force(text, expected):
    # a launch told by its trajectory (to sea, toward or over a state) is a weapons test,
    # MOBILIZE; one fired at a state strikes it, ASSAULT
    found, _ = events_of(text)
    assert [f[0] for f in found] == [expected]


@pytest.mark.parametrize("text,language", [
    ("Jepang menyebut tindakan Tiongkok itu barbar dan tidak dapat diterima.", "id"),
    ("Japan called China's move a huge mistake on Wednesday.", "en"),
    ("Japan called the drills of China unacceptable and reckless.", "en"),
])
def test_events_calling_an_act_by_a_damning_name_accuses(text, language):
    # CAMEO 111 (criticize or denounce) said as a verdict: "called it a mistake", "menyebut ... barbar"
    found, _ = events_of(text, language)
    assert ("ACCUSE", ["JPN"], ["CHN"], False, False) in found


@pytest.mark.parametrize("word", ["Latgab", "Latma", "Patkor"])
def test_events_military_abbreviations_of_joint_exercises_and_patrols(word):
    # latihan gabungan, latihan bersama, patroli terkoordinasi as Indonesian forces write them
    found, _ = events_of(f"Indonesia dan Filipina menggelar {word} di perairan perbatasan pada Senin (1/12).")
    assert [(t, sorted(s + g)) for t, s, g, *_ in found] == [("COOPERATE", ["IDN", "PHL"])]


@pytest.mark.parametrize("text,source,target", [
    # against the state it calls "anti-", by the people of the state where it happens
    ("Ribuan warga menggelar unjuk rasa anti-Jepang di Tiongkok pada Senin (1/12).", "CHN", "JPN"),
    # against the state whose embassy it besieges
    ("Mahasiswa Indonesia menggelar demo di depan Kedutaan Besar Amerika Serikat pada Senin (1/12).",
     "IDN", "USA"),
])
def test_events_a_demonstration_is_against_whom_it_names_anti_or_besieges(text, source, target):
    found, _ = events_of(text)
    assert ("PROTEST", [source], [target], False, False) in found


@pytest.mark.parametrize("text,requested", [
    # "insist that" with a mandate is a demand; with a statement of fact, an assertion
    ("Japan insisted that Russia must withdraw its troops.", True),
    ("Russia insists that its program is for peaceful purposes only.", False),
])
def test_events_insisting_is_a_demand_only_with_a_mandate(text, requested):
    found, _ = events_of(text, "en")
    assert any(f[0] == "REQUEST" for f in found) is requested


@pytest.mark.parametrize("text,language,source,target", [
    ("Warga mengungsi akibat tindakan keras Israel di Gaza.", "id", "ISR", "PSE"),
    ("Israel bombardment of Gaza continued on Wednesday.", "en", "ISR", "PSE"),
    ("The crackdown by Russia on Ukraine drew protests.", "en", "RUS", "UKR"),
])
def test_events_violent_repression_named_by_a_noun_is_an_assault(text, language, source, target):
    # CAMEO 175 (violent repression) is PLOVER ASSAULT: "crackdown", "bombardment", "tindakan keras"
    found, a = events_of(text, language)
    assert ("ASSAULT", [source], [target], False, False) in found
    assert "repression" in next(e for e in a.events if e.type == "ASSAULT").context


def test_events_a_session_of_one_body_is_no_consultation_between_its_sponsors():
    # the states named are those that sponsored what the session passed, not parties meeting
    found, _ = events_of("Resolusi yang diajukan Jepang, Filipina, dan Amerika Serikat itu disahkan dalam "
                         "sidang Dewan Gubernur di Wina pada Senin (1/12).")
    assert not [f for f in found if f[0] == "CONSULT"]
