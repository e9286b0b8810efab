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
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        self._identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
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
