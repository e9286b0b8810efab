"""Text fingerprints: the MinHash signature computed in 64-bit integers (numpy) is the
one of the plain formula, so the bands stored by earlier versions still match."""
import random

from aliansi import fingerprint


def test_fingerprint_signature_equals_the_plain_formula():
    rng = random.Random(3)
    edges = {0, 1, fingerprint._PRIME - 1, fingerprint._PRIME, fingerprint._PRIME + 1,
             (1 << 61), (1 << 63), (1 << 64) - 1}
    for size in (1, 2, 3, 50, 400, 2000):
        for _ in range(20):
            grams = {rng.getrandbits(64) for _ in range(size)}
            for test in (grams, grams | edges):
                assert fingerprint._signature(test) == fingerprint._signature_python(test)


def test_fingerprint_bands_of_a_text():
    grams = fingerprint.shingles("Kapal Penjaga Pantai China menembakkan meriam air ke "
                                 "arah kapal Filipina di dekat Beting Scarborough.")
    signature = fingerprint._signature_python(grams)
    assert fingerprint.bands(grams) == [f"{i}:{signature[2 * i]}:{signature[2 * i + 1]}"
                                        for i in range(8)]
    assert fingerprint.bands(set()) == []
