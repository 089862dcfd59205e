"""Faster draws than ``random.randint`` for the generator's hot loops (same stream, fewer calls)."""

from __future__ import annotations

import random


def ri(rng: random.Random, lo: int, hi: int) -> int:
    """A uniform integer in ``[lo, hi]``."""
    return lo + int(rng.random() * (hi - lo + 1))
