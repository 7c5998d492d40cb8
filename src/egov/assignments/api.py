"""REST: /api/v1/assignments — my assignments, give one, report progress. Thin over services."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema, Status

from egov.api.auth import api_auth
from egov.api.schemas import ProblemOut
from egov.assignments import selectors, services
from egov.assignments.policy import access_assignment_for_staff
from egov.core.errors import ValidationFailed
from egov.organisations.models import Agency, StaffMember, Unit

router = Router(auth=api_auth)


class AssignmentOut(Schema):
    public_id: UUID
    title: str
    status: str
    priority: str
    percent: int
    assigned_at: datetime
    due_at: datetime
    completed_at: datetime | None = None
    on_time: bool | None = None


class OwnerIn(Schema):
    kind: str = "main"
    staff: UUID | None = None
    unit_id: int | None = None
    agency_code: str | None = None


class AssignmentIn(Schema):
    title: str
    description: str = ""
    owners: list[OwnerIn]
    due_at: datetime | None = None
    working_days: int | None = None
    priority: str = "normal"


class ProgressIn(Schema):
    text: str
    percent: int


def _target(owner: OwnerIn) -> Any:
    if owner.staff:
        found: Any = StaffMember.objects.filter(public_id=owner.staff, is_active=True).first()
    elif owner.unit_id:
        found = Unit.objects.filter(pk=owner.unit_id, is_active=True).first()
    elif owner.agency_code:
        found = Agency.objects.filter(code=owner.agency_code, is_active=True).first()
    else:
        found = None
    if found is None:
        raise ValidationFailed(
            "Không tìm thấy đơn vị, cá nhân thực hiện.", fields={"owners": ["?"]}
        )
    return found


@router.get("", response={200: list[AssignmentOut], 401: ProblemOut}, summary="Nhiệm vụ của tôi")
def assignments_mine(request: HttpRequest) -> Any:
    return list(selectors.assignments_mine(user=request.user)[:200])


@router.post(
    "",
    response={201: AssignmentOut, 401: ProblemOut, 403: ProblemOut, 422: ProblemOut},
    summary="Giao nhiệm vụ",
)
def assignment_create(request: HttpRequest, payload: AssignmentIn) -> Any:
    assignment = services.assignment_create(
        actor=request.user,
        title=payload.title,
        description=payload.description,
        owners=[(o.kind, _target(o)) for o in payload.owners],
        due_at=payload.due_at,
        working_days=payload.working_days,
        priority=payload.priority,
    )
    return Status(201, assignment)


@router.post(
    "/{assignment_id}/progress",
    response={
        200: AssignmentOut,
        401: ProblemOut,
        403: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
        422: ProblemOut,
    },
    summary="Báo cáo tiến độ",
)
def progress_report(request: HttpRequest, assignment_id: UUID, payload: ProgressIn) -> Any:
    assignment = access_assignment_for_staff(request.user, assignment_id)
    services.progress_report(
        actor=request.user, assignment=assignment, text=payload.text, percent=payload.percent
    )
    assignment.refresh_from_db()
    return assignment
