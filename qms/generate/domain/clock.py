"""Times as integers for the hot loops: seconds since the epoch (UTC) and date ordinals,
turned into the database text form through small caches instead of datetime objects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
DAY = 86400
_HMS: list[str] = []


def _hms() -> list[str]:
    if not _HMS:
        _HMS.extend(
            f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)
        )
    return _HMS


class Clock:
    """``text(seconds)`` -> ``YYYY-MM-DD HH:MM:SS`` (UTC), ``date(ordinal)`` -> ISO date,
    ``lapse(ordinal)`` -> seconds of a business-zone moment derived from a date (cached)."""

    def __init__(self, lapse_moment: Callable[[dt.date], dt.datetime]) -> None:
        self.hms = _hms()
        self._days: dict[int, str] = {}
        self._dates: dict[int, str] = {}
        self._lapse: dict[int, int] = {}
        self._lapse_moment = lapse_moment
        self.now_s = 0  # the data's present, set by the owner

    def date(self, ordinal: int) -> str:
        text = self._dates.get(ordinal)
        if text is None:
            text = self._dates[ordinal] = dt.date.fromordinal(ordinal).isoformat()
        return text

    def text(self, seconds: int) -> str:
        day, rest = divmod(seconds, DAY)
        head = self._days.get(day)
        if head is None:
            head = self._days[day] = self.date(day + EPOCH_ORDINAL)
        return f"{head} {self.hms[rest]}"

    def lapse(self, ordinal: int) -> int:
        value = self._lapse.get(ordinal)
        if value is None:
            value = self._lapse[ordinal] = int(
                self._lapse_moment(dt.date.fromordinal(ordinal)).timestamp()
            )
        return value

    @staticmethod
    def midnight(ordinal: int) -> int:
        """00:00 UTC of a date, in seconds."""
        return (ordinal - EPOCH_ORDINAL) * DAY
