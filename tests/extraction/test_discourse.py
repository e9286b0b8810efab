"""What a sentence leaves to the text before it (aliansi.extraction.discourse), through
the event stage on hand-built articles (tests/extraction/event_articles.py)."""
import pytest

from aliansi.extraction.events import EventStage
from aliansi.model import Mention
from event_articles import article, events_of


def test_discourse_condemning_that_attack_targets_its_agent():
    _, a = events_of("Rusia menyerang Ukraina pada Senin (1/12). Polandia mengecam serangan itu.")
    accuse = next(e for e in a.events if e.type == "ACCUSE")
    assert accuse.source == ["POL"] and accuse.target == ["RUS"]
    assert not [e for e in a.events if e.type == "ASSAULT" and e.source == ["POL"]]


def test_discourse_a_denial_answers_the_accuser():
    _, a = events_of("Filipina menuduh China melanggar hukum. China membantah tuduhan tersebut.")
    reject = next(e for e in a.events if e.type == "REJECT")
    assert reject.source == ["CHN"] and reject.target == ["PHL"]


@pytest.mark.parametrize("text,language,denial", [
    ("Indonesia mengecam serangan Israel ke Gaza. Israel menyatakan serangan itu menyasar anggota Hamas. "
     "Hamas membantah tuduhan tersebut.", "id", (["PSE"], ["ISR"])),
    ("Jordan condemned Russia over the drills. Russia said Britain had staged the incident. "
     "Britain denied the claims.", "en", (["GBR"], ["RUS"])),
])
def test_discourse_a_denied_statement_answers_whoever_made_it(text, language, denial):
    # one denies what was said against oneself: the target is who said it, not the
    # agent of another accusation told before (Indonesia's, Jordan's)
    stage = EventStage()
    a = stage(article(text, language))
    reject = next(e for e in a.events if e.type == "REJECT")
    assert (reject.source, reject.target) == denial and reject.rule.endswith(":anaphoric-claim")
    claim = [r for r in stage.last_resolutions if r.kind == "anaphoric-claim"]
    assert [r.actors for r in claim] == [denial[1]] and "denied statement" in claim[0].reason


def test_discourse_a_denied_statement_about_another_is_not_its_referent():
    # "Rusia menyatakan ... Jepang": a statement about another party is not what China denies
    _, a = events_of("Filipina menuduh China melanggar hukum. Rusia menyatakan Jepang bersalah. "
                     "China membantah tuduhan tersebut.")
    reject = next(e for e in a.events if e.type == "REJECT")
    assert reject.source == ["CHN"] and reject.target == ["PHL"]


@pytest.mark.parametrize("text,language", [
    ("Kunjungan tersebut berlangsung di tengah ketegangan antara Jepang dan Tiongkok.", "id"),
    ("China and the United States welcomed the agreement.", "en"),
])
def test_discourse_a_noun_that_refers_back_is_no_new_event(text, language):
    found, _ = events_of(text, language)
    assert not [f for f in found if f[0] in ("CONSULT", "AGREE")]


def test_discourse_they_agreed_are_those_who_met():
    _, a = events_of("Presiden Prabowo menerima kunjungan Perdana Menteri Malaysia Anwar Ibrahim pada Kamis (22/1). "
                     "Mereka sepakat memperkuat kerja sama maritim.")
    agree = next(e for e in a.events if e.type == "AGREE")
    assert set(agree.source + agree.target) == {"IDN", "MYS"}
    assert agree.date == "2026-01-22"


def test_discourse_a_request_refused_in_the_passive_answers_its_maker():
    _, a = events_of("Vietnam meminta Indonesia melepaskan kapal-kapal itu. Permintaan tersebut ditolak.")
    reject = next(e for e in a.events if e.type == "REJECT")
    assert reject.source == ["IDN"] and reject.target == ["VNM"] and not reject.hypothetical


def test_discourse_welcoming_the_agreement_supports_both_parties():
    _, a = events_of("Thailand and Cambodia agreed on Wednesday to extend the ceasefire. "
                     "Japan welcomed the agreement.", "en")
    support = next(e for e in a.events if e.type == "SUPPORT")
    assert support.source == ["JPN"] and set(support.target) == {"THA", "KHM"}


def test_discourse_condemning_that_launch_targets_the_launcher():
    a = article("Korea Utara meluncurkan dua rudal balistik ke laut pada Selasa (6/1). "
                "Jepang mengecam peluncuran itu.")
    a.mentions.append(Mention(0, 11, "Korea Utara", "state", "PRK", "North Korea"))
    a.mentions.sort(key=lambda m: m.start)
    a = EventStage()(a)
    accuse = next(e for e in a.events if e.type == "ACCUSE")
    assert accuse.source == ["JPN"] and accuse.target == ["PRK"]


def test_discourse_its_own_act_told_before_keeps_its_target():
    _, a = events_of("Jepang menggugat Tiongkok di mahkamah internasional. "
                     "Jepang mengajukan gugatan tersebut pada 2022 dengan dukungan Filipina.")
    accusations = [e for e in a.events if e.type == "ACCUSE"]
    assert accusations and all(e.target == ["CHN"] for e in accusations)


# ---- the document's actors in focus (Discourse) ------------------------------------------

from aliansi.extraction.discourse import Discourse  # noqa: E402


def test_focus_is_the_state_the_text_is_about():
    a = article("Indonesia memanggil duta besar Malaysia pada Senin (1/12). Indonesia menuntut penjelasan. "
                "Indonesia juga mengirim nota protes.")
    assert Discourse(a, "id").focus == "IDN"


def test_no_focus_when_two_states_share_the_text():
    a = article("Jepang dan Filipina bertemu. Jepang dan Filipina sepakat bekerja sama.")
    assert Discourse(a, "id").focus is None


def test_first_person_in_a_quotation_is_the_speaker():
    _, a = events_of("“Kami mendukung Filipina sepenuhnya,” kata Prabowo.")
    support = next(e for e in a.events if e.type == "SUPPORT")
    assert support.source == ["IDN"] and support.target == ["PHL"]


def test_first_person_in_an_english_quotation_is_the_speaker():
    _, a = events_of("“We accuse Jordan of breaking the deal,” Britain said.", "en")
    accuse = next(e for e in a.events if e.type == "ACCUSE")
    assert accuse.source == ["GBR"] and accuse.target == ["JOR"]


def test_first_person_outside_a_quotation_stays_unresolved():
    _, a = events_of("Kami mendukung Filipina sepenuhnya.")
    assert not [e for e in a.events if e.type == "SUPPORT"]


def test_an_unnamed_body_is_of_the_state_in_focus():
    _, a = events_of("Indonesia memanggil duta besar Malaysia pada Senin (1/12). Indonesia menuntut penjelasan. "
                     "Indonesia mengirim nota. Pemerintah juga mengecam tindakan itu.")
    accuse = [e for e in a.events if e.type == "ACCUSE"]
    assert accuse and accuse[-1].source == ["IDN"] and accuse[-1].target == ["MYS"]


def test_an_unnamed_body_of_a_state_named_after_it_is_not_resolved():
    stage = EventStage()
    a = stage(article("Indonesia memanggil duta besar Malaysia pada Senin (1/12). Indonesia menuntut penjelasan. "
                      "Indonesia mengirim nota. Juru bicara dari Kedutaan Jepang mengecam Malaysia."))
    assert not [r for r in stage.last_resolutions if r.kind == "unnamed-body"]


def test_the_unnamed_patient_of_a_bare_passive_is_the_state_in_focus():
    _, a = events_of("Indonesia memprotes Malaysia pada Senin (1/12). Indonesia menuntut penjelasan. "
                     "Indonesia mengirim nota. Indonesia memanggil duta besarnya. Dua nelayan ditangkap aparat Malaysia di perairan Natuna.")
    coerce = next(e for e in a.events if e.type == "COERCE")
    assert coerce.source == ["MYS"] and coerce.target == ["IDN"]
    assert coerce.rule.endswith(":focus-patient")


def test_explain_shows_each_resolution_and_its_reason():
    stage = EventStage()
    report = stage.explain(article("“Kami mendukung Filipina sepenuhnya,” kata Prabowo."))
    resolutions = [r for row in report for r in row["resolutions"]]
    assert [(r.text, r.actors, r.kind) for r in resolutions] == [("Kami", ["IDN"], "speaker")]
    assert "quotation" in resolutions[0].reason


def test_the_unnamed_patient_is_the_state_in_focus_other_than_the_agent():
    _, a = events_of("Malaysia memperketat perbatasan pada Senin (1/12). Malaysia menambah patroli. "
                     "Malaysia juga memeriksa kapal Indonesia. Dua nelayan ditangkap aparat Malaysia.")
    coerce = next(e for e in a.events if e.type == "COERCE" and e.rule.endswith(":focus-patient"))
    assert coerce.source == ["MYS"] and coerce.target == ["IDN"]


def test_no_unnamed_patient_without_a_state_in_focus():
    _, a = events_of("Jepang dan Filipina bertemu. Jepang dan Filipina sepakat. Dua nelayan ditangkap aparat Malaysia.")
    assert not [e for e in a.events if e.type == "COERCE"]


def test_both_sides_are_the_pair_in_focus():
    text = "Rusia menyerang Ukraina pada Senin (1/12). Jepang meminta kedua pihak menghentikan pertempuran."
    a = article(text)
    at = text.index("kedua pihak")
    for code in ("POL", "UKR"):    # the pair the recogniser guessed from the names it counted
        a.mentions.append(Mention(at, at + len("kedua pihak"), "kedua pihak", "state", code, code,
                                  rule="coref-pair"))
    a.mentions.sort(key=lambda m: m.start)
    stage = EventStage()
    a = stage(a)
    request = next(e for e in a.events if e.type == "REQUEST")
    assert request.source == ["JPN"] and set(request.target) == {"RUS", "UKR"}
    assert [r.kind for r in stage.last_resolutions] == ["pair"]


def test_discourse_captives_released_without_an_agent_by_the_group_told_of():
    # "sandera ... dibebaskan" names no agent: the armed group the text told of holds them
    from aliansi.extraction.events import EventStage
    from aliansi.model import Mention
    from event_articles import article
    text = ("Kelompok Abu Sayyaf menculik tujuh awak kapal Indonesia di perairan Sulu. "
            "Dua sandera Indonesia dibebaskan pada Senin (1/12).")
    a = article(text)
    start = text.index("Abu Sayyaf")
    a.mentions.append(Mention(start, start + 10, "Abu Sayyaf", "group", "PHL", "Abu Sayyaf"))
    a.mentions.sort(key=lambda m: m.start)
    released = [e for e in EventStage()(a).events if e.type == "CONCEDE"]
    assert [(e.source, e.target) for e in released] == [(["PHL"], ["IDN"])]


@pytest.mark.parametrize("own", ["memperkuat kemampuan pertahanan mandirinya", "mengerahkan armadanya sendiri"])
def test_discourse_an_act_on_ones_own_means_takes_no_target_from_the_text(own):
    # a reflexive object (its own forces, "mandirinya", "-nya sendiri") names no other
    # party: the counterpart of the last act is not its target
    _, a = events_of(f"China menggelar latihan militer di dekat Filipina pada Senin (1/12). Filipina akan {own}.")
    assert not [e for e in a.events if e.source == ["PHL"]]
    # without the reflexive the act answers the drills
    _, a = events_of("China menggelar latihan militer di dekat Filipina pada Senin (1/12). "
                     "Filipina akan memperkuat kemampuan pertahanannya.")
    assert [e for e in a.events if e.source == ["PHL"] and e.target == ["CHN"] and e.type == "THREATEN"]
