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


def band_values(fingerprint: int) -> tuple[int, int, int, int]:
    """The 4 bands of a fingerprint as integers 0..65535 (what ``band_keys`` spells out)."""
    mask = (1 << _BAND_BITS) - 1
    b0, b1, b2, b3 = (fingerprint >> (i * _BAND_BITS) & mask for i in range(BANDS))
    return b0, b1, b2, b3


def to_signed(fingerprint: int) -> int:
    """The unsigned 64-bit fingerprint as a signed 64-bit integer (a database ``bigint``)."""
    fingerprint &= _MASK
    return fingerprint - (1 << BITS) if fingerprint >> (BITS - 1) else fingerprint


def to_unsigned(stored: int) -> int:
    """Back from the signed database value to the unsigned fingerprint."""
    return stored & _MASK


def title_signature(title: str) -> dict[str, int]:
    """The stored form of a title's fingerprint: the signed value and its 4 bands."""
    fingerprint = title_fingerprint(title)
    b0, b1, b2, b3 = band_values(fingerprint)
    return {
        "title_fingerprint": to_signed(fingerprint),
        "title_band0": b0,
        "title_band1": b1,
        "title_band2": b2,
        "title_band3": b3,
    }
