"""Actor slots and the subject of a verb (aliansi.extraction.slots), through the event
stage on hand-built articles (tests/extraction/event_articles.py)."""
import pytest

from event_articles import events_of


def test_slots_verb_after_an_object_takes_it_as_agent():
    _, a = events_of("Thailand menuduh pasukan Kamboja menembakkan roket ke Thailand.")
    assault = next(e for e in a.events if e.type == "ASSAULT")
    accuse = next(e for e in a.events if e.type == "ACCUSE")
    assert assault.source == ["KHM"] and accuse.source == ["THA"] and accuse.target == ["KHM"]


def test_slots_a_comma_alone_makes_no_list_of_actors():
    _, a = events_of("Karena tidak memiliki hubungan dengan Israel, Indonesia menyampaikan protes melalui PBB. ")
    assert not [e for e in a.events if "ISR" in e.source]


@pytest.mark.parametrize("text, spans", [
    ("Tentara Nasional Indonesia (TNI) Angkatan Darat dan Angkatan Darat Amerika Serikat menggelar latihan",
     [("Tentara Nasional Indonesia", "IDN"), ("TNI", "IDN"), ("Angkatan Darat Amerika Serikat", "USA")]),
    # the list goes on after the abbreviation's closing parenthesis
    ("Jepang, Amerika Serikat (AS), Australia, dan Filipina telah melakukan latihan bersama",
     [("Jepang", "JPN"), ("Amerika Serikat", "USA"), ("AS", "USA"), ("Australia", "AUS"), ("Filipina", "PHL")]),
])
def test_slots_a_name_and_its_abbreviation_are_one_conjunct(text, spans):
    from aliansi.extraction.slots import Slot, coordinated_groups
    slots = [Slot(text.index(name), text.index(name) + len(name), [code]) for name, code in spans]
    assert coordinated_groups(slots, text) == [slots]
