"""Near-duplicate titles across merchants: SimHash fingerprints with band keys. Pure Python.

``title_fingerprint(title)`` is a 64-bit SimHash of the character 3-grams of the normalised
title (so full-width, traditional, spacing and symbol variants of a title get the same or a
close fingerprint). Two titles are near-duplicates when their fingerprints differ in at most
``NEAR_DUPLICATE_BITS`` bits. ``band_keys`` cuts a fingerprint into 4 bands of 16 bits: two
fingerprints within 3 bits of each other share at least one band (pigeonhole), so storing the 4
keys in an indexed column finds every candidate with one equality lookup per key; the
candidates are then confirmed with ``hamming``.
"""

from __future__ import annotations

import hashlib

from .normalise import fold

BITS = 64
BANDS = 4
NEAR_DUPLICATE_BITS = 3
_MASK = (1 << BITS) - 1
_BAND_BITS = BITS // BANDS


def _shingles(text: str, size: int = 3) -> list[str]:
    if len(text) <= size:
        return [text] if text else []
    return [text[i : i + size] for i in range(len(text) - size + 1)]


def _hash(shingle: str) -> int:
    digest = hashlib.blake2b(shingle.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def title_fingerprint(title: str) -> int:
    """The 64-bit SimHash of the normalised title (0 for an empty one)."""
    weights = [0] * BITS
    for shingle in _shingles(fold(title)):
        value = _hash(shingle)
        for bit in range(BITS):
            weights[bit] += 1 if value >> bit & 1 else -1
    return sum(1 << bit for bit, w in enumerate(weights) if w > 0) & _MASK


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def band_keys(fingerprint: int) -> list[str]:
    """The 4 band keys of a fingerprint, e.g. ``"2:9f3a"``."""
    mask = (1 << _BAND_BITS) - 1
    return [f"{i}:{fingerprint >> (i * _BAND_BITS) & mask:04x}" for i in range(BANDS)]


def near_duplicate(a: int, b: int, *, max_bits: int = NEAR_DUPLICATE_BITS) -> bool:
    return a != 0 and b != 0 and hamming(a, b) <= max_bits
