"""Vietnamese dates: Decree 30's leading zeros (days < 10, months 1 and 2) and the time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from egov.printing.dates import vn_date, vn_place_date, vn_time

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2027, 2, 5), "ngày 05 tháng 02 năm 2027"),
        (date(2027, 1, 31), "ngày 31 tháng 01 năm 2027"),
        (date(2009, 11, 5), "ngày 05 tháng 11 năm 2009"),
        (date(2027, 3, 15), "ngày 15 tháng 3 năm 2027"),
        (date(2027, 9, 9), "ngày 09 tháng 9 năm 2027"),
        (date(2027, 12, 10), "ngày 10 tháng 12 năm 2027"),
    ],
)
def test_vn_date_pads_days_below_ten_and_months_one_and_two(day: date, expected: str) -> None:
    assert vn_date(day) == expected


def test_place_and_date_line_as_in_decree_30() -> None:
    assert vn_place_date("Đà Nẵng", date(2009, 11, 5)) == "Đà Nẵng, ngày 05 tháng 11 năm 2009"


def test_vn_time_two_digit_clock() -> None:
    assert (
        vn_time(datetime(2027, 3, 3, 9, 5, tzinfo=VN)) == "09 giờ 05 phút, ngày 03 tháng 3 năm 2027"
    )


def test_aware_instants_are_shown_in_vietnamese_time() -> None:
    # 20:30 UTC on 4 February is 03:30 on 5 February in Hanoi/Da Nang.
    late_utc = datetime(2027, 2, 4, 20, 30, tzinfo=UTC)
    assert vn_time(late_utc) == "03 giờ 30 phút, ngày 05 tháng 02 năm 2027"
    assert vn_date(late_utc) == "ngày 05 tháng 02 năm 2027"


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="múi giờ"):
        vn_time(datetime(2027, 3, 3, 9, 30))
    with pytest.raises(ValueError):
        vn_date(datetime(2027, 3, 3, 9, 30))
