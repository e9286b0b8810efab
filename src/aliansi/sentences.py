"""Sentence splitting with character offsets: paragraphs on newlines, then blingfire."""
from __future__ import annotations

import re

import blingfire

from .model import Article, Sentence

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
        article.stages.append(self.name)
        return article


def split(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    for paragraph, match in enumerate(_PARAGRAPH.finditer(text)):
        base, chunk = match.start(), match.group()
        if not chunk.strip():
            continue
        _, offsets = blingfire.text_to_sentences_and_offsets(chunk)
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
            s, e = base + start, base + end
            kind = "dateline" if cut and start == 0 else "text"
            sentences.append(Sentence(start=s, end=e, text=text[s:e], paragraph=paragraph, kind=kind))
    return sentences
