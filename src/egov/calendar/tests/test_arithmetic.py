"""The pure arithmetic, without the database: invariants (hypothesis) and a slow oracle."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from egov.calendar.arithmetic import (
    DEFAULT_WEEK,
    CalendarData,
    DayRule,
    Period,
    WorkingCalendar,
    normalise_periods,
)
from egov.calendar.statutory import statutory_days

VN = ZoneInfo("Asia/Ho_Chi_Minh")
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def package_calendar(cutoff: time | None = None) -> WorkingCalendar:
    return WorkingCalendar(CalendarData(rules_for_year=statutory_days), tz=VN, cutoff=cutoff)


# --- strategies -------------------------------------------------------------------------------


@st.composite
def day_periods(draw: st.DrawFn) -> tuple[Period, ...]:
    """0–3 non-overlapping periods on a 15-minute grid."""
    marks = sorted(draw(st.sets(st.integers(0, 95), max_size=6)))
    if len(marks) % 2:
        marks = marks[:-1]
    periods = []
    for a, b in zip(marks[::2], marks[1::2], strict=True):
        periods.append(Period(time(a // 4, a % 4 * 15), time(b // 4, b % 4 * 15)))
    return normalise_periods(periods)


@st.composite
def weeks(draw: st.DrawFn) -> tuple[tuple[Period, ...], ...]:
    week = tuple(draw(day_periods()) for _ in range(7))
    assume(any(week))
    return week


@st.composite
def calendars(draw: st.DrawFn) -> WorkingCalendar:
    week = draw(st.one_of(st.just(DEFAULT_WEEK), weeks()))
    days = draw(
        st.dictionaries(
            st.dates(date(2025, 12, 1), date(2028, 1, 31)),
            st.booleans(),
            max_size=40,
        )
    )
    rules = {d: DayRule(working=w, reason="thử") for d, w in days.items()}
    makeup = next(p for p in week if p)
    cutoff = draw(st.one_of(st.none(), st.times()))

    def rules_for_year(year: int) -> dict[date, DayRule]:
        return {d: r for d, r in rules.items() if d.year == year}

    data = CalendarData(week=week, rules_for_year=rules_for_year, makeup_day=makeup)  # type: ignore[arg-type]
    return WorkingCalendar(data, tz=VN, cutoff=cutoff)


def instants() -> st.SearchStrategy[datetime]:
    # Naive local instants made aware; some given in UTC to exercise the conversion.
    local = st.datetimes(datetime(2026, 1, 1), datetime(2027, 6, 30)).map(
        lambda d: d.replace(tzinfo=VN)
    )
    return st.one_of(local, local.map(lambda d: d.astimezone(UTC)))


working_days = st.integers(1, 60)
amounts = st.integers(0, 400 * 60).map(lambda m: timedelta(minutes=m))


# --- a slow oracle: one day at a time ------------------------------------------------------------


def slow_periods(cal: WorkingCalendar, day: date) -> list[tuple[datetime, datetime]]:
    rule = cal.data.rules_for_year(day.year).get(day)
    regular = cal.data.week[day.weekday()]
    if rule is None:
        chosen = regular
    elif rule.working:
        chosen = regular or cal.data.makeup_day
    else:
        chosen = ()
    return [
        (datetime.combine(day, p.start, tzinfo=VN), datetime.combine(day, p.end, tzinfo=VN))
        for p in chosen
    ]


def slow_duration(cal: WorkingCalendar, a: datetime, b: datetime) -> timedelta:
    total = timedelta(0)
    day = a.astimezone(VN).date()
    while day <= b.astimezone(VN).date():
        for s, e in slow_periods(cal, day):
            lo, hi = max(s, a), min(e, b)
            if hi > lo:
                total += hi - lo
        day += timedelta(days=1)
    return total


def slow_due(cal: WorkingCalendar, start: datetime, n: int) -> datetime:
    local = start.astimezone(VN)
    day = local.date()
    if not slow_periods(cal, day) or (cal.cutoff is not None and local.time() > cal.cutoff):
        day += timedelta(days=1)
        while not slow_periods(cal, day):
            day += timedelta(days=1)
    counted = 0
    while counted < n:
        day += timedelta(days=1)
        if slow_periods(cal, day):
            counted += 1
    return slow_periods(cal, day)[-1][1]


# --- invariants -------------------------------------------------------------------------------


@FAST
@given(calendars(), instants(), working_days)
def test_due_agrees_with_the_day_by_day_oracle(
    cal: WorkingCalendar, start: datetime, n: int
) -> None:
    assert cal.due_after_working_days(start, n) == slow_due(cal, start, n)


@FAST
@given(calendars(), instants(), working_days)
def test_due_lands_on_the_close_of_a_working_day(
    cal: WorkingCalendar, start: datetime, n: int
) -> None:
    due = cal.due_after_working_days(start, n)
    assert due.utcoffset() == timedelta(hours=7)
    assert cal.is_working_day(due.date())
    assert due.timetz().replace(tzinfo=None) == cal.periods_on(due.date())[-1].end
    assert due > start


@FAST
@given(calendars(), instants(), instants(), working_days, working_days)
def test_due_is_monotonic(
    cal: WorkingCalendar, s1: datetime, s2: datetime, n1: int, n2: int
) -> None:
    s1, s2 = sorted((s1, s2))
    n1, n2 = sorted((n1, n2))
    assert cal.due_after_working_days(s1, n1) <= cal.due_after_working_days(s2, n1)
    assert cal.due_after_working_days(s1, n1) <= cal.due_after_working_days(s1, n2)


@FAST
@given(calendars(), instants(), working_days)
def test_counting_days_gives_back_n(cal: WorkingCalendar, start: datetime, n: int) -> None:
    due = cal.due_after_working_days(start, n)
    assert cal.working_time_between(start, due).days == n
    # One microsecond earlier the N-th day is not over yet.
    assert cal.working_days_between(start, due - timedelta(microseconds=1)) == n - 1


@FAST
@given(calendars(), instants(), amounts)
def test_counting_hours_gives_back_the_amount(
    cal: WorkingCalendar, start: datetime, amount: timedelta
) -> None:
    end = cal.add_working_hours(start, amount)
    assert cal.working_time_between(start, end).duration == amount
    assert slow_duration(cal, start, end) == amount


@FAST
@given(calendars(), instants(), amounts)
def test_added_hours_end_inside_working_time(
    cal: WorkingCalendar, start: datetime, amount: timedelta
) -> None:
    end = cal.add_working_hours(start, amount)
    if not amount:
        assert end == start
        return
    assert end > start
    local = end.astimezone(VN)
    assert cal.is_working_day(local.date())
    # Earliest instant: strictly after a period's start, at most its end.
    assert any(p.start < local.time() <= p.end for p in cal.periods_on(local.date()))


@FAST
@given(calendars(), instants(), instants(), amounts)
def test_adding_hours_is_monotonic(
    cal: WorkingCalendar, s1: datetime, s2: datetime, amount: timedelta
) -> None:
    s1, s2 = sorted((s1, s2))
    assert cal.add_working_hours(s1, amount) <= cal.add_working_hours(s2, amount)
    assert cal.add_working_hours(s1, amount) <= cal.add_working_hours(
        s1, amount + timedelta(minutes=1)
    )


@FAST
@given(calendars(), instants(), instants(), instants())
def test_durations_add_up_and_match_the_oracle(
    cal: WorkingCalendar, p1: datetime, p2: datetime, p3: datetime
) -> None:
    a, b, c = sorted((p1, p2, p3))
    ab, bc = cal.working_duration_between(a, b), cal.working_duration_between(b, c)
    assert ab + bc == cal.working_duration_between(a, c)
    assert ab == slow_duration(cal, a, b)


@FAST
@given(instants(), working_days, amounts)
def test_package_calendar_never_ends_on_a_day_off(
    start: datetime, n: int, amount: timedelta
) -> None:
    cal = package_calendar(cutoff=time(15, 0))
    due = cal.due_after_working_days(start, n)
    end = cal.add_working_hours(start, amount + timedelta(minutes=1))
    for instant in (due, end):
        day = instant.astimezone(VN).date()
        assert cal.is_working_day(day)
        rule = statutory_days(day.year).get(day)
        assert rule is None or rule.working
    assert cal.working_days_between(start, due) == n


# --- examples on the statutory calendar --------------------------------------------------------


def test_wednesday_receipt_three_days_ends_monday_close() -> None:
    assert package_calendar().due_after_working_days(at(2027, 3, 3, 9), 3).isoformat() == (
        "2027-03-08T17:00:00+07:00"
    )


def test_deadline_crosses_tet_2027() -> None:
    cal = package_calendar()
    # The package: 29 Tết Thu 04/02 to Mùng năm Wed 10/02/2027 (Tết itself on Saturday 06/02).
    for day in (4, 5, 8, 9, 10):
        assert not cal.is_working_day(date(2027, 2, day))
    assert cal.is_working_day(date(2027, 2, 3)) and cal.is_working_day(date(2027, 2, 11))
    # Received Wednesday 03/02: day 1 Thu 11/02, day 2 Fri 12/02, day 3 Mon 15/02.
    assert cal.due_after_working_days(at(2027, 2, 3, 10), 3) == at(2027, 2, 15, 17)
    assert cal.add_working_hours(at(2027, 2, 3, 16), 2) == at(2027, 2, 11, 8, 30)


def test_make_up_saturday_2026_counts_as_working() -> None:
    cal = package_calendar()
    assert cal.is_working_day(date(2026, 8, 22))
    assert cal.periods_on(date(2026, 8, 22)) == DEFAULT_WEEK[0]
    assert not cal.is_working_day(date(2026, 8, 31))
    assert cal.due_after_working_days(at(2026, 8, 21, 10), 1) == at(2026, 8, 22, 17)
    # Thu 27/08 + 2: Fri 28/08, then Mon 31/08, Tue 01/09 and Wed 02/09 are off: Thu 03/09.
    assert cal.due_after_working_days(at(2026, 8, 27, 10), 2) == at(2026, 9, 3, 17)
    report = {r.day: r for r in cal.days_report(2026)}
    assert report[date(2026, 8, 22)].working
    assert report[date(2026, 8, 22)].reason == "Làm bù cho ngày nghỉ 31/08/2026"


def test_cutoff_hour_moves_receipt_to_next_working_day() -> None:
    cal = package_calendar(cutoff=time(15, 0))
    assert cal.due_after_working_days(at(2027, 3, 3, 15, 0), 3) == at(2027, 3, 8, 17)
    assert cal.due_after_working_days(at(2027, 3, 3, 15, 1), 3) == at(2027, 3, 9, 17)
    # Friday after the cut-off: received Monday, day 1 is Tuesday.
    assert cal.receipt_day(at(2027, 3, 5, 16)) == date(2027, 3, 8)
    assert cal.due_after_working_days(at(2027, 3, 5, 16), 1) == at(2027, 3, 9, 17)
    # Without a cut-off (the default), the whole day counts as the day of receipt.
    assert package_calendar().due_after_working_days(at(2027, 3, 3, 23, 59), 3) == at(
        2027, 3, 8, 17
    )
    # Working hours start at the instant itself: no cut-off.
    assert cal.add_working_hours(at(2027, 3, 3, 15, 30), 1) == at(2027, 3, 3, 16, 30)


def test_weekend_receipt_counts_from_next_working_day() -> None:
    cal = package_calendar()
    assert cal.receipt_day(at(2027, 3, 6, 10)) == date(2027, 3, 8)
    assert cal.due_after_working_days(at(2027, 3, 6, 10), 1) == at(2027, 3, 9, 17)
    assert cal.close_of(cal.receipt_day(at(2027, 3, 7, 23))) == at(2027, 3, 8, 17)
    assert cal.add_working_hours(at(2027, 3, 6, 10), 1) == at(2027, 3, 8, 8, 30)


def test_hours_skip_the_lunch_break_and_stop_at_period_end() -> None:
    cal = package_calendar()
    assert cal.add_working_hours(at(2027, 3, 3, 7, 30), 4) == at(2027, 3, 3, 11, 30)
    assert cal.add_working_hours(at(2027, 3, 3, 11, 0), 1) == at(2027, 3, 3, 14, 0)
    # A default day is 7 h 30 (07:30–11:30, 13:30–17:00).
    assert cal.add_working_hours(at(2027, 3, 3, 7, 30), 7.5) == at(2027, 3, 3, 17)
    assert cal.add_working_hours(at(2027, 3, 3, 7, 30), 8) == at(2027, 3, 4, 8)
    assert cal.add_working_hours(at(2027, 3, 3, 12, 0), 0.5) == at(2027, 3, 3, 14, 0)
    worked = cal.working_time_between(at(2027, 3, 3, 9), at(2027, 3, 8, 17))
    # Wed 09:00–17:00 (6 h), Thu and Fri (7 h 30 each), Mon (7 h 30).
    assert (worked.hours, worked.minutes, worked.days) == (28.5, 1710, 3)


def test_a_pause_is_left_out_by_counting_around_it() -> None:
    cal = package_calendar()
    received, paused, resumed, done = (
        at(2027, 3, 1, 8),
        at(2027, 3, 2, 8),
        at(2027, 3, 9, 8),
        at(2027, 3, 10, 8),
    )
    worked = cal.working_duration_between(received, paused) + cal.working_duration_between(
        resumed, done
    )
    # 01/03 08:00 → 02/03 08:00 is 7 h 30, and so is 09/03 08:00 → 10/03 08:00.
    assert worked == timedelta(hours=15)


def test_deadline_crossing_new_year() -> None:
    cal = package_calendar()
    # Tết Dương lịch 2028 falls on Saturday: the package moves the day off to Monday 03/01.
    assert not cal.is_working_day(date(2028, 1, 3))
    # Thu 30/12/2027 + 2: Fri 31/12/2027, then Tue 04/01/2028.
    due = cal.due_after_working_days(at(2027, 12, 30, 9), 2)
    assert due == at(2028, 1, 4, 17)
    assert cal.working_days_between(at(2027, 12, 30, 9), due) == 2
    assert cal.working_duration_between(at(2027, 12, 31, 7, 30), due) == timedelta(hours=15)


def test_naive_instants_and_bad_amounts_are_refused() -> None:
    cal = package_calendar()
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.due_after_working_days(datetime(2027, 3, 3, 9), 1)
    for n in (0, -1):
        with pytest.raises(ValueError):
            cal.due_after_working_days(at(2027, 3, 3, 9), n)
    with pytest.raises(ValueError):
        cal.add_working_hours(at(2027, 3, 3, 9), -1)
    with pytest.raises(ValueError):
        cal.working_time_between(at(2027, 3, 3, 9), at(2027, 3, 2, 9))


def test_a_calendar_without_working_days_fails_loudly() -> None:
    empty = ((),) * 7
    cal = WorkingCalendar(CalendarData(week=empty), tz=VN)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no working"):
        cal.due_after_working_days(at(2027, 3, 3, 9), 1)
    with pytest.raises(ValueError, match="no working"):
        cal.add_working_hours(at(2027, 3, 3, 9), 1)


def test_overlapping_periods_are_refused() -> None:
    with pytest.raises(ValueError):
        normalise_periods([Period(time(8), time(12)), Period(time(11), time(13))])
    with pytest.raises(ValueError):
        Period(time(12), time(8))
    assert normalise_periods([Period(time(13), time(17)), Period(time(8), time(13))])[
        0
    ].start == time(8)


def test_a_year_table_is_built_once() -> None:
    calls: list[int] = []

    def rules_for_year(year: int) -> dict[date, DayRule]:
        calls.append(year)
        return {}

    cal = WorkingCalendar(CalendarData(rules_for_year=rules_for_year), tz=VN)
    for _ in range(3):
        cal.due_after_working_days(at(2027, 12, 20, 9), 10)
    assert calls == [2027, 2028]
