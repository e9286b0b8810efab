"""One event per occurrence within a document (EVENTS.md §4).

Events of one type between the same actors merge when their dates do not
contradict (equal, one inside the other, or one unknown); the merged event
keeps the most precise date and every evidence sentence; each event's confidence is
then its calibrated probability (aliansi.extraction.confidence), which counts the
corroboration. Two dated occurrences on
different dates stay two events. Flagged events merge only with flagged ones.

Within one sentence, the meetings of the same parties are one meeting
(`join_consultations`, run by the event stage).
"""
from __future__ import annotations

from ..model import SYMMETRIC_TYPES, Article, Event
from .arguments import MEDIATION
from .confidence import calibrated
from .slots import unique

CONSULT_MODE_PRIORITY = ["third-party", "phone", "visit", "multilateral"]


def event_key(event: Event) -> tuple:
    if event.type in SYMMETRIC_TYPES:
        actors: tuple = (frozenset(event.source) | frozenset(event.target),)
    else:
        actors = (frozenset(event.source), frozenset(event.target))
    return (event.type, *actors, event.hypothetical, event.negated)


def dates_compatible(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    return a == b or a.startswith(b + "-") or b.startswith(a + "-")


def _precision(date: str | None) -> int:
    return len(date) if date else 0


def merge_into(kept: Event, other: Event) -> None:
    if _precision(other.date) > _precision(kept.date):
        kept.date, kept.date_precision, kept.date_text = other.date, other.date_precision, other.date_text
        kept.evidence = other.evidence   # the sentence that states the date
    for span in other.evidence_spans:
        if span not in kept.evidence_spans:
            kept.evidence_spans.append(span)
    if kept.location is None and other.location:
        kept.location, kept.location_country = other.location, other.location_country
    if kept.mode is None and other.mode:
        kept.mode = other.mode
    kept.context = list(dict.fromkeys(kept.context + other.context))
    kept.source_persons = list(dict.fromkeys(kept.source_persons + other.source_persons))
    kept.target_persons = list(dict.fromkeys(kept.target_persons + other.target_persons))
    kept.source_agents = _fuller(kept.source_agents, other.source_agents)
    kept.target_agents = _fuller(kept.target_agents, other.target_agents)


def _fuller(kept: list[dict], other: list[dict]) -> list[dict]:
    """Per actor, the naming that says who inside it acted, where one report says more."""
    by_actor = {a["actor"]: a for a in other if a.get("agent") or a.get("sector")}
    return [a if (a.get("agent") or a.get("sector")) else by_actor.get(a["actor"], a) for a in kept]


class MergeStage:
    """Merges an article's reports of one event and gives each its calibrated
    confidence (aliansi.extraction.confidence); `min_confidence` drops the events
    below it."""
    name = "merge"

    def __init__(self, *, min_confidence: float = 0.0):
        self.min_confidence = min_confidence

    def __call__(self, article: Article) -> Article:
        article.events = merge(article.events)
        for event in article.events:
            event.confidence = calibrated(event)
        article.events = [e for e in article.events if e.confidence >= self.min_confidence]
        article.stages.append(self.name)
        return article


def merge(events: list[Event]) -> list[Event]:
    kept: list[Event] = []
    # dated events first, so an undated mention joins a dated occurrence
    for event in sorted(events, key=lambda e: -_precision(e.date)):
        key = event_key(event)
        match = next((k for k in kept if event_key(k) == key
                      and dates_compatible(k.date, event.date)), None)
        if match is None:
            kept.append(event)
        else:
            merge_into(match, event)
    kept.sort(key=lambda e: e.evidence_spans[0])
    return kept


def join_consultations(events: list[Event]) -> list[Event]:
    """One sentence, one meeting: the CONSULT events of a sentence whose actors
    overlap, or that a mediator joins, become one with all the parties."""
    consults = [e for e in events if e.type == "CONSULT" and not e.hypothetical and not e.negated]
    if len(consults) < 2:
        return events
    # a mediator the text names as such ("dengan X sebagai penengah") before one a
    # mediation word's own clause gives
    mediated = [e for e in consults if e.rule.endswith(":mediator")] or \
        [e for e in consults if MEDIATION.search(e.trigger)]
    joined = consults[0]
    members = unique(a for e in consults for a in e.source + e.target)
    if mediated:
        mediators = unique(a for e in mediated for a in e.source)
        joined.source = mediators
        joined.target = [a for a in members if a not in mediators]
    else:
        joined.target = [a for a in members if a not in joined.source]
    modes = [e.mode for e in consults if e.mode]
    joined.mode = min(modes, key=CONSULT_MODE_PRIORITY.index) if modes else None
    if not joined.date:
        dated = next((e for e in consults if e.date), None)
        if dated:
            joined.date, joined.date_precision = dated.date, dated.date_precision
            joined.date_text, joined.date_basis = dated.date_text, dated.date_basis
    return [e for e in events if e not in consults[1:]]
