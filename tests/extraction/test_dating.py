"""An event's date (aliansi.extraction.dating), through the event stage on hand-built
articles (tests/extraction/event_articles.py)."""
import re

import pytest

from aliansi.extraction.events import EventStage
from aliansi.model import TimeExpression
from event_articles import article, events_of


def test_dating_date_from_own_sentence_never_from_publication():
    found, a = events_of("Tiongkok menjatuhkan sanksi terhadap Jepang. "
                         "Jepang memprotes Tiongkok pada Senin (1/12).")
    by_type = {e.type: e for e in a.events}
    assert by_type["SANCTION"].date is None
    assert by_type["PROTEST"].date == "2025-12-01" and by_type["PROTEST"].date_precision == "day"


def test_dating_same_day_refers_to_the_last_date():
    _, a = events_of("Bakamla menangkap kapal Vietnam pada Rabu (12/11).\n"
                     "Pada hari yang sama, Vietnam memprotes Indonesia.")
    protest = next(e for e in a.events if e.type == "PROTEST")
    assert protest.date == "2025-11-12" and protest.date_basis == "anaphoric"


@pytest.mark.parametrize("text,language,event_type,expected", [
    # the strike told after "a day after" came a day before the sentence's own day
    ("Jordan and Britain met on Wednesday, a day after Russia struck Ukraine.", "en", "ASSAULT", "2026-01-20"),
    # an opening "a day before X" dates the main clause against the day the text last named
    ("Thailand menyerang Kamboja pada Rabu (12/11).\nSehari sebelum serangan itu, Malaysia bertemu Thailand.",
     "id", "CONSULT", "2025-11-11"),
])
def test_dating_dates_told_relative_to_another_event(text, language, event_type, expected):
    a = article(text, language)
    for m in re.finditer(r"a day after|Sehari sebelum", text):
        sign = "+" if "after" in m.group() else "-"
        a.times.append(TimeExpression(m.start(), m.end(), m.group(), None, None, rule=f"event_offset:{sign}1d"))
    a.times.sort(key=lambda t: t.start)
    a = EventStage()(a)
    event = next(e for e in a.events if e.type == event_type)
    assert event.date == expected


def test_dating_a_word_the_verb_acts_on_does_not_block_its_date():
    # "yang disepakati" only qualifies the line withdrawn to; the date is the withdrawal's
    _, a = events_of("Militer Israel telah menarik pasukannya ke garis yang disepakati di dalam Gaza "
                     "pada Senin (1/12).")
    retreat = next(e for e in a.events if e.type == "RETREAT")
    assert retreat.date == "2025-12-01"


def test_dating_a_quoted_statement_takes_its_attributions_date():
    # a quoted condemnation is made when the attribution says it was said, even with
    # another act between them
    _, a = events_of('"Indonesia mengecam keras serangan Israel terhadap Gaza," '
                     'ujar juru bicara itu pada Senin (1/12).')
    assert next(e for e in a.events if e.type == "ACCUSE").date == "2025-12-01"


def test_dating_an_act_at_coordinated_times_is_one_event_at_each():
    # "pada Juni dan September": two patrols, one event each
    text = "Indonesia dan Filipina menggelar patroli bersama pada Juni dan September."
    a = article(text)
    for word, value in (("Juni", "2025-06"), ("September", "2025-09")):
        start = text.index(word)
        a.times.append(TimeExpression(start, start + len(word), word, value, "month", rule="month"))
    a = EventStage()(a)
    assert sorted(e.date for e in a.events if e.type == "COOPERATE") == ["2025-06", "2025-09"]
