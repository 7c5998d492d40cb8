"""Reads of the workflow: the processing-control sheet, current processes, queues."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from egov.workflow.models import (
    Action,
    HistoryEntry,
    Instance,
    InstanceStatus,
    Outcome,
    Process,
)

OPEN_STATUSES = (InstanceStatus.ACTIVE, InstanceStatus.WAITING, InstanceStatus.SUSPENDED)


@dataclass(frozen=True)
class SheetRow:
    """One row of the processing-control sheet (phiếu kiểm soát quá trình giải quyết)."""

    number: int
    action: str
    action_label: str
    step: str  # the step handed over from ("" for the start)
    to_step: str  # the step handed over to ("" when the process ended)
    from_agency: str  # body handing over (the agency the step was handled in)
    to_agency: str  # body receiving
    actor: str  # người giao ("hệ thống" for the system)
    to_assignee: str  # người nhận, when named
    step_started_at: datetime | None
    step_due_at: datetime | None
    acted_at: datetime
    outcome: str  # "early", "on_time", "late" or ""
    outcome_label: str  # Trước hạn / Đúng hạn / Quá hạn
    paused_working: timedelta | None
    note: str


def history_for(instance: Instance) -> QuerySet[HistoryEntry]:
    return (
        HistoryEntry.objects.filter(instance=instance)
        .select_related(
            "step", "to_step", "actor", "actor_agency", "to_agency", "to_assignee__user"
        )
        .order_by("acted_at", "id")
    )


def control_sheet(instance: Instance) -> list[SheetRow]:
    """The instance's history as printable rows, oldest first (one query)."""
    rows: list[SheetRow] = []
    previous_agency = ""
    for n, entry in enumerate(history_for(instance), start=1):
        from_agency = entry.actor_agency.name if entry.actor_agency is not None else previous_agency
        to_agency = entry.to_agency.name if entry.to_agency is not None else ""
        rows.append(
            SheetRow(
                number=n,
                action=entry.action,
                action_label=str(Action(entry.action).label),
                step=entry.step.name if entry.step is not None else "",
                to_step=entry.to_step.name if entry.to_step is not None else "",
                from_agency=from_agency,
                to_agency=to_agency,
                actor=str(entry.actor) if entry.actor is not None else "hệ thống",
                to_assignee=str(entry.to_assignee.user) if entry.to_assignee is not None else "",
                step_started_at=entry.step_started_at,
                step_due_at=entry.step_due_at,
                acted_at=entry.acted_at,
                outcome=entry.outcome,
                outcome_label=str(Outcome(entry.outcome).label) if entry.outcome else "",
                paused_working=entry.paused_working,
                note=entry.note,
            )
        )
        previous_agency = to_agency or previous_agency
    return rows


def process_current(code: str) -> Process | None:
    """The active version of process `code` (the latest active one), or None."""
    return Process.objects.filter(code=code, is_active=True).order_by("-version").first()


def instance_for_subject(subject: Model) -> Instance | None:
    return (
        Instance.objects.select_related("process", "current_step", "agency", "assignee__user")
        .filter(subject_type=subject._meta.label_lower, subject_id=subject.pk)
        .first()
    )


def instances_for_queue(
    *,
    agency_ids: Iterable[int],
    subject_type: str | None = None,
    step_codes: Iterable[str] | None = None,
    statuses: Iterable[str] = OPEN_STATUSES,
    assignee_id: int | None = None,
) -> QuerySet[Instance]:
    """Open instances held by these agencies, soonest step due first (untimed last).

    Apps join these to their subjects (`subject_id__in`); pass the agencies from the policy
    (`agency_filter`) so a queue never shows another agency's rows.
    """
    qs = Instance.objects.filter(agency_id__in=list(agency_ids), status__in=list(statuses))
    if subject_type is not None:
        qs = qs.filter(subject_type=subject_type)
    if step_codes is not None:
        qs = qs.filter(current_step__code__in=list(step_codes))
    if assignee_id is not None:
        qs = qs.filter(assignee_id=assignee_id)
    return qs.select_related("process", "current_step", "agency", "assignee__user").order_by(
        "step_due_at", "id"
    )


def instances_overdue(
    *, agency_ids: Iterable[int], at: datetime | None = None
) -> QuerySet[Instance]:
    """Active instances whose current step is past its due (the clock runs only when active)."""
    at = at or timezone.now()
    return instances_for_queue(agency_ids=agency_ids, statuses=(InstanceStatus.ACTIVE,)).filter(
        Q(step_due_at__lt=at)
    )
