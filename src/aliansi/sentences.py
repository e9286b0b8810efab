"""Sentence splitting with character offsets: paragraphs on newlines, then blingfire."""
from __future__ import annotations

import logging
import re
from ctypes import byref, c_char_p, c_int, c_int32, create_string_buffer

import blingfire

from .model import Article, Sentence

log = logging.getLogger(__name__)

# No sentence of news runs this long; text without breaks (a table, a list, a
# page glued into one line) is cut into pieces of at most this many characters,
# at a clause boundary where there is one, so that the work per sentence stays
# bounded and the whole article near-linear in its length.
MAX_SENTENCE = 800
_CUT_AT = re.compile(r"[;,:]\s|\s[–—-]+\s|\s")

_PARAGRAPH = re.compile(r"[^\n]+")
# blingfire splits after abbreviations common in Indonesian and English news;
# a split right after one of these is undone.
_NO_BREAK_AFTER = re.compile(
    r"(?:\b(?:No|Dr|Prof|Jend|Letjen|Mayjen|Brigjen|Laksda|Laksdya|Marsda|Kol|Ir|H|Hj|St|Mr|Mrs|Ms|"
    r"Sen|Rep|Gen|Lt|Col|Adm|Capt|Gov|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|"
    r"vs|etc|dkk|dll|tsb|U\.S|U\.N|U\.K)\.|\b[A-Z]\.)$"
)


# "KUALA LUMPUR, Jan 18 (Meridian Wire) - ", "Suara Nusantara – ": a dateline or
# outlet prefix at the start of an article is its own sentence, not part of the first
DATELINE = re.compile(r"^(?P<head>[^\n]{2,100}?)\s[–—-]{1,2}\s+(?=[A-Z“\"])")


def _dateline_end(paragraph: str) -> int:
    match = DATELINE.match(paragraph)
    if not match:
        return 0
    head = match.group("head")
    words = head.split()
    if len(words) > 12:
        return 0
    if re.search(r"\d|\(", head) or len(words) <= 4 or words[0].isupper():
        return match.end("head")
    return 0


class SentenceStage:
    name = "sentences"

    def __call__(self, article: Article) -> Article:
        article.sentences = split(article.text)
        cut = sum(1 for s in article.sentences if s.kind == "cut")
        if cut:
            log.warning("article %s: %d pieces of text without sentence breaks cut at %d "
                        "characters", article.id or "(no id)", cut, MAX_SENTENCE)
        article.stages.append(self.name)
        return article


def _bounded(start: int, end: int, chunk: str, limit: int) -> list[tuple[int, int, bool]]:
    """(start, end, was cut) pieces of at most `limit` characters, cut at the last
    clause boundary (else space) before the limit."""
    pieces = []
    while end - start > limit:
        window = chunk[start:start + limit]
        breaks = [m.end() for m in _CUT_AT.finditer(window) if m.end() > limit // 2]
        strong = [b for b in breaks if window[b - 2] in ";,:"]
        at = start + (strong or breaks or [limit])[-1]
        pieces.append((start, at, True))
        start = at
    pieces.append((start, end, bool(pieces)))
    return pieces


def _sentence_offsets(chunk: str) -> list[tuple[int, int]]:
    """blingfire's sentences of a paragraph as character spans: what
    `blingfire.text_to_sentences_and_offsets` gives, without its Python loop over
    every byte of the text to turn byte offsets into character offsets."""
    data = chunk.encode("utf-8")
    size = len(data) * 2
    out, starts, ends = create_string_buffer(size), (c_int32 * size)(), (c_int32 * size)()
    n = blingfire.blingfire.TextToSentencesWithOffsets(c_char_p(data), c_int(len(data)), byref(out),
                                                       byref(starts), byref(ends), c_int(size))
    if n == -1 or n > size:
        return []
    count = out.value.count(b"\n") + 1
    # the end offsets are each sentence's last byte; a character starts at the byte after it
    spans = zip(starts[:count], (e + 1 for e in ends[:count]))
    if len(data) == len(chunk):       # ASCII: a byte is a character
        return list(spans)
    return [(len(data[:a].decode("utf-8", "replace")), len(data[:b].decode("utf-8", "replace")))
            for a, b in spans]


def split(text: str, *, max_length: int = MAX_SENTENCE) -> list[Sentence]:
    sentences: list[Sentence] = []
    for paragraph, match in enumerate(_PARAGRAPH.finditer(text)):
        base, chunk = match.start(), match.group()
        if not chunk.strip():
            continue
        offsets = _sentence_offsets(chunk)
        pieces: list[list[int]] = []
        cut = _dateline_end(chunk) if not sentences else 0
        if cut:
            offsets = [(0, cut)] + [(max(a, cut), b) for a, b in offsets if b > cut]
            offsets = [(a + len(chunk[a:b]) - len(chunk[a:b].lstrip(" –—-")), b) for a, b in offsets]
        for start, end in offsets:
            if pieces and _NO_BREAK_AFTER.search(chunk[pieces[-1][0]:pieces[-1][1]]):
                pieces[-1][1] = end
            else:
                pieces.append([start, end])
        for start, end in pieces:
            for a, b, was_cut in _bounded(start, end, chunk, max_length):
                s, e = base + a, base + b
                e -= len(text[s:e]) - len(text[s:e].rstrip())
                kind = "dateline" if cut and a == 0 else "cut" if was_cut else "text"
                sentences.append(Sentence(start=s, end=e, text=text[s:e], paragraph=paragraph,
                                          kind=kind))
    return sentences
