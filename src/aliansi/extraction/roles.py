"""Who did it to whom, from a dependency parse (aliansi.extraction.parse): the agent
and patient of a trigger.

For a trigger (a character span of its sentence) the parse gives, where it can:

- agent: the verb's `nsubj`; its `obl:agent` or an `obl` marked "oleh"/"by" when
  the verb is passive; the noun a relative clause modifies when the clause's subject
  is its relative pronoun ("negara yang menyerang"); the controller of a
  complement ("X meminta Y untuk menghentikan": Y; "X berencana menyerang": X); the
  subject of the verb it is coordinated with ("X menyerang dan menduduki");
  for an event noun its possessor or genitive ("serangan Israel", "Russia's attack",
  "the Russian strikes"), else the subject of the light verb it is the object of
  ("menggelar pertemuan", "launched an attack");
- patient: `obj`, `iobj`, the `nsubj:pass` of a passive verb, and the
  prepositional objects it governs ("kepada", "terhadap", "ke", "to", "against";
  "dengan", "with", "antara", "between" for meetings and agreements).

Each argument is widened by coordination ("Jepang dan Australia") and apposition,
and mapped onto the sentence's actor slots (aliansi.extraction.slots.Slot) by character
offsets. A role that maps onto no actor is left to the patterns of aliansi.extraction.arguments.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

RELATIVE_PRONOUNS = {"yang", "which", "who", "whom", "that"}
# prepositions that mark whom an act is aimed at (a grammar fact of each language)
TARGET_CASES = {"kepada", "terhadap", "ke", "pada", "bagi", "untuk", "atas",
                "to", "against", "on", "at", "toward", "towards", "into", "for", "upon"}
# and the partner of a symmetric act (meetings, agreements, cooperation)
PARTNER_CASES = {"dengan", "bersama", "antara", "with", "between", "and"}
AGENT_CASES = {"oleh", "by"}
# copulas a parser may read as verbs with the predicate noun their object
COPULA_VERBS = {"merupakan", "adalah", "ialah"}
# verbs of saying that attribute a quote ("..., kata X", "..., X said")
SAY_VERBS = {"kata", "ujar", "tutur", "ucap", "ungkap", "jelas", "tegas", "said", "says", "told", "added"}
# verbs whose object carries the event its noun names: "menggelar pertemuan", "launched an attack"
LIGHT_VERBS = {
    "menggelar", "melakukan", "mengadakan", "melancarkan", "melaksanakan", "menyelenggarakan",
    "melangsungkan", "memberikan", "memberi", "menyampaikan", "mengajukan", "menjatuhkan",
    "mengirimkan", "mengirim", "membuat", "mencapai", "meluncurkan", "menerapkan", "mengeluarkan",
    "held", "hold", "holds", "holding", "launched", "launch", "launches", "carried", "conducted",
    "conduct", "conducts", "made", "make", "makes", "gave", "give", "gives", "reached", "reach",
    "staged", "stage", "imposed", "impose", "imposes", "issued", "issue", "lodged", "filed", "paid",
    "pay", "pays", "signed", "sign", "signs", "announced", "began", "begin", "started", "mounted",
}
# verbs whose object is the one asked to act: "meminta Y untuk ...", "urged Y to ..."
OBJECT_CONTROL = {
    "meminta", "mendesak", "menyerukan", "memerintahkan", "mengajak", "memaksa", "menekan",
    "mengimbau", "menuntut", "mengizinkan", "melarang", "menyuruh", "mendorong", "menantang",
    "asked", "ask", "asks", "urged", "urge", "urges", "called", "call", "calls", "ordered", "order",
    "orders", "told", "tell", "tells", "forced", "force", "forces", "allowed", "allow", "allows",
    "invited", "invite", "invites", "encouraged", "encourage", "pressed", "press", "pressured",
    "persuaded", "requested", "request", "requests", "demanded", "warned", "warn", "warns",
}
# the allomorphs of the Indonesian active prefix meN-: mem-, men-, meng-, meny-, me-
MEN_PREFIX = re.compile(r"(?i)me(?:m[bpf]|n[dtcjz]|ng|ny|[lrwymn])[a-z]{2,}$")
# the Indonesian passive prefix di- ("ditangkap", "dibebaskan", "diserahkan")
DI_PASSIVE = re.compile(r"(?i)di[a-z]{3,}$")
PURPOSE_MARKS = {"untuk", "guna", "agar", "supaya", "to"}
# relations inside one noun phrase: the words that may hold its actor's name
PHRASE_RELATIONS = {"flat", "flat:name", "flat:foreign", "compound", "nmod", "nmod:poss", "amod", "appos",
                    "det", "nummod", "fixed", "goeswith", "det:poss", "compound:prt", "obl:tmod"}


def _start(tok) -> int:
    return tok.doc.user_data["spans"][tok.i][0] if "spans" in tok.doc.user_data else tok.idx


def _end(tok) -> int:
    return tok.doc.user_data["spans"][tok.i][1] if "spans" in tok.doc.user_data else tok.idx + len(tok)


@dataclass
class Roles:
    """What the parse says of one trigger: argument token indices and how each was found."""
    agent: list[int] = field(default_factory=list)
    patient: list[int] = field(default_factory=list)
    agent_how: str = ""
    patient_how: str = ""
    head: int | None = None


def _kids(tok, relation: str):
    """Children by relation; "obl" takes "obl" only, "obl:*" takes its subtypes too."""
    if relation.endswith(":*"):
        base = relation[:-2]
        return [c for c in tok.children if c.dep_ == base or c.dep_.startswith(base + ":")]
    return [c for c in tok.children if c.dep_ == relation]


def _case(tok) -> str:
    """The preposition of a nominal ("dengan", "oleh", "to"), lowercased, or ""."""
    marks = [c for c in tok.children if c.dep_ in ("case", "mark") and c.i < tok.i]
    return marks[0].lower_ if marks else ""


def _passive(tok) -> bool:
    """A passive verb: a passive subject or auxiliary, or an agent phrase ("dibebaskan
    oleh X" under "berhasil", with its subject taken by the governing verb), labelled
    `obl:agent` or a plain `obl` marked "oleh", which in Indonesian marks nothing but
    the agent of a passive (the shipped parser labels it either way)."""
    return bool(_kids(tok, "nsubj:pass") or _kids(tok, "aux:pass") or _kids(tok, "obl:agent")
                or any(_case(o) == "oleh" for o in _kids(tok, "obl")))


def _di_passive(tok) -> bool:
    """An Indonesian verb with the passive prefix di-, whatever relations the parser gave
    its dependents; read so only where a relative clause's "yang" is its subject (reading
    every di- verb as passive lowered realnews-tune, BENCHMARKS.md 2026-12-07)."""
    return tok.doc.lang_ == "id" and tok.tag_ == "VERB" and bool(DI_PASSIVE.match(tok.text))


def _next_to_phrase(noun, pp) -> bool:
    """Whether the prepositional phrase `pp` begins right after the noun phrase `noun`
    heads ("serangan Israel | terhadap Gaza"): a phrase a parser may hang on either the
    noun or its verb, which belongs to the noun."""
    return pp.i > noun.i and min(t.i for t in pp.subtree) == max(t.i for t in _phrase(noun)) + 1


def _overlapping(doc, start: int, end: int) -> list[int]:
    """Indices of the tokens that overlap characters [start, end), read from the spans
    without making a Token of every word."""
    spans = doc.user_data.get("spans") or [(t.idx, t.idx + len(t)) for t in doc]
    return [i for i, (s, e) in enumerate(spans) if s < end and e > start]


def trigger_head(doc, span: list[int]):
    """The token of the trigger's span (token indices, `_overlapping`) whose head lies
    outside it (its syntactic head)."""
    tokens = [doc[i] for i in span]
    if not tokens:
        return None
    inside = {t.i for t in tokens}
    for tok in tokens:
        if tok.head.i == tok.i or tok.head.i not in inside:
            return tok
    return tokens[0]


def predicate_verb(doc, start: int, end: int) -> bool:
    """Whether the parse reads the word at [start, end) of the sentence as a verb that
    heads a clause, not as a noun, an adjective or part of a preposition ("according to")."""
    head = trigger_head(doc, _overlapping(doc, start, end))
    return head is not None and head.tag_ in ("VERB", "AUX") and \
        head.dep_ not in ("case", "mark", "fixed", "amod", "compound", "advmod", "det")


def _subject(verb, depth: int = 0):
    """The agent of a verb: (token, how) or (None, "")."""
    if depth > 4:
        return None, ""
    passive = _passive(verb)
    if not passive:
        for s in _kids(verb, "nsubj") + _kids(verb, "csubj"):
            if s.dep_ != "nsubj":
                continue
            if s.lower_ in RELATIVE_PRONOUNS and verb.dep_.startswith("acl"):
                # "anggota marinir yang ditangkap di Singapura": what a di- verb's relative
                # clause describes underwent it
                return (None, "") if _di_passive(verb) else (verb.head, "relcl")
            return s, "nsubj"
    else:
        for o in _kids(verb, "obl:agent"):
            return o, "obl:agent"
        for o in _kids(verb, "obl") + _kids(verb, "nmod"):
            if _case(o) in AGENT_CASES:
                return o, "oleh"
        return None, ""
    rel = verb.dep_
    if rel == "acl:relcl" and verb.head.i != verb.i:
        return verb.head, "relcl"
    if rel == "acl" and verb.head.i < verb.i and MEN_PREFIX.match(verb.text) \
            and not any(t.lower_ in RELATIVE_PRONOUNS for t in verb.doc[verb.head.i:verb.i]):
        # an active meN- verb right after its noun with no "yang" between is the noun's
        # predicate, not a clause modifying it (a parse that hangs "mendesak" under "Jepang")
        return verb.head, "acl-predicate"
    purpose = any(m.lower_ in PURPOSE_MARKS for m in _kids(verb, "mark"))
    if rel == "xcomp" or (rel == "advcl" and purpose):
        governor = verb.head
        objects = _kids(governor, "obj") + _kids(governor, "iobj")
        # "asked Y to mediate": Y; "visited Y to mediate": the visitor, unless the verb
        # is one of asking or making (object control)
        if objects and ((rel == "xcomp" and not purpose) or governor.lower_ in OBJECT_CONTROL):
            return objects[0], "control-obj"
        found, _ = _subject(governor, depth + 1)
        return (found, "control-subj") if found is not None else (None, "")
    if rel == "conj" and verb.head.i != verb.i:
        found, _ = _subject(verb.head, depth + 1)
        return (found, "conj") if found is not None else (None, "")
    return None, ""


def _copular_predicate(head):
    """The copular predicate an event noun stands in or is joined to ("X adalah
    pelanggaran ...", "X adalah inti ... dan garis merah ...", "X is a violation"), the
    noun following its copula, or None."""
    tok = head
    for _ in range(4):
        cops = _kids(tok, "cop")
        if cops:
            return tok if cops[0].i < head.i and _kids(tok, "nsubj") else None
        if tok.dep_ == "obj" and tok.head.lower_ in COPULA_VERBS:
            # "merupakan" parsed as a verb with the predicate noun its object
            return tok.head if _kids(tok.head, "nsubj") else None
        if tok.dep_ not in ("conj", "nmod") or tok.head.i == tok.i:
            return None
        tok = tok.head
    return None


def _speaker(pred):
    """Who says the clause `pred` heads: the subject of the verb it is the complement of
    ("Retno menegaskan bahwa ...", "X said the strike was ..."), or of the attribution
    around it ("..., kata X", "..., X said")."""
    gov = pred.head
    said = gov.i != pred.i and gov.tag_ == "VERB" and (
        pred.dep_ == "ccomp" or gov.lower_ in SAY_VERBS
        or (pred.dep_ == "advcl" and any(m.lower_ in ("bahwa", "that") for m in _kids(pred, "mark"))))
    if said:
        found = next((s for s in _kids(gov, "nsubj") if s.i != pred.i), None)
        if found is None and pred.dep_ != "nsubj":
            found, _ = _subject(gov)
        if found is not None:
            return found
    for c in pred.children:
        if c.dep_ in ("parataxis", "ccomp", "advcl") and c.i > pred.i and c.lower_ in SAY_VERBS:
            found = (_kids(c, "nsubj") or [None])[0]
            if found is not None:
                return found
    return None


def roles_of(doc, start: int, end: int, symmetric: bool = False, nominal: bool = False,
             judgement: bool = False, stance: bool = False) -> Roles:
    """The agent and patient tokens of the trigger at doc characters [start, end).
    `judgement`: the trigger judges (an accusation), so that a copular predicate's
    subject is what is judged. `stance`: the trigger is one's stance (a threat, a protest):
    an event noun in a copular predicate is the speaker's, not its subject's."""
    span = _overlapping(doc, start, end)
    head = trigger_head(doc, span)
    roles = Roles(head=head.i if head is not None else None)
    if head is None:
        return roles
    span = set(span)
    # an event noun by the lexicon, or by the tagger when no subject or object depends on it
    # and, in Indonesian, it has no active verb prefix meN- ("menuding", "mengecam")
    noun = nominal or (head.tag_ in ("NOUN", "PROPN") and not MEN_PREFIX.match(head.text)
                       and not any(c.dep_ in ("nsubj", "nsubj:pass", "obj") for c in head.children))
    cases = TARGET_CASES | (PARTNER_CASES if symmetric else set())

    def add(role: str, tok, how: str) -> None:
        if tok is None or tok.i in span:
            return
        lst = roles.agent if role == "agent" else roles.patient
        if tok.i not in lst:
            lst.append(tok.i)
            if role == "agent" and not roles.agent_how:
                roles.agent_how = how
            if role == "patient" and not roles.patient_how:
                roles.patient_how = how

    if noun:
        for m in _kids(head, "nmod:poss") + _kids(head, "det:poss"):
            add("agent", m, "poss")
        for m in _kids(head, "nmod") + _kids(head, "compound") + _kids(head, "amod") + _kids(head, "flat:*"):
            case = _case(m)
            if case in AGENT_CASES:
                add("agent", m, "oleh")
            elif case in cases:
                add("patient", m, f"nmod:{case}")
            elif not case and (m.i > head.i or m.dep_ in ("amod", "compound")) and not roles.agent:
                add("agent", m, "genitive")
        named_agent = any(doc[i].tag_ in ("PROPN", "NOUN", "PRON") for i in roles.agent)
        pred = _copular_predicate(head) if (judgement or stance) and not named_agent else None
        if pred is not None:
            roles.agent, roles.agent_how = [], ""     # an adjective ("pertama", "serius") names no one
            # "Serangan itu merupakan pelanggaran ...", "Masalah Taiwan adalah garis merah ...":
            # the copula's subject is what is judged, never the agent; who says so judges
            add("agent", _speaker(pred), "speaker")
            if judgement:
                for s in _kids(pred, "nsubj"):
                    named = [s] if s.tag_ == "PROPN" else \
                        [m for m in _kids(s, "nmod") + _kids(s, "nmod:poss") + _kids(s, "det:poss")
                         + _kids(s, "amod") + _kids(s, "compound") + _kids(s, "flat:*")
                         if not _case(m) or _case(m) in AGENT_CASES]
                    if named:
                        # the one judged, not what its act was aimed at ("... merupakan
                        # ancaman terhadap perdamaian": peace is no party accused)
                        roles.patient, roles.patient_how = [], ""
                    for m in named:
                        add("patient", m, "cop-subject")
            return roles
        governor = head.head
        if not roles.agent and head.dep_ in ("obj", "xcomp") and governor.lower_ in LIGHT_VERBS:
            found, _ = _subject(governor)
            add("agent", found, "light-verb")
            if not roles.patient:
                for o in _kids(governor, "obl") + _kids(governor, "iobj"):
                    if _case(o) in cases:
                        add("patient", o, f"obl:{_case(o)}")
        if not roles.agent and head.dep_ not in ("obj", "nsubj", "nsubj:pass", "obl", "nmod"):
            found, how = _subject(head)       # an event noun as predicate: "X dalam kunjungan ..."
            if how in ("nsubj",):
                add("agent", found, how)
    elif judgement and _kids(head, "cop"):
        # a predicate of judgement ("X's claims were inconsistent with the facts"): its
        # subject is what is judged; the judge is who says so ("Guo told ... that ...")
        for s in _kids(head, "nsubj"):
            add("patient", s, "cop-subject")
        if head.dep_ == "ccomp":
            found, how = _subject(head.head)
            add("agent", found, "speaker")
    else:
        found, how = _subject(head)
        add("agent", found, how)
        if _di_passive(head) and head.dep_.startswith("acl") and \
                any(c.lower_ in RELATIVE_PRONOUNS for c in _kids(head, "nsubj")):
            add("patient", head.head, "relcl")
        for o in _kids(head, "obj") + _kids(head, "iobj"):
            add("patient", o, "obj")
        if _passive(head):
            for s in _kids(head, "nsubj:pass"):
                if s.lower_ in RELATIVE_PRONOUNS and head.dep_.startswith("acl"):
                    add("patient", head.head, "relcl")
                else:
                    add("patient", s, "nsubj:pass")
        named_objects = [o for o in _kids(head, "obj")
                         if any(m.tag_ == "PROPN" and not _case(m) for m in _kids(o, "nmod"))]
        for o in _kids(head, "obl"):
            case = _case(o)
            if case in cases and not any(_next_to_phrase(n, o) for n in named_objects):
                # a target right after an object with its own named genitive is that noun's
                # ("mengutuk serangan Israel terhadap Gaza": Gaza is what Israel attacked)
                add("patient", o, f"obl:{case}")
    return roles


def _phrase(tok) -> list:
    """The tokens of the noun phrase `tok` heads, up to its clauses and conjuncts."""
    out, todo = [tok], [tok]
    while todo:
        t = todo.pop()
        for c in t.children:
            if c.dep_ in PHRASE_RELATIONS and abs(c.i - tok.i) <= 12:
                out.append(c)
                todo.append(c)
    return out


def _conjuncts(tok) -> list:
    out, todo = [tok], [tok]
    while todo:
        t = todo.pop()
        for c in t.children:
            if c.dep_ == "conj" and c not in out:
                out.append(c)
                todo.append(c)
    return out


def slots_for(doc, tokens: Sequence[int], slots: Sequence) -> list:
    """The actor slots an argument names: for each token and its conjuncts, the slot
    holding the token, else the first slot inside its noun phrase. Slots are objects
    with `start` and `end` (offsets of the parsed text)."""
    chosen: list = []
    for i in tokens:
        for tok in _conjuncts(doc[i]):
            lo, hi = _start(tok), _end(tok)
            own = [s for s in slots if s.start < hi and lo < s.end]
            if not own:
                words = sorted(_phrase(tok), key=lambda t: t.i)
                # an apposition names the actor only when the phrase itself names none
                # ("Presiden, Prabowo"); one that names another is a misparse
                own = [s for s in slots if any(s.start < _end(t) and _start(t) < s.end
                                               for t in words if t.dep_ != "appos")][:1] \
                    or [s for s in slots if any(s.start < _end(t) and _start(t) < s.end for t in words)][:1]
            for s in own[:1]:
                if s not in chosen:
                    chosen.append(s)
    return sorted(chosen, key=lambda s: s.start)


@dataclass
class Arguments:
    """The actor slots the parse gives a trigger: groups of aliansi.extraction.slots.Slot, or None."""
    agent: list | None
    patient: list | None
    agent_how: str = ""
    patient_how: str = ""


def arguments(doc, start: int, end: int, slots: Sequence, *, symmetric: bool = False,
              nominal: bool = False, judgement: bool = False, stance: bool = False,
              groups: Sequence[Sequence] = ()) -> Arguments:
    """The trigger's agent and patient as actor slots, where the parse names them.
    `groups`, the coordinated slots the patterns of aliansi.extraction.arguments found ("Jepang,
    Korea Selatan, dan Australia"): an argument takes the whole list its slot stands in,
    where the parse's own coordination is shorter."""
    found = roles_of(doc, start, end, symmetric=symmetric, nominal=nominal, judgement=judgement,
                     stance=stance)
    agent = _widen(slots_for(doc, found.agent, slots), groups) or None
    patient = _widen(slots_for(doc, found.patient, slots), groups) or None
    if agent and patient:
        patient = [s for s in patient if s not in agent] or None
    return Arguments(agent, patient, found.agent_how if agent else "", found.patient_how if patient else "")


def _widen(chosen: list, groups: Sequence[Sequence]) -> list:
    out = list(chosen)
    for group in groups:
        if any(s in group for s in chosen):
            out += [s for s in group if s not in out]
    return sorted(out, key=lambda s: s.start)
