"""Statutory days off and make-up working days, read from the `holidays` package (pinned 0.108).

Where the package data ends and the administrators' table begins (docs/subsystems/calendar.md):

* days off: every date of `holidays.country_holidays("VN", years=Y, language="vi")`: fixed
  holidays, lunar Tết and Hùng Kings, observed days (a holiday on a weekend moves to the next
  working day) and the government's yearly swaps ("Ngày nghỉ (thay cho ngày …)");
* make-up working days: each swap moves a working day *from* a weekend day. The package keeps
  those weekend dates in `HolidayBase.weekend_workdays` (public attribute read by its own
  `is_working_day`), filled from its static table `special_public_holidays`, whose substituted
  entries are `(to_month, to_day, from_month, from_day[, from_year])`. We read the weekend
  dates from `weekend_workdays` and pair each with its day off through the same table, only to
  write the reason. Names are never parsed (their date format depends on the language).

No Django here: the result is cached per year for the life of the process (the package is
pinned, its data does not change while running).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from types import MappingProxyType

import holidays

from egov.calendar.arithmetic import DayRule

PACKAGE_REFERENCE = f"holidays {holidays.__version__} (Bộ luật Lao động 2019, Điều 112)"


def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year, language="vi")


def _swaps(calendar: holidays.HolidayBase, years: range) -> dict[date, date]:
    """Make-up weekend day -> the weekday given off in exchange, from the static table."""
    table = getattr(calendar, "special_public_holidays", {}) or {}
    pairs: dict[date, date] = {}
    for year in years:
        entries = table.get(year, ())
        if entries and not isinstance(entries[0], tuple):
            entries = (entries,)
        for entry in entries:
            if len(entry) < 4:  # a one-off holiday (month, day, name), not a swap
                continue
            to_month, to_day, from_month, from_day, *from_year = entry
            source = date(from_year[0] if from_year else year, from_month, from_day)
            pairs[source] = date(year, to_month, to_day)
    return pairs


@lru_cache(maxsize=256)
def statutory_days(year: int) -> Mapping[date, DayRule]:
    """Dates of `year` the package makes days off or make-up working days, with the reason."""
    calendar = _holidays(year)
    rules: dict[date, DayRule] = {}
    for day, name in sorted(calendar.items()):
        if day.year == year:
            rules[day] = DayRule(
                working=False, reason=name, legal_reference=PACKAGE_REFERENCE, source="package"
            )
    swaps = _swaps(calendar, range(year - 1, year + 2))
    for day in sorted(calendar.weekend_workdays):
        if day.year != year:
            continue
        off = swaps.get(day)
        reason = (
            f"Làm bù cho ngày nghỉ {off:%d/%m/%Y}" if off else "Ngày làm bù (theo dữ liệu ngày lễ)"
        )
        rules[day] = DayRule(
            working=True, reason=reason, legal_reference=PACKAGE_REFERENCE, source="package"
        )
    return MappingProxyType(rules)
