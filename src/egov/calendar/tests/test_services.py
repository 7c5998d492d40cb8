"""Services: the exceptions table and agency hours, audited, validated, seen by the calendar."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from egov.audit.models import AuditEntry
from egov.calendar.arithmetic import WorkingCalendar
from egov.calendar.models import CalendarException, WorkingPeriod
from egov.calendar.services import (
    calendar_exception_clear,
    calendar_exception_set,
    working_hours_set,
)
from egov.core.errors import PermissionDenied, ValidationFailed
from egov.organisations.models import RoleCode
from egov.organisations.testing import make_agency, make_staff

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def test_extra_day_off_for_everyone_is_audited_and_used() -> None:
    # Given a Wednesday receipt due Monday 08/03/2027
    assert WorkingCalendar.for_agency(None).due_after_working_days(at(2027, 3, 3, 9), 3) == at(
        2027, 3, 8, 17
    )
    # When the city gives Friday 05/03 off
    row = calendar_exception_set(
        actor=None,
        day=date(2027, 3, 5),
        working=False,
        reason="  Nghỉ đột xuất ",
        legal_reference="CV 1/UBND",
    )
    # Then the deadline moves one working day, for every agency
    assert row.reason == "Nghỉ đột xuất"
    agency = make_agency()
    for who in (None, agency):
        assert WorkingCalendar.for_agency(who).due_after_working_days(at(2027, 3, 3, 9), 3) == at(
            2027, 3, 9, 17
        )
    entry = AuditEntry.objects.get(action="calendar.exception_set")
    assert entry.actor_label == "hệ thống"
    assert entry.before is None and entry.after["is_working"] is False


def test_table_overrides_the_package_both_ways() -> None:
    calendar_exception_set(actor=None, day=date(2026, 8, 22), working=False, reason="Không làm bù")
    calendar_exception_set(
        actor=None, day=date(2027, 3, 6), working=True, reason="Làm bù", legal_reference="TB 9"
    )
    cal = WorkingCalendar.for_agency(None)
    assert not cal.is_working_day(date(2026, 8, 22))
    assert cal.is_working_day(date(2027, 3, 6))
    assert cal.periods_on(date(2027, 3, 6))[-1].end == time(17, 0)
    lines = [r.line() for r in cal.days_report(2027)]
    assert "2027-03-06 working Làm bù" in lines
    assert "2026-08-22 working" not in " ".join(r.line() for r in cal.days_report(2026))


def test_agency_row_wins_over_the_shared_row_and_stays_in_its_agency() -> None:
    mine, other = make_agency(), make_agency()
    calendar_exception_set(actor=None, day=date(2027, 3, 5), working=False, reason="Chung")
    calendar_exception_set(
        actor=None, day=date(2027, 3, 5), working=True, reason="Trực", agency=mine
    )
    assert WorkingCalendar.for_agency(mine).is_working_day(date(2027, 3, 5))
    assert not WorkingCalendar.for_agency(other).is_working_day(date(2027, 3, 5))
    assert not WorkingCalendar.for_agency(None).is_working_day(date(2027, 3, 5))


def test_setting_twice_replaces_and_clear_restores_the_package() -> None:
    calendar_exception_set(actor=None, day=date(2027, 3, 5), working=False, reason="Một")
    calendar_exception_set(actor=None, day=date(2027, 3, 5), working=False, reason="Hai")
    assert CalendarException.objects.get().reason == "Hai"
    second = AuditEntry.objects.filter(action="calendar.exception_set").order_by("id").last()
    assert second is not None and second.before["reason"] == "Một"
    calendar_exception_clear(actor=None, day=date(2027, 3, 5))
    assert not CalendarException.objects.exists()
    assert WorkingCalendar.for_agency(None).is_working_day(date(2027, 3, 5))
    cleared = AuditEntry.objects.get(action="calendar.exception_clear")
    assert cleared.before["reason"] == "Hai"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reason": "   "}, "reason"),
        ({"reason": "x" * 301}, "reason"),
        ({"legal_reference": "x" * 301}, "legal_reference"),
        ({"day": "2027-03-05"}, "day"),
        ({"day": datetime(2027, 3, 5, tzinfo=VN)}, "day"),
        ({"day": date(1900, 1, 1)}, "day"),
        ({"working": "yes"}, "working"),
    ],
)
def test_bad_exception_input_names_the_field_and_changes_nothing(kwargs: dict, field: str) -> None:
    args = {"actor": None, "day": date(2027, 3, 5), "working": False, "reason": "Lý do", **kwargs}
    with pytest.raises(ValidationFailed) as info:
        calendar_exception_set(**args)
    assert field in info.value.fields
    assert info.value.message.startswith("Dữ liệu không hợp lệ")
    assert not CalendarException.objects.exists()
    assert not AuditEntry.objects.exists()


def test_clearing_a_missing_exception_is_refused() -> None:
    with pytest.raises(ValidationFailed) as info:
        calendar_exception_clear(actor=None, day=date(2027, 3, 5))
    assert "day" in info.value.fields
    assert not AuditEntry.objects.exists()


def test_only_administrators_may_change_the_calendar() -> None:
    agency = make_agency()
    admin = make_staff(agency=agency, roles=[RoleCode.ADMINISTRATOR]).user
    specialist = make_staff(agency=agency, roles=[RoleCode.SPECIALIST]).user
    with pytest.raises(PermissionDenied):
        calendar_exception_set(
            actor=specialist, day=date(2027, 3, 5), working=False, reason="x", agency=agency
        )
    with pytest.raises(PermissionDenied):
        working_hours_set(actor=specialist, agency=agency, periods={0: [(time(8), time(12))]})
    calendar_exception_set(
        actor=admin, day=date(2027, 3, 5), working=False, reason="x", agency=agency
    )
    assert AuditEntry.objects.get().actor_id == admin.pk


def test_agency_hours_replace_the_default_and_can_be_removed() -> None:
    agency = make_agency()
    # A one-stop office open Monday–Saturday mornings 08:00–12:00, afternoons on weekdays.
    week = {d: [(time(8), time(12)), (time(13), time(17))] for d in range(5)}
    week[5] = [(time(8), time(12))]
    working_hours_set(actor=None, agency=agency, periods=week)
    assert WorkingPeriod.objects.filter(agency=agency).count() == 11
    cal = WorkingCalendar.for_agency(agency)
    assert cal.is_working_day(date(2027, 3, 6))  # a Saturday
    # Friday 16:00 + 2 working hours: 1 h on Friday, 1 h on Saturday morning.
    assert cal.add_working_hours(at(2027, 3, 5, 16), 2) == at(2027, 3, 6, 9)
    assert cal.due_after_working_days(at(2027, 3, 5, 9), 1) == at(2027, 3, 6, 12)
    # Saturday is regular here: never a "working" exception, but a Saturday holiday is "off".
    report = cal.days_report(2027)
    assert not any(r.working for r in report)
    assert "2027-05-01 off Ngày Quốc tế Lao động" in [r.line() for r in report]
    # Other agencies keep the default.
    assert not WorkingCalendar.for_agency(make_agency()).is_working_day(date(2027, 3, 6))
    working_hours_set(actor=None, agency=agency, periods=None)
    assert not WorkingPeriod.objects.filter(agency=agency).exists()
    assert not WorkingCalendar.for_agency(agency).is_working_day(date(2027, 3, 6))
    assert AuditEntry.objects.filter(action="calendar.working_hours_set").count() == 2


@pytest.mark.parametrize(
    "periods",
    [
        {7: [(time(8), time(12))]},
        {0: [(time(12), time(8))]},
        {0: [(time(8), time(12)), (time(11), time(13))]},
        {0: [("08:00", "12:00")]},
        {0: [], 1: []},
        {0: [(time(8),)]},
    ],
)
def test_bad_hours_are_refused_and_change_nothing(periods: dict) -> None:
    agency = make_agency()
    working_hours_set(actor=None, agency=agency, periods={0: [(time(9), time(10))]})
    with pytest.raises(ValidationFailed) as info:
        working_hours_set(actor=None, agency=agency, periods=periods)
    assert "periods" in info.value.fields
    assert list(
        WorkingPeriod.objects.filter(agency=agency).values_list("starts_at", flat=True)
    ) == [time(9)]


def test_cutoff_hour_comes_from_the_agency() -> None:
    late = make_agency(cutoff_time=time(15, 0))
    assert WorkingCalendar.for_agency(late).due_after_working_days(at(2027, 3, 3, 15, 30), 3) == at(
        2027, 3, 9, 17
    )
    assert WorkingCalendar.for_agency(make_agency()).due_after_working_days(
        at(2027, 3, 3, 15, 30), 3
    ) == at(2027, 3, 8, 17)
