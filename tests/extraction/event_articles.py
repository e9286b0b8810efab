"""Hand-built articles for the tests of the event stage: the actor mentions and
times are made here (a fixed table of names and expressions), so that the tests
exercise the event rules alone."""
import re

from aliansi.extraction.events import EventStage
from aliansi.extraction.merge import MergeStage
from aliansi.model import Article, Mention, TimeExpression
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
