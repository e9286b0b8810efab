"""The first pipeline stage: clean the text and infer a missing publication date.

What it does to `article.text`, in order:

1. Unicode NFC; CRLF/CR become LF; odd spaces (NBSP, thin and ideographic spaces)
   become a plain space; invisible characters (zero-width space, word joiner, BOM,
   soft hyphen) go. Runs of spaces are collapsed, lines are trimmed and blank lines
   squeezed to one. Typographic quotes and dashes are kept: evidence must stay
   verbatim against the original wording.
2. Markdown images `![alt](src)` are removed and kept in `article.images`; other
   markdown (headings, bullets, quotes, bold, italics, links, code) becomes plain
   text with its words kept.
3. Byline and credit lines ("Oleh Wu Qiaoxi |", "By John Smith", "Pewarta: ...",
   "Editor: ...", "(Reporting by ...; Editing by ...)") are removed and kept in
   `article.byline`; "Baca juga: ..." / "Read more: ..." link lines are dropped
   (they name other stories, not this one's events).

When `article.published` is missing it is inferred, first rule that gives a date wins,
and `article.published_source` says which:

- "dateline":   a dateline with a full date near the start of the text
                ("Den Haag, 13 Januari 2026 –", "UNITED NATIONS, Nov. 18, 2025 (Wire) -");
- "image-path": a dated image path (`/images/2026/01/23/...`);
- "url":        a dated path in the article's own URL (`/2025/12/05/slug`);
- "text":       the latest full date (day, month and year) written anywhere in the text,
                on the grounds that an article is published on or after the days it
                reports; dates in the future of the others are not special-cased;
- otherwise it stays None. The dateline is never removed from the text.

Month names come from CLDR through babel (Indonesian and English, wide and
abbreviated) plus the common variants that CLDR lacks (Agt, Sept, Nopember, ...).
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import unicodedata
from collections.abc import Iterable

from .model import Article

log = logging.getLogger(__name__)

# --- 1. characters -------------------------------------------------------------

_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_INVISIBLE = re.compile(r"[\u200b\u2060\ufeff\u00ad]")
_MULTI_SPACE = re.compile(r" {2,}")


def clean_characters(text: str) -> str:
    """NFC, LF line ends, plain spaces, no invisible characters, tidy lines."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _INVISIBLE.sub("", _ODD_SPACES.sub(" ", text))
    return _squeeze_lines(_MULTI_SPACE.sub(" ", line).strip() for line in text.split("\n"))


def _squeeze_lines(lines: Iterable[str]) -> str:
    """Join lines, keeping at most one blank line between paragraphs."""
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")


# --- 2. markdown ---------------------------------------------------------------

# The alt text may hold one level of brackets ("... [Saul Loeb/AFP]"), the source one of parentheses.
_IMAGE = re.compile(
    r"!\[(?P<alt>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"\((?P<src>[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"\n]*\")?\)"
)
_LINK = re.compile(r"\[(?P<label>[^\[\]\n]+)\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"\n]*\")?\)")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)(?:\s+#+)?$")
_BULLET = re.compile(r"^(?:[-*+•]\s+)+")
_QUOTE = re.compile(r"^(?:>\s?)+")
_RULE = re.compile(r"^([-*_])(?:\s*\1){2,}$")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)")
_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])"
                     r"|(?<![\w_])_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?![\w_])")
_CODE = re.compile(r"`([^`\n]+)`")


def plain_markdown(line: str) -> str:
    """One line of markdown as plain text, words kept."""
    if _RULE.match(line):
        return ""
    line = _QUOTE.sub("", line)
    heading = _HEADING.match(line)
    if heading:
        line = heading.group(1)
    line = _BULLET.sub("", line)
    line = _LINK.sub(lambda m: m.group("label"), line)
    line = _BOLD.sub(lambda m: m.group(1) or m.group(2), line)
    line = _ITALIC.sub(lambda m: m.group(1) or m.group(2), line)
    return _CODE.sub(r"\1", line).strip()


# --- 3. bylines, credits, related links ----------------------------------------

_NAME = r"[A-Z][\w.'’-]*(?:[ ,]+(?:[A-Z][\w.'’-]*|and|dan|&|van|von|de|der|bin|binti|al))*"
# "Oleh Wu Qiaoxi |", "By Kenji Harada", "By Jane Doe and John Roe, Wire | first sentence..."
_LEADING_BYLINE = re.compile(rf"^(?P<credit>(?:Oleh|By)\s*:?\s+{_NAME})\s*(?:$|[|]\s*(?P<rest>.*)$)")
_CREDIT_LABELS = (
    "Pewarta", "Penulis", "Reporter", "Wartawan", "Editor", "Redaktur", "Penyunting",
    "Kontributor", "Fotografer", "Foto", "Sumber", "Oleh", "Written by", "Writer",
    "Author", "Edited by", "Editing by", "Reporting by", "Photo", "Source",
)
_LABELLED_CREDIT = re.compile(
    r"^(?:" + "|".join(_CREDIT_LABELS) + r")\s*:\s*(?P<value>[^\n]{1,100})$", re.IGNORECASE)
# "(Reporting by Nadia Rahim; Editing by Tom Ellery)", alone or closing a paragraph.
_WIRE_CREDIT = re.compile(
    r"(?:^|\s+)\((?P<credit>[^()]*\b(?:reporting|writing|editing|compiled|laporan|penulisan)"
    r"\s+(?:by|oleh)\b[^()]*)\)$", re.IGNORECASE)
_INITIALS_CREDIT = re.compile(r"^\((?:[a-z*]{1,6}/)*[a-z*]{1,6}\)$")   # "(ant/ipk)", "(*)"
_RELATED = re.compile(
    r"^(?:Baca juga|Baca pula|Lihat juga|Simak juga|Berita terkait|Artikel terkait|"
    r"Read also|Read more|See also|Related|Also read)\s*:", re.IGNORECASE)
_LEADING_LINES = 3     # a leading byline must sit among the first lines


def _credit_value_ok(value: str) -> bool:
    return len(value.split()) <= 10 and not value.rstrip().endswith(("?", "!"))


# --- dates ---------------------------------------------------------------------

# Spellings that CLDR lacks but Indonesian and English news use.
_EXTRA_MONTHS = {"agt": 8, "agus": 8, "ags": 8, "sept": 9, "nop": 11, "nopember": 11,
                 "pebruari": 2, "peb": 2, "januar": 1}


@functools.cache
def month_names() -> dict[str, int]:
    """Lower-cased month names and abbreviations (id, en) to month numbers."""
    from babel.dates import get_month_names

    names = dict(_EXTRA_MONTHS)
    for locale in ("id", "en"):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, "format", locale=locale).items():
                names[name.lower().rstrip(".")] = number
    return names


@functools.cache
def _date_patterns() -> dict[str, re.Pattern[str]]:
    months = "|".join(sorted(map(re.escape, month_names()), key=len, reverse=True))
    dmy = rf"(?P<d1>\d{{1,2}})\s+(?P<m1>{months})\.?,?\s+(?P<y1>\d{{4}})"
    mdy = rf"(?P<m2>{months})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})"
    iso = r"(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})"
    date = rf"(?i:{dmy}|{mdy}|{iso})(?!\d)"
    place = r"(?P<place>[A-Z][\w'’-]*(?:[ /][A-Z][\w'’.-]*){0,3})"
    weekday = r"(?:[A-Z][a-z]+,?\s+)?"
    ending = r"\s*(?:\([^()\n]{1,60}\)|/[^/\n]{1,40}/)?\s*(?P<dash>[–—:]|-{1,2})?"
    start = r"(?:^|(?<=\. )|(?<=\| )|(?<=– )|(?<=— )|(?<=- ))"
    return {
        "date": re.compile(rf"(?<!\w){date}"),
        "dateline": re.compile(rf"{start}{place},\s*{weekday}{date}{ending}", re.MULTILINE),
        "path": re.compile(r"(?<!\d)((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})(?:/|[-_])"),
    }


def _date_from(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    for i in "123":
        if groups.get("y" + i):
            month = groups["m" + i]
            number = int(month) if month.isdigit() else month_names().get(month.lower())
            try:
                return dt.date(int(groups["y" + i]), number, int(groups["d" + i])).isoformat()
            except (TypeError, ValueError):
                return None
    return None


def parse_date(text: str) -> str | None:
    """YYYY-MM-DD for a string that is a full date ("2 Desember 2025", "Nov. 18, 2025",
    "2025-12-02T08:00:00+07:00", "Tue, 02 Dec 2025 10:00:00 +0700"), else None."""
    match = _date_patterns()["date"].search(text.strip())
    return _date_from(match) if match else None


def find_dates(text: str) -> list[str]:
    """Every full, valid date written in the text, as YYYY-MM-DD, in text order."""
    found = (_date_from(m) for m in _date_patterns()["date"].finditer(text))
    return [d for d in found if d]


def dateline_date(text: str, *, head: int = 400) -> str | None:
    """The date of a dateline near the start of the text. Mixed-case places need a
    dash (or colon) after the date; an ALL-CAPS place ("JAKARTA, 5 Desember 2025") does not."""
    for match in _date_patterns()["dateline"].finditer(text[:head]):
        if match.group("dash") or match.group("place").isupper():
            date = _date_from(match)
            if date:
                return date
    return None


def path_date(path: str) -> str | None:
    """The date of a /YYYY/MM/DD/ path, if valid."""
    for year, month, day in _date_patterns()["path"].findall(path):
        try:
            return dt.date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            continue
    return None


# --- the stage -----------------------------------------------------------------

class Normaliser:
    """Cleans `article.text` and fills `images`, `byline` and a missing `published`."""

    name = "normalise"

    def __init__(self, *, drop_related: bool = True, infer_published: bool = True):
        self.drop_related = drop_related
        self.infer_published = infer_published
        month_names()     # load CLDR month names now, not on the first article

    def __call__(self, article: Article) -> Article:
        text = clean_characters(article.text)
        text = self._take_images(text, article)
        text = self._take_credits(text, article)
        # lines emptied by the steps above go away; blank lines between paragraphs stay
        article.text = _squeeze_lines(plain for line in text.split("\n")
                                      if (plain := plain_markdown(line)) or not line)
        if article.published:
            article.published_source = article.published_source or "given"
        elif self.infer_published:
            article.published, article.published_source = infer_published(article)
            if article.published:
                log.debug("article %s: published %s from %s", article.id,
                          article.published, article.published_source)
        article.stages.append(self.name)
        return article

    @staticmethod
    def _take_images(text: str, article: Article) -> str:
        lines = []
        for line in text.split("\n"):
            images = [{"alt": m.group("alt").strip(), "src": m.group("src")}
                      for m in _IMAGE.finditer(line)]
            if images:
                article.images.extend(images)
                line = _MULTI_SPACE.sub(" ", _IMAGE.sub("", line)).strip()
                if not line:
                    continue
            lines.append(line)
        return "\n".join(lines)

    def _take_credits(self, text: str, article: Article) -> str:
        credits = [article.byline] if article.byline else []
        lines, seen = [], 0
        for line in text.split("\n"):
            if not line:
                lines.append(line)
                continue
            seen += 1
            leading = _LEADING_BYLINE.match(line) if seen <= _LEADING_LINES else None
            labelled = _LABELLED_CREDIT.match(line)
            if leading and (leading.group("rest") is not None or len(line.split()) <= 8):
                credits.append(leading.group("credit"))
                line = (leading.group("rest") or "").strip()
            elif labelled and _credit_value_ok(labelled.group("value")):
                credits.append(line.rstrip(" |"))
                line = ""
            elif _INITIALS_CREDIT.match(line):
                credits.append(line)
                line = ""
            elif self.drop_related and _RELATED.match(line):
                log.debug("article %s: dropped related link %r", article.id, line)
                line = ""
            else:
                wire = _WIRE_CREDIT.search(line)
                if wire:
                    credits.append(wire.group("credit").strip())
                    line = line[:wire.start()].rstrip()
            if line:
                lines.append(line)
        article.byline = "; ".join(dict.fromkeys(credits)) or None
        return "\n".join(lines)


def infer_published(article: Article) -> tuple[str | None, str | None]:
    """(date, source) for an article without a publication date; see the module doc."""
    date = dateline_date(article.text)
    if date:
        return date, "dateline"
    for image in article.images:
        date = path_date(image.get("src", ""))
        if date:
            return date, "image-path"
    if article.url:
        date = path_date(article.url)
        if date:
            return date, "url"
    dates = find_dates(article.text)
    if dates:
        return max(dates), "text"
    return None, None
