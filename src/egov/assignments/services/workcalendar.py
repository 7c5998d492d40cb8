"""The leaders' work calendar (lịch công tác): the office edits, the agency leader approves,
then it is published to staff and, for public entries, on the portal."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from egov.assignments.models import WorkEvent, WorkEventStatus
from egov.assignments.policy import staff_of
from egov.audit.services import audit_record, snapshot
from egov.core.errors import Conflict, PermissionDenied, ValidationFailed
from egov.organisations.models import StaffMember
from egov.policy.engine import can

FIELDS = ("title", "starts_at", "ends_at", "location", "participants", "is_public", "status")


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _staff_with(actor: Any, action: str, message: str) -> StaffMember:
    staff = staff_of(actor)
    if staff is None or not can(actor, action, staff.agency):
        raise PermissionDenied(message)
    return staff


def _validate(
    *,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    leader: StaffMember | None,
    agency_id: int,
) -> str:
    title = (title or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["Bắt buộc."]
    if starts_at is None or ends_at is None:
        errors["starts_at"] = ["Bắt buộc."]
    elif ends_at < starts_at:
        errors["ends_at"] = ["Kết thúc phải sau bắt đầu."]
    if leader is not None and leader.agency_id != agency_id:
        errors["leader"] = ["Lãnh đạo không thuộc cơ quan."]
    if errors:
        raise ValidationFailed("Lịch công tác chưa hợp lệ.", fields=errors)
    return title


@transaction.atomic
def work_event_save(
    *,
    actor: Any,
    event: WorkEvent | None = None,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    location: str = "",
    participants: str = "",
    leader: StaffMember | None = None,
    is_public: bool = False,
) -> WorkEvent:
    """Create or edit an entry (the office: clerk or administrator). Editing an approved or
    published entry takes it back to draft: it must be approved again."""
    staff = _staff_with(actor, "workcalendar.edit", "Chỉ văn phòng mới soạn được lịch công tác.")
    title = _validate(
        title=title, starts_at=starts_at, ends_at=ends_at, leader=leader, agency_id=staff.agency_id
    )
    before = None
    if event is None:
        event = WorkEvent(agency=staff.agency)
    else:
        event = WorkEvent.objects.select_for_update().get(pk=event.pk)
        if event.agency_id != staff.agency_id:
            raise PermissionDenied()
        before = snapshot(event, FIELDS)
    event.title = title
    event.starts_at = starts_at
    event.ends_at = ends_at
    event.week = week_of(timezone.localtime(starts_at).date())
    event.location = location or ""
    event.participants = participants or ""
    event.leader = leader
    event.is_public = is_public
    event.status = WorkEventStatus.DRAFT
    event.approved_by = None
    event.published_at = None
    event.save()
    audit_record(
        actor=actor,
        action="workcalendar.edit",
        target=event,
        summary=title,
        before=before,
        after=snapshot(event, FIELDS),
    )
    return event


@transaction.atomic
def work_week_approve(*, actor: Any, week: date) -> int:
    """The agency leader approves every draft entry of the week."""
    staff = _staff_with(actor, "workcalendar.approve", "Chỉ lãnh đạo cơ quan mới duyệt lịch.")
    rows = list(
        WorkEvent.objects.select_for_update().filter(
            agency_id=staff.agency_id, week=week_of(week), status=WorkEventStatus.DRAFT
        )
    )
    if not rows:
        raise Conflict("nothing_to_approve", "Tuần này không có lịch nào chờ duyệt.")
    for event in rows:
        event.status = WorkEventStatus.APPROVED
        event.approved_by = staff
        event.save(update_fields=["status", "approved_by", "updated_at"])
        audit_record(actor=actor, action="workcalendar.approve", target=event, summary=event.title)
    return len(rows)


@transaction.atomic
def work_week_publish(*, actor: Any, week: date) -> int:
    """Publish the approved entries of the week (staff see them; public ones on the portal).
    Refused while drafts remain."""
    staff = _staff_with(actor, "workcalendar.publish", "Bạn không có quyền công bố lịch.")
    rows = WorkEvent.objects.select_for_update().filter(
        agency_id=staff.agency_id, week=week_of(week)
    )
    if rows.filter(status=WorkEventStatus.DRAFT).exists():
        raise Conflict(
            "drafts_remain", "Còn lịch chưa được duyệt: cần lãnh đạo duyệt trước khi công bố."
        )
    approved = list(rows.filter(status=WorkEventStatus.APPROVED))
    if not approved:
        raise Conflict("nothing_to_publish", "Tuần này không có lịch đã duyệt để công bố.")
    now = timezone.now()
    for event in approved:
        event.status = WorkEventStatus.PUBLISHED
        event.published_at = now
        event.save(update_fields=["status", "published_at", "updated_at"])
        audit_record(actor=actor, action="workcalendar.publish", target=event, summary=event.title)
    return len(approved)
