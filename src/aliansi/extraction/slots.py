"""The actor positions of a sentence, and its clause structure: salient mentions
joined into slots ("Menteri Pertahanan AS Pete Hegseth" is one), slots coordinated
into groups ("Jepang, Korea Selatan, dan Australia"), and the subject of a verb.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ..model import Mention

# (a comma inside a number, "25,000", breaks nothing)
CLAUSE_BREAK = re.compile(r"[;:()“”\"—–]|,(?!(?<=\d,)\d)|\b(?:yang|sementara|namun|tetapi|but|while|which|who|"
                          r"after|setelah|sebelum|before|karena|because|ketika|when|saat)\b")
# a conjunction, then perhaps the title of the next actor's official:
# "Koizumi dan Menteri Pertahanan AS Pete Hegseth"
# (a name and its abbreviation are one conjunct, which may run on past it: "Tentara
# Nasional Indonesia (TNI) Angkatan Darat dan Angkatan Darat Amerika Serikat")
COORDINATION = re.compile(r"^\s*\(\s*$|^(?:\s*\)(?:\s+[A-Z][\w'’-]*){0,3})?"
                          r"\s*(?:,|dan|serta|,\s*dan|,\s*serta|and|,\s*and|&|–|-|/|bersama|beserta)"
                          r"(?:\s+(?:[A-Z][\w.'’-]*|de|of|for|the|dan|and|untuk)){0,6}\s*$")
# title words between a state and its official: "Thai Foreign Minister Sihasak"
ROLE_GAP = re.compile(r"^\s*(?:[A-Z][\w.'’-]*\s+){1,6}$")
PREPOSITION_BEFORE = re.compile(
    r"(?i)\b(?:di|ke|dari|kepada|terhadap|atas|untuk|bagi|dengan|oleh|antara|menurut|tentang|mengenai|"
    r"in|at|to|from|with|against|by|for|of|on|about|according to|between)\s+"
    r"(?:(?:(?!(?:after|before|when|while|as|because|since|until|and|but|setelah|sebelum|ketika|saat|karena|"
    r"sejak|hingga|dan|namun)\b)(?-i:[a-z])[\w-]*\s+){0,2}|(?:(?-i:[A-Z])[\w'’-]*\s+){1,4})$")
# "a spokesman for the PLA", "Duta Besar untuk PBB": the preposition names whom an official speaks for
SPEAKS_FOR = re.compile(
    r"(?i)\b(?:spokes\w+|juru bicara|jubir|officials?|ministers?|ambassador|envoy|chief|head|"
    r"representatives?|delegat\w+|perwakilan|utusan|duta besar|dubes|secretary[- ]general)\s+"
    r"(?:for|of|from|to|dari|untuk)\s+(?:the\s+)?$")
# where a verb's own clause begins: punctuation, relative and reported-speech boundaries
SUBJECT_BOUNDARY = re.compile(
    r"[;:“”\"—–]|,(?!(?<=\d,)\d)|\b(?:yang|bahwa|sementara|namun|tetapi|setelah|sebelum|ketika|saat|karena|"
    r"that|which|who|while|but|after|before|when|because|"
    r"mengatakan|menyatakan|mengungkapkan|menegaskan|menyebutkan|mengumumkan|melaporkan|"
    r"said|says|told|announced|reported|stated)\b")
COORDINATED_VERB = re.compile(r"(?i)\b(?:dan|serta|and|lalu|kemudian|then)\b|,")


@dataclass
class Slot:
    """One actor position in a sentence: coordinated or co-referring mentions."""
    start: int
    end: int
    actors: list[str]
    persons: list[str] = field(default_factory=list)
    coref: bool = False    # every mention in it refers back ("kedua negara", "ia")
    rules: list[str] = field(default_factory=list)    # how each mention was found


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def gap_words(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())


def actor_slots(mentions: list[Mention], base: int, text: str) -> list[Slot]:
    """Salient actor mentions of one sentence, overlapping or adjacent ones joined:
    "Menteri Pertahanan AS Pete Hegseth" is one slot (USA)."""
    spans = sorted((m for m in mentions if m.salient and m.actor), key=lambda m: (m.start, -m.end))
    slots: list[Slot] = []
    for m in spans:
        start, end = m.start - base, m.end - base
        if slots:
            last = slots[-1]
            gap = text[last.end:start]
            joined = start < last.end or (start == last.start and end == last.end) \
                or (m.actor in last.actors and (gap.strip() == "" or ROLE_GAP.match(gap)))
            # a role phrase and its holder: "Menteri Luar Negeri Jepang Toshimitsu Motegi"
            if not joined and m.kind == "person" and gap.strip() == "" and \
                    (m.actor in last.actors or not last.persons):
                joined = m.actor in last.actors
            if joined:
                last.coref = last.coref and m.rule.startswith("coref-pair")
                last.end = max(last.end, end)
                if m.actor not in last.actors:
                    last.actors.append(m.actor)
                if m.kind == "person":
                    last.persons.append(m.name)
                last.rules.append(m.rule)
                continue
        slots.append(Slot(start, end, [m.actor], [m.name] if m.kind == "person" else [],
                          coref=m.rule.startswith("coref-pair"), rules=[m.rule]))
    return slots


def clause_subject(before: list[list[Slot]], text: str, trigger_start: int,
             earlier_triggers: Sequence[int] = ()) -> list[Slot] | None:
    """The agent of a verb: the first actor of its own clause, or else the first
    of the sentence; actors inside a prepositional phrase or a source
    attribution ("menurut X") do not count. A verb right after another verb's
    object takes that object as its agent ("menuduh pasukan Kamboja menembakkan")."""
    eligible = [g for g in before if not PREPOSITION_BEFORE.search(text[:g[0].start])
                or SPEAKS_FOR.search(text[:g[0].start])]
    if not eligible:
        return before[-1] if before else None
    if earlier_triggers:
        last_verb = max(earlier_triggers)
        between = [g for g in eligible if g[0].start >= last_verb]
        if between and not COORDINATED_VERB.search(text[between[-1][-1].end:trigger_start]) \
                and gap_words(text, between[-1][-1].end, trigger_start) <= 3:
            return between[-1]
    clause_start = 0
    for m in SUBJECT_BOUNDARY.finditer(text, 0, trigger_start):
        clause_start = m.end()
    own = [g for g in eligible if g[0].start >= clause_start]
    return own[0] if own else eligible[0]


def coordinated_groups(slots: list[Slot], text: str) -> list[list[Slot]]:
    """Coordinated slots: "Jepang, Korea Selatan, dan Australia" is one group. Two
    actors joined by a comma alone are no list ("dengan Israel, Indonesia menyampaikan");
    three or more are ("thanked Egypt, Qatar, Indonesia and other countries")."""
    groups: list[list[Slot]] = []
    joins: list[list[str]] = []
    for slot in slots:
        gap = text[groups[-1][-1].end:slot.start] if groups else ""
        if groups and COORDINATION.match(gap):
            groups[-1].append(slot)
            joins[-1].append(gap)
        else:
            groups.append([slot])
            joins.append([])
    result: list[list[Slot]] = []
    for group, gaps in zip(groups, joins):
        if len(gaps) == 1 and gaps[0].strip() == ",":
            result.extend([slot] for slot in group)
        else:
            result.append(group)
    return result
