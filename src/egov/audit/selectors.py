"""Reading the audit trail: an object's history, and the agency's log page."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from egov.audit.models import AuditEntry, object_ref
from egov.policy.engine import scope


def history_for(obj: models.Model, *, limit: int = 50) -> list[AuditEntry]:
    """The entries about `obj`, newest first, with their actor; at most `limit`.

    The caller has already been allowed to see `obj`: its history goes with it.
    """
    object_type, object_id = object_ref(obj)
    return list(
        AuditEntry.objects.filter(object_type=object_type, object_id=object_id)
        .select_related("actor")
        .order_by("-id")[:limit]
    )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def entries_for(
    user: Any,
    *,
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries the user may read (`audit.view`, by agency), newest first, filtered.

    `action` matches an exact action or, ending with ".", every action of that prefix
    ("dossier." for all dossier actions). Dates are whole days in the local time zone.
    """
    rows = scope(AuditEntry.objects.all(), user, "audit.view", field="agency_id")
    if action:
        rows = (
            rows.filter(action__startswith=action)
            if action.endswith(".")
            else rows.filter(action=action)
        )
    if date_from is not None:
        rows = rows.filter(occurred_at__gte=_day_start(date_from))
    if date_to is not None:
        rows = rows.filter(occurred_at__lt=_day_start(date_to + timedelta(days=1)))
    return rows.select_related("actor").order_by("-id")
