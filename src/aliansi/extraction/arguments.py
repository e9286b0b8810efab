"""Who did it to whom, from the sentence's structure: the subject, object, passive
agent, coordination ("bersama"/"dengan"), mediators, reported speakers and reciprocal
"each" give a trigger's source and target; the dependency parse (aliansi.extraction.roles),
where it is on and names them, gives agent and patient first. What the sentence leaves
to the text before is aliansi.extraction.discourse.
"""
from __future__ import annotations

import re
from typing import Sequence

from ..model import SYMMETRIC_TYPES, Mention
from . import parties
from . import roles as parse_roles
from .discourse import (DISCOURSE_TARGET_TYPES, EN_EVENT_NOUNS, PLURAL_PRONOUN, STATEMENT_OBJECT,
                        anaphoric_object_target,
                        anaphoric_subject_roles, counterpart, last_meeting, refers_back)
from .slots import CLAUSE_BREAK, SUBJECT_BOUNDARY, Slot, clause_subject, coordinated_groups, gap_words, unique
from .triggers import Hit, Trigger

SPEECH_TYPES = {"ACCUSE", "REQUEST", "REJECT", "SUPPORT", "THREATEN", "AGREE"}

LOCATIVE = re.compile(r"\b(?:(?:di|in|at|near|dekat|sekitar|around|wilayah|kawasan)|"
                      r"(?:melalui|lewat|through|via)(?:\s+(?-i:[A-Z])[\w.-]*){0,3})\s*$", re.I)
# a partner, perhaps named by title first: "dengan Presiden Mesir Abdel Fattah el-Sisi"
PARTNER = re.compile(r"\b(?:dengan|bersama|antara|with|between|and|dan|serta|mempertemukan)"
                     r"(?:\s+(?-i:[A-Z])[\w.'’-]*){0,4}\s*$", re.I)
AGENT = re.compile(r"\b(?:oleh|by)\s*$", re.I)
# a place named as where something happened: "di Negeri Sabah, Malaysia", "in Havana"
AT_PLACE = re.compile(r"(?i)\b(?:di|in|at)\s+(?:[\w.-]+,?\s+){0,3}$")
SPEAKER = re.compile(r"(?:\b(?:kata|ujar|ucap|tutur|ungkap|jelas|tegas|menurut|said|says|told|according to)\s*$)", re.I)
# an attribution clause: its verb right after its subject ("..., a UN official said", "...,
# Kremlin spokesman Dmitry Peskov told reporters") or before it ("..., said a Kremlin spokesman")
ATTRIBUTION_VERB = re.compile(r"\s*(?:said|says|told|added|stated|wrote)\b", re.I)
ATTRIBUTION_BEFORE = re.compile(r"\b(?:said|says|told|added|according to)\s+(?:(?:a|an|the)\s+)?$", re.I)
TARGET_PREP = re.compile(r"\b(?:ke|kepada|terhadap|atas|untuk|bagi|on|against|to|at|into)\s*(?:\w+\s*){0,3}$", re.I)
# "by" names an agent, not an amount: "shortened by one hour", "raised by 50 percent"
ENGLISH_AGENT = re.compile(r"(?i)^\s+by\b(?!\s+(?:\d|one|two|three|four|five|six|ten|half|a (?:third|quarter|half|"
                           r"further|total)|about|around|nearly|almost|more|less|up to|at least|some|the end|then|now|"
                           r"far|mid|late|early)\b)")
# a di- passive's agent stands bare after the verb, perhaps a body of the state named:
# "ditangkap aparat Malaysia", "dideportasi pemerintah Malaysia"
BARE_AGENT = re.compile(r"(?i)\s*(?:(?:aparat|pihak|otoritas|pemerintah|polisi|kepolisian|militer|tentara|pasukan|"
                        r"angkatan laut|penjaga pantai|keamanan|berwenang|imigrasi)\s+){0,3}")
MAX_OBJECT_GAP = 12   # words between a verb and its object
# types whose target may be a place-like actor ("menyerang ... di Ukraina")
PLACE_TARGET_TYPES = {"ASSAULT", "MOBILIZE", "COERCE", "RETREAT"}
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
# verbs whose object names an act they undo, not a new act
OBJECT_TAKING = {"CONCEDE", "RETREAT"}
# verbs whose object is someone else's act: condemning, protesting
STANCE_TYPES = {"ACCUSE", "PROTEST"}
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
# releasing and taking captives: "dibebaskan", "dilepaskan", "diculik", "disandera"
CAPTIVITY = re.compile(r"(?i)bebas|lepas|culik|sandera|tawan|sekap|released|freed|kidnapped|abducted")
# demonstrations, and whom they are against: "anti-Jepang", "di Kedutaan Besar Jepang"
DEMONSTRATION = re.compile(r"(?i)aksi|demo|unjuk\s+rasa|turun\s+ke\s+jalan|protest|rally|march")
ANTI = re.compile(r"(?i)\banti[\s-]*$")
SITE = re.compile(r"(?i)(?:^|\b(?:gedung|depan)\s+)(?:kedutaan|kedubes|konsulat|embassy|consulate)(?:\s+(?:besar|jenderal|general))?\s*$|"
                  r"^(?:kedutaan|kedubes|konsulat|the\s+embassy|embassy|consulate)")
RECIPROCAL = re.compile(r"(?i)\b(?:each|masing-masing|saling|one another|each other)\b")
# "anggota parlemen Iran mendesak pemerintah ...", "urged the government to ...": an addressee
# that is a government with no state named is the agent's own (not "pemerintah Brasil")
OWN_GOVERNMENT = re.compile(r"(?i)^\s+(?:kepada\s+|agar\s+)?(?:pemerintah(?:nya)?|pemda|the government|"
                            r"its government|their government|the authorities)\b(?!\s+(?-i:[A-Z]))")
MEDIATION = re.compile(r"(?i)media|broker|tengah|fasilitas|tuan rumah|host")
# an actor's role given by "sebagai"/"as" right after its name: the host or mediator
MEDIATOR_ROLE = re.compile(r"(?i)\s*,?\s*(?:sebagai|as)\s+(?:the\s+|a\s+)?(?:tuan\s+rumah|penengah|mediator|"
                           r"perantara|fasilitator|facilitator|host)\b")
# an act on one's own means: the object is the agent's own forces or capability, marked
# reflexive ("memperkuat kemampuan pertahanan mandirinya", "armadanya sendiri", "strengthen
# its own defences"); it names no other party, so none is taken from the discourse
OWN_MEANS_TYPES = {"MOBILIZE", "THREATEN", "COERCE"}
OWN_MEANS = re.compile(r"(?i)^\s+(?:[\w-]+\s+){0,4}?(?:[\w-]+nya\s+sendiri|mandiri(?:nya)?|"
                       r"(?:its|their|his|her)\s+own)\b")


class ArgumentRules:
    """The source and target of each trigger. `triggers_by_lang`: the trigger lists by
    language (what an anaphoric noun names). `roles_rule` says how the last `find`
    found its roles: the parse or the patterns."""

    def __init__(self, triggers_by_lang: dict[str, list[Trigger]]):
        self._by_lang = triggers_by_lang
        self._kb = None     # loaded on first need: organisations' members
        self.roles_rule = ""
        # the state the document is about other than `besides`
        # (aliansi.extraction.discourse.Discourse.in_focus), set by the event stage for each article
        self.in_focus = lambda besides=(): None
        # the state of the armed group the text last told of (Discourse.captor), likewise
        self.captor = lambda: None
        # who made the statement `source` denies (Discourse.claimant), likewise
        self.claimant = lambda source: None

    def find(self, hit: Hit, slots: list[Slot], text: str, lang: str = "id",
             earlier: Sequence = (), article_actors: set[str] | None = None,
             earlier_triggers: Sequence[int] = (), governor: Hit | None = None,
             summit_orgs: Sequence[Mention] = (), all_hits: Sequence[Hit] = (),
             places: Sequence[tuple[int, str]] = (), doc=None,
             ) -> tuple[list[str], list[str], str] | str:
        """Source and target codes for one trigger and how they were found, or
        the reason why there are none. `earlier` holds the document's events so
        far, for a target the sentence leaves implicit ("Hamas membantah tuduhan itu").
        `doc`, the sentence's parse: its agent and patient win where it names them
        (`self.roles_rule` says which did)."""
        t = hit.trigger
        self.roles_rule = "agent=pattern;patient=pattern"
        rest = text[hit.end:]
        if refers_back(hit, text, lang):
            return "the noun refers back to an event already reported"
        if governor is not None:
            return f"it is what “{governor.text}” acts on, not an event of its own"
        if t.type == "PROTEST" and DEMONSTRATION.search(hit.text):
            found = self._demonstration(hit, slots, text, places)
            if found:
                return found
        groups = coordinated_groups(slots, text)
        # the seat of an organisation where it happened is no party ("met at NATO headquarters"),
        # nor is a currency ("senilai 500 juta dolar AS") or a product's maker ("rudal buatan AS")
        not_parties = [g for g in groups if parties.venue(g, text) or parties.currency(g, text) or parties.maker(g, text)]
        before = [g for g in groups if g[-1].end <= hit.start and g not in not_parties]
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
                     and gap_words(text, hit.end, g[0].start) <= MAX_OBJECT_GAP
                     and not VIA.search(text[:g[0].start]) and g not in not_parties]
        after = [g for g in following if not LOCATIVE.search(text[:g[0].start])]
        how = "direct"
        subject = _purpose_agent(clause_subject(before, text, hit.start, earlier_triggers), before, hit, all_hits, text)
        # who reports the act is no party to it: "..., a UN official said", "..., kata Menlu X"
        obj = next((g for g in after if not _attribution(g, text, hit.end)), None)
        passive = t.voice == "passive" or (lang == "en" and ENGLISH_AGENT.match(rest))
        # an inverse trigger ("menerima kunjungan", "hosted") turns its words' roles round: patterns only
        parsed = parse_roles.arguments(doc, hit.start, hit.end, slots, symmetric=t.type in SYMMETRIC_TYPES,
                                       nominal=t.nominal, judgement=t.type == "ACCUSE",
                                       stance=t.nominal and t.type in ("THREATEN", "PROTEST"), groups=groups) \
            if doc is not None and not t.inverse else None
        if parsed is not None and not_parties:
            # the seat where it happened is no party to it
            seat = {id(s) for g in not_parties for s in g}
            parsed.agent = [s for s in parsed.agent or () if id(s) not in seat] or None
            parsed.patient = [s for s in parsed.patient or () if id(s) not in seat] or None
        if t.nominal and _condemned(hit, all_hits, text):
            # "Indonesia mengecam serangan terhadap warga sipil", "opposes violence against
            # fishermen": who condemns an act is not who did it
            subject = None
        if t.nominal and obj and gap_words(text, hit.end, obj[0].start) <= 2 \
                and not TARGET_PREP.search(text[hit.end:obj[0].start]):
            # "serangan udara Israel ke Gaza": the genitive is the agent;
            # "dengan dukungan OKI": what the sentence's subject did has the agent's backing
            backed = re.search(r"(?i)\b(?:dengan|with|atas)\s+$", text[:hit.start])
            subject, obj = obj, after[1] if len(after) > 1 else (subject if backed else None)
        elif passive and subject is None and not any(AGENT.search(text[:g[0].start]) for g in after) \
                and not (parsed and parsed.agent):
            # "Permintaan tersebut ditolak.": refused by whom the request was made of
            referred = anaphoric_subject_roles(text[:hit.start], earlier, self._by_lang.get(lang, []))
            if referred:
                return referred[0], referred[1], "anaphoric-subject"
            if t.voice == "passive" and lang == "id" and obj \
                    and BARE_AGENT.fullmatch(text[hit.end:obj[0].start]):
                # "Dua nelayan ditangkap aparat Malaysia": the agent stands bare after a di- verb;
                # the patient the sentence names as no actor is of the state the text is about
                agent = unique(a for s in obj for a in s.actors)
                patient = self.in_focus(agent)
                if patient:
                    return agent, [patient], "focus-patient"
            return self._unnamed_agent(t, hit, before[-1] if before else None, places, text)
        elif passive:
            agent = next((g for g in after if AGENT.search(text[:g[0].start])), None)
            if agent is None and t.voice == "passive" and lang == "id" and obj \
                    and gap_words(text, hit.end, obj[0].start) == 0:
                agent = obj            # "ditandatangani Perdana Menteri Thailand ..."
            subject, obj = agent, subject
        elif t.inverse:
            subject, obj = obj, subject
        if parsed is not None:
            subject, obj = parsed.agent or subject, parsed.patient or obj
            self.roles_rule = (f"agent={'parse/' + parsed.agent_how if parsed.agent else 'pattern'};"
                                f"patient={'parse/' + parsed.patient_how if parsed.patient else 'pattern'}")
        if (t.nominal or hit.text.lower() in EN_EVENT_NOUNS) and t.type not in SYMMETRIC_TYPES:
            made = parties.made_by(after, text, hit.end, ground=t.type in PLACE_TARGET_TYPES)
            if made is not None:
                # "serangan yang dilakukan oleh IDF", "a lawsuit filed by Gambia against
                # Myanmar": the clause names who made the act, the target only after a
                # target preposition; nothing from the discourse
                source = unique(a for s in made[0] for a in s.actors)
                target = unique(a for s in made[1] or () for a in s.actors if a not in source)
                self.roles_rule = "agent=pattern/made-by;patient=pattern/made-by"
                return (source, target, "direct") if target else (source, [], "untargeted")
        if subject is None and t.type not in SYMMETRIC_TYPES and PLURAL_PRONOUN.search(text[:hit.start]):
            # "Mereka menyerukan junta Myanmar ...": those who last met
            previous = last_meeting(earlier)
            if previous:
                agents = unique(list(previous.source) + list(previous.target))
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
            obj = next((g for g in following if g is not subject and not _attribution(g, text, hit.end)
                        and not all(a in mine for s in g for a in s.actors)), None)
        if subject and t.type not in SYMMETRIC_TYPES and len(unique(a for s in subject for a in s.actors)) > 1 \
                and RECIPROCAL.search(text[subject[-1].end:hit.end + 40]):
            return unique(a for s in subject for a in s.actors), [], "reciprocal"
        if t.type == "REQUEST" and OBLIGATION.fullmatch(hit.text):
            return self._obligation(hit, before, after, text)
        if t.direct_object and not (obj and gap_words(text, hit.end, obj[0].start) <= 1
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
                previous = last_meeting(earlier)
                if previous:
                    # after a mediated meeting, the sides are those it brought together
                    mediated = getattr(previous, "mode", None) == "third-party" or \
                        str(getattr(previous, "rule", "")).endswith(":mediator")
                    if mediated and len(previous.target) >= 2:
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
                visitor = unique(a for s in subject for a in s.actors)
                host = next((country for start, country in places if start >= hit.start
                             and country not in visitor), None)
                if host and len(visitor) == 1:
                    return visitor, [host], "visit-place"
            if isinstance(found, str) and t.type == "AGREE" and subject and COMMITMENT.search(hit.text) and \
                    len(unique(a for slot in slots for a in slot.actors)) == 1:
                # a commitment with no partner named in the sentence: to whom the text
                # was about ("Germany pledged four more systems"), else to no one
                # ("Vietnam is committed to opening up the economy")
                committed = unique(a for s in subject for a in s.actors)
                partner = counterpart(committed, earlier)
                return committed, partner, "discourse" if partner else "unilateral"
            return found
        if subject is not None and not (parsed and parsed.agent) and not _agent_of_its_clause(subject, hit, text):
            subject = None
        if subject is None and not passive:
            home = _home_state(slots, text[:hit.start])
            if home:
                subject, how = [Slot(0, 0, [home])], "unnamed-agent"
        if subject is None and passive:
            return self._unnamed_agent(t, hit, obj or (before[-1] if before else None), places, text)
        if subject is None:
            return "no actor stands as its agent"
        source = unique([a for s in subject for a in s.actors])
        if t.type == "REJECT" and STATEMENT_OBJECT[lang].match(rest):
            # "Hamas membantah tuduhan tersebut": one denies what was said against oneself,
            # and the denial is aimed at whoever said it
            claimant = self.claimant(source)
            if claimant:
                return source, claimant, "anaphoric-claim"
        # "mengecam serangan itu": aimed at whoever did what the text told before
        referred_target = anaphoric_object_target(rest, source, t.type, earlier, lang, self._by_lang.get(lang, []))
        if referred_target:
            return source, referred_target, "anaphoric-object"
        if t.type in ("ACCUSE", "PROTEST") and obj:
            obj = _complaint_subject(obj, after, text) or obj
        target = unique([a for s in obj or () for a in s.actors if a not in source])
        if not target and t.type == "REQUEST" and OWN_GOVERNMENT.match(rest):
            # a demand on one's own government is a domestic act: no event between states
            return f"its addressee is the government of {', '.join(source)} itself"
        own_means = not target and t.type in OWN_MEANS_TYPES and bool(OWN_MEANS.match(rest))
        if not target and t.type in DISCOURSE_TARGET_TYPES and not own_means:
            target, how = counterpart(source, earlier), "discourse"
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
            target = unique([a for s in place or () for a in s.actors if a not in source and a not in mine])
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

    def _demonstration(self, hit: Hit, slots: list[Slot], text: str, places: Sequence[tuple[int, str]]):
        """A demonstration is against the state its sentence calls it "anti-" or whose
        embassy or consulate it besieges ("aksi unjuk rasa anti Jepang di Cina", "demo di
        Konsulat Malaysia"), by the people of the state where it happens (protesters are
        coded by the state they are in, EVENTS.md §3); None when the sentence says
        neither."""
        target = unique(a for s in slots for a in s.actors
                        if ANTI.search(text[:s.start]) or SITE.search(text[:s.start])
                        or SITE.match(text[s.start:s.end]))
        if not target:
            return None
        named = [s for s in slots if s.end <= hit.start and not set(s.actors) & set(target)]
        if named:
            return unique(named[-1].actors), target, "demonstration"
        where = next((c for _, c in places if c not in target), None) or self.in_focus(target)
        return ([where], target, "demonstration") if where else None

    def _unnamed_agent(self, t: Trigger, hit: Hit, held: list[Slot] | None,
                       places: Sequence[tuple[int, str]], text: str):
        """A passive told without its agent: the authorities of the place where it
        happened (`_held_where`), or for captives the armed group the text has told
        of ("sandera Indonesia dibebaskan": released by Abu Sayyaf, coded by the state
        it is based in); else the reason there is none."""
        found = self._held_where(t, held, places, text)
        if found:
            return found[0], found[1], "place-authority"
        captor = self.captor() if CAPTIVITY.search(hit.text) else None
        if captor:
            patient = unique(a for s in held or () for a in s.actors if a != captor)
            if not patient:
                focus = self.in_focus([captor])
                patient = [focus] if focus else []
            if patient:
                return [captor], patient, "captor"
        return "no actor stands as its agent"

    @staticmethod
    def _held_where(t, held: list[Slot] | None, places: Sequence[tuple[int, str]], text: str):
        """"Dua anggota KKO Indonesia yang ditangkap di Singapura", "WNA asal Turki yang
        ditangkap di Poso": an arrest, detention or deportation told without its agent
        is the act of the authorities of the state where it happened, on the people the
        sentence names before it (`held`: the group that stands as its patient).
        (agent, patient) codes, or None."""
        if t.type != "COERCE" or not held:
            return None
        where = [country for offset, country in places if AT_PLACE.search(text[:offset])]
        patient = unique(a for s in held for a in s.actors if a not in where)
        agent = next((c for c in where if c not in patient), None)
        return ([agent], patient) if agent and patient else None

    @staticmethod
    def _obligation(hit: Hit, before: list[list[Slot]], after: list[list[Slot]], text: str):
        """"The Bush administration declared that China must drop barriers": a
        REQUEST from the speaker to the one who must act."""
        bound = before[-1] if before and gap_words(text, before[-1][-1].end, hit.start) <= 6 else None
        if bound is None:
            return "no actor stands as the one who must act"
        reports = list(REPORTING.finditer(text, 0, bound[0].start))
        speaker = None
        if reports:
            speaker = clause_subject([g for g in before if g[-1].end <= reports[-1].start()], text, reports[-1].start())
        if speaker is None:
            speaker = next((g for g in after if SPEAKER.search(text[:g[0].start])), None)
        if speaker is None:
            return "no speaker says who must act"
        source = unique(a for s in speaker for a in s.actors)
        target = unique(a for s in bound for a in s.actors if a not in source)
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
        if len(unique(own)) < 2 or mediation:
            members += [a for slot in obj or () for a in slot.actors]
        for g in after:
            if PARTNER.search(text[:g[0].start]):
                members += [a for slot in g for a in slot.actors]
        members = unique(members)
        if len(members) < 2:
            return "a symmetric event needs two actors; the sentence names " + (members[0] if members else "none")
        # "..., dengan Menlu Malaysia sebagai tuan rumah dan penengah", "with Qatar as
        # mediator": the one named in that role brings the others together
        named = list(obj or ()) + [s for g in after for s in g]
        mediators = unique(a for s in named if MEDIATOR_ROLE.match(text, s.end) for a in s.actors)
        sides = [a for a in members if a not in mediators]
        if mediators and len(sides) >= 2:
            return mediators, sides, "mediator"
        src = unique([a for s in subject or obj for a in s.actors])
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


def _attribution(group: list[Slot], text: str, act_end: int) -> bool:
    """Whether the actors of `group` are who the sentence quotes, in its attribution
    clause: after the act and a comma, the subject of a reporting verb ("..., a UN
    official said on Monday"), or after a speech verb or "according to" ("..., kata
    Menlu Retno", "..., said Foreign Minister Wang Yi", "menurut Kemlu").
    """
    if SPEAKER.search(text[:group[0].start]) or ATTRIBUTION_BEFORE.search(text[:group[0].start]):
        return True
    return "," in text[act_end:group[0].start] and bool(ATTRIBUTION_VERB.match(text, group[-1].end))


def governing_act(hit: Hit, earlier: Sequence[Hit], text: str) -> Hit | None:
    """The act this trigger belongs to, so that it is no event of its own: the verb
    that undoes it ("lifted a blockade", "mencabut sanksi"; a denied act is kept,
    flagged), the protest or coercion whose aim a demand states ("a hunger strike
    to demand ...", "would blockade Paris to demand ..."), or the coercion a
    protest undergoes ("to disperse demonstrators", "membubarkan demonstran")."""
    if not earlier:
        return None
    verb = earlier[-1]
    between = text[verb.end:hit.start]
    gap = gap_words(text, verb.end, hit.start)
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


def _condemned(hit: Hit, all_hits: Sequence[Hit], text: str) -> bool:
    """Whether the event noun is the object of a verb of condemnation or protest just
    before it ("mengecam keras serangan", "menentang tindakan kekerasan")."""
    verb = next((h for h in reversed(all_hits) if h.end <= hit.start), None)
    return verb is not None and verb.trigger.type in STANCE_TYPES and not verb.trigger.nominal \
        and gap_words(text, verb.end, hit.start) <= 3 and not re.search(r"[,;]", text[verb.end:hit.start])


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
    codes = unique(a for slot in slots for a in slot.actors)
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
    if subject[0].start >= verb.end and gap_words(text, verb.end, subject[0].start) <= 2 \
            and re.search(r"(?i)^\s*(?:to|untuk|guna)\s*$", text[subject[-1].end:hit.start]):
        return clause_subject([g for g in before if g[-1].end <= verb.start], text, verb.start) or subject
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
