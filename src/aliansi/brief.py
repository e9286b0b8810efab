"""Briefs: a self-contained, offline HTML dossier on a dyad or on one actor.

    html = build_brief("aliansi.db", "JPN", "NATO", since="2022")
    write_brief("aliansi.db", "JPN", path="jpn.html")      # one actor against all

The page has a heading (names, codes, window, counts), a timeline of the events,
a cooperation–conflict chart by month (inline SVG), the key events in words, each
citing its article and quoting the evidence sentence, the network neighbourhood
(inline SVG) and the list of sources. No fonts, scripts or images are fetched:
CSS and SVG are inline, and every piece of text from the news is HTML-escaped.

The same event reported by several articles (same type, actors and date) is one
entry with several citations, and is counted once in the chart. Undated events
are listed as undated, never placed at their article's publication date.
Hypothetical and negated events are left out unless `include_flagged`; when
included they are marked and never scored.
"""
from __future__ import annotations

import html
import logging
import math
import string
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

from aliansi.database import Database, open as open_database
from aliansi.dyads import PloverScores, dyad
from aliansi.errors import ConfigError, InputError
from aliansi.model import EVENT_TYPES, SYMMETRIC_TYPES
from aliansi.network import edge_totals, pair_counts
from aliansi.outputs import check_output, output_file
from aliansi.store import Store, StoredEvent

logger = logging.getLogger(__name__)

__all__ = ["build_brief", "write_brief"]

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")

# --- phrases, names and data -------------------------------------------------------

@dataclass(frozen=True)
class Phrases:
    """How events are told in words (`data/brief/phrases.yaml`)."""
    verbs: dict[str, str]
    modes: dict[str, dict[str, str]]
    alone: dict[str, str]

    @classmethod
    def load(cls) -> "Phrases":
        label = "aliansi/data/brief/phrases.yaml"
        try:
            data = yaml.safe_load(_data("phrases.yaml"))
        except yaml.YAMLError as exc:
            raise ConfigError(f"{label}: not valid YAML: {exc}") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"{label}: expected a mapping of verbs, modes and alone")
        verbs, modes, alone = (data.get(k) or {} for k in ("verbs", "modes", "alone"))
        missing = [t for t in EVENT_TYPES if t not in verbs or t not in alone]
        if missing:
            raise ConfigError(f"{label}: no phrase for {', '.join(missing)}")
        return cls(verbs=dict(verbs), modes={t: dict(m) for t, m in modes.items()},
                   alone=dict(alone))

    def verb(self, type: str, mode: str | None) -> str:
        return self.modes.get(type, {}).get(mode or "") or self.verbs.get(type, "acted towards")


def _data(name: str) -> str:
    return (resources.files("aliansi") / "data" / "brief" / name).read_text("utf-8")


def _namer(kb: Any) -> Callable[[str], str]:
    """code -> name from the knowledge base; the code itself when it is unknown."""
    cache: dict[str, str] = {}

    def name(code: str) -> str:
        if code not in cache:
            try:
                cache[code] = kb.name(code) or code
            except KeyError:
                cache[code] = code
        return cache[code]
    return name


# --- the data: events merged into items -------------------------------------------

@dataclass
class _Item:
    """One event as the brief shows it: the stored events (one per report) that
    agree on type, actors and date."""
    type: str
    mode: str | None
    source: list[str]
    target: list[str]
    date: str | None
    precision: str | None
    reports: list[StoredEvent]
    score: float
    flagged: str = ""            # "hypothetical" / "negated" / ""
    cites: list[int] = field(default_factory=list)

    @property
    def sort_key(self) -> tuple:
        # Same date: in the order the earliest report tells them.
        first = min((r.published or "", r.article_id, min(r.evidence_spans, default=(0, 0)))
                    for r in self.reports)
        return (self.date is None, self.date or "", first, self.type)

    @property
    def actors(self) -> set[str]:
        return set(self.source) | set(self.target)


def _flag(event: StoredEvent) -> str:
    return "hypothetical" if event.hypothetical else "negated" if event.negated else ""


def _item_key(event: Any, cluster_of: dict[str, str] | None) -> tuple:
    """What the reports of one item share: their cluster, else type, actors and date."""
    if cluster_of and event.id in cluster_of:
        return ("cluster", cluster_of[event.id])
    if event.date is None:
        return ("undated", event.id)        # undated reports are never merged
    if event.type in SYMMETRIC_TYPES:
        return (event.type, event.mode, frozenset(event.source) | frozenset(event.target),
                event.date, _flag(event))
    return (event.type, event.mode, tuple(sorted(event.source)), tuple(sorted(event.target)),
            event.date, _flag(event))


def _first_reports(events: Iterable[Any], cluster_of: dict[str, str] | None) -> list[Any]:
    """The first report of each unflagged item `_merge` would make of `events` (what the
    network neighbourhood counts), without building the items: lean rows will do."""
    first: dict[tuple, Any] = {}
    for event in events:
        first.setdefault(_item_key(event, cluster_of), event)
    return [e for e in first.values() if not _flag(e)]


Stated = Counter   # (source, target, type, mode) -> how many items' first reports state it


def _stated(reports: Iterable[Any]) -> Stated:
    return Counter((tuple(r.source), tuple(r.target), r.type, r.mode) for r in reports)


def _neighbourhood(store: Any, codes: tuple[str, ...], filters: dict[str, Any]) -> Stated:
    """What `_first_reports` of the events of each of `codes` in turn (`events(actor=...)`)
    state, counted, without reading them all: the first reports of the clusters are
    counted in the store's occurrence tables (`Store.listed_first`), and only the events
    in no cluster and the clusters with a reviewed report are read, as lean rows. Within
    dates: from the lean rows of every event."""
    if filters.get("since") is not None or filters.get("until") is not None:
        stated, read = Stated(), store.event_rows
    else:
        stated, alone = store.listed_first(codes)
        apart = alone | store.reviewed_occurrences()
        read = lambda **these: store.occurrence_rows(apart, **these)  # noqa: E731
    around = {r.id: r for code in codes for r in read(actor=code, **filters)}
    return stated + _stated(_first_reports(around.values(), {
        r.id: r.cluster_id for r in around.values() if r.cluster_id}))


def _edges(stated: Stated, scores: PloverScores) -> dict[frozenset, list[float]]:
    """{frozenset({x, y}): [events, cooperation, conflict]} of the edges `aliansi.network`
    draws from the first reports of a neighbourhood (each item once, both directions
    together, scores signed and rounded as the network's)."""
    counts = pair_counts((*key, n, n) for key, n in stated.items())
    edges: dict[frozenset, list[float]] = {}
    for (x, y, _), data in sorted(edge_totals(counts, scores).items()):
        edge = edges.setdefault(frozenset((x, y)), [0, 0.0, 0.0])
        score = round(data["score"], 3)
        edge[0] += data["count"]
        edge[1 if score > 0 else 2] += score
    return edges


def _merge(events: Iterable[StoredEvent], scores: PloverScores,
           cluster_of: dict[str, str] | None = None) -> list[_Item]:
    """One item per occurrence: the reports of one cluster (as `aliansi clusters` and
    `aliansi dyad` count them), else the reports of one type, actors and date."""
    items: dict[tuple, _Item] = {}
    for event in events:
        key = _item_key(event, cluster_of)
        if key in items:
            items[key].reports.append(event)
            continue
        flagged = _flag(event)
        items[key] = _Item(type=event.type, mode=event.mode, source=list(event.source),
                           target=list(event.target), date=event.date,
                           precision=event.date_precision or _precision(event.date),
                           reports=[event],
                           score=0.0 if flagged else scores.score(event.type, event.mode),
                           flagged=flagged)
    return sorted(items.values(), key=lambda i: i.sort_key)


CHART_MONTHS = 36       # the longest span the chart shows; the busiest such window


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _busiest_window(months: list[str], counts: dict[str, int], span: int) -> tuple[str, str]:
    """(first, last) month of the `span`-month window that holds the most events (the
    latest such window): an old background event does not stretch the chart over
    years of nothing."""
    best = (months[0], months[-1])
    if _month_index(months[-1]) - _month_index(months[0]) < span:
        return best
    most = -1
    for i, start in enumerate(months):
        inside = [m for m in months[i:] if _month_index(m) - _month_index(start) < span]
        total = sum(counts[m] for m in inside)
        if total >= most:
            most, best = total, (start, inside[-1])
    return best


def _precision(date: str | None) -> str | None:
    return None if date is None else {4: "year", 7: "month", 10: "day"}.get(len(date))


def _open(db_or_store: Any) -> tuple[Database, bool]:
    """The Database behind `db_or_store` and whether the brief must close it."""
    if isinstance(db_or_store, Database):
        return db_or_store, False
    if isinstance(db_or_store, Store):
        return Database(db_or_store), False
    if isinstance(db_or_store, (str, Path)):
        return open_database(db_or_store, read_only=True), True
    raise InputError(f"expected a database path, a Database or a Store, got {type(db_or_store).__name__}",
                     origin="brief")


def _code(value: str | None, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{what} must be an actor code such as JPN or NATO, not {value!r}",
                         origin="brief")
    return value.strip().upper()


# --- formatting helpers -------------------------------------------------------------

def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _long_date(date: str) -> str:
    parts = date.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def _when(date: str | None) -> str:
    if date is None:
        return "At a date the reports do not give,"
    return ("On " if len(date) == 10 else "In ") + _long_date(date)


def _fmt(value: float) -> str:
    """A signed score: +2.5, −7, 0."""
    if abs(value) < 0.005:
        return "0"
    text = f"{value:+.2f}".rstrip("0").rstrip(".")
    return text.replace("-", "−")


def _nice(value: float) -> float:
    """The smallest of 1, 2, 5 × 10^k at least `value` (a round axis maximum)."""
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= value)


def _short(text: str, limit: int = 170) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def _safe_url(url: str | None) -> str | None:
    """Only http(s) links become hrefs (a javascript: URL from a feed must not)."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def _type_class(score: float) -> str:
    return "coop" if score > 0 else "conf" if score < 0 else ""


class _Brief:
    """Builds the sections of one brief from its items."""

    def __init__(self, *, a: str, b: str | None, items: list[_Item], neighbourhood: Stated,
                 kb: Any, scores: PloverScores, since: str | None, until: str | None,
                 generated: str, location: str, include_flagged: bool,
                 max_key_events: int, max_partners: int):
        self.a, self.b, self.items, self.neighbourhood = a, b, items, neighbourhood
        self.kb, self.name, self.scores = kb, _namer(kb), scores
        self.phrases = Phrases.load()
        self.since, self.until = since, until
        self.generated, self.location = generated, location
        self.include_flagged = include_flagged
        self.max_key_events, self.max_partners = max_key_events, max_partners
        self.sources: dict[str, int] = {}           # article id -> citation number
        self.articles: dict[str, StoredEvent] = {}  # article id -> a report with its metadata
        self.quotes: dict[str, list[str]] = defaultdict(list)
        for item in items:                          # number sources in timeline order
            for report in item.reports:
                number = self.sources.setdefault(report.article_id, len(self.sources) + 1)
                self.articles.setdefault(report.article_id, report)
                if report.evidence not in self.quotes[report.article_id]:
                    self.quotes[report.article_id].append(report.evidence)
                if number not in item.cites:
                    item.cites.append(number)

    # names ---------------------------------------------------------------------------
    def label(self, code: str) -> str:
        """'Japan (JPN)', or 'NATO' when the name is the code; escaped."""
        name = self.name(code)
        return _e(code) if name == code else f"{_e(name)} (<span class=\"code\">{_e(code)}</span>)"

    def plain(self, code: str) -> str:
        name = self.name(code)
        return code if name == code else f"{name} ({code})"

    def group(self, codes: list[str]) -> str:
        labels = [self.label(c) for c in codes]
        if len(labels) <= 1:
            return labels[0] if labels else "an unnamed actor"
        return ", ".join(labels[:-1]) + " and " + labels[-1]

    def cite(self, numbers: list[int]) -> str:
        return "".join(f'<sup class="cite"><a href="#src-{n}" aria-label="source {n}">[{n}]</a></sup>'
                       for n in numbers)

    # sections ------------------------------------------------------------------------
    def title(self) -> str:
        if self.b:
            return f"Brief: {self.plain(self.a)} and {self.plain(self.b)}"
        return f"Brief: {self.plain(self.a)} and its partners"

    def heading(self) -> str:
        if self.b:
            return f"{self.label(self.a)} and {self.label(self.b)}"
        return f"{self.label(self.a)} and its partners"

    def window(self) -> str:
        dated = [i.date for i in self.items if i.date]
        if self.since or self.until:
            return f"{_e(self.since or 'the first record')} to {_e(self.until or 'the last record')}"
        if dated:
            return f"all records ({_e(min(dated))} to {_e(max(dated))})"
        return "all records"

    def meta(self) -> str:
        scored = [i for i in self.items if not i.flagged]
        coop = sum(1 for i in scored if i.score > 0)
        conf = sum(1 for i in scored if i.score < 0)
        undated = sum(1 for i in self.items if i.date is None)
        kind = "Dyad brief" if self.b else "Actor brief: one actor against all"
        counts = [("Events", len(self.items)), ("Reports", sum(len(i.reports) for i in self.items)),
                  ("Sources", len(self.sources)), ("Cooperative", coop), ("Conflictual", conf),
                  ("Undated", undated), ("Net score", _fmt(sum(i.score for i in scored)))]
        dl = "".join(f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in counts)
        return (f'<p class="meta">{kind}. Window: {self.window()}. Generated {_e(self.generated)}.</p>\n'
                f'<dl class="counts" aria-label="Counts">{dl}</dl>')

    def timeline(self) -> str:
        if not self.items:
            return '<p class="empty">No events in this window.</p>'
        rows = []
        for item in self.items:
            undated = item.date is None
            arrow = "↔" if item.type in SYMMETRIC_TYPES else "→"
            direction = (f"{' + '.join(_e(c) for c in item.source) or '?'} {arrow} "
                         f"{' + '.join(_e(c) for c in item.target) or '—'}")
            kind = _e(item.type) + (f" <small>({_e(item.mode)})</small>" if item.mode else "")
            flag = f' <span class="flag">[{_e(item.flagged)}]</span>' if item.flagged else ""
            rows.append(
                f'<tr class="{"undated" if undated else "dated"}">'
                f'<td class="date">{"undated" if undated else _e(item.date)}</td>'
                f'<td><span class="type {_type_class(item.score)}">{kind}</span>{flag}</td>'
                f'<td class="dir">{direction}</td>'
                f"<td>{_e(_short(item.reports[0].evidence))}</td>"
                f"<td>{self.cite(item.cites)}</td></tr>")
        return ('<table class="timeline"><caption class="meta">Oldest first; undated events last, '
                "never placed at their article's publication date.</caption>\n"
                '<thead><tr><th scope="col">Date</th><th scope="col">Type</th>'
                '<th scope="col">Direction</th><th scope="col">What the source says</th>'
                '<th scope="col">Sources</th></tr></thead>\n<tbody>\n'
                + "\n".join(rows) + "\n</tbody></table>")

    def monthly(self) -> tuple[list[tuple[str, float, float]], int]:
        """(month, cooperation, −conflict) for every month in range (from
        `aliansi.dyads`, one representative report per item), and how many events
        could not be placed in a month (dated only to the year, or undated)."""
        table = dyad([item.reports[0] for item in self.items], self.a, self.b, by="month",
                     scores=self.scores)
        totals = {r.period: [r.cooperation, -r.conflict] for r in table.rows
                  if r.precision == "month"}
        unplaced = sum(r.events for r in table.rows if r.precision != "month")
        if not totals:
            return [], unplaced
        counts = {r.period: r.events for r in table.rows if r.precision == "month"}
        first, last = _busiest_window(sorted(counts), counts, CHART_MONTHS)
        unplaced += sum(n for month, n in counts.items() if not first <= month <= last)
        y, m = int(first[:4]), int(first[5:7])
        months = []
        while f"{y:04d}-{m:02d}" <= last:
            key = f"{y:04d}-{m:02d}"
            coop, conf = totals.get(key, [0.0, 0.0])
            months.append((key, coop, conf))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return months, unplaced

    def chart(self) -> str:
        months, unplaced = self.monthly()
        note = (f" {unplaced} event{'s' if unplaced != 1 else ''} dated only to the year, "
                f"undated or outside the busiest {CHART_MONTHS} months "
                f"{'are' if unplaced != 1 else 'is'} not in the chart." if unplaced else "")
        if not months:
            return f'<p class="empty">No event dated to a month in this window.{_e(note)}</p>'
        who = f"{self.plain(self.a)} and {self.plain(self.b)}" if self.b else f"{self.plain(self.a)} with all partners"
        width, height, left, right, top, bottom = 760, 300, 56, 16, 16, 44
        plot_w, plot_h = width - left - right, height - top - bottom
        peak = _nice(max([max(c, -k) for _, c, k in months] + [1.0]))
        zero = top + plot_h / 2
        scale = (plot_h / 2) / peak
        step = plot_w / len(months)
        bar = max(2.0, min(28.0, step * 0.7))
        parts = [
            f'<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg">',
            f'<title id="chart-title">Cooperation and conflict by month: {_e(who)}</title>',
            f'<desc id="chart-desc">Bars above the line are the summed PLOVER cooperation scores of a '
            f'month, bars below the summed conflict scores; the dark line is the net score. '
            f'{len(months)} months from {_e(months[0][0])} to {_e(months[-1][0])}; the largest '
            f'monthly magnitude is {_e(_fmt(peak))}.</desc>',
            f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fbfcfd" stroke="#d0d7de"/>',
        ]
        for value in (peak, peak / 2, 0, -peak / 2, -peak):
            y = zero - value * scale
            parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
                         f'stroke="{"#57606a" if value == 0 else "#e5e8eb"}" '
                         f'stroke-width="{1.2 if value == 0 else 1}"/>')
            parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
                         f'fill="#57606a">{_e(_fmt(value))}</text>')
        label_every = max(1, math.ceil(len(months) / 12))
        points = []
        for i, (month, coop, conf) in enumerate(months):
            cx = left + step * (i + 0.5)
            x = cx - bar / 2
            if coop:
                parts.append(f'<rect class="bar coop" x="{x:.1f}" y="{zero - coop * scale:.1f}" '
                             f'width="{bar:.1f}" height="{coop * scale:.1f}" fill="#1a7f37">'
                             f'<title>{_e(month)}: cooperation {_e(_fmt(coop))}</title></rect>')
            if conf:
                parts.append(f'<rect class="bar conf" x="{x:.1f}" y="{zero:.1f}" '
                             f'width="{bar:.1f}" height="{-conf * scale:.1f}" fill="#c62828">'
                             f'<title>{_e(month)}: conflict {_e(_fmt(conf))}</title></rect>')
            points.append(f"{cx:.1f},{zero - (coop + conf) * scale:.1f}")
            if i % label_every == 0:
                parts.append(f'<text x="{cx:.1f}" y="{height - bottom + 16}" font-size="11" '
                             f'text-anchor="middle" fill="#57606a">{_e(month)}</text>')
        parts.append(f'<polyline class="net" points="{" ".join(points)}" fill="none" '
                     f'stroke="#1b1f24" stroke-width="2"/>')
        for point, (month, coop, conf) in zip(points, months):
            x, y = point.split(",")
            parts.append(f'<circle cx="{x}" cy="{y}" r="3" fill="#1b1f24">'
                         f'<title>{_e(month)}: net {_e(_fmt(coop + conf))}</title></circle>')
        parts.append(f'<text x="{left}" y="{height - 6}" font-size="11" fill="#57606a">'
                     f'PLOVER score per month (cooperation up, conflict down)</text>')
        parts.append("</svg>")
        table = "".join(f'<tr><td>{_e(m)}</td><td class="num">{_e(_fmt(c))}</td>'
                        f'<td class="num">{_e(_fmt(k))}</td><td class="num">{_e(_fmt(c + k))}</td></tr>'
                        for m, c, k in months if c or k)
        return ('<div class="legend" aria-hidden="true"><span class="l-coop">cooperation</span>'
                '<span class="l-conf">conflict</span><span class="l-net">net</span></div>\n'
                f'<figure>{"".join(parts)}<figcaption>Summed PLOVER scores of the events of each month '
                f"({_e(self.score_legend())}); an event reported by several articles counts "
                f"once.{_e(note)}</figcaption></figure>\n"
                '<details><summary>The figures as a table</summary><table><thead><tr>'
                '<th scope="col">Month</th><th scope="col" class="num">Cooperation</th>'
                '<th scope="col" class="num">Conflict</th><th scope="col" class="num">Net</th>'
                f"</tr></thead><tbody>{table}</tbody></table></details>")

    def score_legend(self) -> str:
        types = ", ".join(f"{t} {_fmt(v)}" for t, v in
                          sorted(self.scores.types.items(), key=lambda tv: -tv[1]))
        modes = "; ".join(f"{t} by mode: " + ", ".join(f"{m} {_fmt(v)}" for m, v in ms.items())
                          for t, ms in self.scores.modes.items())
        return types + ("; " + modes if modes else "")

    def sentence(self, item: _Item) -> str:
        verb = self.phrases.verb(item.type, item.mode)
        who = self.group(item.source)
        if item.target:
            text = f"{_when(item.date)} {who} {verb} {self.group(item.target)}"
        else:
            text = f"{_when(item.date)} {who} {self.phrases.alone.get(item.type, 'acted')}"
        place = item.reports[0].location
        if place:
            text += f" in {_e(place)}"
        if item.date is None:
            published = sorted({r.published for r in item.reports if r.published})
            if published:
                text += f" (reported {_e(_long_date(published[0]))})"
        text += "."
        if item.flagged:
            text += f' <span class="flag">Flagged {_e(item.flagged)}: not a reported fact.</span>'
        return text

    def key_events(self) -> str:
        if not self.items:
            return '<p class="empty">No events in this window.</p>'
        # The weightiest events (by |score|, then by how many articles report them),
        # told in date order.
        ranked = sorted(self.items, key=lambda i: (bool(i.flagged), -abs(i.score),
                                                   -len(i.reports), i.date is None))
        chosen = sorted(ranked[:self.max_key_events], key=lambda i: i.sort_key)
        entries = []
        for item in chosen:
            quotes, seen = [], set()
            for report in item.reports:
                if report.evidence in seen:
                    continue
                seen.add(report.evidence)
                number = self.sources[report.article_id]
                quotes.append(f"<blockquote>{_e(report.evidence)} {self.cite([number])}</blockquote>")
            entries.append(f"<li><p>{self.sentence(item)} {self.cite(item.cites)}</p>"
                           + "".join(quotes) + "</li>")
        more = len(self.items) - len(chosen)
        tail = (f'<p class="meta">{more} further event{"s" if more != 1 else ""} in the timeline.</p>'
                if more > 0 else "")
        return '<ol class="key">\n' + "\n".join(entries) + "\n</ol>" + tail

    @cached_property
    def edges(self) -> dict[frozenset, list[float]]:
        return _edges(self.neighbourhood, self.scores)

    @cached_property
    def partners(self) -> list[tuple[str, int, float, float]]:
        """(partner, events, cooperation, conflict) of the brief's actor(s), busiest first."""
        centre = {self.a, self.b} - {None}
        rows: dict[str, list[float]] = {}
        for pair, (n, coop, conf) in self.edges.items():
            if len(pair & centre) != 1:
                continue
            (other,) = pair - centre
            row = rows.setdefault(other, [0, 0.0, 0.0])
            row[0] += n
            row[1] += coop
            row[2] += conf
        return sorted(((p, int(n), c, k) for p, (n, c, k) in rows.items()),
                      key=lambda r: (-r[1], r[0]))

    def network(self) -> str:
        centre = [self.a] + ([self.b] if self.b else [])
        edges = self.edges
        partners = [p for p, *_ in self.partners][:self.max_partners]
        if not partners and not any(frozenset(centre) == e for e in edges):
            return '<p class="empty">No partners in this window.</p>'
        width, height = 760, 440
        cx, cy = width / 2, height / 2
        pos: dict[str, tuple[float, float]] = {}
        if self.b:
            pos[self.a], pos[self.b] = (cx - 110, cy), (cx + 110, cy)

            def lean(p: str) -> float:     # −1: only with a (left) … +1: only with b (right)
                na = edges.get(frozenset((self.a, p)), [0])[0]
                nb = edges.get(frozenset((self.b, p)), [0])[0]
                return (nb - na) / max(1, na + nb)
            ordered = sorted(partners, key=lambda p: (lean(p), p))
            top, bottom = ordered[0::2], ordered[1::2]
            for row, sign in ((top, -1), (bottom, 1)):
                for i, p in enumerate(row):
                    angle = math.pi * (i + 0.5) / len(row)      # left (π) to right (0)
                    pos[p] = (cx - 330 * math.cos(angle), cy + sign * 185 * math.sin(angle))
        else:
            pos[self.a] = (cx, cy)
            for i, p in enumerate(partners):
                angle = 2 * math.pi * i / max(1, len(partners)) - math.pi / 2
                pos[p] = (cx + 300 * math.cos(angle), cy + 175 * math.sin(angle))
        shown = set(pos)
        # Fit the drawing to its nodes, with room for the largest circles.
        xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
        x0, y0 = min(xs) - 60, min(ys) - 45
        width, height = max(360.0, max(xs) + 60 - x0), max(140.0, max(ys) + 45 - y0)
        x0 -= (width - (max(xs) + 60 - x0)) / 2
        activity = Counter()
        for pair, (n, *_) in edges.items():
            for code in pair:
                activity[code] += n
        peak = max(activity.values(), default=1)
        who = " and ".join(self.plain(c) for c in centre)
        parts = [
            f'<svg class="network" role="img" aria-labelledby="net-title net-desc" '
            f'viewBox="{x0:.0f} {y0:.0f} {width:.0f} {height:.0f}" width="{width:.0f}" '
            f'height="{height:.0f}" xmlns="http://www.w3.org/2000/svg">',
            f'<title id="net-title">Network neighbourhood of {_e(who)}</title>',
            f'<desc id="net-desc">Actors linked by events to {_e(who)}: '
            f'{_e(", ".join(self.plain(p) for p in partners) or "none")}. Green lines are '
            f'cooperative on balance, red conflictual, grey neutral; thicker lines mean more '
            f'events.</desc>',
        ]
        for pair, (n, coop, conf) in sorted(edges.items(), key=lambda e: (e[1][0], sorted(e[0]))):
            net = coop + conf
            if not pair <= shown or len(pair) != 2 or not pair & set(centre):
                continue
            x, y = sorted(pair)
            (x1, y1), (x2, y2) = pos[x], pos[y]
            colour = "#1a7f37" if net > 0 else "#c62828" if net < 0 else "#8c959f"
            parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                         f'stroke="{colour}" stroke-opacity="0.8" '
                         f'stroke-width="{1.5 + 2 * math.log2(n + 1):.1f}">'
                         f'<title>{_e(x)} – {_e(y)}: {int(n)} event{"s" if n != 1 else ""}, '
                         f'net {_e(_fmt(net))}</title></line>')
        for code, (x, y) in pos.items():
            r = max(14 + 12 * math.sqrt(activity.get(code, 0) / peak), 6 + 3.6 * len(code))
            fill = "#0b4f8a" if code in centre else "#ffffff"
            ink = "#ffffff" if code in centre else "#1b1f24"
            size = 12 if len(code) <= 5 else 9
            parts.append(f'<g class="node"><title>{_e(self.plain(code))}: '
                         f'{activity.get(code, 0)} event links</title>'
                         f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}" '
                         f'stroke="#0b4f8a" stroke-width="2"/>'
                         f'<text x="{x:.1f}" y="{y + 4:.1f}" font-size="{size}" font-weight="600" '
                         f'text-anchor="middle" fill="{ink}">{_e(code)}</text></g>')
        parts.append("</svg>")
        hidden = len(self.partners) - len(partners)
        more = f" {hidden} further partners are not drawn." if hidden > 0 else ""
        return ('<div class="legend" aria-hidden="true"><span class="l-coop">cooperative on balance'
                '</span><span class="l-conf">conflictual on balance</span>'
                '<span class="l-zero">neutral</span></div>\n'
                f'<figure>{"".join(parts)}<figcaption>Actors with events involving {_e(who)} in '
                f"this window; a line's colour is the net PLOVER score of the pair, its width the "
                f"number of events.{_e(more)}</figcaption></figure>")

    def partner_table(self) -> str:
        rows = self.partners
        if not rows:
            return '<p class="empty">No partners in this window.</p>'
        body = "".join(
            f'<tr><td>{self.label(p)}</td><td class="num">{n}</td><td class="num">{_e(_fmt(c))}</td>'
            f'<td class="num">{_e(_fmt(k))}</td><td class="num">{_e(_fmt(c + k))}</td></tr>'
            for p, n, c, k in rows[:self.max_partners])
        return ('<table class="partners"><thead><tr><th scope="col">Partner</th>'
                '<th scope="col" class="num">Events</th><th scope="col" class="num">Cooperation</th>'
                '<th scope="col" class="num">Conflict</th><th scope="col" class="num">Net</th>'
                f"</tr></thead><tbody>{body}</tbody></table>")

    def source_list(self) -> str:
        if not self.sources:
            return '<p class="empty">No sources.</p>'
        entries = []
        for article_id, number in sorted(self.sources.items(), key=lambda kv: kv[1]):
            report = self.articles[article_id]
            url = _safe_url(report.url)
            title = _e(report.title or "(untitled)")
            title = f'<a href="{_e(url)}">{title}</a>' if url else title
            bits = [f"<strong>{_e(report.outlet)}</strong>" if report.outlet else "",
                    title, f"published {_e(report.published)}" if report.published
                    else "publication date unknown"]
            head = ", ".join(b for b in bits if b)
            link = f'<div class="url">{_e(report.url)}</div>' if report.url else ""
            quotes = "".join(f"<li>{_e(q)}</li>" for q in self.quotes[article_id])
            entries.append(f'<li id="src-{number}">{head}. <span class="meta">Article '
                           f'<span class="code">{_e(article_id)}</span></span>{link}'
                           f'<ul class="quotes" aria-label="Sentences quoted">{quotes}</ul></li>')
        return '<ol class="sources">\n' + "\n".join(entries) + "\n</ol>"

    def sections(self) -> list[tuple[str, str, str]]:
        """(id, heading, body) in page order."""
        sections = [("timeline", "Timeline", self.timeline()),
                    ("chart", "Cooperation and conflict by month", self.chart()),
                    ("key-events", "Key events", self.key_events()),
                    ("network", "Network neighbourhood", self.network())]
        if not self.b:
            sections.append(("partners", "Top partners", self.partner_table()))
        sections.append(("sources", "Sources", self.source_list()))
        return sections

    def render(self) -> str:
        template = string.Template(_data("brief.html"))
        css = _data("brief.css")
        sections = self.sections()
        body = "\n".join(f'<section id="{sid}" aria-labelledby="{sid}-h">\n'
                         f'<h2 id="{sid}-h">{_e(head)}</h2>\n{content}\n</section>'
                         for sid, head, content in sections)
        toc = "\n".join(f'<li><a href="#{sid}">{_e(head)}</a></li>' for sid, head, _ in sections)
        flag_note = ("Hypothetical and negated events are included and marked; they carry no score."
                     if self.include_flagged else
                     "Hypothetical and negated events are left out.")
        return template.substitute(
            title=_e(self.title()), css=css, heading=self.heading(), meta=self.meta(),
            toc=toc, sections=body, generated=_e(self.generated), store=_e(self.location),
            version=_e(_version()), flag_note=_e(flag_note))


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("aliansi")
    except PackageNotFoundError:
        return "dev"


# --- the API ------------------------------------------------------------------------

def build_brief(db_or_store: Any, a: str, b: str | None = None, *, since: str | None = None,
                until: str | None = None, include_flagged: bool = False, kb: Any | None = None,
                scores: PloverScores | None = None, generated: str | None = None,
                max_key_events: int = 12, max_partners: int = 16) -> str:
    """The HTML brief on the dyad (a, b), or on actor `a` against all when `b` is None.

    `db_or_store`: a database path or DSN (opened read-only), an `aliansi.database.Database`
    or an open Store.
    `since` / `until`: YYYY, YYYY-MM or YYYY-MM-DD, inclusive (as `Store.events`).
    `kb` (names, kinds) and `scores` (PLOVER values): the Database's, loaded by default
    (`aliansi.kb.KnowledgeBase.load()`, `aliansi.dyads.PloverScores.load()`).
    `generated`: the date printed as the generation date (default: today, UTC).
    """
    a = _code(a, "actor a")
    b = None if b is None else _code(b, "actor b")
    if a == b:
        raise InputError(f"a dyad needs two different actors, got {a} twice", origin="brief")
    database, close = _open(db_or_store)
    store = database.store
    try:
        filters = dict(since=since, until=until, include_flagged=include_flagged)
        kb = kb if kb is not None else database.kb
        scores = scores or database.scores
        if b:
            events = store.events(dyad=(a, b), **filters)
            items = _merge(events, scores, store.cluster_ids(e.id for e in events))
            neighbourhood = _neighbourhood(store, (a, b), filters)
        else:
            events = store.events(actor=a, **filters)
            cluster_of = store.cluster_ids(e.id for e in events)
            items = _merge(events, scores, cluster_of)
            neighbourhood = _stated(i.reports[0] for i in items if not i.flagged)
        brief = _Brief(a=a, b=b, items=items, neighbourhood=neighbourhood,
                       kb=kb, scores=scores, since=since, until=until,
                       generated=generated or datetime.now(timezone.utc).date().isoformat(),
                       location=store.location, include_flagged=include_flagged,
                       max_key_events=max_key_events, max_partners=max_partners)
        page = brief.render()
    finally:
        if close:
            database.close()
    logger.info("brief %s%s: %d events from %d sources", a, f"–{b}" if b else "",
                len(items), len(brief.sources))
    return page


def write_brief(db_or_store: Any, a: str, b: str | None = None, *, path: str | Path,
                **options: Any) -> Path:
    """Build the brief (options as `build_brief`) and write it to `path` (UTF-8)."""
    database = db_or_store if isinstance(db_or_store, (str, Path)) else None
    check_output(path, database=database)
    page = build_brief(db_or_store, a, b, **options)
    with output_file(path, database=database) as temporary:
        temporary.write_text(page, encoding="utf-8")
    return Path(path)
