"""REST operations of the working calendar, mounted at /api/v1/calendar.

Deadlines are public knowledge (the portal shows a citizen when a dossier is due), so these
operations need no sign-in; changes go through the workspace page or the command line.
"""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from egov.calendar import selectors
from egov.calendar.arithmetic import WorkingCalendar
from egov.core.errors import NotFound, ValidationFailed
from egov.organisations.models import Agency

router = Router()


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    code: str
    errors: dict[str, list[str]] | None = None


class DueOut(Schema):
    start: datetime
    received_on: date
    working_days: int | None = None
    working_hours: float | None = None
    agency: str | None = None
    due: datetime


def _agency(code: str | None) -> Agency | None:
    if not code:
        return None
    agency = selectors.agency_by_code(code)
    if agency is None:
        raise NotFound(_("Không có cơ quan mã %(code)s.") % {"code": code})
    return agency


@router.get(
    "/due",
    response={200: DueOut, 404: ProblemOut, 422: ProblemOut},
    summary="Tính hạn xử lý",
    description="Hạn theo ngày làm việc (`working_days`: không tính ngày tiếp nhận; nhận sau giờ "
    "chốt của cơ quan hoặc vào ngày nghỉ thì tính là nhận vào ngày làm việc kế tiếp; hạn là cuối "
    "giờ làm việc của ngày làm việc thứ N — Bộ luật Dân sự 2015, Điều 147–148) hoặc theo giờ làm "
    "việc (`working_hours`). `from` theo ISO 8601; không ghi múi giờ thì hiểu là giờ Việt Nam.",
)
def due(
    request: HttpRequest,
    start: datetime = Query(..., alias="from"),  # noqa: B008
    working_days: int | None = None,
    working_hours: float | None = None,
    agency: str | None = None,
) -> DueOut:
    if (working_days is None) == (working_hours is None):
        raise ValidationFailed(
            _("Cần đúng một trong hai tham số working_days hoặc working_hours."),
            fields={"working_days": [_("Cần working_days hoặc working_hours.")]},
        )
    if (working_days is not None and working_days < 1) or (
        working_hours is not None and not 0 <= working_hours < 100_000
    ):
        field = "working_days" if working_days is not None else "working_hours"
        raise ValidationFailed(
            _("Số ngày phải từ 1, số giờ phải không âm."),
            fields={field: [_("Giá trị không hợp lệ.")]},
        )
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    the_agency = _agency(agency)
    calendar = WorkingCalendar.for_agency(the_agency)
    try:
        if working_days is not None:
            result = calendar.due_after_working_days(start, working_days)
        else:
            result = calendar.add_working_hours(start, working_hours or 0)
    except (ValueError, OverflowError) as exc:
        raise ValidationFailed(_("Không tính được hạn."), fields={"from": [str(exc)]}) from exc
    return DueOut(
        start=start.astimezone(calendar.tz),
        received_on=calendar.receipt_day(start),
        working_days=working_days,
        working_hours=working_hours,
        agency=the_agency.code if the_agency else None,
        due=result,
    )
