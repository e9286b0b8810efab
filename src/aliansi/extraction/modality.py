"""The mood and kind of an event: plans, conditions and denials (flagged
`hypothetical`/`negated`), what an actor says it will do (a promise is an AGREE now,
announced coercion a THREATEN), its PLOVER mode and its contexts.
"""
from __future__ import annotations

import re
from importlib import resources
from typing import Sequence

import yaml

from ..errors import ConfigError
from ..model import Event
from .discourse import EN_EVENT_NOUNS
from .slots import CLAUSE_BREAK, gap_words
from .triggers import Hit, Trigger, find_triggers

# Words before a trigger, inside its clause, that make it a plan, a condition or
# a speculation (hypothetical) or deny it (negated).
HYPOTHETICAL = {
    "id": r"akan|bakal|berencana|merencanakan|rencana|dijadwalkan|hendak|ingin|berniat|berharap|"
          r"siap|jika|apabila|bila|kalau|seandainya|kemungkinan|mungkin|dapat|bisa|berpotensi|"
          r"diperkirakan|diharapkan|mempertimbangkan|agar|supaya|berusaha|upaya|bertujuan|ditujukan|"
          r"harus|wajib|mesti|hendaknya|sebaiknya",
    "en": r"will|would|'ll|plans?|planned|planning|intends?|intended|scheduled|expected|could|"
          r"may|might|if|should|must|ought to|considering|ready|set to|seeks?|sought|seeking|wants?|hopes?|"
          r"aims? to|aimed at|aiming to|designed to",
}
NEGATION = {
    "id": r"tidak|tak|belum|bukan|tanpa|enggan|urung|batal|membantah|menyangkal|pantang",
    "en": r"not|n't|never|no|without|denied|denies|deny",
}
# Complements of these types are not events of their own: "sepakat menggelar
# latihan" (AGREE, the exercise is a plan), "membantah menyerang" (denied).
PLAN_HEADS = {"AGREE", "REQUEST", "THREATEN"}
DENIAL_HEADS = {"REJECT"}
# what one side accuses another of is alleged, not reported as done: "accused Russia of
# systematically torturing prisoners", "menuduh pasukan Kamboja menembakkan roket"
ALLEGATION = re.compile(r"(?i)[tn]uduh|[tn]uding|accus|alleg")   # menuduh, dituduh, tuduhan; menuding
PROMISE = {"id": re.compile(r"(?i)\b(?:akan|bakal|bersedia|siap|berjanji|menawarkan)\b"),
           "en": re.compile(r"(?i)(?:\bwill\b|'ll\b|\bwilling to\b|\bprepared to\b|\bready to\b|"
                            r"\boffered to\b|\bpromised to\b|\bpledged to\b|"
                            r"\b(?:said|says|announced|declared|stated)\s+(?:that\s+)?(?:it|they|he|she|we)\s+"
                            r"would\b)")}
THREATENABLE = {"COERCE", "SANCTION", "ASSAULT", "MOBILIZE"}
DECIDED = {"id": re.compile(r"(?i)\b(?:mengumumkan|memutuskan|menetapkan)\b"),
           "en": re.compile(r"(?i)\b(?:announced|decided|ordered|declared)\b")}
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
PLAN_NOUN = re.compile(r"(?i)\b(?:rencana|usulan|wacana|gagasan|plans?|proposals?|proposed)\s+(?:untuk|agar|to)\b")
# A purpose clause ("klausa tujuan": untuk/guna/demi + verb; "in order to") states an
# aim, not an act: "melancarkan serangan untuk mendukung pasukan Afghanistan", "tenggat
# untuk melucuti milisi". A decision's content is the act decided: "memutuskan untuk
# menarik duta besarnya".
PURPOSE = {"id": re.compile(r"(?i)(?<!memutuskan )(?<!menetapkan )\b(?:untuk|guna|demi)\s+"
                            r"(?:(?:dapat|bisa|segera|kembali|turut|ikut|terus|lebih|bersama-sama|"
                            r"secara\s+\w+)\s+)?$"),
           "en": re.compile(r"(?i)\b(?:in order|so as)\s+(?:not\s+)?to\s+$")}
# what stands between two coordinated verb phrases: the first one's words, then a comma or
# a conjunction right before the second verb (no subject of its own between)
CONJOINED = {"id": re.compile(r"(?:,\s*(?:dan|serta|atau)?|\s(?:dan|serta|atau))\s+(?:juga\s+|segera\s+)?$"),
             "en": re.compile(r",?\s(?:and|or)\s+(?:also\s+)?$")}   # ", backed by": a participle, no conjunct
NOUN_THEN_MODAL = re.compile(r"(?i)^(?:\s+[\w'’-]+){0,4}?\s+(?:dapat|bisa|akan|mungkin|could|would|might|may|will)\b")
AGREEMENT_CONTENT = {"COOPERATE", "AID", "RETREAT", "CONCEDE"}
# A directive verb (a request) takes its addressee, then the act it asks for: "meminta
# Amerika Serikat dan Prancis, sebagai penjamin gencatan senjata, menekan Israel", "urged
# the council, meeting in Geneva, to impose sanctions". The act is asked for, not done, even
# where the addressee runs long or holds an apposition between commas.
DIRECTIVE = {"id": re.compile(r"(?i)\b(?:meminta(?!\s+maaf)|mendesak|menyerukan|mengajak|menuntut|mengimbau)"
                              r"(?:nya)?\b"),
             "en": re.compile(r"(?i)\b(?:ask(?:s|ed|ing)?|urg(?:e|es|ed|ing)|"
                              r"call(?:s|ed|ing)?\s+(?:on|upon)|demand(?:s|ed|ing)?)\b")}
# the request runs to a break, not past a sentence's length of words
DIRECTIVE_GAP = 30
# what ends the request: a quotation, a reported-speech verb, a subordinate or contrasting clause
DIRECTIVE_END = {"id": re.compile(r"(?i)[;:“”\"—–]|\b(?:kata|ujar|ungkap|tegas|tutur|jelas|menurut|sementara|"
                                  r"namun|tetapi|sedangkan|padahal|karena|sehingga|setelah|sebelum|ketika|"
                                  r"saat|usai|sejak)\b"),
                 "en": re.compile(r"(?i)[;:“”\"—–]|\b(?:said|says|told|according|while|but|whereas|"
                                  r"although|because|after|before|when|since|as)\b")}
# a relative clause still open at the trigger: the trigger tells of the addressee ("urged the
# council, which had called for a truce, to ...": the call was made)
OPEN_RELATIVE = re.compile(r"(?i)\b(?:which|who)\b[^,]*$")
# a conjunction, then a new subject: the clause of a second actor ("..., dan Tiongkok menolak")
NEW_SUBJECT = {"id": re.compile(r"(?:,|\b(?:dan|serta|atau))\s+(?:[A-Z][\w'’-]*|mereka|ia|dia|kami|kita|pihak)\b"),
               "en": re.compile(r"(?:,|\b(?:and|or))\s+(?:[A-Z][\w'’-]*|the|a|an|its|their|it|they|he|she|we)\b")}
# the addressee's act begins: an Indonesian verb (prefixed, lower case) or a marker of the
# complement ("untuk", "agar", "to", "that")
COMPLEMENT_START = {"id": re.compile(r"(?<![\w-])(?:untuk|agar|supaya|segera|(?:me|ber|ter|di)[a-z]{3,})\b"),
                    "en": re.compile(r"(?i)\b(?:to|that)\b")}

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


class Modality:
    """The flags, promises, modes and contexts of a sentence's events. `triggers_by_lang`:
    the trigger lists by language (a promise's window must hold no act of another type)."""

    def __init__(self, triggers_by_lang: dict[str, list[Trigger]]):
        self.modes = load_modes()
        self._by_lang = triggers_by_lang
        self._hyp = {lang: re.compile(rf"(?<![\w-])(?:{p})(?![\w-])", re.I) for lang, p in HYPOTHETICAL.items()}
        self._neg = {lang: re.compile(rf"(?<![\w-])(?:{p})(?![\w-])", re.I) for lang, p in NEGATION.items()}
        self._context = {name: re.compile(rf"(?i)\b(?:{p})") for name, p in CONTEXT_CUES.items()}

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
        if head is not None and gap_words(text, head.end, hit.start) <= 6:
            if head.trigger.type in PLAN_HEADS or ALLEGATION.search(head.text):
                hypothetical = True
            elif head.trigger.type in DENIAL_HEADS:
                negated = True
        conjunct = next((h for h in reversed(earlier) if CONJOINED[lang].search(text, h.end, hit.start)
                         and gap_words(text, h.end, hit.start) <= 12), None)
        if conjunct is not None and not (hypothetical or negated):
            # "meminta China menyelidiki insiden, mengembalikan peralatan ..., dan memberikan
            # kompensasi": a verb coordinated with a planned or denied one shares its mood
            hypothetical, negated = self.flags(conjunct, [h for h in earlier if h.start < conjunct.start],
                                               text, lang)
        verb = next((h for h in reversed(earlier) if h.start >= clause_start
                     and h.trigger.type == hit.trigger.type and gap_words(text, h.end, hit.start) <= 6), None)
        if verb is not None:
            # "will provide nearly 25,000 tons of food aid": the noun shares its verb's mood
            planned, denied = self.flags(verb, [h for h in earlier if h.start < verb.start], text, lang)
            hypothetical, negated = hypothetical or planned, negated or denied
        if (hit.trigger.nominal or hit.text.lower() in EN_EVENT_NOUNS) and \
                NOUN_THEN_MODAL.match(text[hit.end:]):
            hypothetical = True   # "serangan terhadap Taiwan dapat menjadi ...", "an attack ... could"
        if not (hypothetical or negated) and self.requested(hit, text, lang):
            hypothetical = True   # "meminta AS, sebagai penjamin, menekan Israel": asked for, not done
        if PURPOSE[lang].search(text[max(0, hit.start - 40):hit.start]):
            hypothetical = True   # "untuk mendukung pasukan": an aim, not an act
        if PLAN_NOUN.search(text[:hit.start]):
            hypothetical = True   # "adalah rencana untuk mengubah ... dukungan": inside a plan
        if hit.trigger.type in AGREEMENT_CONTENT and any(h.trigger.type == "AGREE" for h in earlier):
            hypothetical = True   # "menandatangani rencana aksi yang mencakup patroli terkoordinasi"
        if hit.trigger.type in ("AGREE",) and hypothetical and not negated:
            # "akan menandatangani" is still a plan; "sepakat untuk" is an agreement
            hypothetical = bool(re.search(r"(?i)\b(?:akan|bakal|berencana|will|would|plans?|if|jika|apabila)\b", window))
        return hypothetical, negated

    def requested(self, hit: Hit, text: str, lang: str) -> bool:
        """Whether the hit stands in the complement of a directive verb before it: the
        addressee (any words, an apposition between commas too), then the act asked for,
        with no quotation, reported speech, subordinate clause or new subject between."""
        if hit.trigger.nominal or DIRECTIVE[lang].match(hit.text):
            # a noun there names an act the request is about ("menghentikan serangan udara":
            # the strikes are real); "mendesak ... dan menuntut ...": a second request is made
            return False
        directive = None
        for directive in DIRECTIVE[lang].finditer(text, 0, hit.start):
            pass
        if directive is None or directive.end() > hit.start:
            return False
        between = text[directive.end():hit.start]
        if gap_words(text, directive.end(), hit.start) > DIRECTIVE_GAP or DIRECTIVE_END[lang].search(between) \
                or (lang == "en" and OPEN_RELATIVE.search(between)):
            return False
        start = COMPLEMENT_START[lang].search(between)
        if lang == "en" and start is None:
            return False    # "asked about the attack": no request of an act
        if start is not None and NEW_SUBJECT[lang].search(between, start.end()):
            return False
        return True

    def contexts(self, trigger: Trigger, text: str) -> list[str]:
        found = list(trigger.context)
        for name, pattern in self._context.items():
            if name not in found and pattern.search(text):
                found.append(name)
        return found


def consult_mode(text: str, actors: Sequence[str] = ()) -> str | None:
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
