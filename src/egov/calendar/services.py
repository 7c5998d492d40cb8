"""Every change to the working calendar: exceptions and agency working hours.

Keyword-only arguments, an explicit `actor` (a user, asked the policy `calendar.manage`, or
None for the system: the command line), one transaction, the audit row written inside it, and
the revision token swapped so cached calendars rebuild. Bad input raises `ValidationFailed`
naming the field, before anything is written.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any, NoReturn

from django.db import transaction
from django.utils.translation import gettext as _

from egov.audit.services import audit_record, snapshot
from egov.calendar.arithmetic import Period, normalise_periods
from egov.calendar.loader import REVISION_PK
from egov.calendar.models import CalendarException, CalendarRevision, Weekday, WorkingPeriod
from egov.core.errors import ValidationFailed
from egov.organisations.models import Agency
from egov.policy.engine import require

EXCEPTION_FIELDS = ("agency_id", "day", "is_working", "reason", "legal_reference")
TEXT_LIMIT = 300
# The package and the lunar calendar make sense in this range; outside it is surely a typo.
FIRST_YEAR, LAST_YEAR = 1995, 2100


def _authorise(actor: Any, agency: Agency | None) -> None:
    """Users are asked the policy; None is the system (command line, demo loader)."""
    if actor is not None:
        require(actor, "calendar.manage", agency)


def _refuse(field: str, message: str) -> NoReturn:
    raise ValidationFailed(
        _("Dữ liệu không hợp lệ: %(field)s: %(reason)s") % {"field": field, "reason": message},
        fields={field: [message]},
    )


def _check_day(day: Any) -> date:
    if isinstance(day, datetime) or not isinstance(day, date):
        _refuse("day", _("Ngày phải là một ngày lịch (YYYY-MM-DD)."))
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        _refuse(
            "day",
            _("Ngày phải trong khoảng năm %(first)d–%(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return day


def _check_agency(agency: Any) -> None:
    if agency is not None and (not isinstance(agency, Agency) or agency.pk is None):
        _refuse("agency", _("Cơ quan không hợp lệ."))


def _bump_revision() -> None:
    token = uuid.uuid4()
    if not CalendarRevision.objects.filter(pk=REVISION_PK).update(token=token):
        CalendarRevision.objects.update_or_create(pk=REVISION_PK, defaults={"token": token})


def calendar_exception_set(
    *,
    actor: Any,
    day: date,
    working: bool,
    reason: str,
    legal_reference: str = "",
    agency: Agency | None = None,
) -> CalendarException:
    """Mark `day` worked (`working=True`, e.g. a make-up Saturday) or off, for every agency
    (`agency=None`) or one; replaces an earlier exception for the same day and scope."""
    _check_agency(agency)
    _authorise(actor, agency)
    day = _check_day(day)
    if not isinstance(working, bool):
        _refuse("working", _("Phải chọn ngày làm việc hoặc ngày nghỉ."))
    reason = (reason or "").strip()
    legal_reference = (legal_reference or "").strip()
    if not reason:
        _refuse("reason", _("Lý do là bắt buộc."))
    if len(reason) > TEXT_LIMIT:
        _refuse("reason", _("Lý do tối đa %(n)d ký tự.") % {"n": TEXT_LIMIT})
    if len(legal_reference) > TEXT_LIMIT:
        _refuse("legal_reference", _("Căn cứ pháp lý tối đa %(n)d ký tự.") % {"n": TEXT_LIMIT})

    with transaction.atomic():
        existing = (
            CalendarException.objects.select_for_update().filter(agency=agency, day=day).first()
        )
        before = snapshot(existing, EXCEPTION_FIELDS) if existing else None
        row = existing or CalendarException(agency=agency, day=day)
        row.is_working = working
        row.reason = reason
        row.legal_reference = legal_reference
        row.save()
        _bump_revision()
        label = _("làm việc") if working else _("nghỉ")
        audit_record(
            actor=actor,
            action="calendar.exception_set",
            target=row,
            summary=_("Đặt ngày %(day)s là ngày %(label)s: %(reason)s")
            % {"day": f"{day:%d/%m/%Y}", "label": label, "reason": reason},
            before=before,
            after=snapshot(row, EXCEPTION_FIELDS),
        )
    return row


def calendar_exception_clear(*, actor: Any, day: date, agency: Agency | None = None) -> None:
    """Remove the exception for `day` in that scope; the package's data applies again."""
    _check_agency(agency)
    _authorise(actor, agency)
    day = _check_day(day)
    with transaction.atomic():
        row = CalendarException.objects.select_for_update().filter(agency=agency, day=day).first()
        if row is None:
            _refuse(
                "day",
                _("Không có ngày ngoại lệ nào vào ngày %(day)s.") % {"day": f"{day:%d/%m/%Y}"},
            )
        before = snapshot(row, EXCEPTION_FIELDS)
        row.delete()
        _bump_revision()
        audit_record(
            actor=actor,
            action="calendar.exception_clear",
            target=row,
            summary=_("Bỏ ngày ngoại lệ %(day)s") % {"day": f"{day:%d/%m/%Y}"},
            before=before,
            agency_id=agency.pk if agency is not None else None,
        )


PeriodsInput = Mapping[int, Sequence[tuple[time, time]]]


def _check_periods(periods: PeriodsInput) -> dict[int, tuple[Period, ...]]:
    checked: dict[int, tuple[Period, ...]] = {}
    for weekday, spans in periods.items():
        if weekday not in Weekday.values:
            _refuse("periods", _("Thứ trong tuần không hợp lệ: %(value)s.") % {"value": weekday})
        label = Weekday(weekday).label
        day_periods: list[Period] = []
        for span in spans:
            try:
                start, end = span
            except (TypeError, ValueError):
                _refuse(
                    "periods",
                    _("%(day)s: mỗi khoảng gồm giờ bắt đầu và giờ kết thúc.") % {"day": label},
                )
            if not isinstance(start, time) or not isinstance(end, time):
                _refuse("periods", _("%(day)s: giờ phải có dạng HH:MM.") % {"day": label})
            if not start < end:
                _refuse(
                    "periods",
                    _("%(day)s: giờ kết thúc %(end)s phải sau giờ bắt đầu %(start)s.")
                    % {"day": label, "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"},
                )
            day_periods.append(Period(start, end))
        try:
            checked[weekday] = normalise_periods(day_periods)
        except ValueError:
            _refuse(
                "periods", _("%(day)s: các khoảng giờ làm việc chồng lên nhau.") % {"day": label}
            )
    if periods and not any(checked.values()):
        _refuse("periods", _("Phải có ít nhất một khoảng giờ làm việc trong tuần."))
    return checked


def _period_rows(agency: Agency) -> list[str]:
    return [
        str(p) for p in WorkingPeriod.objects.filter(agency=agency).order_by("weekday", "starts_at")
    ]


def working_hours_set(*, actor: Any, agency: Agency, periods: PeriodsInput | None) -> None:
    """Replace the agency's weekly working hours: {weekday (0 = Monday): [(start, end), …]}.

    Weekdays left out are days of rest. `None` or `{}` removes the agency's own hours, so
    the default (Monday–Friday 07:30–11:30 and 13:30–17:00) applies again.
    """
    if agency is None:
        _refuse("agency", _("Phải chọn cơ quan."))
    _check_agency(agency)
    _authorise(actor, agency)
    checked = _check_periods(periods or {})
    with transaction.atomic():
        Agency.objects.select_for_update().filter(pk=agency.pk).first()
        before = _period_rows(agency)
        WorkingPeriod.objects.filter(agency=agency).delete()
        WorkingPeriod.objects.bulk_create(
            WorkingPeriod(agency=agency, weekday=weekday, starts_at=p.start, ends_at=p.end)
            for weekday, day_periods in sorted(checked.items())
            for p in day_periods
        )
        _bump_revision()
        after = _period_rows(agency)
        audit_record(
            actor=actor,
            action="calendar.working_hours_set",
            target=agency,
            summary=_("Đặt giờ làm việc của %(agency)s") % {"agency": agency.abbreviation}
            if after
            else _("Bỏ giờ làm việc riêng của %(agency)s, dùng giờ mặc định")
            % {"agency": agency.abbreviation},
            before={"periods": before},
            after={"periods": after},
        )
