"""The assignments app's services (writes), grouped by area; import from here."""

from egov.assignments.services.assignments import (
    ConclusionItem,
    assignment_create,
    assignment_from_document,
    assignments_from_conclusion,
    completion_decide,
    completion_report,
    escalate_overdue,
    extension_decide,
    extension_request,
    meeting_conclusion_create,
    progress_report,
    recurring_spawn,
    reminders_due,
)
from egov.assignments.services.exchange import comment_add, digest_send, notice_publish
from egov.assignments.services.workcalendar import (
    work_event_save,
    work_week_approve,
    work_week_publish,
)

__all__ = [
    "ConclusionItem",
    "assignment_create",
    "assignment_from_document",
    "assignments_from_conclusion",
    "comment_add",
    "completion_decide",
    "completion_report",
    "digest_send",
    "escalate_overdue",
    "extension_decide",
    "extension_request",
    "meeting_conclusion_create",
    "notice_publish",
    "progress_report",
    "recurring_spawn",
    "reminders_due",
    "work_event_save",
    "work_week_approve",
    "work_week_publish",
]
