"""Time expressions in Indonesian and English news, resolved against the publication date.

`find_times(text, published, language)` returns the expressions of one text;
`DateStage` fills `Article.times` sentence by sentence. Resolution choices
(checked against the dev gold):

- a weekday alone ("Senin", "on Tuesday") is the latest such day on or before the
  anchor, so a weekday equal to the anchor's is the anchor itself ("on Sunday" in
  an article of Sunday 7 Dec = 7 Dec); "Senin lalu" / "last Monday" is strictly before;
- a day and month without a year ("Senin (1/12)", "15 Januari", "Jan. 6") take the
  latest year that puts them no more than 60 days after the anchor, so "(29/12)" in
  early January is last December, while "(3/12)" a day before is still upcoming;
  "5 November lalu" is the last one on or before the anchor; in `DateStage` a day
  and month told in the sentence after a date with its year ("On June 13, 2000 ...
  On June 15") continue that year (rule suffix "_continued");
- a month without a year ("Oktober lalu", "in October") is the latest such month
  not after the anchor's month (next/depan: the first one after it);
- "pekan lalu" / "last week" is the Monday-to-Sunday week before the anchor's week,
  "awal pekan ini" / "earlier this week" runs from the anchor's Monday to the anchor;
  a week gives its month when it lies in one month, else its year (else nothing);
- phrases relative to another event ("sehari sebelumnya", "two days after", "di hari
  yang sama") are kept with value None and rule "event_offset:<±N><d|w|m>";
- without an anchor every relative expression has value None (never invented).
A value None always comes with precision None.
"""
from __future__ import annotations

import calendar
import logging
import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Callable, Iterable

from ..errors import ConfigError, StageError
from ..model import Article, TimeExpression

log = logging.getLogger(__name__)

FUTURE_WINDOW_DAYS = 60   # a day-month without year may lie this far after the anchor
LANGUAGES = ("id", "en")

_MONTHS_FULL = {
    "januari": 1, "january": 1, "februari": 2, "february": 2, "pebruari": 2, "maret": 3,
    "march": 3, "april": 4, "mei": 5, "may": 5, "juni": 6, "june": 6, "juli": 7,
    "july": 7, "agustus": 8, "august": 8, "september": 9, "oktober": 10, "october": 10,
    "november": 11, "nopember": 11, "desember": 12, "december": 12,
}
_MONTHS_ABBR = {
    "jan": 1, "feb": 2, "peb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "agu": 8,
    "agt": 8, "ags": 8, "aug": 8, "sep": 9, "sept": 9, "okt": 10, "oct": 10,
    "nov": 11, "nop": 11, "des": 12, "dec": 12,
}
_MONTHS = {**_MONTHS_FULL, **_MONTHS_ABBR}
_WEEKDAYS = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "jum’at": 4,
    "sabtu": 5, "minggu": 6, "ahad": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}
_NUMBERS = {
    "se": 1, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9, "sepuluh": 10, "a": 1, "an": 1, "one": 1, "two": 2,
    "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}


def _alt(words: Iterable[str], *, upper: bool = False) -> str:
    """A regex alternation of Title-case words (and UPPER ones), longest first."""
    forms = set()
    for word in words:
        forms.add(word[0].upper() + word[1:])
        if upper:
            forms.add(word.upper())
    return "|".join(re.escape(w) for w in sorted(forms, key=len, reverse=True))


_ID_WD = _alt(w for w in _WEEKDAYS if not w.endswith("day"))
_EN_WD = _alt(w for w in _WEEKDAYS if w.endswith("day"))
_MON_FULL = _alt(_MONTHS_FULL, upper=True)
_MON_ANY = rf"(?:{_MON_FULL})\b|(?:{_alt(_MONTHS_ABBR, upper=True)})\b\.?"
_YEAR = r"(?:19|20)\d{2}"
_NUM = r"\d{1,2}|" + "|".join(sorted(_NUMBERS, key=len, reverse=True))
_NOT_IN_NUMBER_BEFORE = r"(?<![\w.,/$€£+\-])"
_NOT_IN_NUMBER_AFTER = r"(?![\w%]|[.,]\d)"

# Words after which a year-like number is a number, and nouns that count things.
_NOT_YEAR_BEFORE = re.compile(
    r"(?:resolusi|resolution|nomor|no\.?|nr\.?|pasal|article|blok|block|rp\.?|us\$|usd|"
    r"idr|pukul|jam|sebanyak|sekitar|about|nearly|some|hingga|up to|kode|code|flight|"
    r"penerbangan|ayat|bab|chapter|km|kilometer|seri|series|model|tipe|type)\s*$",
    re.IGNORECASE)
_UNIT_AFTER = re.compile(
    r"\s*(?:%|persen\b|percent\b|per cent\b|orang\b|warga\b|personel\b|prajurit\b|"
    r"tentara\b|pasukan\b|ton\b|unit\b|kapal\b|pesawat\b|rudal\b|drone\b|dolar\b|"
    r"rupiah\b|euro\b|km\b|kilometer\b|meter\b|mil\b|hektare\b|jiwa\b|kali\b|suara\b|"
    r"kursi\b|korban\b|people\b|troops\b|soldiers\b|tons?\b|tonnes?\b|units?\b|ships?\b|"
    r"missiles?\b|drones?\b|dollars?\b|miles?\b|votes?\b|seats?\b|times\b|members\b|"
    r"civilians\b|prisoners\b|tahanan\b|sandera\b|hostages\b)")
# A month named after one of these in the same clause lies ahead ("akan ... pada Maret").
_FUTURE_CUE = re.compile(
    r"\b(?:akan|bakal|hendak|dijadwalkan|direncanakan|berencana|rencananya|jika|apabila|"
    r"will|would|expected|scheduled|planned|plans?|set\s+to|due\s+to|upcoming|if)\b[^,;:.!?]*$",
    re.IGNORECASE)
_HOLIDAY_BEFORE = re.compile(
    r"(?:black|good|holy|ash|super|bloody|cyber|salat|sholat|shalat|solat)\s+$", re.IGNORECASE)
_HOLIDAY_AFTER = re.compile(r"\s*(?:agung|abu|suci|ke-|kliwon|legi|pahing|pon|wage)\b",
                            re.IGNORECASE)


_MONTH_BEFORE = re.compile(rf"\b(?:{_MON_FULL})\s*(?:,|dan|serta|and)\s*$")


def _pattern(lang: str, rule: str, regex: str, flags: int = 0):
    return lang, rule, re.compile(regex, flags)


# (language "id" | "en" | "*", rule family, compiled regex). Each regex may carry a
# group "x" for the expression's span (prepositions such as "pada", "in" stay outside).
_PATTERNS = [
    _pattern("*", "iso", rf"\b(?P<y>{_YEAR})-(?P<m>\d{{2}})-(?P<d>\d{{2}})\b"),
    _pattern("*", "paren",
             rf"(?:(?P<wd>{_ID_WD}|{_EN_WD})\b(?:\s+(?:dini\s+hari|pagi|siang|sore|malam))?\s*)?"
             rf"\(\s*(?P<d>\d{{1,2}})(?:\s*[-–]\s*\d{{1,2}})?\s*/\s*(?P<m>\d{{1,2}})"
             rf"(?:\s*/\s*(?P<y>\d{{4}}|\d{{2}}))?\s*\)"),
    _pattern("id", "dmy_numeric", rf"{_NOT_IN_NUMBER_BEFORE}(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/(?P<y>{_YEAR})\b"),
    _pattern("*", "day_month",
             rf"{_NOT_IN_NUMBER_BEFORE}(?P<d>\d{{1,2}})(?:\s*(?:[-–—]|s\.d\.?|hingga|sampai|dan|to|and)\s*"
             rf"(?P<d2>\d{{1,2}}))?\s+(?P<mon>{_MON_ANY})(?:,?\s+(?P<y>{_YEAR})\b|\s+(?P<rel>(?:yang\s+)?lalu)\b)?"),
    _pattern("en", "month_day",
             rf"\b(?P<mon>{_MON_ANY})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
             rf"(?:\s*[-–]\s*(?P<d2>\d{{1,2}})(?!\d))?(?:,?\s+(?P<y>{_YEAR})\b)?(?![.,]?\d)"),
    _pattern("*", "month_year",
             rf"(?P<x>(?:(?P<mod>[Aa]wal|[Aa]khir|[Pp]ertengahan|[Ee]arly|[Ll]ate|[Mm]id-?|"
             rf"(?:the\s+)?end\s+of|(?:the\s+)?beginning\s+of|(?:the\s+)?middle\s+of)\s+)?"
             rf"(?:(?:[Bb]ulan)\s+)?(?P<mon>{_MON_ANY})\s*,?\s*(?P<y>{_YEAR})\b)"),
    _pattern("id", "month",
             rf"(?:\b(?P<pre>[Pp]ada|[Ss]ejak|[Hh]ingga|[Ss]ampai|[Ss]elama|[Ss]epanjang|[Jj]elang|"
             rf"[Mm]enjelang)\s+)?(?P<x>(?:(?P<mod>[Aa]wal|[Aa]khir|[Pp]ertengahan)\s+)?"
             rf"(?:(?P<bulan>[Bb]ulan)\s+)?(?P<mon>{_MON_FULL})\b"
             rf"(?:\s+(?P<rel>tahun\s+lalu|tahun\s+ini|tahun\s+depan|lalu|kemarin|ini|depan|mendatang)\b)?)"),
    _pattern("en", "month",
             rf"(?:\b(?P<pre>[Ii]n|[Ss]ince|[Uu]ntil|[Dd]uring|[Bb]y|[Tt]hrough|[Ff]rom)\s+)?"
             rf"(?P<x>(?:(?P<rel>[Ll]ast|[Tt]his|[Nn]ext|[Tt]his\s+past|[Pp]ast)\s+)?"
             rf"(?:(?P<mod>[Ee]arly|[Ll]ate|[Mm]id-?|(?:the\s+)?end\s+of|(?:the\s+)?beginning\s+of|"
             rf"(?:the\s+)?middle\s+of)\s+)?(?P<mon>{_MON_FULL})\b(?!\s+\d))"),
    _pattern("*", "year",
             rf"(?:\b(?P<pre>[Pp]ada|[Tt]ahun|[Ss]ejak|[Hh]ingga|[Ss]ampai|[Ss]elama|[Ss]epanjang|"
             rf"[Ii]n|[Ss]ince|[Uu]ntil|[Dd]uring|[Bb]y|[Tt]hroughout|[Ff]rom)\s+(?:tahun\s+)?)?"
             rf"(?P<x>(?:(?P<mod>[Aa]wal|[Aa]khir|[Pp]ertengahan|[Ee]arly|[Ll]ate|[Mm]id-|[Mm]id|"
             rf"(?:the\s+)?end\s+of|(?:the\s+)?beginning\s+of)\s*)?"
             rf"{_NOT_IN_NUMBER_BEFORE}(?P<y>{_YEAR})(?:\s*[-–/]\s*(?P<y2>{_YEAR}|\d{{2}}))?)"
             rf"{_NOT_IN_NUMBER_AFTER}"),
    # relative to the anchor
    _pattern("id", "day_rel", r"\b(?P<x>(?P<word>[Kk]emarin|[Hh]ari\s+ini|[Bb]esok|[Ll]usa))\b"
                              r"(?:\s+(?:pagi|siang|sore|malam))?"),
    _pattern("en", "day_rel", r"\b(?P<word>[Yy]esterday|[Tt]oday|[Tt]omorrow)\b"),
    _pattern("id", "n_ago", rf"\b(?P<n>{_NUM})\s*(?P<unit>hari|pekan|minggu|bulan|tahun)\s+(?:yang\s+)?lalu\b"),
    _pattern("en", "n_ago", rf"\b(?P<n>{_NUM})\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b",
             re.IGNORECASE),
    _pattern("id", "weekend",
             r"\b(?P<x>[Aa]khir\s+(?:pekan|minggu)(?:\s+(?P<rel>(?:yang\s+)?lalu|kemarin|ini|depan|mendatang))?)\b"),
    _pattern("en", "weekend",
             r"\b(?:(?P<rel>last|this|next|this\s+past|past)\s+|the\s+|an?\s+)?weekend\b", re.IGNORECASE),
    _pattern("id", "period",
             r"\b(?P<mod>(?:[Aa]wal|[Aa]khir|[Pp]ertengahan)\s+)?(?P<unit>[Pp]ekan|[Mm]inggu|[Bb]ulan|[Tt]ahun)\s+"
             r"(?P<rel>(?:yang\s+)?lalu|kemarin|ini|depan|mendatang)\b"),
    _pattern("en", "period",
             r"\b(?P<mod>(?:earlier|later|early|late)\s+(?:in\s+)?)?(?:the\s+end\s+of\s+)?(?P<rel>last|this|next|the)\s+"
             r"(?P<unit>week|month|year)\b(?!'s|\s+of\b)", re.IGNORECASE),
    _pattern("id", "weekday",
             rf"(?P<x>(?P<wd>{_ID_WD})\b(?:\s+(?P<rel>lalu|kemarin|depan|mendatang|ini)\b)?)"),
    _pattern("en", "weekday",
             rf"(?P<x>(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Tt]his\s+past|[Pp]ast)\s+)?(?P<wd>{_EN_WD})\b)"),
    # relative to another event: value None
    _pattern("id", "event_offset",
             rf"\b(?:(?P<n>{_NUM})\s+|(?P<se>[Ss]e))(?P<unit>hari|pekan|minggu|bulan|tahun)\s+"
             r"(?P<dir>sebelum(?:nya)?|setelah(?:nya)?|sesudah(?:nya)?|kemudian|berikutnya)\b"),
    _pattern("id", "same_day", r"\b(?:(?:[Pp]ada|[Dd]i)\s+(?:hari|tanggal)\s+yang\s+sama|"
                               r"(?:[Pp]ada\s+)?(?:sore|siang|malam|pagi)\s+(?:hari(?:nya)?|itu)|"
                               r"(?:[Pp]ada\s+)?hari\s+itu(?:\s+juga)?)\b"),
    _pattern("en", "event_offset",
             rf"\b(?P<n>{_NUM})\s+(?P<unit>days?|weeks?|months?|years?)\s+(?P<dir>after|before|later|earlier)\b",
             re.IGNORECASE),
    _pattern("id", "same_day", r"\b(?:beberapa|hanya)\s+jam\s+(?:setelah|sebelum|kemudian)\b"),
    _pattern("en", "same_day",
             r"\b(?:(?:on\s+)?the\s+same\s+day|later\s+that\s+day|that\s+(?:afternoon|evening|morning|night)|(?:just\s+|only\s+|several\s+|a\s+few\s+)?hours\s+(?:after|before|later|earlier)|(?P<prev>the\s+(?:day\s+before|previous\s+day))|"
             r"(?P<next>the\s+(?:day\s+after|next\s+day|following\s+day)))\b", re.IGNORECASE),
]


# What every match of a family holds, looked for once a sentence so that the families
# whose cue is absent are not searched: a digit, a year, a month's name (Title or UPPER
# case, as `_alt` writes them; each form begins with one of these three letters).
_MONTH_PREFIXES = sorted({form[:3] for word in (*_MONTHS_FULL, *_MONTHS_ABBR)
                          for form in (word[0].upper() + word[1:], word.upper())})
_CUES = {
    "digit": re.compile(r"\d").search,
    "year": re.compile(_YEAR).search,
    "month": lambda text: any(prefix in text for prefix in _MONTH_PREFIXES),
}
_NEEDS = {"iso": ("year",), "paren": ("digit",), "dmy_numeric": ("year",), "day_month": ("digit", "month"),
          "month_day": ("digit", "month"), "month_year": ("year", "month"), "year": ("year",),
          "month": ("month",)}


def _safe_date(y: int, m: int, d: int) -> date | None:
    if 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]:
        return date(y, m, d)
    return None


def _month_shift(y: int, m: int, delta: int) -> tuple[int, int]:
    total = y * 12 + (m - 1) + delta
    return total // 12, total % 12 + 1


def _span_value(a: date, b: date) -> tuple[str | None, str | None]:
    """The tightest honest value for a span of days: its month, else its year."""
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.year:04d}-{a.month:02d}", "month"
    if a.year == b.year:
        return f"{a.year:04d}", "year"
    return None, None


def _day(d: date | None) -> tuple[str | None, str | None]:
    return (d.isoformat(), "day") if d else (None, None)


def _month(y: int, m: int) -> tuple[str, str]:
    return f"{y:04d}-{m:02d}", "month"


def _year(y: int) -> tuple[str, str]:
    return f"{y:04d}", "year"


def _number(word: str | None) -> int:
    if not word:
        return 1
    return int(word) if word.isdigit() else _NUMBERS[word.lower()]


def _pick_year(d: int, m: int, anchor: date, weekday: int | None = None,
               window: int = FUTURE_WINDOW_DAYS) -> date | None:
    """The latest date with this day and month no more than `window` days after the
    anchor; a stated weekday that fits another nearby year chooses that year."""
    limit = anchor + timedelta(days=window)
    candidates = [c for c in (_safe_date(y, m, d) for y in range(anchor.year - 4, anchor.year + 2)) if c]
    before = [c for c in candidates if c <= limit]
    if not before:
        return None
    chosen = before[-1]
    if weekday is not None and chosen.weekday() != weekday:
        nearby = [c for c in candidates if c.weekday() == weekday and abs((c - anchor).days) <= 400]
        if len(nearby) == 1:
            return nearby[0]
    return chosen


def _week_of(anchor: date, weeks: int) -> tuple[date, date]:
    monday = anchor - timedelta(days=anchor.weekday()) + timedelta(weeks=weeks)
    return monday, monday + timedelta(days=6)


class _Finder:
    """Compiled patterns for a set of languages; `find` is pure."""

    def __init__(self, languages: Iterable[str]):
        self.languages = tuple(languages)
        self.patterns = [p for p in _PATTERNS if p[0] == "*" or p[0] in self.languages]
        self._handlers: dict[str, Callable] = {
            "iso": self._absolute, "paren": self._paren, "dmy_numeric": self._absolute,
            "day_month": lambda *a: self._day_month("day_month", *a),
            "month_day": lambda *a: self._day_month("month_day", *a),
            "month_year": self._month_year, "month": self._month_ctx, "year": self._year,
            "day_rel": self._day_rel, "n_ago": self._n_ago, "period": self._period,
            "weekday": self._weekday, "weekend": self._weekend, "event_offset": self._event_offset,
            "same_day": self._same_day,
        }

    def find(self, text: str, anchor: date | None, language: str | None) -> list[TimeExpression]:
        langs = {language} if language in LANGUAGES else set(LANGUAGES)
        cues = {name: bool(present(text)) for name, present in _CUES.items()}
        found: list[tuple[int, int, int, TimeExpression]] = []
        for priority, (lang, family, regex) in enumerate(self.patterns):
            if (lang != "*" and lang not in langs) or not all(cues[c] for c in _NEEDS.get(family, ())):
                continue
            for match in regex.finditer(text):
                start, end = match.span("x") if "x" in regex.groupindex and match.group("x") else match.span()
                if start == end:
                    continue
                result = self._handlers[family](match, text, anchor, start, end)
                if result is None:
                    continue
                value, precision, rule = result
                if value is None:
                    precision = None
                found.append((start, end, priority, TimeExpression(
                    start=start, end=end, text=text[start:end], value=value,
                    precision=precision, rule=rule)))
        # longest first, then the earlier pattern; drop anything overlapping a kept span
        found.sort(key=lambda f: (-(f[1] - f[0]), f[2], f[0]))
        kept: list[tuple[int, int, int, TimeExpression]] = []
        for item in found:
            if all(item[1] <= k[0] or item[0] >= k[1] for k in kept):
                kept.append(item)
        return [k[3] for k in sorted(kept, key=lambda k: k[0])]

    # -- absolute -----------------------------------------------------------------
    def _absolute(self, match, text, anchor, start, end):
        y, m, d = int(match["y"]), int(match["m"]), int(match["d"])
        value = _safe_date(y, m, d)
        return (*_day(value), "iso" if "-" in match.group() else "dmy_numeric") if value else None

    def _paren(self, match, text, anchor, start, end):
        d, m = int(match["d"]), int(match["m"])
        if not (1 <= m <= 12 and 1 <= d <= 31):
            return None
        weekday = _WEEKDAYS[match["wd"].lower()] if match["wd"] else None
        rule = "weekday_paren" if weekday is not None else "paren_dm"
        if match["y"]:
            y = int(match["y"])
            y = y + 2000 if y < 100 else y
            return (*_day(_safe_date(y, m, d)), rule + "_year")
        if anchor is None:
            return None, None, rule
        return (*_day(_pick_year(d, m, anchor, weekday)), rule)

    def _day_month(self, family, match, text, anchor, start, end):
        mon = match["mon"]
        d, m = int(match["d"]), _MONTHS[mon.lower().rstrip(".")]
        if mon.isupper() and mon.lower() in _MONTHS_ABBR:
            return None   # "MAR", "DES" without a dot: likely an acronym
        if not 1 <= d <= 31:
            return None
        rule = family + ("_range" if match["d2"] else "")
        if match["y"]:
            return (*_day(_safe_date(int(match["y"]), m, d)), rule + "_year")
        if anchor is None:
            return None, None, rule
        if match.groupdict().get("rel"):     # "5 November lalu": the last one
            return (*_day(_pick_year(d, m, anchor, window=0)), rule + "_last")
        return (*_day(_pick_year(d, m, anchor)), rule)

    def _month_year(self, match, text, anchor, start, end):
        m = _MONTHS[match["mon"].lower().rstrip(".")]
        return (*_month(int(match["y"]), m), "month_year" + ("_part" if match["mod"] else ""))

    def _month_ctx(self, match, text, anchor, start, end):
        rel = (match["rel"] or "").lower().split()
        pre = (match["pre"] or "").lower()
        has_bulan = "bulan" in match.groupdict() and match["bulan"]
        # "pada Juni dan September": a month coordinated with one already told
        coordinated = _MONTH_BEFORE.search(text[:start]) is not None
        if not (rel or pre or match["mod"] or has_bulan or coordinated):
            return None   # a bare month name: too often a name or a verb ("March", "May")
        m = _MONTHS[match["mon"].lower()]
        rule = "since_month" if pre in ("sejak", "since") else "month"
        if rel[-1:] in (["lalu"], ["kemarin"], ["last"], ["past"]) or rel == ["this", "past"]:
            rule += "_last"
        if anchor is None:
            return None, None, rule
        if rel[:1] == ["tahun"]:   # "Oktober tahun lalu"
            y = anchor.year + {"lalu": -1, "ini": 0, "depan": 1}[rel[1]]
            return (*_month(y, m), rule + "_year_rel")
        if rel[-1:] in (["depan"], ["mendatang"], ["next"]):
            y = anchor.year if m > anchor.month else anchor.year + 1
            return (*_month(y, m), rule + "_next")
        if rel in (["ini"], ["this"]):
            return (*_month(anchor.year, m), rule + "_this")
        if not rel and _FUTURE_CUE.search(text[max(0, start - 100):start]):
            y = anchor.year if m >= anchor.month else anchor.year + 1
            return (*_month(y, m), rule + "_future")
        y = anchor.year if m <= anchor.month else anchor.year - 1
        return (*_month(y, m), rule)

    def _year(self, match, text, anchor, start, end):
        y = int(match["y"])
        pre = (match["pre"] or "").lower()
        if _NOT_YEAR_BEFORE.search(text[max(0, start - 14):start]) and not pre:
            return None
        if _UNIT_AFTER.match(text, end):   # "hingga 2000 personel"
            return None
        if match["y2"]:
            y2 = match["y2"]
            y2 = int(y2) if len(y2) == 4 else y // 100 * 100 + int(y2)
            if not y < y2 <= y + 30:
                return None
        if pre in ("sejak", "since"):
            rule = "since_year"
        elif pre or match["mod"]:
            rule = "year"
        else:
            rule = "bare_year"
        if match["y2"]:
            rule += "_range"
        return (*_year(y), rule)

    # -- relative to the anchor -------------------------------------------------------
    def _day_rel(self, match, text, anchor, start, end):
        word = " ".join(match["word"].lower().split())
        offset = {"kemarin": -1, "yesterday": -1, "hari ini": 0, "today": 0,
                  "besok": 1, "tomorrow": 1, "lusa": 2}[word]
        rule = {-1: "yesterday", 0: "today", 1: "tomorrow", 2: "day_after_tomorrow"}[offset]
        if anchor is None:
            return None, None, rule
        return (*_day(anchor + timedelta(days=offset)), rule)

    def _n_ago(self, match, text, anchor, start, end):
        n = _number(match["n"])
        unit = match["unit"].lower().rstrip("s")
        rule = f"ago:{n}{unit[0] if unit != 'minggu' else 'w'}"
        if anchor is None:
            return None, None, rule
        if unit in ("hari", "day"):
            return (*_day(anchor - timedelta(days=n)), rule)
        if unit in ("pekan", "minggu", "week"):
            return (*_span_value(*_week_of(anchor, -n)), rule)
        if unit in ("bulan", "month"):
            return (*_month(*_month_shift(anchor.year, anchor.month, -n)), rule)
        return (*_year(anchor.year - n), rule)

    def _period(self, match, text, anchor, start, end):
        unit = match["unit"].lower()
        rel = " ".join(match["rel"].lower().split()).replace("yang ", "")
        if unit == "minggu" and match["unit"] == "Minggu" and start > 0 and rel in ("lalu", "kemarin"):
            if not re.fullmatch(r"[\s\"'“‘(]*", text[:start]):
                return None   # "pada Minggu lalu": last Sunday, not last week
        if rel == "the":
            if not (match["mod"] and re.match(r"(?i)earlier|later|early|late", match["mod"])
                    and unit == "week"):
                return None   # only "earlier in the week"
            rel = "this"
        step = {"lalu": -1, "kemarin": -1, "last": -1, "ini": 0, "this": 0,
                "depan": 1, "mendatang": 1, "next": 1}[rel]
        kind = {"pekan": "week", "minggu": "week", "bulan": "month", "tahun": "year"}.get(unit, unit)
        rule = f"{ {-1: 'last', 0: 'this', 1: 'next'}[step]}_{kind}"
        if anchor is None:
            return None, None, rule
        if kind == "week":
            first, last = _week_of(anchor, step)
            if step == 0:
                last = anchor   # "earlier this week": up to the anchor
            return (*_span_value(first, last), rule)
        if kind == "month":
            return (*_month(*_month_shift(anchor.year, anchor.month, step)), rule)
        return (*_year(anchor.year + step), rule)

    def _weekday(self, match, text, anchor, start, end):
        word = match["wd"]
        before, after = text[max(0, start - 12):start], text[end:end + 12]
        if _HOLIDAY_BEFORE.search(before) or _HOLIDAY_AFTER.match(text, match.end("wd")):
            return None
        rel = " ".join((match["rel"] or "").lower().split())
        if word == "Minggu" and not rel and re.match(r"\s*(?:ini|depan|lalu|ke\b)", after):
            return None
        wd = _WEEKDAYS[word.lower()]
        if rel in ("lalu", "kemarin", "last", "past", "this past"):
            rule = "weekday_last"
        elif rel in ("depan", "mendatang", "next"):
            rule = "weekday_next"
        else:
            rule = "weekday"
        if anchor is None:
            return None, None, rule
        back = (anchor.weekday() - wd) % 7
        if rule == "weekday_last":
            back = back or 7
        elif rule == "weekday_next":
            return (*_day(anchor + timedelta(days=(wd - anchor.weekday()) % 7 or 7)), rule)
        return (*_day(anchor - timedelta(days=back)), rule)

    def _weekend(self, match, text, anchor, start, end):
        rel = " ".join((match["rel"] or "").lower().split()).replace("yang ", "")
        step = {"depan": 1, "mendatang": 1, "next": 1, "ini": 0, "this": 0}.get(rel)
        rule = {None: "last_weekend", 0: "this_weekend", 1: "next_weekend"}[step]
        if anchor is None:
            return None, None, rule
        if step is None:   # the latest weekend begun by the anchor ("akhir pekan lalu", "the weekend")
            saturday = anchor - timedelta(days=(anchor.weekday() - 5) % 7)
            if rel in ("lalu", "kemarin", "last") and saturday == anchor:
                saturday -= timedelta(days=7)
        else:
            saturday = _week_of(anchor, step)[0] + timedelta(days=5)
        return (*_span_value(saturday, saturday + timedelta(days=1)), rule)

    # -- relative to another event --------------------------------------------------
    def _event_offset(self, match, text, anchor, start, end):
        n = _number(match["n"]) if match["n"] else 1
        unit = match["unit"].lower().rstrip("s")
        letter = {"hari": "d", "day": "d", "pekan": "w", "minggu": "w", "week": "w",
                  "bulan": "m", "month": "m", "tahun": "y", "year": "y"}[unit]
        sign = "-" if match["dir"].lower().startswith(("sebelum", "before", "earlier")) else "+"
        return None, None, f"event_offset:{sign}{n}{letter}"

    def _same_day(self, match, text, anchor, start, end):
        groups = match.groupdict()
        if groups.get("prev"):
            return None, None, "event_offset:-1d"
        if groups.get("next"):
            return None, None, "event_offset:+1d"
        return None, None, "event_offset:0d"


@lru_cache(maxsize=4)
def _finder(languages: tuple[str, ...]) -> _Finder:
    return _Finder(languages)


def parse_anchor(published: str | date | None) -> date | None:
    """`published` as a date; raises ValueError when it is not YYYY-MM-DD."""
    if published is None or isinstance(published, date):
        return published
    return date.fromisoformat(str(published)[:10])


def find_times(text: str, published: date | None, language: str | None) -> list[TimeExpression]:
    """The time expressions of `text` (offsets into it), resolved against `published`."""
    return _finder(LANGUAGES).find(text, parse_anchor(published), language)


# a day and month whose year the text leaves to the reader ("On June 15", "15 Juni")
YEARLESS_DAY = {"day_month", "month_day"}


def _continue_year(expr: TimeExpression, reference: date) -> None:
    """A day and month told right after a date with its year ("On June 13, 2000 ...
    On June 15, ...") continue that year, the narrative's time, not the anchor's."""
    if not expr.value or expr.precision != "day":
        return
    told = date.fromisoformat(expr.value)
    continued = _pick_year(told.day, told.month, reference)
    if continued is not None and continued.year != told.year:
        expr.value, expr.rule = continued.isoformat(), expr.rule + "_continued"


class DateStage:
    """Fills `article.times` with the time expressions of each sentence."""

    name = "dates"

    def __init__(self, *, languages: Iterable[str] = LANGUAGES):
        languages = tuple(languages)
        unknown = set(languages) - set(LANGUAGES)
        if unknown or not languages:
            raise ConfigError(f"dates: languages must be among {LANGUAGES}, got {languages}")
        self._finder = _finder(languages)

    def __call__(self, article: Article) -> Article:
        try:
            anchor = parse_anchor(article.published)
        except ValueError:
            raise StageError(f"published {article.published!r} is not YYYY-MM-DD",
                             article_id=article.id, stage=self.name) from None
        pieces = [(s.start, s.text) for s in article.sentences] or [(0, article.text)]
        times: list[TimeExpression] = []
        reference: tuple[int, date] | None = None     # (sentence, date) of the last dated year
        for index, (offset, text) in enumerate(pieces):
            for expr in self._finder.find(text, anchor, article.language):
                expr.start += offset
                expr.end += offset
                if expr.rule in YEARLESS_DAY and reference and reference[0] >= index - 1:
                    _continue_year(expr, reference[1])
                elif expr.value and expr.precision in ("day", "month") \
                        and (expr.rule.endswith("_year") or expr.rule.startswith("month_year")):
                    day = expr.value if expr.precision == "day" else expr.value + "-01"
                    reference = (index, date.fromisoformat(day))
                times.append(expr)
        article.times = times
        article.stages.append(self.name)
        return article
