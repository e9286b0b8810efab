"""Text fingerprints: the same article told twice is found on ingest.

Syndicated wire copy, one text saved as a file and as a JSON record, a page
re-published under a new URL: the words are (nearly) the same. A text's
fingerprint is the MinHash of its word trigrams; texts that share SHARED_BANDS
bands of it, and SHARED_VALUES of its values, are candidates, and a candidate is the
same article when the trigrams of the two texts overlap by SAME_TEXT or more
(Jaccard). Bands are stored with each article (`article_bands`), so a lookup is an
index search, not a scan of the store.
"""
from __future__ import annotations

import hashlib
import re

SAME_TEXT = 0.8          # Jaccard of word trigrams from which two texts are one article
_PERMUTATIONS = 16
_ROWS = 2                # per band: 8 bands of 2
# Candidates share at least this many bands: a pair at J=0.8 does with p > 0.995, at
# J=0.9 with p > 0.9999; texts that share a sentence or two (J of 0.1-0.3) do far
# less often than they share one band (19 candidates an article against 168, in a
# store of 10,000 articles of recombined sentences).
SHARED_BANDS = 2
# ... and at least this many of the 16 values (what the bands hold), checked before a
# candidate's text is read: a pair at J=0.8 shares 7 or more with p > 0.9997, at
# J=0.2 with p < 0.03 (binomial, 16 draws).
SHARED_VALUES = 7
_PRIME = (1 << 61) - 1
_SEEDS = [(int.from_bytes(hashlib.blake2b(f"a{i}".encode(), digest_size=8).digest(), "big") | 1,
           int.from_bytes(hashlib.blake2b(f"b{i}".encode(), digest_size=8).digest(), "big"))
          for i in range(_PERMUTATIONS)]
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[int]:
    """The text's word trigrams (lowercased), hashed to 64-bit integers."""
    words = _WORD.findall(text.lower())
    grams = (" ".join(words[i:i + 3]) for i in range(max(len(words) - 2, 1)))
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big")
            for g in grams}


def similarity(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def shared_values(a: list[str], b: list[str]) -> int:
    """How many MinHash values two fingerprints (their `bands`) have in common."""
    values = {}
    for band in a:
        number, *rows = band.split(":")
        values[number] = rows
    shared = 0
    for band in b:
        number, *rows = band.split(":")
        shared += sum(x == y for x, y in zip(values.get(number, ()), rows))
    return shared


def bands(grams: set[int]) -> list[str]:
    """The MinHash bands of a text's trigrams, as strings to store and look up."""
    if not grams:
        return []
    signature = _signature(grams) if _np is not None else _signature_python(grams)
    return [f"{i}:" + ":".join(map(str, signature[i * _ROWS:(i + 1) * _ROWS]))
            for i in range(_PERMUTATIONS // _ROWS)]


def _signature_python(grams: set[int]) -> list[int]:
    """min over the trigrams of (a * g + b) mod (2^61 - 1), for each seed (a, b)."""
    return [min((a * g + b) % _PRIME for g in grams) for a, b in _SEEDS]


try:            # numpy comes with py3langid; without it, the same in Python (slower)
    import numpy as _np
except ImportError:     # pragma: no cover
    _np = None
else:
    _U = _np.uint64
    _M = _U(_PRIME)
    _LOW = _U(0xFFFFFFFF)
    # the seeds reduced mod 2^61 - 1 and cut in 32-bit halves, one row per seed
    _A = _np.array([a % _PRIME for a, _ in _SEEDS], dtype=_U).reshape(-1, 1)
    _B = _np.array([b % _PRIME for _, b in _SEEDS], dtype=_U).reshape(-1, 1)
    _A_HIGH, _A_LOW = _A >> _U(32), _A & _LOW


def _fold(x: "_np.ndarray") -> "_np.ndarray":
    """x mod 2^61 - 1 up to one more subtraction (2^61 = 1 mod 2^61 - 1)."""
    return (x & _M) + (x >> _U(61))


def _signature(grams: set[int]) -> list[int]:
    """`_signature_python` exactly, in 64-bit integers: operands below 2^61 cut in 32-bit
    halves so that no product overflows, 2^61 and 2^64 folded to 1 and 8."""
    g = _np.fromiter((x % _PRIME for x in grams), dtype=_U, count=len(grams)).reshape(1, -1)
    g_high, g_low = g >> _U(32), g & _LOW
    high = _A_HIGH * g_high                        # < 2^58, weighs 2^64 = 8
    middle = _A_HIGH * g_low + _A_LOW * g_high     # < 2^62, weighs 2^32
    low = _fold(_A_LOW * g_low)                    # < 2^61 + 8
    total = (high << _U(3)) + (middle >> _U(29)) + ((middle & _U((1 << 29) - 1)) << _U(32)) \
        + low + _B                                 # < 2^63
    total = _fold(_fold(total))
    total = _np.where(total >= _M, total - _M, total)
    return [int(v) for v in total.min(axis=1)]
