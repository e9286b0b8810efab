"""An event's date from its sentence: the time expression of its own clause, a time
told relative to another event ("a day after Russia struck", "pada hari yang sama"),
the talks' date for an agreement reached in them, else the occasion the text last
dated (`date_basis: "context"`). Never the publication date.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Sequence

from ..model import Article, Event, Sentence, TimeExpression
from .arguments import SPEECH_TYPES, governing_act
from .discourse import ATTRIBUTION_AFTER, quoted
from .slots import COORDINATED_VERB, gap_words
from .triggers import Hit

# "Sehari sebelumnya", "pada hari yang sama": offsets from the last date the text gave
ANAPHORIC_OFFSET = re.compile(r"(?i)(?:sama|sebelumnya|kemudian|itu|juga|harinya|same day|earlier|before|later|"
                              r"that day|afternoon|evening|morning|night)\s*$")
OFFSET_RULE = re.compile(r"event_offset:([+-]?\d+)d$")
TEMPORAL_PREPOSITION = re.compile(r"(?i)^(?:pada|tahun|sejak|hingga|sampai|akhir|awal|pertengahan|"
                                  r"in|since|until|by|of|early|late|mid|during|selama)$")
RELATIVE = re.compile(r"(?i)\b(?:yang|which|who|whom|whose)\b")


def sentence_times(article: Article, sentence: Sentence,
                   last_date: TimeExpression | None) -> tuple[list[TimeExpression], list[TimeExpression]]:
    """The dated times of a sentence ("the same day" resolved against the last day the
    text named) and its offsets from another event ("a day after ...")."""
    times = [anaphoric_time(t, last_date) if t.value is None else t
             for t in article.times_in(sentence.start, sentence.end)]
    offsets = [t for t in article.times_in(sentence.start, sentence.end)
               if t.value is None and (t.rule or "").startswith("event_offset:")
               and not (t.rule or "").endswith(":0d")]
    times = [t for t in times if t and t.value]
    return times, offsets


def event_time(hit: Hit, acting: list[Hit], hits: Sequence[Hit], times: list[TimeExpression],
               offsets: list[TimeExpression], context_date: TimeExpression | None, base: int,
               text: str) -> tuple[TimeExpression | None, str]:
    """The time that dates a trigger's event and its `date_basis`."""
    time = offset_time(hit, offsets, day_anchor(times, context_date), context_date, base, text) \
        or time_for(hit, acting, times, base, text, hits)
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
    return time, date_basis


def time_for(hit: Hit, acting: list[Hit], times: list[TimeExpression], base: int,
              text: str, hits: Sequence[Hit] = ()) -> TimeExpression | None:
    """The time expression that dates this trigger: the nearest one that is its
    own (nearer to it than to any other trigger), else the nearest one it can
    reach. A time cannot be reached across a relative clause ("yang ditahan
    sejak Juli 2025") or through another trigger it is the object of
    ("mengecam serangan ... pada Selasa"); coordinated verbs share their time."""
    def distance(t: TimeExpression, h: Hit) -> int:
        s, e = t.start - base, t.end - base
        return h.start - e if e <= h.start else (s - h.end if s >= h.end else 0)

    close = _attributed_quote_end(hit, text) if hit.trigger.type in SPEECH_TYPES - {"AGREE"} else None

    def blocked(t: TimeExpression) -> bool:
        s, e = t.start - base, t.end - base
        if close is not None and s > close:
            return False      # '"... mengecam keras ...," ujar Retno ... pada Kamis': said then
        before_time = re.search(r"([\w-]+)\s+$", text[:s])
        if t.precision == "year" and before_time and before_time.group(1).islower() \
                and not TEMPORAL_PREPOSITION.match(before_time.group(1)):
            return True       # "putusan arbitrase 2016", "rencana aksi 2026–2030" name things
        if s >= hit.end and hit.trigger.type in SPEECH_TYPES - {"AGREE"} and t.precision in ("year", "month") \
                and re.search(r"\bme[a-z]+", text[hit.end:s]) \
                and gap_words(text, hit.end, s) > 3:
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
                                       and not governing_act(h, [hit], text) for h in hits)
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


TIME_COORDINATION = re.compile(r"(?i)^\s*,?\s*(?:dan|serta|and)\s*$")   # not a comma alone: "Jumat, (25/8)"


def coordinated_times(time: TimeExpression | None, times: list[TimeExpression], base: int,
                      text: str) -> list[TimeExpression | None]:
    """The times coordinated with an event's own ("patroli pada Juni dan September",
    "released in September and October"): the act took place at each; else [time]."""
    if time is None or time not in times:
        return [time]
    k = times.index(time)
    first, last = k, k
    joined = lambda a, b: a.precision == b.precision and \
        TIME_COORDINATION.match(text[a.end - base:b.start - base]) is not None
    while first > 0 and joined(times[first - 1], times[first]):
        first -= 1
    while last + 1 < len(times) and joined(times[last], times[last + 1]):
        last += 1
    return times[first:last + 1]


def _attributed_quote_end(hit: Hit, text: str) -> int | None:
    """Where the quotation holding a speech act closes, when an attribution follows
    ("…," ujar X, "…," X said): a statement quoted is made when it is told it was."""
    if not quoted(text, hit.start):
        return None
    close = min((i for i in (text.find(q, hit.end) for q in "”\"") if i >= 0), default=-1)
    if close < 0 or not ATTRIBUTION_AFTER.match(text[close + 1:]):
        return None
    return close


def day_anchor(times: list[TimeExpression], context: TimeExpression | None) -> TimeExpression | None:
    days = [t for t in times if t.precision == "day"]
    return days[0] if days else context


def offset_time(hit: Hit, offsets: list[TimeExpression], anchor: TimeExpression | None,
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
        if "," not in between and gap_words(text, end, hit.start) <= 6:
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


def anaphoric_time(time: TimeExpression, last_date: TimeExpression | None) -> TimeExpression | None:
    """Resolve "the same day" / "a day earlier" against the last day the text named."""
    match = OFFSET_RULE.match(time.rule or "")
    if not match or last_date is None or not last_date.value or len(last_date.value) != 10 \
            or not ANAPHORIC_OFFSET.search(time.text):
        return None
    day = date.fromisoformat(last_date.value) + timedelta(days=int(match.group(1)))
    return TimeExpression(time.start, time.end, time.text, day.isoformat(), "day",
                          stage="events", rule=f"anaphoric:{time.rule}:{last_date.value}")


def date_agreements_by_talks(events: list[Event]) -> None:
    """An agreement reached "dalam perundingan ... pada Sabtu" has the talks' date."""
    talks = next((e for e in events if e.type == "CONSULT" and e.date_basis == "sentence"), None)
    if talks is None:
        return
    for event in events:
        if event.type == "AGREE" and event.date_basis in (None, "context"):
            event.date, event.date_precision = talks.date, talks.date_precision
            event.date_text, event.date_basis = talks.date_text, "sentence"
