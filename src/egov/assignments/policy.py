"""Who may do what with assignments, notices and the work calendar; the access helpers.

Owner actions (progress, extension, completion) and assigner decisions are object rules
checked by the services (`is_owner`, `is_assigner`); the rules here answer the agency and role
questions. `access_assignment_for_staff` is the one way a page or endpoint reaches an
assignment: the assigner's agency (any staff, or a city leader anywhere) and the owners see it;
everyone else gets "not found".
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from egov.assignments.models import Assignment, AssignmentOwner, WorkEvent
from egov.core.errors import NotFound
from egov.organisations.models import RoleCode as R
from egov.organisations.models import StaffMember
from egov.policy.engine import can, register, subject_for

register(
    "assignment.create",
    roles={R.AGENCY_LEADER, R.UNIT_HEAD, R.CITY_LEADER},
    description="Giao nhiệm vụ (từ văn bản, kết luận cuộc họp hoặc trực tiếp)",
)
register(
    "assignment.view",
    any_staff=True,
    cross_agency_roles={R.CITY_LEADER},
    description="Xem nhiệm vụ do cơ quan giao",
)
register(
    "assignment.board",
    roles={R.AGENCY_LEADER, R.UNIT_HEAD, R.ADMINISTRATOR},
    cross_agency_roles={R.CITY_LEADER},
    description="Theo dõi bảng nhiệm vụ theo nguồn giao, theo cơ quan",
)
register(
    "notice.publish",
    roles={R.CLERK, R.AGENCY_LEADER, R.ADMINISTRATOR},
    description="Đăng thông báo nội bộ",
)
register(
    "workcalendar.edit",
    roles={R.CLERK, R.ADMINISTRATOR},
    description="Soạn lịch công tác của lãnh đạo",
)
register(
    "workcalendar.approve",
    roles={R.AGENCY_LEADER},
    description="Duyệt lịch công tác",
)
register(
    "workcalendar.view_public",
    public=True,
    description="Xem lịch công tác công khai trên cổng thông tin",
)
register(
    "workcalendar.publish",
    roles={R.CLERK, R.ADMINISTRATOR, R.AGENCY_LEADER},
    description="Công bố lịch công tác đã duyệt",
)

OWNER_AGENCY_ROLES = frozenset({R.AGENCY_LEADER, R.UNIT_HEAD, R.CLERK})


def staff_of(user: Any) -> StaffMember | None:
    """The user's active staff record, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    staff = getattr(user, "staff", None)
    if staff is None or not staff.is_active:
        return None
    return staff  # type: ignore[no-any-return]


def _owner_q(staff: StaffMember) -> Q:
    """Owner rows `staff` may act for: itself, its unit, or its agency when it holds one of
    the roles that receive an agency's tasks (leader, unit head, clerk)."""
    q = Q(staff_id=staff.pk)
    if staff.unit_id is not None:
        q |= Q(unit_id=staff.unit_id, staff__isnull=True)
    roles = set(staff.roles.values_list("code", flat=True))
    if roles & OWNER_AGENCY_ROLES:
        q |= Q(agency_id=staff.agency_id, unit__isnull=True, staff__isnull=True)
    return q


def owned_by(staff: StaffMember) -> QuerySet[AssignmentOwner]:
    return AssignmentOwner.objects.filter(_owner_q(staff))


def is_owner(user: Any, assignment: Assignment) -> bool:
    staff = staff_of(user)
    if staff is None:
        return False
    return owned_by(staff).filter(assignment=assignment).exists()


def is_assigner(user: Any, assignment: Assignment) -> bool:
    """The assigner, or a leader of the assigner's agency who may give assignments there."""
    staff = staff_of(user)
    if staff is None:
        return False
    if staff.pk == assignment.assigner_id:
        return True
    return staff.agency_id == assignment.agency_id and can(user, "assignment.create", assignment)


def assignments_visible_q(user: Any) -> Q:
    """Assignments the user may open: the own agency's (or all, for a city leader) and those
    they own."""
    subject = subject_for(user)
    staff = staff_of(user)
    if not subject.is_staff or staff is None:
        return Q(pk__in=[])
    if subject.own_roles & {R.CITY_LEADER}:
        return Q()
    return Q(agency_id=staff.agency_id) | Q(pk__in=owned_by(staff).values("assignment_id"))


def access_assignment_for_staff(user: Any, public_id: Any) -> Assignment:
    """An assignment the officer may see, by public id; "not found" for missing and forbidden."""
    try:
        assignment = (
            Assignment.objects.select_related(
                "agency", "owner_agency", "assigner__user", "meeting", "source_document"
            )
            .filter(assignments_visible_q(user))
            .get(public_id=public_id)
        )
    except (Assignment.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    return assignment


def access_work_event_for_staff(user: Any, pk: Any, action: str = "workcalendar.edit") -> WorkEvent:
    try:
        event = WorkEvent.objects.select_related("agency", "leader__user").get(pk=pk)
    except (WorkEvent.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if not can(user, action, event):
        raise NotFound()
    return event
