"""What we read from the pinned `holidays` package: days off, swaps and make-up Saturdays."""

from __future__ import annotations

from datetime import date

import holidays
import pytest

from egov.calendar.statutory import statutory_days


def test_the_package_is_the_pinned_version() -> None:
    # The swaps below are data of this release; a new release must be checked before bumping.
    assert holidays.__version__ == "0.108"


@pytest.mark.parametrize(
    ("year", "day_off", "make_up_saturday"),
    [
        (2024, date(2024, 4, 29), date(2024, 5, 4)),
        (2025, date(2025, 5, 2), date(2025, 4, 26)),
        (2026, date(2026, 8, 31), date(2026, 8, 22)),
    ],
)
def test_yearly_swap_gives_a_day_off_and_a_working_saturday(
    year: int, day_off: date, make_up_saturday: date
) -> None:
    rules = statutory_days(year)
    assert make_up_saturday.weekday() == 5
    assert not rules[day_off].working
    assert rules[day_off].reason == f"Ngày nghỉ (thay cho ngày {make_up_saturday:%d/%m/%Y})"
    assert rules[make_up_saturday].working
    assert rules[make_up_saturday].reason == f"Làm bù cho ngày nghỉ {day_off:%d/%m/%Y}"
    assert rules[make_up_saturday].source == "package"
    assert [d for d, r in rules.items() if r.working] == [make_up_saturday]


def test_cross_year_swap_lands_in_the_year_of_the_saturday() -> None:
    # 31/12/2018 off in exchange for Saturday 05/01/2019.
    assert not statutory_days(2018)[date(2018, 12, 31)].working
    assert date(2019, 1, 5) not in statutory_days(2018)
    assert statutory_days(2019)[date(2019, 1, 5)].reason == "Làm bù cho ngày nghỉ 31/12/2018"


def test_lunar_holidays_and_observed_days() -> None:
    rules_2027 = statutory_days(2027)
    assert rules_2027[date(2027, 2, 6)].reason == "Tết Nguyên Đán"
    assert rules_2027[date(2027, 4, 16)].reason == "Ngày Giỗ Tổ Hùng Vương"
    assert rules_2027[date(2027, 5, 3)].reason == "Ngày Quốc tế Lao động (nghỉ bù)"
    assert date(2027, 5, 3) in rules_2027 and not rules_2027[date(2027, 5, 3)].working
    assert not any(r.working for r in rules_2027.values())


def test_agrees_with_the_packages_own_working_day_test() -> None:
    for year in range(2018, 2031):
        package = holidays.country_holidays("VN", years=year)
        rules = statutory_days(year)
        for day, rule in rules.items():
            assert package.is_working_day(day) == rule.working, day


def test_result_is_read_only() -> None:
    with pytest.raises(TypeError):
        statutory_days(2026)[date(2026, 3, 3)] = None  # type: ignore[index]
