"""Business calendars: time zone, working hours, public holidays and adjusted working days.

Holidays come from the ``holidays`` package, which also knows China's make-up working days
(调休: a Saturday or Sunday declared a working day to bridge a holiday). It has them from the
State Council's yearly notice (国务院办公厅关于<year>年部分节假日安排的通知) for 2001-2026
(``holidays.countries.china.ChinaStaticHolidays.special_public_holidays``; its
``weekend_workdays``). Until a release carries the next year's notice (published each
November), add the notice's dates as ``CalendarOverride`` rows with the notice as note; an
override wins over the package for its calendar and date.

All arithmetic is done in UTC on intervals built in the calendar's zone, so DST changes in
the EU calendars count real elapsed time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction

from .errors import ValidationFailed

UTC = dt.UTC
MAX_SPAN_DAYS = 3 * 366  # a safety stop for walks over the calendar


@dataclass(frozen=True)
class CalendarSpec:
    code: str
    name: str
    time_zone: str
    country: str
    subdiv: str | None = None
    hours: tuple[tuple[dt.time, dt.time], ...] = ((dt.time(9), dt.time(18)),)
    weekend: frozenset[int] = field(default_factory=lambda: frozenset({5, 6}))


def _h(a: str, b: str) -> tuple[dt.time, dt.time]:
    return dt.time.fromisoformat(a), dt.time.fromisoformat(b)


CALENDARS: dict[str, CalendarSpec] = {
    spec.code: spec
    for spec in [
        CalendarSpec(
            "CN",
            "Mainland China",
            "Asia/Shanghai",
            "CN",
            hours=(_h("09:00", "12:00"), _h("13:00", "18:00")),
        ),
        CalendarSpec(
            "EU-DE",
            "Germany (national holidays)",
            "Europe/Berlin",
            "DE",
            hours=(_h("09:00", "17:00"),),
        ),
        CalendarSpec("EU-FR", "France", "Europe/Paris", "FR", hours=(_h("09:00", "17:00"),)),
        CalendarSpec(
            "EU-NL", "Netherlands", "Europe/Amsterdam", "NL", hours=(_h("09:00", "17:00"),)
        ),
        CalendarSpec("EU-IT", "Italy", "Europe/Rome", "IT", hours=(_h("09:00", "17:00"),)),
        CalendarSpec(
            "EU-ES",
            "Spain (national holidays)",
            "Europe/Madrid",
            "ES",
            hours=(_h("09:00", "17:00"),),
        ),
        CalendarSpec("EU-PL", "Poland", "Europe/Warsaw", "PL", hours=(_h("09:00", "17:00"),)),
    ]
}


@cache
def _holidays(country: str, subdiv: str | None) -> Any:
    import holidays

    return holidays.country_holidays(country, subdiv=subdiv, language="en_US")


class BusinessCalendar:
    """Working days and working time of one calendar. Build it with ``business_calendar``."""

    def __init__(self, spec: CalendarSpec, overrides: dict[dt.date, bool] | None = None) -> None:
        self.spec = spec
        self.code = spec.code
        self.tz = ZoneInfo(spec.time_zone)
        self.overrides = dict(overrides or {})
        self._hol = _holidays(spec.country, spec.subdiv)

    def __repr__(self) -> str:
        return f"<BusinessCalendar {self.code}>"

    # --- days ---------------------------------------------------------------------------
    def holiday_name(self, d: dt.date) -> str:
        return str(self._hol.get(d) or "")

    def is_working_day(self, d: dt.date) -> bool:
        if d in self.overrides:
            return self.overrides[d]
        is_holiday = d in self._hol  # also fills the package's data for d's year
        if d in self._hol.weekend_workdays:
            return True
        return d.weekday() not in self.spec.weekend and not is_holiday

    def add_working_days(self, d: dt.date, n: int) -> dt.date:
        """The date ``n`` working days after ``d`` (before, for negative ``n``); ``d`` itself
        is not counted, so ``n=0`` returns ``d``."""
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        cur = d
        walked = 0
        while remaining:
            cur += dt.timedelta(days=step)
            walked += 1
            if walked > MAX_SPAN_DAYS + abs(n) * 2:
                raise ValueError("No working days found; check the calendar overrides.")
            if self.is_working_day(cur):
                remaining -= 1
        return cur

    def working_days_after(self, moment: dt.datetime, n: int) -> dt.datetime:
        """The same local time of day ``n`` working days after ``moment`` (in UTC): a due time
        such as "answer within 15 working days" or "review within one working day"."""
        local = _aware(moment).astimezone(self.tz)
        day = self.add_working_days(local.date(), n)
        return dt.datetime.combine(day, local.time(), tzinfo=self.tz).astimezone(UTC)

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """The ``n`` with ``add_working_days(a, n) == b`` for a working day ``b``: working
        days in ``(a, b]``, or minus those in ``[b, a)`` when ``b`` is before ``a``."""
        if b < a:
            return -sum(
                1 for i in range((a - b).days) if self.is_working_day(b + dt.timedelta(days=i))
            )
        return sum(
            1 for i in range(1, (b - a).days + 1) if self.is_working_day(a + dt.timedelta(days=i))
        )

    # --- time ---------------------------------------------------------------------------
    def local_date(self, moment: dt.datetime) -> dt.date:
        return _aware(moment).astimezone(self.tz).date()

    def working_intervals(self, d: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The working hours of date ``d`` as UTC intervals (empty on a day off)."""
        if not self.is_working_day(d):
            return []
        return [
            (
                dt.datetime.combine(d, start, tzinfo=self.tz).astimezone(UTC),
                dt.datetime.combine(d, end, tzinfo=self.tz).astimezone(UTC),
            )
            for start, end in self.spec.hours
        ]

    def is_working_time(self, moment: dt.datetime) -> bool:
        m = _aware(moment).astimezone(UTC)
        return any(s <= m < e for s, e in self.working_intervals(self.local_date(m)))

    def add_working_time(self, moment: dt.datetime, delta: dt.timedelta) -> dt.datetime:
        """The moment after ``delta`` of working time from ``moment`` (UTC, aware).

        Time outside working hours does not count: 2 working hours from Friday 17:00 in the
        CN calendar is Monday 10:00 (or later after a holiday). A negative ``delta`` walks
        backwards.
        """
        cur = _aware(moment).astimezone(UTC)
        if delta == dt.timedelta(0):
            return cur
        forward = delta > dt.timedelta(0)
        remaining = abs(delta)
        day = self.local_date(cur)
        for _ in range(MAX_SPAN_DAYS + int(remaining.days * 3)):
            intervals = self.working_intervals(day)
            if forward:
                for start, end in intervals:
                    if end <= cur:
                        continue
                    begin = max(start, cur)
                    available = end - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
                day += dt.timedelta(days=1)
            else:
                for start, end in reversed(intervals):
                    if start >= cur:
                        continue
                    finish = min(end, cur)
                    available = finish - start
                    if remaining <= available:
                        return finish - remaining
                    remaining -= available
                day -= dt.timedelta(days=1)
        raise ValueError("The working time does not fit in the calendar's range.")

    def working_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """Working time from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
        a_utc, b_utc = _aware(a).astimezone(UTC), _aware(b).astimezone(UTC)
        if b_utc < a_utc:
            return -self.working_time_between(b_utc, a_utc)
        total = dt.timedelta(0)
        day, last = self.local_date(a_utc), self.local_date(b_utc)
        while day <= last:
            for start, end in self.working_intervals(day):
                lo, hi = max(start, a_utc), min(end, b_utc)
                if hi > lo:
                    total += hi - lo
            day += dt.timedelta(days=1)
        return total


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("Business calendars need time-zone-aware datetimes.")
    return moment


def business_calendar(code: str = "CN") -> BusinessCalendar:
    """The calendar ``code`` (``"CN"``, ``"EU-DE"``, …) with its reviewed overrides."""
    from .models import CalendarOverride

    spec = CALENDARS.get(code)
    if spec is None:
        raise ValidationFailed(
            f"Unknown business calendar {code!r}.", code="calendar_unknown", known=sorted(CALENDARS)
        )
    overrides = dict(
        CalendarOverride.objects.filter(calendar=code).values_list("date", "is_working_day")
    )
    return BusinessCalendar(spec, overrides)


@transaction.atomic
def set_calendar_override(
    *, actor: Any, calendar: str, date: dt.date, is_working_day: bool, note: str
) -> Any:
    """Declare ``date`` a working day or a day off in ``calendar``; ``note`` names the source
    (e.g. the State Council notice). Replaces an earlier override for the same date."""
    from .audit import record_event
    from .models import CalendarOverride

    if calendar not in CALENDARS:
        raise ValidationFailed(f"Unknown business calendar {calendar!r}.", code="calendar_unknown")
    if not note.strip():
        raise ValidationFailed("Name the source of the override.", code="calendar_note_required")
    existing = (
        CalendarOverride.objects.select_for_update().filter(calendar=calendar, date=date).first()
    )
    before = (
        {"is_working_day": existing.is_working_day, "note": existing.note} if existing else None
    )
    row, _ = CalendarOverride.objects.update_or_create(
        calendar=calendar,
        date=date,
        defaults={"is_working_day": is_working_day, "note": note.strip()[:300]},
    )
    record_event(
        actor=actor,
        obj=row,
        action="calendar.override",
        before=before,
        after={"is_working_day": is_working_day, "note": row.note},
    )
    return row
