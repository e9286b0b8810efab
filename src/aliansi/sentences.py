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
        for start, end in offsets:
            if pieces and _NO_BREAK_AFTER.search(chunk[pieces[-1][0]:pieces[-1][1]]):
                pieces[-1][1] = end
            else:
                pieces.append([start, end])
        for start, end in pieces:
            s, e = base + start, base + end
            sentences.append(Sentence(start=s, end=e, text=text[s:e], paragraph=paragraph))
    return sentences
