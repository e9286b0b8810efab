"""Who inside the state: the sector of an actor as the text names it.

A state code says which state acted; the sector says which part of it, or which
group based in it: "Hamas" and "the Palestinian Authority" are both PSE, one
`armed_groups`, the other `government`. The vocabulary is the agent types of
the CAMEO/Phoenix dictionaries (`kb.SECTORS`).

A mention's sector comes from, in order:
1. the knowledge base's entry for the body or group named (`bodies[].sector`);
2. the head of its name, looked up in the KB's `sectors` head words. Indonesian
   puts the head first ("Kementerian Pertahanan", "Kepala Kepolisian"), English
   last, before any "of"/"for" ("Defense Ministry", "Ministry of Defence",
   "Chief of the National Police"), so the first sector word of an Indonesian
   name and the last of an English one decide;
3. for a person, the same head rule on the office the text gives them;
4. an organisation's own name: `igo`.
A state named as such ("Indonesia", "Jepang") has no sector: the state as a whole.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .kb import KnowledgeBase
from .model import Mention

_OF = re.compile(r"\s(?:of|for|on)\s")


@dataclass(frozen=True)
class Agent:
    """One side's actor as named: the code, the body or office as written, the sector."""
    actor: str
    agent: str | None
    sector: str | None

    def to_dict(self) -> dict:
        return {"actor": self.actor, "agent": self.agent, "sector": self.sector}


class Sectors:
    def __init__(self, kb: KnowledgeBase):
        self.named = {_fold(name): body.sector for body in kb.bodies if body.sector
                      for name in body.names}
        self._sector_of: dict[str, dict[str, str]] = {"id": {}, "en": {}}
        for sector, languages in kb.sectors.items():
            for lang, words in languages.items():
                for word in words:
                    self._sector_of[lang].setdefault(_fold(word), sector)
        self._pattern = {lang: re.compile(r"(?<![\w-])(?:" + "|".join(
            re.escape(w) for w in sorted(table, key=len, reverse=True)) + r")(?![\w-])")
            for lang, table in self._sector_of.items() if table}

    def of_name(self, name: str, lang: str) -> str | None:
        """The sector a body's or office's name tells, by its head word; the other
        language's head words are tried when the text's own have none."""
        for language in (lang, "en" if lang == "id" else "id"):
            sector = self._head(_fold(name), language)
            if sector:
                return sector
        return None

    def _head(self, name: str, lang: str) -> str | None:
        pattern = self._pattern.get(lang)
        if pattern is None:
            return None
        if lang == "en":
            cut = _OF.search(name)
            for region in ((name[:cut.start()], name) if cut else (name,)):
                found = list(pattern.finditer(region))
                if found:
                    return self._sector_of[lang][found[-1].group()]
            return None
        found = pattern.search(name)
        return self._sector_of[lang][found.group()] if found else None

    def of_mention(self, mention: Mention, lang: str) -> str | None:
        """The sector a mention with an actor names; None for a state as a whole."""
        if not mention.actor:
            return None
        if mention.kind == "person":
            return self.of_name(mention.role, "en") if mention.role else None
        known = self.named.get(_fold(mention.text))
        if mention.kind == "org":
            return known or "igo"
        if mention.kind == "group" or mention.rule in ("body", "body+state"):
            return known or self.of_name(mention.text, lang)
        return None


def agent_of(mention: Mention) -> Agent:
    """The actor of a mention, the body, group or office as named, and its sector."""
    if mention.kind == "person":
        agent = mention.role
    elif mention.kind == "group":
        agent = mention.name
    elif mention.kind == "org" or mention.rule in ("body", "body+state"):
        agent = mention.text
    else:
        agent = None
    return Agent(mention.actor or "", agent, mention.sector)


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").split())
