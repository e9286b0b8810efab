"""Text fingerprints: the same article told twice is found on ingest.

Syndicated wire copy, one text saved as a file and as a JSON record, a page
re-published under a new URL: the words are (nearly) the same. A text's
fingerprint is the MinHash of its word trigrams; texts that share a band of it
are candidates, and a candidate is the same article when the trigrams of the two
texts overlap by SAME_TEXT or more (Jaccard). Bands are stored with each article
(`article_bands`), so a lookup is an index search, not a scan of the store.
"""
from __future__ import annotations

import hashlib
import re

SAME_TEXT = 0.8          # Jaccard of word trigrams from which two texts are one article
_PERMUTATIONS = 16
_ROWS = 2                # per band: 8 bands of 2; a pair at J=0.8 shares one with p > 0.999
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


def bands(grams: set[int]) -> list[str]:
    """The MinHash bands of a text's trigrams, as strings to store and look up."""
    if not grams:
        return []
    signature = [min((a * g + b) % _PRIME for g in grams) for a, b in _SEEDS]
    return [f"{i}:" + ":".join(map(str, signature[i * _ROWS:(i + 1) * _ROWS]))
            for i in range(_PERMUTATIONS // _ROWS)]
