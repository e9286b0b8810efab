"""PLOVER event detection, the event stage: it runs the steps of this package
sentence by sentence.

- triggers: the words that name an act (`triggers`), with the hits inside actor
  names dropped;
- slots: the sentence's actor positions (`slots`);
- arguments: who did it to whom from the clause (`arguments`), the dependency parse
  first where it is on (`parse`, `roles`), the text before where the sentence leaves
  it implicit (`discourse`);
- modality: plans, conditions and denials flagged, promises and threats made events,
  the PLOVER mode and contexts (`modality`);
- dates: the time of its own clause, or one told relative to another event, else the
  occasion the text last dated (`dating`), from the time expressions of `dates`;
- places: the place nearest the trigger (`places`);
- merge: the meetings of one sentence joined (`merge`);
- agents: who inside each actor acted (`agents`).

Every event keeps its evidence sentence, the trigger, the rule that made it
and a confidence. An event whose date the text does not give has date None.
"""
from __future__ import annotations

import logging
import os
import re
from types import SimpleNamespace
from typing import Sequence

from ..model import Article, Event, Mention, Sentence, TimeExpression
from .agents import name_agents, persons_of
from .arguments import ArgumentRules, governing_act
from .dating import coordinated_times, date_agreements_by_talks, event_time, sentence_times
from .discourse import ANAPHORIC_SUBJECT, PLURAL_PRONOUN, Discourse
from .merge import join_consultations
from .modality import Modality, consult_mode
from .parse import parse, parse_many
from .places import nearest_place
from .roles import predicate_verb
from .slots import actor_slots
from .triggers import Hit, Trigger, find_triggers, load_triggers

log = logging.getLogger(__name__)

# built lexicons used by default (data/lexicon/<lang>.yaml; English as a fallback: see triggers.py)
DEFAULT_LEXICONS: tuple[str, ...] = ("id", "en")

# what lifting ends a military, not a political, restriction (PLOVER RETREAT, not CONCEDE)
MILITARY_RESTRICTION = re.compile(r"(?i)blockade|siege|blokade|pengepungan")


class EventStage:
    """Finds events sentence by sentence. Needs sentences, mentions, times, places."""

    name = "events"

    def __init__(self, *, triggers: list[Trigger] | None = None, context_window: int = 8,
                 lexicons: Sequence[str] = DEFAULT_LEXICONS, parser: bool | None = None):
        """`context_window`: how many sentences back an undated event may take the
        date of the last dated event, marked `date_basis="context"` (0 turns this off).
        `lexicons`: the languages whose built lexicons (data/lexicon/) join the hand one.
        `parser`: agents and patients from the packaged dependency parser (aliansi.extraction.roles)
        where it names them, the patterns deciding the rest. On by default
        (`ALIANSI_PARSER=off` turns it off): it raises both real-news halves
        (BENCHMARKS.md) for about 15 ms of CPU an article."""
        self.triggers = triggers if triggers is not None else load_triggers(lexicons=lexicons)
        self._by_lang: dict[str, list[Trigger]] = {}
        for trigger in self.triggers:
            self._by_lang.setdefault(trigger.lang, []).append(trigger)
        self.modality = Modality(self._by_lang)
        self.argument_rules = ArgumentRules(self._by_lang)
        self.context_window = context_window
        self.notes: list[tuple[int, Hit, str]] | None = None
        self.parser = parser if parser is not None else os.environ.get("ALIANSI_PARSER", "on") != "off"
        self._parses: dict = {}   # an article's parses, by sentence start
        self._hits: dict = {}     # and the trigger hits found on the way
        self.discourse: Discourse | None = None    # the article's, while it is read
        self.last_resolutions: list = []   # what the discourse supplied in the last article
        self.last_focus: str | None = None
        self._state_codes: set[str] | None = None
        self._earlier_persons: list[str] = []   # the actors of the persons named before a sentence

    def _note(self, sentence: Sentence, hits: list[Hit], reason: str) -> None:
        if self.notes is not None:
            self.notes.extend((sentence.start, hit, reason) for hit in hits)

    def explain(self, article: Article) -> list[dict]:
        """Sentence by sentence: each trigger found and the event it made, or why none."""
        self.notes = []
        try:
            article = self(article)
        finally:
            notes, self.notes = self.notes, None
        report = []
        for sentence in article.sentences:
            made = [e for e in article.events if e.evidence_spans[0] == (sentence.start, sentence.end)]
            missed = [{"trigger": h.text, "type": h.trigger.type, "why": why}
                      for start, h, why in notes if start == sentence.start]
            report.append({"sentence": sentence.text, "start": sentence.start,
                           "actors": [(m.text, m.actor) for m in article.mentions_in(sentence.start, sentence.end)
                                      if m.actor and m.salient],
                           "resolutions": [r for r in self.last_resolutions
                                           if sentence.start <= r.start < sentence.end],
                           "times": [(t.text, t.value) for t in article.times_in(sentence.start, sentence.end)],
                           "events": made, "not_events": missed})
        return report

    def __call__(self, article: Article) -> Article:
        lang = "en" if article.language == "en" else "id"
        triggers = self._by_lang.get(lang, [])
        events: list[Event] = []
        history: list = []      # events and acts without a target, in text order
        last_date: TimeExpression | None = None     # the last day the text named
        context: tuple[int, TimeExpression] | None = None   # (sentence index, date) of the last dated event
        article_actors = {m.actor for m in article.mentions if m.salient and m.actor}
        self._parses = self._parse_all(article, triggers, lang) if self.parser else {}
        self.discourse = Discourse(article, lang, self._states())
        self.argument_rules.in_focus = self.discourse.in_focus
        persons = sorted((m for m in article.mentions if m.kind == "person" and m.actor),
                         key=lambda m: m.start)
        for index, sentence in enumerate(article.sentences):
            self._earlier_persons = [m.actor for m in persons if m.end <= sentence.start]
            self.argument_rules.captor = lambda end=sentence.end: self.discourse.captor(end)
            self.argument_rules.claimant = lambda source, at=sentence.start: \
                self.discourse.claimant(source, at) if self.discourse is not None else None
            context_date = context[1] if context and index - context[0] <= self.context_window else None
            referents: list = []
            found = self.sentence_events(article, sentence, triggers, lang, last_date, context_date,
                                         history, referents, article_actors)
            events.extend(found)
            history.extend(found + referents)
            dated = [e for e in found if e.date_basis in ("sentence", "anaphoric") and e.date
                     and len(e.date) == 10 and not e.hypothetical and not e.negated]
            if not dated and (found or context is None) and sentence.kind != "dateline":
                # the sentence's own day: when its events took their dates from elsewhere, or
                # when no event has dated the text yet ("Para prajurit ... pada Senin (2/2)")
                dated = [SimpleNamespace(date=t.value, date_text=t.text)
                         for t in article.times_in(sentence.start, sentence.end)
                         if t.value and t.precision == "day"][:1]
            if dated:
                context = (index, TimeExpression(0, 0, dated[-1].date_text or "", dated[-1].date, "day",
                                                 rule="context"))
            times = [t for t in article.times_in(sentence.start, sentence.end)
                     if t.value and t.precision == "day"]
            if times:
                last_date = times[-1]
            elif dated:
                last_date = context[1]
        self._parses, self._hits = {}, {}
        self.last_resolutions, self.last_focus = self.discourse.resolutions, self.discourse.focus
        self.discourse = None
        article.events = events
        for event in article.events:
            name_agents(article, event)
        article.stages.append(self.name)
        return article

    def _states(self) -> set[str] | None:
        if self._state_codes is None:
            from ..kb import KnowledgeBase

            self._state_codes = set(KnowledgeBase.load().states)
        return self._state_codes

    def _parse_all(self, article: Article, triggers: list[Trigger], lang: str) -> dict:
        """The parses of the sentences that have a trigger, in one batch (a batch parses
        about twice as fast as one sentence at a time), by sentence start; a sentence
        naming no actor may still take its parties from the discourse."""
        self._hits = {s.start: find_triggers(s.text, triggers) for s in article.sentences}
        chosen = [s for s in article.sentences if self._hits[s.start]]
        parses = parse_many([s.text for s in chosen], lang)
        left = sum(doc is None for doc in parses)
        if left:
            log.info("article %s: %d of %d sentences with a trigger left to the patterns (no parse)",
                     article.id or "(no id)", left, len(chosen))
        return dict(zip((s.start for s in chosen), parses))

    def sentence_events(self, article: Article, sentence: Sentence, triggers: list[Trigger],
                        lang: str, last_date: TimeExpression | None,
                        context_date: TimeExpression | None = None,
                        earlier: Sequence = (), referents: list | None = None,
                        article_actors: set[str] | None = None) -> list[Event]:
        """The events of one sentence. `earlier` is what the text told before
        (events and acts without a target); acts without a target found here are
        added to `referents`."""
        referents = referents if referents is not None else []
        text = sentence.text
        names = [(m.start - sentence.start, m.end - sentence.start)
                 for m in article.mentions_in(sentence.start, sentence.end)]
        # a trigger word inside a name is part of the name ("Tentara Pembebasan Rakyat")
        stopped: list = [] if self.notes is not None else None
        found = self._hits.get(sentence.start) if stopped is None else None   # from _parse_all
        hits = [h for h in (found if found is not None else find_triggers(text, triggers, stopped))
                if not any(s <= h.start and h.end <= e for s, e in names)]
        for hit, why in stopped or ():
            self._note(sentence, [hit], why)
        if not hits:
            return []
        slots = actor_slots(article.mentions_in(sentence.start, sentence.end), sentence.start, text)
        if self.discourse is not None:
            # the parties the sentence leaves unnamed, from the document (aliansi.extraction.discourse)
            slots = self.discourse.slots(sentence, slots, self._earlier_persons, earlier)
        if not slots and not PLURAL_PRONOUN.search(text) and not ANAPHORIC_SUBJECT.match(text):
            self._note(sentence, hits, "the sentence names no actor")
            return []
        times, offsets = sentence_times(article, sentence, last_date)
        places = [p for p in article.places if sentence.start <= p.start < sentence.end]
        resolved = []
        # the parse, for the sentences that have a trigger and an actor (aliansi.extraction.parse)
        doc = self._parses.get(sentence.start) if sentence.start in self._parses \
            else parse(text, lang) if self.parser else None
        if doc is not None:
            # a fallback lexicon's patterns are verb phrases (PETRARCH matches the CAMEO
            # dictionary on the parse's verbs): its word read as a noun, an adjective or part
            # of a preposition ("transport aircraft", "according to") is no trigger
            verbless = [h for h in hits if h.trigger.fallback and not predicate_verb(doc, h.start, h.end)]
            if verbless:
                self._note(sentence, verbless, "a fallback pattern on a word the parse reads as no verb")
                hits = [h for h in hits if h not in verbless]
        if article_actors is None:
            article_actors = {m.actor for m in article.mentions if m.salient and m.actor}
        # organisations named as a summit's host even where not salient ("KTT NATO")
        orgs = [Mention(m.start - sentence.start, m.end - sentence.start, m.text, m.kind, m.actor, m.name)
                for m in article.mentions_in(sentence.start, sentence.end) if m.kind == "org" and m.actor]
        local: list[SimpleNamespace] = []
        referring: list[Hit] = []     # nouns naming an act told before: no heads of plans
        undone: dict[int, Hit] = {}   # a verb that undoes an act: the act it undoes
        found_by: dict[int, str] = {}  # a trigger: where its agent and patient came from
        place_states = [(p.start - sentence.start, p.country) for p in places if p.country]
        for i, hit in enumerate(hits):
            governor = governing_act(hit, hits[:i], text)
            if governor is not None:
                undone[id(governor)] = hit
            roles = self.argument_rules.find(hit, slots, text, lang, list(earlier) + local, article_actors,
                                             [h.end for h in hits[:i]], governor, orgs, hits,
                                             place_states, doc)
            found_by[id(hit)] = self.argument_rules.roles_rule
            if isinstance(roles, str):
                self._note(sentence, [hit], roles)
                if roles.startswith("the noun refers back"):
                    referring.append(hit)
                continue
            source, target, how = roles
            if how == "focus-patient" and self.discourse is not None:
                self.discourse.note(sentence, hit, target, how, "the patient of a passive left unnamed: "
                                    f"the state in focus, {', '.join(target)}")
            if how == "anaphoric-claim" and self.discourse is not None:
                self.discourse.note(sentence, hit, target, how, "a denied statement told before: "
                                    f"made by {', '.join(target)} about {', '.join(source)}")
            if how == "untargeted":
                # no event, but something later text may refer to ("mengecam peluncuran itu")
                self._note(sentence, [hit], f"no actor other than {', '.join(source)} stands as its target")
                referent = SimpleNamespace(type=hit.trigger.type, source=source, target=[],
                                           hypothetical=False, negated=False, mode=None)
                local.append(referent)
                referents.append(referent)
                continue
            if how == "reciprocal":    # "Russia and Ukraine each freed ...": one event each way
                for actor in source:
                    resolved.append((i, hit, ([actor], [a for a in source if a != actor], how)))
            else:
                resolved.append((i, hit, roles))
            local.append(SimpleNamespace(type=hit.trigger.type, source=source, target=target,
                                         hypothetical=False, negated=False))
        acting = [hit for _, hit, _ in resolved]
        events = []
        for i, hit, (source, target, how) in resolved:
            heads = [h for h in hits[:i] if h not in referring]
            hypothetical, negated = self.modality.flags(hit, heads, text, lang)
            time, date_basis = event_time(hit, acting, hits, times, offsets, context_date,
                                          sentence.start, text)
            place = nearest_place(hit, places, sentence.start)
            kind = hit.trigger.type
            if kind == "CONCEDE" and id(hit) in undone and MILITARY_RESTRICTION.search(undone[id(hit)].text):
                kind = "RETREAT"     # "lifted a blockade", "mencabut blokade": a military de-escalation
            mode = hit.trigger.mode or self.modality.mode_of(kind, hit.text, text)
            if hit.trigger.type == "CONSULT" and mode is None:
                mode = consult_mode(text, source + target)
                if mode is None and place and place.country in source + target and len(source + target) == 2:
                    # a meeting on one party's ground is the other party's visit
                    mode = "visit"
                    source, target = [a for a in source + target if a != place.country], [place.country]
            confidence = hit.trigger.confidence + (0.15 if how in ("direct", "mediator") else -0.1)
            for time in coordinated_times(time, times, sentence.start, text):
                events.append(Event(
                    type=kind, source=source, target=target,
                    evidence=text, evidence_spans=[(sentence.start, sentence.end)],
                    mode=mode, context=self.modality.contexts(hit.trigger, text),
                    date=time.value if time else None,
                    date_precision=time.precision if time else None,
                    date_text=time.text if time else None,
                    date_basis=date_basis if time else None,
                    location=place.name if place else None,
                    location_country=place.country if place else None,
                    hypothetical=hypothetical, negated=negated,
                    confidence=max(0.05, min(0.95, confidence)),
                    trigger=hit.text, rule=f"{hit.trigger.rule}:{found_by[id(hit)]}:{how}",
                    source_persons=persons_of(slots, source, hit),
                    target_persons=[]))
        date_agreements_by_talks(events)
        return join_consultations(events + self.modality.promises(events, text, lang))
