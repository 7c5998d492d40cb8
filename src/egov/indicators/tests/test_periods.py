"""Reporting periods: Decree 09/2019 cut-offs by default, calendar periods as an option."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from egov.indicators.periods import Period, month_bounds, parse_period, reporting_month

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=VN)


def test_decree_09_month_runs_from_the_15th_to_the_14th() -> None:
    assert reporting_month(at(2026, 3, 14, 23, 59)) == dt.date(2026, 3, 1)
    assert reporting_month(at(2026, 3, 15, 0, 0)) == dt.date(2026, 4, 1)
    assert reporting_month(at(2026, 12, 15, 8)) == dt.date(2027, 1, 1)
    # Vietnam time decides: 17:30 UTC on the 14th is 00:30 on the 15th in Vietnam.
    assert reporting_month(dt.datetime(2026, 3, 14, 17, 30, tzinfo=dt.UTC)) == dt.date(2026, 4, 1)
    assert month_bounds(dt.date(2026, 4, 1)) == (at(2026, 3, 15), at(2026, 4, 15))


def test_decree_09_quarter_half_and_year() -> None:
    assert Period(2026, "quarter", 1).bounds == (at(2025, 12, 15), at(2026, 3, 15))
    assert Period(2026, "quarter", 2).months == [dt.date(2026, m, 1) for m in (4, 5, 6)]
    assert Period(2026, "half", 1).bounds == (at(2025, 12, 15), at(2026, 6, 15))
    assert Period(2026, "year", 1).bounds == (at(2025, 12, 15), at(2026, 12, 15))


@override_settings(EGOV_INDICATORS_CUTOFF_DAY=1)
def test_calendar_option() -> None:
    assert reporting_month(at(2026, 3, 31, 23)) == dt.date(2026, 3, 1)
    assert reporting_month(at(2026, 3, 15)) == dt.date(2026, 3, 1)
    assert Period(2026, "quarter", 1).bounds == (at(2026, 1, 1), at(2026, 4, 1))
    assert Period(2026, "year", 1).bounds == (at(2026, 1, 1), at(2027, 1, 1))


@override_settings(EGOV_INDICATORS_CUTOFF_DAY=31)
def test_cutoff_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError):
        reporting_month(at(2026, 3, 1))


def test_trend_and_shift_cross_years() -> None:
    assert [p.label for p in Period(2026, "month", 2).trend(4)] == [
        "11/2025",
        "12/2025",
        "01/2026",
        "02/2026",
    ]
    assert Period(2026, "quarter", 1).shifted(-1) == Period(2025, "quarter", 4)
    assert Period(2026, "half", 2).shifted(1) == Period(2027, "half", 1)


def test_bad_periods() -> None:
    with pytest.raises(ValueError):
        Period(2026, "quarter", 5)
    with pytest.raises(ValueError):
        Period(2026, "week", 1)
    assert parse_period("quarter", "2026", "9").kind == "quarter"  # falls back to current
    assert parse_period("bogus", None, None).kind == "month"
