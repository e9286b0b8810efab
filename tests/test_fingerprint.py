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


def test_fingerprint_shared_values_count_equal_minhash_values():
    """`shared_values` counts the positions where two signatures agree, read from their
    bands; near copies keep most, texts that share a sentence keep few."""
    rng = random.Random(5)
    words = [f"kata{i}" for i in range(3000)]
    text = " ".join(rng.choice(words) for _ in range(600))
    grams = fingerprint.shingles(text)
    own = fingerprint.bands(grams)
    assert fingerprint.shared_values(own, own) == 16
    assert fingerprint.shared_values(own, []) == 0
    other = fingerprint.bands(fingerprint.shingles(
        " ".join(rng.choice(words) for _ in range(600))))
    mixed = [own[0], *other[1:]]          # the first band of one, the rest of the other
    assert fingerprint.shared_values(own, mixed) == 2 + fingerprint.shared_values(own[1:],
                                                                                  other[1:])
    near, far = [], []
    for _ in range(20):
        edited = text.split()
        for i in rng.sample(range(len(edited)), 6):     # a few words changed: J about 0.9
            edited[i] = rng.choice(words)
        near.append(fingerprint.shared_values(own, fingerprint.bands(
            fingerprint.shingles(" ".join(edited)))))
        part = text.split()[:60] + [rng.choice(words) for _ in range(540)]   # a sentence
        far.append(fingerprint.shared_values(own, fingerprint.bands(fingerprint.shingles(
            " ".join(part)))))
    assert min(near) >= fingerprint.SHARED_VALUES and max(far) < fingerprint.SHARED_VALUES
