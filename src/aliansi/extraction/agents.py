"""Who inside an actor acted: each side's body, group or office and its sector
(aliansi.sectors), and the persons named for it.
"""
from __future__ import annotations

from ..model import Article, Event, Mention
from ..sectors import Agent, agent_of
from .slots import Slot, unique
from .triggers import Hit


def name_agents(article: Article, event: Event) -> None:
    """Each side's actors as the evidence sentence names them: the body, group or
    office and its sector (aliansi.sectors), from the mention of that actor nearest
    the trigger on the side's side of it, or the fullest name joined to it
    ("Menteri Pertahanan AS Pete Hegseth" is an office, not just USA)."""
    start, end = event.evidence_spans[0]
    mentions = [m for m in article.mentions_in(start, end) if m.actor and m.salient]
    found = article.text.find(event.trigger, start, end) if event.trigger else -1
    trigger = found if found >= 0 else None
    event.source_agents = [_agent(article.text, mentions, a, trigger, True) for a in event.source]
    event.target_agents = [_agent(article.text, mentions, a, trigger, False) for a in event.target]


def _agent(text: str, mentions: list[Mention], actor: str, trigger: int | None, before: bool) -> dict:
    own = [m for m in mentions if m.actor == actor]
    if not own:
        return Agent(actor, None, None).to_dict()      # named by no mention: no agent known
    if trigger is not None:
        own = [m for m in own if (m.end <= trigger) == before] or own
        nearest = min(own, key=lambda m: abs((trigger - m.end) if m.end <= trigger else (m.start - trigger)))
    else:
        nearest = own[0]
    phrase = [m for m in own if m is nearest or _joined(text, m, nearest)]
    return agent_of(min(phrase, key=_specificity)).to_dict()


def _specificity(mention: Mention) -> int:
    """How much a mention says about who inside its actor acted: an office holder,
    a group, a body or organisation, a person without office, the state itself."""
    if mention.kind == "person":
        return 0 if mention.role else 3
    if mention.kind == "group":
        return 1
    if mention.kind == "org" or mention.rule in ("body", "body+state"):
        return 2
    return 4


def _joined(text: str, a: Mention, b: Mention) -> bool:
    """Overlapping, or next to each other with at most a comma or a possessive between."""
    first, second = (a, b) if a.start <= b.start else (b, a)
    return second.start < first.end or text[first.end:second.start].strip() in ("", ",", "'s", "’s")


def persons_of(slots: list[Slot], actors: list[str], hit: Hit) -> list[str]:
    names: list[str] = []
    for slot in slots:
        if slot.end <= hit.start and any(a in actors for a in slot.actors):
            names += slot.persons
    return unique(names)
