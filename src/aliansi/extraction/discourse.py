"""What a sentence leaves to the text before it: a noun naming an event already told
("serangan itu"), a target the context gives ("Hamas membantah tuduhan itu": whoever
accused Hamas), "mereka"/"keduanya" for those who last met, and the subject or object
that names an act told before ("Permintaan tersebut ditolak", "mengecam serangan itu").
`earlier` is what the text told so far: events, and acts without a target.

`Discourse` is the per-document model of who is in focus (issue 11, item 3): the state
the text is about, from its headline, dateline, first sentences and mentions; it adds
to a sentence's actor slots the parties the sentence leaves unnamed where the grammar
licenses one (a first person in a quotation is its speaker; an unnamed body or official,
"pemerintah", "the foreign ministry", is of the state in focus; "kedua pihak", "both
sides" are the two sides of the last act told), and the argument rules ask it for the
unnamed patient of a passive (`in_focus`). Each resolution is kept with its reason for
`aliansi explain`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
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


# "Hamas membantah tuduhan tersebut", "denied the accusation": a denial's object names
# what was said against its agent; who said it is its target (`Discourse.claimant`)
STATEMENT_OBJECT = {
    "id": re.compile(r"(?i)^\s+(?:keras\s+)?(?:tuduhan|tudingan|klaim|pernyataan|laporan)\s+(?:\w+\s+)?"
                     r"(?:itu|tersebut|ini)\b"),
    "en": re.compile(r"(?i)^\s+(?:the|this|that|these|those)\s+(?:\w+\s+)?(?:accusations?|claims?|"
                     r"allegations?|charges?|statements?|reports?)\b"),
}
# a statement made about someone: "Militer Israel menyatakan ... Hamas ...", "X said Y ..."
CLAIM_VERB = {
    "id": re.compile(r"(?i)(?<![\w-])(?:menyatakan|mengatakan|mengklaim|menuduh|menuding|menyebut|menegaskan|"
                     r"melaporkan)(?![\w-])"),
    "en": re.compile(r"(?i)(?<![\w-])(?:said|says|claimed|claims|stated|accused|alleged|charged|reported)(?![\w-])"),
}
CLAIM_WINDOW = 2    # sentences back a denied statement may stand


# ---- the document's actors in focus ---------------------------------------------------------

# first-person pronouns: in direct speech they name the speaker
FIRST_PERSON = {"id": re.compile(r"(?i)(?<![\w-])(?:saya|aku|kami|kita)(?![\w-])"),
                "en": re.compile(r"(?<![\w-])(?:I|[Ww]e|[Uu]s|[Oo]ur)(?![\w'’-])")}
# how far the state in focus must lead the next: twice its weight, else none is in focus
FOCUS_MARGIN = 2.0
QUOTE_MARKS = "\"“”"
# the speaker of a quotation: "…," kata Retno / "…," Tony said / "…," he said
ATTRIBUTION_AFTER = re.compile(r"(?i)^[\s,.!?]*(?:\S+\s+){0,1}?(?:kata|ujar|ucap|tutur|ungkap|tegas|jelas|tandas|"
                               r"imbuh|tambah|said|says|told|added|stressed|insisted)\b")
# "…," tandasnya / katanya: the speaker is whom the text last named
ATTRIBUTION_NYA = re.compile(r"(?i)^[\s,.!?]*(?:\w+\s+)?(?:kata|ujar|ucap|tutur|ungkap|tegas|jelas|tandas|"
                             r"imbuh|tambah|sebut)nya\b")
# an unnamed body or official of a state (the generic agents of the Phoenix dictionaries)
UNNAMED_BODY = {
    "id": re.compile(r"(?i)(?<![\w-])(?:pemerintah|kementerian luar negeri|kemlu|kemenlu|juru bicara|jubir|"
                     r"aparat(?: keamanan| kepolisian)?|pihak berwenang|otoritas|kepolisian|militer|"
                     r"angkatan bersenjata|pejabat)(?![\w-])"),
    "en": re.compile(r"(?i)(?<![\w-])(?:the (?:government|foreign ministry|ministry|authorities|military|"
                     r"police|army|administration)|officials|authorities|(?:a |the )?(?:government |ministry |"
                     r"foreign ministry )?spokes(?:man|woman|person))(?![\w-])"),
}

def quoted(text: str, at: int) -> bool:
    """Whether a position lies inside a quotation: an odd number of quote marks
    before it, or the sentence opens inside one ("…," kata X with no opening)."""
    marks = sum(text.count(q, 0, at) for q in QUOTE_MARKS)
    if marks % 2 == 1:
        return True
    return marks == 0 and any(q in text[at:] for q in QUOTE_MARKS) and \
        bool(re.search(r"[”\"]\s*,?\s*\S", text[at:]))


# the sides of an act, not a pair of states: "kedua pihak", "both sides", "the two parties"
SIDES = re.compile(r"(?i)pihak|sides|parties")
# "a spokeswoman for the U.S. embassy", "juru bicara dari Kemlu Jepang": the state follows
OF_STATE = re.compile(r"(?i)\s+(?:for|of|from|dari|untuk)\b")


@dataclass
class Resolution:
    """One actor the discourse supplied: where (offsets in the article), to whom, why."""
    start: int
    end: int
    text: str
    actors: list[str]
    kind: str       # "speaker" | "unnamed-body" | "pair" | "focus-patient" | "anaphoric-claim"
    reason: str


class Discourse:
    """A per-document model of who is in focus: the states the headline, dateline and
    first sentences name and how often the text names each, the last speaker quoted,
    and what each sentence's unnamed parties resolve to (`resolutions`)."""

    def __init__(self, article, lang: str, states: set[str] | None = None):
        self.article = article
        self.lang = lang
        self.states = states
        self.resolutions: list[Resolution] = []
        self.weights: dict[str, float] = {}
        self.focus = self._focus()

    def _is_state(self, code: str) -> bool:
        return code in self.states if self.states is not None else len(code) == 3 and code.isalpha()

    def _focus(self) -> str | None:
        """The state in focus: mentions weighed by where they stand (the first three
        sentences, with the headline and dateline, count three and two times)."""
        weight: dict[str, float] = {}
        leading = [s.start for s in self.article.sentences[:3]]
        for m in self.article.mentions:
            if not m.actor or not self._is_state(m.actor) or not (m.salient or m.kind == "state"):
                continue
            w = 3.0 if leading and m.start < leading[0] + 1 + len(self.article.sentences[0].text) else \
                2.0 if len(leading) > 1 and m.start < (self.article.sentences[min(2, len(leading) - 1)].end) else 1.0
            weight[m.actor] = weight.get(m.actor, 0.0) + w
        first = self.article.sentences[0] if self.article.sentences else None
        for place in self.article.places:
            # the places the text is set in: the dateline and the first sentence count twice
            if place.country and self._is_state(place.country):
                w = 2.0 if first and place.start < first.end else 1.0
                weight[place.country] = weight.get(place.country, 0.0) + w
        self.weights = weight
        return self.in_focus()

    def captor(self, before: int | None = None) -> str | None:
        """The state of the armed group the text last named before `before` (a non-state
        group is coded by the state it is based in), or None."""
        groups = [m for m in self.article.mentions if m.kind == "group" and m.actor
                  and (before is None or m.start < before)]
        return groups[-1].actor if groups else None

    def claimant(self, source: Sequence[str], before: int) -> list[str] | None:
        """Who made the statement a denial by `source` refers to ("Hamas membantah tuduhan
        tersebut"): the speaker of the latest statement, in the CLAIM_WINDOW sentences
        before `before`, that names `source` after its verb; None when there is none."""
        told = [s for s in self.article.sentences if s.end <= before][-CLAIM_WINDOW:]
        for sentence in reversed(told):
            named = [m for m in self.article.mentions_in(sentence.start, sentence.end) if m.actor and m.salient]
            for verb in reversed(list(CLAIM_VERB[self.lang].finditer(sentence.text))):
                at, end = sentence.start + verb.start(), sentence.start + verb.end()
                speakers = [m for m in named if m.end <= at]
                about = {m.actor for m in named if m.start >= end}
                if speakers and speakers[-1].actor not in source and about & set(source):
                    return [speakers[-1].actor]
        return None

    def in_focus(self, besides: Sequence[str] = ()) -> str | None:
        """The state in focus, leaving out `besides` (the other party of an act): the
        heaviest, when it weighs FOCUS_MARGIN times the next; else None."""
        ranked = sorted(((a, w) for a, w in self.weights.items() if a not in besides), key=lambda kv: -kv[1])
        if not ranked or (len(ranked) > 1 and ranked[1][1] * FOCUS_MARGIN > ranked[0][1]):
            return None     # no one state clearly in focus
        return ranked[0][0]

    def slots(self, sentence, slots: list, earlier_persons: Sequence = (), earlier: Sequence = ()) -> list:
        """The sentence's slots with the parties it leaves unnamed added where the
        discourse tells who they are: first persons in a quotation (the speaker),
        unnamed bodies and officials (the state in focus); a pair of sides ("kedua
        pihak") set to the sides of the last act in `earlier`. `earlier_persons`: the
        actors of the persons the text named before the sentence, in order."""
        from .slots import Slot

        text = sentence.text
        added: list = []

        def free(start: int, end: int) -> bool:
            return not any(s.start < end + 2 and start - 2 < s.end for s in slots + added)

        pair = self._pair_in_focus(earlier)
        if pair:
            for slot in slots:
                phrase = text[slot.start:slot.end]
                # "kedua negara" stays with the recogniser's coordinated pair; sides are of an act
                if slot.coref and set(slot.actors) != set(pair) and len(slot.actors) == 2 \
                        and SIDES.search(phrase):
                    self.resolutions.append(Resolution(sentence.start + slot.start, sentence.start + slot.end,
                                                       phrase, list(pair), "pair",
                                                       "the pair in focus: the sides of the last act told"))
                    slot.actors = list(pair)
        speaker = self._quote_speaker(sentence, slots, earlier_persons)
        if speaker:
            for m in FIRST_PERSON[self.lang].finditer(text):
                if free(m.start(), m.end()) and quoted(text, m.start()):
                    added.append(Slot(m.start(), m.end(), list(speaker), rules=["discourse:speaker"]))
                    self._record(sentence, m, speaker, "speaker",
                                 f"first person in a quotation of {', '.join(speaker)}")
        if self.focus:
            named = {a for s in slots for a in s.actors}
            for m in UNNAMED_BODY[self.lang].finditer(text):
                if not free(m.start(), m.end()) or quoted(text, m.start()):
                    continue
                if any(s.end <= m.start() for s in slots) or OF_STATE.match(text, m.end()) and \
                        any(s.start >= m.end() and s.start - m.end() <= 24 for s in slots):
                    continue    # not the sentence's first party, or the body of a state named after it
                if named and self.focus not in named:
                    continue        # the sentence is about other states
                added.append(Slot(m.start(), m.end(), [self.focus], rules=["discourse:unnamed-body"]))
                self._record(sentence, m, [self.focus], "unnamed-body",
                             f"an unnamed body or official: the state in focus, {self.focus}")
        if not added:
            return slots
        return sorted(slots + added, key=lambda s: s.start)

    @staticmethod
    def _pair_in_focus(earlier: Sequence) -> list[str] | None:
        """The two sides of the last act the text told between two states or bodies."""
        for event in reversed(earlier):
            if getattr(event, "hypothetical", False) or getattr(event, "negated", False):
                continue
            sides = unique(list(event.source) + list(event.target))
            if len(event.source) == 1 and len(event.target) == 1 and len(sides) == 2:
                return sides
        return None

    def note(self, sentence, hit, actors, kind, reason) -> None:
        """A party the argument rules took from the discourse for a trigger."""
        self.resolutions.append(Resolution(sentence.start + hit.start, sentence.start + hit.end,
                                           hit.text, list(actors), kind, reason))

    def _record(self, sentence, m, actors, kind, reason) -> None:
        self.resolutions.append(Resolution(sentence.start + m.start(), sentence.start + m.end(),
                                           m.group(), list(actors), kind, reason))

    def _quote_speaker(self, sentence, slots: list, earlier_persons: Sequence) -> list[str]:
        """Who speaks the sentence's quotation: the actor named after its closing mark
        ("kata Tony", "Tony said", "he said"), or whom the text last named ("tandasnya")."""
        text = sentence.text
        close = max((text.rfind(q) for q in "”\""), default=-1)
        if close < 0:
            return []
        rest = text[close + 1:]
        speaker: list[str] = []
        if ATTRIBUTION_AFTER.match(rest):
            after = [s for s in slots if s.start > close]
            if after:
                speaker = unique(after[0].actors)
        if not speaker and ATTRIBUTION_NYA.match(rest) and earlier_persons:
            speaker = [earlier_persons[-1]]
        if not speaker and re.match(r"(?i)^[\s,.]*(?:he|she|ia|dia|beliau)\s+(?:said|says|added|told|"
                                    r"mengatakan|menambahkan)\b", rest):
            after = [s for s in slots if s.start > close]
            if after:
                speaker = unique(after[0].actors)
        return speaker
