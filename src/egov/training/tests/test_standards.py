"""The standard of Circular 03/2014 per person, and its coverage per agency."""

from __future__ import annotations

from datetime import date

import pytest

from egov.organisations.testing import make_agency, make_staff
from egov.training import selectors, services

pytestmark = pytest.mark.django_db

DAY = date(2025, 3, 1)
BASIC = [f"IU0{i}" for i in range(1, 7)]
ADVANCED = ["IU07", "IU08", "IU09", "IU10", "IU11", "IU12", "IU13", "IU14", "IU15"]


def _pass(staff, codes, *, passed=True, day=DAY):  # type: ignore[no-untyped-def]
    for code in codes:
        services.result_record(actor=None, staff=staff, module=code, taken_on=day, passed=passed)


def test_six_basic_modules_meet_the_basic_standard() -> None:
    staff = make_staff(agency=make_agency())
    _pass(staff, BASIC)

    standing = selectors.staff_standard(staff)

    assert standing.basic_met and not standing.advanced_met


def test_six_basic_modules_but_one_failed_do_not() -> None:
    staff = make_staff(agency=make_agency())
    _pass(staff, BASIC[:5])
    _pass(staff, BASIC[5:], passed=False)

    standing = selectors.staff_standard(staff)

    assert standing.basic_passed == 5
    assert not standing.basic_met


def test_a_failed_attempt_then_a_pass_counts_once() -> None:
    staff = make_staff(agency=make_agency())
    _pass(staff, BASIC)
    _pass(staff, ["IU01"], passed=False, day=date(2025, 1, 1))

    assert selectors.staff_standard(staff).basic_passed == 6


def test_basic_plus_exactly_three_advanced_meet_the_advanced_standard() -> None:
    staff = make_staff(agency=make_agency())
    _pass(staff, BASIC + ADVANCED[:2])
    assert not selectors.staff_standard(staff).advanced_met

    _pass(staff, ADVANCED[2:3])

    assert selectors.staff_standard(staff).advanced_met


def test_three_advanced_without_basic_are_not_enough() -> None:
    staff = make_staff(agency=make_agency())
    _pass(staff, BASIC[:5] + ADVANCED[:4])

    standing = selectors.staff_standard(staff)

    assert not standing.basic_met and not standing.advanced_met


def test_a_basic_certificate_is_the_basic_standard() -> None:
    staff = make_staff(agency=make_agency())
    services.certificate_record(
        actor=None, staff=staff, kind="basic", number="CB-1", issuer="ĐH Đà Nẵng", issued_on=DAY
    )

    standing = selectors.staff_standard(staff)

    assert standing.basic_met and not standing.advanced_met


def test_an_advanced_certificate_is_both_standards() -> None:
    staff = make_staff(agency=make_agency())
    services.certificate_record(
        actor=None, staff=staff, kind="advanced", number="NC-1", issuer="ĐH Đà Nẵng", issued_on=DAY
    )

    standing = selectors.staff_standard(staff)

    assert standing.basic_met and standing.advanced_met


def test_basic_certificate_plus_three_advanced_modules() -> None:
    staff = make_staff(agency=make_agency())
    services.certificate_record(
        actor=None, staff=staff, kind="basic", number="CB-2", issuer="ĐH Đà Nẵng", issued_on=DAY
    )
    _pass(staff, ADVANCED[:3])

    assert selectors.staff_standard(staff).advanced_met


def test_standing_at_a_day_ignores_later_evidence() -> None:
    staff = make_staff(agency=make_agency())
    _pass(staff, BASIC[:5], day=date(2024, 5, 1))
    _pass(staff, BASIC[5:], day=date(2025, 5, 1))

    assert not selectors.staff_standard(staff, at=date(2024, 12, 31)).basic_met
    assert selectors.staff_standard(staff, at=date(2025, 5, 1)).basic_met


def test_agency_coverage_counts_active_staff_only() -> None:
    agency = make_agency()
    basic, advanced, nothing = (make_staff(agency=agency) for _ in range(3))
    gone = make_staff(agency=agency)
    _pass(basic, BASIC)
    _pass(advanced, BASIC + ADVANCED[:3])
    _pass(gone, BASIC)
    gone.is_active = False
    gone.save()

    coverage = selectors.agency_training_coverage(agency)

    assert (coverage.staff_total, coverage.basic_met, coverage.advanced_met) == (3, 2, 1)
    assert coverage.basic_share == pytest.approx(2 / 3)
    assert nothing is not None


def test_coverage_of_an_empty_agency_is_unknown_not_zero() -> None:
    coverage = selectors.agency_training_coverage(make_agency())

    assert coverage.staff_total == 0 and coverage.basic_share is None
