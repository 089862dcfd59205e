from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qms.shared.calendars import (
    CALENDARS,
    BusinessCalendar,
    business_calendar,
    set_calendar_override,
)
from qms.shared.errors import ValidationFailed
from qms.shared.models import AuditEvent, CalendarOverride

SH = ZoneInfo("Asia/Shanghai")
CN = BusinessCalendar(CALENDARS["CN"])
DE = BusinessCalendar(CALENDARS["EU-DE"])


def at(y: int, m: int, d: int, h: int = 0, mi: int = 0, tz: Any = SH) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=tz)


# --- China 2026 (State Council notice 国办发明电〔2025〕7号) -----------------------------------


@pytest.mark.parametrize(
    "day", ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
)
def test_cn_make_up_working_days_on_weekends(day: str) -> None:
    d = dt.date.fromisoformat(day)
    assert d.weekday() >= 5
    assert CN.is_working_day(d)


@pytest.mark.parametrize(
    "day",
    [
        "2026-01-01",
        "2026-01-02",
        "2026-02-16",
        "2026-02-20",
        "2026-02-23",
        "2026-05-05",
        "2026-10-01",
        "2026-10-07",
    ],
)
def test_cn_holidays_are_days_off(day: str) -> None:
    assert not CN.is_working_day(dt.date.fromisoformat(day))


def test_ordinary_days() -> None:
    assert CN.is_working_day(dt.date(2026, 3, 10))  # Tuesday
    assert not CN.is_working_day(dt.date(2026, 3, 14))  # Saturday
    assert DE.is_working_day(dt.date(2026, 10, 2))
    assert not DE.is_working_day(dt.date(2026, 10, 3))  # German Unity Day (a Saturday anyway)
    assert not DE.is_working_day(dt.date(2026, 12, 25))


def test_add_working_days_over_spring_festival() -> None:
    # Fri 13 Feb 2026 -> Sat 14 Feb is a make-up working day; 15-23 Feb off; 24 Feb back.
    assert CN.add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 14)
    assert CN.add_working_days(dt.date(2026, 2, 14), 1) == dt.date(2026, 2, 24)
    assert CN.add_working_days(dt.date(2026, 2, 24), -1) == dt.date(2026, 2, 14)
    assert CN.add_working_days(dt.date(2026, 2, 13), 0) == dt.date(2026, 2, 13)


def test_working_days_after_keeps_the_local_time_of_day() -> None:
    # 15:30 Beijing on Fri 13 Feb 2026 (07:30 UTC): one working day later is Sat 14 Feb
    # (a make-up working day) at 15:30 Beijing, given and returned as UTC
    start = at(2026, 2, 13, 15, 30).astimezone(dt.UTC)
    assert CN.working_days_after(start, 1) == at(2026, 2, 14, 15, 30).astimezone(dt.UTC)
    assert CN.working_days_after(start, 2) == at(2026, 2, 24, 15, 30).astimezone(dt.UTC)
    with pytest.raises(ValueError):
        CN.working_days_after(dt.datetime(2026, 2, 13, 15, 30), 1)  # naive


def test_add_working_time_skips_lunch_nights_and_holidays() -> None:
    # Friday 30 Sep 2026 ... National Day 1-7 Oct, Sat 10 Oct is a working day.
    start = at(2026, 9, 30, 17)
    assert CN.add_working_time(start, dt.timedelta(hours=2)) == at(2026, 10, 8, 10).astimezone(
        dt.UTC
    )
    assert CN.add_working_time(at(2026, 3, 10, 11), dt.timedelta(hours=2)) == at(2026, 3, 10, 14)
    assert CN.add_working_time(at(2026, 3, 10, 20), dt.timedelta(minutes=1)) == at(
        2026, 3, 11, 9, 1
    )
    assert CN.add_working_time(at(2026, 3, 11, 9, 1), -dt.timedelta(minutes=2)) == at(
        2026, 3, 10, 17, 59
    )


def test_working_time_between_counts_only_working_hours() -> None:
    assert CN.working_time_between(at(2026, 3, 10, 8), at(2026, 3, 10, 20)) == dt.timedelta(hours=8)
    assert CN.working_time_between(at(2026, 3, 13, 12), at(2026, 3, 16, 10)) == dt.timedelta(
        hours=6
    )
    assert CN.working_time_between(at(2026, 3, 16, 10), at(2026, 3, 13, 12)) == -dt.timedelta(
        hours=6
    )


def test_dst_change_counts_real_hours() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # 29 Mar 2026: clocks go forward on Sunday night; Monday 9-17 is still 8 hours of work.
    assert DE.working_time_between(
        at(2026, 3, 27, 0, tz=berlin), at(2026, 3, 31, 0, tz=berlin)
    ) == (dt.timedelta(hours=16))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        CN.add_working_time(dt.datetime(2026, 3, 10, 9), dt.timedelta(hours=1))


@pytest.mark.django_db
def test_overrides_win_and_are_audited(admin_user: Any) -> None:
    assert business_calendar("CN").is_working_day(dt.date(2027, 2, 11))
    set_calendar_override(
        actor=admin_user,
        calendar="CN",
        date=dt.date(2027, 2, 11),
        is_working_day=False,
        note="国务院办公厅关于2027年部分节假日安排的通知",
    )
    set_calendar_override(
        actor=admin_user,
        calendar="CN",
        date=dt.date(2027, 2, 20),
        is_working_day=True,
        note="same notice: make-up working day",
    )
    cal = business_calendar("CN")
    assert not cal.is_working_day(dt.date(2027, 2, 11))
    assert cal.is_working_day(dt.date(2027, 2, 20))
    assert CalendarOverride.objects.count() == 2
    assert AuditEvent.objects.filter(action="calendar.override").count() == 2
    with pytest.raises(ValidationFailed) as exc:
        set_calendar_override(
            actor=admin_user,
            calendar="CN",
            date=dt.date(2027, 2, 9),
            is_working_day=False,
            note=" ",
        )
    assert exc.value.code == "calendar_note_required"


@pytest.mark.django_db
def test_unknown_calendar() -> None:
    with pytest.raises(ValidationFailed) as exc:
        business_calendar("XX")
    assert exc.value.code == "calendar_unknown"


# --- properties ----------------------------------------------------------------------------

moments = st.datetimes(
    min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2026, 12, 1), timezones=st.just(SH)
)
durations = st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(hours=200))
calendars = st.sampled_from([CN, DE])


@settings(max_examples=150, deadline=None)
@given(cal=calendars, start=moments, delta=durations)
def test_added_working_time_is_measured_back_exactly(
    cal: BusinessCalendar, start: dt.datetime, delta: dt.timedelta
) -> None:
    end = cal.add_working_time(start, delta)
    assert end >= start
    assert cal.working_time_between(start, end) == delta


@settings(max_examples=150, deadline=None)
@given(cal=calendars, start=moments, delta=durations)
def test_subtracting_is_the_inverse_of_adding(
    cal: BusinessCalendar, start: dt.datetime, delta: dt.timedelta
) -> None:
    end = cal.add_working_time(start, -delta)
    assert end <= start
    assert cal.working_time_between(end, start) == delta


@settings(max_examples=100, deadline=None)
@given(cal=calendars, a=moments, b=moments, c=moments)
def test_working_time_is_additive(
    cal: BusinessCalendar, a: dt.datetime, b: dt.datetime, c: dt.datetime
) -> None:
    a, b, c = sorted([a, b, c])
    assert cal.working_time_between(a, b) + cal.working_time_between(b, c) == (
        cal.working_time_between(a, c)
    )
    assert cal.working_time_between(a, c) <= c - a


@settings(max_examples=150, deadline=None)
@given(
    cal=calendars, day=st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 1)), n=st.integers(-40, 40)
)
def test_add_working_days_lands_on_a_working_day_n_away(
    cal: BusinessCalendar, day: dt.date, n: int
) -> None:
    result = cal.add_working_days(day, n)
    if n:
        assert cal.is_working_day(result)
    assert cal.working_days_between(day, result) == n
