"""What a sentence leaves to the text before it: a noun naming an event already told
("serangan itu"), a target the context gives ("Hamas membantah tuduhan itu": whoever
accused Hamas), "mereka"/"keduanya" for those who last met, and the subject or object
that names an act told before ("Permintaan tersebut ditolak", "mengecam serangan itu").
`earlier` is what the text told so far: events, and acts without a target.
"""
from __future__ import annotations

import re
from typing import Sequence

from ..model import SYMMETRIC_TYPES
from .slots import unique
from .triggers import Hit, Trigger, find_triggers

# types whose target the text may leave to the context ("Hamas membantah tuduhan itu")
DISCOURSE_TARGET_TYPES = {"REJECT", "ACCUSE", "REQUEST", "SUPPORT", "RETREAT", "THREATEN",
                          "PROTEST", "CONCEDE", "MOBILIZE"}
# "serangan itu", "tuduhan tersebut": the noun names an event told before
ANAPHORIC_NOUN = re.compile(r"(?i)^\s+(?:\w+\s+)?(?:itu|tersebut|ini)\b")
EN_EVENT_NOUNS = {"meeting", "talks", "agreement", "deal", "summit", "visit", "negotiations", "accord",
                  "truce", "attack", "strike", "vote", "exchange", "swap", "incident", "invasion",
                  "accusations", "accusation", "sanctions", "deployment", "mediation", "protest",
                  "attacks", "strikes", "fighting", "clashes", "battles", "bombing", "bombings", "raid", "raids",
                  "shelling", "killing", "killings", "shooting", "protests", "demonstration", "demonstrations",
                  "rally", "rallies", "riots"}
PLURAL_PRONOUN = re.compile(r"(?i)^\W*(?:mereka|keduanya|ketiganya|kedua(?:nya)?|they|both|the two|the three)\b")
# "Permintaan tersebut ditolak.": the sentence's subject names an act told before
ANAPHORIC_SUBJECT = re.compile(r"^\W*(\w+)\s+(?:itu|tersebut|ini)\b")
ANAPHORIC_OBJECT = {
    "id": re.compile(r"(?i)^\s+(?:keras\s+)?(?:\w+\s+){0,2}(?:itu|tersebut|ini)\b"),
    "en": re.compile(r"(?i)^\s+(?:the|this|that|these)\s+(?:\w+\s+)?(?:attacks?|strikes?|incidents?|moves?|"
                     r"launch(?:es)?|detention|seizure|deployment|accusations?|claims?|decision|raid|shelling|"
                     r"sanctions|expulsion|test|agreement|deal|vote|resolution|plan|proposal|exchange|talks|"
                     r"meeting|ceasefire|truce|visit|approval|request|demand)\b"),
}


def refers_back(hit: Hit, text: str, lang: str) -> bool:
    """"serangan itu", "pertemuan tersebut", "welcomed the agreement": a noun
    naming an event the text has told already, not a new event."""
    word = hit.text.split()[0]
    if lang == "id":
        noun = hit.trigger.nominal or (len(hit.text.split()) == 1 and word.lower().endswith("an"))
        return noun and bool(ANAPHORIC_NOUN.match(text[hit.end:]))
    return hit.text.lower() in EN_EVENT_NOUNS and bool(
        re.search(r"(?i)\b(?:the|this|that|these|those)\s+(?:[\w-]+\s+)?$", text[:hit.start]))


def counterpart(source: list[str], earlier: Sequence) -> list[str]:
    """Who the source answers: the agent of the latest earlier event aimed at
    it, or else the other side of the latest event it took part in."""
    live = [e for e in earlier if not e.hypothetical and not e.negated]
    for event in reversed(live):
        if set(source) & set(event.target) and event.type not in SYMMETRIC_TYPES:
            others = [a for a in event.source if a not in source]
            if others:
                return others
    for event in reversed(live):
        sides = (event.source, event.target)
        for mine, other in (sides, sides[::-1]):
            if set(source) & set(mine):
                others = [a for a in other if a not in source]
                if others:
                    return others
    return []


def last_meeting(earlier: Sequence):
    """The latest symmetric event told (a meeting, an agreement) that is neither
    planned nor denied: whom "mereka", "keduanya" refer to; None when there is none."""
    return next((e for e in reversed(earlier) if e.type in SYMMETRIC_TYPES
                 and not e.hypothetical and not e.negated), None)


def anaphoric_subject_roles(before: str, earlier: Sequence,
                            triggers: Sequence[Trigger]) -> tuple[list[str], list[str]] | None:
    """"Permintaan tersebut ditolak.": a passive whose subject names an act told
    before is done by whom that act was aimed at, to whom made it; None when the
    text told no such act."""
    subject_noun = ANAPHORIC_SUBJECT.match(before)
    types = {h.trigger.type for h in find_triggers(
        subject_noun.group(1), triggers)} if subject_noun else set()
    referred = next((e for e in reversed(earlier) if e.type in types and e.target
                     and not e.hypothetical and not e.negated), None)
    if referred:
        return list(referred.target), list(referred.source)
    return None


def anaphoric_object_target(rest: str, source: list[str], event_type: str, earlier: Sequence,
                            lang: str, triggers: Sequence[Trigger]) -> list[str] | None:
    """"mengecam serangan itu": the target of an act whose object names an act told
    before is whoever did that act; `rest`, the sentence after the trigger. None
    when the object names no act told before, or the text told none."""
    if not (ANAPHORIC_OBJECT[lang].match(rest) and event_type in DISCOURSE_TARGET_TYPES):
        return None
    again = next((e for e in reversed(earlier) if e.type == event_type and set(e.source) & set(source)
                  and e.target and not e.hypothetical and not e.negated), None)
    if again is not None:
        # "Gambia mengajukan gugatan tersebut": its own act told before, at the same target
        return [a for a in again.target if a not in source] or list(again.target)
    live = [e for e in reversed(earlier) if not e.hypothetical and not e.negated
            and not set(e.source) & set(source)]
    noun = ANAPHORIC_OBJECT[lang].match(rest).group()
    noun_types = {h.trigger.type for h in find_triggers(noun, triggers)}
    referred = next((e for e in live if e.type in noun_types and set(e.target) & set(source)), None) \
        or next((e for e in live if e.type in noun_types), None) \
        or next((e for e in live if set(e.target) & set(source)), None)
    if referred:
        parties = list(referred.source) + (list(referred.target) if referred.type in SYMMETRIC_TYPES
                                           else [])
        parties = [a for a in unique(parties) if a not in source]
        if parties:
            return parties
    return None
