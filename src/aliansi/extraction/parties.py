"""What a phrase says of the parties to an act: an actor named only as a venue, a
currency or a product's maker is none ("met at NATO headquarters", "500 juta dolar AS",
"rudal buatan Amerika Serikat"), and a relative clause after an event noun names who
made it ("serangan yang dilakukan oleh IDF"). Used by `aliansi.extraction.arguments`.
"""
from __future__ import annotations

import re

from .slots import Slot

# a relative clause naming who made the act, its agent right after the verb:
# "serangan udara yang dilakukan oleh", "gugatan yang diajukan", "an attack carried out by"
MADE_BY = re.compile(r"(?i)^(?:\s+(?!yang\b|which\b|that\b)[\w'’-]+){0,3}?\s+(?:"
                     r"yang\s+(?:(?:telah|sudah|pernah)\s+)?di(?:lakukan|lancarkan|ajukan|luncurkan)\s+(?:oleh\s+)?|"
                     r"(?:(?:that|which)\s+(?:was|were|has\s+been|had\s+been)\s+)?"
                     r"(?:carried\s+out|launched|filed|conducted|mounted)\s+by\s+(?:the\s+)?)$")
# its target after a target preposition: "... terhadap Myanmar", "... against Myanmar"
MADE_BY_TARGET = re.compile(r"(?i)^\s+(?:[\w'’-]+\s+){0,2}?(?:terhadap|atas|ke|kepada|against|on)\s+"
                            r"(?:(?:the|negara|wilayah)\s+)?$")
# or, for an attack, the state on whose soil it was done: "di tanah Inggris"
MADE_BY_GROUND = re.compile(r"(?i)^\s+di\s+(?:tanah|bumi)\s+$")
# an organisation named as the place where something happens, its seat after a preposition
# of place: "met at NATO headquarters", "di Markas Besar PBB", "at the headquarters of the UN"
SEAT = r"(?:markas(?:\s+besar)?|mabes|kantor\s+pusat|sekretariat|headquarters|head\s+office|secretariat|HQ)"
VENUE_BEFORE = re.compile(r"(?i)\b(?:di|ke|in|at|to|inside|outside)\s+(?:the\s+)?"
                          r"(?:" + SEAT + r"\s+(?:of\s+)?(?:the\s+)?)?$")
VENUE_SEAT_BEFORE = re.compile(r"(?i)\b" + SEAT + r"\s+(?:of\s+)?(?:the\s+)?$")
VENUE_SEAT_AFTER = re.compile(r"(?i)^(?:['’]s)?\s+" + SEAT + r"\b")
# a product's maker names where it comes from, not a party: "rudal buatan Amerika Serikat",
# "jet tempur produksi Korea Selatan", "made in China", "US-made missiles", "Russian-built jets"
# ("comments made by Abiy": "made by" names the agent of a passive, so only "in")
MAKER_BEFORE = re.compile(r"(?i)\b(?:buatan|produksi|bikinan|(?:made|built|manufactured|produced)\s+in)"
                          r"\s+(?:the\s+)?$")
MAKER_AFTER = re.compile(r"(?i)^-?(?:made|built|manufactured|produced|supplied)\b")
# a currency named by its state is a unit, not a party: "500 juta dolar AS", "US dollars"
CURRENCY_BEFORE = re.compile(r"(?i)\b(?:dolar|dollars?|yuan|yen|won|rubel|rubles?|roubles?|ringgit|baht|"
                             r"peso|rupee|rupiah|euro|pound|poundsterling)\s+$")
CURRENCY_AFTER = re.compile(r"(?i)^\s*(?:dollars?|dolar)\b")


def venue(group: list[Slot], text: str) -> bool:
    """Whether an organisation is named as the place where something happens: its seat
    after a preposition of place ("met at NATO headquarters in Brussels", "di Markas
    Besar PBB", "at the headquarters of the UN", "di kantor pusat ASEAN")."""
    before, after = text[:group[0].start], text[group[-1].end:]
    return bool(VENUE_BEFORE.search(before)) and \
        bool(VENUE_SEAT_BEFORE.search(before) or VENUE_SEAT_AFTER.match(after))


def maker(group: list[Slot], text: str) -> bool:
    """Whether the actors of `group` name where a product was made ("rudal pencegat
    buatan Amerika Serikat", "made in China", "US-made missiles")."""
    return bool(MAKER_BEFORE.search(text[:group[0].start]) or MAKER_AFTER.match(text[group[-1].end:]))


def currency(group: list[Slot], text: str) -> bool:
    """Whether the actors of `group` name a currency ("500 juta dolar AS", "US dollars")."""
    return bool(CURRENCY_BEFORE.search(text[:group[0].start]) or CURRENCY_AFTER.match(text[group[-1].end:]))


def made_by(after: list[list[Slot]], text: str, end: int,
            ground: bool = False) -> tuple[list[Slot], list[Slot] | None] | None:
    """An event noun, then a relative clause naming who made the act: "serangan yang
    dilakukan oleh IDF", "gugatan yang diajukan Gambia terhadap Myanmar", "an attack
    carried out by Israel on Gaza". (agent, target) groups, the target only where a
    target preposition names it (or, with `ground`, the state on whose soil it was
    done: "di tanah Inggris"); None when there is no such clause."""
    agent = next((g for g in after if g[0].start > end and MADE_BY.match(text[end:g[0].start])), None)
    if agent is None:
        return None
    target = next((g for g in after if g[0].start > agent[-1].end), None)
    between = text[agent[-1].end:target[0].start] if target else ""
    if target is None or not (MADE_BY_TARGET.match(between) or ground and MADE_BY_GROUND.match(between)):
        target = None
    return agent, target
