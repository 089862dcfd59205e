"""Severity: one ordered scale for quality signals and rules. Pure Python."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """How much a finding matters, from ``info`` (record only) to ``critical`` (act now)."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """0 for ``info`` up to 4 for ``critical``: compare severities with it."""
        return _ORDER.index(self)

    @classmethod
    def at_least(cls, floor: Severity | str) -> list[Severity]:
        """Every severity equal to or above ``floor`` (for "high and worse" filters)."""
        bottom = cls(floor)
        return [s for s in _ORDER if s.rank >= bottom.rank]


_ORDER: tuple[Severity, ...] = (
    Severity.INFO,
    Severity.LOW,
    Severity.MEDIUM,
    Severity.HIGH,
    Severity.CRITICAL,
)
