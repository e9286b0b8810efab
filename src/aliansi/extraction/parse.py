"""The dependency parse of a sentence, for who did it to whom (aliansi.extraction.roles).

The parsers are spaCy taggers and parsers that aliansi ships
(`data/models/parser-<lang>/`, trained by `scripts/train_parser.py` from the
Universal Dependencies treebanks). They are loaded on first use and run only
on sentences that have a trigger candidate.
"""
from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from importlib import resources
from typing import Sequence

log = logging.getLogger(__name__)

MAX_CHARS = 600           # a longer "sentence" is a page fragment or a list: left to the patterns
MIN_LETTERS = 0.5         # share of letters (any script) below which a text is not parsed

# how often the parse was not used, for -v (logged) and for the tests
STATS: Counter = Counter()

_MODELS: dict[str, object] = {}
_LOCK = threading.Lock()
_THREADS = None           # threadpoolctl's controller, made on the first parse


def available(lang: str) -> bool:
    """Whether the package ships a parser for the language and spaCy is installed."""
    if not (resources.files("aliansi") / "data" / "models" / f"parser-{lang}" / "meta.json").is_file():
        return False
    try:
        import spacy  # noqa: F401
    except ImportError:
        return False
    return True


def load(lang: str):
    """The language's tagger and parser, loaded once per process. Its tokenizer is
    aliansi's own (`tokenize`): spaCy's Indonesian one builds 16,000 special cases on
    loading, seconds of start-up for nothing the parser needs."""
    with _LOCK:
        if lang not in _MODELS:
            if not available(lang):
                _MODELS[lang] = None
            else:
                import spacy

                _register()
                path = resources.files("aliansi") / "data" / "models" / f"parser-{lang}"
                with resources.as_file(path) as folder:
                    nlp = spacy.load(
                        folder, exclude=["tokenizer"],
                        config={"nlp": {"tokenizer": {"@tokenizers": "aliansi.plain_tokenizer.v1"}}})
                _use_numpy_matmul(nlp)
                _MODELS[lang] = nlp
                log.info("parser %s loaded", lang)
        return _MODELS[lang]


def _use_numpy_matmul(nlp) -> None:
    """Run the models' matrix products through numpy (OpenBLAS) instead of thinc's
    blis: on this project's 2-core x86 machine blis multiplied at 14 GFLOP/s and
    numpy, one thread, at 80; a sentence parses in 1.3 ms instead of 2.9, with the
    same trees (tests/extraction/test_parse.py)."""
    import numpy
    from thinc.api import NumpyOps

    class MatmulOps(NumpyOps):
        name = "numpy-matmul"

        def gemm(self, x, y, out=None, trans1=False, trans2=False):
            x = x.T if trans1 else x
            y = y.T if trans2 else y
            if out is None:
                return numpy.matmul(x, y)
            numpy.matmul(x, y, out=out)
            return out

    ops = MatmulOps()
    for _, component in nlp.pipeline:
        for node in component.model.walk():
            node.ops = ops


def _one_thread():
    """OpenBLAS kept to one thread while a parse runs: `extract` already runs a
    process a core, and two threads a process made the parse four times slower."""
    global _THREADS
    if _THREADS is None:
        from threadpoolctl import ThreadpoolController

        _THREADS = ThreadpoolController()
    return _THREADS.limit(limits=1, user_api="blas")


def _register() -> None:
    from spacy.tokenizer import Tokenizer
    from spacy.util import registry

    if "aliansi.plain_tokenizer.v1" not in registry.tokenizers:
        registry.tokenizers("aliansi.plain_tokenizer.v1")(lambda: (lambda nlp: Tokenizer(nlp.vocab)))


# a token: a word with its inner hyphens, dots, commas, slashes and apostrophes
# ("anak-anak", "U.S.", "25.000", "1/12"), English clitics apart ("do|n't", "Israel|'s"),
# any other mark on its own
_TOKEN = re.compile(r"(?i)\w+(?=n['’]t\b)|\w+(?=['’](?:s|re|ve|ll|d|m)\b)|n['’]t\b|['’](?:s|re|ve|ll|d|m)\b|"
                    r"(?:[A-Za-z]\.){2,}|\w+(?:[-–./,:'’&]\w+)*|[^\w\s]")


def tokenize(text: str) -> list[tuple[int, int]]:
    """Character spans of the words of a sentence, as the treebanks cut them."""
    return [m.span() for m in _TOKEN.finditer(text)]


def _parsable(text: str) -> str | None:
    """Why a sentence is left to the patterns, or None when the parser can take it."""
    if len(text) > MAX_CHARS:
        log.info("parse: a sentence of %d characters left to the patterns (over %d)", len(text), MAX_CHARS)
        return "too long"
    letters = sum(map(str.isalpha, text))
    if not text.strip() or letters < MIN_LETTERS * len(text.replace(" ", "")):
        log.info("parse: a sentence of few letters left to the patterns")
        return "not prose"
    return None


def _doc(nlp, text: str):
    from spacy.tokens import Doc

    spans = tokenize(text)
    doc = Doc(nlp.vocab, words=[text[s:e] for s, e in spans],
              spaces=[e < len(text) and text[e].isspace() for _, e in spans])
    doc.user_data["spans"] = spans
    return doc


def parse_many(texts: Sequence[str], lang: str) -> list:
    """The parses of several sentences at once (a batch runs about twice as fast as
    one sentence at a time); None for each one `parse` would give None."""
    nlp = load(lang)
    if nlp is None:
        STATS["no parser"] += len(texts)
        return [None] * len(texts)
    out: list = [None] * len(texts)
    todo = []
    for i, text in enumerate(texts):
        why = _parsable(text)
        if why:
            STATS[why] += 1
        else:
            todo.append(i)
    try:
        with _one_thread():
            docs = list(nlp.pipe([_doc(nlp, texts[i]) for i in todo], batch_size=64))
    except Exception:      # noqa: BLE001 — one at a time, so that one failure costs one sentence
        return [parse(t, lang) if i in todo else None for i, t in enumerate(texts)]
    for i, doc in zip(todo, docs):
        out[i] = doc
    STATS["parsed"] += len(todo)
    return out


def parse(text: str, lang: str):
    """The parse of one sentence (a spaCy Doc, each token's sentence offsets in
    `doc.user_data["spans"]`), or None when there is no parser or the sentence is
    none it can handle (too long, hardly any letters, a failure)."""
    nlp = load(lang)
    if nlp is None:
        STATS["no parser"] += 1
        return None
    why = _parsable(text)
    if why:
        STATS[why] += 1
        return None
    try:
        doc = _doc(nlp, text)
        with _one_thread():
            for _, proc in nlp.pipeline:
                doc = proc(doc)
    except Exception as exc:       # noqa: BLE001 — a parser failure must never stop extraction
        STATS["failed"] += 1
        log.info("parse: failed (%s: %s), the patterns decide", type(exc).__name__, exc)
        return None
    STATS["parsed"] += 1
    return doc

