"""Agents and patients from the dependency parse (aliansi.extraction.roles), on sentences
written for these tests as grammar examples: passive with "oleh", control,
coordination, relative clauses, the possessor of an event noun."""
import re

import pytest

from aliansi.extraction import parse, roles
from aliansi.extraction.events import EventStage
from aliansi.extraction.slots import actor_slots
from aliansi.model import Article, Mention
from aliansi.sentences import split

pytest.importorskip("spacy")
pytestmark = pytest.mark.skipif(not parse.available("id"), reason="no packaged Indonesian parser")

ACTORS = {
    "Jepang": "JPN", "Amerika Serikat": "USA", "Tiongkok": "CHN", "Filipina": "PHL", "Israel": "ISR",
    "Indonesia": "IDN", "Malaysia": "MYS", "Rusia": "RUS", "Ukraina": "UKR", "Vietnam": "VNM",
    "Australia": "AUS", "Korea Utara": "PRK", "Korea Selatan": "KOR", "Iran": "IRN", "Gaza": "PSE",
    "China": "CHN", "Vietnamese": "VNM", "Japan": "JPN",
}


def article(text: str) -> Article:
    a = Article(text=text, language="id", published="2026-01-23")
    a.sentences = split(text)
    for name, code in ACTORS.items():
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            if not any(o.start <= m.start() < o.end for o in a.mentions):
                a.mentions.append(Mention(m.start(), m.end(), name, "state", code, name))
    a.mentions.sort(key=lambda m: m.start)
    return a


def parsed_roles(text: str, trigger: str, lang: str = "id", **kw):
    """(agent actors, patient actors, how) the parse gives the trigger word."""
    a = article(text)
    doc = parse.parse(text, lang)
    assert doc is not None
    start = text.index(trigger)
    found = roles.arguments(doc, start, start + len(trigger), actor_slots(a.mentions, 0, text), **kw)
    codes = lambda group: sorted({c for s in group or () for c in s.actors})
    return codes(found.agent), codes(found.patient), found.agent_how, found.patient_how


def test_active_subject_and_object():
    agent, patient, how, _ = parsed_roles("Rusia menyerang Ukraina pada Selasa malam.", "menyerang")
    assert (agent, patient, how) == (["RUS"], ["UKR"], "nsubj")


def test_passive_with_oleh_makes_the_by_phrase_the_agent():
    agent, patient, how, patient_how = parsed_roles(
        "Kapal nelayan Vietnam ditangkap oleh Tiongkok di dekat kepulauan itu.", "ditangkap")
    assert (agent, patient) == (["CHN"], ["VNM"])
    assert how in ("obl:agent", "oleh") and patient_how == "nsubj:pass"


def test_an_agent_phrase_makes_a_verb_passive_under_another_verb():
    # "berhasil dibebaskan oleh X": the subject hangs on "berhasil", the agent on the verb
    agent, _, how, _ = parsed_roles(
        "Dua nelayan berhasil dibebaskan terlebih dulu oleh aparat keamanan Filipina pada 12 Juni.", "dibebaskan")
    assert agent == ["PHL"] and how in ("obl:agent", "oleh")


def test_object_control_the_one_asked_acts():
    # "X meminta Y untuk V": Y does V
    agent, _, how, _ = parsed_roles(
        "Amerika Serikat meminta Rusia untuk menarik pasukannya dari Ukraina.", "menarik")
    assert agent == ["RUS"] and how == "control-obj"
    agent, patient, _, _ = parsed_roles(
        "Amerika Serikat meminta Rusia untuk menarik pasukannya dari Ukraina.", "meminta")
    assert (agent, patient) == (["USA"], ["RUS"])


def test_coordinated_subjects_act_together():
    agent, _, how, _ = parsed_roles(
        "Malaysia dan Indonesia mengutuk serangan Israel terhadap Gaza.", "mengutuk")
    assert (agent, how) == (["IDN", "MYS"], "nsubj")
    agent, patient, _, _ = parsed_roles(
        "Malaysia dan Indonesia mengutuk serangan udara Israel terhadap rakyat Gaza.", "serangan", nominal=True)
    assert (agent, patient) == (["ISR"], ["PSE"])


def test_a_target_right_after_a_named_object_is_the_objects():
    # the parser hangs "terhadap Gaza" on the verb; it names what Israel attacked
    _, patient, _, _ = parsed_roles("Malaysia dan Indonesia mengutuk serangan Israel terhadap Gaza.", "mengutuk")
    assert patient == ["ISR"]
    # an object naming no actor keeps the target for its verb
    _, patient, _, _ = parsed_roles("Jepang mengirim kapal perang ke Filipina.", "mengirim")
    assert patient == ["PHL"]


def test_relative_clause_the_noun_it_modifies_is_the_agent():
    agent, patient, how, _ = parsed_roles(
        "Kapal perang Tiongkok yang mengusir nelayan Filipina terlihat di dekat beting itu.", "mengusir")
    assert (agent, patient, how) == (["CHN"], ["PHL"], "relcl")


def test_event_noun_takes_its_genitive_and_its_prepositional_target():
    agent, patient, _, patient_how = parsed_roles(
        "Serangan Rusia terhadap Ukraina menewaskan 12 orang.", "Serangan", nominal=True)
    assert (agent, patient, patient_how) == (["RUS"], ["UKR"], "nmod:terhadap")


def test_light_verb_lends_its_subject_to_the_event_noun():
    agent, patient, how, _ = parsed_roles(
        "Jepang menggelar pertemuan dengan Australia di Tokyo.", "pertemuan", nominal=True, symmetric=True)
    assert (agent, patient, how) == (["JPN"], ["AUS"], "light-verb")


def test_extraction_names_the_parse_in_the_rule():
    a = EventStage(parser=True)(article("Kapal nelayan Vietnam ditangkap oleh Tiongkok di dekat kepulauan itu."))
    coerced = [e for e in a.events if e.type == "COERCE"]
    assert coerced and coerced[0].source == ["CHN"] and coerced[0].target == ["VNM"]
    assert "agent=parse/" in coerced[0].rule and "patient=parse/nsubj:pass" in coerced[0].rule
    plain = EventStage(parser=False)(article("Kapal nelayan Vietnam ditangkap oleh Tiongkok."))
    assert all("agent=pattern;patient=pattern" in e.rule for e in plain.events)


def test_the_actor_inside_the_subject_noun_phrase_is_the_agent():
    # the subject is "Pasukan"; its noun phrase names the actor
    a = EventStage(parser=True)(article("Pasukan Rusia kembali menyerang Ukraina pada Selasa malam."))
    attack = next(e for e in a.events if e.type == "ASSAULT")
    assert attack.source == ["RUS"] and attack.target == ["UKR"]


@pytest.mark.skipif(not parse.available("en"), reason="no packaged English parser")
def test_english_passive_with_by():
    agent, patient, how, patient_how = parsed_roles(
        "Vietnamese fishermen were detained by China near the islands.", "detained", lang="en")
    assert (agent, patient, how, patient_how) == (["CHN"], ["VNM"], "obl:agent", "nsubj:pass")


@pytest.mark.skipif(not parse.available("en"), reason="no packaged English parser")
def test_english_event_noun_with_possessor_and_target():
    agent, patient, how, patient_how = parsed_roles(
        "China's sanctions against Japan took effect on Monday.", "sanctions", lang="en", nominal=True)
    assert (agent, patient, how, patient_how) == (["CHN"], ["JPN"], "poss", "nmod:against")


def test_a_relative_clause_on_a_di_verb_describes_its_patient():
    # "yang ditangkap": whatever relation the parser gives "yang", the noun underwent the arrest
    agent, patient, _, patient_how = parsed_roles(
        "Dua anggota marinir Indonesia yang ditangkap di Malaysia diadili pekan ini.", "ditangkap")
    assert agent == [] and patient == ["IDN"] and patient_how in ("relcl", "nsubj:pass")


@pytest.mark.skipif(not parse.available("en"), reason="no packaged English parser")
def test_a_judgement_in_reported_speech_judges_its_subject():
    # a copular predicate of judgement: its subject is what is judged, the speaker judges
    text = "A Vietnamese spokeswoman told reporters on Friday that China's claims were inconsistent with the facts."
    agent, patient, how, patient_how = parsed_roles(text, "inconsistent with the facts", lang="en",
                                                    judgement=True)
    assert (agent, patient, how, patient_how) == (["VNM"], ["CHN"], "speaker", "cop-subject")
    # without a judgement (a copular predicate of willingness), the subject still acts
    agent, _, how, _ = parsed_roles("Japan is willing to send material to the Philippines.",
                                    "willing", lang="en")
    assert agent == ["JPN"]


def test_an_event_noun_after_a_copula_is_the_speakers_judgement():
    # "X merupakan pelanggaran ...": the copula's subject is what is judged, never the
    # agent; who says so ("..., kata X") judges
    text = '"Serangan Israel merupakan pelanggaran terhadap hukum internasional," kata Menteri Luar Negeri Indonesia.'
    agent, patient, how, patient_how = parsed_roles(text, "pelanggaran", nominal=True, judgement=True)
    assert (agent, patient, how, patient_how) == (["IDN"], ["ISR"], "speaker", "cop-subject")
    # a red line said of a matter is the speaker's, aimed at no one the subject names
    text = '"Masalah Taiwan adalah garis merah yang tidak boleh dilanggar," kata juru bicara Kementerian Luar Negeri China.'
    agent, patient, how, _ = parsed_roles(text, "garis merah", nominal=True, stance=True)
    assert (agent, patient, how) == (["CHN"], [], "speaker")
