"""Reads for the calendar page and API: the exceptions table and the agency asked about."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from egov.calendar.models import CalendarException
from egov.organisations.models import Agency


def exceptions_of_year(*, year: int, agency: Agency | None) -> QuerySet[CalendarException]:
    """The table's rows for a year: shared rows and, when given, the agency's own rows."""
    scope = Q(agency__isnull=True)
    if agency is not None:
        scope |= Q(agency=agency)
    return (
        CalendarException.objects.filter(
            scope, day__gte=date(year, 1, 1), day__lt=date(year + 1, 1, 1)
        )
        .select_related("agency")
        .order_by("day", "agency_id")
    )


def agency_by_code(code: str) -> Agency | None:
    return Agency.objects.filter(code=code.strip()).first() if code and code.strip() else None


def agency_of_staff(user: object) -> Agency | None:
    """The agency of a signed-in staff member, or None."""
    user_id = getattr(user, "pk", None)
    if user_id is None:
        return None
    return Agency.objects.filter(staff__user_id=user_id, staff__is_active=True).first()
