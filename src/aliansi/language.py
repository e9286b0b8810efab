"""Language identification per document (py3langid, model bundled)."""
from __future__ import annotations

import logging

from .model import Article

log = logging.getLogger(__name__)

# Malay is left out on purpose: Indonesian news is too often taken for it, and
# aliansi's Indonesian rules serve Malay text best anyway.
CANDIDATES = ("id", "en", "fr", "de", "es", "pt", "it", "nl", "ru", "ar", "zh", "ja",
              "ko", "tr", "vi", "th", "tl", "uk", "pl", "sv", "fi", "da", "no")


class LanguageStage:
    """Sets `article.language` when the input did not give it."""

    name = "language"

    def __init__(self, *, candidates: tuple[str, ...] = CANDIDATES):
        import numpy as np
        from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
        from py3langid.modelio import load_model

        from . import cache

        # the model ships LZMA-compressed; unpacking it took a third of a second
        path = MODEL_DIR / MODEL_FILE
        ptc, pc, classes, nextmove, row, output = cache.cached(
            "langid", [cache.version("py3langid"), path], lambda: load_model(path))
        self._identifier = LanguageIdentifier(np.asarray(ptc), np.asarray(pc), classes, nextmove,
                                              output, tk_row=row)
        self._identifier.set_languages(list(candidates))

    def detect(self, text: str) -> str:
        return self._identifier.classify(text[:2000])[0]

    def __call__(self, article: Article) -> Article:
        if article.language:
            article.language = article.language.lower().split("-")[0]
            article.language_source = article.language_source or "given"
        elif article.text.strip():
            article.language = self.detect(article.text)
            article.language_source = "detected"
        article.stages.append(self.name)
        return article
