"""Phrases that name no party, and clauses that name who made an act
(aliansi.extraction.parties), through the event stage on hand-built articles
(tests/extraction/event_articles.py)."""
import pytest

from aliansi.extraction.events import EventStage
from aliansi.model import Mention
from event_articles import article, events_of


def _with_org(text: str, name: str, code: str, language: str = "id"):
    a = article(text, language)
    start = text.index(name)
    a.mentions.append(Mention(start, start + len(name), name, "org", code, name))
    a.mentions.sort(key=lambda m: m.start)
    return EventStage()(a)


@pytest.mark.parametrize("text,language,name,code", [
    ("Defence ministers met at NATO headquarters in Brussels on Wednesday to discuss aid to Ukraine.",
     "en", "NATO", "NATO"),
    ("Para menteri pertahanan bertemu di Markas Besar PBB di New York untuk membahas bantuan ke Ukraina.",
     "id", "PBB", "UN"),
    ("Defence ministers met at the headquarters of the UN on Wednesday to discuss aid to Ukraine.",
     "en", "UN", "UN"),
])
def test_parties_an_organisation_named_as_the_venue_is_no_party(text, language, name, code):
    a = _with_org(text, name, code, language)
    assert not [e for e in a.events if code in e.source + e.target], a.events


def test_parties_a_meeting_at_a_venue_keeps_its_parties():
    a = _with_org("Japan and Britain met at NATO headquarters in Brussels on Wednesday.", "NATO", "NATO", "en")
    consult = [e for e in a.events if e.type == "CONSULT"]
    assert consult and all("NATO" not in e.source + e.target for e in consult)
    assert {"JPN", "GBR"} <= set(consult[0].source + consult[0].target)


@pytest.mark.parametrize("text", [
    # a currency named by its state
    "Jepang memberikan bantuan senilai 5 juta dolar AS kepada Filipina.",
    "Jepang menyetujui penjualan senjata senilai 2 miliar dolar AS ke Filipina pada Senin (1/12).",
    # a product's maker
    "Jepang akan mendanai pembelian rudal buatan Amerika Serikat senilai 5 juta dolar AS untuk Filipina.",
    "Jepang akan mendanai pembelian rudal buatan Amerika Serikat untuk Filipina.",
])
def test_parties_a_state_named_as_a_currency_or_a_maker_is_no_party(text):
    found, _ = events_of(text)
    assert not [f for f in found if "USA" in f[1] + f[2]], found
    assert any(s == ["JPN"] and g == ["PHL"] for _, s, g, h, n in found), found


@pytest.mark.parametrize("text,language,source,target", [
    ("Serangan yang dilakukan oleh Israel terhadap Gaza menewaskan lima orang.", "id", "ISR", "PSE"),
    ("Indonesia mengecam serangan yang dilakukan oleh Israel di tanah Malaysia.", "id", "ISR", "MYS"),
    ("Britain condemned an attack carried out by Russia against Ukraine.", "en", "RUS", "UKR"),
])
def test_parties_made_by_clause_names_the_agent(text, language, source, target):
    # "an attack carried out by X": the relative clause names who made the act,
    # not the sentence's subject nor the parse
    found, _ = events_of(text, language)
    assault = [(s, g) for t, s, g, h, n in found if t == "ASSAULT"]
    assert assault == [([source], [target])], found
