"""Assignments: giving them, progress, extension, completion, recurrence, reminders and
escalation. Each service is one transaction with its audit row; notifications are recorded in
the same transaction and delivered after commit (`notification_send`)."""

from __future__ import annotations

import calendar as pycalendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from egov.assignments import facts
from egov.assignments.models import (
    OPEN_STATUSES,
    Assignment,
    AssignmentEvent,
    AssignmentEventKind,
    AssignmentOwner,
    AssignmentStatus,
    ExtensionDecision,
    ExtensionRequest,
    MeetingConclusion,
    OwnerKind,
    Priority,
    ProgressReport,
    Recurrence,
    SourceKind,
)
from egov.assignments.policy import is_assigner, is_owner, staff_of
from egov.audit.services import audit_record, snapshot
from egov.calendar.arithmetic import WorkingCalendar
from egov.core.errors import AppError, Conflict, PermissionDenied, ValidationFailed
from egov.indicators.events import people_changed
from egov.notifications.models import Channel
from egov.notifications.services import notification_send
from egov.organisations.models import Agency, RoleCode, StaffMember, Unit
from egov.policy.engine import can

# Owners are reminded this many working days before the deadline (once).
REMINDER_WORKING_DAYS = 2
NOTIFY_CHANNELS = (Channel.IN_APP, Channel.EMAIL)

Target = Agency | Unit | StaffMember
AUDITED = ("title", "status", "due_at", "percent", "priority", "completed_at", "on_time")


@dataclass(frozen=True)
class ConclusionItem:
    """One task of a meeting conclusion: `owners` as for `assignment_create`."""

    title: str
    owners: Sequence[tuple[str, Target]]
    due_at: datetime | None = None
    working_days: int | None = None
    description: str = ""
    priority: str = Priority.NORMAL


# --- helpers -------------------------------------------------------------------------------------


def _link(assignment: Assignment) -> str:
    return reverse("workspace:assignments:detail", args=[assignment.public_id])


def _event(assignment: Assignment, kind: str, actor: Any, note: str = "") -> None:
    AssignmentEvent.objects.create(
        assignment=assignment, kind=kind, actor=actor, note=note, at=timezone.now()
    )


def _leaders_of(agency_id: int) -> list[StaffMember]:
    return list(
        StaffMember.objects.filter(
            agency_id=agency_id, is_active=True, roles__code=RoleCode.AGENCY_LEADER
        )
        .select_related("user")
        .distinct()
    )


def _unit_heads_of(unit_id: int) -> list[StaffMember]:
    return list(
        StaffMember.objects.filter(unit_id=unit_id, is_active=True, roles__code=RoleCode.UNIT_HEAD)
        .select_related("user")
        .distinct()
    )


def owner_recipients(owner: AssignmentOwner) -> list[StaffMember]:
    """Who is told about an owner's task: the person; the unit's staff; the agency's leaders
    (its clerks when it has none)."""
    if owner.staff is not None:
        return [owner.staff]
    if owner.unit_id:
        return list(
            StaffMember.objects.filter(unit_id=owner.unit_id, is_active=True).select_related("user")
        )
    leaders = _leaders_of(owner.agency_id)
    if leaders:
        return leaders
    return list(
        StaffMember.objects.filter(
            agency_id=owner.agency_id, is_active=True, roles__code=RoleCode.CLERK
        ).select_related("user")
    )


def owner_heads(owner: AssignmentOwner) -> list[StaffMember]:
    """The owner's head: a person's unit head (else the agency's leaders); a unit's heads (else
    the agency's leaders); an agency's leaders."""
    unit_id = owner.staff.unit_id if owner.staff is not None else owner.unit_id
    heads: list[StaffMember] = []
    if unit_id:
        heads = [s for s in _unit_heads_of(unit_id) if s.pk != owner.staff_id]
    if not heads:
        heads = [s for s in _leaders_of(owner.agency_id) if s.pk != owner.staff_id]
    return heads


def _notify(
    staff: Iterable[StaffMember], *, event: str, subject: str, body: str, assignment: Assignment
) -> int:
    seen: set[int] = set()
    for member in staff:
        if member.user_id in seen:
            continue
        seen.add(member.user_id)
        notification_send(
            event=event,
            subject=subject,
            body=body,
            recipient_user=member.user,
            link=_link(assignment),
            channels=NOTIFY_CHANNELS,
            agency=assignment.agency,
        )
    return len(seen)


def _notify_owners(assignment: Assignment, *, event: str, subject: str, body: str) -> None:
    staff: list[StaffMember] = []
    for owner in assignment.owners.select_related("staff__user", "unit", "agency"):
        staff.extend(owner_recipients(owner))
    _notify(staff, event=event, subject=subject, body=body, assignment=assignment)


def _notify_assigner(assignment: Assignment, *, event: str, subject: str, body: str) -> None:
    _notify([assignment.assigner], event=event, subject=subject, body=body, assignment=assignment)


def _actor_staff(actor: Any) -> StaffMember:
    staff = staff_of(actor)
    if staff is None:
        raise PermissionDenied()
    return staff


def _lock(assignment: Assignment) -> Assignment:
    return Assignment.objects.select_for_update().get(pk=assignment.pk)


def _calendar(agency: Agency) -> WorkingCalendar:
    return WorkingCalendar.for_agency(agency)


def _in_tree(agency: Agency, root_id: int) -> bool:
    node: Agency | None = agency
    while node is not None:
        if node.pk == root_id:
            return True
        node = node.parent
    return False


def _owner_rows(
    owners: Sequence[tuple[str, Target]], *, assigner: StaffMember
) -> list[AssignmentOwner]:
    """Validate the owners: exactly one main, no repeats, inside the assigner's agency tree."""
    if not owners:
        raise ValidationFailed(
            "Chưa chọn đơn vị, cá nhân chủ trì.", fields={"owners": ["Bắt buộc."]}
        )
    rows: list[AssignmentOwner] = []
    seen: set[tuple[str, int]] = set()
    for kind, target in owners:
        if kind not in OwnerKind.values:
            raise ValidationFailed(f"Vai trò thực hiện không hợp lệ: {kind}.")
        if isinstance(target, StaffMember):
            row = AssignmentOwner(kind=kind, agency=target.agency, staff=target)
        elif isinstance(target, Unit):
            row = AssignmentOwner(kind=kind, agency=target.agency, unit=target)
        elif isinstance(target, Agency):
            row = AssignmentOwner(kind=kind, agency=target)
        else:
            raise ValidationFailed("Đơn vị, cá nhân thực hiện không hợp lệ.")
        key = (type(target).__name__, target.pk)
        if key in seen:
            raise ValidationFailed(
                f"{target} được chọn hai lần.", fields={"owners": ["Trùng lặp."]}
            )
        seen.add(key)
        if not _in_tree(row.agency, assigner.agency_id):
            raise ValidationFailed(
                f"Không thể giao nhiệm vụ cho {target}: ngoài phạm vi cơ quan của người giao.",
                fields={"owners": ["Ngoài phạm vi."]},
            )
        rows.append(row)
    mains = [r for r in rows if r.kind == OwnerKind.MAIN]
    if len(mains) != 1:
        raise ValidationFailed(
            "Nhiệm vụ phải có đúng một đơn vị, cá nhân chủ trì.",
            fields={"owners": ["Đúng một chủ trì."]},
        )
    return rows


def _due(
    *, agency: Agency, now: datetime, due_at: datetime | None, working_days: int | None
) -> datetime:
    if due_at is None and working_days is None:
        raise ValidationFailed("Chưa có hạn xử lý.", fields={"due_at": ["Bắt buộc."]})
    if due_at is not None and working_days is not None:
        raise ValidationFailed("Chỉ nhập hạn xử lý hoặc số ngày làm việc, không cả hai.")
    if working_days is not None:
        if working_days < 1:
            raise ValidationFailed(
                "Số ngày làm việc phải từ 1 trở lên.", fields={"working_days": ["Ít nhất 1."]}
            )
        return _calendar(agency).due_after_working_days(now, working_days)
    assert due_at is not None
    if timezone.is_naive(due_at):
        raise ValidationFailed("Hạn xử lý phải có múi giờ.")
    if due_at <= now:
        raise ValidationFailed("Hạn xử lý phải sau thời điểm giao.", fields={"due_at": ["Đã qua."]})
    return due_at


# --- giving assignments --------------------------------------------------------------------------


def _create(
    *,
    actor: Any,
    assigner: StaffMember,
    title: str,
    owners: Sequence[tuple[str, Target]],
    due_at: datetime | None,
    working_days: int | None,
    priority: str,
    description: str,
    source_kind: str,
    source_document: Any = None,
    meeting: MeetingConclusion | None = None,
    recurrence: str = Recurrence.NONE,
    recurrence_day: int | None = None,
    recurrence_until: date | None = None,
    parent: Assignment | None = None,
    period_start: date | None = None,
    now: datetime | None = None,
    notify: bool = True,
) -> Assignment:
    title = (title or "").strip()
    if not title:
        raise ValidationFailed("Chưa nhập tên nhiệm vụ.", fields={"title": ["Bắt buộc."]})
    if len(title) > 500:
        raise ValidationFailed("Tên nhiệm vụ quá dài (tối đa 500 ký tự).")
    if priority not in Priority.values:
        raise ValidationFailed("Mức độ không hợp lệ.", fields={"priority": ["Không hợp lệ."]})
    rows = _owner_rows(owners, assigner=assigner)
    now = now or timezone.now()
    is_series = bool(recurrence)
    if is_series:
        _check_recurrence(recurrence, recurrence_day)
        due = now  # a series is a template: its instances carry the deadlines
    else:
        due = _due(agency=assigner.agency, now=now, due_at=due_at, working_days=working_days)
    main = next(r for r in rows if r.kind == OwnerKind.MAIN)
    assignment = Assignment.objects.create(
        agency=assigner.agency,
        owner_agency=main.agency,
        title=title,
        description=description or "",
        source_kind=source_kind,
        source_document=source_document,
        meeting=meeting,
        assigner=assigner,
        priority=priority,
        assigned_at=now,
        due_at=due,
        original_due_at=due,
        recurrence=recurrence,
        recurrence_day=recurrence_day,
        recurrence_until=recurrence_until,
        is_series=is_series,
        parent=parent,
        period_start=period_start,
    )
    for row in rows:
        row.assignment = assignment
    AssignmentOwner.objects.bulk_create(rows)
    _event(assignment, AssignmentEventKind.CREATED, actor)
    audit_record(
        actor=actor,
        action="assignment.create",
        target=assignment,
        summary=f"Giao nhiệm vụ: {title}",
        after=snapshot(assignment, AUDITED),
    )
    if not is_series:
        facts.fact_bump(agency_id=main.agency_id, month=facts.month_of(now), assigned=1)
        people_changed(source="assignments", object_id=assignment.pk)  # indicators: per person
        if notify:
            _notify_owners(
                assignment,
                event="assignment.assigned",
                subject=f"Nhiệm vụ mới: {title}",
                body=(
                    f"{assigner.user} giao nhiệm vụ «{title}», "
                    f"hạn xử lý {timezone.localtime(due):%H:%M %d/%m/%Y}."
                ),
            )
    return assignment


def _check_recurrence(recurrence: str, day: int | None) -> None:
    if recurrence == Recurrence.MONTHLY and (day is None or not 1 <= day <= 31):
        raise ValidationFailed(
            "Nhiệm vụ hằng tháng cần ngày trong tháng (1–31).",
            fields={"recurrence_day": ["1–31."]},
        )
    if recurrence == Recurrence.WEEKLY and (day is None or not 0 <= day <= 6):
        raise ValidationFailed(
            "Nhiệm vụ hằng tuần cần thứ trong tuần (0 = thứ Hai … 6 = Chủ nhật).",
            fields={"recurrence_day": ["0–6."]},
        )
    if recurrence not in Recurrence.values:
        raise ValidationFailed("Kiểu lặp lại không hợp lệ.")


def _assigner_for(actor: Any) -> StaffMember:
    staff = _actor_staff(actor)
    if not can(actor, "assignment.create", staff.agency):
        raise PermissionDenied("Chỉ lãnh đạo mới được giao nhiệm vụ.")
    return staff


@transaction.atomic
def assignment_create(
    *,
    actor: Any,
    title: str,
    owners: Sequence[tuple[str, Target]],
    due_at: datetime | None = None,
    working_days: int | None = None,
    priority: str = Priority.NORMAL,
    description: str = "",
    source_kind: str = SourceKind.OWN,
    source_document: Any = None,
    meeting: MeetingConclusion | None = None,
    recurrence: str = Recurrence.NONE,
    recurrence_day: int | None = None,
    recurrence_until: date | None = None,
) -> Assignment:
    """A leader gives a task: `owners` is a list of ("main"|"co", Agency|Unit|StaffMember),
    exactly one main; the deadline is `due_at` or `working_days` counted by the working
    calendar of the assigner's agency. With `recurrence`, a series is created instead and
    `recurring_spawn` makes one instance per period."""
    assigner = _assigner_for(actor)
    if source_kind == SourceKind.DOCUMENT and source_document is None:
        raise ValidationFailed("Chưa chọn văn bản nguồn.")
    if source_kind == SourceKind.MEETING and meeting is None:
        raise ValidationFailed("Chưa chọn kết luận cuộc họp.")
    if meeting is not None and meeting.agency_id != assigner.agency_id:
        raise ValidationFailed("Kết luận cuộc họp không thuộc cơ quan của người giao.")
    if source_document is not None and source_document.agency_id != assigner.agency_id:
        raise ValidationFailed("Văn bản nguồn không thuộc cơ quan của người giao.")
    return _create(
        actor=actor,
        assigner=assigner,
        title=title,
        owners=owners,
        due_at=due_at,
        working_days=working_days,
        priority=priority,
        description=description,
        source_kind=source_kind,
        source_document=source_document,
        meeting=meeting,
        recurrence=recurrence,
        recurrence_day=recurrence_day,
        recurrence_until=recurrence_until,
    )


@transaction.atomic
def meeting_conclusion_create(
    *, actor: Any, title: str, date: date, text: str = ""
) -> MeetingConclusion:
    assigner = _assigner_for(actor)
    title = (title or "").strip()
    if not title:
        raise ValidationFailed("Chưa nhập tên cuộc họp.", fields={"title": ["Bắt buộc."]})
    conclusion = MeetingConclusion.objects.create(
        agency=assigner.agency, title=title, date=date, text=text or "", created_by=assigner
    )
    audit_record(actor=actor, action="meeting_conclusion.create", target=conclusion, summary=title)
    return conclusion


@transaction.atomic
def assignments_from_conclusion(
    *, actor: Any, conclusion: MeetingConclusion, items: Sequence[ConclusionItem]
) -> list[Assignment]:
    """A meeting conclusion becomes several assignments, all or none."""
    if not items:
        raise ValidationFailed("Kết luận chưa có nhiệm vụ nào.")
    created: list[Assignment] = []
    for n, item in enumerate(items, start=1):
        try:
            created.append(
                assignment_create(
                    actor=actor,
                    title=item.title,
                    owners=item.owners,
                    due_at=item.due_at,
                    working_days=item.working_days,
                    priority=item.priority,
                    description=item.description,
                    source_kind=SourceKind.MEETING,
                    meeting=conclusion,
                )
            )
        except AppError as exc:
            exc.message = f"Nhiệm vụ thứ {n}: {exc.message}"
            exc.args = (exc.message,)
            raise
    return created


@transaction.atomic
def assignment_from_document(
    *,
    actor: Any,
    document: Any,
    owners: Sequence[tuple[str, Target]] | None = None,
    title: str = "",
    due_at: datetime | None = None,
    working_days: int | None = None,
    priority: str = Priority.NORMAL,
) -> Assignment:
    """An incoming document's instruction becomes an assignment. Owners default to the
    document's handlers (main handler, co-handlers) and the deadline to its handling deadline."""
    from egov.documents.models import Handling, HandlingRole

    if owners is None:
        owners = []
        for handling in Handling.objects.filter(document=document).select_related("staff", "unit"):
            role = getattr(handling, "role", "")
            if role == HandlingRole.MAIN:
                kind = OwnerKind.MAIN
            elif role == getattr(HandlingRole, "CO", "co"):
                kind = OwnerKind.CO
            else:
                continue
            target = getattr(handling, "staff", None) or getattr(handling, "unit", None)
            if target is not None:
                owners.append((kind, target))
    if due_at is None and working_days is None:
        due_at = getattr(document, "handling_due_at", None)
    description = getattr(document, "instruction", "") or ""
    return assignment_create(
        actor=actor,
        title=title or str(document.subject),
        owners=owners,
        due_at=due_at,
        working_days=working_days,
        priority=priority,
        description=description,
        source_kind=SourceKind.DOCUMENT,
        source_document=document,
    )


# --- owners' actions -----------------------------------------------------------------------------


def _require_owner(actor: Any, assignment: Assignment) -> StaffMember:
    staff = _actor_staff(actor)
    if not is_owner(actor, assignment):
        raise PermissionDenied(
            "Chỉ đơn vị, cá nhân được giao nhiệm vụ mới thực hiện được việc này."
        )
    return staff


def _require_open(assignment: Assignment, what: str) -> None:
    if assignment.is_series:
        raise Conflict(
            "assignment_series", "Đây là nhiệm vụ mẫu lặp lại, không thực hiện trực tiếp."
        )
    if assignment.status == AssignmentStatus.DONE:
        raise Conflict("assignment_done", f"Nhiệm vụ đã hoàn thành: không thể {what}.")
    if assignment.status == AssignmentStatus.CANCELLED:
        raise Conflict("assignment_cancelled", f"Nhiệm vụ đã hủy: không thể {what}.")


@transaction.atomic
def progress_report(
    *, actor: Any, assignment: Assignment, text: str, percent: int, files: Sequence[Any] = ()
) -> ProgressReport:
    staff = _require_owner(actor, assignment)
    assignment = _lock(assignment)
    _require_open(assignment, "báo cáo tiến độ")
    text = (text or "").strip()
    if not text:
        raise ValidationFailed("Chưa nhập nội dung báo cáo.", fields={"text": ["Bắt buộc."]})
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise ValidationFailed("Tiến độ phải từ 0 đến 100%.", fields={"percent": ["0–100."]})
    before = snapshot(assignment, AUDITED)
    report = ProgressReport.objects.create(
        assignment=assignment, author=staff, text=text, percent=percent
    )
    if files:
        report.attachments.set(files)
    assignment.percent = percent
    fields = ["percent", "updated_at"]
    if assignment.status == AssignmentStatus.OPEN:
        assignment.status = AssignmentStatus.IN_PROGRESS
        fields.append("status")
    assignment.save(update_fields=fields)
    _event(assignment, AssignmentEventKind.PROGRESS, actor, f"{percent}% – {text}")
    audit_record(
        actor=actor,
        action="assignment.progress",
        target=assignment,
        summary=f"Báo cáo tiến độ {percent}%",
        before=before,
        after=snapshot(assignment, AUDITED),
    )
    _notify_assigner(
        assignment,
        event="assignment.progress",
        subject=f"Báo cáo tiến độ: {assignment.title}",
        body=f"{staff.user}: {percent}% – {text}",
    )
    return report


@transaction.atomic
def extension_request(
    *, actor: Any, assignment: Assignment, new_due_at: datetime, reason: str
) -> ExtensionRequest:
    staff = _require_owner(actor, assignment)
    assignment = _lock(assignment)
    _require_open(assignment, "đề nghị gia hạn")
    if assignment.status == AssignmentStatus.COMPLETION_REPORTED:
        raise Conflict(
            "assignment_completion_reported",
            "Đã báo cáo hoàn thành: không thể đề nghị gia hạn.",
        )
    if assignment.status == AssignmentStatus.EXTENSION_REQUESTED:
        raise Conflict("extension_pending", "Đã có đề nghị gia hạn đang chờ quyết định.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Chưa nêu lý do gia hạn.", fields={"reason": ["Bắt buộc."]})
    if new_due_at <= assignment.due_at:
        raise ValidationFailed(
            "Hạn đề nghị phải sau hạn hiện tại.", fields={"new_due_at": ["Phải sau hạn hiện tại."]}
        )
    before = snapshot(assignment, AUDITED)
    request = ExtensionRequest.objects.create(
        assignment=assignment,
        requested_by=staff,
        previous_due_at=assignment.due_at,
        requested_due_at=new_due_at,
        reason=reason,
    )
    assignment.status = AssignmentStatus.EXTENSION_REQUESTED
    assignment.save(update_fields=["status", "updated_at"])
    _event(
        assignment,
        AssignmentEventKind.EXTENSION_REQUESTED,
        actor,
        f"Đề nghị gia hạn đến {timezone.localtime(new_due_at):%d/%m/%Y}: {reason}",
    )
    audit_record(
        actor=actor,
        action="assignment.extension_request",
        target=assignment,
        summary="Đề nghị gia hạn",
        before=before,
        after={**snapshot(assignment, AUDITED), "requested_due_at": new_due_at},
    )
    _notify_assigner(
        assignment,
        event="assignment.extension_requested",
        subject=f"Đề nghị gia hạn: {assignment.title}",
        body=(
            f"{staff.user} đề nghị gia hạn đến {timezone.localtime(new_due_at):%d/%m/%Y}: {reason}"
        ),
    )
    return request


def _require_assigner(actor: Any, assignment: Assignment) -> StaffMember:
    staff = _actor_staff(actor)
    if not is_assigner(actor, assignment):
        raise PermissionDenied("Chỉ người giao nhiệm vụ mới quyết định được việc này.")
    return staff


def _overdue_move(assignment: Assignment, *, new_due: datetime | None, now: datetime) -> None:
    """Keep `overdue_open` right when the due date changes (new_due) or the task ends (None)."""
    if assignment.overdue_since is None:
        return
    facts.fact_bump(
        agency_id=assignment.owner_agency_id,
        month=facts.month_of(assignment.due_at),
        overdue_open=-1,
    )
    people_changed(source="assignments", object_id=assignment.pk)  # indicators: per person
    if new_due is not None and new_due < now:
        facts.fact_bump(
            agency_id=assignment.owner_agency_id, month=facts.month_of(new_due), overdue_open=1
        )
    else:
        assignment.overdue_since = None


@transaction.atomic
def extension_decide(
    *, actor: Any, request: ExtensionRequest, approve: bool, note: str = ""
) -> ExtensionRequest:
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    assignment = _lock(request.assignment)
    staff = _require_assigner(actor, assignment)
    if request.decision != ExtensionDecision.PENDING:
        raise Conflict("extension_decided", "Đề nghị gia hạn này đã được quyết định.")
    before = snapshot(assignment, AUDITED)
    now = timezone.now()
    request.decision = ExtensionDecision.APPROVED if approve else ExtensionDecision.REFUSED
    request.decided_by = staff
    request.decided_at = now
    request.note = note or ""
    request.save(update_fields=["decision", "decided_by", "decided_at", "note", "updated_at"])
    fields = ["status", "updated_at"]
    if approve:
        _overdue_move(assignment, new_due=request.requested_due_at, now=now)
        assignment.due_at = request.requested_due_at
        assignment.reminded_at = None  # a new deadline deserves a new reminder
        fields += ["due_at", "reminded_at", "overdue_since"]
    assignment.status = AssignmentStatus.IN_PROGRESS
    assignment.save(update_fields=fields)
    kind = (
        AssignmentEventKind.EXTENSION_APPROVED if approve else AssignmentEventKind.EXTENSION_REFUSED
    )
    _event(assignment, kind, actor, note or "")
    audit_record(
        actor=actor,
        action="assignment.extension_decide",
        target=assignment,
        summary=("Đồng ý" if approve else "Không đồng ý") + " gia hạn",
        before=before,
        after=snapshot(assignment, AUDITED),
    )
    verdict = (
        f"được gia hạn đến {timezone.localtime(assignment.due_at):%d/%m/%Y}"
        if approve
        else "không được gia hạn"
    )
    _notify_owners(
        assignment,
        event="assignment.extension_decided",
        subject=f"Gia hạn nhiệm vụ: {assignment.title}",
        body=f"Nhiệm vụ «{assignment.title}» {verdict}. {note}".strip(),
    )
    return request


@transaction.atomic
def completion_report(*, actor: Any, assignment: Assignment, text: str) -> Assignment:
    staff = _require_owner(actor, assignment)
    assignment = _lock(assignment)
    _require_open(assignment, "báo cáo hoàn thành")
    if assignment.status == AssignmentStatus.COMPLETION_REPORTED:
        raise Conflict("completion_pending", "Đã báo cáo hoàn thành, đang chờ người giao xem xét.")
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(
            "Chưa nhập nội dung báo cáo hoàn thành.", fields={"text": ["Bắt buộc."]}
        )
    before = snapshot(assignment, AUDITED)
    if assignment.status == AssignmentStatus.EXTENSION_REQUESTED:
        ExtensionRequest.objects.filter(
            assignment=assignment, decision=ExtensionDecision.PENDING
        ).update(decision=ExtensionDecision.REFUSED, note="Đã báo cáo hoàn thành.")
    assignment.status = AssignmentStatus.COMPLETION_REPORTED
    assignment.percent = 100
    assignment.save(update_fields=["status", "percent", "updated_at"])
    _event(assignment, AssignmentEventKind.COMPLETION_REPORTED, actor, text)
    audit_record(
        actor=actor,
        action="assignment.completion_report",
        target=assignment,
        summary="Báo cáo hoàn thành",
        before=before,
        after=snapshot(assignment, AUDITED),
    )
    _notify_assigner(
        assignment,
        event="assignment.completion_reported",
        subject=f"Báo cáo hoàn thành: {assignment.title}",
        body=f"{staff.user}: {text}",
    )
    return assignment


@transaction.atomic
def completion_decide(
    *, actor: Any, assignment: Assignment, accept: bool, note: str = ""
) -> Assignment:
    """Accept (done; on time when the report came by the current due date) or send back
    (in progress again)."""
    _require_assigner(actor, assignment)
    assignment = _lock(assignment)
    if assignment.status != AssignmentStatus.COMPLETION_REPORTED:
        raise Conflict("completion_not_reported", "Nhiệm vụ chưa được báo cáo hoàn thành.")
    if not accept and not (note or "").strip():
        raise ValidationFailed("Cần nêu lý do trả lại.", fields={"note": ["Bắt buộc."]})
    before = snapshot(assignment, AUDITED)
    now = timezone.now()
    if accept:
        reported = (
            assignment.events.filter(kind=AssignmentEventKind.COMPLETION_REPORTED)
            .order_by("-at")
            .values_list("at", flat=True)
            .first()
        ) or now
        assignment.on_time = reported <= assignment.due_at
        assignment.completed_at = now
        assignment.status = AssignmentStatus.DONE
        _overdue_move(assignment, new_due=None, now=now)
        assignment.save(
            update_fields=["status", "on_time", "completed_at", "overdue_since", "updated_at"]
        )
        facts.fact_bump(
            agency_id=assignment.owner_agency_id,
            month=facts.month_of(now),
            done=1,
            done_on_time=1 if assignment.on_time else 0,
            done_late=0 if assignment.on_time else 1,
        )
        people_changed(source="assignments", object_id=assignment.pk)  # indicators: per person
        kind = AssignmentEventKind.ACCEPTED
    else:
        assignment.status = AssignmentStatus.IN_PROGRESS
        assignment.save(update_fields=["status", "updated_at"])
        kind = AssignmentEventKind.SENT_BACK
    _event(assignment, kind, actor, note or "")
    audit_record(
        actor=actor,
        action="assignment.completion_decide",
        target=assignment,
        summary="Công nhận hoàn thành" if accept else "Trả lại, yêu cầu tiếp tục",
        before=before,
        after=snapshot(assignment, AUDITED),
    )
    _notify_owners(
        assignment,
        event="assignment.completion_decided",
        subject=f"{'Công nhận hoàn thành' if accept else 'Trả lại'}: {assignment.title}",
        body=note or assignment.title,
    )
    return assignment


# --- recurrence ----------------------------------------------------------------------------------


def _period(series: Assignment, today: date) -> tuple[date, date]:
    """(period start, due day) of the series' period containing `today`."""
    day = series.recurrence_day or 0
    if series.recurrence == Recurrence.WEEKLY:
        start = today - timedelta(days=today.weekday())
        return start, start + timedelta(days=day)
    start = today.replace(day=1)
    last = pycalendar.monthrange(today.year, today.month)[1]
    return start, start.replace(day=min(day, last))


def _instance_due(series: Assignment, due_day: date) -> datetime:
    cal = _calendar(series.agency)
    # A due day that is not a working day moves to the next working day.
    if not cal.is_working_day(due_day):
        due_day = cal.next_working_day(due_day)
    return cal.close_of(due_day)


def recurring_spawn(*, today: date | None = None) -> list[Assignment]:
    """Create each active series' instance for the period containing `today`, once (a unique
    constraint on (parent, period_start) holds even under two concurrent runs)."""
    today = today or timezone.localdate()
    created: list[Assignment] = []
    series_rows = Assignment.objects.filter(is_series=True, status__in=OPEN_STATUSES).filter(
        Q(recurrence_until__isnull=True) | Q(recurrence_until__gte=today)
    )
    for series in series_rows.select_related("agency", "assigner__user", "assigner__agency"):
        start, due_day = _period(series, today)
        if series.instances.filter(period_start=start).exists():
            continue
        instance = _spawn_one(series, start, due_day)
        if instance is not None:
            created.append(instance)
    return created


def _spawn_one(series: Assignment, start: date, due_day: date) -> Assignment | None:
    from django.db import IntegrityError

    due = _instance_due(series, due_day)
    now = timezone.now()
    if due <= now:
        due = _calendar(series.agency).due_after_working_days(now, 1)
    owners = [
        (o.kind, o.staff or o.unit or o.agency)
        for o in series.owners.select_related("staff__agency", "unit__agency", "agency")
    ]
    try:
        with transaction.atomic():
            return _create(
                actor=None,
                assigner=series.assigner,
                title=f"{series.title} ({_period_label(series, start)})",
                owners=owners,
                due_at=due,
                working_days=None,
                priority=series.priority,
                description=series.description,
                source_kind=series.source_kind,
                source_document=series.source_document,
                meeting=series.meeting,
                parent=series,
                period_start=start,
                now=now,
            )
    except IntegrityError:
        return None  # another run created it


def _period_label(series: Assignment, start: date) -> str:
    if series.recurrence == Recurrence.WEEKLY:
        return f"tuần {start:%d/%m/%Y}"
    return f"tháng {start:%m/%Y}"


# --- reminders and escalation ---------------------------------------------------------------------


def reminders_due(*, now: datetime | None = None) -> int:
    """Remind the owners of open assignments due within REMINDER_WORKING_DAYS working days;
    each assignment once (`reminded_at`, cleared when the deadline is extended)."""
    now = now or timezone.now()
    horizon = now + timedelta(days=REMINDER_WORKING_DAYS * 3 + 14)
    candidates = Assignment.objects.filter(
        is_series=False,
        status__in=OPEN_STATUSES,
        reminded_at__isnull=True,
        due_at__gt=now,
        due_at__lte=horizon,
    ).select_related("agency")
    sent = 0
    for candidate in candidates:
        if _calendar(candidate.agency).working_days_between(now, candidate.due_at) > (
            REMINDER_WORKING_DAYS
        ):
            continue
        with transaction.atomic():
            assignment = _lock(candidate)
            if assignment.reminded_at is not None or assignment.status not in OPEN_STATUSES:
                continue
            assignment.reminded_at = now
            assignment.save(update_fields=["reminded_at", "updated_at"])
            _event(assignment, AssignmentEventKind.REMINDED, None)
            audit_record(
                actor=None,
                action="assignment.remind",
                target=assignment,
                summary="Nhắc hạn nhiệm vụ",
            )
            _notify_owners(
                assignment,
                event="assignment.reminder",
                subject=f"Sắp đến hạn: {assignment.title}",
                body=(
                    f"Nhiệm vụ «{assignment.title}» đến hạn lúc "
                    f"{timezone.localtime(assignment.due_at):%H:%M %d/%m/%Y}."
                ),
            )
            sent += 1
    return sent


def escalate_overdue(*, now: datetime | None = None) -> int:
    """Flag open assignments past their due date (counted in `overdue_open`) and, once per
    assignment (`escalated_at`), tell the assigner and the main owner's head."""
    now = now or timezone.now()
    late = Assignment.objects.filter(
        is_series=False, status__in=OPEN_STATUSES, due_at__lt=now
    ).filter(Q(overdue_since__isnull=True) | Q(escalated_at__isnull=True))
    escalated = 0
    for candidate_pk in late.values_list("pk", flat=True):
        with transaction.atomic():
            assignment = (
                Assignment.objects.select_for_update()
                .select_related("assigner__user", "agency")
                .get(pk=candidate_pk)
            )
            if assignment.status not in OPEN_STATUSES or assignment.due_at >= now:
                continue
            fields = ["updated_at"]
            if assignment.overdue_since is None:
                assignment.overdue_since = now
                fields.append("overdue_since")
                facts.fact_bump(
                    agency_id=assignment.owner_agency_id,
                    month=facts.month_of(assignment.due_at),
                    overdue_open=1,
                )
                people_changed(source="assignments", object_id=assignment.pk)
            notify = assignment.escalated_at is None
            if notify:
                assignment.escalated_at = now
                fields.append("escalated_at")
            assignment.save(update_fields=fields)
            if not notify:
                continue
            main = assignment.owners.select_related("staff__user", "unit", "agency").get(
                kind=OwnerKind.MAIN
            )
            heads = owner_heads(main)
            recipients = [assignment.assigner, *heads]
            _event(
                assignment,
                AssignmentEventKind.ESCALATED,
                None,
                "Báo quá hạn tới: " + ", ".join(str(s.user) for s in recipients),
            )
            audit_record(
                actor=None,
                action="assignment.escalate",
                target=assignment,
                summary="Nhiệm vụ quá hạn: báo người giao và lãnh đạo đơn vị chủ trì",
            )
            _notify(
                recipients,
                event="assignment.overdue",
                subject=f"Quá hạn: {assignment.title}",
                body=(
                    f"Nhiệm vụ «{assignment.title}» ({main.target_label} chủ trì) đã quá hạn "
                    f"từ {timezone.localtime(assignment.due_at):%H:%M %d/%m/%Y}."
                ),
                assignment=assignment,
            )
            escalated += 1
    return escalated
