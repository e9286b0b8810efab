"""Indonesian named entities (PER, LOC, ORG) with a linear-chain CRF.

The model is trained by `scripts/train_ner.py` on IDNer-news-2k and NERGrit and
ships as package data (`data/models/ner-id.crfsuite` with its lexicon
`ner-id.lexicon.json`: trigger words, a gazetteer and word clusters).

    tagger = NerTagger.load()
    tagger.entities("Presiden Joko Widodo tiba di Tokyo.")
    # [(9, 20, 'PER'), (29, 34, 'LOC')]

`read_conll` reads the 3-column CoNLL (token, UPOS, IOB) and the 2-column TSV
(token, IOB) forms; `evaluate` scores a tagger on such a file with exact-span,
conlleval-style precision, recall and F1.
"""
from __future__ import annotations

import json
import logging
import re
from importlib import resources
from pathlib import Path
from typing import Iterable

import pycrfsuite

from aliansi.errors import ConfigError, InputError

log = logging.getLogger(__name__)

TYPES = ("PER", "LOC", "ORG")
_BILOU_TO_IOB = {"L-": "I-", "U-": "B-"}
# NERGrit names its types differently.
TYPE_ALIASES = {"PERSON": "PER", "PLACE": "LOC", "ORGANISATION": "ORG", "ORGANIZATION": "ORG"}
DEFAULT_MODEL = "ner-id.crfsuite"  # in aliansi/data/models/

# Words (with inner hyphens or apostrophes: "Indo-Pasifik", "Ma'ruf"), numbers with
# separators ("1.500", "29/10/2013"), or any other single character.
TOKEN_RE = re.compile(r"\d+(?:[.,/:]\d+)+|\w+(?:[-'’]\w+)*|\S")
_PUNCT_RE = re.compile(r"^[^\w]+$")


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """Tokens of `text` as (start, end, token) with character offsets."""
    return [(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text)]


# ---------------------------------------------------------------- features

def _shape(word: str) -> str:
    out = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:6]


class _Gazetteer:
    """Longest-match lookup of multi-word names (case-insensitive, starting at a
    capitalised token); adds features such as "gaz=B-PER" to the tokens it covers."""

    def __init__(self, name: str, names_by_type: dict[str, list[str]]):
        self.name = name
        self.table: dict[tuple[str, ...], str] = {}
        for typ, names in names_by_type.items():
            for entry in names:
                self.table[tuple(entry.lower().split())] = typ
        # the longest name that starts with each word: most words start none
        self.longest: dict[str, int] = {}
        for key in self.table:
            self.longest[key[0]] = max(self.longest.get(key[0], 0), len(key))
        # Words of multi-word names ("Widodo" of "Joko Widodo"): "gazpart=PER".
        parts: dict[str, set[str]] = {}
        for key, typ in self.table.items():
            if len(key) > 1:
                for w in key:
                    parts.setdefault(w, set()).add(typ)
        self.parts = {w: [f"{name}part={t}" for t in sorted(ts)] for w, ts in parts.items()}

    def tag(self, tokens: list[str], lows: list[str], out: list[list[str]]) -> None:
        for i, low in enumerate(lows):
            if tokens[i][:1].isupper() and low in self.parts:
                out[i].extend(self.parts[low])
        i, n = 0, len(tokens)
        while i < n:
            if tokens[i][:1].isupper() and lows[i] in self.longest:
                for k in range(min(self.longest[lows[i]], n - i), 0, -1):
                    typ = self.table.get(tuple(lows[i:i + k]))
                    if typ:
                        out[i].append(f"{self.name}=B-{typ}")
                        for j in range(i + 1, i + k):
                            out[j].append(f"{self.name}=I-{typ}")
                        i += k - 1
                        break
            i += 1


class Featurizer:
    """Turns a token list into crfsuite feature strings.

    `lexicon` holds `triggers` ({kind: [lower-case words]}: titles before persons,
    heads of organisation and place names, …), `gazetteer` ({type: [names]}) and
    `clusters` ({lower-case word: space-separated word-class features such as
    "k32=5 k128=77 k512=300 nnp=3 cap=3"}, learnt from unlabelled text).
    """

    # Word-class features a token lends to its neighbours (the finest are its own).
    SHARED = ("k32=", "k128=", "nnp=", "cap=")
    NEIGHBOURS = (-2, -1, 1, 2)

    def __init__(self, lexicon: dict):
        self.triggers: dict[str, str] = {}
        for kind, words in lexicon.get("triggers", {}).items():
            for w in words:
                self.triggers[w.lower()] = kind
        self.clusters: dict[str, list[str]] = {w: v.split() for w, v in lexicon.get("clusters", {}).items()}
        # Names seen as entities in the training data ({type: [names]}) and place
        # names from geographic tables ({"PLACE": [names]}), tagged B-/I- by type.
        self.gazetteers = [
            _Gazetteer("gaz", lexicon.get("gazetteer", {})),
            _Gazetteer("geo", {"PLACE": lexicon.get("places", [])}),
        ]
        self._cache: dict[str, list[str]] = {}
        self._lent_cache: dict[str, tuple[list[str], ...]] = {}

    def _word_features(self, w: str) -> list[str]:
        feats = self._cache.get(w)
        if feats is not None:
            return feats
        low = w.lower()
        feats = [
            "w=" + low, "sh=" + _shape(w),
            "p2=" + low[:2], "p3=" + low[:3], "s2=" + low[-2:], "s3=" + low[-3:], "s4=" + low[-4:],
        ]
        if w[:1].isupper():
            feats.append("title")
            if w.isupper() and len(w) > 1:
                feats.append("upper")
        if any(ch.isdigit() for ch in w):
            feats.append("digit")
        if "-" in w:
            feats.append("hyph")
        if _PUNCT_RE.match(w):
            feats.append("punct")
        kind = self.triggers.get(low)
        if kind:
            feats.append("trig=" + kind)
        if self.clusters:
            feats.extend(self.clusters.get(low, ("unk",)))
        if len(self._cache) < 200_000:
            self._cache[w] = feats
        return feats

    def _lent(self, w: str, base: list[str]) -> tuple[list[str], ...]:
        """The features a word lends to its neighbours, one list per neighbour offset
        (`NEIGHBOURS`), each feature prefixed with the offset."""
        lent = self._lent_cache.get(w)
        if lent is None:
            small = ["w=" + base[0][2:], base[1]]
            small.extend(x for x in base[7:]
                         if x in ("title", "upper", "punct") or x.startswith(("trig=",) + self.SHARED))
            lent = tuple([f"{d}:{x}" for x in small] for d in self.NEIGHBOURS)
            if len(self._lent_cache) < 200_000:
                self._lent_cache[w] = lent
        return lent

    def __call__(self, tokens: list[str]) -> list[list[str]]:
        n = len(tokens)
        lows = [t.lower() for t in tokens]
        base = [self._word_features(t) for t in tokens]
        gaz = [[] for _ in range(n)]
        for g in self.gazetteers:
            g.tag(tokens, lows, gaz)
        lent = [self._lent(t, f) for t, f in zip(tokens, base)]
        out = []
        for i in range(n):
            feats = ["bias"] + base[i]
            feats.extend(gaz[i])
            if i == 0:
                feats.append("BOS")
            if i == n - 1:
                feats.append("EOS")
            for k, d in enumerate(self.NEIGHBOURS):
                j = i + d
                if 0 <= j < n:
                    feats.extend(lent[j][k])
                    if (d == -1 or d == 1) and gaz[j]:
                        feats.extend(f"{d}:{x}" for x in gaz[j])
            if i > 0:
                feats.append("bi-=" + lows[i - 1] + "|" + lows[i])
            if i < n - 1:
                feats.append("bi+=" + lows[i] + "|" + lows[i + 1])
            out.append(feats)
        return out


# ---------------------------------------------------------------- tagger

class NerTagger:
    """A CRF tagger over tokens, with `entities(text)` giving character spans."""

    def __init__(self, *, tagger: pycrfsuite.Tagger, featurizer: Featurizer, path: Path):
        self._tagger = tagger
        self.featurizer = featurizer
        self.path = path

    @classmethod
    def load(cls, path: Path | None = None) -> "NerTagger":
        """Load a model and the lexicon next to it (default: the packaged model)."""
        if path is not None:
            path = Path(path)
            return cls._load(path, lexicon_path(path))
        folder = resources.files("aliansi").joinpath("data", "models")
        model = folder.joinpath(DEFAULT_MODEL)
        lexicon = folder.joinpath(lexicon_path(Path(DEFAULT_MODEL)).name)
        with resources.as_file(model) as m, resources.as_file(lexicon) as lex:
            return cls._load(Path(m), Path(lex))

    @classmethod
    def _load(cls, path: Path, lex_path: Path) -> "NerTagger":
        if not path.is_file():
            raise ConfigError(f"NER model not found: {path}")
        if not lex_path.is_file():
            raise ConfigError(f"NER lexicon not found next to the model: {lex_path}")
        try:
            lexicon = json.loads(lex_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{lex_path}: not valid JSON ({exc})") from exc
        tagger = pycrfsuite.Tagger()
        try:
            tagger.open(str(path))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path}: not a crfsuite model ({exc})") from exc
        log.info("loaded NER model %s", path)
        return cls(tagger=tagger, featurizer=Featurizer(lexicon), path=path)

    def tag(self, tokens: list[str]) -> list[str]:
        """IOB tags (B-PER, I-LOC, O, …) for a list of tokens."""
        if not tokens:
            return []
        tags = self._tagger.tag(self.featurizer(tokens))
        # Models trained with BILOU tags: L- ends and U- is a single-token entity.
        return [_BILOU_TO_IOB.get(t[:2], t[:2]) + t[2:] for t in tags]

    def entities(self, text: str) -> list[tuple[int, int, str]]:
        """Entities in `text` as (start, end, type) character spans."""
        toks = tokenize(text)
        tags = self.tag([t for _, _, t in toks])
        return [(toks[s][0], toks[e - 1][1], typ) for s, e, typ in spans(tags)]


def lexicon_path(model_path: Path) -> Path:
    """The lexicon that goes with a model: `ner-id.crfsuite` → `ner-id.lexicon.json`."""
    return model_path.with_name(model_path.stem + ".lexicon.json")


def spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entity spans (start, end-exclusive, type) from IOB tags, conlleval-style:
    an I- tag that does not continue an entity of its type starts one."""
    out: list[tuple[int, int, str]] = []
    start, typ = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, t = tag.partition("-")
        if typ is not None and (prefix != "I" or t != typ):
            out.append((start, i, typ))
            start, typ = None, None
        if prefix == "B" or (prefix == "I" and typ is None):
            start, typ = i, t
    return out


# ---------------------------------------------------------------- data

def _normalise_tag(tag: str) -> str:
    if tag == "O":
        return tag
    prefix, sep, typ = tag.partition("-")
    if not sep or prefix not in ("B", "I"):
        raise ValueError(tag)
    return f"{prefix}-{TYPE_ALIASES.get(typ, typ)}"


def read_conll(path: Path | str) -> list[list[tuple[str, str]]]:
    """Sentences of (token, IOB tag) from a CoNLL file.

    Accepts whitespace-separated lines of token, [POS,] tag (the tag is the last
    column, so 3-column CoNLL and 2-column TSV both work); sentences are separated
    by blank lines; NERGrit type names are mapped to PER/LOC/ORG.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read ({exc})", origin=str(path)) from exc
    sentences, current = [], []
    for lineno, line in enumerate(lines, 1):
        cols = line.split()
        if not cols:
            if current:
                sentences.append(current)
            current = []
            continue
        if len(cols) < 2:
            raise InputError("expected 'token [POS] tag'", origin=str(path), record=lineno)
        try:
            current.append((cols[0], _normalise_tag(cols[-1])))
        except ValueError:
            raise InputError(f"not an IOB tag: {cols[-1]!r}", origin=str(path), record=lineno) from None
    if current:
        sentences.append(current)
    return sentences


def retokenize(sentence: list[tuple[str, str]]) -> tuple[list[str], list[str], list[int]]:
    """Split gold tokens the way `tokenize` splits text.

    Returns sub-tokens, their tags and, for each sub-token, the index of its gold
    token. Punctuation at the start of an entity's first token ("(PKB)") is left
    outside the entity, as is punctuation closing it when no I- token follows.
    """
    toks, tags, origin = [], [], []
    for k, (token, tag) in enumerate(sentence):
        pieces = TOKEN_RE.findall(token) or [token]
        prefix, _, typ = tag.partition("-")
        nxt = sentence[k + 1][1] if k + 1 < len(sentence) else "O"
        core = [i for i, p in enumerate(pieces) if not _PUNCT_RE.match(p)]
        first, last = (core[0], core[-1]) if core else (0, len(pieces) - 1)
        for i, p in enumerate(pieces):
            if tag == "O" or len(pieces) == 1:
                t = tag
            elif prefix == "B" and i < first:
                t = "O"
            elif i > last and not nxt.startswith("I-"):
                t = "O"
            elif prefix == "B" and i == first:
                t = tag
            else:
                t = "I-" + typ
            toks.append(p)
            tags.append(t)
            origin.append(k)
    return toks, tags, origin


def _project(sub_tags: list[str], origin: list[int], n: int, sub_toks: list[str]) -> list[str]:
    """Tags of the gold tokens from the tags of their sub-tokens: the first
    non-punctuation sub-token speaks for its token."""
    out: list[str | None] = [None] * n
    for tag, k, tok in zip(sub_tags, origin, sub_toks):
        if out[k] is None and not _PUNCT_RE.match(tok):
            out[k] = tag
    for tag, k in zip(sub_tags, origin):
        if out[k] is None:
            out[k] = tag
    return [t or "O" for t in out]


def predict_gold_tokens(tagger: NerTagger, sentence: Iterable[tuple[str, str]]) -> list[str]:
    """Tag a gold-tokenised sentence through the tagger's own tokenisation."""
    sentence = list(sentence)
    toks, _, origin = retokenize(sentence)
    return _project(tagger.tag(toks), origin, len(sentence), toks)


def score(gold: list[list[str]], pred: list[list[str]]) -> dict[str, dict[str, float]]:
    """Exact-span precision, recall and F1 per type and overall (conlleval)."""
    counts = {t: [0, 0, 0] for t in TYPES}  # true positives, predicted, gold
    for g, p in zip(gold, pred):
        gs, ps = set(spans(g)), set(spans(p))
        for s in gs | ps:
            c = counts.setdefault(s[2], [0, 0, 0])
            c[0] += s in gs and s in ps
            c[1] += s in ps
            c[2] += s in gs
    result = {t: _prf(*c) for t, c in counts.items()}
    result["overall"] = _prf(*(sum(c[i] for c in counts.values()) for i in range(3)))
    return result


def _prf(tp: int, npred: int, ngold: int) -> dict[str, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "support": ngold}


def evaluate(tagger: NerTagger, path: Path | str) -> dict[str, dict[str, float]]:
    """Score `tagger` on a CoNLL/TSV file: {"PER": {"precision", "recall", "f1",
    "support"}, "LOC": …, "ORG": …, "overall": …}; support is the gold count."""
    sentences = read_conll(path)
    gold = [[t for _, t in s] for s in sentences]
    pred = [predict_gold_tokens(tagger, s) for s in sentences]
    return score(gold, pred)
