"""`AssignmentMonthlyFact`: incremental bumps (called inside the services' transactions) and
the full recomputation of one row from the live tables, to check the increments."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from egov.assignments.models import (
    OPEN_STATUSES,
    Assignment,
    AssignmentMonthlyFact,
    AssignmentStatus,
)

FIELDS = ("assigned", "done", "done_on_time", "done_late", "overdue_open")


def month_of(instant: datetime) -> date:
    """The first day of the month of an instant, in the project's time zone."""
    local = instant.astimezone(ZoneInfo(settings.TIME_ZONE))
    return local.date().replace(day=1)


def _month_bounds(month: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime(month.year, month.month, 1, tzinfo=zone)
    nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return start, datetime(nxt.year, nxt.month, 1, tzinfo=zone)


def fact_bump(*, agency_id: int, month: date, **deltas: int) -> None:
    """Add `deltas` to the row (agency, month) atomically (F expressions; row created first)."""
    deltas = {k: v for k, v in deltas.items() if v}
    if not deltas:
        return
    unknown = set(deltas) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown fact fields: {sorted(unknown)}")
    if not AssignmentMonthlyFact.objects.filter(agency_id=agency_id, month=month).exists():
        try:
            with transaction.atomic():
                AssignmentMonthlyFact.objects.create(agency_id=agency_id, month=month)
        except IntegrityError:
            pass  # created by a concurrent transaction
    AssignmentMonthlyFact.objects.filter(agency_id=agency_id, month=month).update(
        **{k: F(k) + v for k, v in deltas.items()}
    )


def facts_compute(*, agency_id: int, month: date) -> dict[str, int]:
    """The figures of (agency, month) counted from the live tables."""
    start, end = _month_bounds(month)
    rows = Assignment.objects.filter(owner_agency_id=agency_id, is_series=False)
    done = rows.filter(status=AssignmentStatus.DONE, completed_at__gte=start, completed_at__lt=end)
    return {
        "assigned": rows.filter(assigned_at__gte=start, assigned_at__lt=end).count(),
        "done": done.count(),
        "done_on_time": done.filter(on_time=True).count(),
        "done_late": done.filter(on_time=False).count(),
        "overdue_open": rows.filter(
            Q(status__in=OPEN_STATUSES),
            overdue_since__isnull=False,
            due_at__gte=start,
            due_at__lt=end,
        ).count(),
    }


@transaction.atomic
def facts_recompute(*, agency_id: int, month: date) -> AssignmentMonthlyFact:
    """Rebuild the row (agency, month) from the live tables and return it."""
    figures = facts_compute(agency_id=agency_id, month=month)
    fact, _created = AssignmentMonthlyFact.objects.update_or_create(
        agency_id=agency_id, month=month, defaults=figures
    )
    return fact
