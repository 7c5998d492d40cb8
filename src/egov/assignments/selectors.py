"""Reads for the assignments pages and API: querysets with their joins chosen."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from egov.assignments.models import (
    OPEN_STATUSES,
    Assignment,
    AssignmentOwner,
    MeetingConclusion,
    Notice,
    WorkEvent,
    WorkEventStatus,
)
from egov.assignments.policy import assignments_visible_q, owned_by, staff_of
from egov.policy.engine import agency_filter


def _base() -> QuerySet[Assignment]:
    owners = AssignmentOwner.objects.select_related("agency", "unit", "staff__user")
    return (
        Assignment.objects.filter(is_series=False)
        .select_related("agency", "owner_agency", "assigner__user", "meeting")
        .prefetch_related(Prefetch("owners", queryset=owners))
    )


def late_q(now: Any = None) -> Q:
    return Q(status__in=OPEN_STATUSES, due_at__lt=now or timezone.now())


def assignments_mine(*, user: Any, open_only: bool = False) -> QuerySet[Assignment]:
    staff = staff_of(user)
    if staff is None:
        return Assignment.objects.none()
    qs = _base().filter(pk__in=owned_by(staff).values("assignment_id"))
    if open_only:
        qs = qs.filter(status__in=OPEN_STATUSES)
    return qs.order_by("due_at", "id")


def assignments_given(*, user: Any) -> QuerySet[Assignment]:
    staff = staff_of(user)
    if staff is None:
        return Assignment.objects.none()
    return _base().filter(assigner=staff).order_by("-assigned_at", "-id")


def assignments_board(
    *,
    user: Any,
    agency_id: int | None = None,
    status: str = "",
    late_only: bool = False,
    meeting_id: int | None = None,
    source_kind: str = "",
) -> QuerySet[Assignment]:
    """The leaders' board: assignments given in the agencies where the user may see the board,
    or owned by them; filters by owner agency, status, lateness and source."""
    qs = _base().filter(
        agency_filter(user, "assignment.board", field="agency")
        | agency_filter(user, "assignment.board", field="owner_agency")
    )
    if agency_id:
        qs = qs.filter(owner_agency_id=agency_id)
    if status:
        qs = qs.filter(status=status)
    if late_only:
        qs = qs.filter(late_q())
    if meeting_id:
        qs = qs.filter(meeting_id=meeting_id)
    if source_kind:
        qs = qs.filter(source_kind=source_kind)
    return qs.order_by("due_at", "id")


def meeting_conclusions(*, user: Any) -> QuerySet[MeetingConclusion]:
    staff = staff_of(user)
    if staff is None:
        return MeetingConclusion.objects.none()
    return MeetingConclusion.objects.filter(agency_filter(user, "assignment.view")).order_by(
        "-date", "-id"
    )


def meeting_for(*, user: Any, pk: int) -> MeetingConclusion | None:
    return meeting_conclusions(user=user).filter(pk=pk).first()


def assignment_detail_related(assignment: Assignment) -> dict[str, Any]:
    return {
        "owners": list(assignment.owners.select_related("agency", "unit", "staff__user")),
        "events": list(assignment.events.select_related("actor")),
        "progress": list(
            assignment.progress.select_related("author__user").prefetch_related("attachments")
        ),
        "extensions": list(
            assignment.extensions.select_related("requested_by__user", "decided_by__user")
        ),
    }


def visible_assignments(*, user: Any) -> QuerySet[Assignment]:
    return _base().filter(assignments_visible_q(user))


def notices_for(*, user: Any) -> QuerySet[Notice]:
    staff = staff_of(user)
    if staff is None:
        return Notice.objects.none()
    return (
        Notice.objects.filter(published_at__isnull=False)
        .filter(
            Q(agency_id=staff.agency_id) | Q(to_agencies=staff.agency_id) | Q(recipients__user=user)
        )
        .select_related("agency", "author__user")
        .distinct()
        .order_by("-published_at", "-id")
    )


def week_events(
    *, agency_id: int, week: date, published_only: bool = False, public_only: bool = False
) -> QuerySet[WorkEvent]:
    qs = WorkEvent.objects.filter(agency_id=agency_id, week=week).select_related("leader__user")
    if published_only:
        qs = qs.filter(status=WorkEventStatus.PUBLISHED)
    if public_only:
        qs = qs.filter(is_public=True, status=WorkEventStatus.PUBLISHED)
    return qs.order_by("starts_at", "id")


def week_days(week: date) -> list[date]:
    return [week + timedelta(days=i) for i in range(7)]
