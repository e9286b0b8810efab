"""PLOVER event detection: triggers from a lexicon, actors from the sentence's
structure (subject, object, passive agent, coordination, speaker), dates and
places from the same sentence, and flags for plans, conditions and denials.

Every event keeps its evidence sentence, the trigger, the rule that made it
and a confidence. An event whose date the text does not give has date None.
"""
from __future__ import annotations

import logging
import os
import re
from datetime import date, timedelta
from dataclasses import dataclass, field
from types import SimpleNamespace
from importlib import resources
from typing import Iterable, Sequence

import yaml

from . import roles as parse_roles
from ..errors import ConfigError
from ..model import SYMMETRIC_TYPES, Article, Event, Mention, Place, Sentence, TimeExpression
from ..sectors import Agent, agent_of
from .triggers import Hit, Trigger, find_triggers, load_triggers

log = logging.getLogger(__name__)

# built lexicons used by default (data/lexicon/<lang>.yaml; see triggers.py)
DEFAULT_LEXICONS: tuple[str, ...] = ("id",)

SPEECH_TYPES = {"ACCUSE", "REQUEST", "REJECT", "SUPPORT", "THREATEN", "AGREE"}

# Words before a trigger, inside its clause, that make it a plan, a condition or
# a speculation (hypothetical) or deny it (negated).
HYPOTHETICAL = {
    "id": r"akan|bakal|berencana|merencanakan|rencana|dijadwalkan|hendak|ingin|berniat|berharap|"
          r"siap|jika|apabila|bila|kalau|seandainya|kemungkinan|mungkin|dapat|bisa|berpotensi|"
          r"diperkirakan|diharapkan|mempertimbangkan|agar|supaya|berusaha|upaya|bertujuan|ditujukan",
    "en": r"will|would|'ll|plans?|planned|planning|intends?|intended|scheduled|expected|could|"
          r"may|might|if|should|considering|ready|set to|seeks?|sought|seeking|wants?|hopes?|"
          r"aims? to|aimed at|aiming to|designed to",
}
NEGATION = {
    "id": r"tidak|tak|belum|bukan|tanpa|enggan|urung|batal|membantah|menyangkal",
    "en": r"not|n't|never|no|without|denied|denies|deny",
}
# Complements of these types are not events of their own: "sepakat menggelar
# latihan" (AGREE, the exercise is a plan), "membantah menyerang" (denied).
PLAN_HEADS = {"AGREE", "REQUEST", "THREATEN"}
DENIAL_HEADS = {"REJECT"}

# (a comma inside a number, "25,000", breaks nothing)
CLAUSE_BREAK = re.compile(r"[;:()“”\"—–]|,(?!(?<=\d,)\d)|\b(?:yang|sementara|namun|tetapi|but|while|which|who|"
                          r"after|setelah|sebelum|before|karena|because|ketika|when|saat)\b")
# a conjunction, then perhaps the title of the next actor's official:
# "Koizumi dan Menteri Pertahanan AS Pete Hegseth"
COORDINATION = re.compile(r"^\s*(?:,|dan|serta|,\s*dan|,\s*serta|and|,\s*and|&|–|-|/|bersama|beserta)"
                          r"(?:\s+(?:[A-Z][\w.'’-]*|de|of|for|the|dan|and|untuk)){0,6}\s*$")
# title words between a state and its official: "Thai Foreign Minister Sihasak"
ROLE_GAP = re.compile(r"^\s*(?:[A-Z][\w.'’-]*\s+){1,6}$")
LOCATIVE = re.compile(r"\b(?:(?:di|in|at|near|dekat|sekitar|around|wilayah|kawasan)|"
                      r"(?:melalui|lewat|through|via)(?:\s+(?-i:[A-Z])[\w.-]*){0,3})\s*$", re.I)
# a partner, perhaps named by title first: "dengan Presiden Mesir Abdel Fattah el-Sisi"
PARTNER = re.compile(r"\b(?:dengan|bersama|antara|with|between|and|dan|serta|mempertemukan)"
                     r"(?:\s+(?-i:[A-Z])[\w.'’-]*){0,4}\s*$", re.I)
AGENT = re.compile(r"\b(?:oleh|by)\s*$", re.I)
SPEAKER = re.compile(r"(?:\b(?:kata|ujar|ucap|tutur|ungkap|jelas|tegas|menurut|said|says|told|according to)\s*$)", re.I)
TARGET_PREP = re.compile(r"\b(?:ke|kepada|terhadap|atas|untuk|bagi|on|against|to|at|into)\s*(?:\w+\s*){0,3}$", re.I)
# "Sehari sebelumnya", "pada hari yang sama": offsets from the last date the text gave
ANAPHORIC_OFFSET = re.compile(r"(?i)(?:sama|sebelumnya|kemudian|itu|juga|harinya|same day|earlier|before|later|"
                              r"that day|afternoon|evening|morning|night)\s*$")
OFFSET_RULE = re.compile(r"event_offset:([+-]?\d+)d$")

# "serangan itu", "tuduhan tersebut": the noun names an event told before
ANAPHORIC_NOUN = re.compile(r"(?i)^\s+(?:\w+\s+)?(?:itu|tersebut|ini)\b")
# "by" names an agent, not an amount: "shortened by one hour", "raised by 50 percent"
ENGLISH_AGENT = re.compile(r"(?i)^\s+by\b(?!\s+(?:\d|one|two|three|four|five|six|ten|half|a (?:third|quarter|half|"
                           r"further|total)|about|around|nearly|almost|more|less|up to|at least|some|the end|then|now|"
                           r"far|mid|late|early)\b)")
MAX_OBJECT_GAP = 12   # words between a verb and its object
# types whose target may be a place-like actor ("menyerang ... di Ukraina")
PLACE_TARGET_TYPES = {"ASSAULT", "MOBILIZE", "COERCE", "RETREAT"}
# types whose target the text may leave to the context ("Hamas membantah tuduhan itu")
DISCOURSE_TARGET_TYPES = {"REJECT", "ACCUSE", "REQUEST", "SUPPORT", "RETREAT", "THREATEN",
                          "PROTEST", "CONCEDE", "MOBILIZE"}
PROMISE = {"id": re.compile(r"(?i)\b(?:akan|bakal|bersedia|siap|berjanji|menawarkan)\b"),
           "en": re.compile(r"(?i)(?:\bwill\b|'ll\b|\bwilling to\b|\bprepared to\b|\bready to\b|"
                            r"\boffered to\b|\bpromised to\b|\bpledged to\b|"
                            r"\b(?:said|says|announced|declared|stated)\s+(?:that\s+)?(?:it|they|he|she|we)\s+"
                            r"would\b)")}
THREATENABLE = {"COERCE", "SANCTION", "ASSAULT", "MOBILIZE"}
DECIDED = {"id": re.compile(r"(?i)\b(?:mengumumkan|memutuskan|menetapkan)\b"),
           "en": re.compile(r"(?i)\b(?:announced|decided|ordered|declared)\b")}
VIA = re.compile(r"(?i)\b(?:melalui|lewat|via|through)\s+"
                 r"(?:(?!(?:dengan|with|kepada|to|ke|dan|and)\b)[\w'’-]+\s+){0,4}$")
# "memerintahkan penutupan konsulat Rusia": what is ordered is an act, not an actor
NOMINALISATION = re.compile(r"(?i)\b(?:pe\w+an|\w+(?:tion|ment|ure))\b")
# what separates an act from a demand that is not its aim, or a protest that is not its object
AIM_BREAK = re.compile(r"(?i)[;]|\b(?:and|but|while|dan|namun|sementara|said|kata)\b")
OBJECT_BREAK = re.compile(r"(?i)\b(?:in|at|during|by|after|di|dalam|saat|oleh|setelah)\b")
# what a complaint is about: "over two Israeli air raids", "atas serangan Israel"
ABOUT = re.compile(r"(?i)\b(?:over|about|against|regarding|concerning|atas|terkait|tentang|soal|mengenai)\s+"
                   r"(?:[\w'’-]+\s+){0,3}$")
# an event named as the occasion of another: "after two days of fierce fighting", "menyusul serangan"
BACKGROUND = re.compile(r"(?i)\b(?:after|following|amid|despite|in response to|in the wake of|because of|due to|"
                        r"setelah|menyusul|usai|seusai|pasca|di tengah|akibat)\s+(?:[\w'’-]+\s+){0,4}$")
VISIT = re.compile(r"(?i)visit|arriv|kunjung|lawatan|tiba")
# who makes a visit (troops that arrive are deployed, not visiting)
VISITOR = re.compile(r"(?i)president|minister|presiden|menteri|delega|king|queen|raja|ratu|leader|pemimpin|"
                     r"secretary|sekretaris|envoy|utusan|chancellor|kanselir|ambassador|duta besar")
# what lifting ends a military, not a political, restriction (PLOVER RETREAT, not CONCEDE)
MILITARY_RESTRICTION = re.compile(r"(?i)blockade|siege|blokade|pengepungan")
# "will boycott the elections unless the president agrees to step down": an ultimatum
ULTIMATUM = {"id": re.compile(r"(?i)\b(?:kecuali|jika tidak|kalau tidak|atau akan)\b"),
             "en": re.compile(r"(?i)\b(?:unless|or else|otherwise|until)\b")}
THREAT_MARKER = {"id": PROMISE["id"],
                 "en": re.compile(r"(?i)(?:\bwill\b|'ll\b|\bwould\b|\bready to\b|\bprepared to\b)")}
CONDITION = {"id": re.compile(r"(?i)\b(?:jika|apabila|bila|kalau|seandainya|kemungkinan|mungkin)\b"),
             "en": re.compile(r"(?i)\b(?:if|unless|could|might|may|whether)\b")}
# in Indonesian "akan" marks plans as often as promises: only material commitments count
PROMISABLE = {"en": {"AID", "SUPPORT", "COOPERATE", "RETREAT", "CONCEDE", "CONSULT"},
              "id": {"AID", "COOPERATE", "RETREAT", "CONCEDE"}}
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
# verbs whose object names an act they undo, not a new act
OBJECT_TAKING = {"CONCEDE", "RETREAT"}
EN_EVENT_NOUNS = {"meeting", "talks", "agreement", "deal", "summit", "visit", "negotiations", "accord",
                  "truce", "attack", "strike", "vote", "exchange", "swap", "incident", "invasion",
                  "accusations", "accusation", "sanctions", "deployment", "mediation", "protest",
                  "attacks", "strikes", "fighting", "clashes", "battles", "bombing", "bombings", "raid", "raids",
                  "shelling", "killing", "killings", "shooting", "protests", "demonstration", "demonstrations",
                  "rally", "rallies", "riots"}
PLURAL_PRONOUN = re.compile(r"(?i)^\W*(?:mereka|keduanya|ketiganya|kedua(?:nya)?|they|both|the two|the three)\b")
# one-sided commitments need no partner; "sepakat"/"agreed" always has one
COMMITMENT = re.compile(r"(?i)commit|promis|pledg|willing|prepared|berjanji|berkomitmen|menjanjikan|bersedia")
# an agent the text describes but does not name: "Islamic fundamentalists", "a judge",
# "the rebel Kurdistan Workers' Party", "para demonstran"
UNNAMED_AGENT = re.compile(
    r"(?i)\b(?:rebels?|guerr?illas?|militants?|insurgents?|fundamentalists?|activists?|protesters?|"
    r"demonstrators?|students?|refugees?|workers?|farmers?|landowners?|separatists?|extremists?|"
    r"nationalists?|militia(?:s|men)?|gunmen|party|movement|front|coalition|opposition|judge|court|"
    r"people|residents|villagers|citizens|crowds?|ethnic|warga|penduduk|massa|"
    r"president|prime minister|minister|general|commander|officials?|authorities|police|troops|soldiers|"
    r"army|forces|presiden|perdana menteri|menteri|jenderal|komandan|pejabat|otoritas|aparat|polisi|"
    r"tentara|pasukan|militer|"
    r"leaders?|pemberontak|militan|gerilyawan|demonstran|pengunjuk rasa|mahasiswa|aktivis|pengungsi|"
    r"buruh|petani|separatis|partai|gerakan|oposisi|hakim|pengadilan|kelompok)\b")
# "China must drop barriers": who must act is asked to by whoever says so
OBLIGATION = re.compile(r"(?i)must|harus")
REPORTING = re.compile(r"(?i)\b(?:said|says|declared|declares|stated|told|insisted|insists|warned|argued|added|"
                       r"announced|stressed|reiterated|wrote|believes?|mengatakan|menyatakan|menegaskan|"
                       r"berpendapat|menilai)\b")
ORGANISATION_CODES = {"NATO", "UN", "EU", "ASEAN", "AU", "G7", "G20", "QUAD", "AUKUS", "IP4", "SCO",
                      "BRICS", "OPEC", "GCC", "ARAB_LEAGUE", "OIC", "APEC", "CSTO", "ECOWAS", "PIF", "OSCE"}
PLAN_NOUN = re.compile(r"(?i)\b(?:rencana|usulan|wacana|gagasan|plans?|proposals?|proposed)\s+(?:untuk|agar|to)\b")
NOUN_THEN_MODAL = re.compile(r"(?i)^(?:\s+[\w'’-]+){0,4}?\s+(?:dapat|bisa|akan|mungkin|could|would|might|may|will)\b")
# "Permintaan tersebut ditolak.": the sentence's subject names an act told before
ANAPHORIC_SUBJECT = re.compile(r"^\W*(\w+)\s+(?:itu|tersebut|ini)\b")
RECIPROCAL = re.compile(r"(?i)\b(?:each|masing-masing|saling|one another|each other)\b")
TEMPORAL_PREPOSITION = re.compile(r"(?i)^(?:pada|tahun|sejak|hingga|sampai|akhir|awal|pertengahan|"
                                  r"in|since|until|by|of|early|late|mid|during|selama)$")
RELATIVE = re.compile(r"(?i)\b(?:yang|which|who|whom|whose)\b")
COORDINATED_VERB = re.compile(r"(?i)\b(?:dan|serta|and|lalu|kemudian|then)\b|,")
ANAPHORIC_OBJECT = {
    "id": re.compile(r"(?i)^\s+(?:keras\s+)?(?:\w+\s+){0,2}(?:itu|tersebut|ini)\b"),
    "en": re.compile(r"(?i)^\s+(?:the|this|that|these)\s+(?:\w+\s+)?(?:attacks?|strikes?|incidents?|moves?|"
                     r"launch(?:es)?|detention|seizure|deployment|accusations?|claims?|decision|raid|shelling|"
                     r"sanctions|expulsion|test|agreement|deal|vote|resolution|plan|proposal|exchange|talks|"
                     r"meeting|ceasefire|truce|visit|approval|request|demand)\b"),
}
AGREEMENT_CONTENT = {"COOPERATE", "AID", "RETREAT", "CONCEDE"}
MEDIATION = re.compile(r"(?i)media|broker|tengah|fasilitas|tuan rumah|host")
CONSULT_MODE_PRIORITY = ["third-party", "phone", "visit", "multilateral"]

CONTEXT_CUES = {
    "military": r"militer|pertahanan|rudal|pasukan|tentara|angkatan|latihan|senjata|jet|kapal perang|"
                r"military|defen[cs]e|missile|troops|army|navy|weapons|drills?",
    "diplomatic": r"diplomat|duta besar|kedutaan|menteri luar negeri|kemlu|embassy|ambassador|foreign minist",
    "economic": r"ekonomi|dagang|perdagangan|ekspor|impor|tarif|investasi|economic|trade|export|import|tariff|oil|minyak|gas",
    "territory": r"perbatasan|wilayah|kedaulatan|beting|kepulauan|border|territor|sovereignty|shoal|islands",
    "humanitarian": r"kemanusiaan|pengungsi|humanitarian|refugee",
    "cyber": r"siber|cyber",
    "terrorism": r"teroris|terror",
    "cbrn": r"nuklir|uranium|nuclear",
    "legal": r"mahkamah|pengadilan|gugatan|hukum|court|lawsuit|genocide|genosida",
}


@dataclass
class Slot:
    """One actor position in a sentence: coordinated or co-referring mentions."""
    start: int
    end: int
    actors: list[str]
    persons: list[str] = field(default_factory=list)
    coref: bool = False    # every mention in it refers back ("kedua negara", "ia")
    rules: list[str] = field(default_factory=list)    # how each mention was found


def load_modes(path=None) -> dict[str, dict[str, re.Pattern]]:
    """PLOVER modes and their cues (data/modes.yaml), per event type, in file order."""
    source = path or resources.files("aliansi") / "data" / "modes.yaml"
    try:
        table = yaml.safe_load(source.read_text(encoding="utf-8"))
        return {event_type: {mode: re.compile(rf"(?i)(?<![\w-])(?:{cue})(?![\w-])")
                             for mode, cue in modes.items()}
                for event_type, modes in table.items()}
    except (OSError, yaml.YAMLError, re.error, AttributeError) as exc:
        raise ConfigError(f"{source}: cannot read the PLOVER modes: {exc}") from None


class EventStage:
    """Finds events sentence by sentence. Needs sentences, mentions, times, places."""

    name = "events"

    def __init__(self, *, triggers: list[Trigger] | None = None, min_confidence: float = 0.0,
                 context_window: int = 8, lexicons: Sequence[str] = DEFAULT_LEXICONS,
                 parser: bool | None = None):
        """`context_window`: how many sentences back an undated event may take the
        date of the last dated event, marked `date_basis="context"` (0 turns this off).
        `lexicons`: the languages whose built lexicons (data/lexicon/) join the hand one.
        `parser`: agents and patients from the packaged dependency parser (aliansi.roles)
        where it names them, the patterns deciding the rest. Off by default (on with
        `ALIANSI_PARSER=on`): with both parsers it raises both real-news halves but
        doubles the CPU per article and a one-article run's start-up (BENCHMARKS.md)."""
        self.triggers = triggers if triggers is not None else load_triggers(lexicons=lexicons)
        self._by_lang: dict[str, list[Trigger]] = {}
        for trigger in self.triggers:
            self._by_lang.setdefault(trigger.lang, []).append(trigger)
        self.modes = load_modes()
        self._kb = None     # loaded on first need: organisations' members
        self.context_window = context_window
        self.min_confidence = min_confidence
        self._hyp = {lang: re.compile(rf"(?<![\w-])(?:{p})(?![\w-])", re.I) for lang, p in HYPOTHETICAL.items()}
        self._neg = {lang: re.compile(rf"(?<![\w-])(?:{p})(?![\w-])", re.I) for lang, p in NEGATION.items()}
        self._context = {name: re.compile(rf"(?i)\b(?:{p})") for name, p in CONTEXT_CUES.items()}
        self.notes: list[tuple[int, Hit, str]] | None = None
        self.parser = parser if parser is not None else os.environ.get("ALIANSI_PARSER", "off") == "on"
        self._roles_rule = ""     # how the last `arguments` call found its roles (for the rule)
        self._parses: dict = {}   # an article's parses, by sentence start
        self._hits: dict = {}     # and the trigger hits found on the way

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
        for index, sentence in enumerate(article.sentences):
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
        article.events = [e for e in events if e.confidence >= self.min_confidence]
        for event in article.events:
            _name_agents(article, event)
        article.stages.append(self.name)
        return article

    def _parse_all(self, article: Article, triggers: list[Trigger], lang: str) -> dict:
        """The parses of the sentences that name an actor and have a trigger candidate,
        in one batch, by sentence start."""
        self._hits = {s.start: find_triggers(s.text, triggers) for s in article.sentences
                      if any(m.salient and m.actor for m in article.mentions_in(s.start, s.end))}
        chosen = [s for s in article.sentences if self._hits.get(s.start)]
        return dict(zip((s.start for s in chosen), parse_roles.parse_many([s.text for s in chosen], lang)))

    # -- one sentence -------------------------------------------------------

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
        slots = _slots(article.mentions_in(sentence.start, sentence.end), sentence.start, text)
        if not slots and not PLURAL_PRONOUN.search(text) and not ANAPHORIC_SUBJECT.match(text):
            self._note(sentence, hits, "the sentence names no actor")
            return []
        times = [_anaphoric(t, last_date) if t.value is None else t
                 for t in article.times_in(sentence.start, sentence.end)]
        offsets = [t for t in article.times_in(sentence.start, sentence.end)
                   if t.value is None and (t.rule or "").startswith("event_offset:")
                   and not (t.rule or "").endswith(":0d")]
        times = [t for t in times if t and t.value]
        places = [p for p in article.places if sentence.start <= p.start < sentence.end]
        resolved = []
        # the parse, for the sentences that have a trigger and an actor (aliansi.roles)
        doc = self._parses.get(sentence.start) if sentence.start in self._parses \
            else parse_roles.parse(text, lang) if self.parser else None
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
            governor = _governor(hit, hits[:i], text)
            if governor is not None:
                undone[id(governor)] = hit
            roles = self.arguments(hit, slots, text, lang, list(earlier) + local, article_actors,
                                   [h.end for h in hits[:i]], governor, orgs, hits,
                                   place_states, doc)
            found_by[id(hit)] = self._roles_rule
            if isinstance(roles, str):
                self._note(sentence, [hit], roles)
                if roles.startswith("the noun refers back"):
                    referring.append(hit)
                continue
            source, target, how = roles
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
            hypothetical, negated = self.flags(hit, [h for h in hits[:i] if h not in referring], text, lang)
            time = _offset_from(hit, offsets, _day_anchor(times, context_date), context_date,
                                sentence.start, text) \
                or _time_for(hit, acting, times, sentence.start, text, hits)
            date_basis = "sentence"
            if time and time.rule.startswith("anaphoric"):
                date_basis = "anaphoric"
            elif time and time.rule.startswith("offset:main"):
                date_basis = "anaphoric"      # "Sehari sebelum patroli dimulai, X ...": X's own date
            elif time and time.rule.startswith("offset"):
                date_basis = "relative"
            if time is None and context_date is not None:
                # nothing in the sentence dates it: the occasion the text last dated
                time, date_basis = context_date, "context"
            place = _nearest_place(hit, places, sentence.start)
            kind = hit.trigger.type
            if kind == "CONCEDE" and id(hit) in undone and MILITARY_RESTRICTION.search(undone[id(hit)].text):
                kind = "RETREAT"     # "lifted a blockade", "mencabut blokade": a military de-escalation
            mode = hit.trigger.mode or self.mode_of(kind, hit.text, text)
            if hit.trigger.type == "CONSULT" and mode is None:
                mode = _consult_mode(text, source + target)
                if mode is None and place and place.country in source + target and len(source + target) == 2:
                    # a meeting on one party's ground is the other party's visit
                    mode = "visit"
                    source, target = [a for a in source + target if a != place.country], [place.country]
            confidence = hit.trigger.confidence + (0.15 if how == "direct" else -0.1)
            events.append(Event(
                type=kind, source=source, target=target,
                evidence=text, evidence_spans=[(sentence.start, sentence.end)],
                mode=mode, context=self.contexts(hit.trigger, text),
                date=time.value if time else None,
                date_precision=time.precision if time else None,
                date_text=time.text if time else None,
                date_basis=date_basis if time else None,
                location=place.name if place else None,
                location_country=place.country if place else None,
                hypothetical=hypothetical, negated=negated,
                confidence=max(0.05, min(0.95, confidence)),
                trigger=hit.text, rule=f"{hit.trigger.rule}:{found_by[id(hit)]}:{how}",
                source_persons=_persons_of(slots, source, hit),
                target_persons=[]))
        _date_agreements_by_talks(events)
        return _join_consultations(events + self.promises(events, text, lang))

    def arguments(self, hit: Hit, slots: list[Slot], text: str, lang: str = "id",
                  earlier: Sequence = (), article_actors: set[str] | None = None,
                  earlier_triggers: Sequence[int] = (), governor: Hit | None = None,
                  summit_orgs: Sequence[Mention] = (), all_hits: Sequence[Hit] = (),
                  places: Sequence[tuple[int, str]] = (), doc=None,
                  ) -> tuple[list[str], list[str], str] | str:
        """Source and target codes for one trigger and how they were found, or
        the reason why there are none. `earlier` holds the document's events so
        far, for a target the sentence leaves implicit ("Hamas membantah tuduhan itu").
        `doc`, the sentence's parse: its agent and patient win where it names them
        (`self._roles_rule` says which did)."""
        t = hit.trigger
        self._roles_rule = "agent=pattern;patient=pattern"
        rest = text[hit.end:]
        if _refers_back(hit, text, lang):
            return "the noun refers back to an event already reported"
        if governor is not None:
            return f"it is what “{governor.text}” acts on, not an event of its own"
        groups = _groups(slots, text)
        before = [g for g in groups if g[-1].end <= hit.start]
        head_end = hit.start + len(hit.text.split()[0])   # "gave Britain military aid": Britain counts
        # the object lies before a coordinated next verb ("menghormati proses hukum di ICJ
        # dan meminta Myanmar"); a complement verb keeps it ("refused to deploy troops in Iraq")
        limit = len(text)
        for other in all_hits:
            if other.start >= hit.end:
                if re.search(r"(?i)(?:,|\b(?:dan|serta|and|lalu|kemudian|then))\s*$", text[:other.start]):
                    limit = other.start
                break
        # "menyampaikan protes melalui Perutusan Tetap RI untuk PBB": the channel is no party
        following = [g for g in groups if head_end <= g[0].start < limit
                     and _gap_words(text, hit.end, g[0].start) <= MAX_OBJECT_GAP
                     and not VIA.search(text[:g[0].start])]
        after = [g for g in following if not LOCATIVE.search(text[:g[0].start])]
        how = "direct"
        subject = _purpose_agent(_subject(before, text, hit.start, earlier_triggers), before, hit, all_hits, text)
        obj = after[0] if after else None
        passive = t.voice == "passive" or (lang == "en" and ENGLISH_AGENT.match(rest))
        # an inverse trigger ("menerima kunjungan", "hosted") turns its words' roles round: patterns only
        parsed = parse_roles.arguments(doc, hit.start, hit.end, slots, symmetric=t.type in SYMMETRIC_TYPES,
                                       nominal=t.nominal, groups=groups) \
            if doc is not None and not t.inverse else None
        if t.nominal and obj and _gap_words(text, hit.end, obj[0].start) <= 2 \
                and not TARGET_PREP.search(text[hit.end:obj[0].start]):
            # "serangan udara Israel ke Gaza": the genitive is the agent;
            # "dengan dukungan OKI": what the sentence's subject did has the agent's backing
            backed = re.search(r"(?i)\b(?:dengan|with|atas)\s+$", text[:hit.start])
            subject, obj = obj, after[1] if len(after) > 1 else (subject if backed else None)
        elif passive and subject is None and not any(AGENT.search(text[:g[0].start]) for g in after) \
                and not (parsed and parsed.agent):
            # "Permintaan tersebut ditolak.": refused by whom the request was made of
            subject_noun = ANAPHORIC_SUBJECT.match(text[:hit.start])
            types = {h.trigger.type for h in find_triggers(
                subject_noun.group(1), self._by_lang.get(lang, []))} if subject_noun else set()
            referred = next((e for e in reversed(earlier) if e.type in types and e.target
                             and not e.hypothetical and not e.negated), None)
            if referred:
                return list(referred.target), list(referred.source), "anaphoric-subject"
            return "no actor stands as its agent"
        elif passive:
            agent = next((g for g in after if AGENT.search(text[:g[0].start])), None)
            if agent is None and t.voice == "passive" and lang == "id" and obj \
                    and _gap_words(text, hit.end, obj[0].start) == 0:
                agent = obj            # "ditandatangani Perdana Menteri Thailand ..."
            subject, obj = agent, subject
        elif t.inverse:
            subject, obj = obj, subject
        if parsed is not None:
            subject, obj = parsed.agent or subject, parsed.patient or obj
            self._roles_rule = (f"agent={'parse/' + parsed.agent_how if parsed.agent else 'pattern'};"
                                f"patient={'parse/' + parsed.patient_how if parsed.patient else 'pattern'}")
        if subject is None and t.type not in SYMMETRIC_TYPES and PLURAL_PRONOUN.search(text[:hit.start]):
            # "Mereka menyerukan junta Myanmar ...": those who last met
            previous = next((e for e in reversed(earlier) if e.type in SYMMETRIC_TYPES
                             and not e.hypothetical and not e.negated), None)
            if previous:
                agents = _unique(list(previous.source) + list(previous.target))
                subject, how = [Slot(0, 0, agents)], "coref-event"
        if subject is None and t.type in SPEECH_TYPES:
            speaker = next((g for g in after if SPEAKER.search(text[:g[0].start])), None)
            if speaker:
                subject, how = speaker, "speaker"
                obj = next((g for g in after if g is not speaker), None)
        if t.type == "MOBILIZE" and obj and subject:
            mine = self._members_of(subject)
            if mine and all(a in mine for s in obj for a in s.actors):
                obj = None      # deploying to a member's ground is no act against it
        if obj is None and t.type in PLACE_TARGET_TYPES and not passive:
            # "menyerang ... di Ukraina"; not an organisation's own member ("NATO
            # mengerahkan jet ke Polandia timur" is no act against Poland)
            mine = self._members_of(subject)
            obj = next((g for g in following if g is not subject
                        and not all(a in mine for s in g for a in s.actors)), None)
        if subject and t.type not in SYMMETRIC_TYPES and len(_unique(a for s in subject for a in s.actors)) > 1 \
                and RECIPROCAL.search(text[subject[-1].end:hit.end + 40]):
            return _unique(a for s in subject for a in s.actors), [], "reciprocal"
        if t.type == "REQUEST" and OBLIGATION.fullmatch(hit.text):
            return self._obligation(hit, before, after, text)
        if t.direct_object and not (obj and _gap_words(text, hit.end, obj[0].start) <= 1
                                    and not NOMINALISATION.search(text[hit.end:obj[0].start])):
            return "the verb needs an actor as its direct object (an order to someone)"
        if t.mode == "multilateral" and obj is None:
            host = [m for m in summit_orgs if hit.end <= m.start <= hit.end + 1]
            if host:
                obj = [Slot(host[0].start, host[0].end, [host[0].actor])]
        if t.type in SYMMETRIC_TYPES:
            plural_pronoun = subject is None and PLURAL_PRONOUN.search(text[:hit.start])
            if (subject and all(slot.coref for slot in subject)) or plural_pronoun:
                # "keduanya sepakat", "mereka sepakat": those who last met or agreed
                previous = next((e for e in reversed(earlier) if e.type in SYMMETRIC_TYPES
                                 and not e.hypothetical and not e.negated), None)
                if previous:
                    if getattr(previous, "mode", None) == "third-party" and len(previous.target) >= 2:
                        return previous.target[:1], previous.target[1:], "coref-event"
                    return previous.source, previous.target, "coref-event"
            # actors inside the trigger itself: "Misi Jepang untuk NATO resmi dibuka"
            inside = [g for g in groups if hit.start <= g[0].start and g[-1].end <= hit.end]
            if inside and subject is None:
                subject, obj = inside[0], inside[1] if len(inside) > 1 else obj
            found = self._symmetric(subject, obj, after, text, how,
                                    mediation=bool(MEDIATION.search(hit.text)))
            if isinstance(found, str) and subject and VISIT.search(hit.text) and \
                    (any(s.persons for s in subject) or VISITOR.search(text[subject[0].start:subject[-1].end])):
                # "Saddam Hussein arrived in Amman on a visit": the visited place's state hosts
                visitor = _unique(a for s in subject for a in s.actors)
                host = next((country for start, country in places if start >= hit.start
                             and country not in visitor), None)
                if host and len(visitor) == 1:
                    return visitor, [host], "visit-place"
            if isinstance(found, str) and t.type == "AGREE" and subject and COMMITMENT.search(hit.text) and \
                    len(_unique(a for slot in slots for a in slot.actors)) == 1:
                # a commitment with no partner named in the sentence: to whom the text
                # was about ("Germany pledged four more systems"), else to no one
                # ("Vietnam is committed to opening up the economy")
                committed = _unique(a for s in subject for a in s.actors)
                partner = _counterpart(committed, earlier)
                return committed, partner, "discourse" if partner else "unilateral"
            return found
        if subject is not None and not (parsed and parsed.agent) and not _agent_of_its_clause(subject, hit, text):
            subject = None
        if subject is None and not passive:
            home = _home_state(slots, text[:hit.start])
            if home:
                subject, how = [Slot(0, 0, [home])], "unnamed-agent"
        if subject is None:
            return "no actor stands as its agent"
        source = _unique([a for s in subject for a in s.actors])
        if ANAPHORIC_OBJECT[lang].match(rest) and t.type in DISCOURSE_TARGET_TYPES:
            # "mengecam serangan itu": aimed at whoever did what the text told before
            again = next((e for e in reversed(earlier) if e.type == t.type and set(e.source) & set(source)
                          and e.target and not e.hypothetical and not e.negated), None)
            if again is not None:
                # "Gambia mengajukan gugatan tersebut": its own act told before, at the same target
                return source, [a for a in again.target if a not in source] or list(again.target), \
                    "anaphoric-object"
            live = [e for e in reversed(earlier) if not e.hypothetical and not e.negated
                    and not set(e.source) & set(source)]
            noun = ANAPHORIC_OBJECT[lang].match(rest).group()
            noun_types = {h.trigger.type for h in find_triggers(
                noun, self._by_lang.get(lang, []))}
            referred = next((e for e in live if e.type in noun_types and set(e.target) & set(source)), None) \
                or next((e for e in live if e.type in noun_types), None) \
                or next((e for e in live if set(e.target) & set(source)), None)
            if referred:
                parties = list(referred.source) + (list(referred.target) if referred.type in SYMMETRIC_TYPES
                                                   else [])
                parties = [a for a in _unique(parties) if a not in source]
                if parties:
                    return source, parties, "anaphoric-object"
        if t.type in ("ACCUSE", "PROTEST") and obj:
            obj = _complaint_subject(obj, after, text) or obj
        target = _unique([a for s in obj or () for a in s.actors if a not in source])
        if not target and t.type in DISCOURSE_TARGET_TYPES:
            target, how = _counterpart(source, earlier), "discourse"
        if not target and obj and t.type not in SYMMETRIC_TYPES and \
                all(a in source for s in obj for a in s.actors) and \
                all(rule in ("adjective", "body+state") for s in obj for rule in s.rules):
            # its own people: "Turkey will allow Turkish Kurd refugees to return home"
            target, how = list(source), "own"
        if not target:
            # last resort: an actor named as the place of the act ("refused to deploy
            # peacekeepers in Iraq")
            mine = self._members_of(subject)
            place = next((g for g in following if LOCATIVE.search(text[:g[0].start])), None)
            target = _unique([a for s in place or () for a in s.actors if a not in source and a not in mine])
            how = "place" if target else how
        if not target and article_actors is not None and article_actors <= set(source):
            # the text names one actor and no earlier event: a domestic act
            # ("Sudan lifted a state of emergency in West Darfur")
            # two or more of them acting together ("Czechia and Albania upgraded their
            # ties") act on no one else
            target, how = (list(source) if len(source) == 1 else []), "domestic"
        if not target and how != "domestic":
            return source, [], "untargeted"
        return source, target, how

    @staticmethod
    def _obligation(hit: Hit, before: list[list[Slot]], after: list[list[Slot]], text: str):
        """"The Bush administration declared that China must drop barriers": a
        REQUEST from the speaker to the one who must act."""
        bound = before[-1] if before and _gap_words(text, before[-1][-1].end, hit.start) <= 6 else None
        if bound is None:
            return "no actor stands as the one who must act"
        reports = list(REPORTING.finditer(text, 0, bound[0].start))
        speaker = None
        if reports:
            speaker = _subject([g for g in before if g[-1].end <= reports[-1].start()], text, reports[-1].start())
        if speaker is None:
            speaker = next((g for g in after if SPEAKER.search(text[:g[0].start])), None)
        if speaker is None:
            return "no speaker says who must act"
        source = _unique(a for s in speaker for a in s.actors)
        target = _unique(a for s in bound for a in s.actors if a not in source)
        if not target and (bound is speaker or all(slot.coref for slot in bound)):
            return "the speaker says what it must do itself"
        if not target:      # "Rwandan rebels announced that President Kagame ... must agree"
            return source, source, "obligation-domestic"
        return source, target, "obligation"

    @staticmethod
    def _symmetric(subject, obj, after, text, how, *, mediation: bool = False):
        members: list[str] = []
        own = [a for slot in subject or () for a in slot.actors]
        members += own
        # "Jepang dan AS sepakat ..." needs no object; mediators always have parties
        if len(_unique(own)) < 2 or mediation:
            members += [a for slot in obj or () for a in slot.actors]
        for g in after:
            if PARTNER.search(text[:g[0].start]):
                members += [a for slot in g for a in slot.actors]
        members = _unique(members)
        if len(members) < 2:
            return "a symmetric event needs two actors; the sentence names " + (members[0] if members else "none")
        src = _unique([a for s in subject or obj for a in s.actors])
        tgt = [a for a in members if a not in src]
        if not tgt:
            src, tgt = members[:1], members[1:]
        return src, tgt, how

    def _members_of(self, group: Sequence[Slot] | None) -> set[str]:
        """The members of the organisations in an actor group (NATO: its states)."""
        codes = {a for slot in group or () for a in slot.actors}
        if not codes & ORGANISATION_CODES:
            return set()
        if self._kb is None:
            from ..kb import KnowledgeBase

            self._kb = KnowledgeBase.load()
        members: set[str] = set()
        for code in codes & ORGANISATION_CODES:
            try:
                members |= self._kb.members(code)
            except KeyError:
                continue
        return members

    def mode_of(self, event_type: str, trigger: str, sentence: str) -> str | None:
        """The PLOVER mode whose cue stands in the trigger, else in the sentence."""
        cues = self.modes.get(event_type)
        if not cues:
            return None
        for text in (trigger, sentence):
            for mode, pattern in cues.items():
                if pattern.search(text):
                    return mode
        return None

    def promises(self, events: list[Event], text: str, lang: str) -> list[Event]:
        """What an actor says it will do is an event now (EVENTS.md §4, PLOVER):
        a promise or an offer of help is an AGREE ("Finland will give Tanzania a
        grant"); an announced coercive or violent act is a THREATEN ("NATO would
        tighten the blockade"). The planned act itself stays flagged."""
        made = []
        for event in events:
            if not event.hypothetical or event.negated:
                continue
            window = text[:text.find(event.trigger)] if event.trigger in text else text
            window = " ".join(window.split()[-10:])
            marker = None
            # "they would blockade Paris": reported coercion threatens even with "would"
            markers = THREAT_MARKER[lang] if event.type in THREATENABLE | {"PROTEST"} else PROMISE[lang]
            for marker in markers.finditer(window):
                pass
            if marker is None:
                continue
            if any(h.trigger.type != event.type
                   for h in find_triggers(window[marker.end():], self._by_lang.get(lang, []))):
                continue    # "akan membahas paket sanksi": the plan is a talk, not a sanction
            if event.type in PROMISABLE[lang] and event.rule.endswith(":domestic"):
                continue    # an act on no one named promises nothing to anyone
            if event.type in PROMISABLE[lang] and not CONDITION[lang].search(text):
                kind = "AGREE"
            elif event.type == "SANCTION" and DECIDED[lang].search(window[:marker.start()]) \
                    and not CONDITION[lang].search(text):
                kind = "SANCTION"    # "announced it would prohibit all aid": a sanction decided now
            elif event.type in THREATENABLE or (event.type == "PROTEST" and ULTIMATUM[lang].search(text)):
                kind = "THREATEN"
            else:
                continue
            said = Event(**{**event.__dict__})
            said.type, said.hypothetical = kind, False
            said.mode = event.mode if kind == event.type else None
            said.context = list(event.context)
            said.evidence_spans = list(event.evidence_spans)
            said.rule = f"{event.rule}:{ {'AGREE': 'promise', 'THREATEN': 'threat'}.get(kind, 'decided')}"
            said.confidence = max(0.05, event.confidence - 0.15)
            made.append(said)
        return made

    def flags(self, hit: Hit, earlier: list[Hit], text: str, lang: str) -> tuple[bool, bool]:
        clause_start = 0
        for m in CLAUSE_BREAK.finditer(text, 0, hit.start):
            clause_start = m.end()
        clause = text[clause_start:hit.start]
        window = " ".join(clause.split()[-5:])
        # a condition governs its whole clause: "jika Amerika Serikat dan Korea Selatan melanjutkan latihan"
        hypothetical = bool(self._hyp[lang].search(window)) or bool(CONDITION[lang].search(clause))
        negated = bool(self._neg[lang].search(window))
        head = next((h for h in reversed(earlier) if h.start >= clause_start
                     and h.trigger.type != hit.trigger.type), None)
        if head is not None and _gap_words(text, head.end, hit.start) <= 6:
            if head.trigger.type in PLAN_HEADS:
                hypothetical = True
            elif head.trigger.type in DENIAL_HEADS:
                negated = True
        verb = next((h for h in reversed(earlier) if h.start >= clause_start
                     and h.trigger.type == hit.trigger.type and _gap_words(text, h.end, hit.start) <= 6), None)
        if verb is not None:
            # "will provide nearly 25,000 tons of food aid": the noun shares its verb's mood
            planned, denied = self.flags(verb, [h for h in earlier if h.start < verb.start], text, lang)
            hypothetical, negated = hypothetical or planned, negated or denied
        if (hit.trigger.nominal or hit.text.lower() in EN_EVENT_NOUNS) and \
                NOUN_THEN_MODAL.match(text[hit.end:]):
            hypothetical = True   # "serangan terhadap Taiwan dapat menjadi ...", "an attack ... could"
        if PLAN_NOUN.search(text[:hit.start]):
            hypothetical = True   # "adalah rencana untuk mengubah ... dukungan": inside a plan
        if hit.trigger.type in AGREEMENT_CONTENT and any(h.trigger.type == "AGREE" for h in earlier):
            hypothetical = True   # "menandatangani rencana aksi yang mencakup patroli terkoordinasi"
        if hit.trigger.type in ("AGREE",) and hypothetical and not negated:
            # "akan menandatangani" is still a plan; "sepakat untuk" is an agreement
            hypothetical = bool(re.search(r"(?i)\b(?:akan|bakal|berencana|will|would|plans?|if|jika|apabila)\b", window))
        return hypothetical, negated

    def contexts(self, trigger: Trigger, text: str) -> list[str]:
        found = list(trigger.context)
        for name, pattern in self._context.items():
            if name not in found and pattern.search(text):
                found.append(name)
        return found


# -- helpers ----------------------------------------------------------------

def _home_state(slots: list[Slot], before: str) -> str | None:
    """The state of an agent the text describes without naming it, when the
    sentence names one state only: "Islamic fundamentalists continued their hunger
    strike to demand the resignation of Algerian President ..." (EVENTS.md §3:
    a non-state group is coded by the state it is based in)."""
    clause = before
    for m in CLAUSE_BREAK.finditer(before):
        clause = before[m.end():]
    if not UNNAMED_AGENT.search(clause):
        return None
    codes = _unique(a for slot in slots for a in slot.actors)
    if len(codes) == 1 and codes[0] not in ORGANISATION_CODES and len(codes[0]) == 3:
        return codes[0]
    return None


def _purpose_agent(subject: list[Slot] | None, before: list[list[Slot]], hit: Hit,
                   all_hits: Sequence[Hit], text: str) -> list[Slot] | None:
    """"will visit Mauritania and Senegal to mediate": a purpose, whose agent is the
    main verb's; "urged Japan to stop" keeps Japan (the object is asked to act)."""
    previous = [h for h in all_hits if h.end <= hit.start]
    if not subject or not previous or previous[-1].trigger.type in ("REQUEST", "AGREE"):
        return subject
    verb = previous[-1]
    if subject[0].start >= verb.end and _gap_words(text, verb.end, subject[0].start) <= 2 \
            and re.search(r"(?i)^\s*(?:to|untuk|guna)\s*$", text[subject[-1].end:hit.start]):
        return _subject([g for g in before if g[-1].end <= verb.start], text, verb.start) or subject
    return subject


def _agent_of_its_clause(subject: list[Slot], hit: Hit, text: str) -> bool:
    """Whether the subject found can be the agent: a noun names an event of its own
    clause ("damages which were caused by a missile attack" is no attack by the
    sentence's subject), and a subject does not do what it reacts to ("Israel
    reimposed blockades following the shooting deaths of two Israelis")."""
    if hit.trigger.nominal or hit.text.lower() in EN_EVENT_NOUNS:
        boundary = max((m.end() for m in SUBJECT_BOUNDARY.finditer(text, 0, hit.start)), default=0)
        if subject[-1].end <= boundary:
            return False
    background = BACKGROUND.search(text[:hit.start])
    return not (background and subject[-1].end <= background.start())


def _complaint_subject(obj: list[Slot], after: list[list[Slot]], text: str) -> list[Slot] | None:
    """"Lebanon complained to the United Nations over two Israeli air raids": a
    complaint lodged with a forum is aimed at whom it is about."""
    forum = all(a in ORGANISATION_CODES for s in obj for a in s.actors)
    if not forum or not re.search(r"(?i)\b(?:to|kepada|ke)\s+(?:the\s+)?$", text[:obj[0].start]):
        return None
    return next((g for g in after if g[0].start > obj[-1].end and ABOUT.search(text[:g[0].start])), None)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def _gap_words(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())


def _slots(mentions: list[Mention], base: int, text: str) -> list[Slot]:
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


def _subject(before: list[list[Slot]], text: str, trigger_start: int,
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
                and _gap_words(text, between[-1][-1].end, trigger_start) <= 3:
            return between[-1]
    clause_start = 0
    for m in SUBJECT_BOUNDARY.finditer(text, 0, trigger_start):
        clause_start = m.end()
    own = [g for g in eligible if g[0].start >= clause_start]
    return own[0] if own else eligible[0]


def _groups(slots: list[Slot], text: str) -> list[list[Slot]]:
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


def _time_for(hit: Hit, acting: list[Hit], times: list[TimeExpression], base: int,
              text: str, hits: Sequence[Hit] = ()) -> TimeExpression | None:
    """The time expression that dates this trigger: the nearest one that is its
    own (nearer to it than to any other trigger), else the nearest one it can
    reach. A time cannot be reached across a relative clause ("yang ditahan
    sejak Juli 2025") or through another trigger it is the object of
    ("mengecam serangan ... pada Selasa"); coordinated verbs share their time."""
    def distance(t: TimeExpression, h: Hit) -> int:
        s, e = t.start - base, t.end - base
        return h.start - e if e <= h.start else (s - h.end if s >= h.end else 0)

    def blocked(t: TimeExpression) -> bool:
        s, e = t.start - base, t.end - base
        before_time = re.search(r"([\w-]+)\s+$", text[:s])
        if t.precision == "year" and before_time and before_time.group(1).islower() \
                and not TEMPORAL_PREPOSITION.match(before_time.group(1)):
            return True       # "putusan arbitrase 2016", "rencana aksi 2026–2030" name things
        if s >= hit.end and hit.trigger.type in SPEECH_TYPES - {"AGREE"} and t.precision in ("year", "month") \
                and re.search(r"\bme[a-z]+", text[hit.end:s]) \
                and _gap_words(text, hit.end, s) > 3:
            return True       # "menuduh militer Myanmar melakukan kekerasan ... pada 2017": the deed's year
        if s >= hit.end:
            gap, inner = text[hit.end:s], [h for h in hits if h.start >= hit.end and h.end <= s]
            lead = text[hit.end:inner[0].start] if inner else ""
        elif e <= hit.start:
            # inside a relative clause before the verb: "yang ditangkap pada Agustus lalu dan memulangkan"
            relative = None
            for relative in RELATIVE.finditer(text, 0, s):
                pass
            if relative and any(relative.end() <= h.start < s for h in hits) \
                    and "," not in text[relative.end():s]:
                return True
            gap, inner = text[e:hit.start], [h for h in hits if h.start >= e and h.end <= hit.start]
            lead = text[inner[-1].end:hit.start] if inner else ""
        else:
            return False
        relative = RELATIVE.search(gap) if s >= hit.end else None
        if relative:
            clause_start = hit.end + relative.end()
            # the relative clause ends where a coordinated verb of the main clause begins
            resumed = next((h for h in acting if clause_start <= h.start < s
                            and re.search(r"(?i)\b(?:dan|serta|and)\s+$", text[:h.start])), None)
            clause_end = resumed.start if resumed else len(text)
            # the relative clause has a verb of its own that the time belongs to (one of the
            # same type tells the same act: "kesepakatan yang ditandatangani ... pada September")
            if s < clause_end and (any(clause_start <= h.start < s and h.trigger.type != hit.trigger.type
                                       and not _governor(h, [hit], text) for h in hits)
                                   or re.search(r"(?i)\b(?:sejak|since)\s*$", text[:s])):
                return True
            # verbs inside a relative clause that has closed do not stand between
            inner = [h for h in inner if not clause_start <= h.start < clause_end]
        inner = [h for h in inner if h.trigger.type != hit.trigger.type]   # "signed ... agreement"
        if not inner:
            return False
        lead = text[hit.end:inner[0].start] if s >= hit.end else text[inner[-1].end:hit.start]
        return not COORDINATED_VERB.search(lead)

    own = [t for t in times if min(acting, key=lambda h: distance(t, h)) is hit and not blocked(t)]
    if own:
        return min(own, key=lambda t: distance(t, hit))
    reachable = [t for t in times if not blocked(t)]
    if reachable:
        return min(reachable, key=lambda t: distance(t, hit))
    return None


def _day_anchor(times: list[TimeExpression], context: TimeExpression | None) -> TimeExpression | None:
    days = [t for t in times if t.precision == "day"]
    return days[0] if days else context


def _offset_from(hit: Hit, offsets: list[TimeExpression], anchor: TimeExpression | None,
                 context: TimeExpression | None, base: int, text: str) -> TimeExpression | None:
    """Dates told relative to another event. "a day after Russia struck": the
    strike, inside the clause, came a day before the sentence's date. "Sehari
    sebelum patroli dimulai, X ...": X, in the main clause, came a day before
    the occasion the text last dated."""
    for t in offsets:
        match = re.match(r"event_offset:([+-])(\d+)([dw])$", t.rule or "")
        start, end = t.start - base, t.end - base
        if not match or end > hit.start:
            continue
        sign = 1 if match.group(1) == "+" else -1
        days = int(match.group(2)) * (7 if match.group(3) == "w" else 1)
        between = text[end:hit.start]
        main = False
        if "," not in between and _gap_words(text, end, hit.start) <= 6:
            reference, shift = anchor, -sign * days        # the trigger is the clause's own verb
        elif "," in between and start < 3:
            reference, shift = context, sign * days        # an opening clause dates the main one
            main = True
        else:
            continue
        if reference is None or not reference.value or len(reference.value) != 10:
            continue
        day = date.fromisoformat(reference.value) + timedelta(days=shift)
        value, precision = (day.isoformat(), "day") if match.group(3) == "d" else (day.isoformat()[:7], "month")
        return TimeExpression(t.start, t.end, t.text, value, precision, stage="events",
                              rule=f"offset{':main' if main else ''}:{t.rule}:{reference.value}")
    return None


def _anaphoric(time: TimeExpression, last_date: TimeExpression | None) -> TimeExpression | None:
    """Resolve "the same day" / "a day earlier" against the last day the text named."""
    match = OFFSET_RULE.match(time.rule or "")
    if not match or last_date is None or not last_date.value or len(last_date.value) != 10 \
            or not ANAPHORIC_OFFSET.search(time.text):
        return None
    day = date.fromisoformat(last_date.value) + timedelta(days=int(match.group(1)))
    return TimeExpression(time.start, time.end, time.text, day.isoformat(), "day",
                          stage="events", rule=f"anaphoric:{time.rule}:{last_date.value}")


def _governor(hit: Hit, earlier: Sequence[Hit], text: str) -> Hit | None:
    """The act this trigger belongs to, so that it is no event of its own: the verb
    that undoes it ("lifted a blockade", "mencabut sanksi"; a denied act is kept,
    flagged), the protest or coercion whose aim a demand states ("a hunger strike
    to demand ...", "would blockade Paris to demand ..."), or the coercion a
    protest undergoes ("to disperse demonstrators", "membubarkan demonstran")."""
    if not earlier:
        return None
    verb = earlier[-1]
    between = text[verb.end:hit.start]
    gap = _gap_words(text, verb.end, hit.start)
    if verb.trigger.type in OBJECT_TAKING and verb.trigger.type != hit.trigger.type \
            and gap <= (6 if re.match(r"\s+by\b", between) else 3) and not re.search(r"[,;]", between):
        return verb
    if hit.trigger.type == "REQUEST" and gap <= 8 and not AIM_BREAK.search(between) \
            and (verb.trigger.type == "PROTEST" or (verb.trigger.type in ("COERCE", "ASSAULT")
                                                    and re.search(r"(?i)\b(?:to|untuk)\s+$", text[:hit.start]))):
        return verb
    if hit.trigger.type == "PROTEST" and verb.trigger.type in ("COERCE", "ASSAULT") and gap <= 3 \
            and not re.search(r"[,;]", between) and not OBJECT_BREAK.search(between):
        return verb
    return None


def _refers_back(hit: Hit, text: str, lang: str) -> bool:
    """"serangan itu", "pertemuan tersebut", "welcomed the agreement": a noun
    naming an event the text has told already, not a new event."""
    word = hit.text.split()[0]
    if lang == "id":
        noun = hit.trigger.nominal or (len(hit.text.split()) == 1 and word.lower().endswith("an"))
        return noun and bool(ANAPHORIC_NOUN.match(text[hit.end:]))
    return hit.text.lower() in EN_EVENT_NOUNS and bool(
        re.search(r"(?i)\b(?:the|this|that|these|those)\s+(?:[\w-]+\s+)?$", text[:hit.start]))


def _counterpart(source: list[str], earlier: Sequence) -> list[str]:
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


def _date_agreements_by_talks(events: list[Event]) -> None:
    """An agreement reached "dalam perundingan ... pada Sabtu" has the talks' date."""
    talks = next((e for e in events if e.type == "CONSULT" and e.date_basis == "sentence"), None)
    if talks is None:
        return
    for event in events:
        if event.type == "AGREE" and event.date_basis in (None, "context"):
            event.date, event.date_precision = talks.date, talks.date_precision
            event.date_text, event.date_basis = talks.date_text, "sentence"


def _join_consultations(events: list[Event]) -> list[Event]:
    """One sentence, one meeting: the CONSULT events of a sentence whose actors
    overlap, or that a mediator joins, become one with all the parties."""
    consults = [e for e in events if e.type == "CONSULT" and not e.hypothetical and not e.negated]
    if len(consults) < 2:
        return events
    mediated = [e for e in consults if MEDIATION.search(e.trigger)]
    joined = consults[0]
    members = _unique(a for e in consults for a in e.source + e.target)
    if mediated:
        mediators = _unique(a for e in mediated for a in e.source)
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


def _nearest_place(hit: Hit, places: list[Place], base: int) -> Place | None:
    if not places:
        return None
    return min(places, key=lambda p: abs((p.start - base) - hit.end))


def _consult_mode(text: str, actors: Sequence[str] = ()) -> str | None:
    lowered = text.lower()
    if re.search(r"telepon|phone|video call|konferensi video", lowered):
        return "phone"
    if re.search(r"\bktt\b|summit|multilateral|trilateral|menghadiri|attended|contact group|"
                 r"retreat|ministerial|konferensi|conference|forum", lowered) \
            or len(set(actors)) >= 3:
        return "multilateral"
    if re.search(r"dimediasi|mediasi|mediated|brokered|penengah", lowered):
        return "third-party"
    return None




def _name_agents(article: Article, event: Event) -> None:
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


def _persons_of(slots: list[Slot], actors: list[str], hit: Hit) -> list[str]:
    names: list[str] = []
    for slot in slots:
        if slot.end <= hit.start and any(a in actors for a in slot.actors):
            names += slot.persons
    return _unique(names)
