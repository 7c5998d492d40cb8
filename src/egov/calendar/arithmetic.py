"""Working-time arithmetic: pure, no database, no Django.

Everything here works on calendar *data* handed in by the caller (a weekly schedule, the
agency's cut-off hour, and a function giving each year's day overrides), so it can be
property-tested on its own. `egov.calendar.loader` builds that data from the database and the
`holidays` package; other apps reach it through `WorkingCalendar.for_agency(agency_or_None)`.

Rules (Civil Code 2015, Art. 147–148; see docs/subsystems/calendar.md):

* periods in **working days**: the day of receipt is not counted; a receipt after the agency's
  cut-off hour, or on a day that is not a working day, counts as received on the next working
  day; the period ends at the close of working hours on the N-th working day after the day of
  receipt;
* periods in **working hours** start at the given instant (no cut-off) and count only the time
  inside working periods; the result is the earliest instant at which the count is reached.

Internally a local (Asia/Ho_Chi_Minh) day is a list of periods in microseconds since midnight;
each year is turned once into a table with prefix sums, so adding and counting are a few
bisections whatever the distance.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from egov.organisations.models import Agency

_US_PER_SECOND = 1_000_000
_ONE_US = timedelta(microseconds=1)
# No search walks further than this: a calendar with no working day for years is a data error.
_MAX_YEARS_SEARCHED = 20


def _time_to_us(t: time) -> int:
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US_PER_SECOND + t.microsecond


def _us_to_time(us: int) -> time:
    seconds, micro = divmod(us, _US_PER_SECOND)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return time(hour, minute, second, micro)


@dataclass(frozen=True, order=True)
class Period:
    """One stretch of working time inside a day, `start` < `end`, both local times."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(f"period must end after it starts: {self.start}–{self.end}")

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


DayPeriods = tuple[Period, ...]
# Monday first, as `date.weekday()`.
Week = tuple[DayPeriods, DayPeriods, DayPeriods, DayPeriods, DayPeriods, DayPeriods, DayPeriods]

# Decision 188/1999/QĐ-TTg: a 40-hour week, Monday to Friday; the usual hours of state agencies.
DEFAULT_DAY: DayPeriods = (Period(time(7, 30), time(11, 30)), Period(time(13, 30), time(17, 0)))
DEFAULT_WEEK: Week = (DEFAULT_DAY,) * 5 + ((), ())  # type: ignore[assignment]


def normalise_periods(periods: Sequence[Period]) -> DayPeriods:
    """Sort a day's periods; refuse overlaps (touching periods are allowed)."""
    ordered = tuple(sorted(periods))
    for earlier, later in itertools.pairwise(ordered):
        if later.start < earlier.end:
            raise ValueError(f"periods overlap: {earlier} and {later}")
    return ordered


@dataclass(frozen=True)
class DayRule:
    """An override of the weekly schedule for one date: worked or not, and why."""

    working: bool
    reason: str
    legal_reference: str = ""
    source: str = "table"  # "package" (statutory data) or "table" (administrators' exceptions)


@dataclass(frozen=True)
class DayReport:
    """A date on which the calendar departs from the regular week (see `days_report`)."""

    day: date
    working: bool
    reason: str
    legal_reference: str
    source: str

    def line(self) -> str:
        return f"{self.day.isoformat()} {'working' if self.working else 'off'} {self.reason}"


@dataclass(frozen=True)
class WorkingTime:
    """Working time between two instants.

    `duration` counts only time inside working periods. `days` counts whole working days in
    the sense of Art. 147: working days after the day of receipt of the first instant whose
    close of working hours is not after the second instant.
    """

    duration: timedelta
    days: int

    @property
    def minutes(self) -> int:
        return self.duration // timedelta(minutes=1)

    @property
    def hours(self) -> float:
        return self.duration / timedelta(hours=1)


YearRules = Callable[[int], Mapping[date, DayRule]]


@dataclass(frozen=True)
class CalendarData:
    """What a working calendar is made of; `rules_for_year` is called at most once per year."""

    week: Week = DEFAULT_WEEK
    rules_for_year: YearRules = field(default=lambda year: {})
    # Hours of a weekend day made a working day (make-up Saturday): the regular weekday hours.
    makeup_day: DayPeriods = DEFAULT_DAY


class _Year:
    """One year, precomputed: periods per day and prefix sums of working time and days."""

    __slots__ = ("cum_days", "cum_us", "first", "periods", "rules")

    def __init__(self, year: int, data: CalendarData) -> None:
        self.first = date(year, 1, 1)
        self.rules = dict(data.rules_for_year(year))
        n = (date(year + 1, 1, 1) - self.first).days
        periods: list[tuple[tuple[int, int], ...]] = []
        cum_us = [0]
        cum_days = [0]
        for i in range(n):
            day = self.first + timedelta(days=i)
            regular = data.week[day.weekday()]
            rule = self.rules.get(day)
            if rule is None:
                chosen = regular
            elif rule.working:
                chosen = regular or data.makeup_day
            else:
                chosen = ()
            spans = tuple((_time_to_us(p.start), _time_to_us(p.end)) for p in chosen)
            periods.append(spans)
            cum_us.append(cum_us[-1] + sum(e - s for s, e in spans))
            cum_days.append(cum_days[-1] + (1 if spans else 0))
        self.periods = periods
        self.cum_us = cum_us
        self.cum_days = cum_days

    @property
    def total_us(self) -> int:
        return self.cum_us[-1]

    @property
    def total_days(self) -> int:
        return self.cum_days[-1]

    def index(self, day: date) -> int:
        return (day - self.first).days

    def offset_us(self, day: date, us: int) -> int:
        """Working time from 1 January 00:00 to `us` microseconds into `day`."""
        i = self.index(day)
        inside = sum(min(max(us - s, 0), e - s) for s, e in self.periods[i])
        return self.cum_us[i] + inside


class WorkingCalendar:
    """Working days and hours of one agency (or of the whole deployment when agency is None).

    Instants must be timezone-aware; results are aware, in the calendar's time zone.
    Year tables are built lazily and kept for the life of the object (the loader keeps objects
    per agency until an administrator changes the calendar).
    """

    def __init__(self, data: CalendarData, *, tz: tzinfo, cutoff: time | None = None) -> None:
        self.data = data
        self.tz = tz
        self.cutoff = cutoff
        self._years: dict[int, _Year] = {}

    @classmethod
    def for_agency(cls, agency: Agency | None) -> WorkingCalendar:
        """The calendar of `agency` (its hours, cut-off hour and exceptions), or the default."""
        from egov.calendar.loader import calendar_for_agency

        return calendar_for_agency(agency)

    def with_cutoff(self, cutoff: time | None) -> WorkingCalendar:
        """The same data (and year tables, shared) with another cut-off hour."""
        other = WorkingCalendar(self.data, tz=self.tz, cutoff=cutoff)
        other._years = self._years
        return other

    # --- days -------------------------------------------------------------------------------

    def _year(self, year: int) -> _Year:
        table = self._years.get(year)
        if table is None:
            if not 1 <= year <= 9998:
                raise ValueError(f"year out of range: {year}")
            table = _Year(year, self.data)
            self._years[year] = table
        return table

    def periods_on(self, day: date) -> DayPeriods:
        table = self._year(day.year)
        return tuple(
            Period(_us_to_time(s), _us_to_time(e)) for s, e in table.periods[table.index(day)]
        )

    def is_working_day(self, day: date) -> bool:
        table = self._year(day.year)
        return bool(table.periods[table.index(day)])

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self._nth_working_day_after(day, 1)

    def close_of(self, day: date) -> datetime:
        """The end of the last working period of a working day, as an aware instant."""
        table = self._year(day.year)
        spans = table.periods[table.index(day)]
        if not spans:
            raise ValueError(f"{day} is not a working day")
        return self._instant(day, spans[-1][1])

    def receipt_day(self, instant: datetime) -> date:
        """The day an instant counts as received (Art. 147 with the agency's cut-off hour)."""
        local = self._local(instant)
        day = local.date()
        late = self.cutoff is not None and local.time() > self.cutoff
        if late or not self.is_working_day(day):
            return self.next_working_day(day)
        return day

    def _nth_working_day_after(self, day: date, n: int) -> date:
        """The n-th working day after `day` (n >= 1), by bisection over the prefix sums."""
        table = self._year(day.year)
        wanted = table.cum_days[table.index(day) + 1] + n
        year = day.year
        for _ in range(_MAX_YEARS_SEARCHED + n // 100):
            if wanted <= table.total_days:
                j = bisect.bisect_left(table.cum_days, wanted)
                return table.first + timedelta(days=j - 1)
            wanted -= table.total_days
            year += 1
            table = self._year(year)
        raise ValueError(f"no working day found after {day}")

    def due_after_working_days(self, start: datetime, n: int) -> datetime:
        """Close of working hours on the n-th working day after the day of receipt of `start`.

        n >= 1. For "on the day", use `close_of(receipt_day(start))` (which may already be past
        when the receipt came after the close and the agency has no cut-off hour).
        """
        if n < 1:
            raise ValueError("n must be at least 1")
        return self.close_of(self._nth_working_day_after(self.receipt_day(start), n))

    def working_days_between(self, a: datetime, b: datetime) -> int:
        """Working days after the day of receipt of `a` whose close is not after `b`."""
        self._check_order(a, b)
        received = self.receipt_day(a)
        local_b = self._local(b)
        last = local_b.date()
        if last <= received:
            return 0
        count = self._working_days_in(received, last)
        if self.is_working_day(last) and self.close_of(last) > b:
            count -= 1
        return count

    def _working_days_in(self, after: date, until: date) -> int:
        """Working days d with after < d <= until."""
        first = self._year(after.year)
        if after.year == until.year:
            return first.cum_days[first.index(until) + 1] - first.cum_days[first.index(after) + 1]
        count = first.total_days - first.cum_days[first.index(after) + 1]
        for year in range(after.year + 1, until.year):
            count += self._year(year).total_days
        last = self._year(until.year)
        return count + last.cum_days[last.index(until) + 1]

    # --- hours ------------------------------------------------------------------------------

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The earliest instant at which `amount` of working time has passed since `start`."""
        if amount < timedelta(0):
            raise ValueError("amount must not be negative")
        local = self._local(start)
        if not amount:
            return local.replace(tzinfo=self.tz)
        table = self._year(local.year)
        target = table.offset_us(local.date(), self._us_of(local)) + amount // _ONE_US
        year = local.year
        for _ in range(_MAX_YEARS_SEARCHED + amount.days // 365):
            if target <= table.total_us:
                j = bisect.bisect_left(table.cum_us, target)
                day_index = j - 1
                remaining = target - table.cum_us[day_index]
                for s, e in table.periods[day_index]:
                    if remaining <= e - s:
                        return self._instant(table.first + timedelta(days=day_index), s + remaining)
                    remaining -= e - s
                raise AssertionError("prefix sums and periods disagree")  # pragma: no cover
            target -= table.total_us
            year += 1
            table = self._year(year)
        raise ValueError(f"no working time found after {start}")

    def add_working_hours(self, start: datetime, hours: float | int | timedelta) -> datetime:
        amount = hours if isinstance(hours, timedelta) else timedelta(hours=hours)
        return self.add_working_time(start, amount)

    def working_duration_between(self, a: datetime, b: datetime) -> timedelta:
        self._check_order(a, b)
        la, lb = self._local(a), self._local(b)
        ta = self._year(la.year)
        oa = ta.offset_us(la.date(), self._us_of(la))
        tb = self._year(lb.year)
        ob = tb.offset_us(lb.date(), self._us_of(lb))
        total = ob - oa
        for year in range(la.year, lb.year):
            total += self._year(year).total_us
        return timedelta(microseconds=total)

    def working_time_between(self, a: datetime, b: datetime) -> WorkingTime:
        """Working time (duration and whole working days) from `a` to `b` (`a` <= `b`).

        A pause, such as waiting for a citizen to supplement a dossier, is left out by counting
        the stretches before and after it separately.
        """
        return WorkingTime(
            duration=self.working_duration_between(a, b), days=self.working_days_between(a, b)
        )

    # --- reports ----------------------------------------------------------------------------

    def days_report(self, year: int) -> list[DayReport]:
        """Each date of `year` that departs from the regular week, in date order.

        A regular working day not worked is "off"; a regular day of rest worked is "working".
        Overrides that change nothing (a holiday falling on a Sunday) are left out.
        """
        table = self._year(year)
        report: list[DayReport] = []
        for day, rule in sorted(table.rules.items()):
            if day.year != year:
                continue
            regular = bool(self.data.week[day.weekday()])
            actual = bool(table.periods[table.index(day)])
            if regular != actual:
                report.append(
                    DayReport(day, actual, rule.reason, rule.legal_reference, rule.source)
                )
        return report

    # --- helpers ----------------------------------------------------------------------------

    def _local(self, instant: datetime) -> datetime:
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise ValueError("instant must be timezone-aware")
        return instant.astimezone(self.tz).replace(tzinfo=None)

    @staticmethod
    def _us_of(local: datetime) -> int:
        return _time_to_us(local.time())

    def _instant(self, day: date, us: int) -> datetime:
        return datetime.combine(day, _us_to_time(us), tzinfo=self.tz)

    def _check_order(self, a: datetime, b: datetime) -> None:
        if b < a:
            raise ValueError("the second instant is before the first")
