"""Read news articles from files, folders, standard input and URLs.

`read(inputs)` yields `Article` objects in input order. Each input is one of:

- JSON Lines (`.jsonl`, `.ndjson`, `.json`; a `.json` file may also hold an array
  or one object): records per EVENTS.md §1, `id` and `text` required;
- plain text or markdown (`.txt`, `.md`): one article, a leading `# ` heading is its title;
- HTML (`.html`, `.htm`): main text and metadata extracted with trafilatura;
- RSS/Atom (`.xml`, `.rss`, `.atom`): one article per entry, with feedparser;
- a folder: its files with those extensions, recursively, sorted by path;
- `-`: standard input, its format sniffed from the content;
- an `http(s)://` URL: fetched, read as a feed when it parses as one, else as HTML.

A file without an extension has its format sniffed. A bad input or record becomes
an `InputError` naming the file (and the record); with `on_error` set, the error is
handed to it and reading goes on with the rest of the batch.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
import os
import re
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import Article
from .normalise import parse_date

log = logging.getLogger(__name__)

FORMATS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".txt": "text", ".md": "text",
    ".html": "html", ".htm": "html",
    ".xml": "feed", ".rss": "feed", ".atom": "feed",
}
USER_AGENT = "aliansi/0.1 (news event reader; +https://pypi.org/project/aliansi/)"
TIMEOUT = 20.0                  # seconds, for each wait on a server
DEADLINE = 60.0                 # seconds, for a whole download
MAX_DOWNLOAD = 20_000_000       # bytes
STDIN = "-"

ErrorHandler = Callable[[InputError], None]


def read(inputs: Iterable[str | Path] | str | Path, *,
         on_error: ErrorHandler | None = None) -> Iterator[Article]:
    """Articles from each input in turn; see the module docstring."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]

    def report(error: InputError) -> None:
        if on_error is None:
            raise error
        on_error(error)

    for item in inputs:
        count = 0
        try:
            for article in _read_one(item, report):
                count += 1
                yield article
        except InputError as error:
            report(error)       # without on_error, report() raises it again
        log.info("read %d article(s) from %s", count, item)


def count_articles(inputs: Iterable[str | Path]) -> int | None:
    """The number of articles in `inputs` for a progress display: a JSON Lines file
    counts its non-empty lines, a text, Markdown or HTML file one; None as soon as an
    input cannot be counted without reading it (a URL, standard input, a feed, a
    JSON array)."""
    total = 0
    for item in inputs:
        path = Path(item)
        if str(item) == STDIN or re.match(r"https?://", str(item), re.IGNORECASE):
            return None
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            kind = FORMATS.get(file.suffix.lower())
            if kind in ("text", "html"):
                total += 1
            elif kind == "jsonl" and file.suffix.lower() != ".json":
                try:
                    with file.open("rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                except OSError:
                    return None
            elif kind is not None or not path.is_dir():
                return None
    return total


def _read_one(item: str | Path, report: ErrorHandler) -> Iterator[Article]:
    name = str(item)
    if name == STDIN:
        yield from read_bytes(_stdin_bytes(), origin="<stdin>", report=report)
    elif re.match(r"https?://", name, re.IGNORECASE):
        yield from read_url(name, report=report)
    else:
        path = Path(item)
        if path.is_dir():
            yield from read_folder(path, report=report)
        elif path.is_file():
            yield from read_file(path, report=report)
        elif path.exists():
            raise InputError("not a regular file or folder", origin=name)
        else:
            raise InputError("no such file or folder", origin=name)


def _stdin_bytes() -> bytes:
    buffer = getattr(sys.stdin, "buffer", None)
    return buffer.read() if buffer is not None else sys.stdin.read().encode("utf-8")


def sniff_format(path: str | Path) -> str:
    """"jsonl", "text", "html", "feed" or "folder" for a path, by its extension;
    a file without one is sniffed from its content. Raises InputError otherwise."""
    path = Path(path)
    if path.is_dir():
        return "folder"
    suffix = path.suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    if not suffix:
        return sniff_text(decode(_read_bytes(path), origin=str(path)))
    raise InputError(f"unknown file type {suffix!r} (known: {', '.join(sorted(FORMATS))})",
                     origin=str(path))


_FEED = re.compile(r"<(?:rss|rdf:RDF)\b|<feed\b[^>]*xmlns=[\"']http://www\.w3\.org/2005/Atom", re.IGNORECASE)
_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body|article|main|div|p|h[1-6]|title)\b", re.IGNORECASE)


def sniff_text(text: str) -> str:
    """The format of some content: "jsonl", "feed", "html" or "text"."""
    start = text.lstrip()
    if start.startswith("{") or re.match(r"\[\s*[{\]]", start):
        return "jsonl"
    if start.startswith("<"):
        head = start[:4000]
        if _FEED.search(head):
            return "feed"
        if _HTML.search(head):
            return "html"
    return "text"


def read_folder(folder: Path, *, report: ErrorHandler) -> Iterator[Article]:
    """The article files under `folder`, sorted by path; hidden ones left out. A
    subfolder that cannot be read, and a folder with no article file, are reported."""
    files = []

    def unreadable(error: OSError) -> None:
        report(InputError(f"cannot read this folder: {error.strerror or error}",
                          origin=error.filename or str(folder)))

    for root, dirs, names in os.walk(folder, onerror=unreadable):
        for hidden in [d for d in dirs if d.startswith(".")]:
            dirs.remove(hidden)
            log.debug("skipped %s: a hidden folder", Path(root) / hidden)
        files += [Path(root) / n for n in names]
    articles = sorted(p for p in files if p.suffix.lower() in FORMATS and p.is_file()
                      and not p.name.startswith("."))
    for path in sorted(set(files) - set(articles)):
        log.debug("skipped %s: not a known article file, or hidden", path)
    if not articles:
        raise InputError(f"no article files here (known: {', '.join(sorted(FORMATS))})",
                         origin=str(folder))
    for path in articles:
        try:
            yield from read_file(path, report=report)
        except InputError as error:
            report(error)


def read_file(path: Path, *, report: ErrorHandler) -> Iterator[Article]:
    kind = sniff_format(path)
    yield from read_bytes(_read_bytes(path), origin=str(path), report=report, kind=kind,
                          json_array_ok=path.suffix.lower() == ".json")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", origin=str(path)) from error


def read_bytes(data: bytes, *, origin: str, report: ErrorHandler, kind: str | None = None,
               url: str | None = None, json_array_ok: bool = True) -> Iterator[Article]:
    """Articles from some bytes; `kind` is sniffed from the content when None.
    JSON Lines are decoded line by line, so that one bad byte costs one record."""
    if kind is None and _looks_like_json_lines(data):
        kind = "jsonl"
    if kind == "jsonl" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        yield from read_json_lines(data, origin=origin, report=report,
                                   whole_ok=json_array_ok)
        return
    yield from read_text(decode(data, origin=origin), origin=origin, report=report, kind=kind,
                         url=url, json_array_ok=json_array_ok)


def _looks_like_json_lines(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def read_text(text: str, *, origin: str, report: ErrorHandler, kind: str | None = None,
              url: str | None = None, json_array_ok: bool = True) -> Iterator[Article]:
    kind = kind or sniff_text(text)
    if kind == "jsonl":
        yield from read_json_records(text, origin=origin, report=report, whole_ok=json_array_ok)
    elif kind == "feed":
        yield from read_feed(text, origin=origin, report=report)
    elif kind == "html":
        yield read_html(text, origin=origin, url=url)
    else:
        yield read_plain(text, origin=origin, url=url)


# --- decoding ------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def decode(data: bytes, *, origin: str) -> str:
    """Text from bytes: UTF-8 (with or without BOM), UTF-16 with a BOM, or cp1252
    when it decodes cleanly. Binary, undecodable and empty input raise InputError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InputError("undecodable UTF-16 text", origin=origin) from error
    elif b"\x00" in data:
        raise InputError("binary file (NUL bytes), not text", origin=origin)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError as error:
                raise InputError("undecodable bytes: neither UTF-8 nor cp1252 text",
                                 origin=origin) from error
            log.debug("%s: decoded as cp1252", origin)
    return _checked(text, origin=origin)


def _checked(text: str, *, origin: str) -> str:
    if _CONTROL.search(text):
        raise InputError("binary file (control characters), not text", origin=origin)
    if not text.strip():
        raise InputError("empty input", origin=origin)
    return text


# --- JSON Lines ----------------------------------------------------------------

_TEXT_FIELDS = ("url", "outlet", "title", "language")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def read_json_records(text: str, *, origin: str, report: ErrorHandler,
                      whole_ok: bool = True) -> Iterator[Article]:
    """Records from JSON Lines, or (when `whole_ok`) a JSON array or a single object."""
    if whole_ok:
        records = _whole_json(text, origin=origin)
        if records is not None:
            yield from _array_records(records, origin, report)
            return
    # split on "\n" only: U+2028, U+2029 and U+0085 may stand inside a JSON string
    for number, line in enumerate(text.split("\n"), 1):
        article = _json_line(line, origin, number, report)
        if article:
            yield article


def read_json_lines(data: bytes, *, origin: str, report: ErrorHandler,
                    whole_ok: bool = True) -> Iterator[Article]:
    """Records from JSON Lines bytes, each line decoded on its own: UTF-8, else
    cp1252 with a message naming the line (the record is still read)."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    if not data.strip():
        raise InputError("empty input", origin=origin)
    if whole_ok:
        try:
            records = _whole_json(data.decode("utf-8"), origin=origin)
        except UnicodeDecodeError:
            records = None
        except InputError:
            # a broken array; but when several lines follow it, they are JSON Lines
            # whose first line is bad, and each line is read (and reported) alone
            if len([line for line in data.split(b"\n") if line.strip()]) < 2:
                raise
            records = None
        if records is not None:
            yield from _array_records(records, origin, report)
            return
    lines = data.split(b"\n")
    head = [raw for raw in lines if raw.strip()][:5]
    if all(b"\x00" in raw for raw in head):
        raise InputError("binary file (NUL bytes), not text", origin=origin)
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        if b"\x00" in raw:
            report(InputError("binary data (NUL bytes), not a JSON record", origin=origin,
                              record=number))
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw.decode("cp1252", errors="replace")
            report(InputError(f"not UTF-8 (byte 0x{raw[error.start]:02x} at column "
                              f"{error.start + 1}); read as cp1252", origin=origin, record=number))
        article = _json_line(line, origin, number, report)
        if article:
            yield article


def _json_line(line: str, origin: str, number: int, report: ErrorHandler) -> Article | None:
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        report(InputError(f"not JSON: {error.msg} (column {error.colno})",
                          origin=origin, record=number))
        return None
    except RecursionError:
        report(InputError("not JSON we read: nested too deeply", origin=origin, record=number))
        return None
    except ValueError:     # an integer of more than 4,300 digits
        report(InputError("not JSON we read: a number of more than 4,300 digits",
                          origin=origin, record=number))
        return None
    return _record_or_report(record, origin, number, report)


def _array_records(records: list[Any], origin: str, report: ErrorHandler) -> Iterator[Article]:
    for number, record in enumerate(records, 1):
        article = _record_or_report(record, origin, f"item {number}", report)
        if article:
            yield article


def _whole_json(text: str, *, origin: str) -> list[Any] | None:
    """The records of a JSON array (or one pretty-printed object); None for JSON Lines."""
    start = text.lstrip()[:1]
    if start not in ("[", "{"):
        return None
    try:
        value = json.loads(text)
    except (RecursionError, ValueError) as error:   # JSONDecodeError is a ValueError
        if start == "{":
            return None         # one object per line, each read (and reported) on its own
        if isinstance(error, json.JSONDecodeError):
            raise InputError(f"not a JSON array: {error.msg}", origin=origin,
                             record=error.lineno) from error
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        raise InputError(f"not a JSON array we read: {reason}", origin=origin) from None
    return value if isinstance(value, list) else [value]


def _record_or_report(record: Any, origin: str, where: str | int,
                      report: ErrorHandler) -> Article | None:
    try:
        return article_from_record(record, origin=origin, record_no=where)
    except InputError as error:
        report(error)
        return None


def article_from_record(record: Any, *, origin: str | None = None,
                        record_no: str | int | None = None) -> Article:
    """An Article from one EVENTS.md §1 record; unknown keys are ignored."""
    where: dict[str, Any] = {"origin": origin, "record": record_no}
    if not isinstance(record, dict):
        raise InputError(f"record is a JSON {type(record).__name__}, not an object", **where)
    text = record.get("text")
    if text is None:
        raise InputError("record has no 'text'", **where)
    if not isinstance(text, str):
        raise InputError(f"'text' is a {type(text).__name__}, not a string", **where)
    if not text.strip():
        raise InputError("'text' is empty", **where)
    for key in ("id", "text", *_TEXT_FIELDS):
        value = record.get(key)
        if isinstance(value, str) and _SURROGATE.search(value):
            bad = _SURROGATE.search(value).group()
            raise InputError(f"'{key}' holds a lone surrogate (\\u{ord(bad):04x}), not Unicode text",
                             **where)
    text = _CONTROL.sub("", text)
    fields: dict[str, Any] = {}
    for key in _TEXT_FIELDS:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(f"'{key}' is a {type(value).__name__}, not a string", **where)
        fields[key] = value.strip() if value and value.strip() else None
    record_id = record.get("id")
    if record_id is not None and not isinstance(record_id, (str, int)):
        raise InputError(f"'id' is a {type(record_id).__name__}, not a string", **where)
    published = record.get("published")
    if published not in (None, ""):
        date = parse_date(published) if isinstance(published, str) else None
        if date is None:
            raise InputError(f"'published' is not a date: {published!r}", **where)
        fields["published"], fields["published_source"] = date, "given"
    if fields["language"]:
        fields["language_source"] = "given"
    return Article(text=text, id=str(record_id) if record_id not in (None, "") else "",
                   origin=origin, **fields)


# --- plain text, HTML ----------------------------------------------------------

_TITLE = re.compile(r"\A\s*#[ \t]+(?P<title>[^\n]+?)[ \t#]*(?:\n|\Z)")


def read_plain(text: str, *, origin: str, url: str | None = None) -> Article:
    """One article from plain text or markdown; a leading `# ` heading is its title."""
    title = None
    match = _TITLE.match(text)
    if match:
        title, text = match.group("title").strip(), text[match.end():]
        if not text.strip():
            raise InputError("only a title, no text", origin=origin)
    return Article(text=text, title=title, url=url, origin=origin)


_HTML_LANG = re.compile(r"<html\b[^>]*?\blang=[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)


def read_html(html: str, *, origin: str, url: str | None = None) -> Article:
    """One article from an HTML page: main text and metadata by trafilatura."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        favor_precision=True, date_extraction_params={"extensive_search": False, "original_date": True})
    if document is None or not (document.text or "").strip():
        raise InputError("no article text found in the HTML page", origin=origin)
    text, title = document.text, (document.title or "").strip() or None
    if title and text.startswith(title + "\n"):      # the headline, kept as the title
        text = text[len(title) + 1:]
    published = parse_date(document.date) if document.date else None
    lang = _HTML_LANG.search(html[:5000])
    language = (document.language or (lang.group(1) if lang else "")).lower() or None
    return Article(
        text=text, url=document.url or url, outlet=document.sitename or None,
        title=title, byline=document.author or None, origin=origin,
        published=published, published_source="given" if published else None,
        language=language, language_source="given" if language else None)


class _TextOfHTML(HTMLParser):
    """Text of an HTML fragment, a line break at each block element."""

    BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
              "blockquote", "tr", "table", "section", "article", "figure", "figcaption", "hr"}
    SKIP = {"script", "style", "noscript"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def strip_html(fragment: str) -> str:
    """Plain text of an HTML fragment (feed summaries), paragraphs on their own lines."""
    parser = _TextOfHTML()
    parser.feed(fragment)
    parser.close()
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


# --- feeds ---------------------------------------------------------------------

def parse_feed(text: str):
    """The feedparser result when `text` is an RSS/Atom feed with entries, else None."""
    import feedparser

    parsed = feedparser.parse(text)
    if parsed.get("version") and parsed.entries:
        return parsed
    return None


def read_feed(text: str, *, origin: str, report: ErrorHandler, parsed: Any = None) -> Iterator[Article]:
    """One article per feed entry."""
    parsed = parsed or parse_feed(text)
    if parsed is None:
        raise InputError("not an RSS/Atom feed with entries", origin=origin)
    outlet = parsed.feed.get("title") or None
    language = (parsed.feed.get("language") or "").strip() or None
    for number, entry in enumerate(parsed.entries, 1):
        contents = [c.get("value", "") for c in entry.get("content", [])]
        body = max(contents, key=len) if contents else entry.get("summary", "")
        text = strip_html(body or "")
        if not text:
            report(InputError("feed entry has no text", origin=origin, record=f"entry {number}"))
            continue
        published = _entry_date(entry)
        yield Article(
            text=text, title=strip_html(entry.get("title", "")) or None,
            url=entry.get("link") or None, outlet=outlet, origin=origin,
            published=published, published_source="given" if published else None,
            language=language, language_source="given" if language else None)


def _entry_date(entry: Any) -> str | None:
    """The entry's own calendar date as written (feedparser's parsed dates are UTC)."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if not raw:
            continue
        try:
            return email.utils.parsedate_to_datetime(raw).date().isoformat()
        except (TypeError, ValueError):
            pass
        date = parse_date(raw)
        if date:
            return date
        parsed = entry.get(key + "_parsed")
        if parsed:
            return dt.date(*parsed[:3]).isoformat()
    return None


# --- URLs ----------------------------------------------------------------------

def read_url(url: str, *, report: ErrorHandler, timeout: float = TIMEOUT,
             deadline: float = DEADLINE) -> Iterator[Article]:
    """Articles from an http(s) URL: a feed when it parses as one, else an HTML page.
    `timeout` bounds each wait for the server, `deadline` the whole download."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                   "Accept": "text/html, application/xml, */*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = _download(response, url, time.monotonic() + deadline, deadline)
            charset = response.headers.get_content_charset()
            final_url = response.geturl()
    except urllib.error.HTTPError as error:
        raise InputError(f"HTTP {error.code} {error.reason}", origin=url) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise InputError(f"cannot fetch: {reason}", origin=url) from error
    if len(data) > MAX_DOWNLOAD:
        raise InputError(f"larger than {MAX_DOWNLOAD} bytes", origin=url)
    text = _decode_download(data, charset, origin=url)
    markup = text.lstrip().startswith("<")
    parsed = parse_feed(text) if markup else None
    if parsed is not None:
        yield from read_feed(text, origin=url, report=report, parsed=parsed)
    else:
        yield from read_text(text, origin=url, report=report, url=final_url,
                             kind="html" if markup else None)


def _download(response: Any, url: str, stop_at: float, deadline: float) -> bytes:
    """The body, read as it arrives, until MAX_DOWNLOAD + 1 bytes or the deadline."""
    chunks, size = [], 0
    while size <= MAX_DOWNLOAD:
        if time.monotonic() > stop_at:
            raise InputError(f"gave up after {deadline:g} s: the server sends too slowly "
                             f"({size} bytes so far)", origin=url)
        chunk = response.read1(65536)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _decode_download(data: bytes, charset: str | None, *, origin: str) -> str:
    if charset and b"\x00" not in data:
        try:
            return _checked(data.decode(charset).lstrip("\ufeff"), origin=origin)
        except (LookupError, UnicodeDecodeError):
            log.debug("%s: declared charset %s does not decode", origin, charset)
    return decode(data, origin=origin)
