"""`egov calendar due|days|set` through call_command, as the operator types them."""

from __future__ import annotations

from datetime import date, time
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from egov.audit.models import AuditEntry
from egov.calendar.models import CalendarException
from egov.organisations.testing import make_agency

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def test_due_in_working_days_prints_iso_with_offset() -> None:
    assert (
        run("due", "--from", "2027-03-03T09:00", "--working-days", "3")
        == "2027-03-08T17:00:00+07:00\n"
    )


def test_due_accepts_an_offset_and_working_hours() -> None:
    # 02:00 UTC is 09:00 in Viet Nam; + 3 working hours crosses the lunch break.
    assert (
        run("due", "--from", "2027-03-03T02:00+00:00", "--working-hours", "3")
        == "2027-03-03T14:00:00+07:00\n"
    )
    assert (
        run("due", "--from", "2027-03-03T09:00", "--working-hours", "0.5")
        == "2027-03-03T09:30:00+07:00\n"
    )


def test_due_uses_the_agency_cutoff() -> None:
    make_agency(code="000.00.01.H15", cutoff_time=time(15))
    args = ("due", "--from", "2027-03-03T16:00", "--working-days", "3")
    assert run(*args) == "2027-03-08T17:00:00+07:00\n"
    assert run(*args, "--agency", "000.00.01.H15") == "2027-03-09T17:00:00+07:00\n"


def test_days_lists_departures_from_the_week_in_order() -> None:
    lines = run("days", "2026").splitlines()
    assert lines == sorted(lines)
    assert "2026-08-22 working Làm bù cho ngày nghỉ 31/08/2026" in lines
    assert "2026-08-31 off Ngày nghỉ (thay cho ngày 22/08/2026)" in lines
    assert "2026-02-17 off Tết Nguyên Đán" in lines
    # Hùng Kings on Sunday 26/04/2026 is not listed; its observed Monday is.
    assert not any(line.startswith("2026-04-26") for line in lines)
    assert "2026-04-27 off Ngày Giỗ Tổ Hùng Vương (nghỉ bù)" in lines


def test_days_2027() -> None:
    assert run("days", "2027").splitlines()[:6] == [
        "2027-01-01 off Tết Dương lịch",
        "2027-02-04 off 29 Tết",
        "2027-02-05 off Giao thừa Tết Nguyên Đán",
        "2027-02-08 off Mùng ba Tết Nguyên Đán",
        "2027-02-09 off Mùng bốn Tết Nguyên Đán",
        "2027-02-10 off Mùng năm Tết Nguyên Đán",
    ]


def test_set_working_off_and_clear() -> None:
    run(
        "set", "2027-03-13", "--working", "--reason", "Làm bù", "--legal-reference", "TB 12/TB-UBND"
    )
    run("set", "2027-03-12", "--off", "--reason", "Nghỉ bù")
    assert run("days", "2027").count("2027-03-1") == 2
    assert "2027-03-13 working Làm bù" in run("days", "2027")
    row = CalendarException.objects.get(day=date(2027, 3, 13))
    assert row.legal_reference == "TB 12/TB-UBND" and row.agency is None
    assert run("set", "2027-03-13", "--clear") == "2027-03-13 cleared\n"
    assert "2027-03-13" not in run("days", "2027")
    assert AuditEntry.objects.count() == 3


def test_set_for_one_agency() -> None:
    agency = make_agency(code="000.00.02.H15")
    run("set", "2027-03-12", "--off", "--reason", "Kiểm kê", "--agency", "000.00.02.H15")
    assert CalendarException.objects.get().agency == agency
    assert "2027-03-12 off Kiểm kê" in run("days", "2027", "--agency", "000.00.02.H15")
    assert "2027-03-12" not in run("days", "2027")


@pytest.mark.parametrize(
    "args",
    [
        ("due", "--from", "2027-03-03T09:00", "--working-days", "3", "--agency", "999.99.99.H15"),
        ("days", "2027", "--agency", "không-có"),
        ("set", "2027-03-12", "--off", "--reason", "x", "--agency", "999.99.99.H15"),
    ],
)
def test_unknown_agency_is_a_clear_error(args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError, match="Không có cơ quan mã"):
        run(*args)
    assert not CalendarException.objects.exists()


def test_set_without_reason_is_refused_with_the_field() -> None:
    with pytest.raises(CommandError, match="reason"):
        run("set", "2027-03-12", "--off")
    with pytest.raises(CommandError, match="Không có ngày ngoại lệ"):
        run("set", "2027-03-12", "--clear")
    assert not CalendarException.objects.exists()


@pytest.mark.parametrize(
    "args",
    [
        ("due", "--from", "hôm qua", "--working-days", "3"),
        ("due", "--from", "2027-03-03T09:00", "--working-days", "-1"),
        ("due", "--from", "2027-03-03T09:00", "--working-days", "0"),
        ("due", "--from", "2027-03-03T09:00"),
        ("due", "--from", "2027-03-03T09:00", "--working-days", "1", "--working-hours", "1"),
        ("set", "2027-02-30", "--off", "--reason", "x"),
        ("set", "2027-03-12", "--off", "--working", "--reason", "x"),
        ("days", "1800"),
    ],
)
def test_bad_arguments_fail(args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError):
        run(*args)


def test_help_is_in_plain_words(capsys: pytest.CaptureFixture[str]) -> None:
    for sub in ("due", "days", "set"):
        with pytest.raises(SystemExit) as info:
            call_command("calendar", sub, "--help")
        assert info.value.code == 0
    out = capsys.readouterr().out
    assert "Điều 147–148" in out and "--working-days" in out and "--legal-reference" in out
