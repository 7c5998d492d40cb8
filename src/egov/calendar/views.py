"""The calendar page of the workspace (/app/lich/): a year's days off and make-up days, and the
administrators' exceptions table with forms to add and clear rows (`calendar.manage`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.decorators import staff_required
from egov.calendar import selectors, services
from egov.calendar.arithmetic import WorkingCalendar
from egov.calendar.forms import SCOPE_AGENCY, ClearForm, ExceptionForm
from egov.core.errors import AppError
from egov.organisations.models import Agency
from egov.policy.engine import can

FIRST_YEAR, LAST_YEAR = services.FIRST_YEAR, services.LAST_YEAR
# Service field names -> form field names.
_FIELD_OF = {"working": "kind", "agency": "scope"}


def _managed_agency(request: HttpRequest) -> Agency | None:
    """The user's agency, once `calendar.manage` is granted there; otherwise 403."""
    agency = selectors.agency_of_staff(request.user)
    if agency is None or not can(request.user, "calendar.manage", agency):
        raise PermissionDenied
    return agency


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        return timezone.localdate().year
    return year if FIRST_YEAR <= year <= LAST_YEAR else timezone.localdate().year


def _page(
    request: HttpRequest, agency: Agency | None, year: int, form: ExceptionForm, status: int = 200
) -> HttpResponse:
    calendar = WorkingCalendar.for_agency(agency)
    context: dict[str, Any] = {
        "agency": agency,
        "year": year,
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < LAST_YEAR else None,
        "report": calendar.days_report(year),
        "rows": selectors.exceptions_of_year(year=year, agency=agency),
        "form": form,
        "scope_agency": SCOPE_AGENCY,
    }
    return render(request, "calendar/year.html", context, status=status)


@staff_required
def year_page(request: HttpRequest) -> HttpResponse:
    agency = _managed_agency(request)
    return _page(request, agency, _year(request), ExceptionForm())


def _to_year_page(year: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse('workspace:calendar:year')}?nam={year}")


@staff_required
@require_POST
def exception_set(request: HttpRequest) -> HttpResponse:
    agency = _managed_agency(request)
    form = ExceptionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.calendar_exception_set(
                actor=request.user,
                day=data["day"],
                working=data["kind"] == "working",
                reason=data["reason"],
                legal_reference=data["legal_reference"],
                agency=agency if data["scope"] == SCOPE_AGENCY else None,
            )
        except AppError as exc:
            for field, errors in (exc.fields or {"__all__": [exc.message]}).items():
                name = _FIELD_OF.get(field, field)
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            messages.success(
                request, _("Đã lưu ngày %(day)s.") % {"day": f"{data['day']:%d/%m/%Y}"}
            )
            return _to_year_page(data["day"].year)
    day = form.cleaned_data.get("day") if hasattr(form, "cleaned_data") else None
    return _page(request, agency, day.year if day else _year(request), form, status=422)


@staff_required
@require_POST
def exception_clear(request: HttpRequest) -> HttpResponse:
    agency = _managed_agency(request)
    form = ClearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Yêu cầu không hợp lệ."))
        return _to_year_page(_year(request))
    day = form.cleaned_data["day"]
    try:
        services.calendar_exception_clear(
            actor=request.user,
            day=day,
            agency=agency if form.cleaned_data["scope"] == SCOPE_AGENCY else None,
        )
    except AppError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Đã bỏ ngày ngoại lệ %(day)s.") % {"day": f"{day:%d/%m/%Y}"})
    return _to_year_page(day.year)
