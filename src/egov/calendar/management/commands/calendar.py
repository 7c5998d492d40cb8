"""`egov calendar due|days|set`: compute deadlines and edit the exceptions table."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from egov.calendar.arithmetic import WorkingCalendar
from egov.calendar.services import calendar_exception_clear, calendar_exception_set
from egov.core.errors import AppError
from egov.organisations.models import Agency


def _instant(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"thời điểm không hợp lệ: {value!r} (dùng dạng 2027-03-03T09:00)"
        ) from exc
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"ngày không hợp lệ: {value!r} (dùng dạng YYYY-MM-DD)"
        ) from exc


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"phải là số nguyên: {value!r}") from exc
    if number < 1:
        raise argparse.ArgumentTypeError("phải từ 1 trở lên")
    return number


def _non_negative_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"phải là một số: {value!r}") from exc
    if not number >= 0 or number == float("inf"):
        raise argparse.ArgumentTypeError("phải là số không âm")
    return number


def _add_agency(parser: CommandParser) -> None:
    parser.add_argument(
        "--agency",
        metavar="MÃ",
        help="Mã định danh của cơ quan (ví dụ 000.00.01.H15); bỏ trống: lịch chung "
        "(agency identifier code; default: the shared calendar)",
    )


class Command(BaseCommand):
    help = (
        "Lịch làm việc: tính hạn theo ngày hoặc giờ làm việc, liệt kê ngày nghỉ và ngày làm bù, "
        "sửa bảng ngày ngoại lệ. Working calendar: deadlines, days off, exceptions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", metavar="{due,days,set}", required=True)

        due = sub.add_parser(
            "due",
            help="Tính hạn xử lý (compute a due instant)",
            description="In hạn xử lý theo ISO 8601 có múi giờ. Theo ngày làm việc: không tính "
            "ngày tiếp nhận, hạn là cuối giờ làm việc của ngày làm việc thứ N (Bộ luật Dân sự "
            "2015, Điều 147–148). Theo giờ làm việc: cộng H giờ làm việc kể từ thời điểm đã cho.",
        )
        due.add_argument(
            "--from",
            dest="start",
            type=_instant,
            required=True,
            metavar="THỜI_ĐIỂM",
            help="Thời điểm tiếp nhận, ví dụ 2027-03-03T09:00 (giờ Việt Nam nếu không ghi múi giờ)",
        )
        amount = due.add_mutually_exclusive_group(required=True)
        amount.add_argument(
            "--working-days", type=_positive_int, metavar="N", help="Số ngày làm việc (từ 1)"
        )
        amount.add_argument(
            "--working-hours", type=_non_negative_float, metavar="H", help="Số giờ làm việc"
        )
        _add_agency(due)

        days = sub.add_parser(
            "days",
            help="Liệt kê ngày nghỉ, ngày làm bù của một năm (list a year's exceptions)",
            description="Mỗi dòng một ngày khác với tuần làm việc thường lệ (thứ Hai–thứ Sáu): "
            "'YYYY-MM-DD off <lý do>' cho ngày thường được nghỉ, 'YYYY-MM-DD working <lý do>' "
            "cho ngày nghỉ cuối tuần phải làm việc.",
        )
        days.add_argument("year", type=int, metavar="NĂM", help="Năm, ví dụ 2027")
        _add_agency(days)

        edit = sub.add_parser(
            "set",
            help="Sửa bảng ngày ngoại lệ (edit the exceptions table)",
            description="Đặt một ngày là ngày làm việc (--working, ví dụ thứ Bảy làm bù) hoặc "
            "ngày nghỉ (--off), hoặc bỏ ngoại lệ đã đặt (--clear). "
            "Ngoại lệ ghi đè dữ liệu ngày lễ.",
        )
        edit.add_argument("day", type=_day, metavar="YYYY-MM-DD", help="Ngày cần sửa")
        kind = edit.add_mutually_exclusive_group(required=True)
        kind.add_argument("--working", action="store_true", help="Là ngày làm việc")
        kind.add_argument("--off", action="store_true", help="Là ngày nghỉ")
        kind.add_argument("--clear", action="store_true", help="Bỏ ngoại lệ của ngày này")
        edit.add_argument("--reason", default="", metavar="LÝ_DO", help="Lý do (bắt buộc khi đặt)")
        edit.add_argument(
            "--legal-reference",
            default="",
            metavar="CĂN_CỨ",
            help="Căn cứ pháp lý, ví dụ số công văn, thông báo",
        )
        _add_agency(edit)

    def handle(self, *args: Any, **opts: Any) -> None:
        agency = self._agency(opts.get("agency"))
        try:
            getattr(self, f"_{opts['action']}")(agency, opts)
        except AppError as exc:
            details = "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.fields.items())
            raise CommandError(
                exc.message if not details else f"{exc.message} ({details})"
            ) from exc

    def _agency(self, code: str | None) -> Agency | None:
        if not code:
            return None
        agency = Agency.objects.filter(code=code.strip()).first()
        if agency is None:
            raise CommandError(f"Không có cơ quan mã {code!r} (unknown agency code).")
        return agency

    def _due(self, agency: Agency | None, opts: dict[str, Any]) -> None:
        calendar = WorkingCalendar.for_agency(agency)
        try:
            if opts["working_days"] is not None:
                due = calendar.due_after_working_days(opts["start"], opts["working_days"])
            else:
                due = calendar.add_working_hours(opts["start"], opts["working_hours"])
        except (ValueError, OverflowError) as exc:
            raise CommandError(f"Không tính được hạn: {exc}") from exc
        self.stdout.write(due.isoformat())

    def _days(self, agency: Agency | None, opts: dict[str, Any]) -> None:
        year = opts["year"]
        if not 1995 <= year <= 2100:
            raise CommandError("Năm phải trong khoảng 1995–2100.")
        for entry in WorkingCalendar.for_agency(agency).days_report(year):
            self.stdout.write(entry.line())

    def _set(self, agency: Agency | None, opts: dict[str, Any]) -> None:
        day = opts["day"]
        if opts["clear"]:
            calendar_exception_clear(actor=None, day=day, agency=agency)
            self.stdout.write(f"{day.isoformat()} cleared")
            return
        row = calendar_exception_set(
            actor=None,
            day=day,
            working=bool(opts["working"]),
            reason=opts["reason"],
            legal_reference=opts["legal_reference"],
            agency=agency,
        )
        self.stdout.write(
            f"{row.day.isoformat()} {'working' if row.is_working else 'off'} {row.reason}"
        )
