"""Reporting periods and cut-off dates.

Facts are kept per *reporting month*. With ``EGOV_INDICATORS_CUTOFF_DAY = 15`` (the default,
Decree 09/2019/NĐ-CP) reporting month M runs from the 15th of M-1 to the 14th of M, so:

- quarter Q = reporting months 3Q-2 … 3Q (15th of the month before the quarter to the 14th of
  its last month);
- half-year H1 = months 1 … 6 (15/12 of the previous year to 14/06), H2 = 7 … 12;
- year = months 1 … 12 (15/12 of the previous year to 14/12).

Every Decree 09 period is a union of reporting months, so monthly facts give exact figures.
``EGOV_INDICATORS_CUTOFF_DAY = 1`` gives calendar periods. Changing the setting needs
``egov indicators_rebuild`` (the facts are re-keyed); the facts of other apps (documents,
assignments) are kept by calendar month and are read as they are (see the source's basis).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KINDS: dict[str, int] = {"month": 1, "quarter": 3, "half": 6, "year": 12}
KIND_LABELS = {
    "month": _("Tháng"),
    "quarter": _("Quý"),
    "half": _("6 tháng"),
    "year": _("Năm"),
}


def cutoff_day() -> int:
    day = int(getattr(settings, "EGOV_INDICATORS_CUTOFF_DAY", 15))
    if not 1 <= day <= 28:
        raise ValueError("EGOV_INDICATORS_CUTOFF_DAY must be between 1 and 28")
    return day


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def reporting_month(instant: dt.datetime | dt.date) -> dt.date:
    """The reporting month (its first day) an instant or local day counts in."""
    day = (
        timezone.localtime(instant, _zone()).date() if isinstance(instant, dt.datetime) else instant
    )
    first = day.replace(day=1)
    cut = cutoff_day()
    return _add_months(first, 1) if cut > 1 and day.day >= cut else first


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a reporting month as aware instants (local midnight)."""
    cut = cutoff_day()
    if cut == 1:
        start_day, end_day = month, _add_months(month, 1)
    else:
        start_day = _add_months(month, -1).replace(day=cut)
        end_day = month.replace(day=cut)
    zone = _zone()
    return (
        dt.datetime.combine(start_day, dt.time(), zone),
        dt.datetime.combine(end_day, dt.time(), zone),
    )


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str
    index: int  # month 1..12, quarter 1..4, half 1..2, year 1

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown period kind {self.kind!r}")
        if not 1 <= self.index <= 12 // KINDS[self.kind]:
            raise ValueError(f"no {self.kind} {self.index}")

    @property
    def months(self) -> list[dt.date]:
        size = KINDS[self.kind]
        first = (self.index - 1) * size + 1
        return [dt.date(self.year, m, 1) for m in range(first, first + size)]

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        return month_bounds(self.months[0])[0], month_bounds(self.months[-1])[1]

    @property
    def calendar_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) of the period's calendar months (for sources kept by calendar month)."""
        zone = _zone()
        return (
            dt.datetime.combine(self.months[0], dt.time(), zone),
            dt.datetime.combine(_add_months(self.months[-1], 1), dt.time(), zone),
        )

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.index:02d}/{self.year}"
        if self.kind == "quarter":
            return f"Quý {self.index}/{self.year}"
        if self.kind == "half":
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {self.year}"
        return f"Năm {self.year}"

    @property
    def slug(self) -> str:
        return f"{self.kind}-{self.year}-{self.index}"

    def shifted(self, n: int) -> Period:
        per_year = 12 // KINDS[self.kind]
        position = self.year * per_year + self.index - 1 + n
        return Period(position // per_year, self.kind, position % per_year + 1)

    def trend(self, count: int) -> list[Period]:
        """This period and the `count - 1` before it, oldest first."""
        return [self.shifted(-i) for i in range(count - 1, -1, -1)]


def period_containing(month: dt.date, kind: str) -> Period:
    size = KINDS[kind]
    return Period(month.year, kind, (month.month - 1) // size + 1)


def current_period(kind: str = "month", now: dt.datetime | None = None) -> Period:
    return period_containing(reporting_month(now or timezone.now()), kind)


def last_closed_month(now: dt.datetime | None = None) -> dt.date:
    """The latest reporting month that has ended."""
    return _add_months(reporting_month(now or timezone.now()), -1)


def parse_period(kind: str | None, year: str | None, index: str | None) -> Period:
    """A period from query parameters, the current one for what is missing or wrong."""
    kind = kind if kind in KINDS else "month"
    current = current_period(kind)
    try:
        return Period(int(year or current.year), kind, int(index or current.index))
    except (TypeError, ValueError):
        return current
